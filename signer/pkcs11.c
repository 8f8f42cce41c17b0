/* signer/pkcs11.c: keys on hardware tokens named by pkcs11: URIs (RFC 7512),
 * through libp11: the module is loaded, the token found and logged into once,
 * and the private key handed to the signing code as an ordinary EVP_PKEY. */
#include "signer/internal.h"

#include <ctype.h>
#include <libp11.h>
#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_MODULE "/usr/lib/softhsm/libsofthsm2.so"

typedef struct {
	char *token, *object, *serial, *module, *pin_source, *pin_value;
	unsigned char id[128];
	size_t id_len;
	int has_id;
} p11_uri;

static void uri_free(p11_uri *u)
{
	free(u->token);
	free(u->object);
	free(u->serial);
	free(u->module);
	free(u->pin_source);
	if (u->pin_value)
		OPENSSL_cleanse(u->pin_value, strlen(u->pin_value));
	free(u->pin_value);
}

/* Percent-decodes n bytes of s into a new string (and its length). */
static char *pct_decode(const char *s, size_t n, size_t *len)
{
	char *out = malloc(n + 1);
	size_t o = 0;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '%') {
			unsigned v;
			if (i + 2 >= n || !isxdigit((unsigned char)s[i + 1]) ||
			    !isxdigit((unsigned char)s[i + 2]) || sscanf(s + i + 1, "%2x", &v) != 1) {
				free(out);
				return NULL;
			}
			out[o++] = (char)v;
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	if (len)
		*len = o;
	return out;
}

static int uri_parse(p11_uri *u, const char *uri)
{
	const char *p = uri + strlen("pkcs11:");
	int in_query = 0;

	memset(u, 0, sizeof *u);
	while (*p) {
		size_t n = strcspn(p, in_query ? "&" : ";?");
		const char *eq = memchr(p, '=', n);
		char **slot = NULL, *val;
		size_t vlen = 0, klen;
		if (n && !eq)
			return -1;
		if (n) {
			klen = (size_t)(eq - p);
			val = pct_decode(eq + 1, n - klen - 1, &vlen);
			if (!val)
				return -1;
#define KEY(s) (klen == strlen(s) && strncmp(p, s, klen) == 0)
			if (!in_query && KEY("token"))
				slot = &u->token;
			else if (!in_query && KEY("object"))
				slot = &u->object;
			else if (!in_query && KEY("serial"))
				slot = &u->serial;
			else if (in_query && KEY("module-path"))
				slot = &u->module;
			else if (in_query && KEY("pin-source"))
				slot = &u->pin_source;
			else if (in_query && KEY("pin-value"))
				slot = &u->pin_value;
			else if (!in_query && KEY("id")) {
				if (vlen > sizeof u->id) {
					free(val);
					return -1;
				}
				memcpy(u->id, val, vlen);
				u->id_len = vlen;
				u->has_id = 1;
			}
#undef KEY
			if (slot) {
				free(*slot);
				*slot = val;
			} else {
				free(val);
			}
		}
		p += n;
		if (*p == '?')
			in_query = 1;
		if (*p)
			p++;
	}
	return 0;
}

static int key_matches(const PKCS11_KEY *k, const p11_uri *u)
{
	if (u->object && (!k->label || strcmp(k->label, u->object)))
		return 0;
	if (u->has_id && (k->id_len != u->id_len || memcmp(k->id, u->id, u->id_len)))
		return 0;
	return 1;
}

static int cert_matches(const PKCS11_CERT *c, const p11_uri *u)
{
	if (u->has_id)
		return c->id_len == u->id_len && memcmp(c->id, u->id, u->id_len) == 0;
	return u->object && c->label && strcmp(c->label, u->object) == 0;
}

static PKCS11_SLOT *find_slot(PKCS11_SLOT *slots, unsigned n, const p11_uri *u)
{
	for (unsigned i = 0; i < n; i++) {
		PKCS11_TOKEN *t = slots[i].token;
		if (!t || !t->initialized)
			continue;
		if (u->token && (!t->label || strcmp(t->label, u->token)))
			continue;
		if (u->serial && (!t->serialnr || strcmp(t->serialnr, u->serial)))
			continue;
		return &slots[i];
	}
	return NULL;
}

static int get_pin(char **pin, const p11_uri *u, const sohoa_signer_key_options *opt,
		   const char *label)
{
	char prompt[300], *src = NULL;
	int rc;

	if (u->pin_value)
		return (*pin = strdup(u->pin_value)) ? 0 : SOHOA_ENOMEM;
	if (opt && opt->pass)
		return sohoa_signer_pass_read(pin, opt->pass, "PIN", 1);
	if (u->pin_source) {
		if (asprintf(&src, "file:%s", strncmp(u->pin_source, "file:", 5) == 0
						      ? u->pin_source + 5
						      : u->pin_source) < 0)
			return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		rc = sohoa_signer_pass_read(pin, src, "PIN", 1);
		free(src);
		return rc;
	}
	snprintf(prompt, sizeof prompt, _("PIN of token %s"), label ? label : "?");
	return sohoa_signer_pass_read(pin, NULL, prompt, opt && opt->no_prompt);
}

int signer_pkcs11_open(sohoa_signer_key *k, const char *uri, const sohoa_signer_key_options *opt)
{
	p11_uri u;
	const char *module;
	PKCS11_SLOT *slot;
	PKCS11_KEY *keys = NULL;
	PKCS11_CERT *certs = NULL;
	unsigned nkeys = 0, ncerts = 0;
	char *pin = NULL;
	int rc = 0, logged = 0;

	if (uri_parse(&u, uri) < 0) {
		rc = sohoa_error_set(SOHOA_EINVAL, _("%s: malformed pkcs11: URI (RFC 7512)"), uri);
		goto cleanup;
	}
	module = u.module ? u.module
			  : (getenv("SOHOA_PKCS11_MODULE") ? getenv("SOHOA_PKCS11_MODULE")
							   : DEFAULT_MODULE);
	if (!(k->p11 = PKCS11_CTX_new()) || PKCS11_CTX_load(k->p11, module) < 0) {
		rc = sohoa_error_set(SOHOA_EDEPENDENCY, _("%s: cannot load the PKCS#11 module %s"),
				     uri, module);
		PKCS11_CTX_free(k->p11);
		k->p11 = NULL;
		goto cleanup;
	}
	if (PKCS11_enumerate_slots(k->p11, &k->slots, &k->nslots) < 0 ||
	    !(slot = find_slot(k->slots, k->nslots, &u))) {
		rc = sohoa_error_set(SOHOA_ENOTFOUND, _("%s: no such token (module %s)"), uri,
				     module);
		goto cleanup;
	}
	if (slot->token->loginRequired) {
		if ((rc = get_pin(&pin, &u, opt, slot->token->label)) < 0)
			goto cleanup;
		if (PKCS11_login(slot, 0, pin) < 0) {
			rc = sohoa_error_set(SOHOA_EAUTH, _("%s: the token refused the PIN"), uri);
			goto cleanup;
		}
		logged = 1;
	}
	if (PKCS11_enumerate_keys(slot->token, &keys, &nkeys) < 0) {
		rc = sohoa_error_set(SOHOA_EDEPENDENCY, _("%s: cannot list the token's keys"), uri);
		goto cleanup;
	}
	for (unsigned i = 0; i < nkeys && !k->pkey; i++)
		if (keys[i].isPrivate && key_matches(&keys[i], &u))
			k->pkey = PKCS11_get_private_key(&keys[i]);
	if (!k->pkey) {
		rc = sohoa_error_set(SOHOA_ENOTFOUND, _("%s: no matching private key on the token%s"),
				     uri, logged ? "" : _(" (not logged in)"));
		goto cleanup;
	}
	if (!(opt && opt->cert) && PKCS11_enumerate_certs(slot->token, &certs, &ncerts) == 0)
		for (unsigned i = 0; i < ncerts && !k->cert; i++)
			if (certs[i].x509 && cert_matches(&certs[i], &u))
				k->cert = X509_dup(certs[i].x509);
cleanup:
	ERR_clear_error();
	sohoa_signer_pass_free(pin);
	uri_free(&u);
	return rc;
}

void signer_pkcs11_close(sohoa_signer_key *k)
{
	if (k->slots)
		PKCS11_release_all_slots(k->p11, k->slots, k->nslots);
	if (k->p11) {
		PKCS11_CTX_unload(k->p11);
		PKCS11_CTX_free(k->p11);
	}
	k->slots = NULL;
	k->p11 = NULL;
}
