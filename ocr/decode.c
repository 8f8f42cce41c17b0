/* ocr/decode.c: one page of an image file to pixels, its header checked
 * against the caps first: a TIFF page through its own directory (without
 * walking the whole file), JPEG and PNG through Leptonica, a PDF page
 * rendered by pdf_in.c. */
#include "ocr/ocr_int.h"

#include <math.h>
#include <string.h>
#include <tiffio.h>

/* Pixels per inch from a TIFF resolution tag, as Leptonica reads it for the
 * first page (so the probe and the decoder agree); 0 when absent or absurd. */
static int tiff_ppi(float value, uint16_t unit)
{
	if (!isfinite(value) || value <= 0 || value > (float)(1 << 29))
		return 0;
	return unit == RESUNIT_CENTIMETER ? (int)(2.54 * value + 0.5) : (int)value;
}

/* Size, depth and resolution of the current directory of `tif`. */
static void tiff_fields(sohoa_ocr_image_info *info, TIFF *tif)
{
	uint32_t w = 0, h = 0;
	uint16_t bps = 1, spp = 1, unit = RESUNIT_INCH;
	float xr = 0, yr = 0;
	int has_x, has_y;

	TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w);
	TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h);
	TIFFGetFieldDefaulted(tif, TIFFTAG_BITSPERSAMPLE, &bps);
	TIFFGetFieldDefaulted(tif, TIFFTAG_SAMPLESPERPIXEL, &spp);
	TIFFGetFieldDefaulted(tif, TIFFTAG_RESOLUTIONUNIT, &unit);
	has_x = TIFFGetField(tif, TIFFTAG_XRESOLUTION, &xr);
	has_y = TIFFGetField(tif, TIFFTAG_YRESOLUTION, &yr);
	info->width = w;
	info->height = h;
	info->bits_per_pixel = bps * spp;
	info->xres = tiff_ppi(has_x ? xr : yr, unit);
	info->yres = tiff_ppi(has_y ? yr : xr, unit);
}

/* Why page `page` could not be reached: past the end (counted by the probe,
 * which also reports a corrupt or oversized file), or a broken directory. */
static int tiff_missing_page(const char *path, size_t page, const sohoa_limits *lim)
{
	sohoa_ocr_image_info whole;
	int rc = sohoa_ocr_probe(&whole, path, lim);

	if (rc < 0)
		return rc;
	if (page >= whole.pages)
		return sohoa_error_set(SOHOA_EINVAL, _("%s: no page %zu (the file has %zu)"), path,
				       page + 1, whole.pages);
	return sohoa_error_set(SOHOA_EFORMAT, _("%s: page %zu: corrupt TIFF directory"), path,
			       page + 1);
}

/* A TIFF page: libtiff steps to its directory (reading only the chain of
 * directory offsets before it), its own size is checked against the pixel
 * cap, and Leptonica decodes that directory by its offset. */
static int decode_tiff(PIX **out, const char *path, size_t page, const sohoa_limits *lim,
		       sohoa_ocr_image_info *info)
{
	TIFF *tif;
	uint64_t offset;
	size_t loffset;
	PIX *pix;

	info->format = SOHOA_IMAGE_TIFF;
	if (page >= lim->max_image_pages)
		return sohoa_error_set(SOHOA_ELIMIT, _("%s: more pages than the limit of %zu"),
				       path, lim->max_image_pages);
	tif = TIFFOpen(path, "rm");
	if (!tif)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: truncated or corrupt tiff header"),
				       path);
	if (page > 0 && TIFFSetDirectory(tif, (tdir_t)page) != 1) {
		TIFFClose(tif);
		return tiff_missing_page(path, page, lim);
	}
	tiff_fields(info, tif);
	offset = TIFFCurrentDirOffset(tif);
	TIFFClose(tif);
	if (info->width == 0 || info->height == 0)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: page %zu: image has no size"), path,
				       page + 1);
	if ((uint64_t)info->width * info->height > lim->max_image_pixels)
		return sohoa_error_set(SOHOA_ELIMIT,
				       _("%s: page %zu of %ux%u pixels exceeds the limit of %llu "
					 "pixels"),
				       path, page + 1, info->width, info->height,
				       (unsigned long long)lim->max_image_pixels);
	loffset = (size_t)offset;
	pix = offset ? pixReadFromMultipageTiff(path, &loffset) : NULL;
	if (!pix)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: page %zu: cannot decode the image"),
				       path, page + 1);
	/* Leptonica turns pages whose orientation tag says so (5..8) a quarter. */
	uint32_t pw = (uint32_t)pixGetWidth(pix), ph = (uint32_t)pixGetHeight(pix);
	if (!(pw == info->width && ph == info->height) &&
	    !(pw == info->height && ph == info->width)) {
		pixDestroy(&pix);
		return sohoa_error_set(SOHOA_EFORMAT,
				       _("%s: page %zu: image size differs from its header"), path,
				       page + 1);
	}
	info->width = pw;
	info->height = ph;
	*out = pix;
	return 0;
}

/* A JPEG or PNG: one page, its structure checked before Leptonica sees it. */
static int decode_single(PIX **out, const char *path, size_t page, const sohoa_limits *lim,
			 sohoa_ocr_image_info *info)
{
	int rc = sohoa_ocr_probe(info, path, lim);
	PIX *pix;

	if (rc < 0)
		return rc;
	if (page >= info->pages)
		return sohoa_error_set(SOHOA_EINVAL, _("%s: no page %zu (the file has %zu)"), path,
				       page + 1, info->pages);
	rc = ocr_check_stream(path, info->format);
	if (rc < 0)
		return rc;
	pix = pixRead(path);
	if (!pix)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: page %zu: cannot decode the image"),
				       path, page + 1);
	if ((uint32_t)pixGetWidth(pix) != info->width ||
	    (uint32_t)pixGetHeight(pix) != info->height) {
		pixDestroy(&pix);
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: image size differs from its header"),
				       path);
	}
	*out = pix;
	return 0;
}

int ocr_decode(PIX **out, const char *path, size_t page, const sohoa_limits *lim,
	       sohoa_ocr_image_info *info)
{
	sohoa_image_format format = SOHOA_IMAGE_UNKNOWN;
	int rc;

	*out = NULL;
	memset(info, 0, sizeof *info);
	ocr_quiet_decoders();
	rc = ocr_identify(&format, path, lim);
	if (rc < 0)
		return rc;
	if (format == SOHOA_IMAGE_PDF)
		return ocr_pdf_decode(out, path, page, lim, info);
	if (format == SOHOA_IMAGE_TIFF)
		return decode_tiff(out, path, page, lim, info);
	return decode_single(out, path, page, lim, info);
}
