/* tests/ocr/test_seal.c: the seal ring finder (ocr/seal.c) on drawn binary
 * components — a ring with a line of text run into it is found, centre and
 * radius to a few pixels, and its inner rings with it; a table's frame, a
 * blot and a ring with most of its round missing are no seal. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>

#include <leptonica/allheaders.h>

#include "ocr/ocr_int.h"

#define LETTER 32 /* px: the page's letter height */

/* Ink on the ring between radii r0 and r1 about (cx, cy), on the part of
 * the round from angle 0 to `turn` (radians, clockwise from the right). */
static void arc(PIX *bin, double cx, double cy, double r0, double r1, double turn)
{
	for (l_int32 y = (l_int32)(cy - r1); y <= (l_int32)(cy + r1); y++)
		for (l_int32 x = (l_int32)(cx - r1); x <= (l_int32)(cx + r1); x++) {
			double d = hypot(x - cx, y - cy), a = atan2(y - cy, x - cx);
			if (a < 0)
				a += 2 * OCR_PI;
			if (d >= r0 && d <= r1 && a <= turn)
				pixSetPixel(bin, x, y, 1);
		}
}

/* The one component of `bin` with the largest box, and its corner. */
static PIX *largest(PIX *bin, l_int32 *x, l_int32 *y)
{
	PIXA *pa = NULL;
	BOXA *b = pixConnComp(bin, &pa, 8);
	l_int32 best = -1, area = 0;
	assert_non_null(b);
	for (l_int32 i = 0; i < boxaGetCount(b); i++) {
		l_int32 w, h;
		boxaGetBoxGeometry(b, i, NULL, NULL, &w, &h);
		if (w * h > area) {
			area = w * h;
			best = i;
		}
	}
	assert_true(best >= 0);
	boxaGetBoxGeometry(b, best, x, y, NULL, NULL);
	PIX *m = pixaGetPix(pa, best, L_COPY);
	boxaDestroy(&b);
	pixaDestroy(&pa);
	return m;
}

static int find(PIX *bin, ocr_ring *ring)
{
	l_int32 x, y;
	PIX *m = largest(bin, &x, &y);
	int found = ocr_find_ring(m, x, y, LETTER, ring);
	pixDestroy(&m);
	return found;
}

static void test_ring_with_text_run_into_it_is_found(void **state)
{
	(void)state;
	PIX *bin = pixCreate(1600, 900, 1);
	ocr_ring s, inner[4];
	arc(bin, 600.5, 450.5, 195, 204, 2 * OCR_PI);
	arc(bin, 600.5, 450.5, 183, 187, 2 * OCR_PI);
	arc(bin, 600.5, 450.5, 118, 122, 2 * OCR_PI);
	/* a line of letter blocks from inside the ring out past its right */
	for (l_int32 x = 640; x < 1500; x += 40)
		pixRasterop(bin, x, 300, 30, LETTER, PIX_SET, NULL, 0, 0);
	assert_true(find(bin, &s));
	print_message("ring at %d,%d r %d stroke %d\n", s.cx, s.cy, s.r, s.stroke);
	assert_true(abs(s.cx - 600) <= 3 && abs(s.cy - 450) <= 3);
	assert_true(s.r >= 196 && s.r <= 203);
	assert_true(s.stroke >= 8 && s.stroke <= 12);
	int n = ocr_inner_rings(bin, &s, inner, 4);
	assert_int_equal(n, 2);
	assert_true(abs(inner[0].r - 185) <= 2);
	assert_true(abs(inner[1].r - 120) <= 2);
	pixDestroy(&bin);
}

static void test_frames_blots_and_broken_rounds_are_no_seal(void **state)
{
	(void)state;
	ocr_ring s;
	PIX *frame = pixCreate(900, 900, 1);
	pixRasterop(frame, 200, 200, 420, 420, PIX_SET, NULL, 0, 0);
	pixRasterop(frame, 209, 209, 402, 402, PIX_CLR, NULL, 0, 0);
	assert_false(find(frame, &s));
	pixDestroy(&frame);

	PIX *blot = pixCreate(900, 900, 1);
	arc(blot, 450, 450, 0, 200, 2 * OCR_PI);
	assert_false(find(blot, &s));
	pixDestroy(&blot);

	PIX *half = pixCreate(900, 900, 1);
	arc(half, 450, 450, 195, 204, 1.4 * OCR_PI);
	assert_false(find(half, &s));
	pixDestroy(&half);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_with_text_run_into_it_is_found),
		cmocka_unit_test(test_frames_blots_and_broken_rounds_are_no_seal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
