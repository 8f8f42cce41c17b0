/* tests/ocr/test_probe.c: the image probe reports format, size, pages and
 * resolution of real PNG/JPEG/TIFF/PDF files written with Leptonica, and
 * refuses empty, truncated, oversized and foreign files before decoding
 * anything. */
#include "testutil.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <leptonica/allheaders.h>
#include <tiffio.h>

#include "ocr/ocr.h"

typedef tu_scratch fixture;

/* Writes a w x h page of `depth` bits with Leptonica to dir/name in `format`;
 * res 0 leaves the resolution unset. Returns the malloc'd path. */
static char *write_pix(const char *dir, const char *name, int format, int w, int h, int depth,
		       int res)
{
	char *path = tu_path(dir, name);
	PIX *pix = pixCreate(w, h, depth);
	assert_non_null(pix);
	pixSetAll(pix);
	if (res)
		pixSetResolution(pix, res, res);
	assert_int_equal(pixWrite(path, pix, format), 0);
	pixDestroy(&pix);
	return path;
}

static size_t file_size(const char *path)
{
	FILE *f = fopen(path, "rb");
	long n;
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	fclose(f);
	return (size_t)n;
}

static unsigned char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	*len = file_size(path);
	buf = malloc(*len);
	assert_non_null(f);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, *len, f), *len);
	fclose(f);
	return buf;
}

static void truncate_to(const char *path, size_t len)
{
	assert_true(len < file_size(path));
	assert_int_equal(truncate(path, (off_t)len), 0);
}

/* Probes `path` expecting failure with `code` and a message naming the file. */
static void assert_refused(const char *path, const sohoa_limits *lim, int code)
{
	sohoa_ocr_image_info info;
	assert_int_equal(sohoa_ocr_probe(&info, path, lim), code);
	if (strncmp(sohoa_error_last(), path, strlen(path)) != 0)
		fail_msg("message '%s' does not name '%s'", sohoa_error_last(), path);
}

static void test_probe_reads_png_size_and_resolution(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	char *with = write_pix(f->dir, "r.png", IFF_PNG, 120, 80, 8, 200);
	char *without = write_pix(f->dir, "n.png", IFF_PNG, 33, 17, 8, 0);
	assert_int_equal(sohoa_ocr_probe(&info, with, &lim), 0);
	assert_int_equal(info.format, SOHOA_IMAGE_PNG);
	assert_string_equal(sohoa_ocr_format_name(info.format), "png");
	assert_int_equal(info.width, 120);
	assert_int_equal(info.height, 80);
	assert_int_equal(info.pages, 1);
	assert_int_equal(info.bits_per_pixel, 8);
	assert_int_equal(info.xres, 200);
	assert_int_equal(info.yres, 200);
	assert_int_equal(sohoa_ocr_probe(&info, without, &lim), 0);
	assert_int_equal(info.width, 33);
	assert_int_equal(info.height, 17);
	assert_int_equal(info.xres, 0);
	assert_int_equal(info.yres, 0);
	free(with);
	free(without);
}

static void test_probe_reads_jpeg_size_and_resolution(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	char *gray = write_pix(f->dir, "g.jpg", IFF_JFIF_JPEG, 64, 48, 8, 150);
	char *rgb = write_pix(f->dir, "c.jpeg", IFF_JFIF_JPEG, 50, 70, 32, 0);
	assert_int_equal(sohoa_ocr_probe(&info, gray, &lim), 0);
	assert_int_equal(info.format, SOHOA_IMAGE_JPEG);
	assert_int_equal(info.width, 64);
	assert_int_equal(info.height, 48);
	assert_int_equal(info.pages, 1);
	assert_int_equal(info.bits_per_pixel, 8);
	assert_int_equal(info.xres, 150);
	assert_int_equal(sohoa_ocr_probe(&info, rgb, &lim), 0);
	assert_int_equal(info.width, 50);
	assert_int_equal(info.height, 70);
	assert_int_equal(info.bits_per_pixel, 24);
	assert_int_equal(info.xres, 0);
	free(gray);
	free(rgb);
}

static void test_probe_reads_tiff_g4_size_and_resolution(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	char *path = write_pix(f->dir, "p.tif", IFF_TIFF_G4, 2480, 3508, 1, 150);
	assert_int_equal(sohoa_ocr_probe(&info, path, &lim), 0);
	assert_int_equal(info.format, SOHOA_IMAGE_TIFF);
	assert_int_equal(info.width, 2480);
	assert_int_equal(info.height, 3508);
	assert_int_equal(info.pages, 1);
	assert_int_equal(info.bits_per_pixel, 1);
	assert_int_equal(info.xres, 150);
	assert_int_equal(info.yres, 150);
	free(path);
}

/* Leptonica always writes a resolution into TIFFs (300 when unset), so the
 * TIFF without one is written with libtiff directly. */
static void test_probe_reports_zero_resolution_when_tiff_has_none(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	char *path = tu_path(f->dir, "nores.tif");
	unsigned char row[10] = {0};
	TIFF *t = TIFFOpen(path, "w");
	assert_non_null(t);
	TIFFSetField(t, TIFFTAG_IMAGEWIDTH, 80);
	TIFFSetField(t, TIFFTAG_IMAGELENGTH, 4);
	TIFFSetField(t, TIFFTAG_BITSPERSAMPLE, 1);
	TIFFSetField(t, TIFFTAG_SAMPLESPERPIXEL, 1);
	TIFFSetField(t, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
	TIFFSetField(t, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
	TIFFSetField(t, TIFFTAG_ROWSPERSTRIP, 4);
	for (uint32_t y = 0; y < 4; y++)
		assert_int_equal(TIFFWriteScanline(t, row, y, 0), 1);
	TIFFClose(t);
	assert_int_equal(sohoa_ocr_probe(&info, path, &lim), 0);
	assert_int_equal(info.format, SOHOA_IMAGE_TIFF);
	assert_int_equal(info.width, 80);
	assert_int_equal(info.height, 4);
	assert_int_equal(info.xres, 0);
	assert_int_equal(info.yres, 0);
	free(path);
}

/* Appends `pages` G4 pages (the first of w x h, the others smaller). */
static char *write_multipage(const char *dir, const char *name, int pages, int w, int h)
{
	char *path = tu_path(dir, name);
	for (int i = 0; i < pages; i++) {
		PIX *pix = pixCreate(i ? w / 2 : w, i ? h / 2 : h, 1);
		pixSetResolution(pix, 300, 300);
		assert_int_equal(pixWriteTiff(path, pix, IFF_TIFF_G4, i ? "a" : "w"), 0);
		pixDestroy(&pix);
	}
	return path;
}

static void test_probe_counts_pages_of_multipage_tiff(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	char *path = write_multipage(f->dir, "multi.tif", 5, 200, 100);
	assert_int_equal(sohoa_ocr_probe(&info, path, &lim), 0);
	assert_int_equal(info.format, SOHOA_IMAGE_TIFF);
	assert_int_equal(info.pages, 5);
	assert_int_equal(info.width, 200); /* first page */
	assert_int_equal(info.height, 100);
	assert_int_equal(info.xres, 300);
	free(path);
}

static void test_probe_refuses_tiff_with_more_pages_than_cap(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	char *path = write_multipage(f->dir, "pages.tif", 4, 64, 64);
	lim.max_image_pages = 4;
	assert_int_equal(sohoa_ocr_probe(&info, path, &lim), 0); /* exactly the cap */
	lim.max_image_pages = 3;
	assert_refused(path, &lim, SOHOA_ELIMIT);
	assert_non_null(strstr(sohoa_error_last(), "more pages than the limit of 3"));
	free(path);
}

static void test_probe_refuses_zero_size_file(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	char *path = tu_path(f->dir, "empty.tif");
	tu_write(path, "", 0);
	assert_refused(path, &lim, SOHOA_EFORMAT);
	free(path);
}

static void test_probe_refuses_missing_file(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	char *path = tu_path(f->dir, "missing.png");
	assert_refused(path, &lim, SOHOA_ENOTFOUND);
	free(path);
}

static void test_probe_refuses_png_truncated_in_header(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	char *path = write_pix(f->dir, "t.png", IFF_PNG, 100, 100, 8, 300);
	truncate_to(path, 20); /* signature + half of IHDR */
	assert_refused(path, &lim, SOHOA_EFORMAT);
	assert_non_null(strstr(sohoa_error_last(), "png"));
	free(path);
}

static void test_probe_refuses_jpeg_truncated_in_header(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	char *path = write_pix(f->dir, "t.jpg", IFF_JFIF_JPEG, 100, 100, 8, 300);
	size_t len, sof = 0;
	unsigned char *buf = read_all(path, &len);
	for (size_t i = 2; i + 1 < len && !sof; i++)
		if (buf[i] == 0xFF && buf[i + 1] == 0xC0)
			sof = i;
	free(buf);
	assert_true(sof > 0);
	truncate_to(path, sof + 4); /* cut inside the frame header */
	assert_refused(path, &lim, SOHOA_EFORMAT);
	assert_non_null(strstr(sohoa_error_last(), "jpeg"));
	free(path);
}

static void test_probe_refuses_tiff_truncated_in_directory(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	char *path = write_pix(f->dir, "t.tif", IFF_TIFF_G4, 100, 100, 1, 300);
	size_t len, ifd;
	unsigned char *buf = read_all(path, &len);
	assert_memory_equal(buf, "II*\0", 4);
	ifd = buf[4] | buf[5] << 8 | (size_t)buf[6] << 16 | (size_t)buf[7] << 24;
	free(buf);
	truncate_to(path, ifd + 2 + 3 * 12); /* entry count and three of its entries */
	assert_refused(path, &lim, SOHOA_EFORMAT);
	assert_non_null(strstr(sohoa_error_last(), "tiff"));
	truncate_to(path, 6); /* not even the directory offset */
	assert_refused(path, &lim, SOHOA_EFORMAT);
	free(path);
}

static uint32_t crc32_png(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
	}
	return c ^ 0xFFFFFFFFu;
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

/* A PNG of signature, IHDR declaring w x h 8-bit gray, one tiny IDAT, IEND. */
static char *write_png_header(const char *dir, const char *name, uint32_t w, uint32_t h,
			      int good_crc)
{
	unsigned char png[8 + 25 + 12 + 12] = "\x89PNG\r\n\x1a\n";
	unsigned char *ihdr = png + 8, *idat = ihdr + 25, *iend = idat + 12;
	put_be32(ihdr, 13);
	memcpy(ihdr + 4, "IHDR", 4);
	put_be32(ihdr + 8, w);
	put_be32(ihdr + 12, h);
	ihdr[16] = 8; /* bit depth; colour type, compression, filter, interlace 0 */
	put_be32(ihdr + 21, good_crc ? crc32_png(ihdr + 4, 17) : 0xDEADBEEF);
	put_be32(idat, 0);
	memcpy(idat + 4, "IDAT", 4);
	put_be32(idat + 8, crc32_png(idat + 4, 4));
	put_be32(iend, 0);
	memcpy(iend + 4, "IEND", 4);
	put_be32(iend + 8, crc32_png(iend + 4, 4));
	char *path = tu_path(dir, name);
	tu_write(path, png, sizeof png);
	return path;
}

static long max_rss_kb(void)
{
	struct rusage ru;
	assert_int_equal(getrusage(RUSAGE_SELF, &ru), 0);
	return ru.ru_maxrss;
}

static void test_probe_refuses_png_bomb_without_decoding(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	char *good = write_png_header(f->dir, "bomb.png", 100000, 100000, 1);
	char *bad = write_png_header(f->dir, "bomb-badcrc.png", 100000, 100000, 0);
	long before = max_rss_kb();
	assert_refused(good, &lim, SOHOA_ELIMIT);
	assert_non_null(strstr(sohoa_error_last(), "100000x100000"));
	sohoa_ocr_image_info info;
	int rc = sohoa_ocr_probe(&info, bad, &lim);
	assert_true(rc == SOHOA_ELIMIT || rc == SOHOA_EFORMAT);
	assert_non_null(strstr(sohoa_error_last(), bad));
	/* Decoding 10^10 pixels would need gigabytes; the probe used next to none. */
	assert_true(max_rss_kb() - before < 64 * 1024);
	free(good);
	free(bad);
}

static void test_probe_pixel_cap_is_inclusive(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	char *path = write_pix(f->dir, "px.png", IFF_PNG, 40, 30, 8, 0);
	lim.max_image_pixels = 40 * 30;
	assert_int_equal(sohoa_ocr_probe(&info, path, &lim), 0);
	lim.max_image_pixels = 40 * 30 - 1;
	assert_refused(path, &lim, SOHOA_ELIMIT);
	assert_non_null(strstr(sohoa_error_last(), "40x30"));
	free(path);
}

static void test_probe_refuses_file_over_byte_cap(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	char *path = write_pix(f->dir, "big.jpg", IFF_JFIF_JPEG, 64, 64, 8, 0);
	size_t size = file_size(path);
	lim.max_image_bytes = size;
	assert_int_equal(sohoa_ocr_probe(&info, path, &lim), 0);
	lim.max_image_bytes = size - 1;
	assert_refused(path, &lim, SOHOA_ELIMIT);
	assert_non_null(strstr(sohoa_error_last(), "limit"));
	free(path);
}

static void test_probe_refuses_random_bytes_as_unsupported(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	char *path = tu_path(f->dir, "noise.tif");
	unsigned char buf[4096];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof buf; i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (unsigned char)(x >> 16);
	}
	buf[0] = 'R'; /* never a magic number, whatever the generator gives */
	tu_write(path, buf, sizeof buf);
	assert_refused(path, &lim, SOHOA_EUNSUPPORTED);
	free(path);
}

/* An image-only PDF as Leptonica writes it: one G4 image per page. */
static char *write_pdf_scan(const char *dir, const char *name, int w, int h, int res)
{
	char *path = tu_path(dir, name);
	PIX *pix = pixCreate(w, h, 1);
	l_uint8 *data = NULL;
	size_t len = 0;
	assert_non_null(pix);
	assert_int_equal(pixWriteMemPdf(&data, &len, pix, res, NULL), 0);
	tu_write(path, data, len);
	lept_free(data);
	pixDestroy(&pix);
	return path;
}

static void test_probe_reads_pdf_pages_and_rendered_size(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	char *path = write_pdf_scan(f->dir, "scan.pdf", 1654, 2339, 200); /* A4 at 200 dpi */
	assert_int_equal(sohoa_ocr_probe(&info, path, &lim), 0);
	assert_int_equal(info.format, SOHOA_IMAGE_PDF);
	assert_string_equal(sohoa_ocr_format_name(info.format), "pdf");
	assert_int_equal(info.pages, 1);
	assert_int_equal(info.width, 1654); /* rendered at the scan's resolution */
	assert_int_equal(info.height, 2339);
	assert_int_equal(info.xres, 200);
	assert_int_equal(info.yres, 200);
	assert_int_equal(info.bits_per_pixel, 24);
	free(path);
}

static void test_probe_refuses_pdf_without_pages(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	char *path = tu_path(f->dir, "scan.pdf");
	const char pdf[] = "%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
			   "2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
			   "trailer <</Root 1 0 R>>\n%%EOF\n";
	tu_write(path, pdf, sizeof pdf - 1);
	assert_refused(path, &lim, SOHOA_EFORMAT);
	assert_non_null(strstr(sohoa_error_last(), "no pages"));
	free(path);
}

static void test_probe_refuses_truncated_pdf(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	char *path = write_pdf_scan(f->dir, "cut.pdf", 300, 300, 300);
	truncate_to(path, file_size(path) - 40); /* the end: trailer and %%EOF */
	assert_refused(path, &lim, SOHOA_EFORMAT);
	assert_non_null(strstr(sohoa_error_last(), "truncated PDF"));
	free(path);
}

static void test_probe_refuses_pdf_with_more_pages_than_cap(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	char *path = tu_path(f->dir, "pages.pdf");
	PIXA *pixa = pixaCreate(3);
	l_uint8 *data = NULL;
	size_t len = 0;
	for (int i = 0; i < 3; i++)
		pixaAddPix(pixa, pixCreate(100, 100, 1), L_INSERT);
	assert_int_equal(
		pixaConvertToPdfData(pixa, 300, 1.0, L_DEFAULT_ENCODE, 0, NULL, &data, &len), 0);
	tu_write(path, data, len);
	lept_free(data);
	pixaDestroy(&pixa);
	lim.max_image_pages = 3;
	assert_int_equal(sohoa_ocr_probe(&info, path, &lim), 0); /* exactly the cap */
	assert_int_equal(info.pages, 3);
	lim.max_image_pages = 2;
	assert_refused(path, &lim, SOHOA_ELIMIT);
	assert_non_null(strstr(sohoa_error_last(), "more pages than the limit of 2"));
	free(path);
}

static void test_probe_refuses_fifo_and_directory_without_blocking(void **state)
{
	fixture *f = *state;
	sohoa_limits lim = sohoa_limits_default();
	char *fifo = tu_path(f->dir, "scan.tif");
	assert_int_equal(mkfifo(fifo, 0644), 0);
	alarm(10); /* a probe that waits for a writer would hang here forever */
	assert_refused(fifo, &lim, SOHOA_EUNSUPPORTED);
	alarm(0);
	assert_non_null(strstr(sohoa_error_last(), "regular file"));
	assert_refused(f->dir, &lim, SOHOA_EUNSUPPORTED);
	free(fifo);
}

static void test_format_names_are_stable(void **state)
{
	(void)state;
	assert_string_equal(sohoa_ocr_format_name(SOHOA_IMAGE_TIFF), "tiff");
	assert_string_equal(sohoa_ocr_format_name(SOHOA_IMAGE_JPEG), "jpeg");
	assert_string_equal(sohoa_ocr_format_name(SOHOA_IMAGE_PNG), "png");
	assert_string_equal(sohoa_ocr_format_name(SOHOA_IMAGE_PDF), "pdf");
	assert_string_equal(sohoa_ocr_format_name(SOHOA_IMAGE_UNKNOWN), "unknown");
	assert_string_equal(sohoa_ocr_format_name((sohoa_image_format)42), "unknown");
}

#define T(name) cmocka_unit_test_setup_teardown(name, tu_scratch_setup, tu_scratch_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_probe_reads_png_size_and_resolution),
		T(test_probe_reads_jpeg_size_and_resolution),
		T(test_probe_reads_tiff_g4_size_and_resolution),
		T(test_probe_reports_zero_resolution_when_tiff_has_none),
		T(test_probe_counts_pages_of_multipage_tiff),
		T(test_probe_refuses_tiff_with_more_pages_than_cap),
		T(test_probe_refuses_zero_size_file),
		T(test_probe_refuses_missing_file),
		T(test_probe_refuses_png_truncated_in_header),
		T(test_probe_refuses_jpeg_truncated_in_header),
		T(test_probe_refuses_tiff_truncated_in_directory),
		T(test_probe_refuses_png_bomb_without_decoding),
		T(test_probe_pixel_cap_is_inclusive),
		T(test_probe_refuses_file_over_byte_cap),
		T(test_probe_refuses_random_bytes_as_unsupported),
		T(test_probe_reads_pdf_pages_and_rendered_size),
		T(test_probe_refuses_pdf_without_pages),
		T(test_probe_refuses_truncated_pdf),
		T(test_probe_refuses_pdf_with_more_pages_than_cap),
		T(test_probe_refuses_fifo_and_directory_without_blocking),
		cmocka_unit_test(test_format_names_are_stable),
	};
	setMsgSeverity(L_SEVERITY_NONE); /* Leptonica's own chatter, in the fixtures */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
