/* lookup/listen.c: parsing and checking the service's listen address. */
#include "lookup/lookup.h"

#include <ctype.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_port(uint16_t *port, const char *s, const char *spec)
{
	char *end;
	long v;

	if (!*s || !isdigit((unsigned char)*s))
		goto bad;
	v = strtol(s, &end, 10);
	if (*end || v < 1 || v > 65535)
		goto bad;
	*port = (uint16_t)v;
	return 0;
bad:
	return sohoa_error_set(SOHOA_EINVAL, _("--listen '%s': port must be 1 to 65535"), spec);
}

static int valid_host(const char *h, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)h[i]) && !strchr(".-:", h[i]))
			return 0;
	return 1;
}

int sohoa_lookup_parse_listen(char *host, size_t host_cap, uint16_t *port, const char *spec)
{
	const char *h = spec, *colon;
	size_t hlen;

	*port = SOHOA_LOOKUP_DEFAULT_PORT;
	snprintf(host, host_cap, "%s", SOHOA_LOOKUP_DEFAULT_HOST);
	if (!spec || !*spec)
		return sohoa_error_set(SOHOA_EINVAL, _("--listen '%s': empty address"),
				       spec ? spec : "");
	if (*spec == '[') { /* [v6]:port */
		const char *close = strchr(spec, ']');
		if (!close || (close[1] && close[1] != ':'))
			return sohoa_error_set(SOHOA_EINVAL, _("--listen '%s': bad IPv6 address"), spec);
		h = spec + 1;
		hlen = (size_t)(close - h);
		colon = close[1] ? close + 1 : NULL;
	} else {
		colon = strrchr(spec, ':');
		if (colon && strchr(spec, ':') != colon)
			return sohoa_error_set(SOHOA_EINVAL,
					       _("--listen '%s': write IPv6 addresses as [ADDR]:PORT"),
					       spec);
		if (!colon && isdigit((unsigned char)*spec) && !strchr(spec, '.'))
			return parse_port(port, spec, spec); /* just a port */
		hlen = colon ? (size_t)(colon - spec) : strlen(spec);
	}
	if (colon && parse_port(port, colon + 1, spec) < 0)
		return SOHOA_EINVAL;
	if (hlen == 0 && !colon)
		return sohoa_error_set(SOHOA_EINVAL, _("--listen '%s': no address"), spec);
	if (hlen == 0)
		return 0; /* ":PORT" keeps the default host */
	if (!valid_host(h, hlen) || hlen >= host_cap)
		return sohoa_error_set(SOHOA_EINVAL, _("--listen '%s': bad host name"), spec);
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	return 0;
}

static char versions[64];
static pthread_once_t versions_once = PTHREAD_ONCE_INIT;

static void fill_versions(void)
{
	snprintf(versions, sizeof versions, "libmicrohttpd %s", MHD_get_version());
}

const char *sohoa_lookup_versions(void)
{
	pthread_once(&versions_once, fill_versions);
	return versions;
}
