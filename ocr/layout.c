/* ocr/layout.c: logical reading order of a recognised page and its plain text.
 * Line boxes come from their words; lines are then ordered as a reader would
 * read them (see order_lines), and the text is built in that order. */
#include "ocr/ocr_int.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

static void line_boxes(sohoa_ocr_page *p)
{
	for (size_t i = 0; i < p->line_count; i++) {
		sohoa_ocr_line *l = &p->lines[i];
		int x1 = 0, y1 = 0, x2 = 0, y2 = 0;
		for (size_t k = 0; k < l->word_count; k++) {
			sohoa_box b = p->words[l->first_word + k].box;
			if (k == 0 || b.x < x1)
				x1 = b.x;
			if (k == 0 || b.y < y1)
				y1 = b.y;
			if (k == 0 || b.x + b.w > x2)
				x2 = b.x + b.w;
			if (k == 0 || b.y + b.h > y2)
				y2 = b.y + b.h;
		}
		l->box = (sohoa_box){x1, y1, x2 - x1, y2 - y1};
	}
}

/* Drops lines without words (Tesseract reports empty lines for noise). */
static void drop_empty_lines(sohoa_ocr_page *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->line_count; i++)
		if (p->lines[i].word_count > 0)
			p->lines[n++] = p->lines[i];
	p->line_count = n;
}

/* Whether the word ends in a full stop right after a letter, its only one
 * (not "v.v.", "1.3." or "2023."). */
static int ends_in_lone_stop(const char *w)
{
	int32_t n = (int32_t)strlen(w);
	const char *dot = strchr(w, '.');
	UChar32 before;
	if (n < 2 || dot != w + n - 1)
		return 0;
	n--;
	U8_PREV((const uint8_t *)w, 0, n, before);
	return u_isalpha(before);
}

/* A full stop followed on the same line by a word in small letters ends no
 * sentence: in Vietnamese text a new sentence starts with a capital. Such a
 * stop is a speck on the baseline after a word, which Tesseract reads as "."
 * (dev set: 35 of them on 34 pages, none in the ground truth); it goes. */
static void drop_stray_stops(sohoa_ocr_page *p)
{
	for (size_t i = 0; i < p->line_count; i++) {
		const sohoa_ocr_line *l = &p->lines[i];
		for (size_t k = 0; k + 1 < l->word_count; k++) {
			char *w = p->words[l->first_word + k].text;
			const char *next = p->words[l->first_word + k + 1].text;
			int32_t at = 0;
			UChar32 c;
			U8_NEXT((const uint8_t *)next, at, -1, c); /* 0 for an empty word */
			if (ends_in_lone_stop(w) && u_islower(c))
				w[strlen(w) - 1] = '\0';
		}
	}
}

static int build_text(sohoa_ocr_page *p)
{
	size_t len = 1;
	char *t, *w;

	for (size_t i = 0; i < p->word_count; i++)
		len += strlen(p->words[i].text) + 1;
	len += 2 * p->line_count;
	t = malloc(len);
	if (!t)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	w = t;
	for (size_t i = 0; i < p->line_count; i++) {
		const sohoa_ocr_line *l = &p->lines[i];
		if (i > 0 && l->block != p->lines[i - 1].block)
			*w++ = '\n';
		for (size_t k = 0; k < l->word_count; k++) {
			const char *s = p->words[l->first_word + k].text;
			size_t n = strlen(s);
			if (k > 0)
				*w++ = ' ';
			memcpy(w, s, n);
			w += n;
		}
		*w++ = '\n';
	}
	*w = '\0';
	free(p->text);
	p->text = t;
	return 0;
}

int ocr_layout(sohoa_ocr_page *p)
{
	drop_empty_lines(p);
	drop_stray_stops(p);
	line_boxes(p);
	return build_text(p);
}
