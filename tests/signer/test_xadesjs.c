/* tests/signer/test_xadesjs.c: xadesjs (a JavaScript XAdES implementation on
 * WebCrypto, tests/signer/xadesjs/) as a second independent peer, both ways: it
 * verifies sohoa's RSASSA-PSS, RSA PKCS#1 v1.5 and ECDSA P-256 signatures,
 * XMLDSig core and the SignedProperties reference (tests/signer/xadesjs/verify.mjs),
 * and fails on altered packages; sohoa verifies signatures xadesjs made
 * (sign.mjs). Skips when node or the project's node_modules (scripts/deps.sh)
 * are missing. */
#include "pki.h"
#include "tsa_server.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PSS   "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1"
#define PKCS1 "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
#define ECDSA "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"

static int have_xadesjs(void)
{
	return access(NODE, X_OK) == 0 && access(XADESJS_DIR "/node_modules/xadesjs", R_OK) == 0;
}

/* node verify.mjs <pkg>/package.xml --count <count> */
static tu_run_result xadesjs_verify(const char *pkg, int count)
{
	char *xml = tu_path(pkg, "package.xml"), n[16];
	char *argv[] = {NODE, XADESJS_DIR "/verify.mjs", xml, "--count", n, NULL};
	tu_run_result r;
	snprintf(n, sizeof n, "%d", count);
	r = tu_run(argv, NULL);
	free(xml);
	return r;
}

static int count_of(const char *s, const char *what)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
		n++;
	return n;
}

static void on_signed(size_t i, int rc, void *user)
{
	(void)user;
	if (rc < 0)
		fail_msg("package %zu: %s", i, sohoa_error_last());
}

/* Signs `n` packages with leaf `leaf` through the batch path `sohoa sign
 * --batch` takes (sohoa_signer_sign_packages). */
static void batch_sign(char **pkgs, size_t n, const char *leaf, sohoa_signer_role role, int legacy)
{
	char *key = pki_file(leaf, ".key.pem"), *cert = pki_file(leaf, ".pem");
	sohoa_signer_key_options ko = {.cert = cert, .no_prompt = 1};
	sohoa_signer_sign_options so = {.role = role, .legacy_rsa = legacy};
	sohoa_signer_key *k = NULL;

	if (sohoa_signer_key_open(&k, key, &ko) < 0)
		fail_msg("key %s: %s", leaf, sohoa_error_last());
	if (sohoa_signer_sign_packages((const char *const *)pkgs, n, k, &so, on_signed, NULL) < 0)
		fail_msg("sign %s: %s", leaf, sohoa_error_last());
	sohoa_signer_key_free(k);
	free(key);
	free(cert);
}

static void test_xadesjs_verifies_each_algorithm(void **state)
{
	static const struct {
		const char *leaf, *uri;
		int legacy;
	} cases[] = {{"rsa", PSS, 0}, {"rsa", PKCS1, 1}, {"p256", ECDSA, 0}};
	const char *dir = ((tu_scratch *)*state)->dir;

	if (!have_xadesjs())
		skip();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *pkgs[3], name[32];
		for (size_t j = 0; j < 3; j++) {
			snprintf(name, sizeof name, "alg%zu-%zu", i, j);
			pkgs[j] = pkg_make(dir, name);
		}
		batch_sign(pkgs, 3, cases[i].leaf, SOHOA_SIGNER_ROLE_SEAL, cases[i].legacy);
		for (size_t j = 0; j < 3; j++) {
			tu_run_result r = xadesjs_verify(pkgs[j], 1);
			if (r.status != 0 || count_of(r.out, " PASSED ") != 1 ||
			    !strstr(r.out, cases[i].uri))
				fail_msg("xadesjs refused sohoa's %s signature (%s): %s%s",
					 cases[i].leaf, cases[i].uri, r.out, r.err);
			tu_run_free(&r);
			free(pkgs[j]);
		}
	}
}

/* A seal (RSA-PSS) and two leaders (ECDSA P-256, RSA PKCS#1 v1.5) on one
 * package: every one verifies, and each alteration is caught. */
static void test_xadesjs_verifies_seal_and_leaders_on_one_package(void **state)
{
	char *pkg, *xml, *at;
	tu_run_result r;

	if (!have_xadesjs())
		skip();
	pkg = pkg_make(((tu_scratch *)*state)->dir, "multi");
	pkg_sign(pkg, "rsa", SOHOA_SIGNER_ROLE_SEAL, 0);
	pkg_sign(pkg, "p256", SOHOA_SIGNER_ROLE_LEADER, 0);
	pkg_sign(pkg, "rsa", SOHOA_SIGNER_ROLE_LEADER, 1);
	r = xadesjs_verify(pkg, 3);
	if (r.status != 0 || count_of(r.out, " PASSED ") != 3)
		fail_msg("xadesjs refused sohoa's signatures: %s%s", r.out, r.err);
	assert_non_null(strstr(r.out, PSS " seal"));
	assert_non_null(strstr(r.out, ECDSA " leader"));
	assert_non_null(strstr(r.out, PKCS1 " leader"));
	tu_run_free(&r);
	/* the oracle counts: --count 2 on three signatures fails */
	r = xadesjs_verify(pkg, 2);
	assert_int_equal(r.status, 1);
	tu_run_free(&r);
	xml = pkg_read(pkg);

	/* altered content: every signature fails on the #content digest */
	pkg_replace(pkg, "UBND huyện", "UBND tỉnh");
	r = xadesjs_verify(pkg, 3);
	assert_int_equal(r.status, 1);
	assert_int_equal(count_of(r.out, " FAILED "), 3);
	assert_int_equal(count_of(r.out, "'#content'"), 3);
	tu_run_free(&r);

	/* altered signed property (the seal's role): that signature fails on
	 * its SignedProperties digest, the others still pass */
	pkg_write(pkg, xml);
	pkg_replace(pkg, ">seal<", ">leader<");
	r = xadesjs_verify(pkg, 3);
	assert_int_equal(r.status, 1);
	assert_int_equal(count_of(r.out, " FAILED "), 1);
	assert_non_null(strstr(r.out, "-signedprops'"));
	tu_run_free(&r);

	/* altered signature value (first byte of the first one, in base64) */
	pkg_write(pkg, xml);
	at = strstr(xml, "-value\">");
	assert_non_null(at);
	at += strlen("-value\">");
	*at = *at == 'A' ? 'B' : 'A';
	pkg_write(pkg, xml);
	r = xadesjs_verify(pkg, 3);
	assert_int_equal(r.status, 1);
	assert_int_equal(count_of(r.out, " FAILED "), 1);
	assert_non_null(strstr(r.out, "signature value does not verify"));
	tu_run_free(&r);
	free(xml);
	free(pkg);
}

/* A B-T signature: its unsigned SignatureTimeStamp leaves what xadesjs
 * verifies intact. */
static void test_xadesjs_verifies_sohoa_bt_signature(void **state)
{
	char *pkg, *key = pki_file("rsa", ".key.pem"), *cert = pki_file("rsa", ".pem");
	sohoa_signer_key_options ko = {.cert = cert, .no_prompt = 1};
	sohoa_signer_sign_options so = {.role = SOHOA_SIGNER_ROLE_SEAL};
	sohoa_signer_key *k = NULL;
	tsa_server *tsa;
	tu_run_result r;

	if (!have_xadesjs()) {
		free(key);
		free(cert);
		skip();
	}
	pkg = pkg_make(((tu_scratch *)*state)->dir, "bt");
	tsa = tsa_start("tsa");
	so.tsa_url = tsa_url(tsa);
	assert_int_equal(sohoa_signer_key_open(&k, key, &ko), 0);
	assert_int_equal(sohoa_signer_sign_package(pkg, k, &so), 0);
	r = xadesjs_verify(pkg, 1);
	if (r.status != 0 || !strstr(r.out, PSS " seal"))
		fail_msg("xadesjs refused sohoa's B-T signature: %s%s", r.out, r.err);
	tu_run_free(&r);
	sohoa_signer_key_free(k);
	tsa_stop(tsa);
	free(key);
	free(cert);
	free(pkg);
}

/* node sign.mjs <pkg>/package.xml <leaf key> <leaf cert+CA> --alg <alg> --role <role> */
static void xadesjs_sign(const char *pkg, const char *leaf, const char *alg, const char *role)
{
	char *xml = tu_path(pkg, "package.xml"), *key = pki_file(leaf, ".key.pem");
	char *cert = pki_file(leaf, ".pem");
	char *argv[] = {NODE,         XADESJS_DIR "/sign.mjs",
			xml,          key,
			cert,         "--alg",
			(char *)alg,  "--role",
			(char *)role, NULL};
	tu_run_result r = tu_run(argv, NULL);
	if (r.status != 0)
		fail_msg("xadesjs sign.mjs %s %s: %s%s", leaf, alg, r.out, r.err);
	tu_run_free(&r);
	free(xml);
	free(key);
	free(cert);
}

static void test_sohoa_verifies_xadesjs_signatures(void **state)
{
	sohoa_signer_report *rep;
	char *pkg;
	tu_run_result r;

	if (!have_xadesjs())
		skip();
	pkg = pkg_make(((tu_scratch *)*state)->dir, "byxadesjs");
	xadesjs_sign(pkg, "rsa", "pss", "seal");
	xadesjs_sign(pkg, "p256", "ecdsa", "leader");
	xadesjs_sign(pkg, "rsa3072", "pkcs1", "leader");
	rep = pkg_verify(pkg, 1);
	assert_int_equal(rep->nsigs, 3);
	for (size_t i = 0; i < 3; i++)
		assert_sig(rep, i, SOHOA_SIGNER_TOTAL_PASSED, SOHOA_SIGNER_SUB_NONE);
	assert_true(rep->passed);
	sohoa_signer_report_free(rep);
	/* sohoa adds its own; all four pass in both implementations */
	pkg_sign(pkg, "p256", SOHOA_SIGNER_ROLE_LEADER, 0);
	rep = pkg_verify(pkg, 1);
	assert_int_equal(rep->nsigs, 4);
	assert_true(rep->passed);
	sohoa_signer_report_free(rep);
	r = xadesjs_verify(pkg, 4);
	if (r.status != 0)
		fail_msg("xadesjs: %s%s", r.out, r.err);
	tu_run_free(&r);
	/* and an altered content fails in sohoa too */
	pkg_replace(pkg, "UBND huyện", "UBND tỉnh");
	rep = pkg_verify(pkg, 1);
	assert_false(rep->passed);
	assert_sig(rep, 0, SOHOA_SIGNER_TOTAL_FAILED, SOHOA_SIGNER_HASH_FAILURE);
	sohoa_signer_report_free(rep);
	free(pkg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, tu_scratch_setup, tu_scratch_teardown)
		T(test_xadesjs_verifies_each_algorithm),
		T(test_xadesjs_verifies_seal_and_leaders_on_one_package),
		T(test_xadesjs_verifies_sohoa_bt_signature),
		T(test_sohoa_verifies_xadesjs_signatures),
	};
	if (!have_xadesjs())
		fprintf(stderr,
			"test_signer_xadesjs: skipped: %s or %s/node_modules missing "
			"(scripts/deps.sh installs them)\n",
			NODE, XADESJS_DIR);
	return cmocka_run_group_tests(tests, pki_setup, pki_teardown);
}
