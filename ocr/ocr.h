/* ocr/ocr.h: the one public header of ocr/ — image intake (and, as it grows,
 * preprocessing, recognition and text/ALTO/hOCR/PDF output) on Leptonica,
 * libtiff and the Tesseract C API. */
#ifndef SOHOA_OCR_H
#define SOHOA_OCR_H

#include "core/core.h"

typedef enum {
	SOHOA_IMAGE_UNKNOWN = 0,
	SOHOA_IMAGE_TIFF,
	SOHOA_IMAGE_JPEG,
	SOHOA_IMAGE_PNG,
	SOHOA_IMAGE_PDF,
} sohoa_image_format;

/* What the header of an image file says, read without decoding pixels. */
typedef struct {
	sohoa_image_format format;
	size_t pages;       /* frames of a TIFF, 1 for JPEG/PNG */
	uint32_t width;     /* first page, pixels */
	uint32_t height;
	int bits_per_pixel; /* 1, 8, 24, 32 … as stored */
	int xres, yres;     /* pixels per inch as declared; 0 when absent */
} sohoa_ocr_image_info;

/* Reads the header of the image at `path` and checks it against the caps in
 * `limits` (file size, pixels per page, page count) before anything is
 * decoded. Errors name the file: SOHOA_ENOTFOUND, SOHOA_ELIMIT (a cap is
 * exceeded), SOHOA_EFORMAT (truncated or corrupt header, zero size),
 * SOHOA_EUNSUPPORTED (not TIFF/JPEG/PNG). */
int sohoa_ocr_probe(sohoa_ocr_image_info *out, const char *path, const sohoa_limits *limits);

/* Short name of a format: "tiff", "jpeg", "png", "pdf", "unknown". */
const char *sohoa_ocr_format_name(sohoa_image_format format);

/* Versions of the OCR libraries, e.g. "tesseract 5.3.0, leptonica-1.82.0".
 * Static string, never NULL. */
const char *sohoa_ocr_versions(void);

#endif
