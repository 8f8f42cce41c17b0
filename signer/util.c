/* signer/util.c: small helpers the signing and verifying code share — element
 * navigation, base64, xsd:dateTime, certificate digests and IssuerSerial. */
#include "signer/internal.h"

#include <ctype.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>

int signer_is(xmlNodePtr node, const char *ns, const char *name)
{
	if (!node || node->type != XML_ELEMENT_NODE || strcmp((const char *)node->name, name))
		return 0;
	if (!ns)
		return node->ns == NULL;
	return node->ns && node->ns->href && strcmp((const char *)node->ns->href, ns) == 0;
}

xmlNodePtr signer_next_el(xmlNodePtr node)
{
	for (node = node ? node->next : NULL; node; node = node->next)
		if (node->type == XML_ELEMENT_NODE)
			return node;
	return NULL;
}

xmlNodePtr signer_first_el(xmlNodePtr parent)
{
	xmlNodePtr n = parent ? parent->children : NULL;
	return n && n->type == XML_ELEMENT_NODE ? n : signer_next_el(n);
}

xmlNodePtr signer_child(xmlNodePtr parent, const char *ns, const char *name)
{
	for (xmlNodePtr n = signer_first_el(parent); n; n = signer_next_el(n))
		if (signer_is(n, ns, name))
			return n;
	return NULL;
}

const char *signer_attr(xmlNodePtr node, const char *name)
{
	for (xmlAttrPtr a = node ? node->properties : NULL; a; a = a->next)
		if (!a->ns && strcmp((const char *)a->name, name) == 0)
			return a->children && a->children->type == XML_TEXT_NODE &&
					       !a->children->next
				       ? (const char *)a->children->content
				       : "";
	return NULL;
}

char *signer_text(xmlNodePtr node)
{
	xmlChar *t = xmlNodeGetContent(node);
	const char *s = t ? (const char *)t : "";
	size_t len;
	char *out;

	while (*s && isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len > 0 && isspace((unsigned char)s[len - 1]))
		len--;
	out = strndup(s, len);
	xmlFree(t);
	return out;
}

char *signer_b64(const unsigned char *data, size_t len)
{
	char *out = malloc(4 * ((len + 2) / 3) + 1);
	if (out)
		EVP_EncodeBlock((unsigned char *)out, data, (int)len);
	return out;
}

int signer_unb64(unsigned char **out, size_t *len, const char *text)
{
	size_t n = 0, pad = 0, cap = strlen(text);
	char *clean = malloc(cap + 1);
	unsigned char *bin;
	int got;

	*out = NULL;
	*len = 0;
	if (!clean)
		return -1;
	for (const char *p = text; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			continue;
		if (!isalnum((unsigned char)*p) && *p != '+' && *p != '/' && *p != '=') {
			free(clean);
			return -1;
		}
		clean[n++] = *p;
	}
	clean[n] = '\0';
	if (n == 0 || n % 4 != 0) {
		free(clean);
		return -1;
	}
	/* '=' only as the last one or two characters */
	for (size_t i = 0; i < n; i++)
		if (clean[i] == '=' && i < n - 2) {
			free(clean);
			return -1;
		}
	pad = (clean[n - 1] == '=') + (clean[n - 2] == '=');
	if (clean[n - 2] == '=' && clean[n - 1] != '=') {
		free(clean);
		return -1;
	}
	bin = malloc(n / 4 * 3 + 1);
	if (!bin) {
		free(clean);
		return -1;
	}
	got = EVP_DecodeBlock(bin, (unsigned char *)clean, (int)n);
	free(clean);
	if (got < 0 || (size_t)got < pad) {
		free(bin);
		return -1;
	}
	*out = bin;
	*len = (size_t)got - pad;
	return 0;
}

void signer_format_time(char out[32], time_t t)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int signer_parse_time(time_t *out, const char *s)
{
	struct tm tm = {0};
	int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
	const char *p;

	if (strlen(s) < 19 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) || s[10] != 'T' || digits(s + 11, 2, &h) ||
	    s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &sec))
		return -1;
	p = s + 19;
	if (*p == '.') { /* fractional seconds are ignored */
		p++;
		if (!isdigit((unsigned char)*p))
			return -1;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '+' ? 1 : -1;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om))
			return -1;
		p += 6;
	} else {
		return -1; /* a time without zone is ambiguous */
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60 ||
	    oh > 14 || om > 59)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*out = timegm(&tm) - sign * (oh * 3600 + om * 60);
	return 0;
}

int signer_cert_digest(unsigned char *out, unsigned int *outlen, X509 *cert, const char *md)
{
	const EVP_MD *m = EVP_get_digestbyname(md ? md : "SHA256");
	return m && X509_digest(cert, m, out, outlen) == 1 ? 0 : -1;
}

/* DER length octets for `len`; returns how many were written (<= 5). */
static size_t der_len(unsigned char *p, size_t len)
{
	if (len < 0x80) {
		p[0] = (unsigned char)len;
		return 1;
	}
	size_t n = 0;
	for (size_t l = len; l; l >>= 8)
		n++;
	p[0] = (unsigned char)(0x80 | n);
	for (size_t i = 0; i < n; i++)
		p[1 + i] = (unsigned char)(len >> (8 * (n - 1 - i)));
	return n + 1;
}

int signer_issuer_serial_der(unsigned char **out, size_t *len, X509 *cert)
{
	GENERAL_NAMES *names = sk_GENERAL_NAME_new_null();
	GENERAL_NAME *gn = GENERAL_NAME_new();
	X509_NAME *issuer = X509_NAME_dup(X509_get_issuer_name(cert));
	unsigned char *gder = NULL, *sder = NULL, *buf = NULL, hdr[6];
	int glen = -1, slen = -1, rc = -1;
	size_t hlen, total;

	*out = NULL;
	if (!names || !gn || !issuer)
		goto cleanup;
	GENERAL_NAME_set0_value(gn, GEN_DIRNAME, issuer);
	issuer = NULL;
	if (!sk_GENERAL_NAME_push(names, gn))
		goto cleanup;
	gn = NULL;
	glen = i2d_GENERAL_NAMES(names, &gder);
	slen = i2d_ASN1_INTEGER(X509_get_serialNumber(cert), &sder);
	if (glen <= 0 || slen <= 0)
		goto cleanup;
	hdr[0] = 0x30;
	hlen = 1 + der_len(hdr + 1, (size_t)glen + (size_t)slen);
	total = hlen + (size_t)glen + (size_t)slen;
	buf = OPENSSL_malloc(total);
	if (!buf)
		goto cleanup;
	memcpy(buf, hdr, hlen);
	memcpy(buf + hlen, gder, (size_t)glen);
	memcpy(buf + hlen + glen, sder, (size_t)slen);
	*out = buf;
	*len = total;
	rc = 0;
cleanup:
	OPENSSL_free(gder);
	OPENSSL_free(sder);
	GENERAL_NAME_free(gn);
	X509_NAME_free(issuer);
	GENERAL_NAMES_free(names);
	return rc;
}

char *signer_subject(X509 *cert)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data, *out = NULL;
	long n;

	if (!b)
		return NULL;
	if (X509_NAME_print_ex(b, X509_get_subject_name(cert), 0,
			       XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB & ~XN_FLAG_SPC_EQ) >= 0) {
		n = BIO_get_mem_data(b, &data);
		out = strndup(data, (size_t)n);
	}
	BIO_free(b);
	return out;
}
