/* index/internal.h: what the files of index/ share and nobody else sees — the
 * handle's layout and its cache of prepared statements. */
#ifndef SOHOA_INDEX_INTERNAL_H
#define SOHOA_INDEX_INTERNAL_H

#include <sqlite3.h>

#include "index/index.h"

/* Statements prepared once per handle, on first use, and reset after each use. */
enum {
	ST_DOC_FIND,
	ST_DOC_DELETE,
	ST_DOC_SIGNATURE,
	ST_FTS_DELETE,
	ST_DOC_INSERT,
	ST_FTS_INSERT,
	ST_SEARCH,
	ST_SEARCH_FILTERED,
	ST_SEARCH_HIT,
	ST_RECENT,
	ST_COUNT_DOCS,
	ST_MATCH_COUNT,
	ST_BROWSE,
	ST_BY_CITIZEN,
	ST_BY_DOSSIER,
	ST_AGENCY_ADD,
	ST_AGENCY_REVOKE,
	ST_AGENCY_AUTH,
	ST_AUDIT_LAST,
	ST_AUDIT_INSERT,
	ST_TRIM_FTS,
	ST_TRIM_DOCS,
	ST_FTS_MERGE,
	ST_COUNT
};

struct sohoa_index {
	sqlite3 *db;
	int schema;
	char *path;
	sqlite3_stmt *st[ST_COUNT];
	/* A query whose every word is in more than half of at least this many
	 * documents is answered newest first instead of by BM25 (see search.c). */
	long long common_min_docs;
	/* BM25 ranks at most this many matches: a query matching more is
	 * answered newest first too (SOHOA_INDEX_MAX_RANKED; see search.c). */
	long long max_ranked;
	/* The audit head file, opened on the first append and kept (see audit.c);
	 * -1 when not open. head_len: bytes last written to it. */
	int head_fd;
	size_t head_len;
	/* 1 once the handle commits with synchronous=FULL: set by the first
	 * audit append, so an audit row is on disk when its append returns. */
	int durable;
	/* The last token authenticated on this handle and its SHA-256 (hex),
	 * so a client repeating its token is not hashed again; the hash is
	 * still looked up on every request (see agency.c). */
	char auth_token[SOHOA_INDEX_TOKEN_LEN + 1];
	char auth_hash[SOHOA_SHA256_HEX_LEN + 1];
	/* SHA-256 for the audit rows, fetched once, and its context, reused
	 * (see audit.c); NULL until the first row. */
	struct evp_md_st *sha256;
	struct evp_md_ctx_st *sha256_ctx;
};

/* Closes the audit head file if open. */
void index_audit_close(sohoa_index *idx);
/* That, and frees the audit's digest: when the handle closes. */
void index_audit_free(sohoa_index *idx);

/* The cached statement `which`, prepared if needed. */
int index_stmt(sqlite3_stmt **out, sohoa_index *idx, int which);
/* Sets an error from the handle's last SQLite error ("<path>: <what>: <msg>"). */
int index_db_error(sohoa_index *idx, const char *what);
/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. */
int index_begin(sohoa_index *idx);
int index_commit(sohoa_index *idx);
void index_rollback(sohoa_index *idx);

#endif
