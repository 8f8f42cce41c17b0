/* tests/signer/tsa_server.h: a real RFC 3161 timestamp authority for the tests —
 * OpenSSL's TS_RESP_CTX behind a minimal HTTP server on 127.0.0.1 (an
 * ephemeral port), run by a thread of the test program. */
#ifndef SOHOA_TEST_TSA_SERVER_H
#define SOHOA_TEST_TSA_SERVER_H

typedef struct tsa_server tsa_server;

/* Starts a TSA signing with the test PKI's leaf `leaf` (<leaf>.key.pem and
 * <leaf>.pem, whose second certificate goes in the tokens too). Asserts. */
tsa_server *tsa_start(const char *leaf);
/* The same with a key file and a certificate file (TSA certificate, then its
 * issuer), e.g. the demo PKI's tsa.key.pem and tsa.pem. */
tsa_server *tsa_start_files(const char *key_pem, const char *cert_pem);
/* "http://127.0.0.1:PORT/tsa" */
const char *tsa_url(const tsa_server *t);
/* The Content-Type the replies carry (default application/timestamp-reply). */
void tsa_set_reply_type(tsa_server *t, const char *type);
/* Requests answered so far. */
int tsa_requests(tsa_server *t);
/* Stops the thread and closes the port (nothing listens on the URL after). */
void tsa_stop(tsa_server *t);

#endif
