/* ocr/binarise.c: gray to black and white — local contrast normalisation,
 * then Sauvola's adaptive threshold computed with running window sums, so a
 * full 300 dpi page costs two passes over its pixels instead of Leptonica's
 * double-precision accumulators (the same thresholds, a fifth of the time). */
#include "ocr/ocr_int.h"

#include <math.h>
#include <stdlib.h>

#define SAUVOLA_HALF 25    /* window of 51 × 51 pixels at 300 dpi */
#define SAUVOLA_K    0.40f /* weight of the local deviation */

/* Adds row `in` (8-bit gray, w pixels) to the per-column sums and takes
 * row `out` away from them (a blank row for none): unsigned arithmetic
 * wraps, so the sums stay exact whatever the order. Leptonica keeps four
 * pixels in a 32-bit word, the leftmost in its top byte; reading whole
 * words lets the compiler vectorise the loop, and as the window slides
 * down a row the sums are gone over once, not twice. */
static void column_sums_move(uint32_t *restrict sum, uint32_t *restrict sq, const l_uint32 *in,
			     const l_uint32 *out, l_int32 w)
{
	l_int32 x = 0;
	for (; x + 4 <= w; x += 4) {
		l_uint32 wi = in[x / 4], wo = out[x / 4];
		for (int k = 0; k < 4; k++) {
			uint32_t u = (wi >> (24 - 8 * k)) & 0xff, v = (wo >> (24 - 8 * k)) & 0xff;
			sum[x + k] += u - v;
			sq[x + k] += u * u - v * v;
		}
	}
	for (; x < w; x++) {
		uint32_t u = GET_DATA_BYTE(in, x), v = GET_DATA_BYTE(out, x);
		sum[x] += u - v;
		sq[x] += u * u - v * v;
	}
}

/* Sums over the window of columns [x - half, x + half] (clipped to the
 * page) of the per-column sums, for every x, into ws / wq. A window of
 * 51 × 51 pixels sums to at most 2601 · 255² < 2³², so 32 bits hold it. */
static void window_sums(uint32_t *restrict ws, uint32_t *restrict wq, const uint32_t *sum,
			const uint32_t *sq, l_int32 w, l_int32 half)
{
	uint32_t s = 0, q = 0;
	l_int32 x = 0;
	for (l_int32 i = 0; i < w && i < half; i++) {
		s += sum[i];
		q += sq[i];
	}
	for (; x < w && x - half - 1 < 0; x++) { /* window still clipped left */
		if (x + half < w) {
			s += sum[x + half];
			q += sq[x + half];
		}
		ws[x] = s;
		wq[x] = q;
	}
	for (; x + half < w; x++) { /* whole window inside the page */
		s += sum[x + half] - sum[x - half - 1];
		q += sq[x + half] - sq[x - half - 1];
		ws[x] = s;
		wq[x] = q;
	}
	for (; x < w; x++) { /* clipped right */
		s -= sum[x - half - 1];
		q -= sq[x - half - 1];
		ws[x] = s;
		wq[x] = q;
	}
}

/* Thresholds one row: a pixel is ink when darker than
 * t = m · (1 − k · (1 − s / 128)) over the window around it, m and s being
 * the window's mean and standard deviation. The window is clipped at the
 * page edges (cols[x] columns of `rows` rows). Since t ≤ m, pixels at least
 * as light as the mean are paper and need no square root. */
static void sauvola_row(l_uint32 *out, const l_uint32 *line, const uint32_t *ws, const uint32_t *wq,
			const uint32_t *cols, l_int32 w, l_int32 rows)
{
	for (l_int32 x = 0; x < w; x++) {
		uint32_t v = GET_DATA_BYTE(line, x);
		uint32_t n = (uint32_t)rows * cols[x];
		if (v * n >= ws[x])
			continue; /* at least as light as the mean */
		float m = (float)ws[x] / (float)n;
		float var = (float)wq[x] / (float)n - m * m;
		float sd = var > 0 ? sqrtf(var) : 0.0f;
		if ((float)v < m * (1.0f - SAUVOLA_K * (1.0f - sd / 128.0f)))
			SET_DATA_BIT(out, x);
	}
}

static PIX *sauvola(PIX *gray, l_int32 half)
{
	l_int32 w = pixGetWidth(gray), h = pixGetHeight(gray);
	l_int32 wpls = pixGetWpl(gray), wpld;
	l_uint32 *src = pixGetData(gray), *dst;
	uint32_t *sum = calloc((size_t)w, sizeof *sum), *sq = calloc((size_t)w, sizeof *sq);
	uint32_t *cols = calloc((size_t)w, sizeof *cols);
	uint32_t *ws = calloc((size_t)w, sizeof *ws), *wq = calloc((size_t)w, sizeof *wq);
	l_uint32 *blank = calloc((size_t)wpls, sizeof *blank); /* a row of zeros */
	PIX *bin = sum && sq && cols && ws && wq && blank ? pixCreate(w, h, 1) : NULL;
	l_int32 top = 0, bottom = -1; /* rows [top, bottom] are summed */

	if (!bin)
		goto cleanup;
	for (l_int32 x = 0; x < w; x++) {
		l_int32 lo = x - half < 0 ? 0 : x - half, hi = x + half >= w ? w - 1 : x + half;
		cols[x] = (uint32_t)(hi - lo + 1);
	}
	dst = pixGetData(bin);
	wpld = pixGetWpl(bin);
	for (l_int32 y = 0; y < h; y++) {
		while (bottom < h - 1 && bottom < y + half) {
			const l_uint32 *leaving = top < y - half ? src + top++ * wpls : blank;
			bottom++;
			column_sums_move(sum, sq, src + bottom * wpls, leaving, w);
		}
		while (top < y - half)
			column_sums_move(sum, sq, blank, src + top++ * wpls, w);
		window_sums(ws, wq, sum, sq, w, half);
		sauvola_row(dst + y * wpld, src + y * wpls, ws, wq, cols, w, bottom - top + 1);
	}
	pixCopyResolution(bin, gray);
cleanup:
	free(sum);
	free(sq);
	free(cols);
	free(ws);
	free(wq);
	free(blank);
	return bin;
}

/* Local contrast normalisation, Leptonica's pixContrastNorm(gray, 50, 50,
 * 100, 2, 2) with the same bytes out: each 50 × 50 tile's darkest and
 * lightest pixels (low-contrast tiles filled from their neighbours, both maps
 * smoothed over 5 × 5 tiles) are stretched to 0 and 255. Leptonica scans the
 * page once for the minima and once for the maxima, then again per tile
 * through its pixel accessors (53 ms of a 300 dpi page on the bench set);
 * here one pass finds both and one applies a table per tile. */
#define CN_TILE    50
#define CN_MINDIFF 100
#define CN_SMOOTH  2

/* Clears both maps where a tile's range is under CN_MINDIFF (holes, to be
 * filled from the neighbours); 0, maps untouched, when no tile reaches it:
 * the caller then keeps the page as it is, as Leptonica does. */
static int set_low_contrast(PIX *mn, PIX *mx)
{
	l_int32 w = pixGetWidth(mn), h = pixGetHeight(mn), wpl = pixGetWpl(mn), found = 0;
	l_uint32 *a = pixGetData(mn), *b = pixGetData(mx);
#define LOW(y, x)                                                                                  \
	(abs((int)GET_DATA_BYTE(a + (y)*wpl, x) - (int)GET_DATA_BYTE(b + (y)*wpl, x)) < CN_MINDIFF)
	for (l_int32 y = 0; y < h && !found; y++)
		for (l_int32 x = 0; x < w && !found; x++)
			found = !LOW(y, x);
	for (l_int32 y = 0; y < h && found; y++)
		for (l_int32 x = 0; x < w; x++)
			if (LOW(y, x)) {
				SET_DATA_BYTE(a + y * wpl, x, 0);
				SET_DATA_BYTE(b + y * wpl, x, 0);
			}
#undef LOW
	return found;
}

/* The tiles' minima and maxima (whole tiles only, as pixScaleGrayMinMax),
 * extended by one tile right and down, raised by one, holes filled, smoothed. */
static int tile_ranges(PIX *gray, PIX **pmin, PIX **pmax)
{
	l_int32 w = pixGetWidth(gray), h = pixGetHeight(gray), wpl = pixGetWpl(gray);
	l_int32 tw = w / CN_TILE, th = h / CN_TILE;
	const l_uint32 *src = pixGetData(gray);
	PIX *mn = pixCreate(tw, th, 8), *mx = pixCreate(tw, th, 8), *emn = NULL, *emx = NULL;
	int ok = 0;

	*pmin = *pmax = NULL;
	if (!mn || !mx)
		goto done;
	for (l_int32 ty = 0; ty < th; ty++) {
		l_uint32 *lmn = pixGetData(mn) + ty * pixGetWpl(mn);
		l_uint32 *lmx = pixGetData(mx) + ty * pixGetWpl(mx);
		for (l_int32 tx = 0; tx < tw; tx++) {
			l_uint32 lo = 255, hi = 0;
			for (l_int32 y = ty * CN_TILE; y < (ty + 1) * CN_TILE; y++) {
				const l_uint32 *line = src + (size_t)y * wpl;
				for (l_int32 x = tx * CN_TILE; x < (tx + 1) * CN_TILE; x++) {
					l_uint32 v = GET_DATA_BYTE(line, x);
					lo = v < lo ? v : lo;
					hi = v > hi ? v : hi;
				}
			}
			SET_DATA_BYTE(lmn, tx, lo);
			SET_DATA_BYTE(lmx, tx, hi);
		}
	}
	emn = pixExtendByReplication(mn, 1, 1);
	emx = pixExtendByReplication(mx, 1, 1);
	if (!emn || !emx)
		goto done;
	pixAddConstantGray(emn, 1);
	pixAddConstantGray(emx, 1);
	if (!set_low_contrast(emn, emx))
		goto done;
	l_int32 ew = pixGetWidth(emn), eh = pixGetHeight(emn);
	pixFillMapHoles(emn, ew, eh, L_FILL_BLACK);
	pixFillMapHoles(emx, ew, eh, L_FILL_BLACK);
	l_int32 sx = CN_SMOOTH < (ew - 1) / 2 ? CN_SMOOTH : (ew - 1) / 2;
	l_int32 sy = CN_SMOOTH < (eh - 1) / 2 ? CN_SMOOTH : (eh - 1) / 2;
	*pmin = pixBlockconv(emn, sx, sy);
	*pmax = pixBlockconv(emx, sx, sy);
	ok = *pmin && *pmax;
done:
	pixDestroy(&mn);
	pixDestroy(&mx);
	pixDestroy(&emn);
	pixDestroy(&emx);
	if (!ok) {
		pixDestroy(pmin);
		pixDestroy(pmax);
	}
	return ok;
}

PIX *ocr_contrast_norm(PIX *gray)
{
	PIX *mn = NULL, *mx = NULL, *out = NULL;
	l_uint8(*lut)[256] = NULL;
	l_uint8 made[256] = {0};
	l_int32 w = pixGetWidth(gray), h = pixGetHeight(gray);

	if (w < CN_TILE || h < CN_TILE)
		return pixCopy(NULL, gray);
	lut = calloc(256, sizeof *lut);
	out = lut ? pixCopy(NULL, gray) : NULL;
	if (!out || !tile_ranges(gray, &mn, &mx))
		goto done;
	l_int32 wpl = pixGetWpl(out), wplm = pixGetWpl(mn), mw = pixGetWidth(mn);
	l_uint32 *data = pixGetData(out);
	for (l_int32 y = 0; y < h; y++) {
		l_uint32 *line = data + (size_t)y * wpl;
		const l_uint32 *lmn = pixGetData(mn) + (y / CN_TILE) * wplm;
		const l_uint32 *lmx = pixGetData(mx) + (y / CN_TILE) * wplm;
		for (l_int32 tx = 0; tx < mw && tx * CN_TILE < w; tx++) {
			l_int32 lo = GET_DATA_BYTE(lmn, tx), d = GET_DATA_BYTE(lmx, tx) - lo;
			if (d == 0)
				continue; /* no range to stretch: left as it is */
			if (d > 0 && !made[d]) {
				float factor = 255. / (float)d;
				for (l_int32 i = 0; i < 256; i++)
					lut[d][i] =
						i <= d ? (l_uint8)(l_int32)(factor * i + 0.5) : 255;
				made[d] = 1;
			}
			l_int32 end = (tx + 1) * CN_TILE < w ? (tx + 1) * CN_TILE : w;
			for (l_int32 x = tx * CN_TILE; x < end; x++) {
				l_int32 v = (l_int32)GET_DATA_BYTE(line, x) - lo;
				SET_DATA_BYTE(line, x, d > 0 ? lut[d][v > 0 ? v : 0] : 255);
			}
		}
	}
done:
	pixDestroy(&mn);
	pixDestroy(&mx);
	free(lut);
	return out;
}

/* Binarises a background-normalised page: local contrast normalisation
 * (50 × 50 tiles) then Sauvola's adaptive threshold, so faded ink on one part
 * of the page and dark ink on another both come out black (a global Otsu
 * threshold lost a fifth of the characters of the faded-paper test page). */
PIX *ocr_binarise(PIX *gray)
{
	PIX *norm = NULL, *bin = NULL;
	l_int32 w = pixGetWidth(gray), h = pixGetHeight(gray);

	if (w >= 100 && h >= 100)
		norm = ocr_contrast_norm(gray);
	bin = sauvola(norm ? norm : gray, SAUVOLA_HALF);
	pixDestroy(&norm);
	if (!bin)
		bin = pixConvertTo1(gray, 160);
	return bin;
}
