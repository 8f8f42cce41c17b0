/* ocr/engine.c: one worker's Tesseract handles and the recognition of one
 * page: decode, orientation, cleaning, recognition, words with boxes mapped
 * back to the original page. */
#include "ocr/ocr_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <tesseract/capi.h>
#include <time.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

struct sohoa_ocr_engine {
	TessBaseAPI *api; /* recognition, e.g. "vie" */
	TessBaseAPI *osd; /* orientation and script detection */
	sohoa_ocr_options opt;
	char languages[64];
};

sohoa_ocr_options sohoa_ocr_options_default(void)
{
	return (sohoa_ocr_options){.languages = "vie", .dpi = 0, .limits = sohoa_limits_default()};
}

static TessBaseAPI *tess_open(const char *lang)
{
	TessBaseAPI *api = TessBaseAPICreate();
	if (!api)
		return NULL;
	/* Tesseract writes diagnostics to stderr unless told otherwise. */
	TessBaseAPISetVariable(api, "debug_file", "/dev/null");
	if (TessBaseAPIInit2(api, NULL, lang, strcmp(lang, "osd") ? OEM_LSTM_ONLY : OEM_DEFAULT) !=
	    0) {
		TessBaseAPIDelete(api);
		return NULL;
	}
	TessBaseAPISetVariable(api, "debug_file", "/dev/null");
	return api;
}

int sohoa_ocr_engine_new(sohoa_ocr_engine **out, const sohoa_ocr_options *opt)
{
	sohoa_ocr_engine *e = calloc(1, sizeof *e);

	*out = NULL;
	if (!e)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	e->opt = *opt;
	snprintf(e->languages, sizeof e->languages, "%s",
		 opt->languages && *opt->languages ? opt->languages : "vie");
	e->opt.languages = e->languages;
	e->api = tess_open(e->languages);
	if (!e->api) {
		sohoa_ocr_engine_free(e);
		return sohoa_error_set(SOHOA_EDEPENDENCY,
				       _("Tesseract cannot load language '%s' (install "
					 "tesseract-ocr-vie / -eng)"),
				       opt->languages);
	}
	TessBaseAPISetPageSegMode(e->api, PSM_AUTO);
	/* Pages are cleaned to black on white: trying each doubtful line again
	 * inverted (Tesseract's default) only costs time. */
	TessBaseAPISetVariable(e->api, "tessedit_do_invert", "0");
	/* Office documents are set in proportional fonts: Tesseract's search for
	 * fixed-pitch rows cost ~3% of recognition and found none. */
	TessBaseAPISetVariable(e->api, "textord_all_prop", "1");
	e->osd = tess_open("osd");
	if (!e->osd) {
		sohoa_ocr_engine_free(e);
		return sohoa_error_set(
			SOHOA_EDEPENDENCY,
			_("Tesseract cannot load 'osd' (install tesseract-ocr-osd)"));
	}
	TessBaseAPISetPageSegMode(e->osd, PSM_OSD_ONLY);
	*out = e;
	return 0;
}

void sohoa_ocr_engine_free(sohoa_ocr_engine *e)
{
	if (!e)
		return;
	if (e->api) {
		TessBaseAPIEnd(e->api);
		TessBaseAPIDelete(e->api);
	}
	if (e->osd) {
		TessBaseAPIEnd(e->osd);
		TessBaseAPIDelete(e->osd);
	}
	free(e);
}

void sohoa_ocr_page_free(sohoa_ocr_page *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->word_count; i++)
		free(p->words[i].text);
	free(p->words);
	free(p->lines);
	free(p->text);
	free(p->source);
	free(p);
}

/* Milliseconds on a monotonic clock, for the per-stage timings at -v -v. */
static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* Orientation from the shapes of the letters (Leptonica's count of
 * ascender and descender patterns, in the four turns): Vietnamese, with its
 * marks above the letters, leans heavily one way. Returns clockwise degrees
 * to turn the page upright, or -1 when the evidence is weak; *guess gets the
 * turn the shapes lean to when they lean at all (else -1).
 * Upright against upside down is taken from a lean of 8 (twice the other
 * axis). Below that the shapes only guess, and OSD decides (the guess
 * orders a trial when OSD is unsure too): a sharp upright page in a heavy
 * sans, blurred and thresholded dark (letters run together), leaned 4.6 the
 * wrong way, and upside-down pages lean 4.5 to 6.5, upright ones 3 to 8;
 * OSD got all of them right. A trial alone did not: a sparse form upside
 * down read better upright (894 against 188). A quarter turn is taken
 * from 7: pages leaning 3.6 and 4.7 that way (twice and eight times the
 * other axis) were upright and upside down, the weakest right call seen
 * being 7.0. */
static int rotation_from_shapes(PIX *bin, int *guess)
{
	const float strong_up = 8.0f, weak_up = 3.0f, strong_left = 7.0f, ratio = 2.0f;
	/* Shapes counted on an axis before it may lean: Leptonica's default of
	 * 70 let a four-line strip in DejaVu Sans lean 5.1 the wrong way,
	 * turned or not (OSD gets it right). On the 129 dev pages no call
	 * changes: the same pages go on to OSD. */
	const l_int32 min_shapes = 200;
	l_float32 up = 0, left = 0;

	*guess = -1;
	if (pixOrientDetect(bin, &up, &left, min_shapes, 0) != 0)
		return -1;
	sohoa_log_debug("letter shapes: up %.2f, left %.2f", up, left);
	/* Leptonica gives exactly 0 when it counted too few shapes to say; a
	 * sparse page (a few form rows) can then lean hard on the other axis
	 * for no reason. Decide only when both axes were measured. */
	if (up == 0.0f || left == 0.0f)
		return -1;
	if (fabsf(up) >= weak_up && fabsf(up) >= ratio * fabsf(left)) {
		*guess = up > 0 ? 0 : 180;
		return fabsf(up) >= strong_up ? *guess : -1;
	}
	if (fabsf(left) >= strong_left && fabsf(left) >= ratio * fabsf(up))
		return left > 0 ? 90 : 270;
	return -1;
}

/* Top of the band of `rows` rows holding the most ink. OSD and the
 * recognition trial read only such a band (recognition costs in proportion
 * to the text read), and the densest band of a sparse form is still its
 * text, not its margins. */
static l_int32 densest_band(PIX *bin, l_int32 rows)
{
	NUMA *ink = pixCountPixelsByRow(bin, NULL);
	l_int32 n = ink ? numaGetCount(ink) : 0, best = 0;
	l_float32 sum = 0, most = -1, v;

	for (l_int32 y = 0; y < n; y++) {
		numaGetFValue(ink, y, &v);
		sum += v;
		if (y >= rows) {
			numaGetFValue(ink, y - rows, &v);
			sum -= v;
		}
		if (y + 1 >= rows && sum > most) {
			most = sum;
			best = y + 1 - rows;
		}
	}
	numaDestroy(&ink);
	return best;
}

/* Rows in a band of 1/`part` of the page, but at least `least` rows (an
 * inch or two: a few lines of text, whole) and at most the page. A band
 * of a small slip would otherwise cut its one or two lines in half. */
static l_int32 band_rows(PIX *pix, l_int32 part, l_int32 least)
{
	l_int32 h = pixGetHeight(pix), rows = h / part;
	rows = rows > least ? rows : least;
	return rows < h ? rows : h;
}

/* Tesseract's OSD classifies at most five times this many letters of the
 * page (its min_characters_to_try; Tesseract's default is 50). */
#define OSD_LETTERS       50
#define OSD_QUICK_LETTERS 20

/* Tesseract's OSD on the inkiest band of the binarised page, classifying up
 * to 5 × `letters` letters: sets *deg to the clockwise turn that makes the
 * page upright and *conf to OSD's confidence (its lead of the best turn over
 * the next, a sum over the letters classified, so it grows with their
 * number); 0 when it read Latin script, -1 otherwise. */
static int run_osd(sohoa_ocr_engine *e, PIX *bin, int dpi, int letters, int *deg, float *conf)
{
	int turned = 0;
	float sconf = 0;
	const char *script = NULL;
	char n[16];
	double t0 = now_ms();

	l_int32 h = band_rows(bin, 3, 2 * dpi);
	BOX *band = boxCreate(0, densest_band(bin, h), pixGetWidth(bin), h);
	PIX *crop = band ? pixClipRectangle(bin, band, NULL) : NULL;

	boxDestroy(&band);
	snprintf(n, sizeof n, "%d", letters);
	TessBaseAPISetVariable(e->osd, "min_characters_to_try", n);
	TessBaseAPISetImage2(e->osd, crop ? crop : bin);
	pixDestroy(&crop);
	TessBaseAPISetSourceResolution(e->osd, dpi);
	*conf = 0;
	if (!TessBaseAPIDetectOrientationScript(e->osd, &turned, conf, &script, &sconf))
		turned = 0;
	TessBaseAPIClear(e->osd);
	sohoa_log_debug("OSD (%d letters): orientation %d, confidence %.2f, script %s (%.0f ms)",
			5 * letters, turned, *conf, script ? script : "?", now_ms() - t0);
	/* Tesseract reports how far the text is turned clockwise from upright;
	 * the page is made upright by turning it the rest of the way round. */
	*deg = (360 - turned % 360) % 360;
	return script && strcmp(script, "Latin") == 0 ? 0 : -1;
}

/* Tesseract's OSD on the binarised page: clockwise degrees to turn it upright,
 * or -1 when unsure; *guess gets its answer even then. `lean` is the turn
 * the letter shapes lean to without deciding, or -1.
 *
 * A quick run classifies 100 letters, the first 100 of the full run's 250
 * (Tesseract samples them in a fixed order), in about 80 ms against 200,
 * so its confidence is the full run's part way. Its answer stands when it
 * is sure for 100 letters (2, against 4 for 250), or fairly sure (1.5)
 * and agreeing with the shapes; otherwise the full run decides. On the 187
 * dev and bench pages OSD ran on 82; the quick run gave the full run's
 * answer on all of them and was sure enough on 67 (OSD time 16.3 s → 9.5 s). */
static int detect_rotation(sohoa_ocr_engine *e, PIX *bin, int dpi, int lean, int *guess)
{
	float conf;
	if (run_osd(e, bin, dpi, OSD_QUICK_LETTERS, guess, &conf) == 0 &&
	    (conf >= 2.0f || (conf >= 1.5f && *guess == lean)))
		return *guess;
	if (run_osd(e, bin, dpi, OSD_LETTERS, guess, &conf) < 0 || conf < 4.0f)
		return -1; /* unsure: let recognition decide */
	return *guess;
}

/* Weight of the confident words Tesseract read in the page's current image:
 * the confidence of each word of two letters or more read at 60 or better.
 * Dust read as "." or "-" and turned lines read as "l", "I" or "|" weigh
 * nothing, however sure Tesseract is of them. */
static long reading_score(TessBaseAPI *api)
{
	TessResultIterator *it = TessBaseAPIGetIterator(api);
	long score = 0;
	if (!it)
		return 0;
	do {
		float conf = TessResultIteratorConfidence(it, RIL_WORD);
		char *text = conf >= 60 ? TessResultIteratorGetUTF8Text(it, RIL_WORD) : NULL;
		if (text && ocr_letters_in(text) >= 2)
			score += lroundf(conf);
		TessDeleteText(text);
	} while (TessResultIteratorNext(it, RIL_WORD));
	TessResultIteratorDelete(it);
	return score;
}

/* Reads the inkiest eighth of the page turned by q quarter turns clockwise. */
static long trial_score(sohoa_ocr_engine *e, PIX *bin, int dpi, int q)
{
	PIX *r = pixRotateOrth(bin, q);
	l_int32 w = r ? pixGetWidth(r) : 0, h = r ? band_rows(r, 8, dpi) : 0;
	BOX *band = r ? boxCreate(0, densest_band(r, h), w, h) : NULL;
	PIX *crop = r && band ? pixClipRectangle(r, band, NULL) : NULL;
	long score = 0;
	double t0 = now_ms();

	if (crop) {
		TessBaseAPISetImage2(e->api, crop);
		TessBaseAPISetSourceResolution(e->api, dpi);
		if (TessBaseAPIRecognize(e->api, NULL) == 0)
			score = reading_score(e->api);
		TessBaseAPIClear(e->api);
	}
	sohoa_log_debug("orientation trial %d°: score %ld (%.0f ms)", q * 90, score, now_ms() - t0);
	pixDestroy(&crop);
	boxDestroy(&band);
	pixDestroy(&r);
	return score;
}

/* Orientation by trial, when neither the letter shapes nor OSD are sure
 * (faded or sparse pages): reads the inkiest band of the page in the guess
 * (the shapes' weak lean, else OSD's) and the opposite turn; when one reads
 * well over twice as well as the other the axis is right and it wins, else
 * the other two turns are read too and the best of the four wins. On the
 * dev pages the unsure guess was right every time, so two partial
 * recognitions usually settle it instead of four. */
static int rotation_by_recognition(sohoa_ocr_engine *e, PIX *bin, int dpi, int guess)
{
	long score[4] = {0};
	int order[4], best;

	/* One block, read horizontally: in its automatic mode Tesseract would find
	 * and read vertical lines too, and score a turned page as well. */
	TessBaseAPISetPageSegMode(e->api, PSM_SINGLE_BLOCK);
	for (int i = 0; i < 4; i++)
		order[i] = (guess / 90 + (i == 1 ? 2 : i == 2 ? 1 : i)) % 4;
	for (int i = 0; i < 4; i++) {
		score[order[i]] = trial_score(e, bin, dpi, order[i]);
		if (i == 1) {
			long a = score[order[0]], b = score[order[1]];
			if (a > 5 * 60 && a > 5 * b / 2)
				return order[0] * 90;
			if (b > 5 * 60 && b > 5 * a / 2)
				return order[1] * 90;
		}
	}
	best = order[0];
	for (int i = 1; i < 4; i++)
		if (score[order[i]] > score[best])
			best = order[i];
	return best * 90;
}

static int add_word(sohoa_ocr_page *p, size_t *cap, const char *text, sohoa_box box, float conf)
{
	char *nfc;
	int rc = sohoa_utf8_nfc(&nfc, text, strlen(text));

	if (rc < 0)
		return rc;
	if (p->word_count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		sohoa_ocr_word *w = realloc(p->words, ncap * sizeof *w);
		if (!w) {
			free(nfc);
			return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		}
		p->words = w;
		*cap = ncap;
	}
	p->words[p->word_count++] = (sohoa_ocr_word){nfc, box, conf};
	return 0;
}

static int add_line(sohoa_ocr_page *p, size_t *cap, size_t first)
{
	if (p->line_count == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		sohoa_ocr_line *l = realloc(p->lines, ncap * sizeof *l);
		if (!l)
			return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		p->lines = l;
		*cap = ncap;
	}
	p->lines[p->line_count++] = (sohoa_ocr_line){.first_word = first};
	return 0;
}

/* Whether a word is only marks that specks are read as (degree sign,
 * asterisk, quotes and accents on their own, underscore, a lone dot or comma).
 * None of these stands alone in Vietnamese administrative text, and Tesseract
 * is sure of them (confidence 70-96), so confidence cannot tell. A run of
 * three or more dots stays: forms have dotted leaders. */
static int is_speck_reading(const char *text)
{
	static const uint32_t marks[] = {0xB0,   '*',    '`',  '\'',   '"',  0x2018, 0x2019,
					 0x201C, 0x201D, '_',  '~',    '^',  0xAE,   0xA9,
					 0xB8,   0xA8,   0xB4, 0x2022, 0xB7, '.',    ','};
	size_t n = 0, dots = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; n++) {
		uint32_t c = *p++;
		if (c >= 0xC0) { /* decode the rest of a UTF-8 sequence */
			int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
			c &= 0x3F >> more;
			for (; more > 0 && (*p & 0xC0) == 0x80; more--)
				c = (c << 6) | (*p++ & 0x3F);
		}
		size_t k = 0;
		while (k < sizeof marks / sizeof *marks && marks[k] != c)
			k++;
		if (k == sizeof marks / sizeof *marks)
			return 0;
		dots += c == '.' || c == ',';
	}
	return n > 0 && !(dots == n && n >= 3);
}

/* A document number or code under dust is read at confidence 0-20
 * ("24/2014/TT-BTNMT", "43/2014/NĐ-CP") with its digits right or nearly so;
 * on the seven dev sets no junk reading had this many digits. */
#define NUMBER_DIGITS 4

int ocr_is_noise(const char *text, float conf)
{
	int alnum = 0, digits = 0;
	if (is_speck_reading(text))
		return 1;
	for (const char *d = text; *d; d++)
		digits += *d >= '0' && *d <= '9';
	if (digits >= NUMBER_DIGITS)
		return 0;
	for (const unsigned char *p = (const unsigned char *)text; *p && !alnum; p++) {
		if ((*p >= '0' && *p <= '9') || ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z'))
			alnum = 1;
		else if (*p >= 0xC3 && *p <= 0xC6) /* Latin-1 / Extended-A letters */
			alnum = 1;
		else if (*p == 0xE1 && (p[1] == 0xBA || p[1] == 0xBB)) /* U+1E80..U+1EFF */
			alnum = 1;
	}
	if (!alnum)
		return conf < 60.0f;
	return conf < 20.0f && !ocr_word_plausible(text);
}

/* A symbol's box in the recognised image: left, top, right, bottom. */
typedef struct {
	int x1, y1, x2, y2;
} sym_box;

/* A word to read again with the mark that stands over it (ocr_cut_mark). */
typedef struct {
	size_t word; /* index into page->words */
	ocr_mark_look look;
} mark_look;

typedef struct {
	mark_look *at;
	size_t count, cap;
} mark_looks;

/* A capital or digit is 1/0.72 of an x-height tall (0.69 in Liberation
 * Serif, 0.72 in Liberation Sans, 0.75 in DejaVu Sans). */
#define CAP_TO_X 0.72

/* The line a word was read in: its x-height (0 when unknown, and then no
 * glyph is looked at), its baseline (x1, y1, x2, y2) and the image read;
 * `known`, the x-height of the page's last line that could tell. */
typedef struct {
	double xh;
	int bl[4];
	PIX *img;
	double known;
} line_ctx;

/* What reading a page carries from one region or table cell to the next:
 * the line (its image, and the last x-height known) and the words to read
 * again for the marks over them. */
typedef struct {
	line_ctx line;
	mark_looks looks;
	mark_looks specks;
	size_t *maybe_commas; /* words ending in a stop shaped like a comma */
	size_t maybe_count, maybe_cap;
} page_reading;

/* Sets the x-height and baseline of the text line the iterator is at, for
 * telling punctuation from specks and looking at marks: the median height
 * of its plain x-height letters, or, in a line with fewer than three (a
 * heading in capitals, a line of codes), of its plain capitals and digits
 * scaled down. A line with too few of either to say (or one whose x-height
 * comes out under 4 pixels) takes the x-height of the page's last line
 * that could: a page keeps one size of text, and a table cell's second
 * line "(m²)" or a line of digits has no letters to measure (its "²" went
 * unread: "(m?)", "(m°)"). The x-height is 0 when no line could tell yet,
 * or the line has no baseline. */
static void line_metrics(TessResultIterator *at, line_ctx *ln)
{
	TessResultIterator *it = TessResultIteratorCopy(at);
	TessPageIterator *pi = it ? TessResultIteratorGetPageIterator(it) : NULL;
	int h[64], n = 0, H[64], N = 0, *bl = ln->bl;
	double xh = 0;

	ln->xh = 0;
	if (!it)
		return;
	if (!TessPageIteratorBaseline(pi, RIL_TEXTLINE, &bl[0], &bl[1], &bl[2], &bl[3])) {
		TessResultIteratorDelete(it);
		return;
	}
	do {
		sym_box b;
		char *t = TessResultIteratorGetUTF8Text(it, RIL_SYMBOL);
		if (t && t[0] && !t[1] &&
		    TessPageIteratorBoundingBox(pi, RIL_SYMBOL, &b.x1, &b.y1, &b.x2, &b.y2)) {
			if (strchr("acemnorsuvwxz", t[0]) && n < 64)
				h[n++] = b.y2 - b.y1;
			else if (strchr("ABDEHKLMNRTUVXZ0123456789", t[0]) && N < 64)
				H[N++] = b.y2 - b.y1;
		}
		TessDeleteText(t);
	} while (!TessPageIteratorIsAtFinalElement(pi, RIL_TEXTLINE, RIL_SYMBOL) &&
		 TessResultIteratorNext(it, RIL_SYMBOL));
	TessResultIteratorDelete(it);
	if (n >= 3)
		xh = ocr_median(h, (size_t)n);
	else if (N >= 3)
		xh = CAP_TO_X * ocr_median(H, (size_t)N);
	if (xh >= 4)
		ln->known = xh;
	ln->xh = ln->known;
}

/* Whether a symbol read as a dot, comma or hyphen is where no such mark
 * sits: a dot or comma floating above the baseline, a "hyphen" as tall as it
 * is wide. Specks between words are read so and glue the words together
 * ("tờ.pháp"); real marks keep their place. Only a box small enough to be the
 * mark alone is judged (LSTM symbol boxes can take in the next letter). */
static int is_speck_mark(const char *t, sym_box b, double xh, double base)
{
	int w = b.x2 - b.x1, h = b.y2 - b.y1;

	if (w > 0.6 * xh || h > 0.6 * xh)
		return 0;
	if (!strcmp(t, ".") || !strcmp(t, ","))
		return b.y2 < base - OCR_STOP_LIFT * xh;
	if (!strcmp(t, "-"))
		return w < 1.3 * h || b.y2 < base - 0.9 * xh || b.y1 > base - 0.1 * xh;
	return 0;
}

/* What a symbol is beside a mark between two words: 'l' a lower-case
 * letter, 'U' an upper-case one, 'd' a digit, 0 anything else. */
static char sym_kind(const char *t)
{
	int32_t i = 0, len = (int32_t)strnlen(t, 4);
	UChar32 u;
	U8_NEXT(t, i, len, u);
	if (u < 0)
		return 0;
	if (u_isdigit(u))
		return 'd';
	return !u_isalpha(u) ? 0 : u_isupper(u) ? 'U' : 'l';
}

/* Where symbol i of a word stands for the space between two words, read
 * as the speck in it or with a mark before it: SPACE_SPECK when the symbol
 * is a speck (dropped), SPACE_AFTER when it is a real colon whose space was
 * not read (kept, and the word cut after it), 0 when it belongs to the
 * word. Measured on the dev pages, words with a mark inside between:
 * - two letters, a dot, comma, colon or semicolon: a speck ("CỘNG.HÒA");
 * - a lower-case letter and a digit, a dot or comma: a speck ("tháng.10",
 *   "15.ngày": 25 of 25), where between two digits it is a number's
 *   ("86,4", "000.31") and a digit and a capital a code's ("01.H58");
 * - two lower-case letters, a hyphen: a speck ("sách-các", 7 of 7), where
 *   capitals are joined so ("TT-BTNMT", "NĐ-CP");
 * - letters or digits, a quote or degree sign: a speck ("ghi'bằng", 12 of
 *   12; Vietnamese has no apostrophe);
 * - a letter and a digit, a colon: a colon ("số:245", 8 of 10).
 * An address keeps its dots (`address`). */
enum { SPACE_SPECK = 1, SPACE_AFTER = 2 };

static int space_mark(char *const *sym, int n, int i, int address)
{
	static const char *const quotes[] = {"'", "\"", "`", "‘", "’", "“", "”", "°"};
	const char *t = sym[i];
	if (i == 0 || i + 1 >= n)
		return 0;
	char a = sym_kind(sym[i - 1]), b = sym_kind(sym[i + 1]);
	if (!a || !b)
		return 0;
	for (size_t k = 0; k < sizeof quotes / sizeof *quotes; k++)
		if (!strcmp(t, quotes[k]))
			return SPACE_SPECK;
	if (t[0] == 0 || t[1] || !strchr(".,:;-", t[0]))
		return 0;
	int letters = a != 'd' && b != 'd';
	if (t[0] == '-')
		return a == 'l' && b == 'l' ? SPACE_SPECK : 0;
	if (t[0] == ':' && a != 'd' && b == 'd')
		return SPACE_AFTER;
	if (address)
		return 0;
	if (letters || (strchr(".,", t[0]) && ((a == 'l' && b == 'd') || (a == 'd' && b == 'l'))))
		return SPACE_SPECK;
	return 0;
}

/* Whether a symbol ends on the baseline: a letter or digit with no
 * descender and no dot below. */
static int sits_on_baseline(const char *t)
{
	const unsigned char *u = (const unsigned char *)t;
	if (!*u)
		return 0;
	if (!u[1])
		return (*u >= '0' && *u <= '9') ||
		       (((*u | 0x20) >= 'a' && (*u | 0x20) <= 'z') && !strchr("gjpqyQ", *u));
	/* Vietnamese letters whose foot is below the line: those with a dot
	 * below, and the accented y's (a descender). */
	static const char *const below[] = {"ạ", "ậ", "ặ", "ẹ", "ệ", "ị", "ọ", "ộ", "ợ", "ụ",
					    "ự", "ỵ", "Ạ", "Ậ", "Ặ", "Ẹ", "Ệ", "Ị", "Ọ", "Ộ",
					    "Ợ", "Ụ", "Ự", "Ỵ", "ỹ", "ỳ", "ỷ", "ý", "Ý"};
	for (size_t i = 0; i < sizeof below / sizeof *below; i++)
		if (!strcmp(t, below[i]))
			return 0;
	return *u >= 0xC3; /* another accented Latin letter */
}

/* The line's baseline at column x. */
static double line_base_at(const int bl[4], double x)
{
	if (bl[2] == bl[0])
		return bl[1];
	return bl[1] + (double)(bl[3] - bl[1]) * (x - bl[0]) / (bl[2] - bl[0]);
}

/* Adds a word, unless it reads as noise (and is not `sure`), to the page's
 * last line. With the line's x-height and baseline known, a dot below read
 * where the image has none under the word goes (ocr_dot_below_check). */
static int keep_word(sohoa_ocr_page *p, size_t *wcap, const char *text, sym_box b, float conf,
		     const ocr_geometry *g, int sure, const line_ctx *ln)
{
	int rc;
	char *fixed = NULL;
	if (!*text || p->line_count == 0 || (!sure && ocr_is_noise(text, conf)))
		return 0;
	if (ln->xh > 0)
		fixed = ocr_dot_below_check(ln->img, text, b.x1, b.x2, ln->xh,
					    line_base_at(ln->bl, (b.x1 + b.x2) / 2.0));
	rc = add_word(p, wcap, fixed ? fixed : text,
		      ocr_map_box(g, b.x1, b.y1, b.x2 - b.x1, b.y2 - b.y1), conf);
	free(fixed);
	if (rc == 0)
		p->lines[p->line_count - 1].word_count++;
	return rc;
}

/* The baseline under symbol i of a word: the foot of a neighbouring letter
 * that sits on it, else the line's baseline at that point. */
static double baseline_at(char *const *sym, const sym_box *sb, int n, int i, const int bl[4])
{
	if (i > 0 && sits_on_baseline(sym[i - 1]))
		return sb[i - 1].y2;
	if (i + 1 < n && sits_on_baseline(sym[i + 1]))
		return sb[i + 1].y2;
	return line_base_at(bl, (sb[i].x1 + sb[i].x2) / 2.0);
}

/* Whether symbol i of a word follows a unit of length that takes a power:
 * the word so far is "m", "cm", "dm", "km" or "mm", after a bracket maybe. */
static int after_unit(char *const *sym, int i)
{
	int k = i - 1;
	if (k < 0 || strcmp(sym[k], "m"))
		return 0;
	if (k > 0 && sym[k - 1][0] && !sym[k - 1][1] && strchr("cdkm", sym[k - 1][0]))
		k--;
	return k == 0 || (k == 1 && (sym[0][0] == '(' || sym[0][0] == '['));
}

/* What the mark read as `t` right after an "m" (box m) stands for when it
 * is raised: the square or cube of an area or volume (m², m³), whatever the
 * LSTM read it as ("2", "?", "°", "'", "ê" — the model has no superscripts).
 * The first glyph right of the "m" in the recognised image is looked at, not
 * the symbol's box, which can take in a comma after it. NULL when that
 * glyph comes down to the baseline or is not there. */
static const char *unit_power(PIX *img, const char *t, sym_box m, double xh, double base)
{
	if (!img)
		return NULL;
	l_int32 w = pixGetWidth(img), h = pixGetHeight(img), bits = pixGetDepth(img);
	l_int32 y0 = (l_int32)(base - 1.8 * xh), y1 = (l_int32)(base + 0.3 * xh);
	l_int32 x = m.x2 + 1, xmax = m.x2 + (l_int32)(1.2 * xh), low = -1;
	int started = 0;

	y0 = y0 < 0 ? 0 : y0;
	y1 = y1 < h ? y1 : h - 1;
	for (; x < w && x <= xmax; x++) {
		l_int32 bottom = -1;
		for (l_int32 y = y0; y <= y1; y++) {
			l_uint32 v;
			pixGetPixel(img, x, y, &v);
			if (bits == 1 ? v != 0 : v < 128)
				bottom = y;
		}
		if (bottom < 0 && started)
			break; /* the glyph ends */
		if (bottom >= 0) {
			started = 1;
			low = bottom > low ? bottom : low;
		}
	}
	if (!started || low > base - 0.35 * xh)
		return NULL;
	return strcmp(t, "3") ? "²" : "³";
}

/* The full stops of a word's symbols: how many, which of them (bit k for
 * the k-th, up to 32) the image shows to be commas, and whether the word
 * ends in one that may be a comma (ocr_stop_shape). */
typedef struct {
	int dots;
	unsigned commas;
	int maybe;
} word_stops;

/* The word's text with the stops that are commas put right, in place, when
 * the text has as many stops as its symbols (the LSTM's word text and its
 * symbols can differ: "Thành" whose symbols spell "Thàhnh"). */
static void put_commas(char *text, const word_stops *stops)
{
	int k = 0;
	for (const char *s = text; (s = strchr(s, '.')); s++)
		k++;
	if (k != stops->dots)
		return;
	k = 0;
	for (char *s = text; (s = strchr(s, '.')); s++, k++)
		if (k < 32 && (stops->commas >> k & 1u))
			*s = ',';
}

/* Adds the word the iterator is at, its speck marks dropped (a speck inside
 * the word splits it in two, and so does a colon whose space went unread),
 * the power of a unit written as such and marks the LSTM misread put right
 * (ocr_mark_check). When the line's x-height is unknown, only the marks
 * that stand for a space (space_mark) are looked for. Returns 1 when the
 * word has none of these (the caller adds it whole, with the commas read as
 * full stops that *stops names put right: put_commas). */
static int add_despeckled(sohoa_ocr_page *p, size_t *wcap, TessResultIterator *at, float conf,
			  const ocr_geometry *g, const line_ctx *ln, word_stops *stops)
{
	const double xh = ln->xh;
	const int *bl = ln->bl;
	PIX *img = ln->img;
	enum { MAXSYM = 64 };
	TessResultIterator *it = TessResultIteratorCopy(at);
	TessPageIterator *pi = it ? TessResultIteratorGetPageIterator(it) : NULL;
	char *sym[MAXSYM];
	const char *as[MAXSYM] = {0}; /* what symbol i stands for, when not itself */
	sym_box sb[MAXSYM];
	int n = 0, specks = 0, powers = 0, marks = 0, rc = 0;
	char speck[MAXSYM] = {0};

	if (!it)
		return 1;
	do {
		char *t = TessResultIteratorGetUTF8Text(it, RIL_SYMBOL);
		if (t && n < MAXSYM &&
		    TessPageIteratorBoundingBox(pi, RIL_SYMBOL, &sb[n].x1, &sb[n].y1, &sb[n].x2,
						&sb[n].y2))
			sym[n++] = t;
		else
			TessDeleteText(t);
	} while (!TessPageIteratorIsAtFinalElement(pi, RIL_WORD, RIL_SYMBOL) &&
		 TessResultIteratorNext(it, RIL_SYMBOL));
	TessResultIteratorDelete(it);
	/* An e-mail or web address keeps its dots: a word with "@" or "/", or
	 * of ASCII without capitals ("dichvucong.gov.vn"). */
	int address = 0, plain = 1;
	for (int i = 0; i < n; i++) {
		unsigned char c = (unsigned char)sym[i][0];
		address |= c == '@' || c == '/';
		plain &= c < 0x80 && !(c >= 'A' && c <= 'Z');
	}
	address |= plain;
	for (int i = 0; i < n; i++) {
		/* A power ends the unit's word: no letter or digit follows it
		 * ("mọi" read with its "ọ" raised was "m²i"). */
		if (xh > 0 && after_unit(sym, i) && !strchr(",.;:)", sym[i][0]) &&
		    (i + 1 == n || !sym_kind(sym[i + 1])) &&
		    (as[i] = unit_power(img, sym[i], sb[i - 1], xh,
					baseline_at(sym, sb, n, i, bl)))) {
			powers++;
			continue;
		}
		if (xh > 0 && (as[i] = ocr_mark_check(img, sym[i], sb[i].x1, sb[i].x2, xh,
						      baseline_at(sym, sb, n, i, bl)))) {
			marks++;
			continue;
		}
		speck[i] = (char)space_mark(sym, n, i, address);
		if (!speck[i] && xh > 0 && sym[i][0] && !sym[i][1] && strchr(".,:;-", sym[i][0])) {
			double base = baseline_at(sym, sb, n, i, bl);
			/* A word's last stop or comma that seems to float may
			 * sit on the letters' feet after all: the box of the
			 * letter before it took in a speck under it ("1." at
			 * a list's head was read "1"). */
			speck[i] = (char)(is_speck_mark(sym[i], sb[i], xh, base) &&
					  !(i == n - 1 && strchr(".,", sym[i][0]) &&
					    ocr_mark_on_feet(img, sb[i].x1, sb[i].y2, xh, base)));
		}
		if (!strcmp(sym[i], ":") && i == n - 1 && xh > 0 && !speck[i] &&
		    ocr_colon_is_specks(img, sb[i].x1, sb[i].x2, xh,
					baseline_at(sym, sb, n, i, bl)))
			speck[i] = SPACE_SPECK;
		if (!strcmp(sym[i], ";") && i == n - 1 && xh > 0 && !speck[i] &&
		    ocr_semicolon_is_comma(img, sb[i].x1, sb[i].x2, xh,
					   baseline_at(sym, sb, n, i, bl))) {
			as[i] = ",";
			marks++;
			continue;
		}
		if (!strcmp(sym[i], ".")) {
			int shape = speck[i] || xh <= 0
					    ? 0
					    : ocr_stop_shape(img, sb[i].x1, sb[i].x2, xh,
							     baseline_at(sym, sb, n, i, bl));
			if (shape == OCR_COMMA) {
				as[i] = ",";
				if (stops->dots < 32)
					stops->commas |= 1u << stops->dots;
			}
			stops->maybe = shape == OCR_COMMA_MAYBE && i == n - 1;
			stops->dots++;
			/* A speck beside the last letter, read as a stop. */
			if (!shape && !speck[i] && xh > 0 && i == n - 1 &&
			    ocr_stop_is_dust(img, sb[i].x1, sb[i].x2, xh,
					     baseline_at(sym, sb, n, i, bl)))
				speck[i] = SPACE_SPECK;
		}
		specks += speck[i] != 0;
	}
	if (specks || powers || marks) {
		char part[256];
		size_t len = 0;
		sym_box box = {0};
		int sure = 0; /* a unit with its power is a reading, however unsure */
		for (int i = 0; i <= n && rc == 0; i++) {
			int drop = i == n || speck[i] == SPACE_SPECK;
			if (drop || (i > 0 && speck[i - 1] == SPACE_AFTER)) {
				part[len] = 0;
				rc = keep_word(p, wcap, part, box, conf, g, sure, ln);
				len = 0;
				sure = 0;
				if (drop)
					continue;
			}
			const char *t = as[i] ? as[i] : sym[i];
			sure |= as[i] && (!strcmp(as[i], "²") || !strcmp(as[i], "³"));
			size_t tl = strlen(t);
			if (len + tl >= sizeof part)
				continue;
			if (len == 0)
				box = sb[i];
			box = (sym_box){sb[i].x1 < box.x1 ? sb[i].x1 : box.x1,
					sb[i].y1 < box.y1 ? sb[i].y1 : box.y1,
					sb[i].x2 > box.x2 ? sb[i].x2 : box.x2,
					sb[i].y2 > box.y2 ? sb[i].y2 : box.y2};
			memcpy(part + len, t, tl);
			len += tl;
		}
	}
	for (int i = 0; i < n; i++)
		TessDeleteText(sym[i]);
	return specks || powers || marks ? rc : 1;
}

/* Room for one more of `size` bytes in the array *at holding `count` of
 * *cap (doubled when full, from `first`). */
static int make_room(void **at, size_t *cap, size_t count, size_t size, size_t first)
{
	if (count < *cap)
		return 0;
	size_t ncap = *cap ? 2 * *cap : first;
	void *grown = realloc(*at, ncap * size);
	if (!grown)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	*at = grown;
	*cap = ncap;
	return 0;
}

static int push_look(mark_looks *looks, mark_look look)
{
	void *at = looks->at;
	int rc = make_room(&at, &looks->cap, looks->count, sizeof look, 32);
	looks->at = at;
	if (rc == 0)
		looks->at[looks->count++] = look;
	return rc;
}

/* Reads `clip` (consumed) as one line: its text (NFC, malloc'd, trailing
 * spaces and newlines cut) and mean confidence; NULL when nothing was read
 * or out of memory (*rc < 0 then). */
static char *read_clip(TessBaseAPI *api, PIX *clip, int *conf, int *rc)
{
	char *t = NULL, *nfc = NULL;
	TessBaseAPISetImage2(api, clip);
	TessBaseAPISetSourceResolution(api, 300);
	if (TessBaseAPIRecognize(api, NULL) == 0)
		t = TessBaseAPIGetUTF8Text(api);
	*conf = TessBaseAPIMeanTextConf(api);
	pixDestroy(&clip);
	size_t n = t ? strlen(t) : 0;
	while (n && (t[n - 1] == '\n' || t[n - 1] == ' '))
		t[--n] = 0;
	if (t)
		*rc = sohoa_utf8_nfc(&nfc, t, n);
	TessDeleteText(t);
	return nfc;
}

/* Notes word `word` (box b in img) for a second reading when a mark
 * stands over it that its reading left out. */
static int note_look(mark_looks *looks, size_t word, PIX *img, sym_box b, double xh)
{
	ocr_mark_look look;
	if (!ocr_cut_mark(&look, img, b.x1, b.y1, b.x2, b.y2, xh))
		return 0;
	return push_look(looks, (mark_look){word, look});
}

/* Whether `now` puts a hook over an i that `was` had plain: the `vie`
 * model's known misreading of a dotted i (see ocr_mark_check). */
static int hook_on_i(const char *was, const char *now)
{
	return (strstr(now, "ỉ") || strstr(now, "Ỉ")) && !strstr(was, "ỉ") && !strstr(was, "Ỉ");
}

/* Whether a second reading `now` (confidence conf) of a word first read
 * `was` (confidence was_conf) should stand: only its marks differ, it is
 * sure (85 or more, and not less sure than the first bar 3) and puts no
 * hook over an i (the model's known misreading of a dotted one). On 107
 * dev pages the second readings changed the marks of 73 words, 58 right and
 * 13 wrong; every wrong one was unsure, a hook on an i or D for Đ. With
 * these rules 3 wrong changes remained against 53 right (and 2 that the truth
 * could not tell). */
static int better_marks(const char *was, float was_conf, const char *now, int conf)
{
	return conf >= 85 && conf + 3 >= was_conf && strcmp(now, was) &&
	       ocr_same_letters(now, was) && ocr_word_plausible(now) && !hook_on_i(was, now);
}

/* Reads again each word noted by note_look, alone, with the marks over it
 * and without the lines above and below (as one line, so its marks are
 * its own); the second reading replaces the first where better_marks says. */
static int reread_marks(sohoa_ocr_page *p, TessBaseAPI *api, PIX *img, const mark_looks *looks)
{
	int rc = 0;
	TessBaseAPISetPageSegMode(api, PSM_SINGLE_LINE);
	for (size_t i = 0; i < looks->count && rc == 0; i++) {
		sohoa_ocr_word *w = &p->words[looks->at[i].word];
		PIX *clip = ocr_mark_clip(img, &looks->at[i].look, 12);
		int conf;
		char *nfc = clip ? read_clip(api, clip, &conf, &rc) : NULL;
		if (nfc) {
			int take = better_marks(w->text, w->confidence, nfc, conf);
			sohoa_log_debug("mark look: \"%s\" (%.0f) read again \"%s\" (%d)%s",
					w->text, w->confidence, nfc, conf, take ? ", taken" : "");
			if (take) {
				free(w->text);
				w->text = nfc;
				w->confidence = (float)conf;
				nfc = NULL;
			}
		}
		free(nfc);
	}
	return rc;
}

/* Whether t is one to three small ASCII letters, a stop after them or not:
 * a unit or an abbreviation ("cm", "kg", "ha"), which read alone becomes a
 * word ("cm" as "em"). */
static int is_unit(const char *t)
{
	size_t n = 0;
	while (t[n] >= 'a' && t[n] <= 'z')
		n++;
	return n >= 1 && n <= 3 && (!t[n] || (strchr(".,;:", t[n]) && !t[n + 1]));
}

/* Whether word w is to be read again without the dust in it: no syllable
 * reads so (a speck in a word or between two is read as a letter, a mark
 * or punctuation: "nhâtï", "địnhidanh", "ĐinhVMănHùng"). A word that reads
 * as Vietnamese is left alone: on the dev pages, reading those again
 * without their specks took real marks off more often than dust. So are
 * words without letters (numbers, dashes), over SPECK_LONGEST letters long
 * (codes, addresses) or read SPECK_DOUBT sure: leaving them out on the dev
 * sets took 55% of the second readings away and 4% of what they put right. */
#define SPECK_DOUBT   95
#define SPECK_LONGEST 12

static int speck_doubt(const sohoa_ocr_word *w)
{
	return w->confidence < SPECK_DOUBT && !ocr_word_plausible(w->text) && !is_unit(w->text) &&
	       ocr_letters_in(w->text) && ocr_code_points(w->text) <= SPECK_LONGEST;
}

/* Notes word `word` (box b in the image read, the neighbours' boxes kept
 * out of it) for that reading. */
static int note_speck(mark_looks *looks, size_t word, sym_box b, double xh)
{
	enum { MARGIN = 2 };
	return push_look(looks, (mark_look){word,
					    {b.x1 - MARGIN, b.y1 - MARGIN, b.x2 - b.x1 + 2 * MARGIN,
					     b.y2 - b.y1 + 2 * MARGIN, b.y1, xh}});
}

/* The box of the word the iterator is at, cut back so that it takes in
 * none of its neighbours on the line (an LSTM word box can reach over the
 * next word); prev_x2 is the right edge of the word before (-1 for none). */
static sym_box own_box(TessResultIterator *at, sym_box b, int prev_x2)
{
	enum { GAP = 3 };
	TessResultIterator *it = TessResultIteratorCopy(at);
	TessPageIterator *pi = it ? TessResultIteratorGetPageIterator(it) : NULL;
	sym_box n;
	if (pi && TessResultIteratorNext(it, RIL_WORD) &&
	    !TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE) &&
	    TessPageIteratorBoundingBox(pi, RIL_WORD, &n.x1, &n.y1, &n.x2, &n.y2) &&
	    n.x1 - GAP < b.x2)
		b.x2 = n.x1 - GAP;
	if (it)
		TessResultIteratorDelete(it);
	if (prev_x2 >= 0 && prev_x2 + GAP > b.x1)
		b.x1 = prev_x2 + GAP;
	return b;
}

/* Whether every space-separated part of t reads as Vietnamese. */
static int parts_plausible(const char *t)
{
	char buf[512];
	size_t n = strlen(t);
	int parts = 0;
	if (n >= sizeof buf)
		return 0;
	memcpy(buf, t, n + 1);
	for (char *save = NULL, *w = strtok_r(buf, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		if (!ocr_word_plausible(w))
			return 0;
		parts++;
	}
	return parts > 0;
}

/* A second reading of a word noted by note_speck stands when it reads as
 * Vietnamese (each word of it, when the dust had glued words together),
 * is sure (SPECK_SURE or more, and not less than the first) and is the
 * best of the readings tried, each scored by its confidence less
 * SPECK_CHANGE points per letter it changes: a reading that only drops the
 * dust beats one that also changes the letters around it. On the seven
 * dev sets 785 words were read again and 180 changed: 185 letters of
 * error fewer, 9 words worse ("cm" read alone is "em", hence is_unit). */
#define SPECK_SURE   80
#define SPECK_CHANGE 3

/* Reads the word of look again in each way ocr_speck_variants gives;
 * returns the best reading that may stand (malloc'd, NFC) and its
 * confidence, or NULL. */
static char *speck_reading(TessBaseAPI *api, PIX *img, const mark_look *look,
			   const sohoa_ocr_word *w, int *conf_out)
{
	enum { MAX_VARIANTS = 8 };
	PIX *v[MAX_VARIANTS];
	int n = ocr_speck_variants(img, &look->look, 12, v, MAX_VARIANTS), best_score = INT32_MIN;
	char *best = NULL;

	for (int k = 0; k < n; k++) {
		int conf, rc = 0;
		char *nfc = read_clip(api, v[k], &conf, &rc);
		if (nfc && strcmp(nfc, w->text) && parts_plausible(nfc) && conf >= SPECK_SURE &&
		    conf >= w->confidence) {
			int score = conf - SPECK_CHANGE * ocr_word_distance(w->text, nfc);
			sohoa_log_debug("speck look: \"%s\" (%.0f) read again \"%s\" (%d)", w->text,
					w->confidence, nfc, conf);
			if (score > best_score) {
				free(best);
				best = nfc;
				best_score = score;
				*conf_out = conf;
				nfc = NULL;
			}
		}
		free(nfc);
	}
	return best;
}

/* Puts the second readings fix[i] (NULL to keep word looks->at[i].word)
 * in place, each with the box of its look (of the image read) and its
 * confidence; one of several words takes a share of that box in
 * proportion to its code points (ocr_split_words). */
static int put_speck_readings(sohoa_ocr_page *p, const mark_looks *looks, char **fix,
			      const int *conf, const ocr_geometry *g)
{
	char **spaced = calloc(p->word_count + 1, sizeof *spaced);
	if (!spaced)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	for (size_t k = 0; k < looks->count; k++) {
		size_t w = looks->at[k].word;
		if (!fix[k] || (k > 0 && looks->at[k - 1].word == w))
			continue; /* a word's first look counts */
		const ocr_mark_look *l = &looks->at[k].look;
		p->words[w].box = ocr_map_box(g, l->x, l->y, l->w, l->h);
		p->words[w].confidence = (float)conf[k];
		spaced[w] = fix[k];
	}
	int rc = ocr_split_words(p, spaced, g->rotation);
	free(spaced);
	return rc;
}

/* Reads each word noted by note_speck again, alone and without each of the
 * specks in it in turn, and keeps the best reading that may stand. */
static int reread_specks(sohoa_ocr_page *p, TessBaseAPI *api, PIX *img, const mark_looks *looks,
			 const ocr_geometry *g)
{
	char **fix = calloc(looks->count + 1, sizeof *fix);
	int *conf = calloc(looks->count + 1, sizeof *conf), rc = 0, any = 0;
	if (!fix || !conf) {
		free(fix);
		free(conf);
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	}
	TessBaseAPISetPageSegMode(api, PSM_SINGLE_LINE);
	for (size_t i = 0; i < looks->count; i++) {
		fix[i] = speck_reading(api, img, &looks->at[i], &p->words[looks->at[i].word],
				       &conf[i]);
		any |= fix[i] != NULL;
	}
	if (any)
		rc = put_speck_readings(p, looks, fix, conf, g);
	for (size_t i = 0; i < looks->count; i++)
		free(fix[i]);
	free(fix);
	free(conf);
	return rc;
}

/* Notes word `word` as ending in a stop that may be a comma. */
static int note_maybe_comma(page_reading *r, size_t word)
{
	void *at = r->maybe_commas;
	int rc = make_room(&at, &r->maybe_cap, r->maybe_count, sizeof word, 16);
	r->maybe_commas = at;
	if (rc == 0)
		r->maybe_commas[r->maybe_count++] = word;
	return rc;
}

/* A word noted as ending in a stop shaped like a comma (OCR_COMMA_MAYBE)
 * that a word in small letters follows on its line ends in a comma: no
 * sentence ends there (and a stop before a small letter would go as dust:
 * ocr_layout). With the sure commas (OCR_COMMA), 84 commas were put back
 * on the dev pages and none wrong. */
static void put_maybe_commas(sohoa_ocr_page *p, const page_reading *r)
{
	size_t line = 0;
	for (size_t k = 0; k < r->maybe_count; k++) {
		size_t w = r->maybe_commas[k];
		while (line < p->line_count &&
		       p->lines[line].first_word + p->lines[line].word_count <= w)
			line++;
		if (line == p->line_count)
			break;
		const sohoa_ocr_line *l = &p->lines[line];
		if (w < l->first_word || w + 1 >= l->first_word + l->word_count)
			continue;
		char *t = p->words[w].text;
		size_t n = strlen(t);
		int32_t at = 0;
		UChar32 c;
		U8_NEXT((const uint8_t *)p->words[w + 1].text, at, -1, c);
		if (n >= 2 && t[n - 1] == '.' && t[n - 2] != '.' && u_islower(c))
			t[n - 1] = ',';
	}
}

/* Collects words (grouped in Tesseract's text lines) with boxes in original
 * page coordinates. one_line: append every word to the page's last line (a
 * table row) instead of following Tesseract's lines. r: the page's reading,
 * its line's image the one that was read, for a look at a glyph where the
 * reading is in doubt. */
static int collect(sohoa_ocr_page *p, size_t *wcap, size_t *lcap, TessBaseAPI *api,
		   const ocr_geometry *g, int block, int one_line, page_reading *r)
{
	TessResultIterator *it = TessBaseAPIGetIterator(api);
	line_ctx *ln = &r->line;
	int rc = 0, prev_x2 = -1;

	if (!it)
		return 0; /* empty page */
	do {
		TessPageIterator *pi = TessResultIteratorGetPageIterator(it);
		sym_box b;
		char *text;
		if (TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE)) {
			line_metrics(it, ln);
			prev_x2 = -1;
			if (!one_line) {
				rc = add_line(p, lcap, p->word_count);
				if (rc < 0)
					break;
				p->lines[p->line_count - 1].block = block;
			}
		}
		if (!TessPageIteratorBoundingBox(pi, RIL_WORD, &b.x1, &b.y1, &b.x2, &b.y2))
			continue;
		float conf = TessResultIteratorConfidence(it, RIL_WORD);
		word_stops stops = {0, 0, 0};
		size_t before = p->word_count;
		rc = add_despeckled(p, wcap, it, conf, g, ln, &stops);
		if (rc == 1) {
			text = TessResultIteratorGetUTF8Text(it, RIL_WORD);
			if (text && stops.commas)
				put_commas(text, &stops);
			rc = text ? keep_word(p, wcap, text, b, conf, g, 0, ln) : 0;
			TessDeleteText(text);
			if (rc == 0 && ln->xh > 0 && p->word_count == before + 1)
				rc = note_look(&r->looks, before, ln->img, b, ln->xh);
			if (rc == 0 && ln->xh > 0 && p->word_count == before + 1 &&
			    speck_doubt(&p->words[before]))
				rc = note_speck(&r->specks, before, own_box(it, b, prev_x2),
						ln->xh);
		}
		if (rc == 0 && stops.maybe && p->word_count > before)
			rc = note_maybe_comma(r, p->word_count - 1);
		prev_x2 = b.x2;
		if (rc < 0)
			break;
	} while (TessResultIteratorNext(it, RIL_WORD));
	TessResultIteratorDelete(it);
	return rc;
}

/* Reads one rectangle of the cleaned page, clipped to the page; 1 when
 * nothing of it is on the page. */
static int read_rect(TessBaseAPI *api, PIX *clean, l_int32 x, l_int32 y, l_int32 w, l_int32 h)
{
	if (!ocr_clip_rect(&x, &y, &w, &h, pixGetWidth(clean), pixGetHeight(clean)))
		return 1;
	TessBaseAPISetRectangle(api, x, y, w, h);
	if (TessBaseAPIRecognize(api, NULL) != 0)
		return sohoa_error_set(SOHOA_EDEPENDENCY, _("recognition failed"));
	return 0;
}

/* Reads a ruled table row by row: each cell on its own (inside its rules),
 * all cells of a row making one line, left to right. */
static int read_table(sohoa_ocr_page *p, size_t *wcap, size_t *lcap, TessBaseAPI *api,
		      const ocr_table *t, const ocr_geometry *g, int block, page_reading *rd)
{
	PIX *clean = rd->line.img;
	const int inset = 4;
	int rc = 0;
	for (l_int32 r = 0; r + 1 < numaGetCount(t->rows) && rc == 0; r++) {
		l_int32 y0, y1;
		numaGetIValue(t->rows, r, &y0);
		numaGetIValue(t->rows, r + 1, &y1);
		rc = add_line(p, lcap, p->word_count);
		if (rc < 0)
			break;
		p->lines[p->line_count - 1].block = block;
		for (l_int32 k = 0; k + 1 < numaGetCount(t->cols) && rc == 0; k++) {
			l_int32 x0, x1;
			numaGetIValue(t->cols, k, &x0);
			numaGetIValue(t->cols, k + 1, &x1);
			if (x1 - x0 <= 2 * inset || y1 - y0 <= 2 * inset)
				continue;
			rc = read_rect(api, clean, x0 + inset, y0 + inset, x1 - x0 - 2 * inset,
				       y1 - y0 - 2 * inset);
			if (rc == 0)
				rc = collect(p, wcap, lcap, api, g, block, 1, rd);
			else if (rc > 0)
				rc = 0;
		}
	}
	return rc;
}

/* Reads each region as one block of text (tables cell by cell), in reading
 * order. */
static int recognise_regions(sohoa_ocr_page *p, TessBaseAPI *api, PIX *clean, BOXA *regions,
			     const int *is_table, const ocr_table *tables, const ocr_geometry *g)
{
	size_t wcap = 0, lcap = 0;
	page_reading rd = {.line = {.img = clean}};
	int rc = 0;

	TessBaseAPISetImage2(api, clean);
	TessBaseAPISetSourceResolution(api, 300);
	TessBaseAPISetPageSegMode(api, PSM_SINGLE_BLOCK);
	for (l_int32 i = 0; i < boxaGetCount(regions) && rc == 0; i++) {
		l_int32 r[4];
		if (is_table[i]) {
			rc = read_table(p, &wcap, &lcap, api, &tables[is_table[i] - 1], g, (int)i,
					&rd);
			continue;
		}
		ocr_region_rect(r, regions, is_table, i, 12);
		sohoa_log_debug("region %d: %d,%d %dx%d", (int)i, r[0], r[1], r[2], r[3]);
		rc = read_rect(api, clean, r[0], r[1], r[2], r[3]);
		if (rc == 0)
			rc = collect(p, &wcap, &lcap, api, g, (int)i, 0, &rd);
		else if (rc > 0)
			rc = 0;
	}
	if (rc == 0)
		rc = reread_marks(p, api, clean, &rd.looks);
	if (rc == 0)
		put_maybe_commas(p, &rd); /* before word indices change */
	if (rc == 0)
		rc = reread_specks(p, api, clean, &rd.specks, g);
	free(rd.looks.at);
	free(rd.specks.at);
	free(rd.maybe_commas);
	return rc;
}

/* The page's mean word confidence and whether a clerk should check it: no
 * text, a mean under SOHOA_OCR_REVIEW_THRESHOLD, or (`vie`: Vietnamese was
 * read) a page whose marks were lost. Tesseract reads such a page's letters
 * with confidence, marks gone ("Cong hoa xa hoi"); what tells it is the
 * share of syllables written bare, a sixth or fifth on Vietnamese pages,
 * a quarter and more on those (SOHOA_OCR_BARE_MAX). */
static void summarise(sohoa_ocr_page *p, int vie)
{
	double sum = 0;
	size_t syllables = 0, bare = 0;
	for (size_t i = 0; i < p->word_count; i++) {
		int b = vie ? ocr_bare_syllable(p->words[i].text) : -1;
		sum += p->words[i].confidence;
		syllables += b >= 0;
		bare += b == 1;
	}
	p->mean_confidence = p->word_count ? (float)(sum / p->word_count) : 0.0f;
	p->needs_review = p->word_count == 0 || p->mean_confidence < SOHOA_OCR_REVIEW_THRESHOLD;
	if (syllables >= SOHOA_OCR_BARE_MIN &&
	    (double)bare > SOHOA_OCR_BARE_MAX * (double)syllables) {
		sohoa_log_debug("%s: page %zu: %zu of %zu syllables have no mark", p->source,
				p->page + 1, bare, syllables);
		p->needs_review = 1;
	}
}

/* For tuning: with SOHOA_OCR_DEBUG_DIR set, saves `pix` (if any) there as
 * <file>-<page><suffix>.png. */
static void debug_image(const char *path, size_t page, const char *suffix, PIX *pix)
{
	const char *dir = getenv("SOHOA_OCR_DEBUG_DIR"), *base = strrchr(path, '/');
	char *name = NULL;
	if (dir && pix &&
	    asprintf(&name, "%s/%s-%zu%s.png", dir, base ? base + 1 : path, page + 1, suffix) > 0)
		pixWrite(name, pix, IFF_PNG);
	free(name);
}

int sohoa_ocr_recognize(sohoa_ocr_page **out, sohoa_ocr_engine *e, const char *path, size_t page)
{
	sohoa_ocr_image_info info;
	ocr_geometry g = {0};
	PIX *orig = NULL, *gray = NULL, *norm = NULL, *bin = NULL, *upright = NULL, *clean = NULL;
	PIX *bin_upright = NULL, *masked = NULL;
	PIX *hrules = NULL, *vrules = NULL;
	BOXA *regions = NULL;
	int *is_table = NULL;
	ocr_table *tables = NULL;
	size_t ntables = 0;
	sohoa_ocr_page *p = NULL;
	int rc;

	int guess = 0, lean = -1;
	double t0 = now_ms(), t_dec, t_clean, t_osd, t_fin, t_reg;

	*out = NULL;
	rc = ocr_decode(&orig, path, page, &e->opt.limits, &info);
	if (rc < 0)
		return rc;
	p = calloc(1, sizeof *p);
	if (!p || !(p->source = strdup(path))) {
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		goto cleanup;
	}
	p->page = page;
	t_dec = now_ms();
	ocr_lines_raw(1);
	g.orig_w = (uint32_t)pixGetWidth(orig);
	g.orig_h = (uint32_t)pixGetHeight(orig);
	gray = ocr_to_gray(orig);
	if (gray)
		ocr_choose_dpi(&g, gray, info.xres, e->opt.dpi);
	norm = gray ? ocr_normalise(gray, &g) : NULL;
	bin = norm ? ocr_analysis_binary(norm) : NULL;
	if (!bin) {
		rc = sohoa_error_set(SOHOA_EFORMAT, _("%s: page %zu: cannot clean the image"), path,
				     page + 1);
		goto cleanup;
	}
	t_clean = now_ms();
	g.rotation = rotation_from_shapes(bin, &lean);
	if (g.rotation < 0)
		g.rotation = detect_rotation(e, bin, 150, lean, &guess);
	if (g.rotation < 0)
		g.rotation = rotation_by_recognition(e, bin, 150, lean >= 0 ? lean : guess);
	t_osd = now_ms();
	upright = g.rotation ? pixRotateOrth(norm, g.rotation / 90) : pixClone(norm);
	bin_upright = g.rotation ? pixRotateOrth(bin, g.rotation / 90) : pixClone(bin);
	clean = upright && bin_upright
			? ocr_finish(upright, bin_upright, &g, &hrules, &vrules, &masked)
			: NULL;
	if (!clean) {
		rc = sohoa_error_set(SOHOA_EFORMAT, _("%s: page %zu: cannot clean the image"), path,
				     page + 1);
		goto cleanup;
	}
	t_fin = now_ms();
	debug_image(path, page, "", clean); /* what layout sees */
	debug_image(path, page, "-read", masked);
	rc = ocr_find_tables(&tables, &ntables, hrules, vrules);
	if (rc == 0)
		rc = ocr_regions(&regions, &is_table, clean, g.letter, tables, ntables);
	if (rc < 0)
		goto cleanup;
	t_reg = now_ms();
	if (getenv("SOHOA_OCR_DEBUG_DIR")) {
		PIX *c32 = pixConvertTo32(clean);
		PIX *drawn = c32 ? pixDrawBoxaRandom(c32, regions, 3) : NULL;
		debug_image(path, page, "-regions", drawn);
		pixDestroy(&drawn);
		pixDestroy(&c32);
	}
	rc = recognise_regions(p, e->api, masked ? masked : clean, regions, is_table, tables, &g);
	if (rc < 0) {
		sohoa_error_prefix("%s: page %zu: ", path, page + 1);
		goto cleanup;
	}
	p->width = g.orig_w;
	p->height = g.orig_h;
	p->dpi = g.dpi;
	p->dpi_declared = g.dpi_declared;
	p->dpi_estimated = g.dpi_estimated;
	p->rotation = g.rotation;
	p->skew = g.skew;
	int vie = strstr(e->languages, "vie") != NULL;
	ocr_tidy_words(p, vie);
	ocr_drop_noise_lines(p);
	summarise(p, vie);
	rc = ocr_layout(p);
	sohoa_log_debug("%s: page %zu: decode %.0f ms, normalise %.0f, orientation %.0f, "
			"deskew+clean %.0f, regions %.0f (%d), recognition %.0f",
			path, page + 1, t_dec - t0, t_clean - t_dec, t_osd - t_clean, t_fin - t_osd,
			t_reg - t_fin, (int)boxaGetCount(regions), now_ms() - t_reg);
cleanup:
	ocr_lines_raw(0);
	TessBaseAPIClear(e->api);
	pixDestroy(&orig);
	pixDestroy(&gray);
	pixDestroy(&norm);
	pixDestroy(&bin);
	pixDestroy(&upright);
	pixDestroy(&bin_upright);
	pixDestroy(&masked);
	pixDestroy(&clean);
	boxaDestroy(&regions);
	pixDestroy(&hrules);
	pixDestroy(&vrules);
	free(is_table);
	ocr_tables_free(tables, ntables);
	if (rc < 0) {
		sohoa_ocr_page_free(p);
		return rc;
	}
	*out = p;
	return 0;
}
