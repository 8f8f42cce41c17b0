/* tests/signer/test_package_signing.c: signer/ on the packages formats/ writes —
 * a package made from a sample dossier, sealed and signed by a leader, still
 * validates against package.xsd, reads back as the same package, and verifies
 * with every file checked; a page changed afterwards fails it. */
#include "pkgfixture.h"
#include "pki.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void test_sample_packages_stay_valid_and_verify_after_seal_and_leader(void **state)
{
	const char *dir = ((tu_scratch *)*state)->dir;
	sohoa_limits lim = sohoa_limits_default();

	for (size_t i = 0; i < PF_NSAMPLES; i += 2) {
		char pkgdir[1024], xml[1100];
		snprintf(pkgdir, sizeof pkgdir, "%s/%s", dir, pf_samples[i]);
		assert_int_equal(mkdir(pkgdir, 0755), 0);
		sohoa_package *p = pf_sample_package(pf_samples[i], pkgdir), *back = NULL;
		snprintf(xml, sizeof xml, "%s/package.xml", pkgdir);
		assert_int_equal(sohoa_package_write(xml, p), 0);

		pkg_sign(pkgdir, "p256", SOHOA_SIGNER_ROLE_SEAL, 0);
		pkg_sign(pkgdir, "rsa", SOHOA_SIGNER_ROLE_LEADER, 0);

		/* Still a package: schema-valid, same values, two signatures. */
		if (sohoa_package_read(&back, pkgdir, &lim) != 0)
			fail_msg("%s", sohoa_error_last());
		assert_true(sohoa_package_equal(p, back));
		assert_int_equal(back->nsignatures, 2);
		assert_int_equal(sohoa_package_check_files(back, pkgdir, &lim), 0);

		sohoa_signer_report *r = pkg_verify(pkgdir, 1);
		assert_true(r->passed);
		assert_int_equal(r->nsigs, 2);
		assert_sig(r, 0, SOHOA_SIGNER_TOTAL_PASSED, SOHOA_SIGNER_SUB_NONE);
		assert_sig(r, 1, SOHOA_SIGNER_TOTAL_PASSED, SOHOA_SIGNER_SUB_NONE);
		assert_string_equal(r->sigs[0].role, "seal");
		assert_string_equal(r->sigs[1].role, "leader");
		assert_int_equal(r->nfiles, p->nfiles);
		assert_int_equal(r->nproblems, 0);
		sohoa_signer_report_free(r);

		/* A page rescanned after signing fails the package, naming it. */
		char page[1200];
		snprintf(page, sizeof page, "%s/%s", pkgdir, p->files[0].path);
		FILE *f = fopen(page, "ab");
		assert_non_null(f);
		fputc('x', f);
		fclose(f);
		r = pkg_verify(pkgdir, 1);
		assert_false(r->passed);
		assert_true(r->nproblems >= 1);
		assert_non_null(strstr(r->file_problems[0], p->files[0].path));
		sohoa_signer_report_free(r);

		sohoa_package_free(back);
		sohoa_package_free(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_sample_packages_stay_valid_and_verify_after_seal_and_leader,
			tu_scratch_setup, tu_scratch_teardown),
	};
	return cmocka_run_group_tests(tests, pki_setup, pki_teardown);
}
