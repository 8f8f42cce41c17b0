/* tests/testutil.h: helpers shared by the tests — scratch directories and
 * running the real `sohoa` binary with its output captured. */
#ifndef SOHOA_TESTUTIL_H
#define SOHOA_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* Creates a fresh directory under $TMPDIR (or /tmp); the caller frees the
 * returned path and removes the tree with tu_rmtree. */
char *tu_mkdtemp(void);
void tu_rmtree(const char *path);

/* A scratch directory per test, as cmocka setup/teardown: *state is a
 * tu_scratch whose dir is made before the test and removed after it. */
typedef struct {
	char *dir;
} tu_scratch;
int tu_scratch_setup(void **state);
int tu_scratch_teardown(void **state);
/* malloc'd "a/b". */
char *tu_path(const char *dir, const char *name);
/* Writes `len` bytes to `path` (plain write, for fixtures). */
void tu_write(const char *path, const void *data, size_t len);
/* Number of entries in `dir` (excluding . and ..). */
int tu_count_entries(const char *dir);

typedef struct {
	int status;   /* exit status, or 128+signal */
	char *out;    /* captured stdout, NUL-terminated */
	char *err;    /* captured stderr */
} tu_run_result;

/* Runs argv (argv[0] is the program path) with extra environment entries
 * (NAME=VALUE, NULL-terminated list, may be NULL), captures its output. */
tu_run_result tu_run(char *const argv[], char *const env[]);
void tu_run_free(tu_run_result *r);
/* Number of '\n'-terminated lines in s. */
int tu_lines(const char *s);

#endif
