/* lookup/lookup.h: the one public header of lookup/ — the HTTP reuse service
 * for other agencies (libmicrohttpd). It starts with the listen address. */
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

#endif
