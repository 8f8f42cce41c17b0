/* fuzz/fuzz_http_request.c: libFuzzer target feeding arbitrary request targets
 * to sohoa_lookup_route_parse (path segments, percent-decoding, the search
 * parameters), checking that whatever it accepts stays inside the contract:
 * a known endpoint, a valid key, a package file path with no way out. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "index/index.h"
#include "lookup/lookup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A relative path of plain names: no empty, "." or ".." segment, no
 * backslash, no control character, no leading '.'. */
static int confined(const char *p)
{
	if (!*p || *p == '/')
		return 0;
	for (const char *s = p; *s;) {
		size_t n = strcspn(s, "/");
		if (n == 0 || s[0] == '.')
			return 0;
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)s[i] < 0x20 || s[i] == '\\' || s[i] == 0x7f)
				return 0;
		s += n;
		if (*s == '/' && !*++s)
			return 0;
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sohoa_lookup_route r;
	char *target = malloc(size + 1), out[64];
	int rc;

	if (!target)
		return 0;
	memcpy(target, data, size);
	target[size] = '\0';
	rc = sohoa_lookup_route_parse(&r, target);
	if (rc == 0) {
		switch (r.endpoint) {
		case SOHOA_ROUTE_CITIZEN:
			if (!sohoa_index_valid_citizen_id(r.key))
				abort();
			break;
		case SOHOA_ROUTE_DOSSIER:
		case SOHOA_ROUTE_PACKAGE_XML:
			if (!sohoa_index_valid_dossier_code(r.key))
				abort();
			break;
		case SOHOA_ROUTE_PACKAGE_FILE:
			if (!sohoa_index_valid_dossier_code(r.key) || !confined(r.file))
				abort();
			break;
		case SOHOA_ROUTE_SEARCH:
			if ((*r.from && !sohoa_index_valid_date(r.from)) ||
			    r.limit > SOHOA_INDEX_MAX_LIMIT)
				abort();
			break;
		default: abort(); /* accepted without an endpoint */
		}
	} else if ((rc != SOHOA_EINVAL && rc != SOHOA_ENOTFOUND && rc != SOHOA_ELIMIT) ||
		   !*sohoa_error_last()) {
		abort(); /* refused without the promised code or message */
	}
	/* The decoder alone, into a small buffer. */
	rc = sohoa_lookup_decode(out, sizeof out, target, size, size & 1);
	if (rc == 0 && strlen(out) >= sizeof out)
		abort();
	free(target);
	return 0;
}
