/* tests/testutil.c: scratch directories and subprocess capture for tests. */
#include "testutil.h"

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

char *tu_mkdtemp(void)
{
	const char *base = getenv("TMPDIR");
	char *p = NULL;
	if (!base || !*base)
		base = "/tmp";
	if (asprintf(&p, "%s/sohoa-test-XXXXXX", base) < 0 || !mkdtemp(p))
		fail_msg("cannot create a scratch directory");
	return p;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void tu_rmtree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

char *tu_path(const char *dir, const char *name)
{
	char *p = NULL;
	if (asprintf(&p, "%s/%s", dir, name) < 0)
		fail_msg("out of memory");
	return p;
}

void tu_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

int tu_count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;
	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static char *slurp_fd(int fd)
{
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	ssize_t n;
	assert_non_null(buf);
	while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len < 2) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	buf[len] = '\0';
	return buf;
}

tu_run_result tu_run(char *const argv[], char *const env[])
{
	tu_run_result r = {0};
	char outname[] = "/tmp/sohoa-out-XXXXXX", errname[] = "/tmp/sohoa-err-XXXXXX";
	int outfd = mkstemp(outname), errfd = mkstemp(errname);
	posix_spawn_file_actions_t fa;
	size_t nenv = 0, nextra = 0;
	char **envp;
	pid_t pid;
	int st;

	assert_true(outfd >= 0 && errfd >= 0);
	unlink(outname);
	unlink(errname);
	while (environ[nenv])
		nenv++;
	while (env && env[nextra])
		nextra++;
	envp = calloc(nenv + nextra + 1, sizeof *envp);
	assert_non_null(envp);
	memcpy(envp, environ, nenv * sizeof *envp);
	for (size_t i = 0; i < nextra; i++)
		envp[nenv + i] = env[i];
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, outfd, 1);
	posix_spawn_file_actions_adddup2(&fa, errfd, 2);
	assert_int_equal(posix_spawn(&pid, argv[0], &fa, NULL, argv, envp), 0);
	posix_spawn_file_actions_destroy(&fa);
	free(envp);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	lseek(outfd, 0, SEEK_SET);
	lseek(errfd, 0, SEEK_SET);
	r.out = slurp_fd(outfd);
	r.err = slurp_fd(errfd);
	close(outfd);
	close(errfd);
	return r;
}

void tu_run_free(tu_run_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

int tu_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

int tu_scratch_setup(void **state)
{
	tu_scratch *f = calloc(1, sizeof *f);
	assert_non_null(f);
	f->dir = tu_mkdtemp();
	*state = f;
	return 0;
}

int tu_scratch_teardown(void **state)
{
	tu_scratch *f = *state;
	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}
