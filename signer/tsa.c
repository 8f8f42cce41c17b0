/* signer/tsa.c: RFC 3161 timestamps for XAdES B-T — asking a timestamp
 * authority over HTTP (libcurl) for a token over some bytes, and checking a
 * token found in a signature: its form, its message imprint, its CMS signature
 * and ESS signing-certificate attribute. The TSA's chain and EKU are checked
 * by verify.c, which owns the trust anchors. */
#include "signer/internal.h"

#include <curl/curl.h>
#include <openssl/err.h>
#include <openssl/ess.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define TSA_MAX_RESPONSE (256u << 10) /* a token is a few KiB */
#define TSA_CONNECT_TIMEOUT 10L
#define TSA_TIMEOUT 30L

typedef struct {
	unsigned char *data;
	size_t len;
	int too_big;
} response_buf;

static size_t on_body(char *ptr, size_t size, size_t n, void *user)
{
	response_buf *b = user;
	size_t add = size * n;
	unsigned char *p;

	if (add > TSA_MAX_RESPONSE - b->len) {
		b->too_big = 1;
		return 0;
	}
	if (!(p = realloc(b->data, b->len + add)))
		return 0;
	memcpy(p + b->len, ptr, add);
	b->data = p;
	b->len += add;
	return add;
}

/* DER of a TimeStampReq: SHA-256 imprint of `data`, a 64-bit random nonce,
 * certReq true. */
static TS_REQ *make_request(const unsigned char *data, size_t len)
{
	unsigned char md[SOHOA_SHA256_LEN], rnd[8];
	TS_REQ *req = TS_REQ_new();
	TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
	X509_ALGOR *algo = X509_ALGOR_new();
	BIGNUM *bn = NULL;
	ASN1_INTEGER *nonce = NULL;
	int ok = req && mi && algo && sohoa_sha256(md, data, len) == 0 &&
		 RAND_bytes(rnd, sizeof rnd) == 1;

	ok = ok && X509_ALGOR_set0(algo, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL) &&
	     TS_MSG_IMPRINT_set_algo(mi, algo) && TS_MSG_IMPRINT_set_msg(mi, md, sizeof md) &&
	     TS_REQ_set_version(req, 1) && TS_REQ_set_msg_imprint(req, mi) &&
	     (bn = BN_bin2bn(rnd, sizeof rnd, NULL)) && (nonce = BN_to_ASN1_INTEGER(bn, NULL)) &&
	     TS_REQ_set_nonce(req, nonce) && TS_REQ_set_cert_req(req, 1);
	BN_free(bn);
	ASN1_INTEGER_free(nonce);
	X509_ALGOR_free(algo);
	TS_MSG_IMPRINT_free(mi);
	if (!ok) {
		TS_REQ_free(req);
		req = NULL;
	}
	return req;
}

/* POSTs `query` to `url`; the reply body in *body. */
static int http_post(response_buf *body, const char *url, const unsigned char *query,
		     size_t qlen, const char *name)
{
	char err[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdr = NULL;
	CURL *curl = curl_easy_init();
	const char *type = NULL;
	long status = 0;
	CURLcode cc;
	int rc = 0;

	if (!curl || !(hdr = curl_slist_append(NULL, "Content-Type: application/timestamp-query"))) {
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		goto cleanup;
	}
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_POST, 1L);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, (const char *)query);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)qlen);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, TSA_CONNECT_TIMEOUT);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, TSA_TIMEOUT);
	curl_easy_setopt(curl, CURLOPT_MAXFILESIZE, (long)TSA_MAX_RESPONSE);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, body);
	curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, err);
	cc = curl_easy_perform(curl);
	if (body->too_big) {
		rc = sohoa_error_set(SOHOA_ELIMIT,
				     _("%s: timestamp authority %s: reply larger than %u bytes"), name,
				     url, TSA_MAX_RESPONSE);
		goto cleanup;
	}
	if (cc != CURLE_OK) {
		rc = sohoa_error_set(SOHOA_EIO, _("%s: timestamp authority %s: %s"), name, url,
				     err[0] ? err : curl_easy_strerror(cc));
		goto cleanup;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &type);
	if (status != 200) {
		rc = sohoa_error_set(SOHOA_EIO, _("%s: timestamp authority %s: HTTP status %ld"),
				     name, url, status);
		goto cleanup;
	}
	if (!type || strncasecmp(type, "application/timestamp-reply", 27) ||
	    (type[27] && type[27] != ';' && type[27] != ' ')) {
		rc = sohoa_error_set(SOHOA_EFORMAT,
				     _("%s: timestamp authority %s: reply is %s, not "
				       "application/timestamp-reply"),
				     name, url, type ? type : "untyped");
		goto cleanup;
	}
cleanup:
	curl_slist_free_all(hdr);
	if (curl)
		curl_easy_cleanup(curl);
	return rc;
}

int signer_tsa_stamp(unsigned char **out, size_t *outlen, const char *url,
		     const unsigned char *data, size_t len, const char *name)
{
	response_buf body = {0};
	unsigned char *query = NULL, *der = NULL;
	const unsigned char *p;
	TS_REQ *req = make_request(data, len);
	TS_RESP *resp = NULL;
	TS_VERIFY_CTX *vc = NULL;
	long status;
	int qlen = req ? i2d_TS_REQ(req, &query) : -1, dlen, rc;

	*out = NULL;
	*outlen = 0;
	if (qlen <= 0) {
		rc = sohoa_error_set(SOHOA_ECRYPTO, _("%s: cannot make a timestamp request"), name);
		goto cleanup;
	}
	if ((rc = http_post(&body, url, query, (size_t)qlen, name)) < 0)
		goto cleanup;
	p = body.data;
	resp = body.len ? d2i_TS_RESP(NULL, &p, (long)body.len) : NULL;
	if (!resp || p != body.data + body.len) {
		rc = sohoa_error_set(SOHOA_EFORMAT,
				     _("%s: timestamp authority %s: the reply is not a "
				       "TimeStampResp"),
				     name, url);
		goto cleanup;
	}
	status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp)));
	if ((status != TS_STATUS_GRANTED && status != TS_STATUS_GRANTED_WITH_MODS) ||
	    !TS_RESP_get_token(resp)) {
		rc = sohoa_error_set(SOHOA_EVERIFY,
				     _("%s: timestamp authority %s refused the request (status "
				       "%ld)"),
				     name, url, status);
		goto cleanup;
	}
	/* The token must answer this request: same imprint, same nonce. */
	vc = TS_REQ_to_TS_VERIFY_CTX(req, NULL);
	if (!vc || !TS_VERIFY_CTX_set_flags(vc, TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_NONCE) ||
	    TS_RESP_verify_response(vc, resp) != 1) {
		rc = sohoa_error_set(SOHOA_EVERIFY,
				     _("%s: timestamp authority %s: the token does not answer the "
				       "request (imprint or nonce differs)"),
				     name, url);
		goto cleanup;
	}
	dlen = i2d_PKCS7(TS_RESP_get_token(resp), &der);
	if (dlen <= 0) {
		rc = sohoa_error_set(SOHOA_ECRYPTO, _("%s: cannot encode the timestamp"), name);
		goto cleanup;
	}
	*out = der;
	*outlen = (size_t)dlen;
	der = NULL;
	rc = 0;
cleanup:
	ERR_clear_error();
	OPENSSL_free(query);
	OPENSSL_free(der);
	free(body.data);
	TS_VERIFY_CTX_free(vc);
	TS_RESP_free(resp);
	TS_REQ_free(req);
	return rc;
}

/* ------------------------------------------------------------ checking */

void signer_tst_clear(signer_tst *t)
{
	sk_X509_free(t->signers);
	PKCS7_free(t->p7);
	memset(t, 0, sizeof *t);
}

/* The ESS signing-certificate attribute (V2 or V1) must name the TSA
 * certificate, so that no other certificate can be put in its place. */
static int ess_names_signer(PKCS7_SIGNER_INFO *si, X509 *signer)
{
	ASN1_TYPE *a2 = PKCS7_get_signed_attribute(si, NID_id_smime_aa_signingCertificateV2);
	ASN1_TYPE *a1 = PKCS7_get_signed_attribute(si, NID_id_smime_aa_signingCertificate);
	ESS_SIGNING_CERT_V2 *v2 = NULL;
	ESS_SIGNING_CERT *v1 = NULL;
	STACK_OF(X509) *chain = sk_X509_new_null();
	const unsigned char *p;
	int ok = 0;

	if (a2 && a2->type == V_ASN1_SEQUENCE) {
		p = a2->value.sequence->data;
		v2 = d2i_ESS_SIGNING_CERT_V2(NULL, &p, a2->value.sequence->length);
	}
	if (a1 && a1->type == V_ASN1_SEQUENCE) {
		p = a1->value.sequence->data;
		v1 = d2i_ESS_SIGNING_CERT(NULL, &p, a1->value.sequence->length);
	}
	if (chain && (v1 || v2) && sk_X509_push(chain, signer))
		ok = OSSL_ESS_check_signing_certs(v1, v2, chain, 1) == 1;
	sk_X509_free(chain);
	ESS_SIGNING_CERT_V2_free(v2);
	ESS_SIGNING_CERT_free(v1);
	return ok;
}

static int imprint_matches(TS_TST_INFO *tst, const unsigned char *data, size_t len,
			   const char **why)
{
	TS_MSG_IMPRINT *mi = TS_TST_INFO_get_msg_imprint(tst);
	const ASN1_OBJECT *obj = NULL;
	ASN1_OCTET_STRING *want = TS_MSG_IMPRINT_get_msg(mi);
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int nid;

	X509_ALGOR_get0(&obj, NULL, NULL, TS_MSG_IMPRINT_get_algo(mi));
	nid = OBJ_obj2nid(obj);
	if (nid == NID_sha1 || nid == NID_md5) {
		*why = "the timestamp's message imprint uses SHA-1 or MD5";
		return 0;
	}
	if (nid != NID_sha256 && nid != NID_sha384 && nid != NID_sha512) {
		*why = "the timestamp's message imprint uses an unsupported digest";
		return 0;
	}
	if (EVP_Digest(data, len, md, &mdlen, EVP_get_digestbynid(nid), NULL) != 1 || !want ||
	    (size_t)ASN1_STRING_length(want) != mdlen ||
	    memcmp(ASN1_STRING_get0_data(want), md, mdlen)) {
		*why = "the timestamp's message imprint is not the digest of this SignatureValue";
		return 0;
	}
	return 1;
}

int signer_tst_check(signer_tst *t, const unsigned char *der, size_t len,
		     const unsigned char *data, size_t dlen, const char **why)
{
	const unsigned char *p = der;
	STACK_OF(PKCS7_SIGNER_INFO) *sis;
	PKCS7_SIGNER_INFO *si;
	TS_TST_INFO *tst = NULL;
	BIO *bio = NULL;
	char buf[4096];
	struct tm tm;
	int rc = 2;

	memset(t, 0, sizeof *t);
	*why = "the timestamp is not a DER TimeStampToken";
	if (len == 0 || len > LONG_MAX)
		return 1;
	t->p7 = d2i_PKCS7(NULL, &p, (long)len);
	if (!t->p7 || p != der + len || !PKCS7_type_is_signed(t->p7) ||
	    !(tst = PKCS7_to_TS_TST_INFO(t->p7))) {
		rc = 1;
		goto cleanup;
	}
	if (ASN1_TIME_to_tm(TS_TST_INFO_get_time(tst), &tm) != 1) {
		*why = "the timestamp's genTime is malformed";
		rc = 1;
		goto cleanup;
	}
	t->gen_time = timegm(&tm);
	if (!imprint_matches(tst, data, dlen, why))
		goto cleanup;
	sis = PKCS7_get_signer_info(t->p7);
	if (sk_PKCS7_SIGNER_INFO_num(sis) != 1) {
		*why = "the timestamp does not have exactly one signer";
		goto cleanup;
	}
	si = sk_PKCS7_SIGNER_INFO_value(sis, 0);
	t->signers = PKCS7_get0_signers(t->p7, NULL, 0);
	if (!t->signers || sk_X509_num(t->signers) != 1) {
		*why = "the timestamp does not carry its TSA's certificate";
		goto cleanup;
	}
	t->signer = sk_X509_value(t->signers, 0);
	t->certs = t->p7->d.sign->cert;
	/* Digest the content as CMS does, then check the signer's signature. */
	if (!(bio = PKCS7_dataInit(t->p7, NULL))) {
		*why = "the timestamp's content cannot be read";
		goto cleanup;
	}
	while (BIO_read(bio, buf, sizeof buf) > 0)
		;
	if (PKCS7_signatureVerify(bio, t->p7, si, t->signer) != 1) {
		*why = "the timestamp's signature does not verify with the TSA certificate";
		goto cleanup;
	}
	if (!ess_names_signer(si, t->signer)) {
		*why = "the timestamp's signing-certificate attribute does not name its TSA "
		       "certificate";
		goto cleanup;
	}
	*why = NULL;
	rc = 0;
cleanup:
	ERR_clear_error();
	BIO_free_all(bio);
	TS_TST_INFO_free(tst);
	return rc;
}
