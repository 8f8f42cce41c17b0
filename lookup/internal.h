/* lookup/internal.h: what the files of lookup/ share and nobody else sees —
 * the TLS material of the server and the per-request deadline watchdog. */
#ifndef SOHOA_LOOKUP_INTERNAL_H
#define SOHOA_LOOKUP_INTERNAL_H

#include <microhttpd.h>

#include "lookup/lookup.h"

/* ------------------------------------------------------------------ tls */
/* The PEM texts handed to libmicrohttpd (which keeps pointers to them while
 * the daemon runs), each checked beforehand. */
typedef struct {
	char *cert;      /* server certificate, then its chain */
	char *key;       /* its private key (unencrypted PEM) */
	char *client_ca; /* CAs a client certificate must chain to; NULL: none asked */
} lookup_tls;

/* Reads and checks opt->tls_cert, tls_key and client_ca: every file readable
 * and PEM, the key that of the certificate, at least one CA certificate.
 * Errors name the file: SOHOA_ENOTFOUND, SOHOA_EIO, SOHOA_ELIMIT (over 1 MiB),
 * SOHOA_ECRYPTO (not a certificate or key, key of another certificate,
 * encrypted key), SOHOA_EINVAL (a key without a certificate or the reverse,
 * a client CA without either), SOHOA_EUNSUPPORTED (libmicrohttpd without TLS). */
int lookup_tls_load(lookup_tls *t, const sohoa_lookup_options *opt);
void lookup_tls_free(lookup_tls *t);

/* Checks the TLS client of `conn`: a certificate that chains to the client
 * CA and may authenticate a TLS client. On success writes its subject
 * (RFC 4514) into `who`. Errors: SOHOA_EAUTH with the reason (no
 * certificate, not trusted, expired…). */
int lookup_tls_check_peer(char *who, size_t cap, struct MHD_Connection *conn);

/* ------------------------------------------------------------- deadline */
/* Drops a connection whose request (TLS handshake, request line, headers and
 * body) has not fully arrived `deadline_ms` after the connection was made or
 * the previous request ended — a client trickling bytes cannot keep a
 * connection by staying just under the idle timeout. A watchdog thread shuts
 * the socket down; libmicrohttpd then closes the connection as a broken one. */
typedef struct lookup_deadline lookup_deadline;

int lookup_deadline_start(lookup_deadline **out, unsigned deadline_ms);
/* Stops the watchdog; call after MHD_stop_daemon. NULL is a no-op. */
void lookup_deadline_stop(lookup_deadline *d);
/* MHD_OPTION_NOTIFY_CONNECTION callback; its cls is the lookup_deadline. */
void lookup_deadline_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
			    enum MHD_ConnectionNotificationCode code);
/* The request of `conn` is in: its clock stops (the reply is governed by the
 * idle timeout). */
void lookup_deadline_request_in(lookup_deadline *d, struct MHD_Connection *conn);
/* The request of `conn` ended: the next request's clock starts. */
void lookup_deadline_request_done(lookup_deadline *d, struct MHD_Connection *conn);

#endif
