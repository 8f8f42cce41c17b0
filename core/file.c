/* core/file.c: durable file writes (temp + fsync + rename + fsync dir), bounded
 * reads of untrusted files, and directory creation. */
#include "core/core.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/rand.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct sohoa_atomic_file {
	int fd;
	dev_t dev;  /* the filesystem holding it (one syncfs per filesystem) */
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

/* "<dir>/.<base>.tmp-" followed by room for 12 hex digits. */
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
		snprintf(name, n, "%s/.%s.tmp-XXXXXXXXXXXX", dir, base);
	free(copy);
	return name;
}

/* Creates the temporary file with a fresh random suffix, mode 0666 less the
 * umask (applied by open itself: no umask() call, which would race with other
 * threads), close-on-exec: one system call where mkstemp + fchmod + fcntl
 * took several. */
static int create_tmp(char *tmp)
{
	char *x = tmp + strlen(tmp) - 12;

	for (int tries = 0; tries < 32; tries++) {
		unsigned char r[6];
		int fd;
		if (RAND_bytes(r, sizeof r) != 1) {
			errno = EAGAIN;
			return -1;
		}
		sohoa_hex(x, r, sizeof r);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
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
	af->fd = create_tmp(af->tmp);
	if (af->fd < 0) {
		rc = sohoa_error_from_errno(errno, _("%s: cannot create a file in %s"), path,
					    af->dir);
		goto cleanup;
	}
	{
		struct stat st;
		if (fstat(af->fd, &st) != 0) {
			rc = sohoa_error_from_errno(errno, _("%s: stat"), af->tmp);
			close(af->fd);
			unlink(af->tmp);
			goto cleanup;
		}
		af->dev = st.st_dev;
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

int sohoa_atomic_close(sohoa_atomic_file *af)
{
	int fd = af->fd;

	af->fd = -1;
	if (fd >= 0 && close(fd) != 0)
		return sohoa_error_from_errno(errno, _("%s: close"), af->path);
	return 0;
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

	if (af->fd < 0) /* closed early (sohoa_atomic_close): reopen to fsync */
		af->fd = open(af->tmp, O_RDONLY | O_CLOEXEC);
	if (af->fd < 0 || fsync(af->fd) != 0) {
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

void sohoa_atomic_abort(sohoa_atomic_file *af)
{
	if (!af)
		return;
	if (af->fd >= 0)
		close(af->fd);
	unlink(af->tmp);
	atomic_free(af);
}

/* One open directory on each filesystem the files of a group are on. */
typedef struct {
	dev_t dev;
	int fd;
} fs_handle;

static void fail_all(sohoa_atomic_file **afs, size_t n, int *rcs, int rc)
{
	for (size_t i = 0; i < n; i++) {
		if (afs[i])
			rcs[i] = rc;
		sohoa_atomic_abort(afs[i]);
		afs[i] = NULL;
	}
}

/* Step 1 of commit_all: for each filesystem among afs (told apart by the
 * device each file was created on), syncfs once, which makes every new
 * content on it durable, and keep one of its directories open for step 3.
 * Returns the number of filesystems in *nfs, or an error. */
static int sync_contents(fs_handle *fs, size_t *nfs, sohoa_atomic_file **afs, size_t n)
{
	*nfs = 0;
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		if (!afs[i])
			continue;
		while (j < *nfs && fs[j].dev != afs[i]->dev)
			j++;
		if (j < *nfs)
			continue;
		fs[j].dev = afs[i]->dev;
		fs[j].fd = open(afs[i]->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (fs[j].fd < 0)
			return sohoa_error_from_errno(errno, "%s", afs[i]->dir);
		++*nfs;
		if (syncfs(fs[j].fd) != 0)
			return sohoa_error_from_errno(errno, _("%s: syncfs"), afs[i]->path);
	}
	return 0;
}

int sohoa_atomic_commit_all(sohoa_atomic_file **afs, size_t n, int *rcs)
{
	fs_handle *fs = calloc(n ? n : 1, sizeof *fs);
	size_t nfs = 0;
	int rc = 0;

	for (size_t i = 0; i < n; i++)
		rcs[i] = afs[i] ? 0 : SOHOA_EINVAL;
	if (!fs)
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	/* 1: every new content durable */
	if (rc < 0 || (rc = sync_contents(fs, &nfs, afs, n)) < 0) {
		fail_all(afs, n, rcs, rc);
		goto cleanup;
	}
	/* 2: close and rename each */
	for (size_t i = 0; i < n; i++) {
		sohoa_atomic_file *af = afs[i];
		if (!af)
			continue;
		if ((rcs[i] = sohoa_atomic_close(af)) < 0) {
			rc = rcs[i];
		} else if (rename(af->tmp, af->path) != 0) {
			rcs[i] = rc = sohoa_error_from_errno(errno, _("%s: rename"), af->path);
		}
		if (rcs[i] < 0) {
			sohoa_atomic_abort(af);
			afs[i] = NULL;
		}
	}
	/* 3: the renames durable, again once per filesystem */
	for (size_t j = 0; j < nfs; j++) {
		int src;
		if (syncfs(fs[j].fd) == 0)
			continue;
		src = sohoa_error_from_errno(errno, _("syncfs after the renames"));
		for (size_t i = 0; i < n; i++)
			if (afs[i] && afs[i]->dev == fs[j].dev && rcs[i] == 0)
				rcs[i] = rc = src;
	}
	for (size_t i = 0; i < n; i++) {
		if (afs[i])
			atomic_free(afs[i]);
		afs[i] = NULL;
	}
cleanup:
	for (size_t j = 0; j < nfs; j++)
		close(fs[j].fd);
	free(fs);
	return rc;
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
