/* pipeline/inbox.c: enumerate the dossier folders of an inbox directory. */
#include "pipeline/pipeline.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

int sohoa_is_image_name(const char *name)
{
	static const char *const exts[] = {".tif", ".tiff", ".jpg", ".jpeg", ".png", ".pdf"};
	const char *dot = strrchr(name, '.');
	if (!dot || dot == name)
		return 0;
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
		if (strcasecmp(dot, exts[i]) == 0)
			return 1;
	return 0;
}

static char *join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *p = malloc(n);
	if (p)
		snprintf(p, n, "%s/%s", dir, name);
	return p;
}

/* Fills the manifest flag and image count of one dossier folder. */
static int inspect(sohoa_inbox_entry *e)
{
	DIR *d = opendir(e->path);
	struct dirent *de;

	if (!d)
		return sohoa_error_from_errno(errno, "%s", e->path);
	while ((de = readdir(d)) != NULL) {
		int manifest = strcmp(de->d_name, "dossier.xml") == 0;
		struct stat st;
		if (de->d_name[0] == '.' || (!manifest && !sohoa_is_image_name(de->d_name)))
			continue;
		/* Only regular files (or links to them) are manifests and pages. */
		if (fstatat(dirfd(d), de->d_name, &st, 0) != 0 || !S_ISREG(st.st_mode)) {
			sohoa_log_warn(_("%s/%s: not a regular file, ignored"), e->path,
				       de->d_name);
			continue;
		}
		if (manifest)
			e->has_manifest = 1;
		else
			e->image_files++;
	}
	closedir(d);
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const sohoa_inbox_entry *)a)->name, ((const sohoa_inbox_entry *)b)->name);
}

int sohoa_inbox_scan(sohoa_inbox **out, const char *dir)
{
	sohoa_inbox *in = calloc(1, sizeof *in);
	size_t cap = 0;
	DIR *d = NULL;
	struct dirent *de;
	int rc = 0;

	*out = NULL;
	if (!in)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	d = opendir(dir);
	if (!d) {
		rc = sohoa_error_from_errno(errno, "%s", dir);
		goto cleanup;
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		char *path;
		if (de->d_name[0] == '.')
			continue;
		path = join(dir, de->d_name);
		if (!path) {
			rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
			goto cleanup;
		}
		if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
			sohoa_log_warn(_("%s: not a dossier folder, ignored"), path);
			free(path);
			continue;
		}
		if (in->count == cap) {
			size_t ncap = cap ? 2 * cap : 16;
			sohoa_inbox_entry *p = realloc(in->entries, ncap * sizeof *p);
			if (!p) {
				free(path);
				rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
				goto cleanup;
			}
			in->entries = p;
			cap = ncap;
		}
		sohoa_inbox_entry *e = &in->entries[in->count];
		memset(e, 0, sizeof *e);
		e->path = path;
		e->name = strdup(de->d_name);
		in->count++;
		if (!e->name) {
			rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
			goto cleanup;
		}
		rc = inspect(e);
		if (rc < 0)
			goto cleanup;
	}
	if (in->count > 1)
		qsort(in->entries, in->count, sizeof *in->entries, by_name);
cleanup:
	if (d)
		closedir(d);
	if (rc < 0) {
		sohoa_inbox_free(in);
		return rc;
	}
	*out = in;
	return 0;
}

void sohoa_inbox_free(sohoa_inbox *in)
{
	if (!in)
		return;
	for (size_t i = 0; i < in->count; i++) {
		free(in->entries[i].name);
		free(in->entries[i].path);
	}
	free(in->entries);
	free(in);
}
