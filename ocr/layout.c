/* ocr/layout.c: logical reading order of a recognised page and its plain text.
 * Line boxes come from their words; lines are then ordered as a reader would
 * read them (see order_lines), and the text is built in that order. */
#include "ocr/ocr_int.h"

#include <ctype.h>
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

/* Whether a line holds something worth keeping: a word Vietnamese could
 * have of two letters or more however unsure (a faint heading), or one
 * letter or a number read with some confidence, a longer word that
 * Vietnamese could not have (misread, an address, words run together) not
 * read at random, punctuation read surely (a table's "-"), or a single word
 * with a plain letter or digit in it. */
static int line_worth_keeping(const sohoa_ocr_page *p, const sohoa_ocr_line *l)
{
	for (size_t k = 0; k < l->word_count; k++) {
		const sohoa_ocr_word *w = &p->words[l->first_word + k];
		int letters = ocr_letters_in(w->text), plausible = ocr_word_plausible(w->text);
		if ((plausible && (w->confidence >= 50 || letters >= 2)) ||
		    (w->confidence >= 40 && letters >= 3) || (w->confidence >= 60 && letters == 0))
			return 1;
	}
	if (l->word_count != 1)
		return 0;
	/* One word alone: a table cell's "m3;" or "2024" may be read unsure;
	 * a fragment of a stroke is read as a symbol or a lone mark. */
	for (const char *t = p->words[l->first_word].text; *t; t++)
		if ((*t >= '0' && *t <= '9') || ((*t | 0x20) >= 'a' && (*t | 0x20) <= 'z'))
			return 1;
	return 0;
}

/* A word's height on the upright page (boxes are in the file's own
 * coordinates, which a page turned a quarter has sideways). */
static int upright_height(const sohoa_ocr_page *p, const sohoa_ocr_word *w)
{
	return p->rotation == 90 || p->rotation == 270 ? w->box.w : w->box.h;
}

/* The median height of the page's words of three letters or more, 0 when
 * it has none: the size its text is set in. */
static int text_height(const sohoa_ocr_page *p)
{
	int *h = malloc((p->word_count + 1) * sizeof *h), n = 0, mid;
	if (!h)
		return 0;
	for (size_t i = 0; i < p->word_count; i++)
		if (ocr_letters_in(p->words[i].text) >= 3)
			h[n++] = upright_height(p, &p->words[i]);
	mid = n > 0 ? ocr_median(h, (size_t)n) : 0;
	free(h);
	return mid;
}

/* Whether a line is only pieces too small for the page's text: marks or
 * the stubs of a rule that Tesseract took for a line of their own over the
 * letters they belong to ("“4 + - &", "\\", "{"). A dotted leader stays. */
static int line_of_crumbs(const sohoa_ocr_page *p, const sohoa_ocr_line *l, int text_h)
{
	for (size_t k = 0; k < l->word_count; k++) {
		const sohoa_ocr_word *w = &p->words[l->first_word + k];
		if (2 * upright_height(p, w) >= text_h || strstr(w->text, "..."))
			return 0;
	}
	return text_h > 0;
}

/* Drops the lines of which nothing is worth keeping: a signature or a
 * seal's rim read as a line of fragments ("SN X2,", "Ễ Ũ", "23 xa Z7"), and
 * lines of crumbs. */
void ocr_drop_noise_lines(sohoa_ocr_page *p)
{
	size_t wo = 0, lo = 0;
	for (size_t i = 0; i < p->line_count; i++) /* lines hold their words in order */
		if (p->lines[i].first_word != wo)
			return;
		else
			wo += p->lines[i].word_count;
	if (wo != p->word_count)
		return;
	wo = 0;
	int text_h = text_height(p);
	for (size_t i = 0; i < p->line_count; i++) {
		sohoa_ocr_line l = p->lines[i];
		int keep = line_worth_keeping(p, &l) && !line_of_crumbs(p, &l, text_h);
		for (size_t k = 0; k < l.word_count; k++) {
			sohoa_ocr_word *w = &p->words[l.first_word + k];
			if (!keep) {
				sohoa_log_debug("noise line: \"%s\" (%.0f)", w->text,
						w->confidence);
				free(w->text);
			} else {
				p->words[wo + k] = *w;
			}
		}
		if (!keep)
			continue;
		l.first_word = wo;
		wo += l.word_count;
		p->lines[lo++] = l;
	}
	p->word_count = wo;
	p->line_count = lo;
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

/* Length of the mark at s that no word starts with — a comma, full stop,
 * colon, semicolon, apostrophe or acute accent (Tesseract's reading of a
 * speck before a word: ",Xác", "'TỜ", ".tin") — or 0. */
static size_t leading_speck(const char *s)
{
	static const char *const marks[] = {",", ".", ":", ";", "'", "`", "\u00B4", "\u2019"};
	for (size_t k = 0; k < sizeof marks / sizeof *marks; k++)
		if (!strncmp(s, marks[k], strlen(marks[k])))
			return strlen(marks[k]);
	return 0;
}

static int is_stop(char c)
{
	return c == ',' || c == '.' || c == ':' || c == ';';
}

/* Punctuation no word has, in place: one or two marks of leading_speck
 * before its first letter or digit, and a run of stops that is not all full
 * stops (",,", ":.", ".,": a speck beside a real one) cut to its first. */
static void tidy_punctuation(char *w)
{
	size_t lead = 0, m, marks = 0;
	int32_t at;
	UChar32 c;
	while ((m = leading_speck(w + lead))) {
		lead += m;
		marks++;
	}
	at = (int32_t)lead;
	U8_NEXT((const uint8_t *)w, at, -1, c);
	/* (three marks or more are a leader or an ellipsis: "...và") */
	if (marks && marks <= 2 && u_isalnum(c))
		memmove(w, w + lead, strlen(w + lead) + 1);
	char *o = w;
	for (const char *s = w; *s;) {
		size_t run = 0;
		int dots = 1;
		while (is_stop(s[run])) {
			dots &= s[run] == '.';
			run++;
		}
		if (run >= 2 && !dots) {
			*o++ = *s;
			s += run;
		} else if (run) {
			memmove(o, s, run);
			o += run;
			s += run;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
}

/* The digit a letter the model reads in place of one stands for: l, I, |
 * and I with an accent for 1; O and o, plain or accented, for 0. 0 for any
 * other character. */
static char digit_for(UChar32 c)
{
	switch (c) {
	case 'l':
	case 'I':
	case '|':
	case 0x00CC:
	case 0x00CD:
	case 0x00EC:
	case 0x00ED: return '1';
	case 'O':
	case 'o':
	case 0x00D2:
	case 0x00D3:
	case 0x00F2:
	case 0x00F3:
	case 0x00D8: return '0';
	default: return 0;
	}
}

/* Whether c parts the numbers of a date, an amount or a code
 * ("17/03/1986", "2.015,5", "H31-240115"). */
static int parts_numbers(UChar32 c)
{
	return c > 0 && c < 0x80 && strchr("./,-:;()[]%", (int)c);
}

/* Puts digits back in numbers: in each run of a word between the marks of
 * parts_numbers that holds a digit and, besides digits, only letters the
 * model reads for one ("l7", "0Ì", "I998", "09O5"), those letters become
 * the digits. A run with any other letter is a code or a word ("H31",
 * "CT01", "Ông") and stays. In place: each digit is no longer than the
 * letter it replaces. */
static void digits_in_numbers(char *w)
{
	int32_t len = (int32_t)strlen(w), start = 0;
	while (start < len) {
		int32_t at = start, end = start;
		int digits = 0, others = 0;
		UChar32 c;
		while (at < len) {
			U8_NEXT((const uint8_t *)w, at, len, c);
			if (parts_numbers(c))
				break;
			digits += c >= '0' && c <= '9';
			others += !(c >= '0' && c <= '9') && !digit_for(c);
			end = at;
		}
		if (digits && !others) {
			char *o = w + start;
			for (int32_t i = start; i < end;) {
				U8_NEXT((const uint8_t *)w, i, end, c);
				*o++ = c >= '0' && c <= '9' ? (char)c : digit_for(c);
			}
			int32_t cut = (int32_t)(w + end - o);
			memmove(o, w + end, (size_t)(len - end) + 1);
			len -= cut;
			end -= cut;
		}
		start = end < len ? end + 1 : len; /* past the mark (one byte) */
	}
}

/* A word that is only l's or |'s, in brackets or before a stop maybe ("l",
 * "ll", "l."), is a number read so: no Vietnamese word is. */
static void lone_ones(char *w)
{
	size_t lead = strspn(w, "(["), n = strspn(w + lead, "l|");
	if (n && strspn(w + lead + n, ".,;:)]") == strlen(w + lead + n))
		memset(w + lead, '1', n);
}

/* "I" or "II" after "ngày", "tháng" or "Quận" is a number: Vietnamese
 * writes days, months and Ho Chi Minh City's districts in digits. */
static void ones_after_dates(sohoa_ocr_page *p)
{
	static const char *const before[] = {"ngày", "tháng", "Tháng", "Quận"};
	for (size_t i = 0; i < p->line_count; i++) {
		const sohoa_ocr_line *l = &p->lines[i];
		for (size_t k = 1; k < l->word_count; k++) {
			char *w = p->words[l->first_word + k].text;
			const char *prev = p->words[l->first_word + k - 1].text;
			size_t n = strspn(w, "I");
			if (n == 0 || n > 2 || strspn(w + n, ".,;:") != strlen(w + n))
				continue;
			for (size_t b = 0; b < sizeof before / sizeof *before; b++)
				if (!strcmp(prev, before[b]))
					memset(w, '1', n);
		}
	}
}

/* Where the stop of a decimal read for its comma is in w, or NULL: w is a
 * number whose last part after a stop has one or two digits and whose
 * other parts are thousands ("86.4", "1.320.0", "(245.6)", "24.0;").
 * Vietnamese writes the decimal with a comma and thousands with stops, so
 * such a number has no stop there; the model reads the comma of "86,4" as
 * one on degraded scans. Numbers starting with a 0 ("000.22", a code's
 * head) are left alone. */
static char *decimal_stop(char *w)
{
	char *s = w + (*w == '('), *last = NULL;
	size_t run = strspn(s, "0123456789");
	if (run == 0 || run > 3 || (s[0] == '0' && run > 1))
		return NULL;
	for (s += run; *s == '.' && !last; s += 1 + run) {
		run = strspn(s + 1, "0123456789");
		if (run == 1 || run == 2)
			last = s;
		else if (run != 3)
			return NULL;
	}
	return last && strspn(s, ";:,)") == strlen(s) ? last : NULL;
}

/* Puts back the decimal comma in numbers read with a stop for it
 * (decimal_stop), except the first word of a line or one after a word
 * that points to a section ("4.2 Rừng", "mục 4.2"): sections are numbered
 * with stops. */
static void decimal_commas(sohoa_ocr_page *p)
{
	static const char *const section[] = {"mục",    "Mục",  "điều", "Điều", "khoản",
					      "Khoản",  "điểm", "phần", "Phần", "chương",
					      "Chương", "bảng", "Bảng", "hình", "Hình"};
	for (size_t i = 0; i < p->line_count; i++) {
		const sohoa_ocr_line *l = &p->lines[i];
		for (size_t k = 1; k < l->word_count; k++) {
			const char *prev = p->words[l->first_word + k - 1].text;
			char *stop = decimal_stop(p->words[l->first_word + k].text);
			for (size_t b = 0; stop && b < sizeof section / sizeof *section; b++)
				if (!strcmp(prev, section[b]))
					stop = NULL;
			if (stop)
				*stop = ',';
		}
	}
}

/* Whether word w starts with a capital letter. */
static int starts_capital(const char *w)
{
	int32_t at = 0;
	UChar32 c;
	U8_NEXT((const uint8_t *)w, at, -1, c);
	return c > 0 && u_isupper(c);
}

/* "Nguyên" starting a name (a capitalised word after it, none before it on
 * the line) is Nguyễn, the commonest family name: the model loses the tilde
 * over the circumflex ("cha: NGUYÊN VĂN AN"; 21 times on the seven sets,
 * never a Nguyên there). After a capitalised word it is a place's or a
 * given name ("Thái Nguyên", "Lê Nguyên Vũ") and stays. (Out of memory,
 * the word stays as read.) */
static void family_names(sohoa_ocr_page *p)
{
	static const char *const read[] = {"NGUYÊN", "Nguyên"}, *const name[] = {"NGUYỄN",
										 "Nguyễn"};
	for (size_t i = 0; i < p->line_count; i++) {
		const sohoa_ocr_line *l = &p->lines[i];
		for (size_t k = 0; k + 1 < l->word_count; k++) {
			sohoa_ocr_word *w = &p->words[l->first_word + k];
			if (!starts_capital(w[1].text) || (k > 0 && starts_capital(w[-1].text)))
				continue;
			for (int v = 0; v < 2; v++) {
				if (strcmp(w->text, read[v]))
					continue;
				char *t = strdup(name[v]);
				if (t) {
					free(w->text);
					w->text = t;
				}
				break;
			}
		}
	}
}

/* A number with a colon starting a line, a capitalised word after it
 * ("3: Giới tính", "1.3: Địa chỉ"), is a numbered item, written "3." in
 * Vietnamese: a speck over its full stop made it a colon (8 of 8 on the
 * seven sets; after a year a comma or semicolon is the text's, "1968,"). */
static void item_numbers(sohoa_ocr_page *p)
{
	for (size_t i = 0; i < p->line_count; i++) {
		const sohoa_ocr_line *l = &p->lines[i];
		if (l->word_count < 2)
			continue;
		char *w = p->words[l->first_word].text;
		size_t n = strlen(w), k = 0;
		while (k < n && w[k] >= '0' && w[k] <= '9') {
			k += strspn(w + k, "0123456789");
			if (w[k] == '.' && w[k + 1] >= '0' && w[k + 1] <= '9')
				k++;
		}
		if (k > 0 && k + 1 == n && w[k] == ':' &&
		    starts_capital(p->words[l->first_word + 1].text))
			w[k] = '.';
	}
}

/* Whether word w has a letter and no small one. */
static int in_capitals(const char *w)
{
	int letters = 0;
	for (int32_t at = 0, n = (int32_t)strlen(w); at < n;) {
		UChar32 c;
		U8_NEXT((const uint8_t *)w, at, n, c);
		if (u_islower(c))
			return 0;
		letters += u_isupper(c) != 0;
	}
	return letters > 0;
}

/* A line all in capitals is a heading or a name ("SỞ Y TẾ HÀ NỘI",
 * "NGUYỄN VĂN AN"), which end in no full stop or comma: a speck after the
 * last word is read as one. The stops after its last word go when that word
 * is a syllable ("DÂN.", "NHẬN,"); an abbreviation keeps its stop ("KT.",
 * "HT."), a Roman numeral too ("VI."), and a colon stays ("XÁC NHẬN:"). On
 * the dev pages: 34 such stops, none in the ground truth, against 38
 * abbreviations' and none after a syllable. */
static void drop_heading_stops(sohoa_ocr_page *p)
{
	for (size_t i = 0; i < p->line_count; i++) {
		const sohoa_ocr_line *l = &p->lines[i];
		int caps = l->word_count > 0;
		for (size_t k = 0; k < l->word_count && caps; k++) {
			const char *w = p->words[l->first_word + k].text;
			caps = in_capitals(w) || ocr_letters_in(w) == 0;
		}
		if (!caps)
			continue;
		char *w = p->words[l->first_word + l->word_count - 1].text;
		size_t n = strlen(w), end = n;
		while (end > 0 && (w[end - 1] == '.' || w[end - 1] == ','))
			end--;
		if (end == n || end == 0 || strspn(w, "IVXLCDM") >= end)
			continue;
		char c = w[end];
		w[end] = '\0';
		if (!in_capitals(w) || !ocr_word_plausible(w))
			w[end] = c;
	}
}

/* A syllable read with a capital inside it ("kHai", "pHường", "nHân:",
 * "CHủ", "MiNH"): the model takes a letter whose capital is the small one
 * grown (s, k, h, x, u, o) for a capital. Vietnamese writes a syllable
 * small, capitalised or in capitals, never otherwise: one that starts small
 * goes small, one that starts with a capital is capitalised, or in capitals
 * when most of its other letters are. Words that are no syllable ("eKYC",
 * "iPhone") and words with other marks inside ("Xã/Phường", "TTr-TNMT")
 * stay. */
static void mixed_case(char *w)
{
	int32_t n = (int32_t)strlen(w), from = 0, to = n, upper = 0, lower = 0, first = -1;
	while (from < n && (unsigned char)w[from] < 0x80 && !isalnum((unsigned char)w[from]))
		from++; /* an opening bracket or quote */
	while (to > from && (unsigned char)w[to - 1] < 0x80 && !isalnum((unsigned char)w[to - 1]))
		to--; /* stops, a closing bracket */
	for (int32_t at = from; at < to;) {
		UChar32 c;
		U8_NEXT((const uint8_t *)w, at, to, c);
		if (c < 0 || !u_isalpha(c))
			return;
		if (first < 0)
			first = u_isupper(c) != 0;
		else if (u_isupper(c))
			upper++;
		else
			lower++;
	}
	if (first < 0 || upper == 0 || (first && lower == 0))
		return;
	char save = w[to];
	w[to] = '\0';
	int syllable = ocr_word_plausible(w + from);
	w[to] = save;
	if (!syllable)
		return;
	int caps = first && upper > lower;
	for (int32_t at = from, k = 0; at < to; k++) {
		int32_t start = at;
		UChar32 c, d;
		U8_NEXT((const uint8_t *)w, at, to, c);
		d = caps ? u_toupper(c) : k == 0 ? c : u_tolower(c);
		if (d != c && U8_LENGTH(d) == at - start) /* same length: in place */
			U8_APPEND_UNSAFE((uint8_t *)w, start, d);
	}
}

size_t ocr_code_points(const char *t)
{
	size_t n = 0;
	for (; *t; t++)
		n += ((unsigned char)*t & 0xC0) != 0x80;
	return n;
}

/* The share of box b (in the page as stored) from code point `from` to
 * `to` of `total`, along the text: it runs left to right on the page made
 * upright, so up the stored page when that was turned 90° to stand, down it
 * when turned 270°, right to left when turned 180°. */
static sohoa_box box_share(sohoa_box b, int rotation, size_t from, size_t to, size_t total)
{
	int along = rotation == 90 || rotation == 270 ? b.h : b.w;
	int lo = (int)((double)along * (double)from / (double)total);
	int hi = (int)((double)along * (double)to / (double)total);
	if (rotation == 180 || rotation == 90) { /* counted from the far end */
		int t = along - hi;
		hi = along - lo;
		lo = t;
	}
	if (rotation == 90 || rotation == 270) {
		b.y += lo;
		b.h = hi - lo;
	} else {
		b.x += lo;
		b.w = hi - lo;
	}
	return b;
}

int ocr_split_words(sohoa_ocr_page *p, char **spaced, int rotation)
{
	size_t total = p->word_count;
	for (size_t i = 0; i < p->word_count; i++)
		for (const char *t = spaced[i]; t && *t; t++)
			total += *t == ' ';
	sohoa_ocr_word *words = calloc(total ? total : 1, sizeof *words);
	size_t *at = calloc(p->word_count + 1, sizeof *at); /* new index of each word */
	if (!words || !at) {
		free(words);
		free(at);
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	}
	size_t n = 0;
	int failed = 0;
	for (size_t i = 0; i < p->word_count; i++) {
		at[i] = n;
		const char *t = spaced[i];
		if (!t) {
			words[n++] = p->words[i];
			continue;
		}
		size_t len = strlen(t), start = 0, cps = ocr_code_points(t), cp = 0, cp_start = 0;
		for (size_t e = 0; e <= len; e++) {
			if (e < len && t[e] != ' ') {
				cp += ((unsigned char)t[e] & 0xC0) != 0x80;
				continue;
			}
			if (e > start) {
				words[n] = (sohoa_ocr_word){
					strndup(t + start, e - start),
					box_share(p->words[i].box, rotation, cp_start, cp, cps),
					p->words[i].confidence};
				failed |= !words[n++].text;
			}
			start = e + 1;
			cp_start = ++cp; /* the space */
		}
	}
	at[p->word_count] = n;
	/* Out of memory, the page stays as it was; else the words replaced go. */
	for (size_t i = 0; i < p->word_count; i++)
		if (spaced[i] && !failed)
			free(p->words[i].text);
		else if (spaced[i])
			for (size_t k = at[i]; k < at[i + 1]; k++)
				free(words[k].text);
	if (failed) {
		free(words);
		free(at);
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	}
	for (size_t i = 0; i < p->line_count; i++) {
		sohoa_ocr_line *ln = &p->lines[i];
		size_t first = ln->first_word, end = first + ln->word_count;
		ln->first_word = at[first];
		ln->word_count = at[end] - at[first];
	}
	free(p->words);
	free(at);
	p->words = words;
	p->word_count = n;
	return 0;
}

void ocr_tidy_words(sohoa_ocr_page *p, int vietnamese)
{
	for (size_t i = 0; i < p->word_count; i++) {
		char *t = vietnamese ? ocr_vietnamese_letters(p->words[i].text) : NULL;
		if (t) {
			free(p->words[i].text);
			p->words[i].text = t;
		}
		tidy_punctuation(p->words[i].text);
		digits_in_numbers(p->words[i].text);
		if (vietnamese) {
			lone_ones(p->words[i].text);
			mixed_case(p->words[i].text);
		}
	}
	if (vietnamese) {
		ocr_split_run_together(p);
		drop_heading_stops(p);
		ones_after_dates(p);
		decimal_commas(p);
		family_names(p);
		item_numbers(p);
		ocr_marks_from_context(p);
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
