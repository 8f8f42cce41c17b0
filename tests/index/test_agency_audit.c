/* tests/index/test_agency_audit.c: agency tokens are shown once and stored only
 * as hashes, revocation takes effect at once, and the audit chain verifies
 * until a row is edited, removed or the chain reordered — or, against the
 * head file, rows are cut from the end or the whole chain is recomputed —
 * and an appended row is synced to disk before the append returns. */
#include "testutil.h"
#include "walsync.h"

#include <limits.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "index/index.h"

static sohoa_index *open_in(const char *dir, char **path)
{
	sohoa_index *idx = NULL;
	*path = tu_path(dir, "catalog.sqlite");
	assert_int_equal(sohoa_index_open(&idx, *path), 0);
	return idx;
}

static void exec_sql(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
}

static void test_token_is_random_hashed_and_revocable(void **state)
{
	tu_scratch *s = *state;
	char *path, tok1[SOHOA_INDEX_TOKEN_LEN + 1], tok2[SOHOA_INDEX_TOKEN_LEN + 1], name[65];
	sohoa_index *idx = open_in(s->dir, &path);
	sohoa_index_agency *list = NULL;
	size_t n = 0;

	assert_int_equal(sohoa_index_agency_add(idx, "so-tu-phap", tok1), 0);
	assert_int_equal(sohoa_index_agency_add(idx, "cong-an.h29", tok2), 0);
	assert_int_equal(strlen(tok1), SOHOA_INDEX_TOKEN_LEN);
	assert_string_not_equal(tok1, tok2);
	char spare[SOHOA_INDEX_TOKEN_LEN + 1];
	assert_int_equal(sohoa_index_agency_add(idx, "so-tu-phap", spare), SOHOA_EEXISTS);
	assert_string_equal(spare, ""); /* no token for a failed add */
	assert_int_equal(sohoa_index_agency_add(idx, "bad name", spare), SOHOA_EINVAL);
	assert_int_equal(sohoa_index_agency_auth(idx, tok1, name), 0);
	assert_string_equal(name, "so-tu-phap");
	tok1[0] = tok1[0] == 'a' ? 'b' : 'a';
	assert_int_equal(sohoa_index_agency_auth(idx, tok1, name), SOHOA_EAUTH);
	assert_int_equal(sohoa_index_agency_auth(idx, "short", name), SOHOA_EAUTH);
	assert_int_equal(sohoa_index_agency_revoke(idx, "cong-an.h29"), 0);
	assert_int_equal(sohoa_index_agency_auth(idx, tok2, name), SOHOA_EPERM);
	assert_string_equal(name, "cong-an.h29");
	assert_int_equal(sohoa_index_agency_revoke(idx, "cong-an.h29"), SOHOA_ENOTFOUND);
	assert_int_equal(sohoa_index_agency_list(idx, &list, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].name, "cong-an.h29");
	assert_string_not_equal(list[0].revoked, "");
	assert_string_equal(list[1].revoked, "");
	sohoa_index_agency_list_free(list, n);
	sohoa_index_close(idx);
	/* The token itself is nowhere in the file. */
	char *db = NULL;
	size_t len = 0;
	assert_int_equal(sohoa_file_read(&db, &len, path, 1 << 24), 0);
	assert_null(memmem(db, len, tok2, SOHOA_INDEX_TOKEN_LEN));
	free(db);
	free(path);
}

static void append_rows(sohoa_index *idx, int n)
{
	for (int i = 0; i < n; i++) {
		char rid[16];
		snprintf(rid, sizeof rid, "req-%d", i);
		sohoa_index_audit_entry e = {.agency = "so-tu-phap",
					     .endpoint = "GET /v1/citizens/{id}/results",
					     .query = "id=001088012345",
					     .request_id = rid,
					     .status = 200,
					     .result_count = i};
		assert_int_equal(sohoa_index_audit_append(idx, &e), 0);
	}
}

static void test_audit_chain_verifies_and_detects_tampering(void **state)
{
	tu_scratch *s = *state;
	char *path;
	sohoa_index *idx = open_in(s->dir, &path);
	size_t rows = 0;

	assert_int_equal(sohoa_index_audit_verify(idx, &rows), 0);
	assert_int_equal(rows, 0);
	append_rows(idx, 5);
	assert_int_equal(sohoa_index_audit_verify(idx, &rows), 0);
	assert_int_equal(rows, 5);
	sohoa_index_close(idx);
	/* The table refuses edits through SQL… */
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_not_equal(
		sqlite3_exec(db, "UPDATE audit SET result_count=9 WHERE id=3", NULL, NULL, NULL),
		SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit WHERE id=3", NULL, NULL, NULL),
			     SQLITE_OK);
	sqlite3_close(db);
	/* …and someone who drops the triggers is caught by the chain. */
	exec_sql(path, "DROP TRIGGER audit_no_update; UPDATE audit SET result_count=9 WHERE id=3");
	free(path);
	idx = open_in(s->dir, &path);
	assert_int_equal(sohoa_index_audit_verify(idx, &rows), SOHOA_EVERIFY);
	assert_int_equal(rows, 2);
	assert_non_null(strstr(sohoa_error_last(), "row 3"));
	sohoa_index_close(idx);
	free(path);
}

static void test_audit_chain_detects_a_removed_row(void **state)
{
	tu_scratch *s = *state;
	char *path;
	sohoa_index *idx = open_in(s->dir, &path);
	append_rows(idx, 4);
	sohoa_index_close(idx);
	free(path);
	idx = open_in(s->dir, &path);
	exec_sql(path, "DROP TRIGGER audit_no_delete; DROP TRIGGER audit_no_update; DELETE FROM "
		       "audit WHERE id=2;"
		       "UPDATE audit SET id=id-1 WHERE id>2");
	assert_int_equal(sohoa_index_audit_verify(idx, NULL), SOHOA_EVERIFY);
	assert_non_null(strstr(sohoa_error_last(), "row 2"));
	sohoa_index_close(idx);
	free(path);
}

/* Verifies and expects SOHOA_EVERIFY with `needle` in the message. */
static void expect_broken(const char *dir, const char *needle)
{
	char *path;
	sohoa_index *idx = open_in(dir, &path);
	int rc = sohoa_index_audit_verify(idx, NULL);
	if (rc != SOHOA_EVERIFY || !strstr(sohoa_error_last(), needle))
		fail_msg("verify: %d '%s', want SOHOA_EVERIFY with '%s'", rc, sohoa_error_last(),
			 needle);
	sohoa_index_close(idx);
	free(path);
}

static void test_audit_head_detects_rows_cut_from_the_end(void **state)
{
	tu_scratch *s = *state;
	char *path;
	sohoa_index *idx = open_in(s->dir, &path);
	append_rows(idx, 5);
	sohoa_index_close(idx);
	exec_sql(path, "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE id>3");
	expect_broken(s->dir, "truncated: ");
	expect_broken(s->dir, "records 5 rows, the table holds 3");
	/* Every row gone is a truncation too. */
	exec_sql(path, "DELETE FROM audit");
	expect_broken(s->dir, "records 5 rows, the table holds 0");
	free(path);
}

static void test_audit_head_detects_a_recomputed_chain(void **state)
{
	tu_scratch *s = *state;
	char *path, *head = tu_path(s->dir, SOHOA_INDEX_AUDIT_HEAD), *saved = NULL;
	size_t len = 0, rows = 0;
	sohoa_index *idx = open_in(s->dir, &path);
	append_rows(idx, 4);
	assert_int_equal(sohoa_file_read(&saved, &len, head, 4096), 0);
	sohoa_index_close(idx);
	/* Someone empties the table and writes a new, self-consistent chain of
	 * as many rows, but cannot write the head file (restored here). */
	exec_sql(path, "DROP TRIGGER audit_no_delete; DELETE FROM audit");
	free(path);
	idx = open_in(s->dir, &path);
	append_rows(idx, 4);
	assert_int_equal(sohoa_index_audit_verify(idx, &rows), 0);
	sohoa_index_close(idx);
	free(path);
	tu_write(head, saved, len);
	expect_broken(s->dir, "rewritten: row 4");
	free(saved);
	free(head);
}

static void test_audit_head_missing_or_corrupt_is_reported(void **state)
{
	tu_scratch *s = *state;
	char *path, *head = tu_path(s->dir, SOHOA_INDEX_AUDIT_HEAD), *text = NULL;
	size_t rows = 0;
	sohoa_index *idx = open_in(s->dir, &path);
	append_rows(idx, 3);
	assert_int_equal(sohoa_file_read(&text, NULL, head, 4096), 0);
	assert_non_null(strstr(text, "rows=3 hash="));
	/* Rows past the head (a crash after a commit, before the head write) are
	 * accepted. */
	char *behind = strdup(text);
	sohoa_index_close(idx);
	free(path);
	idx = open_in(s->dir, &path);
	append_rows(idx, 1);
	tu_write(head, behind, strlen(behind));
	assert_int_equal(sohoa_index_audit_verify(idx, &rows), 0);
	assert_int_equal(rows, 4);
	sohoa_index_close(idx);
	/* A changed count with the old check is seen. */
	char *p = strstr(behind, "rows=3");
	p[5] = '2';
	tu_write(head, behind, strlen(behind));
	expect_broken(s->dir, "not a valid audit head");
	tu_write(head, "junk\n", 5);
	expect_broken(s->dir, "not a valid audit head");
	assert_int_equal(unlink(head), 0);
	expect_broken(s->dir, "is missing");
	free(behind);
	free(text);
	free(head);
	free(path);
}

static void test_audit_head_removed_is_written_again_by_the_next_append(void **state)
{
	tu_scratch *s = *state;
	char *path, *head = tu_path(s->dir, SOHOA_INDEX_AUDIT_HEAD);
	size_t rows = 0;
	sohoa_index *idx = open_in(s->dir, &path);
	append_rows(idx, 2);
	assert_int_equal(unlink(head), 0);
	append_rows(idx, 1); /* the handle kept the old file open */
	assert_int_equal(sohoa_index_audit_verify(idx, &rows), 0);
	assert_int_equal(rows, 3);
	sohoa_index_close(idx);
	free(path);
	free(head);
}

static void test_audit_batch_is_one_chain_segment_and_moves_the_head(void **state)
{
	tu_scratch *s = *state;
	char *path, *head = tu_path(s->dir, SOHOA_INDEX_AUDIT_HEAD), *text = NULL;
	sohoa_index_audit_entry e[3] = {
		{.agency = "a", .endpoint = "GET /v1/search", .query = "q=x", .request_id = "r1"},
		{.agency = "b", .endpoint = "GET /v1/search", .query = "q=y", .request_id = "r2"},
		{.agency = "c", .endpoint = "GET /v1/search", .query = "q=z", .request_id = "r3"},
	};
	size_t rows = 0;
	sohoa_index *idx = open_in(s->dir, &path);

	append_rows(idx, 2);
	assert_int_equal(sohoa_index_audit_append_many(idx, e, 3), 0);
	assert_int_equal(sohoa_index_audit_append_many(idx, e, 0), 0); /* nothing to do */
	append_rows(idx, 1);
	assert_int_equal(sohoa_index_audit_verify(idx, &rows), 0);
	assert_int_equal(rows, 6);
	assert_int_equal(sohoa_file_read(&text, NULL, head, 4096), 0);
	assert_non_null(strstr(text, " rows=6 "));
	sohoa_index_close(idx);
	free(text);
	free(head);
	free(path);
}

static void test_repeated_token_is_refused_at_once_when_revoked_elsewhere(void **state)
{
	tu_scratch *s = *state;
	char *path, tok[SOHOA_INDEX_TOKEN_LEN + 1], other[SOHOA_INDEX_TOKEN_LEN + 1], name[65];
	sohoa_index *idx = open_in(s->dir, &path), *cli = NULL;

	assert_int_equal(sohoa_index_agency_add(idx, "so-tu-phap", tok), 0);
	assert_int_equal(sohoa_index_agency_add(idx, "cong-an.h29", other), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(sohoa_index_agency_auth(idx, tok, name), 0);
		assert_string_equal(name, "so-tu-phap");
	}
	/* Almost the token seen last (its last character changed): unknown. */
	char near[SOHOA_INDEX_TOKEN_LEN + 1];
	memcpy(near, tok, sizeof near);
	near[SOHOA_INDEX_TOKEN_LEN - 1] = near[SOHOA_INDEX_TOKEN_LEN - 1] == 'a' ? 'b' : 'a';
	assert_int_equal(sohoa_index_agency_auth(idx, near, name), SOHOA_EAUTH);
	assert_int_equal(sohoa_index_agency_auth(idx, other, name), 0);
	assert_string_equal(name, "cong-an.h29");
	assert_int_equal(sohoa_index_agency_auth(idx, tok, name), 0);
	/* Revoked through another handle (as `sohoa agency revoke` does while
	 * the service runs): the next request with the token is refused. */
	assert_int_equal(sohoa_index_open(&cli, path), 0);
	assert_int_equal(sohoa_index_agency_revoke(cli, "so-tu-phap"), 0);
	sohoa_index_close(cli);
	assert_int_equal(sohoa_index_agency_auth(idx, tok, name), SOHOA_EPERM);
	assert_string_equal(name, "so-tu-phap");
	sohoa_index_close(idx);
	free(path);
}

static void test_audit_row_is_synced_to_disk_before_the_append_returns(void **state)
{
	tu_scratch *s = *state;
	char *path;
	sohoa_index *idx = open_in(s->dir, &path);
	int before;

	append_rows(idx, 1);
	before = tu_wal_syncs();
	assert_true(before >= 1);
	append_rows(idx, 1); /* each commit of audit rows syncs the log */
	assert_true(tu_wal_syncs() > before);
	before = tu_wal_syncs();
	append_rows(idx, 1);
	assert_true(tu_wal_syncs() > before);
	sohoa_index_close(idx);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_token_is_random_hashed_and_revocable,
						tu_scratch_setup, tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_audit_chain_verifies_and_detects_tampering,
						tu_scratch_setup, tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_audit_chain_detects_a_removed_row,
						tu_scratch_setup, tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_audit_head_detects_rows_cut_from_the_end,
						tu_scratch_setup, tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_audit_head_detects_a_recomputed_chain,
						tu_scratch_setup, tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_audit_head_missing_or_corrupt_is_reported,
						tu_scratch_setup, tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(
			test_audit_head_removed_is_written_again_by_the_next_append,
			tu_scratch_setup, tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(
			test_audit_batch_is_one_chain_segment_and_moves_the_head, tu_scratch_setup,
			tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(
			test_repeated_token_is_refused_at_once_when_revoked_elsewhere,
			tu_scratch_setup, tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(
			test_audit_row_is_synced_to_disk_before_the_append_returns,
			tu_scratch_setup, tu_scratch_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
