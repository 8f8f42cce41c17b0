/* formats/files.c: the Files list of a package — every file under the package
 * folder with its media type, size and SHA-256 — computed without following a
 * symbolic link, and compared with what a package.xml says. */
#include "formats/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
	const char *root;
	size_t max;
	sohoa_package_file *files;
	size_t n, cap;
} walk;

static int nomem(void)
{
	return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
}

static void free_files(sohoa_package_file *files, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(files[i].path);
		free(files[i].media_type);
	}
	free(files);
}

static int add_file(walk *w, const char *rel, const struct stat *st)
{
	sohoa_package_file *f;
	uint8_t digest[SOHOA_SHA256_LEN];
	char *full = NULL;
	int rc;

	if (w->n == w->max)
		return sohoa_error_set(SOHOA_ELIMIT, _("%s: more than %zu files"), w->root, w->max);
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 32;
		sohoa_package_file *grown = realloc(w->files, cap * sizeof *grown);
		if (!grown)
			return nomem();
		w->files = grown;
		w->cap = cap;
	}
	f = &w->files[w->n];
	memset(f, 0, sizeof *f);
	if (asprintf(&full, "%s/%s", w->root, rel) < 0)
		return nomem();
	rc = sohoa_sha256_file(digest, full);
	free(full);
	if (rc < 0)
		return rc;
	f->path = strdup(rel);
	f->media_type = strdup(sohoa_formats_media_type(rel));
	w->n++;
	if (!f->path || !f->media_type)
		return nomem();
	f->size = (uint64_t)st->st_size;
	sohoa_hex(f->sha256, digest, SOHOA_SHA256_LEN);
	return 0;
}

/* Walks the folder open as `dfd` (whose path below the root is `rel`, "" for
 * the root itself); closes dfd. */
static int walk_dir(walk *w, int dfd, const char *rel, int depth)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;
	int rc = 0;

	if (!d) {
		close(dfd);
		return sohoa_error_from_errno(errno, "%s/%s", w->root, rel);
	}
	while (rc == 0 && (errno = 0, de = readdir(d)) != NULL) {
		char *sub = NULL;
		struct stat st;
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (!*rel && strcmp(de->d_name, "package.xml") == 0)
			continue;
		if (asprintf(&sub, "%s%s%s", rel, *rel ? "/" : "", de->d_name) < 0)
			return closedir(d), nomem();
		if (sohoa_formats_check_relative_path(sub) < 0) {
			rc = sohoa_error_prefix("%s: ", w->root);
		} else if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			rc = sohoa_error_from_errno(errno, "%s/%s", w->root, sub);
		} else if (S_ISLNK(st.st_mode)) {
			rc = sohoa_error_set(SOHOA_EFORMAT,
					     _("%s/%s: symbolic link in a package folder"), w->root,
					     sub);
		} else if (S_ISDIR(st.st_mode)) {
			int fd = depth >= 16
					 ? -1
					 : openat(dirfd(d), de->d_name,
						  O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (depth >= 16)
				rc = sohoa_error_set(SOHOA_ELIMIT,
						     _("%s/%s: folders nested too deep"), w->root,
						     sub);
			else if (fd < 0)
				rc = sohoa_error_from_errno(errno, "%s/%s", w->root, sub);
			else
				rc = walk_dir(w, fd, sub, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			rc = add_file(w, sub, &st);
		} else {
			rc = sohoa_error_set(SOHOA_EFORMAT, _("%s/%s: not a regular file"), w->root,
					     sub);
		}
		free(sub);
	}
	if (rc == 0 && errno != 0)
		rc = sohoa_error_from_errno(errno, "%s/%s", w->root, rel);
	closedir(d);
	return rc;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const sohoa_package_file *)a)->path, ((const sohoa_package_file *)b)->path);
}

static int list(sohoa_package_file **out, size_t *n, const char *dir, const sohoa_limits *lim)
{
	walk w = {dir, lim->max_dossier_pages * 8, NULL, 0, 0};
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	int rc;

	*out = NULL;
	*n = 0;
	if (fd < 0)
		return errno == ELOOP
			       ? sohoa_error_set(SOHOA_EFORMAT,
						 _("%s: package folder is a symbolic link"), dir)
			       : sohoa_error_from_errno(errno, "%s", dir);
	rc = walk_dir(&w, fd, "", 0);
	if (rc < 0) {
		free_files(w.files, w.n);
		return rc;
	}
	if (w.n)
		qsort(w.files, w.n, sizeof *w.files, by_path);
	*out = w.files;
	*n = w.n;
	return 0;
}

int sohoa_package_list_files(sohoa_package *p, const char *dir, const sohoa_limits *lim)
{
	sohoa_package_file *files;
	size_t n;
	int rc = list(&files, &n, dir, lim);
	if (rc < 0)
		return rc;
	free_files(p->files, p->nfiles);
	p->files = files;
	p->nfiles = n;
	return 0;
}

int sohoa_package_check_files(const sohoa_package *p, const char *dir, const sohoa_limits *lim)
{
	sohoa_package_file *have;
	size_t n, i = 0, k = 0;
	int rc = list(&have, &n, dir, lim);

	if (rc < 0)
		return rc;
	while (rc == 0 && (i < p->nfiles || k < n)) {
		int cmp = i == p->nfiles ? 1 : k == n ? -1 : strcmp(p->files[i].path, have[k].path);
		if (cmp < 0)
			rc = sohoa_error_set(SOHOA_EVERIFY,
					     _("%s/%s: listed in the package, missing"), dir,
					     p->files[i].path);
		else if (cmp > 0)
			rc = sohoa_error_set(SOHOA_EVERIFY, _("%s/%s: not listed in the package"),
					     dir, have[k].path);
		else if (p->files[i].size != have[k].size ||
			 strcmp(p->files[i].sha256, have[k].sha256) != 0)
			rc = sohoa_error_set(SOHOA_EVERIFY,
					     _("%s/%s: content differs from the package's SHA-256"),
					     dir, have[k].path);
		i += cmp <= 0;
		k += cmp >= 0;
	}
	free_files(have, n);
	return rc;
}
