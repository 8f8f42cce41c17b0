/* tests/signer/test_sign_cli.c: the real `sohoa` binary — `keys demo` makes a
 * working PKI, PKCS#12 keys open with --pass env:/file:, `sign --batch --yes`
 * signs many packages, `verify` prints text (English or Vietnamese) or JSON and
 * exits 0 only when every package passes. */
#include "pki.h"
#include "tsa_server.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char *demo; /* sohoa keys demo output, made once */
static char *demo_parent;

static int demo_setup(void **state)
{
	char *argv[] = {SOHOA_BIN, "keys", "demo", "--out", NULL, NULL};
	tu_run_result r;
	(void)state;
	demo_parent = tu_mkdtemp();
	demo = tu_path(demo_parent, "demo");
	argv[4] = demo;
	r = tu_run(argv, NULL);
	if (r.status != 0)
		fail_msg("keys demo: %s", r.err);
	tu_run_free(&r);
	return 0;
}

static int demo_teardown(void **state)
{
	(void)state;
	tu_rmtree(demo_parent);
	free(demo_parent);
	free(demo);
	return 0;
}

static char *d(const char *name)
{
	return tu_path(demo, name);
}

static void test_keys_demo_writes_the_pki_with_private_keys_private(void **state)
{
	static const char *const files[] = {
		"root-ca.pem",     "issuing-ca.pem", "issuing-ca.crl.pem", "seal.key.pem",
		"seal.pem",        "seal.p12",       "leader-rsa.pem",     "leader-ec.pem",
		"revoked.pem",     "softhsm-load.sh", "README.txt",         "tsa.pem",
		"tsa.key.pem"};
	(void)state;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char *p = d(files[i]);
		struct stat st;
		assert_int_equal(stat(p, &st), 0);
		if (strstr(files[i], ".key.pem") || strstr(files[i], ".p12"))
			assert_int_equal(st.st_mode & 077, 0);
		free(p);
	}
}

static tu_run_result run(char **argv, char **env)
{
	return tu_run(argv, env);
}

static void test_batch_sign_with_p12_then_verify_passes(void **state)
{
	char *dir = ((tu_scratch *)*state)->dir, *a = pkg_make(dir, "a"), *b = pkg_make(dir, "b");
	char *p12 = d("seal.p12"), *ec = d("leader-ec.key.pem"), *eccert = d("leader-ec.pem");
	char *trust = d("root-ca.pem"), *crl = d("issuing-ca.crl.pem");
	char *passfile = tu_path(dir, "pass.txt"), *passarg = NULL;
	char *env[] = {"SOHOA_TEST_PW=sohoa-demo", NULL};
	tu_run_result r;

	tu_write(passfile, "sohoa-demo\n", 11);
	assert_true(asprintf(&passarg, "file:%s", passfile) > 0);
	{
		char *argv[] = {SOHOA_BIN, "sign", "--key", p12, "--pass", "env:SOHOA_TEST_PW",
				"--role", "seal", "--batch", "--yes", a, b, NULL};
		r = run(argv, env);
		if (r.status != 0)
			fail_msg("sign: %s", r.err);
		assert_non_null(strstr(r.err, "Signing 2 package(s) as seal"));
		assert_int_equal(tu_lines(r.out), 2);
		tu_run_free(&r);
	}
	{
		char *argv[] = {SOHOA_BIN, "sign", "--key", ec, "--cert", eccert, a, NULL};
		r = run(argv, NULL);
		assert_int_equal(r.status, 0);
		tu_run_free(&r);
	}
	{ /* wrong password from a file: exit 2, one line naming the file */
		char *argv[] = {SOHOA_BIN, "sign", "--key", p12, "--pass", passarg, a, NULL};
		tu_write(passfile, "wrong\n", 6);
		r = run(argv, NULL);
		assert_int_equal(r.status, 2);
		assert_int_equal(tu_lines(r.err), 1);
		assert_non_null(strstr(r.err, "wrong password"));
		tu_run_free(&r);
	}
	{
		char *argv[] = {SOHOA_BIN, "verify", "--trust", trust, "--crl", crl, a, b, NULL};
		r = run(argv, NULL);
		if (r.status != 0)
			fail_msg("verify: %s%s", r.out, r.err);
		assert_non_null(strstr(r.out, "PASSED (2 signatures, 2 files)"));
		tu_run_free(&r);
	}
	{
		char *argv[] = {SOHOA_BIN, "verify", "--json", "--trust", trust, a, NULL};
		r = run(argv, NULL);
		assert_int_equal(r.status, 0);
		assert_non_null(strstr(r.out, "\"passed\":true"));
		assert_non_null(strstr(r.out, "\"indication\":\"TOTAL-PASSED\""));
		assert_non_null(strstr(r.out, "\"role\":\"seal\""));
		tu_run_free(&r);
	}
	free(a);
	free(b);
	free(p12);
	free(ec);
	free(eccert);
	free(trust);
	free(crl);
	free(passfile);
	free(passarg);
}

static void test_verify_exits_1_for_a_failing_package_and_reports_in_vietnamese(void **state)
{
	char *dir = ((tu_scratch *)*state)->dir, *a = pkg_make(dir, "a"), *b = pkg_make(dir, "b");
	char *key = d("revoked.key.pem"), *cert = d("revoked.pem"), *good = d("leader-rsa.key.pem");
	char *goodcert = d("leader-rsa.pem"), *trust = d("root-ca.pem"), *crl = d("issuing-ca.crl.pem");
	tu_run_result r;
	{
		char *argv[] = {SOHOA_BIN, "sign", "--key", key, "--cert", cert, a, NULL};
		r = run(argv, NULL);
		assert_int_equal(r.status, 0);
		tu_run_free(&r);
	}
	{
		char *argv[] = {SOHOA_BIN, "sign", "--key", good, "--cert", goodcert, b, NULL};
		r = run(argv, NULL);
		assert_int_equal(r.status, 0);
		tu_run_free(&r);
	}
	{
		char *argv[] = {SOHOA_BIN, "verify", "--lang", "vi", "--trust", trust,
				"--crl", crl, a, b, NULL};
		r = run(argv, NULL);
		assert_int_equal(r.status, 1);
		assert_non_null(strstr(r.out, "TOTAL-FAILED/REVOKED"));
		assert_non_null(strstr(r.out, "KHÔNG HỢP LỆ"));
		assert_non_null(strstr(r.out, ": HỢP LỆ"));
		assert_non_null(strstr(r.out, "chứng thư số đã bị thu hồi"));
		assert_int_equal(tu_lines(r.err), 1); /* one line per failed package */
		tu_run_free(&r);
	}
	free(a);
	free(b);
	free(key);
	free(cert);
	free(good);
	free(goodcert);
	free(trust);
	free(crl);
}

static void test_sign_usage_errors_exit_2(void **state)
{
	char *dir = ((tu_scratch *)*state)->dir, *a = pkg_make(dir, "a"), *b = pkg_make(dir, "b");
	char *key = d("leader-ec.key.pem");
	char *cases[][8] = {
		{SOHOA_BIN, "sign", a, NULL},                                  /* no --key */
		{SOHOA_BIN, "sign", "--key", key, a, b, NULL},                  /* many without --batch */
		{SOHOA_BIN, "sign", "--key", key, "--role", "boss", a, NULL},  /* bad role */
		{SOHOA_BIN, "sign", "--key", key, "--pass", "pass:x", a, NULL}, /* literal password */
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tu_run_result r = run(cases[i], NULL);
		if (r.status != 2 || tu_lines(r.err) != 1)
			fail_msg("case %zu: status %d, stderr %s", i, r.status, r.err);
		tu_run_free(&r);
	}
	free(a);
	free(b);
	free(key);
}

/* B-T from the command line with the demo PKI's TSA certificate; an
 * unreachable TSA fails the package (exit 1, one line naming the URL) and
 * leaves it as it was. */
static void test_sign_with_tsa_gives_a_timestamp_and_unreachable_tsa_signs_nothing(void **state)
{
	char *dir = ((tu_scratch *)*state)->dir, *a = pkg_make(dir, "a"), *b = pkg_make(dir, "b");
	char *key = d("seal.key.pem"), *cert = d("seal.pem"), *trust = d("root-ca.pem");
	char *crl = d("issuing-ca.crl.pem"), *tk = d("tsa.key.pem"), *tc = d("tsa.pem");
	char *url, *before = pkg_read(b), *after;
	tsa_server *tsa = tsa_start_files(tk, tc);
	tu_run_result r;

	url = strdup(tsa_url(tsa));
	{
		char *argv[] = {SOHOA_BIN, "sign", "--key", key, "--cert", cert, "--role", "seal",
				"--tsa", url, a, NULL};
		r = run(argv, NULL);
		if (r.status != 0)
			fail_msg("sign --tsa: %s", r.err);
		tu_run_free(&r);
	}
	{
		char *argv[] = {SOHOA_BIN, "verify", "--trust", trust, "--crl", crl, "--json", a, NULL};
		r = run(argv, NULL);
		assert_int_equal(r.status, 0);
		assert_non_null(strstr(r.out, "\"timestamp_time\":\"20"));
		tu_run_free(&r);
	}
	tsa_stop(tsa);
	{
		char *argv[] = {SOHOA_BIN, "sign", "--key", key, "--cert", cert, "--tsa", url, b, NULL};
		r = run(argv, NULL);
		assert_int_equal(r.status, 1);
		assert_int_equal(tu_lines(r.err), 1);
		assert_non_null(strstr(r.err, url));
		tu_run_free(&r);
	}
	after = pkg_read(b);
	assert_string_equal(before, after);
	free(before);
	free(after);
	free(url);
	free(a);
	free(b);
	free(key);
	free(cert);
	free(trust);
	free(crl);
	free(tk);
	free(tc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, tu_scratch_setup, tu_scratch_teardown)
		T(test_keys_demo_writes_the_pki_with_private_keys_private),
		T(test_batch_sign_with_p12_then_verify_passes),
		T(test_verify_exits_1_for_a_failing_package_and_reports_in_vietnamese),
		T(test_sign_usage_errors_exit_2),
		T(test_sign_with_tsa_gives_a_timestamp_and_unreachable_tsa_signs_nothing),
	};
	return cmocka_run_group_tests(tests, demo_setup, demo_teardown);
}
