/* signer/demo.c: a demo PKI built with OpenSSL's X509 builder (no shelling
 * out) — keys, CA and end-entity certificates, a CRL — for `sohoa keys demo`,
 * the demo script and the tests. */
#include "signer/internal.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

EVP_PKEY *signer_demo_key(const char *spec)
{
	if (strncmp(spec, "rsa:", 4) == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)atoi(spec + 4));
	return EVP_PKEY_Q_keygen(NULL, NULL, "EC", spec);
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, issuer ? issuer : cert, cert, NULL, NULL, 0);
	ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	ok = ext && X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

X509 *signer_demo_issue(EVP_PKEY *pkey, const char *cn, const char *org, X509 *issuer,
			EVP_PKEY *issuer_key, long serial, int days_from, int days_to,
			const char *ku, int ca)
{
	return signer_demo_issue_eku(pkey, cn, org, issuer, issuer_key, serial, days_from, days_to,
				     ku, NULL, ca);
}

X509 *signer_demo_issue_eku(EVP_PKEY *pkey, const char *cn, const char *org, X509 *issuer,
			    EVP_PKEY *issuer_key, long serial, int days_from, int days_to,
			    const char *ku, const char *eku, int ca)
{
	X509 *c = X509_new();
	X509_NAME *name = X509_NAME_new();
	int ok = c && name;

	ok = ok && X509_set_version(c, 2) && ASN1_INTEGER_set(X509_get_serialNumber(c), serial) &&
	     X509_gmtime_adj(X509_getm_notBefore(c), (long)days_from * 86400) &&
	     X509_gmtime_adj(X509_getm_notAfter(c), (long)days_to * 86400) &&
	     X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8, (const unsigned char *)"VN", -1,
					-1, 0) &&
	     X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, (const unsigned char *)org, -1,
					-1, 0) &&
	     X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1,
					-1, 0) &&
	     X509_set_subject_name(c, name) &&
	     X509_set_issuer_name(c, issuer ? X509_get_subject_name(issuer) : name) &&
	     X509_set_pubkey(c, pkey);
	ok = ok && add_ext(c, issuer, NID_basic_constraints, ca ? "critical,CA:TRUE" : "CA:FALSE");
	ok = ok && add_ext(c, issuer, NID_subject_key_identifier, "hash");
	if (issuer)
		ok = ok && add_ext(c, issuer, NID_authority_key_identifier, "keyid:always");
	if (ku)
		ok = ok && add_ext(c, issuer, NID_key_usage, ku);
	if (eku)
		ok = ok && add_ext(c, issuer, NID_ext_key_usage, eku);
	ok = ok && X509_sign(c, issuer_key ? issuer_key : pkey, EVP_sha256()) > 0;
	X509_NAME_free(name);
	if (!ok) {
		X509_free(c);
		c = NULL;
	}
	ERR_clear_error();
	return c;
}

X509_CRL *signer_demo_crl(X509 *issuer, EVP_PKEY *issuer_key, const long *serials, size_t n)
{
	X509_CRL *crl = X509_CRL_new();
	ASN1_TIME *now = ASN1_TIME_adj(NULL, time(NULL), 0, 0);
	ASN1_TIME *next = ASN1_TIME_adj(NULL, time(NULL), 30, 0);
	ASN1_TIME *when = ASN1_TIME_adj(NULL, time(NULL), -1, 0);
	int ok = crl && now && next && when && X509_CRL_set_version(crl, 1) &&
		 X509_CRL_set_issuer_name(crl, X509_get_subject_name(issuer)) &&
		 X509_CRL_set1_lastUpdate(crl, now) && X509_CRL_set1_nextUpdate(crl, next);

	for (size_t i = 0; ok && i < n; i++) {
		X509_REVOKED *r = X509_REVOKED_new();
		ASN1_INTEGER *sn = ASN1_INTEGER_new();
		ok = r && sn && ASN1_INTEGER_set(sn, serials[i]) &&
		     X509_REVOKED_set_serialNumber(r, sn) &&
		     X509_REVOKED_set_revocationDate(r, when) && X509_CRL_add0_revoked(crl, r);
		if (!ok)
			X509_REVOKED_free(r);
		ASN1_INTEGER_free(sn);
	}
	ok = ok && X509_CRL_sort(crl) && X509_CRL_sign(crl, issuer_key, EVP_sha256()) > 0;
	ASN1_TIME_free(now);
	ASN1_TIME_free(next);
	ASN1_TIME_free(when);
	if (!ok) {
		X509_CRL_free(crl);
		crl = NULL;
	}
	ERR_clear_error();
	return crl;
}

/* ------------------------------------------------------------ writing */

typedef struct {
	const char *dir;
	int rc;
} writer;

static void put(writer *w, const char *name, BIO *bio, int private_file)
{
	char *path = NULL, *data;
	long len = bio ? BIO_get_mem_data(bio, &data) : -1;

	if (w->rc < 0)
		return;
	if (len < 0 || asprintf(&path, "%s/%s", w->dir, name) < 0) {
		w->rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		return;
	}
	w->rc = sohoa_file_write_atomic(path, data, (size_t)len);
	if (w->rc == 0 && chmod(path, private_file ? 0600 : 0644) < 0)
		w->rc = sohoa_error_from_errno(errno, "%s", path);
	free(path);
}

static void put_key(writer *w, const char *name, EVP_PKEY *k)
{
	BIO *b = BIO_new(BIO_s_mem());
	if (!b || !PEM_write_bio_PrivateKey(b, k, NULL, NULL, 0, NULL, NULL))
		w->rc = w->rc < 0 ? w->rc : sohoa_error_set(SOHOA_ECRYPTO, _("%s: cannot encode"), name);
	put(w, name, b, 1);
	BIO_free(b);
}

static void put_certs(writer *w, const char *name, X509 *a, X509 *b)
{
	BIO *bio = BIO_new(BIO_s_mem());
	if (!bio || !PEM_write_bio_X509(bio, a) || (b && !PEM_write_bio_X509(bio, b)))
		w->rc = w->rc < 0 ? w->rc : sohoa_error_set(SOHOA_ECRYPTO, _("%s: cannot encode"), name);
	put(w, name, bio, 0);
	BIO_free(bio);
}

static void put_p12(writer *w, const char *name, EVP_PKEY *k, X509 *cert, X509 *ca,
		    const char *pass)
{
	STACK_OF(X509) *chain = sk_X509_new_null();
	PKCS12 *p12 = NULL;
	BIO *bio = BIO_new(BIO_s_mem());

	if (chain && sk_X509_push(chain, ca))
		p12 = PKCS12_create(pass, "sohoa demo", k, cert, chain, NID_aes_256_cbc,
				    NID_aes_256_cbc, 0, 0, 0);
	if (!bio || !p12 || i2d_PKCS12_bio(bio, p12) != 1)
		w->rc = w->rc < 0 ? w->rc : sohoa_error_set(SOHOA_ECRYPTO, _("%s: cannot encode"), name);
	put(w, name, bio, 1);
	BIO_free(bio);
	PKCS12_free(p12);
	sk_X509_free(chain);
}

static const char softhsm_script[] =
	"#!/bin/sh\n"
	"# softhsm-load.sh: loads the demo ECDSA leader key and certificate into a fresh\n"
	"# SoftHSM2 token (label sohoa-demo, user PIN 1234, SO PIN 12345678) kept in\n"
	"# ./softhsm-tokens beside this script. Then:\n"
	"#   export SOFTHSM2_CONF=$PWD/softhsm2.conf\n"
	"#   sohoa sign --key 'pkcs11:token=sohoa-demo;object=leader' PACKAGE\n"
	"set -eu\n"
	"cd \"$(dirname \"$0\")\"\n"
	"mkdir -p softhsm-tokens\n"
	"printf 'directories.tokendir = %s/softhsm-tokens\\nobjectstore.backend = file\\n' "
	"\"$PWD\" > softhsm2.conf\n"
	"export SOFTHSM2_CONF=\"$PWD/softhsm2.conf\"\n"
	"module=${SOFTHSM2_MODULE:-/usr/lib/softhsm/libsofthsm2.so}\n"
	"softhsm2-util --init-token --free --label sohoa-demo --pin 1234 --so-pin 12345678\n"
	"softhsm2-util --import leader-ec.key.pem --token sohoa-demo --label leader --id 01 "
	"--pin 1234\n"
	"openssl x509 -in leader-ec.pem -outform DER -out leader-ec.der\n"
	"pkcs11-tool --module \"$module\" --token-label sohoa-demo --login --pin 1234 \\\n"
	"  --write-object leader-ec.der --type cert --id 01 --label leader\n"
	"echo \"loaded: pkcs11:token=sohoa-demo;object=leader (SOFTHSM2_CONF=$SOFTHSM2_CONF)\"\n";

static const char readme[] =
	"sohoa demo PKI — for demos and tests only, never for real documents.\n"
	"\n"
	"root-ca.pem            trust anchor (sohoa verify --trust root-ca.pem)\n"
	"issuing-ca.pem         issuing CA (chain); issuing-ca.crl.pem its CRL\n"
	"seal.{key.pem,pem,p12}       organisation seal, RSA-2048\n"
	"leader-rsa.{key.pem,pem,p12} leader 1, RSA-3072\n"
	"leader-ec.{key.pem,pem,p12}  leader 2, ECDSA P-256\n"
	"revoked.{key.pem,pem}        leader 3, RSA-2048, revoked in issuing-ca.crl.pem\n"
	"tsa.{key.pem,pem}            timestamp authority (EKU timeStamping, critical), P-256\n"
	"PKCS#12 password: sohoa-demo (sohoa sign --pass env:VAR or file:PATH)\n"
	"softhsm-load.sh        puts leader-ec into a SoftHSM2 token\n";

int sohoa_signer_keys_demo(const char *dir)
{
	static const struct {
		const char *file, *cn, *key, *ku, *eku;
		long serial;
	} ees[] = {
		{"seal", "Văn phòng UBND (con dấu)", "rsa:2048", "critical,digitalSignature,nonRepudiation", NULL, 100},
		{"leader-rsa", "Nguyễn Văn An (lãnh đạo)", "rsa:3072", "critical,digitalSignature,nonRepudiation", NULL, 101},
		{"leader-ec", "Trần Thị Bình (lãnh đạo)", "P-256", "critical,digitalSignature,nonRepudiation", NULL, 102},
		{"revoked", "Lê Văn Cường (đã thu hồi)", "rsa:2048", "critical,digitalSignature,nonRepudiation", NULL, 103},
		{"tsa", "sohoa Demo TSA", "P-256", "critical,digitalSignature", "critical,timeStamping", 104},
	};
	const char *org = "Demo sohoa";
	writer w = {dir, 0};
	EVP_PKEY *root_key = NULL, *ca_key = NULL;
	X509 *root = NULL, *ca = NULL;
	X509_CRL *crl = NULL;
	long revoked = 103;
	BIO *b;

	if ((w.rc = sohoa_mkdir_p(dir)) < 0)
		return w.rc;
	root_key = signer_demo_key("P-384");
	ca_key = signer_demo_key("rsa:3072");
	root = root_key ? signer_demo_issue(root_key, "sohoa Demo Root CA", org, NULL, NULL, 1, -1,
					    3650, "critical,keyCertSign,cRLSign", 1)
			: NULL;
	ca = ca_key && root ? signer_demo_issue(ca_key, "sohoa Demo Issuing CA", org, root,
						root_key, 2, -1, 1825,
						"critical,keyCertSign,cRLSign", 1)
			    : NULL;
	crl = ca ? signer_demo_crl(ca, ca_key, &revoked, 1) : NULL;
	if (!crl) {
		w.rc = sohoa_error_set(SOHOA_ECRYPTO, _("%s: cannot create the demo CAs"), dir);
		goto cleanup;
	}
	put_certs(&w, "root-ca.pem", root, NULL);
	put_key(&w, "root-ca.key.pem", root_key);
	put_certs(&w, "issuing-ca.pem", ca, NULL);
	put_key(&w, "issuing-ca.key.pem", ca_key);
	b = BIO_new(BIO_s_mem());
	if (!b || !PEM_write_bio_X509_CRL(b, crl))
		w.rc = sohoa_error_set(SOHOA_ECRYPTO, _("CRL: cannot encode"));
	put(&w, "issuing-ca.crl.pem", b, 0);
	BIO_free(b);
	for (size_t i = 0; i < sizeof ees / sizeof ees[0] && w.rc == 0; i++) {
		EVP_PKEY *k = signer_demo_key(ees[i].key);
		X509 *c = k ? signer_demo_issue_eku(k, ees[i].cn, org, ca, ca_key, ees[i].serial,
						    -1, 730, ees[i].ku, ees[i].eku, 0)
			    : NULL;
		char name[64];
		if (!c) {
			w.rc = sohoa_error_set(SOHOA_ECRYPTO, _("%s: cannot create %s"), dir,
					       ees[i].file);
		} else {
			snprintf(name, sizeof name, "%s.key.pem", ees[i].file);
			put_key(&w, name, k);
			snprintf(name, sizeof name, "%s.pem", ees[i].file);
			put_certs(&w, name, c, ca);
			snprintf(name, sizeof name, "%s.p12", ees[i].file);
			put_p12(&w, name, k, c, ca, "sohoa-demo");
		}
		X509_free(c);
		EVP_PKEY_free(k);
	}
	b = BIO_new_mem_buf(softhsm_script, (int)strlen(softhsm_script));
	if (b) {
		char *p = NULL;
		put(&w, "softhsm-load.sh", b, 0);
		if (w.rc == 0 && asprintf(&p, "%s/softhsm-load.sh", dir) >= 0)
			chmod(p, 0755);
		free(p);
		BIO_free(b);
	}
	b = BIO_new_mem_buf(readme, (int)strlen(readme));
	put(&w, "README.txt", b, 0);
	BIO_free(b);
cleanup:
	X509_CRL_free(crl);
	X509_free(root);
	X509_free(ca);
	EVP_PKEY_free(root_key);
	EVP_PKEY_free(ca_key);
	return w.rc;
}
