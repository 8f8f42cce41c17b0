/* core/file.c: durable file writes (temp + fsync + rename + fsync dir), bounded
 * reads of untrusted files, and directory creation. */
#include "core/core.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct sohoa_atomic_file {
	int fd;
	char *path; /* destination */
	char *tmp;  /* temporary file beside it */
	char *dir;  /* destination's directory, for the final fsync */
};

int sohoa_fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int rc = 0;

	if (fd < 0)
		return sohoa_error_from_errno(errno, "%s", path);
	if (fsync(fd) != 0 && errno != EINVAL)
		rc = sohoa_error_from_errno(errno, "%s: fsync", path);
	close(fd);
	return rc;
}

static char *dup_dirname(const char *path)
{
	char *copy = strdup(path), *dir = NULL;
	if (copy)
		dir = strdup(dirname(copy));
	free(copy);
	return dir;
}

static char *tmp_name(const char *dir, const char *path)
{
	char *copy = strdup(path), *name = NULL;
	size_t n;

	if (!copy)
		return NULL;
	const char *base = basename(copy);
	n = strlen(dir) + strlen(base) + 32;
	name = malloc(n);
	if (name)
		snprintf(name, n, "%s/.%s.tmp-XXXXXX", dir, base);
	free(copy);
	return name;
}

int sohoa_atomic_open(sohoa_atomic_file **out, const char *path)
{
	sohoa_atomic_file *af = calloc(1, sizeof *af);
	int rc = SOHOA_ENOMEM;

	*out = NULL;
	if (!af)
		return sohoa_error_set(rc, _("out of memory"));
	af->fd = -1;
	af->path = strdup(path);
	af->dir = dup_dirname(path);
	af->tmp = af->dir ? tmp_name(af->dir, path) : NULL;
	if (!af->path || !af->tmp) {
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		goto cleanup;
	}
	af->fd = mkstemp(af->tmp);
	if (af->fd < 0) {
		rc = sohoa_error_from_errno(errno, _("%s: cannot create a file in %s"), path,
					    af->dir);
		goto cleanup;
	}
	(void)fcntl(af->fd, F_SETFD, FD_CLOEXEC);
	{
		mode_t mask = umask(0);
		umask(mask);
		(void)fchmod(af->fd, 0666 & ~mask);
	}
	*out = af;
	return 0;
cleanup:
	free(af->path);
	free(af->tmp);
	free(af->dir);
	free(af);
	return rc;
}

int sohoa_atomic_write(sohoa_atomic_file *af, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(af->fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return sohoa_error_from_errno(errno, _("%s: write"), af->path);
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int sohoa_atomic_fd(const sohoa_atomic_file *af)
{
	return af->fd;
}

static void atomic_free(sohoa_atomic_file *af)
{
	free(af->path);
	free(af->tmp);
	free(af->dir);
	free(af);
}

int sohoa_atomic_commit(sohoa_atomic_file *af)
{
	int rc = 0;

	if (fsync(af->fd) != 0) {
		rc = sohoa_error_from_errno(errno, _("%s: fsync"), af->path);
		goto fail;
	}
	if (close(af->fd) != 0) {
		af->fd = -1;
		rc = sohoa_error_from_errno(errno, _("%s: close"), af->path);
		goto fail;
	}
	af->fd = -1;
	if (rename(af->tmp, af->path) != 0) {
		rc = sohoa_error_from_errno(errno, _("%s: rename"), af->path);
		goto fail;
	}
	rc = sohoa_fsync_dir(af->dir);
	atomic_free(af);
	return rc;
fail:
	sohoa_atomic_abort(af);
	return rc;
}

/* syncfs once per filesystem among the `fds` (st_dev told apart). */
static int sync_filesystems(const int *fds, size_t n, const char *what)
{
	dev_t seen[8];
	size_t nseen = 0;

	for (size_t i = 0; i < n; i++) {
		struct stat st;
		size_t k;
		if (fds[i] < 0)
			continue;
		if (fstat(fds[i], &st) != 0)
			return sohoa_error_from_errno(errno, _("%s: stat"), what);
		for (k = 0; k < nseen && seen[k] != st.st_dev; k++)
			;
		if (k < nseen)
			continue;
		if (syncfs(fds[i]) != 0)
			return sohoa_error_from_errno(errno, _("%s: syncfs"), what);
		if (nseen < sizeof seen / sizeof seen[0])
			seen[nseen++] = st.st_dev;
	}
	return 0;
}

int sohoa_atomic_commit_all(sohoa_atomic_file **afs, size_t n, int *rcs)
{
	int *fds = calloc(n ? n : 1, sizeof *fds), rc = 0;

	if (!fds) {
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		for (size_t i = 0; i < n; i++) {
			sohoa_atomic_abort(afs[i]);
			afs[i] = NULL;
			rcs[i] = rc;
		}
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		fds[i] = afs[i] ? afs[i]->fd : -1;
		rcs[i] = afs[i] ? 0 : SOHOA_EINVAL;
	}
	/* 1: every new content durable, with one sync per filesystem */
	if (n && (rc = sync_filesystems(fds, n, afs[0] ? afs[0]->path : "?")) < 0) {
		for (size_t i = 0; i < n; i++) {
			sohoa_atomic_abort(afs[i]);
			afs[i] = NULL;
			rcs[i] = rc;
		}
		free(fds);
		return rc;
	}
	/* 2: close and rename each; keep a descriptor on its directory */
	for (size_t i = 0; i < n; i++) {
		sohoa_atomic_file *af = afs[i];
		if (!af)
			continue;
		fds[i] = -1;
		if (close(af->fd) != 0) {
			af->fd = -1;
			rcs[i] = rc = sohoa_error_from_errno(errno, _("%s: close"), af->path);
		} else if ((af->fd = -1, rename(af->tmp, af->path) != 0)) {
			rcs[i] = rc = sohoa_error_from_errno(errno, _("%s: rename"), af->path);
		} else {
			fds[i] = open(af->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fds[i] < 0)
				rcs[i] = rc = sohoa_error_from_errno(errno, "%s", af->dir);
		}
		if (rcs[i] < 0) {
			sohoa_atomic_abort(af);
			afs[i] = NULL;
		}
	}
	/* 3: the renames durable, again once per filesystem */
	{
		int src = sync_filesystems(fds, n, "rename");
		for (size_t i = 0; i < n; i++) {
			if (fds[i] >= 0)
				close(fds[i]);
			if (src < 0 && afs[i])
				rcs[i] = src;
			if (afs[i])
				atomic_free(afs[i]);
			afs[i] = NULL;
		}
		if (src < 0)
			rc = src;
	}
	free(fds);
	return rc;
}

void sohoa_atomic_abort(sohoa_atomic_file *af)
{
	if (!af)
		return;
	if (af->fd >= 0)
		close(af->fd);
	unlink(af->tmp);
	atomic_free(af);
}

int sohoa_file_write_atomic(const char *path, const void *data, size_t len)
{
	sohoa_atomic_file *af;
	int rc = sohoa_atomic_open(&af, path);

	if (rc < 0)
		return rc;
	rc = sohoa_atomic_write(af, data, len);
	if (rc < 0) {
		sohoa_atomic_abort(af);
		return rc;
	}
	return sohoa_atomic_commit(af);
}

int sohoa_file_read(char **out, size_t *len_out, const char *path, size_t max_bytes)
{
	struct stat st;
	char *buf = NULL;
	size_t got = 0;
	int rc = 0, fd;

	*out = NULL;
	if (len_out)
		*len_out = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return sohoa_error_from_errno(errno, "%s", path);
	if (fstat(fd, &st) != 0) {
		rc = sohoa_error_from_errno(errno, "%s", path);
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = sohoa_error_set(SOHOA_EUNSUPPORTED, _("%s: not a regular file"), path);
		goto cleanup;
	}
	if ((uint64_t)st.st_size > max_bytes) {
		rc = sohoa_error_set(SOHOA_ELIMIT,
				     _("%s: file is %lld bytes, larger than the limit of %zu"),
				     path, (long long)st.st_size, max_bytes);
		goto cleanup;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		rc = sohoa_error_set(SOHOA_ENOMEM, _("%s: out of memory"), path);
		goto cleanup;
	}
	/* Read until EOF but never past the cap, in case the file grows. */
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = sohoa_error_from_errno(errno, "%s", path);
			goto cleanup;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	buf[got] = '\0';
	*out = buf;
	buf = NULL;
	if (len_out)
		*len_out = got;
cleanup:
	free(buf);
	close(fd);
	return rc;
}

int sohoa_mkdir_p(const char *path)
{
	char *copy = strdup(path);
	int rc = 0;

	if (!copy)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	for (char *p = copy + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(copy, 0755) != 0 && errno != EEXIST) {
			rc = sohoa_error_from_errno(errno, _("%s: cannot create directory"), copy);
			break;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	if (rc == 0) {
		struct stat st;
		if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
			rc = sohoa_error_set(SOHOA_EEXISTS, _("%s: exists and is not a directory"),
					     path);
	}
	free(copy);
	return rc;
}
