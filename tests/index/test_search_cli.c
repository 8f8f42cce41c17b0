/* tests/index/test_search_cli.c: `sohoa search` and `sohoa lookup` on a store
 * filled through the index API — text and JSON output, filters, the store from
 * --store or SOHOA_STORE, and bad usage exiting 2 with one line. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "index/index.h"

static void fill_store(const char *store)
{
	char *path = tu_path(store, "catalog.sqlite");
	sohoa_index *idx = NULL;
	sohoa_index_doc d = {.dossier_code = "000.00.12.H29-231122-0001",
			     .doc_no = 1,
			     .citizen_id = "001088012345",
			     .applicant = "Nguyễn Văn An",
			     .agency = "H29",
			     .doc_type = "Giấy khai sinh",
			     .notation = "12/GKS",
			     .issue_date = "2023-11-22",
			     .package_path = "packages/000.00.12.H29-231122-0001",
			     .signature = "sealed",
			     .text = "Nơi đăng ký khai sinh: Ủy ban nhân dân phường Phúc Xá."};
	assert_int_equal(sohoa_index_open(&idx, path), 0);
	assert_int_equal(sohoa_index_add(idx, &d), 0);
	d.dossier_code = "000.00.12.H30-230101-0002";
	d.agency = "H30";
	d.issue_date = "2023-01-01";
	d.text = "Đăng ký thường trú tại xã Đông Anh.";
	assert_int_equal(sohoa_index_add(idx, &d), 0);
	sohoa_index_close(idx);
	free(path);
}

static tu_run_result run(const char *store, const char *a1, const char *a2, const char *a3,
			 const char *a4, const char *a5)
{
	char *env_store = NULL;
	assert_true(asprintf(&env_store, "SOHOA_STORE=%s", store) > 0);
	char *argv[] = {SOHOA_BIN,  (char *)a1, (char *)a2, (char *)a3,
			(char *)a4, (char *)a5, NULL};
	char *env[] = {env_store, NULL};
	tu_run_result r = tu_run(argv, env);
	free(env_store);
	return r;
}

static void test_search_prints_hits_with_snippets(void **state)
{
	tu_scratch *s = *state;
	fill_store(s->dir);
	tu_run_result r = run(s->dir, "search", "dang", "ky", NULL, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "000.00.12.H29-231122-0001 #1  2023-11-22  H29"));
	assert_non_null(strstr(r.out, "«đăng» «ký»"));
	assert_non_null(strstr(r.out, "«Đăng» «ký»"));
	assert_non_null(strstr(r.out, "[sealed]"));
	tu_run_free(&r);
	r = run(s->dir, "search", "--json", "--agency", "H30", "dang ky");
	assert_int_equal(r.status, 0);
	assert_true(strncmp(r.out,
			    "{\"count\":1,\"results\":[{\"dossier_code\":"
			    "\"000.00.12.H30-230101-0002\"",
			    60) == 0);
	assert_non_null(strstr(r.out, "\"package_path\":\"packages/000.00.12.H29-231122-0001\""));
	tu_run_free(&r);
	r = run(s->dir, "search", "--from", "2023-06-01", "--json", "dang ky");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"count\":1,"));
	tu_run_free(&r);
}

static void test_lookup_by_citizen_and_dossier_with_store_option(void **state)
{
	tu_scratch *s = *state;
	fill_store(s->dir);
	tu_run_result r =
		run("/nonexistent", "lookup", "--citizen-id", "001088012345", "--store", s->dir);
	assert_int_equal(r.status, 0);
	assert_int_equal(tu_lines(r.out), 4); /* two hits, two lines each */
	tu_run_free(&r);
	r = run(s->dir, "lookup", "--json", "--dossier", "000.00.12.H30-230101-0002", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "\"count\":1,"));
	assert_non_null(strstr(r.out, "\"signature\":\"sealed\""));
	tu_run_free(&r);
	r = run(s->dir, "lookup", "--citizen-id", "009999999999", NULL, NULL);
	assert_int_equal(r.status, 1);
	assert_int_equal(tu_lines(r.err), 1);
	tu_run_free(&r);
}

static void test_bad_usage_exits_2_with_one_line(void **state)
{
	tu_scratch *s = *state;
	const char *cases[][5] = {
		{"search", NULL},
		{"search", "--limit", "0", "x", NULL},
		{"search", "--from", "2023-13-01", "x", NULL},
		{"lookup", NULL},
		{"lookup", "--citizen-id", "1", "--dossier", "x"},
		{"lookup", "--citizen-id", "12ab", NULL},
		{"search", "--bogus", "x", NULL},
	};
	fill_store(s->dir);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tu_run_result r = run(s->dir, cases[i][0], cases[i][1], cases[i][2], cases[i][3],
				      cases[i][4]);
		if (r.status != 2 || tu_lines(r.err) != 1)
			fail_msg("case %zu: status %d, stderr '%s'", i, r.status, r.err);
		tu_run_free(&r);
	}
	tu_run_result r = run("/nonexistent-store", "search", "x", NULL, NULL, NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "/nonexistent-store/catalog.sqlite"));
	tu_run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_search_prints_hits_with_snippets,
						tu_scratch_setup, tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(
			test_lookup_by_citizen_and_dossier_with_store_option, tu_scratch_setup,
			tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_bad_usage_exits_2_with_one_line,
						tu_scratch_setup, tu_scratch_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
