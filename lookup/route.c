/* lookup/route.c: request targets of the lookup service — percent-decoding,
 * the versioned endpoints, package file paths confined to the package and the
 * search parameters. Everything here reads untrusted bytes (fuzz_http_request). */
#include "lookup/lookup.h"

#include <stdlib.h>
#include <string.h>

#include "index/index.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 32;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int valid_utf8(const unsigned char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned c = s[i], k = c < 0x80             ? 0
				       : (c & 0xE0) == 0xC0 ? 1
				       : (c & 0xF0) == 0xE0 ? 2
				       : (c & 0xF8) == 0xF0 ? 3
							    : 9;
		if (k == 9 || (k == 1 && c < 0xC2) || i + k >= n)
			return 0;
		for (unsigned j = 1; j <= k; j++)
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
		if ((k == 2 && c == 0xE0 && s[i + 1] < 0xA0) ||
		    (k == 3 && c == 0xF0 && s[i + 1] < 0x90) || (k == 3 && c > 0xF4) ||
		    (k == 2 && c == 0xED && s[i + 1] >= 0xA0))
			return 0;
		i += k + 1;
	}
	return 1;
}

int sohoa_lookup_decode(char *out, size_t cap, const char *in, size_t len, int plus)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char c = in[i];
		if (c == '%') {
			int hi = len - i >= 3 ? hexval(in[i + 1]) : -1;
			int lo = len - i >= 3 ? hexval(in[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return sohoa_error_set(SOHOA_EINVAL,
						       _("bad percent escape in '%.*s'"),
						       (int)(len > 80 ? 80 : len), in);
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus) {
			c = ' ';
		}
		if (c == '\0' || (unsigned char)c < 0x20 || c == 0x7f)
			return sohoa_error_set(SOHOA_EINVAL, _("control character in '%.*s'"),
					       (int)(len > 80 ? 80 : len), in);
		if (o + 1 >= cap)
			return sohoa_error_set(SOHOA_ELIMIT, _("value longer than %zu bytes"),
					       cap - 1);
		out[o++] = c;
	}
	out[o] = '\0';
	if (!valid_utf8((const unsigned char *)out, o))
		return sohoa_error_set(SOHOA_EINVAL, _("invalid UTF-8 in '%.*s'"),
				       (int)(len > 80 ? 80 : len), in);
	return 0;
}

/* Splits the next path segment off *p (which points after a '/'), decoding it
 * into `out`. Refuses what could name something outside the intended tree. */
static int next_segment(char *out, size_t cap, const char **p, const char *end)
{
	const char *s = *p, *slash = memchr(s, '/', (size_t)(end - s));
	size_t n = slash ? (size_t)(slash - s) : (size_t)(end - s);
	int rc = sohoa_lookup_decode(out, cap, s, n, 0);

	*p = slash ? slash + 1 : end;
	if (rc < 0)
		return rc;
	if (!*out)
		return sohoa_error_set(SOHOA_EINVAL, _("empty path segment"));
	if (out[0] == '.' || strchr(out, '/') || strchr(out, '\\'))
		return sohoa_error_set(SOHOA_EINVAL, _("path segment '%s' is not allowed"), out);
	return 0;
}

/* The rest of the path as a package file: segments checked one by one and
 * joined with '/'. */
static int file_path(sohoa_lookup_route *r, const char *p, const char *end)
{
	char seg[256];
	size_t used = 0;
	int depth = 0, rc;

	if (p >= end)
		return sohoa_error_set(SOHOA_EINVAL, _("no file named after files/"));
	while (p < end) {
		rc = next_segment(seg, sizeof seg, &p, end);
		if (rc < 0)
			return rc;
		if (++depth > SOHOA_LOOKUP_MAX_DEPTH || used + strlen(seg) + 2 > sizeof r->file)
			return sohoa_error_set(SOHOA_ELIMIT, _("package file path too long"));
		used += (size_t)sprintf(r->file + used, "%s%s", used ? "/" : "", seg);
		if (p == end && end[-1] == '/')
			return sohoa_error_set(SOHOA_EINVAL, _("package file path ends with '/'"));
	}
	return 0;
}

static int set_param(sohoa_lookup_route *r, const char *k, size_t kn, const char *v, size_t vn)
{
	static const struct {
		const char *name;
		size_t off, cap;
	} params[] = {
		{"q", offsetof(sohoa_lookup_route, q), sizeof((sohoa_lookup_route *)0)->q},
		{"agency", offsetof(sohoa_lookup_route, agency),
		 sizeof((sohoa_lookup_route *)0)->agency},
		{"type", offsetof(sohoa_lookup_route, type), sizeof((sohoa_lookup_route *)0)->type},
		{"from", offsetof(sohoa_lookup_route, from), sizeof((sohoa_lookup_route *)0)->from},
		{"to", offsetof(sohoa_lookup_route, to), sizeof((sohoa_lookup_route *)0)->to},
	};
	char val[1025];
	int rc = sohoa_lookup_decode(val, sizeof val, v, vn, 1);

	if (rc < 0)
		return rc;
	if (kn == 5 && memcmp(k, "limit", 5) == 0) {
		char *e;
		long n = strtol(val, &e, 10);
		if (!*val || *e || val[0] < '0' || val[0] > '9' || n < 1 ||
		    n > SOHOA_INDEX_MAX_LIMIT)
			return sohoa_error_set(SOHOA_EINVAL, _("limit '%s': expected 1 to %d"), val,
					       SOHOA_INDEX_MAX_LIMIT);
		r->limit = (unsigned)n;
		return 0;
	}
	for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
		if (strlen(params[i].name) != kn || memcmp(params[i].name, k, kn) != 0)
			continue;
		if (strlen(val) >= params[i].cap)
			return sohoa_error_set(SOHOA_ELIMIT,
					       _("parameter '%s' longer than %zu bytes"),
					       params[i].name, params[i].cap - 1);
		memcpy((char *)r + params[i].off, val, strlen(val) + 1);
		return 0;
	}
	return sohoa_error_set(SOHOA_EINVAL, _("unknown parameter '%.*s'"),
			       (int)(kn > 40 ? 40 : kn), k);
}

static int parse_query(sohoa_lookup_route *r, const char *q)
{
	while (*q) {
		size_t n = strcspn(q, "&");
		const char *eq = memchr(q, '=', n);
		if (n > 0) {
			size_t kn = eq ? (size_t)(eq - q) : n;
			int rc = set_param(r, q, kn, eq ? eq + 1 : q + n, eq ? n - kn - 1 : 0);
			if (rc < 0)
				return rc;
		}
		q += n + (q[n] == '&');
	}
	if ((*r->from && !sohoa_index_valid_date(r->from)) ||
	    (*r->to && !sohoa_index_valid_date(r->to)))
		return sohoa_error_set(SOHOA_EINVAL, _("from/to: dates are YYYY-MM-DD"));
	return 0;
}

int sohoa_lookup_route_parse(sohoa_lookup_route *r, const char *target)
{
	const char *qm, *end, *p;
	char seg[3][256];
	size_t len = strlen(target);
	int rc;

	memset(r, 0, sizeof *r);
	if (len > SOHOA_LOOKUP_MAX_TARGET)
		return sohoa_error_set(SOHOA_ELIMIT, _("request target longer than %d bytes"),
				       SOHOA_LOOKUP_MAX_TARGET);
	qm = strchr(target, '?');
	end = qm ? qm : target + len;
	if (strncmp(target, "/v1/", 4) != 0 || target + 4 > end)
		return sohoa_error_set(SOHOA_ENOTFOUND, _("no such endpoint"));
	p = target + 4;
	rc = next_segment(seg[0], sizeof seg[0], &p, end);
	if (rc < 0)
		return rc == SOHOA_EINVAL ? sohoa_error_set(SOHOA_ENOTFOUND, _("no such endpoint"))
					  : rc;
	if (strcmp(seg[0], "search") == 0 && p == end && end[-1] != '/') {
		r->endpoint = SOHOA_ROUTE_SEARCH;
		return qm ? parse_query(r, qm + 1) : 0;
	}
	if (qm && qm[1])
		return sohoa_error_set(SOHOA_EINVAL, _("this endpoint takes no parameters"));
	if (p >= end)
		return sohoa_error_set(SOHOA_ENOTFOUND, _("no such endpoint"));
	rc = next_segment(seg[1], sizeof seg[1], &p, end);
	if (rc < 0)
		return rc;
	if (strcmp(seg[0], "citizens") != 0 && strcmp(seg[0], "dossiers") != 0 &&
	    strcmp(seg[0], "packages") != 0)
		return sohoa_error_set(SOHOA_ENOTFOUND, _("no such endpoint"));
	if (strcmp(seg[0], "citizens") == 0 ? !sohoa_index_valid_citizen_id(seg[1])
					    : !sohoa_index_valid_dossier_code(seg[1]))
		return sohoa_error_set(SOHOA_EINVAL, _("'%s' is not a valid %s"), seg[1],
				       strcmp(seg[0], "citizens") == 0 ? _("citizen id")
								       : _("dossier code"));
	memcpy(r->key, seg[1], strlen(seg[1]) + 1); /* valid ids and codes fit */
	if (strcmp(seg[0], "dossiers") == 0 && p == end && end[-1] != '/') {
		r->endpoint = SOHOA_ROUTE_DOSSIER;
		return 0;
	}
	if (p >= end || (rc = next_segment(seg[2], sizeof seg[2], &p, end)) < 0)
		return rc < 0 ? rc : sohoa_error_set(SOHOA_ENOTFOUND, _("no such endpoint"));
	if (strcmp(seg[0], "citizens") == 0 && strcmp(seg[2], "results") == 0 && p == end &&
	    end[-1] != '/')
		r->endpoint = SOHOA_ROUTE_CITIZEN;
	else if (strcmp(seg[0], "packages") == 0 && strcmp(seg[2], "package.xml") == 0 &&
		 p == end && end[-1] != '/')
		r->endpoint = SOHOA_ROUTE_PACKAGE_XML;
	else if (strcmp(seg[0], "packages") == 0 && strcmp(seg[2], "files") == 0)
		return (r->endpoint = SOHOA_ROUTE_PACKAGE_FILE), file_path(r, p, end);
	else
		return sohoa_error_set(SOHOA_ENOTFOUND, _("no such endpoint"));
	return 0;
}
