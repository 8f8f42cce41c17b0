/* tests/pipeline/runfixture.h: what the `sohoa run` tests share — small
 * synthetic pages cut from the OCR test page, inboxes of dossiers, demo keys
 * made once per program, running the real binary, reading the journal and
 * verifying packages. */
#ifndef SOHOA_TEST_RUNFIXTURE_H
#define SOHOA_TEST_RUNFIXTURE_H

#include "testutil.h"

#include <stddef.h>

/* Demo keys (sohoa keys demo) in a directory made once per program. */
extern char *rf_keys;
int rf_keys_setup(void **state);
int rf_keys_teardown(void **state);

/* Writes a small 300 dpi G4 TIFF page to `path`: band `band` (0..3) of the
 * OCR test page, so pages with different bands differ. */
void rf_page(const char *path, int band);

/* Makes INBOX/<name>/ as an image-only dossier of `pages` pages
 * (p1.tif, p2.tif…, bands starting at `band`). Returns the folder (malloc'd). */
char *rf_dossier(const char *inbox, const char *name, int pages, int band);

/* argv for `sohoa run INBOX --store STORE --jobs 2 --seal-key … --report R`
 * plus `extra` (may be NULL); the strings live until rf_run_args_free. */
typedef struct {
	char *argv[24];
	int argc;
} rf_args;
void rf_run_args(rf_args *a, const char *inbox, const char *store, const char *report);
void rf_run_args_free(rf_args *a);

/* Integer result of `sql` on STORE/catalog.sqlite (-1 when it fails). */
long rf_query(const char *store, const char *sql);

/* 1 when the package folder verifies with the demo root (signatures and
 * files) and has exactly one signature, else 0 with the reason printed. */
int rf_verifies(const char *package);
/* The same with `nsigs` signatures. */
int rf_verifies_n(const char *package, size_t nsigs);

/* A word of `text` the catalog tokenises as one: at least 5 bytes of letters
 * (ASCII, or the UTF-8 of Vietnamese letters) between non-letters, the
 * `skip`-th such. malloc'd, NULL when there is none. */
char *rf_word(const char *text, int skip);

/* Whether `path` exists. */
int rf_exists(const char *path);

#endif
