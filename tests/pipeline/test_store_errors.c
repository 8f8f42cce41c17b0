/* tests/pipeline/test_store_errors.c: `sohoa run` over a store that runs out
 * of space or refuses a write, both made for real — a small tmpfs (else a file
 * size limit) and a run as the nobody user over a store it may not write in
 * (else, not being root, a read-only folder). Each run stops with one line
 * naming the path and the reason, leaves no partial package and a journal and
 * a catalog that agree, and the run after space or permission is back
 * finishes the batch. */
#include "runfixture.h"

#include <leptonica/allheaders.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define NOBODY 65534

/* The tmpfs this program mounted, unmounted by the teardown even when a test
 * fails half way. */
static char *mounted;

static int teardown(void **state)
{
	if (mounted && umount2(mounted, MNT_DETACH) != 0)
		fprintf(stderr, "umount %s: %s\n", mounted, strerror(errno));
	free(mounted);
	mounted = NULL;
	return tu_scratch_teardown(state);
}

/* Everything in `fd` from its start, NUL-terminated; closes it. */
static char *slurp(int fd)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	char chunk[4096];
	ssize_t n;
	assert_true(fd >= 0);
	assert_non_null(f);
	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, chunk, sizeof chunk)) > 0)
		fwrite(chunk, 1, (size_t)n, f);
	fclose(f);
	close(fd);
	return buf;
}

/* Runs argv as user `uid` (< 0: as we are) with a file size limit of `fsize`
 * bytes (0: none, SIGXFSZ ignored so that writes fail with EFBIG). Status 126
 * with a message when the child could not take that identity. */
static tu_run_result run_as(char *const argv[], int uid, rlim_t fsize)
{
	char outname[] = "/tmp/sohoa-out-XXXXXX", errname[] = "/tmp/sohoa-err-XXXXXX";
	int outfd = mkstemp(outname), errfd = mkstemp(errname), st;
	tu_run_result r = {0};
	pid_t pid;

	assert_true(outfd >= 0 && errfd >= 0);
	unlink(outname);
	unlink(errname);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		static const char drop[] = "cannot become the nobody user\n";
		struct rlimit rl = {fsize, fsize};
		dup2(outfd, 1);
		dup2(errfd, 2);
		if (fsize > 0 &&
		    (signal(SIGXFSZ, SIG_IGN) == SIG_ERR || setrlimit(RLIMIT_FSIZE, &rl) != 0))
			_exit(125);
		if (uid >= 0 && (setgroups(0, NULL) != 0 || setgid((gid_t)uid) != 0 ||
				 setuid((uid_t)uid) != 0)) {
			if (write(2, drop, sizeof drop - 1) < 0)
				_exit(126);
			_exit(126);
		}
		execv(argv[0], argv);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r.out = slurp(outfd);
	r.err = slurp(errfd);
	return r;
}

static int owner;
static int chown_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return lchown(path, (uid_t)owner, (gid_t)owner);
}

static int open_up(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)ftw;
	return chmod(path, flag == FTW_D ? 0755 : (st->st_mode & 0777) | 0444);
}

static int tmp_files;
static int find_tmp(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	if (strstr(path + ftw->base, ".tmp-")) {
		fprintf(stderr, "temporary file left: %s\n", path);
		tmp_files++;
	}
	return 0;
}

/* What the failed run left on disk: `done` packages only, nothing in
 * STORE/tmp, no temporary file anywhere. */
static void assert_no_partial_package(const char *store, int done, const char *failed)
{
	char *pkgs = tu_path(store, "packages"), *tmp = tu_path(store, "tmp"), rel[128], *pkg;
	snprintf(rel, sizeof rel, "packages/%s", failed);
	pkg = tu_path(store, rel);
	assert_int_equal(tu_count_entries(pkgs), done);
	assert_false(rf_exists(pkg));
	assert_int_equal(tu_count_entries(tmp), 0);
	tmp_files = 0;
	assert_int_equal(nftw(store, find_tmp, 16, FTW_PHYS), 0);
	assert_int_equal(tmp_files, 0);
	free(pkg);
	free(tmp);
	free(pkgs);
}

/* The journal and the catalog agree with that: `failed` is not done and has
 * no catalog entry, the `done` dossiers are done, indexed, one entry each. */
static void assert_journal_agrees(const char *store, int done, const char *failed)
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM journal_dossiers WHERE code='%s' AND status='done'", failed);
	assert_int_equal(rf_query(store, sql), 0);
	snprintf(sql, sizeof sql, "SELECT count(*) FROM documents WHERE dossier_code='%s'", failed);
	assert_int_equal(rf_query(store, sql), 0);
	assert_int_equal(rf_query(store, "SELECT count(*) FROM journal_dossiers WHERE "
					 "status='done' AND indexed=1"),
			 done);
	assert_int_equal(rf_query(store, "SELECT count(*) FROM documents"), done);
}

/* `sohoa search` for a word of `code`'s text finds it, at packages/<code>. */
static void assert_found(const char *store, const char *code)
{
	char rel[128], key[128], want[160], *path, *word, *text;
	tu_run_result r;

	snprintf(rel, sizeof rel, "packages/%s/docs/1.txt", code);
	path = tu_path(store, rel);
	text = slurp(open(path, O_RDONLY));
	word = rf_word(text, 0);
	if (!word)
		fail_msg("%s: no word to search for in: %s", path, text);
	char *argv[] = {SOHOA_BIN, "search",       "--store", (char *)store,
			"--json",  "--limit=1000", word,      NULL};
	r = tu_run(argv, NULL);
	assert_int_equal(r.status, 0);
	snprintf(key, sizeof key, "\"dossier_code\":\"%s\"", code);
	snprintf(want, sizeof want, "\"package_path\":\"packages/%s\",", code);
	const char *hit = strstr(r.out, key), *pkg = hit ? strstr(hit, "\"package_path\":") : NULL;
	if (!pkg || strncmp(pkg, want, strlen(want)) != 0)
		fail_msg("search '%s' does not find %s at its package: %s", word, code, r.out);
	tu_run_free(&r);
	free(word);
	free(text);
	free(path);
}

static void run_args(char **argv, const char *inbox, const char *store)
{
	argv[0] = SOHOA_BIN;
	argv[1] = "run";
	argv[2] = (char *)inbox;
	argv[3] = "--store";
	argv[4] = (char *)store;
	argv[5] = "--jobs";
	argv[6] = "2";
	argv[7] = NULL;
}

/* Rewrites the G4 page at `path` as an uncompressed 8-bit TIFF: the same
 * text, some 650 KB for its archival copy. */
static void inflate_page(const char *path)
{
	PIX *pix = pixRead(path), *gray;
	assert_non_null(pix);
	gray = pixConvert1To8(NULL, pix, 255, 0);
	assert_non_null(gray);
	pixSetResolution(gray, 300, 300);
	assert_int_equal(pixWriteTiff(path, gray, IFF_TIFF, "w"), 0);
	pixDestroy(&gray);
	pixDestroy(&pix);
}

/* Bytes in use on the file system of `path`. */
static unsigned long long used_bytes(const char *path)
{
	struct statvfs vfs;
	assert_int_equal(statvfs(path, &vfs), 0);
	return (unsigned long long)(vfs.f_blocks - vfs.f_bfree) * vfs.f_frsize;
}

static int tmpfs_size(const char *dir, unsigned long long bytes, unsigned long flags)
{
	char opts[64];
	snprintf(opts, sizeof opts, "size=%llu,mode=0755", (bytes + 4095) / 4096 * 4096);
	return mount("tmpfs", dir, "tmpfs", flags, opts);
}

/* Runs sohoa with argv, which must succeed (`what` names the run). */
static void run_ok(char **argv, const char *what)
{
	tu_run_result r = tu_run(argv, NULL);
	if (r.status != 0)
		fail_msg("%s: %d: %s", what, r.status, r.err);
	tu_run_free(&r);
}

static void test_disk_full_names_the_path_keeps_the_store_whole_and_resumes(void **state)
{
	tu_scratch *s = *state;
	char *inbox = tu_path(s->dir, "inbox"), *fs = tu_path(s->dir, "fs"), *store, *argv[8];
	rlim_t fsize = 0;
	tu_run_result r;

	assert_int_equal(mkdir(fs, 0755), 0);
	if (getenv("SOHOA_TEST_NO_MOUNT") == NULL && tmpfs_size(fs, 64 << 20, 0) == 0) {
		mounted = strdup(fs);
	} else {
		/* Not allowed to mount here (no CAP_SYS_ADMIN, not root): a file
		 * size limit makes writes fail as a full disk would (EFBIG). */
		print_message("cannot mount a tmpfs (%s): RLIMIT_FSIZE stands in for a full "
			      "disk\n",
			      getenv("SOHOA_TEST_NO_MOUNT") ? "SOHOA_TEST_NO_MOUNT"
							    : strerror(errno));
		fsize = 256 << 10;
	}
	store = tu_path(fs, "store");
	run_args(argv, inbox, store);
	free(rf_dossier(inbox, "HS-A", 1, 0));
	run_ok(argv, "first run");

	/* 256 KB left (or the largest file 256 KB): enough for the journal, not
	 * for the archival copy of a 650 KB page. */
	if (mounted)
		assert_int_equal(tmpfs_size(fs, used_bytes(fs) + (256 << 10), MS_REMOUNT), 0);
	char *dir = rf_dossier(inbox, "HS-B", 2, 1), *page = tu_path(dir, "p2.tif");
	inflate_page(page);
	free(page);
	free(dir);
	r = run_as(argv, -1, fsize);
	print_message("full: exit %d: %s", r.status, r.err);
	assert_int_equal(r.status, 2);
	assert_int_equal(tu_lines(r.err), 1);
	assert_non_null(strstr(r.err, store));
	if (mounted)
		assert_true(strstr(r.err, "No space left on device") ||
			    strstr(r.err, "database or disk is full"));
	else
		assert_true(strstr(r.err, "File too large") || strstr(r.err, "disk I/O error"));
	tu_run_free(&r);
	assert_no_partial_package(store, 1, "HS-B");

	/* Space is back: the journal agrees, and a run finishes the batch. */
	if (mounted)
		assert_int_equal(tmpfs_size(fs, 64 << 20, MS_REMOUNT), 0);
	assert_journal_agrees(store, 1, "HS-B");
	run_ok(argv, "run with space back");
	assert_journal_agrees(store, 2, "HS-C");
	assert_found(store, "HS-B");
	assert_found(store, "HS-A");
	free(store);
	free(fs);
	free(inbox);
}

static void test_permission_denied_names_the_path_keeps_the_store_whole_and_resumes(void **state)
{
	tu_scratch *s = *state;
	char *inbox = tu_path(s->dir, "inbox"), *store = tu_path(s->dir, "store");
	char *pkgs = tu_path(store, "packages"), *argv[8];
	int uid = -1;
	tu_run_result r;

	run_args(argv, inbox, store);
	free(rf_dossier(inbox, "HS-A", 1, 0));
	run_ok(argv, "first run");

	/* Root writes anywhere: the run is made as nobody, owning the store
	 * but not its packages folder. Anyone else: that folder made read-only. */
	if (geteuid() == 0) {
		uid = owner = NOBODY;
		assert_int_equal(chmod(s->dir, 0755), 0);
		assert_int_equal(nftw(store, chown_one, 16, FTW_PHYS), 0);
		free(rf_dossier(inbox, "HS-B", 2, 1));
		assert_int_equal(nftw(inbox, open_up, 16, FTW_PHYS), 0);
	} else {
		free(rf_dossier(inbox, "HS-B", 2, 1));
	}
	assert_int_equal(chmod(pkgs, 0555), 0);
	r = run_as(argv, uid, 0);
	print_message("denied: exit %d: %s", r.status, r.err);
	if (r.status == 126) {
		/* Could not drop to nobody (no CAP_SETUID): root's run goes through.
		 * Say so, and check what a run as root does with that store. */
		print_message("permission denied cannot be made here: %s", r.err);
		tu_run_free(&r);
		assert_int_equal(chmod(pkgs, 0755), 0);
		r = tu_run(argv, NULL);
		assert_int_equal(r.status, 0);
		tu_run_free(&r);
		assert_journal_agrees(store, 2, "HS-C");
		goto cleanup;
	}
	assert_int_equal(r.status, 2);
	assert_int_equal(tu_lines(r.err), 1);
	assert_non_null(strstr(r.err, "packages/HS-B"));
	assert_non_null(strstr(r.err, "Permission denied"));
	tu_run_free(&r);
	assert_no_partial_package(store, 1, "HS-B");
	assert_journal_agrees(store, 1, "HS-B");
	assert_int_equal(rf_query(store, "SELECT count(*) FROM journal_dossiers WHERE "
					 "code='HS-B' AND status='pending'"),
			 1);

	/* Permission back: the same user's next run finishes the batch. */
	assert_int_equal(chmod(pkgs, 0755), 0);
	r = run_as(argv, uid, 0);
	if (r.status != 0)
		fail_msg("run with permission back: %d: %s", r.status, r.err);
	tu_run_free(&r);
	assert_journal_agrees(store, 2, "HS-C");
	assert_found(store, "HS-B");
cleanup:
	free(pkgs);
	free(store);
	free(inbox);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_disk_full_names_the_path_keeps_the_store_whole_and_resumes,
			tu_scratch_setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_permission_denied_names_the_path_keeps_the_store_whole_and_resumes,
			tu_scratch_setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
