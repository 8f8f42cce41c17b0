/* ocr/marks.c: a second look, in the image Tesseract read, at marks the
 * `vie` model is known to get wrong.
 *
 * The hook above an i: the model reads the dot of a plain i as a hook
 * ("chi" as "chỉ", "Đinh" as "Đỉnh") even on clean text in common fonts
 * (Liberation, DejaVu, Free). A dot is small, round and about as wide as
 * the stem; a hook is larger and open.
 *
 * The dot below: on worn pages the model reads "Đinh" as "Định", and the
 * accent of a capital on the next, tight line as a dot under this one. A
 * word read with one dot below whose image has no ink at all under its
 * letters loses it.
 *
 * Only a clear picture changes a reading: when no stem can be found, more
 * than one mark stands over it, or anything at all is under the letters,
 * the reading stands. The LSTM's symbol boxes and baselines can be a third
 * of an x-height off, so they only place the look; the stem and its mark,
 * and the letters' feet, are found in the image. */
#include "ocr/ocr_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A connected component of a clip: its box (clip coordinates) and ink. */
typedef struct {
	l_int32 x, y, w, h, ink;
} comp;

enum { MAX_COMPS = 32 };

/* The components of img's rectangle (x, y, w, h), clipped to the image, at
 * most max of them; *ox, *oy the clip's corner. Returns the count, or
 * -1 when the rectangle is empty or has too many to judge. */
static int components(comp *out, int max, PIX *img, l_int32 x, l_int32 y, l_int32 w, l_int32 h,
		      l_int32 *ox, l_int32 *oy)
{
	if (!ocr_clip_rect(&x, &y, &w, &h, pixGetWidth(img), pixGetHeight(img)))
		return -1;
	*ox = x;
	*oy = y;
	BOX *r = boxCreate(x, y, w, h);
	PIX *clip = r ? pixClipRectangle(img, r, NULL) : NULL;
	PIX *bin = NULL;
	PIXA *pixa = NULL;
	BOXA *boxa = NULL;
	int n = -1;

	boxDestroy(&r);
	if (!clip)
		return -1;
	bin = pixGetDepth(clip) == 1 ? pixClone(clip) : pixConvertTo1(clip, 128);
	if (bin)
		boxa = pixConnComp(bin, &pixa, 8);
	if (boxa && pixa) {
		l_int32 count = boxaGetCount(boxa);
		if (count <= max) {
			n = 0;
			for (l_int32 i = 0; i < count; i++) {
				comp *c = &out[n];
				PIX *p = pixaGetPix(pixa, i, L_CLONE);
				boxaGetBoxGeometry(boxa, i, &c->x, &c->y, &c->w, &c->h);
				c->ink = 0;
				if (p)
					pixCountPixels(p, &c->ink, NULL);
				pixDestroy(&p);
				n++;
			}
		}
	}
	boxaDestroy(&boxa);
	pixaDestroy(&pixa);
	pixDestroy(&bin);
	pixDestroy(&clip);
	return n;
}

/* Whether a component is a dot: compact (neither long nor thin, at least
 * `fill` of its box inked) and no wider or taller than `size`. A round dot
 * fills about 0.79 of its box. */
static int is_dot(const comp *c, double size, double fill)
{
	l_int32 lo = c->w < c->h ? c->w : c->h, hi = c->w < c->h ? c->h : c->w;
	return hi <= size && hi <= 1.8 * lo + 1 && c->ink >= fill * c->w * c->h;
}

/* Whether component c of a clip whose top is at oy crosses the row y: a
 * letter of the line whose middle that row is, not of the line above or
 * below. */
static int across(const comp *c, l_int32 oy, double y)
{
	return oy + c->y <= y && oy + c->y + c->h > y;
}

/* What an i read with a hook above ("ỉ") is when the mark over its stem is
 * a dot: "i". NULL when it is a hook or the picture is unclear. The line's
 * baseline only places the look: the LSTM's boxes and baselines can be a
 * third of an x-height off, so the stem is found in the image. */
static const char *hook_above_i(PIX *img, l_int32 x1, l_int32 x2, double xh, double base)
{
	comp c[MAX_COMPS];
	l_int32 ox, oy, pad = (l_int32)(0.3 * xh);
	l_int32 top = (l_int32)floor(base - 2.4 * xh);
	int n = components(c, MAX_COMPS, img, x1 - pad, top, x2 - x1 + 2 * pad,
			   (l_int32)ceil(base + 0.6 * xh) - top, &ox, &oy);
	const comp *stem = NULL;

	/* The stem: x-height tall, narrow (serifs and all), the one nearest
	 * the box's left edge, where the LSTM puts the letter. */
	for (int i = 0; i < n; i++) {
		if (c[i].w > 0.62 * xh || c[i].h < 0.7 * xh || c[i].h > 1.25 * xh ||
		    !across(&c[i], oy, base - 0.5 * xh))
			continue;
		if (!stem || abs(ox + c[i].x - x1) < abs(ox + stem->x - x1))
			stem = &c[i];
	}
	if (!stem)
		return NULL;
	/* The mark: wholly above the stem, over it, within an x-height. */
	const comp *mark = NULL;
	for (int i = 0; i < n; i++) {
		const comp *m = &c[i];
		l_int32 centre = m->x + m->w / 2;
		if (m == stem || m->y + m->h > stem->y || stem->y - (m->y + m->h) > 0.8 * xh ||
		    centre < stem->x - 0.25 * xh || centre > stem->x + stem->w + 0.25 * xh)
			continue;
		if (mark) /* two marks over one stem: not a plain picture */
			return NULL;
		mark = m;
	}
	if (!mark)
		return NULL;
	/* A dot is about as wide as the stroke (the stem's mean width) and
	 * round; a hook half as wide again and open (0.55-0.63 of its box
	 * inked in the common fonts). */
	return is_dot(mark, 1.35 * stem->ink / stem->h + 1, 0.7) ? "i" : NULL;
}

const char *ocr_mark_check(PIX *img, const char *sym, int x1, int x2, double xh, double base)
{
	if (!img || xh < 6 || x2 <= x1)
		return NULL;
	if (!strcmp(sym, "ỉ"))
		return hook_above_i(img, x1, x2, xh, base);
	return NULL;
}

/* Letters with a dot below (none with a descender: a y's tail would fill
 * the band looked at) and what they are without it. */
static const char *const dotted[][2] = {{"ạ", "a"}, {"ặ", "ă"}, {"ậ", "â"}, {"ẹ", "e"}, {"ệ", "ê"},
					{"ị", "i"}, {"ọ", "o"}, {"ộ", "ô"}, {"ợ", "ơ"}, {"ụ", "u"},
					{"ự", "ư"}, {"Ạ", "A"}, {"Ặ", "Ă"}, {"Ậ", "Â"}, {"Ẹ", "E"},
					{"Ệ", "Ê"}, {"Ị", "I"}, {"Ọ", "O"}, {"Ộ", "Ô"}, {"Ợ", "Ơ"},
					{"Ụ", "U"}, {"Ự", "Ư"}};

/* Whether a word has ink below the line for another reason than a dot:
 * a letter with a descender (g j p q y and the y's with tones), a comma,
 * a bracket, a slash, or a combining dot the table does not know. */
static int reaches_below(const char *w)
{
	static const char *const tails[] = {"ý", "ỳ", "ỷ", "ỹ", "ỵ",       "Ý",
					    "Ỳ", "Ỷ", "Ỹ", "Ỵ", "\xcc\xa3" /* U+0323 */};
	if (strpbrk(w, "gjpqyQ,;()[]{}/|_$@"))
		return 1;
	for (size_t i = 0; i < sizeof tails / sizeof *tails; i++)
		if (strstr(w, tails[i]))
			return 1;
	return 0;
}

/* The row of the letters' feet in a profile of ink per row (h rows): the
 * letters are the tallest run of inked rows; their feet, the last row of
 * their body (half an x-height of rows each inked at least half the run's
 * median) before the ink falls under half the median. A dot run into its
 * letter is narrower than the letters above it, so it falls below the
 * feet. -1 when there is no such body. */
static l_int32 letters_foot(const l_int32 *ink, l_int32 h, double xh)
{
	l_int32 run0 = -1, run1 = -1, *sorted, median, row;
	for (l_int32 r = 0, start = -1; r <= h; r++) {
		if (r < h && ink[r] > 0) {
			start = start < 0 ? r : start;
			continue;
		}
		if (start >= 0 && r - start > run1 - run0) {
			run0 = start;
			run1 = r;
		}
		start = -1;
	}
	if (run0 < 0 || run1 - run0 < 0.6 * xh)
		return -1;
	sorted = malloc((size_t)(run1 - run0) * sizeof *sorted);
	if (!sorted)
		return -1;
	memcpy(sorted, ink + run0, (size_t)(run1 - run0) * sizeof *sorted);
	median = ocr_median(sorted, (size_t)(run1 - run0));
	free(sorted);
	/* The body: the first half x-height of rows all inked at least half
	 * the median (above it: accents, the tops of capitals and ascenders). */
	l_int32 body = (l_int32)ceil(0.5 * xh), kept = 0;
	for (row = run0; row < run1 && kept < body; row++)
		kept = 2 * ink[row] >= median ? kept + 1 : 0;
	if (kept < body)
		return -1;
	while (row < run1 && 2 * ink[row] >= median)
		row++;
	return row - 1;
}

/* The ink of each of the h rows of img's rectangle (x, y, w, h), which
 * lies inside the image (darker than 128 in gray); NULL when memory runs
 * out. The caller frees it. */
static l_int32 *row_ink(PIX *img, l_int32 x, l_int32 y, l_int32 w, l_int32 h)
{
	l_int32 *ink = calloc((size_t)h, sizeof *ink), depth = pixGetDepth(img),
		wpl = pixGetWpl(img);
	if (!ink)
		return NULL;
	for (l_int32 r = 0; r < h; r++) {
		const l_uint32 *line = pixGetData(img) + (size_t)(y + r) * wpl;
		for (l_int32 k = x; k < x + w; k++)
			ink[r] += depth == 1 ? (l_int32)GET_DATA_BIT(line, k)
					     : GET_DATA_BYTE(line, k) < 128;
	}
	return ink;
}

/* Whether all the ink in the rows y0..y1 under a word (columns x to
 * x + w - 1) belongs to the line below, set close: its letters that reach
 * up into those rows, and marks over them — pieces that start in the rows,
 * are no taller than half an x-height, are no round dot and have a letter
 * under them within 0.3 x-height (the tone marks and circumflexes of
 * "PHƯỜNG BẾN NGHÉ" right under "ỦY BAN NHÂN DÂN", which the model read as
 * a dot below: "BẠN"). A dot below is round and has the gap between the
 * lines under it. */
static int marks_of_next_line(PIX *img, l_int32 x, l_int32 y0, l_int32 w, l_int32 y1, double xh)
{
	comp c[MAX_COMPS];
	l_int32 ox, oy, below = (l_int32)ceil(1.6 * xh);
	int n = components(c, MAX_COMPS, img, x, y0, w, y1 - y0 + 1 + below, &ox, &oy), marks = 0;
	if (n <= 0 || oy != y0)
		return 0;
	for (int i = 0; i < n; i++) {
		const comp *m = &c[i];
		if (m->y > y1 - y0 || (m->y > 0 && m->h >= 0.6 * xh))
			continue; /* under the rows looked at, or a letter of the line below */
		if (m->y == 0 || m->h > 0.5 * xh || is_dot(m, 0.5 * xh, 0.6))
			return 0; /* from the word itself, more than a mark, or a dot */
		int carried = 0;
		for (int k = 0; k < n && !carried; k++) {
			const comp *l = &c[k];
			carried = k != i && l->h >= 0.6 * xh && l->y >= m->y &&
				  l->y - (m->y + m->h) <= 0.3 * xh &&
				  l->y + l->h >= m->y + m->h + 0.5 * xh && l->x < m->x + m->w &&
				  m->x < l->x + l->w;
		}
		if (!carried)
			return 0;
		marks++;
	}
	return marks > 0;
}

/* Whether the image has no ink under a word's letters where a dot below
 * would be: from 0.1 to 0.6 x-height under their feet, or only the line
 * below's (marks_of_next_line). The look spans the word's box widened by
 * 0.4 x-height (the box can miss the last letter's dot) and the rows from
 * 1.6 x-height above the line's baseline to 1.2 below it, since that
 * baseline can be a third of an x-height off: in a line with descenders,
 * or with a rule under it (the motto's), which the feet are found above. */
static int nothing_below(PIX *img, l_int32 x1, l_int32 x2, double xh, double base)
{
	l_int32 pad = (l_int32)ceil(0.4 * xh), x = x1 - pad, y = (l_int32)floor(base - 1.6 * xh);
	l_int32 w = x2 - x1 + 2 * pad, h = (l_int32)ceil(base + 1.2 * xh) - y;
	if (!ocr_clip_rect(&x, &y, &w, &h, pixGetWidth(img), pixGetHeight(img)) || h < 2 * xh)
		return 0;
	l_int32 *ink = row_ink(img, x, y, w, h);
	int empty = 0;
	if (!ink)
		return 0;
	l_int32 foot = letters_foot(ink, h, xh);
	l_int32 from = foot + (l_int32)ceil(0.1 * xh), to = foot + (l_int32)ceil(0.6 * xh);
	if (foot >= 0 && to < h) {
		empty = 1;
		for (l_int32 r = from; r <= to; r++)
			empty &= ink[r] == 0;
		if (!empty)
			empty = marks_of_next_line(img, x, y + from, w, y + to, xh);
	}
	free(ink);
	return empty;
}

char *ocr_dot_below_check(PIX *img, const char *word, int x1, int x2, double xh, double base)
{
	const char *at = NULL;
	size_t which = 0;

	if (!img || xh < 6 || x2 <= x1 || reaches_below(word))
		return NULL;
	for (size_t i = 0; i < sizeof dotted / sizeof *dotted; i++)
		for (const char *p = strstr(word, dotted[i][0]); p;
		     p = strstr(p + 1, dotted[i][0])) {
			if (at)
				return NULL; /* two dots read: leave the word */
			at = p;
			which = i;
		}
	if (!at || !nothing_below(img, x1, x2, xh, base))
		return NULL;
	size_t len = strlen(word), cut = strlen(dotted[which][0]), put = strlen(dotted[which][1]);
	size_t head = (size_t)(at - word);
	char *out = malloc(len - cut + put + 1);
	if (!out)
		return NULL;
	memcpy(out, word, head);
	memcpy(out + head, dotted[which][1], put);
	memcpy(out + head + put, at + cut, len - head - cut + 1);
	return out;
}

/* Whether component c could be a tone mark above a letter (acute, grave,
 * hook, tilde, or one of them over a circumflex or breve) of a line of
 * x-height xh: no taller than an x-height, at most one and a half wide, a
 * quarter of an x-height long at least, and not a round dot (dust; an i's
 * dot is never cut off, its stem carries it). */
static int is_tone_mark(const comp *c, double xh)
{
	l_int32 hi = c->w > c->h ? c->w : c->h;
	return c->h <= 0.9 * xh && c->w <= 1.5 * xh && hi >= 0.25 * xh &&
	       c->ink >= 0.03 * xh * xh && !is_dot(c, hi, 0.7);
}

/* A mark cut off above a word. Tesseract's LSTM reads a word from a crop
 * whose top is the top of the word's own blobs or the line's ascender
 * height, whichever is higher. A tone mark over a capital or over a
 * circumflex, on a tight line, is often given to the line above (or left
 * out as noise): the crop cuts it off and the word is read without it or
 * with a smaller one ("Ủy" as "Uy", "đổi" as "đối", "NGUYỄN" as "NGUYÊN").
 *
 * The band just above the word box is looked at: a mark in it that does
 * not reach its top (where the line above would come in) stands over the
 * word, not in it. */
int ocr_cut_mark(ocr_mark_look *look, PIX *img, int x1, int y1, int x2, int y2, double xh)
{
	enum { MAX_BAND_COMPS = 256 }; /* the feet of a long line above, cut */
	comp c[MAX_BAND_COMPS];
	l_int32 ox, oy, pad = (l_int32)ceil(0.3 * xh), ext = (l_int32)ceil(0.9 * xh);
	int n, found = 0;
	l_int32 top = y1;

	if (!img || xh < 6 || x2 <= x1 || y2 <= y1)
		return 0;
	n = components(c, MAX_BAND_COMPS, img, x1, y1 - ext, x2 - x1, ext + 1, &ox, &oy);
	if (n <= 0 || oy != y1 - ext)
		return 0; /* no band above, or too much in it to say */
	for (int i = 0; i < n; i++) {
		const comp *m = &c[i];
		if (m->y == 0 || oy + m->y > y1 - 2 || !is_tone_mark(m, xh))
			continue; /* the line above, inside the box, or no mark */
		found = 1;
		top = oy + m->y < top ? oy + m->y : top;
	}
	if (!found)
		return 0;
	*look = (ocr_mark_look){x1 - pad, top - 2, x2 - x1 + 2 * pad, y2 + 4 - top, y1, xh};
	return 1;
}

/* The rectangle of a look, cut from the image read: its 8-bit copy and
 * its labelled components. */
typedef struct {
	PIX *gray;
	BOXA *boxa;
	PIXA *pixa;
	l_int32 y, w, h; /* the cut's top, in img; its size */
} word_cut;

static void cut_free(word_cut *c)
{
	pixDestroy(&c->gray);
	boxaDestroy(&c->boxa);
	pixaDestroy(&c->pixa);
}

static int cut_word(word_cut *c, PIX *img, const ocr_mark_look *look)
{
	l_int32 x = look->x, y = look->y, w = look->w, h = look->h;
	*c = (word_cut){0};
	if (!ocr_clip_rect(&x, &y, &w, &h, pixGetWidth(img), pixGetHeight(img)))
		return 0;
	BOX *r = boxCreate(x, y, w, h);
	PIX *part = r ? pixClipRectangle(img, r, NULL) : NULL;
	PIX *bin = NULL;
	c->gray = part ? pixConvertTo8(part, 0) : NULL;
	bin = c->gray ? pixThresholdToBinary(c->gray, 128) : NULL;
	c->boxa = bin ? pixConnComp(bin, &c->pixa, 8) : NULL;
	c->y = y;
	c->w = w;
	c->h = h;
	boxDestroy(&r);
	pixDestroy(&part);
	pixDestroy(&bin);
	if (c->boxa && c->pixa)
		return 1;
	cut_free(c);
	return 0;
}

/* Paints component i of the cut into `mask`. */
static void cut_paint(PIX *mask, const word_cut *c, l_int32 i)
{
	l_int32 x, y, w, h;
	boxaGetBoxGeometry(c->boxa, i, &x, &y, &w, &h);
	PIX *one = pixaGetPix(c->pixa, i, L_CLONE);
	if (one)
		pixRasterop(mask, x, y, w, h, PIX_SRC | PIX_DST, one, 0, 0);
	pixDestroy(&one);
}

/* Whitens the ink of `mask` in gray, with its grey rim. */
static int whiten(PIX *gray, PIX *mask)
{
	PIX *rim = pixDilateBrick(NULL, mask, 3, 3);
	int ok = rim && pixSetMasked(gray, rim, 255) == 0;
	pixDestroy(&rim);
	return ok;
}

/* Ink that reaches the top or bottom of the rectangle belongs to other
 * lines; above the word box only tone marks are kept, not dust. */
PIX *ocr_mark_clip(PIX *img, const ocr_mark_look *look, l_int32 margin)
{
	word_cut c;
	PIX *drop = NULL, *out = NULL;

	if (!cut_word(&c, img, look))
		return NULL;
	drop = pixCreate(c.w, c.h, 1);
	for (l_int32 i = 0; drop && i < boxaGetCount(c.boxa); i++) {
		comp m = {0};
		PIX *one = pixaGetPix(c.pixa, i, L_CLONE);
		boxaGetBoxGeometry(c.boxa, i, &m.x, &m.y, &m.w, &m.h);
		if (one)
			pixCountPixels(one, &m.ink, NULL);
		pixDestroy(&one);
		if (m.y == 0 || m.y + m.h >= c.h ||
		    (c.y + m.y + m.h <= look->top && !is_tone_mark(&m, look->xh)))
			cut_paint(drop, &c, i);
	}
	if (drop && whiten(c.gray, drop))
		out = pixAddBorder(c.gray, margin, 255);
	pixDestroy(&drop);
	cut_free(&c);
	return out;
}

/* A component small enough to be a speck, across and down, in x-heights:
 * dust, or a dot, tone mark or stop of writing. */
#define SPECK_SIDE 0.7

enum { MAX_SPECKS = 6 };

int ocr_speck_variants(PIX *img, const ocr_mark_look *look, l_int32 margin, PIX **out, int max)
{
	word_cut c;
	l_int32 speck[MAX_SPECKS];
	int n = 0, ns = 0;
	PIX *others = NULL;
	double side = SPECK_SIDE * look->xh;

	if (!cut_word(&c, img, look))
		return 0;
	others = pixCreate(c.w, c.h, 1);
	for (l_int32 i = 0; others && i < boxaGetCount(c.boxa); i++) {
		l_int32 x, y, w, h;
		boxaGetBoxGeometry(c.boxa, i, &x, &y, &w, &h);
		if (x == 0 || y == 0 || x + w >= c.w || y + h >= c.h)
			cut_paint(others, &c, i); /* the neighbours' ink */
		else if (w <= side && h <= side && ns < MAX_SPECKS)
			speck[ns++] = i;
	}
	/* Without each speck alone, without all of them (when more than one),
	 * and with all (the word read alone). */
	int ok = others && whiten(c.gray, others);
	for (int k = 0; ok && k <= ns + 1 && n < max; k++) {
		if (k == ns && ns < 2)
			continue;
		PIX *m = pixCreate(c.w, c.h, 1), *v = m ? pixCopy(NULL, c.gray) : NULL;
		for (int j = 0; v && k <= ns && j < ns; j++)
			if (k == ns || j == k)
				cut_paint(m, &c, speck[j]);
		if (v && whiten(v, m) && (out[n] = pixAddBorder(v, margin, 255)))
			n++;
		pixDestroy(&v);
		pixDestroy(&m);
	}
	pixDestroy(&others);
	cut_free(&c);
	return n;
}

/* The pieces about a mark read at columns x1..x2 on a line whose letters'
 * feet are at row `foot`: of the rectangle from 0.2 x-height either side
 * of its box, from `above` x-heights over the feet, `tall` x-heights tall,
 * into c (MAX_COMPS at most); *oy the rectangle's top, *cw and *ch its
 * size. Returns the count, or 0 when the image's edge cuts the rectangle
 * or it holds too many pieces to judge. */
static int stop_look(comp *c, PIX *img, int x1, int x2, double xh, l_int32 foot, double above,
		     double tall, l_int32 *oy, l_int32 *cw, l_int32 *ch)
{
	l_int32 ox, pad = (l_int32)ceil(0.2 * xh), top = foot - (l_int32)ceil(above * xh);
	*cw = x2 - x1 + 1 + 2 * pad;
	*ch = (l_int32)ceil(tall * xh);
	int n = components(c, MAX_COMPS, img, x1 - pad, top, *cw, *ch, &ox, oy);
	return n > 0 && *oy == top && ox == x1 - pad ? n : 0;
}

/* How much a full stop read on a line looks like a comma in the image: the
 * model reads the comma of an italic line, of a blurred one or of a decimal
 * as a stop ("(Ký. ghi rõ", "86.4"), and a stop before a small letter is
 * then taken for dust and dropped. The letters' feet are found in the image
 * (letters_foot, over the x-height and a half of columns before the mark),
 * and the mark is the one piece there, not cut by the look's sides and not
 * reaching up to the letters' middle, that comes down to the feet. */
int ocr_stop_shape(PIX *img, int x1, int x2, double xh, double base)
{
	if (!img || xh < 6 || x2 < x1)
		return 0;
	l_int32 x = x1 - (l_int32)ceil(1.5 * xh), y = (l_int32)floor(base - 1.6 * xh);
	l_int32 w = x1 - x, h = (l_int32)ceil(base + 1.2 * xh) - y;
	if (!ocr_clip_rect(&x, &y, &w, &h, pixGetWidth(img), pixGetHeight(img)) || h < 2 * xh ||
	    w < 0.5 * xh)
		return 0;
	l_int32 *ink = row_ink(img, x, y, w, h);
	l_int32 foot = ink ? letters_foot(ink, h, xh) : -1;
	free(ink);
	if (foot < 0)
		return 0;
	foot += y;

	comp c[MAX_COMPS];
	l_int32 oy, cw, ch;
	int n = stop_look(c, img, x1, x2, xh, foot, 0.5, 1.3, &oy, &cw, &ch);
	const comp *mark = NULL;
	for (int i = 0; i < n; i++) {
		const comp *m = &c[i];
		if (m->y == 0 || m->x == 0 || m->x + m->w >= cw || m->ink < 0.02 * xh * xh)
			continue; /* a letter, cut by the look, or dust */
		if (oy + m->y + m->h - 1 < foot - 0.15 * xh)
			continue; /* above the feet */
		if (mark)
			return 0;
		mark = m;
	}
	if (!mark || mark->w > 0.5 * xh || mark->h < mark->w)
		return 0;
	/* Measured on the dev pages: a comma's head stands 0.1-0.3 x-height
	 * above the feet and its foot 0.03-0.3 under them (0.2 and more where
	 * it is sharp), where a stop's foot is 0-0.12 above them. A bold stop
	 * set low can come down as far, but fills its box (a comma 0.5-0.8 of
	 * it). Dust read as a stop before a small letter is wider than tall,
	 * or wholly under the feet, or short of them. */
	double head = (foot - (oy + mark->y)) / xh, tail = (oy + mark->y + mark->h - 1 - foot) / xh;
	if (head >= 0 && tail >= 0.2 && mark->h > mark->w && mark->ink <= 0.85 * mark->w * mark->h)
		return OCR_COMMA;
	if (head >= 0.05 && (mark->h > mark->w ? tail >= 0.03 : tail >= 0.06))
		return OCR_COMMA_MAYBE;
	return 0;
}

/* The letters' feet before column x1: the foot that most of the
 * letter-sized pieces (half an x-height tall or more, not cut by the look)
 * over four x-heights before it share, within a tenth of an x-height; of
 * feet shared as widely, the one nearest the line's baseline `base`. The
 * letters that reach below (g, p, y, a bracket) each end elsewhere, so
 * they do not move it, where the rows of ink (letters_foot) end above the
 * line under one or two round letters ("9.", "trẻ."). -1 when no letter
 * stands there. */
static l_int32 shared_foot(PIX *img, int x1, double xh, double base)
{
	comp c[MAX_COMPS];
	l_int32 ox, oy, feet[MAX_COMPS], n = 0, h = (l_int32)ceil(3 * xh);
	int k = components(c, MAX_COMPS, img, x1 - (l_int32)ceil(4 * xh),
			   (l_int32)floor(base - 2 * xh), (l_int32)ceil(4 * xh), h, &ox, &oy);
	for (int i = 0; i < k; i++)
		if (c[i].h >= 0.5 * xh && c[i].h <= 2 * xh && c[i].w <= 2 * xh && c[i].y > 0 &&
		    c[i].y + c[i].h < h)
			feet[n++] = oy + c[i].y + c[i].h - 1;
	l_int32 best = -1, most = 0, tol = (l_int32)ceil(0.1 * xh);
	for (l_int32 i = 0; i < n; i++) {
		l_int32 near = 0;
		for (l_int32 j = 0; j < n; j++)
			near += abs(feet[j] - feet[i]) <= tol;
		if (near > most || (near == most && fabs(feet[i] - base) < fabs(best - base))) {
			most = near;
			best = feet[i];
		}
	}
	return best;
}

int ocr_mark_on_feet(PIX *img, int x1, int y2, double xh, double base)
{
	if (!img || xh < 6)
		return 0;
	l_int32 foot = shared_foot(img, x1, xh, base);
	return foot >= 0 && y2 - 1 >= foot - OCR_STOP_LIFT * xh && y2 - 1 <= foot + 0.3 * xh;
}

/* stop_look on the feet that the letters before column x1 share
 * (shared_foot, into *foot); 0 when no letter stands there. */
static int look_on_feet(comp *c, PIX *img, int x1, int x2, double xh, double base, double above,
			double tall, l_int32 *foot, l_int32 *oy, l_int32 *cw, l_int32 *ch)
{
	if (!img || xh < 6 || x2 < x1)
		return 0;
	*foot = shared_foot(img, x1, xh, base);
	return *foot < 0 ? 0 : stop_look(c, img, x1, x2, xh, *foot, above, tall, oy, cw, ch);
}

int ocr_stop_is_dust(PIX *img, int x1, int x2, double xh, double base)
{
	comp c[MAX_COMPS];
	l_int32 foot, oy, cw, ch;
	int n = look_on_feet(c, img, x1, x2, xh, base, 0.5, 1.3, &foot, &oy, &cw, &ch), specks = 0;
	/* Measured on 864 stops and 165 specks read as stops at the end of a
	 * word (dev pages): a stop's head stands 0.13-0.35 x-height over the
	 * feet, its foot from 0.07 above them to 0.04 under; half the specks
	 * hang lower, or are so small that they stand wholly under the feet.
	 * Any piece placed as a stop is one (a pixel of slack: blurred pages);
	 * a piece cut by the look is a letter or the next line's mark. */
	for (int i = 0; i < n; i++) {
		const comp *m = &c[i];
		if (m->y == 0 || m->x == 0 || m->x + m->w >= cw || m->y + m->h >= ch ||
		    m->w > 0.6 * xh || m->h > 0.6 * xh || oy + m->y + m->h - 1 < foot - 0.15 * xh)
			continue;
		l_int32 head = foot - (oy + m->y), tail = oy + m->y + m->h - 1 - foot;
		if (tail <= 0.1 * xh + 1 && head >= 0.06 * xh - 1)
			return 0;
		specks++;
	}
	return specks > 0;
}

/* Whether a ";" read at the end of a word is a comma with a speck over it:
 * a comma comes down under the letters' feet (shared_foot) in the look
 * (the symbol and 0.2 x-height either side, from 1.4 x-heights over the
 * feet to 0.6 under), and no piece stands over it as a semicolon's dot.
 * Measured on 313 semicolons and 39 commas read so (dev pages, labelled by
 * the ground truth): a semicolon's dot has its head 0.73-1.00 x-height over
 * the feet and its foot 0.54-0.83 over them, is 0.15-0.29 x-height wide and
 * tall and as wide as the comma nearly (0.6 or more), and stands within
 * 0.22 of the comma's middle; specks hang higher, are smaller or stand
 * aside. */
int ocr_semicolon_is_comma(PIX *img, int x1, int x2, double xh, double base)
{
	comp c[MAX_COMPS];
	l_int32 foot, oy, cw, ch;
	int n = look_on_feet(c, img, x1, x2, xh, base, 1.4, 2.0, &foot, &oy, &cw, &ch);
	const comp *comma = NULL;
	double mid = cw / 2.0, best = 0;
	for (int i = 0; i < n; i++) { /* the comma nearest the symbol's middle */
		const comp *m = &c[i];
		double off = fabs(m->x + m->w / 2.0 - mid);
		if (m->y > 0 && m->x > 0 && m->x + m->w < cw && m->y + m->h < ch &&
		    oy + m->y + m->h - 1 - foot > 0.05 * xh && foot - (oy + m->y) < 0.5 * xh &&
		    m->w < 0.7 * xh && (!comma || off < best)) {
			comma = m;
			best = off;
		}
	}
	if (!comma)
		return 0;
	for (int i = 0; i < n; i++) {
		const comp *m = &c[i];
		double head = (foot - (oy + m->y)) / xh, tail = (oy + m->y + m->h - 1 - foot) / xh;
		double dx = fabs(m->x + m->w / 2.0 - (comma->x + comma->w / 2.0)) / xh;
		if (m->y > 0 && m->x > 0 && m->x + m->w < cw && head <= 1.06 && tail < -0.3 &&
		    tail >= -0.9 && m->w >= 0.13 * xh && m->h >= 0.13 * xh && m->w < 0.6 * xh &&
		    m->h < 0.6 * xh && dx <= 0.26 && m->w >= 0.5 * comma->w)
			return 0; /* a semicolon's dot */
	}
	return 1;
}

/* Whether piece m of a look cw wide is no bigger than a dot can be and
 * not cut by the look's left or right side. */
static int dot_across(const comp *m, l_int32 cw, double xh)
{
	return m->x > 0 && m->x + m->w < cw && m->w < 0.6 * xh && m->h < 0.6 * xh;
}

/* Whether a and b are a colon's two dots, a over b: one above the other
 * within 0.12 x-height, sizes within 0.6-1.6 of each other, tops 0.3-0.9
 * x-height apart. */
static int colon_pair(const comp *a, const comp *b, double xh)
{
	double dx = fabs(a->x + a->w / 2.0 - (b->x + b->w / 2.0)), gap = b->y - a->y;
	return dx <= 0.12 * xh && a->w >= 0.6 * b->w && a->w <= 1.6 * b->w && a->h >= 0.6 * b->h &&
	       a->h <= 1.6 * b->h && gap >= 0.3 * xh && gap <= 0.9 * xh;
}

/* Measured on the word-final ":" of the dev pages, labelled by the ground
 * truth: of 1560 colons, 1549 have a dot standing on the letters' feet
 * (head 0.15-0.33 x-height over them, foot at most 0.07 under); of 81
 * read where the truth has none, 74 have no such dot, only specks above.
 * Where the feet are found wrong (a line that bends, a bracket) the two
 * dots still stand one over the other, a colon whatever the feet say. */
int ocr_colon_is_specks(PIX *img, int x1, int x2, double xh, double base)
{
	comp c[MAX_COMPS];
	l_int32 foot, oy, cw, ch;
	int n = look_on_feet(c, img, x1, x2, xh, base, 1.4, 2.0, &foot, &oy, &cw, &ch);
	if (n <= 0)
		return 0;
	for (int i = 0; i < n; i++) {
		const comp *m = &c[i];
		double head = (foot - (oy + m->y)) / xh, tail = (oy + m->y + m->h - 1 - foot) / xh;
		if (dot_across(m, cw, xh) && m->y > 0 && m->y + m->h < ch && head >= 0 &&
		    head <= 0.45 && tail >= -0.2 && tail <= 0.35)
			return 0; /* a dot on the feet */
	}
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++)
			if (i != j && dot_across(&c[i], cw, xh) && dot_across(&c[j], cw, xh) &&
			    colon_pair(&c[i], &c[j], xh))
				return 0;
	return 1;
}
