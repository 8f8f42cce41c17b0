/* formats/manifest.c: the intake manifest dossier.xml — parsed safely, its
 * fields checked with messages naming line and field, validated against
 * intake.xsd, turned into a sohoa_manifest; and image-only dossiers built from
 * a folder's page images. */
#include "formats/internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void sohoa_manifest_free(sohoa_manifest *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->ndocuments; i++) {
		sohoa_manifest_document *d = &m->documents[i];
		free(d->type);
		free(d->number);
		free(d->issued);
		free(d->issuer);
		free(d->title);
		free(d->signer_name);
		free(d->signer_position);
		for (size_t k = 0; k < d->npages; k++)
			free(d->pages[k]);
		free(d->pages);
	}
	free(m->documents);
	free(m->code);
	free(m->procedure_code);
	free(m->procedure_name);
	free(m->received);
	free(m->agency_code);
	free(m->agency_name);
	free(m->applicant_id);
	free(m->applicant_name);
	free(m);
}

static int nomem(void)
{
	return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
}

/* An attribute's value as written (paths are bytes on disk: never normalised). */
static int raw_attr(char **out, xmlNodePtr node, const char *attr)
{
	xmlChar *v = xmlGetNoNsProp(node, BAD_CAST attr);
	*out = NULL;
	if (!v)
		return 0;
	*out = strdup((const char *)v);
	xmlFree(v);
	return *out ? 0 : nomem();
}

static int is_page_image(const char *path)
{
	const char *t = sohoa_formats_media_type(path);
	return strcmp(t, "image/tiff") == 0 || strcmp(t, "image/jpeg") == 0 ||
	       strcmp(t, "image/png") == 0 || strcmp(t, "application/pdf") == 0;
}

typedef struct {
	const char *name;
	const sohoa_limits *lim;
	sohoa_manifest *m;
} parse_ctx;

/* Copies attribute/text and runs `check` on it (when present), reporting a
 * failure at `node`/@attr. */
static int field(parse_ctx *c, char **out, xmlNodePtr node, const char *attr,
		 int (*check)(const char *))
{
	int rc = attr ? formats_attr(out, node, attr) : formats_text(out, node);
	if (rc < 0)
		return rc == SOHOA_EFORMAT ? formats_field_error(c->name, node, attr, NULL) : rc;
	if (*out && check && check(*out) < 0)
		return formats_field_error(c->name, node, attr, NULL);
	return 0;
}

static int parse_pages(parse_ctx *c, sohoa_manifest_document *d, xmlNodePtr doc_node)
{
	size_t n = 0;
	for (xmlNodePtr p = formats_child(doc_node, INTAKE_NS, "page"); p;
	     p = formats_next(p, INTAKE_NS, "page"))
		n++;
	if (n == 0)
		return 0;
	if (c->m->npages + n > c->lim->max_dossier_pages)
		return sohoa_error_set(SOHOA_ELIMIT,
				       _("%s:%ld: more than %zu pages in the dossier"), c->name,
				       xmlGetLineNo(doc_node), c->lim->max_dossier_pages);
	d->pages = calloc(n, sizeof *d->pages);
	if (!d->pages)
		return nomem();
	for (xmlNodePtr p = formats_child(doc_node, INTAKE_NS, "page"); p;
	     p = formats_next(p, INTAKE_NS, "page")) {
		char **slot = &d->pages[d->npages];
		int rc = raw_attr(slot, p, "file");
		if (rc < 0)
			return rc;
		if (!*slot)
			continue; /* the XSD reports the missing attribute */
		d->npages++;
		c->m->npages++;
		if (sohoa_formats_check_relative_path(*slot) < 0)
			return formats_field_error(c->name, p, "file", NULL);
		if (!is_page_image(*slot))
			return formats_field_error(
				c->name, p, "file",
				_("'%s' is not a page image (.tif .tiff .jpg .jpeg .png .pdf)"),
				*slot);
		for (size_t i = 0; i < c->m->ndocuments; i++) {
			const sohoa_manifest_document *o = &c->m->documents[i];
			for (size_t k = 0; k < o->npages; k++)
				if (&o->pages[k] != slot && strcmp(o->pages[k], *slot) == 0)
					return formats_field_error(c->name, p, "file",
								   _("'%s' is listed twice"),
								   *slot);
		}
	}
	return 0;
}

static int parse_document(parse_ctx *c, sohoa_manifest_document *d, xmlNodePtr node)
{
	xmlNodePtr signer = formats_child(node, INTAKE_NS, "signer");
	char *kind = NULL;
	int rc;

	if ((rc = field(c, &kind, node, "kind", NULL)) < 0)
		return rc;
	d->kind = kind && strcmp(kind, "result") == 0 ? SOHOA_DOC_RESULT : SOHOA_DOC_COMPONENT;
	free(kind);
	if ((rc = field(c, &d->type, node, "type", NULL)) < 0 ||
	    (rc = field(c, &d->number, node, "number", NULL)) < 0 ||
	    (rc = field(c, &d->issued, node, "issued", sohoa_formats_check_date)) < 0 ||
	    (rc = field(c, &d->title, formats_child(node, INTAKE_NS, "title"), NULL, NULL)) < 0 ||
	    (rc = field(c, &d->issuer, formats_child(node, INTAKE_NS, "issuer"), NULL, NULL)) < 0 ||
	    (rc = field(c, &d->signer_name, signer, "name", NULL)) < 0 ||
	    (rc = field(c, &d->signer_position, signer, "position", NULL)) < 0)
		return rc;
	return parse_pages(c, d, node);
}

static int approval_of(sohoa_approval *out, parse_ctx *c, xmlNodePtr proc)
{
	char *v = NULL;
	int rc = field(c, &v, proc, "approval", NULL);
	*out = v && strcmp(v, "leader") == 0 ? SOHOA_APPROVAL_LEADER : SOHOA_APPROVAL_SEAL;
	free(v);
	return rc;
}

/* Every field the tree has, checked as it is read: the XSD runs afterwards
 * and reports what is missing or misplaced. */
static int extract(parse_ctx *c, xmlNodePtr root)
{
	sohoa_manifest *m = c->m;
	xmlNodePtr proc = formats_child(root, INTAKE_NS, "procedure");
	xmlNodePtr agency = formats_child(root, INTAKE_NS, "agency");
	xmlNodePtr applicant = formats_child(root, INTAKE_NS, "applicant");
	size_t ndocs = 0;
	int rc;

	if ((rc = field(c, &m->code, root, "code", sohoa_formats_check_dossier_code)) < 0 ||
	    (rc = field(c, &m->procedure_code, proc, "code", NULL)) < 0 ||
	    (rc = field(c, &m->procedure_name, proc, NULL, NULL)) < 0 ||
	    (rc = approval_of(&m->approval, c, proc)) < 0 ||
	    (rc = field(c, &m->received, formats_child(root, INTAKE_NS, "received"), NULL,
			sohoa_formats_check_datetime)) < 0 ||
	    (rc = field(c, &m->agency_code, agency, "code", NULL)) < 0 ||
	    (rc = field(c, &m->agency_name, agency, NULL, NULL)) < 0 ||
	    (rc = field(c, &m->applicant_id, applicant, "id", sohoa_formats_check_citizen_id)) <
		    0 ||
	    (rc = field(c, &m->applicant_name, formats_child(applicant, INTAKE_NS, "name"), NULL,
			NULL)) < 0)
		return rc;
	for (xmlNodePtr d = formats_child(root, INTAKE_NS, "document"); d;
	     d = formats_next(d, INTAKE_NS, "document"))
		ndocs++;
	if (ndocs > c->lim->max_dossier_pages)
		return sohoa_error_set(SOHOA_ELIMIT, _("%s: more than %zu documents"), c->name,
				       c->lim->max_dossier_pages);
	m->documents = calloc(ndocs ? ndocs : 1, sizeof *m->documents);
	if (!m->documents)
		return nomem();
	for (xmlNodePtr d = formats_child(root, INTAKE_NS, "document"); d;
	     d = formats_next(d, INTAKE_NS, "document")) {
		m->ndocuments++;
		if ((rc = parse_document(c, &m->documents[m->ndocuments - 1], d)) < 0)
			return rc;
	}
	return 0;
}

/* What the XSD cannot say: the dossier code is made of the receiving agency's
 * code and the local date of reception. */
static int cross_check(parse_ctx *c, xmlNodePtr root)
{
	const sohoa_manifest *m = c->m;
	const char *dash = strchr(m->code, '-');
	size_t alen = (size_t)(dash - m->code);
	xmlNodePtr agency = formats_child(root, INTAKE_NS, "agency");

	if (strlen(m->agency_code) != alen || memcmp(m->agency_code, m->code, alen) != 0)
		return formats_field_error(c->name, agency, "code",
					   _("agency %s is not the agency of dossier code %s"),
					   m->agency_code, m->code);
	/* yymmdd of the code against YYYY-MM-DD of the reception time */
	if (memcmp(dash + 1, m->received + 2, 2) != 0 ||
	    memcmp(dash + 3, m->received + 5, 2) != 0 || memcmp(dash + 5, m->received + 8, 2) != 0)
		return formats_field_error(c->name, formats_child(root, INTAKE_NS, "received"),
					   NULL,
					   _("reception date %.10s differs from the date %.6s of "
					     "dossier code %s"),
					   m->received, dash + 1, m->code);
	return 0;
}

int sohoa_manifest_parse(sohoa_manifest **out, const char *buf, size_t len, const char *name,
			 const sohoa_limits *lim)
{
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	parse_ctx c = {name, lim, NULL};
	int rc;

	*out = NULL;
	rc = sohoa_xml_parse(&doc, buf, len, name, lim);
	if (rc < 0)
		return rc;
	root = xmlDocGetRootElement(doc);
	if (!root->ns || strcmp((const char *)root->ns->href, INTAKE_NS) != 0 ||
	    strcmp((const char *)root->name, "dossier") != 0) {
		rc = sohoa_error_set(SOHOA_EFORMAT,
				     _("%s:%ld: root element must be 'dossier' in namespace %s"),
				     name, xmlGetLineNo(root), INTAKE_NS);
		goto cleanup;
	}
	c.m = calloc(1, sizeof *c.m);
	if (!c.m) {
		rc = nomem();
		goto cleanup;
	}
	if ((rc = extract(&c, root)) < 0 || (rc = sohoa_manifest_validate_doc(doc, name)) < 0 ||
	    (rc = cross_check(&c, root)) < 0)
		goto cleanup;
	*out = c.m;
	c.m = NULL;
cleanup:
	sohoa_manifest_free(c.m);
	xmlFreeDoc(doc);
	return rc;
}

/* Whether `path` resolves to a regular file inside `real_dir` (a realpath). */
static int check_inside(const char *real_dir, const char *dir, const char *page)
{
	char *full = NULL, *real = NULL;
	size_t n = strlen(real_dir);
	struct stat st;
	int rc = 0;

	if (asprintf(&full, "%s/%s", dir, page) < 0)
		return nomem();
	real = realpath(full, NULL);
	if (!real) {
		rc = sohoa_error_from_errno(errno, "%s", full);
		goto cleanup;
	}
	if (strncmp(real, real_dir, n) != 0 ||
	    (real[n] != '/' && !(n == 1 && real_dir[0] == '/'))) {
		rc = sohoa_error_set(SOHOA_EFORMAT,
				     _("%s: resolves to %s, outside the dossier folder"), full,
				     real);
		goto cleanup;
	}
	if (stat(real, &st) != 0) {
		rc = sohoa_error_from_errno(errno, "%s", full);
		goto cleanup;
	}
	if (!S_ISREG(st.st_mode))
		rc = sohoa_error_set(SOHOA_EFORMAT, _("%s: not a regular file"), full);
cleanup:
	free(real);
	free(full);
	return rc;
}

int sohoa_manifest_check_files(const sohoa_manifest *m, const char *dir)
{
	char *real_dir = realpath(dir, NULL);
	int rc = 0;

	if (!real_dir)
		return sohoa_error_from_errno(errno, "%s", dir);
	for (size_t i = 0; i < m->ndocuments && rc == 0; i++)
		for (size_t k = 0; k < m->documents[i].npages && rc == 0; k++) {
			const char *page = m->documents[i].pages[k];
			if (sohoa_formats_check_relative_path(page) < 0)
				rc = sohoa_error_prefix("%s/", dir);
			else
				rc = check_inside(real_dir, dir, page);
		}
	free(real_dir);
	return rc;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

int sohoa_manifest_read(sohoa_manifest **out, const char *path, const sohoa_limits *lim)
{
	char *buf = NULL, *dir = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	rc = sohoa_file_read(&buf, &len, path, lim->max_manifest_bytes);
	if (rc < 0)
		return rc;
	rc = sohoa_manifest_parse(out, buf, len, path, lim);
	free(buf);
	if (rc < 0)
		return rc;
	dir = dir_of(path);
	rc = dir ? sohoa_manifest_check_files(*out, dir) : nomem();
	free(dir);
	if (rc < 0) {
		sohoa_manifest_free(*out);
		*out = NULL;
	}
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The image files of `dir` (not hidden), sorted; *n of them. */
static int list_images(char ***out, size_t *n, const char *dir, const sohoa_limits *lim)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t cap = 0;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (!d)
		return sohoa_error_from_errno(errno, "%s", dir);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || !is_page_image(de->d_name))
			continue;
		if (*n == lim->max_dossier_pages) {
			rc = sohoa_error_set(SOHOA_ELIMIT, _("%s: more than %zu page images"), dir,
					     lim->max_dossier_pages);
			break;
		}
		if (*n == cap) {
			char **grown = realloc(names, (cap = cap ? cap * 2 : 16) * sizeof *names);
			if (!grown) {
				rc = nomem();
				break;
			}
			names = grown;
		}
		if (!(names[*n] = strdup(de->d_name))) {
			rc = nomem();
			break;
		}
		(*n)++;
	}
	closedir(d);
	if (rc == 0 && *n == 0)
		rc = sohoa_error_set(SOHOA_EFORMAT, _("%s: no dossier.xml and no page image"), dir);
	if (rc < 0) {
		for (size_t i = 0; i < *n; i++)
			free(names[i]);
		free(names);
		*n = 0;
		return rc;
	}
	qsort(names, *n, sizeof *names, by_name);
	*out = names;
	return 0;
}

int sohoa_manifest_from_folder(sohoa_manifest **out, const char *dir, const sohoa_limits *lim)
{
	sohoa_manifest *m = NULL;
	char *trimmed = NULL, *base;
	char **names = NULL;
	size_t n = 0;
	int rc;

	*out = NULL;
	rc = list_images(&names, &n, dir, lim);
	if (rc < 0)
		return rc;
	m = calloc(1, sizeof *m);
	trimmed = strdup(dir);
	if (!m || !trimmed || !(m->documents = calloc(1, sizeof *m->documents))) {
		rc = nomem();
		goto cleanup;
	}
	for (size_t l = strlen(trimmed); l > 1 && trimmed[l - 1] == '/'; l--)
		trimmed[l - 1] = '\0';
	base = strrchr(trimmed, '/');
	base = base ? base + 1 : trimmed;
	m->image_only = 1;
	m->ndocuments = 1;
	m->documents[0].kind = SOHOA_DOC_COMPONENT;
	m->documents[0].pages = names;
	m->documents[0].npages = m->npages = n;
	names = NULL;
	if (!(m->code = strdup(base))) {
		rc = nomem();
		goto cleanup;
	}
	rc = sohoa_manifest_check_files(m, dir);
	if (rc == 0) {
		*out = m;
		m = NULL;
	}
cleanup:
	if (names) {
		for (size_t i = 0; i < n; i++)
			free(names[i]);
		free(names);
	}
	sohoa_manifest_free(m);
	free(trimmed);
	return rc;
}

int sohoa_manifest_load(sohoa_manifest **out, const char *dir, const sohoa_limits *lim)
{
	char *path = NULL;
	struct stat st;
	int rc;

	*out = NULL;
	if (asprintf(&path, "%s/dossier.xml", dir) < 0)
		return nomem();
	if (lstat(path, &st) == 0)
		rc = sohoa_manifest_read(out, path, lim);
	else if (errno == ENOENT)
		rc = sohoa_manifest_from_folder(out, dir, lim);
	else
		rc = sohoa_error_from_errno(errno, "%s", path);
	free(path);
	return rc;
}
