/* tests/signer/test_pkcs11.c: keys on a SoftHSM2 token (initialised in a
 * scratch directory through SOFTHSM2_CONF) named by pkcs11: URIs — ECDSA and
 * RSASSA-PSS signatures that verify, the PIN checked, many signatures under
 * one login. */
#include "pki.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SOFTHSM_UTIL "/usr/bin/softhsm2-util"
#define SOFTHSM_MODULE "/usr/lib/softhsm/libsofthsm2.so"

static char *hsm_dir;
static int have_hsm;

static void util(char **argv)
{
	tu_run_result r = tu_run(argv, NULL);
	if (r.status != 0)
		fail_msg("%s %s: %s%s", argv[0], argv[1], r.out, r.err);
	tu_run_free(&r);
}

static int hsm_setup(void **state)
{
	char *conf, *text = NULL, *tokens, *ec = NULL, *rsa = NULL;
	pki_setup(state);
	have_hsm = access(SOFTHSM_UTIL, X_OK) == 0 && access(SOFTHSM_MODULE, R_OK) == 0;
	if (!have_hsm)
		return 0;
	hsm_dir = tu_mkdtemp();
	tokens = tu_path(hsm_dir, "tokens");
	conf = tu_path(hsm_dir, "softhsm2.conf");
	assert_int_equal(sohoa_mkdir_p(tokens), 0);
	assert_true(asprintf(&text, "directories.tokendir = %s\nobjectstore.backend = file\n"
				    "log.level = ERROR\n", tokens) > 0);
	tu_write(conf, text, strlen(text));
	setenv("SOFTHSM2_CONF", conf, 1);
	setenv("SOHOA_PKCS11_MODULE", SOFTHSM_MODULE, 1);
	ec = pki_file("p256", ".key.pem");
	rsa = pki_file("rsa", ".key.pem");
	{
		char *a[] = {SOFTHSM_UTIL, "--init-token", "--free", "--label", "sohoa-test",
			     "--pin", "1234", "--so-pin", "12345678", NULL};
		char *b[] = {SOFTHSM_UTIL, "--import", ec, "--token", "sohoa-test", "--label",
			     "leader", "--id", "01", "--pin", "1234", NULL};
		char *c[] = {SOFTHSM_UTIL, "--import", rsa, "--token", "sohoa-test", "--label",
			     "seal", "--id", "02", "--pin", "1234", NULL};
		util(a);
		util(b);
		util(c);
	}
	free(ec);
	free(rsa);
	free(text);
	free(tokens);
	free(conf);
	return 0;
}

static int hsm_teardown(void **state)
{
	if (hsm_dir) {
		tu_rmtree(hsm_dir);
		free(hsm_dir);
	}
	return pki_teardown(state);
}

static int open_token(sohoa_signer_key **k, const char *uri, const char *leaf, const char *pin)
{
	char *cert = pki_file(leaf, ".pem"), *env = NULL;
	sohoa_signer_key_options ko = {.cert = cert, .pass = "env:SOHOA_TEST_PIN", .no_prompt = 1};
	int rc;
	setenv("SOHOA_TEST_PIN", pin, 1);
	rc = sohoa_signer_key_open(k, uri, &ko);
	free(env);
	free(cert);
	return rc;
}

static void test_token_keys_make_ecdsa_and_pss_signatures_that_verify(void **state)
{
	char *pkg = pkg_make(((tu_scratch *)*state)->dir, "p");
	sohoa_signer_sign_options so = {.role = SOHOA_SIGNER_ROLE_SEAL};
	sohoa_signer_key *k = NULL;
	sohoa_signer_report *r;
	if (!have_hsm)
		skip();
	if (open_token(&k, "pkcs11:token=sohoa-test;object=seal", "rsa", "1234") < 0)
		fail_msg("%s", sohoa_error_last());
	assert_int_equal(sohoa_signer_sign_package(pkg, k, &so), 0);
	sohoa_signer_key_free(k);
	if (open_token(&k, "pkcs11:token=sohoa-test;id=%01", "p256", "1234") < 0)
		fail_msg("%s", sohoa_error_last());
	so.role = SOHOA_SIGNER_ROLE_LEADER;
	assert_int_equal(sohoa_signer_sign_package(pkg, k, &so), 0);
	sohoa_signer_key_free(k);
	r = pkg_verify(pkg, 1);
	assert_true(r->passed);
	assert_string_equal(r->sigs[0].algorithm, "rsa-pss-sha256");
	assert_string_equal(r->sigs[1].algorithm, "ecdsa-sha256");
	sohoa_signer_report_free(r);
	free(pkg);
}

static void test_wrong_pin_and_unknown_token_are_refused(void **state)
{
	sohoa_signer_key *k = NULL;
	(void)state;
	if (!have_hsm)
		skip();
	assert_int_equal(open_token(&k, "pkcs11:token=sohoa-test;object=leader", "p256", "9999"),
			 SOHOA_EAUTH);
	assert_non_null(strstr(sohoa_error_last(), "refused the PIN"));
	assert_int_equal(open_token(&k, "pkcs11:token=nosuch;object=leader", "p256", "1234"),
			 SOHOA_ENOTFOUND);
	assert_int_equal(open_token(&k, "pkcs11:token=sohoa-test;object=nosuch", "p256", "1234"),
			 SOHOA_ENOTFOUND);
	/* the certificate must belong to the token's key */
	assert_int_equal(open_token(&k, "pkcs11:token=sohoa-test;object=leader", "p384", "1234"),
			 SOHOA_ECRYPTO);
	assert_null(k);
}

static void test_many_signatures_under_one_login(void **state)
{
	enum { N = 40 };
	char *dir = ((tu_scratch *)*state)->dir, *pkgs[N];
	sohoa_signer_key *k = NULL;
	struct timespec t0, t1;
	double secs;
	if (!have_hsm)
		skip();
	for (int i = 0; i < N; i++) {
		char name[16];
		snprintf(name, sizeof name, "p%02d", i);
		pkgs[i] = pkg_make(dir, name);
	}
	assert_int_equal(open_token(&k, "pkcs11:token=sohoa-test;object=leader", "p256", "1234"), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < N; i++)
		assert_int_equal(sohoa_signer_sign_package(pkgs[i], k, NULL), 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	print_message("%d packages signed on SoftHSM2 (ECDSA P-256) after one login: %.0f/s "
		      "(sanitizer build)\n", N, N / secs);
	sohoa_signer_key_free(k);
	for (int i = 0; i < N; i++) {
		sohoa_signer_report *r = pkg_verify(pkgs[i], 0);
		assert_true(r->passed);
		sohoa_signer_report_free(r);
		free(pkgs[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, tu_scratch_setup, tu_scratch_teardown)
		T(test_token_keys_make_ecdsa_and_pss_signatures_that_verify),
		T(test_wrong_pin_and_unknown_token_are_refused),
		T(test_many_signatures_under_one_login),
	};
	return cmocka_run_group_tests(tests, hsm_setup, hsm_teardown);
}
