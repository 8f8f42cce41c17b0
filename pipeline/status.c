/* pipeline/status.c: `sohoa status` — what the journal says about the store:
 * dossiers by stage and status, the quarantined ones with their reasons, and
 * the packages waiting for a leader's signature. Reads only, in WAL mode, so
 * it never blocks a run. */
#include "pipeline/pipeline.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
	sqlite3 *db;
	const char *path;
	FILE *out;
	int json;
} status_ctx;

static int db_error(status_ctx *s)
{
	return sohoa_error_set(SOHOA_EDB, "%s: %s", s->path, sqlite3_errmsg(s->db));
}

static void text_or_null(FILE *f, sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	if (t)
		sohoa_json_string(f, t);
	else
		fputs("null", f);
}

static const char *column(sqlite3_stmt *st, int col)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	return t ? t : "";
}

static int counts(status_ctx *s)
{
	sqlite3_stmt *st = NULL;
	int n = 0, step;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT status, stage, count(*) FROM journal_dossiers "
			       "GROUP BY status, stage ORDER BY status, stage",
			       -1, &st, NULL) != SQLITE_OK)
		return db_error(s);
	fputs(s->json ? "{\n  \"dossiers\": [" : _("Dossiers by status and stage:\n"), s->out);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (s->json) {
			fputs(n ? ",\n    {\"status\": " : "\n    {\"status\": ", s->out);
			text_or_null(s->out, st, 0);
			fputs(", \"stage\": ", s->out);
			text_or_null(s->out, st, 1);
			fprintf(s->out, ", \"count\": %lld}", sqlite3_column_int64(st, 2));
		} else {
			fprintf(s->out, "  %-12s %-8s %lld\n", column(st, 0), column(st, 1),
				sqlite3_column_int64(st, 2));
		}
		n++;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return db_error(s);
	if (!s->json && n == 0)
		fprintf(s->out, "  %s\n", _("none"));
	if (s->json)
		fputs(n ? "\n  ]" : "]", s->out);
	return 0;
}

/* Lists the rows of `sql` (folder, code, version, then one detail column)
 * under `key` (JSON) or `title` (text). */
static int listing(status_ctx *s, const char *sql, const char *key, const char *detail,
		   const char *title)
{
	sqlite3_stmt *st = NULL;
	int n = 0, step;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(s);
	if (s->json)
		fprintf(s->out, ",\n  \"%s\": [", key);
	else
		fprintf(s->out, "\n%s\n", title);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (s->json) {
			fputs(n ? ",\n    {\"folder\": " : "\n    {\"folder\": ", s->out);
			text_or_null(s->out, st, 0);
			fputs(", \"code\": ", s->out);
			text_or_null(s->out, st, 1);
			fprintf(s->out, ", \"version\": %d, \"%s\": ", sqlite3_column_int(st, 2),
				detail);
			text_or_null(s->out, st, 3);
			fputc('}', s->out);
		} else {
			fprintf(s->out, "  %s: %s\n", column(st, 0), column(st, 3));
		}
		n++;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return db_error(s);
	if (s->json)
		fputs(n ? "\n  ]" : "]", s->out);
	else if (n == 0)
		fprintf(s->out, "  %s\n", _("none"));
	return 0;
}

int sohoa_pipeline_status(FILE *out, const char *store, int json)
{
	status_ctx s = {.out = out, .json = json};
	char *path = NULL;
	int rc = 0;

	if (asprintf(&path, "%s/catalog.sqlite", store) < 0)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	s.path = path;
	if (access(path, F_OK) != 0) {
		rc = sohoa_error_set(SOHOA_ENOTFOUND,
				     _("%s: no catalog (has 'sohoa run' used this store?)"), path);
		goto cleanup;
	}
	if (sqlite3_open_v2(path, &s.db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		rc = db_error(&s);
		goto cleanup;
	}
	sqlite3_busy_timeout(s.db, 10000);
	if (sqlite3_exec(s.db, "SELECT 1 FROM journal_dossiers LIMIT 1", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		rc = sohoa_error_set(SOHOA_ENOTFOUND,
				     _("%s: no journal (has 'sohoa run' used this store?)"), path);
		goto cleanup;
	}
	rc = counts(&s);
	if (rc == 0)
		rc = listing(&s,
			     "SELECT folder, code, version, error FROM journal_dossiers "
			     "WHERE status='quarantined' ORDER BY folder",
			     "quarantined", "reason", _("Quarantined (STORE/quarantine/):"));
	if (rc == 0)
		rc = listing(&s,
			     "SELECT folder, code, version, package FROM journal_dossiers "
			     "WHERE status='done' AND approval=1 AND leader_signed=0 ORDER BY code",
			     "awaiting_leader", "package",
			     _("Awaiting a leader's signature (sohoa sign --pending):"));
	if (rc == 0 && json)
		fputs("\n}\n", out);
cleanup:
	sqlite3_close(s.db);
	free(path);
	return rc;
}
