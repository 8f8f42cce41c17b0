/* index/agency.c: the agencies allowed to query the lookup service — random
 * tokens of which only the SHA-256 is kept, revocation, authentication. */
#include "index/internal.h"

#include <ctype.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

int sohoa_index_valid_agency_name(const char *name)
{
	size_t n = 0;
	if (!name)
		return 0;
	for (; name[n]; n++)
		if (!isalnum((unsigned char)name[n]) && !strchr("._-", name[n]))
			return 0;
	return n >= 1 && n <= 64;
}

static int token_hash(char hex[SOHOA_SHA256_HEX_LEN + 1], const char *token)
{
	uint8_t md[SOHOA_SHA256_LEN];
	int rc = sohoa_sha256(md, token, strlen(token));
	if (rc == 0)
		sohoa_hex(hex, md, sizeof md);
	return rc;
}

int sohoa_index_agency_add(sohoa_index *idx, const char *name,
			   char token[SOHOA_INDEX_TOKEN_LEN + 1])
{
	uint8_t raw[SOHOA_INDEX_TOKEN_LEN / 2];
	char hash[SOHOA_SHA256_HEX_LEN + 1];
	sqlite3_stmt *st = NULL;
	int rc, step;

	token[0] = '\0';
	if (!sohoa_index_valid_agency_name(name))
		return sohoa_error_set(
			SOHOA_EINVAL,
			_("agency name '%s': use 1 to 64 letters, digits, '.', '_' or '-'"),
			name ? name : "");
	if (RAND_bytes(raw, sizeof raw) != 1)
		return sohoa_error_set(SOHOA_ECRYPTO, _("no random bytes for a token"));
	sohoa_hex(token, raw, sizeof raw);
	rc = token_hash(hash, token);
	if (rc == 0)
		rc = index_stmt(&st, idx, ST_AGENCY_ADD);
	if (rc < 0)
		goto cleanup;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_CONSTRAINT)
		rc = sohoa_error_set(SOHOA_EEXISTS, _("agency '%s' already exists"), name);
	else if (step != SQLITE_DONE)
		rc = index_db_error(idx, _("cannot add an agency"));
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
cleanup:
	if (rc < 0)
		memset(token, 0, SOHOA_INDEX_TOKEN_LEN + 1);
	return rc;
}

int sohoa_index_agency_revoke(sohoa_index *idx, const char *name)
{
	sqlite3_stmt *st = NULL;
	int rc = index_stmt(&st, idx, ST_AGENCY_REVOKE);
	if (rc < 0)
		return rc;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = index_db_error(idx, _("cannot revoke an agency"));
	else if (sqlite3_changes(idx->db) == 0)
		rc = sohoa_error_set(SOHOA_ENOTFOUND, _("no active agency named '%s'"), name);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

/* The token's SHA-256 (hex): the one of the last token seen on this handle
 * when it is the same (compared in constant time, so the time taken says
 * nothing of the cached token), else computed and remembered. Caching the
 * hash is as safe as computing it: the agency is still looked up by it on
 * each call, so a revocation takes effect at once. */
static int auth_hash(sohoa_index *idx, char hash[SOHOA_SHA256_HEX_LEN + 1], const char *token)
{
	int rc;
	if (idx->auth_hash[0] &&
	    CRYPTO_memcmp(idx->auth_token, token, SOHOA_INDEX_TOKEN_LEN) == 0) {
		memcpy(hash, idx->auth_hash, SOHOA_SHA256_HEX_LEN + 1);
		return 0;
	}
	if ((rc = token_hash(hash, token)) < 0)
		return rc;
	memcpy(idx->auth_token, token, SOHOA_INDEX_TOKEN_LEN + 1);
	memcpy(idx->auth_hash, hash, SOHOA_SHA256_HEX_LEN + 1);
	return 0;
}

int sohoa_index_agency_auth(sohoa_index *idx, const char *token, char name[65])
{
	char hash[SOHOA_SHA256_HEX_LEN + 1];
	sqlite3_stmt *st = NULL;
	int rc, step;

	name[0] = '\0';
	if (!token || strlen(token) != SOHOA_INDEX_TOKEN_LEN)
		return sohoa_error_set(SOHOA_EAUTH, _("unknown token"));
	rc = auth_hash(idx, hash, token);
	if (rc == 0)
		rc = index_stmt(&st, idx, ST_AGENCY_AUTH);
	if (rc < 0)
		return rc;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		snprintf(name, 65, "%s", (const char *)sqlite3_column_text(st, 0));
		if (sqlite3_column_int(st, 1))
			rc = sohoa_error_set(SOHOA_EPERM, _("agency '%s': token revoked"), name);
	} else if (step == SQLITE_DONE) {
		rc = sohoa_error_set(SOHOA_EAUTH, _("unknown token"));
	} else {
		rc = index_db_error(idx, _("cannot check a token"));
	}
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc;
}

int sohoa_index_agency_list(sohoa_index *idx, sohoa_index_agency **out, size_t *count)
{
	sqlite3_stmt *st = NULL;
	sohoa_index_agency *list = NULL;
	size_t n = 0;
	int rc = 0, step;

	*out = NULL;
	*count = 0;
	if (sqlite3_prepare_v2(
		    idx->db,
		    "SELECT name, created, coalesce(revoked, '') FROM agencies ORDER BY name", -1,
		    &st, NULL) != SQLITE_OK)
		return index_db_error(idx, _("cannot list agencies"));
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		sohoa_index_agency *grown = realloc(list, (n + 1) * sizeof *list);
		if (!grown) {
			rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
			goto cleanup;
		}
		list = grown;
		list[n].name = strdup((const char *)sqlite3_column_text(st, 0));
		list[n].created = strdup((const char *)sqlite3_column_text(st, 1));
		list[n].revoked = strdup((const char *)sqlite3_column_text(st, 2));
		n++;
		if (!list[n - 1].name || !list[n - 1].created || !list[n - 1].revoked) {
			rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
			goto cleanup;
		}
	}
	if (step != SQLITE_DONE)
		rc = index_db_error(idx, _("cannot list agencies"));
cleanup:
	sqlite3_finalize(st);
	if (rc < 0) {
		sohoa_index_agency_list_free(list, n);
		return rc;
	}
	*out = list;
	*count = n;
	return 0;
}

void sohoa_index_agency_list_free(sohoa_index_agency *list, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(list[i].name);
		free(list[i].created);
		free(list[i].revoked);
	}
	free(list);
}
