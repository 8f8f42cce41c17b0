/* ocr/clean.c: page preprocessing before recognition — resolution check,
 * suppression of coloured (seal, signature) ink, scaling to 300 dpi, background
 * normalisation, deskew, binarisation, despeckle and border removal — and the
 * geometry that maps boxes on the cleaned page back to the original. */
#include "ocr/ocr_int.h"

#include <math.h>

#define TARGET_DPI 300
#define A4_LONG_IN 11.69
#define GLYPH_AT_300 31.0
#define MAX_SCALED_SIDE 5000

/* A declared resolution is trusted when it gives a page of a plausible size on
 * its long side (A6 to A3): scanners that write 72 or 96 dpi, or nothing, for a 200 or
 * 300 dpi A4 scan fail this. */
static int plausible_dpi(int dpi, uint32_t w, uint32_t h)
{
	double long_in;
	if (dpi < 70 || dpi > 1200)
		return 0;
	long_in = (double)(w > h ? w : h) / dpi;
	return long_in >= 5.5 && long_in <= 18.0; /* A6 to A3 */
}

/* Binarises a background-normalised page: local contrast normalisation then
 * Sauvola's adaptive threshold, so faded ink on one part of the page and dark
 * ink on another both come out black (a global Otsu threshold lost a fifth of
 * the characters of the faded-paper test page). */
PIX *ocr_binarise(PIX *gray)
{
	PIX *bin = pixSauvolaOnContrastNorm(gray, 100, NULL, NULL);
	if (!bin)
		bin = pixConvertTo1(gray, 160);
	return bin;
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
	if (plausible_dpi(declared, g->orig_w, g->orig_h)) {
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
	else if (from_text > 0)
		g->dpi = from_text;
	else /* Office scans are A4: estimate from the long side. */
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

/* Any depth to 8-bit gray. For colour, each pixel takes its brightest channel:
 * black text stays dark, while red and blue ink (seals, signatures, stamps),
 * bright in their own channel, turn light — text under a seal survives. */
PIX *ocr_to_gray(PIX *pix)
{
	PIX *noc = NULL, *gray = NULL;
	l_int32 d;

	noc = pixRemoveColormap(pix, REMOVE_CMAP_BASED_ON_SRC);
	if (!noc)
		return NULL;
	d = pixGetDepth(noc);
	if (d == 32)
		gray = pixConvertRGBToGrayMinMax(noc, L_CHOOSE_MAX);
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
 * ink to black. Background is estimated by a grayscale closing (text strokes
 * are thinner than the structuring element), then each pixel is divided by it. */
static PIX *normalise_background(PIX *gray)
{
	PIX *norm, *out;
	NUMA *hist;
	l_int32 dark = 0, light = 255;
	l_float32 total = 0, acc = 0, *h;
	l_int32 n;

	norm = pixBackgroundNormMorph(gray, NULL, 4, 9, 255);
	if (!norm)
		norm = pixClone(gray);
	hist = pixGetGrayHistogram(norm, 1);
	if (!hist)
		return norm;
	h = numaGetFArray(hist, L_NOCOPY);
	n = numaGetCount(hist);
	for (l_int32 i = 0; i < n; i++)
		total += h[i];
	/* Ink level: the darkest 0.3% of pixels; paper stays at 255. */
	for (l_int32 i = 0; i < n; i++) {
		acc += h[i];
		if (acc >= total * 0.003f) {
			dark = i;
			break;
		}
	}
	numaDestroy(&hist);
	if (dark > 0 && dark < 200) {
		light = dark + (255 - dark) * 9 / 10;
		out = pixGammaTRC(NULL, norm, 1.0f, dark, light);
		pixDestroy(&norm);
		return out;
	}
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
	return pixScale(gray, (l_float32)f, (l_float32)f);
}

/* Removes specks. Components too small in both dimensions to be a stroke or
 * a dot at 300 dpi go; small components (dots, diacritics, punctuation) stay
 * only when they sit close to a glyph, as a diacritic or a full stop does,
 * and a speck in the margin or between lines does not. */
static PIX *despeckle(PIX *bin)
{
	PIX *big = NULL, *small = NULL, *near = NULL, *out = NULL;

	out = pixSelectBySize(bin, 4, 4, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, NULL);
	if (!out)
		return pixClone(bin);
	big = pixSelectBySize(out, 9, 9, 8, L_SELECT_IF_EITHER, L_SELECT_IF_GTE, NULL);
	small = big ? pixSubtract(NULL, out, big) : NULL;
	near = big ? pixDilateBrick(NULL, big, 31, 31) : NULL;
	if (big && small && near) {
		pixAnd(small, small, near);
		pixOr(out, big, small);
	}
	pixDestroy(&big);
	pixDestroy(&small);
	pixDestroy(&near);
	return out;
}

/* Removes ruled lines (table borders, underlines of the header), in place:
 * any straight ink run longer than a capital letter is tall is a rule, not
 * text. Without them Tesseract reads tables cell by cell, not as noise. */
static void remove_rules(PIX *bin, PIX **hrules, PIX **vrules)
{
	PIX *h = pixOpenBrick(NULL, bin, 120, 1), *v = pixOpenBrick(NULL, bin, 1, 120);
	if (h && v) {
		pixSubtract(bin, bin, h);
		pixSubtract(bin, bin, v);
	}
	*hrules = h;
	*vrules = v;
}

/* Measures skew in ±10° on a binary page; returns 0 when unsure. */
static double find_skew(PIX *bin)
{
	l_float32 angle = 0, conf = 0, endscore = 0;
	if (pixFindSkewSweepAndSearchScore(bin, &angle, &conf, &endscore, 4, 2, 0.0f, 12.0f,
					   0.5f, 0.01f) != 0)
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

PIX *ocr_finish(PIX *norm, PIX *bin_upright, ocr_geometry *g, PIX **hrules, PIX **vrules)
{
	PIX *bin = NULL, *rot = NULL, *clean = NULL, *out = NULL;
	double skew;

	bin = bin_upright ? pixClone(bin_upright) : ocr_binarise(norm);
	if (!bin)
		goto cleanup;
	skew = find_skew(bin);
	g->skew = skew;
	if (skew != 0) {
		rot = pixRotate(norm, (l_float32)(skew * OCR_PI / 180.0), L_ROTATE_AREA_MAP,
				L_BRING_IN_WHITE, 0, 0);
		pixDestroy(&bin);
		bin = rot ? ocr_binarise(rot) : NULL;
		if (!bin)
			goto cleanup;
	}
	clean = despeckle(bin);
	remove_rules(clean, hrules, vrules);
	out = pixRemoveBorderConnComps(clean, 8);
	if (!out)
		out = pixClone(clean);
	g->prep_w = pixGetWidth(out);
	g->prep_h = pixGetHeight(out);
cleanup:
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
	default:
		*ox = ux;
		*oy = uy;
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
