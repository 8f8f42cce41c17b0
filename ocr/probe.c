/* ocr/probe.c: identify an image file and read its header (format, size,
 * resolution, page count), enforcing the input caps before any decoding. */
#include "ocr/ocr_int.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <leptonica/allheaders.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <tesseract/capi.h>
#include <tiffio.h>
#include <unistd.h>

static pthread_once_t quiet_once = PTHREAD_ONCE_INIT;

/* Leptonica prints its own errors on stderr; sohoa reports through
 * sohoa_error_set instead, so silence it once per process. */
static void quiet_leptonica(void)
{
	setMsgSeverity(L_SEVERITY_NONE);
	TIFFSetErrorHandler(NULL);
	TIFFSetWarningHandler(NULL);
}

void ocr_quiet_decoders(void)
{
	pthread_once(&quiet_once, quiet_leptonica);
}

const char *sohoa_ocr_format_name(sohoa_image_format f)
{
	switch (f) {
	case SOHOA_IMAGE_TIFF: return "tiff";
	case SOHOA_IMAGE_JPEG: return "jpeg";
	case SOHOA_IMAGE_PNG: return "png";
	case SOHOA_IMAGE_PDF: return "pdf";
	default: return "unknown";
	}
}

static sohoa_image_format classify(const unsigned char *h, size_t n)
{
	if (n >= 4 && (!memcmp(h, "II*\0", 4) || !memcmp(h, "MM\0*", 4)))
		return SOHOA_IMAGE_TIFF;
	if (n >= 3 && h[0] == 0xFF && h[1] == 0xD8 && h[2] == 0xFF)
		return SOHOA_IMAGE_JPEG;
	if (n >= 8 && !memcmp(h, "\x89PNG\r\n\x1a\n", 8))
		return SOHOA_IMAGE_PNG;
	if (n >= 5 && !memcmp(h, "%PDF-", 5))
		return SOHOA_IMAGE_PDF;
	return SOHOA_IMAGE_UNKNOWN;
}

int ocr_identify(sohoa_image_format *fmt, const char *path, const sohoa_limits *lim)
{
	unsigned char head[16];
	struct stat st;
	size_t n;
	/* O_NONBLOCK: opening a FIFO named like an image must not hang the batch. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	FILE *f = NULL;

	if (fd < 0)
		return sohoa_error_from_errno(errno, "%s", path);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return sohoa_error_set(SOHOA_EUNSUPPORTED, _("%s: not a regular file"), path);
	}
	f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		return sohoa_error_from_errno(errno, "%s", path);
	}
	if ((uint64_t)st.st_size > lim->max_image_bytes) {
		fclose(f);
		return sohoa_error_set(SOHOA_ELIMIT,
				       _("%s: file is %lld bytes, larger than the limit of %zu"),
				       path, (long long)st.st_size, lim->max_image_bytes);
	}
	n = fread(head, 1, sizeof head, f);
	fclose(f);
	if (n == 0)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: empty file"), path);
	*fmt = classify(head, n);
	if (*fmt == SOHOA_IMAGE_UNKNOWN)
		return sohoa_error_set(SOHOA_EUNSUPPORTED,
				       _("%s: not a TIFF, JPEG, PNG or PDF file"), path);
	return 0;
}

/* Counts the pages (directories) of a TIFF, stopping as soon as there are more
 * than `cap`: a file of millions of tiny directories costs no more than cap+1. */
static int tiff_pages(size_t *n, const char *path, size_t cap)
{
	TIFF *tif = TIFFOpen(path, "rm");

	*n = 0;
	if (!tif)
		return -1;
	do {
		++*n;
	} while (*n <= cap && TIFFReadDirectory(tif) == 1);
	TIFFClose(tif);
	return 0;
}

/* libpng refuses very large PNGs with its own message before Leptonica can
 * report their size, so read IHDR ourselves and apply the pixel cap first. */
static int png_dimensions_within(const char *path, const sohoa_limits *lim)
{
	unsigned char h[24];
	FILE *f = fopen(path, "rb");
	size_t n;
	uint64_t w, ht;

	if (!f)
		return sohoa_error_from_errno(errno, "%s", path);
	n = fread(h, 1, sizeof h, f);
	fclose(f);
	if (n < 8 || memcmp(h, "\x89PNG", 4) != 0)
		return 0; /* not a PNG */
	if (n < sizeof h || memcmp(h + 12, "IHDR", 4) != 0)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: truncated or corrupt png header"),
				       path);
	w = (uint64_t)h[16] << 24 | (uint64_t)h[17] << 16 | (uint64_t)h[18] << 8 | h[19];
	ht = (uint64_t)h[20] << 24 | (uint64_t)h[21] << 16 | (uint64_t)h[22] << 8 | h[23];
	if (w * ht > lim->max_image_pixels)
		return sohoa_error_set(
			SOHOA_ELIMIT,
			_("%s: page of %llux%llu pixels exceeds the limit of %llu pixels"), path,
			(unsigned long long)w, (unsigned long long)ht,
			(unsigned long long)lim->max_image_pixels);
	return 0;
}

int sohoa_ocr_probe(sohoa_ocr_image_info *out, const char *path, const sohoa_limits *lim)
{
	l_int32 w = 0, h = 0, bps = 0, spp = 0, fmt = 0, n = 1;
	int rc;

	ocr_quiet_decoders();
	memset(out, 0, sizeof *out);
	rc = ocr_identify(&out->format, path, lim);
	if (rc < 0)
		return rc;
	if (out->format == SOHOA_IMAGE_PDF)
		return ocr_pdf_probe(out, path, lim);
	rc = png_dimensions_within(path, lim);
	if (rc < 0)
		return rc;
	if (pixReadHeader(path, &fmt, &w, &h, &bps, &spp, NULL) != 0 || w <= 0 || h <= 0)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: truncated or corrupt %s header"), path,
				       sohoa_ocr_format_name(out->format));
	if ((uint64_t)w * (uint64_t)h > lim->max_image_pixels)
		return sohoa_error_set(
			SOHOA_ELIMIT,
			_("%s: page of %dx%d pixels exceeds the limit of %llu pixels"), path, w, h,
			(unsigned long long)lim->max_image_pixels);
	if (out->format == SOHOA_IMAGE_TIFF) {
		size_t pages = 0;
		if (tiff_pages(&pages, path, lim->max_image_pages) != 0)
			return sohoa_error_set(SOHOA_EFORMAT, _("%s: corrupt TIFF directory"),
					       path);
		if (pages > lim->max_image_pages)
			return sohoa_error_set(SOHOA_ELIMIT,
					       _("%s: more pages than the limit of %zu"), path,
					       lim->max_image_pages);
		n = (l_int32)pages;
	}
	{
		l_int32 xres = 0, yres = 0;
		FILE *f = fopen(path, "rb");
		if (f) {
			if (out->format == SOHOA_IMAGE_TIFF)
				(void)getTiffResolution(f, &xres, &yres);
			else if (out->format == SOHOA_IMAGE_PNG)
				(void)fgetPngResolution(f, &xres, &yres);
			else
				(void)fgetJpegResolution(f, &xres, &yres);
			fclose(f);
		}
		out->xres = xres > 0 ? xres : 0;
		out->yres = yres > 0 ? yres : 0;
	}
	out->pages = (size_t)n;
	out->width = (uint32_t)w;
	out->height = (uint32_t)h;
	out->bits_per_pixel = bps * spp;
	return 0;
}

static char versions[160];
static pthread_once_t versions_once = PTHREAD_ONCE_INIT;

static void fill_versions(void)
{
	char *lept = getLeptonicaVersion();
	snprintf(versions, sizeof versions, "tesseract %s, %s", TessVersion(),
		 lept ? lept : "leptonica");
	lept_free(lept);
}

const char *sohoa_ocr_versions(void)
{
	pthread_once(&versions_once, fill_versions);
	return versions;
}

const char *sohoa_ocr_tesseract_file(void)
{
	Dl_info at = {0};
	return dladdr((void *)TessVersion, &at) && at.dli_fname ? at.dli_fname : "";
}
