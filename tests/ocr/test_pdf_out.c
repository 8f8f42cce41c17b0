/* tests/ocr/test_pdf_out.c: the searchable PDF of `sohoa ocr --format pdf`.
 * Real recognition of tests/ocr/data/page.tif (upright, turned, as a JPEG, as
 * a two-page TIFF through the CLI) and a few hand-made pages are written as
 * PDF and read back with poppler (pdftotext in its default and -raw modes,
 * pdfinfo, pdfimages) and qpdf: the same text as the text output, Vietnamese
 * intact, pages, sizes, rotation, image encoding and document info right. */
#include "testutil.h"

#include <leptonica/allheaders.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ocr/ocr.h"

#define FIXTURE SOHOA_SOURCE_DIR "/tests/ocr/data/page.tif"

typedef struct {
	sohoa_ocr_engine *engine;
	sohoa_limits limits;
	char *dir;
	PIX *bin;                  /* page.tif, 1 bpp, 300 dpi */
	sohoa_ocr_page *upright;   /* page.tif recognised */
	sohoa_ocr_image_info info; /* page.tif's header */
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	sohoa_ocr_options opt = sohoa_ocr_options_default();

	assert_non_null(f);
	assert_int_equal(sohoa_ocr_engine_new(&f->engine, &opt), 0);
	f->limits = sohoa_limits_default();
	f->dir = tu_mkdtemp();
	f->bin = pixRead(FIXTURE);
	assert_non_null(f->bin);
	assert_int_equal(sohoa_ocr_probe(&f->info, FIXTURE, &f->limits), 0);
	if (sohoa_ocr_recognize(&f->upright, f->engine, FIXTURE, 0) != 0)
		fail_msg("%s", sohoa_error_last());
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	sohoa_ocr_page_free(f->upright);
	sohoa_ocr_engine_free(f->engine);
	pixDestroy(&f->bin);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

/* ---------------------------------------------------------------- helpers */

/* The absolute path of a program found on $PATH (posix_spawn does not look). */
static char *tool(const char *name)
{
	const char *path = getenv("PATH");
	char *dirs = strdup(path ? path : "/usr/bin:/bin"), *save = NULL;

	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		char *p = tu_path(d, name);
		if (access(p, X_OK) == 0) {
			free(dirs);
			return p;
		}
		free(p);
	}
	free(dirs);
	fail_msg("%s not found on PATH (scripts/deps.sh installs it)", name);
	return NULL;
}

/* Runs `name` with up to 6 arguments (NULL-terminated); its stdout, after
 * checking it exited 0. */
static char *output_of(const char *name, ...)
{
	char *argv[8] = {tool(name)}, *out;
	va_list ap;
	int n = 1;

	va_start(ap, name);
	while (n < 7 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	tu_run_result r = tu_run(argv, NULL);
	if (r.status != 0)
		fail_msg("%s exited %d: %s", name, r.status, r.err);
	out = r.out;
	r.out = NULL;
	tu_run_free(&r);
	free(argv[0]);
	return out;
}

/* `s` with every run of white space (form feeds included) one space,
 * none at either end. */
static char *fold(const char *s)
{
	char *out = malloc(strlen(s) + 1), *w = out;

	assert_non_null(out);
	for (; *s; s++) {
		if (strchr(" \t\n\r\f\v", *s)) {
			if (w > out && w[-1] != ' ')
				*w++ = ' ';
		} else {
			*w++ = *s;
		}
	}
	if (w > out && w[-1] == ' ')
		w--;
	*w = '\0';
	return out;
}

/* pdftotext, in its default (layout analysis) mode and in -raw (content
 * stream order) mode, gives `want` up to white space. */
static void assert_same_text(const char *pdf, const char *want)
{
	char *w = fold(want);

	for (int raw = 0; raw < 2; raw++) {
		char *out = raw ? output_of("pdftotext", "-raw", pdf, "-", NULL)
				: output_of("pdftotext", pdf, "-", NULL);
		char *g = fold(out);
		if (strcmp(g, w) != 0)
			fail_msg("pdftotext %s %s:\n got: %s\nwant: %s", raw ? "-raw" : "(default)",
				 pdf, g, w);
		free(g);
		free(out);
	}
	free(w);
}

/* The value of `key` in pdfinfo's output, malloc'd. */
static char *info_field(const char *info, const char *key)
{
	size_t klen = strlen(key);

	for (const char *l = info; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
		if (strncmp(l, key, klen) == 0 && l[klen] == ':') {
			const char *v = l + klen + 1;
			while (*v == ' ')
				v++;
			return strndup(v, strcspn(v, "\n"));
		}
	}
	fail_msg("pdfinfo printed no %s:\n%s", key, info);
	return NULL;
}

static void assert_field(const char *info, const char *key, const char *want)
{
	char *v = info_field(info, key);
	assert_string_equal(v, want);
	free(v);
}

/* pdfinfo's "Page size: W x H pts" is the image at its resolution. */
static void assert_page_size(const char *info, uint32_t w, uint32_t h, int dpi)
{
	char *v = info_field(info, "Page size");
	double pw = 0, ph = 0;

	assert_int_equal(sscanf(v, "%lf x %lf", &pw, &ph), 2);
	assert_true(fabs(pw - w * 72.0 / dpi) < 0.01);
	assert_true(fabs(ph - h * 72.0 / dpi) < 0.01);
	free(v);
}

/* qpdf finds no damage (exit 0: no errors, no warnings); pdfinfo reads the
 * document info. Returns pdfinfo's output. */
static char *assert_valid_pdf(const char *pdf)
{
	char *check = output_of("qpdf", "--check", pdf, NULL);
	char *info = output_of("pdfinfo", pdf, NULL), producer[64];

	snprintf(producer, sizeof producer, "sohoa %s", sohoa_version());
	assert_field(info, "Producer", producer);
	assert_field(info, "Creator", "sohoa ocr");
	free(check);
	return info;
}

/* Writes `pages` of `source` as dir/name; the PDF's path. */
static char *write_pdf(fixture *f, const char *name, const char *source, sohoa_ocr_page **pages,
		       size_t n)
{
	char *path = tu_path(f->dir, name);
	FILE *out = fopen(path, "wb");

	assert_non_null(out);
	int rc = sohoa_ocr_write_pdf(out, source, pages, n, &f->limits);
	assert_int_equal(fclose(out), 0);
	if (rc != 0)
		fail_msg("%s: %s", name, sohoa_error_last());
	return path;
}

/* Writes `pix` (consumed) as dir/name and recognises it. */
static sohoa_ocr_page *recognise(fixture *f, PIX *pix, const char *name, l_int32 format,
				 char **path)
{
	sohoa_ocr_page *page = NULL;

	*path = tu_path(f->dir, name);
	pixSetResolution(pix, 300, 300);
	assert_int_equal(pixWrite(*path, pix, format), 0);
	pixDestroy(&pix);
	if (sohoa_ocr_recognize(&page, f->engine, *path, 0) != 0)
		fail_msg("%s: %s", name, sohoa_error_last());
	return page;
}

/* ------------------------------------------------------- real recognition */

static void test_pdf_text_matches_the_text_output(void **state)
{
	static const char *const vietnamese[] = {"QUYẾT ĐỊNH", "Điều 2.", "Môi trường", "Nguyễn",
						 "quyền sử dụng đất"};
	fixture *f = *state;
	sohoa_ocr_page *p = f->upright;
	char *pdf = write_pdf(f, "page.pdf", FIXTURE, &p, 1), *info = assert_valid_pdf(pdf);
	char *text = output_of("pdftotext", pdf, "-", NULL);
	char *images = output_of("pdfimages", "-list", pdf, NULL);

	assert_same_text(pdf, p->text);
	/* Vietnamese survives copying: stacked diacritics, đ, ư, ơ */
	for (size_t i = 0; i < sizeof vietnamese / sizeof *vietnamese; i++) {
		assert_non_null(strstr(p->text, vietnamese[i]));
		assert_non_null(strstr(text, vietnamese[i]));
	}
	assert_field(info, "Pages", "1");
	assert_field(info, "Page rot", "0");
	assert_field(info, "Title", "page.tif");
	assert_page_size(info, p->width, p->height, p->dpi);
	/* the G4 strip of the TIFF goes in as is */
	assert_non_null(strstr(images, "ccitt"));
	free(images);
	free(text);
	free(info);
	free(pdf);
}

static void test_pdf_of_turned_pages_reads_upright(void **state)
{
	fixture *f = *state;

	for (int quads = 2; quads >= 1; quads--) { /* 180°, then 90° clockwise */
		char name[32], *src, *pdf, *info, rot[8];
		snprintf(name, sizeof name, "turned%d.tif", 90 * quads);
		sohoa_ocr_page *p =
			recognise(f, pixRotateOrth(f->bin, quads), name, IFF_TIFF_G4, &src);
		assert_int_equal(p->rotation, (360 - 90 * quads) % 360);
		strcat(name, ".pdf");
		pdf = write_pdf(f, name, src, &p, 1);
		info = assert_valid_pdf(pdf);
		snprintf(rot, sizeof rot, "%d", p->rotation);
		assert_field(info, "Page rot", rot);
		assert_page_size(info, p->width, p->height, p->dpi); /* as stored */
		assert_same_text(pdf, p->text);
		sohoa_ocr_page_free(p);
		free(info);
		free(pdf);
		free(src);
	}
}

static void test_pdf_embeds_a_jpeg_without_recompressing_it(void **state)
{
	fixture *f = *state;
	char *src, *pdf, *info, *images, *jpeg = NULL, *doc = NULL, dims[32];
	size_t jlen = 0, dlen = 0;
	sohoa_ocr_page *p =
		recognise(f, pixConvertTo8(f->bin, 0), "Quyết định.jpg", IFF_JFIF_JPEG, &src);

	pdf = write_pdf(f, "jpeg.pdf", src, &p, 1);
	info = assert_valid_pdf(pdf);
	assert_field(info, "Pages", "1");
	assert_field(info, "Title", "Quyết định.jpg"); /* UTF-16 text string */
	assert_page_size(info, p->width, p->height, p->dpi);
	images = output_of("pdfimages", "-list", pdf, NULL);
	snprintf(dims, sizeof dims, "%u  %u", p->width, p->height);
	assert_non_null(strstr(images, "jpeg"));
	assert_non_null(strstr(images, dims));
	assert_int_equal(sohoa_file_read(&jpeg, &jlen, src, 64u << 20), 0);
	assert_int_equal(sohoa_file_read(&doc, &dlen, pdf, 64u << 20), 0);
	assert_non_null(memmem(doc, dlen, jpeg, jlen)); /* byte for byte */
	assert_same_text(pdf, p->text);
	sohoa_ocr_page_free(p);
	free(jpeg);
	free(doc);
	free(images);
	free(info);
	free(pdf);
	free(src);
}

static void test_cli_pdf_of_a_two_page_tiff_has_both_pages(void **state)
{
	fixture *f = *state;
	char *tif = tu_path(f->dir, "two.tif"), *pdf = tu_path(f->dir, "two.pdf"), *info;
	PIX *turned = pixRotateOrth(f->bin, 2);

	assert_int_equal(pixWriteTiff(tif, f->bin, IFF_TIFF_G4, "w"), 0);
	assert_int_equal(pixWriteTiff(tif, turned, IFF_TIFF_G4, "a"), 0);
	pixDestroy(&turned);
	char *to_pdf[] = {SOHOA_BIN, "ocr", "--format", "pdf", "--out", f->dir, tif, NULL};
	char *to_text[] = {SOHOA_BIN, "ocr", "--format", "text", tif, NULL};
	tu_run_result r = tu_run(to_pdf, NULL), t = tu_run(to_text, NULL);
	if (r.status != 0 || t.status != 0)
		fail_msg("sohoa ocr: %s%s", r.err, t.err);
	info = assert_valid_pdf(pdf);
	assert_field(info, "Pages", "2");
	assert_same_text(pdf, t.out); /* pages in order, a form feed between them */
	tu_run_free(&r);
	tu_run_free(&t);
	free(info);
	free(pdf);
	free(tif);
}

/* ------------------------------------------------------- hand-made pages */

/* A page over page.tif's image with the given lines of words. */
static sohoa_ocr_page made_page(const fixture *f, sohoa_ocr_word *words, size_t nwords,
				sohoa_ocr_line *lines, size_t nlines, const char *text)
{
	return (sohoa_ocr_page){.source = (char *)FIXTURE,
				.width = f->info.width,
				.height = f->info.height,
				.dpi = 300,
				.words = words,
				.word_count = nwords,
				.lines = lines,
				.line_count = nlines,
				.text = (char *)text};
}

static void test_pdf_keeps_characters_outside_the_bmp_and_spaces(void **state)
{
	fixture *f = *state;
	/* the second line's boxes overlap, as Tesseract's sometimes do */
	sohoa_ocr_word words[] = {
		{"Toán", {150, 100, 200, 60}, 90}, {"𝐱²", {380, 100, 100, 60}, 90},
		{"😀", {510, 100, 60, 60}, 90},     {"chồng", {150, 300, 300, 60}, 90},
		{"lấn", {400, 300, 150, 60}, 90},  {"nhau", {530, 300, 200, 60}, 90},
	};
	sohoa_ocr_line lines[] = {{{150, 100, 420, 60}, 0, 3, 0}, {{150, 300, 580, 60}, 3, 3, 1}};
	const char *text = "Toán 𝐱² 😀\n\nchồng lấn nhau\n";
	sohoa_ocr_page page = made_page(f, words, 6, lines, 2, text), *p = &page;
	char *a = write_pdf(f, "bmp.pdf", FIXTURE, &p, 1),
	     *b = write_pdf(f, "again.pdf", FIXTURE, &p, 1);
	char *da = NULL, *db = NULL, *info = assert_valid_pdf(a);
	size_t la = 0, lb = 0;

	assert_same_text(a, text);
	/* the same pages give the same bytes (no dates, no random IDs) */
	assert_int_equal(sohoa_file_read(&da, &la, a, 64u << 20), 0);
	assert_int_equal(sohoa_file_read(&db, &lb, b, 64u << 20), 0);
	assert_true(la == lb && memcmp(da, db, la) == 0);
	free(da);
	free(db);
	free(info);
	free(a);
	free(b);
}

static void test_pdf_two_column_header_reads_left_column_first(void **state)
{
	fixture *f = *state;
	sohoa_ocr_word words[] = {
		{"ỦY", {150, 100, 70, 50}, 90},     {"BAN", {240, 100, 100, 50}, 90},
		{"NHÂN", {360, 100, 130, 50}, 90},  {"DÂN", {510, 100, 100, 50}, 90},
		{"HUYỆN", {170, 170, 160, 50}, 90}, {"HẢI", {350, 170, 80, 50}, 90},
		{"HẬU", {450, 170, 100, 50}, 90},   {"CỘNG", {1100, 100, 140, 50}, 90},
		{"HÒA", {1260, 100, 110, 50}, 90},  {"XÃ", {1390, 100, 70, 50}, 90},
		{"HỘI", {1480, 100, 100, 50}, 90},  {"Độc", {1150, 170, 90, 50}, 90},
		{"lập", {1260, 170, 80, 50}, 90},   {"-", {1360, 170, 20, 50}, 90},
		{"Tự", {1400, 170, 60, 50}, 90},    {"do", {1480, 170, 60, 50}, 90},
		{"Điều", {150, 400, 110, 50}, 90},  {"1.", {280, 400, 40, 50}, 90},
		{"Công", {340, 400, 120, 50}, 90},  {"nhận", {480, 400, 120, 50}, 90},
		{"quyền", {620, 400, 150, 50}, 90}, {"sử", {790, 400, 60, 50}, 90},
		{"dụng", {870, 400, 120, 50}, 90},  {"đất", {1010, 400, 80, 50}, 90},
		{"cho", {1110, 400, 90, 50}, 90},   {"hộ", {1220, 400, 60, 50}, 90},
		{"gia", {1300, 400, 80, 50}, 90},   {"đình", {1400, 400, 110, 50}, 90},
		{"và", {1530, 400, 60, 50}, 90},    {"cá", {1610, 400, 60, 50}, 90},
		{"nhân", {1690, 400, 120, 50}, 90},
	};
	sohoa_ocr_line lines[] = {
		{{150, 100, 460, 50}, 0, 4, 0},    {{170, 170, 380, 50}, 4, 3, 0},
		{{1100, 100, 480, 50}, 7, 4, 1},   {{1150, 170, 390, 50}, 11, 5, 1},
		{{150, 400, 1660, 50}, 16, 15, 2},
	};
	const char *text = "ỦY BAN NHÂN DÂN\nHUYỆN HẢI HẬU\n\n"
			   "CỘNG HÒA XÃ HỘI\nĐộc lập - Tự do\n\n"
			   "Điều 1. Công nhận quyền sử dụng đất cho hộ gia đình và cá nhân\n";
	sohoa_ocr_page page = made_page(f, words, 31, lines, 5, text), *p = &page;
	char *pdf = write_pdf(f, "header.pdf", FIXTURE, &p, 1);

	assert_same_text(pdf, text);
	free(pdf);
}

static void test_pdf_names_the_file_and_page_it_cannot_write(void **state)
{
	fixture *f = *state;
	sohoa_ocr_word word = {"chữ", {150, 100, 100, 50}, 90};
	sohoa_ocr_line line = {{150, 100, 100, 50}, 0, 1, 0};
	sohoa_ocr_page page = made_page(f, &word, 1, &line, 1, "chữ\n"), *p = &page;
	char *gone = tu_path(f->dir, "gone.tif"), *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	/* the image is no longer there */
	page.source = gone;
	assert_true(sohoa_ocr_write_pdf(out, gone, &p, 1, &f->limits) < 0);
	assert_non_null(strstr(sohoa_error_last(), "gone.tif"));
	assert_non_null(strstr(sohoa_error_last(), "page 1"));
	/* the image is not the one recognised */
	page.source = (char *)FIXTURE;
	page.width += 1;
	assert_int_equal(sohoa_ocr_write_pdf(out, FIXTURE, &p, 1, &f->limits), SOHOA_EFORMAT);
	assert_non_null(strstr(sohoa_error_last(), "page.tif"));
	assert_non_null(strstr(sohoa_error_last(), "page 1"));
	fclose(out);
	/* the disk is full */
	page.width -= 1;
	out = fopen("/dev/full", "w");
	assert_non_null(out);
	assert_int_equal(sohoa_ocr_write_pdf(out, FIXTURE, &p, 1, &f->limits), SOHOA_ENOSPC);
	assert_non_null(strstr(sohoa_error_last(), "page.tif"));
	fclose(out);
	free(buf);
	free(gone);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pdf_text_matches_the_text_output),
		cmocka_unit_test(test_pdf_of_turned_pages_reads_upright),
		cmocka_unit_test(test_pdf_embeds_a_jpeg_without_recompressing_it),
		cmocka_unit_test(test_cli_pdf_of_a_two_page_tiff_has_both_pages),
		cmocka_unit_test(test_pdf_keeps_characters_outside_the_bmp_and_spaces),
		cmocka_unit_test(test_pdf_two_column_header_reads_left_column_first),
		cmocka_unit_test(test_pdf_names_the_file_and_page_it_cannot_write),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
