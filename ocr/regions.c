/* ocr/regions.c: reading-order regions of a cleaned page, by recursive XY-cut
 * on ink projections. Administrative documents (Decree 30/2020 layout) put a
 * two-column header and a two-column signature block around single-column
 * text; Tesseract on the whole page reads such columns across, line by line.
 * Here a region is split at a wide vertical gutter into columns read left
 * then right — unless the two sides' lines sit on the same rows (a form or a
 * table), which is read row by row — and otherwise at its widest horizontal
 * gap, top then bottom. Consecutive pieces of one column merge back into a
 * block, which Tesseract then reads on its own. */
#include "ocr/ocr_int.h"

#include <stdlib.h>
#include <string.h>

#define GUTTER_MIN   32 /* px at 300 dpi: a gutter must also run the region's full height */
#define GAP_MIN      4  /* px: the smallest horizontal gap worth cutting at */
#define EMPTY_MAX    2  /* a row/column with at most this much ink is empty */
#define MAX_DEPTH    64
#define FORM_GAP_MAX 120  /* px: a wider gutter parts columns whatever its rows */
#define DUST_MAX     2000 /* pieces of ink in a block judged for dust alone */

typedef struct {
	int x, y, w, h;
	int column;       /* id of the column (x-cut side) the piece lies in */
	int table;        /* index of the table + 1 it holds, 0 for text */
	int gap_x, gap_w; /* a single row's wide space (gap_w 0: none) */
	int form;         /* one of a form's rows over columns (form_head) */
} piece;

typedef struct {
	PIX *bin;
	piece *items;
	size_t count, cap;
	int next_column;
	int letter;  /* median letter height, px */
	PIX *drawn;  /* components far bigger than letters: seals, signatures */
	int in_form; /* cutting a form's rows over columns (form_head) */
	int failed;
} cutter;

/* Ink per row (dir 0) or column (dir 1) of a box, read straight from the
 * page's words row by row (Leptonica's per-column count walks the bits down
 * each column and was 3% of a page's time); caller frees. */
static NUMA *profile(PIX *bin, BOX *box, int dir)
{
	l_int32 bx, by, bw, bh, W = pixGetWidth(bin), H = pixGetHeight(bin);
	l_int32 wpl = pixGetWpl(bin);
	const l_uint32 *data = pixGetData(bin);
	NUMA *na;
	l_float32 *v;

	boxGetGeometry(box, &bx, &by, &bw, &bh);
	if (!ocr_clip_rect(&bx, &by, &bw, &bh, W, H))
		return NULL;
	na = numaMakeConstant(0, dir == 0 ? bh : bw);
	v = na ? numaGetFArray(na, L_NOCOPY) : NULL;
	if (!v)
		return na;
	for (l_int32 y = 0; y < bh; y++) {
		const l_uint32 *line = data + (size_t)(by + y) * wpl;
		for (l_int32 wd = bx / 32; wd <= (bx + bw - 1) / 32; wd++) {
			l_uint32 word = line[wd];
			l_int32 base = wd * 32;
			if (!word)
				continue;
			/* Leptonica keeps the leftmost pixel in the word's top bit. */
			if (base < bx)
				word &= 0xffffffffu >> (bx - base);
			if (base + 32 > bx + bw)
				word &= ~(0xffffffffu >> (bx + bw - base));
			if (dir == 0) {
				v[y] += (l_float32)__builtin_popcount(word);
				continue;
			}
			while (word) {
				int lead = __builtin_clz(word);
				v[base + lead - bx] += 1.0f;
				word &= ~(0x80000000u >> lead);
			}
		}
	}
	return na;
}

/* First and last non-empty index, or -1 when all empty. */
static void ink_span(NUMA *na, int *first, int *last)
{
	int n = numaGetCount(na);
	l_int32 v;
	*first = *last = -1;
	for (int i = 0; i < n; i++) {
		numaGetIValue(na, i, &v);
		if (v > EMPTY_MAX) {
			if (*first < 0)
				*first = i;
			*last = i;
		}
	}
}

/* Widest run of empty entries strictly between first and last ink. */
static int widest_gap(NUMA *na, int first, int last, int *at)
{
	int best = 0, run = 0;
	l_int32 v;
	*at = -1;
	for (int i = first; i <= last; i++) {
		numaGetIValue(na, i, &v);
		if (v <= EMPTY_MAX) {
			run++;
			if (run > best) {
				best = run;
				*at = i - run + 1;
			}
		} else {
			run = 0;
		}
	}
	return best;
}

/* Row bands (runs of inked rows) of a box: count, and starts/ends in out. */
static int bands(PIX *bin, BOX *box, int *starts, int *ends, int cap)
{
	NUMA *na = profile(bin, box, 0);
	int n = 0, in = 0;
	l_int32 v;
	if (!na)
		return -1;
	for (int i = 0; i < numaGetCount(na); i++) {
		numaGetIValue(na, i, &v);
		if (v > EMPTY_MAX && !in) {
			if (n == cap) {
				n = -1;
				break;
			}
			starts[n] = i;
			in = 1;
		} else if (v <= EMPTY_MAX && in) {
			ends[n++] = i;
			in = 0;
		}
	}
	if (in && n >= 0 && n < cap)
		ends[n++] = numaGetCount(na);
	numaDestroy(&na);
	return n;
}

/* Whether the box holds ink of a drawing: a component over three letters
 * wide and two tall, as no letter is. */
static int drawing_in(const cutter *c, int x, int y, int w, int h)
{
	BOX *box = c->drawn ? boxCreate(x, y, w, h) : NULL;
	PIX *part = box ? pixClipRectangle(c->drawn, box, NULL) : NULL;
	l_int32 empty = 1;
	if (part)
		pixZero(part, &empty);
	boxDestroy(&box);
	pixDestroy(&part);
	return !empty;
}

/* Whether every band is a whole line of text, none a row of tone marks set
 * apart above capitals (as in a header's "CỘNG HÒA…"): none under half the
 * tallest. */
static int whole_lines(const int *s, const int *e, int n)
{
	int tallest = 0;
	for (int i = 0; i < n; i++)
		tallest = e[i] - s[i] > tallest ? e[i] - s[i] : tallest;
	for (int i = 0; i < n; i++)
		if (2 * (e[i] - s[i]) < tallest)
			return 0;
	return 1;
}

/* Whether a band `height` px tall can be a line of text, 0.6 to 2 letters:
 * not a row of tone marks set apart over capitals or a stroke, nor a
 * scribble or lines run together. */
static int is_line(const cutter *c, int height)
{
	return 10 * height >= 6 * c->letter && height <= 2 * c->letter;
}

/* How many lines bands s..e hold at least: two in a band over 2.75
 * letters tall (two lines run together by their marks; a line with marks
 * over its capitals and a tail under it is 2.3), one in any other. */
static int band_lines(const cutter *c, const int *s, const int *e, int n)
{
	int lines = 0;
	for (int i = 0; i < n; i++)
		lines += 4 * (e[i] - s[i]) > 11 * c->letter ? 2 : 1;
	return lines;
}

/* How many of bands s..e can be lines of text. */
static int lines_in(const cutter *c, const int *s, const int *e, int n)
{
	int lines = 0;
	for (int i = 0; i < n; i++)
		lines += is_line(c, e[i] - s[i]);
	return lines;
}

/* The first and last columns with ink (from x) of the band of rows y to
 * y + h across x to x + w; 0 when it has none, or out of memory. */
static int band_span(const cutter *c, int x, int w, int y, int h, int *first, int *last)
{
	BOX *b = boxCreate(x, y, w, h);
	NUMA *na = b ? profile(c->bin, b, 1) : NULL;
	*first = *last = -1;
	boxDestroy(&b);
	if (na)
		ink_span(na, first, last);
	numaDestroy(&na);
	return *first >= 0;
}

/* Whether the lines (bands s..e) of a side, in box x..x+w, are set centred:
 * their middles agree while their left edges do not, as in the two-column
 * header of a Decree 30 document or the signers' blocks at its foot. A
 * form's labels start at one edge. Only bands that can be lines count
 * (is_line). Of three lines or more, one may stray: a signature
 * scribbled across the "(Ký, ghi rõ họ tên)" line moves that band's middle.
 * 2 when centred; 1 when it cannot tell: fewer than two bands can be
 * lines, or the middles agree but the lines are as wide as each other, so
 * their left edges agree too; 0 otherwise. */
static int centred_lines(const cutter *c, int x, int w, const int *s, const int *e, int nb, int y)
{
	int first[256], mid[256], n = 0, best = 0;
	const int tol = 12; /* px at 300 dpi, half a letter */
	if (nb > 256)
		return 0;
	for (int i = 0; i < nb; i++) {
		int last;
		if (!is_line(c, e[i] - s[i]))
			continue;
		if (!band_span(c, x, w, y + s[i], e[i] - s[i], &first[n], &last))
			return 0;
		mid[n] = (first[n] + last) / 2;
		n++;
	}
	/* The lines whose middles lie within tol above one line's (so within
	 * tol of each other): all of them, or all but one of three or more. */
	for (int k = 0; k < n; k++) {
		int agree = 0, lmin = 1 << 30, lmax = -1;
		for (int i = 0; i < n; i++) {
			if (mid[i] < mid[k] || mid[i] > mid[k] + tol)
				continue;
			agree++;
			lmin = first[i] < lmin ? first[i] : lmin;
			lmax = first[i] > lmax ? first[i] : lmax;
		}
		if (agree >= (n >= 3 ? n - 1 : n))
			best = lmax - lmin > 3 * tol ? 2 : best > 1 ? best : 1;
	}
	return n < 2 ? 1 : best;
}

/* Whether two row bands sit on one row: they overlap by at least 0.6 of the
 * shorter. */
static int same_row(int s1, int e1, int s2, int e2)
{
	int lo = s1 > s2 ? s1 : s2, hi = e1 < e2 ? e1 : e2;
	int smaller = e1 - s1 < e2 - s2 ? e1 - s1 : e2 - s2;
	return hi - lo >= smaller * 6 / 10;
}

/* Widens the blank [*from, *to) of profile `na` over the empty entries on
 * either side of it, within lo..hi. */
static void widen_blank(NUMA *na, int *from, int *to, int lo, int hi)
{
	l_int32 v;
	while (*from > lo && numaGetIValue(na, *from - 1, &v) == 0 && v <= EMPTY_MAX)
		(*from)--;
	while (*to < hi && numaGetIValue(na, *to, &v) == 0 && v <= EMPTY_MAX)
		(*to)++;
}

static int by_size(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* The middle word space of a line, from its column profile `na` (ink from
 * first to last), the blank from..to left out: blanks of a quarter letter to
 * a letter and a half fall in two heaps, between letters and between words,
 * and the words' are those past the middle of the range. 0 when the line has
 * fewer than two. */
static int word_space(NUMA *na, int first, int last, int from, int to, int letter)
{
	int runs[256], n = 0, words = 0, run = 0, lo = 1 << 30, hi = 0;
	l_int32 v;
	for (int k = first; k <= last; k++) {
		numaGetIValue(na, k, &v);
		if (v <= EMPTY_MAX) {
			run++;
			continue;
		}
		if (run >= letter / 4 && 2 * run <= 3 * letter && (k - run < from || k > to) &&
		    n < 256) {
			runs[n++] = run;
			lo = run < lo ? run : lo;
			hi = run > hi ? run : hi;
		}
		run = 0;
	}
	for (int i = 0; i < n; i++)
		if (2 * runs[i] >= lo + hi)
			runs[words++] = runs[i];
	if (words < 2)
		return 0;
	qsort(runs, (size_t)words, sizeof *runs, by_size);
	return runs[words / 2];
}

/* Whether a gutter is only a word space that happens to line up down a few
 * lines ("… của cá | nhân: …" under "… 17/03/1986. | Dân tộc: …"): on some
 * line (of half a letter or taller) with ink on both sides of it, the blank
 * there is under twice the line's middle word space. Columns part by more on
 * every line: the date lines of two signers' blocks set close, "… năm 2023 |
 * Hà Nội, ngày …", by 2.2 times their word spaces; a field's gap in a form
 * line is 1.5–1.8 times. */
static int word_space_gutter(const cutter *c, int x, int y, int w, int h, int split, int gap)
{
	int s[256], e[256], n, found = 0;
	BOX *box = boxCreate(x, y, w, h);
	n = box ? bands(c->bin, box, s, e, 256) : -1;
	boxDestroy(&box);
	for (int i = 0; i < n && !found; i++) {
		int from = split - x, to = split - x + gap, first, last, space;
		BOX *line;
		NUMA *na;
		if (10 * (e[i] - s[i]) < 6 * c->letter)
			continue; /* a row of marks */
		line = boxCreate(x, y + s[i], w, e[i] - s[i]);
		na = line ? profile(c->bin, line, 1) : NULL;
		boxDestroy(&line);
		if (!na)
			break;
		ink_span(na, &first, &last);
		widen_blank(na, &from, &to, first, last);      /* the line's own blank there */
		if (first >= 0 && from > first && to < last) { /* ink on both sides */
			space = word_space(na, first, last, from, to, c->letter);
			found = space > 0 && to - from < 2 * space;
		}
		numaDestroy(&na);
	}
	return found;
}

/* Copies bands s..e (n of them) to os..oe but those under 0.4 letter tall;
 * returns how many it copied. */
static int no_slivers(const cutter *c, const int *s, const int *e, int n, int *os, int *oe)
{
	int kept = 0;
	for (int i = 0; i < n; i++)
		if (10 * (e[i] - s[i]) >= 4 * c->letter) {
			os[kept] = s[i];
			oe[kept++] = e[i];
		}
	return kept;
}

/* Whether the two sides of a gutter are columns to read one after the other:
 * both hold several lines (a band of two run together counts for two,
 * band_lines), and those lines do not sit on the same rows (as
 * they do in a form or a table, which read row by row), or are both set
 * centred (or one is and the other may be); a gutter that is a word space on
 * some line parts no columns unless they are centred blocks. */
static int are_columns(const cutter *c, int x, int y, int w, int h, int split, int gap)
{
	PIX *bin = c->bin;
	int ls[256], le[256], rs[256], re[256], nl, nr;
	BOX *l = boxCreate(x, y, split - x, h),
	    *r = boxCreate(split + gap, y, x + w - split - gap, h);
	nl = bands(bin, l, ls, le, 256);
	nr = bands(bin, r, rs, re, 256);
	boxDestroy(&l);
	boxDestroy(&r);
	/* A side without a row of ink is a line 1 or 2 px wide (a page's edge,
	 * a rule's remnant), no text: it is cut off. A side holding a drawing
	 * (a seal's ring, a signature) is no form's column of fields; but a
	 * word space lined up down a page of text is no gutter, drawing or
	 * not. */
	if (nl == 0 || nr == 0)
		return 1;
	if ((drawing_in(c, x, y, split - x, h) && lines_in(c, rs, re, nr) >= 2) ||
	    (drawing_in(c, split + gap, y, x + w - split - gap, h) && lines_in(c, ls, le, nl) >= 2))
		return !word_space_gutter(c, x, y, w, h, split, gap);
	if (band_lines(c, ls, le, nl) < 2 || band_lines(c, rs, re, nr) < 2)
		return 0;
	/* Centred lines on both sides are the two blocks of a header, even
	 * when their lines happen to share rows or their gutter is narrow. */
	int centred = centred_lines(c, x, split - x, ls, le, nl, y) *
		      centred_lines(c, split + gap, x + w - split - gap, rs, re, nr, y);
	if (centred >= 2)
		return 1;
	/* For the form's rows, bands too thin for a line are none: a speck over
	 * a field ("Ė"), marks set apart over capitals (a header's two centred
	 * blocks, whose capitals make such bands, are told above). Counted as
	 * lines, a speck over "6. Email" parted "3. Giới tính" and "6. Email"
	 * from the rows they end. */
	int fls[256], fle[256], frs[256], fre[256];
	int fl = no_slivers(c, ls, le, nl, fls, fle), fr = no_slivers(c, rs, re, nr, frs, fre);
	if ((fl == fr + 1 || fr == fl + 1) && fl > 0 && fr > 0 && gap < FORM_GAP_MAX &&
	    whole_lines(fls, fle, fl) && whole_lines(frs, fre, fr)) {
		/* One line more on one side, every other on the row of a line of the
		 * other side: a form's fields with a value wrapping under its label
		 * ("ghi bằng chữ: … năm / hai nghìn …") — read row by row. */
		int fs = fl < fr ? 1 : 0, nf = fs ? fl : fr, nm = fs ? fr : fl;
		int *as = fs ? fls : frs, *ae = fs ? fle : fre, *bs = fs ? frs : fls,
		    *be = fs ? fre : fle;
		int aligned = 0;
		for (int i = 0; i < nf; i++)
			for (int k = 0; k < nm; k++)
				if (same_row(as[i], ae[i], bs[k], be[k])) {
					aligned++;
					break;
				}
		return aligned < nf;
	}
	if (word_space_gutter(c, x, y, w, h, split, gap))
		return 0;
	if (nl != nr)
		return 1;
	for (int i = 0; i < nl; i++)
		if (!same_row(ls[i], le[i], rs[i], re[i]))
			return 1;
	return 0;
}

/* Whether the first n bands of a side (x, w; rows from y) start at one
 * place, within half a letter: a form's labels and fields, flush left, where
 * a header's or a signer's lines are centred. */
static int flush_left(const cutter *c, int x, int w, const int *s, const int *e, int n, int y)
{
	int lo = 1 << 30, hi = -1;
	for (int i = 0; i < n; i++) {
		int first, last;
		if (!band_span(c, x, w, y + s[i], e[i] - s[i], &first, &last))
			return 0;
		lo = first < lo ? first : lo;
		hi = first > hi ? first : hi;
	}
	return hi - lo <= c->letter / 2;
}

/* Where, from the region's top, a form's rows end above two columns: the
 * first two lines or more on each side of the gutter pair off on the same
 * rows, each side's start at one place (flush left, as fields do, where a
 * header's or a signer's lines are centred; a speck at a line's end can
 * hide a centred block from centred_lines), and a blank row runs across the
 * whole region under them before the sides part ("Quốc tịch: Việt Nam" and
 * "ghi bằng chữ: …" beside the last fields, then the "Nơi nhận" list beside
 * the signer's block, one gutter down both). The rows are read across,
 * the rest as columns; cut as columns at once, the right fields were read
 * after the whole footer's left column. 0 when there is no such head. */
static int form_head(const cutter *c, int x, int y, int w, int h, int split, int gap)
{
	int ls[256], le[256], rs[256], re[256], fls[256], fle[256], frs[256], fre[256];
	if (gap >= FORM_GAP_MAX)
		return 0;
	BOX *l = boxCreate(x, y, split - x, h),
	    *r = boxCreate(split + gap, y, x + w - split - gap, h);
	int nl = bands(c->bin, l, ls, le, 256), nr = bands(c->bin, r, rs, re, 256), k = 0;
	boxDestroy(&l);
	boxDestroy(&r);
	nl = no_slivers(c, ls, le, nl, fls, fle);
	nr = no_slivers(c, rs, re, nr, frs, fre);
	while (k < nl && k < nr && same_row(fls[k], fle[k], frs[k], fre[k]))
		k++;
	if (k < 2 || (k == nl && k == nr))
		return 0;
	int bottom = fle[k - 1] > fre[k - 1] ? fle[k - 1] : fre[k - 1];
	int next = k < nl ? fls[k] : h;
	next = k < nr && frs[k] < next ? frs[k] : next;
	if (next <= bottom + 1 || !flush_left(c, x, split - x, fls, fle, k, y) ||
	    !flush_left(c, split + gap, x + w - split - gap, frs, fre, k, y))
		return 0;
	return (bottom + next) / 2;
}

static void emit(cutter *c, int x, int y, int w, int h, int column)
{
	if (c->count == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 32;
		piece *p = realloc(c->items, ncap * sizeof *p);
		if (!p) {
			c->failed = 1;
			return;
		}
		c->items = p;
		c->cap = ncap;
	}
	c->items[c->count++] =
		(piece){.x = x, .y = y, .w = w, .h = h, .column = column, .form = c->in_form > 0};
}

static void cut(cutter *c, int x, int y, int w, int h, int column, int depth)
{
	BOX *box;
	NUMA *rows = NULL, *cols = NULL;
	int r0, r1, c0, c1, at, gap;

	if (w <= 0 || h <= 0)
		return; /* a cut can leave an empty sliver: nothing to read */
	box = boxCreate(x, y, w, h);
	rows = profile(c->bin, box, 0);
	cols = profile(c->bin, box, 1);
	boxDestroy(&box);
	if (!rows || !cols) {
		c->failed = 1;
		goto cleanup;
	}
	ink_span(rows, &r0, &r1);
	ink_span(cols, &c0, &c1);
	if (r0 < 0 || c0 < 0)
		goto cleanup; /* no ink */
	/* Trim to the ink. */
	x += c0;
	w = c1 - c0 + 1;
	y += r0;
	h = r1 - r0 + 1;
	if (depth >= MAX_DEPTH) {
		emit(c, x, y, w, h, column);
		goto cleanup;
	}
	gap = widest_gap(cols, c0, c1, &at);
	if (gap >= GUTTER_MIN) {
		int split = x + (at - c0);
		int rowwise = !are_columns(c, x, y, w, h, split, gap);
		int ygap_at, ygap;
		numaDestroy(&rows);
		box = boxCreate(x, y, w, h);
		rows = profile(c->bin, box, 0);
		boxDestroy(&box);
		ygap = rows ? widest_gap(rows, 0, h - 1, &ygap_at) : 0;
		int head = rowwise ? 0 : form_head(c, x, y, w, h, split, gap);
		if (head > 0) {
			c->in_form++;
			cut(c, x, y, w, head, column, depth + 1);
			c->in_form--;
			cut(c, x, y + head, w, h - head, column, depth + 1);
			goto cleanup;
		}
		if (!rowwise) {
			int left = c->next_column++, right = c->next_column++;
			cut(c, x, y, split - x, h, left, depth + 1);
			cut(c, split + gap, y, x + w - split - gap, h, right, depth + 1);
			goto cleanup;
		}
		if (ygap >= GAP_MIN) {
			cut(c, x, y, w, ygap_at, column, depth + 1);
			cut(c, x, y + ygap_at + ygap, w, h - ygap_at - ygap, column, depth + 1);
			goto cleanup;
		}
		/* One row with a wide space in it ("Số định danh: 031…"): it
		 * reads across, as one line, unless it ends two columns above
		 * (see follow_columns). */
		emit(c, x, y, w, h, column);
		if (!c->failed) {
			c->items[c->count - 1].gap_x = split;
			c->items[c->count - 1].gap_w = gap;
		}
		goto cleanup;
	}
	gap = widest_gap(rows, r0, r1, &at);
	if (gap >= GAP_MIN) {
		int top = at - r0;
		cut(c, x, y, w, top, column, depth + 1);
		cut(c, x, y + top + gap, w, h - top - gap, column, depth + 1);
		goto cleanup;
	}
	emit(c, x, y, w, h, column);
cleanup:
	numaDestroy(&rows);
	numaDestroy(&cols);
}

/* Puts p at position `at` of the pieces, moving the later ones down. */
static void insert_piece(cutter *c, size_t at, piece p)
{
	emit(c, p.x, p.y, p.w, p.h, p.column);
	if (c->failed)
		return;
	memmove(&c->items[at + 1], &c->items[at], (c->count - 1 - at) * sizeof *c->items);
	c->items[at] = p;
}

/* Whether a band holds a few letters (not just the broken ends of a rule):
 * three pieces of ink at least half a letter tall and no wider than three. */
static int holds_letters(PIX *bin, int x, int y, int w, int h, int letter)
{
	BOX *b = boxCreate(x, y, w, h);
	PIX *crop = b ? pixClipRectangle(bin, b, NULL) : NULL;
	BOXA *comps = crop ? pixConnCompBB(crop, 8) : NULL;
	int n = 0;
	for (l_int32 i = 0; comps && i < boxaGetCount(comps); i++) {
		l_int32 cw, ch;
		boxaGetBoxGeometry(comps, i, NULL, NULL, &cw, &ch);
		n += 2 * ch >= letter && ch <= 2 * letter && cw <= 3 * letter;
	}
	boxaDestroy(&comps);
	pixDestroy(&crop);
	boxDestroy(&b);
	return n >= 3;
}

/* Marks the pieces that hold a table (most of its area) and gives them the
 * table's own box. Letters the cuts left in the same piece above or below
 * the table (a heading set close over it) become a piece of their own before
 * or after it, not lost under the table's box. */
static void mark_tables(cutter *c, const ocr_table *tables, size_t ntables)
{
	const int slack = 12, letter = c->letter;
	for (size_t t = 0; t < ntables; t++) {
		l_int32 tx, ty, tw, th;
		boxGetGeometry(tables[t].box, &tx, &ty, &tw, &th);
		for (size_t i = 0; i < c->count; i++) {
			piece *p = &c->items[i];
			int ox = (p->x + p->w < tx + tw ? p->x + p->w : tx + tw) -
				 (p->x > tx ? p->x : tx);
			int oy = (p->y + p->h < ty + th ? p->y + p->h : ty + th) -
				 (p->y > ty ? p->y : ty);
			if (ox > 0 && oy > 0 && (long)ox * oy * 2 >= (long)tw * th) {
				piece old = *p;
				int above = ty - old.y, below = old.y + old.h - (ty + th);
				*p = (piece){.x = tx,
					     .y = ty,
					     .w = tw,
					     .h = th,
					     .column = -1 - (int)t,
					     .table = (int)t + 1};
				if (below > slack &&
				    holds_letters(c->bin, old.x, ty + th, old.w, below, letter))
					insert_piece(c, i + 1,
						     (piece){.x = old.x,
							     .y = ty + th,
							     .w = old.w,
							     .h = below,
							     .column = old.column});
				if (above > slack &&
				    holds_letters(c->bin, old.x, old.y, old.w, above, letter))
					insert_piece(c, i,
						     (piece){.x = old.x,
							     .y = old.y,
							     .w = old.w,
							     .h = above,
							     .column = old.column});
				break;
			}
		}
	}
}

/* The halves of a wide-spaced row, split at its space: the left one in
 * column `left`, the right one in the column after it. */
static void row_halves(piece row, int left, piece *l, piece *r)
{
	*l = (piece){.x = row.x, .y = row.y, .w = row.gap_x - row.x, .h = row.h, .column = left};
	*r = (piece){.x = row.gap_x + row.gap_w,
		     .y = row.y,
		     .w = row.x + row.w - row.gap_x - row.gap_w,
		     .h = row.h,
		     .column = left + 1};
}

/* The signers' names under two signature blocks, or the last row of a
 * two-column header, are a row of their own when the widest horizontal gap
 * of the page falls just above them (under the scribbles): read across, the
 * right signer's title would come before the left one's name. Such a row,
 * close under a left and a right column whose gutter its wide space lines
 * up with, is split there and each half ends its column. It runs before
 * the tables are marked, so no piece holds a table yet. */
static void follow_columns(cutter *c)
{
	const int letter = c->letter;
	for (size_t i = 2; i < c->count; i++) {
		piece row = c->items[i];
		if (row.gap_w == 0)
			continue;
		/* Column ids are handed out in pairs from 1, left then right:
		 * a right column's id is even, its left one's one less. */
		int right = c->items[i - 1].column, left = right - 1;
		if (right <= 0 || right % 2 != 0)
			continue;
		size_t r0 = i - 1, l0;
		while (r0 > 0 && c->items[r0 - 1].column == right)
			r0--;
		if (r0 == 0 || c->items[r0 - 1].column != left)
			continue;
		l0 = r0 - 1;
		while (l0 > 0 && c->items[l0 - 1].column == left)
			l0--;
		int lx2 = 0, rx1 = 1 << 30, bottom = 0;
		for (size_t k = l0; k < i; k++) {
			const piece *p = &c->items[k];
			if (k < r0)
				lx2 = p->x + p->w > lx2 ? p->x + p->w : lx2;
			else
				rx1 = p->x < rx1 ? p->x : rx1;
			bottom = p->y + p->h > bottom ? p->y + p->h : bottom;
		}
		/* The left column ends before the row's right half starts, the
		 * right one starts after its left half ends, and the row is no
		 * further under them than the space left blank for a signature
		 * (a few lines: 8 letters). */
		if (lx2 > row.gap_x + row.gap_w || rx1 < row.gap_x || row.y - bottom > 8 * letter)
			continue;
		piece l;
		row_halves(row, left, &l, &c->items[i]);
		insert_piece(c, r0, l);
		if (c->failed)
			return;
		i++;
	}
}

/* The pieces [s, e) from s on that lie in left column `left` or its right
 * one: the end of that run. */
static size_t pair_run(const cutter *c, size_t s, int left)
{
	size_t e = s;
	while (e < c->count && (c->items[e].column == left || c->items[e].column == left + 1))
		e++;
	return e;
}

/* The extent of a run of pieces of a column pair: the left and right edges
 * of its left pieces and of its right ones, its top and bottom. */
typedef struct {
	int lx1, lx2, rx1, rx2, top, bottom;
} pair_box;

static pair_box pair_extent(const cutter *c, size_t s, size_t e, int left)
{
	pair_box b = {1 << 30, 0, 1 << 30, 0, 1 << 30, 0};
	for (size_t k = s; k < e; k++) {
		const piece *p = &c->items[k];
		int x2 = p->x + p->w;
		if (p->column == left) {
			b.lx1 = p->x < b.lx1 ? p->x : b.lx1;
			b.lx2 = x2 > b.lx2 ? x2 : b.lx2;
		} else {
			b.rx1 = p->x < b.rx1 ? p->x : b.rx1;
			b.rx2 = x2 > b.rx2 ? x2 : b.rx2;
		}
		b.top = p->y < b.top ? p->y : b.top;
		b.bottom = p->y + p->h > b.bottom ? p->y + p->h : b.bottom;
	}
	return b;
}

/* The widest blank down a piece between x from and to, taken out to its
 * full width: its start in *at; its width, 0 when there is none. */
static int blank_between(const cutter *c, const piece *p, int from, int to, int *at)
{
	BOX *box = boxCreate(p->x, p->y, p->w, p->h);
	NUMA *na = box ? profile(c->bin, box, 1) : NULL;
	int best = 0, run = 0, n;
	l_int32 v;
	boxDestroy(&box);
	if (!na)
		return 0;
	n = numaGetCount(na);
	from = from - p->x < 0 ? 0 : from - p->x;
	to = to - p->x > n ? n : to - p->x;
	for (int i = from; i < to; i++) {
		numaGetIValue(na, i, &v);
		run = v <= EMPTY_MAX ? run + 1 : 0;
		if (run > best) {
			best = run;
			*at = i - run + 1;
		}
	}
	if (best > 0) {
		int end = *at + best;
		widen_blank(na, at, &end, 0, n);
		best = end - *at;
		*at += p->x;
	}
	numaDestroy(&na);
	return best;
}

/* How many lines a piece holds that no blank row parts (a mark or a
 * bracket joins them): runs of rows inked to a tenth of the fullest row or
 * more, half a letter tall or more. */
static int rows_in(const cutter *c, const piece *p)
{
	BOX *box = boxCreate(p->x, p->y, p->w, p->h);
	NUMA *na = box ? profile(c->bin, box, 0) : NULL;
	l_float32 peak = 0;
	int n = 0, run = 0;
	boxDestroy(&box);
	if (!na)
		return 0;
	numaGetMax(na, &peak, NULL);
	for (int i = 0; i <= numaGetCount(na); i++) {
		l_float32 v = 0;
		if (i < numaGetCount(na))
			numaGetFValue(na, i, &v);
		if (10 * v > peak) {
			run++;
			continue;
		}
		n += 2 * run >= c->letter;
		run = 0;
	}
	numaDestroy(&na);
	return n;
}

/* Where the pieces of column `left` that run on from `from` end, before e:
 * the place for a piece of the column after it. */
static size_t left_end(const cutter *c, size_t from, size_t e, int left)
{
	while (from < e && c->items[from].column == left)
		from++;
	return from;
}

/* The pieces [s, e) are a pair of columns, `left` and the one after it.
 * Rows just above them, each within 2 letters of the next, are their
 * blocks' first lines and are split at a blank on the pair's gutter, each
 * half starting its column, when either
 * - the row is one line with a wide space on the gutter, starting no further
 *   left than the left column (a line of the text above runs from the
 *   margin), its left half and that column a few letters wide (not a form's
 *   item number over a column of them); or
 * - the piece is two lines a mark or bracket joins, with a blank of a third
 *   of a letter or more on the gutter (the left block's long second line,
 *   "(Ghi rõ nội dung và ký, ghi rõ họ", and the right one's first, "Hải
 *   Phòng, ngày …", leave no more between them), each part centred over its
 *   column.
 * Pieces right under the left column and within its width (a signer's name
 * set lower than the other's) end it. Further down, under the space left
 * for the signatures (up to 8 letters), one name under each column, one
 * line a few letters long within that column's width, ends it too (when the
 * page's widest gap is that space, the names are cut off the blocks first
 * and were read after both); each stays a region of its own. Returns the
 * pair's new end. */
static size_t heads_and_feet(cutter *c, size_t s, size_t e, int left)
{
	const int letter = c->letter;
	pair_box b = pair_extent(c, s, e, left);
	for (size_t k = s; k > 0 && !c->failed; k--) {
		piece row = c->items[k - 1];
		int at = row.gap_x, blank = row.gap_w;
		if (blank == 0) /* lines that share no blank of a gutter's width */
			blank = blank_between(c, &row, b.lx2, b.rx1, &at);
		int lcentred = abs(row.x + at - b.lx1 - b.lx2) <= 3 * letter;
		int rcentred = abs(at + blank + row.x + row.w - b.rx1 - b.rx2) <= 3 * letter;
		/* (a form's rows over the pair are fields, no blocks' heads) */
		if (row.form || 3 * blank < letter || b.lx2 > at + blank || b.rx1 < at ||
		    b.top - (row.y + row.h) > 2 * letter || at - row.x < 4 * letter ||
		    b.lx2 - b.lx1 < 4 * letter)
			break;
		if (row.gap_w ? row.x < b.lx1 - letter
			      : !lcentred || !rcentred || rows_in(c, &row) != 2)
			break;
		size_t r = left_end(c, k, e, left);
		piece rh;
		row.gap_x = at;
		row.gap_w = blank;
		row_halves(row, left, &c->items[k - 1], &rh);
		insert_piece(c, r, rh);
		e++;
		b.top = row.y;
	}
	int names = 0; /* 1: a left name taken from further down than 2 letters, 2: a right one */
	while (e < c->count && !c->failed) {
		piece p = c->items[e];
		int under = p.y - b.bottom;
		int in_left = p.x >= b.lx1 - letter && p.x + p.w <= b.lx2 + letter;
		int in_right = p.x >= b.rx1 - letter && p.x + p.w <= b.rx2 + letter;
		/* from further down, only a name: one line, a few letters long */
		int name = p.h <= 2 * letter && p.w >= 3 * letter;
		if (p.column == left || p.column == left + 1 || under > 8 * letter ||
		    (!in_left && !in_right) || (under > 2 * letter && (names == 2 || !name)))
			break;
		/* A name from further down is read after its column but is a
		 * region of its own: merged into the column's block, the block's
		 * box would take in the signature between them. */
		int own = -1000 - (int)e;
		if (in_left && (under <= 2 * letter || !(names & 1))) {
			size_t r = left_end(c, s, e, left);
			memmove(&c->items[r + 1], &c->items[r], (e - r) * sizeof *c->items);
			p.column = under > 2 * letter ? own : left;
			c->items[r] = p;
			names |= under > 2 * letter;
		} else if (in_right && name && !(names & 2)) {
			c->items[e].column = own; /* the right pieces end the run */
			names |= 2;
		} else {
			break;
		}
		b.bottom = p.y + p.h;
		e++;
	}
	return e;
}

/* Two signers' blocks whose lines share rows are cut across first (read row
 * by row would be wrong, but their rows are not a form's either) and then
 * each band into a left and a right column: band by band the left and right
 * blocks would alternate. Column pairs one right under the other, sharing a
 * gutter (the left pieces of both end before the right pieces of both
 * start), are one pair: all the left pieces are read, then all the right.
 * A row with a wide space just above such a pair, lined up with its gutter
 * (the blocks' first line, "Ý KIẾN CỦA CHỦ HỘ … Hải Phòng, ngày …"), is
 * split there and each half starts its column. */
static void join_column_pairs(cutter *c)
{
	const int letter = c->letter;
	for (size_t s = 0; s < c->count && !c->failed;) {
		int left = c->items[s].column;
		if (left <= 0 || left % 2 != 1) {
			s++;
			continue;
		}
		size_t e = pair_run(c, s, left);
		pair_box b = pair_extent(c, s, e, left);
		/* The next pair, right under this one, on the same gutter; both
		 * with pieces on both sides (a side may be cut in two again, its
		 * halves a pair of their own inside it). */
		int next = e < c->count ? c->items[e].column : 0;
		if (next > 0 && next % 2 == 1) {
			size_t f = pair_run(c, e, next);
			pair_box nb = pair_extent(c, e, f, next);
			int gl = b.lx2 > nb.lx2 ? b.lx2 : nb.lx2,
			    gr = b.rx1 < nb.rx1 ? b.rx1 : nb.rx1;
			if (b.lx2 > 0 && b.rx1 < 1 << 30 && nb.lx2 > 0 && nb.rx1 < 1 << 30 &&
			    gl < gr && nb.top - b.bottom <= 8 * letter) {
				for (size_t k = e; k < f; k++)
					c->items[k].column =
						c->items[k].column == next ? left : left + 1;
				/* Stable: the left pieces first, in order, then the right. */
				piece *tmp = malloc((f - s) * sizeof *tmp);
				size_t n = 0;
				if (!tmp) {
					c->failed = 1;
					return;
				}
				for (int side = 0; side < 2; side++)
					for (size_t k = s; k < f; k++)
						if (c->items[k].column == left + side)
							tmp[n++] = c->items[k];
				memcpy(&c->items[s], tmp, n * sizeof *tmp);
				free(tmp);
				continue; /* the same pair may take the next one too */
			}
		}
		if (b.lx2 > 0 && b.rx1 < 1 << 30)
			e = heads_and_feet(c, s, e, left);
		s = e;
	}
}

/* Dust as big as a letter part (a speck scanned at 150 dpi is 10-16 px at
 * 300) survives despeckling, and one speck in a gutter hides it from the
 * XY-cut: a two-column header then reads across. For layout only, ink that
 * stands alone — no other ink within a letter's height to either side or
 * half of it above or below (a capital's tone mark has its letter there),
 * and under 0.8 of a letter tall — is left out (dev sets: mean CER 5.77% ->
 * 4.49% and 3.00% -> 2.66%, samples 1.85% -> 1.77%). It is still read if it lies
 * in a region. */
static void drop_lone_specks(PIX *bin, int letter)
{
	/* Leptonica's composite DWA dilation, not pixDilateBrick (one
	 * full-page shift per pixel of the brick's width and height): about a
	 * tenth of the time, 1% of a page's CPU. A size it cannot compose is
	 * taken a pixel or two off (a letter of 31 px smears 30 or 32); the
	 * text of the 208 dev pages is the same. */
	PIX *smear = pixDilateCompBrickExtendDwa(NULL, bin, letter, letter / 2 + 1);
	PIX *groups = smear ? pixSelectBySize(smear, 2 * letter, letter * 13 / 10, 8,
					      L_SELECT_IF_EITHER, L_SELECT_IF_GTE, NULL)
			    : NULL;
	if (groups)
		pixAnd(bin, bin, groups);
	pixDestroy(&smear);
	pixDestroy(&groups);
}

/* A line ruled under a signature is no text, yet a piece of it as wide as
 * two letters keeps its rows apart from the text's, and when it is broken,
 * its pieces, thin strokes on rows of their own, read as two columns of
 * lines, and the signers' blocks and names around them fall apart. For
 * layout only, flat ink — at least four times as wide as tall, two letters
 * wide or more, half a letter tall or less — is left out. */
static void drop_strokes(PIX *bin, int letter)
{
	PIX *flat = pixSelectByWidthHeightRatio(bin, 4.0, 8, L_SELECT_IF_GTE, NULL);
	PIX *wide = flat ? pixSelectBySize(flat, 2 * letter, 0, 8, L_SELECT_WIDTH, L_SELECT_IF_GTE,
					   NULL)
			 : NULL;
	PIX *thin = wide ? pixSelectBySize(wide, 0, letter / 2, 8, L_SELECT_HEIGHT, L_SELECT_IF_LTE,
					   NULL)
			 : NULL;
	if (thin)
		pixSubtract(bin, bin, thin);
	pixDestroy(&flat);
	pixDestroy(&wide);
	pixDestroy(&thin);
}

/* Whether pieces i and k of `parts` stand side by side on one row: they
 * share half the rows of the shorter, a letter apart at most. */
static int side_by_side(BOXA *parts, int i, int k, int letter)
{
	l_int32 ax, ay, aw, ah, bx, by, bw, bh;
	boxaGetBoxGeometry(parts, i, &ax, &ay, &aw, &ah);
	boxaGetBoxGeometry(parts, k, &bx, &by, &bw, &bh);
	int rows = (ay + ah < by + bh ? ay + ah : by + bh) - (ay > by ? ay : by);
	int gap = bx > ax ? bx - (ax + aw) : ax - (bx + bw);
	return 2 * rows >= (ah < bh ? ah : bh) && gap <= letter;
}

/* Whether a block holds only scattered dust: four pieces of ink or more and
 * fewer than one in five with another beside it on its rows, within a letter
 * (letters stand in words, specks alone). A dense speckle's grains, grown by
 * scaling, stand close enough above each other to pass drop_lone_specks as
 * groups, and a margin full of them became a block read as a column of
 * digits ("1 2 4 5 7 8", confidence 94 to 97). Pieces are numbered in the
 * order of their top rows, so a letter's neighbour on its line is searched
 * outwards from it, and the count stops as soon as the block is text. */
static int only_dust(PIX *bin, int x, int y, int w, int h, int letter)
{
	BOX *box = boxCreate(x, y, w, h);
	PIX *clip = box ? pixClipRectangle(bin, box, NULL) : NULL;
	BOXA *parts = clip ? pixConnCompBB(clip, 8) : NULL;
	int n = parts ? boxaGetCount(parts) : 0, paired = 0;
	boxDestroy(&box);
	pixDestroy(&clip);
	if (n > DUST_MAX)
		n = 0; /* a field of specks this large is read, as before */
	for (int i = 0; i < n && 5 * paired < n; i++)
		for (int d = 1; d < n; d++)
			if ((i - d >= 0 && side_by_side(parts, i, i - d, letter)) ||
			    (i + d < n && side_by_side(parts, i, i + d, letter))) {
				paired++;
				break;
			}
	boxaDestroy(&parts);
	return n >= 4 && 5 * paired < n;
}

int ocr_regions(BOXA **out, int **is_table, PIX *bin, int letter, const ocr_table *tables,
		size_t ntables)
{
	cutter c = {.next_column = 1, .letter = letter > 0 ? letter : 30};
	BOXA *boxa = NULL;
	int *flags = NULL;

	*out = NULL;
	*is_table = NULL;
	/* Layout is found on glyph-sized ink only: specks, dots and diacritics
	 * would otherwise fill the gaps between lines and columns. A table is
	 * one solid block, never cut. */
	c.bin = pixSelectBySize(bin, 9, 9, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, NULL);
	if (c.bin && letter > 0) {
		drop_strokes(c.bin, letter);
		drop_lone_specks(c.bin, letter);
		c.drawn = pixSelectBySize(c.bin, 3 * letter, 2 * letter, 8, L_SELECT_IF_BOTH,
					  L_SELECT_IF_GT, NULL);
	}
	if (!c.bin)
		goto fail;
	for (size_t t = 0; t < ntables; t++)
		pixSetInRect(c.bin, tables[t].box);
	cut(&c, 0, 0, pixGetWidth(bin), pixGetHeight(bin), 0, 0);
	if (!c.failed)
		follow_columns(&c);
	if (!c.failed)
		join_column_pairs(&c);
	if (!c.failed)
		mark_tables(&c, tables, ntables);
	pixDestroy(&c.drawn);
	if (c.failed)
		goto fail;
	boxa = boxaCreate((l_int32)c.count);
	flags = calloc(c.count + 1, sizeof *flags);
	if (!boxa || !flags)
		goto fail;
	/* Merge consecutive pieces of the same column into one block. */
	for (size_t i = 0; i < c.count;) {
		size_t j = i + 1;
		int x1 = c.items[i].x, y1 = c.items[i].y;
		int x2 = x1 + c.items[i].w, y2 = y1 + c.items[i].h;
		while (!c.items[i].table && j < c.count && !c.items[j].table &&
		       c.items[j].column == c.items[i].column) {
			const piece *p = &c.items[j++];
			x1 = p->x < x1 ? p->x : x1;
			y1 = p->y < y1 ? p->y : y1;
			x2 = p->x + p->w > x2 ? p->x + p->w : x2;
			y2 = p->y + p->h > y2 ? p->y + p->h : y2;
		}
		if (!c.items[i].table && only_dust(c.bin, x1, y1, x2 - x1, y2 - y1, c.letter)) {
			i = j;
			continue;
		}
		flags[boxaGetCount(boxa)] = c.items[i].table;
		boxaAddBox(boxa, boxCreate(x1, y1, x2 - x1, y2 - y1), L_INSERT);
		i = j;
	}
	pixDestroy(&c.bin);
	free(c.items);
	*out = boxa;
	*is_table = flags;
	return 0;
fail:
	pixDestroy(&c.bin);
	pixDestroy(&c.drawn);
	free(c.items);
	free(flags);
	boxaDestroy(&boxa);
	return sohoa_error_set(SOHOA_ENOMEM, _("out of memory finding text regions"));
}

/* The margin stops at a table's box: a table's last rule broken by a poor
 * scan (bilevel, faded) otherwise lies in it, and its pieces with the top of
 * the line under it were read as a line of junk ("Giàn niam Ất: TS ngàn ĐÁ"
 * over "Thời gian niêm yết: 15 ngày"). */
void ocr_region_rect(l_int32 r[4], BOXA *regions, const int *is_table, l_int32 i, l_int32 pad)
{
	l_int32 x, y, w, h;
	boxaGetBoxGeometry(regions, i, &x, &y, &w, &h);
	r[0] = x > pad ? x - pad : 0;
	r[1] = y > pad ? y - pad : 0;
	r[2] = w + 2 * pad;
	r[3] = h + 2 * pad;
	for (l_int32 k = 0; k < boxaGetCount(regions); k++) {
		l_int32 tx, ty, tw, th;
		if (!is_table[k])
			continue;
		boxaGetBoxGeometry(regions, k, &tx, &ty, &tw, &th);
		if (tx >= x + w || tx + tw <= x)
			continue;
		if (ty + th <= y && ty + th > r[1]) {
			r[3] -= ty + th - r[1];
			r[1] = ty + th;
		}
		if (ty >= y + h && ty < r[1] + r[3])
			r[3] = ty - r[1];
	}
}
