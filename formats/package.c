/* formats/package.c: package.xml — built from a manifest, written
 * deterministically (same package, same bytes), read back through the safe
 * parser and package.xsd into the same struct. */
#include "formats/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int nomem(void)
{
	return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
}

static void free_document(sohoa_package_document *d)
{
	free(d->type);
	free(d->number);
	free(d->issued);
	free(d->issuer);
	free(d->subject);
	free(d->language);
	free(d->signer_name);
	free(d->signer_position);
	for (size_t k = 0; k < d->npages; k++)
		free(d->page_sources[k]);
	free(d->page_sources);
	free(d->page_numbers);
}

void sohoa_package_free(sohoa_package *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->ndocuments; i++)
		free_document(&p->documents[i]);
	free(p->documents);
	for (size_t i = 0; i < p->nfiles; i++) {
		free(p->files[i].path);
		free(p->files[i].media_type);
	}
	free(p->files);
	free(p->file_code);
	free(p->title);
	free(p->organ_name);
	free(p->organ_code);
	free(p->procedure_code);
	free(p->procedure_name);
	free(p->received);
	free(p->applicant_id);
	free(p->applicant_name);
	free(p->language);
	free(p);
}

/* strdup that keeps NULL; sets *fail on allocation failure. */
static char *dup_opt(const char *s, int *fail)
{
	char *d;
	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		*fail = 1;
	return d;
}

static int copy_document(sohoa_package_document *d, const sohoa_manifest_document *md,
			 size_t first_page)
{
	int fail = 0;
	d->kind = md->kind;
	d->type = dup_opt(md->type, &fail);
	d->number = dup_opt(md->number, &fail);
	d->issued = dup_opt(md->issued, &fail);
	d->issuer = dup_opt(md->issuer, &fail);
	d->subject = dup_opt(md->title, &fail);
	d->language = dup_opt("vi", &fail);
	d->signer_name = dup_opt(md->signer_name, &fail);
	d->signer_position = dup_opt(md->signer_position, &fail);
	if (md->npages) {
		d->page_numbers = calloc(md->npages, sizeof *d->page_numbers);
		d->page_sources = calloc(md->npages, sizeof *d->page_sources);
		if (!d->page_numbers || !d->page_sources)
			return nomem();
	}
	for (size_t k = 0; k < md->npages; k++) {
		d->page_numbers[k] = first_page + k + 1;
		d->page_sources[k] = dup_opt(md->pages[k], &fail);
		d->npages++;
	}
	return fail ? nomem() : 0;
}

int sohoa_package_from_manifest(sohoa_package **out, const sohoa_manifest *m)
{
	sohoa_package *p = calloc(1, sizeof *p);
	size_t page = 0;
	int fail = 0, rc = 0;

	*out = NULL;
	if (!p)
		return nomem();
	p->file_code = dup_opt(m->code, &fail);
	if (m->procedure_name && m->applicant_name) {
		if (asprintf(&p->title, "%s — %s", m->procedure_name, m->applicant_name) < 0)
			fail = 1;
	} else {
		p->title = dup_opt(m->procedure_name ? m->procedure_name : m->code, &fail);
	}
	p->organ_name = dup_opt(m->agency_name, &fail);
	p->organ_code = dup_opt(m->agency_code, &fail);
	p->procedure_code = dup_opt(m->procedure_code, &fail);
	p->procedure_name = dup_opt(m->procedure_name, &fail);
	p->approval = m->approval;
	p->received = dup_opt(m->received, &fail);
	p->applicant_id = dup_opt(m->applicant_id, &fail);
	p->applicant_name = dup_opt(m->applicant_name, &fail);
	p->language = dup_opt("vi", &fail);
	p->documents = calloc(m->ndocuments ? m->ndocuments : 1, sizeof *p->documents);
	if (fail || !p->documents) {
		rc = nomem();
		goto cleanup;
	}
	for (size_t i = 0; i < m->ndocuments; i++) {
		p->ndocuments++;
		rc = copy_document(&p->documents[i], &m->documents[i], page);
		if (rc < 0)
			goto cleanup;
		page += m->documents[i].npages;
	}
	*out = p;
	p = NULL;
cleanup:
	sohoa_package_free(p);
	return rc;
}

/* ------------------------------------------------------------- writing */

static void elem(FILE *f, const char *indent, const char *name, const char *value)
{
	if (!value)
		return;
	fprintf(f, "%s<%s>", indent, name);
	formats_escape(f, value, 0);
	fprintf(f, "</%s>\n", name);
}

static void attr(FILE *f, const char *name, const char *value)
{
	if (!value)
		return;
	fprintf(f, " %s=\"", name);
	formats_escape(f, value, 1);
	fputc('"', f);
}

static size_t total_pages(const sohoa_package *p)
{
	size_t n = 0;
	for (size_t i = 0; i < p->ndocuments; i++)
		n += p->documents[i].npages;
	return n;
}

static void write_record(FILE *f, const sohoa_package *p)
{
	fputs("    <Record>\n", f);
	elem(f, "      ", "FileCode", p->file_code);
	elem(f, "      ", "Title", p->title);
	elem(f, "      ", "OrganName", p->organ_name);
	elem(f, "      ", "OrganCode", p->organ_code);
	if (p->procedure_code && p->procedure_name) {
		fputs("      <Procedure", f);
		attr(f, "Code", p->procedure_code);
		attr(f, "Approval", p->approval == SOHOA_APPROVAL_LEADER ? "leader" : "seal");
		fputc('>', f);
		formats_escape(f, p->procedure_name, 0);
		fputs("</Procedure>\n", f);
	}
	elem(f, "      ", "Received", p->received);
	if (p->applicant_id && p->applicant_name) {
		fputs("      <Applicant", f);
		attr(f, "Id", p->applicant_id);
		fputc('>', f);
		formats_escape(f, p->applicant_name, 0);
		fputs("</Applicant>\n", f);
	}
	elem(f, "      ", "Language", p->language);
	fprintf(f, "      <DocumentCount>%zu</DocumentCount>\n", p->ndocuments);
	fprintf(f, "      <PageCount>%zu</PageCount>\n", total_pages(p));
	if (p->maintenance_years)
		fprintf(f, "      <Maintenance>%u</Maintenance>\n", p->maintenance_years);
	else
		fputs("      <Maintenance>permanent</Maintenance>\n", f);
	fprintf(f, "      <AccessMode>%s</AccessMode>\n",
		p->access_public ? "public" : "restricted");
	fputs("    </Record>\n", f);
}

static void write_document(FILE *f, const sohoa_package_document *d)
{
	fprintf(f, "      <Document Kind=\"%s\">\n",
		d->kind == SOHOA_DOC_RESULT ? "result" : "component");
	elem(f, "        ", "DocumentType", d->type);
	elem(f, "        ", "NumberNotation", d->number);
	elem(f, "        ", "IssueDate", d->issued);
	elem(f, "        ", "Issuer", d->issuer);
	elem(f, "        ", "Subject", d->subject);
	elem(f, "        ", "Language", d->language);
	fprintf(f, "        <PageCount>%zu</PageCount>\n", d->npages);
	if (d->signer_name) {
		fputs("        <Signer", f);
		attr(f, "Name", d->signer_name);
		attr(f, "Position", d->signer_position);
		fputs("/>\n", f);
	}
	for (size_t k = 0; k < d->npages; k++) {
		fprintf(f, "        <Page Number=\"%zu\"", d->page_numbers[k]);
		attr(f, "Source", d->page_sources[k]);
		fputs("/>\n", f);
	}
	fputs("      </Document>\n", f);
}

/* The checks a package must pass before it is written. */
static int writable(const sohoa_package *p)
{
	if (!p->file_code || !p->title || !p->language)
		return sohoa_error_set(SOHOA_EINVAL,
				       _("package: file code, title and language are required"));
	if (p->ocr_confidence_centi > 10000 || p->maintenance_years > 999)
		return sohoa_error_set(SOHOA_EINVAL,
				       _("package %s: confidence or maintenance out of range"),
				       p->file_code);
	for (size_t i = 0; i < p->ndocuments; i++)
		if (!p->documents[i].language || p->documents[i].npages == 0)
			return sohoa_error_set(SOHOA_EINVAL,
					       _("package %s: document %zu has no language or no "
						 "page"),
					       p->file_code, i + 1);
	for (size_t i = 0; i < p->nfiles; i++) {
		if (sohoa_formats_check_relative_path(p->files[i].path) < 0)
			return sohoa_error_prefix("package %s: ", p->file_code);
		if (i > 0 && strcmp(p->files[i - 1].path, p->files[i].path) >= 0)
			return sohoa_error_set(SOHOA_EINVAL,
					       _("package %s: files not sorted or listed twice"),
					       p->file_code);
	}
	return 0;
}

int sohoa_package_to_xml(char **out, size_t *len, const sohoa_package *p)
{
	FILE *f;
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = writable(p)) < 0)
		return rc;
	f = open_memstream(out, len);
	if (!f)
		return nomem();
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<Package xmlns=\"" PACKAGE_NS "\" Version=\"1\">\n"
	      "  <Content Id=\"content\">\n",
	      f);
	write_record(f, p);
	fputs("    <Documents>\n", f);
	for (size_t i = 0; i < p->ndocuments; i++)
		write_document(f, &p->documents[i]);
	fputs("    </Documents>\n", f);
	fprintf(f, "    <Ocr Pages=\"%zu\" MeanConfidence=\"%u.%02u\" NeedsReview=\"%zu\"/>\n",
		p->ocr_pages, p->ocr_confidence_centi / 100, p->ocr_confidence_centi % 100,
		p->ocr_needs_review);
	fputs("    <Files>\n", f);
	for (size_t i = 0; i < p->nfiles; i++) {
		const sohoa_package_file *file = &p->files[i];
		fputs("      <File", f);
		attr(f, "Path", file->path);
		attr(f, "MediaType", file->media_type);
		fprintf(f, " Size=\"%llu\"", (unsigned long long)file->size);
		attr(f, "SHA256", file->sha256);
		fputs("/>\n", f);
	}
	fputs("    </Files>\n  </Content>\n  <Signatures/>\n</Package>\n", f);
	if (fclose(f) != 0 || !*out) {
		free(*out);
		*out = NULL;
		return nomem();
	}
	return 0;
}

int sohoa_package_write(const char *path, const sohoa_package *p)
{
	char *buf = NULL;
	size_t len = 0;
	int rc = sohoa_package_to_xml(&buf, &len, p);
	if (rc == 0)
		rc = sohoa_file_write_atomic(path, buf, len);
	free(buf);
	return rc;
}

void formats_escape(FILE *out, const char *s, int in_attr)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs(in_attr ? "&quot;" : "\"", out); break;
		case '\r': fputs("&#13;", out); break;
		case '\n': fputs(in_attr ? "&#10;" : "\n", out); break;
		case '\t': fputs(in_attr ? "&#9;" : "\t", out); break;
		default: fputc(*s, out);
		}
	}
}

/* ------------------------------------------------------------- reading */

typedef struct {
	const char *name;
	sohoa_package *p;
} read_ctx;

/* A count or page number (the XSD allowed digits, maybe with surrounding
 * blanks, at most 10 of them). */
static int number_of(size_t *out, read_ctx *c, xmlNodePtr node, const char *attr_name)
{
	char *v = NULL;
	int rc = attr_name ? formats_attr(&v, node, attr_name) : formats_text(&v, node);
	unsigned long long n = 0;

	if (rc < 0)
		return rc;
	for (const char *s = v; s && *s; s++)
		if (*s >= '0' && *s <= '9' && n < 10000000000ull)
			n = n * 10 + (unsigned long long)(*s - '0');
	free(v);
	if (n > SIZE_MAX)
		return formats_field_error(c->name, node, attr_name, _("number too large"));
	*out = (size_t)n;
	return 0;
}

static int read_pages(read_ctx *c, sohoa_package_document *d, xmlNodePtr node, size_t max_page)
{
	size_t n = 0;
	int rc;
	for (xmlNodePtr pg = formats_child(node, PACKAGE_NS, "Page"); pg;
	     pg = formats_next(pg, PACKAGE_NS, "Page"))
		n++;
	d->page_numbers = calloc(n ? n : 1, sizeof *d->page_numbers);
	d->page_sources = calloc(n ? n : 1, sizeof *d->page_sources);
	if (!d->page_numbers || !d->page_sources)
		return nomem();
	for (xmlNodePtr pg = formats_child(node, PACKAGE_NS, "Page"); pg;
	     pg = formats_next(pg, PACKAGE_NS, "Page")) {
		size_t k = d->npages;
		xmlChar *src = xmlGetNoNsProp(pg, BAD_CAST "Source");
		d->page_sources[k] = src ? strdup((const char *)src) : NULL;
		xmlFree(src);
		if (!d->page_sources[k])
			return nomem();
		d->npages++;
		if ((rc = number_of(&d->page_numbers[k], c, pg, "Number")) < 0)
			return rc;
		if (d->page_numbers[k] > max_page)
			return formats_field_error(c->name, pg, "Number",
						   _("page %zu of a dossier of %zu pages"),
						   d->page_numbers[k], max_page);
		if (sohoa_formats_check_relative_path(d->page_sources[k]) < 0)
			return formats_field_error(c->name, pg, "Source", NULL);
	}
	return 0;
}

static int read_document(read_ctx *c, sohoa_package_document *d, xmlNodePtr node, size_t max_page)
{
	xmlNodePtr signer = formats_child(node, PACKAGE_NS, "Signer");
	xmlNodePtr count = formats_child(node, PACKAGE_NS, "PageCount");
	char *kind = NULL;
	size_t declared = 0;
	int rc;

	if ((rc = formats_attr(&kind, node, "Kind")) < 0)
		return rc;
	d->kind = kind && strcmp(kind, "result") == 0 ? SOHOA_DOC_RESULT : SOHOA_DOC_COMPONENT;
	free(kind);
	if ((rc = formats_text(&d->type, formats_child(node, PACKAGE_NS, "DocumentType"))) < 0 ||
	    (rc = formats_text(&d->number, formats_child(node, PACKAGE_NS, "NumberNotation"))) <
		    0 ||
	    (rc = formats_text(&d->issued, formats_child(node, PACKAGE_NS, "IssueDate"))) < 0 ||
	    (rc = formats_text(&d->issuer, formats_child(node, PACKAGE_NS, "Issuer"))) < 0 ||
	    (rc = formats_text(&d->subject, formats_child(node, PACKAGE_NS, "Subject"))) < 0 ||
	    (rc = formats_text(&d->language, formats_child(node, PACKAGE_NS, "Language"))) < 0 ||
	    (rc = formats_attr(&d->signer_name, signer, "Name")) < 0 ||
	    (rc = formats_attr(&d->signer_position, signer, "Position")) < 0 ||
	    (rc = read_pages(c, d, node, max_page)) < 0 ||
	    (rc = number_of(&declared, c, count, NULL)) < 0)
		return rc;
	if (d->issued && sohoa_formats_check_date(d->issued) < 0)
		return formats_field_error(c->name, formats_child(node, PACKAGE_NS, "IssueDate"),
					   NULL, NULL);
	if (declared != d->npages)
		return formats_field_error(c->name, count, NULL,
					   _("says %zu pages, the document lists %zu"), declared,
					   d->npages);
	return 0;
}

static int read_record(read_ctx *c, xmlNodePtr rec)
{
	sohoa_package *p = c->p;
	xmlNodePtr proc = formats_child(rec, PACKAGE_NS, "Procedure");
	xmlNodePtr app = formats_child(rec, PACKAGE_NS, "Applicant");
	xmlNodePtr received = formats_child(rec, PACKAGE_NS, "Received");
	char *approval = NULL, *maintenance = NULL, *access = NULL;
	int rc;

	if ((rc = formats_text(&p->file_code, formats_child(rec, PACKAGE_NS, "FileCode"))) < 0 ||
	    (rc = formats_text(&p->title, formats_child(rec, PACKAGE_NS, "Title"))) < 0 ||
	    (rc = formats_text(&p->organ_name, formats_child(rec, PACKAGE_NS, "OrganName"))) < 0 ||
	    (rc = formats_text(&p->organ_code, formats_child(rec, PACKAGE_NS, "OrganCode"))) < 0 ||
	    (rc = formats_attr(&p->procedure_code, proc, "Code")) < 0 ||
	    (rc = formats_text(&p->procedure_name, proc)) < 0 ||
	    (rc = formats_attr(&approval, proc, "Approval")) < 0 ||
	    (rc = formats_text(&p->received, received)) < 0 ||
	    (rc = formats_attr(&p->applicant_id, app, "Id")) < 0 ||
	    (rc = formats_text(&p->applicant_name, app)) < 0 ||
	    (rc = formats_text(&p->language, formats_child(rec, PACKAGE_NS, "Language"))) < 0 ||
	    (rc = formats_text(&maintenance, formats_child(rec, PACKAGE_NS, "Maintenance"))) < 0 ||
	    (rc = formats_text(&access, formats_child(rec, PACKAGE_NS, "AccessMode"))) < 0)
		goto cleanup;
	p->approval = approval && strcmp(approval, "leader") == 0 ? SOHOA_APPROVAL_LEADER
								  : SOHOA_APPROVAL_SEAL;
	p->maintenance_years = maintenance && strcmp(maintenance, "permanent") != 0
				       ? (unsigned)atoi(maintenance)
				       : 0;
	p->access_public = access && strcmp(access, "public") == 0;
	if (p->received && sohoa_formats_check_datetime(p->received) < 0)
		rc = formats_field_error(c->name, received, NULL, NULL);
	else if (p->applicant_id && sohoa_formats_check_citizen_id(p->applicant_id) < 0)
		rc = formats_field_error(c->name, app, "Id", NULL);
cleanup:
	free(approval);
	free(maintenance);
	free(access);
	return rc;
}

static int read_files(read_ctx *c, xmlNodePtr files)
{
	sohoa_package *p = c->p;
	size_t n = 0;
	for (xmlNodePtr f = formats_child(files, PACKAGE_NS, "File"); f;
	     f = formats_next(f, PACKAGE_NS, "File"))
		n++;
	p->files = calloc(n ? n : 1, sizeof *p->files);
	if (!p->files)
		return nomem();
	for (xmlNodePtr f = formats_child(files, PACKAGE_NS, "File"); f;
	     f = formats_next(f, PACKAGE_NS, "File")) {
		sohoa_package_file *pf = &p->files[p->nfiles];
		xmlChar *path = xmlGetNoNsProp(f, BAD_CAST "Path");
		xmlChar *type = xmlGetNoNsProp(f, BAD_CAST "MediaType");
		xmlChar *size = xmlGetNoNsProp(f, BAD_CAST "Size");
		xmlChar *hash = xmlGetNoNsProp(f, BAD_CAST "SHA256");
		int bad_size = 0;
		pf->path = path ? strdup((const char *)path) : NULL;
		pf->media_type = type ? strdup((const char *)type) : NULL;
		if (size) {
			char *end;
			errno = 0;
			pf->size = strtoull((const char *)size, &end, 10);
			while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
				end++;
			bad_size = errno != 0 || *end != '\0';
		}
		if (hash && strlen((const char *)hash) == SOHOA_SHA256_HEX_LEN)
			memcpy(pf->sha256, hash, SOHOA_SHA256_HEX_LEN + 1);
		xmlFree(path);
		xmlFree(type);
		xmlFree(size);
		xmlFree(hash);
		p->nfiles++;
		if (!pf->path || !pf->media_type)
			return nomem();
		if (bad_size)
			return formats_field_error(c->name, f, "Size", _("size out of range"));
		if (sohoa_formats_check_relative_path(pf->path) < 0)
			return formats_field_error(c->name, f, "Path", NULL);
		if (strcmp(pf->path, "package.xml") == 0)
			return formats_field_error(c->name, f, "Path",
						   _("package.xml cannot list itself"));
		if (p->nfiles > 1 && strcmp(p->files[p->nfiles - 2].path, pf->path) >= 0)
			return formats_field_error(c->name, f, "Path",
						   _("'%s' is listed twice or out of order"),
						   pf->path);
	}
	return 0;
}

static int read_ocr(read_ctx *c, xmlNodePtr ocr)
{
	sohoa_package *p = c->p;
	char *conf = NULL;
	int rc;
	if ((rc = number_of(&p->ocr_pages, c, ocr, "Pages")) < 0 ||
	    (rc = number_of(&p->ocr_needs_review, c, ocr, "NeedsReview")) < 0 ||
	    (rc = formats_attr(&conf, ocr, "MeanConfidence")) < 0)
		return rc;
	if (conf) { /* the XSD made it (0|[1-9][0-9]{0,2}).[0-9]{2}, at most 100 */
		const char *dot = strchr(conf, '.');
		p->ocr_confidence_centi = (unsigned)atoi(conf) * 100 + (unsigned)atoi(dot + 1);
	}
	free(conf);
	if (p->ocr_needs_review > p->ocr_pages)
		return formats_field_error(c->name, ocr, "NeedsReview",
					   _("more pages to review than pages"));
	return 0;
}

static int read_content(read_ctx *c, xmlNodePtr root)
{
	sohoa_package *p = c->p;
	xmlNodePtr content = formats_child(root, PACKAGE_NS, "Content");
	xmlNodePtr rec = formats_child(content, PACKAGE_NS, "Record");
	xmlNodePtr docs = formats_child(content, PACKAGE_NS, "Documents");
	xmlNodePtr sigs = formats_child(root, PACKAGE_NS, "Signatures");
	xmlNodePtr count = formats_child(rec, PACKAGE_NS, "DocumentCount");
	xmlNodePtr pages = formats_child(rec, PACKAGE_NS, "PageCount");
	size_t n = 0, declared_docs = 0, declared_pages = 0;
	int rc;

	if ((rc = read_record(c, rec)) < 0 ||
	    (rc = number_of(&declared_docs, c, count, NULL)) < 0 ||
	    (rc = number_of(&declared_pages, c, pages, NULL)) < 0)
		return rc;
	for (xmlNodePtr d = formats_child(docs, PACKAGE_NS, "Document"); d;
	     d = formats_next(d, PACKAGE_NS, "Document"))
		n++;
	if (n != declared_docs)
		return formats_field_error(c->name, count, NULL,
					   _("says %zu documents, the package lists %zu"),
					   declared_docs, n);
	p->documents = calloc(n ? n : 1, sizeof *p->documents);
	if (!p->documents)
		return nomem();
	for (xmlNodePtr d = formats_child(docs, PACKAGE_NS, "Document"); d;
	     d = formats_next(d, PACKAGE_NS, "Document")) {
		p->ndocuments++;
		if ((rc = read_document(c, &p->documents[p->ndocuments - 1], d, declared_pages)) <
		    0)
			return rc;
	}
	if (total_pages(p) != declared_pages)
		return formats_field_error(c->name, pages, NULL,
					   _("says %zu pages, the documents list %zu"),
					   declared_pages, total_pages(p));
	if ((rc = read_ocr(c, formats_child(content, PACKAGE_NS, "Ocr"))) < 0 ||
	    (rc = read_files(c, formats_child(content, PACKAGE_NS, "Files"))) < 0)
		return rc;
	for (xmlNodePtr s = formats_child(sigs, DSIG_NS, "Signature"); s;
	     s = formats_next(s, DSIG_NS, "Signature"))
		p->nsignatures++;
	return 0;
}

/* Safe parse + the root + package.xsd. */
static int parse_valid(xmlDocPtr *out, const char *buf, size_t len, const char *name,
		       const sohoa_limits *lim)
{
	xmlNodePtr root;
	int rc = sohoa_xml_parse(out, buf, len, name, lim);
	if (rc < 0)
		return rc;
	root = xmlDocGetRootElement(*out);
	if (!root->ns || strcmp((const char *)root->ns->href, PACKAGE_NS) != 0 ||
	    strcmp((const char *)root->name, "Package") != 0)
		rc = sohoa_error_set(SOHOA_EFORMAT,
				     _("%s:%ld: root element must be 'Package' in namespace %s"),
				     name, xmlGetLineNo(root), PACKAGE_NS);
	else
		rc = sohoa_package_validate_doc(*out, name);
	if (rc < 0) {
		xmlFreeDoc(*out);
		*out = NULL;
	}
	return rc;
}

int sohoa_package_parse(sohoa_package **out, const char *buf, size_t len, const char *name,
			const sohoa_limits *lim)
{
	xmlDocPtr doc = NULL;
	read_ctx c = {name, NULL};
	int rc;

	*out = NULL;
	if ((rc = parse_valid(&doc, buf, len, name, lim)) < 0)
		return rc;
	c.p = calloc(1, sizeof *c.p);
	if (!c.p) {
		rc = nomem();
		goto cleanup;
	}
	rc = read_content(&c, xmlDocGetRootElement(doc));
	if (rc == SOHOA_EFORMAT && strncmp(sohoa_error_last(), name, strlen(name)) != 0)
		sohoa_error_prefix("%s: ", name);
	if (rc == 0) {
		*out = c.p;
		c.p = NULL;
	}
cleanup:
	sohoa_package_free(c.p);
	xmlFreeDoc(doc);
	return rc;
}

/* `path`, or `path`/package.xml when it is a folder; malloc'd. */
static char *package_xml_path(const char *path)
{
	struct stat st;
	char *p = NULL;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (asprintf(&p, "%s/package.xml", path) < 0)
			return NULL;
		return p;
	}
	return strdup(path);
}

static int read_bytes(char **buf, size_t *len, char **file, const char *path,
		      const sohoa_limits *lim)
{
	int rc;
	*buf = NULL;
	*file = package_xml_path(path);
	if (!*file)
		return nomem();
	rc = sohoa_file_read(buf, len, *file, lim->max_manifest_bytes);
	if (rc < 0) {
		free(*file);
		*file = NULL;
	}
	return rc;
}

int sohoa_package_read(sohoa_package **out, const char *path, const sohoa_limits *lim)
{
	char *buf = NULL, *file = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if ((rc = read_bytes(&buf, &len, &file, path, lim)) < 0)
		return rc;
	rc = sohoa_package_parse(out, buf, len, file, lim);
	free(buf);
	free(file);
	return rc;
}

int sohoa_package_read_doc(xmlDocPtr *out, const char *path, const sohoa_limits *lim)
{
	char *buf = NULL, *file = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if ((rc = read_bytes(&buf, &len, &file, path, lim)) < 0)
		return rc;
	rc = parse_valid(out, buf, len, file, lim);
	free(buf);
	free(file);
	return rc;
}

/* --------------------------------------------------------- comparison */

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int same_document(const sohoa_package_document *a, const sohoa_package_document *b)
{
	if (a->kind != b->kind || !same(a->type, b->type) || !same(a->number, b->number) ||
	    !same(a->issued, b->issued) || !same(a->issuer, b->issuer) ||
	    !same(a->subject, b->subject) || !same(a->language, b->language) ||
	    !same(a->signer_name, b->signer_name) ||
	    !same(a->signer_position, b->signer_position) || a->npages != b->npages)
		return 0;
	for (size_t k = 0; k < a->npages; k++)
		if (a->page_numbers[k] != b->page_numbers[k] ||
		    !same(a->page_sources[k], b->page_sources[k]))
			return 0;
	return 1;
}

int sohoa_package_equal(const sohoa_package *a, const sohoa_package *b)
{
	if (!same(a->file_code, b->file_code) || !same(a->title, b->title) ||
	    !same(a->organ_name, b->organ_name) || !same(a->organ_code, b->organ_code) ||
	    !same(a->procedure_code, b->procedure_code) ||
	    !same(a->procedure_name, b->procedure_name) || a->approval != b->approval ||
	    !same(a->received, b->received) || !same(a->applicant_id, b->applicant_id) ||
	    !same(a->applicant_name, b->applicant_name) || !same(a->language, b->language) ||
	    a->maintenance_years != b->maintenance_years || a->access_public != b->access_public ||
	    a->ndocuments != b->ndocuments || a->ocr_pages != b->ocr_pages ||
	    a->ocr_confidence_centi != b->ocr_confidence_centi ||
	    a->ocr_needs_review != b->ocr_needs_review || a->nfiles != b->nfiles)
		return 0;
	for (size_t i = 0; i < a->ndocuments; i++)
		if (!same_document(&a->documents[i], &b->documents[i]))
			return 0;
	for (size_t i = 0; i < a->nfiles; i++)
		if (!same(a->files[i].path, b->files[i].path) ||
		    !same(a->files[i].media_type, b->files[i].media_type) ||
		    a->files[i].size != b->files[i].size ||
		    strcmp(a->files[i].sha256, b->files[i].sha256) != 0)
			return 0;
	return 1;
}
