/* tests/ocr/test_regions.c: reading-order regions (ocr/regions.c) on drawn
 * binary pages — two columns of text lines on rows of their own are two
 * regions, left then right, even with dust strewn across the gutter between
 * them, as a 150 dpi scan's dust is letter-part sized at 300 dpi; a heading
 * set close over a ruled table is read before the table, not lost in it;
 * signers' names on one row under their blocks end each block, even when an
 * underline is broken under a signature; word spaces that line up down a
 * form's lines are no gutter; tone marks, signatures and a seal do not turn
 * signers' blocks or a header into a form's rows, nor do a header block's
 * lines run together into one band, nor does a speck over a
 * form's field part its rows into columns; a page's edge line is no
 * column. */
#include "testutil.h"

#include <math.h>
#include <stdlib.h>

#include <leptonica/allheaders.h>

#include "ocr/ocr_int.h"

#define LETTER 24 /* px: the page's letter height */

/* A line of "words": 80 × 36 px blocks (letters with their marks) 20 px
 * apart, from x0 to x1. */
static void draw_line(PIX *bin, l_int32 x0, l_int32 x1, l_int32 y)
{
	for (l_int32 x = x0; x + 80 <= x1; x += 100)
		pixRasterop(bin, x, y, 80, 36, PIX_SET, NULL, 0, 0);
}

/* Two columns: the left from x 200 to 880, the right from 1280 to 2160, its
 * lines half a line lower, so the two do not share rows and no row is empty
 * across both. */
static PIX *two_columns(void)
{
	PIX *bin = pixCreate(2480, 1000, 1);
	assert_non_null(bin);
	for (int i = 0; i < 8; i++) {
		draw_line(bin, 200, 900, 200 + 60 * i);
		draw_line(bin, 1280, 2180, 230 + 60 * i);
	}
	return bin;
}

/* Regions of `bin`; returns their count, their boxes in *boxa. */
static int regions_of(PIX *bin, int letter, BOXA **boxa)
{
	int *is_table = NULL;
	assert_int_equal(ocr_regions(boxa, &is_table, bin, letter, NULL, 0), 0);
	free(is_table);
	return (int)boxaGetCount(*boxa);
}

/* regions_of() at the page's letter height, each region printed (for a
 * failing test's log). */
static int regions_shown(PIX *bin, BOXA **boxa)
{
	int n = regions_of(bin, LETTER, boxa);
	for (int i = 0; i < n; i++) {
		l_int32 x, y, w, h;
		boxaGetBoxGeometry(*boxa, i, &x, &y, &w, &h);
		print_message("region %d: %d,%d %dx%d\n", i, x, y, w, h);
	}
	return n;
}

static void assert_left_then_right(BOXA *boxa)
{
	l_int32 x0, y0, w0, h0, x1, y1, w1, h1;
	assert_int_equal(boxaGetCount(boxa), 2);
	boxaGetBoxGeometry(boxa, 0, &x0, &y0, &w0, &h0);
	boxaGetBoxGeometry(boxa, 1, &x1, &y1, &w1, &h1);
	assert_true(x0 + w0 <= 880 + 12);
	assert_true(x1 >= 1280 - 12);
}

static void test_two_columns_are_two_regions(void **state)
{
	(void)state;
	PIX *bin = two_columns();
	BOXA *boxa = NULL;
	regions_of(bin, LETTER, &boxa);
	assert_left_then_right(boxa);
	boxaDestroy(&boxa);
	pixDestroy(&bin);
}

/* Specks 12 px square every 22 px across the gutter, on two rows taken in
 * turn (so no two touch), the outer ones a little more than a letter from the
 * text: no 32 px of the gutter is clear of ink. Left in, they join the
 * columns into one region read across; lone specks are no layout. */
static void test_dust_across_the_gutter_does_not_join_the_columns(void **state)
{
	(void)state;
	PIX *bin = two_columns();
	BOXA *boxa = NULL;
	for (l_int32 x = 880 + LETTER + 4, k = 0; x + 12 <= 1280 - LETTER - 4; x += 22, k++)
		pixRasterop(bin, x, 350 + (k % 2) * 40, 12, 12, PIX_SET, NULL, 0, 0);
	/* without the page's letter height the specks count as text */
	assert_int_equal(regions_of(bin, 0, &boxa), 1);
	boxaDestroy(&boxa);
	regions_of(bin, LETTER, &boxa);
	assert_left_then_right(boxa);
	boxaDestroy(&boxa);
	pixDestroy(&bin);
}

/* Letters 20 × 30 px, 8 px apart, from x0 to x1 at y. */
static void draw_letters(PIX *bin, l_int32 x0, l_int32 x1, l_int32 y)
{
	for (l_int32 x = x0; x + 20 <= x1; x += 28)
		pixRasterop(bin, x, y, 20, 30, PIX_SET, NULL, 0, 0);
}

/* A table of two rows of two cells, its rules 3 px thick from y 258 to 401
 * and x 200 to 2003, a line of letters in each row's first cell. */
static void draw_table(PIX *bin, PIX *hr, PIX *vr)
{
	for (l_int32 r = 0; r < 3; r++)
		pixRasterop(hr, 200, 258 + 70 * r, 1800, 3, PIX_SET, NULL, 0, 0);
	for (l_int32 k = 0; k < 3; k++)
		pixRasterop(vr, 200 + 900 * k, 258, 3, 143, PIX_SET, NULL, 0, 0);
	draw_letters(bin, 230, 900, 280);
	draw_letters(bin, 230, 900, 350);
}

/* A page of `height` rows with a table drawn (draw_table) and its rule
 * masks, then its tables and regions. */
typedef struct {
	PIX *bin, *hr, *vr;
	ocr_table *tables;
	size_t ntables;
	BOXA *boxa;
	int *is_table;
} table_page;

static void table_page_draw(table_page *t, l_int32 height)
{
	*t = (table_page){.bin = pixCreate(2480, height, 1),
			  .hr = pixCreate(2480, height, 1),
			  .vr = pixCreate(2480, height, 1)};
	assert_non_null(t->bin);
	assert_non_null(t->hr);
	assert_non_null(t->vr);
	draw_table(t->bin, t->hr, t->vr);
}

/* Finds the page's one table, then its regions. */
static void table_page_cut(table_page *t)
{
	assert_int_equal(ocr_find_tables(&t->tables, &t->ntables, t->hr, t->vr), 0);
	assert_int_equal(t->ntables, 1);
	assert_int_equal(ocr_regions(&t->boxa, &t->is_table, t->bin, LETTER, t->tables, t->ntables),
			 0);
}

static void table_page_free(table_page *t)
{
	free(t->is_table);
	boxaDestroy(&t->boxa);
	ocr_tables_free(t->tables, t->ntables);
	pixDestroy(&t->bin);
	pixDestroy(&t->hr);
	pixDestroy(&t->vr);
}

/* "1. Thành phần hồ sơ:" ending 2 px over a table's top rule (a faded scan
 * thickens nothing and leaves no gap for the cuts), and a stub of the left
 * rule reaching up past the heading. The table is its grid, and the heading
 * is a region of its own, before it. */
static void test_heading_close_over_a_table_is_its_own_region(void **state)
{
	(void)state;
	table_page t;
	l_int32 x, y, w, h;

	table_page_draw(&t, 800);
	draw_letters(t.bin, 220, 1200, 226);                     /* the heading: y 226-255 */
	pixRasterop(t.vr, 200, 180, 3, 80, PIX_SET, NULL, 0, 0); /* the stub */
	table_page_cut(&t);
	boxGetGeometry(t.tables[0].box, &x, &y, &w, &h);
	assert_true(y >= 250 && y <= 258); /* the grid's top, not the stub's */
	assert_int_equal(boxaGetCount(t.boxa), 2);
	assert_int_equal(t.is_table[0], 0);
	assert_int_equal(t.is_table[1], 1);
	boxaGetBoxGeometry(t.boxa, 0, &x, &y, &w, &h);
	assert_true(y <= 226 && y + h >= 250);
	table_page_free(&t);
}

/* Text just over and just under a table is read with its margin short of
 * the table: the pieces of a rule broken by a poor scan lie there. Away
 * from the table, the text keeps its whole margin. */
static void test_margins_stop_at_a_table(void **state)
{
	(void)state;
	table_page t;
	l_int32 r[4], tx, ty, tw, th;

	table_page_draw(&t, 900);
	draw_letters(t.bin, 220, 1200, 222); /* y 222-251: 7 px over the table */
	draw_letters(t.bin, 220, 2000, 410); /* 9 px under it */
	draw_letters(t.bin, 220, 2000, 460);
	table_page_cut(&t);
	assert_int_equal(boxaGetCount(t.boxa), 3);
	assert_int_equal(t.is_table[1], 1);
	boxaGetBoxGeometry(t.boxa, 1, &tx, &ty, &tw, &th);

	ocr_region_rect(r, t.boxa, t.is_table, 0, 12); /* over the table */
	assert_int_equal(r[1], 222 - 12);
	assert_int_equal(r[1] + r[3], ty);
	ocr_region_rect(r, t.boxa, t.is_table, 2, 12); /* under it */
	assert_int_equal(r[1], ty + th);
	assert_int_equal(r[1] + r[3], 460 + 30 + 12); /* its foot keeps it */
	assert_int_equal(r[0], 220 - 12);
	table_page_free(&t);
}

/* A scribbled signature: a W of 4 px strokes from y0 to y0 + 110 between
 * x0 and x0 + 280 (off the block's centre, as a hand puts it), and a
 * flourish under it. */
static void draw_signature(PIX *bin, l_int32 x0, l_int32 y0)
{
	for (int k = 0; k < 4; k++)
		pixRenderLine(bin, x0 + 70 * k, y0 + (k % 2 ? 0 : 110), x0 + 70 * (k + 1),
			      y0 + (k % 2 ? 110 : 0), 4, L_SET_PIXELS);
	pixRenderLine(bin, x0 - 20, y0 + 125, x0 + 300, y0 + 112, 4, L_SET_PIXELS);
}

/* The foot of a receipt: a paragraph across the page, then two signers'
 * blocks side by side — a title, "(Ký, ghi rõ họ tên)", a signature — and
 * under them, past the widest gap of the page, both names on one row. Each
 * name ends its own signer's block: left block, then right, not the right
 * signer's title before the left one's name. The same when the line a
 * signer ruled under the left signature is broken in two, 50 px apart, each
 * piece two thin strokes on rows the other's do not share (clean set page
 * "giay-tiep-nhan" at 300 dpi): a stroke is no text, and its pieces no
 * columns. */
static void test_signers_names_end_their_columns(void **state)
{
	(void)state;
	for (int broken = 0; broken < 2; broken++) {
		PIX *bin = pixCreate(2480, 900, 1);
		BOXA *boxa = NULL;
		l_int32 x, y, w, h;
		const l_int32 centre[2] = {540, 1640};

		assert_non_null(bin);
		draw_line(bin, 200, 2200, 100);
		draw_line(bin, 200, 1500, 160);
		for (int side = 0; side < 2; side++) {
			l_int32 c = centre[side];
			draw_line(bin, c - 190, c + 210, 236); /* title */
			draw_line(bin, c - 140, c + 160, 286); /* (Ký, ghi rõ họ tên) */
			draw_signature(bin, c - 100, 340);
			draw_line(bin, c - 190, c + 210, 560); /* name */
		}
		if (broken) { /* each piece two thin strokes, on rows of their own */
			pixRasterop(bin, 420, 490, 140, 6, PIX_SET, NULL, 0, 0);
			pixRasterop(bin, 430, 499, 120, 3, PIX_SET, NULL, 0, 0);
			pixRasterop(bin, 610, 484, 90, 3, PIX_SET, NULL, 0, 0);
			pixRasterop(bin, 612, 490, 86, 5, PIX_SET, NULL, 0, 0);
		}
		assert_int_equal(regions_shown(bin, &boxa), 3);
		for (int side = 0; side < 2; side++) {
			boxaGetBoxGeometry(boxa, 1 + side, &x, &y, &w, &h);
			assert_true(x <= centre[side] - 190 && x + w >= centre[side] + 190);
			assert_true(y <= 236 && y + h >= 596); /* title to name */
			assert_true(side == 0 ? x + w < 1200 : x > 1200);
		}
		boxaDestroy(&boxa);
		pixDestroy(&bin);
	}
}

/* A block of lines centred on `c` at rows y[0..n), of widths w[0..n). */
static void draw_centred(PIX *bin, l_int32 c, const l_int32 *y, const l_int32 *w, int n)
{
	for (int i = 0; i < n; i++)
		draw_line(bin, c - w[i] / 2, c + w[i] / 2 + 20, y[i]);
}

/* The foot of a declaration (samples' to-khai, set tight): a paragraph
 * across the page; one row holding both blocks' first lines, "Ý KIẾN CỦA
 * CHỦ HỘ" and "Hải Phòng, ngày 15 tháng 01 năm", a wide space between; then
 * two blocks whose lines share rows, the widest gap under their second
 * rows, and two signatures each, which the lines' middles do not agree with.
 * They are cut across first, then each band in two: still all of the left
 * block is read before the right one, the first row's halves first. */
static void test_signers_blocks_cut_across_are_read_block_by_block(void **state)
{
	(void)state;
	PIX *bin = pixCreate(2480, 1100, 1);
	BOXA *boxa = NULL;
	l_int32 x, y, w, h;
	const l_int32 centre[2] = {540, 1640};
	const l_int32 rows[] = {240, 300, 480, 820};
	const l_int32 widths[2][4] = {{700, 300, 200, 500}, {300, 600, 700, 800}};

	assert_non_null(bin);
	draw_line(bin, 200, 2200, 60);
	draw_line(bin, 200, 1500, 110);
	/* the first row, closer to the paragraph than to the blocks */
	draw_line(bin, centre[0] - 250, centre[0] + 250, 160);
	draw_line(bin, centre[1] - 450, centre[1] + 450, 160);
	for (int side = 0; side < 2; side++) {
		draw_centred(bin, centre[side], rows, widths[side], 4);
		draw_signature(bin, centre[side] - 60, 560);
		draw_signature(bin, centre[side] + 40, 660);
	}
	int n = regions_shown(bin, &boxa);
	assert_int_equal(n, 3);
	for (int side = 0; side < 2; side++) {
		boxaGetBoxGeometry(boxa, 1 + side, &x, &y, &w, &h);
		assert_true(y <= 160 && y + h >= 856); /* first row to name */
		assert_true(side == 0 ? x + w < 1150 : x > 1150);
	}
	boxaDestroy(&boxa);
	pixDestroy(&bin);
}

/* The foot of a declaration set tight (dev set page "to-khai-ct01"): the
 * blocks' first lines on two rows that a bracket joins, the left block's
 * second line long ("(Ghi rõ nội dung và ký, ghi rõ họ") and ending 25 px
 * before the right block's first ("Hải Phòng, ngày …"), then the blocks'
 * next lines and signatures, the right signer's name under its signature
 * and the left one's lower, under the widest gap of the page. Each block
 * reads whole, its first lines and name in it: the rows, parted at their
 * blank on the gutter, start the blocks, and the lower name ends the left
 * one. */
static void test_signers_first_lines_and_lower_name_stay_in_their_blocks(void **state)
{
	(void)state;
	PIX *bin = pixCreate(2480, 700, 1);
	BOXA *boxa = NULL;
	l_int32 x, y, w, h;

	assert_non_null(bin);
	draw_line(bin, 200, 2200, 100);  /* the paragraph */
	draw_line(bin, 360, 860, 156);   /* Ý KIẾN CỦA CHỦ HỘ */
	draw_line(bin, 1075, 2190, 156); /* Hải Phòng, ngày 15 tháng 01 năm 2024 */
	draw_line(bin, 170, 1070, 202);  /* (Ghi rõ nội dung và ký, ghi rõ họ */
	draw_line(bin, 1400, 1900, 202); /* NGƯỜI KÊ KHAI */
	pixRasterop(bin, 600, 188, 4, 18, PIX_SET, NULL, 0, 0); /* a bracket */
	draw_line(bin, 410, 830, 256);
	draw_line(bin, 460, 780, 310);
	draw_line(bin, 1340, 1960, 256);
	draw_line(bin, 1440, 1860, 310);
	draw_signature(bin, 500, 360);
	draw_signature(bin, 1540, 360);
	draw_line(bin, 1390, 1910, 500); /* the right signer's name */
	draw_line(bin, 410, 830, 562);   /* the left one's, lower */
	int n = regions_shown(bin, &boxa);
	assert_int_equal(n, 3);
	boxaGetBoxGeometry(boxa, 1, &x, &y, &w, &h);
	assert_true(y <= 156 && y + h >= 598 && x <= 170 && x + w <= 1062);
	boxaGetBoxGeometry(boxa, 2, &x, &y, &w, &h);
	assert_true(y <= 156 && y + h >= 536 && x >= 1062);
	boxaDestroy(&boxa);
	pixDestroy(&bin);
}

/* Words of four letters (draw_letters: 104 px wide) from x0 to x1 at y,
 * `space` px apart, the space after word `wide` (counted from 0) `wide_space`
 * px instead. */
static void draw_words(PIX *bin, l_int32 x0, l_int32 x1, l_int32 y, l_int32 space, int wide,
		       l_int32 wide_space)
{
	for (l_int32 x = x0, k = 0; x + 104 <= x1; x += 104 + (k == wide ? wide_space : space), k++)
		draw_letters(bin, x, x + 104, y);
}

/* Two form lines, "Sinh ngày: 17/03/1986.   Dân tộc: Kinh …" over "Loại giấy
 * tờ pháp lý của cá nhân: …": the field gap of the first (994-1080) lies over
 * a word space of the second (34 px, as all its spaces), so 34 px of blank
 * run down both, and the tone marks over the first line's right half make a
 * row of their own there. A word space is no gutter: one region, read row by
 * row. The same blank twice as wide as the line's word spaces (two signers'
 * date lines set close) parts columns. */
static void test_word_space_lined_up_is_no_gutter(void **state)
{
	(void)state;
	for (int wide = 0; wide < 2; wide++) {
		PIX *bin = pixCreate(2480, 600, 1);
		BOXA *boxa = NULL;
		assert_non_null(bin);
		draw_words(bin, 200, 994, 200, 34, -1, 0);
		draw_words(bin, 1080, 1900, 200, 34, -1, 0);
		for (l_int32 x = 1108; x < 1900; x += 138) /* marks over the right half */
			pixRasterop(bin, x, 184, 14, 10, PIX_SET, NULL, 0, 0);
		draw_words(bin, 200, 1900, 260, 34, 5, wide ? 86 : 34);
		assert_int_equal(regions_of(bin, LETTER, &boxa), wide ? 2 : 1);
		boxaDestroy(&boxa);
		pixDestroy(&bin);
	}
}

/* Two signers' blocks side by side under a paragraph, and under the space
 * left for the signatures (5 letters) the right signer's name on a row of
 * its own. */
static PIX *signers_page(void)
{
	PIX *bin = pixCreate(2480, 900, 1);
	static const l_int32 ly[] = {200, 260, 320, 380}, lw[] = {600, 300, 400, 420};
	static const l_int32 ry[] = {200, 260, 320, 380, 440}, rw[] = {700, 600, 520, 300, 380};
	assert_non_null(bin);
	draw_line(bin, 200, 2200, 100); /* the paragraph, closer than the names */
	draw_centred(bin, 640, ly, lw, 4);
	draw_centred(bin, 1700, ry, rw, 5);
	draw_line(bin, 1420, 1980, 650); /* BSCKII. Phạm Quốc Trung */
	return bin;
}

/* Two signers' blocks side by side and, under the space left for the
 * signatures (3 to 5 letters), their names on rows of their own, the right
 * one set lower than the left. The page's widest gap is the signatures'
 * space, so the names are cut off the blocks first; each still ends its
 * block (left block, left name, right block, right name), not read after
 * both. */
static void test_signers_names_far_under_their_blocks_end_them(void **state)
{
	(void)state;
	PIX *bin = signers_page();
	BOXA *boxa = NULL;
	draw_line(bin, 430, 850, 590); /* Hộ sinh Lê Thị Hoa */
	int n = regions_shown(bin, &boxa), at_left_name = -1, at_right = -1, at_right_name = -1;
	for (int i = 0; i < n; i++) {
		l_int32 x, y, w, h;
		boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
		if (y <= 590 && y + h >= 626 && x < 1000 && at_left_name < 0)
			at_left_name = i;
		if (x >= 1200 && y <= 440 && at_right < 0)
			at_right = i;
		if (x >= 1200 && y <= 650 && y + h >= 686 && at_right_name < 0)
			at_right_name = i;
	}
	assert_true(at_left_name >= 0 && at_right >= 0 && at_right_name >= 0);
	assert_true(at_left_name < at_right);
	assert_true(at_right <= at_right_name);
	boxaDestroy(&boxa);
	pixDestroy(&bin);
}

/* As above, but the left signer's name is missing and a line of the
 * page's foot ("Nơi nhận:") stands under the right name, within the left
 * column's width. Once the right name is taken no piece from further down
 * belongs to the pair: the line is no left name, and is read after the
 * right block and its name, not before them. */
static void test_a_line_under_the_right_name_is_no_left_name(void **state)
{
	(void)state;
	PIX *bin = signers_page();
	BOXA *boxa = NULL;
	draw_line(bin, 400, 700, 760); /* Nơi nhận: */
	int n = regions_shown(bin, &boxa), at_right = -1, at_foot = -1;
	for (int i = 0; i < n; i++) {
		l_int32 x, y, w, h;
		boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
		if (x >= 1200 && y <= 440 && at_right < 0)
			at_right = i;
		if (x < 1000 && y <= 760 && y + h >= 796 && at_foot < 0)
			at_foot = i;
	}
	assert_true(at_right >= 0 && at_foot >= 0);
	assert_true(at_foot > at_right);
	boxaDestroy(&boxa);
	pixDestroy(&bin);
}

/* Form fields two to a row on some rows ("2. Ngày, tháng, năm sinh: …   3.
 * Giới tính: Nữ", "4. Số định danh cá nhân: …" alone, "5. Số điện thoại: …
 * 6. Email: …"), with a speck over the last row's right field set apart as
 * a band of its own ("Ė"). The speck is no line: the right fields still sit
 * on rows of the left ones, and the rows are read across, not the right
 * fields after all the left ones. */
static void test_speck_over_a_field_does_not_part_a_forms_rows(void **state)
{
	(void)state;
	PIX *bin = pixCreate(2480, 600, 1);
	BOXA *boxa = NULL;
	assert_non_null(bin);
	draw_words(bin, 200, 994, 200, 34, -1, 0);
	draw_words(bin, 1080, 1600, 200, 34, -1, 0);
	draw_words(bin, 200, 900, 260, 34, -1, 0);
	draw_words(bin, 200, 994, 320, 34, -1, 0);
	draw_words(bin, 1080, 1900, 320, 34, -1, 0);
	pixRasterop(bin, 1084, 303, 12, 7, PIX_SET, NULL, 0, 0); /* glyph-sized: kept for layout */
	int n = regions_shown(bin, &boxa);
	assert_true(n >= 1);
	for (int i = 0; i < n; i++) {
		l_int32 x;
		boxaGetBoxGeometry(boxa, i, &x, NULL, NULL, NULL);
		assert_true(x < 994); /* no region of right fields alone */
	}
	boxaDestroy(&boxa);
	pixDestroy(&bin);
}

/* A form's last fields, two to a row on the first two rows ("Giới tính: Nam
 * Dân tộc: Kinh   Quốc tịch: Việt Nam", "Ngày, tháng, năm sinh: …   ghi bằng
 * chữ: …"), the right field's value wrapping under the left side, then the
 * "Nơi nhận" list flush left beside a signer's centred block that starts on
 * the row of the last field: one gutter runs down all of it. The two rows
 * are read across before the rest is cut into columns; cut at once, the
 * right fields were read after the whole left column, footer and all. */
static void test_form_rows_over_a_footer_are_read_across_first(void **state)
{
	(void)state;
	PIX *bin = pixCreate(2480, 900, 1);
	BOXA *boxa = NULL;
	static const l_int32 ry[] = {380, 440, 500}, rw[] = {700, 500, 420};
	assert_non_null(bin);
	draw_words(bin, 200, 994, 200, 34, -1, 0);
	draw_words(bin, 1080, 1500, 200, 34, -1, 0);
	draw_words(bin, 200, 900, 260, 34, -1, 0);
	draw_words(bin, 1080, 2100, 260, 34, -1, 0);
	draw_words(bin, 200, 700, 320, 34, -1, 0);
	draw_words(bin, 200, 994, 380, 34, -1, 0);
	for (l_int32 k = 0; k < 4; k++)
		draw_words(bin, 200, 500 + 100 * (k % 2), 460 + 60 * k, 34, -1, 0);
	draw_centred(bin, 1640, ry, rw, 3);
	draw_line(bin, 1400, 1900, 760);
	int n = regions_shown(bin, &boxa);
	l_int32 x, y, w, h;
	assert_true(n >= 3);
	boxaGetBoxGeometry(boxa, 0, &x, &y, &w, &h);
	assert_true(x < 994 && x + w > 1080); /* the two rows, across */
	assert_true(y + h < 320);
	for (int i = 1; i < n; i++) {
		boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
		assert_true(y >= 300); /* the rest below them */
	}
	boxaDestroy(&boxa);
	pixDestroy(&bin);
}

/* A margin of heavy speckle, grown by scaling: grains glyph-sized and close
 * above each other, so drop_lone_specks keeps them as groups, beside a
 * column of text. No grain has another beside it on its rows, as letters
 * have: the margin is no region (it was read as "1 2 4 5 7 8"), while a
 * lone page number stays one. */
static void test_a_margin_of_speckle_is_no_region(void **state)
{
	(void)state;
	PIX *bin = pixCreate(2480, 1400, 1);
	BOXA *boxa = NULL;
	assert_non_null(bin);
	for (int i = 0; i < 12; i++)
		draw_words(bin, 300, 1800, 200 + 60 * i, 34, -1, 0);
	for (int k = 0; k < 30; k++) /* grains 16 x 22, 6 px apart, x in turn */
		pixRasterop(bin, 2150 + (k % 3) * 70, 120 + 28 * k, 16, 22, PIX_SET, NULL, 0, 0);
	pixRasterop(bin, 1040, 1300, 20, 30, PIX_SET, NULL, 0, 0); /* a page number */
	int n = regions_shown(bin, &boxa), number = 0;
	for (int i = 0; i < n; i++) {
		l_int32 x, y, w, h;
		boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h);
		assert_true(x + w < 2100);
		number |= y + h >= 1330; /* the number, read with the text's block or alone */
	}
	assert_true(number);
	boxaDestroy(&boxa);
	pixDestroy(&bin);
}

/* The foot of a receipt (bench page "giay-tiep-nhan"): two signers' blocks
 * whose lines share rows, each a title in capitals with a row of tone marks
 * of its own over it ("NGƯỜI NỘP HỒ SƠ"), "(Ký và ghi rõ họ tên)" and a
 * signature, the names on one row under the widest gap. The left title is
 * as wide as the line under it. Neither the marks nor a signature is a line
 * whose middle must agree, and a block whose lines are as wide as each other
 * beside a block that is plainly centred is centred too: left block, then
 * right. */
static void test_marks_and_scribbles_do_not_hide_centred_blocks(void **state)
{
	(void)state;
	PIX *bin = pixCreate(2480, 800, 1);
	BOXA *boxa = NULL;
	l_int32 x, y, w, h;
	const l_int32 centre[2] = {540, 1640};
	const l_int32 rows[] = {236, 286}, widths[2][2] = {{300, 300}, {500, 300}};

	assert_non_null(bin);
	draw_line(bin, 200, 2200, 100);
	draw_line(bin, 200, 1500, 160);
	for (int side = 0; side < 2; side++) {
		l_int32 c = centre[side];
		draw_centred(bin, c, rows, widths[side], 2);
		for (l_int32 k = 0; k < 2; k++) /* marks over the first two words */
			pixRasterop(bin, c - widths[side][0] / 2 + 30 + 100 * k, 222, 14, 8,
				    PIX_SET, NULL, 0, 0);
		draw_signature(bin, c - 100, 340);
		draw_line(bin, c - 190, c + 210, 560); /* name */
	}
	int n = regions_shown(bin, &boxa);
	assert_int_equal(n, 3);
	for (int side = 0; side < 2; side++) {
		boxaGetBoxGeometry(boxa, 1 + side, &x, &y, &w, &h);
		assert_true(y <= 222 && y + h >= 596); /* marks to name */
		assert_true(side == 0 ? x + w < 1200 : x > 1200);
	}
	boxaDestroy(&boxa);
	pixDestroy(&bin);
}

/* A ring of radius r and 6 px stroke round (cx, cy): a seal. */
static void draw_seal(PIX *bin, l_int32 cx, l_int32 cy, l_int32 r)
{
	PTA *pta = ptaCreate(72);
	assert_non_null(pta);
	for (int k = 0; k < 72; k++)
		ptaAddPt(pta, (l_float32)(cx + r * cos(k * 2 * M_PI / 72)),
			 (l_float32)(cy + r * sin(k * 2 * M_PI / 72)));
	pixRenderPolyline(bin, pta, 6, L_SET_PIXELS, 1);
	ptaDestroy(&pta);
}

/* The foot of a certificate: "Nơi nhận:" and its list on the left, and on
 * the right the signer's block under a seal whose ring runs from above its
 * title to below its name, so that the right side is one band of ink 17
 * letters tall. That band is no row of a form: the list is read on its own,
 * then the block. */
static void test_seal_over_a_block_parts_it_from_the_list_beside_it(void **state)
{
	(void)state;
	PIX *bin = pixCreate(2480, 800, 1);
	BOXA *boxa = NULL;
	l_int32 x, y, w, h;

	assert_non_null(bin);
	draw_line(bin, 200, 2200, 100);
	for (int i = 0; i < 3; i++)
		draw_line(bin, 200, 600 + 100 * (i % 2), 236 + 50 * i); /* the list */
	draw_line(bin, 1340, 1960, 236);                                /* the title */
	draw_line(bin, 1440, 1860, 286);
	draw_signature(bin, 1540, 340);
	draw_line(bin, 1390, 1910, 560); /* the name */
	draw_seal(bin, 1500, 400, 200);
	int n = regions_shown(bin, &boxa);
	assert_int_equal(n, 3);
	boxaGetBoxGeometry(boxa, 1, &x, &y, &w, &h);
	assert_true(y <= 236 && y + h >= 322 && x + w < 1200);
	boxaGetBoxGeometry(boxa, 2, &x, &y, &w, &h);
	assert_true(y <= 236 && y + h >= 596 && x > 1200);
	boxaDestroy(&boxa);
	pixDestroy(&bin);
}

/* A line 2 px wide down the page's left edge (what a scanner's black border
 * leaves after border removal), 600 px from two columns of lines 200 px
 * apart: the widest gutter is the edge's, and the edge has no row of ink of
 * its own. It is no column: the two columns are found past it, left then
 * right. */
static void test_page_edge_line_is_no_column(void **state)
{
	(void)state;
	PIX *bin = pixCreate(2480, 1000, 1);
	BOXA *boxa = NULL;
	l_int32 x, y, w, h;

	assert_non_null(bin);
	pixRasterop(bin, 0, 0, 2, 1000, PIX_SET, NULL, 0, 0);
	for (int i = 0; i < 8; i++) {
		draw_line(bin, 600, 1100, 200 + 60 * i);
		draw_line(bin, 1300, 2300, 230 + 60 * i);
	}
	assert_int_equal(regions_shown(bin, &boxa), 2);
	boxaGetBoxGeometry(boxa, 0, &x, &y, &w, &h);
	assert_true(x >= 600 && x + w <= 1100);
	boxaGetBoxGeometry(boxa, 1, &x, &y, &w, &h);
	assert_true(x >= 1300);
	boxaDestroy(&boxa);
	pixDestroy(&bin);
}

/* A two-column header (dev set page "bien-ban", 13 pt at a 9.75° skew): the
 * left block "ỦY BAN NHÂN DÂN / PHƯỜNG HÒA KHÁNH BẮC", its tone marks on a
 * row of their own and its two lines run together by a mark into one band
 * three letters tall, beside "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập -
 * Tự do - Hạnh phúc", whose bands share the left one's rows. The left side
 * has no band that can be a line, so nothing says it is not centred; the
 * right is plainly centred: two blocks, left then right, then the text. */
static void test_header_block_run_together_beside_a_centred_one(void **state)
{
	(void)state;
	PIX *bin = pixCreate(2480, 600, 1);
	BOXA *boxa = NULL;
	l_int32 x, y, w, h;

	assert_non_null(bin);
	for (l_int32 k = 0; k < 3; k++) /* marks over the left block's capitals */
		pixRasterop(bin, 330 + 150 * k, 222, 14, 8, PIX_SET, NULL, 0, 0);
	draw_letters(bin, 290, 810, 236);
	draw_letters(bin, 390, 710, 290);
	pixRasterop(bin, 542, 266, 4, 24, PIX_SET, NULL, 0, 0); /* the joining mark */
	draw_line(bin, 1340, 1960, 224);
	draw_line(bin, 1490, 1810, 290);
	draw_line(bin, 200, 2200, 420);
	assert_int_equal(regions_shown(bin, &boxa), 3);
	boxaGetBoxGeometry(boxa, 0, &x, &y, &w, &h);
	assert_true(x + w < 1200 && y + h < 400);
	boxaGetBoxGeometry(boxa, 1, &x, &y, &w, &h);
	assert_true(x > 1200 && y + h < 400);
	boxaDestroy(&boxa);
	pixDestroy(&bin);
}

/* A two-column header (dev set page "trich-luc", 12.5 pt at 150 dpi, the
 * right block's ink made darker by a faded page's stretch): three lines of
 * one width on the left, "ỦY BAN NHÂN DÂN / PHƯỜNG PHÚC XÁ / Số: 125/…",
 * which centred_lines cannot tell from a form's labels; on the right
 * "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc" run
 * together by a mark into one band over three letters tall, reaching down
 * past the left's first two lines, which are set tight. That band holds
 * two lines: the sides are columns, the header two blocks over the text, not
 * a form's rows read across with the text under them. */
static void test_header_lines_run_together_on_the_right_are_two_lines(void **state)
{
	(void)state;
	PIX *bin = pixCreate(2480, 700, 1);
	BOXA *boxa = NULL;
	l_int32 x, y, w, h;

	assert_non_null(bin);
	draw_letters(bin, 300, 800, 200); /* the first two set tight */
	draw_letters(bin, 300, 800, 232);
	draw_letters(bin, 300, 800, 320);
	draw_letters(bin, 1300, 2100, 200);
	draw_letters(bin, 1496, 1900, 240);
	pixRasterop(bin, 1612, 230, 4, 10, PIX_SET, NULL, 0, 0); /* the joining mark */
	for (l_int32 k = 0; k < 3; k++)
		draw_line(bin, 200, 2200, 440 + 60 * k);
	assert_int_equal(regions_shown(bin, &boxa), 3);
	boxaGetBoxGeometry(boxa, 0, &x, &y, &w, &h);
	assert_true(x + w < 1000 && y + h < 400);
	boxaGetBoxGeometry(boxa, 1, &x, &y, &w, &h);
	assert_true(x > 1000 && y + h < 400);
	boxaGetBoxGeometry(boxa, 2, &x, &y, &w, &h);
	assert_true(y >= 400);
	boxaDestroy(&boxa);
	pixDestroy(&bin);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_columns_are_two_regions),
		cmocka_unit_test(test_dust_across_the_gutter_does_not_join_the_columns),
		cmocka_unit_test(test_heading_close_over_a_table_is_its_own_region),
		cmocka_unit_test(test_margins_stop_at_a_table),
		cmocka_unit_test(test_signers_names_end_their_columns),
		cmocka_unit_test(test_signers_blocks_cut_across_are_read_block_by_block),
		cmocka_unit_test(test_word_space_lined_up_is_no_gutter),
		cmocka_unit_test(test_speck_over_a_field_does_not_part_a_forms_rows),
		cmocka_unit_test(test_signers_names_far_under_their_blocks_end_them),
		cmocka_unit_test(test_a_line_under_the_right_name_is_no_left_name),
		cmocka_unit_test(test_form_rows_over_a_footer_are_read_across_first),
		cmocka_unit_test(test_a_margin_of_speckle_is_no_region),
		cmocka_unit_test(test_signers_first_lines_and_lower_name_stay_in_their_blocks),
		cmocka_unit_test(test_marks_and_scribbles_do_not_hide_centred_blocks),
		cmocka_unit_test(test_seal_over_a_block_parts_it_from_the_list_beside_it),
		cmocka_unit_test(test_page_edge_line_is_no_column),
		cmocka_unit_test(test_header_block_run_together_beside_a_centred_one),
		cmocka_unit_test(test_header_lines_run_together_on_the_right_are_two_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
