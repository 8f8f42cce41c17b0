/* tests/pipeline/test_inbox.c: an inbox scan lists the non-hidden dossier
 * folders in byte order with their manifest flag and image count, and names
 * every entry it passes over (plain files in the inbox, folders posing as
 * pages or manifests). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pipeline/pipeline.h"

static void mkdir_in(const char *dir, const char *name)
{
	char *p = tu_path(dir, name);
	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
}

static void touch_in(const char *dir, const char *name)
{
	char *p = tu_path(dir, name);
	tu_write(p, "x", 1);
	free(p);
}

/* Scans `dir` with the log going to a buffer; returns the scan's result and
 * the log text (malloc'd) in *log. */
static int scan_logged(sohoa_inbox **out, const char *dir, char **log)
{
	FILE *f = tmpfile();
	long n;
	int rc;
	assert_non_null(f);
	sohoa_log_set_stream(f);
	rc = sohoa_inbox_scan(out, dir);
	sohoa_log_set_stream(NULL);
	n = ftell(f);
	assert_true(n >= 0);
	*log = calloc(1, (size_t)n + 1);
	assert_non_null(*log);
	rewind(f);
	assert_int_equal(fread(*log, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return rc;
}

static void test_scan_lists_dossier_folders_sorted_by_bytes(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *log;
	sohoa_inbox *in = NULL;
	mkdir_in(dir, "b-002");
	mkdir_in(dir, "a-001");
	mkdir_in(dir, "C-003");
	mkdir_in(dir, "a-0010");
	mkdir_in(dir, ".trash"); /* hidden: not a dossier */
	assert_int_equal(scan_logged(&in, dir, &log), 0);
	assert_int_equal(in->count, 4);
	assert_string_equal(in->entries[0].name, "C-003"); /* 'C' < 'a' in bytes */
	assert_string_equal(in->entries[1].name, "a-001");
	assert_string_equal(in->entries[2].name, "a-0010");
	assert_string_equal(in->entries[3].name, "b-002");
	char *want = tu_path(dir, "a-001");
	assert_string_equal(in->entries[1].path, want);
	assert_string_equal(log, ""); /* nothing to warn about */
	free(want);
	free(log);
	sohoa_inbox_free(in);
	sohoa_inbox_free(NULL); /* no-op */
	tu_rmtree(dir);
	free(dir);
}

static void test_scan_reports_manifest_and_counts_images(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *log;
	char *with = tu_path(dir, "HS-01"), *without = tu_path(dir, "HS-02");
	sohoa_inbox *in = NULL;
	mkdir_in(dir, "HS-01");
	mkdir_in(dir, "HS-02");
	touch_in(with, "dossier.xml");
	touch_in(with, "p1.TIF");
	touch_in(with, "p2.jpeg");
	touch_in(with, "p3.Png");
	touch_in(with, "scan.PDF");
	touch_in(with, "p4.tiff");
	touch_in(with, "notes.txt");   /* not an image */
	touch_in(with, ".p5.tif");     /* hidden */
	touch_in(with, "tif");         /* no extension */
	touch_in(with, "Dossier.XML"); /* the manifest name is exact */
	touch_in(without, "only.jpg");
	mkdir_in(without, "sub.png");     /* a folder is not a page… */
	mkdir_in(without, "dossier.xml"); /* …nor a manifest */
	assert_int_equal(scan_logged(&in, dir, &log), 0);
	assert_int_equal(in->count, 2);
	assert_string_equal(in->entries[0].name, "HS-01");
	assert_int_equal(in->entries[0].has_manifest, 1);
	assert_int_equal(in->entries[0].image_files, 5);
	assert_string_equal(in->entries[1].name, "HS-02");
	assert_int_equal(in->entries[1].has_manifest, 0);
	assert_int_equal(in->entries[1].image_files, 1);
	/* …and neither is skipped silently. */
	assert_non_null(strstr(log, "HS-02/sub.png"));
	assert_non_null(strstr(log, "HS-02/dossier.xml"));
	assert_int_equal(tu_lines(log), 2);
	free(log);
	sohoa_inbox_free(in);
	free(with);
	free(without);
	tu_rmtree(dir);
	free(dir);
}

static void test_scan_warns_about_plain_file_in_inbox(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *log, *file = tu_path(dir, "ghi-chu.txt");
	sohoa_inbox *in = NULL;
	mkdir_in(dir, "HS-01");
	touch_in(dir, "ghi-chu.txt");
	assert_int_equal(scan_logged(&in, dir, &log), 0);
	assert_int_equal(in->count, 1);
	assert_string_equal(in->entries[0].name, "HS-01");
	assert_non_null(strstr(log, "warning"));
	assert_non_null(strstr(log, file));
	assert_int_equal(tu_lines(log), 1);
	free(log);
	free(file);
	sohoa_inbox_free(in);
	tu_rmtree(dir);
	free(dir);
}

static void test_scan_of_empty_inbox_lists_nothing(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp();
	sohoa_inbox *in = NULL;
	assert_int_equal(sohoa_inbox_scan(&in, dir), 0);
	assert_non_null(in);
	assert_int_equal(in->count, 0);
	sohoa_inbox_free(in);
	tu_rmtree(dir);
	free(dir);
}

static void test_scan_of_missing_inbox_names_it(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *missing = tu_path(dir, "inbox");
	sohoa_inbox *in = (sohoa_inbox *)1;
	assert_int_equal(sohoa_inbox_scan(&in, missing), SOHOA_ENOTFOUND);
	assert_null(in);
	assert_non_null(strstr(sohoa_error_last(), missing));
	free(missing);
	tu_rmtree(dir);
	free(dir);
}

static void test_image_names_are_recognised_by_extension(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		int image;
	} cases[] = {
		{"a.tif", 1},       {"a.TIF", 1},       {"a.tiff", 1},  {"a.TiFf", 1},
		{"p.jpg", 1},       {"p.JPG", 1},       {"p.jpeg", 1},  {"p.JPEG", 1},
		{"p.png", 1},       {"p.PNG", 1},       {"d.pdf", 1},   {"d.Pdf", 1},
		{"x.txt.tif", 1},   {"trang 1.png", 1}, {"x.gif", 0},   {"x.bmp", 0},
		{"x.tif.txt", 0},   {"x.tif~", 0},      {"x.tiff ", 0}, {"x.", 0},
		{"tif", 0},         {".tif", 0},        {"", 0},        {"x.jp", 0},
		{"dossier.xml", 0}, {"x.tifff", 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (sohoa_is_image_name(cases[i].name) != cases[i].image)
			fail_msg("sohoa_is_image_name(\"%s\") should be %d", cases[i].name,
				 cases[i].image);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_lists_dossier_folders_sorted_by_bytes),
		cmocka_unit_test(test_scan_reports_manifest_and_counts_images),
		cmocka_unit_test(test_scan_warns_about_plain_file_in_inbox),
		cmocka_unit_test(test_scan_of_empty_inbox_lists_nothing),
		cmocka_unit_test(test_scan_of_missing_inbox_names_it),
		cmocka_unit_test(test_image_names_are_recognised_by_extension),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
