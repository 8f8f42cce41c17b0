/* index/catalog.c: opening the store's catalog database and migrating its
 * schema; the one place that knows how the catalog file is configured. */
#include "index/internal.h"

#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

#define SCHEMA_VERSION  2
#define BUSY_TIMEOUT_MS 5000

static int db_error(sqlite3 *db, const char *path, const char *what);

int index_db_error(sohoa_index *idx, const char *what)
{
	return db_error(idx->db, idx->path, what);
}

int index_begin(sohoa_index *idx)
{
	if (sqlite3_exec(idx->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return index_db_error(idx, _("cannot start a transaction"));
	return 0;
}

int index_commit(sohoa_index *idx)
{
	if (sqlite3_exec(idx->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		int rc = index_db_error(idx, _("cannot commit"));
		index_rollback(idx);
		return rc;
	}
	return 0;
}

void index_rollback(sohoa_index *idx)
{
	if (!sqlite3_get_autocommit(idx->db))
		sqlite3_exec(idx->db, "ROLLBACK", NULL, NULL, NULL);
}

static int db_error(sqlite3 *db, const char *path, const char *what)
{
	int code = sqlite3_errcode(db);
	return sohoa_error_set(code == SQLITE_CANTOPEN                          ? SOHOA_ENOTFOUND
			       : code == SQLITE_PERM || code == SQLITE_READONLY ? SOHOA_EPERM
			       : code == SQLITE_BUSY || code == SQLITE_LOCKED   ? SOHOA_EBUSY
			       : code == SQLITE_FULL                            ? SOHOA_ENOSPC
										: SOHOA_EDB,
			       "%s: %s: %s", path, what, sqlite3_errmsg(db));
}

static const char *const migrations[SCHEMA_VERSION] = {
	/* 1: a table describing the store itself; later issues add theirs. */
	"CREATE TABLE IF NOT EXISTS store_info(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"INSERT OR IGNORE INTO store_info VALUES('created_by', 'sohoa');",
	/* 2: documents and their full-text index (exact and folded spellings, fields
	 * and text in separate columns), agency credentials, the audit chain. */
	"CREATE TABLE documents("
	" id INTEGER PRIMARY KEY, dossier_code TEXT NOT NULL, doc_no INTEGER NOT NULL,"
	" version INTEGER NOT NULL, citizen_id TEXT NOT NULL DEFAULT '',"
	" applicant TEXT NOT NULL DEFAULT '', agency TEXT NOT NULL DEFAULT '',"
	" doc_type TEXT NOT NULL DEFAULT '', notation TEXT NOT NULL DEFAULT '',"
	" issue_date TEXT NOT NULL DEFAULT '', procedure TEXT NOT NULL DEFAULT '',"
	" title TEXT NOT NULL DEFAULT '', package_path TEXT NOT NULL DEFAULT '',"
	" signature TEXT NOT NULL DEFAULT '', superseded INTEGER NOT NULL DEFAULT 0,"
	" UNIQUE(dossier_code, doc_no));"
	"CREATE INDEX documents_citizen ON documents(citizen_id, issue_date);"
	"CREATE INDEX documents_agency ON documents(agency, issue_date);"
	"CREATE VIRTUAL TABLE documents_fts USING fts5(exact_fields, folded_fields,"
	" exact_text, folded_text, tokenize='unicode61 remove_diacritics 0');"
	"CREATE VIRTUAL TABLE documents_vocab USING fts5vocab(documents_fts, 'row');"
	"CREATE TABLE agencies(name TEXT PRIMARY KEY, token_sha256 TEXT NOT NULL UNIQUE,"
	" created TEXT NOT NULL, revoked TEXT);"
	"CREATE TABLE audit(id INTEGER PRIMARY KEY, agency TEXT NOT NULL, time TEXT NOT NULL,"
	" endpoint TEXT NOT NULL, query TEXT NOT NULL, status INTEGER NOT NULL,"
	" result_count INTEGER NOT NULL, request_id TEXT NOT NULL, prev_hash TEXT NOT NULL,"
	" hash TEXT NOT NULL);"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	" BEGIN SELECT RAISE(ABORT, 'the audit table is append-only'); END;",
};

/* Reads the schema version, refusing a catalog from a newer sohoa before
 * anything (even the journal mode) is changed in it. */
static int read_version(int *version, sohoa_index *idx, const char *path)
{
	sqlite3_stmt *st = NULL;

	*version = 0;
	if (sqlite3_prepare_v2(idx->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return db_error(idx->db, path, "schema");
	if (sqlite3_step(st) == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (*version > SCHEMA_VERSION)
		return sohoa_error_set(SOHOA_EDB,
				       _("%s: catalog schema %d is newer than this sohoa (%d)"),
				       path, *version, SCHEMA_VERSION);
	return 0;
}

static int migrate(sohoa_index *idx, const char *path, int version)
{
	for (; version < SCHEMA_VERSION; version++) {
		char pragma[64];
		snprintf(pragma, sizeof pragma, "PRAGMA user_version=%d;", version + 1);
		if (sqlite3_exec(idx->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(idx->db, migrations[version], NULL, NULL, NULL) != SQLITE_OK ||
		    sqlite3_exec(idx->db, pragma, NULL, NULL, NULL) != SQLITE_OK) {
			int rc = db_error(idx->db, path, "schema migration");
			sqlite3_exec(idx->db, "ROLLBACK", NULL, NULL, NULL);
			return rc;
		}
		if (sqlite3_exec(idx->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			return db_error(idx->db, path, "schema migration");
	}
	idx->schema = version;
	return 0;
}

int sohoa_index_open(sohoa_index **out, const char *path)
{
	sohoa_index *idx = calloc(1, sizeof *idx);
	int rc = 0, version = 0;

	*out = NULL;
	if (!idx || !(idx->path = strdup(path))) {
		free(idx);
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	}
	idx->head_fd = -1;
	if (!sqlite3_compileoption_used("ENABLE_FTS5")) {
		rc = sohoa_error_set(SOHOA_EDB, _("the SQLite library lacks FTS5"));
		goto cleanup;
	}
	if (sqlite3_open_v2(path, &idx->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
			    NULL) != SQLITE_OK) {
		rc = db_error(idx->db, path, _("cannot open"));
		goto cleanup;
	}
	sqlite3_busy_timeout(idx->db, BUSY_TIMEOUT_MS);
	idx->common_min_docs = 10000;
	idx->max_ranked = SOHOA_INDEX_MAX_RANKED;
	rc = read_version(&version, idx, path);
	if (rc < 0)
		goto cleanup;
	/* Searches read many pages of the full-text index: a 32 MiB page cache
	 * (the default 2 MiB was thrashed by every common word). No mmap: the
	 * service's audit rows grow the file, and each growth remapped the file
	 * in every handle, faulting its pages in again. */
	if (sqlite3_exec(idx->db,
			 "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
			 "PRAGMA foreign_keys=ON; PRAGMA cache_size=-32768;",
			 NULL, NULL, NULL) != SQLITE_OK) {
		rc = db_error(idx->db, path, _("cannot configure"));
		goto cleanup;
	}
	rc = migrate(idx, path, version);
cleanup:
	if (rc < 0) {
		sohoa_index_close(idx);
		return rc;
	}
	*out = idx;
	return 0;
}

int sohoa_index_schema_version(const sohoa_index *idx)
{
	return idx->schema;
}

void sohoa_index_close(sohoa_index *idx)
{
	if (!idx)
		return;
	for (int i = 0; i < ST_COUNT; i++)
		sqlite3_finalize(idx->st[i]);
	sqlite3_close(idx->db);
	index_audit_free(idx);
	OPENSSL_cleanse(idx->auth_token, sizeof idx->auth_token);
	free(idx->path);
	free(idx);
}

const char *sohoa_index_versions(void)
{
	return "SQLite " SQLITE_VERSION;
}
