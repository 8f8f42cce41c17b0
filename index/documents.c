/* index/documents.c: adding documents to the catalog (fields, exact and folded
 * text) and the lookups by citizen id and dossier code. */
#include "index/internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const stmt_sql[ST_COUNT] = {
	[ST_DOC_FIND] = "SELECT id, version FROM documents WHERE dossier_code=?1 AND doc_no=?2",
	[ST_DOC_DELETE] = "DELETE FROM documents WHERE id=?1",
	[ST_DOC_SIGNATURE] = "UPDATE documents SET signature=?2"
			     " WHERE package_path=?1 AND superseded=0",
	[ST_FTS_DELETE] = "DELETE FROM documents_fts WHERE rowid=?1",
	[ST_DOC_INSERT] = "INSERT INTO documents(dossier_code, doc_no, version, citizen_id,"
			  " applicant, agency, doc_type, notation, issue_date, procedure, title,"
			  " package_path, signature, superseded)"
			  " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)",
	[ST_FTS_INSERT] = "INSERT INTO documents_fts(rowid, exact_fields, folded_fields,"
			  " exact_text, folded_text) VALUES(?1,?2,?3,?4,?5)",
#define HIT_COLUMNS                                                                                \
	"d.dossier_code, d.doc_no, d.version, d.superseded, d.citizen_id, d.applicant,"            \
	" d.agency, d.doc_type, d.notation, d.issue_date, d.procedure, d.title,"                   \
	" d.package_path, d.signature"
#define FILTERS                                                                                    \
	" AND (?2 IS NULL OR d.agency=?2) AND (?3 IS NULL OR d.doc_type=?3)"                       \
	" AND (?4 IS NULL OR d.citizen_id=?4) AND (?5 IS NULL OR d.issue_date>=?5)"                \
	" AND (?6 IS NULL OR d.issue_date<=?6)"
/* Best rowids first (BM25 with column weights: the exact spelling outweighs
 * the folded one, fields the text); fields and highlights are then read for
 * those rows only. */
#define BM25 "bm25(documents_fts, 20.0, 2.0, 10.0, 1.0)"
	[ST_SEARCH] = "SELECT rowid, " BM25 " AS score FROM documents_fts"
		      " WHERE documents_fts MATCH ?1 ORDER BY score LIMIT ?7",
	[ST_SEARCH_FILTERED] = "SELECT f.rowid, " BM25 " AS score FROM documents_fts f"
			       " JOIN documents d ON d.id=f.rowid"
			       " WHERE documents_fts MATCH ?1" FILTERS " ORDER BY score LIMIT ?7",
	/* One statement per returned hit: its fields and the highlights of the
	 * same match (snippet_of reads the four columns after HIT_COLUMNS). */
	[ST_SEARCH_HIT] = "SELECT " HIT_COLUMNS ", f.exact_fields,"
			  " highlight(documents_fts, 1, char(1), char(2)), f.exact_text,"
			  " highlight(documents_fts, 3, char(1), char(2))"
			  " FROM documents_fts f JOIN documents d ON d.id=f.rowid"
			  " WHERE documents_fts MATCH ?1 AND f.rowid=?2",
	/* For queries of words most documents hold, BM25 would rank nearly the
	 * whole catalog for little meaning: newest first, stopping at the limit. */
	[ST_RECENT] = "SELECT f.rowid, 0.0 FROM documents_fts f JOIN documents d ON d.id=f.rowid"
		      " WHERE documents_fts MATCH ?1" FILTERS " ORDER BY f.rowid DESC LIMIT ?7",
	/* FTS5's own row count: the first varint of its averages record (id 1),
	 * one page read instead of counting the documents (see all_common). */
	[ST_COUNT_DOCS] = "SELECT block FROM documents_fts_data WHERE id=1",
	/* The documents matching ?1, counted up to ?2 only: reading a common
	 * word's whole doclist (as fts5vocab did, positions included) was what
	 * made queries of common words slow. */
	[ST_MATCH_COUNT] = "SELECT count(*) FROM (SELECT 1 FROM documents_fts"
			   " WHERE documents_fts MATCH ?1 LIMIT ?2)",
	[ST_BROWSE] = "SELECT " HIT_COLUMNS " FROM documents d WHERE ?1 IS NULL" FILTERS
		      " ORDER BY d.issue_date DESC, d.dossier_code, d.doc_no LIMIT ?7",
	[ST_BY_CITIZEN] = "SELECT " HIT_COLUMNS " FROM documents d WHERE d.citizen_id=?1"
			  " ORDER BY d.issue_date DESC, d.dossier_code, d.doc_no LIMIT ?2",
	[ST_BY_DOSSIER] = "SELECT " HIT_COLUMNS " FROM documents d WHERE d.dossier_code=?1"
			  " ORDER BY d.doc_no LIMIT ?2",
	[ST_AGENCY_ADD] = "INSERT INTO agencies(name, token_sha256, created)"
			  " VALUES(?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
	[ST_AGENCY_REVOKE] = "UPDATE agencies SET revoked=strftime('%Y-%m-%dT%H:%M:%SZ','now')"
			     " WHERE name=?1 AND revoked IS NULL",
	[ST_AGENCY_AUTH] = "SELECT name, revoked IS NOT NULL FROM agencies WHERE token_sha256=?1",
	[ST_AUDIT_LAST] = "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1",
	[ST_AUDIT_INSERT] = "INSERT INTO audit(id, agency, time, endpoint, query, status,"
			    " result_count, request_id, prev_hash, hash)"
			    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
	[ST_TRIM_FTS] = "DELETE FROM documents_fts WHERE rowid IN"
			" (SELECT id FROM documents WHERE dossier_code=?1 AND doc_no>?2)",
	[ST_TRIM_DOCS] = "DELETE FROM documents WHERE dossier_code=?1 AND doc_no>?2",
	[ST_FTS_MERGE] = "INSERT INTO documents_fts(documents_fts, rank) VALUES('merge', ?1)",
};

int index_stmt(sqlite3_stmt **out, sohoa_index *idx, int which)
{
	if (!idx->st[which] &&
	    sqlite3_prepare_v3(idx->db, stmt_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
			       &idx->st[which], NULL) != SQLITE_OK)
		return index_db_error(idx, _("cannot prepare a query"));
	*out = idx->st[which];
	return 0;
}

int sohoa_index_valid_citizen_id(const char *s)
{
	size_t n = 0;
	if (!s)
		return 0;
	for (; s[n]; n++)
		if (s[n] < '0' || s[n] > '9')
			return 0;
	return n == 12;
}

int sohoa_index_valid_dossier_code(const char *s)
{
	size_t n = 0;
	if (!s || !*s || *s == '.' || *s == '-')
		return 0;
	for (; s[n]; n++)
		if (!isalnum((unsigned char)s[n]) && s[n] != '.' && s[n] != '-' && s[n] != '_')
			return 0;
	return n <= 64 && !strstr(s, "..");
}

int sohoa_index_valid_date(const char *s)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return 0;
	return !(m == 2 && d == 29 && (y % 4 || (y % 100 == 0 && y % 400)));
}

/* A field as NFC text ("" for NULL) in a new string; control characters other
 * than tab and newline become spaces (the snippets use two of them as marks). */
static int clean_text(char **out, const char *s, size_t cap, const char *field, const char *code)
{
	size_t len = s ? strlen(s) : 0;

	if (len > cap)
		return sohoa_error_set(SOHOA_ELIMIT,
				       _("%s: %s: %zu bytes, more than the cap of %zu"), code,
				       field, len, cap);
	if (sohoa_utf8_nfc(out, s ? s : "", len) < 0)
		return sohoa_error_prefix("%s: %s: ", code, field);
	for (unsigned char *p = (unsigned char *)*out; *p; p++)
		if (*p < 0x20 && *p != '\n' && *p != '\t')
			*p = ' ';
	return 0;
}

static int bind_clean(sqlite3_stmt *st, int col, const char *s, size_t cap, const char *field,
		      const char *code)
{
	char *clean = NULL;
	int rc = clean_text(&clean, s, cap, field, code);
	if (rc < 0)
		return rc;
	if (sqlite3_bind_text(st, col, clean, -1, free) != SQLITE_OK)
		return sohoa_error_set(SOHOA_EDB, _("%s: cannot bind %s"), code, field);
	return 0;
}

static int check_doc(const sohoa_index_doc *doc)
{
	const char *code = doc->dossier_code;
	if (!sohoa_index_valid_dossier_code(code))
		return sohoa_error_set(SOHOA_EINVAL, _("dossier code '%s' is not valid"),
				       code ? code : "");
	if (doc->doc_no < 1 || doc->version < 0)
		return sohoa_error_set(SOHOA_EINVAL, _("%s: document %d version %d: must be >= 1"),
				       code, doc->doc_no, doc->version);
	if (doc->citizen_id && *doc->citizen_id && !sohoa_index_valid_citizen_id(doc->citizen_id))
		return sohoa_error_set(SOHOA_EINVAL, _("%s: citizen id '%s': must be 12 digits"),
				       code, doc->citizen_id);
	if (doc->issue_date && *doc->issue_date && !sohoa_index_valid_date(doc->issue_date))
		return sohoa_error_set(SOHOA_EINVAL, _("%s: issue date '%s': must be YYYY-MM-DD"),
				       code, doc->issue_date);
	return 0;
}

/* The searchable fields of a document as one text, a line per field. */
static char *fields_text(const sohoa_index_doc *d)
{
	char *s = NULL;
#define F(x) ((x) ? (x) : "")
	if (asprintf(&s, "%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s", F(d->title), F(d->applicant),
		     F(d->notation), F(d->doc_type), F(d->dossier_code), F(d->citizen_id),
		     F(d->agency), F(d->procedure)) < 0)
		return NULL;
#undef F
	return s;
}

/* Binds column `col` to `text` and `col + 1` to its folding, which has the
 * same characters one for one. */
static int bind_pair(sqlite3_stmt *st, int col, const char *text, size_t cap, const char *what,
		     const char *code)
{
	char *clean = NULL, *folded = NULL;
	int rc = clean_text(&clean, text, cap, what, code);

	if (rc < 0)
		return rc;
	rc = sohoa_index_fold(&folded, clean, strlen(clean));
	if (rc < 0) {
		free(clean);
		return sohoa_error_prefix("%s: %s: ", code, what);
	}
	if (sqlite3_bind_text(st, col, clean, -1, free) != SQLITE_OK ||
	    sqlite3_bind_text(st, col + 1, folded, -1, free) != SQLITE_OK)
		return sohoa_error_set(SOHOA_EDB, _("%s: cannot bind %s"), code, what);
	return 0;
}

static int insert_doc(sohoa_index *idx, const sohoa_index_doc *doc, sqlite3_int64 *rowid)
{
	const char *code = doc->dossier_code;
	const char *vals[] = {doc->citizen_id,   doc->applicant,  doc->agency,    doc->doc_type,
			      doc->notation,     doc->issue_date, doc->procedure, doc->title,
			      doc->package_path, doc->signature};
	static const char *const names[] = {"citizen_id",   "applicant",  "agency",    "doc_type",
					    "notation",     "issue_date", "procedure", "title",
					    "package_path", "signature"};
	sqlite3_stmt *st = NULL;
	int rc = index_stmt(&st, idx, ST_DOC_INSERT);

	if (rc < 0)
		return rc;
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, doc->doc_no);
	sqlite3_bind_int(st, 3, doc->version ? doc->version : 1);
	for (int i = 0; i < 10 && rc == 0; i++)
		rc = bind_clean(st, 4 + i, vals[i], SOHOA_INDEX_MAX_FIELD, names[i], code);
	sqlite3_bind_int(st, 14, doc->superseded != 0);
	if (rc == 0 && sqlite3_step(st) != SQLITE_DONE)
		rc = index_db_error(idx, _("cannot add a document"));
	*rowid = sqlite3_last_insert_rowid(idx->db);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

static int insert_fts(sohoa_index *idx, const sohoa_index_doc *doc, sqlite3_int64 rowid)
{
	sqlite3_stmt *st = NULL;
	char *fields = fields_text(doc);
	int rc = fields ? index_stmt(&st, idx, ST_FTS_INSERT)
			: sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));

	if (rc < 0)
		goto cleanup;
	sqlite3_bind_int64(st, 1, rowid);
	rc = bind_pair(st, 2, fields, SOHOA_INDEX_MAX_FIELD * 10, "fields", doc->dossier_code);
	if (rc == 0)
		rc = bind_pair(st, 4, doc->text, SOHOA_INDEX_MAX_TEXT, "text", doc->dossier_code);
	if (rc == 0 && sqlite3_step(st) != SQLITE_DONE)
		rc = index_db_error(idx, _("cannot index a document's text"));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
cleanup:
	free(fields);
	return rc;
}

/* Removes the indexed document at (code, doc_no) unless it is newer than
 * `version`. */
static int remove_older(sohoa_index *idx, const sohoa_index_doc *doc, int version)
{
	sqlite3_stmt *find = NULL, *del = NULL, *fdel = NULL;
	sqlite3_int64 id = 0;
	int rc = index_stmt(&find, idx, ST_DOC_FIND), step, old = 0;

	if (rc < 0 || (rc = index_stmt(&del, idx, ST_DOC_DELETE)) < 0 ||
	    (rc = index_stmt(&fdel, idx, ST_FTS_DELETE)) < 0)
		return rc;
	sqlite3_bind_text(find, 1, doc->dossier_code, -1, SQLITE_STATIC);
	sqlite3_bind_int(find, 2, doc->doc_no);
	step = sqlite3_step(find);
	if (step == SQLITE_ROW) {
		id = sqlite3_column_int64(find, 0);
		old = sqlite3_column_int(find, 1);
	} else if (step != SQLITE_DONE) {
		rc = index_db_error(idx, _("cannot look up a document"));
	}
	sqlite3_reset(find);
	if (rc < 0 || id == 0)
		return rc;
	if (old > version)
		return sohoa_error_set(SOHOA_EEXISTS,
				       _("%s: document %d: version %d is indexed, newer than %d"),
				       doc->dossier_code, doc->doc_no, old, version);
	sqlite3_bind_int64(del, 1, id);
	sqlite3_bind_int64(fdel, 1, id);
	if (sqlite3_step(fdel) != SQLITE_DONE || sqlite3_step(del) != SQLITE_DONE)
		rc = index_db_error(idx, _("cannot replace a document"));
	sqlite3_reset(del);
	sqlite3_reset(fdel);
	return rc;
}

int sohoa_index_add(sohoa_index *idx, const sohoa_index_doc *doc)
{
	sqlite3_int64 rowid = 0;
	int rc = check_doc(doc), own;

	if (rc < 0)
		return rc;
	if (doc->text && strlen(doc->text) > SOHOA_INDEX_MAX_TEXT)
		return sohoa_error_set(SOHOA_ELIMIT,
				       _("%s: document %d: text larger than %u bytes"),
				       doc->dossier_code, doc->doc_no, SOHOA_INDEX_MAX_TEXT);
	/* Its own short transaction, or a savepoint inside the caller's batch. */
	own = sqlite3_get_autocommit(idx->db);
	rc = own ? index_begin(idx)
	     : sqlite3_exec(idx->db, "SAVEPOINT add_doc", NULL, NULL, NULL) == SQLITE_OK
		     ? 0
		     : index_db_error(idx, _("cannot start a savepoint"));
	if (rc < 0)
		return rc;
	rc = remove_older(idx, doc, doc->version ? doc->version : 1);
	if (rc == 0)
		rc = insert_doc(idx, doc, &rowid);
	if (rc == 0)
		rc = insert_fts(idx, doc, rowid);
	if (rc < 0 && own)
		index_rollback(idx);
	else if (rc < 0)
		sqlite3_exec(idx->db, "ROLLBACK TO add_doc; RELEASE add_doc", NULL, NULL, NULL);
	else if (own)
		rc = index_commit(idx);
	else if (sqlite3_exec(idx->db, "RELEASE add_doc", NULL, NULL, NULL) != SQLITE_OK)
		rc = index_db_error(idx, _("cannot release a savepoint"));
	return rc;
}

int sohoa_index_batch_begin(sohoa_index *idx)
{
	return index_begin(idx);
}

int sohoa_index_batch_commit(sohoa_index *idx)
{
	return index_commit(idx);
}

void sohoa_index_batch_rollback(sohoa_index *idx)
{
	index_rollback(idx);
}

/* One step of FTS5's incremental merge with a negative page count: every
 * segment is put on one level and about `pages` pages of them merged, so
 * repeated steps end in a single segment (what 'optimize' does at once).
 * FTS5 changes rows only when it did work: fewer than 2 changes means
 * nothing was left to merge. */
int sohoa_index_merge(sohoa_index *idx, int pages, int *done)
{
	sqlite3_stmt *st = NULL;
	sqlite3_int64 before;
	int rc;

	*done = 0;
	if (pages < 1)
		pages = SOHOA_INDEX_MERGE_PAGES;
	if ((rc = index_stmt(&st, idx, ST_FTS_MERGE)) < 0 || (rc = index_begin(idx)) < 0)
		return rc;
	before = sqlite3_total_changes64(idx->db);
	sqlite3_bind_int(st, 1, -pages);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = index_db_error(idx, _("cannot merge the full-text index"));
	sqlite3_reset(st);
	if (rc < 0) {
		index_rollback(idx);
		return rc;
	}
	*done = sqlite3_total_changes64(idx->db) - before < 2;
	return index_commit(idx);
}

int sohoa_index_trim(sohoa_index *idx, const char *dossier_code, int ndocs)
{
	sqlite3_stmt *fts = NULL, *docs = NULL;
	int rc, own;

	if (!sohoa_index_valid_dossier_code(dossier_code) || ndocs < 0)
		return sohoa_error_set(SOHOA_EINVAL, _("dossier code '%s' is not valid"),
				       dossier_code ? dossier_code : "");
	rc = index_stmt(&fts, idx, ST_TRIM_FTS);
	if (rc == 0)
		rc = index_stmt(&docs, idx, ST_TRIM_DOCS);
	if (rc < 0)
		return rc;
	/* Both deletes or neither: in the caller's batch, else in one transaction. */
	own = sqlite3_get_autocommit(idx->db);
	if (own && (rc = index_begin(idx)) < 0)
		return rc;
	sqlite3_bind_text(fts, 1, dossier_code, -1, SQLITE_STATIC);
	sqlite3_bind_int(fts, 2, ndocs);
	sqlite3_bind_text(docs, 1, dossier_code, -1, SQLITE_STATIC);
	sqlite3_bind_int(docs, 2, ndocs);
	if (sqlite3_step(fts) != SQLITE_DONE || sqlite3_step(docs) != SQLITE_DONE)
		rc = index_db_error(idx, _("cannot remove the documents of an earlier version"));
	sqlite3_reset(fts);
	sqlite3_reset(docs);
	sqlite3_clear_bindings(fts);
	sqlite3_clear_bindings(docs);
	if (own && rc < 0)
		index_rollback(idx);
	else if (own)
		rc = index_commit(idx);
	return rc;
}

int sohoa_index_set_signature(sohoa_index *idx, const char *package_path, const char *signature)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (!package_path || !signature || !*signature || strlen(signature) > SOHOA_INDEX_MAX_FIELD)
		return sohoa_error_set(SOHOA_EINVAL, _("%s: signature status '%s' is not valid"),
				       package_path ? package_path : "",
				       signature ? signature : "");
	rc = index_stmt(&st, idx, ST_DOC_SIGNATURE);
	if (rc < 0)
		return rc;
	sqlite3_bind_text(st, 1, package_path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, signature, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = index_db_error(idx, _("cannot record a signature"));
	else if (sqlite3_changes(idx->db) == 0)
		rc = sohoa_error_set(SOHOA_ENOTFOUND, _("%s: not in the catalog (not indexed yet)"),
				     package_path);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}
