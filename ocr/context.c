/* ocr/context.c: marks from context. A word read with one mark wrong is
 * often still a syllable ("bố sung", "thay đối", "ỦY BẠN NHÂN"), so no
 * syllable rule can catch it; its neighbours can. The table of syllable
 * pairs seen side by side in Vietnamese text (ocr/data/vi-pairs.txt, made by
 * scripts/make-pairs.py, compiled in) says "bổ sung" and "thay đổi" are
 * Vietnamese and "bố sung" is not. A word that is no syllable at all
 * ("vớj") may have a letter put right the same way. */
#include "ocr/ocr_int.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf8.h>

extern const char ocr_data_vi_pairs[];
extern const size_t ocr_data_vi_pairs_len;

/* Under CONTEXT_DOUBT a word takes a change that pairs it with one
 * neighbour; up to CONTEXT_SURE only one that pairs it with both: above
 * 96 a pair missing from the table is as often the table's gap ("Quyển
 * số", "thiếu trang") as a wrong mark (dev sets, 96-97: 16 right changes
 * against 27 wrong with one pair, 23 against 10 with two; 97-98: 0 against
 * 7 and 4 against 0). */
#define CONTEXT_DOUBT 96.0f
/* Under SWAP_DOUBT a word that pairs with one neighbour takes a change that
 * pairs it with both ("làm thử tục" → "làm thủ tục"; dev sets: 17 right, 2
 * wrong; from 90 on as many wrong as right). */
#define SWAP_DOUBT   90.0f
#define CONTEXT_SURE 98.0f
/* From this confidence on, a capitalised word inside a line is taken for a
 * name ("Văn Hưởng", "Thị Sô"), which the table does not hold. */
#define NAME_SURE    90.0f
#define SYLLABLE_MAX 7 /* letters */

/* The pairs, built on first use and never changed after: syllables sorted
 * (strings inside `text`), pairs as first id << 16 | second id, sorted, and
 * among them those that make a word of the dictionary. */
static struct {
	char *text;
	const char **syl;
	size_t nsyl;
	uint32_t *pair, *word;
	size_t npair, nword;
} table;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

static long syllable_id(const char *s)
{
	const char **hit = bsearch(&s, table.syl, table.nsyl, sizeof *table.syl, cmp_str);
	return hit ? hit - table.syl : -1;
}

enum { SECOND, FIRST, SECOND_IN_WORD };

/* Splits the data into NUL-ended tokens; tok[i] is a token, kind[i] whether
 * it starts a line or follows with a '+' (a dictionary word's), which is
 * dropped. Comment lines are skipped. */
static size_t tokens(char *t, char **tok, char *kind)
{
	size_t n = 0;
	int line_start = 1;
	for (char *s = t; *s;) {
		if (line_start && *s == '#') {
			s += strcspn(s, "\n");
			s += *s != '\0';
			continue;
		}
		size_t k = strcspn(s, "\t \n");
		char sep = s[k];
		if (k > 0) {
			int word = !line_start && *s == '+';
			tok[n] = s + word;
			kind[n++] = (char)(line_start ? FIRST : word ? SECOND_IN_WORD : SECOND);
		}
		line_start = sep == '\n';
		s[k] = '\0';
		s += k + (sep != '\0');
	}
	return n;
}

static void load_table(void)
{
	size_t len = ocr_data_vi_pairs_len, most = len / 2 + 1, n, k = 0;
	char **tok = malloc(most * sizeof *tok), *kind = malloc(most);
	const char **syl = malloc(most * sizeof *syl);
	uint32_t *pair = malloc(most * sizeof *pair), *word = malloc(most * sizeof *word);
	char *text = malloc(len + 1);

	if (!tok || !kind || !syl || !pair || !word || !text)
		goto cleanup;
	memcpy(text, ocr_data_vi_pairs, len + 1);
	n = tokens(text, tok, kind);
	memcpy(syl, tok, n * sizeof *syl);
	qsort(syl, n, sizeof *syl, cmp_str);
	for (size_t i = 0; i < n; i++)
		if (k == 0 || strcmp(syl[k - 1], syl[i]))
			syl[k++] = syl[i];
	if (k > 0xFFFF)
		goto cleanup;
	table.syl = syl;
	table.nsyl = k;
	long a = -1;
	size_t np = 0, nw = 0;
	for (size_t i = 0; i < n; i++) {
		long id = syllable_id(tok[i]);
		if (kind[i] == FIRST) {
			a = id;
			continue;
		}
		if (a < 0)
			continue;
		pair[np++] = (uint32_t)a << 16 | (uint32_t)id;
		if (kind[i] == SECOND_IN_WORD)
			word[nw++] = pair[np - 1];
	}
	qsort(pair, np, sizeof *pair, cmp_u32);
	qsort(word, nw, sizeof *word, cmp_u32);
	table.text = text;
	table.pair = pair;
	table.npair = np;
	table.word = word;
	table.nword = nw;
	text = NULL;
	pair = word = NULL;
	syl = NULL;
cleanup:
	if (syl) { /* failed: the table stays empty */
		table.syl = NULL;
		table.nsyl = 0;
	}
	free(tok);
	free(kind);
	free(syl);
	free(pair);
	free(word);
	free(text);
}

/* ocr_pair_known for syllable ids (-1: not in the table, no pair). */
static int pair_of(long x, long y)
{
	if (x < 0 || y < 0)
		return 0;
	uint32_t key = (uint32_t)x << 16 | (uint32_t)y;
	if (bsearch(&key, table.word, table.nword, sizeof key, cmp_u32))
		return 2;
	return bsearch(&key, table.pair, table.npair, sizeof key, cmp_u32) != NULL;
}

int ocr_pair_known(const char *a, const char *b)
{
	pthread_once(&table_once, load_table);
	return pair_of(syllable_id(a), syllable_id(b));
}

/* ------------------------------------------------------------- one syllable */

/* A letter taken apart: lower-case base, its shape mark (circumflex, breve,
 * horn; 0 for none), its tone mark (0 for none), and whether it was upper. */
typedef struct {
	UChar32 base, shape, tone;
	int upper;
} letter;

typedef struct {
	letter l[SYLLABLE_MAX];
	int n;
} syllable;

/* Parses the letters of w[0..len) into s; -1 when one is no letter, takes an
 * unknown mark or there are too many. */
static int parse(syllable *s, const char *w, int32_t len)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
	if (U_FAILURE(err))
		return -1;
	s->n = 0;
	for (int32_t i = 0; i < len;) {
		UChar32 c;
		UChar dec[8];
		U8_NEXT(w, i, len, c);
		if (c < 0 || !u_isalpha(c) || s->n == SYLLABLE_MAX)
			return -1;
		letter *l = &s->l[s->n++];
		int32_t n = unorm2_getDecomposition(nfd, c, dec, 8, &err), j = 0;
		if (U_FAILURE(err))
			return -1;
		if (n > 0)
			U16_NEXT(dec, j, n, c);
		l->upper = u_isupper(c) != 0;
		l->base = u_tolower(c);
		l->shape = l->tone = 0;
		while (j < n) {
			UChar32 m;
			U16_NEXT(dec, j, n, m);
			UChar32 *slot = ocr_is_tone_mark(m) ? &l->tone : &l->shape;
			if (*slot ||
			    (m != 0x0302 && m != 0x0306 && m != 0x031B && !ocr_is_tone_mark(m)))
				return -1;
			*slot = m;
		}
	}
	return 0;
}

/* Writes s in lower case (or as it was read, `cased`) into buf, UTF-8.
 * Returns 0, or -1 when a mark does not compose with its letter. */
static int spell(char *buf, size_t cap, const syllable *s, int cased)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
	size_t o = 0;
	if (U_FAILURE(err))
		return -1;
	for (int i = 0; i < s->n; i++) {
		/* The marks in their canonical order (by combining class): "ộ" is
		 * "ọ" with a circumflex, "ợ" is "ơ" with a dot below. */
		UChar32 c = s->l[i].base, first = s->l[i].shape, then = s->l[i].tone;
		if (first && then && u_getCombiningClass(then) < u_getCombiningClass(first)) {
			first = then;
			then = s->l[i].shape;
		}
		if (first && (c = unorm2_composePair(nfc, c, first)) < 0)
			return -1;
		if (then && (c = unorm2_composePair(nfc, c, then)) < 0)
			return -1;
		if (cased && s->l[i].upper)
			c = u_toupper(c);
		if (o + U8_MAX_LENGTH >= cap)
			return -1;
		U8_APPEND_UNSAFE(buf, o, c);
	}
	buf[o] = '\0';
	return 0;
}

/* The pairs the syllable of id w makes with its neighbours' (-1: none or
 * not in the table); *words of them are words of the dictionary (may be
 * NULL). */
static int pairs_with(long prev, long w, long next, int *words)
{
	int a = pair_of(prev, w), b = pair_of(w, next);
	if (words)
		*words = (a == 2) + (b == 2);
	return (a > 0) + (b > 0);
}

typedef struct {
	long prev, next; /* the neighbours' syllable ids, or -1 */
	char found[SYLLABLE_MAX * U8_MAX_LENGTH + 1];
	syllable best;
	int hits;  /* the most pairs a variant makes */
	int words; /* the most of those that are dictionary words */
	int count; /* distinct variants that make that many of both */
} search;

/* Tries variant v of the word `was`: keeps it when it makes more pairs than
 * any before (or as many, more of them dictionary words: the web's bigrams
 * hold misspellings, "sư dụng"), counts it when it ties and is new. */
static void try_variant(search *q, const syllable *v, const char *was)
{
	char low[sizeof q->found];
	int h, w;
	if (spell(low, sizeof low, v, 0) || !strcmp(low, was) ||
	    (h = pairs_with(q->prev, syllable_id(low), q->next, &w)) == 0 || h < q->hits ||
	    (h == q->hits && w < q->words))
		return;
	if (h == q->hits && w == q->words) {
		q->count += strcmp(low, q->found) != 0;
		return;
	}
	q->hits = h;
	q->words = w;
	q->count = 1;
	strcpy(q->found, low);
	q->best = *v;
}

static const UChar32 tones[] = {0, 0x0300, 0x0301, 0x0309, 0x0303, 0x0323};

static int is_vowel(UChar32 c)
{
	return c > 0 && c < 0x80 && strchr("aeiouy", (int)c);
}

/* The variants of s with its tone changed: on the letter that bears it, or
 * on any vowel when none does. */
static void tone_variants(search *q, const syllable *s, const char *was)
{
	int toned = -1;
	for (int i = 0; i < s->n; i++)
		if (s->l[i].tone)
			toned = i;
	for (int i = 0; i < s->n; i++) {
		if (toned >= 0 ? i != toned : !is_vowel(s->l[i].base))
			continue;
		for (size_t t = 0; t < sizeof tones / sizeof *tones; t++) {
			syllable v = *s;
			v.l[i].tone = tones[t];
			try_variant(q, &v, was);
		}
	}
}

/* The shapes letter b may take (none, then those of a ă â, e ê, o ô ơ,
 * u ư) into out; returns their number. */
static int shapes_of(UChar32 b, UChar32 out[3])
{
	static const UChar32 shapes[] = {0x0306, 0x0302, 0x031B};
	int n = 1;
	out[0] = 0;
	for (size_t k = 0; k < sizeof shapes / sizeof *shapes; k++)
		if (ocr_vietnamese_mark(b, shapes[k]))
			out[n++] = shapes[k];
	return n;
}

/* The variants of s with one letter's shape changed or d and đ swapped. */
static void shape_variants(search *q, const syllable *s, const char *was)
{
	for (int i = 0; i < s->n; i++) {
		syllable v = *s;
		UChar32 sh[3];
		if (s->l[i].base == 'd' || s->l[i].base == 0x0111) {
			v.l[i].base = s->l[i].base == 'd' ? 0x0111 : 'd';
			try_variant(q, &v, was);
			continue;
		}
		for (int m = 0, n = shapes_of(s->l[i].base, sh); m < n; m++) {
			v.l[i].shape = sh[m];
			try_variant(q, &v, was);
		}
	}
}

/* Tries every Vietnamese letter, in each shape and tone, at place i of v. */
static void try_letters_at(search *q, syllable *v, int i, const char *was)
{
	static const char bases[] = "abcdeghiklmnopqrstuvxy";
	for (size_t b = 0; b < sizeof bases; b++) { /* the last is đ */
		UChar32 base = b + 1 < sizeof bases ? (UChar32)bases[b] : 0x0111, sh[3];
		int shapes = shapes_of(base, sh), ntones = is_vowel(base) ? 6 : 1;
		for (int m = 0; m < shapes; m++)
			for (int t = 0; t < ntones; t++) {
				v->l[i].base = base;
				v->l[i].shape = sh[m];
				v->l[i].tone = tones[t];
				try_variant(q, v, was);
			}
	}
}

/* The variants of s with one letter changed, added or taken out ("nhâti"
 * → "nhân", "vớj" → "với", "Ki" → "Khi"). An added letter is a capital
 * when all the word's letters are (and there are two or more). */
static void letter_variants(search *q, const syllable *s, const char *was)
{
	int caps = s->n > 1;
	for (int i = 0; i < s->n; i++)
		caps &= s->l[i].upper;
	for (int i = 0; i < s->n; i++) {
		syllable v = *s;
		try_letters_at(q, &v, i, was);
		v = *s;
		memmove(&v.l[i], &v.l[i + 1], (size_t)(s->n - i - 1) * sizeof *v.l);
		if (--v.n > 0)
			try_variant(q, &v, was);
	}
	for (int i = 0; i <= s->n && s->n < SYLLABLE_MAX; i++) {
		syllable v = *s;
		memmove(&v.l[i + 1], &v.l[i], (size_t)(s->n - i) * sizeof *v.l);
		v.n++;
		v.l[i].upper = caps;
		try_letters_at(q, &v, i, was);
	}
}

/* ------------------------------------------------------------------ a page */

/* The letters of word w between its leading and trailing punctuation:
 * *from and *to (bytes). 0 when that core is empty. */
static int core_of(const char *w, int32_t *from, int32_t *to)
{
	int32_t n = (int32_t)strlen(w), i = 0, end = n;
	while (i < n) {
		int32_t at = i;
		UChar32 c;
		U8_NEXT(w, i, n, c);
		if (u_isalpha(c)) {
			i = at;
			break;
		}
	}
	while (end > i) {
		int32_t at = end;
		UChar32 c;
		U8_PREV(w, 0, at, c);
		if (u_isalpha(c))
			break;
		end = at;
	}
	*from = i;
	*to = end;
	return end > i;
}

/* The core of w in lower case into buf when it is a syllable's letters. */
static int lower_core(char *buf, size_t cap, const char *w, int32_t from, int32_t to)
{
	syllable s;
	return parse(&s, w + from, to - from) == 0 ? spell(buf, cap, &s, 0) : -1;
}

/* Whether w, preceded on its line by `before`, looks like part of a name: a
 * capital then small letters, not after the end of a sentence or clause. */
static int name_like(const char *w, const char *before)
{
	int32_t n = (int32_t)strlen(w), i = 0;
	UChar32 c;
	U8_NEXT(w, i, n, c);
	if (!before || !u_isupper(c))
		return 0;
	size_t b = strlen(before);
	if (b > 0 && strchr(".:;", before[b - 1]))
		return 0;
	while (i < n) {
		U8_NEXT(w, i, n, c);
		if (u_islower(c))
			return 1;
	}
	return 0;
}

/* Rewrites word k of line l with its one best variant (most pairs, then
 * most dictionary words) when that makes more pairs than the word as read:
 * one or two when it made none, two when it made one (under SWAP_DOUBT),
 * and two from CONTEXT_DOUBT on (ocr_marks_from_context in ocr_int.h). */
static void mend_word(sohoa_ocr_page *p, const sohoa_ocr_line *l, size_t k)
{
	sohoa_ocr_word *w = &p->words[l->first_word + k];
	char was[SYLLABLE_MAX * U8_MAX_LENGTH + 1], prev[sizeof was], next[sizeof was];
	int32_t from, to, pf, pt, nf, nt;
	search q = {.prev = -1, .next = -1};
	syllable s;
	int sides = 0; /* neighbours that count, in the table or not */

	pthread_once(&table_once, load_table);
	if (w->confidence >= CONTEXT_SURE || !core_of(w->text, &from, &to) ||
	    parse(&s, w->text + from, to - from) || spell(was, sizeof was, &s, 0))
		return;
	const char *before = k > 0 ? w[-1].text : NULL;
	if (w->confidence >= NAME_SURE && name_like(w->text + from, before))
		return;
	if (before && from == 0 && core_of(before, &pf, &pt) && before[pt] == '\0' &&
	    lower_core(prev, sizeof prev, before, pf, pt) == 0) {
		q.prev = syllable_id(prev);
		sides++;
	}
	if (k + 1 < l->word_count && w->text[to] == '\0' && core_of(w[1].text, &nf, &nt) &&
	    nf == 0 && lower_core(next, sizeof next, w[1].text, nf, nt) == 0) {
		q.next = syllable_id(next);
		sides++;
	}
	long id = syllable_id(was);
	int pairs = sides ? pairs_with(q.prev, id, q.next, NULL) : 2;
	if (pairs > 1 || (pairs == 1 && w->confidence >= SWAP_DOUBT))
		return;
	tone_variants(&q, &s, was);
	shape_variants(&q, &s, was);
	if (q.count == 0 && id < 0)
		letter_variants(&q, &s, was);
	if (q.count != 1 || q.hits <= pairs || q.hits < (w->confidence < CONTEXT_DOUBT ? 1 : 2))
		return;
	char fixed[SYLLABLE_MAX * U8_MAX_LENGTH + 1];
	if (spell(fixed, sizeof fixed, &q.best, 1))
		return;
	size_t a = strlen(fixed), tail = strlen(w->text + to);
	char *t = malloc((size_t)from + a + tail + 1);
	if (!t)
		return; /* out of memory: the word stays as read */
	memcpy(t, w->text, (size_t)from);
	memcpy(t + from, fixed, a);
	memcpy(t + from + a, w->text + to, tail + 1);
	free(w->text);
	w->text = t;
}

void ocr_marks_from_context(sohoa_ocr_page *p)
{
	for (size_t i = 0; i < p->line_count; i++)
		for (size_t k = 0; k < p->lines[i].word_count; k++)
			mend_word(p, &p->lines[i], k);
}

/* ------------------------------------------------------ words run together */

/* Byte offsets in w (n bytes) after which a comma or colon ends a word run
 * into the next: a small letter before it, a letter or digit after. Into
 * cut (at most max); returns the count. */
static int punct_cuts(const char *w, int32_t n, int32_t *cut, int max)
{
	int k = 0;
	UChar32 prev = 0;
	for (int32_t i = 0; i < n && k < max;) {
		UChar32 c;
		U8_NEXT(w, i, n, c);
		if ((c == ',' || c == ':') && u_islower(prev) && i < n) {
			int32_t j = i;
			UChar32 d;
			U8_NEXT(w, j, n, d);
			if (u_isalpha(d) || u_isdigit(d))
				cut[k++] = i;
		}
		prev = c;
	}
	return k;
}

/* Whether w[from..to) is one syllable of two letters or more (a lone
 * letter pairs too easily: "II" is no "I I"); its letters in lower case
 * into buf. */
static int syllable_at(char *buf, size_t cap, const char *w, int32_t from, int32_t to)
{
	char part[SYLLABLE_MAX * U8_MAX_LENGTH + 1];
	int32_t second = from;
	U8_FWD_1(w, second, to);
	if (to - from >= (int32_t)sizeof part || second >= to)
		return 0;
	memcpy(part, w + from, (size_t)(to - from));
	part[to - from] = '\0';
	return ocr_word_plausible(part) && lower_core(buf, cap, w, from, to) == 0;
}

/* The one place inside the letters w[from..to) (a word that is no
 * Vietnamese) between two syllables that the table has side by side;
 * -1 when there is none or more than one. */
static int32_t syllable_cut(const char *w, int32_t from, int32_t to)
{
	int32_t found = -1, count = 0;
	for (int32_t i = from; i < to;) {
		U8_FWD_1(w, i, to);
		char a[SYLLABLE_MAX * U8_MAX_LENGTH + 1], b[sizeof a];
		if (i < to && syllable_at(a, sizeof a, w, from, i) &&
		    syllable_at(b, sizeof b, w, i, to) && ocr_pair_known(a, b)) {
			found = i;
			count++;
		}
	}
	return count == 1 ? found : -1;
}

/* Whether the n bytes at w are letters only. */
static int letters_only(const char *w, int32_t n)
{
	for (int32_t j = 0; j < n;) {
		UChar32 c;
		U8_NEXT(w, j, n, c);
		if (!u_isalpha(c))
			return 0;
	}
	return 1;
}

/* w with a space after each of the `n` cuts (ascending byte offsets). */
static char *with_spaces(const char *w, const int32_t *cut, int n)
{
	size_t len = strlen(w);
	char *t = malloc(len + (size_t)n + 1), *o = t;
	if (!t)
		return NULL;
	for (int32_t i = 0, k = 0; i <= (int32_t)len; i++) {
		if (k < n && cut[k] == i) {
			*o++ = ' ';
			k++;
		}
		*o++ = w[i];
	}
	return t;
}

/* Where word w (no e-mail address or path) runs two words together, into
 * cut; returns the count. */
enum { MAX_CUTS = 8 };
static int run_together(const char *w, int32_t *cut)
{
	int32_t n = (int32_t)strlen(w), pc[MAX_CUTS];
	if (strchr(w, '@') || strchr(w, '/'))
		return 0;
	int np = punct_cuts(w, n, pc, MAX_CUTS - 2), k = 0;
	for (int i = 0; i <= np; i++) {
		int32_t start = i ? pc[i - 1] : 0, end = i < np ? pc[i] : n, from, to, at = -1;
		char piece[64];
		if (end - start < (int32_t)sizeof piece) {
			memcpy(piece, w + start, (size_t)(end - start));
			piece[end - start] = '\0';
			if (core_of(piece, &from, &to) && letters_only(piece + from, to - from) &&
			    !ocr_word_plausible(piece))
				at = syllable_cut(w, start + from, start + to);
		}
		if (at > 0 && k < MAX_CUTS)
			cut[k++] = at;
		if (i < np && k < MAX_CUTS)
			cut[k++] = pc[i];
	}
	return k;
}

void ocr_split_run_together(sohoa_ocr_page *p)
{
	char **spaced = calloc(p->word_count + 1, sizeof *spaced);
	int any = 0;
	if (!spaced)
		return;
	pthread_once(&table_once, load_table);
	for (size_t i = 0; i < p->word_count; i++) {
		int32_t cut[MAX_CUTS];
		int n = run_together(p->words[i].text, cut);
		if (n > 0 && (spaced[i] = with_spaces(p->words[i].text, cut, n)))
			any = 1;
	}
	size_t n = p->word_count;
	if (any)
		ocr_split_words(p, spaced, p->rotation);
	for (size_t i = 0; i < n; i++)
		free(spaced[i]);
	free(spaced);
}
