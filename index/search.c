/* index/search.c: full-text search with Vietnamese folding (the query language,
 * its translation into FTS5, snippets) and the hit lists every query returns. */
#include "index/internal.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SNIPPET_BEFORE 60  /* bytes of context before the first match */
#define SNIPPET_BYTES  240 /* bytes of a snippet, marks excluded */
#define MARK_OPEN      '\x01'
#define MARK_CLOSE     '\x02'

typedef struct {
	char *buf;
	size_t len;
	FILE *f;
} membuf;

static int has_word_char(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] >= 0x80) || (s[i] >= '0' && s[i] <= '9') ||
		    ((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z'))
			return 1;
	return 0;
}

/* A user query translated for FTS5: `full` matches either spelling of every
 * item, `exact` only the spelling as typed; `words` holds the folded words of
 * the items (space-separated); `prefix` is set when an item is a prefix. */
typedef struct {
	char *full, *exact, *words;
	int prefix;
} fts_query;

static void fts_query_free(fts_query *fq)
{
	free(fq->full);
	free(fq->exact);
	free(fq->words);
}

/* Appends one item — a word or phrase, prefix or not — to the expressions. */
static int append_item(FILE *full, FILE *exact, FILE *words, int first, const char *s, size_t n,
		       int prefix)
{
	char *folded = NULL;
	int rc = sohoa_index_fold(&folded, s, n);
	const char *star = prefix ? "*" : "";
	const char *and = first ? "" : " AND ";
	int ascii = 1;

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++)
		ascii &= (unsigned char)s[i] < 0x80;
	if (ascii) /* the same word in both spellings: one phrase, any column, read once */
		fprintf(full, "%s\"%s\"%s", and, folded, star);
	else
		fprintf(full,
			"%s({exact_fields exact_text} : \"%.*s\"%s OR "
			"{folded_fields folded_text} : \"%s\"%s)",
			and, (int)n, s, star, folded, star);
	fprintf(exact, "%s{exact_fields exact_text} : \"%.*s\"%s", and, (int)n, s, star);
	fprintf(words, "%s ", folded);
	free(folded);
	return 0;
}

/* Translates a user query (words, "phrases", prefix*) into FTS5 MATCH
 * expressions (see fts_query); fq->full is NULL when the query holds no word. */
static int build_match(fts_query *fq, const char *query)
{
	membuf m[3] = {{0}};
	char *nfc = NULL;
	const char *p;
	int items = 0, rc = 0;

	memset(fq, 0, sizeof *fq);
	if (strlen(query) > SOHOA_INDEX_MAX_QUERY)
		return sohoa_error_set(SOHOA_ELIMIT, _("search query of %zu bytes: the cap is %u"),
				       strlen(query), SOHOA_INDEX_MAX_QUERY);
	rc = sohoa_utf8_nfc(&nfc, query, strlen(query));
	if (rc < 0)
		return sohoa_error_prefix(_("search query: "));
	for (int i = 0; i < 3; i++)
		if (!(m[i].f = open_memstream(&m[i].buf, &m[i].len)))
			rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	for (p = nfc; *p && rc == 0;) {
		const char *s;
		size_t n;
		int prefix = 0;
		if (strchr(" \t\r\n", *p)) {
			p++;
			continue;
		}
		if (*p == '"') {
			s = ++p;
			n = strcspn(s, "\"");
			p = s + n + (s[n] == '"');
		} else {
			s = p;
			n = strcspn(s, " \t\r\n\"");
			p = s + n;
			while (n > 0 && s[n - 1] == '*') {
				n--;
				prefix = 1;
			}
		}
		for (; *p == '*'; p++)
			prefix = 1;
		if (!has_word_char(s, n))
			continue;
		fq->prefix |= prefix;
		if (++items > SOHOA_INDEX_MAX_TERMS)
			rc = sohoa_error_set(SOHOA_ELIMIT,
					     _("search query: more than %d words and phrases"),
					     SOHOA_INDEX_MAX_TERMS);
		else
			rc = append_item(m[0].f, m[1].f, m[2].f, items == 1, s, n, prefix);
	}
	for (int i = 0; i < 3; i++)
		if (m[i].f)
			fclose(m[i].f);
	if (rc == 0 && items > 0) {
		fq->full = m[0].buf;
		fq->exact = m[1].buf;
		fq->words = m[2].buf;
	} else {
		for (int i = 0; i < 3; i++)
			free(m[i].buf);
	}
	free(nfc);
	return rc;
}

/* `exact` with the marks of `marked` (its folding, highlighted by FTS5) set at
 * the same characters; NULL when nothing is marked or the texts disagree. */
static char *transfer_marks(const char *exact, const char *marked)
{
	size_t n = strlen(exact), i = 0, o = 0;
	char *out = marked ? malloc(n + strlen(marked) + 1) : NULL;
	int any = 0;

	if (!out)
		return NULL;
	for (const char *j = marked; *j;) {
		if (*j == MARK_OPEN || *j == MARK_CLOSE) {
			any |= *j == MARK_OPEN;
			out[o++] = *j++;
			continue;
		}
		if (i >= n)
			break;
		do /* one character of each */
			out[o++] = exact[i++];
		while (i < n && ((unsigned char)exact[i] & 0xC0) == 0x80);
		do
			j++;
		while (((unsigned char)*j & 0xC0) == 0x80);
	}
	out[o] = '\0';
	if (!any) {
		free(out);
		return NULL;
	}
	return out;
}

static size_t char_start(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

/* A window of `marked` around its first match, marks replaced by the caller's,
 * newlines by spaces, "…" where the text was cut. */
static char *cut_snippet(const char *marked, const char *open, const char *close)
{
	size_t len = strlen(marked), first = strchr(marked, MARK_OPEN) - marked, start = 0, end;
	membuf m = {0};
	int inside = 0;

	if (first > SNIPPET_BEFORE) {
		start = first - SNIPPET_BEFORE;
		size_t sp = start;
		while (sp < first && marked[sp] != ' ' && marked[sp] != '\n')
			sp++;
		start = sp < first ? sp + 1 : char_start(marked, start);
	}
	end = start + SNIPPET_BYTES < len ? start + SNIPPET_BYTES : len;
	if (end < len) {
		size_t sp = end;
		while (sp > first && marked[sp] != ' ' && marked[sp] != '\n')
			sp--;
		end = sp > first ? sp : char_start(marked, end);
	}
	m.f = open_memstream(&m.buf, &m.len);
	if (!m.f)
		return NULL;
	if (start > 0)
		fputs("…", m.f);
	for (size_t i = start; i < end; i++) {
		char c = marked[i];
		if (c == MARK_OPEN) {
			fputs(open, m.f);
			inside = 1;
		} else if (c == MARK_CLOSE) {
			fputs(close, m.f);
			inside = 0;
		} else {
			fputc(c == '\n' || c == '\t' ? ' ' : c, m.f);
		}
	}
	if (inside)
		fputs(close, m.f);
	if (end < len)
		fputs("…", m.f);
	fclose(m.f);
	return m.buf;
}

static char *dup_col(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	return strdup(s ? s : "");
}

/* Reads the HIT_COLUMNS of the current row into `h`. */
static int fill_hit(sohoa_index_hit *h, sqlite3_stmt *st)
{
	char **strs[] = {&h->citizen_id,   &h->applicant,  &h->agency,    &h->doc_type,
			 &h->notation,     &h->issue_date, &h->procedure, &h->title,
			 &h->package_path, &h->signature};
	h->dossier_code = dup_col(st, 0);
	h->doc_no = sqlite3_column_int(st, 1);
	h->version = sqlite3_column_int(st, 2);
	h->superseded = sqlite3_column_int(st, 3);
	for (int i = 0; i < 10; i++)
		*strs[i] = dup_col(st, 4 + i);
	int ok = h->dossier_code != NULL;
	for (int i = 0; i < 10; i++)
		ok = ok && *strs[i];
	return ok ? 0 : sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
}

static void free_hit(sohoa_index_hit *h)
{
	char *strs[] = {h->dossier_code, h->citizen_id,   h->applicant,  h->agency,
			h->doc_type,     h->notation,     h->issue_date, h->procedure,
			h->title,        h->package_path, h->signature,  h->snippet};
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		free(strs[i]);
}

void sohoa_index_hits_free(sohoa_index_hits *hits)
{
	if (!hits)
		return;
	for (size_t i = 0; i < hits->count; i++)
		free_hit(&hits->hits[i]);
	free(hits->hits);
	free(hits);
}

/* The snippet from the four columns of `st` from `col`: exact fields, their
 * highlight, exact text, its highlight. */
static int snippet_of(sohoa_index_hit *h, sqlite3_stmt *st, int col0, const sohoa_index_query *q)
{
	const char *open = q->mark_open ? q->mark_open : "«";
	const char *close = q->mark_close ? q->mark_close : "»";
	/* The text's match if there is one, else the fields'. */
	for (int col = col0 + 2; col >= col0; col -= 2) {
		const char *exact = (const char *)sqlite3_column_text(st, col);
		char *marked = transfer_marks(exact ? exact : "",
					      (const char *)sqlite3_column_text(st, col + 1));
		if (!marked)
			continue;
		h->snippet = cut_snippet(marked, open, close);
		free(marked);
		return h->snippet ? 0 : sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	}
	h->snippet = strdup("");
	return h->snippet ? 0 : sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
}

static sohoa_index_hits *new_hits(size_t limit)
{
	sohoa_index_hits *hits = calloc(1, sizeof *hits);
	if (hits && !(hits->hits = calloc(limit ? limit : 1, sizeof *hits->hits))) {
		free(hits);
		hits = NULL;
	}
	if (!hits)
		sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	return hits;
}

/* Makes room for one more hit (lookups allow 1000 but usually find a few, so
 * the array grows instead of being allocated, and cleared, at its cap). */
static int grow_hits(sohoa_index_hits *hits, size_t *cap)
{
	sohoa_index_hit *grown;
	if (hits->count < *cap)
		return 0;
	grown = realloc(hits->hits, 2 * *cap * sizeof *grown);
	if (!grown)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	memset(grown + *cap, 0, *cap * sizeof *grown);
	hits->hits = grown;
	*cap *= 2;
	return 0;
}

/* Steps `st` (HIT_COLUMNS rows) to the end, collecting at most `limit` hits. */
static int collect(sohoa_index *idx, sqlite3_stmt *st, size_t limit, sohoa_index_hits **out)
{
	size_t cap = limit < 16 ? limit : 16;
	sohoa_index_hits *hits = new_hits(cap);
	int rc = hits ? 0 : SOHOA_ENOMEM, step = SQLITE_DONE;

	while (rc == 0 && hits->count < limit && (step = sqlite3_step(st)) == SQLITE_ROW &&
	       (rc = grow_hits(hits, &cap)) == 0)
		rc = fill_hit(&hits->hits[hits->count++], st);
	if (rc == 0 && hits->count < limit && step != SQLITE_DONE)
		rc = index_db_error(idx, _("query failed"));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc < 0) {
		sohoa_index_hits_free(hits);
		return rc;
	}
	*out = hits;
	return 0;
}

/* Fills one search hit: its fields and its snippet from the highlight of the
 * same match, in one statement. */
static int fill_search_hit(sohoa_index *idx, sohoa_index_hit *h, sqlite3_int64 id,
			   const char *match, const sohoa_index_query *q)
{
	sqlite3_stmt *st = NULL;
	int rc = index_stmt(&st, idx, ST_SEARCH_HIT);

	if (rc < 0)
		return rc;
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	if (sqlite3_step(st) != SQLITE_ROW)
		rc = index_db_error(idx, _("query failed"));
	if (rc == 0)
		rc = fill_hit(h, st);
	if (rc == 0)
		rc = snippet_of(h, st, 14, q);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

/* Steps the id query `st` (rowid, score), appending ids not held yet until
 * `limit` are held. */
static int take_ids(sohoa_index *idx, sqlite3_stmt *st, size_t limit, sqlite3_int64 *ids,
		    double *scores, size_t *n)
{
	int rc = 0, step = SQLITE_DONE;

	while (*n < limit && (step = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);
		size_t k = 0;
		while (k < *n && ids[k] != id)
			k++;
		if (k < *n)
			continue;
		ids[*n] = id;
		scores[(*n)++] = sqlite3_column_double(st, 1);
	}
	if (*n < limit && step != SQLITE_DONE)
		rc = index_db_error(idx, _("query failed"));
	sqlite3_reset(st);
	return rc;
}

/* The catalog's document count, read from FTS5's averages record (its first
 * varint, in SQLite's varint format: big-endian groups of 7 bits, the 9th byte
 * whole); 0 when there is none yet. */
static long long count_docs(sohoa_index *idx)
{
	sqlite3_stmt *st = NULL;
	unsigned long long v = 0;

	if (index_stmt(&st, idx, ST_COUNT_DOCS) < 0)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const unsigned char *b = sqlite3_column_blob(st, 0);
		int n = sqlite3_column_bytes(st, 0);
		for (int i = 0; b && i < n && i < 9; i++) {
			v = i == 8 ? (v << 8) | b[i] : (v << 7) | (b[i] & 0x7f);
			if (i < 8 && !(b[i] & 0x80))
				break;
		}
	}
	sqlite3_reset(st);
	return v > (unsigned long long)INT64_MAX ? 0 : (long long)v;
}

/* True when more than `most` documents match the FTS5 expression `match`;
 * counts no further. */
static int matches_more(sqlite3_stmt *st, const char *match, long long most)
{
	long long held = 0;

	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, most + 1);
	if (sqlite3_step(st) == SQLITE_ROW)
		held = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return held > most;
}

/* True when more than `half` documents hold the (folded) word w[0..n). */
static int word_common(sqlite3_stmt *st, const char *w, size_t n, long long half)
{
	char phrase[SOHOA_INDEX_MAX_QUERY + 3];

	snprintf(phrase, sizeof phrase, "\"%.*s\"", (int)n, w);
	return matches_more(st, phrase, half);
}

/* True when every word of the query is held by more than half of the
 * catalog's documents, which number at least idx->common_min_docs. */
static int all_common(sohoa_index *idx, const fts_query *fq)
{
	sqlite3_stmt *st = NULL;
	long long docs;
	const char *w = fq->words;
	int common = 1;

	if (fq->prefix || index_stmt(&st, idx, ST_MATCH_COUNT) < 0)
		return 0;
	docs = count_docs(idx);
	if (docs == 0 || docs < idx->common_min_docs)
		return 0;
	/* The words as the tokenizer splits them, until one is not common. */
	while (*w && common) {
		size_t n = 0;
		while (w[n] && ((unsigned char)w[n] >= 0x80 || isalnum((unsigned char)w[n])))
			n++;
		if (n > 0)
			common = word_common(st, w, n, docs / 2);
		w += n ? n : 1;
	}
	return common;
}

/* True when the query matches more documents than BM25 may rank: scoring
 * each costs a few microseconds, so 5,000 already take about 10 ms. */
static int too_many_to_rank(sohoa_index *idx, const fts_query *fq)
{
	sqlite3_stmt *st = NULL;
	return index_stmt(&st, idx, ST_MATCH_COUNT) == 0 &&
	       matches_more(st, fq->full, idx->max_ranked);
}

/* The ids of the best `limit` matches, best first: by BM25; or, for a query
 * of words most documents hold (BM25 would then rank nearly the whole catalog
 * for little meaning) or one matching more than idx->max_ranked documents,
 * the newest documents with the exact spelling, then the newest with the
 * other spelling, score 0. */
static int ranked_ids(sohoa_index *idx, const fts_query *fq, const char *const filters[5],
		      size_t limit, sqlite3_int64 *ids, double *scores, size_t *n)
{
	/* The cap first: it stops counting at max_ranked + 1 matches, where
	 * all_common would count half the catalog for each common word. */
	int common = too_many_to_rank(idx, fq) || all_common(idx, fq), filtered = 0, rc = 0;
	char *rest = NULL;

	for (int i = 0; i < 5; i++)
		filtered |= filters[i] && *filters[i];
	if (common && asprintf(&rest, "(%s) NOT (%s)", fq->full, fq->exact) < 0)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	for (int pass = 0; pass < (common ? 2 : 1) && rc == 0 && *n < limit; pass++) {
		sqlite3_stmt *st = NULL;
		const char *match = !common ? fq->full : pass == 0 ? fq->exact : rest;
		rc = index_stmt(&st, idx,
				common     ? ST_RECENT
				: filtered ? ST_SEARCH_FILTERED
					   : ST_SEARCH);
		if (rc < 0)
			break;
		sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
		for (int i = 0; i < 5; i++)
			if (filters[i] && *filters[i])
				sqlite3_bind_text(st, 2 + i, filters[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, (sqlite3_int64)limit);
		rc = take_ids(idx, st, limit, ids, scores, n);
		sqlite3_clear_bindings(st);
	}
	free(rest);
	return rc;
}

/* Finds the best ids, then reads each hit. */
static int collect_search(sohoa_index *idx, const fts_query *fq, const char *const filters[5],
			  size_t limit, const sohoa_index_query *q, sohoa_index_hits **out)
{
	sohoa_index_hits *hits = new_hits(limit);
	sqlite3_int64 *ids = calloc(limit ? limit : 1, sizeof *ids);
	double *scores = calloc(limit ? limit : 1, sizeof *scores);
	size_t n = 0;
	int rc = hits && ids && scores ? 0 : sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));

	if (rc == 0)
		rc = ranked_ids(idx, fq, filters, limit, ids, scores, &n);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		hits->count++;
		hits->hits[i].score = scores[i];
		rc = fill_search_hit(idx, &hits->hits[i], ids[i], fq->full, q);
	}
	free(ids);
	free(scores);
	if (rc < 0) {
		sohoa_index_hits_free(hits);
		return rc;
	}
	*out = hits;
	return 0;
}

static int check_filters(const sohoa_index_query *q)
{
	if (q->from && !sohoa_index_valid_date(q->from))
		return sohoa_error_set(SOHOA_EINVAL, _("--from '%s': must be a date YYYY-MM-DD"),
				       q->from);
	if (q->to && !sohoa_index_valid_date(q->to))
		return sohoa_error_set(SOHOA_EINVAL, _("--to '%s': must be a date YYYY-MM-DD"),
				       q->to);
	if (q->citizen_id && !sohoa_index_valid_citizen_id(q->citizen_id))
		return sohoa_error_set(SOHOA_EINVAL, _("citizen id '%s': must be 12 digits"),
				       q->citizen_id);
	if (q->limit > SOHOA_INDEX_MAX_LIMIT)
		return sohoa_error_set(SOHOA_ELIMIT, _("limit %zu: at most %d results"), q->limit,
				       SOHOA_INDEX_MAX_LIMIT);
	return 0;
}

int sohoa_index_search(sohoa_index *idx, const sohoa_index_query *q, sohoa_index_hits **out)
{
	size_t limit = q->limit ? q->limit : SOHOA_INDEX_DEFAULT_LIMIT;
	const char *const filters[5] = {q->agency, q->doc_type, q->citizen_id, q->from, q->to};
	sqlite3_stmt *st = NULL;
	fts_query fq = {0};
	int rc;

	*out = NULL;
	rc = check_filters(q);
	if (rc == 0)
		rc = build_match(&fq, q->text ? q->text : "");
	if (rc == 0 && fq.full) {
		rc = collect_search(idx, &fq, filters, limit, q, out);
	} else if (rc == 0 && (rc = index_stmt(&st, idx, ST_BROWSE)) == 0) {
		for (int i = 0; i < 5; i++)
			if (filters[i] && *filters[i])
				sqlite3_bind_text(st, 2 + i, filters[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 7, (sqlite3_int64)limit);
		rc = collect(idx, st, limit, out);
	}
	fts_query_free(&fq);
	return rc;
}

static int lookup(sohoa_index *idx, int which, const char *key, size_t limit,
		  sohoa_index_hits **out)
{
	sqlite3_stmt *st = NULL;
	int rc = index_stmt(&st, idx, which);

	if (rc < 0)
		return rc;
	if (limit == 0 || limit > SOHOA_INDEX_MAX_LIMIT)
		limit = SOHOA_INDEX_MAX_LIMIT;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	return collect(idx, st, limit, out);
}

int sohoa_index_lookup_citizen(sohoa_index *idx, const char *citizen_id, size_t limit,
			       sohoa_index_hits **out)
{
	*out = NULL;
	if (!sohoa_index_valid_citizen_id(citizen_id))
		return sohoa_error_set(SOHOA_EINVAL, _("citizen id '%s': must be 12 digits"),
				       citizen_id ? citizen_id : "");
	return lookup(idx, ST_BY_CITIZEN, citizen_id, limit, out);
}

int sohoa_index_lookup_dossier(sohoa_index *idx, const char *dossier_code, size_t limit,
			       sohoa_index_hits **out)
{
	*out = NULL;
	if (!sohoa_index_valid_dossier_code(dossier_code))
		return sohoa_error_set(SOHOA_EINVAL, _("dossier code '%s' is not valid"),
				       dossier_code ? dossier_code : "");
	return lookup(idx, ST_BY_DOSSIER, dossier_code, limit, out);
}
