/* pipeline/journal.c: the journal of runs, dossier versions and pages in the
 * store's SQLite catalog — the one file of pipeline/ that speaks SQL. */
#include "pipeline/pipeline.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BUSY_TIMEOUT_MS 10000

struct sohoa_journal {
	sqlite3 *db;
	char *path;
};

static const char schema[] =
	"CREATE TABLE IF NOT EXISTS journal_runs("
	" id INTEGER PRIMARY KEY, inbox TEXT NOT NULL, pid INTEGER NOT NULL,"
	" started REAL NOT NULL, finished REAL, exit_status INTEGER);"
	"CREATE TABLE IF NOT EXISTS journal_dossiers("
	" id INTEGER PRIMARY KEY, code TEXT NOT NULL, version INTEGER NOT NULL,"
	" folder TEXT NOT NULL, input_hash TEXT NOT NULL, pages INTEGER NOT NULL,"
	" approval INTEGER NOT NULL DEFAULT 0, stage TEXT NOT NULL, status TEXT NOT NULL,"
	" error TEXT, package TEXT, confidence REAL, needs_review INTEGER,"
	" sealed INTEGER NOT NULL DEFAULT 0, indexed INTEGER NOT NULL DEFAULT 0,"
	" leader_signed INTEGER NOT NULL DEFAULT 0, superseded_by INTEGER,"
	" run_id INTEGER, started REAL, updated REAL, finished REAL,"
	" UNIQUE(code, version));"
	"CREATE INDEX IF NOT EXISTS journal_dossiers_status ON journal_dossiers(status);"
	"CREATE TABLE IF NOT EXISTS journal_pages("
	" dossier INTEGER NOT NULL REFERENCES journal_dossiers(id) ON DELETE CASCADE,"
	" idx INTEGER NOT NULL, file TEXT NOT NULL, sha256 TEXT NOT NULL,"
	" stage TEXT NOT NULL, status TEXT NOT NULL, confidence REAL,"
	" needs_review INTEGER, error TEXT, finished REAL,"
	" PRIMARY KEY(dossier, idx));"
	"CREATE TABLE IF NOT EXISTS journal_signatures("
	" id INTEGER PRIMARY KEY,"
	" dossier INTEGER NOT NULL REFERENCES journal_dossiers(id) ON DELETE CASCADE,"
	" role TEXT NOT NULL, signer TEXT NOT NULL, signed_at REAL NOT NULL);";

const char *sohoa_stage_name(sohoa_stage stage)
{
	static const char *const names[] = {"intake", "ocr", "index", "package", "seal", "done"};
	return (unsigned)stage < sizeof names / sizeof *names ? names[stage] : "?";
}

const char *sohoa_dossier_status_name(sohoa_dossier_status status)
{
	static const char *const names[] = {"pending", "done", "quarantined", "superseded"};
	return (unsigned)status < sizeof names / sizeof *names ? names[status] : "?";
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int db_error(sohoa_journal *j, const char *what)
{
	int code = sqlite3_errcode(j->db);
	return sohoa_error_set(code == SQLITE_CANTOPEN                          ? SOHOA_ENOTFOUND
			       : code == SQLITE_PERM || code == SQLITE_READONLY ? SOHOA_EPERM
			       : code == SQLITE_BUSY || code == SQLITE_LOCKED   ? SOHOA_EBUSY
			       : code == SQLITE_FULL                            ? SOHOA_ENOSPC
										: SOHOA_EDB,
			       "%s: %s: %s", j->path, what, sqlite3_errmsg(j->db));
}

int sohoa_journal_open(sohoa_journal **out, const char *store, int readonly)
{
	sohoa_journal *j = calloc(1, sizeof *j);
	int rc = 0,
	    flags = readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

	*out = NULL;
	if (!j || asprintf(&j->path, "%s/catalog.sqlite", store) < 0) {
		free(j);
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	}
	if (readonly && access(j->path, F_OK) != 0) {
		rc = sohoa_error_set(SOHOA_ENOTFOUND,
				     _("%s: no catalog (has sohoa run used this store?)"), j->path);
		goto cleanup;
	}
	if (sqlite3_open_v2(j->path, &j->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		rc = db_error(j, _("cannot open"));
		goto cleanup;
	}
	sqlite3_busy_timeout(j->db, BUSY_TIMEOUT_MS);
	if (!readonly &&
	    (sqlite3_exec(j->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) != SQLITE_OK ||
	     sqlite3_exec(j->db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", NULL, NULL,
			  NULL) != SQLITE_OK ||
	     sqlite3_exec(j->db, schema, NULL, NULL, NULL) != SQLITE_OK)) {
		rc = db_error(j, _("cannot set up the journal"));
		goto cleanup;
	}
cleanup:
	if (rc < 0) {
		sohoa_journal_close(j);
		return rc;
	}
	*out = j;
	return 0;
}

void sohoa_journal_close(sohoa_journal *j)
{
	if (!j)
		return;
	sqlite3_close(j->db);
	free(j->path);
	free(j);
}

/* Binds the arguments described by `types`: 'i' int64, 'd' double, 't' text
 * (NULL binds NULL). */
static void bindv(sqlite3_stmt *st, const char *types, va_list ap)
{
	for (int i = 1; types[i - 1]; i++) {
		if (types[i - 1] == 'i') {
			sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
		} else if (types[i - 1] == 'd') {
			sqlite3_bind_double(st, i, va_arg(ap, double));
		} else {
			const char *t = va_arg(ap, const char *);
			if (t)
				sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(st, i);
		}
	}
}

/* Prepares `sql` with its arguments bound; the caller steps and finalizes. */
static int prepare(sohoa_journal *j, sqlite3_stmt **st, const char *sql, const char *types, ...)
{
	va_list ap;
	if (sqlite3_prepare_v2(j->db, sql, -1, st, NULL) != SQLITE_OK)
		return db_error(j, "prepare");
	va_start(ap, types);
	bindv(*st, types, ap);
	va_end(ap);
	return 0;
}

/* Runs one statement that returns no rows. */
static int exec(sohoa_journal *j, const char *sql, const char *types, ...)
{
	sqlite3_stmt *st = NULL;
	va_list ap;
	int rc = 0;

	if (sqlite3_prepare_v2(j->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(j, "prepare");
	va_start(ap, types);
	bindv(st, types, ap);
	va_end(ap);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = db_error(j, "write");
	sqlite3_finalize(st);
	return rc;
}

static int begin(sohoa_journal *j)
{
	if (sqlite3_exec(j->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return db_error(j, "begin");
	return 0;
}

static int end(sohoa_journal *j, int rc)
{
	if (rc < 0) {
		sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
		return rc;
	}
	if (sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		rc = db_error(j, "commit");
		sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
	}
	return rc;
}

int sohoa_journal_run_begin(sohoa_journal *j, int64_t *run_id, const char *inbox)
{
	int rc = exec(j, "INSERT INTO journal_runs(inbox, pid, started) VALUES(?,?,?)", "tid",
		      inbox, (int64_t)getpid(), now_seconds());
	*run_id = rc < 0 ? 0 : sqlite3_last_insert_rowid(j->db);
	return rc;
}

int sohoa_journal_run_end(sohoa_journal *j, int64_t run_id, int exit_status)
{
	return exec(j, "UPDATE journal_runs SET finished=?, exit_status=? WHERE id=?", "dii",
		    now_seconds(), (int64_t)exit_status, run_id);
}

static char *dup_column(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? strdup((const char *)t) : NULL;
}

/* The claim's decision, inside its transaction. */
static int claim_locked(sohoa_journal *j, sohoa_claim *c, int64_t run_id, const char *code,
			const char *folder, const char *hash, size_t pages, int approval)
{
	sqlite3_stmt *st = NULL;
	int rc, step, reuse = 0;
	double now = now_seconds();

	rc = prepare(j, &st,
		     "SELECT id, version, input_hash, status, package, error, run_id, folder,"
		     " pages, confidence, needs_review, indexed, sealed, leader_signed "
		     "FROM journal_dossiers WHERE code=? ORDER BY version DESC LIMIT 1",
		     "t", code);
	if (rc < 0)
		return rc;
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		const char *h = (const char *)sqlite3_column_text(st, 2);
		const char *status = (const char *)sqlite3_column_text(st, 3);
		const char *other = (const char *)sqlite3_column_text(st, 7);
		c->id = sqlite3_column_int64(st, 0);
		c->version = sqlite3_column_int(st, 1);
		if (sqlite3_column_int64(st, 6) == run_id && strcmp(other, folder) != 0) {
			c->kind = SOHOA_CLAIM_DUPLICATE;
			c->folder = strdup(other);
		} else if (strcmp(h, hash) == 0 && strcmp(status, "done") == 0) {
			c->kind = SOHOA_CLAIM_FINISHED;
			c->package = dup_column(st, 4);
			c->pages = (size_t)sqlite3_column_int64(st, 8);
			c->confidence = sqlite3_column_double(st, 9);
			c->needs_review = (size_t)sqlite3_column_int64(st, 10);
			c->indexed = sqlite3_column_int(st, 11);
			c->sealed = sqlite3_column_int(st, 12);
			c->leader_signed = sqlite3_column_int(st, 13);
		} else if (strcmp(h, hash) == 0 && strcmp(status, "quarantined") == 0) {
			c->kind = SOHOA_CLAIM_FAILED;
			c->error = dup_column(st, 5);
		} else if (strcmp(status, "done") == 0) {
			c->kind = SOHOA_CLAIM_NEW; /* changed input: a new version */
			c->version++;
		} else {
			/* Unfinished or quarantined: this version never made a
			 * package, so it is done again with whatever input is there. */
			c->kind = strcmp(h, hash) == 0 ? SOHOA_CLAIM_RESUME : SOHOA_CLAIM_NEW;
			reuse = 1;
		}
	} else if (step == SQLITE_DONE) {
		c->kind = SOHOA_CLAIM_NEW;
		c->version = 1;
	} else {
		rc = db_error(j, "read");
	}
	sqlite3_finalize(st);
	if (rc < 0 || c->kind == SOHOA_CLAIM_FINISHED || c->kind == SOHOA_CLAIM_FAILED ||
	    c->kind == SOHOA_CLAIM_DUPLICATE)
		return rc;
	if (reuse) {
		rc = exec(j, "DELETE FROM journal_pages WHERE dossier=?", "i", c->id);
		if (rc == 0)
			rc = exec(j,
				  "UPDATE journal_dossiers SET folder=?, input_hash=?, pages=?, "
				  "approval=?, stage='intake', status='pending', error=NULL, "
				  "package=NULL, run_id=?, started=?, updated=?, finished=NULL "
				  "WHERE id=?",
				  "ttiiiddi", folder, hash, (int64_t)pages, (int64_t)approval,
				  run_id, now, now, c->id);
		return rc;
	}
	rc = exec(j,
		  "INSERT INTO journal_dossiers(code, version, folder, input_hash, pages, approval,"
		  " stage, status, run_id, started, updated) "
		  "VALUES(?,?,?,?,?,?,'intake','pending',?,?,?)",
		  "titt"
		  "iiidd",
		  code, (int64_t)c->version, folder, hash, (int64_t)pages, (int64_t)approval,
		  run_id, now, now);
	if (rc == 0)
		c->id = sqlite3_last_insert_rowid(j->db);
	return rc;
}

int sohoa_journal_claim(sohoa_journal *j, sohoa_claim *out, int64_t run_id, const char *code,
			const char *folder, const char *input_hash, size_t pages, int approval)
{
	int rc;

	memset(out, 0, sizeof *out);
	rc = begin(j);
	if (rc < 0)
		return rc;
	rc = end(j, claim_locked(j, out, run_id, code, folder, input_hash, pages, approval));
	if (rc < 0)
		sohoa_claim_clear(out);
	return rc;
}

void sohoa_claim_clear(sohoa_claim *c)
{
	free(c->package);
	free(c->error);
	free(c->folder);
	c->package = c->error = c->folder = NULL;
}

int sohoa_journal_page_done(sohoa_journal *j, int64_t id, size_t index, const char *file,
			    const char *sha256, double confidence, int needs_review)
{
	return exec(
		j,
		"INSERT OR REPLACE INTO journal_pages(dossier, idx, file, sha256, stage, status,"
		" confidence, needs_review, finished) VALUES(?,?,?,?,'ocr','done',?,?,?)",
		"iittdid", id, (int64_t)index, file, sha256, confidence, (int64_t)needs_review,
		now_seconds());
}

int sohoa_journal_stage_done(sohoa_journal *j, int64_t id, sohoa_stage stage)
{
	return exec(j, "UPDATE journal_dossiers SET stage=?, updated=? WHERE id=?", "tdi",
		    sohoa_stage_name(stage), now_seconds(), id);
}

int sohoa_journal_dossier_indexed(sohoa_journal *j, int64_t id)
{
	return exec(j, "UPDATE journal_dossiers SET indexed=1, updated=? WHERE id=?", "di",
		    now_seconds(), id);
}

int sohoa_journal_dossier_done(sohoa_journal *j, int64_t id, const char *package, size_t pages,
			       double confidence, size_t needs_review, int sealed)
{
	double now = now_seconds();
	int rc = begin(j);
	if (rc < 0)
		return rc;
	/* Earlier packages of the code, and an earlier quarantine of the same
	 * folder (a manifest that could not be read had the folder's name as
	 * code), are replaced by this one. */
	rc = exec(j,
		  "UPDATE journal_dossiers SET status='superseded', superseded_by=?, indexed=0,"
		  " updated=? "
		  "WHERE id<>? AND ((status='done' AND code=(SELECT code FROM journal_dossiers "
		  "WHERE id=?)) OR (status='quarantined' AND folder=(SELECT folder FROM "
		  "journal_dossiers WHERE id=?)))",
		  "idiii", id, now, id, id, id);
	if (rc == 0)
		rc = exec(j,
			  "UPDATE journal_dossiers SET stage='done', status='done', package=?,"
			  " pages=?, confidence=?, needs_review=?, sealed=?, updated=?, finished=? "
			  "WHERE id=?",
			  "tidiiddi", package, (int64_t)pages, confidence, (int64_t)needs_review,
			  (int64_t)sealed, now, now, id);
	return end(j, rc);
}

int sohoa_journal_dossier_failed(sohoa_journal *j, int64_t id, sohoa_stage stage,
				 const char *reason)
{
	double now = now_seconds();
	return exec(j,
		    "UPDATE journal_dossiers SET stage=?, status='quarantined', error=?, updated=?,"
		    " finished=? WHERE id=?",
		    "ttddi", sohoa_stage_name(stage), reason, now, now, id);
}

int sohoa_journal_pages_done(sohoa_journal *j, int64_t id, size_t *out)
{
	sqlite3_stmt *st = NULL;
	int rc = prepare(j, &st, "SELECT count(*) FROM journal_pages WHERE dossier=?", "i", id);
	*out = 0;
	if (rc < 0)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		*out = (size_t)sqlite3_column_int64(st, 0);
	else
		rc = db_error(j, "read");
	sqlite3_finalize(st);
	return rc;
}

int sohoa_journal_pending(sohoa_journal *j, char ***packages, size_t *n)
{
	sqlite3_stmt *st = NULL;
	char **list = NULL;
	size_t count = 0;
	int rc, step;

	*packages = NULL;
	*n = 0;
	rc = prepare(j, &st,
		     "SELECT package FROM journal_dossiers WHERE status='done' AND approval=1 "
		     "AND leader_signed=0 AND package IS NOT NULL ORDER BY code",
		     "");
	if (rc < 0)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		char **grown = realloc(list, (count + 1) * sizeof *list);
		if (!grown || !(grown[count] = dup_column(st, 0))) {
			list = grown ? grown : list;
			rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
			break;
		}
		list = grown;
		count++;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = db_error(j, "read");
	sqlite3_finalize(st);
	if (rc < 0) {
		for (size_t i = 0; i < count; i++)
			free(list[i]);
		free(list);
		return rc;
	}
	*packages = list;
	*n = count;
	return 0;
}

int sohoa_journal_record_signature(sohoa_journal *j, const char *package, const char *role,
				   const char *signer)
{
	double now = now_seconds();
	int rc = begin(j);
	if (rc < 0)
		return rc;
	rc = exec(j,
		  "INSERT INTO journal_signatures(dossier, role, signer, signed_at) "
		  "SELECT id, ?, ?, ? FROM journal_dossiers WHERE package=?",
		  "ttdt", role, signer, now, package);
	if (rc == 0 && sqlite3_changes(j->db) == 0)
		rc = sohoa_error_set(SOHOA_ENOTFOUND, _("%s: %s: no such package in the journal"),
				     j->path, package);
	if (rc == 0 && strcmp(role, "leader") == 0)
		rc = exec(j,
			  "UPDATE journal_dossiers SET leader_signed=1, updated=? WHERE package=?",
			  "dt", now, package);
	return end(j, rc);
}
