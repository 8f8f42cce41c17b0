/* ocr/syllable.c: whether a word as read could be Vietnamese. Every written
 * Vietnamese word is one syllable (or several joined by hyphens), built from
 * an initial consonant, a vowel nucleus and a final consonant out of short
 * fixed lists, with at most one tone mark. A reading of noise (a seal's
 * rim, a signature stroke, dust) almost never is; a faint word read right
 * almost always is, however unsure Tesseract was of it. */
#include "ocr/ocr_int.h"

#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf8.h>

/* Longest first, so "ngh" is tried before "ng" and "n". */
static const char *const initials[] = {"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th",
				       "tr",  "b",  "c",  "d",  "đ",  "g",  "h",  "k",  "l",  "m",
				       "n",   "p",  "r",  "s",  "t",  "v",  "x",  ""};
static const char *const finals[] = {"ng", "nh", "ch", "c", "m", "n", "p", "t", ""};
static const char *const nuclei[] = {"a",   "ă",   "â",   "e",   "ê",   "i",   "o",   "ô",   "ơ",
				     "u",   "ư",   "y",   "ai",  "ao",  "au",  "ay",  "âu",  "ây",
				     "eo",  "êu",  "ia",  "iê",  "iu",  "oa",  "oă",  "oe",  "oi",
				     "ôi",  "ơi",  "oo",  "ua",  "uâ",  "uê",  "ui",  "uô",  "uơ",
				     "ưa",  "ưi",  "ươ",  "ưu",  "uy",  "yê",  "uya", "uyê", "uyu",
				     "iêu", "oai", "oay", "oeo", "uôi", "ươi", "ươu", "yêu", "uây"};

/* The five tone marks, as combining characters. */
static int is_tone(UChar32 c)
{
	return c == 0x0300 || c == 0x0301 || c == 0x0303 || c == 0x0309 || c == 0x0323;
}

/* The next character of w (len bytes) from *i on, decomposed: *base its
 * first code point, dec[*j..*n) the marks after it (UTF-16). -1 when w is
 * not UTF-8 there. */
static int next_char(const UNormalizer2 *nfd, const char *w, int32_t *i, int32_t len, UChar32 *base,
		     UChar dec[8], int32_t *n, int32_t *j)
{
	UErrorCode err = U_ZERO_ERROR;
	UChar32 c;
	U8_NEXT(w, *i, len, c);
	if (c < 0)
		return -1;
	*j = 0;
	*n = unorm2_getDecomposition(nfd, c, dec, 8, &err);
	if (U_FAILURE(err) || *n <= 0) {
		*n = 0;
		*base = c;
	} else {
		U16_NEXT(dec, *j, *n, *base);
	}
	return 0;
}

/* `w` (len bytes of UTF-8) in lower case without its tone mark, NFC, into
 * buf. Returns the length, or -1 when it has more than one tone mark, a
 * mark on nothing or is too long for a syllable. */
static int toneless(char *buf, int32_t cap, const char *w, int32_t len)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
	int32_t i = 0, o = 0;
	int tones = 0;

	if (U_FAILURE(err))
		return -1;
	while (i < len) {
		UChar32 base;
		UChar dec[8];
		int32_t n, j;
		UBool bad = 0;
		if (next_char(nfd, w, &i, len, &base, dec, &n, &j) < 0)
			return -1;
		if (is_tone(base) || u_getCombiningClass(base) != 0)
			return -1; /* a mark standing alone */
		base = u_tolower(base);
		while (j < n) {
			UChar32 m;
			U16_NEXT(dec, j, n, m);
			if (is_tone(m)) {
				tones++;
				continue;
			}
			base = unorm2_composePair(nfc, base, m);
			if (base < 0)
				return -1;
		}
		if (tones > 1)
			return -1;
		U8_APPEND(buf, o, cap - 1, base, bad);
		if (bad)
			return -1;
	}
	buf[o] = 0;
	return (int)o;
}

static int in_list(const char *s, size_t len, const char *const *list, size_t count)
{
	for (size_t k = 0; k < count; k++)
		if (strlen(list[k]) == len && !memcmp(list[k], s, len))
			return 1;
	return 0;
}

/* Whether the `len` bytes at w are one Vietnamese syllable. */
static int is_syllable(const char *w, int32_t len)
{
	char s[32];
	int n = toneless(s, (int32_t)sizeof s, w, len);

	if (n <= 0)
		return 0;
	for (size_t a = 0; a < sizeof initials / sizeof *initials; a++) {
		size_t il = strlen(initials[a]);
		if (il > (size_t)n || memcmp(s, initials[a], il))
			continue;
		/* "gi" is a whole syllable with its vowel in the initial ("gì"). */
		if (il == (size_t)n && !strcmp(initials[a], "gi"))
			return 1;
		for (size_t b = 0; b < sizeof finals / sizeof *finals; b++) {
			size_t fl = strlen(finals[b]);
			if (il + fl > (size_t)n || memcmp(s + n - fl, finals[b], fl))
				continue;
			if (in_list(s + il, (size_t)n - il - fl, nuclei,
				    sizeof nuclei / sizeof *nuclei))
				return 1;
		}
	}
	return 0;
}

/* Quote marks and brackets a word may open or close with, and closing
 * punctuation, in UTF-8. */
static const char *const opening[] = {"(", "\"", "'", "[", "“", "‘"};
static const char *const closing[] = {".",  ",", ";", ":", ")", "!", "?",
				      "\"", "'", "]", "”", "’", "…"};

/* Length of the mark out of `list` that s (len bytes) starts with (at_end 0)
 * or ends with (at_end 1); 0 for none. */
static size_t strip_mark(const char *s, size_t len, const char *const *list, size_t count,
			 int at_end)
{
	for (size_t k = 0; k < count; k++) {
		size_t ml = strlen(list[k]);
		if (ml <= len && !memcmp(at_end ? s + len - ml : s, list[k], ml))
			return ml;
	}
	return 0;
}

int ocr_word_plausible(const char *word)
{
	size_t len = strlen(word), m, start, parts = 0;

	while ((m = strip_mark(word, len, opening, sizeof opening / sizeof *opening, 0))) {
		word += m;
		len -= m;
	}
	while ((m = strip_mark(word, len, closing, sizeof closing / sizeof *closing, 1)))
		len -= m;
	/* An e-mail address: ASCII, one "@" with a dot after it. */
	const char *at = memchr(word, '@', len);
	if (at && at > word && memchr(at, '.', len - (size_t)(at - word)) &&
	    !memchr(at + 1, '@', len - (size_t)(at + 1 - word))) {
		size_t k = 0;
		while (k < len && (unsigned char)word[k] < 0x80 && word[k] > ' ')
			k++;
		if (k == len)
			return 1;
	}
	/* Parts between hyphens, slashes, dots, commas and colons: "Hồ-Chí-Minh",
	 * "24/2014", "12.500". Each is a number or a syllable. */
	for (size_t i = start = 0; i <= len; i++) {
		if (i < len && !strchr("-/.,:", word[i]))
			continue;
		if (i > start) {
			int digits = 1;
			for (size_t k = start; k < i && digits; k++)
				digits = word[k] >= '0' && word[k] <= '9';
			if (!digits && !is_syllable(word + start, (int32_t)(i - start)))
				return 0;
			parts++;
		}
		start = i + 1;
	}
	return parts > 0;
}

/* `w` without any of its combining marks (đ stays đ), into buf; -1 when
 * it does not fit or is not UTF-8. */
static int32_t bare(char *buf, int32_t cap, const char *w)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
	int32_t i = 0, o = 0, len = (int32_t)strlen(w);

	if (U_FAILURE(err))
		return -1;
	while (i < len) {
		UChar32 c;
		UChar dec[8];
		int32_t n, j;
		UBool bad = 0;
		if (next_char(nfd, w, &i, len, &c, dec, &n, &j) < 0)
			return -1;
		if (u_getCombiningClass(c) != 0)
			continue;
		U8_APPEND(buf, o, cap - 1, c, bad);
		if (bad)
			return -1;
	}
	buf[o] = 0;
	return o;
}

int ocr_same_letters(const char *a, const char *b)
{
	char x[256], y[256];
	return bare(x, (int32_t)sizeof x, a) >= 0 && bare(y, (int32_t)sizeof y, b) >= 0 &&
	       !strcmp(x, y);
}

int ocr_is_letter(const char *t)
{
	unsigned char c = (unsigned char)t[0];
	return ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= 0xC3 && c < 0xF5);
}

int ocr_letters_in(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ocr_is_letter(s);
	return n;
}
