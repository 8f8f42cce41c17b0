/* tests/pipeline/runfixture.c: fixtures of the `sohoa run` tests. */
#include "runfixture.h"

#include <leptonica/allheaders.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "signer/signer.h"

char *rf_keys;

int rf_keys_setup(void **state)
{
	(void)state;
	rf_keys = tu_mkdtemp();
	return sohoa_signer_keys_demo(rf_keys) == 0 ? 0 : -1;
}

int rf_keys_teardown(void **state)
{
	(void)state;
	tu_rmtree(rf_keys);
	free(rf_keys);
	return 0;
}

void rf_page(const char *path, int band)
{
	PIX *page = pixRead(SOHOA_SOURCE_DIR "/tests/ocr/data/page.tif"), *cut;
	BOX *box;
	assert_non_null(page);
	/* Three or four lines of text from a different part of the page. */
	box = boxCreate(0, 120 + (band % 4) * 230, pixGetWidth(page), 260);
	cut = pixClipRectangle(page, box, NULL);
	assert_non_null(cut);
	pixSetResolution(cut, 300, 300);
	assert_int_equal(pixWriteTiff(path, cut, IFF_TIFF_G4, "w"), 0);
	pixDestroy(&cut);
	boxDestroy(&box);
	pixDestroy(&page);
}

char *rf_dossier(const char *inbox, const char *name, int pages, int band)
{
	char *dir = tu_path(inbox, name);
	mkdir(inbox, 0755);
	assert_int_equal(mkdir(dir, 0755), 0);
	for (int i = 0; i < pages; i++) {
		char file[32], *p;
		snprintf(file, sizeof file, "p%d.tif", i + 1);
		p = tu_path(dir, file);
		rf_page(p, band + i);
		free(p);
	}
	return dir;
}

void rf_run_args(rf_args *a, const char *inbox, const char *store, const char *report)
{
	int n = 0;
	a->argv[n++] = strdup(SOHOA_BIN);
	a->argv[n++] = strdup("run");
	a->argv[n++] = strdup(inbox);
	a->argv[n++] = strdup("--store");
	a->argv[n++] = strdup(store);
	a->argv[n++] = strdup("--jobs");
	a->argv[n++] = strdup("2");
	a->argv[n++] = strdup("--seal-key");
	a->argv[n++] = tu_path(rf_keys, "seal.key.pem");
	a->argv[n++] = strdup("--cert");
	a->argv[n++] = tu_path(rf_keys, "seal.pem");
	if (report) {
		a->argv[n++] = strdup("--report");
		a->argv[n++] = strdup(report);
	}
	a->argv[n] = NULL;
	a->argc = n;
}

void rf_run_args_free(rf_args *a)
{
	for (int i = 0; i < a->argc; i++)
		free(a->argv[i]);
	a->argc = 0;
}

long rf_query(const char *store, const char *sql)
{
	char *path = tu_path(store, "catalog.sqlite");
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long v = -1;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_busy_timeout(db, 5000);
		if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW)
			v = (long)sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	free(path);
	return v;
}

int rf_verifies(const char *package)
{
	return rf_verifies_n(package, 1);
}

int rf_verifies_n(const char *package, size_t nsigs)
{
	char *root = tu_path(rf_keys, "root-ca.pem");
	sohoa_signer_verifier *v = NULL;
	sohoa_signer_report *r = NULL;
	int ok;
	assert_int_equal(sohoa_signer_verifier_new(&v, root, NULL), 0);
	assert_int_equal(sohoa_signer_verify_package(&r, v, package), 0);
	ok = r->passed && r->nsigs == nsigs;
	if (!ok)
		sohoa_signer_report_write_text(stderr, r, "en");
	sohoa_signer_report_free(r);
	sohoa_signer_verifier_free(v);
	free(root);
	return ok;
}

int rf_exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

char *rf_word(const char *text, int skip)
{
	const unsigned char *p = (const unsigned char *)text;
	while (*p) {
		const unsigned char *w = p;
		int ok = 1;
		while (((*p | 32) >= 'a' && (*p | 32) <= 'z') || *p >= 0x80) {
			ok &= *p != 0xE2; /* dashes, quotes, bullets: U+2000.. */
			p++;
		}
		if (ok && p - w >= 5 && skip-- == 0)
			return strndup((const char *)w, (size_t)(p - w));
		if (p == w)
			p++;
	}
	return NULL;
}
