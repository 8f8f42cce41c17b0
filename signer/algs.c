/* signer/algs.c: the algorithms of the signature profile — URI tables, the key
 * policy (RSA >= 2048, P-256 and up), and raw sign/verify with OpenSSL EVP,
 * including the DER <-> r||s conversion XMLDSig requires for ECDSA. */
/* Token keys (libp11) are legacy RSA objects whose private operations only
 * the old RSA API reaches; see pss_legacy(). */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "signer/internal.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>
#include <string.h>

#define MORE "http://www.w3.org/2001/04/xmldsig-more#"
#define MORE07 "http://www.w3.org/2007/05/xmldsig-more#"

static const sig_alg sig_algs[] = {
	{MORE07 "sha256-rsa-MGF1", "rsa-pss-sha256", ALG_RSA_PSS, "SHA256", 0},
	{MORE07 "sha384-rsa-MGF1", "rsa-pss-sha384", ALG_RSA_PSS, "SHA384", 0},
	{MORE07 "sha512-rsa-MGF1", "rsa-pss-sha512", ALG_RSA_PSS, "SHA512", 0},
	{MORE "rsa-sha256", "rsa-sha256", ALG_RSA_PKCS1, "SHA256", 0},
	{MORE "rsa-sha384", "rsa-sha384", ALG_RSA_PKCS1, "SHA384", 0},
	{MORE "rsa-sha512", "rsa-sha512", ALG_RSA_PKCS1, "SHA512", 0},
	{MORE "ecdsa-sha256", "ecdsa-sha256", ALG_ECDSA, "SHA256", 0},
	{MORE "ecdsa-sha384", "ecdsa-sha384", ALG_ECDSA, "SHA384", 0},
	{MORE "ecdsa-sha512", "ecdsa-sha512", ALG_ECDSA, "SHA512", 0},
	{"http://www.w3.org/2000/09/xmldsig#rsa-sha1", "rsa-sha1", ALG_RSA_PKCS1, "SHA1", 1},
	{MORE "ecdsa-sha1", "ecdsa-sha1", ALG_ECDSA, "SHA1", 1},
	{MORE07 "sha1-rsa-MGF1", "rsa-pss-sha1", ALG_RSA_PSS, "SHA1", 1},
};

static const digest_alg digest_algs[] = {
	{URI_SHA256, "SHA256", 0},
	{MORE "sha384", "SHA384", 0},
	{"http://www.w3.org/2001/04/xmlenc#sha512", "SHA512", 0},
	{"http://www.w3.org/2000/09/xmldsig#sha1", "SHA1", 1},
};

const sig_alg *signer_sig_alg(const char *uri)
{
	for (size_t i = 0; uri && i < sizeof sig_algs / sizeof sig_algs[0]; i++)
		if (strcmp(sig_algs[i].uri, uri) == 0)
			return &sig_algs[i];
	return NULL;
}

const digest_alg *signer_digest_alg(const char *uri)
{
	for (size_t i = 0; uri && i < sizeof digest_algs / sizeof digest_algs[0]; i++)
		if (strcmp(digest_algs[i].uri, uri) == 0)
			return &digest_algs[i];
	return NULL;
}

/* "P-256", "P-384", "P-521" or NULL for other curves / non-EC keys. */
static const char *curve_of(EVP_PKEY *pkey, char *buf, size_t cap)
{
	size_t len = 0;
	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_EC ||
	    !EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, buf, cap, &len))
		return NULL;
	if (strcmp(buf, "prime256v1") == 0 || strcmp(buf, "P-256") == 0)
		return "P-256";
	if (strcmp(buf, "secp384r1") == 0 || strcmp(buf, "P-384") == 0)
		return "P-384";
	if (strcmp(buf, "secp521r1") == 0 || strcmp(buf, "P-521") == 0)
		return "P-521";
	return NULL;
}

const sig_alg *signer_sig_alg_for_key(EVP_PKEY *pkey, int legacy_rsa)
{
	char buf[64];
	const char *curve;

	switch (EVP_PKEY_get_base_id(pkey)) {
	case EVP_PKEY_RSA:
		return signer_sig_alg(legacy_rsa ? MORE "rsa-sha256" : MORE07 "sha256-rsa-MGF1");
	case EVP_PKEY_EC:
		curve = curve_of(pkey, buf, sizeof buf);
		if (!curve)
			return NULL;
		if (strcmp(curve, "P-256") == 0)
			return signer_sig_alg(MORE "ecdsa-sha256");
		if (strcmp(curve, "P-384") == 0)
			return signer_sig_alg(MORE "ecdsa-sha384");
		return signer_sig_alg(MORE "ecdsa-sha512");
	default:
		return NULL;
	}
}

int signer_key_policy(EVP_PKEY *pkey, const char *what)
{
	char buf[64] = "";

	switch (EVP_PKEY_get_base_id(pkey)) {
	case EVP_PKEY_RSA:
		if (EVP_PKEY_get_bits(pkey) < 2048)
			return sohoa_error_set(SOHOA_ECRYPTO,
					       _("%s: RSA key of %d bits is too weak (at least "
						 "2048 bits required)"),
					       what, EVP_PKEY_get_bits(pkey));
		return 0;
	case EVP_PKEY_EC:
		if (!curve_of(pkey, buf, sizeof buf))
			return sohoa_error_set(SOHOA_ECRYPTO,
					       _("%s: elliptic curve %s is not allowed (P-256, "
						 "P-384 or P-521 required)"),
					       what, *buf ? buf : "?");
		return 0;
	default:
		return sohoa_error_set(SOHOA_ECRYPTO,
				       _("%s: %s keys are not allowed (RSA or ECDSA required)"),
				       what, EVP_PKEY_get0_type_name(pkey));
	}
}

/* Bytes of one ECDSA coordinate for the key's curve. */
static size_t ec_half(EVP_PKEY *pkey)
{
	return ((size_t)EVP_PKEY_get_bits(pkey) + 7) / 8;
}

static int setup_ctx(EVP_MD_CTX **out, EVP_PKEY *pkey, const sig_alg *alg, int sign)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	int ok;

	*out = NULL;
	if (!md)
		return -1;
	ok = sign ? EVP_DigestSignInit_ex(md, &pctx, alg->md, NULL, NULL, pkey, NULL)
		  : EVP_DigestVerifyInit_ex(md, &pctx, alg->md, NULL, NULL, pkey, NULL);
	if (ok == 1 && alg->family == ALG_RSA_PSS) {
		ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
		     EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, alg->md, NULL) == 1 &&
		     EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, sign ? RSA_PSS_SALTLEN_DIGEST
								 : RSA_PSS_SALTLEN_AUTO) == 1;
	} else if (ok == 1 && alg->family == ALG_RSA_PKCS1) {
		ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
	}
	if (ok != 1) {
		EVP_MD_CTX_free(md);
		return -1;
	}
	*out = md;
	return 0;
}

static int family_matches(EVP_PKEY *pkey, const sig_alg *alg)
{
	int id = EVP_PKEY_get_base_id(pkey);
	return alg->family == ALG_ECDSA ? id == EVP_PKEY_EC : id == EVP_PKEY_RSA;
}

/* RSASSA-PSS by hand for RSA keys whose method (a PKCS#11 token's, through
 * libp11) offers only raw private operations: EMSA-PSS encoding here, then
 * the raw RSA operation on the token (CKM_RSA_X_509). */
static int pss_legacy(unsigned char **out, size_t *outlen, EVP_PKEY *pkey, const sig_alg *alg,
		      const unsigned char *data, size_t len)
{
	const EVP_MD *md = EVP_get_digestbyname(alg->md);
	RSA *rsa = (RSA *)EVP_PKEY_get0_RSA(pkey);
	unsigned char h[EVP_MAX_MD_SIZE], *em = NULL, *sig = NULL;
	unsigned int hlen = 0;
	int k = rsa ? RSA_size(rsa) : 0, n = -1;

	if (!md || k <= 0 || EVP_Digest(data, len, h, &hlen, md, NULL) != 1 ||
	    !(em = OPENSSL_malloc((size_t)k)) || !(sig = OPENSSL_malloc((size_t)k)) ||
	    RSA_padding_add_PKCS1_PSS_mgf1(rsa, em, h, md, md, (int)hlen) != 1 ||
	    (n = RSA_private_encrypt(k, em, sig, rsa, RSA_NO_PADDING)) != k) {
		OPENSSL_free(em);
		OPENSSL_free(sig);
		return -1;
	}
	OPENSSL_free(em);
	*out = sig;
	*outlen = (size_t)n;
	return 0;
}

int signer_raw_sign(unsigned char **out, size_t *outlen, EVP_PKEY *pkey, const sig_alg *alg,
		    const unsigned char *data, size_t len)
{
	EVP_MD_CTX *md = NULL;
	unsigned char *der = NULL, *raw = NULL;
	const unsigned char *p;
	size_t derlen = 0, half;
	ECDSA_SIG *es = NULL;
	int rc = SOHOA_ECRYPTO;

	*out = NULL;
	*outlen = 0;
	if (!family_matches(pkey, alg) || setup_ctx(&md, pkey, alg, 1) < 0 ||
	    EVP_DigestSign(md, NULL, &derlen, data, len) != 1 ||
	    !(der = OPENSSL_malloc(derlen)) || EVP_DigestSign(md, der, &derlen, data, len) != 1) {
		ERR_clear_error();
		if (alg->family == ALG_RSA_PSS && family_matches(pkey, alg) &&
		    pss_legacy(out, outlen, pkey, alg, data, len) == 0)
			rc = 0;
		goto cleanup;
	}
	if (alg->family != ALG_ECDSA) {
		*out = der;
		*outlen = derlen;
		der = NULL;
		rc = 0;
		goto cleanup;
	}
	half = ec_half(pkey);
	p = der;
	es = d2i_ECDSA_SIG(NULL, &p, (long)derlen);
	raw = OPENSSL_malloc(2 * half);
	if (!es || !raw || BN_bn2binpad(ECDSA_SIG_get0_r(es), raw, (int)half) < 0 ||
	    BN_bn2binpad(ECDSA_SIG_get0_s(es), raw + half, (int)half) < 0)
		goto cleanup;
	*out = raw;
	*outlen = 2 * half;
	raw = NULL;
	rc = 0;
cleanup:
	if (rc < 0)
		sohoa_error_set(SOHOA_ECRYPTO, _("signing with %s failed"), alg->name);
	ECDSA_SIG_free(es);
	OPENSSL_free(raw);
	OPENSSL_free(der);
	EVP_MD_CTX_free(md);
	return rc;
}

int signer_raw_verify(EVP_PKEY *pkey, const sig_alg *alg, const unsigned char *sig,
		      size_t siglen, const unsigned char *data, size_t len)
{
	EVP_MD_CTX *md = NULL;
	unsigned char *der = NULL;
	ECDSA_SIG *es = NULL;
	BIGNUM *r = NULL, *s = NULL;
	int derlen, ok = 0;
	size_t half;

	if (!family_matches(pkey, alg))
		return 0;
	if (alg->family == ALG_ECDSA) {
		half = ec_half(pkey);
		if (siglen != 2 * half)
			return 0;
		es = ECDSA_SIG_new();
		r = BN_bin2bn(sig, (int)half, NULL);
		s = BN_bin2bn(sig + half, (int)half, NULL);
		if (!es || !r || !s || !ECDSA_SIG_set0(es, r, s)) {
			BN_free(r);
			BN_free(s);
			ok = -1;
			goto cleanup;
		}
		derlen = i2d_ECDSA_SIG(es, &der);
		if (derlen <= 0) {
			ok = -1;
			goto cleanup;
		}
		sig = der;
		siglen = (size_t)derlen;
	}
	if (setup_ctx(&md, pkey, alg, 0) < 0) {
		ok = -1;
		goto cleanup;
	}
	ok = EVP_DigestVerify(md, sig, siglen, data, len) == 1;
cleanup:
	ERR_clear_error();
	EVP_MD_CTX_free(md);
	OPENSSL_free(der);
	ECDSA_SIG_free(es);
	return ok;
}
