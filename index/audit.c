/* index/audit.c: the lookup service's audit table — append-only rows, each
 * chained by SHA-256 to the one before, the head of the chain anchored in a
 * file beside the catalog, and the check of both. */
#include "index/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* The fields of one row as hashed: each as "\n<length>:<bytes>", so no two
 * different rows give the same input. */
typedef struct {
	sqlite3_int64 id;
	const char *agency, *time, *endpoint, *query, *request_id, *prev;
	int status;
	sqlite3_int64 count;
} audit_row;

/* The row's hash, with the handle's SHA-256 and context, fetched and made
 * on first use and reused for every later row (OpenSSL 3 looks the
 * algorithm up on every EVP_sha256() init otherwise). */
static int row_hash(sohoa_index *idx, char hex[SOHOA_SHA256_HEX_LEN + 1], const audit_row *r)
{
	char num[3][32];
	const char *fields[] = {r->prev,  num[0], r->agency, r->time,      r->endpoint,
				r->query, num[1], num[2],    r->request_id};
	uint8_t md[SOHOA_SHA256_LEN];
	unsigned int n = 0;
	int ok;

	if (!idx->sha256)
		idx->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (!idx->sha256_ctx)
		idx->sha256_ctx = EVP_MD_CTX_new();
	EVP_MD_CTX *ctx = idx->sha256_ctx;
	snprintf(num[0], sizeof num[0], "%lld", (long long)r->id);
	snprintf(num[1], sizeof num[1], "%d", r->status);
	snprintf(num[2], sizeof num[2], "%lld", (long long)r->count);
	ok = ctx && idx->sha256 && EVP_DigestInit_ex2(ctx, idx->sha256, NULL) == 1;
	for (size_t i = 0; ok && i < sizeof fields / sizeof fields[0]; i++) {
		char len[32];
		int k = snprintf(len, sizeof len, "\n%zu:", strlen(fields[i]));
		ok = EVP_DigestUpdate(ctx, len, (size_t)k) == 1 &&
		     EVP_DigestUpdate(ctx, fields[i], strlen(fields[i])) == 1;
	}
	ok = ok && EVP_DigestFinal_ex(ctx, md, &n) == 1 && n == SOHOA_SHA256_LEN;
	if (!ok)
		return sohoa_error_set(SOHOA_ECRYPTO, _("audit: SHA-256 failed"));
	sohoa_hex(hex, md, sizeof md);
	return 0;
}

/* ------------------------------------------------------------------ head */
/* "<directory of the catalog>/audit.head", malloc'd. */
static char *head_path(const sohoa_index *idx)
{
	const char *slash = strrchr(idx->path, '/');
	char *p = NULL;
	if (asprintf(&p, "%.*s%s", slash ? (int)(slash - idx->path + 1) : 0, idx->path,
		     SOHOA_INDEX_AUDIT_HEAD) < 0)
		p = NULL;
	return p;
}

/* The head line without its check, and the check: the first 16 hex digits of
 * the line's SHA-256, so a torn or hand-edited line is seen as such. */
static int head_line(char *out, size_t cap, sqlite3_int64 rows, const char *hash)
{
	char hex[SOHOA_SHA256_HEX_LEN + 1];
	uint8_t md[SOHOA_SHA256_LEN];
	int n = snprintf(out, cap, "sohoa-audit-head 1 rows=%lld hash=%s", (long long)rows, hash);
	if (n < 0 || (size_t)n + 24 > cap || sohoa_sha256(md, out, (size_t)n) < 0)
		return sohoa_error_set(SOHOA_ECRYPTO, _("audit: SHA-256 failed"));
	sohoa_hex(hex, md, sizeof md);
	snprintf(out + n, cap - (size_t)n, " check=%.16s\n", hex);
	return 0;
}

/* Rewrites the head file with the chain's row count and last hash. The file
 * stays open between appends (one pwrite each); if it was removed or replaced
 * meanwhile, it is opened again by name. Not fsynced: a power cut may leave
 * it one write behind the catalog, which verify accepts (rows past the head),
 * or ahead of a catalog that lost its last commits, which verify reports as a
 * truncation. */
static int head_write(sohoa_index *idx, sqlite3_int64 rows, const char *hash)
{
	char line[256], *path = head_path(idx);
	struct stat by_fd, by_name;
	int rc;
	size_t len;

	if (!path)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	if ((rc = head_line(line, sizeof line, rows, hash)) < 0)
		goto cleanup;
	len = strlen(line);
	if (idx->head_fd >= 0 &&
	    (fstat(idx->head_fd, &by_fd) != 0 || by_fd.st_nlink == 0 || stat(path, &by_name) != 0 ||
	     by_name.st_ino != by_fd.st_ino || by_name.st_dev != by_fd.st_dev))
		index_audit_close(idx);
	if (idx->head_fd < 0) {
		idx->head_fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
		idx->head_len = SIZE_MAX;
	}
	if (idx->head_fd < 0 || pwrite(idx->head_fd, line, len, 0) != (ssize_t)len ||
	    (len < idx->head_len && ftruncate(idx->head_fd, (off_t)len) != 0)) {
		rc = sohoa_error_from_errno(errno, _("%s: cannot write the audit head"), path);
		index_audit_close(idx);
		goto cleanup;
	}
	idx->head_len = len;
cleanup:
	free(path);
	return rc;
}

void index_audit_close(sohoa_index *idx)
{
	if (idx->head_fd >= 0)
		close(idx->head_fd);
	idx->head_fd = -1;
}

void index_audit_free(sohoa_index *idx)
{
	index_audit_close(idx);
	EVP_MD_CTX_free(idx->sha256_ctx);
	EVP_MD_free(idx->sha256);
	idx->sha256_ctx = NULL;
	idx->sha256 = NULL;
}

/* Reads the head file: *rows and `hash`, or *rows = -1 when there is none.
 * SOHOA_EVERIFY when it is not a head line with a matching check. */
static int head_read(sohoa_index *idx, sqlite3_int64 *rows, char hash[SOHOA_SHA256_HEX_LEN + 1])
{
	char *path = head_path(idx), *text = NULL, expect[256], check[17];
	long long n = -1;
	int rc;

	*rows = -1;
	if (!path)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	rc = sohoa_file_read(&text, NULL, path, 4096);
	if (rc == SOHOA_ENOTFOUND) {
		rc = 0;
		goto cleanup;
	}
	if (rc == 0 &&
	    (sscanf(text, "sohoa-audit-head 1 rows=%lld hash=%64[0-9a-f] check=%16[0-9a-f]", &n,
		    hash, check) != 3 ||
	     n < 1 || strlen(hash) != SOHOA_SHA256_HEX_LEN ||
	     head_line(expect, sizeof expect, n, hash) < 0 ||
	     strncmp(strstr(expect, " check=") + 7, check, 16) != 0))
		rc = sohoa_error_set(SOHOA_EVERIFY, _("%s: not a valid audit head"), path);
	if (rc == 0)
		*rows = n;
cleanup:
	free(text);
	free(path);
	return rc;
}

static void utc_now(char out[32])
{
	struct timespec ts;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(out, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + n, 32 - n, ".%03ldZ", ts.tv_nsec / 1000000);
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

/* Inserts the row `e` after (*id, prev), then makes it the new end of the
 * chain: *id and prev become its id and hash. Inside the caller's
 * transaction. */
static int insert_row(sohoa_index *idx, sqlite3_stmt *ins, const sohoa_index_audit_entry *e,
		      sqlite3_int64 *id, char prev[SOHOA_SHA256_HEX_LEN + 1])
{
	char now[32], hash[SOHOA_SHA256_HEX_LEN + 1];
	audit_row r = {.id = *id + 1,
		       .agency = or_dash(e->agency),
		       .endpoint = or_dash(e->endpoint),
		       .query = e->query ? e->query : "",
		       .request_id = or_dash(e->request_id),
		       .status = e->status,
		       .count = e->result_count,
		       .time = now,
		       .prev = prev};
	const char *text[] = {r.agency, r.time, r.endpoint, r.query};
	int rc;

	utc_now(now);
	if ((rc = row_hash(idx, hash, &r)) < 0)
		return rc;
	sqlite3_bind_int64(ins, 1, r.id);
	for (int i = 0; i < 4; i++)
		sqlite3_bind_text(ins, 2 + i, text[i], -1, SQLITE_STATIC);
	sqlite3_bind_int(ins, 6, r.status);
	sqlite3_bind_int64(ins, 7, r.count);
	sqlite3_bind_text(ins, 8, r.request_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 9, prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(ins, 10, hash, -1, SQLITE_STATIC);
	if (sqlite3_step(ins) != SQLITE_DONE)
		rc = index_db_error(idx, _("audit: cannot append"));
	sqlite3_reset(ins);
	sqlite3_clear_bindings(ins);
	if (rc == 0) {
		*id = r.id;
		memcpy(prev, hash, sizeof hash);
	}
	return rc;
}

/* Audit rows are committed with synchronous=FULL (the WAL is synced at each
 * commit), unlike the catalog's other writes (NORMAL): the lookup service
 * sends a reply only once its row is appended, and that row must survive a
 * power cut, not only a crash of the process. Group commit makes the sync
 * cheap per row. The handle keeps FULL afterwards. */
static int audit_durable(sohoa_index *idx)
{
	if (idx->durable)
		return 0;
	if (sqlite3_exec(idx->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL) != SQLITE_OK)
		return index_db_error(idx, _("audit: cannot make commits durable"));
	idx->durable = 1;
	return 0;
}

int sohoa_index_audit_append_many(sohoa_index *idx, const sohoa_index_audit_entry *e, size_t n)
{
	char prev[SOHOA_SHA256_HEX_LEN + 1] = GENESIS;
	sqlite3_stmt *last = NULL, *ins = NULL;
	sqlite3_int64 id = 0;
	int rc = index_stmt(&last, idx, ST_AUDIT_LAST), step;

	if (n == 0)
		return 0;
	if (rc < 0 || (rc = index_stmt(&ins, idx, ST_AUDIT_INSERT)) < 0 ||
	    (rc = audit_durable(idx)) < 0 || (rc = index_begin(idx)) < 0)
		return rc;
	step = sqlite3_step(last);
	if (step == SQLITE_ROW) {
		id = sqlite3_column_int64(last, 0);
		snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(last, 1));
	} else if (step != SQLITE_DONE) {
		rc = index_db_error(idx, _("audit: cannot read the last row"));
	}
	sqlite3_reset(last);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = insert_row(idx, ins, &e[i], &id, prev);
	if (rc < 0) {
		index_rollback(idx);
		return rc;
	}
	rc = index_commit(idx);
	return rc < 0 ? rc : head_write(idx, id, prev);
}

int sohoa_index_audit_append(sohoa_index *idx, const sohoa_index_audit_entry *e)
{
	return sohoa_index_audit_append_many(idx, e, 1);
}

/* The chain of `n` rows against the head file: it must exist once there are
 * rows, the chain must reach its row count, and the row there must have its
 * hash. Rows past the head are accepted (a crash between the commit and the
 * head write). */
static int check_head(sohoa_index *idx, size_t n, sqlite3_int64 head_rows, const char *head,
		      const char *at_head)
{
	char *path = head_path(idx);
	int rc = 0;

	if (!path)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	if (head_rows < 0 && n > 0)
		rc = sohoa_error_set(SOHOA_EVERIFY,
				     _("audit: %s is missing, so rows removed from the end "
				       "could not be seen"),
				     path);
	else if (head_rows > (sqlite3_int64)n)
		rc = sohoa_error_set(SOHOA_EVERIFY,
				     _("audit: truncated: %s records %lld rows, the table "
				       "holds %zu"),
				     path, (long long)head_rows, n);
	else if (head_rows > 0 && strcmp(at_head, head) != 0)
		rc = sohoa_error_set(SOHOA_EVERIFY,
				     _("audit: the chain was rewritten: row %lld does not have "
				       "the hash %s records"),
				     (long long)head_rows, path);
	free(path);
	return rc;
}

int sohoa_index_audit_verify(sohoa_index *idx, size_t *rows)
{
	char prev[SOHOA_SHA256_HEX_LEN + 1] = GENESIS, hash[SOHOA_SHA256_HEX_LEN + 1];
	char head[SOHOA_SHA256_HEX_LEN + 1] = "", at_head[SOHOA_SHA256_HEX_LEN + 1] = "";
	sqlite3_stmt *st = NULL;
	sqlite3_int64 expect = 1, head_rows = -1;
	size_t n = 0;
	int rc, step = SQLITE_DONE;

	if (rows)
		*rows = 0;
	if ((rc = head_read(idx, &head_rows, head)) < 0)
		return rc;
	if (sqlite3_prepare_v2(idx->db,
			       "SELECT id, agency, time, endpoint, query, status, result_count,"
			       " request_id, prev_hash, hash FROM audit ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return index_db_error(idx, _("audit: cannot read"));
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
#define T(i)                                                                                       \
	((const char *)sqlite3_column_text(st, i) ? (const char *)sqlite3_column_text(st, i) : "")
		audit_row r = {.id = sqlite3_column_int64(st, 0),
			       .agency = T(1),
			       .time = T(2),
			       .endpoint = T(3),
			       .query = T(4),
			       .status = sqlite3_column_int(st, 5),
			       .count = sqlite3_column_int64(st, 6),
			       .request_id = T(7),
			       .prev = prev};
		if (r.id != expect)
			rc = sohoa_error_set(SOHOA_EVERIFY, _("audit: row %lld is missing"),
					     (long long)expect);
		else if (strcmp(T(8), prev) != 0)
			rc = sohoa_error_set(SOHOA_EVERIFY,
					     _("audit: row %lld does not follow row %lld"),
					     (long long)r.id, (long long)r.id - 1);
		else if ((rc = row_hash(idx, hash, &r)) == 0 && strcmp(hash, T(9)) != 0)
			rc = sohoa_error_set(SOHOA_EVERIFY,
					     _("audit: row %lld was altered (hash mismatch)"),
					     (long long)r.id);
		if (rc == 0) {
			snprintf(prev, sizeof prev, "%s", T(9));
			if (r.id == head_rows)
				snprintf(at_head, sizeof at_head, "%s", prev);
			expect++;
			n++;
		}
#undef T
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = index_db_error(idx, _("audit: cannot read"));
	sqlite3_finalize(st);
	if (rows)
		*rows = n;
	return rc < 0 ? rc : check_head(idx, n, head_rows, head, at_head);
}
