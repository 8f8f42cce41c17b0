/* ocr/marks.c: a second look, in the image Tesseract read, at a mark the
 * `vie` model is known to get wrong: the hook above an i. The model reads
 * the dot of a plain i as a hook ("chi" as "chỉ", "Đinh" as "Đỉnh") even on
 * clean text in common fonts (Liberation, DejaVu, Free). A dot is small,
 * round and about as wide as the stem; a hook is larger and open.
 *
 * Only a clear picture changes a reading: when no stem can be found, or
 * more than one mark stands over it, the reading stands. The LSTM's symbol
 * boxes and baselines can be a third of an x-height off, so they only
 * place the look; the stem and its mark are found in the image. */
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
 * most MAX_COMPS of them; *ox, *oy the clip's corner. Returns the count, or
 * -1 when the rectangle is empty or has too many to judge. */
static int components(comp *out, PIX *img, l_int32 x, l_int32 y, l_int32 w, l_int32 h, l_int32 *ox,
		      l_int32 *oy)
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
		if (count <= MAX_COMPS) {
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
	int n = components(c, img, x1 - pad, top, x2 - x1 + 2 * pad,
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
