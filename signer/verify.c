/* signer/verify.c: verification of every XAdES signature of a package, with
 * the hardening of docs/signatures.md (unique Ids, references only to #content
 * and the signature's own SignedProperties, exclusive c14n only) and a result
 * per signature in ETSI EN 319 102-1 terms. */
#include "signer/internal.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "formats/formats.h"

struct sohoa_signer_verifier {
	X509_STORE *store;
	int anchors;
	STACK_OF(X509_CRL) *crls; /* NULL: revocation not checked */
	time_t now;
	signer_vcache *cache; /* decoded certificates, verified chains */
};

/* ------------------------------------------------------------ verifier */

static int read_pem_file(BIO **out, char **data, const char *path, const char *what)
{
	size_t len = 0;
	int rc = sohoa_file_read(data, &len, path, 16u << 20);
	if (rc < 0)
		return sohoa_error_prefix("%s: ", what);
	*out = BIO_new_mem_buf(*data, (int)len);
	return *out ? 0 : sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
}

static int load_trust(sohoa_signer_verifier *v, const char *path)
{
	char *data = NULL;
	BIO *bio = NULL;
	X509 *c;
	int rc = read_pem_file(&bio, &data, path, "--trust");

	while (rc == 0 && (c = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
		if (X509_STORE_add_cert(v->store, c) == 1)
			v->anchors++;
		X509_free(c);
	}
	ERR_clear_error();
	if (rc == 0 && v->anchors == 0)
		rc = sohoa_error_set(SOHOA_EFORMAT, _("--trust %s: no PEM certificate in it"), path);
	BIO_free(bio);
	free(data);
	return rc;
}

static int load_crls(sohoa_signer_verifier *v, const char *path)
{
	char *data = NULL;
	BIO *bio = NULL;
	X509_CRL *crl;
	int rc = read_pem_file(&bio, &data, path, "--crl");

	if (rc == 0 && !(v->crls = sk_X509_CRL_new_null()))
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	while (rc == 0 && (crl = PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL)))
		if (!sk_X509_CRL_push(v->crls, crl))
			X509_CRL_free(crl);
	ERR_clear_error();
	if (rc == 0 && sk_X509_CRL_num(v->crls) == 0)
		rc = sohoa_error_set(SOHOA_EFORMAT, _("--crl %s: no PEM CRL in it"), path);
	BIO_free(bio);
	free(data);
	return rc;
}

int sohoa_signer_verifier_new(sohoa_signer_verifier **out, const char *trust_pem,
			      const char *crl_pem)
{
	sohoa_signer_verifier *v = calloc(1, sizeof *v);
	int rc = 0;

	*out = NULL;
	if (!v || !(v->store = X509_STORE_new())) {
		free(v);
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	}
	if ((rc = signer_vcache_new(&v->cache)) < 0) {
		sohoa_signer_verifier_free(v);
		return rc;
	}
	if ((trust_pem && (rc = load_trust(v, trust_pem)) < 0) ||
	    (crl_pem && (rc = load_crls(v, crl_pem)) < 0)) {
		sohoa_signer_verifier_free(v);
		return rc;
	}
	*out = v;
	return 0;
}

void sohoa_signer_verifier_free(sohoa_signer_verifier *v)
{
	if (!v)
		return;
	X509_STORE_free(v->store);
	signer_vcache_free(v->cache);
	sk_X509_CRL_pop_free(v->crls, X509_CRL_free);
	free(v);
}

void sohoa_signer_verifier_set_time(sohoa_signer_verifier *v, time_t now)
{
	v->now = now;
}

/* ------------------------------------------------------------- results */

typedef struct {
	const sohoa_signer_verifier *v;
	const char *name;
	xmlNodePtr content;
	signer_ids ids;
	time_t now;
} vctx;

typedef struct {
	xmlNodePtr el, target;
	int with_comments;
	xmlChar **prefixes;
	const digest_alg *md;
	unsigned char *digest;
	size_t digest_len;
	const char *uri;
} vref;

typedef struct {
	xmlNodePtr sig, si, sv, ki, sp, ssp, signing_cert;
	int si_comments;
	xmlChar **si_prefixes;
	const sig_alg *alg;
	vref refs[2]; /* [0] #content, [1] SignedProperties */
	STACK_OF(X509) *certs;
	X509 *signer; /* one of certs */
	time_t signing_time;
	xmlNodePtr ts[4]; /* xades:SignatureTimeStamp elements */
	int nts;
	int has_poe;  /* a valid SignatureTimeStamp proves the signature existed at */
	time_t poe;   /* the earliest genTime of them */
} vsig;

/* Records the verdict (the first one given wins) and returns 1. */
__attribute__((format(printf, 4, 5))) static int verdict(sohoa_signer_result *r,
							  sohoa_signer_indication ind,
							  sohoa_signer_subindication sub,
							  const char *fmt, ...)
{
	va_list ap;
	r->indication = ind;
	r->sub = sub;
	free(r->detail);
	r->detail = NULL;
	va_start(ap, fmt);
	if (vasprintf(&r->detail, fmt, ap) < 0)
		r->detail = NULL;
	va_end(ap);
	return 1;
}

#define FAILED SOHOA_SIGNER_TOTAL_FAILED
#define INDET SOHOA_SIGNER_INDETERMINATE
#define format_failure(r, ...) verdict(r, FAILED, SOHOA_SIGNER_FORMAT_FAILURE, __VA_ARGS__)
#define ts_failure(r, ...) verdict(r, INDET, SOHOA_SIGNER_SIG_CONSTRAINTS_FAILURE, __VA_ARGS__)
#define MAX_TIMESTAMPS 4
#define SIGNING_TIME_SLACK 300 /* s a SigningTime may be after the timestamp's */

static const char *el_name(xmlNodePtr n)
{
	return n ? (const char *)n->name : "?";
}

/* ----------------------------------------------------- structure checks */

static void free_prefixes(xmlChar **p)
{
	for (size_t i = 0; p && p[i]; i++)
		xmlFree(p[i]);
	free(p);
}

/* Reads an exc-c14n Algorithm and its optional InclusiveNamespaces PrefixList
 * from `method` (a CanonicalizationMethod or Transform). 0, or 1 with a
 * verdict, or 2 when the algorithm is not exclusive c14n (caller decides). */
static int parse_c14n(int *with_comments, xmlChar ***prefixes, xmlNodePtr method,
		      sohoa_signer_result *r)
{
	const char *alg = signer_attr(method, "Algorithm");
	xmlNodePtr child = signer_first_el(method);
	const char *list;
	size_t n = 0;

	if (!alg || (strcmp(alg, URI_EXC_C14N) && strcmp(alg, URI_EXC_C14N_COMMENTS)))
		return 2;
	*with_comments = strcmp(alg, URI_EXC_C14N_COMMENTS) == 0;
	if (!child)
		return 0;
	if (!signer_is(child, URI_EXC_C14N, "InclusiveNamespaces") || signer_next_el(child))
		return format_failure(r, "line %ld: <%s> inside <%s> is not allowed",
				      xmlGetLineNo(child), el_name(child), el_name(method));
	list = signer_attr(child, "PrefixList");
	if (!list)
		return 0;
	*prefixes = calloc(strlen(list) / 2 + 2, sizeof **prefixes);
	if (!*prefixes)
		return -1;
	for (const char *p = list; *p;) {
		size_t len;
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		len = strcspn(p, " \t\r\n");
		if (len && !((*prefixes)[n++] = xmlStrndup(BAD_CAST p, (int)len)))
			return -1;
		p += len;
	}
	return 0;
}

static int parse_transforms(vref *ref, xmlNodePtr transforms, sohoa_signer_result *r)
{
	int c14n_seen = 0, rc;

	for (xmlNodePtr t = signer_first_el(transforms); t; t = signer_next_el(t)) {
		const char *alg = signer_attr(t, "Algorithm");
		if (!signer_is(t, NS_DS, "Transform") || !alg)
			return format_failure(r, "line %ld: <%s> is not a ds:Transform",
					      xmlGetLineNo(t), el_name(t));
		if (c14n_seen)
			return format_failure(r, "line %ld: exclusive c14n must be the last transform",
					      xmlGetLineNo(t));
		if (strcmp(alg, URI_ENVELOPED) == 0) {
			if (signer_first_el(t))
				return format_failure(r, "line %ld: enveloped-signature transform "
							 "with content",
						      xmlGetLineNo(t));
			continue;
		}
		rc = parse_c14n(&ref->with_comments, &ref->prefixes, t, r);
		if (rc == 2)
			return format_failure(r,
					      "line %ld: transform %s is not allowed (only exclusive "
					      "c14n and enveloped-signature)",
					      xmlGetLineNo(t), alg);
		if (rc)
			return rc;
		c14n_seen = 1;
	}
	if (!c14n_seen)
		return format_failure(r, "line %ld: reference without exclusive c14n transform",
				      xmlGetLineNo(transforms));
	return 0;
}

static int parse_reference(vctx *c, vsig *s, xmlNodePtr el, sohoa_signer_result *r)
{
	const char *uri = signer_attr(el, "URI"), *why = NULL;
	xmlNodePtr n = signer_first_el(el), target;
	vref ref = {.el = el, .uri = uri};
	int is_content, rc;
	char *text;

	if (!uri || !*uri)
		return format_failure(r, "line %ld: a reference to the whole document (no or empty "
					 "URI) is not allowed",
				      xmlGetLineNo(el));
	if (uri[0] != '#')
		return format_failure(r, "line %ld: external reference \"%s\" is not allowed",
				      xmlGetLineNo(el), uri);
	if (strncmp(uri, "#xpointer(", 10) == 0 || !uri[1])
		return format_failure(r, "line %ld: reference \"%s\" is not allowed",
				      xmlGetLineNo(el), uri);
	if (!signer_is(n, NS_DS, "Transforms"))
		return format_failure(r, "line %ld: reference %s without exclusive c14n transform",
				      xmlGetLineNo(el), uri);
	if ((rc = parse_transforms(&ref, n, r)) != 0)
		goto done;
	n = signer_next_el(n);
	rc = 1;
	if (!signer_is(n, NS_DS, "DigestMethod") ||
	    !signer_is(signer_next_el(n), NS_DS, "DigestValue") ||
	    signer_next_el(signer_next_el(n))) {
		format_failure(r, "line %ld: reference %s: expected Transforms, DigestMethod, "
				  "DigestValue",
			       xmlGetLineNo(el), uri);
		goto done;
	}
	if (!(ref.md = signer_digest_alg(signer_attr(n, "Algorithm")))) {
		format_failure(r, "line %ld: reference %s: unknown digest method", xmlGetLineNo(n),
			       uri);
		goto done;
	}
	text = signer_text(signer_next_el(n));
	if (!text || signer_unb64(&ref.digest, &ref.digest_len, text) < 0) {
		free(text);
		format_failure(r, "line %ld: reference %s: DigestValue is not base64",
			       xmlGetLineNo(n), uri);
		goto done;
	}
	free(text);
	target = signer_ids_resolve(&c->ids, uri + 1, &why);
	is_content = strcmp(uri, "#content") == 0;
	if (!target) {
		format_failure(r, "line %ld: reference %s: %s", xmlGetLineNo(el), uri, why);
		goto done;
	}
	if (is_content ? target != c->content : target != s->sp) {
		format_failure(r,
			       "line %ld: reference %s selects <%s> on line %ld; only the package's "
			       "Content and this signature's own SignedProperties may be signed",
			       xmlGetLineNo(el), uri, el_name(target), xmlGetLineNo(target));
		goto done;
	}
	if (s->refs[is_content ? 0 : 1].el) {
		format_failure(r, "line %ld: %s is referenced twice", xmlGetLineNo(el), uri);
		goto done;
	}
	ref.target = target;
	s->refs[is_content ? 0 : 1] = ref;
	return 0;
done:
	free_prefixes(ref.prefixes);
	free(ref.digest);
	return rc;
}

static int parse_signed_info(vctx *c, vsig *s, sohoa_signer_result *r)
{
	xmlNodePtr cm = signer_first_el(s->si), sm = signer_next_el(cm), ref;
	int rc;

	if (!signer_is(cm, NS_DS, "CanonicalizationMethod") || !signer_is(sm, NS_DS, "SignatureMethod"))
		return format_failure(r, "line %ld: SignedInfo must start with CanonicalizationMethod "
					 "and SignatureMethod",
				      xmlGetLineNo(s->si));
	rc = parse_c14n(&s->si_comments, &s->si_prefixes, cm, r);
	if (rc == 2)
		return format_failure(r, "line %ld: canonicalisation %s is not allowed (only "
					 "exclusive c14n)",
				      xmlGetLineNo(cm), signer_attr(cm, "Algorithm"));
	if (rc)
		return rc;
	if (signer_first_el(sm))
		return format_failure(r, "line %ld: SignatureMethod parameters are not allowed",
				      xmlGetLineNo(sm));
	if (!(s->alg = signer_sig_alg(signer_attr(sm, "Algorithm"))))
		return format_failure(r, "line %ld: signature method %s is not supported",
				      xmlGetLineNo(sm),
				      signer_attr(sm, "Algorithm") ? signer_attr(sm, "Algorithm") : "(none)");
	for (ref = signer_next_el(sm); ref; ref = signer_next_el(ref)) {
		if (!signer_is(ref, NS_DS, "Reference"))
			return format_failure(r, "line %ld: <%s> is not allowed in SignedInfo",
					      xmlGetLineNo(ref), el_name(ref));
		if ((rc = parse_reference(c, s, ref, r)) != 0)
			return rc;
	}
	if (!s->refs[0].el)
		return format_failure(r, "line %ld: no reference to #content", xmlGetLineNo(s->si));
	if (!s->refs[1].el)
		return format_failure(r, "line %ld: no reference to the SignedProperties",
				      xmlGetLineNo(s->si));
	return 0;
}

static int parse_key_info(const vctx *c, vsig *s, sohoa_signer_result *r)
{
	for (xmlNodePtr n = signer_first_el(s->ki); n; n = signer_next_el(n)) {
		if (signer_is(n, NS_DS, "KeyName") || signer_is(n, NS_DS, "KeyValue"))
			continue;
		if (!signer_is(n, NS_DS, "X509Data"))
			return format_failure(r, "line %ld: <%s> is not allowed in KeyInfo",
					      xmlGetLineNo(n), el_name(n));
		for (xmlNodePtr x = signer_first_el(n); x; x = signer_next_el(x)) {
			unsigned char *der = NULL;
			size_t len = 0;
			char *text;
			X509 *cert;
			if (!signer_is(x, NS_DS, "X509Certificate"))
				continue; /* IssuerSerial, SubjectName, SKI: informative */
			text = signer_text(x);
			if (!text || signer_unb64(&der, &len, text) < 0) {
				free(text);
				return format_failure(r, "line %ld: X509Certificate is not base64",
						      xmlGetLineNo(x));
			}
			free(text);
			cert = signer_vcache_d2i(c->v->cache, der, len);
			free(der);
			if (!cert) {
				return format_failure(r, "line %ld: X509Certificate is not a "
							 "certificate",
						      xmlGetLineNo(x));
			}
			if (!sk_X509_push(s->certs, cert)) {
				X509_free(cert);
				return -1;
			}
		}
	}
	return 0;
}

static char *claimed_role(xmlNodePtr ssp)
{
	xmlNodePtr role = signer_child(ssp, NS_XADES, "SignerRoleV2");
	if (!role)
		role = signer_child(ssp, NS_XADES, "SignerRole");
	role = signer_child(signer_child(role, NS_XADES, "ClaimedRoles"), NS_XADES, "ClaimedRole");
	return role ? signer_text(role) : NULL;
}

static int parse_properties(vsig *s, sohoa_signer_result *r)
{
	xmlNodePtr qp = NULL, st;
	const char *target, *sig_id = signer_attr(s->sig, "Id");
	char *text;

	for (xmlNodePtr o = signer_first_el(s->sig); o; o = signer_next_el(o)) {
		if (!signer_is(o, NS_DS, "Object"))
			continue;
		for (xmlNodePtr q = signer_first_el(o); q; q = signer_next_el(q)) {
			if (!signer_is(q, NS_XADES, "QualifyingProperties"))
				continue;
			if (qp)
				return format_failure(r, "line %ld: more than one QualifyingProperties",
						      xmlGetLineNo(q));
			qp = q;
		}
	}
	if (!qp)
		return format_failure(r, "line %ld: no XAdES QualifyingProperties (%s)",
				      xmlGetLineNo(s->sig), NS_XADES);
	target = signer_attr(qp, "Target");
	if (!target || target[0] != '#' || strcmp(target + 1, sig_id))
		return format_failure(r, "line %ld: QualifyingProperties Target is not this "
					 "signature (#%s)",
				      xmlGetLineNo(qp), sig_id);
	s->sp = signer_child(qp, NS_XADES, "SignedProperties");
	s->ssp = signer_child(s->sp, NS_XADES, "SignedSignatureProperties");
	if (!s->ssp)
		return format_failure(r, "line %ld: no SignedProperties/SignedSignatureProperties",
				      xmlGetLineNo(qp));
	st = signer_child(s->ssp, NS_XADES, "SigningTime");
	text = st ? signer_text(st) : NULL;
	r->signing_time = text;
	if (!text || signer_parse_time(&s->signing_time, text) < 0)
		return format_failure(r, "line %ld: missing or malformed SigningTime",
				      xmlGetLineNo(st ? st : s->ssp));
	s->signing_cert = signer_child(s->ssp, NS_XADES, "SigningCertificateV2");
	if (!s->signing_cert)
		s->signing_cert = signer_child(s->ssp, NS_XADES, "SigningCertificate");
	if (!s->signing_cert)
		return format_failure(r, "line %ld: no SigningCertificateV2", xmlGetLineNo(s->ssp));
	r->role = claimed_role(s->ssp);
	st = signer_child(signer_child(qp, NS_XADES, "UnsignedProperties"), NS_XADES,
			  "UnsignedSignatureProperties");
	for (xmlNodePtr n = signer_first_el(st); n; n = signer_next_el(n)) {
		if (!signer_is(n, NS_XADES, "SignatureTimeStamp"))
			continue;
		if (s->nts == MAX_TIMESTAMPS)
			return format_failure(r, "line %ld: more than %d SignatureTimeStamp",
					      xmlGetLineNo(n), MAX_TIMESTAMPS);
		s->ts[s->nts++] = n;
	}
	return 0;
}

static int parse_signature(vctx *c, vsig *s, sohoa_signer_result *r)
{
	xmlNodePtr n = signer_first_el(s->sig);
	int rc;

	if (!r->id)
		return format_failure(r, "line %ld: ds:Signature without Id", xmlGetLineNo(s->sig));
	s->si = signer_is(n, NS_DS, "SignedInfo") ? n : NULL;
	n = signer_next_el(n);
	s->sv = signer_is(n, NS_DS, "SignatureValue") ? n : NULL;
	n = signer_next_el(n);
	s->ki = signer_is(n, NS_DS, "KeyInfo") ? n : NULL;
	if (!s->si || !s->sv)
		return format_failure(r, "line %ld: expected SignedInfo then SignatureValue",
				      xmlGetLineNo(s->sig));
	if (!s->ki)
		return verdict(r, INDET, SOHOA_SIGNER_NO_SIGNING_CERTIFICATE_FOUND,
			       "line %ld: no KeyInfo with the signing certificate",
			       xmlGetLineNo(s->sig));
	for (n = signer_next_el(n); n; n = signer_next_el(n))
		if (!signer_is(n, NS_DS, "Object"))
			return format_failure(r, "line %ld: <%s> is not allowed in ds:Signature",
					      xmlGetLineNo(n), el_name(n));
	if ((rc = parse_key_info(c, s, r)) != 0 || (rc = parse_properties(s, r)) != 0 ||
	    (rc = parse_signed_info(c, s, r)) != 0)
		return rc;
	return 0;
}

/* --------------------------------------------------------- crypto checks */

static int check_references(vsig *s, sohoa_signer_result *r)
{
	for (int i = 0; i < 2; i++) {
		vref *ref = &s->refs[i];
		unsigned char *bytes = NULL, md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0;
		size_t len = 0;
		int ok;
		if (signer_c14n_ex(&bytes, &len, ref->target, ref->with_comments, ref->prefixes) < 0)
			return format_failure(r, "reference %s: %s", ref->uri, sohoa_error_last());
		ok = EVP_Digest(bytes, len, md, &mdlen, EVP_get_digestbyname(ref->md->md), NULL);
		free(bytes);
		if (ok != 1)
			return -1;
		if (mdlen != ref->digest_len || memcmp(md, ref->digest, mdlen))
			return verdict(r, FAILED, SOHOA_SIGNER_HASH_FAILURE,
				       "reference %s: the digest does not match: the %s was changed "
				       "after signing",
				       ref->uri, i == 0 ? "content" : "signed properties");
	}
	return 0;
}

/* Whether `cert` matches one xades:Cert (CertDigest and issuer/serial). */
static int cert_matches(X509 *cert, xmlNodePtr cert_el, int *weak)
{
	xmlNodePtr cd = signer_child(cert_el, NS_XADES, "CertDigest");
	xmlNodePtr dm = signer_child(cd, NS_DS, "DigestMethod");
	xmlNodePtr is2 = signer_child(cert_el, NS_XADES, "IssuerSerialV2");
	const digest_alg *alg = signer_digest_alg(signer_attr(dm, "Algorithm"));
	unsigned char md[EVP_MAX_MD_SIZE], *want = NULL, *der = NULL;
	unsigned int mdlen = 0;
	size_t wantlen = 0, derlen = 0;
	char *text;
	int match;

	if (!alg)
		return 0;
	if (alg->weak) {
		*weak = 1;
		return 0;
	}
	text = signer_text(signer_child(cd, NS_DS, "DigestValue"));
	match = text && signer_unb64(&want, &wantlen, text) == 0 &&
		signer_cert_digest(md, &mdlen, cert, alg->md) == 0 && wantlen == mdlen &&
		memcmp(md, want, mdlen) == 0;
	free(text);
	free(want);
	if (match && is2) { /* IssuerSerialV2 must name the same certificate */
		text = signer_text(is2);
		want = NULL;
		match = text && signer_unb64(&want, &wantlen, text) == 0 &&
			signer_issuer_serial_der(&der, &derlen, cert) == 0 && derlen == wantlen &&
			memcmp(der, want, derlen) == 0;
		free(text);
		free(want);
		OPENSSL_free(der);
		return match ? 1 : -2;
	}
	return match;
}

static int signature_valid(vsig *s, X509 *cert, const unsigned char *value, size_t len,
			   const unsigned char *c14n, size_t c14n_len)
{
	return signer_raw_verify(X509_get0_pubkey(cert), s->alg, value, len, c14n, c14n_len) == 1;
}

/* Finds the signing certificate among the KeyInfo certificates and checks the
 * signature value with it. */
static int check_signature_value(vsig *s, sohoa_signer_result *r)
{
	unsigned char *c14n = NULL, *value = NULL;
	size_t c14n_len = 0, len = 0;
	char *text = signer_text(s->sv);
	int weak = 0, rc = 0, mismatch = 0, matched = 0;

	if (sk_X509_num(s->certs) == 0) {
		rc = verdict(r, INDET, SOHOA_SIGNER_NO_SIGNING_CERTIFICATE_FOUND,
			     "no certificate in KeyInfo");
		goto cleanup;
	}
	if (signer_c14n_ex(&c14n, &c14n_len, s->si, s->si_comments, s->si_prefixes) < 0) {
		rc = format_failure(r, "SignedInfo: %s", sohoa_error_last());
		goto cleanup;
	}
	if (!text || signer_unb64(&value, &len, text) < 0) {
		rc = verdict(r, FAILED, SOHOA_SIGNER_SIG_CRYPTO_FAILURE,
			     "SignatureValue is not valid base64");
		goto cleanup;
	}
	for (int i = 0; i < sk_X509_num(s->certs) && !s->signer; i++) {
		X509 *cert = sk_X509_value(s->certs, i);
		for (xmlNodePtr ce = signer_first_el(s->signing_cert); ce; ce = signer_next_el(ce)) {
			int m = signer_is(ce, NS_XADES, "Cert") ? cert_matches(cert, ce, &weak) : 0;
			mismatch |= m == -2;
			matched |= m == 1;
			if (m == 1 && signature_valid(s, cert, value, len, c14n, c14n_len)) {
				s->signer = cert;
				break;
			}
		}
	}
	if (s->signer)
		rc = 0;
	else if (matched)
		rc = verdict(r, FAILED, SOHOA_SIGNER_SIG_CRYPTO_FAILURE,
			     "the signature value does not verify with the signing certificate's "
			     "key");
	else if (weak)
		rc = verdict(r, INDET, SOHOA_SIGNER_CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
			     "SigningCertificateV2 uses SHA-1");
	/* No KeyInfo certificate is the one the signed properties name (a swapped
	 * certificate). If the value does not verify either, it is forged. */
	else if (!signature_valid(s, sk_X509_value(s->certs, 0), value, len, c14n, c14n_len))
		rc = verdict(r, FAILED, SOHOA_SIGNER_SIG_CRYPTO_FAILURE,
			     "the signature value does not verify, and no KeyInfo certificate is "
			     "the one SigningCertificateV2 names");
	else
		rc = verdict(r, INDET, SOHOA_SIGNER_NO_SIGNING_CERTIFICATE_FOUND,
			     mismatch ? "IssuerSerialV2 does not name the certificate CertDigest "
					"names"
				      : "no KeyInfo certificate is the one SigningCertificateV2 "
					"names");
cleanup:
	free(text);
	free(value);
	free(c14n);
	return rc;
}

/* -------------------------------------------------- certificate checks */

static X509_CRL *crl_for(const sohoa_signer_verifier *v, X509 *cert, X509 *issuer)
{
	X509_CRL *best = NULL;
	for (int i = 0; i < sk_X509_CRL_num(v->crls); i++) {
		X509_CRL *crl = sk_X509_CRL_value(v->crls, i);
		if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_issuer_name(cert)) ||
		    X509_CRL_verify(crl, X509_get0_pubkey(issuer)) != 1)
			continue;
		if (!best || ASN1_TIME_compare(X509_CRL_get0_lastUpdate(crl),
					       X509_CRL_get0_lastUpdate(best)) > 0)
			best = crl;
	}
	ERR_clear_error();
	return best;
}

/* With a proof of existence (`poe`, 0: none), a revocation after it does not
 * count: the signature was made while the certificate was good. */
static int check_revocation(const vctx *c, const signer_chain *ch, time_t poe,
			    sohoa_signer_result *r)
{
	STACK_OF(X509) *chain = ch->certs;
	time_t now = c->now;

	for (int i = 0; i + 1 < sk_X509_num(chain); i++) {
		X509 *cert = sk_X509_value(chain, i);
		X509_CRL *crl = ch->crls[i];
		X509_REVOKED *rev = NULL;
		char *who;
		if (!crl) {
			if (i > 0)
				continue;
			who = signer_subject(sk_X509_value(chain, 1));
			verdict(r, INDET, SOHOA_SIGNER_TRY_LATER,
				"no CRL from %s (the signer's issuer) among --crl",
				who ? who : "?");
			free(who);
			return 1;
		}
		if (X509_CRL_get0_by_cert(crl, &rev, cert) == 1 &&
		    !(poe && X509_cmp_time(X509_REVOKED_get0_revocationDate(rev), &poe) > 0)) {
			char when[32] = "?";
			struct tm tm;
			if (ASN1_TIME_to_tm(X509_REVOKED_get0_revocationDate(rev), &tm) == 1)
				strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
			who = signer_subject(cert);
			verdict(r, FAILED, SOHOA_SIGNER_REVOKED, "certificate %s was revoked on %s",
				who ? who : "?", when);
			free(who);
			return 1;
		}
		if (i == 0 && X509_CRL_get0_nextUpdate(crl) &&
		    X509_cmp_time(X509_CRL_get0_nextUpdate(crl), &now) < 0)
			return verdict(r, INDET, SOHOA_SIGNER_TRY_LATER,
				       "the CRL of the signer's issuer is out of date (nextUpdate "
				       "passed)");
	}
	return 0;
}

static int is_no_chain(int err)
{
	return err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
	       err == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
	       err == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
	       err == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT ||
	       err == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE || err == X509_V_ERR_CERT_UNTRUSTED;
}

static time_t asn1_time_t(const ASN1_TIME *t, time_t fallback)
{
	struct tm tm;
	return ASN1_TIME_to_tm(t, &tm) == 1 ? timegm(&tm) : fallback;
}

/* The verified chain in a form the cache keeps: the window in which all its
 * certificates are valid and the CRL (if any) of each link. */
static signer_chain *chain_from_ctx(const vctx *c, X509_STORE_CTX *xc)
{
	signer_chain *ch = calloc(1, sizeof *ch);
	int n;

	if (!ch || !(ch->certs = X509_STORE_CTX_get1_chain(xc)))
		goto fail;
	n = sk_X509_num(ch->certs);
	ch->not_before = 0;
	ch->not_after = (time_t)INT64_MAX;
	for (int i = 0; i < n; i++) {
		X509 *cert = sk_X509_value(ch->certs, i);
		time_t nb = asn1_time_t(X509_get0_notBefore(cert), (time_t)INT64_MAX);
		time_t na = asn1_time_t(X509_get0_notAfter(cert), 0);
		if (nb > ch->not_before)
			ch->not_before = nb;
		if (na < ch->not_after)
			ch->not_after = na;
	}
	if (c->v->crls) {
		if (!(ch->crls = calloc((size_t)n, sizeof *ch->crls)))
			goto fail;
		for (int i = 0; i + 1 < n; i++)
			ch->crls[i] = crl_for(c->v, sk_X509_value(ch->certs, i),
					      sk_X509_value(ch->certs, i + 1));
	}
	return ch;
fail:
	signer_chain_free(ch);
	return NULL;
}

/* The chain from `leaf` (with `untrusted` as intermediates) to a trust anchor
 * at time `at`: from the verifier's cache, or verified now and then cached.
 * 0 with *out set (*owned set too when the caller must free it), 1 with a
 * verdict in `r`, or -1. */
static int verify_chain(const vctx *c, X509 *leaf, STACK_OF(X509) *untrusted, time_t at,
			sohoa_signer_result *r, const signer_chain **out, signer_chain **owned)
{
	unsigned char key[SOHOA_SHA256_LEN];
	X509_STORE_CTX *xc = NULL;
	signer_chain *ch = NULL;
	int rc = 0, err;

	*out = NULL;
	*owned = NULL;
	if (signer_chain_key(key, leaf, untrusted) < 0)
		return -1;
	if ((*out = signer_vcache_chain(c->v->cache, key, at)))
		return 0;
	xc = X509_STORE_CTX_new();
	if (!xc || X509_STORE_CTX_init(xc, c->v->store, leaf, untrusted) != 1) {
		rc = -1;
		goto cleanup;
	}
	X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(xc), at);
	if (X509_verify_cert(xc) != 1) {
		err = X509_STORE_CTX_get_error(xc);
		rc = verdict(r, INDET,
			     is_no_chain(err) ? SOHOA_SIGNER_NO_CERTIFICATE_CHAIN_FOUND
					      : SOHOA_SIGNER_CERTIFICATE_CHAIN_GENERAL_FAILURE,
			     "certificate chain: %s (depth %d)", X509_verify_cert_error_string(err),
			     X509_STORE_CTX_get_error_depth(xc));
		goto cleanup;
	}
	if (!(ch = chain_from_ctx(c, xc))) {
		rc = -1;
		goto cleanup;
	}
	*out = ch;
	if (!signer_vcache_add_chain(c->v->cache, key, ch))
		*owned = ch;
cleanup:
	ERR_clear_error();
	X509_STORE_CTX_free(xc);
	return rc;
}

static int check_certificate(const vctx *c, vsig *s, sohoa_signer_result *r)
{
	X509 *cert = s->signer;
	const signer_chain *chain = NULL;
	signer_chain *owned = NULL;
	uint32_t ku = X509_get_key_usage(cert);
	/* B-T: the timestamp's time, B-B: the claimed SigningTime */
	time_t st = s->has_poe ? s->poe : s->signing_time, now = c->now;
	const char *at = s->has_poe ? "the timestamp's time" : "the signing time";
	char when[32];
	int rc = 0;

	signer_format_time(when, st);
	if (X509_cmp_time(X509_get0_notBefore(cert), &st) > 0)
		return verdict(r, FAILED, SOHOA_SIGNER_NOT_YET_VALID,
			       "the signing certificate was not yet valid at %s %s", at, when);
	if (X509_cmp_time(X509_get0_notAfter(cert), &st) < 0)
		return verdict(r, FAILED, SOHOA_SIGNER_EXPIRED,
			       "the signing certificate had expired at %s %s", at, when);
	if (ku != UINT32_MAX && !(ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)))
		return verdict(r, INDET, SOHOA_SIGNER_CHAIN_CONSTRAINTS_FAILURE,
			       "the signing certificate's key usage allows neither "
			       "digitalSignature nor nonRepudiation");
	if (c->v->anchors == 0)
		return verdict(r, INDET, SOHOA_SIGNER_NO_CERTIFICATE_CHAIN_FOUND,
			       "no trust anchors given (--trust)");
	if ((rc = verify_chain(c, cert, s->certs, st, r, &chain, &owned)) != 0)
		goto cleanup;
	if (c->v->crls && (rc = check_revocation(c, chain, s->has_poe ? s->poe : 0, r)) != 0)
		goto cleanup;
	if (!s->has_poe && X509_cmp_time(X509_get0_notAfter(cert), &now) < 0)
		rc = verdict(r, INDET, SOHOA_SIGNER_OUT_OF_BOUNDS_NO_POE,
			     "the signing certificate has expired since, and the signature has no "
			     "timestamp proving it was made before");
cleanup:
	signer_chain_free(owned);
	return rc;
}

/* ----------------------------------------------------------- timestamps */

/* One xades:SignatureTimeStamp: its form (exclusive c14n, a DER token), the
 * token (imprint over this SignatureValue, TSA signature, ESS attribute), the
 * TSA certificate's chain to the anchors now and its timeStamping EKU. On
 * success the token's genTime becomes the signature's proof of existence. */
static int check_timestamp(const vctx *c, vsig *s, xmlNodePtr ts, sohoa_signer_result *r)
{
	xmlNodePtr cm = signer_child(ts, NS_DS, "CanonicalizationMethod");
	xmlNodePtr et = signer_child(ts, NS_XADES, "EncapsulatedTimeStamp");
	sohoa_signer_result chain_r = {0};
	const signer_chain *chain = NULL;
	signer_chain *owned = NULL;
	unsigned char *c14n = NULL, *der = NULL;
	size_t c14n_len = 0, der_len = 0;
	xmlChar **prefixes = NULL;
	signer_tst t = {0};
	const char *why = NULL;
	char *text = NULL, *who = NULL;
	int comments = 0, rc;

	if (!cm || !et) {
		rc = format_failure(r, "line %ld: SignatureTimeStamp needs CanonicalizationMethod "
				       "and EncapsulatedTimeStamp",
				    xmlGetLineNo(ts));
		goto cleanup;
	}
	rc = parse_c14n(&comments, &prefixes, cm, r);
	if (rc == 2)
		rc = format_failure(r, "line %ld: timestamp canonicalisation %s is not allowed "
				       "(only exclusive c14n)",
				    xmlGetLineNo(cm), signer_attr(cm, "Algorithm"));
	if (rc)
		goto cleanup;
	text = signer_text(et);
	if (!text || signer_unb64(&der, &der_len, text) < 0) {
		rc = format_failure(r, "line %ld: EncapsulatedTimeStamp is not base64",
				    xmlGetLineNo(et));
		goto cleanup;
	}
	if (signer_c14n_ex(&c14n, &c14n_len, s->sv, comments, prefixes) < 0) {
		rc = format_failure(r, "SignatureValue: %s", sohoa_error_last());
		goto cleanup;
	}
	rc = signer_tst_check(&t, der, der_len, c14n, c14n_len, &why);
	if (rc == 1 || rc == 2) {
		rc = rc == 1 ? format_failure(r, "line %ld: %s", xmlGetLineNo(et), why)
			     : ts_failure(r, "line %ld: %s", xmlGetLineNo(et), why);
		goto cleanup;
	}
	who = signer_subject(t.signer);
	if (c->v->anchors == 0) {
		rc = ts_failure(r, "timestamp by %s: no trust anchors given (--trust)",
				who ? who : "?");
		goto cleanup;
	}
	if ((rc = verify_chain(c, t.signer, t.certs, c->now, &chain_r, &chain, &owned)) != 0) {
		if (rc > 0)
			ts_failure(r, "timestamp by %s: TSA %s", who ? who : "?",
				   chain_r.detail ? chain_r.detail : "certificate chain not valid");
		goto cleanup;
	}
	if (X509_check_purpose(t.signer, X509_PURPOSE_TIMESTAMP_SIGN, 0) != 1) {
		rc = ts_failure(r, "timestamp by %s: the certificate is not a TSA's (extended key "
				   "usage timeStamping, critical, and only it)",
				who ? who : "?");
		goto cleanup;
	}
	if (chain->crls && chain->crls[0]) {
		X509_REVOKED *rev = NULL;
		if (X509_CRL_get0_by_cert(chain->crls[0], &rev, t.signer) == 1) {
			rc = ts_failure(r, "timestamp by %s: the TSA certificate is revoked",
					who ? who : "?");
			goto cleanup;
		}
	}
	if (!s->has_poe || t.gen_time < s->poe) {
		s->poe = t.gen_time;
		s->has_poe = 1;
	}
	rc = 0;
cleanup:
	ERR_clear_error();
	signer_chain_free(owned);
	signer_tst_clear(&t);
	free(chain_r.detail);
	free_prefixes(prefixes);
	free(c14n);
	free(der);
	free(text);
	free(who);
	return rc;
}

/* Every SignatureTimeStamp must hold, and the claimed SigningTime may not be
 * (much) later than the time they prove. */
static int check_timestamps(const vctx *c, vsig *s, sohoa_signer_result *r)
{
	char when[32];
	int rc;

	for (int i = 0; i < s->nts; i++)
		if ((rc = check_timestamp(c, s, s->ts[i], r)) != 0)
			return rc;
	if (s->has_poe && s->signing_time > s->poe + SIGNING_TIME_SLACK) {
		signer_format_time(when, s->poe);
		return ts_failure(r, "the SigningTime %s is later than the timestamp's time %s",
				  r->signing_time, when);
	}
	if (s->has_poe) {
		signer_format_time(when, s->poe);
		free(r->timestamp_time);
		r->timestamp_time = strdup(when);
	}
	return 0;
}

/* ------------------------------------------------------------ the steps */

static int crypto_constraints(vsig *s, sohoa_signer_result *r)
{
	EVP_PKEY *key;
	if (s->alg->weak)
		return verdict(r, INDET, SOHOA_SIGNER_CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
			       "signature method %s uses SHA-1", s->alg->name);
	for (int i = 0; i < 2; i++)
		if (s->refs[i].md->weak)
			return verdict(r, INDET, SOHOA_SIGNER_CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
				       "reference %s is digested with SHA-1", s->refs[i].uri);
	for (int i = 0; i < sk_X509_num(s->certs); i++) {
		key = X509_get0_pubkey(sk_X509_value(s->certs, i));
		if (i == 0 && (!key || signer_key_policy(key, "KeyInfo certificate") < 0))
			return verdict(r, INDET, SOHOA_SIGNER_CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
				       "%s", key ? sohoa_error_last() : "unreadable public key");
	}
	return 0;
}

static void verify_one(vctx *c, xmlNodePtr sig, sohoa_signer_result *r)
{
	vsig s = {.sig = sig};
	const char *id = signer_attr(sig, "Id");
	int rc;

	r->indication = SOHOA_SIGNER_TOTAL_PASSED;
	r->id = id ? strdup(id) : NULL;
	if (!(s.certs = sk_X509_new_null())) {
		verdict(r, INDET, SOHOA_SIGNER_SUB_NONE, "out of memory");
		return;
	}
	rc = parse_signature(c, &s, r);
	if (s.alg)
		r->algorithm = strdup(s.alg->name);
	if (sk_X509_num(s.certs) > 0)
		r->signer = signer_subject(sk_X509_value(s.certs, 0));
	if (rc == 0)
		rc = crypto_constraints(&s, r);
	if (rc == 0)
		rc = check_references(&s, r);
	if (rc == 0)
		rc = check_signature_value(&s, r);
	if (rc == 0 && s.signer != sk_X509_value(s.certs, 0)) {
		free(r->signer);
		r->signer = signer_subject(s.signer);
	}
	if (rc == 0)
		rc = check_timestamps(c, &s, r);
	if (rc == 0)
		rc = check_certificate(c, &s, r);
	if (rc < 0)
		verdict(r, INDET, SOHOA_SIGNER_SUB_NONE, "internal error while verifying");
	for (int i = 0; i < 2; i++) {
		free_prefixes(s.refs[i].prefixes);
		free(s.refs[i].digest);
	}
	free_prefixes(s.si_prefixes);
	sk_X509_pop_free(s.certs, X509_free);
}

/* Package-level structure: Package/Content[@Id=content], Signatures, no
 * ds:Signature elsewhere, unique Ids. Sets report->error on failure. */
static int check_document(vctx *c, sohoa_signer_report *rep, xmlDocPtr doc, xmlNodePtr *sigs)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), node;
	const char *id;

	c->content = signer_child(root, NS_PKG, "Content");
	*sigs = signer_child(root, NS_PKG, "Signatures");
	if (!signer_is(root, NS_PKG, "Package") || !c->content)
		return sohoa_error_set(SOHOA_EFORMAT, "%s: not a package (no Package/Content in %s)",
				       c->name, NS_PKG);
	id = signer_attr(c->content, "Id");
	if (!id || strcmp(id, "content"))
		return sohoa_error_set(SOHOA_EFORMAT, "%s:%ld: <Content> must carry Id=\"content\"",
				       c->name, xmlGetLineNo(c->content));
	if (signer_ids_scan(&c->ids, doc, c->name) < 0)
		return sohoa_error_last_code();
	/* ds:Signature anywhere but directly in Signatures is refused. */
	for (node = root; node;) {
		if (signer_is(node, NS_DS, "Signature") && node->parent != *sigs)
			return sohoa_error_set(SOHOA_EFORMAT,
					       "%s:%ld: ds:Signature outside the Signatures element",
					       c->name, xmlGetLineNo(node));
		if (node->type == XML_ELEMENT_NODE && node->children) {
			node = node->children;
			continue;
		}
		while (node && !node->next) {
			node = node->parent;
			if (node && node->type != XML_ELEMENT_NODE)
				node = NULL;
		}
		if (node)
			node = node->next;
	}
	for (node = signer_first_el(*sigs); node; node = signer_next_el(node))
		if (!signer_is(node, NS_DS, "Signature"))
			return sohoa_error_set(SOHOA_EFORMAT, "%s:%ld: <%s> in Signatures", c->name,
					       xmlGetLineNo(node), el_name(node));
	(void)rep;
	return 0;
}

static void update_passed(sohoa_signer_report *rep)
{
	rep->passed = !rep->error && rep->nsigs > 0 && rep->nproblems == 0;
	for (size_t i = 0; i < rep->nsigs; i++)
		if (rep->sigs[i].indication != SOHOA_SIGNER_TOTAL_PASSED)
			rep->passed = 0;
}

int sohoa_signer_verify_doc(sohoa_signer_report **out, const sohoa_signer_verifier *v,
			    xmlDocPtr doc, const char *name)
{
	sohoa_signer_report *rep = calloc(1, sizeof *rep);
	vctx c = {.v = v, .name = name, .now = v->now ? v->now : time(NULL)};
	xmlNodePtr sigs = NULL;
	size_t n = 0;
	int doc_rc;

	*out = NULL;
	if (!rep || !(rep->package = strdup(name))) {
		free(rep);
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	}
	rep->revocation_checked = v->crls != NULL;
	doc_rc = check_document(&c, rep, doc, &sigs);
	if (doc_rc < 0)
		rep->error = strdup(sohoa_error_last());
	for (xmlNodePtr s = signer_first_el(sigs); s; s = signer_next_el(s))
		n += signer_is(s, NS_DS, "Signature");
	if (n && !(rep->sigs = calloc(n, sizeof *rep->sigs))) {
		sohoa_signer_report_free(rep);
		signer_ids_free(&c.ids);
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	}
	for (xmlNodePtr s = signer_first_el(sigs); s; s = signer_next_el(s)) {
		sohoa_signer_result *r;
		if (!signer_is(s, NS_DS, "Signature"))
			continue;
		r = &rep->sigs[rep->nsigs++];
		if (doc_rc < 0) {
			const char *id = signer_attr(s, "Id");
			r->id = id ? strdup(id) : NULL;
			format_failure(r, "%s", rep->error ? rep->error : "malformed package");
			continue;
		}
		verify_one(&c, s, r);
	}
	if (doc_rc == 0 && rep->nsigs == 0)
		rep->error = strdup("the package has no signature");
	rep->content = doc_rc == 0 ? c.content : NULL;
	update_passed(rep);
	signer_ids_free(&c.ids);
	*out = rep;
	return 0;
}

int sohoa_signer_verify_package(sohoa_signer_report **out, const sohoa_signer_verifier *v,
				const char *package)
{
	sohoa_limits lim = sohoa_limits_default();
	char *path = sohoa_signer_package_xml(package), *dir = NULL, *slash;
	xmlDocPtr doc = NULL;
	int rc;

	*out = NULL;
	if (!path)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	if (sohoa_xml_read(&doc, path, &lim) < 0) {
		sohoa_signer_report *rep = calloc(1, sizeof *rep);
		if (!rep || !(rep->package = strdup(package)) ||
		    !(rep->error = strdup(sohoa_error_last()))) {
			sohoa_signer_report_free(rep);
			free(path);
			return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		}
		rep->revocation_checked = v->crls != NULL;
		free(path);
		*out = rep;
		return 0;
	}
	rc = sohoa_signer_verify_doc(out, v, doc, package);
	if (rc < 0) {
		xmlFreeDoc(doc);
		free(path);
		return rc;
	}
	(*out)->doc = doc;
	dir = path;
	slash = strrchr(dir, '/');
	if (slash)
		*slash = '\0';
	else
		strcpy(dir, ".");
	rc = sohoa_signer_verify_files(*out, dir);
	free(path);
	return rc;
}

void sohoa_signer_report_free(sohoa_signer_report *rep)
{
	if (!rep)
		return;
	for (size_t i = 0; i < rep->nsigs; i++) {
		sohoa_signer_result *r = &rep->sigs[i];
		free(r->id);
		free(r->detail);
		free(r->signer);
		free(r->role);
		free(r->signing_time);
		free(r->algorithm);
		free(r->timestamp_time);
	}
	for (size_t i = 0; i < rep->nproblems; i++)
		free(rep->file_problems[i]);
	free(rep->file_problems);
	free(rep->sigs);
	free(rep->package);
	free(rep->error);
	xmlFreeDoc(rep->doc);
	free(rep);
}

void signer_report_update(sohoa_signer_report *rep)
{
	update_passed(rep);
}
