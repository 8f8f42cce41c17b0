/* tests/pipeline/test_resume.c: `sohoa run` killed with SIGKILL — after the
 * first page is journaled, and then at many random moments — and run again
 * finishes the batch with exactly one package per dossier, all verifying, no
 * temporary file anywhere in the store, and a journal and a catalog that
 * agree. */
#include "runfixture.h"

#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static pid_t spawn_quiet(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	pid_t pid;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	assert_int_equal(posix_spawn(&pid, argv[0], &fa, NULL, argv, environ), 0);
	posix_spawn_file_actions_destroy(&fa);
	return pid;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

/* Kills `pid` with SIGKILL; 1 when it was still running. */
static int kill9(pid_t pid)
{
	int st;
	int running = waitpid(pid, &st, WNOHANG) == 0;
	if (running) {
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, &st, 0), pid);
	}
	return running;
}

static int leftovers;

static int find_tmp(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	if (strstr(path + ftw->base, ".tmp-")) {
		fprintf(stderr, "temporary file left: %s\n", path);
		leftovers++;
	}
	return 0;
}

/* One package per dossier, each verifying, the journal done for each with
 * all its pages, one catalog entry each at its package, nothing in STORE/tmp
 * and no temporary file anywhere. */
static void assert_store_complete(const char *store, char **names, int n, int pages_each)
{
	char *pkgs = tu_path(store, "packages"), *tmp = tu_path(store, "tmp");
	char sql[512];
	assert_int_equal(tu_count_entries(pkgs), n);
	for (int i = 0; i < n; i++) {
		char rel[128], *pkg;
		snprintf(rel, sizeof rel, "packages/%s", names[i]);
		pkg = tu_path(store, rel);
		assert_true(rf_verifies(pkg));
		free(pkg);
		snprintf(
			sql, sizeof sql,
			"SELECT count(*) FROM journal_dossiers d WHERE code='%s' AND status='done' "
			"AND version=1 AND package='packages/%s' AND (SELECT count(*) FROM "
			"journal_pages p WHERE p.dossier=d.id AND p.status='done')=%d",
			names[i], names[i], pages_each);
		if (rf_query(store, sql) != 1)
			fail_msg("journal disagrees for %s", names[i]);
		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM documents WHERE dossier_code='%s' AND doc_no=1 "
			 "AND version=1 AND package_path='packages/%s'",
			 names[i], names[i]);
		if (rf_query(store, sql) != 1)
			fail_msg("catalog disagrees for %s", names[i]);
	}
	assert_int_equal(rf_query(store, "SELECT count(*) FROM journal_dossiers"), n);
	/* Indexed once each, however often it was tried; the journal says so. */
	assert_int_equal(rf_query(store, "SELECT count(*) FROM documents"), n);
	assert_int_equal(rf_query(store, "SELECT count(*) FROM documents_fts"), n);
	assert_int_equal(rf_query(store, "SELECT count(*) FROM journal_dossiers WHERE indexed=1"),
			 n);
	assert_int_equal(tu_count_entries(tmp), 0);
	leftovers = 0;
	nftw(store, find_tmp, 16, FTW_PHYS);
	assert_int_equal(leftovers, 0);
	free(pkgs);
	free(tmp);
}

static char **make_inbox(const char *inbox, int n, int pages_each)
{
	char **names = calloc((size_t)n, sizeof *names);
	assert_non_null(names);
	for (int i = 0; i < n; i++) {
		assert_true(asprintf(&names[i], "HS-%04d", i + 1) > 0);
		free(rf_dossier(inbox, names[i], pages_each, i));
	}
	return names;
}

static void free_names(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static void test_kill_after_first_page_then_rerun_packages_each_once(void **state)
{
	tu_scratch *s = *state;
	char *inbox = tu_path(s->dir, "inbox"), *store = tu_path(s->dir, "store");
	char **names = make_inbox(inbox, 4, 2);
	rf_args a;
	tu_run_result r;
	pid_t pid;
	int waited = 0;

	rf_run_args(&a, inbox, store, NULL);
	pid = spawn_quiet(a.argv);
	/* Poll the journal (as `sohoa status` would) until a page is in. */
	while (rf_query(store, "SELECT count(*) FROM journal_pages") < 1 && waited < 120000) {
		sleep_ms(10);
		waited += 10;
	}
	assert_true(kill9(pid));
	assert_true(rf_query(store, "SELECT count(*) FROM journal_pages") >= 1);
	assert_true(rf_query(store, "SELECT count(*) FROM journal_dossiers WHERE status='done'") <
		    4);
	r = tu_run(a.argv, NULL);
	if (r.status != 0)
		fail_msg("rerun: %d: %s", r.status, r.err);
	tu_run_free(&r);
	assert_store_complete(store, names, 4, 2);
	rf_run_args_free(&a);
	free_names(names, 4);
	free(inbox);
	free(store);
}

/* Events the journal has recorded: pages done plus dossiers done. */
static long progress(const char *store)
{
	long v = rf_query(store, "SELECT (SELECT count(*) FROM journal_pages) + (SELECT count(*) "
				 "FROM journal_dossiers WHERE status='done')");
	return v < 0 ? 0 : v;
}

static int env_int(const char *name, int dflt)
{
	const char *v = getenv(name);
	return v && atoi(v) > 0 ? atoi(v) : dflt;
}

static void test_random_kills_then_completion_leave_one_package_each(void **state)
{
	tu_scratch *s = *state;
	int n = env_int("SOHOA_CRASH_DOSSIERS", 30), kills = env_int("SOHOA_CRASH_KILLS", 20);
	unsigned seed = (unsigned)env_int("SOHOA_CRASH_SEED", (int)time(NULL) & 0x7fffffff);
	char *inbox = tu_path(s->dir, "inbox"), *store = tu_path(s->dir, "store");
	char **names = make_inbox(inbox, n, 1);
	int landed = 0, attempts = 0;
	rf_args a;
	tu_run_result r;

	print_message("seed %u (SOHOA_CRASH_SEED to repeat), %d dossiers, %d kills\n", seed, n,
		      kills);
	srand(seed);
	rf_run_args(&a, inbox, store, NULL);
	while (landed < kills && attempts < kills * 3) {
		pid_t pid = spawn_quiet(a.argv);
		long target = progress(store) + 1 + rand() % 2;
		int st, waited = 0;
		attempts++;
		/* Mostly after the run has made some progress (a page or a
		 * dossier more), sometimes during start-up, intake or clean-up. */
		if (rand() % 4 != 0)
			while (progress(store) < target && waited < 60000 &&
			       waitpid(pid, &st, WNOHANG) == 0) {
				sleep_ms(5);
				waited += 5;
			}
		sleep_ms(rand() % 200);
		landed += kill9(pid);
		if (rf_query(store, "SELECT count(*) FROM journal_dossiers WHERE status='done'") ==
		    n)
			break; /* finished before the kill: nothing left to interrupt */
	}
	print_message("%d kills landed, %ld of %d dossiers done before the last run\n", landed,
		      rf_query(store, "SELECT count(*) FROM journal_dossiers WHERE status='done'"),
		      n);
	r = tu_run(a.argv, NULL);
	if (r.status != 0)
		fail_msg("final run: %d: %s", r.status, r.err);
	tu_run_free(&r);
	assert_store_complete(store, names, n, 1);
	rf_run_args_free(&a);
	free_names(names, n);
	free(inbox);
	free(store);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_kill_after_first_page_then_rerun_packages_each_once, tu_scratch_setup,
			tu_scratch_teardown),
		cmocka_unit_test_setup_teardown(
			test_random_kills_then_completion_leave_one_package_each, tu_scratch_setup,
			tu_scratch_teardown),
	};
	return cmocka_run_group_tests(tests, rf_keys_setup, rf_keys_teardown);
}
