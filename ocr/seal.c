/* ocr/seal.c: round seals that colour could not take out. On a gray or
 * bilevel scan a red or blue seal is as dark as the text: its rings cut
 * through the signer's title, its legend and star are read as junk ("š 'BẦN
 * NHÂN DÂN", "2 Ủ TICH"). What gives a seal away there is its shape: an outer
 * ring of even stroke round nearly the whole of a circle 2 to 6 cm across,
 * which no letter, table or signature has. */
#include "ocr/ocr_int.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>

/* Rays cast from a trial centre; a seal's outer ring must be met on
 * RING_COVER of them (its ink is uneven and a bilevel scan loses its faint
 * parts, text crossing it only adds ink). */
#define RAYS       180
#define RING_COVER 0.8

/* Diameters of seals at 300 dpi: 18 to 60 mm. */
#define RING_MIN 210
#define RING_MAX 710

static double ray_cos[RAYS], ray_sin[RAYS];
static pthread_once_t rays_once = PTHREAD_ONCE_INIT;

static void fill_rays(void)
{
	for (int k = 0; k < RAYS; k++) {
		ray_sin[k] = sin(2 * OCR_PI * k / RAYS);
		ray_cos[k] = cos(2 * OCR_PI * k / RAYS);
	}
}

/* The rays' directions, computed once for all workers. */
static void init_rays(void)
{
	pthread_once(&rays_once, fill_rays);
}

static int ink_at(PIX *m, l_int32 x, l_int32 y)
{
	if (x < 0 || y < 0 || x >= pixGetWidth(m) || y >= pixGetHeight(m))
		return 0;
	return GET_DATA_BIT(pixGetData(m) + y * pixGetWpl(m), x) != 0;
}

/* Of `rays` rays from (cx, cy) in m (every RAYS/rays-th), those that meet
 * ink within `band` of radius r; the count stops short once more than
 * `rays - need` have missed. */
static int ring_hits(PIX *m, l_int32 cx, l_int32 cy, l_int32 r, l_int32 band, int rays, int need)
{
	int hits = 0, misses = 0;
	for (int k = 0; k < RAYS && misses <= rays - need; k += RAYS / rays) {
		int hit = 0;
		for (l_int32 d = -band; d <= band && !hit; d++)
			hit = ink_at(m, cx + (l_int32)lround((r + d) * ray_cos[k]),
				     cy + (l_int32)lround((r + d) * ray_sin[k]));
		hits += hit;
		misses += !hit;
	}
	return hits;
}

typedef struct {
	l_int32 cx, cy, r, hits;
} trial;

/* Keeps in *best the circle met on most of `rays` rays, if on `need` or
 * more. */
static void try_circle(PIX *m, l_int32 cx, l_int32 cy, l_int32 r, l_int32 band, int rays, int need,
		       trial *best)
{
	int h = ring_hits(m, cx, cy, r, band, rays, need > best->hits ? need : best->hits);
	if (h > best->hits && h >= need)
		*best = (trial){cx, cy, r, h};
}

/* Coarse search for the ring in a box that other ink touching it (a line of
 * text, a signature) may have stretched on some sides but not on all: the
 * ring meets the box on at least one side, so its centre lies r in from
 * that side, and slides along it. */
static trial coarse_circle(PIX *m, l_int32 rmax)
{
	l_int32 w = pixGetWidth(m), h = pixGetHeight(m);
	trial best = {0, 0, 0, -1};
	int need = (int)(RING_COVER * 60 * 0.9);
	for (l_int32 r = RING_MIN / 2; r <= rmax; r += 3) {
		for (l_int32 c = r; c <= w - r; c += 6) {
			try_circle(m, c, r, r, 4, 60, need, &best);
			try_circle(m, c, h - 1 - r, r, 4, 60, need, &best);
		}
		for (l_int32 c = r; c <= h - r; c += 6) {
			try_circle(m, r, c, r, 4, 60, need, &best);
			try_circle(m, w - 1 - r, c, r, 4, 60, need, &best);
		}
	}
	best.hits = best.hits > 0 ? best.hits * (RAYS / 60) : 0;
	return best;
}

/* The circle near trial t, to the pixel. A seal has rings inside its outer
 * one, a few pixels in, and a centre off by as much fits an inner ring on one
 * side and the outer on the other as well as any: of the radii that fit
 * (nearly) best, the largest is the outer ring. */
#define FINE_SHIFT 8
#define FINE_GROW  20

static trial fine_circle(PIX *m, trial t)
{
	trial per_r[FINE_GROW + 5], best = {0, 0, 0, -1};
	for (l_int32 k = 0; k < FINE_GROW + 5; k++) {
		l_int32 r = t.r - 4 + k;
		per_r[k] = (trial){0, 0, r, -1};
		for (l_int32 cy = t.cy - FINE_SHIFT; cy <= t.cy + FINE_SHIFT; cy++)
			for (l_int32 cx = t.cx - FINE_SHIFT; cx <= t.cx + FINE_SHIFT; cx++)
				try_circle(m, cx, cy, r, 1, RAYS, (int)(RING_COVER * RAYS),
					   &per_r[k]);
		if (per_r[k].hits > best.hits)
			best = per_r[k];
	}
	for (l_int32 k = FINE_GROW + 4; k >= 0; k--)
		if (per_r[k].hits >= best.hits - RAYS / 30)
			return per_r[k];
	return best;
}

/* On each ray from (cx, cy), the ink run through radius r: its length in
 * runs[] and how far its middle lies out from r in mid[] (halves of a
 * pixel). Returns the number of rays that meet ink at r. */
static int ring_runs(PIX *m, l_int32 cx, l_int32 cy, l_int32 r, l_int32 runs[RAYS], double ux[RAYS],
		     double uy[RAYS], l_int32 mid[RAYS])
{
	int n = 0;
	l_int32 cap = r / 4;
	for (int k = 0; k < RAYS; k++) {
		l_int32 in = -1, out = -1;
		for (l_int32 d = 0; d <= cap; d++) {
			if (!ink_at(m, cx + (l_int32)lround((r - d) * ray_cos[k]),
				    cy + (l_int32)lround((r - d) * ray_sin[k])))
				break;
			in = d;
		}
		for (l_int32 d = 0; d <= cap; d++) {
			if (!ink_at(m, cx + (l_int32)lround((r + d) * ray_cos[k]),
				    cy + (l_int32)lround((r + d) * ray_sin[k])))
				break;
			out = d;
		}
		if (in < 0)
			continue;
		runs[n] = in + out + 1;
		mid[n] = out - in;
		ux[n] = ray_cos[k];
		uy[n] = ray_sin[k];
		n++;
	}
	return n;
}

/* Median length of the ink run that each ray meets at radius r: the ring's
 * stroke; 0 when too few rays meet it. */
static l_int32 ring_stroke(PIX *m, l_int32 cx, l_int32 cy, l_int32 r)
{
	l_int32 runs[RAYS], mid[RAYS];
	double ux[RAYS], uy[RAYS];
	int n = ring_runs(m, cx, cy, r, runs, ux, uy, mid);
	if (n < RAYS / 2)
		return 0;
	return ocr_median(runs, (size_t)n);
}

/* Moves t's centre and radius onto the middle of the ring's stroke, where
 * the search's tolerance left them a few pixels off: the least-squares
 * shift that best explains how far out each ray finds that middle. */
static void centre_on_stroke(PIX *m, trial *t)
{
	for (int pass = 0; pass < 3; pass++) {
		l_int32 runs[RAYS], mid[RAYS];
		double ux[RAYS], uy[RAYS], dx = 0, dy = 0, dr = 0;
		int n = ring_runs(m, t->cx, t->cy, t->r, runs, ux, uy, mid);
		if (n < RAYS / 2)
			return;
		for (int k = 0; k < n; k++) {
			dx += mid[k] / 2.0 * ux[k];
			dy += mid[k] / 2.0 * uy[k];
			dr += mid[k] / 2.0;
		}
		l_int32 sx = (l_int32)lround(2 * dx / n), sy = (l_int32)lround(2 * dy / n),
			sr = (l_int32)lround(dr / n);
		if (!sx && !sy && !sr)
			return;
		t->cx += sx;
		t->cy += sy;
		t->r += sr;
	}
}

int ocr_find_ring(PIX *m, l_int32 x, l_int32 y, l_int32 letter, ocr_ring *ring)
{
	l_int32 w = pixGetWidth(m), h = pixGetHeight(m);
	l_int32 d = w < h ? w : h, n = 0;

	if (d < RING_MIN || d < 5 * letter || (w > h ? w : h) > 4 * RING_MAX)
		return 0;
	/* A ring fills a small part of its box; a blot or a block of text run
	 * together fills more. */
	if (pixCountPixels(m, &n, NULL) != 0 || (double)n > 0.4 * OCR_PI * d * d / 4)
		return 0;
	/* A straight run longer than 3/5 of the box is no part of a ring (where
	 * a ring turns at its top, bottom and sides, its straight runs are well
	 * under its diameter): it is a rule. Rules both across and down are a
	 * table's frame; rules one way only can be the line a signature
	 * touching the seal was signed on, which made the seal's component a
	 * table's before: the ring is looked for without them. */
	PIX *ring_ink = pixCopy(NULL, m);
	int ruled = 0;
	for (int down = 0; down < 2 && ring_ink; down++) {
		l_int32 empty = 1;
		PIX *runs = ocr_long_runs(m, down, 3 * d / 5);
		if (runs && pixZero(runs, &empty) == 0 && !empty) {
			pixSubtract(ring_ink, ring_ink, runs);
			ruled++;
		}
		pixDestroy(&runs);
	}
	if (!ring_ink || ruled == 2) {
		pixDestroy(&ring_ink);
		return 0;
	}
	init_rays();
	l_int32 rmax = (d < RING_MAX ? d : RING_MAX) / 2 + 2, stroke = 0;
	trial t = coarse_circle(ring_ink, rmax);
	if (t.hits >= RING_COVER * RAYS * 0.9) {
		t = fine_circle(ring_ink, t);
		if (t.hits >= RING_COVER * RAYS) {
			centre_on_stroke(ring_ink, &t);
			/* A disc or a thick blob is met on every ray too: a ring
			 * is thin, and the rays find paper just inside it on most
			 * of their way round. */
			stroke = ring_stroke(ring_ink, t.cx, t.cy, t.r);
		}
	}
	pixDestroy(&ring_ink);
	if (stroke < 2 || stroke > t.r / 8)
		return 0;
	*ring = (ocr_ring){x + t.cx, y + t.cy, t.r, stroke};
	return 1;
}

int ocr_inner_rings(PIX *bin, const ocr_ring *outer, ocr_ring *inner, int max)
{
	int n = 0;
	init_rays();
	for (l_int32 r = outer->r - outer->stroke - 3; r >= outer->r / 5 && n < max; r--) {
		int h = ring_hits(bin, outer->cx, outer->cy, r, 1, RAYS, 0);
		if (h < RING_COVER * RAYS ||
		    ring_hits(bin, outer->cx, outer->cy, r - 1, 1, RAYS, 0) > h)
			continue;
		l_int32 stroke = ring_stroke(bin, outer->cx, outer->cy, r);
		if (stroke < 1 || stroke > r / 8)
			continue;
		inner[n++] = (ocr_ring){outer->cx, outer->cy, r, stroke};
		r -= stroke + 2;
	}
	return n;
}
