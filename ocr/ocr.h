/* ocr/ocr.h: the one public header of ocr/ — image intake (and, as it grows,
 * preprocessing, recognition and text/ALTO/hOCR/PDF output) on Leptonica,
 * libtiff and the Tesseract C API. */
#ifndef SOHOA_OCR_H
#define SOHOA_OCR_H

#include "core/core.h"

/* Input formats, told apart by their first bytes (never by the file name).
 * PDF means a PDF whose pages are rendered like scans (image-only PDFs, as
 * scanners write them); its text layer, if any, is not read. */
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
	size_t pages;   /* frames of a TIFF, pages of a PDF, 1 for JPEG/PNG */
	uint32_t width; /* first page, pixels */
	uint32_t height;
	int bits_per_pixel; /* 1, 8, 24, 32 … as stored */
	int xres, yres;     /* pixels per inch as declared (PDF: as rendered); 0 if absent */
} sohoa_ocr_image_info;

/* Reads the header of the image at `path` and checks it against the caps in
 * `limits` (file size, pixels per page, page count) before anything is
 * decoded. A PDF is opened with Poppler: its page count, and page 1 as it
 * will be rendered — at the resolution of the scan it holds (150..600 dpi),
 * else 300 dpi — and every image it declares must be within the pixel cap.
 * Errors name the file: SOHOA_ENOTFOUND, SOHOA_ELIMIT (a cap is exceeded),
 * SOHOA_EFORMAT (truncated or corrupt header, zero size, a PDF without
 * pages or without its %%EOF), SOHOA_EUNSUPPORTED (not TIFF/JPEG/PNG/PDF, an
 * encrypted PDF, one whose image sizes are not written plainly). */
int sohoa_ocr_probe(sohoa_ocr_image_info *out, const char *path, const sohoa_limits *limits);

/* ------------------------------------------------------------ recognition */
typedef struct {
	int x, y, w, h; /* pixels of the original page as stored in the file */
} sohoa_box;

typedef struct {
	char *text; /* UTF-8 NFC */
	sohoa_box box;
	float confidence; /* 0..100 */
} sohoa_ocr_word;

typedef struct {
	sohoa_box box;
	size_t first_word; /* index into page->words */
	size_t word_count;
	int block; /* reading-order block the line belongs to */
} sohoa_ocr_line;

/* The recognised content of one page, lines in logical reading order (a
 * two-column header or signature block reads left column, then right). */
typedef struct {
	char *source;           /* file the page came from */
	size_t page;            /* 0-based page (frame) within the file */
	uint32_t width, height; /* the original page, pixels */
	int dpi;                /* resolution used for recognition */
	int dpi_declared;       /* what the file said (0 when absent) */
	int dpi_estimated;      /* 1 when the declared value was missing or implausible */
	int rotation;           /* clockwise degrees (0/90/180/270) the page was turned */
	double skew;            /* degrees of skew that were corrected */
	float mean_confidence;  /* mean word confidence, 0..100 */
	int needs_review;       /* no text, low confidence or marks lost (below) */
	sohoa_ocr_word *words;
	size_t word_count;
	sohoa_ocr_line *lines;
	size_t line_count;
	char *text; /* plain text: lines joined by '\n', blocks by a blank line */
} sohoa_ocr_page;

/* Pages whose mean word confidence is below this are flagged needs_review. */
#define SOHOA_OCR_REVIEW_THRESHOLD 80.0f
/* So are Vietnamese pages where more than this share of the syllables read
 * (SOHOA_OCR_BARE_MIN of them at least) carry no mark at all: their marks
 * were lost, however sure Tesseract was of the letters. */
#define SOHOA_OCR_BARE_MAX 0.25
#define SOHOA_OCR_BARE_MIN 40

typedef struct {
	const char *languages; /* Tesseract languages, default "vie" */
	int dpi;               /* resolution to assume when missing/implausible; 0 = estimate */
	sohoa_limits limits;
} sohoa_ocr_options;

/* Default options: "vie", estimate resolution, default limits. */
sohoa_ocr_options sohoa_ocr_options_default(void);

/* An engine holds one initialised Tesseract handle (plus one for orientation
 * detection) and is used by one thread at a time; make one per worker and
 * reuse it across pages. Errors: SOHOA_EDEPENDENCY when a language model is
 * missing. The engine copies what it needs from `opt`. */
typedef struct sohoa_ocr_engine sohoa_ocr_engine;
int sohoa_ocr_engine_new(sohoa_ocr_engine **out, const sohoa_ocr_options *opt);
void sohoa_ocr_engine_free(sohoa_ocr_engine *engine);

/* Decodes page `page` of `path`, cleans it (seal and coloured ink, background,
 * orientation, skew, speckle, borders) and recognises it. The caller owns
 * *out (sohoa_ocr_page_free). Errors name the file and page: those of
 * sohoa_ocr_probe, SOHOA_EFORMAT for undecodable pixels, SOHOA_EINVAL for a
 * page number past the end. */
int sohoa_ocr_recognize(sohoa_ocr_page **out, sohoa_ocr_engine *engine, const char *path,
			size_t page);
void sohoa_ocr_page_free(sohoa_ocr_page *page);

/* ----------------------------------------------------------------- batches */
/* The outcome of one page of a batch: a page, or an error (code + message
 * naming the file and page). */
typedef struct {
	sohoa_ocr_page *page; /* NULL on error */
	int error;            /* 0 or a SOHOA_E* code */
	char *message;        /* error message, NULL when none */
} sohoa_ocr_result;

/* Called on the caller's thread once per input, in input order, when all
 * pages of that input are done. `results` holds `count` pages (count is 1 with
 * the error when the file could not be opened at all); the sink may take
 * ownership of results[i].page by setting it to NULL. A negative return stops
 * the batch (pages in flight finish first). */
typedef int (*sohoa_ocr_sink)(void *ctx, size_t input, const char *path, sohoa_ocr_result *results,
			      size_t count);

/* Recognises every page of every input with `jobs` worker threads (each with
 * its own engine), pages of all inputs in parallel, and hands each input's
 * pages to `sink` in order. Memory stays bounded: workers run at most a few
 * pages ahead of the sink. `progress`, when not NULL, is called on the
 * caller's thread after each page with (done, total). Returns 0, a negative
 * code from the sink, or SOHOA_EDEPENDENCY when no engine could start. */
int sohoa_ocr_batch(const char *const *paths, size_t count, const sohoa_ocr_options *opt, int jobs,
		    sohoa_ocr_sink sink, void *ctx,
		    void (*progress)(void *ctx, size_t done, size_t total));

/* ----------------------------------------------------------------- outputs */
/* Writes pages as plain UTF-8 text, pages separated by a form feed line. */
int sohoa_ocr_write_text(FILE *out, sohoa_ocr_page *const *pages, size_t count);
/* Writes pages as JSON: {"source", "pages": [{page, width, height, dpi,
 * dpi_estimated, rotation, skew, mean_confidence, needs_review, text,
 * lines: [{box, words: [{text, box, confidence}]}]}]} with boxes as
 * [x, y, w, h] in original page pixels. */
int sohoa_ocr_write_json(FILE *out, const char *source, sohoa_ocr_page *const *pages, size_t count);

/* Writes pages as one ALTO 4.4 document, valid against the official schema:
 * Description (MeasurementUnit pixel, sourceImageInformation/fileName =
 * `source`, OCRProcessing naming sohoa and its version), then per page a
 * Page (PHYSICAL_IMG_NR = page + 1, WIDTH/HEIGHT, PC = mean confidence in
 * 0..1, ROTATION when the page was turned, LANG vi) with a PrintSpace
 * holding one TextBlock per reading-order block, TextLines, and String
 * (CONTENT, WC in 0..1) / SP elements. Coordinates are original-page pixels
 * clipped to the page; IDs (page_N, block_N_B, line_N_L, word_N_W, with N
 * the page's position in this document and L, W the 1-based line and word
 * indexes of the page) are unique. Lines without words are left out; bytes
 * that are not valid UTF-8 or not XML characters become U+FFFD. The output
 * does not depend on the time or the locale. `source` NULL means the first
 * page's source. NULL entries of `pages` are skipped. Errors: SOHOA_EINVAL
 * (no page, or a line's words outside its page's words), SOHOA_EIO /
 * SOHOA_ENOSPC when `out` cannot be written, SOHOA_ENOMEM. */
int sohoa_ocr_write_alto(FILE *out, const char *source, sohoa_ocr_page *const *pages, size_t count);
/* Writes pages as one hOCR 1.2 document, well-formed XHTML (lang vi): meta
 * ocr-system ("sohoa <version>"), ocr-capabilities, ocr-number-of-pages;
 * per page a div.ocr_page titled 'image "<source>"; bbox 0 0 W H; ppageno
 * P; scan_res D D' (P 0-based as hOCR counts physical pages; in <source>
 * bytes outside printable ASCII and " % ; \ are percent-encoded, as hOCR
 * property strings allow only printable ASCII without '"'), then per block a
 * div.ocr_carea holding one p.ocr_par, span.ocr_line and span.ocrx_word
 * with "bbox x0 y0 x1 y1" (x1, y1 exclusive) and "x_wconf C" (integer
 * 0..100). IDs, skipped entries, clipping, errors as sohoa_ocr_write_alto. */
int sohoa_ocr_write_hocr(FILE *out, const char *source, sohoa_ocr_page *const *pages, size_t count);
/* Writes the pages of one input as a searchable PDF 1.5, one PDF page per
 * page (NULL entries skipped). Each shows the original image, decoded again
 * from page->source / page->page under the caps of `limits` (NULL: the
 * defaults): JPEG, PNG and single-strip CCITT G4 TIFF data go in unchanged,
 * anything else losslessly as Flate. A page is width*72/dpi by
 * height*72/dpi points with /Rotate = page->rotation, so viewers show it
 * upright. Over the image lies invisible text (render mode 3, a glyphless
 * Type0 font with a ToUnicode CMap): every word over its box, one line after
 * the other in page->lines order, a space between words. Extractors that
 * follow the content (pdftotext -raw, copying in most viewers) give exactly
 * the page's text; pdftotext's default mode orders text by its own layout
 * analysis and can put the blocks of a form or a two-column header in
 * another order. The same pages give the same bytes (no dates, no IDs).
 * Document info: Producer "sohoa <version>", Creator "sohoa ocr", Title the
 * file name of `source`. Errors name the file and page: those of
 * sohoa_ocr_probe when the image can no longer be read, SOHOA_EFORMAT when it
 * is not the image that was recognised (other size), SOHOA_EINVAL for no
 * page or an unusable dpi or rotation, SOHOA_ELIMIT past 65535 distinct
 * characters, SOHOA_ENOMEM, and SOHOA_EIO (or the errno code) when writing
 * to `out` fails. After an error `out` may hold part of a document. */
int sohoa_ocr_write_pdf(FILE *out, const char *source, sohoa_ocr_page *const *pages, size_t count,
			const sohoa_limits *limits);

/* Short name of a format: "tiff", "jpeg", "png", "pdf", "unknown". */
const char *sohoa_ocr_format_name(sohoa_image_format format);

/* Versions of the OCR libraries, e.g. "tesseract 5.3.0, leptonica-1.82.0".
 * Static string, never NULL. */
const char *sohoa_ocr_versions(void);

/* The file of the Tesseract library in use: Debian's, or the one
 * scripts/tesseract.sh built (same version and text, less CPU). Static
 * string, "" when unknown. For --version, not for documents. */
const char *sohoa_ocr_tesseract_file(void);

#endif
