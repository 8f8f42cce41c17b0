/* ocr/pdf_out.c: recognised pages as a searchable PDF — each page's original
 * image, embedded without recompression where the file allows it, under an
 * invisible text layer that puts every recognised word over its box.
 *
 * How the text layer is laid out so that copying and pdftotext give back the
 * page's text (lines in logical reading order, words in line order):
 *  - Words are written in the upright frame of the page (the page as read,
 *    after page->rotation), one BT…ET per line in page->lines order; a cm
 *    maps that frame onto the unrotated page, and /Rotate shows it upright.
 *  - All words of a line share one baseline and one font size (the median
 *    height of the words of its block): text extractors put characters in
 *    one line only when their baselines and sizes agree.
 *  - Each word is stretched (Tz) to its box; where boxes touch or overlap the
 *    word is narrowed or moved right, so every gap is at least MIN_GAP of the
 *    font size (pdftotext writes a space only for a gap of 0.15–0.2 of it,
 *    whatever space characters the stream holds) and words stay left to right.
 *  - A space character follows each word but the last of its line, for
 *    extractors that go by the characters rather than the geometry. */
#include "ocr/ocr_int.h"
#include "ocr/pdf_font.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>

/* Objects 1..9 are fixed; each page then has three. */
enum {
	OBJ_CATALOG = 1,
	OBJ_PAGES,
	OBJ_INFO,
	OBJ_FONT,
	OBJ_CIDFONT,
	OBJ_DESCRIPTOR,
	OBJ_FONTFILE,
	OBJ_TOUNICODE,
	OBJ_CIDTOGID,
	OBJ_FIRST_PAGE
};
#define PAGE_OBJ(i)    (OBJ_FIRST_PAGE + 3 * (i))
#define CONTENT_OBJ(i) (PAGE_OBJ(i) + 1)
#define IMAGE_OBJ(i)   (PAGE_OBJ(i) + 2)

#define MIN_GAP        0.3  /* between words, in font sizes */
#define MIN_GAP_SINGLE 0.45 /* when every word of the line is one character */

/* ------------------------------------------------------------ buffers */

/* A growable byte buffer; `failed` is set when memory runs out. */
typedef struct {
	char *p;
	size_t len, cap;
	int failed;
} pdf_buf;

static void buf_add(pdf_buf *b, const void *data, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *p = realloc(b->p, cap);
		if (!p) {
			b->failed = 1;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
}

/* printf into the buffer. Only integer and string conversions are used in
 * this file, so the locale (LC_NUMERIC) never shows in the output. */
__attribute__((format(printf, 2, 3))) static void buf_printf(pdf_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
	} else if ((size_t)n < sizeof small) {
		buf_add(b, small, (size_t)n);
	} else {
		char *big = malloc((size_t)n + 1);
		if (!big) {
			b->failed = 1;
			return;
		}
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		buf_add(b, big, (size_t)n);
		free(big);
	}
}

/* A number with at most three decimals and a '.', then a space. */
static void buf_num(pdf_buf *b, double v)
{
	long long m = isfinite(v) && fabs(v) < 1e12 ? llround(v * 1000) : 0;
	int frac;

	if (m < 0) {
		buf_add(b, "-", 1);
		m = -m;
	}
	frac = (int)(m % 1000);
	if (frac == 0)
		buf_printf(b, "%lld ", m / 1000);
	else if (frac % 100 == 0)
		buf_printf(b, "%lld.%d ", m / 1000, frac / 100);
	else if (frac % 10 == 0)
		buf_printf(b, "%lld.%02d ", m / 1000, frac / 10);
	else
		buf_printf(b, "%lld.%03d ", m / 1000, frac);
}

static void buf_free(pdf_buf *b)
{
	free(b->p);
	*b = (pdf_buf){0};
}

/* ----------------------------------------------------------- document */

/* The output file and the byte offset of every object, for the xref. */
typedef struct {
	FILE *f;
	const char *source;
	uint64_t pos;
	uint64_t *xref; /* by object number; 0 = not written */
	size_t nobj;    /* object numbers in use, 0 included */
	int io_failed;  /* a write to f failed */
	int oom;        /* a buffer could not grow */
} pdf_doc;

static void put(pdf_doc *d, const void *p, size_t n)
{
	if (n && fwrite(p, 1, n, d->f) != n)
		d->io_failed = 1;
	d->pos += n;
}

static void put_buf(pdf_doc *d, const pdf_buf *b)
{
	put(d, b->p, b->len);
}

/* Writes object `num` whose body is `body` (a dictionary, array…). */
static void put_object(pdf_doc *d, size_t num, const pdf_buf *body)
{
	pdf_buf head = {0};

	d->xref[num] = d->pos;
	buf_printf(&head, "%zu 0 obj\n", num);
	put_buf(d, &head);
	put_buf(d, body);
	put(d, "\nendobj\n", 8);
	d->oom |= head.failed || body->failed;
	buf_free(&head);
}

/* Writes stream object `num`: `dict` holds the entries besides /Length and
 * /Filter; with `deflate` the data is compressed here. */
static int put_stream(pdf_doc *d, size_t num, const char *dict, const void *data, size_t len,
		      int deflate)
{
	uint8_t *z = NULL;
	pdf_buf head = {0};

	if (deflate) {
		z = zlibCompress(data, len, &len);
		if (!z)
			return sohoa_error_set(SOHOA_ENOMEM, _("%s: compressing PDF data failed"),
					       d->source);
		data = z;
	}
	d->xref[num] = d->pos;
	buf_printf(&head, "%zu 0 obj\n<< /Length %zu %s%s >>\nstream\n", num, len,
		   deflate ? "/Filter /FlateDecode " : "", dict);
	put_buf(d, &head);
	put(d, data, len);
	put(d, "\nendstream\nendobj\n", 18);
	d->oom |= head.failed;
	buf_free(&head);
	lept_free(z);
	return 0;
}

/* ------------------------------------------------------------- images */

/* The image XObject of one page: its dictionary entries besides /Length,
 * and its data, which `owned` or `cid` hold. */
typedef struct {
	pdf_buf dict;
	const uint8_t *data;
	size_t len;
	uint8_t *owned;
	L_COMP_DATA *cid;
} pdf_image;

static void image_free(pdf_image *img)
{
	buf_free(&img->dict);
	free(img->owned);
	l_CIDataDestroy(&img->cid);
	*img = (pdf_image){0};
}

/* Describes Leptonica's compressed data (DCT or Flate, as l_generate*Data
 * make it). 0, or 1 when it is of a kind this writer does not embed. */
static int image_from_cid(pdf_image *img, L_COMP_DATA *cid, const PIX *pix)
{
	pdf_buf *b = &img->dict;

	if (!cid || cid->w != pixGetWidth(pix) || cid->h != pixGetHeight(pix) ||
	    (cid->type != L_JPEG_ENCODE && cid->type != L_FLATE_ENCODE) ||
	    (cid->spp != 1 && cid->spp != 3)) {
		l_CIDataDestroy(&cid);
		return 1;
	}
	img->cid = cid;
	img->data = cid->datacomp;
	img->len = cid->nbytescomp;
	buf_printf(b, "/Type /XObject /Subtype /Image /Width %d /Height %d /BitsPerComponent %d ",
		   cid->w, cid->h, cid->bps);
	if (cid->ncolors > 0)
		buf_printf(b, "/ColorSpace [/Indexed /DeviceRGB %d %s] ", cid->ncolors - 1,
			   cid->cmapdatahex);
	else
		buf_printf(b, "/ColorSpace /%s ", cid->spp == 3 ? "DeviceRGB" : "DeviceGray");
	if (cid->type == L_JPEG_ENCODE) {
		buf_printf(b, "/Filter /DCTDecode");
		return 0;
	}
	if (cid->ncolors == 0 && cid->spp == 1 && cid->bps == 1)
		buf_printf(b, "/Decode [1 0] "); /* Leptonica's 1 is black */
	buf_printf(b, "/Filter /FlateDecode");
	if (cid->predictor)
		buf_printf(b,
			   " /DecodeParms << /Predictor 14 /Colors %d /BitsPerComponent %d "
			   "/Columns %d >>",
			   cid->spp, cid->bps, cid->w);
	return 0;
}

/* The raw CCITT G4 data of a bilevel TIFF page stored as one strip of
 * min-is-white, most significant bit first, upright pixels — the usual
 * scanner output — so it goes in without being coded again. 0, 1 when the
 * page is not of that kind. */
static int image_g4(pdf_image *img, const char *path, size_t page, const PIX *pix,
		    const sohoa_limits *lim)
{
	TIFF *tif = TIFFOpen(path, "rm");
	uint16_t comp = 0, photo = 0, fill = FILLORDER_MSB2LSB, orient = ORIENTATION_TOPLEFT;
	uint32_t w = 0, h = 0, t6 = 0;
	tmsize_t n;
	int rc = 1;

	if (!tif)
		return 1;
	if (!TIFFSetDirectory(tif, (tdir_t)page) ||
	    !TIFFGetField(tif, TIFFTAG_COMPRESSION, &comp) || comp != COMPRESSION_CCITTFAX4 ||
	    !TIFFGetField(tif, TIFFTAG_PHOTOMETRIC, &photo) || photo != PHOTOMETRIC_MINISWHITE ||
	    !TIFFGetField(tif, TIFFTAG_IMAGEWIDTH, &w) ||
	    !TIFFGetField(tif, TIFFTAG_IMAGELENGTH, &h))
		goto cleanup;
	TIFFGetField(tif, TIFFTAG_FILLORDER, &fill);
	TIFFGetField(tif, TIFFTAG_ORIENTATION, &orient);
	TIFFGetField(tif, TIFFTAG_T6OPTIONS, &t6);
	n = TIFFNumberOfStrips(tif) == 1 ? TIFFRawStripSize(tif, 0) : -1;
	if (orient != ORIENTATION_TOPLEFT || t6 != 0 || w != (uint32_t)pixGetWidth(pix) ||
	    h != (uint32_t)pixGetHeight(pix) || n <= 0 || (uint64_t)n > lim->max_image_bytes)
		goto cleanup;
	img->owned = malloc((size_t)n);
	if (!img->owned || TIFFReadRawStrip(tif, 0, img->owned, n) != n) {
		free(img->owned);
		img->owned = NULL;
		goto cleanup;
	}
	if (fill == FILLORDER_LSB2MSB)
		TIFFReverseBits(img->owned, n);
	img->data = img->owned;
	img->len = (size_t)n;
	buf_printf(&img->dict,
		   "/Type /XObject /Subtype /Image /Width %u /Height %u /BitsPerComponent 1 "
		   "/ColorSpace /DeviceGray /Filter /CCITTFaxDecode "
		   "/DecodeParms << /K -1 /Columns %u /Rows %u >>",
		   w, h, w, h);
	rc = 0;
cleanup:
	TIFFClose(tif);
	return rc;
}

/* The page image as stored where PDF can carry it as is — JPEG (DCT), PNG
 * (its zlib data with PNG predictors), CCITT G4 TIFF — else the decoded
 * pixels, losslessly with Flate. */
static int image_make(pdf_image *img, const sohoa_ocr_page *p, const sohoa_ocr_image_info *info,
		      PIX *pix, const sohoa_limits *lim)
{
	int rc = 1;
	L_COMP_DATA *cid = NULL;

	if (info->format == SOHOA_IMAGE_JPEG)
		rc = image_from_cid(img, l_generateJpegData(p->source, 0), pix);
	else if (info->format == SOHOA_IMAGE_PNG)
		rc = image_from_cid(img, l_generateFlateDataPdf(p->source, pix), pix);
	else if (info->format == SOHOA_IMAGE_TIFF && pixGetDepth(pix) == 1)
		rc = image_g4(img, p->source, p->page, pix, lim);
	if (rc != 0) {
		image_free(img);
		rc = pixGenerateCIData(pix, L_FLATE_ENCODE, 0, 0, &cid) == 0
			     ? image_from_cid(img, cid, pix)
			     : 1;
		if (rc != 0)
			return sohoa_error_set(SOHOA_ENOMEM,
					       _("%s: page %zu: cannot compress the image for PDF"),
					       p->source, p->page + 1);
	}
	return img->dict.failed ? sohoa_error_set(SOHOA_ENOMEM, _("out of memory")) : 0;
}

/* --------------------------------------------------------- text layer */

typedef struct {
	double x0, y0, x1, y1;
} rect;

/* The page in points: its size unrotated, points per pixel, and the turn
 * that makes it upright. */
typedef struct {
	double w, h, k;
	int rot;
} frame;

/* A box in original pixels (y down) as a rectangle of the upright frame in
 * points (y up). */
static rect upright_rect(const frame *fr, const sohoa_ocr_page *p, sohoa_box b)
{
	double x0 = fmin(fmax(b.x, 0), p->width), x1 = fmin(fmax(b.x + b.w, x0), p->width);
	double y0 = fmin(fmax(b.y, 0), p->height), y1 = fmin(fmax(b.y + b.h, y0), p->height);
	double px0 = x0 * fr->k, px1 = x1 * fr->k; /* page space, y up */
	double py0 = fr->h - y1 * fr->k, py1 = fr->h - y0 * fr->k;

	switch (fr->rot) {
	case 90: return (rect){py0, fr->w - px1, py1, fr->w - px0};
	case 180: return (rect){fr->w - px1, fr->h - py1, fr->w - px0, fr->h - py0};
	case 270: return (rect){fr->h - py1, px0, fr->h - py0, px1};
	default: return (rect){px0, py0, px1, py1};
	}
}

/* The cm that maps the upright frame back onto the page. */
static void upright_cm(pdf_buf *b, const frame *fr)
{
	static const int m[4][4] = {{1, 0, 0, 1}, {0, 1, -1, 0}, {-1, 0, 0, -1}, {0, -1, 1, 0}};
	const int *r = m[fr->rot / 90];

	buf_printf(b, "%d %d %d %d ", r[0], r[1], r[2], r[3]);
	buf_num(b, fr->rot == 90 || fr->rot == 180 ? fr->w : 0);
	buf_num(b, fr->rot == 180 || fr->rot == 270 ? fr->h : 0);
	buf_printf(b, "cm\n");
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
	if (n == 0)
		return 0;
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* What the text layer of one page needs while it is written. */
typedef struct {
	pdf_buf *out;
	ocr_pdf_font *font;
	const sohoa_ocr_page *p;
	frame fr;
	uint16_t space;  /* CID of U+0020 */
	uint16_t *cids;  /* scratch, room for the longest word */
	double *scratch; /* scratch, one per word of the page */
	rect *rects;     /* the words of the current line, upright */
} text_layer;

/* Font size of the lines of one block: the median height of its words. */
static double block_size(text_layer *t, size_t first_line, size_t nlines)
{
	size_t n = 0;

	for (size_t i = first_line; i < first_line + nlines; i++) {
		const sohoa_ocr_line *l = &t->p->lines[i];
		for (size_t k = 0; k < l->word_count; k++) {
			rect r = upright_rect(&t->fr, t->p, t->p->words[l->first_word + k].box);
			t->scratch[n++] = r.y1 - r.y0;
		}
	}
	return fmax(median(t->scratch, n), 1.0);
}

/* Emits one word (CIDs in t->cids) stretched over [x0, x1] on `base`. */
static void emit_word(text_layer *t, size_t n, double x0, double x1, double base, double fs)
{
	double natural = n * fs * OCR_PDF_GLYPH_WIDTH / 1000.0;

	buf_num(t->out, 100 * fmax(x1 - x0, 0.05 * fs) / natural);
	buf_printf(t->out, "Tz 1 0 0 1 ");
	buf_num(t->out, x0);
	buf_num(t->out, base);
	buf_printf(t->out, "Tm <");
	for (size_t i = 0; i < n; i++)
		buf_printf(t->out, "%04X", t->cids[i]);
	buf_printf(t->out, "> Tj\n");
}

static int one_char(const char *s)
{
	return ocr_pdf_utf8_next(&s) != 0 && *s == '\0';
}

/* One line as one text object: the words left to right on a shared
 * baseline, each over its box, narrowed or pushed right where needed to keep
 * a gap of `gap` font sizes from the next. */
static int emit_line(text_layer *t, const sohoa_ocr_line *l, double fs)
{
	const sohoa_ocr_word *words = t->p->words + l->first_word;
	size_t nw = l->word_count, single = 0;
	double gap, pos = -INFINITY, base;

	for (size_t k = 0; k < nw; k++) {
		t->rects[k] = upright_rect(&t->fr, t->p, words[k].box);
		t->scratch[k] = t->rects[k].y0;
		single += one_char(words[k].text);
	}
	base = median(t->scratch, nw) - fs * OCR_PDF_DESCENT / 1000.0;
	gap = fs * (nw > 1 && single == nw ? MIN_GAP_SINGLE : MIN_GAP);
	buf_printf(t->out, "BT\n/F0 ");
	buf_num(t->out, fs);
	buf_printf(t->out, "Tf\n");
	for (size_t k = 0; k < nw; k++) {
		const rect *r = &t->rects[k];
		double x0 = fmax(r->x0, pos + gap), x1 = r->x1;
		size_t n;
		int rc = ocr_pdf_font_encode(t->font, t->cids, &n, words[k].text);

		if (rc < 0)
			return rc;
		if (n == 0)
			continue;
		if (k + 1 < nw)
			x1 = fmin(x1, t->rects[k + 1].x0 - gap);
		x1 = fmax(x1, x0 + (r->x1 - r->x0) / 2);
		emit_word(t, n, x0, x1, base, fs);
		if (k + 1 < nw)
			buf_printf(t->out, "<%04X> Tj\n", t->space);
		pos = x1;
	}
	buf_printf(t->out, "ET\n");
	return 0;
}

/* The invisible text of a page, lines in page->lines order. */
static int emit_text(text_layer *t)
{
	const sohoa_ocr_page *p = t->p;
	size_t n;
	int rc = ocr_pdf_font_encode(t->font, &t->space, &n, " ");

	if (rc < 0)
		return rc;
	buf_printf(t->out, "q\n");
	if (t->fr.rot)
		upright_cm(t->out, &t->fr);
	buf_printf(t->out, "3 Tr\n");
	for (size_t i = 0, end; i < p->line_count; i = end) {
		double fs;
		for (end = i + 1; end < p->line_count && p->lines[end].block == p->lines[i].block;
		     end++)
			;
		fs = block_size(t, i, end - i);
		for (size_t k = i; k < end && rc == 0; k++)
			rc = emit_line(t, &p->lines[k], fs);
		if (rc < 0)
			return rc;
	}
	buf_printf(t->out, "Q\n");
	return 0;
}

/* Every word has text, and the lines take no more words than the page has
 * (so the scratch arrays of a page, one entry per word, always suffice). */
static int words_valid(const sohoa_ocr_page *p)
{
	size_t total = 0;

	for (size_t i = 0; i < p->word_count; i++)
		if (!p->words[i].text)
			return 0;
	for (size_t i = 0; i < p->line_count; i++) {
		const sohoa_ocr_line *l = &p->lines[i];
		if (l->first_word > p->word_count || l->word_count > p->word_count - l->first_word)
			return 0;
		total += l->word_count;
	}
	return total <= p->word_count;
}

/* The content stream of a page: the image over the whole page, then the
 * text layer. */
static int page_content(pdf_buf *out, ocr_pdf_font *font, const sohoa_ocr_page *p, const frame *fr)
{
	size_t longest = 1;
	text_layer t = {.out = out, .font = font, .p = p, .fr = *fr};
	int rc = 0;

	buf_printf(out, "q\n");
	buf_num(out, fr->w);
	buf_printf(out, "0 0 ");
	buf_num(out, fr->h);
	buf_printf(out, "0 0 cm\n/Im0 Do\nQ\n");
	if (p->line_count == 0)
		return 0;
	if (!words_valid(p))
		return sohoa_error_set(SOHOA_EINVAL,
				       _("%s: page %zu: lines and words do not agree"), p->source,
				       p->page + 1);
	for (size_t i = 0; i < p->word_count; i++)
		if (strlen(p->words[i].text) > longest)
			longest = strlen(p->words[i].text);
	t.cids = malloc(longest * sizeof *t.cids);
	t.scratch = malloc((p->word_count + 1) * sizeof *t.scratch);
	t.rects = malloc((p->word_count + 1) * sizeof *t.rects);
	if (!t.cids || !t.scratch || !t.rects)
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	else
		rc = emit_text(&t);
	free(t.cids);
	free(t.scratch);
	free(t.rects);
	return rc;
}

/* -------------------------------------------------------------- pages */

/* Decodes the page's image again and checks it is the one recognised. */
static int page_image(PIX **pix, sohoa_ocr_image_info *info, const sohoa_ocr_page *p,
		      const sohoa_limits *lim)
{
	int rc = ocr_decode(pix, p->source, p->page, lim, info);

	if (rc < 0)
		return sohoa_error_prefix(_("PDF of page %zu: "), p->page + 1);
	if ((uint32_t)pixGetWidth(*pix) != p->width || (uint32_t)pixGetHeight(*pix) != p->height)
		return sohoa_error_set(SOHOA_EFORMAT,
				       _("%s: page %zu: the image is %dx%d pixels but was "
					 "recognised as %ux%u (changed since?)"),
				       p->source, p->page + 1, pixGetWidth(*pix),
				       pixGetHeight(*pix), p->width, p->height);
	return 0;
}

static int page_frame(frame *fr, const sohoa_ocr_page *p)
{
	int rot = ((p->rotation % 360) + 360) % 360;

	if (p->dpi <= 0 || rot % 90 != 0)
		return sohoa_error_set(
			SOHOA_EINVAL,
			_("%s: page %zu: resolution %d or rotation %d unusable for PDF"), p->source,
			p->page + 1, p->dpi, p->rotation);
	fr->k = 72.0 / p->dpi;
	fr->w = p->width * fr->k;
	fr->h = p->height * fr->k;
	fr->rot = rot;
	return 0;
}

/* Writes the `i`-th page of the document: image, content, page objects. */
static int write_page(pdf_doc *d, ocr_pdf_font *font, const sohoa_ocr_page *p, size_t i,
		      const sohoa_limits *lim)
{
	PIX *pix = NULL;
	sohoa_ocr_image_info info;
	pdf_image img = {0};
	pdf_buf content = {0}, page = {0};
	frame fr;
	int rc = page_frame(&fr, p);

	if (rc < 0)
		goto cleanup;
	rc = page_image(&pix, &info, p, lim);
	if (rc < 0)
		goto cleanup;
	rc = image_make(&img, p, &info, pix, lim);
	pixDestroy(&pix);
	if (rc < 0)
		goto cleanup;
	rc = put_stream(d, IMAGE_OBJ(i), img.dict.p, img.data, img.len, 0);
	image_free(&img);
	if (rc == 0)
		rc = page_content(&content, font, p, &fr);
	if (rc == 0 && content.failed)
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	if (rc == 0)
		rc = put_stream(d, CONTENT_OBJ(i), "", content.p, content.len, 1);
	if (rc < 0)
		goto cleanup;
	buf_printf(&page, "<< /Type /Page /Parent %d 0 R /MediaBox [0 0 ", OBJ_PAGES);
	buf_num(&page, fr.w);
	buf_num(&page, fr.h);
	buf_printf(&page,
		   "] /Rotate %d /Resources << /XObject << /Im0 %d 0 R >> /Font << /F0 %d 0 R >> "
		   ">> /Contents %d 0 R >>",
		   fr.rot, IMAGE_OBJ((int)i), OBJ_FONT, CONTENT_OBJ((int)i));
	put_object(d, PAGE_OBJ(i), &page);
cleanup:
	pixDestroy(&pix);
	image_free(&img);
	buf_free(&content);
	buf_free(&page);
	return rc;
}

/* -------------------------------------------------------------- fonts */

static int write_font(pdf_doc *d, const ocr_pdf_font *font)
{
	pdf_buf b = {0}, extra = {0};
	uint8_t *prog = NULL, *map = NULL;
	char *cmap = NULL;
	size_t len;
	int rc;

	buf_printf(&b,
		   "<< /Type /Font /Subtype /Type0 /BaseFont /SohoaGlyphless /Encoding /Identity-H "
		   "/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>",
		   OBJ_CIDFONT, OBJ_TOUNICODE);
	put_object(d, OBJ_FONT, &b);
	b.len = 0;
	buf_printf(&b,
		   "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SohoaGlyphless "
		   "/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> "
		   "/FontDescriptor %d 0 R /DW %d /CIDToGIDMap %d 0 R >>",
		   OBJ_DESCRIPTOR, OCR_PDF_GLYPH_WIDTH, OBJ_CIDTOGID);
	put_object(d, OBJ_CIDFONT, &b);
	b.len = 0;
	buf_printf(&b,
		   "<< /Type /FontDescriptor /FontName /SohoaGlyphless /Flags 5 "
		   "/FontBBox [0 %d %d %d] /ItalicAngle 0 /Ascent %d /Descent %d /CapHeight %d "
		   "/StemV 80 /FontFile2 %d 0 R >>",
		   OCR_PDF_DESCENT, OCR_PDF_GLYPH_WIDTH, OCR_PDF_ASCENT, OCR_PDF_ASCENT,
		   OCR_PDF_DESCENT, OCR_PDF_ASCENT, OBJ_FONTFILE);
	put_object(d, OBJ_DESCRIPTOR, &b);
	rc = ocr_pdf_font_program(&prog, &len);
	if (rc == 0) {
		buf_printf(&extra, "/Length1 %zu", len);
		rc = put_stream(d, OBJ_FONTFILE, extra.p ? extra.p : "", prog, len, 1);
	}
	if (rc == 0)
		rc = ocr_pdf_font_tounicode(&cmap, &len, font);
	if (rc == 0)
		rc = put_stream(d, OBJ_TOUNICODE, "", cmap, len, 1);
	if (rc == 0)
		rc = ocr_pdf_font_cidtogid(&map, &len, font);
	if (rc == 0)
		rc = put_stream(d, OBJ_CIDTOGID, "", map, len, 1);
	free(prog);
	free(cmap);
	free(map);
	buf_free(&b);
	buf_free(&extra);
	return rc;
}

/* ------------------------------------------------------------ catalog */

/* A text string as UTF-16BE hex with its byte order mark. */
static void buf_text_string(pdf_buf *b, const char *s)
{
	uint32_t cp;

	buf_printf(b, "<FEFF");
	while ((cp = ocr_pdf_utf8_next(&s)) != 0) {
		if (cp >= 0x10000) {
			cp -= 0x10000;
			buf_printf(b, "%04X", (unsigned)(0xD800 + (cp >> 10)));
			cp = 0xDC00 + (cp & 0x3FF);
		}
		buf_printf(b, "%04X", (unsigned)cp);
	}
	buf_printf(b, ">");
}

static void write_catalog(pdf_doc *d, size_t npages)
{
	const char *base = strrchr(d->source, '/');
	pdf_buf b = {0};

	buf_printf(&b, "<< /Type /Catalog /Pages %d 0 R >>", OBJ_PAGES);
	put_object(d, OBJ_CATALOG, &b);
	b.len = 0;
	buf_printf(&b, "<< /Type /Pages /Count %zu /Kids [", npages);
	for (size_t i = 0; i < npages; i++)
		buf_printf(&b, "%s%zu 0 R", i ? " " : "", (size_t)PAGE_OBJ(i));
	buf_printf(&b, "] >>");
	put_object(d, OBJ_PAGES, &b);
	b.len = 0;
	buf_printf(&b, "<< /Producer (sohoa %s) /Creator (sohoa ocr) /Title ", sohoa_version());
	buf_text_string(&b, base ? base + 1 : d->source);
	buf_printf(&b, " >>");
	put_object(d, OBJ_INFO, &b);
	buf_free(&b);
}

static void write_xref(pdf_doc *d)
{
	pdf_buf b = {0};
	uint64_t start = d->pos;

	buf_printf(&b, "xref\n0 %zu\n0000000000 65535 f \n", d->nobj);
	for (size_t i = 1; i < d->nobj; i++)
		buf_printf(&b, "%010llu 00000 n \n", (unsigned long long)d->xref[i]);
	buf_printf(&b,
		   "trailer\n<< /Size %zu /Root %d 0 R /Info %d 0 R >>\nstartxref\n%llu\n%%%%EOF\n",
		   d->nobj, OBJ_CATALOG, OBJ_INFO, (unsigned long long)start);
	put_buf(d, &b);
	d->oom |= b.failed;
	buf_free(&b);
}

int sohoa_ocr_write_pdf(FILE *out, const char *source, sohoa_ocr_page *const *pages, size_t count,
			const sohoa_limits *limits)
{
	static const char header[] = "%PDF-1.5\n%\xE2\xE3\xCF\xD3\n";
	sohoa_limits defaults = sohoa_limits_default();
	pdf_doc d = {.f = out, .source = source};
	ocr_pdf_font *font = NULL;
	size_t n = 0;
	int rc;

	for (size_t i = 0; i < count; i++)
		n += pages[i] != NULL;
	if (n == 0)
		return sohoa_error_set(SOHOA_EINVAL, _("%s: no page to write as PDF"), source);
	d.nobj = PAGE_OBJ(n);
	d.xref = calloc(d.nobj, sizeof *d.xref);
	rc = d.xref ? ocr_pdf_font_new(&font) : sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	if (rc < 0)
		goto cleanup;
	errno = 0;
	put(&d, header, sizeof header - 1);
	for (size_t i = 0, k = 0; i < count && rc == 0 && !d.io_failed && !d.oom; i++)
		if (pages[i])
			rc = write_page(&d, font, pages[i], k++, limits ? limits : &defaults);
	if (rc == 0)
		rc = write_font(&d, font);
	if (rc < 0)
		goto cleanup;
	write_catalog(&d, n);
	write_xref(&d);
	if (d.oom)
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	else if (fflush(out) != 0 || ferror(out) || d.io_failed)
		rc = sohoa_error_from_errno(errno ? errno : EIO, _("%s: writing the PDF"), source);
cleanup:
	ocr_pdf_font_free(font);
	free(d.xref);
	return rc;
}
