/* ocr/syllable.c: whether a word as read could be Vietnamese. Every written
 * Vietnamese word is one syllable (or several joined by hyphens), built from
 * an initial consonant, a vowel nucleus and a final consonant out of short
 * fixed lists, with at most one tone mark. A reading of noise (a seal's
 * rim, a signature stroke, dust) almost never is; a faint word read right
 * almost always is, however unsure Tesseract was of it. */
#include "ocr/ocr_int.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
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

int ocr_is_tone_mark(UChar32 c)
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
		if (ocr_is_tone_mark(base) || u_getCombiningClass(base) != 0)
			return -1; /* a mark standing alone */
		base = u_tolower(base);
		while (j < n) {
			UChar32 m;
			U16_NEXT(dec, j, n, m);
			if (ocr_is_tone_mark(m)) {
				tones++;
				continue;
			}
			base = unorm2_composePair(nfc, base, m);
			if (base < 0)
				return -1;
		}
		if (tones > 1 || o + U8_MAX_LENGTH >= cap)
			return -1; /* U8_APPEND checks no room for ASCII */
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

/* `*word` (*len bytes) without its opening and closing punctuation. */
static void strip_punctuation(const char **word, size_t *len)
{
	size_t m;
	while ((m = strip_mark(*word, *len, opening, sizeof opening / sizeof *opening, 0))) {
		*word += m;
		*len -= m;
	}
	while ((m = strip_mark(*word, *len, closing, sizeof closing / sizeof *closing, 1)))
		*len -= m;
}

int ocr_word_plausible(const char *word)
{
	size_t len = strlen(word), start, parts = 0;

	strip_punctuation(&word, &len);
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

int ocr_bare_syllable(const char *word)
{
	size_t len = strlen(word), k;

	strip_punctuation(&word, &len);
	if (len < 2 || len > 24 || !is_syllable(word, (int32_t)len))
		return -1;
	for (k = 0; k < len && (unsigned char)word[k] < 0x80; k++)
		;
	return k == len;
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
		if (o + U8_MAX_LENGTH >= cap)
			return -1; /* U8_APPEND checks no room for ASCII */
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

/* The code points of UTF-8 `s` into cp (at most cap); -1 when longer or
 * not UTF-8. */
static int32_t code_points(UChar32 *cp, int32_t cap, const char *s)
{
	int32_t i = 0, n = 0, len = (int32_t)strlen(s);
	while (i < len) {
		UChar32 c;
		U8_NEXT(s, i, len, c);
		if (c < 0 || n == cap)
			return -1;
		cp[n++] = c;
	}
	return n;
}

int ocr_word_distance(const char *a, const char *b)
{
	enum { MAXCP = 128 };
	UChar32 x[MAXCP], y[MAXCP];
	int32_t n = code_points(x, MAXCP, a), m = code_points(y, MAXCP, b);
	int row[MAXCP + 1];

	if (n < 0 || m < 0)
		return MAXCP;
	for (int32_t j = 0; j <= m; j++)
		row[j] = (int)j;
	for (int32_t i = 1; i <= n; i++) {
		int diag = row[0];
		row[0] = (int)i;
		for (int32_t j = 1; j <= m; j++) {
			int up = row[j], best = diag + (x[i - 1] != y[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	return row[m];
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

int ocr_vietnamese_mark(UChar32 b, UChar32 m)
{
	if (b <= 0 || b >= 0x80 || !strchr("aeiouy", (int)b))
		return 0;
	if (ocr_is_tone_mark(m))
		return 1;
	if (m == 0x0302)
		return b == 'a' || b == 'e' || b == 'o';
	if (m == 0x0306)
		return b == 'a';
	return m == 0x031B && (b == 'o' || b == 'u');
}

/* What stands for letter c (no marks) in Vietnamese text, or c itself:
 * letters of other Latin alphabets the model makes of a Vietnamese one
 * with dust on it. `digits`: a digit stands next to it. */
static UChar32 vietnamese_base(UChar32 c, int digits)
{
	switch (c) {
	case 0x00F0: return 0x0111;             /* ð → đ */
	case 0x00D0: return 0x0110;             /* Ð → Đ */
	case 0x00F8: return 'o';                /* ø */
	case 0x00D8: return digits ? '0' : 'O'; /* Ø */
	case 0x0192: return 'f';                /* ƒ */
	default: return c;
	}
}

char *ocr_vietnamese_letters(const char *w)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
	UChar in[256], out[256], norm[256];
	int32_t n, o = 0, len;

	if (U_FAILURE(err))
		return NULL;
	u_strFromUTF8(in, 256, &n, w, -1, &err);
	if (U_FAILURE(err) || n >= 256)
		return NULL;
	len = unorm2_normalize(nfd, in, n, norm, 256, &err);
	if (U_FAILURE(err) || len >= 256)
		return NULL;
	UChar32 base = 0; /* lower-case letter the marks that follow stand on */
	int tones = 0, changed = 0;
	for (int32_t i = 0; i < len;) {
		UChar32 c;
		int32_t at = i;
		U16_NEXT(norm, i, len, c);
		if (u_getCombiningClass(c) != 0) {
			if (ocr_vietnamese_mark(base, c) && !(ocr_is_tone_mark(c) && tones++)) {
				U16_APPEND_UNSAFE(out, o, c);
			} else {
				changed = 1;
			}
			continue;
		}
		if (c == 0x02C6 || c == 0x02DC) { /* ˆ ˜ standing alone: dust */
			changed = 1;
			continue;
		}
		UChar32 prev = 0, next = 0;
		if (at > 0)
			U16_GET(norm, 0, at - 1, len, prev);
		if (i < len)
			U16_GET(norm, 0, i, len, next);
		UChar32 v = vietnamese_base(c, u_isdigit(prev) || u_isdigit(next));
		changed |= v != c;
		base = u_tolower(v);
		tones = 0;
		U16_APPEND_UNSAFE(out, o, v);
	}
	if (!changed)
		return NULL;
	len = unorm2_normalize(nfc, out, o, norm, 256, &err);
	if (U_FAILURE(err))
		return NULL;
	char *r = malloc(4 * (size_t)len + 1);
	if (r)
		u_strToUTF8(r, 4 * len + 1, NULL, norm, len, &err);
	if (r && U_FAILURE(err)) {
		free(r);
		r = NULL;
	}
	return r;
}
