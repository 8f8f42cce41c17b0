/* signer/signer.h: the one public header of signer/ — XAdES B-B signing and
 * verification (B-B, and B-T with an RFC 3161 timestamp) of packages on
 * OpenSSL, libxml2 and libcurl, key sources, demo keys.
 * The profile (what is signed, algorithms, checks) is docs/signatures.md. */
#ifndef SOHOA_SIGNER_H
#define SOHOA_SIGNER_H

#include <libxml/tree.h>
#include <stdio.h>
#include <time.h>

#include "core/core.h"

/* ------------------------------------------------------- canonicalisation */
/* SHA-256 of the exclusive XML canonicalisation (without comments) of the
 * subtree rooted at element `node`: the digest a ds:Reference with the
 * exc-c14n transform carries for that element. Errors: SOHOA_EINVAL if `node`
 * is not an element, SOHOA_EDEPENDENCY if canonicalisation fails. */
int sohoa_signer_c14n_digest(uint8_t out[SOHOA_SHA256_LEN], xmlNodePtr node);

/* The canonical bytes themselves, for callers that sign or compare them.
 * *out is malloc'd and owned by the caller; *len excludes no terminator. */
int sohoa_signer_c14n(unsigned char **out, size_t *len, xmlNodePtr node);

/* OpenSSL's version, e.g. "OpenSSL 3.0.17 1 Jul 2025". Never NULL. */
const char *sohoa_signer_versions(void);

/* ------------------------------------------------------------------ keys */
/* A signing key with its certificate and chain, loaded once and used for any
 * number of signatures (one password entry or token login per load). */
typedef struct sohoa_signer_key sohoa_signer_key;

typedef struct {
	const char *cert;  /* signer certificate PEM (may be followed by its chain);
			      required for a PEM key, ignored for PKCS#12 */
	const char *chain; /* extra chain certificates PEM, or NULL */
	const char *pass;  /* "env:VAR" or "file:PATH", or NULL: prompt on /dev/tty
			      when the key needs a password */
	int no_prompt;     /* never prompt: a needed password that was not given
			      is SOHOA_EAUTH */
} sohoa_signer_key_options;

/* Loads the key named `key`: a PEM private key file (optionally encrypted) or a
 * PKCS#12 file (told apart by content). Refuses, with a message naming the
 * file: RSA keys under 2048 bits, curves other than P-256/P-384/P-521, other
 * key types (SOHOA_ECRYPTO); a certificate that does not belong to the key or
 * whose key usage allows neither digitalSignature nor nonRepudiation
 * (SOHOA_ECRYPTO); a wrong or missing password or PIN (SOHOA_EAUTH); a missing
 * file, token or key (SOHOA_ENOTFOUND). `key` may also be a pkcs11: URI (RFC
 * 7512; docs/signatures.md): the token is logged into once, here, with the PIN
 * from opt->pass or a prompt, and stays open until sohoa_signer_key_free.
 * The caller frees *out with sohoa_signer_key_free. */
int sohoa_signer_key_open(sohoa_signer_key **out, const char *key,
			  const sohoa_signer_key_options *opt);
void sohoa_signer_key_free(sohoa_signer_key *key);
/* The certificate's subject ("CN=…, O=…"); owned by the key. */
const char *sohoa_signer_key_subject(const sohoa_signer_key *key);

/* Reads a password from `source`: "env:VAR" (the variable's value), "file:PATH"
 * (the first line), or NULL (prompt `prompt` on /dev/tty with echo off, unless
 * `no_prompt`). *out is malloc'd; the caller wipes and frees it with
 * sohoa_signer_pass_free. Errors: SOHOA_EINVAL (unknown source), SOHOA_ENOTFOUND
 * (variable or file missing), SOHOA_EAUTH (no terminal / prompting refused). */
int sohoa_signer_pass_read(char **out, const char *source, const char *prompt, int no_prompt);
void sohoa_signer_pass_free(char *pass);

/* --------------------------------------------------------------- signing */
typedef enum {
	SOHOA_SIGNER_ROLE_LEADER = 0,
	SOHOA_SIGNER_ROLE_SEAL = 1,
} sohoa_signer_role;

typedef struct {
	sohoa_signer_role role;
	int legacy_rsa;      /* RSA PKCS#1 v1.5 instead of PSS (older verifiers) */
	time_t signing_time; /* 0: now */
	const char *tsa_url; /* XAdES B-T: RFC 3161 timestamp authority (http or
				https URL) asked for a SignatureTimeStamp; NULL: B-B */
	int jobs;            /* sohoa_signer_sign_packages: signing threads; 0: 2
				(1 on one CPU); always 1 for a token key or a TSA */
} sohoa_signer_sign_options;

/* Appends one XAdES B-B signature over the package's Content (Id "content") to
 * the Signatures element of `doc` (created when missing); with opt->tsa_url, a
 * B-T one: the timestamp authority's token over the exclusive c14n of the
 * ds:SignatureValue is added as xades:SignatureTimeStamp. Nothing else of the
 * document changes, so earlier signatures stay valid; on any error `doc` is
 * left as it was. `name` is used in messages. Errors: SOHOA_EFORMAT (not a
 * package: no Package/Content with Id="content", duplicate Ids), SOHOA_ECRYPTO,
 * SOHOA_ENOMEM; with a TSA also SOHOA_EIO (unreachable, HTTP error),
 * SOHOA_EFORMAT/SOHOA_ELIMIT (bad reply), SOHOA_EVERIFY (refused or wrong token). */
int sohoa_signer_sign_doc(xmlDocPtr doc, const char *name, sohoa_signer_key *key,
			  const sohoa_signer_sign_options *opt);

/* Reads `package` (a directory holding package.xml, or that file) through the
 * safe XML parser, signs it as sohoa_signer_sign_doc does and replaces the
 * file atomically; on any error (a timestamp authority that cannot be reached
 * included) the file is not touched. */
int sohoa_signer_sign_package(const char *package, sohoa_signer_key *key,
			      const sohoa_signer_sign_options *opt);

/* Signs the `n` packages with the same key (one login), as
 * sohoa_signer_sign_package does each: opt->jobs threads (see there) sign
 * and write each new package.xml to a temporary file while the calling thread
 * commits the finished ones in groups of up to 128 with
 * sohoa_atomic_commit_all (one filesystem sync before the renames and one
 * after, instead of two fsyncs per package), so the disk overlaps the
 * signing: for --batch. A package.xml given twice (same file) is signed the
 * second time after its first signature is committed. `done(i, rc, user)` (may
 * be NULL) is called once per package, always from the calling thread, when
 * its outcome is final: a failure (message in sohoa_error_last()) or success
 * once committed; calls come in no fixed order. A failed package is left as
 * it was. With a file key the key is used from several threads at once.
 * Returns 0 when all were signed, else the code of the last failure reported. */
int sohoa_signer_sign_packages(const char *const *packages, size_t n, sohoa_signer_key *key,
			       const sohoa_signer_sign_options *opt,
			       void (*done)(size_t i, int rc, void *user), void *user);

/* Path of the package.xml of `package` (a directory or the file itself);
 * malloc'd. */
char *sohoa_signer_package_xml(const char *package);

/* ---------------------------------------------------------- verification */
/* ETSI EN 319 102-1 indications and the sub-indications sohoa reports. The
 * names (sohoa_signer_subindication_name) are the standard's. */
typedef enum {
	SOHOA_SIGNER_TOTAL_PASSED = 0,
	SOHOA_SIGNER_TOTAL_FAILED = 1,
	SOHOA_SIGNER_INDETERMINATE = 2,
} sohoa_signer_indication;

typedef enum {
	SOHOA_SIGNER_SUB_NONE = 0,
	SOHOA_SIGNER_FORMAT_FAILURE,
	SOHOA_SIGNER_HASH_FAILURE,
	SOHOA_SIGNER_SIG_CRYPTO_FAILURE,
	SOHOA_SIGNER_REVOKED,
	SOHOA_SIGNER_EXPIRED,
	SOHOA_SIGNER_NOT_YET_VALID,
	SOHOA_SIGNER_NO_SIGNING_CERTIFICATE_FOUND,
	SOHOA_SIGNER_NO_CERTIFICATE_CHAIN_FOUND,
	SOHOA_SIGNER_CERTIFICATE_CHAIN_GENERAL_FAILURE,
	SOHOA_SIGNER_CHAIN_CONSTRAINTS_FAILURE,
	SOHOA_SIGNER_CRYPTO_CONSTRAINTS_FAILURE_NO_POE,
	SOHOA_SIGNER_OUT_OF_BOUNDS_NO_POE,
	SOHOA_SIGNER_TRY_LATER,
	SOHOA_SIGNER_SIG_CONSTRAINTS_FAILURE, /* the SignatureTimeStamp does not
						 verify (docs/signatures.md) */
} sohoa_signer_subindication;

/* "TOTAL-PASSED", "HASH_FAILURE"…; "" for SOHOA_SIGNER_SUB_NONE. Never NULL. */
const char *sohoa_signer_indication_name(sohoa_signer_indication ind);
const char *sohoa_signer_subindication_name(sohoa_signer_subindication sub);

/* The result of one ds:Signature. Strings are NULL when unknown. */
typedef struct {
	sohoa_signer_indication indication;
	sohoa_signer_subindication sub;
	char *id;           /* ds:Signature/@Id */
	char *detail;       /* why it failed, for a person (English) */
	char *signer;       /* signing certificate subject */
	char *role;         /* ClaimedRole */
	char *signing_time; /* SigningTime as written */
	char *algorithm;    /* "rsa-pss-sha256", "ecdsa-sha256"… */
	char *timestamp_time; /* B-T: genTime of the verified SignatureTimeStamp
				 (the earliest), used as the signing time */
} sohoa_signer_result;

/* The result of one package. Owned by the caller, freed with
 * sohoa_signer_report_free. */
typedef struct {
	char *package;      /* name given to verify */
	char *error;        /* package-level failure (unreadable, DOCTYPE, not a
			       package, duplicate Ids…) or NULL */
	sohoa_signer_result *sigs;
	size_t nsigs;
	int revocation_checked; /* a --crl was given */
	int files_checked;      /* the Files check ran */
	size_t nfiles;          /* files listed */
	char **file_problems;   /* one line per missing, extra or changed file */
	size_t nproblems;
	xmlNodePtr content; /* the Content element the signatures digested (in
			       `doc`); the Files list is read from it */
	xmlDocPtr doc;      /* owned by the report when verify_package read it */
	int passed; /* >= 1 signature, all TOTAL-PASSED, files (when checked) ok,
		       no package-level error */
} sohoa_signer_report;

/* Trust anchors, revocation data and the validation time shared by many
 * verifications; read-only once made, usable from several threads. */
typedef struct sohoa_signer_verifier sohoa_signer_verifier;

/* `trust_pem`: file of trusted root certificates (NULL: none, so no chain can
 * be found); `crl_pem`: file of CRLs (NULL: revocation not checked). Errors
 * name the file: SOHOA_ENOTFOUND, SOHOA_EFORMAT (no certificate / CRL in it). */
int sohoa_signer_verifier_new(sohoa_signer_verifier **out, const char *trust_pem,
			      const char *crl_pem);
void sohoa_signer_verifier_free(sohoa_signer_verifier *v);
/* Validation time ("now"); 0 restores the clock. For tests and replays. */
void sohoa_signer_verifier_set_time(sohoa_signer_verifier *v, time_t now);

/* Verifies every signature of the parsed package `doc` (which stays the
 * caller's; report->content points into it) and fills *out. Returns 0 when the
 * verification ran, whatever its outcome (see (*out)->passed), negative only
 * when it could not run (SOHOA_ENOMEM, SOHOA_EINVAL). */
int sohoa_signer_verify_doc(sohoa_signer_report **out, const sohoa_signer_verifier *v,
			    xmlDocPtr doc, const char *name);

/* The Files check: every File of report->content's Files list exists under
 * `dir` with its size and SHA-256, and every regular file under `dir` except
 * package.xml is listed. Adds problems to the report and updates passed. */
int sohoa_signer_verify_files(sohoa_signer_report *report, const char *dir);

/* Reads `package` (directory or package.xml) through the safe parser, verifies
 * its signatures and its files. A package that cannot be read or parsed gives
 * a report with `error` set (still returning 0). */
int sohoa_signer_verify_package(sohoa_signer_report **out, const sohoa_signer_verifier *v,
				const char *package);

void sohoa_signer_report_free(sohoa_signer_report *report);

/* Text for a person: one line per package and per signature; `lang` "vi" for
 * Vietnamese labels, anything else English. */
void sohoa_signer_report_write_text(FILE *out, const sohoa_signer_report *report,
				    const char *lang);
/* JSON array of the reports (docs/signatures.md), never localised. */
void sohoa_signer_report_write_json(FILE *out, sohoa_signer_report *const *reports, size_t n);

/* ------------------------------------------------------------- demo keys */
/* Writes into `dir` (created when missing) a demo PKI made with OpenSSL: root
 * and issuing CAs, an organisation seal certificate (RSA-2048), leader
 * certificates (RSA-3072 and ECDSA P-256), a third leader certificate revoked
 * by the issuing CA's CRL, PKCS#12 copies, and softhsm-load.sh. For demos and
 * tests only; the private keys are unencrypted (mode 0600). */
int sohoa_signer_keys_demo(const char *dir);

#endif
