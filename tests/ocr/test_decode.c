/* tests/ocr/test_decode.c: decoding one page to pixels — image-only PDF pages
 * rendered at the resolution of their scan (or 300 dpi) on white, within the
 * pixel and page caps checked before rendering, from several threads at once;
 * TIFF pages read through their own directory, each checked against the
 * caps; the image sizes a PDF declares, found without decoding. */
#include "testutil.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <leptonica/allheaders.h>

#include "ocr/ocr_int.h"

typedef tu_scratch fixture;

/* A white 1 bpp page of w x h with a black box at (bx, by) of bw x bh. */
static PIX *page_with_box(int w, int h, int bx, int by, int bw, int bh)
{
	PIX *pix = pixCreate(w, h, 1);
	assert_non_null(pix);
	assert_int_equal(pixRasterop(pix, bx, by, bw, bh, PIX_SET, NULL, 0, 0), 0);
	return pix;
}

/* Writes the pages of `pixa` as an image-only PDF at `res` dpi (Leptonica
 * embeds 1 bpp pages as CCITT G4 images). Returns the malloc'd path. */
static char *write_scan_pdf(const char *dir, const char *name, PIXA *pixa, int res)
{
	char *path = tu_path(dir, name);
	l_uint8 *data = NULL;
	size_t len = 0;
	assert_int_equal(
		pixaConvertToPdfData(pixa, res, 1.0, L_DEFAULT_ENCODE, 0, NULL, &data, &len), 0);
	tu_write(path, data, len);
	lept_free(data);
	return path;
}

static char *write_one_page_pdf(const char *dir, const char *name, PIX *pix, int res)
{
	PIXA *pixa = pixaCreate(1);
	pixaAddPix(pixa, pix, L_CLONE);
	char *path = write_scan_pdf(dir, name, pixa, res);
	pixaDestroy(&pixa);
	return path;
}

/* Writes a PDF whose objects 1..n have the bodies `objs`, with a correct
 * cross-reference table; object 1 is the catalog. */
static char *write_pdf(const char *dir, const char *name, const char *const *objs, size_t n,
		       const char *trailer_extra)
{
	char *path = tu_path(dir, name), *buf = NULL;
	size_t len = 0, *offsets = calloc(n, sizeof *offsets);
	FILE *m = open_memstream(&buf, &len);
	assert_non_null(m);
	fputs("%PDF-1.4\n", m);
	for (size_t i = 0; i < n; i++) {
		fflush(m);
		offsets[i] = len;
		fprintf(m, "%zu 0 obj\n%s\nendobj\n", i + 1, objs[i]);
	}
	fflush(m);
	size_t xref = len;
	fprintf(m, "xref\n0 %zu\n0000000000 65535 f \n", n + 1);
	for (size_t i = 0; i < n; i++)
		fprintf(m, "%010zu 00000 n \n", offsets[i]);
	fprintf(m, "trailer\n<< /Size %zu /Root 1 0 R %s>>\nstartxref\n%zu\n%%%%EOF\n", n + 1,
		trailer_extra ? trailer_extra : "", xref);
	fclose(m);
	tu_write(path, buf, len);
	free(buf);
	free(offsets);
	return path;
}

/* One page of w x h points drawing `content` (object 4). */
static char *write_vector_pdf(const char *dir, const char *name, int w, int h, const char *content)
{
	char page[256], stream[1024];
	snprintf(page, sizeof page,
		 "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] /Contents 4 0 R >>", w, h);
	snprintf(stream, sizeof stream, "<< /Length %zu >>\nstream\n%s\nendstream", strlen(content),
		 content);
	const char *objs[] = {"<< /Type /Catalog /Pages 2 0 R >>",
			      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, stream};
	return write_pdf(dir, name, objs, 4, NULL);
}

static void pixel_rgb(PIX *pix, int x, int y, int *r, int *g, int *b)
{
	l_uint32 v = 0;
	assert_int_equal(pixGetPixel(pix, x, y, &v), 0);
	extractRGBValues(v, r, g, b);
}

static void assert_named(const char *path, const char *what)
{
	const char *m = sohoa_error_last();
	if (strncmp(m, path, strlen(path)) != 0 || (what && !strstr(m, what)))
		fail_msg("message '%s' does not name '%s' or say '%s'", m, path, what ? what : "");
}

static void test_decode_pdf_scan_renders_at_the_resolution_of_its_image(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	PIX *src = page_with_box(800, 1100, 100, 200, 200, 60), *pix = NULL;
	char *path = write_one_page_pdf(f->dir, "scan200.pdf", src, 200);
	int r, g, b;

	assert_int_equal(ocr_decode(&pix, path, 0, &lim, &info), 0);
	assert_int_equal(info.format, SOHOA_IMAGE_PDF);
	assert_int_equal(info.pages, 1);
	assert_int_equal(info.xres, 200);
	assert_int_equal(info.yres, 200);
	assert_int_equal(pixGetWidth(pix), 800); /* the scan's own pixels */
	assert_int_equal(pixGetHeight(pix), 1100);
	assert_int_equal(info.width, 800);
	assert_int_equal(pixGetDepth(pix), 32);
	assert_int_equal(pixGetXRes(pix), 200);
	assert_int_equal(pixGetYRes(pix), 200);
	pixel_rgb(pix, 200, 230, &r, &g, &b); /* inside the box */
	assert_true(r < 40 && g < 40 && b < 40);
	pixel_rgb(pix, 500, 800, &r, &g, &b);
	assert_true(r == 255 && g == 255 && b == 255);
	/* Pixel for pixel the page that was scanned. */
	PIX *gray = pixConvertRGBToLuminance(pix), *bin = pixThresholdToBinary(gray, 128);
	l_int32 same = 0;
	assert_int_equal(pixEqual(bin, src, &same), 0);
	assert_true(same);
	pixDestroy(&gray);
	pixDestroy(&bin);
	pixDestroy(&pix);
	pixDestroy(&src);
	free(path);
}

static void test_decode_pdf_scan_resolution_is_clamped_to_150_600(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	PIX *low = page_with_box(400, 550, 10, 10, 20, 20),
	    *high = page_with_box(1200, 1650, 10, 10, 20, 20);
	char *lp = write_one_page_pdf(f->dir, "low.pdf", low, 100);
	char *hp = write_one_page_pdf(f->dir, "high.pdf", high, 1200);
	PIX *pix = NULL;

	assert_int_equal(ocr_decode(&pix, lp, 0, &lim, &info), 0);
	assert_int_equal(info.xres, 150);
	assert_int_equal(pixGetWidth(pix), 600); /* 4 in x 5.5 in at 150 dpi */
	assert_int_equal(pixGetHeight(pix), 825);
	pixDestroy(&pix);
	assert_int_equal(ocr_decode(&pix, hp, 0, &lim, &info), 0);
	assert_int_equal(info.xres, 600);
	assert_int_equal(pixGetWidth(pix), 600); /* 1 in x 1.375 in at 600 dpi */
	assert_int_equal(pixGetHeight(pix), 825);
	pixDestroy(&pix);
	pixDestroy(&low);
	pixDestroy(&high);
	free(lp);
	free(hp);
}

/* A fax page (204 x 196 dpi) keeps both resolutions: pixel for pixel. */
static void test_decode_pdf_fax_page_keeps_both_resolutions(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	const char *content = "q 72 0 0 72 0 0 cm /Im0 Do Q";
	size_t row = (204 + 7) / 8, hex = row * 196 * 2;
	char stream[256], *image = malloc(hex + 256);
	snprintf(stream, sizeof stream, "<< /Length %zu >>\nstream\n%s\nendstream", strlen(content),
		 content);
	int n = sprintf(image,
			"<< /Type /XObject /Subtype /Image /Width 204 /Height 196 /ColorSpace"
			" /DeviceGray /BitsPerComponent 1 /Filter /ASCIIHexDecode /Length %zu"
			" >>\nstream\n",
			hex + 1);
	memset(image + n, 'F', hex);
	strcpy(image + n + hex, ">\nendstream");
	const char *objs[] = {"<< /Type /Catalog /Pages 2 0 R >>",
			      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 72 72] /Contents 4 0 R"
			      " /Resources << /XObject << /Im0 5 0 R >> >> >>",
			      stream, image};
	char *path = write_pdf(f->dir, "fax.pdf", objs, 5, NULL);
	PIX *pix = NULL;

	assert_int_equal(ocr_decode(&pix, path, 0, &lim, &info), 0);
	assert_int_equal(info.xres, 204);
	assert_int_equal(info.yres, 196);
	assert_int_equal(pixGetWidth(pix), 204);
	assert_int_equal(pixGetHeight(pix), 196);
	assert_int_equal(pixGetYRes(pix), 196);
	pixDestroy(&pix);
	free(image);
	free(path);
}

/* A page without an image is rendered at 300 dpi, on white, in its colours. */
static void test_decode_pdf_vector_page_renders_at_300_dpi_on_white(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	char *path = write_vector_pdf(f->dir, "vector.pdf", 144, 72, "1 0 0 rg 36 18 72 36 re f");
	PIX *pix = NULL;
	int r, g, b;

	assert_int_equal(ocr_decode(&pix, path, 0, &lim, &info), 0);
	assert_int_equal(info.xres, 300);
	assert_int_equal(pixGetWidth(pix), 600);
	assert_int_equal(pixGetHeight(pix), 300);
	pixel_rgb(pix, 300, 150, &r, &g, &b); /* the red box, centre of the page */
	assert_true(r > 240 && g < 20 && b < 20);
	pixel_rgb(pix, 5, 5, &r, &g, &b);
	assert_true(r == 255 && g == 255 && b == 255);
	pixel_rgb(pix, 595, 295, &r, &g, &b);
	assert_true(r == 255 && g == 255 && b == 255);
	pixDestroy(&pix);
	free(path);
}

static void test_decode_pdf_pixel_cap_is_checked_before_rendering(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	char *path = write_vector_pdf(f->dir, "cap.pdf", 144, 72, "0 g 0 0 10 10 re f");
	PIX *pix = NULL;

	lim.max_image_pixels = 600 * 300; /* inclusive */
	assert_int_equal(ocr_decode(&pix, path, 0, &lim, &info), 0);
	pixDestroy(&pix);
	assert_int_equal(sohoa_ocr_probe(&info, path, &lim), 0);
	lim.max_image_pixels--;
	assert_int_equal(ocr_decode(&pix, path, 0, &lim, &info), SOHOA_ELIMIT);
	assert_null(pix);
	assert_named(path, "600x300");
	assert_int_equal(sohoa_ocr_probe(&info, path, &lim), SOHOA_ELIMIT);
	assert_named(path, "300 dpi");
	free(path);
}

static long max_rss_kb(void)
{
	struct rusage ru;
	assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_maxrss;
}

/* A small page drawing an image that declares 30000 x 30000 pixels: cairo
 * would hold 3.6 GB of it. Refused from its dictionary, nothing decoded. */
static void test_decode_pdf_refuses_declared_image_over_cap(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	const char *content = "q 144 0 0 144 0 0 cm /Im0 Do Q";
	char stream[256];
	snprintf(stream, sizeof stream, "<< /Length %zu >>\nstream\n%s\nendstream", strlen(content),
		 content);
	const char *objs[] = {
		"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 144 144] /Contents 4 0 R"
		" /Resources << /XObject << /Im0 5 0 R >> >> >>",
		stream,
		"<< /Type /XObject /Subtype /Image /Width 30000 /Height 30000 /ColorSpace"
		" /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode /DecodeParms << /K -1"
		" /Columns 30000 /Rows 30000 >> /Length 4 >>\nstream\nabcd\nendstream"};
	char *path = write_pdf(f->dir, "bomb.pdf", objs, 5, NULL);
	PIX *pix = NULL;
	long before = max_rss_kb();

	assert_int_equal(sohoa_ocr_probe(&info, path, &lim), SOHOA_ELIMIT);
	assert_named(path, "30000x30000");
	assert_int_equal(ocr_decode(&pix, path, 0, &lim, &info), SOHOA_ELIMIT);
	assert_null(pix);
	assert_named(path, "30000x30000");
	assert_true(max_rss_kb() - before < 64 * 1024);
	free(path);
}

/* The same image with its size behind indirect references: not checkable,
 * so refused before Poppler sees it. */
static void test_decode_pdf_refuses_image_of_unwritten_size(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	const char *content = "q 144 0 0 144 0 0 cm /Im0 Do Q";
	char stream[256];
	snprintf(stream, sizeof stream, "<< /Length %zu >>\nstream\n%s\nendstream", strlen(content),
		 content);
	const char *objs[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 144 144] /Contents 4 0 R"
		" /Resources << /XObject << /Im0 5 0 R >> >> >>",
		stream,
		"<< /Type /XObject /Subtype /Image /Width 6 0 R /Height 6 0 R /ColorSpace"
		" /DeviceGray /BitsPerComponent 1 /Filter /CCITTFaxDecode /DecodeParms << /K -1"
		" /Columns 30000 /Rows 30000 >> /Length 4 >>\nstream\nabcd\nendstream",
		"30000"};
	char *path = write_pdf(f->dir, "indirect.pdf", objs, 6, NULL);
	PIX *pix = NULL;
	long before = max_rss_kb();

	assert_int_equal(sohoa_ocr_probe(&info, path, &lim), SOHOA_EUNSUPPORTED);
	assert_named(path, "pixel size");
	assert_int_equal(ocr_decode(&pix, path, 0, &lim, &info), SOHOA_EUNSUPPORTED);
	assert_null(pix);
	assert_true(max_rss_kb() - before < 64 * 1024);
	free(path);
}

static PIXA *two_pages(void)
{
	PIXA *pixa = pixaCreate(2);
	PIX *a = page_with_box(600, 800, 50, 50, 100, 30),
	    *b = page_with_box(500, 300, 20, 20, 40, 40);
	pixaAddPix(pixa, a, L_INSERT);
	pixaAddPix(pixa, b, L_INSERT);
	return pixa;
}

static void test_decode_pdf_pages_each_at_their_own_size(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	PIXA *pixa = two_pages();
	char *path = write_scan_pdf(f->dir, "two.pdf", pixa, 200);
	PIX *pix = NULL;

	assert_int_equal(sohoa_ocr_probe(&info, path, &lim), 0);
	assert_int_equal(info.format, SOHOA_IMAGE_PDF);
	assert_int_equal(info.pages, 2);
	assert_int_equal(info.width, 600);
	assert_int_equal(info.height, 800);
	assert_int_equal(info.xres, 200);
	assert_int_equal(ocr_decode(&pix, path, 1, &lim, &info), 0);
	assert_int_equal(pixGetWidth(pix), 500);
	assert_int_equal(pixGetHeight(pix), 300);
	assert_int_equal(info.pages, 2);
	pixDestroy(&pix);
	assert_int_equal(ocr_decode(&pix, path, 2, &lim, &info), SOHOA_EINVAL);
	assert_named(path, "the file has 2");
	lim.max_image_pages = 1;
	assert_int_equal(sohoa_ocr_probe(&info, path, &lim), SOHOA_ELIMIT);
	assert_named(path, "limit of 1");
	assert_int_equal(ocr_decode(&pix, path, 0, &lim, &info), SOHOA_ELIMIT);
	assert_null(pix);
	pixaDestroy(&pixa);
	free(path);
}

typedef struct {
	const char *path;
	PIX *expect[2];
	int failures;
} concurrent_job;

static void *decode_repeatedly(void *arg)
{
	concurrent_job *job = arg;
	sohoa_limits lim = sohoa_limits_default();
	for (int round = 0; round < 3; round++) {
		for (size_t page = 0; page < 2; page++) {
			sohoa_ocr_image_info info;
			PIX *pix = NULL;
			l_int32 same = 0;
			if (ocr_decode(&pix, job->path, page, &lim, &info) != 0 ||
			    pixEqual(pix, job->expect[page], &same) != 0 || !same)
				job->failures++;
			pixDestroy(&pix);
		}
	}
	return NULL;
}

/* Workers decode pages concurrently, each opening its own document. */
static void test_decode_pdf_pages_from_several_threads(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	PIXA *pixa = two_pages();
	char *path = write_scan_pdf(f->dir, "threads.pdf", pixa, 150);
	concurrent_job jobs[4];
	pthread_t threads[4];
	PIX *expect[2];

	for (size_t p = 0; p < 2; p++)
		assert_int_equal(ocr_decode(&expect[p], path, p, &lim, &info), 0);
	/* Copies: Leptonica's reference counts are not for sharing between threads. */
	for (int i = 0; i < 4; i++) {
		jobs[i] = (concurrent_job){
			path, {pixCopy(NULL, expect[0]), pixCopy(NULL, expect[1])}, 0};
		assert_int_equal(pthread_create(&threads[i], NULL, decode_repeatedly, &jobs[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(threads[i], NULL), 0);
		assert_int_equal(jobs[i].failures, 0);
		pixDestroy(&jobs[i].expect[0]);
		pixDestroy(&jobs[i].expect[1]);
	}
	pixDestroy(&expect[0]);
	pixDestroy(&expect[1]);
	pixaDestroy(&pixa);
	free(path);
}

static void test_decode_pdf_refuses_no_pages_truncated_and_damaged(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	const char *objs[] = {"<< /Type /Catalog /Pages 2 0 R >>",
			      "<< /Type /Pages /Kids [] /Count 0 >>"};
	char *empty = write_pdf(f->dir, "empty.pdf", objs, 2, NULL);
	char *cut = tu_path(f->dir, "cut.pdf"), *junk = tu_path(f->dir, "junk.pdf");
	PIX *src = page_with_box(300, 300, 10, 10, 10, 10), *pix = NULL;
	char *good = write_one_page_pdf(f->dir, "good.pdf", src, 300);
	char *data = NULL;
	size_t len = 0;

	assert_int_equal(ocr_decode(&pix, empty, 0, &lim, &info), SOHOA_EFORMAT);
	assert_named(empty, "no pages");
	assert_int_equal(sohoa_file_read(&data, &len, good, 1 << 20), 0);
	tu_write(cut, data, len / 2);
	assert_int_equal(ocr_decode(&pix, cut, 0, &lim, &info), SOHOA_EFORMAT);
	assert_named(cut, "truncated");
	tu_write(junk, "%PDF-1.4\nnothing here\n%%EOF\n", 29);
	assert_int_equal(ocr_decode(&pix, junk, 0, &lim, &info), SOHOA_EFORMAT);
	assert_named(junk, "PDF");
	assert_null(pix);
	free(data);
	pixDestroy(&src);
	free(good);
	free(junk);
	free(cut);
	free(empty);
}

/* Pages 1..3 of a TIFF at 300, 200 and 300 dpi, of different sizes. */
static char *write_tiff_pages(const char *dir, const char *name)
{
	char *path = tu_path(dir, name);
	const int size[3][2] = {{200, 100}, {120, 80}, {64, 48}}, res[3] = {300, 200, 300};
	for (int i = 0; i < 3; i++) {
		PIX *pix = page_with_box(size[i][0], size[i][1], i, i, 10, 10);
		pixSetResolution(pix, res[i], res[i]);
		assert_int_equal(pixWriteTiff(path, pix, IFF_TIFF_G4, i ? "a" : "w"), 0);
		pixDestroy(&pix);
	}
	return path;
}

static void test_decode_tiff_reads_each_page_through_its_own_directory(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	char *path = write_tiff_pages(f->dir, "three.tif");
	const int res[3] = {300, 200, 300};

	for (size_t p = 0; p < 3; p++) {
		PIX *pix = NULL, *ref = pixReadTiff(path, (l_int32)p);
		l_int32 same = 0;
		assert_int_equal(ocr_decode(&pix, path, p, &lim, &info), 0);
		assert_int_equal(pixEqual(pix, ref, &same), 0);
		assert_true(same);
		assert_int_equal(info.format, SOHOA_IMAGE_TIFF);
		assert_int_equal(info.width, pixGetWidth(ref));
		assert_int_equal(info.height, pixGetHeight(ref));
		assert_int_equal(info.bits_per_pixel, 1);
		assert_int_equal(info.xres, res[p]); /* the page's own, not page 1's */
		assert_int_equal(info.pages, 0);     /* not counted */
		pixDestroy(&pix);
		pixDestroy(&ref);
	}
	PIX *pix = NULL;
	assert_int_equal(ocr_decode(&pix, path, 3, &lim, &info), SOHOA_EINVAL);
	assert_named(path, "the file has 3");
	lim.max_image_pages = 2;
	assert_int_equal(ocr_decode(&pix, path, 2, &lim, &info), SOHOA_ELIMIT);
	assert_named(path, "limit of 2");
	assert_null(pix);
	free(path);
}

/* The probe reads page 1's header; a later page far larger must still be
 * refused before Leptonica decodes it. */
static void test_decode_tiff_checks_every_page_against_the_pixel_cap(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	char *path = tu_path(f->dir, "growing.tif");
	PIX *small = pixCreate(64, 64, 1), *big = pixCreate(4000, 4000, 1), *pix = NULL;

	assert_int_equal(pixWriteTiff(path, small, IFF_TIFF_G4, "w"), 0);
	assert_int_equal(pixWriteTiff(path, big, IFF_TIFF_G4, "a"), 0);
	lim.max_image_pixels = 1000000;
	assert_int_equal(ocr_decode(&pix, path, 0, &lim, &info), 0);
	pixDestroy(&pix);
	assert_int_equal(ocr_decode(&pix, path, 1, &lim, &info), SOHOA_ELIMIT);
	assert_named(path, "4000x4000");
	assert_non_null(strstr(sohoa_error_last(), "page 2"));
	assert_null(pix);
	pixDestroy(&small);
	pixDestroy(&big);
	free(path);
}

static void test_scan_images_reads_plain_sizes_and_skips_stream_data(void **state)
{
	fixture *f = *state;
	ocr_pdf_images im;
	const char *inside = "<< /Subtype /Image /Width 99999 /Height 9 >>";
	char hidden[128];
	snprintf(hidden, sizeof hidden, "<< /Length %zu >>\nstream\n%s\nendstream", strlen(inside),
		 inside);
	const char *objs[] = {
		"<< /Type /Catalog /Pages 2 0 R >>",
		/* an image with its size in plain numbers, keys in any order */
		"<< /Height 1100 /Subtype /Image /Width 800 /Length 3 >>\nstream\nabc\nendstream",
		/* the same size again: one entry */
		"<</Subtype/Image/Width 800/Height 1100/Length 0>>\nstream\n\nendstream",
		/* a name with a #xx escape, a dictionary inside an array value */
		"<< /Subtype /Im#61ge /Width 10 /Height 20 /Filter [/FlateDecode] /DecodeParms"
		" [<< /Columns 10 >>] /Length 0 >>\nstream\n\nendstream",
		/* a size by indirect reference: counted, not known */
		"<< /Subtype /Image /Width 9 0 R /Height 5 /Length 0 >>\nstream\n\nendstream",
		/* an image dictionary inside stream data is no object of the file */
		hidden,
		/* without a usable /Length, the data runs to endstream */
		"<< /Length 8 0 R >>\nstream\n(( << /Subtype /Image /Width 77777 /Height 9 >>\n"
		"endstream",
		"7",
	};
	char *path = write_pdf(f->dir, "scan.pdf", objs, 8, NULL);

	assert_int_equal(ocr_pdf_scan_images(&im, path), 0);
	assert_int_equal(im.count, 2);
	assert_int_equal(im.sizes[0].width, 800);
	assert_int_equal(im.sizes[0].height, 1100);
	assert_int_equal(im.sizes[1].width, 10);
	assert_int_equal(im.sizes[1].height, 20);
	assert_int_equal(im.unsized, 1);
	assert_int_equal(im.largest.width, 800);
	assert_false(im.overflow);
	assert_false(im.encrypted);
	free(path);
}

static void test_scan_images_notes_encryption(void **state)
{
	fixture *f = *state;
	ocr_pdf_images im;
	const char *objs[] = {"<< /Type /Catalog /Pages 2 0 R >>",
			      "<< /Type /Pages /Kids [] /Count 0 >>",
			      "<< /Filter /Standard /V 2 /R 3 /Length 128 >>"};
	char *path = write_pdf(f->dir, "enc.pdf", objs, 3, "/Encrypt 3 0 R ");
	assert_int_equal(ocr_pdf_scan_images(&im, path), 0);
	assert_true(im.encrypted);
	assert_int_equal(im.count, 0);
	free(path);
}

#define T(name) cmocka_unit_test_setup_teardown(name, tu_scratch_setup, tu_scratch_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_decode_pdf_scan_renders_at_the_resolution_of_its_image),
		T(test_decode_pdf_scan_resolution_is_clamped_to_150_600),
		T(test_decode_pdf_fax_page_keeps_both_resolutions),
		T(test_decode_pdf_vector_page_renders_at_300_dpi_on_white),
		T(test_decode_pdf_pixel_cap_is_checked_before_rendering),
		T(test_decode_pdf_refuses_declared_image_over_cap),
		T(test_decode_pdf_refuses_image_of_unwritten_size),
		T(test_decode_pdf_pages_each_at_their_own_size),
		T(test_decode_pdf_pages_from_several_threads),
		T(test_decode_pdf_refuses_no_pages_truncated_and_damaged),
		T(test_decode_tiff_reads_each_page_through_its_own_directory),
		T(test_decode_tiff_checks_every_page_against_the_pixel_cap),
		T(test_scan_images_reads_plain_sizes_and_skips_stream_data),
		T(test_scan_images_notes_encryption),
	};
	setMsgSeverity(L_SEVERITY_NONE); /* Leptonica's own chatter, in the fixtures */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
