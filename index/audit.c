/* index/audit.c: the lookup service's audit table — append-only rows, each
 * chained by SHA-256 to the one before, and the check of that chain. */
#include "index/internal.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

/* The fields of one row as hashed: each as "\n<length>:<bytes>", so no two
 * different rows give the same input. */
typedef struct {
	sqlite3_int64 id;
	const char *agency, *time, *endpoint, *query, *request_id, *prev;
	int status;
	sqlite3_int64 count;
} audit_row;

static int row_hash(char hex[SOHOA_SHA256_HEX_LEN + 1], const audit_row *r)
{
	char num[3][32];
	const char *fields[] = {r->prev,  num[0], r->agency, r->time,      r->endpoint,
				r->query, num[1], num[2],    r->request_id};
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t md[SOHOA_SHA256_LEN];
	unsigned int n = 0;
	int ok;

	snprintf(num[0], sizeof num[0], "%lld", (long long)r->id);
	snprintf(num[1], sizeof num[1], "%d", r->status);
	snprintf(num[2], sizeof num[2], "%lld", (long long)r->count);
	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
	for (size_t i = 0; ok && i < sizeof fields / sizeof fields[0]; i++) {
		char len[32];
		int k = snprintf(len, sizeof len, "\n%zu:", strlen(fields[i]));
		ok = EVP_DigestUpdate(ctx, len, (size_t)k) == 1 &&
		     EVP_DigestUpdate(ctx, fields[i], strlen(fields[i])) == 1;
	}
	ok = ok && EVP_DigestFinal_ex(ctx, md, &n) == 1 && n == SOHOA_SHA256_LEN;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return sohoa_error_set(SOHOA_ECRYPTO, _("audit: SHA-256 failed"));
	sohoa_hex(hex, md, sizeof md);
	return 0;
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

int sohoa_index_audit_append(sohoa_index *idx, const sohoa_index_audit_entry *e)
{
	char now[32], prev[SOHOA_SHA256_HEX_LEN + 1] = GENESIS, hash[SOHOA_SHA256_HEX_LEN + 1];
	sqlite3_stmt *last = NULL, *ins = NULL;
	audit_row r = {.agency = or_dash(e->agency),
		       .endpoint = or_dash(e->endpoint),
		       .query = e->query ? e->query : "",
		       .request_id = or_dash(e->request_id),
		       .status = e->status,
		       .count = e->result_count,
		       .time = now,
		       .prev = prev};
	int rc = index_stmt(&last, idx, ST_AUDIT_LAST), step;

	if (rc < 0 || (rc = index_stmt(&ins, idx, ST_AUDIT_INSERT)) < 0 ||
	    (rc = index_begin(idx)) < 0)
		return rc;
	step = sqlite3_step(last);
	r.id = 1;
	if (step == SQLITE_ROW) {
		r.id = sqlite3_column_int64(last, 0) + 1;
		snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(last, 1));
	} else if (step != SQLITE_DONE) {
		rc = index_db_error(idx, _("audit: cannot read the last row"));
	}
	sqlite3_reset(last);
	utc_now(now);
	if (rc == 0)
		rc = row_hash(hash, &r);
	if (rc == 0) {
		const char *text[] = {r.agency, r.time, r.endpoint, r.query};
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
	}
	if (rc < 0) {
		index_rollback(idx);
		return rc;
	}
	return index_commit(idx);
}

int sohoa_index_audit_verify(sohoa_index *idx, size_t *rows)
{
	char prev[SOHOA_SHA256_HEX_LEN + 1] = GENESIS, hash[SOHOA_SHA256_HEX_LEN + 1];
	sqlite3_stmt *st = NULL;
	sqlite3_int64 expect = 1;
	size_t n = 0;
	int rc = 0, step;

	if (rows)
		*rows = 0;
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
		else if ((rc = row_hash(hash, &r)) == 0 && strcmp(hash, T(9)) != 0)
			rc = sohoa_error_set(SOHOA_EVERIFY,
					     _("audit: row %lld was altered (hash mismatch)"),
					     (long long)r.id);
		if (rc == 0) {
			snprintf(prev, sizeof prev, "%s", T(9));
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
	return rc;
}
