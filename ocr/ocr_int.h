/* ocr/ocr_int.h: what the files of ocr/ share and nobody else sees — page
 * geometry through the cleaning steps, and the steps themselves. */
#ifndef SOHOA_OCR_INT_H
#define SOHOA_OCR_INT_H

#include <stdlib.h>

#include <leptonica/allheaders.h>
#include <unicode/umachine.h>

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
	int letter; /* median letter height on the cleaned page, px (0: unknown) */
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
/* Leptonica's pixContrastNorm(gray, 50, 50, 100, 2, 2), same bytes, faster;
 * a page smaller than one 50 × 50 tile is copied as it is. */
PIX *ocr_contrast_norm(PIX *gray);

/* The 8-bit page turned about its centre by `radians` (clockwise positive),
 * `fill` brought in at the edges: pixRotateAMGray's bytes, faster. NULL
 * when it is not 8-bit or under 2 × 2, or on allocation failure. */
PIX *ocr_rotate_gray(PIX *gray, double radians, l_uint8 fill);

/* The pixels of a bilevel page that lie in a straight run of at least len
 * pixels across (down = 0) or down (down = 1): an opening with a
 * 1-pixel-thin brick, as pixOpenCompBrick. NULL when the page is not 1-bit,
 * len < 1, or on allocation failure. */
PIX *ocr_long_runs(PIX *bin, int down, l_int32 len);

/* A binarised copy of a normalised page at half its resolution (150 dpi),
 * for the analysis steps (orientation, skew) that do not need more. */
PIX *ocr_analysis_binary(PIX *norm);

/* From the normalised, upright page and its upright half-resolution binary
 * (ocr_analysis_binary): deskew, binarise, despeckle, take out ruled lines
 * (returned in *hrules and *vrules, owned by the caller), drop border noise.
 * When `masked` is given, *masked receives the gray page cut out by the clean
 * one (ink keeps its shading, the rest is white), the image to recognise;
 * NULL there means use the clean page. Sets skew, prep_w, prep_h. NULL on
 * failure. */
PIX *ocr_finish(PIX *norm_upright, PIX *half_bin, ocr_geometry *g, PIX **hrules, PIX **vrules,
		PIX **masked);

/* A round seal's outer ring on the page: centre, radius to the middle of
 * its stroke, and the stroke's width, in pixels. */
typedef struct {
	l_int32 cx, cy, r, stroke;
} ocr_ring;

/* Whether component `m`, whose box starts at (x, y) on a 300 dpi binary
 * page with letters `letter` pixels tall, holds a seal's outer ring (a thin
 * circle of ink 18 to 60 mm across, met on most rays from its centre);
 * *ring gets it in page coordinates. */
int ocr_find_ring(PIX *m, l_int32 x, l_int32 y, l_int32 letter, ocr_ring *ring);

/* The rings of page `bin` inside seal ring `outer` and round its centre (a
 * seal's second ring, the circle round its middle), outermost first, at
 * most `max`; returns how many. */
int ocr_inner_rings(PIX *bin, const ocr_ring *outer, ocr_ring *inner, int max);

/* A box on the cleaned page, in the original page's pixels. */
sohoa_box ocr_map_box(const ocr_geometry *g, int x, int y, int w, int h);

/* Checks `path` against the caps and decodes page `page` (0-based); *info
 * describes that page (size, depth, resolution). info->pages is the file's
 * page count, except for TIFF where it is 0: only the directories up to
 * `page` are read, not all of them. Errors name the file and page, as
 * sohoa_ocr_recognize. */
int ocr_decode(PIX **out, const char *path, size_t page, const sohoa_limits *lim,
	       sohoa_ocr_image_info *info);

/* Checks the chunk/marker structure of a PNG or JPEG file and the %%EOF at
 * the end of a PDF (others pass): SOHOA_EFORMAT naming the file when it is
 * truncated or mangled. */
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
int ocr_regions(BOXA **out, int **is_table, PIX *bin, int letter, const ocr_table *tables,
		size_t ntables);

/* The rectangle to read text region i of ocr_regions in, as x, y, width,
 * height: the region with `pad` pixels of margin each side (so that
 * Tesseract sees the whole of its letters), but no margin into a table
 * just above or below it. Width and height may pass the page's edge. */
void ocr_region_rect(l_int32 r[4], BOXA *regions, const int *is_table, l_int32 i, l_int32 pad);

/* Puts lines into logical reading order, assigns blocks and builds the text
 * of the page. Words of a line are already left to right. */
int ocr_layout(sohoa_ocr_page *page);

/* linestore.c: while on (per thread), the PNG copies Tesseract keeps of each
 * text line are stored as raw pixels instead (and read back by copying);
 * the count is for tests. */
void ocr_lines_raw(int on);
unsigned long ocr_lines_stored_raw(void);

/* ------------------------------------------------- markup (see markup.c) */
/* A streaming XML writer to a FILE (libxml2's xmlTextWriter) whose errors
 * stick: after the first failure every call is a no-op, and ocr_xml_close
 * reports it. Text and attribute values are escaped, and bytes that are not
 * valid UTF-8 or not XML characters are replaced by U+FFFD, so the output is
 * well-formed whatever the strings hold. */
typedef struct ocr_xml ocr_xml;

/* Starts a UTF-8 document on `f`; `indent` lays elements out one per line
 * (only for documents without mixed content). */
int ocr_xml_open(ocr_xml **out, FILE *f, int indent);
void ocr_xml_start(ocr_xml *x, const char *name);
void ocr_xml_attr(ocr_xml *x, const char *name, const char *value);
void ocr_xml_attrf(ocr_xml *x, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ocr_xml_text(ocr_xml *x, const char *text);
void ocr_xml_end(ocr_xml *x);
/* <name>text</name> */
void ocr_xml_element(ocr_xml *x, const char *name, const char *text);
/* Ends the document, flushes `f` and frees `x` (NULL is a no-op). Returns 0,
 * or the first error naming `what` ("ALTO output"): SOHOA_EIO/SOHOA_ENOSPC
 * when `f` could not be written, SOHOA_ENOMEM. */
int ocr_xml_close(ocr_xml *x, const char *what);

/* Checks what the markup writers rely on: at least one page in `pages`
 * (NULL entries are skipped) and every line's words inside its page's word
 * array. SOHOA_EINVAL naming the page and line otherwise. */
int ocr_markup_check(sohoa_ocr_page *const *pages, size_t count);

static inline int ocr_int_order(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* The median of the n (> 0) values of v, which it sorts in place. */
static inline int ocr_median(int *v, size_t n)
{
	qsort(v, n, sizeof *v, ocr_int_order);
	return v[n / 2];
}

/* Clips the rectangle (*x, *y, *w, *h) to a W x H image. Returns 0 when
 * nothing of it is left. */
static inline int ocr_clip_rect(l_int32 *x, l_int32 *y, l_int32 *w, l_int32 *h, l_int32 W,
				l_int32 H)
{
	if (*x < 0) {
		*w += *x;
		*x = 0;
	}
	if (*y < 0) {
		*h += *y;
		*y = 0;
	}
	*w = *x + *w > W ? W - *x : *w;
	*h = *y + *h > H ? H - *y : *h;
	return *w > 0 && *h > 0;
}

/* Whether a word as read could be Vietnamese: with its opening and closing
 * punctuation off, every part between hyphens, slashes, dots, commas and
 * colons a number or a Vietnamese syllable (initial, vowel nucleus, final,
 * at most one tone mark), or an e-mail address. */
int ocr_word_plausible(const char *word);

/* Whether a word (opening and closing punctuation aside) is one Vietnamese
 * syllable of two letters or more written with no mark at all ("cho",
 * "Nam"): 1; a syllable with a mark or đ ("của", "đi"): 0; anything else
 * (a number, a one-letter word, a name of other tongues, noise): -1. On a
 * Vietnamese page a syllable in five or six has no mark; on a page whose
 * marks the scan lost, a quarter to a third or more. */
int ocr_bare_syllable(const char *word);

/* Whether a word is a reading of noise (signature strokes, seal remnants,
 * specks): only speck marks, no letter or digit at all and confidence under
 * 60, or confidence under 20 and not a word Vietnamese could have. A faint
 * or broken word read right often has a very low confidence too ("Phó" at
 * 0), and dropping it costs more than a misreading would; so does a word of
 * four digits or more, a document number or code (ocr/engine.c). */
int ocr_is_noise(const char *text, float conf);

/* Word `w` as Vietnamese writes it, newly allocated, or NULL when it is so
 * already (or on failure): a mark Vietnamese never puts on its letter goes
 * (ñ → n, ï → i, ä → a, š → s, a second tone on one letter), as does a lone
 * "ˆ" or "˜", and letters of other alphabets become the Vietnamese one they
 * are made of (ð → đ, ø → o, Ø → 0 beside a digit, else O). The model reads
 * dust over a letter so. */
char *ocr_vietnamese_letters(const char *w);

/* Whether the UTF-8 character at t is a letter: an ASCII one or any from
 * U+00C0 on (Vietnamese letters with their marks). */
int ocr_is_letter(const char *t);

/* The number of code points of UTF-8 t. */
size_t ocr_code_points(const char *t);

/* Letters in a UTF-8 word; punctuation, digits and the bars and dashes that
 * specks and turned lines are read as do not count. */
int ocr_letters_in(const char *s);

/* Whether c is one of the five tone marks, as a combining character. */
int ocr_is_tone_mark(UChar32 c);

/* Whether mark m may stand on base letter b (lower case) in Vietnamese: the
 * five tones on vowels, the circumflex on a, e and o, the breve on a, the
 * horn on o and u. */
int ocr_vietnamese_mark(UChar32 b, UChar32 m);

/* Whether the syllables a and b (lower case, NFC) are seen side by side in
 * Vietnamese text ("thay" "đổi"), by the table of ocr/data/vi-pairs.txt: 2
 * when they make a word of the dictionary, 1 when only the web's bigrams
 * hold them, 0 when neither does. The table is built on first use
 * (thread-safe) and then only read; when memory runs out it stays empty and
 * no pair is known. */
int ocr_pair_known(const char *a, const char *b);

/* Marks from context (ocr/context.c): a word Tesseract was not sure of
 * (confidence < 98) that makes no known pair with its neighbours on the
 * line takes a change of one mark (its tone, a ă â, e ê, o ô ơ, u ư, d đ)
 * that makes it pair: the one change that pairs it with both neighbours,
 * else (confidence < 96) the one change that pairs it with either ("bố
 * sung" → "bổ sung"). Under 90, a word that pairs with one neighbour takes
 * the one change that pairs it with both. A word that is no known syllable,
 * when no mark pairs it, may have one letter changed, added or taken out
 * instead ("vớj" → "với"). Between changes that make as many pairs, the
 * one that makes more dictionary words wins; when two still tie, the word
 * stays. Past confidence 90 a capitalised word inside a line is taken for a
 * name and stays. Case and punctuation stay. */
void ocr_marks_from_context(sohoa_ocr_page *p);

/* Words the model ran together, split: after a comma or colon that follows
 * a small letter and comes before a letter or digit ("Họ,chữ", "sơ:01"),
 * and, in a word that is no Vietnamese, between two syllables that the
 * table of pairs has side by side ("Dântộc" → "Dân tộc", "VIỆTNAM"), when
 * only one such place exists. Out of memory, the words stay. */
void ocr_split_run_together(sohoa_ocr_page *p);

/* Replaces each word i of p for which spaced[i] is not NULL by the words
 * of spaced[i] (split at its spaces), each with its share of the word's box
 * by code points along the text's direction on a page that was turned by
 * `rotation` degrees, and the word's confidence. Lines follow. Out of
 * memory, the page stays as it was. */
int ocr_split_words(sohoa_ocr_page *p, char **spaced, int rotation);

/* Word by word, what no word has: a mark a word cannot start with (",Xác",
 * "'TỜ": a speck before it), a run of stops that is not all full stops cut
 * to its first, and with `vietnamese`, letters and marks of other alphabets
 * (ocr_vietnamese_letters). Boxes stay. */
void ocr_tidy_words(sohoa_ocr_page *p, int vietnamese);

/* Drops the lines of a page (and their words) of which nothing is worth
 * keeping: a signature or a seal's rim read as a line of fragments ("SN
 * X2,", "Ễ Ũ", "23 xa Z7"). */
void ocr_drop_noise_lines(sohoa_ocr_page *p);

/* What the symbol `sym` read on img (the image Tesseract read), its box
 * from x1 to x2 on a line with x-height xh and baseline base, is when a look
 * at its marks shows the LSTM misread them: "i" for an "ỉ" whose mark is a
 * dot. NULL to keep the reading (ocr/marks.c). */
const char *ocr_mark_check(PIX *img, const char *sym, int x1, int x2, double xh, double base);
/* The word (UTF-8) without its dot below when it was read with exactly one
 * (ạ, ệ, ộ …), has nothing else below the line (no g j p q y, comma,
 * bracket) and img shows no ink under its letters (box x1..x2, the line's
 * x-height and baseline only place the look). NULL to keep the reading;
 * else a malloc'd string the caller frees (ocr/marks.c). */
char *ocr_dot_below_check(PIX *img, const char *word, int x1, int x2, double xh, double base);
/* What a full stop read on img at columns x1..x2, on a line with x-height
 * xh and baseline base, looks like (ocr/marks.c): OCR_COMMA when its ink
 * hangs a comma's tail below the letters' feet, OCR_COMMA_MAYBE when it
 * only comes down a little past them, taller than wide (a comma unless it
 * ends a sentence: a blurred one, or dust), 0 for a stop or an unclear
 * picture. */
enum { OCR_COMMA_MAYBE = 1, OCR_COMMA = 2 };
int ocr_stop_shape(PIX *img, int x1, int x2, double xh, double base);
/* How far over the line a stop's or comma's foot may stand, in x-heights:
 * higher, it floats as a speck does (engine.c is_speck_mark). */
#define OCR_STOP_LIFT 0.12

/* Whether a mark whose box ends at row y2 (exclusive) comes down to the
 * feet that the letters before column x1 of img share, found in the image:
 * its last row from OCR_STOP_LIFT over them to 0.3 x-height under (a
 * comma's tail). A symbol box
 * can take in a speck under a letter, so its foot is no baseline to judge
 * a stop by (ocr/marks.c). */
int ocr_mark_on_feet(PIX *img, int x1, int y2, double xh, double base);

/* Whether a full stop read at the end of a word (columns x1..x2 of img,
 * on a line with x-height xh and baseline base) is a speck: no piece there
 * stands on the letters' feet (found in the image) as a stop does, while
 * one or more hang below them or sit wholly under them, as the specks that
 * despeckling keeps beside a last letter do. 0 when the picture is
 * unclear (ocr/marks.c). */
int ocr_stop_is_dust(PIX *img, int x1, int x2, double xh, double base);
/* Whether a ";" read at a word's end (symbol columns x1..x2) is a comma
 * with a speck over it: no piece stands over the comma as a semicolon's
 * dot does (see marks.c). */
int ocr_semicolon_is_comma(PIX *img, int x1, int x2, double xh, double base);
/* Whether a ":" read at a word's end (symbol columns x1..x2) is specks: no
 * dot stands on the letters' feet and no two dots stand one over the other
 * (see marks.c); 0 for a colon or an unclear picture. */
int ocr_colon_is_specks(PIX *img, int x1, int x2, double xh, double base);
/* Where to read a word again with a tone mark that stands over it: the
 * rectangle (x, y, w, h) of the image read, the top of the word's box and
 * the line's x-height. */
typedef struct {
	l_int32 x, y, w, h, top;
	double xh;
} ocr_mark_look;

/* Whether a tone mark stands just above the word box (x1, y1)-(x2, y2) of
 * img, outside it, where Tesseract's crop of the word cut it off; if so,
 * *look tells where to read the word again. */
int ocr_cut_mark(ocr_mark_look *look, PIX *img, int x1, int y1, int x2, int y2, double xh);

/* The word of `look` as an 8-bit image to read again, on a white margin:
 * other lines and the dust above the word removed. NULL on failure. */
PIX *ocr_mark_clip(PIX *img, const ocr_mark_look *look, l_int32 margin);
/* Readings of the word of `look` (ink reaching the rectangle's edges, the
 * neighbours', whitened) to try against dust read into it: one without each
 * of its specks (components under 0.7 x-height across and down, up to 6),
 * one without them all when there are several, and one with them all; each
 * on a white margin. Stores up to max in out[] and returns how many. */
int ocr_speck_variants(PIX *img, const ocr_mark_look *look, l_int32 margin, PIX **out, int max);

/* Whether two words have the same letters, marks (tones, circumflex, breve,
 * horn) aside; đ is a letter of its own. */
int ocr_same_letters(const char *a, const char *b);

/* Levenshtein distance between two words over code points (128 when one
 * is longer than that or not UTF-8). */
int ocr_word_distance(const char *a, const char *b);

/* Index just past the block that starts at line `first`: a block is a run
 * of consecutive lines with the same `block` value. */
size_t ocr_block_end(const sohoa_ocr_page *p, size_t first);

/* `b` clipped to the page (0 ≤ x, x + w ≤ width, same for y), sizes ≥ 0. */
sohoa_box ocr_box_clip(const sohoa_ocr_page *p, sohoa_box b);

/* The smallest box holding the clipped boxes of the lines [first, end) that
 * have words; *found is 0 when none has. */
sohoa_box ocr_lines_box(const sohoa_ocr_page *p, size_t first, size_t end, int *found);

/* A confidence in 0..100 as a decimal in 0..1 with up to three digits
 * ("0.935", "1", "0"), whatever the locale; out-of-range and NaN values are
 * clamped (NaN to 0). Returns buf. */
const char *ocr_format_unit(char buf[8], float confidence);

/* ------------------------------------- intake (probe.c, decode.c, pdf_in.c) */
/* Silences the decoders' own error printing (Leptonica, libtiff) once per
 * process: sohoa reports through sohoa_error_set instead. */
void ocr_quiet_decoders(void);

/* Identifies the file at `path` by its first bytes, after checking that it is
 * a regular file within lim->max_image_bytes. Errors name the file, as
 * sohoa_ocr_probe. */
int ocr_identify(sohoa_image_format *format, const char *path, const sohoa_limits *lim);

/* sohoa_ocr_probe for a PDF: structure, declared image sizes and page count
 * within the caps; width, height and resolution of page 1 as it will be
 * rendered (see ocr_pdf_decode); bits_per_pixel 24. */
int ocr_pdf_probe(sohoa_ocr_image_info *out, const char *path, const sohoa_limits *lim);

/* Renders page `page` (0-based) of a PDF on white into a 32 bpp PIX whose
 * resolution is set to the dpi used: a page that is one image (a scan) at
 * that image's own resolution clamped to 150..600 dpi, anything else at 300.
 * The pixel cap applies to the rendered size, checked before rendering; *info
 * describes the rendered page (xres = dpi used). Errors name the file and
 * page: SOHOA_EFORMAT (damaged, truncated, no pages), SOHOA_EUNSUPPORTED
 * (encrypted, or an image size not written plainly), SOHOA_ELIMIT (pages,
 * rendered pixels, a declared image), SOHOA_EINVAL (no such page). */
int ocr_pdf_decode(PIX **out, const char *path, size_t page, const sohoa_limits *lim,
		   sohoa_ocr_image_info *info);

/* Pixel sizes a PDF declares for its image XObjects, read from their
 * dictionaries without decoding anything (see check.c for what it misses),
 * and whether it is encrypted. */
typedef struct {
	uint32_t width, height;
} ocr_pdf_image;

#define OCR_PDF_MAX_SIZES 64

typedef struct {
	ocr_pdf_image sizes[OCR_PDF_MAX_SIZES]; /* distinct sizes, in file order */
	size_t count;
	int overflow;          /* more distinct sizes than kept */
	ocr_pdf_image largest; /* by pixel count; 0x0 when none */
	size_t unsized;        /* images whose size is not given plainly */
	int encrypted;         /* a trailer names an /Encrypt dictionary */
} ocr_pdf_images;

int ocr_pdf_scan_images(ocr_pdf_images *out, const char *path);

#endif
