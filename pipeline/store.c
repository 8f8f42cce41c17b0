/* pipeline/store.c: store housekeeping for a run — the run lock, the staging
 * area STORE/tmp, putting finished directories in place, quarantine. */
#include "pipeline/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int pipeline_store_lock(int *fd, const char *store)
{
	char *path = NULL, pid[32] = "";
	int rc = 0;

	*fd = -1;
	if (asprintf(&path, "%s/.lock", store) < 0)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (*fd < 0) {
		rc = sohoa_error_from_errno(errno, "%s", path);
		goto cleanup;
	}
	if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
		ssize_t n = errno == EWOULDBLOCK ? pread(*fd, pid, sizeof pid - 1, 0) : -1;
		if (n > 0)
			pid[n] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		rc = errno == EWOULDBLOCK || n >= 0
			     ? sohoa_error_set(SOHOA_EBUSY,
					       _("%s: the store is in use by another sohoa run "
						 "(pid %s); wait for it to finish"),
					       store, *pid ? pid : "?")
			     : sohoa_error_from_errno(errno, "%s", path);
		close(*fd);
		*fd = -1;
		goto cleanup;
	}
	snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(*fd, 0) != 0 || pwrite(*fd, pid, strlen(pid), 0) < 0)
		sohoa_log_debug("%s: cannot record the pid", path);
cleanup:
	free(path);
	return rc;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) != 0 && errno != ENOENT ? -1 : 0;
}

int pipeline_rmtree(const char *path)
{
	struct stat st;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? 0 : sohoa_error_from_errno(errno, "%s", path);
	if (nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		return sohoa_error_from_errno(errno, _("%s: cannot remove"), path);
	return 0;
}

int pipeline_store_prepare(const char *store)
{
	static const char *const dirs[] = {"tmp", "packages", "quarantine"};
	char *path = NULL;
	DIR *d = NULL;
	struct dirent *de;
	int rc = 0;

	for (size_t i = 0; i < sizeof dirs / sizeof *dirs && rc == 0; i++) {
		free(path);
		path = NULL;
		if (asprintf(&path, "%s/%s", store, dirs[i]) < 0)
			rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		else
			rc = sohoa_mkdir_p(path);
	}
	if (rc < 0)
		goto cleanup;
	/* path is STORE/quarantine; the staging area is STORE/tmp. */
	free(path);
	if (asprintf(&path, "%s/tmp", store) < 0) {
		path = NULL;
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		goto cleanup;
	}
	d = opendir(path);
	if (!d) {
		rc = sohoa_error_from_errno(errno, "%s", path);
		goto cleanup;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		char *stale = NULL;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (asprintf(&stale, "%s/%s", path, de->d_name) < 0)
			rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		else {
			sohoa_log_info(_("%s: removing what a stopped run left"), stale);
			rc = pipeline_rmtree(stale);
		}
		free(stale);
	}
cleanup:
	if (d)
		closedir(d);
	free(path);
	return rc;
}

int pipeline_copy_file(const char *dst, const char *src)
{
	sohoa_atomic_file *af = NULL;
	char buf[65536];
	ssize_t n;
	int fd = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return sohoa_error_from_errno(errno, "%s", src);
	rc = sohoa_atomic_open(&af, dst);
	while (rc == 0 && (n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0)
			rc = sohoa_error_from_errno(errno, "%s", src);
		else
			rc = sohoa_atomic_write(af, buf, (size_t)n);
	}
	close(fd);
	if (rc < 0) {
		sohoa_atomic_abort(af);
		return rc;
	}
	return sohoa_atomic_commit(af);
}

static char *parent_of(const char *path)
{
	char *p = strdup(path), *slash;
	if (!p)
		return NULL;
	slash = strrchr(p, '/');
	if (slash && slash != p)
		*slash = '\0';
	else
		strcpy(p, slash ? "/" : ".");
	return p;
}

int pipeline_install_dir(const char *staged, const char *dest)
{
	char *parent = parent_of(dest);
	int rc = 0;

	if (!parent)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	rc = sohoa_fsync_dir(staged);
	if (rc < 0)
		goto cleanup;
	if (renameat2(AT_FDCWD, staged, AT_FDCWD, dest, RENAME_NOREPLACE) == 0) {
		rc = sohoa_fsync_dir(parent);
		goto cleanup;
	}
	if (errno != EEXIST) {
		rc = sohoa_error_from_errno(errno, _("%s: cannot put in place"), dest);
		goto cleanup;
	}
	/* A directory from an unfinished attempt is there: swap in one step,
	 * then remove the old content, now at `staged`. */
	if (renameat2(AT_FDCWD, staged, AT_FDCWD, dest, RENAME_EXCHANGE) != 0) {
		rc = sohoa_error_from_errno(errno, _("%s: cannot replace"), dest);
		goto cleanup;
	}
	rc = sohoa_fsync_dir(parent);
	if (rc == 0)
		rc = pipeline_rmtree(staged);
cleanup:
	free(parent);
	return rc;
}

/* Copies the regular, non-hidden files directly in `folder` into `dir`. */
static int copy_folder_files(const char *dir, const char *folder)
{
	DIR *d = opendir(folder);
	struct dirent *de;
	int rc = 0;

	if (!d)
		return errno == ENOENT ? 0 : sohoa_error_from_errno(errno, "%s", folder);
	while (rc == 0 && (de = readdir(d)) != NULL) {
		char *src = NULL, *dst = NULL;
		struct stat st;
		if (de->d_name[0] == '.')
			continue;
		if (asprintf(&src, "%s/%s", folder, de->d_name) < 0 ||
		    asprintf(&dst, "%s/%s", dir, de->d_name) < 0) {
			rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		} else if (lstat(src, &st) == 0 && S_ISREG(st.st_mode) &&
			   strcmp(de->d_name, "reason.txt") != 0) {
			rc = pipeline_copy_file(dst, src);
			if (rc < 0 && rc != SOHOA_ENOSPC) {
				/* An unreadable file is noted, not fatal. */
				sohoa_log_warn("%s", sohoa_error_last());
				rc = 0;
			}
		}
		free(src);
		free(dst);
	}
	closedir(d);
	return rc;
}

int pipeline_quarantine(const char *store, const char *name, const char *folder, const char *reason)
{
	char *staged = NULL, *dest = NULL, *why = NULL, *text = NULL;
	int rc;

	if (asprintf(&staged, "%s/tmp/quarantine.%s.%ld", store, name, (long)getpid()) < 0 ||
	    asprintf(&dest, "%s/quarantine/%s", store, name) < 0 ||
	    asprintf(&why, "%s/reason.txt", staged) < 0 || asprintf(&text, "%s\n", reason) < 0) {
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		goto cleanup;
	}
	rc = pipeline_rmtree(staged);
	if (rc == 0 && mkdir(staged, 0755) != 0)
		rc = sohoa_error_from_errno(errno, "%s", staged);
	if (rc == 0)
		rc = copy_folder_files(staged, folder);
	if (rc == 0)
		rc = sohoa_file_write_atomic(why, text, strlen(text));
	if (rc == 0)
		rc = pipeline_install_dir(staged, dest);
cleanup:
	free(staged);
	free(dest);
	free(why);
	free(text);
	return rc;
}

int pipeline_unquarantine(const char *store, const char *name)
{
	char *from = NULL, *to = NULL;
	int rc = 0;

	if (asprintf(&from, "%s/quarantine/%s", store, name) < 0 ||
	    asprintf(&to, "%s/tmp/released.%s.%ld", store, name, (long)getpid()) < 0) {
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		goto cleanup;
	}
	if (rename(from, to) != 0) {
		if (errno != ENOENT)
			rc = sohoa_error_from_errno(errno, _("%s: cannot remove"), from);
		goto cleanup;
	}
	rc = pipeline_rmtree(to);
cleanup:
	free(from);
	free(to);
	return rc;
}

static int visible(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

int pipeline_folder_hash(char out[SOHOA_SHA256_HEX_LEN + 1], const char *folder)
{
	struct dirent **names = NULL;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int n = scandir(folder, &names, visible, alphasort), rc = 0;
	uint8_t md[SOHOA_SHA256_LEN];

	strcpy(out, "");
	if (!f)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	for (int i = 0; i < n; i++) {
		char *path = NULL, hex[SOHOA_SHA256_HEX_LEN + 1];
		struct stat st;
		if (asprintf(&path, "%s/%s", folder, names[i]->d_name) >= 0 &&
		    lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    sohoa_sha256_file(md, path) == 0) {
			sohoa_hex(hex, md, sizeof md);
			fprintf(f, "%s%c%s\n", names[i]->d_name, 0, hex);
		}
		free(path);
		free(names[i]);
	}
	free(names);
	fclose(f);
	if (!buf)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	rc = sohoa_sha256(md, buf, len);
	if (rc == 0)
		sohoa_hex(out, md, sizeof md);
	free(buf);
	return rc;
}
