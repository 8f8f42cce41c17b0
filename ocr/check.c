/* ocr/check.c: structural checks of PNG and JPEG streams before they reach
 * the decoders, so a truncated or mangled file gets one clear message naming
 * it instead of a decoder's complaint on stderr (libpng and libjpeg print
 * their own, and sohoa cannot silence them through Leptonica). */
#include "ocr/ocr_int.h"

#include <errno.h>
#include <string.h>

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Chunks follow one another to IEND: IHDR first, at least one IDAT. */
static int check_png(FILE *f, const char *path)
{
	unsigned char h[8];
	int seen_idat = 0, first = 1;

	if (fseek(f, 8, SEEK_SET) != 0)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: truncated PNG"), path);
	for (;;) {
		if (fread(h, 1, 8, f) != 8)
			return sohoa_error_set(SOHOA_EFORMAT,
					       _("%s: truncated PNG (no IEND chunk)"), path);
		uint32_t len = be32(h);
		if (len > 0x7fffffffu)
			return sohoa_error_set(SOHOA_EFORMAT, _("%s: corrupt PNG chunk length"),
					       path);
		if (first && memcmp(h + 4, "IHDR", 4) != 0)
			return sohoa_error_set(SOHOA_EFORMAT, _("%s: PNG does not start with IHDR"),
					       path);
		first = 0;
		if (memcmp(h + 4, "IDAT", 4) == 0)
			seen_idat = 1;
		if (memcmp(h + 4, "IEND", 4) == 0)
			break;
		if (fseek(f, (long)len + 4, SEEK_CUR) != 0)
			return sohoa_error_set(SOHOA_EFORMAT, _("%s: truncated PNG"), path);
	}
	if (!seen_idat)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: PNG has no image data"), path);
	return 0;
}

/* Marker segments from SOI to a frame header and SOS, then an EOI marker
 * somewhere after the scan data. */
static int check_jpeg(FILE *f, const char *path, long size)
{
	unsigned char m[4], buf[65536];
	int seen_sof = 0;
	long pos = 2;

	for (;;) {
		if (fseek(f, pos, SEEK_SET) != 0 || fread(m, 1, 4, f) != 4 || m[0] != 0xFF)
			return sohoa_error_set(SOHOA_EFORMAT, _("%s: truncated or corrupt JPEG header"),
					       path);
		if (m[1] >= 0xC0 && m[1] <= 0xCF && m[1] != 0xC4 && m[1] != 0xC8 && m[1] != 0xCC)
			seen_sof = 1;
		pos += 2 + ((long)m[2] << 8 | m[3]);
		if (m[1] == 0xDA)
			break;
		if (pos >= size)
			return sohoa_error_set(SOHOA_EFORMAT, _("%s: JPEG has no image data"), path);
	}
	if (!seen_sof)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: JPEG has no frame header"), path);
	/* Look for EOI (FF D9) after the scan, reading in blocks. */
	int prev_ff = 0;
	if (fseek(f, pos, SEEK_SET) != 0)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: truncated JPEG"), path);
	for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;) {
		for (size_t i = 0; i < n; i++) {
			if (prev_ff && buf[i] == 0xD9)
				return 0;
			prev_ff = buf[i] == 0xFF;
		}
	}
	return sohoa_error_set(SOHOA_EFORMAT, _("%s: truncated JPEG (no end-of-image marker)"),
			       path);
}

int ocr_check_stream(const char *path, sohoa_image_format format)
{
	FILE *f;
	long size;
	int rc = 0;

	if (format != SOHOA_IMAGE_PNG && format != SOHOA_IMAGE_JPEG)
		return 0;
	f = fopen(path, "rb");
	if (!f)
		return sohoa_error_from_errno(errno, "%s", path);
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0) {
		fclose(f);
		return sohoa_error_from_errno(errno, "%s", path);
	}
	rc = format == SOHOA_IMAGE_PNG ? check_png(f, path) : check_jpeg(f, path, size);
	fclose(f);
	return rc;
}
