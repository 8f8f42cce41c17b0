/* tests/walsync.h: counts the completed syncs of SQLite write-ahead logs in
 * this process, for tests that a row is on disk before an answer goes out.
 * Link tests/walsync.c into the test: it interposes fdatasync(). */
#ifndef SOHOA_TESTS_WALSYNC_H
#define SOHOA_TESTS_WALSYNC_H

/* Completed fdatasync() calls on files whose names end in "-wal". */
int tu_wal_syncs(void);

#endif
