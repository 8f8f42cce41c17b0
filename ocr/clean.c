/* ocr/clean.c: page preprocessing before recognition — resolution check,
 * suppression of coloured (seal, signature) ink, scaling to 300 dpi, background
 * normalisation, deskew, binarisation, despeckle and border removal — and the
 * geometry that maps boxes on the cleaned page back to the original. */
#include "ocr/ocr_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TARGET_DPI      300
#define A4_LONG_IN      11.69
#define GLYPH_AT_300    31.0
#define MAX_SCALED_SIDE 5000

/* Whether a resolution gives a page of a plausible size on its long side,
 * from min_in inches to A3: scanners that write 72 or 96 dpi, or nothing, for
 * a 200 or 300 dpi A4 scan fail this. */
static int plausible_dpi(int dpi, uint32_t w, uint32_t h, double min_in)
{
	double long_in;
	if (dpi < 70 || dpi > 1200)
		return 0;
	long_in = (double)(w > h ? w : h) / dpi;
	return long_in >= min_in && long_in <= 18.0;
}

/* Median height of letter-sized connected components on the page, in
 * pixels; 0 when there are too few to judge. */
static int median_glyph_height(PIX *gray)
{
	PIX *bin = ocr_binarise(gray);
	BOXA *boxes = bin ? pixConnCompBB(bin, 8) : NULL;
	NUMA *heights = numaCreate(0);
	l_float32 med = 0;

	NUMA *all = numaCreate(0);
	l_float32 p90 = 0;

	for (l_int32 i = 0; boxes && i < boxaGetCount(boxes); i++) {
		l_int32 x, y, w, h;
		boxaGetBoxGeometry(boxes, i, &x, &y, &w, &h);
		if (h >= 6 && h <= 250 && w >= 3 && w <= 4 * h)
			numaAddNumber(all, (l_float32)h);
	}
	/* Specks and diacritics are many and small: judge by the components at
	 * least half as tall as the tall ones (the letters). */
	if (numaGetCount(all) >= 150)
		numaGetRankValue(all, 0.9f, NULL, 0, &p90);
	for (l_int32 i = 0; i < numaGetCount(all); i++) {
		l_float32 h;
		numaGetFValue(all, i, &h);
		if (h >= p90 * 0.5f)
			numaAddNumber(heights, h);
	}
	numaDestroy(&all);
	if (numaGetCount(heights) >= 100)
		numaGetMedian(heights, &med);
	numaDestroy(&heights);
	boxaDestroy(&boxes);
	pixDestroy(&bin);
	return (int)med;
}

void ocr_choose_dpi(ocr_geometry *g, PIX *gray, int declared, int fallback)
{
	uint32_t longest = g->orig_w > g->orig_h ? g->orig_w : g->orig_h;
	int med, from_text;

	g->dpi_declared = declared;
	/* A declared resolution is kept down to the size of an identity card
	 * (3.4 in), which offices scan on its own; an estimate must give A6 to A3. */
	if (plausible_dpi(declared, g->orig_w, g->orig_h, 3.0)) {
		g->dpi = declared;
		g->dpi_estimated = 0;
		return;
	}
	/* Body text of administrative documents is 12-14 pt; its letters have a
	 * median height of GLYPH_AT_300 px at 300 dpi. */
	med = fallback > 0 ? 0 : median_glyph_height(gray);
	from_text = med > 0 ? (int)lround(300.0 * med / GLYPH_AT_300) : 0;
	sohoa_log_debug("resolution: declared %d, median glyph %d px, text suggests %d", declared,
			med, from_text);
	g->dpi_estimated = 1;
	if (fallback > 0)
		g->dpi = fallback;
	else if (from_text > 0 && plausible_dpi(from_text, g->orig_w, g->orig_h, 5.5))
		g->dpi = from_text;
	else /* Office scans are A4: estimate from the long side. Also when the
	      * text suggests a page past A3 or under A6 (letters broken up by
	      * fading or a harsh threshold measure too small). */
		g->dpi = (int)lround(longest / A4_LONG_IN);
	if (g->dpi < 70)
		g->dpi = 70;
	if (g->dpi > 600)
		g->dpi = 600;
	/* Never blow a page up past A3 at 300 dpi (5000 px on the long side): a
	 * wrong estimate must not cost gigabytes. */
	if ((double)longest * TARGET_DPI / g->dpi > MAX_SCALED_SIDE)
		g->dpi = (int)(longest * (double)TARGET_DPI / MAX_SCALED_SIDE) + 1;
}

/* Colour to gray, each pixel its brightest channel: black text stays dark,
 * while red and blue ink (seals, signatures, stamps), bright in their own
 * channel, turn light — text under a seal survives. Dark coloured ink (navy
 * ballpoint, a seal's deep red rim after JPEG) is not bright in any channel;
 * what gives it away is colour: a pixel whose channels differ by more than
 * CHROMA_INK is lightened by twice the excess. Black and gray ink, and the
 * colour fringes JPEG leaves round black text, stay under it. */
#define CHROMA_INK 40

static PIX *colour_to_gray(PIX *rgb)
{
	l_int32 w = pixGetWidth(rgb), h = pixGetHeight(rgb);
	PIX *gray = pixCreate(w, h, 8);
	if (!gray)
		return NULL;
	pixCopyResolution(gray, rgb);
	l_int32 ws = pixGetWpl(rgb), wd = pixGetWpl(gray);
	const l_uint32 *src = pixGetData(rgb);
	l_uint32 *dst = pixGetData(gray);
	for (l_int32 y = 0; y < h; y++) {
		const l_uint32 *ls = src + y * ws;
		l_uint32 *ld = dst + y * wd;
		for (l_int32 x = 0; x < w; x++) {
			l_int32 r, g, b;
			extractRGBValues(ls[x], &r, &g, &b);
			l_int32 hi = r > g ? (r > b ? r : b) : (g > b ? g : b);
			l_int32 lo = r < g ? (r < b ? r : b) : (g < b ? g : b);
			l_int32 v = hi + (hi - lo > CHROMA_INK ? 2 * (hi - lo - CHROMA_INK) : 0);
			SET_DATA_BYTE(ld, x, v > 255 ? 255 : v);
		}
	}
	return gray;
}

/* Any depth to 8-bit gray; colour as colour_to_gray(). */
PIX *ocr_to_gray(PIX *pix)
{
	PIX *noc = NULL, *gray = NULL;
	l_int32 d;

	noc = pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC);
	if (!noc)
		return NULL;
	d = pixGetDepth(noc);
	if (d == 32)
		gray = colour_to_gray(noc);
	else if (d == 8)
		gray = pixClone(noc);
	else if (d == 1)
		gray = pixConvert1To8(NULL, noc, 255, 0);
	else if (d == 16)
		gray = pixConvert16To8(noc, L_MS_BYTE);
	else
		gray = pixConvertTo8(noc, 0);
	pixDestroy(&noc);
	return gray;
}

/* Flattens uneven, yellowed, dark or faded paper to white and stretches the
 * ink to black. The background is estimated by a grayscale closing (text
 * strokes are thinner than the structuring element) at a quarter of the
 * resolution, and each pixel is scaled by 255 over the background of its
 * 4 × 4 tile, as Leptonica's pixBackgroundNormMorph does; the histogram is
 * counted in the same pass. The darkest 0.3% of pixels then set the ink
 * level that a tone curve stretches to black. Leptonica's apply, histogram
 * (floats, through its pixel accessors) and tone curve took 65 ms of a
 * 300 dpi page; this pass and a table lookup take a quarter of that, with
 * the same bytes out. */
#define BG_TILE 4
#define DARKEST 0.003 /* the share of a page's pixels stretched to black */

/* The first level of histogram `hist` (levels 0 to end - 1) at which the
 * count of pixels that dark or darker reaches `want`; -1 if none. */
static l_int32 level_at(const uint64_t *hist, l_int32 end, uint64_t want)
{
	uint64_t acc = 0;
	for (l_int32 i = 0; i < end; i++)
		if ((acc += hist[i]) >= want)
			return i;
	return -1;
}

/* Stretches 8-bit `pix` in place: level `dark` and darker to black, the
 * levels from there to nine tenths of the way to white over the whole
 * range, lighter ones to white (a tone curve read through a table, four
 * pixels a word). 0 when the curve cannot be made: `pix` stays. */
static int stretch_to_black(PIX *pix, l_int32 dark)
{
	NUMA *curve = numaGammaTRC(1.0f, dark, dark + (255 - dark) * 9 / 10);
	if (!curve)
		return 0;
	const l_float32 *c = numaGetFArray(curve, L_NOCOPY);
	l_uint8 lut[256];
	for (int i = 0; i < 256; i++)
		lut[i] = (l_uint8)c[i];
	numaDestroy(&curve);
	l_int32 w = pixGetWidth(pix), h = pixGetHeight(pix), wpl = pixGetWpl(pix);
	l_uint32 *data = pixGetData(pix);
	for (l_int32 y = 0; y < h; y++) {
		l_uint32 *ld = data + (size_t)y * wpl;
		for (l_int32 k = 0; k < (w + 3) / 4; k++)
			ld[k] = (l_uint32)lut[ld[k] >> 24] << 24 |
				(l_uint32)lut[(ld[k] >> 16) & 0xff] << 16 |
				(l_uint32)lut[(ld[k] >> 8) & 0xff] << 8 | lut[ld[k] & 0xff];
	}
	return 1;
}

static PIX *normalise_background(PIX *gray)
{
	PIX *map = NULL, *inv = NULL, *norm = pixCreateTemplate(gray);
	l_int32 w = pixGetWidth(gray), h = pixGetHeight(gray);

	if (!norm)
		return NULL;
	/* Without a map (a page too small for the closing) the page keeps its
	 * shades (a factor of 256/256) and is only stretched. */
	if (pixGetBackgroundGrayMapMorph(gray, NULL, BG_TILE, 9, &map) == 0 && map)
		inv = pixGetInvBackgroundMap(map, 255, 0, 0);
	pixDestroy(&map);

	l_int32 wpls = pixGetWpl(gray), wpld = pixGetWpl(norm), wpli = inv ? pixGetWpl(inv) : 0;
	l_int32 mw = inv ? pixGetWidth(inv) : 0, mh = inv ? pixGetHeight(inv) : 0;
	const l_uint32 *src = pixGetData(gray), *idata = inv ? pixGetData(inv) : NULL;
	l_uint32 *dst = pixGetData(norm);
	/* Four pixels a word, one tile factor a word (BG_TILE is 4); a histogram
	 * per byte lane, so runs of white do not wait on one counter. */
	uint64_t hist[4][256] = {{0}};
	for (l_int32 y = 0; y < h; y++) {
		l_int32 my = y / BG_TILE < mh ? y / BG_TILE : mh - 1;
		const l_uint32 *ls = src + (size_t)y * wpls;
		const l_uint32 *li = idata ? idata + (size_t)my * wpli : NULL;
		l_uint32 *ld = dst + (size_t)y * wpld;
		for (l_int32 k = 0; k < (w + 3) / 4; k++) {
			l_uint32 f = li ? GET_DATA_TWO_BYTES(li, k < mw ? k : mw - 1) : 256;
			l_uint32 in = ls[k], out = 0;
			for (int b = 0; b < 4; b++) {
				l_uint32 v = ((in >> (24 - 8 * b)) & 0xff) * f / 256;
				v = v < 255 ? v : 255;
				if (4 * k + b < w) { /* the padding stays blank */
					hist[b][v]++;
					out |= v << (24 - 8 * b);
				}
			}
			ld[k] = out;
		}
	}
	pixDestroy(&inv);

	uint64_t all[256];
	for (l_int32 i = 0; i < 256; i++)
		all[i] = hist[0][i] + hist[1][i] + hist[2][i] + hist[3][i];
	l_int32 dark = level_at(all, 256, (uint64_t)ceil((double)w * h * DARKEST));
	dark = dark < 0 ? 0 : dark;
	if (dark > 0 && dark < 200)
		stretch_to_black(norm, dark);
	return norm;
}

static PIX *scale_to_target(PIX *gray, ocr_geometry *g)
{
	double f = (double)TARGET_DPI / g->dpi;
	if (f > 0.85 && f < 1.15) {
		g->scale = 1.0;
		return pixClone(gray);
	}
	g->scale = f;
	/* No unsharp masking (pixScale's default): it costs time and sharpens
	 * JPEG noise and specks as much as the strokes (CER 3.69% → 3.61% on the
	 * dev set). */
	return pixScaleGeneral(gray, (l_float32)f, (l_float32)f, 0.0f, 0);
}

/* ------------------------------------------------------------ despeckle */
/* Specks are as small as the dots of Vietnamese text (a dot below, a tone
 * mark, a full stop), so size alone cannot tell them apart; position can. A
 * small component stays only where a mark of writing would be: touching a
 * letter (a stroke broken by a drop-out), just above or below one and over
 * it (diacritics, the dot of an i), on the baseline just after one (full
 * stop, comma), or over or after such a dot (colon, semicolon, ellipsis).
 * A speck between words or between lines, which Tesseract reads as "-",
 * "'" or "°", goes. */

#define GRID 64

typedef struct {
	BOXA *big;      /* letter-sized components */
	l_int32 gw, gh; /* grid cells across and down */
	l_int32 **cell; /* per cell, indices into big (count at [0]) */
	l_int32 letter; /* median letter height, pixels */
} speck_ctx;

static void grid_add(speck_ctx *c, l_int32 cx, l_int32 cy, l_int32 idx)
{
	l_int32 *v = c->cell[cy * c->gw + cx];
	l_int32 n = v ? v[0] : 0;
	if (!v || (n & (n + 1)) == 0) { /* grow at 1, 3, 7, 15… entries */
		l_int32 *g = realloc(v, (size_t)(2 * (n + 1) + 1) * sizeof *g);
		if (!g)
			return;
		v = g;
		c->cell[cy * c->gw + cx] = v;
	}
	v[0] = n + 1;
	v[n + 1] = idx;
}

/* The median letter height of `big`, and room for its grid. */
static int speck_ctx_init(speck_ctx *c, BOXA *big, l_int32 w, l_int32 h)
{
	NUMA *heights = numaCreate(0);
	l_float32 med = 0;

	c->big = big;
	c->gw = (w + GRID - 1) / GRID;
	c->gh = (h + GRID - 1) / GRID;
	c->cell = calloc((size_t)c->gw * (size_t)c->gh, sizeof *c->cell);
	for (l_int32 i = 0; i < boxaGetCount(big); i++) {
		l_int32 bw, bh;
		boxaGetBoxGeometry(big, i, NULL, NULL, &bw, &bh);
		if (bh >= 12 && bh <= 120 && bw <= 3 * bh)
			numaAddNumber(heights, (l_float32)bh);
	}
	if (numaGetCount(heights) >= 20)
		numaGetMedian(heights, &med);
	numaDestroy(&heights);
	c->letter = med >= 12 ? (l_int32)med : 30;
	return c->cell ? 0 : -1;
}

/* What a component of 9 pixels or more is to despeckling. */
enum { PART_LETTER, PART_DRAWING, PART_DOT, PART_SEAL };

/* Files each letter of `big` in the grid cells it covers; rules, frames and
 * the components marked in `skip` (drawings, dots) are no letters. */
static void speck_ctx_fill(speck_ctx *c, const char *skip)
{
	for (l_int32 i = 0; i < boxaGetCount(c->big); i++) {
		l_int32 x, y, bw, bh;
		boxaGetBoxGeometry(c->big, i, &x, &y, &bw, &bh);
		if (bw > 8 * GRID || bh > 8 * GRID || skip[i])
			continue;
		for (l_int32 cy = y / GRID; cy <= (y + bh - 1) / GRID && cy < c->gh; cy++)
			for (l_int32 cx = x / GRID; cx <= (x + bw - 1) / GRID && cx < c->gw; cx++)
				grid_add(c, cx, cy, i);
	}
}

static void speck_ctx_free(speck_ctx *c)
{
	for (l_int32 i = 0; c->cell && i < c->gw * c->gh; i++)
		free(c->cell[i]);
	free(c->cell);
}

/* Whether small component `s` sits where a mark of writing would, next to
 * letter `b` (boxes as x, y, w, h). */
static int mark_of(const l_int32 s[4], const l_int32 b[4], l_int32 letter)
{
	l_int32 sr = s[0] + s[2], sb = s[1] + s[3], br = b[0] + b[2], bb = b[1] + b[3];
	l_int32 slack = letter / 6;
	int over = s[0] <= br + slack && sr >= b[0] - slack; /* columns overlap */

	if (s[0] <= br + 2 && sr >= b[0] - 2 && s[1] <= bb + 2 && sb >= b[1] - 2)
		return 1; /* touches the letter: a broken stroke */
	if (over && sb <= b[1] + 2 && b[1] - sb <= letter * 2 / 5)
		return 1; /* above it: a tone mark, a circumflex, the dot of an i */
	if (over && s[1] >= bb - 2 && s[1] - bb <= letter / 3)
		return 1; /* below it: the dot of ạ, ệ, ị */
	/* Over a comma, a letter's height above the dot at most: the upper dot
	 * of a semicolon (the comma's tail makes it too tall to be a speck);
	 * in italics it leans right of the comma, by up to the comma's width. */
	if (b[2] <= letter / 3 && b[3] >= b[2] && b[3] <= letter * 2 / 3 && 2 * s[2] >= b[2] &&
	    s[2] <= 2 * b[2] && s[3] <= 2 * s[2] && s[3] * 2 >= s[2] &&
	    2 * s[0] + s[2] >= 2 * b[0] && 2 * s[0] + s[2] <= 2 * (br + b[2]) && sb <= b[1] &&
	    b[1] - sb <= letter * 3 / 4)
		return 1;
	/* Just after it on the baseline: a full stop or a comma. A narrow,
	 * tall glyph (a 1, an l) stands inside a wider advance: the digits of
	 * serif faces are set all one width, and the stop after a "1" lies 0.41
	 * of a letter from its ink ("1. Chỉ đạo", DejaVu Serif), past the reach
	 * for letters. */
	l_int32 reach = letter * 2 / 5;
	if (4 * b[2] < 3 * letter && 5 * b[3] >= 6 * letter)
		reach = letter / 2;
	return s[0] >= br - 2 && s[0] - br <= reach && s[1] >= b[1] + b[3] * 2 / 5 &&
	       s[1] <= bb + 2;
}

static int near_letter(const speck_ctx *c, const l_int32 s[4])
{
	l_int32 r = c->letter;
	l_int32 x0 = (s[0] - r) / GRID, x1 = (s[0] + s[2] + r) / GRID;
	l_int32 y0 = (s[1] - r) / GRID, y1 = (s[1] + s[3] + r) / GRID;
	for (l_int32 cy = y0 < 0 ? 0 : y0; cy <= y1 && cy < c->gh; cy++) {
		for (l_int32 cx = x0 < 0 ? 0 : x0; cx <= x1 && cx < c->gw; cx++) {
			const l_int32 *v = c->cell[cy * c->gw + cx];
			for (l_int32 k = 1; v && k <= v[0]; k++) {
				l_int32 b[4];
				boxaGetBoxGeometry(c->big, v[k], &b[0], &b[1], &b[2], &b[3]);
				if (mark_of(s, b, c->letter))
					return 1;
			}
		}
	}
	return 0;
}

/* Second look at a small component that is no mark of a letter: the upper
 * dot of a colon or semicolon (over a kept dot), or the next dot of an
 * ellipsis (after one). */
static int near_kept_dot(const l_int32 s[4], BOXA *small, const int *keep, l_int32 letter)
{
	for (l_int32 i = 0; i < boxaGetCount(small); i++) {
		l_int32 d[4];
		if (!keep[i])
			continue;
		boxaGetBoxGeometry(small, i, &d[0], &d[1], &d[2], &d[3]);
		int over = s[0] <= d[0] + d[2] + 2 && s[0] + s[2] >= d[0] - 2;
		if (over && s[1] + s[3] <= d[1] && d[1] - (s[1] + s[3]) <= letter * 2 / 3)
			return 1;
		if (s[0] >= d[0] + d[2] && s[0] - (d[0] + d[2]) <= letter / 3 &&
		    abs((s[1] + s[3]) - (d[1] + d[3])) <= 3)
			return 1;
	}
	return 0;
}

/* ------------------------------------------------------------- drawings */
/* Signatures and seals in black ink (gray and bilevel scans keep them) are
 * read as junk ("2 2 4< S1"), and a scribble touching the "(Ký, ghi rõ họ
 * tên)" line above it takes that line out of Tesseract's line finder. A
 * drawing is one component over 1.6 letters tall and 3 wide whose ink fills
 * under DRAWING_FILL of its box: letters run together by blur or bold type
 * fill a quarter of theirs or more (dev pages: drawings 0.03-0.21, merged
 * letters 0.23-0.45), and a table's frame holds a rule. */
#define DRAWING_FILL 0.22

/* Whether `mask` holds a straight run of RULE_RUN pixels across (dir 0) or
 * down (dir 1): a rule, as remove_rules() takes them. */
#define RULE_RUN 120

static int has_rule(PIX *mask, int dir)
{
	l_int32 len = dir ? pixGetHeight(mask) : pixGetWidth(mask), empty = 1;
	PIX *runs = len >= RULE_RUN ? ocr_long_runs(mask, dir, RULE_RUN) : NULL;
	if (runs)
		pixZero(runs, &empty);
	pixDestroy(&runs);
	return !empty;
}

static int is_drawing(PIX *mask, l_int32 letter)
{
	l_int32 w = pixGetWidth(mask), h = pixGetHeight(mask), n = 0;

	if (5 * h < 8 * letter || w < 3 * letter)
		return 0;
	if (pixCountPixels(mask, &n, NULL) != 0 || n >= DRAWING_FILL * w * h)
		return 0;
	return !has_rule(mask, 0) && !has_rule(mask, 1);
}

/* Paints into `drawn` the ink of drawing `d` (mask `m`) except on the rows
 * of the letters in or beside it: the line of text a scribble touches, a
 * signer's name under a seal, a seal's legend. */
static void mark_drawing(PIX *drawn, PIX *m, BOXA *big, const char *part, l_int32 d, l_int32 letter)
{
	l_int32 dx, dy, dw, dh;
	char *band;

	boxaGetBoxGeometry(big, d, &dx, &dy, &dw, &dh);
	band = calloc((size_t)dh, 1);
	if (!band)
		return;
	for (l_int32 i = 0; i < boxaGetCount(big); i++) {
		l_int32 x, y, w, h;
		boxaGetBoxGeometry(big, i, &x, &y, &w, &h);
		if (part[i] != PART_LETTER || h > 3 * letter / 2 || x + w < dx - 2 * letter ||
		    x > dx + dw + 2 * letter || y + h < dy || y > dy + dh)
			continue;
		for (l_int32 r = y - 2 < dy ? 0 : y - 2 - dy; r < dh && r < y + h + 2 - dy; r++)
			band[r] = 1;
	}
	for (l_int32 r = 0; r < dh;) {
		l_int32 end = r;
		while (end < dh && band[end] == band[r])
			end++;
		if (!band[r])
			pixRasterop(drawn, dx, dy + r, dw, end - r, PIX_PAINT, m, 0, r);
		r = end;
	}
	free(band);
}

/* Whether (x, y) lies on one of the `n` rings. */
static int on_ring(const ocr_ring *ring, int n, l_int32 x, l_int32 y)
{
	for (int k = 0; k < n; k++)
		if (fabs(hypot(x - ring[k].cx, y - ring[k].cy) - ring[k].r) <=
		    ring[k].stroke / 2.0 + 2)
			return 1;
	return 0;
}

/* Whether the ink of piece `m` at (x, y) of `bin` runs on across one of the
 * `n` rings it touches: a letter that the ring, taken out, cut in two. */
static int crosses_ring(PIX *bin, PIX *m, l_int32 x, l_int32 y, const ocr_ring *ring, int n)
{
	l_int32 w = pixGetWidth(m), h = pixGetHeight(m), hits = 0;
	for (l_int32 j = 0; j < h; j++)
		for (l_int32 i = 0; i < w; i++) {
			l_uint32 v = 0;
			pixGetPixel(m, i, j, &v);
			if (!v)
				continue;
			double dx = x + i - ring[0].cx, dy = y + j - ring[0].cy,
			       rho = hypot(dx, dy);
			for (int k = 0; rho > 0 && k < n; k++) {
				double gap = ring[k].stroke / 2.0 + 3, d = rho - ring[k].r;
				if (fabs(d) > gap)
					continue;
				double to = (ring[k].r + (d > 0 ? -gap : gap)) / rho;
				l_int32 ox = ring[0].cx + (l_int32)lround(dx * to);
				l_int32 oy = ring[0].cy + (l_int32)lround(dy * to);
				l_uint32 o = 0;
				if (ox >= 0 && oy >= 0 && ox < pixGetWidth(bin) &&
				    oy < pixGetHeight(bin))
					pixGetPixel(bin, ox, oy, &o);
				if (o && !on_ring(ring, n, ox, oy) && ++hits >= 2)
					return 1;
			}
		}
	return 0;
}

/* Paints into `mine` the pieces of `kept` (the seal's ink but its rings, in
 * a square of side 2 * reach + 1 round its centre) that lie wholly between
 * its outer ring and radius `inner`, unless they run on across a ring: the
 * legend's letters, which text passing through the seal does not stay
 * inside. */
static void drop_legend(PIX *mine, PIX *bin, PIX *kept, const ocr_ring *ring, int nring,
			l_int32 reach, double inner)
{
	PIXA *pa = NULL;
	BOXA *boxes = pixConnComp(kept, &pa, 8);
	l_int32 x0 = ring[0].cx - reach, y0 = ring[0].cy - reach;
	for (l_int32 i = 0; boxes && i < boxaGetCount(boxes); i++) {
		l_int32 bx, by, bw, bh, in = 1;
		boxaGetBoxGeometry(boxes, i, &bx, &by, &bw, &bh);
		PIX *m = pixaGetPix(pa, i, L_CLONE);
		for (l_int32 y = 0; m && in && y < bh; y++)
			for (l_int32 x = 0; in && x < bw; x++) {
				l_uint32 v = 0;
				pixGetPixel(m, x, y, &v);
				if (v && hypot(bx + x - reach, by + y - reach) < inner)
					in = 0;
			}
		if (m && in && !crosses_ring(bin, m, x0 + bx, y0 + by, ring, nring))
			pixRasterop(mine, bx, by, bw, bh, PIX_PAINT, m, 0, 0);
		pixDestroy(&m);
	}
	boxaDestroy(&boxes);
	pixaDestroy(&pa);
}

/* Paints into `mine` the solid blot (a star) of `kept` inside radius
 * `inner` of the seal's centre: what a square of half a letter fits in, at
 * least a letter and a half across and near the centre, grown back by a
 * third of a letter. Text strokes are thinner than that. */
static void drop_star(PIX *mine, PIX *kept, const ocr_ring *ring, l_int32 reach, double inner,
		      l_int32 letter)
{
	l_int32 half = (l_int32)inner, side = 2 * half + 1, b = letter / 2 > 9 ? letter / 2 : 9;
	PIX *disc = pixCreate(side, side, 1), *open = NULL, *core = NULL, *grown = NULL;
	if (!disc)
		return;
	for (l_int32 y = 0; y < side; y++)
		for (l_int32 x = 0; x < side; x++) {
			l_uint32 v = 0;
			if (hypot(x - half, y - half) >= inner)
				continue;
			pixGetPixel(kept, reach - half + x, reach - half + y, &v);
			if (v)
				pixSetPixel(disc, x, y, 1);
		}
	open = pixOpenBrick(NULL, disc, b, b);
	core = open ? pixCreateTemplate(open) : NULL;
	PIXA *pa = NULL;
	BOXA *boxes = core ? pixConnComp(open, &pa, 8) : NULL;
	l_int32 found = 0;
	for (l_int32 i = 0; boxes && i < boxaGetCount(boxes); i++) {
		l_int32 x, y, w, h;
		boxaGetBoxGeometry(boxes, i, &x, &y, &w, &h);
		if (2 * w < 3 * letter || 2 * h < 3 * letter ||
		    hypot(x + w / 2.0 - half, y + h / 2.0 - half) > 0.35 * ring[0].r)
			continue;
		PIX *m = pixaGetPix(pa, i, L_CLONE);
		if (m)
			pixRasterop(core, x, y, w, h, PIX_PAINT, m, 0, 0), found = 1;
		pixDestroy(&m);
	}
	boxaDestroy(&boxes);
	pixaDestroy(&pa);
	if (found)
		grown = pixDilateBrick(NULL, core, letter / 3 | 1, letter / 3 | 1);
	if (grown) {
		pixAnd(grown, grown, disc);
		pixRasterop(mine, reach - half, reach - half, side, side, PIX_PAINT, grown, 0, 0);
	}
	pixDestroy(&grown);
	pixDestroy(&core);
	pixDestroy(&open);
	pixDestroy(&disc);
}

/* Clears from `mine` (a seal's ink that recognition leaves out) each line
 * of text's stretch on the rows marked in `band`: from the first ink of
 * `kept` not in `mine` to the last. Layout, which sees the rest of the seal
 * no more, then keeps such a line whole across the seal without letting
 * the seal join it to a column beside. */
#define BAND_LEFT  2 /* a row of a letter left of the seal */
#define BAND_RIGHT 4 /* one of a letter right of it */
static void spare_lines(PIX *mine, PIX *kept, const char *band)
{
	l_int32 side = pixGetHeight(mine);
	for (l_int32 r0 = 0; r0 < side;) {
		l_int32 r1 = r0, lo = side, hi = -1;
		while (r1 < side && !band[r1] == !band[r0])
			r1++;
		for (l_int32 r = r0; band[r0] && r < r1; r++)
			for (l_int32 x = 0; x < side; x++) {
				l_uint32 k = 0, m = 0;
				pixGetPixel(kept, x, r, &k);
				pixGetPixel(mine, x, r, &m);
				if (k && !m) {
					lo = x < lo ? x : lo;
					hi = x > hi ? x : hi;
				}
			}
		for (l_int32 r = r0; band[r0] && r < r1; r++) {
			int through =
				(band[r] & (BAND_LEFT | BAND_RIGHT)) == (BAND_LEFT | BAND_RIGHT);
			BOX *b = through    ? boxCreate(0, r, side, 1)
				 : hi >= lo ? boxCreate(lo, r, hi - lo + 1, 1)
					    : NULL;
			if (b)
				pixClearInRect(mine, b);
			boxDestroy(&b);
		}
		r0 = r1;
	}
}

/* Seals looked for on one page; rings looked for inside each. */
#define MAX_SEALS 4
#define MAX_RINGS 4

/* Paints into `drawn` the ink of `bin` that belongs to seal `s`: its rings
 * wherever they run, and everything else inside it but on the rows of the
 * letters just beside it, which are the lines of text the seal was stamped
 * over (the signer's title, the name); on those rows, when the seal's
 * legend band and star are found, the legend's letters and the star too.
 * `sealed`, for layout, gets the same but each such line's stretch across
 * the seal (see spare_lines). */
static void mark_seal(PIX *drawn, PIX *sealed, PIX *bin, const ocr_ring *s, BOXA *big,
		      const char *part, l_int32 letter)
{
	l_int32 reach = s->r + s->stroke / 2 + 2, top = s->cy - reach, side = 2 * reach + 1;
	l_int32 left = s->cx - reach;
	ocr_ring ring[MAX_RINGS + 1] = {*s};
	int nring = 1 + ocr_inner_rings(bin, s, ring + 1, MAX_RINGS);
	char *band = calloc((size_t)side, 1);

	if (!band)
		return;
	for (l_int32 i = 0; i < boxaGetCount(big); i++) {
		l_int32 x, y, w, h;
		boxaGetBoxGeometry(big, i, &x, &y, &w, &h);
		if (part[i] != PART_LETTER || h > 3 * letter / 2 ||
		    x + w < s->cx - reach - 3 * letter || x > s->cx + reach + 3 * letter ||
		    y + h < top || y > top + side)
			continue;
		double dx = x > s->cx ? x - s->cx : s->cx > x + w ? s->cx - (x + w) : 0;
		double dy = y > s->cy ? y - s->cy : s->cy > y + h ? s->cy - (y + h) : 0;
		if (hypot(dx, dy) <= reach)
			continue; /* inside: the legend's letters */
		char mark = 1 | (2 * x + w < 2 * s->cx ? BAND_LEFT : BAND_RIGHT);
		for (l_int32 r = y - 2 - top; r <= y + h + 2 - top; r++)
			if (r >= 0 && r < side)
				band[r] |= mark;
	}
	PIX *kept = pixCreate(side, side, 1), *mine = pixCreate(side, side, 1);
	if (!kept || !mine)
		goto done;
	for (l_int32 r = 0; r < side; r++) {
		l_int32 y = top + r, dy = y - s->cy;
		l_int32 half = (l_int32)sqrt((double)reach * reach - (double)dy * dy);
		for (l_int32 x = s->cx - half; x <= s->cx + half; x++) {
			l_uint32 v = 0;
			if (x < 0 || y < 0 || x >= pixGetWidth(bin) || y >= pixGetHeight(bin))
				continue;
			pixGetPixel(bin, x, y, &v);
			int onr = v && on_ring(ring, nring, x, y);
			if (v && (!band[r] || onr))
				pixSetPixel(mine, x - left, r, 1);
			if (v && !onr)
				pixSetPixel(kept, x - left, r, 1);
		}
	}
	/* the legend's band: inside the outer ring, outside the innermost ring
	 * found at over 0.45 of its radius */
	double inner = 0;
	for (int k = 1; k < nring; k++)
		if (ring[k].r >= 0.45 * s->r)
			inner = ring[k].r - ring[k].stroke / 2.0 - 2;
	if (inner > 0) {
		drop_legend(mine, bin, kept, ring, nring, reach, inner);
		drop_star(mine, kept, ring, reach, inner, letter);
	}
	pixRasterop(drawn, left, top, side, side, PIX_PAINT, mine, 0, 0);
	if (sealed) {
		spare_lines(mine, kept, band);
		pixRasterop(sealed, left, top, side, side, PIX_PAINT, mine, 0, 0);
	}
done:
	pixDestroy(&kept);
	pixDestroy(&mine);
	free(band);
}

/* Sorts bin's components into the letter-sized (9 pixels or more across or
 * down) and the small ones (3 to 8), dropping those under 3 × 3, which at
 * 300 dpi are never writing. One labelling of the page instead of the four
 * of selecting by size twice and labelling each part; each list keeps the
 * page order a labelling of its own part would give. */
static int sort_components(PIX *bin, PIXA **small, PIXA **big)
{
	PIXA *all = NULL;
	BOXA *boxes = pixConnComp(bin, &all, 8);
	*small = pixaCreate(0);
	*big = pixaCreate(0);
	int ok = boxes && *small && *big;
	for (l_int32 i = 0; ok && i < pixaGetCount(all); i++) {
		l_int32 w, h;
		pixaGetBoxGeometry(all, i, NULL, NULL, &w, &h);
		if (w < 3 && h < 3)
			continue;
		PIXA *to = w >= 9 || h >= 9 ? *big : *small;
		PIX *m = pixaGetPix(all, i, L_CLONE);
		BOX *b = pixaGetBox(all, i, L_CLONE);
		ok = m && b && pixaAddPix(to, m, L_INSERT) == 0 && pixaAddBox(to, b, L_INSERT) == 0;
	}
	boxaDestroy(&boxes);
	pixaDestroy(&all);
	return ok;
}

/* Paints the components of `pa` but those marked in `omit` into a blank page
 * the size of `like`. */
static PIX *paint_components(PIX *like, PIXA *pa, const char *omit)
{
	PIX *out = pixCreateTemplate(like);
	for (l_int32 i = 0; out && i < pixaGetCount(pa); i++) {
		l_int32 x, y, w, h;
		if (omit[i])
			continue;
		PIX *m = pixaGetPix(pa, i, L_CLONE);
		pixaGetBoxGeometry(pa, i, &x, &y, &w, &h);
		pixRasterop(out, x, y, w, h, PIX_PAINT, m, 0, 0);
		pixDestroy(&m);
	}
	return out;
}

/* Whether a component of 9 pixels or more is a roundish blot (sides within
 * 3:2) under 2/5 of a letter across and down, filled at least half: a speck
 * grown large (a heavy scan, or a page scaled up from a resolution guessed
 * low from its text) or a large full stop, colon dot or tone mark, which
 * position tells apart as for the small ones. A hyphen or dash is too long
 * for this (at 2:1, "Độc lập - Tự do" lost its hyphens), a letter too tall. */
static int is_dot(PIX *m, l_int32 letter)
{
	l_int32 w = pixGetWidth(m), h = pixGetHeight(m), n = 0;
	if (5 * w > 2 * letter || 5 * h > 2 * letter || 3 * w < 2 * h || 3 * h < 2 * w)
		return 0;
	return pixCountPixels(m, &n, NULL) == 0 && 2 * n >= w * h;
}

/* Whether the centre of component i lies in one of the seals found. */
static int in_seal(const ocr_ring *seal, int nseal, BOXA *big, l_int32 i)
{
	l_int32 x, y, w, h;
	boxaGetBoxGeometry(big, i, &x, &y, &w, &h);
	for (int k = 0; k < nseal; k++)
		if (hypot(x + w / 2 - seal[k].cx, y + h / 2 - seal[k].cy) < seal[k].r)
			return 1;
	return 0;
}

static PIX *despeckle(PIX *bin, int *letter, PIX **drawn, PIX **sealed)
{
	PIX *out = NULL;
	PIXA *pixa = NULL, *bigpixa = NULL;
	BOXA *small = NULL, *bigb = NULL, *cand = NULL;
	speck_ctx c = {0};
	int *keep = NULL;       /* candidate next to a letter */
	char *stays = NULL;     /* candidate kept: next to a letter or a kept mark */
	char *part = NULL;      /* PART_* of each component of big */
	char *gone = NULL;      /* dots of big that are no marks */
	l_int32 *dot = NULL;    /* index in big of each dot in cand */
	l_int32 ns = 0, nc = 0; /* small components; candidates (small, dots) */
	ocr_ring seal[MAX_SEALS];
	int nseal = 0;

	if (!sort_components(bin, &pixa, &bigpixa))
		goto fallback;
	small = pixaGetBoxa(pixa, L_CLONE);
	bigb = pixaGetBoxa(bigpixa, L_CLONE);
	if (!small || !bigb || speck_ctx_init(&c, bigb, pixGetWidth(bin), pixGetHeight(bin)) < 0)
		goto fallback;
	*letter = c.letter;
	ns = boxaGetCount(small);
	part = calloc((size_t)boxaGetCount(bigb) + 1, 1);
	gone = calloc((size_t)boxaGetCount(bigb) + 1, 1);
	dot = calloc((size_t)boxaGetCount(bigb) + 1, sizeof *dot);
	cand = boxaCopy(small, L_COPY);
	keep = calloc((size_t)(ns + boxaGetCount(bigb)) + 1, sizeof *keep);
	stays = calloc((size_t)(ns + boxaGetCount(bigb)) + 1, 1);
	if (!part || !gone || !dot || !cand || !keep || !stays)
		goto fallback;
	for (l_int32 i = 0; i < boxaGetCount(bigb); i++) {
		PIX *m = pixaGetPix(bigpixa, i, L_CLONE);
		l_int32 bx, by;
		boxaGetBoxGeometry(bigb, i, &bx, &by, NULL, NULL);
		if (m && nseal < MAX_SEALS && !in_seal(seal, nseal, bigb, i) &&
		    ocr_find_ring(m, bx, by, c.letter, &seal[nseal])) {
			part[i] = PART_SEAL;
			nseal++;
		} else {
			part[i] = !m                        ? PART_LETTER
				  : is_drawing(m, c.letter) ? PART_DRAWING
				  : is_dot(m, c.letter)     ? PART_DOT
							    : PART_LETTER;
		}
		pixDestroy(&m);
		if (part[i] == PART_DOT) {
			dot[boxaGetCount(cand) - ns] = i;
			boxaAddBox(cand, boxaGetBox(bigb, i, L_CLONE), L_INSERT);
		}
	}
	speck_ctx_fill(&c, part);
	/* Small components and dots stay where a mark of writing would be: next
	 * to a letter, or over or after such a mark. */
	nc = boxaGetCount(cand);
	for (l_int32 i = 0; i < nc; i++) {
		l_int32 s[4];
		boxaGetBoxGeometry(cand, i, &s[0], &s[1], &s[2], &s[3]);
		keep[i] = near_letter(&c, s);
	}
	for (l_int32 i = 0; i < nc; i++) {
		l_int32 s[4];
		boxaGetBoxGeometry(cand, i, &s[0], &s[1], &s[2], &s[3]);
		stays[i] = keep[i] || near_kept_dot(s, cand, keep, c.letter);
		if (i >= ns)
			gone[dot[i - ns]] = !stays[i];
	}
	out = paint_components(bin, bigpixa, gone);
	if (!out)
		goto fallback;
	for (l_int32 i = 0; i < boxaGetCount(bigb); i++) {
		if (part[i] != PART_DRAWING)
			continue;
		PIX *m = pixaGetPix(bigpixa, i, L_CLONE);
		if (!*drawn)
			*drawn = pixCreateTemplate(bin);
		if (m && *drawn)
			mark_drawing(*drawn, m, bigb, part, i, c.letter);
		pixDestroy(&m);
	}
	for (int k = 0; k < nseal; k++) {
		if (!*drawn)
			*drawn = pixCreateTemplate(bin);
		if (!*sealed)
			*sealed = pixCreateTemplate(bin);
		if (*drawn)
			mark_seal(*drawn, *sealed, bin, &seal[k], bigb, part, c.letter);
	}
	for (l_int32 i = 0; i < ns; i++) {
		l_int32 s[4];
		if (!stays[i])
			continue;
		boxaGetBoxGeometry(small, i, &s[0], &s[1], &s[2], &s[3]);
		PIX *piece = pixaGetPix(pixa, i, L_CLONE);
		pixRasterop(out, s[0], s[1], s[2], s[3], PIX_PAINT, piece, 0, 0);
		pixDestroy(&piece);
	}
	goto cleanup;
fallback:
	pixDestroy(&out);
	out = pixClone(bin);
cleanup:
	speck_ctx_free(&c);
	free(keep);
	free(stays);
	free(part);
	free(gone);
	free(dot);
	boxaDestroy(&cand);
	boxaDestroy(&small);
	boxaDestroy(&bigb);
	pixaDestroy(&pixa);
	pixaDestroy(&bigpixa);
	return out;
}

/* Removes ruled lines (table borders, underlines of the header), in place:
 * any straight ink run longer than a capital letter is tall is a rule, not
 * text. Without them Tesseract reads tables cell by cell, not as noise. */
static void remove_rules(PIX *bin, PIX **hrules, PIX **vrules)
{
	PIX *h = ocr_long_runs(bin, 0, RULE_RUN), *v = ocr_long_runs(bin, 1, RULE_RUN);
	if (h && v) {
		pixSubtract(bin, bin, h);
		pixSubtract(bin, bin, v);
	}
	*hrules = h;
	*vrules = v;
}

/* Measures skew in ±10° on a binary page at 150 dpi; returns 0 when unsure. */
static double find_skew(PIX *bin)
{
	l_float32 angle = 0, conf = 0, endscore = 0;
	if (pixFindSkewSweepAndSearchScore(bin, &angle, &conf, &endscore, 2, 1, 0.0f, 12.0f, 0.5f,
					   0.01f) != 0)
		return 0;
	if (conf < 2.5f || fabsf(angle) < 0.1f)
		return 0;
	return angle;
}

PIX *ocr_normalise(PIX *gray, ocr_geometry *g)
{
	PIX *scaled = scale_to_target(gray, g), *norm;
	if (!scaled)
		return NULL;
	g->sw = pixGetWidth(scaled);
	g->sh = pixGetHeight(scaled);
	norm = normalise_background(scaled);
	pixDestroy(&scaled);
	return norm;
}

PIX *ocr_analysis_binary(PIX *norm)
{
	PIX *half = pixScaleAreaMap2(norm), *bin;
	if (!half)
		return NULL;
	bin = ocr_binarise(half);
	pixDestroy(&half);
	return bin;
}

/* The gray page as the clean page cut it out, for recognition: each ink pixel
 * of `clean` keeps its shade but no lighter than INK_MAX, the pixels just
 * around the ink (one pixel out) keep theirs but no darker than INK_MAX + 1,
 * and everything else — specks, rules, borders, paper — is white, so a
 * threshold just above INK_MAX gives back `clean` exactly (ocr_finish passes
 * the clean page less its drawings). Tesseract's LSTM was trained on shaded
 * text and reads stroke edges better than from hard black and white: mean
 * CER on 82 dev pages 4.68% -> 4.55%, samples 2.37% -> 2.33%. */
#define INK_MAX 100

static PIX *shaded_page(PIX *gray, PIX *clean)
{
	PIX *grown = pixDilateBrick(NULL, clean, 3, 3);
	PIX *out = grown ? pixCreate(pixGetWidth(clean), pixGetHeight(clean), 8) : NULL;
	if (!out || pixGetWidth(gray) != pixGetWidth(clean) ||
	    pixGetHeight(gray) != pixGetHeight(clean)) {
		pixDestroy(&grown);
		pixDestroy(&out);
		return NULL;
	}
	l_int32 w = pixGetWidth(out), h = pixGetHeight(out);
	l_int32 wg = pixGetWpl(gray), wc = pixGetWpl(clean), wm = pixGetWpl(grown),
		wo = pixGetWpl(out);
	l_uint32 *dg = pixGetData(gray), *dc = pixGetData(clean), *dm = pixGetData(grown),
		 *dout = pixGetData(out);
	for (l_int32 y = 0; y < h; y++) {
		l_uint32 *lg = dg + y * wg, *lc = dc + y * wc, *lm = dm + y * wm,
			 *lo = dout + y * wo;
		for (l_int32 x = 0; x < w; x++) {
			if ((x & 31) == 0 && x + 32 <= w && lm[x / 32] == 0) {
				/* 32 pixels of paper, far from ink: eight words white */
				memset(lo + x / 4, 0xff, 32);
				x += 31;
				continue;
			}
			l_uint32 v = GET_DATA_BYTE(lg, x);
			if (GET_DATA_BIT(lc, x))
				v = v < INK_MAX ? v : INK_MAX;
			else if (!GET_DATA_BIT(lm, x))
				v = 255;
			else if (v <= INK_MAX)
				v = INK_MAX + 1;
			SET_DATA_BYTE(lo, x, v);
		}
	}
	pixDestroy(&grown);
	return out;
}

/* Faded text on a page with black specks or a dark seal: normalise_background
 * stretched the darkest 0.3% of the page to black, and those were the
 * specks, so the text stayed light gray and the threshold lost its thin
 * strokes (a date's slashes, serifs, commas). For binarisation only, such a
 * page is stretched again from its text's own ink: the level under which a
 * fifth of the ink-like pixels (under INK_LIGHT) lie, when that is at least
 * INK_GAP lighter than the darkest 0.3% and at least INK_FADED (faded ink; on
 * a page of dark text the two agree). A page with next to no ink (under
 * INK_LEAST of its pixels) is left alone. The page Tesseract reads keeps its
 * shades. NULL when the page needs no such stretch. */
#define INK_LIGHT 200
#define INK_GAP   50
#define INK_FADED 90
#define INK_LEAST 0.005

static PIX *stretch_faded_ink(PIX *gray)
{
	l_int32 w = pixGetWidth(gray), h = pixGetHeight(gray), wpl = pixGetWpl(gray);
	uint64_t hist[256] = {0}, inky = 0;
	const l_uint32 *data = pixGetData(gray);
	for (l_int32 y = 0; y < h; y++) {
		const l_uint32 *line = data + (size_t)y * wpl;
		for (l_int32 x = 0; x < w; x++)
			hist[GET_DATA_BYTE(line, x)]++;
	}
	for (l_int32 i = 0; i < INK_LIGHT; i++)
		inky += hist[i];
	if (inky < (uint64_t)((double)w * h * INK_LEAST))
		return NULL;
	l_int32 darkest = level_at(hist, 256, (uint64_t)ceil((double)w * h * DARKEST));
	l_int32 ink = level_at(hist, INK_LIGHT, (inky + 4) / 5);
	if (ink < INK_FADED || ink < darkest + INK_GAP)
		return NULL;
	PIX *out = pixCopy(NULL, gray);
	if (out && !stretch_to_black(out, ink))
		pixDestroy(&out);
	return out;
}

PIX *ocr_finish(PIX *norm, PIX *half_bin, ocr_geometry *g, PIX **hrules, PIX **vrules, PIX **masked)
{
	PIX *bin = NULL, *rot = NULL, *clean = NULL, *out = NULL, *drawn = NULL, *text = NULL;
	PIX *sealed = NULL, *faded = NULL;

	g->skew = find_skew(half_bin);
	if (g->skew != 0) { /* find_skew gives 0 or at least 0.1° */
		rot = ocr_rotate_gray(norm, g->skew * OCR_PI / 180.0, 255);
		if (!rot)
			goto cleanup;
	}
	faded = stretch_faded_ink(rot ? rot : norm);
	bin = ocr_binarise(faded ? faded : rot ? rot : norm);
	if (!bin)
		goto cleanup;
	clean = despeckle(bin, &g->letter, &drawn, &sealed);
	remove_rules(clean, hrules, vrules);
	out = pixRemoveBorderConnComps(clean, 8);
	if (!out)
		out = pixClone(clean);
	g->prep_w = pixGetWidth(out);
	g->prep_h = pixGetHeight(out);
	/* Layout keeps the drawings: a signature holds its block together from
	 * the "(Ký…)" line down to the signer's name. Recognition does not.
	 * A seal layout loses as well, but for the lines it was stamped over
	 * (mark_seal): its rim joined the signer's block to the column beside. */
	text = drawn ? pixSubtract(NULL, out, drawn) : NULL;
	if (sealed)
		pixSubtract(out, out, sealed);
	if (masked)
		*masked = shaded_page(rot ? rot : norm, text ? text : out);
cleanup:
	pixDestroy(&faded);
	pixDestroy(&text);
	pixDestroy(&drawn);
	pixDestroy(&sealed);
	pixDestroy(&bin);
	pixDestroy(&rot);
	pixDestroy(&clean);
	return out;
}

/* Maps a point of the cleaned page back to the original page: undo the
 * deskew rotation (about the centre), the scaling, then the orientation turn. */
static void map_point(const ocr_geometry *g, double x, double y, double *ox, double *oy)
{
	double cx = g->prep_w / 2.0, cy = g->prep_h / 2.0;
	double a = -g->skew * OCR_PI / 180.0;
	/* pixRotate turns the image clockwise by a positive angle; invert it. */
	double dx = x - cx, dy = y - cy;
	double rx = cx + dx * cos(a) - dy * sin(a);
	double ry = cy + dx * sin(a) + dy * cos(a);
	double ux = rx, uy = ry; /* upright, scaled */
	double W = g->sw, H = g->sh;
	switch (g->rotation) {
	case 90: /* original was turned 90° clockwise to be upright */
		*ox = uy;
		*oy = H - ux;
		break;
	case 180:
		*ox = W - ux;
		*oy = H - uy;
		break;
	case 270:
		*ox = W - uy;
		*oy = ux;
		break;
	default: *ox = ux; *oy = uy;
	}
	*ox /= g->scale;
	*oy /= g->scale;
}

sohoa_box ocr_map_box(const ocr_geometry *g, int x, int y, int w, int h)
{
	double xs[4] = {x, x + w, x, x + w}, ys[4] = {y, y, y + h, y + h};
	double minx = 1e18, miny = 1e18, maxx = -1e18, maxy = -1e18;
	sohoa_box b;
	for (int i = 0; i < 4; i++) {
		double ox, oy;
		map_point(g, xs[i], ys[i], &ox, &oy);
		minx = fmin(minx, ox);
		miny = fmin(miny, oy);
		maxx = fmax(maxx, ox);
		maxy = fmax(maxy, oy);
	}
	minx = fmax(0, minx);
	miny = fmax(0, miny);
	maxx = fmin(g->orig_w, maxx);
	maxy = fmin(g->orig_h, maxy);
	b.x = (int)lround(minx);
	b.y = (int)lround(miny);
	b.w = (int)lround(maxx - minx);
	b.h = (int)lround(maxy - miny);
	if (b.w < 0)
		b.w = 0;
	if (b.h < 0)
		b.h = 0;
	return b;
}
