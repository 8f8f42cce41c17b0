/* ocr/tables.c: ruled tables found from the page's rule masks — a cluster of
 * horizontal and vertical rules that cross — with the positions of their row
 * and column rules, so that each cell can be read on its own, row by row. */
#include "ocr/ocr_int.h"

#include <stdlib.h>

#define TABLE_MIN_W 300
#define TABLE_MIN_H 80

/* Centres of the runs of entries whose count reaches `min`. */
static NUMA *rule_positions(NUMA *counts, l_int32 min, l_int32 offset)
{
	NUMA *pos = numaCreate(8);
	l_int32 n = numaGetCount(counts), start = -1, v;
	for (l_int32 i = 0; i <= n; i++) {
		if (i < n)
			numaGetIValue(counts, i, &v);
		if (i < n && v >= min) {
			if (start < 0)
				start = i;
		} else if (start >= 0) {
			numaAddNumber(pos, (l_float32)(offset + (start + i - 1) / 2));
			start = -1;
		}
	}
	return pos;
}

static int grid(ocr_table *t, PIX *hrules, PIX *vrules)
{
	l_int32 x, y, w, h;
	PIX *hc = pixClipRectangle(hrules, t->box, NULL),
	    *vc = pixClipRectangle(vrules, t->box, NULL);
	NUMA *hr = hc ? pixCountPixelsByRow(hc, NULL) : NULL;
	NUMA *vc_counts = vc ? pixCountPixelsByColumn(vc) : NULL;
	int ok = 0;

	boxGetGeometry(t->box, &x, &y, &w, &h);
	if (hr && vc_counts) {
		t->rows = rule_positions(hr, w / 2, y);
		t->cols = rule_positions(vc_counts, h / 2, x);
		ok = t->rows && t->cols && numaGetCount(t->rows) >= 2 && numaGetCount(t->cols) >= 2;
	}
	if (ok) {
		/* The table is its grid: a rule's stub or a speck on it can reach
		 * above the top rule or past the outer ones, and the text there (a
		 * heading just above the table) belongs to the page around it. */
		l_int32 top, bottom, left, right;
		const l_int32 m = 3;
		numaGetIValue(t->rows, 0, &top);
		numaGetIValue(t->rows, numaGetCount(t->rows) - 1, &bottom);
		numaGetIValue(t->cols, 0, &left);
		numaGetIValue(t->cols, numaGetCount(t->cols) - 1, &right);
		top = top - m > y ? top - m : y;
		left = left - m > x ? left - m : x;
		bottom = bottom + m < y + h - 1 ? bottom + m : y + h - 1;
		right = right + m < x + w - 1 ? right + m : x + w - 1;
		boxSetGeometry(t->box, left, top, right - left + 1, bottom - top + 1);
	}
	numaDestroy(&hr);
	numaDestroy(&vc_counts);
	pixDestroy(&hc);
	pixDestroy(&vc);
	return ok;
}

void ocr_tables_free(ocr_table *t, size_t n)
{
	for (size_t i = 0; i < n && t; i++) {
		boxDestroy(&t[i].box);
		numaDestroy(&t[i].rows);
		numaDestroy(&t[i].cols);
	}
	free(t);
}

int ocr_find_tables(ocr_table **out, size_t *count, PIX *hrules, PIX *vrules)
{
	PIX *all = NULL;
	BOXA *comps = NULL;
	ocr_table *t = NULL;
	size_t n = 0;

	*out = NULL;
	*count = 0;
	if (!hrules || !vrules)
		return 0;
	all = pixOr(NULL, hrules, vrules);
	comps = all ? pixConnCompBB(all, 8) : NULL;
	if (!comps) {
		pixDestroy(&all);
		return 0;
	}
	t = calloc((size_t)boxaGetCount(comps) + 1, sizeof *t);
	if (!t) {
		boxaDestroy(&comps);
		pixDestroy(&all);
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	}
	for (l_int32 i = 0; i < boxaGetCount(comps); i++) {
		l_int32 x, y, w, h;
		boxaGetBoxGeometry(comps, i, &x, &y, &w, &h);
		if (w < TABLE_MIN_W || h < TABLE_MIN_H)
			continue;
		t[n].box = boxCreate(x, y, w, h);
		if (grid(&t[n], hrules, vrules)) {
			n++;
		} else {
			boxDestroy(&t[n].box);
			numaDestroy(&t[n].rows);
			numaDestroy(&t[n].cols);
		}
	}
	boxaDestroy(&comps);
	pixDestroy(&all);
	*out = t;
	*count = n;
	return 0;
}
