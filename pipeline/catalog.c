/* pipeline/catalog.c: the index stage of `sohoa run` — a dossier's documents
 * as catalog entries (manifest fields and recognised text), checked once OCR
 * is done and committed once the package is in place. */
#include "pipeline/internal.h"

#include <stdlib.h>
#include <string.h>

/* The text of pages [first, first + n) of `d`, as docs/<n>.txt has it. */
static int document_text(char **out, const pipeline_dossier *d, size_t first, size_t n)
{
	size_t len = 0;
	FILE *f = open_memstream(out, &len);
	int rc = 0;

	if (!f)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	for (size_t k = first; k < first + n && rc == 0; k++) {
		if (k > first)
			fputs("\f\n", f);
		rc = sohoa_ocr_write_text(f, d->pages[k], d->npages[k]);
	}
	if (fclose(f) != 0 && rc == 0)
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	if (rc < 0) {
		free(*out);
		*out = NULL;
	}
	return rc;
}

/* SOHOA_ELIMIT when a field is longer than the catalog holds. */
static int check_fields(const pipeline_dossier *d, const sohoa_index_doc *e)
{
	const char *vals[] = {e->applicant, e->agency, e->doc_type,    e->notation,
			      e->procedure, e->title,  e->package_path};
	static const char *const names[] = {"applicant", "agency", "type",   "number",
					    "procedure", "title",  "package"};

	for (size_t i = 0; i < sizeof vals / sizeof *vals; i++)
		if (vals[i] && strlen(vals[i]) > SOHOA_INDEX_MAX_FIELD)
			return sohoa_error_set(
				SOHOA_ELIMIT,
				_("%s: document %d: %s has %zu bytes, more than the catalog's "
				  "%u"),
				d->path, e->doc_no, names[i], strlen(vals[i]),
				(unsigned)SOHOA_INDEX_MAX_FIELD);
	if (e->text && strlen(e->text) > SOHOA_INDEX_MAX_TEXT)
		return sohoa_error_set(
			SOHOA_ELIMIT,
			_("%s: document %d: %zu bytes of text, more than the catalog's %u"),
			d->path, e->doc_no, strlen(e->text), SOHOA_INDEX_MAX_TEXT);
	return 0;
}

/* The text of document `i` of `d`: from its recognised pages, or, when
 * `store` is given, from the package's docs/<i + 1>.txt. */
static int text_of(char **out, const pipeline_dossier *d, size_t i, size_t first, const char *store,
		   const char *package)
{
	char *path = NULL;
	size_t len;
	int rc;

	if (!store)
		return document_text(out, d, first, d->manifest->documents[i].npages);
	if (asprintf(&path, "%s/%s/docs/%zu.txt", store, package, i + 1) < 0)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	rc = sohoa_file_read(out, &len, path, SOHOA_INDEX_MAX_TEXT);
	free(path);
	return rc;
}

static int prepare(pipeline_dossier *d, const char *store, const char *package,
		   const char *signature)
{
	const sohoa_manifest *m = d->manifest;
	size_t first = 0;
	int rc = 0;

	pipeline_index_clear(d);
	if (!sohoa_index_valid_dossier_code(d->code))
		return sohoa_error_set(SOHOA_EINVAL,
				       _("%s: dossier code '%s' cannot be catalogued: it must be "
					 "letters, digits, '_', '.' and '-', at most 64"),
				       d->path, d->code);
	d->idocs = calloc(m->ndocuments ? m->ndocuments : 1, sizeof *d->idocs);
	d->itexts = calloc(m->ndocuments ? m->ndocuments : 1, sizeof *d->itexts);
	if (!d->idocs || !d->itexts)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	for (size_t i = 0; i < m->ndocuments && rc == 0; i++) {
		const sohoa_manifest_document *doc = &m->documents[i];
		rc = text_of(&d->itexts[i], d, i, first, store, package);
		first += doc->npages;
		if (rc < 0)
			break;
		d->idocs[i] = (sohoa_index_doc){
			.dossier_code = d->code,
			.doc_no = (int)i + 1,
			.version = d->claim.version,
			.citizen_id = m->applicant_id,
			.applicant = m->applicant_name,
			.agency = m->agency_code,
			.doc_type = doc->type,
			.notation = doc->number,
			.issue_date = doc->issued,
			.procedure = m->procedure_code,
			.title = doc->title,
			.package_path = package,
			.signature = signature,
			.text = d->itexts[i],
		};
		d->nidocs++;
		rc = check_fields(d, &d->idocs[i]);
	}
	return rc;
}

int pipeline_index_prepare(pipeline_dossier *d, const char *package, const char *signature)
{
	return prepare(d, NULL, package, signature);
}

int pipeline_index_prepare_stored(pipeline_dossier *d, const char *store, const char *package,
				  const char *signature)
{
	return prepare(d, store, package, signature);
}

int pipeline_index_commit(sohoa_index *idx, const pipeline_dossier *d)
{
	int rc = sohoa_index_batch_begin(idx);

	for (size_t i = 0; i < d->nidocs && rc == 0; i++)
		rc = sohoa_index_add(idx, &d->idocs[i]);
	if (rc == 0)
		rc = sohoa_index_trim(idx, d->code, (int)d->nidocs);
	if (rc == 0)
		return sohoa_index_batch_commit(idx);
	sohoa_index_batch_rollback(idx);
	return rc;
}

void pipeline_index_clear(pipeline_dossier *d)
{
	for (size_t i = 0; d->itexts && i < d->nidocs; i++)
		free(d->itexts[i]);
	free(d->itexts);
	free(d->idocs);
	d->itexts = NULL;
	d->idocs = NULL;
	d->nidocs = 0;
}
