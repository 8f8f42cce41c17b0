/* ocr/decode.c: one page of an image file to pixels, after its header passed
 * the caps. */
#include "ocr/ocr_int.h"

/* Decodes one page after the header passed the caps. */
int ocr_decode(PIX **out, const char *path, size_t page, const sohoa_limits *lim,
	       sohoa_ocr_image_info *info)
{
	int rc = sohoa_ocr_probe(info, path, lim);
	PIX *pix = NULL;

	*out = NULL;
	if (rc < 0)
		return rc;
	if (page >= info->pages)
		return sohoa_error_set(SOHOA_EINVAL, _("%s: no page %zu (the file has %zu)"), path,
				       page + 1, info->pages);
	rc = ocr_check_stream(path, info->format);
	if (rc < 0)
		return rc;
	if (info->format == SOHOA_IMAGE_TIFF)
		pix = pixReadTiff(path, (l_int32)page);
	else
		pix = pixRead(path);
	if (!pix)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: page %zu: cannot decode the image"),
				       path, page + 1);
	if ((uint32_t)pixGetWidth(pix) != info->width && page == 0) {
		pixDestroy(&pix);
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: image size differs from its header"),
				       path);
	}
	*out = pix;
	return 0;
}
