/* tests/core/test_file.c: atomic writes leave the old or the whole new file and
 * no stray temp files; bounded reads refuse oversize and non-regular files. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"

static void test_atomic_write_creates_file_with_content(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *path = tu_path(dir, "out.txt"), *buf;
	size_t len;
	assert_int_equal(sohoa_file_write_atomic(path, "xin chào\n", 10), 0);
	assert_int_equal(sohoa_file_read(&buf, &len, path, 100), 0);
	assert_int_equal(len, 10);
	assert_string_equal(buf, "xin chào\n");
	assert_int_equal(tu_count_entries(dir), 1); /* no temp file left */
	free(buf);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

static void test_atomic_write_replaces_existing_file(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *path = tu_path(dir, "f"), *buf;
	tu_write(path, "old content", 11);
	assert_int_equal(sohoa_file_write_atomic(path, "new", 3), 0);
	assert_int_equal(sohoa_file_read(&buf, NULL, path, 100), 0);
	assert_string_equal(buf, "new");
	assert_int_equal(tu_count_entries(dir), 1);
	free(buf);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

static void test_abort_keeps_old_file_and_removes_temp(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *path = tu_path(dir, "f"), *buf;
	sohoa_atomic_file *af;
	tu_write(path, "old", 3);
	assert_int_equal(sohoa_atomic_open(&af, path), 0);
	assert_int_equal(sohoa_atomic_write(af, "partial new content", 19), 0);
	assert_int_equal(tu_count_entries(dir), 2); /* old + temp while writing */
	sohoa_atomic_abort(af);
	assert_int_equal(tu_count_entries(dir), 1);
	assert_int_equal(sohoa_file_read(&buf, NULL, path, 100), 0);
	assert_string_equal(buf, "old");
	sohoa_atomic_abort(NULL); /* no-op */
	free(buf);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

static void test_destination_untouched_until_commit(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *path = tu_path(dir, "f"), *buf;
	sohoa_atomic_file *af;
	assert_int_equal(sohoa_atomic_open(&af, path), 0);
	assert_int_equal(sohoa_atomic_write(af, "abc", 3), 0);
	assert_int_equal(access(path, F_OK), -1); /* nothing under the real name yet */
	assert_int_equal(sohoa_atomic_commit(af), 0);
	assert_int_equal(sohoa_file_read(&buf, NULL, path, 100), 0);
	assert_string_equal(buf, "abc");
	free(buf);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

static void test_commit_all_replaces_every_file_and_leaves_no_temp(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *paths[3], *buf;
	sohoa_atomic_file *afs[4] = {NULL};
	int rcs[4];
	for (int i = 0; i < 3; i++) {
		char name[8];
		snprintf(name, sizeof name, "f%d", i);
		paths[i] = tu_path(dir, name);
		tu_write(paths[i], "old", 3);
		assert_int_equal(sohoa_atomic_open(&afs[i], paths[i]), 0);
		assert_int_equal(sohoa_atomic_write(afs[i], name, 2), 0);
	}
	/* afs[3] NULL: reported for itself, the others still committed */
	assert_int_equal(sohoa_atomic_commit_all(afs, 4, rcs), 0);
	for (int i = 0; i < 3; i++) {
		char name[8];
		snprintf(name, sizeof name, "f%d", i);
		assert_int_equal(rcs[i], 0);
		assert_null(afs[i]);
		assert_int_equal(sohoa_file_read(&buf, NULL, paths[i], 100), 0);
		assert_string_equal(buf, name);
		free(buf);
		free(paths[i]);
	}
	assert_int_equal(rcs[3], SOHOA_EINVAL);
	assert_int_equal(tu_count_entries(dir), 3); /* no temp file left */
	tu_rmtree(dir);
	free(dir);
}

static void test_atomic_write_into_missing_dir_names_path(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *path = tu_path(dir, "no/such/dir/f");
	assert_int_equal(sohoa_file_write_atomic(path, "x", 1), SOHOA_ENOTFOUND);
	assert_non_null(strstr(sohoa_error_last(), path));
	free(path);
	tu_rmtree(dir);
	free(dir);
}

static void test_read_refuses_file_over_cap_before_reading(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *path = tu_path(dir, "big"), *buf = (char *)1;
	tu_write(path, "0123456789", 10);
	assert_int_equal(sohoa_file_read(&buf, NULL, path, 9), SOHOA_ELIMIT);
	assert_null(buf);
	assert_non_null(strstr(sohoa_error_last(), path));
	assert_non_null(strstr(sohoa_error_last(), "limit"));
	assert_int_equal(sohoa_file_read(&buf, NULL, path, 10), 0); /* exactly the cap is fine */
	free(buf);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

static void test_read_refuses_directory_and_missing_file(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *missing = tu_path(dir, "missing"), *buf;
	assert_int_equal(sohoa_file_read(&buf, NULL, dir, 100), SOHOA_EUNSUPPORTED);
	assert_int_equal(sohoa_file_read(&buf, NULL, missing, 100), SOHOA_ENOTFOUND);
	assert_non_null(strstr(sohoa_error_last(), missing));
	free(missing);
	tu_rmtree(dir);
	free(dir);
}

static void test_mkdir_p_creates_parents_and_accepts_existing(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *deep = tu_path(dir, "a/b/c"), *file = tu_path(dir, "a/file");
	struct stat st;
	assert_int_equal(sohoa_mkdir_p(deep), 0);
	assert_int_equal(stat(deep, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(sohoa_mkdir_p(deep), 0);
	tu_write(file, "x", 1);
	assert_int_equal(sohoa_mkdir_p(file), SOHOA_EEXISTS);
	free(deep);
	free(file);
	tu_rmtree(dir);
	free(dir);
}

/* Files closed early (sohoa_atomic_close) still commit, alone or together,
 * with the mode open() gives under the umask, and abort still removes them. */
static void test_closed_early_files_commit_and_abort(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *a = tu_path(dir, "a"), *b = tu_path(dir, "b");
	char *c = tu_path(dir, "c"), *d = tu_path(dir, "d"), *buf;
	sohoa_atomic_file *afs[2] = {NULL}, *one = NULL, *gone = NULL;
	int rcs[2];
	struct stat st;
	mode_t mask = umask(022);

	assert_int_equal(sohoa_atomic_open(&afs[0], a), 0);
	assert_int_equal(sohoa_atomic_open(&afs[1], b), 0);
	assert_int_equal(sohoa_atomic_open(&one, c), 0);
	assert_int_equal(sohoa_atomic_open(&gone, d), 0);
	assert_int_equal(sohoa_atomic_write(afs[0], "A", 1), 0);
	assert_int_equal(sohoa_atomic_write(afs[1], "B", 1), 0);
	assert_int_equal(sohoa_atomic_write(one, "C", 1), 0);
	assert_int_equal(sohoa_atomic_close(afs[0]), 0);
	assert_int_equal(sohoa_atomic_close(afs[1]), 0);
	assert_int_equal(sohoa_atomic_close(one), 0);
	assert_int_equal(sohoa_atomic_close(gone), 0);
	assert_int_equal(sohoa_atomic_fd(one), -1);
	assert_int_equal(tu_count_entries(dir), 4); /* four temporary files */
	assert_int_equal(sohoa_atomic_commit_all(afs, 2, rcs), 0);
	assert_int_equal(sohoa_atomic_commit(one), 0);
	sohoa_atomic_abort(gone);
	assert_int_equal(sohoa_file_read(&buf, NULL, a, 10), 0);
	assert_string_equal(buf, "A");
	free(buf);
	assert_int_equal(sohoa_file_read(&buf, NULL, c, 10), 0);
	assert_string_equal(buf, "C");
	free(buf);
	assert_int_equal(stat(b, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0644);
	assert_int_equal(tu_count_entries(dir), 3); /* a, b, c; no temporary left */
	umask(mask);
	tu_rmtree(dir);
	free(dir);
	free(a);
	free(b);
	free(c);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_atomic_write_creates_file_with_content),
		cmocka_unit_test(test_atomic_write_replaces_existing_file),
		cmocka_unit_test(test_abort_keeps_old_file_and_removes_temp),
		cmocka_unit_test(test_destination_untouched_until_commit),
		cmocka_unit_test(test_commit_all_replaces_every_file_and_leaves_no_temp),
		cmocka_unit_test(test_closed_early_files_commit_and_abort),
		cmocka_unit_test(test_atomic_write_into_missing_dir_names_path),
		cmocka_unit_test(test_read_refuses_file_over_cap_before_reading),
		cmocka_unit_test(test_read_refuses_directory_and_missing_file),
		cmocka_unit_test(test_mkdir_p_creates_parents_and_accepts_existing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
