/* index/index.h: the one public header of index/ — the store's catalog (SQLite
 * in WAL mode): documents with full-text search (FTS5) and Vietnamese folding,
 * lookups by citizen id and dossier code, agency credentials and the audit chain
 * of the lookup service. A handle is used by one thread at a time; open one per
 * thread (SQLite's WAL lets them read in parallel). */
#ifndef SOHOA_INDEX_H
#define SOHOA_INDEX_H

#include "core/core.h"

typedef struct sohoa_index sohoa_index;

/* Opens (creating if needed) the catalog database at `path`, in WAL mode with
 * a busy timeout, and checks that SQLite has FTS5. The caller owns *out and
 * closes it with sohoa_index_close. Errors: SOHOA_EDB (not a database, FTS5
 * missing, schema newer than this sohoa), SOHOA_EPERM, SOHOA_ENOTFOUND. */
int sohoa_index_open(sohoa_index **out, const char *path);

/* Schema version recorded in the catalog (user_version). */
int sohoa_index_schema_version(const sohoa_index *idx);

/* Closes the catalog; NULL is a no-op. */
void sohoa_index_close(sohoa_index *idx);

/* SQLite's version, e.g. "SQLite 3.40.1". Never NULL. */
const char *sohoa_index_versions(void);

/* ------------------------------------------------------------- folding */
/* Vietnamese folding of `len` bytes of UTF-8: NFC, then per character its base
 * letter without tone or vowel marks (NFD, combining marks dropped), đ/Đ to d,
 * lower case. "Nguyễn Văn An" gives "nguyen van an", "ĐĂNG KÝ" "dang ky".
 * The result has exactly as many characters as the NFC input (one for one),
 * which the snippets rely on. *out is a new string the caller frees.
 * Errors: SOHOA_EFORMAT (invalid UTF-8), SOHOA_ELIMIT, SOHOA_ENOMEM. */
int sohoa_index_fold(char **out, const char *in, size_t len);

/* ----------------------------------------------------------- documents */
#define SOHOA_INDEX_MAX_TEXT      (8u << 20) /* bytes of one document's text */
#define SOHOA_INDEX_MAX_FIELD     1024       /* bytes of one field */
#define SOHOA_INDEX_MAX_QUERY     1024       /* bytes of one search query */
#define SOHOA_INDEX_MAX_TERMS     32         /* terms and phrases in one query */
#define SOHOA_INDEX_DEFAULT_LIMIT 20
#define SOHOA_INDEX_MAX_LIMIT     1000
#define SOHOA_INDEX_MAX_RANKED    5000 /* matches BM25 ranks; more: newest first */

/* One document of a dossier, as the pipeline's index stage gives it. Strings are
 * UTF-8 (stored as NFC) and may be NULL unless marked required. */
typedef struct {
	const char *dossier_code; /* required: 000.00.12.H29-231122-0001 */
	int doc_no;               /* required: >= 1, position in the dossier */
	int version;              /* >= 1; 0 means 1 */
	const char *citizen_id;   /* 12 digits when given */
	const char *applicant;    /* applicant's name */
	const char *agency;       /* issuing or receiving agency code */
	const char *doc_type;     /* document type, e.g. "Giấy khai sinh" */
	const char *notation;     /* number/notation, e.g. "123/QĐ-UBND" */
	const char *issue_date;   /* YYYY-MM-DD when given */
	const char *procedure;    /* procedure code */
	const char *title;        /* document title */
	const char *package_path; /* relative to the store: packages/<code> */
	const char *signature;    /* signature status: unsigned, sealed, signed… */
	int superseded;           /* 1 when a later result replaces this one */
	const char *text;         /* recognised text */
} sohoa_index_doc;

/* Adds a document, or replaces the one with the same dossier code and doc_no
 * when its version is not newer than `doc`'s (reindexing a superseded version
 * replaces it), in one short transaction. Errors: SOHOA_EINVAL (missing code,
 * bad doc_no, citizen id or date; message names the field), SOHOA_ELIMIT
 * (field or text too long), SOHOA_EEXISTS (a newer version is indexed),
 * SOHOA_EFORMAT (invalid UTF-8), SOHOA_EDB, SOHOA_EBUSY. */
int sohoa_index_add(sohoa_index *idx, const sohoa_index_doc *doc);

/* Removes the documents of dossier `dossier_code` numbered above `ndocs`: those
 * an earlier version had and the version just added no longer has. Inside a
 * batch when one is open, else in its own transaction; nothing to remove is
 * success. Errors: SOHOA_EINVAL (bad code), SOHOA_EDB, SOHOA_EBUSY. */
int sohoa_index_trim(sohoa_index *idx, const char *dossier_code, int ndocs);

/* The signature status of a package a leader has signed (after "unsigned" or
 * "sealed"). */
#define SOHOA_INDEX_LEADER_SIGNED "leader-signed"

/* Sets the signature status (e.g. "leader-signed") of the current documents
 * of the package at `package_path` (relative to the store, as indexed), after
 * a signature is added to it. Errors: SOHOA_EINVAL (empty or too long
 * status), SOHOA_ENOTFOUND (no current document of that package: not indexed
 * yet), SOHOA_EDB, SOHOA_EBUSY. */
int sohoa_index_set_signature(sohoa_index *idx, const char *package_path, const char *signature);

/* A batch: sohoa_index_add calls between begin and commit share one write
 * transaction (each still all-or-nothing on its own, through a savepoint), for
 * loading many documents at once. Keep batches short: readers are not blocked
 * (WAL) but other writers wait. Errors: SOHOA_EBUSY, SOHOA_EDB. */
int sohoa_index_batch_begin(sohoa_index *idx);
int sohoa_index_batch_commit(sohoa_index *idx);
void sohoa_index_batch_rollback(sohoa_index *idx);

/* Merges the full-text index a step further towards one segment: each
 * committed batch adds a segment, and a query reads every segment (ten of
 * them made queries twice as slow as one). One call merges about `pages`
 * pages (0 gives SOHOA_INDEX_MERGE_PAGES) in its own short transaction, so
 * other writers wait little; call it until *done is 1 (nothing left to
 * merge), e.g. when the pipeline is idle. Not inside a batch. Errors:
 * SOHOA_EBUSY, SOHOA_EDB. */
#define SOHOA_INDEX_MERGE_PAGES 1000
int sohoa_index_merge(sohoa_index *idx, int pages, int *done);

/* A search: words, "quoted phrases" and prefix* terms, all required; a word
 * without diacritics also matches the word with them, and the other way round,
 * while rows with the exact spelling rank first (BM25). Filters NULL = any;
 * dates inclusive, YYYY-MM-DD. An empty query lists the filtered documents,
 * newest first. When every word of the query is held by more than half of a
 * catalog of 10,000 documents or more, BM25 would rank nearly all of it for
 * little meaning: the newest matches come instead, those with the exact
 * spelling first, with score 0. So too when the query matches more than
 * SOHOA_INDEX_MAX_RANKED documents (filters not counted), which bounds the
 * cost of a query. */
typedef struct {
	const char *text;
	const char *agency, *doc_type, *citizen_id, *from, *to;
	size_t limit;           /* 0 gives SOHOA_INDEX_DEFAULT_LIMIT */
	const char *mark_open;  /* around matches in snippets; NULL gives "«" */
	const char *mark_close; /* NULL gives "»" */
} sohoa_index_query;

/* One result; every string is owned by the hits and never NULL ("" if unset). */
typedef struct {
	char *dossier_code;
	int doc_no, version, superseded;
	char *citizen_id, *applicant, *agency, *doc_type, *notation, *issue_date;
	char *procedure, *title, *package_path, *signature;
	char *snippet; /* search only: text around the first match, marked */
	double score;  /* search only: BM25 (lower is better) */
} sohoa_index_hit;

typedef struct {
	size_t count;
	sohoa_index_hit *hits;
} sohoa_index_hits;

/* Runs a search; *out (caller frees with sohoa_index_hits_free) holds at most
 * limit hits, best first. Errors: SOHOA_EINVAL (bad filter or query syntax,
 * naming it), SOHOA_ELIMIT (query too long or too many terms), SOHOA_EDB. */
int sohoa_index_search(sohoa_index *idx, const sohoa_index_query *q, sohoa_index_hits **out);

/* Every document of a citizen (newest first) or of a dossier (in order), at
 * most `limit` (0 = SOHOA_INDEX_MAX_LIMIT). No match is success with count 0.
 * Errors: SOHOA_EINVAL (citizen id not 12 digits, empty code), SOHOA_EDB. */
int sohoa_index_lookup_citizen(sohoa_index *idx, const char *citizen_id, size_t limit,
			       sohoa_index_hits **out);
int sohoa_index_lookup_dossier(sohoa_index *idx, const char *dossier_code, size_t limit,
			       sohoa_index_hits **out);

/* NULL is a no-op. */
void sohoa_index_hits_free(sohoa_index_hits *hits);

/* Writes hits as JSON {"count":N,"results":[{...}]} (machine output, never
 * localised), or as one block of lines per hit for a person. */
void sohoa_index_write_json(FILE *out, const sohoa_index_hits *hits);
/* The same JSON, byte for byte, in a new NUL-terminated buffer (*out, the
 * caller frees; *len its length without the NUL), built without stdio: the
 * lookup service's replies. Errors: SOHOA_ENOMEM. */
int sohoa_index_json(char **out, size_t *len, const sohoa_index_hits *hits);
void sohoa_index_write_text(FILE *out, const sohoa_index_hits *hits);

/* True when s is 12 ASCII digits / a plausible dossier code (letters, digits, '_',
 * '.', '-', at most 64 bytes, not starting with '.'), / a YYYY-MM-DD date. */
int sohoa_index_valid_citizen_id(const char *s);
int sohoa_index_valid_dossier_code(const char *s);
int sohoa_index_valid_date(const char *s);

/* ------------------------------------------------------------ agencies */
/* Agencies allowed to query the lookup service. A token is 64 hex characters
 * (256 random bits) shown once; the catalog keeps only its SHA-256. */
#define SOHOA_INDEX_TOKEN_LEN 64

typedef struct {
	char *name;
	char *created; /* UTC, ISO 8601 */
	char *revoked; /* "" while active */
} sohoa_index_agency;

/* True when `name` is 1-64 letters, digits, '.', '_' or '-'. */
int sohoa_index_valid_agency_name(const char *name);
/* Registers `name` with a new random token written to `token` (NUL-terminated).
 * Errors: SOHOA_EINVAL (bad name), SOHOA_EEXISTS (name taken, even revoked),
 * SOHOA_ECRYPTO, SOHOA_EDB. */
int sohoa_index_agency_add(sohoa_index *idx, const char *name,
			   char token[SOHOA_INDEX_TOKEN_LEN + 1]);
/* Revokes `name`'s token at once. Errors: SOHOA_ENOTFOUND (no such active
 * agency), SOHOA_EDB. */
int sohoa_index_agency_revoke(sohoa_index *idx, const char *name);
/* Every agency by name; free with sohoa_index_agency_list_free. */
int sohoa_index_agency_list(sohoa_index *idx, sohoa_index_agency **out, size_t *count);
void sohoa_index_agency_list_free(sohoa_index_agency *list, size_t count);
/* Finds the agency holding `token`: 0 and the name (in `name`, at most 65
 * bytes with the NUL) when active; SOHOA_EPERM (name filled) when revoked;
 * SOHOA_EAUTH when no agency holds it; SOHOA_EDB. */
int sohoa_index_agency_auth(sohoa_index *idx, const char *token, char name[65]);

/* --------------------------------------------------------------- audit */
/* One request to the lookup service. The audit table is append-only (triggers
 * refuse UPDATE and DELETE) and each row carries the SHA-256 of its fields and
 * of the previous row's hash, so editing or removing a row breaks the chain. */
typedef struct {
	const char *agency;     /* the authenticated agency, or "-" */
	const char *endpoint;   /* e.g. "GET /v1/citizens/{id}/results" */
	const char *query;      /* path parameters and query string, decoded */
	const char *request_id; /* unique per request */
	int status;             /* HTTP status sent */
	long result_count;
} sohoa_index_audit_entry;

/* The file beside the catalog that anchors the head of the chain: its row
 * count and last hash, rewritten after each append, so that rows removed
 * from the end, or a chain recomputed from scratch, are seen by verify as long
 * as the file itself was not rewritten too (see docs/lookup.md). */
#define SOHOA_INDEX_AUDIT_HEAD "audit.head"

/* Appends one row with the current UTC time, in its own transaction, then
 * rewrites the head file. The row is durable when this returns: audit
 * commits sync the WAL (synchronous=FULL; the handle keeps that setting for
 * its later writes too), so a power cut cannot lose it. Errors: SOHOA_EDB, SOHOA_EIO (head file not
 * writable; the row is in the table then). */
int sohoa_index_audit_append(sohoa_index *idx, const sohoa_index_audit_entry *e);
/* Appends the `n` rows of `e`, in order, in one transaction (all or none),
 * then rewrites the head file once: the lookup service's group commit, so a
 * batch of requests costs one commit. Errors as sohoa_index_audit_append. */
int sohoa_index_audit_append_many(sohoa_index *idx, const sohoa_index_audit_entry *e, size_t n);
/* Recomputes the chain from the first row and checks it against the head
 * file. 0 when every row holds; else SOHOA_EVERIFY naming the first row that
 * does not match (edited, removed or reordered rows), or saying the table was
 * truncated, its chain rewritten, or the head file is missing or corrupt.
 * *rows (may be NULL) receives the number of rows checked. */
int sohoa_index_audit_verify(sohoa_index *idx, size_t *rows);

#endif
