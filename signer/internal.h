/* signer/internal.h: what the files of signer/ share and the tests may use —
 * namespace and algorithm URIs, XML and base64 helpers, canonicalisation with
 * a chosen mode, raw signing and verifying with the profile's algorithms. Not a
 * public header: other modules use signer/signer.h only. */
#ifndef SOHOA_SIGNER_INTERNAL_H
#define SOHOA_SIGNER_INTERNAL_H

#include <openssl/evp.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <time.h>

#include "signer/signer.h"

#define NS_PKG "urn:sohoa:package:1"
#define NS_DS "http://www.w3.org/2000/09/xmldsig#"
#define NS_XADES "http://uri.etsi.org/01903/v1.3.2#"
#define URI_EXC_C14N "http://www.w3.org/2001/10/xml-exc-c14n#"
#define URI_EXC_C14N_COMMENTS "http://www.w3.org/2001/10/xml-exc-c14n#WithComments"
#define URI_ENVELOPED "http://www.w3.org/2000/09/xmldsig#enveloped-signature"
#define URI_SHA256 "http://www.w3.org/2001/04/xmlenc#sha256"
#define URI_SIGNED_PROPS_TYPE "http://uri.etsi.org/01903#SignedProperties"

/* ------------------------------------------------------------ algorithms */
typedef enum { ALG_RSA_PKCS1, ALG_RSA_PSS, ALG_ECDSA } alg_family;

typedef struct {
	const char *uri;
	const char *name; /* short name in reports: "rsa-pss-sha256" */
	alg_family family;
	const char *md;   /* OpenSSL digest name */
	int weak;         /* SHA-1: recognised only to be refused */
} sig_alg;

typedef struct {
	const char *uri;
	const char *md;
	int weak;
} digest_alg;

/* NULL when the URI is not one sohoa knows. */
const sig_alg *signer_sig_alg(const char *uri);
const digest_alg *signer_digest_alg(const char *uri);
/* The signature method sohoa signs with for `pkey` (PSS for RSA unless
 * `legacy_rsa`; ECDSA with the curve's hash). NULL for other keys. */
const sig_alg *signer_sig_alg_for_key(EVP_PKEY *pkey, int legacy_rsa);

/* 0 when `pkey` meets the profile (RSA >= 2048, P-256/P-384/P-521); otherwise
 * sets SOHOA_ECRYPTO with a message naming `what` and returns it. */
int signer_key_policy(EVP_PKEY *pkey, const char *what);

/* Reads `package` (directory or package.xml) through the safe parser, signs it
 * (sohoa_signer_sign_doc) and gives the new package.xml in *out (xmlFree'd by
 * the caller, *len bytes); writes nothing. Safe to call from several threads
 * at once with a file key. */
int signer_sign_to_memory(xmlChar **out, int *len, const char *package, sohoa_signer_key *key,
			  const sohoa_signer_sign_options *opt);

/* Signs `len` bytes with `alg`, giving the XMLDSig SignatureValue bytes (r||s
 * for ECDSA). *out is OPENSSL_malloc'd. */
int signer_raw_sign(unsigned char **out, size_t *outlen, EVP_PKEY *pkey, const sig_alg *alg,
		    const unsigned char *data, size_t len);
/* 1 when `sig` is a valid XMLDSig SignatureValue of `data`, 0 when not, negative
 * on an internal error. */
int signer_raw_verify(EVP_PKEY *pkey, const sig_alg *alg, const unsigned char *sig,
		      size_t siglen, const unsigned char *data, size_t len);

/* --------------------------------------------------------- canonicalising */
/* Canonical bytes of the subtree of `node` with libxml2 `mode`
 * (XML_C14N_EXCLUSIVE_1_0) and optional inclusive prefixes (NULL-terminated). */
int signer_c14n_ex(unsigned char **out, size_t *len, xmlNodePtr node, int with_comments,
		   xmlChar **prefixes);

/* ------------------------------------------------------------------- XML */
int signer_is(xmlNodePtr node, const char *ns, const char *name);
/* First element child of `parent` (any name) or the next element sibling. */
xmlNodePtr signer_first_el(xmlNodePtr parent);
xmlNodePtr signer_next_el(xmlNodePtr node);
/* First element child with that namespace and name, or NULL. */
xmlNodePtr signer_child(xmlNodePtr parent, const char *ns, const char *name);
/* Attribute without namespace, or NULL; not copied (points into the tree). */
const char *signer_attr(xmlNodePtr node, const char *name);
/* Text content with surrounding whitespace trimmed; malloc'd. */
char *signer_text(xmlNodePtr node);

/* ---------------------------------------------------------------- base64 */
/* Base64 without line breaks; malloc'd. */
char *signer_b64(const unsigned char *data, size_t len);
/* Decodes base64, ignoring XML whitespace. -1 if malformed. *out malloc'd. */
int signer_unb64(unsigned char **out, size_t *len, const char *text);

/* ----------------------------------------------------------------- time */
/* "2025-03-01T08:15:00Z" */
void signer_format_time(char out[32], time_t t);
/* xsd:dateTime with Z or an offset; -1 if malformed. */
int signer_parse_time(time_t *out, const char *text);

/* ---------------------------------------------------------- certificates */
/* DER of the RFC 5035 IssuerSerial of `cert` (issuer as a directoryName).
 * *out is OPENSSL_malloc'd. */
int signer_issuer_serial_der(unsigned char **out, size_t *len, X509 *cert);
/* SHA-256 (or `md`) of the certificate's DER. */
int signer_cert_digest(unsigned char *out, unsigned int *outlen, X509 *cert, const char *md);
/* Subject as a one-line string ("CN=…, O=…"), malloc'd. */
char *signer_subject(X509 *cert);

/* ------------------------------------------------------------------ keys */
struct sohoa_signer_key {
	EVP_PKEY *pkey;
	X509 *cert;
	STACK_OF(X509) *chain;
	char *subject;
	/* PKCS#11 (pkcs11.c): libp11 context and slots, NULL for file keys */
	struct PKCS11_ctx_st *p11;
	struct PKCS11_slot_st *slots;
	unsigned int nslots;
};

/* Opens the token key named by a pkcs11: URI into k->pkey (and k->cert when
 * the token holds a certificate with the same id or label). */
int signer_pkcs11_open(sohoa_signer_key *k, const char *uri, const sohoa_signer_key_options *opt);
void signer_pkcs11_close(sohoa_signer_key *k);
EVP_PKEY *signer_key_pkey(const sohoa_signer_key *k);
X509 *signer_key_cert(const sohoa_signer_key *k);
STACK_OF(X509) *signer_key_chain(const sohoa_signer_key *k);

/* ------------------------------------------------------------------- Ids */
/* Every Id-like attribute of a document: "strong" ones (Id, ID in any
 * namespace, xml:id) must be unique; "weak" ones (other spellings of id) only
 * matter when a reference names their value. */
typedef struct {
	const char *value;
	xmlNodePtr el;
	int strong;
	int plain_Id; /* unqualified "Id": the only attribute references resolve by */
} signer_id;

typedef struct {
	signer_id *v;
	size_t n;
} signer_ids;

/* Collects the Ids of `doc`. Returns 0, or SOHOA_EFORMAT with a message naming
 * `name` and the line when a strong Id appears twice, or SOHOA_ENOMEM. */
int signer_ids_scan(signer_ids *ids, xmlDocPtr doc, const char *name);
void signer_ids_free(signer_ids *ids);
/* The element a "#value" reference selects: the one element whose unqualified
 * Id is `value`, provided no other element carries an id-like attribute with
 * that value. NULL otherwise, with *why saying which. */
xmlNodePtr signer_ids_resolve(const signer_ids *ids, const char *value, const char **why);

/* ------------------------------------------------- timestamps (tsa.c) */
/* Asks the RFC 3161 timestamp authority at `url` (HTTP POST, libcurl) for a
 * token over `data` (SHA-256 imprint, random nonce, certReq) and checks the
 * reply answers the request. *out is the token's DER (OPENSSL_malloc'd).
 * Errors name `name` and the URL: SOHOA_EIO (unreachable, HTTP error),
 * SOHOA_EFORMAT (not a timestamp reply), SOHOA_ELIMIT (reply too large),
 * SOHOA_EVERIFY (refused, or the token answers another request). */
int signer_tsa_stamp(unsigned char **out, size_t *outlen, const char *url,
		     const unsigned char *data, size_t len, const char *name);

/* A TimeStampToken read from a signature. */
typedef struct {
	PKCS7 *p7;
	STACK_OF(X509) *signers; /* PKCS7_get0_signers (the certificates are p7's) */
	X509 *signer;            /* the TSA certificate, in p7 */
	STACK_OF(X509) *certs;   /* every certificate the token carries, in p7 */
	time_t gen_time;
} signer_tst;
/* Reads the token `der` and checks its imprint is the digest of `data`, its
 * CMS signature verifies with the TSA certificate it carries, and its ESS
 * signing-certificate attribute names that certificate. 0 when all hold; 1
 * when the token is malformed; 2 when it does not verify; *why says which. The
 * TSA's chain and EKU are the caller's to check. Free with signer_tst_clear. */
int signer_tst_check(signer_tst *t, const unsigned char *der, size_t len,
		     const unsigned char *data, size_t dlen, const char **why);
void signer_tst_clear(signer_tst *t);

/* -------------------------------------------------- verifier cache (vcache.c) */
/* A certificate chain verified against the verifier's anchors: leaf first,
 * anchor last, with the --crl CRL found (issuer name matching, signature
 * checked with the next certificate's key) for each certificate, and the window
 * in which every certificate of it is valid. */
typedef struct {
	STACK_OF(X509) *certs;
	X509_CRL **crls; /* crls[i] for certs[i], or NULL; NULL array without --crl */
	time_t not_before, not_after;
} signer_chain;
void signer_chain_free(signer_chain *ch);

typedef struct signer_vcache signer_vcache;
int signer_vcache_new(signer_vcache **out);
void signer_vcache_free(signer_vcache *c);
/* The certificate whose DER is `der` (a new reference the caller frees), decoded
 * once per verifier; NULL when `der` is not exactly one certificate. */
X509 *signer_vcache_d2i(signer_vcache *c, const unsigned char *der, size_t len);
/* The cache key of verifying `leaf` with `untrusted` as intermediates. */
int signer_chain_key(unsigned char out[SOHOA_SHA256_LEN], X509 *leaf, STACK_OF(X509) *untrusted);
/* The chain verified earlier under `key`, if `at` falls strictly inside its
 * validity window; NULL otherwise. Owned by the cache (lives as long as it). */
signer_chain *signer_vcache_chain(signer_vcache *c, const unsigned char key[SOHOA_SHA256_LEN],
				  time_t at);
/* Keeps `chain` under `key`: 1 when the cache took ownership, 0 when it is full
 * or already has the key (the caller still owns and frees `chain`). */
int signer_vcache_add_chain(signer_vcache *c, const unsigned char key[SOHOA_SHA256_LEN],
			    signer_chain *chain);

/* Recomputes report->passed after a change (files.c). */
void signer_report_update(sohoa_signer_report *rep);

/* ---------------------------------------------------------- demo PKI */
/* Issues a certificate for `pkey`, signed by `issuer_key` (self-signed when
 * issuer is NULL). `days_from`/`days_to` are offsets from now; `ku` is an
 * X509v3 keyUsage value string ("digitalSignature,nonRepudiation") or NULL;
 * `ca` adds basicConstraints CA:TRUE. Used by `sohoa keys demo` and the tests. */
X509 *signer_demo_issue(EVP_PKEY *pkey, const char *cn, const char *org, X509 *issuer,
			EVP_PKEY *issuer_key, long serial, int days_from, int days_to,
			const char *ku, int ca);
/* The same with an extendedKeyUsage value ("critical,timeStamping") or NULL. */
X509 *signer_demo_issue_eku(EVP_PKEY *pkey, const char *cn, const char *org, X509 *issuer,
			    EVP_PKEY *issuer_key, long serial, int days_from, int days_to,
			    const char *ku, const char *eku, int ca);
/* New key: "rsa:BITS" or an EC curve name ("P-256", "P-384", "P-192"). */
EVP_PKEY *signer_demo_key(const char *spec);
/* CRL of `issuer` revoking the given serials (revoked one day ago). */
X509_CRL *signer_demo_crl(X509 *issuer, EVP_PKEY *issuer_key, const long *serials, size_t n);

#endif
