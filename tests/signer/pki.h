/* tests/signer/pki.h: a test PKI made once per test program with real OpenSSL
 * keys (root and issuing CA, leaves for every case: RSA, P-256, P-384, revoked,
 * expired, not yet valid, wrong key usage, 1024-bit RSA, foreign CA), written as
 * PEM files, and helpers to make, sign, alter and verify packages. */
#ifndef SOHOA_TEST_PKI_H
#define SOHOA_TEST_PKI_H

#include "testutil.h"

#include "signer/signer.h"

typedef struct {
	char *dir;   /* holds every PEM file below */
	char *trust; /* root.pem */
	char *trust_all; /* root + issuing CA (for signatures carrying the leaf only) */
	char *crl;   /* crl.pem: the issuing CA revokes "revoked" */
} pki;

/* Leaves: "rsa" (2048), "rsa3072", "p256", "p384", "revoked" (P-256),
 * "expired", "future" (P-256), "badku" (P-256, keyAgreement only), "weak"
 * (RSA-1024), "p192" (curve P-192), "alien" (P-256 from an untrusted CA),
 * "brief" (P-256, expires in 2 days), "tsa" (EKU timeStamping, critical) and
 * "tsa-alien" (the same from the untrusted CA).
 * Files: <name>.key.pem, <name>.pem (leaf then issuing CA), <name>.leaf.pem. */
extern pki tp;

int pki_setup(void **state);    /* cmocka group setup */
int pki_teardown(void **state); /* cmocka group teardown */

/* malloc'd "<tp.dir>/<name><suffix>" */
char *pki_file(const char *name, const char *suffix);

/* A package directory under `dir` named `name` with two files and a
 * package.xml without signatures; returns its malloc'd path. */
char *pkg_make(const char *dir, const char *name);

/* Signs package `pkg` with leaf `leaf`; asserts success. */
void pkg_sign(const char *pkg, const char *leaf, sohoa_signer_role role, int legacy_rsa);

/* Verifies `pkg` with tp.trust and, when `crl`, tp.crl. Caller frees. */
sohoa_signer_report *pkg_verify(const char *pkg, int crl);
sohoa_signer_report *pkg_verify_with(const char *pkg, const char *trust, const char *crl);

/* package.xml of `pkg` as a string (caller frees) / replaced. */
char *pkg_read(const char *pkg);
void pkg_write(const char *pkg, const char *xml);
/* Replaces the first `from` in package.xml with `to`; asserts it was there. */
void pkg_replace(const char *pkg, const char *from, const char *to);

/* Asserts one signature (index i) has that indication and sub-indication. */
void assert_sig(const sohoa_signer_report *r, size_t i, sohoa_signer_indication ind,
		sohoa_signer_subindication sub);

#endif
