/* tests/pipeline/test_run.c: `sohoa run` end to end on small generated
 * dossiers — every page's text, ALTO, PDF and archival image and every
 * package exist and verify, the report and the journal agree with the store,
 * a rerun does nothing, every document is found by `sohoa search` and
 * `lookup` at its package, changed input makes a new version that alone is
 * found, bad dossiers are quarantined with precise reasons while the good ones
 * go on, a locked store is refused, and `sohoa status` tells all of it. */
#include "runfixture.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

/* A manifest asking for a leader's approval, with pages p1.tif and p2.tif. */
static const char leader_manifest[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<dossier xmlns=\"urn:sohoa:intake:1\" code=\"000.20.31.H56-231205-0014\">\n"
	"  <procedure code=\"1.001612\" approval=\"leader\">Đăng ký thành lập hộ kinh "
	"doanh</procedure>\n"
	"  <received>2023-12-05T14:20:00+07:00</received>\n"
	"  <agency code=\"000.20.31.H56\">Phòng Tài chính - Kế hoạch quận Hải Châu</agency>\n"
	"  <applicant id=\"048186007321\"><name>Phan Thị Ngọc Lan</name></applicant>\n"
	"  <document kind=\"component\" type=\"Giấy đề nghị\">\n"
	"    <title>Giấy đề nghị đăng ký hộ kinh doanh</title>\n"
	"    <page file=\"p1.tif\"/>\n"
	"  </document>\n"
	"  <document kind=\"result\" type=\"Giấy chứng nhận\" number=\"32A8019874\" "
	"issued=\"2023-12-08\">\n"
	"    <title>Giấy chứng nhận đăng ký hộ kinh doanh</title>\n"
	"    <page file=\"p2.tif\"/>\n"
	"  </document>\n"
	"</dossier>\n";

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

static int count_of(const char *s, const char *needle)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* The hits of dossier `code` in the JSON of `sohoa search` or `lookup`: how
 * many, failing when one of them is not at `package`. */
static int hits_of(const char *json, const char *code, const char *package)
{
	char key[160], want[200];
	int n = 0;
	snprintf(key, sizeof key, "\"dossier_code\":\"%s\"", code);
	snprintf(want, sizeof want, "\"package_path\":\"%s\"", package);
	for (const char *h = strstr(json, key); h; h = strstr(h + 1, key)) {
		const char *pkg = strstr(h, "\"package_path\":");
		if (!pkg || strncmp(pkg, want, strlen(want)) != 0)
			fail_msg("a hit of %s is not at %s: %.300s", code, package, h);
		n++;
	}
	return n;
}

/* JSON output of `sohoa <cmd> --store STORE --json <opt> <arg>` (exit 0). */
static char *sohoa_json(const char *store, const char *cmd, const char *opt, const char *arg)
{
	char *argv[] = {SOHOA_BIN, (char *)cmd, "--store",   (char *)store,
			"--json",  (char *)opt, (char *)arg, NULL};
	tu_run_result r = tu_run(argv, NULL);
	if (r.status != 0)
		fail_msg("sohoa %s %s: %d: %s", cmd, arg, r.status, r.err);
	free(r.err);
	return r.out;
}

/* A word of the text of `store`/`package`/docs/1.txt. */
static char *package_word(const char *store, const char *package, int skip)
{
	char rel[256], *path, *text, *word;
	snprintf(rel, sizeof rel, "%s/docs/1.txt", package);
	path = tu_path(store, rel);
	text = read_all(path);
	assert_non_null(text);
	word = rf_word(text, skip);
	if (!word)
		fail_msg("%s: no word of 5 letters in: %s", path, text);
	free(text);
	free(path);
	return word;
}

static void assert_file_in(const char *dir, const char *name)
{
	char *p = tu_path(dir, name);
	if (!rf_exists(p))
		fail_msg("missing %s", p);
	free(p);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_run_packages_every_page_and_report_matches_store(void **state)
{
	tu_scratch *s = *state;
	char *inbox = tu_path(s->dir, "inbox"), *store = tu_path(s->dir, "store");
	char *report = tu_path(s->dir, "report.json"), *json, *dm;
	const char *names[] = {"HS-0001", "HS-0002", "000.20.31.H56-231205-0014"};
	rf_args a;
	tu_run_result r;

	free(rf_dossier(inbox, names[0], 1, 0));
	free(rf_dossier(inbox, names[1], 2, 1));
	dm = rf_dossier(inbox, names[2], 2, 2);
	char *mpath = tu_path(dm, "dossier.xml");
	tu_write(mpath, leader_manifest, strlen(leader_manifest));
	rf_run_args(&a, inbox, store, report);
	r = tu_run(a.argv, NULL);
	if (r.status != 0)
		fail_msg("sohoa run: %d: %s", r.status, r.err);
	assert_string_equal(r.err, ""); /* not a terminal: nothing but errors */
	json = read_all(report);
	assert_non_null(json);
	assert_int_equal(count_of(json, "\"status\": \"packaged\""), 3);
	assert_non_null(strstr(json, "\"packaged\": 3, \"skipped\": 0, \"quarantined\": 0, "
				     "\"pages\": 5"));
	for (size_t i = 0; i < 3; i++) {
		char rel[128], *pkg;
		snprintf(rel, sizeof rel, "\"package\": \"packages/%s\"", names[i]);
		assert_non_null(strstr(json, rel));
		snprintf(rel, sizeof rel, "packages/%s", names[i]);
		pkg = tu_path(store, rel);
		assert_file_in(pkg, "package.xml");
		assert_file_in(pkg, "pages/0001.tif");
		assert_file_in(pkg, "pages/0001.alto.xml");
		assert_file_in(pkg, "docs/1.txt");
		assert_file_in(pkg, "docs/1.pdf");
		if (i > 0) {
			assert_file_in(pkg, "pages/0002.tif");
			assert_file_in(pkg, "pages/0002.alto.xml");
		}
		char *txt = tu_path(pkg, "docs/1.txt"), *text = read_all(txt);
		assert_true(strlen(text) > 20); /* recognised text, not an empty file */
		free(text);
		free(txt);
		assert_true(rf_verifies(pkg));
		free(pkg);
	}
	/* The manifest's two documents give two text and PDF files. */
	char *two = tu_path(store, "packages/000.20.31.H56-231205-0014/docs/2.pdf");
	assert_true(rf_exists(two));
	free(two);
	assert_int_equal(rf_query(store, "SELECT count(*) FROM journal_dossiers WHERE "
					 "status='done' AND stage='done' AND sealed=1"),
			 3);
	assert_int_equal(rf_query(store, "SELECT count(*) FROM journal_pages WHERE status='done'"),
			 5);
	char *tmp = tu_path(store, "tmp");
	assert_int_equal(tu_count_entries(tmp), 0);
	free(tmp);
	tu_run_free(&r);

	/* Indexed as it was packaged: a word of a page finds its dossier, the
	 * citizen id the manifest's documents, both at their package; the
	 * journal says so. */
	for (size_t i = 0; i < 3; i++) {
		char rel[128], *word, *out;
		snprintf(rel, sizeof rel, "packages/%s", names[i]);
		word = package_word(store, rel, 0);
		out = sohoa_json(store, "search", "--limit=1000", word);
		if (hits_of(out, names[i], rel) < 1)
			fail_msg("search '%s' does not find %s: %s", word, names[i], out);
		free(out);
		free(word);
	}
	char *found = sohoa_json(store, "lookup", "--citizen-id", "048186007321");
	assert_int_equal(hits_of(found, names[2], "packages/000.20.31.H56-231205-0014"), 2);
	assert_non_null(strstr(found, "\"count\":2"));
	assert_non_null(strstr(found, "\"notation\":\"32A8019874\""));
	assert_non_null(strstr(found, "\"signature\":\"sealed\""));
	free(found);
	assert_int_equal(rf_query(store, "SELECT count(*) FROM documents"), 4);
	/* three dossiers' batches, merged into one full-text segment at the end */
	assert_int_equal(rf_query(store, "SELECT count(DISTINCT segid) FROM documents_fts_idx"), 1);
	assert_int_equal(rf_query(store, "SELECT count(*) FROM journal_dossiers WHERE indexed=1"),
			 3);

	/* A rerun over the finished inbox does no work. */
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	r = tu_run(a.argv, NULL);
	double rerun = seconds_since(&t0);
	assert_int_equal(r.status, 0);
	free(json);
	json = read_all(report);
	assert_non_null(strstr(json, "\"packaged\": 0, \"skipped\": 3, \"quarantined\": 0, "
				     "\"pages\": 0"));
	assert_int_equal(rf_query(store, "SELECT count(*) FROM journal_dossiers"), 3);
	print_message("rerun over 3 finished dossiers: %.3f s (process start included)\n", rerun);
	tu_run_free(&r);

	/* `sohoa status` counts them and names the one awaiting a leader. */
	char *st_argv[] = {SOHOA_BIN, "status", "--store", store, "--json", NULL};
	r = tu_run(st_argv, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "{\"status\": \"done\", \"stage\": \"done\", \"count\": 3}"));
	assert_non_null(strstr(r.out, "\"awaiting_leader\": [\n    {\"folder\": "
				      "\"000.20.31.H56-231205-0014\""));
	assert_non_null(strstr(r.out, "\"quarantined\": []"));
	tu_run_free(&r);

	/* A leader signs what waits for one, in one go; the journal keeps it. */
	char *lkey = tu_path(rf_keys, "leader-rsa.key.pem"),
	     *lcert = tu_path(rf_keys, "leader-rsa.pem");
	char *sign_argv[] = {SOHOA_BIN, "sign",   "--pending", "--store", store, "--key",
			     lkey,      "--cert", lcert,       "--yes",   NULL};
	r = tu_run(sign_argv, NULL);
	if (r.status != 0)
		fail_msg("sign --pending: %d: %s", r.status, r.err);
	assert_int_equal(tu_lines(r.out), 1);
	assert_non_null(strstr(r.out, "000.20.31.H56-231205-0014: signed (leader)"));
	tu_run_free(&r);
	char *leader_pkg = tu_path(store, "packages/000.20.31.H56-231205-0014");
	assert_true(rf_verifies_n(leader_pkg, 2));
	free(leader_pkg);
	assert_int_equal(rf_query(store, "SELECT count(*) FROM journal_signatures WHERE "
					 "role='leader' AND signer LIKE '%CN=%' AND signed_at > 0"),
			 1);
	/* The catalog (what `sohoa search` and agencies see) says so too, for
	 * that package's documents only. */
	assert_int_equal(rf_query(store, "SELECT count(*) FROM documents WHERE signature="
					 "'leader-signed'"),
			 rf_query(store, "SELECT count(*) FROM documents WHERE package_path="
					 "'packages/000.20.31.H56-231205-0014'"));
	assert_true(rf_query(store, "SELECT count(*) FROM documents WHERE signature="
				    "'leader-signed'") >= 1);
	assert_int_equal(rf_query(store, "SELECT count(*) FROM documents WHERE signature="
					 "'sealed'"),
			 rf_query(store, "SELECT count(*) FROM documents") -
				 rf_query(store, "SELECT count(*) FROM documents WHERE signature="
						 "'leader-signed'"));
	r = tu_run(st_argv, NULL);
	assert_non_null(strstr(r.out, "\"awaiting_leader\": []"));
	tu_run_free(&r);
	r = tu_run(sign_argv, NULL); /* nothing left */
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "No package awaits"));
	tu_run_free(&r);
	free(lkey);
	free(lcert);
	rf_run_args_free(&a);
	free(mpath);
	free(dm);
	free(json);
	free(report);
	free(inbox);
	free(store);
}

static void test_changed_input_makes_new_version_and_keeps_the_old(void **state)
{
	tu_scratch *s = *state;
	char *inbox = tu_path(s->dir, "inbox"), *store = tu_path(s->dir, "store");
	char *dir = rf_dossier(inbox, "HS-0009", 1, 0), *page = tu_path(dir, "p1.tif");
	rf_args a;
	tu_run_result r;

	rf_run_args(&a, inbox, store, NULL);
	r = tu_run(a.argv, NULL);
	assert_int_equal(r.status, 0);
	tu_run_free(&r);
	char *old_word = package_word(store, "packages/HS-0009", 0), *out;
	out = sohoa_json(store, "search", "--limit=1000", old_word);
	assert_int_equal(hits_of(out, "HS-0009", "packages/HS-0009"), 1);
	free(out);
	rf_page(page, 3); /* rescanned */
	r = tu_run(a.argv, NULL);
	assert_int_equal(r.status, 0);
	tu_run_free(&r);
	/* Only the new version is found, by its text, by the old one's text
	 * (when the rescan still has the word) and by its code. */
	char *new_word = package_word(store, "packages/HS-0009.v2", 0);
	out = sohoa_json(store, "search", "--limit=1000", new_word);
	assert_int_equal(hits_of(out, "HS-0009", "packages/HS-0009.v2"), 1);
	free(out);
	out = sohoa_json(store, "search", "--limit=1000", old_word);
	assert_true(hits_of(out, "HS-0009", "packages/HS-0009.v2") <= 1);
	free(out);
	out = sohoa_json(store, "lookup", "--dossier", "HS-0009");
	assert_int_equal(hits_of(out, "HS-0009", "packages/HS-0009.v2"), 1);
	assert_non_null(strstr(out, "\"version\":2"));
	free(out);
	assert_int_equal(rf_query(store, "SELECT count(*) FROM documents"), 1);
	assert_int_equal(rf_query(store, "SELECT count(*) FROM journal_dossiers WHERE "
					 "indexed=1 AND version=2 AND status='done'"),
			 1);
	assert_int_equal(rf_query(store, "SELECT count(*) FROM journal_dossiers WHERE indexed=1"),
			 1);
	free(old_word);
	free(new_word);
	char *v1 = tu_path(store, "packages/HS-0009"), *v2 = tu_path(store, "packages/HS-0009.v2");
	assert_true(rf_verifies(v1));
	assert_true(rf_verifies(v2));
	assert_int_equal(
		rf_query(store, "SELECT count(*) FROM journal_dossiers WHERE "
				"status='superseded' AND version=1 AND superseded_by IS NOT NULL"),
		1);
	assert_int_equal(rf_query(store,
				  "SELECT count(*) FROM journal_dossiers WHERE "
				  "status='done' AND version=2 AND package='packages/HS-0009.v2'"),
			 1);
	free(v1);
	free(v2);
	rf_run_args_free(&a);
	free(page);
	free(dir);
	free(inbox);
	free(store);
}

/* Runs `sql` on STORE/catalog.sqlite, read-write. */
static void exec_sql(const char *store, const char *sql)
{
	char *path = tu_path(store, "catalog.sqlite");
	sqlite3 *db = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_close(db);
	free(path);
}

static void test_rerun_indexes_what_an_older_sohoa_packaged(void **state)
{
	tu_scratch *s = *state;
	char *inbox = tu_path(s->dir, "inbox"), *store = tu_path(s->dir, "store"), *word, *out;
	rf_args a;
	tu_run_result r;

	free(rf_dossier(inbox, "HS-0011", 1, 2));
	rf_run_args(&a, inbox, store, NULL);
	r = tu_run(a.argv, NULL);
	assert_int_equal(r.status, 0);
	tu_run_free(&r);
	/* As a store made before sohoa indexed: packaged, not in the catalog. */
	exec_sql(store, "DELETE FROM documents_fts; DELETE FROM documents;"
			"UPDATE journal_dossiers SET indexed=0");
	r = tu_run(a.argv, NULL);
	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	tu_run_free(&r);
	assert_int_equal(rf_query(store, "SELECT count(*) FROM journal_dossiers WHERE "
					 "indexed=1 AND status='done' AND version=1"),
			 1);
	assert_int_equal(rf_query(store, "SELECT count(*) FROM documents WHERE "
					 "signature='sealed' AND package_path='packages/HS-0011'"),
			 1);
	word = package_word(store, "packages/HS-0011", 0);
	out = sohoa_json(store, "search", "--limit=1000", word);
	assert_int_equal(hits_of(out, "HS-0011", "packages/HS-0011"), 1);
	free(out);
	free(word);
	/* Signed by a leader before it was indexed (a crash in between): the
	 * catalog gets the leader's status, not the seal's. */
	exec_sql(store, "DELETE FROM documents_fts; DELETE FROM documents;"
			"UPDATE journal_dossiers SET indexed=0, leader_signed=1");
	r = tu_run(a.argv, NULL);
	assert_int_equal(r.status, 0);
	tu_run_free(&r);
	assert_int_equal(rf_query(store, "SELECT count(*) FROM documents WHERE signature="
					 "'leader-signed' AND package_path='packages/HS-0011'"),
			 1);
	rf_run_args_free(&a);
	free(inbox);
	free(store);
}

static void assert_reason(const char *store, const char *folder, const char *needle)
{
	char rel[256], *path, *text;
	snprintf(rel, sizeof rel, "quarantine/%s/reason.txt", folder);
	path = tu_path(store, rel);
	text = read_all(path);
	if (!text || !strstr(text, needle))
		fail_msg("%s: expected '%s' in: %s", path, needle, text ? text : "(missing)");
	free(text);
	free(path);
}

static void test_bad_dossiers_are_quarantined_and_the_good_go_on(void **state)
{
	tu_scratch *s = *state;
	char *inbox = tu_path(s->dir, "inbox"), *store = tu_path(s->dir, "store");
	char *report = tu_path(s->dir, "r.json");
	rf_args a;
	tu_run_result r;

	free(rf_dossier(inbox, "HS-GOOD", 1, 0));
	/* A hostile manifest: a DOCTYPE with an entity. */
	char *hostile = rf_dossier(inbox, "HS-HOSTILE", 1, 1), *m = tu_path(hostile, "dossier.xml");
	const char *evil = "<?xml version=\"1.0\"?>\n<!DOCTYPE dossier [<!ENTITY x \"boom\">]>\n"
			   "<dossier xmlns=\"urn:sohoa:intake:1\">&x;</dossier>\n";
	tu_write(m, evil, strlen(evil));
	free(m);
	/* A truncated image. */
	char *trunc = rf_dossier(inbox, "HS-TRUNC", 1, 2), *p = tu_path(trunc, "p1.tif");
	char *whole = read_all(p);
	tu_write(p, whole, 300);
	free(whole);
	free(p);
	/* A manifest naming a page that is not there (p2.tif). */
	char *missing = rf_dossier(inbox, "HS-MISSING", 1, 3);
	m = tu_path(missing, "dossier.xml");
	tu_write(m, leader_manifest, strlen(leader_manifest));
	free(m);
	/* Two folders with the same dossier code: the second is refused. */
	for (int i = 1; i <= 2; i++) {
		char name[16];
		snprintf(name, sizeof name, "HS-DUP%d", i);
		char *dup = rf_dossier(inbox, name, 2, 0);
		m = tu_path(dup, "dossier.xml");
		tu_write(m, leader_manifest, strlen(leader_manifest));
		free(m);
		free(dup);
	}
	/* An empty folder. */
	char *empty = tu_path(inbox, "HS-EMPTY");
	assert_int_equal(mkdir(empty, 0755), 0);

	rf_run_args(&a, inbox, store, report);
	r = tu_run(a.argv, NULL);
	assert_int_equal(r.status, 1);
	assert_int_equal(tu_lines(r.err), 5); /* one line per quarantined dossier */
	char *good = tu_path(store, "packages/HS-GOOD");
	assert_true(rf_verifies(good));
	assert_reason(store, "HS-HOSTILE", "HS-HOSTILE/dossier.xml");
	assert_reason(store, "HS-HOSTILE", "DOCTYPE");
	assert_reason(store, "HS-TRUNC", "HS-TRUNC/p1.tif");
	assert_reason(store, "HS-MISSING", "HS-MISSING/p2.tif");
	assert_reason(store, "HS-EMPTY", "HS-EMPTY");
	assert_reason(store, "HS-DUP2", "is also the code of folder");
	assert_reason(store, "HS-DUP2", "HS-DUP1");
	char *dup1 = tu_path(store, "packages/000.20.31.H56-231205-0014");
	assert_true(rf_verifies(dup1));
	free(dup1);
	/* A copy of what was there, and the inbox untouched. */
	char *copy = tu_path(store, "quarantine/HS-HOSTILE/dossier.xml");
	assert_true(rf_exists(copy));
	free(copy);
	copy = tu_path(store, "quarantine/HS-TRUNC/p1.tif");
	assert_true(rf_exists(copy));
	free(copy);
	assert_int_equal(tu_count_entries(trunc), 1);
	assert_int_equal(tu_count_entries(hostile), 2);
	char *json = read_all(report);
	assert_int_equal(count_of(json, "\"status\": \"quarantined\""), 5);
	assert_int_equal(count_of(json, "\"status\": \"packaged\""), 2);
	free(json);
	assert_int_equal(rf_query(store, "SELECT count(*) FROM journal_dossiers WHERE "
					 "status='quarantined' AND error IS NOT NULL"),
			 5);
	tu_run_free(&r);

	/* `sohoa status` lists them with their reasons. */
	char *st_argv[] = {SOHOA_BIN, "status", "--store", store, NULL};
	r = tu_run(st_argv, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "HS-TRUNC: "));
	assert_non_null(strstr(r.out, "HS-TRUNC/p1.tif"));
	tu_run_free(&r);

	/* Rerun: nothing new, the same five still reported, exit 1 again. */
	r = tu_run(a.argv, NULL);
	assert_int_equal(r.status, 1);
	json = read_all(report);
	assert_non_null(strstr(json, "\"packaged\": 0, \"skipped\": 2, \"quarantined\": 5"));
	free(json);
	tu_run_free(&r);

	/* The truncated page rescanned: packaged, out of quarantine. */
	p = tu_path(trunc, "p1.tif");
	rf_page(p, 2);
	free(p);
	r = tu_run(a.argv, NULL);
	assert_int_equal(r.status, 1);
	char *fixed = tu_path(store, "packages/HS-TRUNC"),
	     *q = tu_path(store, "quarantine/HS-TRUNC");
	assert_true(rf_verifies(fixed));
	assert_false(rf_exists(q));
	json = read_all(report);
	assert_non_null(strstr(json, "\"packaged\": 1, \"skipped\": 2, \"quarantined\": 4"));
	assert_int_equal(rf_query(store, "SELECT count(*) FROM journal_dossiers WHERE "
					 "status='quarantined'"),
			 4);
	free(json);
	free(fixed);
	free(q);
	tu_run_free(&r);
	rf_run_args_free(&a);
	free(good);
	free(empty);
	free(missing);
	free(trunc);
	free(hostile);
	free(report);
	free(inbox);
	free(store);
}

static void test_folder_the_catalog_cannot_name_is_quarantined_at_index(void **state)
{
	tu_scratch *s = *state;
	char *inbox = tu_path(s->dir, "inbox"), *store = tu_path(s->dir, "store");
	char *pkgs = tu_path(store, "packages");
	rf_args a;
	tu_run_result r;

	free(rf_dossier(inbox, "HS 0007", 1, 0)); /* a space is not in a dossier code */
	rf_run_args(&a, inbox, store, NULL);
	r = tu_run(a.argv, NULL);
	assert_int_equal(r.status, 1);
	assert_int_equal(tu_lines(r.err), 1);
	assert_non_null(strstr(r.err, "HS 0007"));
	assert_non_null(strstr(r.err, "cannot be catalogued"));
	tu_run_free(&r);
	assert_reason(store, "HS 0007", "cannot be catalogued");
	assert_int_equal(tu_count_entries(pkgs), 0);
	assert_int_equal(rf_query(store, "SELECT count(*) FROM journal_dossiers WHERE "
					 "stage='index' AND status='quarantined' AND indexed=0"),
			 1);
	assert_int_equal(rf_query(store, "SELECT count(*) FROM documents"), 0);
	rf_run_args_free(&a);
	free(pkgs);
	free(inbox);
	free(store);
}

static void test_locked_store_is_refused_with_exit_2(void **state)
{
	tu_scratch *s = *state;
	char *inbox = tu_path(s->dir, "inbox"), *store = tu_path(s->dir, "store");
	char *lock = tu_path(store, ".lock");
	rf_args a;
	tu_run_result r;
	int fd;

	free(rf_dossier(inbox, "HS-0001", 1, 0));
	assert_int_equal(mkdir(store, 0755), 0);
	fd = open(lock, O_RDWR | O_CREAT, 0644);
	assert_true(fd >= 0);
	assert_int_equal(flock(fd, LOCK_EX), 0);
	rf_run_args(&a, inbox, store, NULL);
	r = tu_run(a.argv, NULL);
	assert_int_equal(r.status, 2);
	assert_int_equal(tu_lines(r.err), 1);
	assert_non_null(strstr(r.err, "in use by another sohoa run"));
	char *pkgs = tu_path(store, "packages");
	assert_false(rf_exists(pkgs)); /* nothing was done */
	free(pkgs);
	tu_run_free(&r);
	close(fd);
	rf_run_args_free(&a);
	free(lock);
	free(inbox);
	free(store);
}

static void test_status_of_a_store_without_catalog_exits_2(void **state)
{
	tu_scratch *s = *state;
	char *argv[] = {SOHOA_BIN, "status", "--store", s->dir, NULL};
	tu_run_result r = tu_run(argv, NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "catalog.sqlite"));
	tu_run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_run_packages_every_page_and_report_matches_store, tu_scratch_setup,
			tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(
			test_changed_input_makes_new_version_and_keeps_the_old, tu_scratch_setup,
			tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_rerun_indexes_what_an_older_sohoa_packaged,
						tu_scratch_setup, tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(
			test_bad_dossiers_are_quarantined_and_the_good_go_on, tu_scratch_setup,
			tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(
			test_folder_the_catalog_cannot_name_is_quarantined_at_index,
			tu_scratch_setup, tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_locked_store_is_refused_with_exit_2,
						tu_scratch_setup, tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(test_status_of_a_store_without_catalog_exits_2,
						tu_scratch_setup, tu_scratch_teardown),
	};
	return cmocka_run_group_tests(tests, rf_keys_setup, rf_keys_teardown);
}
