/* tests/index/test_catalog.c: opening the catalog creates it in WAL mode at
 * schema 2, reopening keeps it, and files that are not (or not yet) ours are
 * refused with a message naming them, untouched. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "index/index.h"

/* Runs one query on the catalog with plain SQLite and returns its first
 * column as a malloc'd string (NULL when there is no row). */
static char *query1(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	char *val = NULL;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		val = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return val;
}

static void exec_sql(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void assert_query(const char *path, const char *sql, const char *want)
{
	char *got = query1(path, sql);
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void assert_message_names(const char *path)
{
	if (!strstr(sohoa_error_last(), path))
		fail_msg("message '%s' does not name '%s'", sohoa_error_last(), path);
}

static void test_open_creates_catalog_in_wal_mode_at_schema_2(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *path = tu_path(dir, "catalog.db");
	sohoa_index *idx = NULL;
	assert_int_equal(sohoa_index_open(&idx, path), 0);
	assert_non_null(idx);
	assert_int_equal(sohoa_index_schema_version(idx), 2);
	sohoa_index_close(idx);
	assert_query(path, "PRAGMA journal_mode", "wal");
	assert_query(path, "PRAGMA user_version", "2");
	assert_query(path, "SELECT value FROM store_info WHERE key='created_by'", "sohoa");
	free(path);
	tu_rmtree(dir);
	free(dir);
}

static void test_reopen_keeps_schema_and_data(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *path = tu_path(dir, "catalog.db");
	sohoa_index *idx = NULL;
	assert_int_equal(sohoa_index_open(&idx, path), 0);
	sohoa_index_close(idx);
	exec_sql(path, "INSERT INTO store_info VALUES('note', 'giữ lại')");
	assert_int_equal(sohoa_index_open(&idx, path), 0);
	assert_int_equal(sohoa_index_schema_version(idx), 2);
	sohoa_index_close(idx);
	assert_query(path, "PRAGMA journal_mode", "wal");
	assert_query(path, "PRAGMA user_version", "2");
	assert_query(path, "SELECT value FROM store_info WHERE key='note'", "giữ lại");
	assert_query(path, "SELECT count(*) FROM store_info", "2");
	sohoa_index_close(NULL); /* no-op */
	free(path);
	tu_rmtree(dir);
	free(dir);
}

static void test_open_refuses_file_that_is_not_a_database(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *path = tu_path(dir, "catalog.db"), *after = NULL;
	const char junk[] = "This is a text file, not an SQLite catalog. Đây không phải cơ sở "
			    "dữ liệu. Padding past the 100-byte SQLite header..............\n";
	size_t len = 0;
	sohoa_index *idx = (sohoa_index *)1;
	tu_write(path, junk, sizeof junk - 1);
	assert_int_equal(sohoa_index_open(&idx, path), SOHOA_EDB);
	assert_null(idx);
	assert_message_names(path);
	assert_int_equal(sohoa_file_read(&after, &len, path, 4096), 0);
	assert_int_equal(len, sizeof junk - 1);
	assert_memory_equal(after, junk, len); /* left as it was */
	free(after);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

static void test_open_refuses_newer_schema(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *path = tu_path(dir, "catalog.db");
	sohoa_index *idx = (sohoa_index *)1;
	exec_sql(path, "CREATE TABLE future(x); PRAGMA user_version=99;");
	assert_query(path, "PRAGMA journal_mode", "delete");
	assert_int_equal(sohoa_index_open(&idx, path), SOHOA_EDB);
	assert_null(idx);
	assert_message_names(path);
	assert_non_null(strstr(sohoa_error_last(), "99"));
	/* Left exactly as the newer sohoa made it: not migrated, not even WAL. */
	assert_query(path, "PRAGMA user_version", "99");
	assert_query(path, "PRAGMA journal_mode", "delete");
	assert_query(path, "SELECT count(*) FROM sqlite_master", "1");
	free(path);
	tu_rmtree(dir);
	free(dir);
}

static void test_open_in_missing_directory_names_path(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *path = tu_path(dir, "no/such/dir/catalog.db");
	sohoa_index *idx = (sohoa_index *)1;
	int rc = sohoa_index_open(&idx, path);
	assert_true(rc < 0);
	assert_int_equal(rc, SOHOA_ENOTFOUND);
	assert_null(idx);
	assert_message_names(path);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

static void test_open_migrates_a_schema_1_catalog_keeping_its_data(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *path = tu_path(dir, "catalog.db");
	sohoa_index *idx = NULL;
	exec_sql(path, "CREATE TABLE store_info(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
		       "INSERT INTO store_info VALUES('created_by', 'sohoa');"
		       "INSERT INTO store_info VALUES('note', 'cũ');"
		       "PRAGMA user_version=1;");
	assert_int_equal(sohoa_index_open(&idx, path), 0);
	assert_int_equal(sohoa_index_schema_version(idx), 2);
	sohoa_index_close(idx);
	assert_query(path, "SELECT value FROM store_info WHERE key='note'", "cũ");
	assert_query(path, "SELECT count(*) FROM documents", "0");
	assert_query(path, "SELECT count(*) FROM sqlite_master WHERE name IN "
			   "('documents_fts', 'agencies', 'audit', 'audit_no_update')", "4");
	free(path);
	tu_rmtree(dir);
	free(dir);
}

static void test_versions_name_sqlite(void **state)
{
	(void)state;
	assert_non_null(strstr(sohoa_index_versions(), "SQLite 3."));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_creates_catalog_in_wal_mode_at_schema_2),
		cmocka_unit_test(test_reopen_keeps_schema_and_data),
		cmocka_unit_test(test_open_refuses_file_that_is_not_a_database),
		cmocka_unit_test(test_open_refuses_newer_schema),
		cmocka_unit_test(test_open_in_missing_directory_names_path),
		cmocka_unit_test(test_open_migrates_a_schema_1_catalog_keeping_its_data),
		cmocka_unit_test(test_versions_name_sqlite),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
