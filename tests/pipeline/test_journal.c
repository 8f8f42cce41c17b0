/* tests/pipeline/test_journal.c: the journal's decisions, through its narrow
 * interface — a new dossier is claimed once, an unfinished one is resumed
 * with its pages forgotten, a finished or quarantined one with the same
 * input is left alone, changed input makes the next version and supersedes
 * the earlier package when done, and a leader's signature takes a package
 * off the pending list. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "pipeline/pipeline.h"

#define H1 "1111111111111111111111111111111111111111111111111111111111111111"
#define H2 "2222222222222222222222222222222222222222222222222222222222222222"

static sohoa_journal *open_journal(const char *dir)
{
	sohoa_journal *j = NULL;
	assert_int_equal(sohoa_journal_open(&j, dir, 0), 0);
	return j;
}

static void test_new_dossier_is_claimed_then_resumed_until_done(void **state)
{
	tu_scratch *s = *state;
	sohoa_journal *j = open_journal(s->dir);
	sohoa_claim c;
	int64_t run1, run2;
	size_t pages;

	assert_int_equal(sohoa_journal_run_begin(j, &run1, "inbox"), 0);
	assert_int_equal(sohoa_journal_claim(j, &c, run1, "HS-1", "HS-1", H1, 2, 0), 0);
	assert_int_equal(c.kind, SOHOA_CLAIM_NEW);
	assert_int_equal(c.version, 1);
	int64_t id = c.id;
	assert_int_equal(sohoa_journal_page_done(j, id, 0, "p1.tif", H1, 91.5, 0), 0);
	assert_int_equal(sohoa_journal_pages_done(j, id, &pages), 0);
	assert_int_equal(pages, 1);
	sohoa_claim_clear(&c);
	/* Killed here; the next run resumes the same row from intake. */
	assert_int_equal(sohoa_journal_run_begin(j, &run2, "inbox"), 0);
	assert_int_equal(sohoa_journal_claim(j, &c, run2, "HS-1", "HS-1", H1, 2, 0), 0);
	assert_int_equal(c.kind, SOHOA_CLAIM_RESUME);
	assert_int_equal(c.id, id);
	assert_int_equal(sohoa_journal_pages_done(j, id, &pages), 0);
	assert_int_equal(pages, 0);
	assert_int_equal(sohoa_journal_dossier_done(j, id, "packages/HS-1", 2, 90.0, 1, 1), 0);
	sohoa_claim_clear(&c);
	/* Done: the same input is left alone, with its figures. */
	assert_int_equal(sohoa_journal_claim(j, &c, run2 + 1, "HS-1", "HS-1", H1, 2, 0), 0);
	assert_int_equal(c.kind, SOHOA_CLAIM_FINISHED);
	assert_string_equal(c.package, "packages/HS-1");
	assert_int_equal(c.pages, 2);
	assert_int_equal(c.needs_review, 1);
	sohoa_claim_clear(&c);
	assert_int_equal(sohoa_journal_run_end(j, run2, 0), 0);
	sohoa_journal_close(j);
	sohoa_journal_close(NULL);
}

static void test_changed_input_is_next_version_and_supersedes_when_done(void **state)
{
	tu_scratch *s = *state;
	sohoa_journal *j = open_journal(s->dir);
	sohoa_claim c;
	int64_t run;

	assert_int_equal(sohoa_journal_run_begin(j, &run, "inbox"), 0);
	assert_int_equal(sohoa_journal_claim(j, &c, run, "HS-1", "HS-1", H1, 1, 1), 0);
	int64_t v1 = c.id;
	assert_int_equal(sohoa_journal_dossier_done(j, v1, "packages/HS-1", 1, 95, 0, 1), 0);
	sohoa_claim_clear(&c);
	assert_int_equal(sohoa_journal_claim(j, &c, run + 1, "HS-1", "HS-1", H2, 1, 1), 0);
	assert_int_equal(c.kind, SOHOA_CLAIM_NEW);
	assert_int_equal(c.version, 2);
	assert_true(c.id != v1);
	/* Until version 2 is done, version 1 is the package (and pending). */
	char **pending = NULL;
	size_t n = 0;
	assert_int_equal(sohoa_journal_pending(j, &pending, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(pending[0], "packages/HS-1");
	free(pending[0]);
	free(pending);
	assert_int_equal(sohoa_journal_dossier_done(j, c.id, "packages/HS-1.v2", 1, 95, 0, 1), 0);
	assert_int_equal(sohoa_journal_pending(j, &pending, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(pending[0], "packages/HS-1.v2");
	free(pending[0]);
	free(pending);
	/* A leader signs it: nothing pending, the signature recorded. */
	assert_int_equal(sohoa_journal_record_signature(j, "packages/HS-1.v2", "leader", "CN=A"),
			 0);
	assert_int_equal(sohoa_journal_pending(j, &pending, &n), 0);
	assert_int_equal(n, 0);
	free(pending);
	assert_int_equal(sohoa_journal_record_signature(j, "packages/nope", "leader", "CN=A"),
			 SOHOA_ENOTFOUND);
	sohoa_claim_clear(&c);
	sohoa_journal_close(j);
}

static void test_quarantined_input_is_not_tried_again_until_it_changes(void **state)
{
	tu_scratch *s = *state;
	sohoa_journal *j = open_journal(s->dir);
	sohoa_claim c;
	int64_t run;

	assert_int_equal(sohoa_journal_run_begin(j, &run, "inbox"), 0);
	assert_int_equal(sohoa_journal_claim(j, &c, run, "HS-1", "HS-1", H1, 1, 0), 0);
	int64_t id = c.id;
	assert_int_equal(
		sohoa_journal_dossier_failed(j, id, SOHOA_STAGE_OCR, "HS-1/p1.tif: truncated"), 0);
	sohoa_claim_clear(&c);
	assert_int_equal(sohoa_journal_claim(j, &c, run + 1, "HS-1", "HS-1", H1, 1, 0), 0);
	assert_int_equal(c.kind, SOHOA_CLAIM_FAILED);
	assert_string_equal(c.error, "HS-1/p1.tif: truncated");
	sohoa_claim_clear(&c);
	/* Rescanned: the same version is tried again (it never made a package). */
	assert_int_equal(sohoa_journal_claim(j, &c, run + 2, "HS-1", "HS-1", H2, 1, 0), 0);
	assert_int_equal(c.kind, SOHOA_CLAIM_NEW);
	assert_int_equal(c.id, id);
	assert_int_equal(c.version, 1);
	sohoa_claim_clear(&c);
	sohoa_journal_close(j);
}

static void test_second_folder_with_same_code_in_one_run_is_a_duplicate(void **state)
{
	tu_scratch *s = *state;
	sohoa_journal *j = open_journal(s->dir);
	sohoa_claim c;
	int64_t run;

	assert_int_equal(sohoa_journal_run_begin(j, &run, "inbox"), 0);
	assert_int_equal(sohoa_journal_claim(j, &c, run, "CODE", "A", H1, 1, 0), 0);
	sohoa_claim_clear(&c);
	assert_int_equal(sohoa_journal_claim(j, &c, run, "CODE", "B", H2, 1, 0), 0);
	assert_int_equal(c.kind, SOHOA_CLAIM_DUPLICATE);
	assert_string_equal(c.folder, "A");
	sohoa_claim_clear(&c);
	sohoa_journal_close(j);
}

static void test_readonly_open_of_a_store_without_catalog_is_not_found(void **state)
{
	tu_scratch *s = *state;
	sohoa_journal *j = NULL;
	assert_int_equal(sohoa_journal_open(&j, s->dir, 1), SOHOA_ENOTFOUND);
	assert_null(j);
	assert_non_null(strstr(sohoa_error_last(), "catalog.sqlite"));
	assert_string_equal(sohoa_stage_name(SOHOA_STAGE_SEAL), "seal");
	assert_string_equal(sohoa_dossier_status_name(SOHOA_DOSSIER_SUPERSEDED), "superseded");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_new_dossier_is_claimed_then_resumed_until_done,
						tu_scratch_setup, tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(
			test_changed_input_is_next_version_and_supersedes_when_done,
			tu_scratch_setup, tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(
			test_quarantined_input_is_not_tried_again_until_it_changes,
			tu_scratch_setup, tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(
			test_second_folder_with_same_code_in_one_run_is_a_duplicate,
			tu_scratch_setup, tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(
			test_readonly_open_of_a_store_without_catalog_is_not_found,
			tu_scratch_setup, tu_scratch_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
