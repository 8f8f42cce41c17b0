/* tests/ocr/test_binarise.c: the adaptive threshold — faint and dark ink on
 * uneven paper both come out black and the paper white, and the fast running-sum
 * Sauvola gives the same page as Leptonica's (contrast norm + Sauvola, 51 px
 * window, k 0.40) within a few pixels in a thousand; the shaded image handed
 * to recognition thresholds back to exactly the clean page; background
 * normalisation in one pass gives Leptonica's bytes; and a resolution
 * guessed from broken letters gives way to the page size. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>

#include <leptonica/allheaders.h>

#include "ocr/ocr_int.h"

/* What background normalisation leaves of a bad page: paper still uneven,
 * from 190 (left) to 250 (right), with 8-pixel-wide strokes every 40 pixels,
 * the top half in faint ink (110 under the paper), the bottom half dark (20). */
static PIX *uneven_page(int w, int h)
{
	PIX *pix = pixCreate(w, h, 8);
	assert_non_null(pix);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			int paper = 190 + 60 * x / w;
			int stroke = x % 40 >= 16 && x % 40 < 24 && y % 200 >= 20 && y % 200 < 180;
			int v = !stroke ? paper : y < h / 2 ? paper - 110 : 20;
			pixSetPixel(pix, x, y, (l_uint32)v);
		}
	return pix;
}

/* A scan of the committed samples (samples/inbox/`rel`), decoded. */
static PIX *sample_scan(const char *rel)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/samples/inbox/%s", SOHOA_SOURCE_DIR, rel);
	PIX *src = pixRead(path);
	assert_non_null(src);
	return src;
}

static void test_faint_and_dark_ink_both_turn_black_on_uneven_paper(void **state)
{
	(void)state;
	const int w = 1200, h = 800;
	PIX *gray = uneven_page(w, h);
	PIX *bin = ocr_binarise(gray);
	long ink_ok = 0, ink = 0, paper_ok = 0, paper = 0;

	assert_non_null(bin);
	assert_int_equal(pixGetDepth(bin), 1);
	for (int y = 0; y < h; y += 3)
		for (int x = 0; x < w; x += 3) {
			l_uint32 b;
			int core = x % 40 >= 18 && x % 40 < 22 && y % 200 >= 30 && y % 200 < 170;
			int clear = (x % 40 < 10 || x % 40 >= 30);
			pixGetPixel(bin, x, y, &b);
			if (core) {
				ink++;
				ink_ok += b == 1;
			} else if (clear) {
				paper++;
				paper_ok += b == 0;
			}
		}
	/* Every stroke core is ink; paper is paper, dark or light. */
	assert_true(ink > 1000 && paper > 10000);
	assert_int_equal(ink_ok, ink);
	assert_true(paper_ok >= paper * 999 / 1000);
	pixDestroy(&bin);
	pixDestroy(&gray);
}

static void test_fast_sauvola_matches_leptonica_on_a_scan(void **state)
{
	(void)state;
	const char *scans[] = {"000.00.12.H29-231122-0001/0001.jpg",
			       "000.00.15.H40-231009-0032/0002.jpg"};
	for (size_t i = 0; i < sizeof scans / sizeof *scans; i++) {
		PIX *src = sample_scan(scans[i]);
		PIX *gray = ocr_to_gray(src);
		PIX *ours = ocr_binarise(gray);
		PIX *lept = pixSauvolaOnContrastNorm(gray, 100, NULL, NULL);
		PIX *diff = ours && lept ? pixXor(NULL, ours, lept) : NULL;
		l_int32 differ = -1, black = 0;
		assert_non_null(diff);
		pixCountPixels(diff, &differ, NULL);
		pixCountPixels(lept, &black, NULL);
		/* The two differ only along the page edges (clipped versus mirrored
		 * window) and at float rounding: under 1% of the ink. */
		assert_true(black > 10000);
		assert_true(differ < black / 100);
		pixDestroy(&diff);
		pixDestroy(&lept);
		pixDestroy(&ours);
		pixDestroy(&gray);
		pixDestroy(&src);
	}
}

/* Background normalisation done in one pass gives the bytes of Leptonica's
 * steps (pixBackgroundNormMorph, then the tone curve from the darkest 0.3%
 * to black), on a scan, on blotchy paper and on a page too small for the
 * closing. */
static PIX *normalised_by_leptonica(PIX *gray)
{
	PIX *norm = pixBackgroundNormMorph(gray, NULL, 4, 9, 255);
	if (!norm)
		norm = pixCopy(NULL, gray);
	NUMA *hist = pixGetGrayHistogram(norm, 1);
	l_float32 total = 0, acc = 0, v;
	l_int32 dark = 0;
	for (l_int32 i = 0; i < 256; i++) {
		numaGetFValue(hist, i, &v);
		total += v;
	}
	for (l_int32 i = 0; i < 256; i++) {
		numaGetFValue(hist, i, &v);
		acc += v;
		if (acc >= total * 0.003f) {
			dark = i;
			break;
		}
	}
	numaDestroy(&hist);
	if (dark > 0 && dark < 200)
		pixGammaTRC(norm, norm, 1.0f, dark, dark + (255 - dark) * 9 / 10);
	return norm;
}

/* Asserts that our page and Leptonica's are the same bytes; frees both. */
static void assert_same_and_free(PIX *ours, PIX *lept)
{
	l_int32 same = 0;
	assert_non_null(ours);
	assert_non_null(lept);
	pixEqual(ours, lept, &same);
	assert_true(same);
	pixDestroy(&ours);
	pixDestroy(&lept);
}

static void test_background_normalisation_gives_leptonicas_bytes(void **state)
{
	(void)state;
	PIX *src = sample_scan("000.00.12.H29-231122-0001/0001.jpg");
	PIX *scan = ocr_to_gray(src), *tiny = pixCreate(20, 12, 8);
	assert_non_null(scan);
	assert_non_null(tiny);
	for (int y = 0; y < 12; y++)
		for (int x = 0; x < 20; x++)
			pixSetPixel(tiny, x, y, (l_uint32)(x % 5 == 0 ? 60 : 200 - y));
	/* Blotchy paper: each 16-pixel square its own shade, so the map varies. */
	PIX *blotchy = uneven_page(400, 300);
	assert_non_null(blotchy);
	for (int y = 0; y < 300; y++)
		for (int x = 0; x < 400; x++) {
			l_uint32 v;
			pixGetPixel(blotchy, x, y, &v);
			pixSetPixel(blotchy, x, y, v - (l_uint32)((x / 16 * 7 + y / 16 * 13) % 40));
		}
	PIX *pages[] = {scan, tiny, blotchy};
	for (size_t i = 0; i < 3; i++) {
		ocr_geometry g = {0};
		g.dpi = 300;
		assert_same_and_free(ocr_normalise(pages[i], &g),
				     normalised_by_leptonica(pages[i]));
	}
	pixDestroy(&blotchy);
	pixDestroy(&tiny);
	pixDestroy(&scan);
	pixDestroy(&src);
}

/* Contrast normalisation done in two passes gives the bytes of Leptonica's
 * pixContrastNorm: on a scan, on a page whose size is no multiple of the
 * tile (partial tiles at the right and bottom), on one with flat tiles
 * (holes filled from neighbours) and on a page with no contrast at all. */
static void test_contrast_normalisation_gives_leptonicas_bytes(void **state)
{
	(void)state;
	PIX *src = sample_scan("000.00.15.H40-231009-0032/0002.jpg");
	PIX *scan = ocr_to_gray(src), *odd = pixCreate(273, 161, 8), *flat = pixCreate(220, 180, 8);
	assert_non_null(scan);
	assert_non_null(odd);
	assert_non_null(flat);
	/* Strokes on the left half only: the right half's tiles are flat. */
	for (int y = 0; y < 161; y++)
		for (int x = 0; x < 273; x++)
			pixSetPixel(odd, x, y,
				    (l_uint32)(x < 130 && (x % 9 < 2 || y % 13 == 0)
						       ? 20 + (x + y) % 50
						       : 230 - (x * 3 + y) % 20));
	pixSetAllArbitrary(flat, 180);
	PIX *pages[] = {scan, odd, flat};
	for (size_t i = 0; i < 3; i++) {
		assert_same_and_free(ocr_contrast_norm(pages[i]),
				     pixContrastNorm(NULL, pages[i], 50, 50, 100, 2, 2));
	}
	pixDestroy(&flat);
	pixDestroy(&odd);
	pixDestroy(&scan);
	pixDestroy(&src);
}

/* The deskew turn gives the bytes of Leptonica's pixRotateAMGray: on a
 * scan and on a small page of odd size, both ways, from the smallest skew
 * deskew corrects (0.1°) to past the largest (12°), paper brought in. */
static void test_deskew_turn_gives_leptonicas_bytes(void **state)
{
	(void)state;
	PIX *src = sample_scan("000.00.15.H40-231009-0032/0002.jpg");
	PIX *scan = ocr_to_gray(src), *odd = pixCreate(301, 117, 8);
	const double degrees[] = {0.1, -0.37, 2.5, -7.0, 12.0};
	assert_non_null(scan);
	assert_non_null(odd);
	for (int y = 0; y < 117; y++)
		for (int x = 0; x < 301; x++)
			pixSetPixel(odd, x, y, (l_uint32)((x * 7 + y * 13) % 256));
	PIX *pages[] = {scan, odd};
	for (size_t i = 0; i < 2; i++)
		for (size_t k = 0; k < sizeof degrees / sizeof *degrees; k++) {
			double a = degrees[k] * 3.14159265358979 / 180.0;
			assert_same_and_free(ocr_rotate_gray(pages[i], a, 255),
					     pixRotateAMGray(pages[i], (l_float32)a, 255));
		}
	PIX *bilevel = pixCreate(40, 40, 1);
	assert_null(ocr_rotate_gray(bilevel, 0.1, 255)); /* 8-bit pages only */
	pixDestroy(&bilevel);
	pixDestroy(&odd);
	pixDestroy(&scan);
	pixDestroy(&src);
}

/* The long runs found by a row scan (across) and by doubling (down) are
 * exactly what Leptonica's opening with a thin brick keeps: on a cleaned
 * scan and on a noisy page of odd size whose runs touch every edge, for
 * lengths from 1 to longer than the page. */
static void test_long_runs_are_leptonicas_opening(void **state)
{
	(void)state;
	PIX *src = sample_scan("000.00.15.H40-231009-0032/0002.jpg");
	PIX *gray = ocr_to_gray(src), *scan = gray ? pixConvertTo1(gray, 160) : NULL;
	PIX *noisy = pixCreate(301, 217, 1);
	const l_int32 lens[] = {1, 7, 33, 120, 250};
	unsigned seed = 7;
	assert_non_null(scan);
	assert_non_null(noisy);
	for (int y = 0; y < 217; y++)
		for (int x = 0; x < 301; x++) {
			seed = seed * 1103515245u + 12345u;
			int on = (seed >> 16) % 100 < 93 || x < 3 || x == 300 || y < 2 ||
				 y == 216 || (y >= 50 && y < 60) || (x >= 100 && x < 104);
			pixSetPixel(noisy, x, y, (l_uint32)on);
		}
	PIX *pages[] = {scan, noisy};
	for (size_t i = 0; i < 2; i++)
		for (size_t k = 0; k < sizeof lens / sizeof *lens; k++)
			for (int down = 0; down < 2; down++)
				assert_same_and_free(ocr_long_runs(pages[i], down, lens[k]),
						     pixOpenCompBrick(NULL, pages[i],
								      down ? 1 : lens[k],
								      down ? lens[k] : 1));
	assert_null(ocr_long_runs(gray, 0, 120)); /* bilevel pages only */
	assert_null(ocr_long_runs(scan, 1, 0));
	pixDestroy(&noisy);
	pixDestroy(&scan);
	pixDestroy(&gray);
	pixDestroy(&src);
}

/* The clean page (deskewed, binarised, despeckled) of a gray page at 300
 * dpi; its letter height in *letter. */
static PIX *clean_page_of(PIX *gray, int *letter)
{
	ocr_geometry g = {0};
	g.orig_w = (uint32_t)pixGetWidth(gray);
	g.orig_h = (uint32_t)pixGetHeight(gray);
	ocr_choose_dpi(&g, gray, 300, 0);
	PIX *norm = ocr_normalise(gray, &g), *half = norm ? ocr_analysis_binary(norm) : NULL;
	PIX *hr = NULL, *vr = NULL;
	PIX *clean = half ? ocr_finish(norm, half, &g, &hr, &vr, NULL) : NULL;
	assert_non_null(clean);
	*letter = g.letter;
	pixDestroy(&hr);
	pixDestroy(&vr);
	pixDestroy(&half);
	pixDestroy(&norm);
	return clean;
}

/* Blots of dust 9 and 11 px across on a page scaled up by 1.3 (as from a
 * resolution guessed low): past the fixed size of a speck but under 2/5 of
 * a letter, a letter's height or more from any writing: the clean
 * page drops every one, and keeps the text as it was. */
static void test_blots_away_from_writing_are_dropped(void **state)
{
	(void)state;
	PIX *src = sample_scan("000.00.12.H29-231122-0001/0001.jpg");
	PIX *scan = ocr_to_gray(src), *big = pixScale(scan, 1.3f, 1.3f);
	l_int32 letter = 0;
	/* The scan's own clean page, upright, as the page to blot. */
	PIX *upright = clean_page_of(big, &letter);
	PIX *gray = pixConvert1To8(NULL, upright, 255, 0), *blotted = pixCopy(NULL, gray);
	PIX *where = pixCreate(pixGetWidth(gray), pixGetHeight(gray), 1);
	l_int32 w = pixGetWidth(gray), h = pixGetHeight(gray);
	l_uint32 seed = 3;
	PIX *before = clean_page_of(gray, &letter);
	assert_true(letter >= 28);
	for (int n = 0; n < 150;) {
		seed = seed * 1664525u + 1013904223u;
		l_int32 x = 60 + (l_int32)((seed >> 8) % (l_uint32)(w - 120));
		seed = seed * 1664525u + 1013904223u;
		l_int32 y = 60 + (l_int32)((seed >> 8) % (l_uint32)(h - 120)), r = 4 + n % 2;
		int clear = 1;
		for (l_int32 dy = -r - letter; dy <= r + letter && clear; dy += 2)
			for (l_int32 dx = -r - letter; dx <= r + letter && clear; dx += 2) {
				l_uint32 v = 255;
				pixGetPixel(blotted, x + dx, y + dy, &v);
				clear = v >= 160;
			}
		if (!clear)
			continue;
		for (l_int32 dy = -r; dy <= r; dy++)
			for (l_int32 dx = -r; dx <= r; dx++)
				if (dx * dx + dy * dy <= r * r + 1)
					pixSetPixel(blotted, x + dx, y + dy, 0);
		pixRasterop(where, x - r - 2, y - r - 2, 2 * r + 5, 2 * r + 5, PIX_SET, NULL, 0, 0);
		n++;
	}
	int letter2 = 0;
	PIX *after = clean_page_of(blotted, &letter2);
	PIX *left = pixAnd(NULL, after, where), *changed = pixXor(NULL, after, before);
	l_int32 blots = -1, differ = -1, ink = 0;
	pixCountPixels(left, &blots, NULL);
	pixSubtract(changed, changed, where);
	pixCountPixels(changed, &differ, NULL);
	pixCountPixels(before, &ink, NULL);
	print_message("letter %d; blot ink left %d; text pixels changed %d of %d\n", letter, blots,
		      differ, ink);
	assert_int_equal(blots, 0);
	assert_int_equal(differ, 0);
	pixDestroy(&changed);
	pixDestroy(&left);
	pixDestroy(&after);
	pixDestroy(&before);
	pixDestroy(&where);
	pixDestroy(&blotted);
	pixDestroy(&gray);
	pixDestroy(&scan);
	pixDestroy(&big);
	pixDestroy(&upright);
	pixDestroy(&src);
}

static void test_recognition_image_thresholds_back_to_the_clean_page(void **state)
{
	(void)state;
	PIX *src = sample_scan("000.00.15.H40-231009-0032/0002.jpg");
	PIX *gray = ocr_to_gray(src);
	ocr_geometry g = {0};
	g.orig_w = (uint32_t)pixGetWidth(gray);
	g.orig_h = (uint32_t)pixGetHeight(gray);
	ocr_choose_dpi(&g, gray, 300, 0);
	PIX *norm = ocr_normalise(gray, &g), *half = norm ? ocr_analysis_binary(norm) : NULL;
	PIX *hr = NULL, *vr = NULL, *shaded = NULL;
	PIX *clean = half ? ocr_finish(norm, half, &g, &hr, &vr, &shaded) : NULL;
	assert_non_null(clean);
	assert_non_null(shaded);
	assert_int_equal(pixGetDepth(shaded), 8);
	assert_int_equal(pixGetWidth(shaded), pixGetWidth(clean));

	/* A threshold just above the ink cap gives the clean page back, pixel
	 * for pixel, but for the drawings (signatures, seals): no ink the
	 * clean page lacks, and what it lacks lies in its components over 1.6
	 * letters tall. */
	PIX *back = pixThresholdToBinary(shaded, 101), *diff = pixSubtract(NULL, back, clean);
	l_int32 differ = -1, ink = 0;
	pixCountPixels(diff, &differ, NULL);
	assert_int_equal(differ, 0);
	pixDestroy(&diff);
	diff = pixSubtract(NULL, clean, back);
	PIXA *parts = NULL;
	BOXA *comps = pixConnComp(clean, &parts, 8);
	for (l_int32 i = 0; i < boxaGetCount(comps); i++) {
		l_int32 x, y, w, h;
		boxaGetBoxGeometry(comps, i, &x, &y, &w, &h);
		PIX *m = pixaGetPix(parts, i, L_CLONE);
		if (5 * h >= 8 * g.letter)
			pixRasterop(diff, x, y, w, h, PIX_DST & PIX_NOT(PIX_SRC), m, 0, 0);
		pixDestroy(&m);
	}
	pixCountPixels(diff, &differ, NULL);
	pixCountPixels(clean, &ink, NULL);
	assert_true(ink > 10000);
	assert_int_equal(differ, 0);
	boxaDestroy(&comps);
	pixaDestroy(&parts);
	/* Away from the ink (more than a pixel), all is white: specks, rules
	 * and borders the clean page dropped stay dropped. */
	PIX *near = pixDilateBrick(NULL, clean, 3, 3);
	PIX *paper = pixCreate(pixGetWidth(shaded), pixGetHeight(shaded), 8);
	pixSetAll(paper);
	l_int32 same = 0;
	PIX *cut = pixCopy(NULL, shaded);
	pixSetMasked(cut, near, 255); /* whiten the ink and its rim */
	pixEqual(cut, paper, &same);
	assert_true(same);

	pixDestroy(&cut);
	pixDestroy(&paper);
	pixDestroy(&near);
	pixDestroy(&diff);
	pixDestroy(&back);
	pixDestroy(&clean);
	pixDestroy(&shaded);
	pixDestroy(&hr);
	pixDestroy(&vr);
	pixDestroy(&half);
	pixDestroy(&norm);
	pixDestroy(&gray);
	pixDestroy(&src);
}

/* A 300 dpi A4 page without resolution metadata whose letters are broken into
 * small pieces (faded ink under a harsh threshold): measured by its letters it
 * would be 100 dpi, a page a yard long. The page size wins. */
static void test_broken_letters_do_not_make_an_a4_page_a_yard_long(void **state)
{
	(void)state;
	PIX *page = pixCreate(2480, 3508, 8);
	assert_non_null(page);
	pixSetAll(page);
	for (int y = 300; y < 3200; y += 40)
		for (int x = 200; x < 2300; x += 14)
			pixRasterop(page, x, y, 6, 10, PIX_CLR, NULL, 0, 0);
	ocr_geometry g = {0};
	g.orig_w = 2480;
	g.orig_h = 3508;
	ocr_choose_dpi(&g, page, 0, 0);
	assert_true(g.dpi_estimated);
	assert_in_range(g.dpi, 290, 310);
	pixDestroy(&page);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_faint_and_dark_ink_both_turn_black_on_uneven_paper),
		cmocka_unit_test(test_fast_sauvola_matches_leptonica_on_a_scan),
		cmocka_unit_test(test_background_normalisation_gives_leptonicas_bytes),
		cmocka_unit_test(test_contrast_normalisation_gives_leptonicas_bytes),
		cmocka_unit_test(test_deskew_turn_gives_leptonicas_bytes),
		cmocka_unit_test(test_long_runs_are_leptonicas_opening),
		cmocka_unit_test(test_blots_away_from_writing_are_dropped),
		cmocka_unit_test(test_recognition_image_thresholds_back_to_the_clean_page),
		cmocka_unit_test(test_broken_letters_do_not_make_an_a4_page_a_yard_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
