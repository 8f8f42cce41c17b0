/* ocr/ocr_int.h: what the files of ocr/ share and nobody else sees — page
 * geometry through the cleaning steps, and the steps themselves. */
#ifndef SOHOA_OCR_INT_H
#define SOHOA_OCR_INT_H

#include <leptonica/allheaders.h>

#include "ocr/ocr.h"

#define OCR_PI 3.14159265358979323846

/* How the cleaned page relates to the original: original → scaled by
 * `scale` (sw × sh) → turned clockwise by `rotation` → deskewed by `skew`
 * degrees about the centre (prep_w × prep_h). */
typedef struct {
	uint32_t orig_w, orig_h;
	int dpi, dpi_declared, dpi_estimated;
	double scale;
	int sw, sh;
	int rotation;
	double skew;
	int prep_w, prep_h;
} ocr_geometry;

/* Sets g->dpi from the declared value when it is plausible for the page size
 * and agrees with the height of the text, else from `fallback` (--dpi) when
 * > 0, else from the text height (or an A4 page when there is little text). */
void ocr_choose_dpi(ocr_geometry *g, PIX *gray, int declared, int fallback);

/* Any pixel depth to 8-bit gray, coloured ink turned light. NULL on failure. */
PIX *ocr_to_gray(PIX *pix);

/* Scales gray to 300 dpi and normalises its background (sets scale, sw, sh). */
PIX *ocr_normalise(PIX *gray, ocr_geometry *g);

/* Binarised copy of a normalised page (contrast normalisation + Sauvola). */
PIX *ocr_binarise(PIX *gray);

/* A binarised copy of a normalised page at half its resolution (150 dpi),
 * for the analysis steps (orientation, skew) that do not need more. */
PIX *ocr_analysis_binary(PIX *norm);

/* From the normalised, upright page and its upright half-resolution binary
 * (ocr_analysis_binary): deskew, binarise, despeckle, take out ruled lines
 * (returned in *hrules and *vrules, owned by the caller), drop border noise.
 * Sets skew, prep_w, prep_h. NULL on failure. */
PIX *ocr_finish(PIX *norm_upright, PIX *half_bin, ocr_geometry *g, PIX **hrules,
		PIX **vrules);

/* A box on the cleaned page, in the original page's pixels. */
sohoa_box ocr_map_box(const ocr_geometry *g, int x, int y, int w, int h);

/* Probes `path` (filling *info), checks its structure and decodes page
 * `page` (0-based). Errors name the file and page, as sohoa_ocr_recognize. */
int ocr_decode(PIX **out, const char *path, size_t page, const sohoa_limits *lim,
	       sohoa_ocr_image_info *info);

/* Checks the chunk/marker structure of a PNG or JPEG file (others pass):
 * SOHOA_EFORMAT naming the file when it is truncated or mangled. */
int ocr_check_stream(const char *path, sohoa_image_format format);

/* A ruled table: its box and the positions of its row and column rules. */
typedef struct {
	BOX *box;
	NUMA *rows; /* y of each horizontal rule inside the box, ascending */
	NUMA *cols; /* x of each vertical rule */
} ocr_table;

/* Ruled tables of a page from its rule masks; the caller frees with
 * ocr_tables_free. */
int ocr_find_tables(ocr_table **out, size_t *count, PIX *hrules, PIX *vrules);
void ocr_tables_free(ocr_table *tables, size_t count);

/* Text blocks of a cleaned binary page in reading order (see regions.c).
 * Tables are blocks of their own: (*is_table)[i] is the index of the table
 * + 1, or 0 for text. The caller owns *out and *is_table. */
int ocr_regions(BOXA **out, int **is_table, PIX *bin, const ocr_table *tables,
		size_t ntables);

/* Puts lines into logical reading order, assigns blocks and builds the text
 * of the page. Words of a line are already left to right. */
int ocr_layout(sohoa_ocr_page *page);

#endif
