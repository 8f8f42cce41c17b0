/* tests/lookup/certs.h: a CA, server and client certificates for the TLS
 * tests of the lookup server, made with the real openssl command. */
#ifndef SOHOA_TEST_LOOKUP_CERTS_H
#define SOHOA_TEST_LOOKUP_CERTS_H

#include "testutil.h"

#include <curl/curl.h>
#include <stddef.h>

/* Makes a fresh directory (the caller removes it with tu_rmtree and frees its
 * path) holding, each as NAME.pem and NAME.key (P-256, unencrypted PEM):
 * "agency-ca" and "other-ca" (self-signed CAs); "server" (by agency-ca, for
 * IP 127.0.0.1 and localhost); "client" (by agency-ca, EKU clientAuth);
 * "alien" (by other-ca, clientAuth); "server-only" (by agency-ca, EKU
 * serverAuth only). Valid for 2 days. */
char *certs_make(void);

/* What a GET brought back: curl's result, the HTTP status (0 when there was
 * no answer) and the start of the body. */
typedef struct {
	CURLcode rc;
	long status;
	char body[4096];
	size_t len;
} certs_answer;

/* GET url (10 s at most). With `certs` (a certs_make directory) the server
 * is checked against agency-ca and, with `client`, that certificate is
 * presented; with `token`, it is sent as the bearer token. */
certs_answer certs_get(const char *url, const char *certs, const char *client, const char *token);

#endif
