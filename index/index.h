/* index/index.h: the one public header of index/ — the store's catalog (SQLite
 * in WAL mode, full-text search with FTS5). It starts with opening the catalog;
 * adding and querying documents follow. */
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

#endif
