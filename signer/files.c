/* signer/files.c: the Files check of `sohoa verify` — every file the signed
 * Content lists exists in the package directory with its size and SHA-256, and
 * no other file is there. Reads the list from the very element the signatures
 * digested (report->content). The File attributes are docs/signatures.md's. */
#include "signer/internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MAX_DEPTH 16

typedef struct {
	sohoa_signer_report *rep;
	const char **paths; /* listed paths, sorted */
	size_t npaths;
	int rc;
} fcheck;

__attribute__((format(printf, 2, 3))) static int problem(fcheck *f, const char *fmt, ...)
{
	char *msg = NULL, **grown;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	grown = msg ? realloc(f->rep->file_problems,
			      (f->rep->nproblems + 1) * sizeof *f->rep->file_problems)
		    : NULL;
	if (!grown) {
		free(msg);
		return f->rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	}
	f->rep->file_problems = grown;
	grown[f->rep->nproblems++] = msg;
	return 0;
}

/* A listed path must stay inside the package: relative, '/'-separated, no
 * empty, "." or ".." segment, no backslash or control character. */
static int safe_path(const char *p)
{
	const char *seg = p;
	if (!*p || *p == '/')
		return 0;
	for (const char *c = p;; c++) {
		if (*c == '/' || !*c) {
			size_t n = (size_t)(c - seg);
			if (n == 0 || (n == 1 && seg[0] == '.') ||
			    (n == 2 && seg[0] == '.' && seg[1] == '.'))
				return 0;
			if (!*c)
				return 1;
			seg = c + 1;
		} else if (*c == '\\' || (unsigned char)*c < 0x20) {
			return 0;
		}
	}
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int listed(const fcheck *f, const char *rel)
{
	return bsearch(&rel, f->paths, f->npaths, sizeof *f->paths, by_str) != NULL;
}

static void check_one(fcheck *f, const char *dir, xmlNodePtr file)
{
	const char *path = signer_attr(file, "Path"), *size = signer_attr(file, "Size");
	const char *sha = signer_attr(file, "SHA256");
	uint8_t md[SOHOA_SHA256_LEN];
	char hex[SOHOA_SHA256_HEX_LEN + 1], *full = NULL, *end = NULL;
	unsigned long long want;
	struct stat st;

	if (!path || !safe_path(path)) {
		problem(f, "Files/File on line %ld: missing or unsafe path \"%s\"",
			xmlGetLineNo(file), path ? path : "");
		return;
	}
	errno = 0;
	want = size ? strtoull(size, &end, 10) : 0;
	if (!size || !*size || *end || errno || !isdigit((unsigned char)*size) || !sha ||
	    strlen(sha) != SOHOA_SHA256_HEX_LEN) {
		problem(f, "%s: File on line %ld needs size and sha256 attributes", path,
			xmlGetLineNo(file));
		return;
	}
	if (asprintf(&full, "%s/%s", dir, path) < 0) {
		f->rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		return;
	}
	if (lstat(full, &st) < 0)
		problem(f, "%s: missing", path);
	else if (!S_ISREG(st.st_mode))
		problem(f, "%s: not a regular file", path);
	else if ((unsigned long long)st.st_size != want)
		problem(f, "%s: changed (%lld bytes, listed %llu)", path, (long long)st.st_size,
			want);
	else if (sohoa_sha256_file(md, full) < 0)
		problem(f, "%s: unreadable: %s", path, sohoa_error_last());
	else if (sohoa_hex(hex, md, sizeof md), strcasecmp(hex, sha) != 0)
		problem(f, "%s: changed (SHA-256 differs from the list)", path);
	free(full);
}

/* Every entry under dir/rel must be listed (directories are walked). */
static void find_extra(fcheck *f, const char *dir, const char *rel, int depth)
{
	char *here = NULL;
	DIR *d;
	struct dirent *de;

	if (asprintf(&here, "%s%s%s", dir, *rel ? "/" : "", rel) < 0) {
		f->rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		return;
	}
	d = opendir(here);
	if (!d) {
		problem(f, "%s: cannot list: %s", *rel ? rel : ".", strerror(errno));
		free(here);
		return;
	}
	while ((de = readdir(d)) && f->rc == 0) {
		char *child = NULL, *full = NULL;
		struct stat st;
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (asprintf(&child, "%s%s%s", rel, *rel ? "/" : "", de->d_name) < 0 ||
		    asprintf(&full, "%s/%s", here, de->d_name) < 0) {
			free(child);
			f->rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
			break;
		}
		if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (depth >= MAX_DEPTH)
				problem(f, "%s: directories nested too deep", child);
			else
				find_extra(f, dir, child, depth + 1);
		} else if (strcmp(child, "package.xml") && !listed(f, child)) {
			problem(f, "%s: extra file, not in the Files list", child);
		}
		free(child);
		free(full);
	}
	closedir(d);
	free(here);
}

int sohoa_signer_verify_files(sohoa_signer_report *rep, const char *dir)
{
	fcheck f = {.rep = rep};
	xmlNodePtr files = signer_child(rep->content, NS_PKG, "Files");
	size_t n = 0;

	rep->files_checked = 1;
	if (!rep->content) {
		problem(&f, "no signed Content to read the Files list from");
		goto done;
	}
	if (!files) {
		problem(&f, "the signed Content has no Files list");
		goto done;
	}
	for (xmlNodePtr e = signer_first_el(files); e; e = signer_next_el(e))
		n++;
	f.paths = calloc(n ? n : 1, sizeof *f.paths);
	if (!f.paths) {
		f.rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		goto done;
	}
	for (xmlNodePtr e = signer_first_el(files); e && f.rc == 0; e = signer_next_el(e)) {
		const char *path = signer_attr(e, "Path");
		if (!signer_is(e, NS_PKG, "File")) {
			problem(&f, "line %ld: <%s> in Files", xmlGetLineNo(e), (const char *)e->name);
			continue;
		}
		rep->nfiles++;
		if (path)
			f.paths[f.npaths++] = path;
		check_one(&f, dir, e);
	}
	qsort(f.paths, f.npaths, sizeof *f.paths, by_str);
	for (size_t i = 0; i + 1 < f.npaths; i++)
		if (strcmp(f.paths[i], f.paths[i + 1]) == 0)
			problem(&f, "%s: listed twice", f.paths[i]);
	if (f.rc == 0)
		find_extra(&f, dir, "", 0);
done:
	free(f.paths);
	signer_report_update(rep);
	return f.rc;
}
