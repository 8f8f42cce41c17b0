/* lookup/lookup.h: the one public header of lookup/ — the HTTP reuse service
 * for other agencies (libmicrohttpd): the listen address, the parsing of
 * request targets (untrusted, fuzzed), and the server itself. */
#ifndef SOHOA_LOOKUP_H
#define SOHOA_LOOKUP_H

#include "core/core.h"

#define SOHOA_LOOKUP_DEFAULT_HOST "127.0.0.1"
#define SOHOA_LOOKUP_DEFAULT_PORT 8470

/* Parses a --listen value: "HOST:PORT", "[IPV6]:PORT", "HOST" or "PORT"
 * (the missing half takes the default above). `host` receives a numeric
 * IPv4/IPv6 address or a host name of at most host_cap-1 bytes. Errors:
 * SOHOA_EINVAL with a message quoting the value. */
int sohoa_lookup_parse_listen(char *host, size_t host_cap, uint16_t *port, const char *spec);

/* libmicrohttpd's version, e.g. "libmicrohttpd 0.9.75". Never NULL. */
const char *sohoa_lookup_versions(void);

/* -------------------------------------------------------------- routes */
#define SOHOA_LOOKUP_MAX_TARGET 2048 /* bytes of a request target (path + query) */
#define SOHOA_LOOKUP_MAX_FILE 1024   /* bytes of a decoded package file path */
#define SOHOA_LOOKUP_MAX_DEPTH 16    /* directories in a package file path */

typedef enum {
	SOHOA_ROUTE_CITIZEN = 1, /* GET /v1/citizens/{id}/results */
	SOHOA_ROUTE_DOSSIER,     /* GET /v1/dossiers/{code} */
	SOHOA_ROUTE_PACKAGE_XML, /* GET /v1/packages/{code}/package.xml */
	SOHOA_ROUTE_PACKAGE_FILE,/* GET /v1/packages/{code}/files/{path} */
	SOHOA_ROUTE_SEARCH,      /* GET /v1/search?q=&agency=&type=&from=&to=&limit= */
} sohoa_lookup_endpoint;

/* A request target, decoded and checked. Strings are NUL-terminated; empty
 * when absent. */
typedef struct {
	sohoa_lookup_endpoint endpoint;
	char key[65];                        /* citizen id or dossier code */
	char file[SOHOA_LOOKUP_MAX_FILE + 1];/* package file, relative, no . or .. */
	char q[1025], agency[129], type[257], from[11], to[11];
	unsigned limit;                      /* 0 when not given */
} sohoa_lookup_route;

/* Parses a raw request target ("/v1/…?…", still percent-encoded). Each path
 * segment is decoded on its own, so an encoded '/' cannot make a new one;
 * segments "." and "..", empty segments, NUL, control characters, '\' and
 * names starting with '.' are refused. Errors: SOHOA_ENOTFOUND (no such
 * endpoint: 404), SOHOA_EINVAL (malformed: 400), SOHOA_ELIMIT (too long: 414
 * or 400); each with a message naming what is wrong. */
int sohoa_lookup_route_parse(sohoa_lookup_route *out, const char *target);

/* Percent-decodes `len` bytes of `in` into `out` (NUL-terminated), '+' as a
 * space when `plus`. Errors: SOHOA_EINVAL (bad escape, NUL, invalid UTF-8),
 * SOHOA_ELIMIT (more than cap-1 bytes). */
int sohoa_lookup_decode(char *out, size_t cap, const char *in, size_t len, int plus);

/* -------------------------------------------------------------- server */
typedef struct {
	const char *store;        /* store directory (catalog.sqlite, packages/) */
	const char *host;         /* numeric address; NULL gives 127.0.0.1 */
	uint16_t port;            /* 0 picks a free port (see sohoa_lookup_port) */
	unsigned threads;         /* worker threads; 0 gives 2 */
	double rate;              /* requests per second per agency; 0 gives 200 */
	double burst;             /* bucket size; 0 gives 2 * rate */
	unsigned timeout_s;       /* idle or slow connection cut after; 0 gives 10 */
	size_t max_request_bytes; /* request line + headers + body; 0 gives the
				   * default limit (64 KiB) */
	unsigned deadline_ms;     /* a request (TLS handshake, line, headers, body)
				   * not fully in this long after the connection
				   * or the previous request is dropped, however
				   * its bytes trickle; 0 gives 30000 */
	const char *tls_cert;     /* PEM server certificate (then its chain): TLS
				   * when given, with tls_key; NULL: plain HTTP */
	const char *tls_key;      /* PEM private key of tls_cert, unencrypted */
	const char *client_ca;    /* PEM CA certificates; when given (with TLS),
				   * a request is served only to a client whose
				   * certificate chains to one (403 otherwise),
				   * and still needs its agency token */
} sohoa_lookup_options;

typedef struct sohoa_lookup_server sohoa_lookup_server;

/* Opens the store's catalog and starts serving in background threads. The
 * caller owns *out and ends it with sohoa_lookup_stop. Errors: SOHOA_ENOTFOUND
 * (no catalog, or a TLS file missing), SOHOA_EINVAL (bad address, half the TLS
 * options), SOHOA_ECRYPTO (a TLS file that is not PEM, a key that is not the
 * certificate's; the message names the file), SOHOA_EIO (cannot listen),
 * SOHOA_EDB. */
int sohoa_lookup_start(sohoa_lookup_server **out, const sohoa_lookup_options *opt);
/* The port actually listened on. */
uint16_t sohoa_lookup_port(const sohoa_lookup_server *srv);
/* Stops accepting, finishes the requests in flight, frees; NULL is a no-op. */
void sohoa_lookup_stop(sohoa_lookup_server *srv);

#endif
