/* tests/ocr/test_ocr_cli.c: `sohoa ocr` as a clerk runs it — text and JSON
 * outputs, one file per input, bad inputs reported one line each (exit 1)
 * while the good ones still get their output, image-only PDFs read like the
 * scans they hold, parallel runs identical to sequential ones, usage errors
 * exit 2. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cer_lib.h"
#include "core/core.h"

#define FIXTURE SOHOA_SOURCE_DIR "/tests/ocr/data/page.tif"
#define TRUTH SOHOA_SOURCE_DIR "/tests/ocr/data/page.txt"

static char *slurp(const char *path)
{
	char *buf = NULL;
	if (sohoa_file_read(&buf, NULL, path, 64u << 20) != 0)
		fail_msg("%s", sohoa_error_last());
	return buf;
}

/* Copies the first `n` bytes of `from` (all when n == 0) to dir/name. */
static char *copy_prefix(const char *dir, const char *name, const char *from, size_t n)
{
	char *path = tu_path(dir, name), *data = NULL;
	size_t len = 0;
	assert_int_equal(sohoa_file_read(&data, &len, from, 64u << 20), 0);
	tu_write(path, data, n && n < len ? n : len);
	free(data);
	return path;
}

static double cer_against_truth(const char *text)
{
	char *truth = slurp(TRUTH);
	double cer = cer_compute(truth, text, NULL, NULL);
	free(truth);
	return cer;
}

static void test_single_input_text_goes_to_stdout(void **state)
{
	(void)state;
	char *argv[] = {SOHOA_BIN, "ocr", FIXTURE, NULL};
	tu_run_result r = tu_run(argv, NULL);
	assert_int_equal(r.status, 0);
	assert_true(cer_against_truth(r.out) <= 0.01);
	tu_run_free(&r);
}

static void test_json_output_is_valid_and_carries_page_facts(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *json_path = tu_path(dir, "out.json");
	char *argv[] = {SOHOA_BIN, "ocr", "--format", "json", FIXTURE, NULL};
	tu_run_result r = tu_run(argv, NULL);
	assert_int_equal(r.status, 0);
	tu_write(json_path, r.out, strlen(r.out));
	/* Python's json module is the independent parser. */
	char *check[] = {"/usr/bin/python3", "-c",
			 "import json,sys; d=json.load(open(sys.argv[1])); p=d['pages'][0];"
			 "assert p['page']==1 and p['dpi']==300 and p['rotation']==0;"
			 "assert p['needs_review'] is False and p['mean_confidence']>80;"
			 "w=p['lines'][0]['words'][0]; assert len(w['box'])==4 and w['confidence']>0;"
			 "assert 'QUYẾT' in p['text']",
			 json_path, NULL};
	tu_run_result c = tu_run(check, NULL);
	if (c.status != 0)
		fail_msg("JSON check failed: %s", c.err);
	tu_run_free(&c);
	tu_run_free(&r);
	free(json_path);
	tu_rmtree(dir);
	free(dir);
}

static void test_bad_inputs_fail_alone_with_one_line_each(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *out = tu_path(dir, "out");
	char *good = copy_prefix(dir, "good.tif", FIXTURE, 0);
	char *trunc = copy_prefix(dir, "truncated.tif", FIXTURE, 300);
	char *zero = tu_path(dir, "zero.png");
	char *huge = tu_path(dir, "huge.png");
	char *pdf = tu_path(dir, "nopages.pdf");
	char *missing = tu_path(dir, "missing.jpg");
	/* A PNG header declaring 100000 x 100000 pixels. */
	static const unsigned char huge_png[] = {
		0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
		0, 0x01, 0x86, 0xA0, 0, 0x01, 0x86, 0xA0, 8, 0, 0, 0, 0, 0x4b, 0x2a, 0x1c, 0x5e};
	tu_write(zero, "", 0);
	tu_write(huge, huge_png, sizeof huge_png);
	tu_write(pdf, "%PDF-1.4\n%%EOF\n", 15); /* a PDF with nothing in it: damaged */
	char *argv[] = {SOHOA_BIN, "ocr", "--out", out, trunc, good, zero, huge, pdf, missing,
			NULL};
	tu_run_result r = tu_run(argv, NULL);
	assert_int_equal(r.status, 1);
	assert_int_equal(tu_lines(r.err), 5);
	const char *names[] = {"truncated.tif", "zero.png", "huge.png", "nopages.pdf",
			       "missing.jpg"};
	for (size_t i = 0; i < 5; i++)
		assert_non_null(strstr(r.err, names[i]));
	assert_non_null(strstr(r.err, "limit"));
	char *good_out = tu_path(out, "good.txt");
	char *text = slurp(good_out);
	assert_true(cer_against_truth(text) <= 0.01);
	assert_int_equal(tu_count_entries(out), 1); /* nothing for the bad inputs */
	free(text);
	free(good_out);
	tu_run_free(&r);
	free(good);
	free(trunc);
	free(zero);
	free(huge);
	free(pdf);
	free(missing);
	free(out);
	tu_rmtree(dir);
	free(dir);
}

/* Runs a tool that makes a fixture; fails the test when it does not succeed. */
static void run_tool(char *const argv[])
{
	tu_run_result r = tu_run(argv, NULL);
	if (r.status != 0)
		fail_msg("%s failed (%d): %s", argv[0], r.status, r.err);
	tu_run_free(&r);
}

/* The fixture page as a scanner's image-only PDF: libtiff's tiff2pdf puts
 * the G4 strip in the PDF as it is, at 300 dpi. */
static char *scan_pdf(const char *dir, const char *name)
{
	char *path = tu_path(dir, name);
	char *argv[] = {"/usr/bin/tiff2pdf", "-o", path, FIXTURE, NULL};
	run_tool(argv);
	return path;
}

static void test_image_only_pdf_reads_like_its_scan(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *pdf = scan_pdf(dir, "scan.pdf");
	char *argv[] = {SOHOA_BIN, "ocr", pdf, NULL};
	tu_run_result r = tu_run(argv, NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, ""); /* nothing from Poppler either */
	double cer = cer_against_truth(r.out);
	if (cer > 0.02)
		fail_msg("CER %.4f on the PDF of the fixture", cer);
	tu_run_free(&r);
	free(pdf);
	tu_rmtree(dir);
	free(dir);
}

/* A PDF without pages, one cut short, one locked by a password and one
 * encrypted without a password each fail with one line naming them; the
 * good PDF beside them still gets its text. */
static void test_bad_pdfs_fail_alone_with_one_line_each(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *out = tu_path(dir, "out");
	char *good = scan_pdf(dir, "good.pdf"), *data = NULL;
	char *nopages = tu_path(dir, "nopages.pdf"), *cut = tu_path(dir, "truncated.pdf");
	char *locked = tu_path(dir, "locked.pdf"), *enc = tu_path(dir, "encrypted.pdf");
	size_t len = 0;
	static const char empty[] = "%PDF-1.4\n"
				    "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
				    "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
				    "trailer << /Root 1 0 R >>\n%%EOF\n";
	tu_write(nopages, empty, sizeof empty - 1);
	assert_int_equal(sohoa_file_read(&data, &len, good, 64u << 20), 0);
	tu_write(cut, data, len / 2);
	char *qpdf = "/usr/bin/qpdf";
	char *lock[] = {qpdf, "--encrypt", "user", "owner", "256", "--", good, locked, NULL};
	char *plain[] = {qpdf, "--encrypt", "", "owner", "256", "--", good, enc, NULL};
	run_tool(lock);
	run_tool(plain);
	char *argv[] = {SOHOA_BIN, "ocr", "--out", out, nopages, good, cut, locked, enc, NULL};
	tu_run_result r = tu_run(argv, NULL);
	assert_int_equal(r.status, 1);
	assert_int_equal(tu_lines(r.err), 4);
	const char *lines[][2] = {{"nopages.pdf", "no pages"},
				  {"truncated.pdf", "truncated"},
				  {"locked.pdf", "password"},
				  {"encrypted.pdf", "encrypted"}};
	for (size_t i = 0; i < 4; i++) {
		const char *line = strstr(r.err, lines[i][0]);
		const char *end = line ? strchr(line, '\n') : NULL;
		const char *why = line ? strstr(line, lines[i][1]) : NULL;
		if (!line || !why || why > end)
			fail_msg("no line naming %s (%s) in:\n%s", lines[i][0], lines[i][1], r.err);
	}
	assert_null(strstr(r.err, "good.pdf"));
	char *good_out = tu_path(out, "good.txt");
	char *text = slurp(good_out);
	assert_true(cer_against_truth(text) <= 0.02);
	assert_int_equal(tu_count_entries(out), 1);
	free(text);
	free(good_out);
	tu_run_free(&r);
	free(data);
	free(good);
	free(nopages);
	free(cut);
	free(locked);
	free(enc);
	free(out);
	tu_rmtree(dir);
	free(dir);
}

static void test_parallel_run_matches_sequential_and_keeps_names_apart(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *a = tu_path(dir, "a"), *b = tu_path(dir, "b");
	char *p1 = copy_prefix(dir, "scan.tif", FIXTURE, 0);
	char *sub = tu_path(dir, "other");
	assert_int_equal(sohoa_mkdir_p(sub), 0);
	char *p2 = copy_prefix(sub, "scan.tif", FIXTURE, 0);
	char *p3 = copy_prefix(dir, "third.tif", FIXTURE, 0);
	char *seq[] = {SOHOA_BIN, "ocr", "--jobs", "1", "--out", a, p1, p2, p3, NULL};
	char *par[] = {SOHOA_BIN, "ocr", "--jobs", "2", "--out", b, p1, p2, p3, NULL};
	tu_run_result r1 = tu_run(seq, NULL), r2 = tu_run(par, NULL);
	assert_int_equal(r1.status, 0);
	assert_int_equal(r2.status, 0);
	assert_int_equal(tu_count_entries(a), 3); /* scan.txt, scan-2.txt, third.txt */
	const char *names[] = {"scan.txt", "scan-2.txt", "third.txt"};
	for (int i = 0; i < 3; i++) {
		char *fa = tu_path(a, names[i]), *fb = tu_path(b, names[i]);
		char *ta = slurp(fa), *tb = slurp(fb);
		assert_string_equal(ta, tb);
		free(ta);
		free(tb);
		free(fa);
		free(fb);
	}
	tu_run_free(&r1);
	tu_run_free(&r2);
	free(p1);
	free(p2);
	free(p3);
	free(sub);
	free(a);
	free(b);
	tu_rmtree(dir);
	free(dir);
}

static void test_usage_errors_exit_2(void **state)
{
	(void)state;
	char *cases[][6] = {
		{SOHOA_BIN, "ocr", NULL},
		{SOHOA_BIN, "ocr", "--format", "bogus", FIXTURE, NULL},
		{SOHOA_BIN, "ocr", "--jobs", "0", FIXTURE, NULL},
		{SOHOA_BIN, "ocr", FIXTURE, FIXTURE, NULL},
		{SOHOA_BIN, "ocr", "--no-such-option", FIXTURE, NULL},
		{SOHOA_BIN, "ocr", FIXTURE, "--dpi", NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		tu_run_result r = tu_run(cases[i], NULL);
		assert_int_equal(r.status, 2);
		assert_int_equal(tu_lines(r.err), 1);
		assert_non_null(strstr(r.err, "ocr"));
		tu_run_free(&r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_input_text_goes_to_stdout),
		cmocka_unit_test(test_json_output_is_valid_and_carries_page_facts),
		cmocka_unit_test(test_bad_inputs_fail_alone_with_one_line_each),
		cmocka_unit_test(test_image_only_pdf_reads_like_its_scan),
		cmocka_unit_test(test_bad_pdfs_fail_alone_with_one_line_each),
		cmocka_unit_test(test_parallel_run_matches_sequential_and_keeps_names_apart),
		cmocka_unit_test(test_usage_errors_exit_2),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
