/* signer/sign.c: builds one XAdES B-B (or B-T) ds:Signature over a package's Content and
 * appends it to the Signatures element (docs/signatures.md), then rewrites
 * package.xml atomically without reformatting what earlier signatures cover. */
#include "signer/internal.h"

#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "formats/formats.h"

typedef struct {
	xmlDocPtr doc;
	xmlNsPtr ds, xades;
	char id[40];
} builder;

static xmlNodePtr el(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text)
{
	return xmlNewTextChild(parent, ns, BAD_CAST name, BAD_CAST text);
}

static xmlNodePtr el_alg(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *uri)
{
	xmlNodePtr n = el(parent, ns, name, NULL);
	if (n && !xmlNewProp(n, BAD_CAST "Algorithm", BAD_CAST uri))
		return NULL;
	return n;
}

/* A Reference with one exc-c14n transform and a SHA-256 digest placeholder;
 * returns its DigestValue element. */
static xmlNodePtr add_reference(builder *b, xmlNodePtr si, const char *id, const char *type,
				const char *uri)
{
	xmlNodePtr ref = el(si, b->ds, "Reference", NULL), tr;
	if (!ref || (id && !xmlNewProp(ref, BAD_CAST "Id", BAD_CAST id)) ||
	    (type && !xmlNewProp(ref, BAD_CAST "Type", BAD_CAST type)) ||
	    !xmlNewProp(ref, BAD_CAST "URI", BAD_CAST uri))
		return NULL;
	tr = el(ref, b->ds, "Transforms", NULL);
	if (!tr || !el_alg(tr, b->ds, "Transform", URI_EXC_C14N) ||
	    !el_alg(ref, b->ds, "DigestMethod", URI_SHA256))
		return NULL;
	return el(ref, b->ds, "DigestValue", "");
}

static int set_digest(xmlNodePtr digest_value, xmlNodePtr target)
{
	uint8_t md[SOHOA_SHA256_LEN];
	char *b64;
	int rc = sohoa_signer_c14n_digest(md, target);

	if (rc < 0)
		return rc;
	if (!(b64 = signer_b64(md, sizeof md)))
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	xmlNodeSetContent(digest_value, BAD_CAST b64);
	free(b64);
	return 0;
}

static int add_cert(xmlNodePtr x509data, xmlNsPtr ds, X509 *cert)
{
	unsigned char *der = NULL;
	int len = i2d_X509(cert, &der);
	char *b64 = len > 0 ? signer_b64(der, (size_t)len) : NULL;
	xmlNodePtr n = b64 ? el(x509data, ds, "X509Certificate", b64) : NULL;
	OPENSSL_free(der);
	free(b64);
	return n ? 0 : sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
}

/* QualifyingProperties with the SignedProperties of this profile; returns the
 * SignedProperties element. */
static xmlNodePtr add_properties(builder *b, xmlNodePtr sig, X509 *cert, const char *role,
				 time_t when)
{
	char t[32], target[48], spid[64], objref[64], *dv = NULL, *is = NULL;
	unsigned char md[EVP_MAX_MD_SIZE], *isder = NULL;
	unsigned int mdlen = 0;
	size_t islen = 0;
	xmlNodePtr obj, qp, sp, ssp, cert_el, digest, roles, sdop, dof, ret = NULL;

	snprintf(target, sizeof target, "#%s", b->id);
	snprintf(spid, sizeof spid, "%s-signedprops", b->id);
	snprintf(objref, sizeof objref, "#%s-ref-content", b->id);
	signer_format_time(t, when);
	if (signer_cert_digest(md, &mdlen, cert, "SHA256") < 0 ||
	    signer_issuer_serial_der(&isder, &islen, cert) < 0 ||
	    !(dv = signer_b64(md, mdlen)) || !(is = signer_b64(isder, islen)))
		goto cleanup;
	obj = el(sig, b->ds, "Object", NULL);
	qp = obj ? el(obj, NULL, "QualifyingProperties", NULL) : NULL;
	if (!qp || !(b->xades = xmlNewNs(qp, BAD_CAST NS_XADES, BAD_CAST "xades")))
		goto cleanup;
	xmlSetNs(qp, b->xades);
	if (!xmlNewProp(qp, BAD_CAST "Target", BAD_CAST target) ||
	    !(sp = el(qp, b->xades, "SignedProperties", NULL)) ||
	    !xmlNewProp(sp, BAD_CAST "Id", BAD_CAST spid) ||
	    !(ssp = el(sp, b->xades, "SignedSignatureProperties", NULL)) ||
	    !el(ssp, b->xades, "SigningTime", t))
		goto cleanup;
	cert_el = el(el(ssp, b->xades, "SigningCertificateV2", NULL), b->xades, "Cert", NULL);
	digest = cert_el ? el(cert_el, b->xades, "CertDigest", NULL) : NULL;
	if (!digest || !el_alg(digest, b->ds, "DigestMethod", URI_SHA256) ||
	    !el(digest, b->ds, "DigestValue", dv) || !el(cert_el, b->xades, "IssuerSerialV2", is))
		goto cleanup;
	roles = el(el(ssp, b->xades, "SignerRoleV2", NULL), b->xades, "ClaimedRoles", NULL);
	if (!roles || !el(roles, b->xades, "ClaimedRole", role))
		goto cleanup;
	sdop = el(sp, b->xades, "SignedDataObjectProperties", NULL);
	dof = sdop ? el(sdop, b->xades, "DataObjectFormat", NULL) : NULL;
	if (!dof || !xmlNewProp(dof, BAD_CAST "ObjectReference", BAD_CAST objref) ||
	    !el(dof, b->xades, "MimeType", "text/xml"))
		goto cleanup;
	ret = sp;
cleanup:
	if (!ret)
		sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	OPENSSL_free(isder);
	free(dv);
	free(is);
	return ret;
}

/* XAdES B-T: the timestamp authority's token over the exclusive c14n of
 * ds:SignatureValue (in place, so with its namespace context), added as
 * QualifyingProperties/UnsignedProperties/UnsignedSignatureProperties/
 * SignatureTimeStamp. */
static int add_timestamp(builder *b, xmlNodePtr qp, xmlNodePtr sv, const char *url,
			 const char *name)
{
	unsigned char *c14n = NULL, *token = NULL;
	size_t c14n_len = 0, token_len = 0;
	char tsid[64], *b64 = NULL;
	xmlNodePtr usp, ts;
	int rc;

	if ((rc = signer_c14n_ex(&c14n, &c14n_len, sv, 0, NULL)) < 0 ||
	    (rc = signer_tsa_stamp(&token, &token_len, url, c14n, c14n_len, name)) < 0)
		goto cleanup;
	snprintf(tsid, sizeof tsid, "%s-ts", b->id);
	usp = el(el(qp, b->xades, "UnsignedProperties", NULL), b->xades,
		 "UnsignedSignatureProperties", NULL);
	ts = usp ? el(usp, b->xades, "SignatureTimeStamp", NULL) : NULL;
	if (!ts || !xmlNewProp(ts, BAD_CAST "Id", BAD_CAST tsid) ||
	    !el_alg(ts, b->ds, "CanonicalizationMethod", URI_EXC_C14N) ||
	    !(b64 = signer_b64(token, token_len)) ||
	    !el(ts, b->xades, "EncapsulatedTimeStamp", b64))
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
cleanup:
	free(c14n);
	OPENSSL_free(token);
	free(b64);
	return rc;
}

static int fresh_id(builder *b, const signer_ids *ids)
{
	for (int tries = 0; tries < 8; tries++) {
		unsigned char r[8];
		char hex[17];
		const char *why;
		int clash = 0;
		if (RAND_bytes(r, sizeof r) != 1)
			return sohoa_error_set(SOHOA_ECRYPTO, _("no random numbers for the signature Id"));
		sohoa_hex(hex, r, sizeof r);
		snprintf(b->id, sizeof b->id, "sig-%s", hex);
		for (size_t i = 0; i < ids->n; i++)
			clash |= strncmp(ids->v[i].value, b->id, strlen(b->id)) == 0;
		if (!clash && !signer_ids_resolve(ids, b->id, &why))
			return 0;
	}
	return sohoa_error_set(SOHOA_ECRYPTO, _("cannot find an unused signature Id"));
}

/* The package's Content and Signatures elements (the latter created). */
static int package_parts(xmlNodePtr *content, xmlNodePtr *sigs, xmlDocPtr doc, const char *name)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	const char *id;

	*content = signer_child(root, NS_PKG, "Content");
	if (!signer_is(root, NS_PKG, "Package") || !*content)
		return sohoa_error_set(SOHOA_EFORMAT,
				       _("%s: not a package (no Package/Content in %s)"), name,
				       NS_PKG);
	id = signer_attr(*content, "Id");
	if (!id || strcmp(id, "content"))
		return sohoa_error_set(SOHOA_EFORMAT, _("%s:%ld: <Content> must carry Id=\"content\""),
				       name, xmlGetLineNo(*content));
	*sigs = signer_child(root, NS_PKG, "Signatures");
	if (!*sigs) {
		xmlNodePtr after = *content;
		*sigs = xmlNewDocNode(doc, root->ns, BAD_CAST "Signatures", NULL);
		if (!*sigs)
			return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		xmlAddNextSibling(after, *sigs);
		xmlAddPrevSibling(*sigs, xmlNewDocText(doc, BAD_CAST "\n  "));
	}
	return 0;
}

/* A signature made outside the certificate's validity could never verify. */
static int check_validity(X509 *cert, const sohoa_signer_sign_options *opt, const char *name)
{
	time_t when = opt->signing_time ? opt->signing_time : time(NULL);
	char *who;
	int rc = 0;

	if (X509_cmp_time(X509_get0_notBefore(cert), &when) <= 0 &&
	    X509_cmp_time(X509_get0_notAfter(cert), &when) >= 0)
		return 0;
	who = signer_subject(cert);
	rc = sohoa_error_set(SOHOA_ECRYPTO,
			     _("%s: the signer's certificate (%s) is not valid at the signing time "
			       "(expired or not yet valid)"),
			     name, who ? who : "?");
	free(who);
	return rc;
}

int sohoa_signer_sign_doc(xmlDocPtr doc, const char *name, sohoa_signer_key *key,
			  const sohoa_signer_sign_options *opt)
{
	sohoa_signer_sign_options defaults = {0};
	builder b = {.doc = doc};
	signer_ids ids = {0};
	xmlNodePtr content, sigs, sig = NULL, si, dv_content, dv_props, sp, ki, sv, x509;
	const sig_alg *alg;
	unsigned char *c14n = NULL, *value = NULL;
	size_t c14n_len = 0, value_len = 0;
	char refid[64], spuri[64], *b64 = NULL;
	STACK_OF(X509) *chain = signer_key_chain(key);
	int rc;

	if (!opt)
		opt = &defaults;
	if ((rc = package_parts(&content, &sigs, doc, name)) < 0 ||
	    (rc = signer_ids_scan(&ids, doc, name)) < 0 || (rc = fresh_id(&b, &ids)) < 0)
		goto cleanup;
	if ((rc = check_validity(signer_key_cert(key), opt, name)) < 0)
		goto cleanup;
	alg = signer_sig_alg_for_key(signer_key_pkey(key), opt->legacy_rsa);
	if (!alg) {
		rc = sohoa_error_set(SOHOA_ECRYPTO, _("%s: no signature algorithm for this key"),
				     name);
		goto cleanup;
	}
	rc = SOHOA_ENOMEM;
	sig = xmlNewDocNode(doc, NULL, BAD_CAST "Signature", NULL);
	if (!sig || !(b.ds = xmlNewNs(sig, BAD_CAST NS_DS, BAD_CAST "ds")))
		goto oom;
	xmlSetNs(sig, b.ds);
	if (!xmlNewProp(sig, BAD_CAST "Id", BAD_CAST b.id))
		goto oom;
	xmlAddChild(sigs, xmlNewDocText(doc, BAD_CAST "\n    "));
	xmlAddChild(sigs, sig);
	xmlAddChild(sigs, xmlNewDocText(doc, BAD_CAST "\n  "));

	snprintf(refid, sizeof refid, "%s-ref-content", b.id);
	snprintf(spuri, sizeof spuri, "#%s-signedprops", b.id);
	si = el(sig, b.ds, "SignedInfo", NULL);
	if (!si || !el_alg(si, b.ds, "CanonicalizationMethod", URI_EXC_C14N) ||
	    !el_alg(si, b.ds, "SignatureMethod", alg->uri) ||
	    !(dv_content = add_reference(&b, si, refid, NULL, "#content")) ||
	    !(dv_props = add_reference(&b, si, NULL, URI_SIGNED_PROPS_TYPE, spuri)) ||
	    !(sv = el(sig, b.ds, "SignatureValue", "")))
		goto oom;
	snprintf(refid, sizeof refid, "%s-value", b.id);
	ki = el(sig, b.ds, "KeyInfo", NULL);
	x509 = ki ? el(ki, b.ds, "X509Data", NULL) : NULL;
	if (!xmlNewProp(sv, BAD_CAST "Id", BAD_CAST refid) || !x509 ||
	    (rc = add_cert(x509, b.ds, signer_key_cert(key))) < 0)
		goto oom;
	for (int i = 0; chain && i < sk_X509_num(chain); i++)
		if ((rc = add_cert(x509, b.ds, sk_X509_value(chain, i))) < 0)
			goto cleanup;
	sp = add_properties(&b, sig, signer_key_cert(key),
			    opt->role == SOHOA_SIGNER_ROLE_SEAL ? "seal" : "leader",
			    opt->signing_time ? opt->signing_time : time(NULL));
	if (!sp) {
		rc = SOHOA_ENOMEM;
		goto cleanup;
	}
	if ((rc = set_digest(dv_content, content)) < 0 || (rc = set_digest(dv_props, sp)) < 0 ||
	    (rc = signer_c14n_ex(&c14n, &c14n_len, si, 0, NULL)) < 0 ||
	    (rc = signer_raw_sign(&value, &value_len, signer_key_pkey(key), alg, c14n,
				  c14n_len)) < 0)
		goto cleanup;
	if (!(b64 = signer_b64(value, value_len)))
		goto oom;
	xmlNodeSetContent(sv, BAD_CAST b64);
	if (opt->tsa_url && (rc = add_timestamp(&b, sp->parent, sv, opt->tsa_url, name)) < 0)
		goto cleanup;
	sig = NULL; /* now part of the document */
	rc = 0;
	goto cleanup;
oom:
	rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
cleanup:
	if (sig) { /* take the half-built signature out again */
		xmlUnlinkNode(sig);
		xmlFreeNode(sig);
	}
	signer_ids_free(&ids);
	free(c14n);
	OPENSSL_free(value);
	free(b64);
	return rc;
}

char *sohoa_signer_package_xml(const char *package)
{
	struct stat st;
	char *p = NULL;

	if (stat(package, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (asprintf(&p, "%s/package.xml", package) < 0)
			return NULL;
		return p;
	}
	return strdup(package);
}

int signer_sign_to_memory(xmlChar **out, int *len, const char *package, sohoa_signer_key *key,
			  const sohoa_signer_sign_options *opt)
{
	sohoa_limits lim = sohoa_limits_default();
	char *path = sohoa_signer_package_xml(package);
	xmlDocPtr doc = NULL;
	int rc;

	*out = NULL;
	*len = 0;
	if (!path)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	if ((rc = sohoa_xml_read(&doc, path, &lim)) < 0 ||
	    (rc = sohoa_signer_sign_doc(doc, path, key, opt)) < 0)
		goto cleanup;
	xmlDocDumpMemoryEnc(doc, out, len, "UTF-8");
	if (!*out)
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
cleanup:
	xmlFreeDoc(doc);
	free(path);
	return rc;
}

int sohoa_signer_sign_package(const char *package, sohoa_signer_key *key,
			      const sohoa_signer_sign_options *opt)
{
	xmlChar *out = NULL;
	char *path = NULL;
	int len = 0, rc = signer_sign_to_memory(&out, &len, package, key, opt);

	if (rc == 0 && !(path = sohoa_signer_package_xml(package)))
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	if (rc == 0)
		rc = sohoa_file_write_atomic(path, out, (size_t)len);
	xmlFree(out);
	free(path);
	return rc;
}
