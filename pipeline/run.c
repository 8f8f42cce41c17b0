/* pipeline/run.c: `sohoa run` — intake of every dossier folder, one OCR pool
 * over the pages of all of them, then per dossier (as its last page comes
 * back): index entries, package, seal, install, catalog and journal. */
#include "pipeline/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "formats/formats.h"
#include "index/index.h"
#include "ocr/ocr.h"
#include "signer/signer.h"

typedef pipeline_dossier dossier;

typedef struct {
	const sohoa_run_options *opt;
	sohoa_run_summary *sum;
	sohoa_limits limits;
	sohoa_journal *journal;
	sohoa_index *index;
	sohoa_signer_key *seal;
	int64_t run_id;
	dossier *d;
	size_t nd;
	size_t *input_dossier; /* batch input -> dossier */
	size_t ninputs;
	size_t total_dossiers, dossiers_done, pages_done, pages_total;
	double start;
} run_ctx;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Errors that come from the dossier itself (quarantine it) rather than from
 * the machine (stop the run). */
static int is_input_error(int code)
{
	return code == SOHOA_EFORMAT || code == SOHOA_ELIMIT || code == SOHOA_EUNSUPPORTED ||
	       code == SOHOA_ENOTFOUND || code == SOHOA_EINVAL || code == SOHOA_EVERIFY;
}

/* ---------------------------------------------------------------- intake */

/* The input hash: SHA-256 over the manifest's hash (or "images" for an
 * image-only dossier) and each page's path and hash, in order. */
static int hash_input(run_ctx *r, dossier *d, char out[SOHOA_SHA256_HEX_LEN + 1])
{
	uint8_t md[SOHOA_SHA256_LEN];
	char *buf = NULL, *mpath = NULL, hex[SOHOA_SHA256_HEX_LEN + 1] = "images";
	size_t len = 0, k = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc = 0;

	d->page_sha = calloc(d->manifest->npages ? d->manifest->npages : 1, sizeof *d->page_sha);
	if (!f || !d->page_sha || asprintf(&mpath, "%s/dossier.xml", d->path) < 0) {
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		goto cleanup;
	}
	if (!d->manifest->image_only) {
		rc = sohoa_sha256_file(md, mpath);
		if (rc < 0)
			goto cleanup;
		sohoa_hex(hex, md, sizeof md);
	}
	fprintf(f, "%s\n", hex);
	for (size_t i = 0; i < d->manifest->ndocuments; i++) {
		const sohoa_manifest_document *doc = &d->manifest->documents[i];
		for (size_t p = 0; p < doc->npages; p++, k++) {
			char *path = NULL;
			if (asprintf(&path, "%s/%s", d->path, doc->pages[p]) < 0) {
				rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
				goto cleanup;
			}
			rc = sohoa_sha256_file(md, path);
			free(path);
			if (rc < 0)
				goto cleanup;
			d->page_sha[k] = malloc(SOHOA_SHA256_HEX_LEN + 1);
			if (!d->page_sha[k]) {
				rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
				goto cleanup;
			}
			sohoa_hex(d->page_sha[k], md, sizeof md);
			fprintf(f, "%s%c%s\n", doc->pages[p], 0, d->page_sha[k]);
		}
	}
cleanup:
	if (f)
		fclose(f);
	if (rc == 0 && buf && sohoa_sha256(md, buf, len) == 0)
		sohoa_hex(out, md, sizeof md);
	free(buf);
	free(mpath);
	return rc;
}

/* Quarantines dossier `d` with the calling thread's last error as reason,
 * records it in the journal when it has a row. A failure to write the
 * quarantine itself is returned (the run stops). */
static int quarantine(run_ctx *r, dossier *d, sohoa_stage stage, const char *reason)
{
	int rc;

	free(d->error);
	d->error = strdup(reason);
	free(d->package); /* named before packaging, never installed */
	d->package = NULL;
	d->status = "quarantined";
	d->failed_stage = (int)stage;
	r->sum->quarantined++;
	if (r->opt->progress)
		fputs("\r\033[K", stderr);
	fprintf(stderr, "sohoa: %s\n", reason);
	rc = pipeline_quarantine(r->opt->store, d->folder, d->path, reason);
	if (rc == 0 && d->claim.id > 0 &&
	    (d->claim.kind == SOHOA_CLAIM_NEW || d->claim.kind == SOHOA_CLAIM_RESUME))
		rc = sohoa_journal_dossier_failed(r->journal, d->claim.id, stage, reason);
	return rc;
}

/* A folder that cannot be taken in (unreadable manifest, a code already
 * taken in this run): journaled under its folder name with the hash of its
 * files, so that the same content is not tried again, and quarantined. */
static int intake_failed(run_ctx *r, dossier *d, const char *why)
{
	char hash[SOHOA_SHA256_HEX_LEN + 1], *reason = strdup(why);
	int rc = 0;

	d->code = strdup(d->folder);
	if (!reason || !d->code) {
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		goto cleanup;
	}
	rc = pipeline_folder_hash(hash, d->path);
	if (rc == 0)
		rc = sohoa_journal_claim(r->journal, &d->claim, r->run_id, d->code, d->folder, hash,
					 0, 0);
	if (rc == 0 && d->claim.kind == SOHOA_CLAIM_FAILED) {
		d->status = "quarantined";
		d->error = reason;
		reason = NULL;
		r->sum->quarantined++;
		fprintf(stderr, "sohoa: %s\n", d->error);
	} else if (rc == 0) {
		rc = quarantine(r, d, SOHOA_STAGE_INTAKE, reason);
	}
cleanup:
	free(reason);
	return rc;
}

/* A dossier packaged by a sohoa that did not index yet: its entries, texts
 * from the package, go into the catalog now. A package that cannot be read
 * is a warning: the dossier stays done, unindexed, and is tried next run. */
static int index_finished(run_ctx *r, dossier *d)
{
	int rc = pipeline_index_prepare_stored(d, r->opt->store, d->package,
					       d->claim.leader_signed ? SOHOA_INDEX_LEADER_SIGNED
					       : d->claim.sealed      ? "sealed"
								      : "unsigned");
	if (rc == 0)
		rc = pipeline_index_commit(r->index, d);
	if (rc == 0)
		rc = sohoa_journal_dossier_indexed(r->journal, d->claim.id);
	pipeline_index_clear(d);
	if (rc < 0 && (is_input_error(rc) || rc == SOHOA_EIO)) {
		sohoa_log_warn(_("%s: not indexed: %s"), d->package, sohoa_error_last());
		rc = 0;
	}
	return rc;
}

/* Intake of one folder: manifest, hashes, claim. Returns < 0 only when the
 * run must stop; a bad dossier is quarantined and 0 returned. */
static int intake(run_ctx *r, dossier *d)
{
	char hash[SOHOA_SHA256_HEX_LEN + 1];
	double t0 = now();
	int rc = sohoa_manifest_load(&d->manifest, d->path, &r->limits);

	if (rc == 0)
		rc = hash_input(r, d, hash);
	if (rc < 0) {
		if (!is_input_error(rc) && rc != SOHOA_EPERM && rc != SOHOA_EIO)
			return rc;
		free(d->code);
		d->code = NULL;
		return intake_failed(r, d, sohoa_error_last());
	}
	d->code = strdup(d->manifest->code);
	if (!d->code)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	for (dossier *e = r->d; e < d; e++) {
		if (e->code && strcmp(e->code, d->code) == 0) {
			char reason[1024];
			snprintf(reason, sizeof reason,
				 _("%s/dossier.xml: dossier code %s is also the code of folder %s"),
				 d->path, d->code, e->path);
			free(d->code);
			d->code = NULL;
			return intake_failed(r, d, reason);
		}
	}
	rc = sohoa_journal_claim(r->journal, &d->claim, r->run_id, d->code, d->folder, hash,
				 d->manifest->npages,
				 d->manifest->approval == SOHOA_APPROVAL_LEADER);
	if (rc < 0)
		return rc;
	d->t_intake = now() - t0;
	switch (d->claim.kind) {
	case SOHOA_CLAIM_FINISHED:
		d->status = "skipped";
		d->package = d->claim.package ? strdup(d->claim.package) : NULL;
		r->sum->skipped++;
		return d->claim.indexed || !d->package ? 0 : index_finished(r, d);
	case SOHOA_CLAIM_FAILED:
		d->status = "quarantined";
		d->error = d->claim.error ? strdup(d->claim.error) : NULL;
		r->sum->quarantined++;
		fprintf(stderr, "sohoa: %s\n", d->error ? d->error : d->folder);
		return 0;
	case SOHOA_CLAIM_DUPLICATE: {
		char reason[512];
		snprintf(reason, sizeof reason,
			 _("%s/dossier.xml: dossier code %s is also the code of folder %s"),
			 d->path, d->code, d->claim.folder);
		return quarantine(r, d, SOHOA_STAGE_INTAKE, reason);
	}
	default: break;
	}
	return sohoa_journal_stage_done(r->journal, d->claim.id, SOHOA_STAGE_INTAKE);
}

/* ------------------------------------------------------------ per page */

static int staging_dirs(run_ctx *r, dossier *d)
{
	char *sub = NULL;
	int rc;

	if (asprintf(&d->staging, "%s/tmp/%s.%ld", r->opt->store, d->code, (long)getpid()) < 0) {
		d->staging = NULL;
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	}
	rc = pipeline_rmtree(d->staging);
	if (rc == 0 && asprintf(&sub, "%s/pages", d->staging) >= 0) {
		rc = sohoa_mkdir_p(sub);
		free(sub);
		sub = NULL;
	}
	if (rc == 0 && asprintf(&sub, "%s/docs", d->staging) >= 0) {
		rc = sohoa_mkdir_p(sub);
		free(sub);
	}
	if (rc == 0)
		rc = sohoa_fsync_dir(d->staging);
	return rc;
}

/* Extension of the archival copy: the source's, lower case, .tiff as .tif
 * and .jpeg as .jpg. */
static void archive_ext(char *out, size_t size, const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t i = 0;
	for (dot = dot ? dot + 1 : "bin"; dot[i] && i + 1 < size; i++)
		out[i] = (char)(dot[i] >= 'A' && dot[i] <= 'Z' ? dot[i] + 32 : dot[i]);
	out[i] = '\0';
	if (strcmp(out, "tiff") == 0)
		snprintf(out, size, "tif");
	else if (strcmp(out, "jpeg") == 0)
		snprintf(out, size, "jpg");
}

/* Renders with `fn` into memory, then writes `path` atomically. */
typedef int (*render_fn)(FILE *out, void *arg);

static int write_rendered(const char *path, render_fn fn, void *arg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (!f)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	rc = fn(f, arg);
	if (fclose(f) != 0 && rc == 0)
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	if (rc == 0)
		rc = sohoa_file_write_atomic(path, buf, len);
	free(buf);
	return rc;
}

typedef struct {
	const char *source;
	sohoa_ocr_page **pages;
	size_t n;
	const sohoa_limits *limits;
} render_args;

static int render_alto(FILE *f, void *arg)
{
	render_args *a = arg;
	return sohoa_ocr_write_alto(f, a->source, a->pages, a->n);
}

static int render_text(FILE *f, void *arg)
{
	render_args *a = arg;
	return sohoa_ocr_write_text(f, a->pages, a->n);
}

static int render_pdf(FILE *f, void *arg)
{
	render_args *a = arg;
	return sohoa_ocr_write_pdf(f, a->source, a->pages, a->n, a->limits);
}

/* The manifest page `k` of `d` (0-based across documents). */
static const char *manifest_page(const dossier *d, size_t k)
{
	for (size_t i = 0; i < d->manifest->ndocuments; i++) {
		if (k < d->manifest->documents[i].npages)
			return d->manifest->documents[i].pages[k];
		k -= d->manifest->documents[i].npages;
	}
	return NULL;
}

/* Stores page `k` of `d`: archival copy and ALTO in the staging folder, then
 * the journal row. */
static int store_page(run_ctx *r, dossier *d, size_t k, const char *src)
{
	const char *name = manifest_page(d, k);
	char ext[16], *copy = NULL, *alto = NULL;
	render_args a = {name, d->pages[k], d->npages[k], &r->limits};
	double conf = 0;
	int review = 0, rc;

	archive_ext(ext, sizeof ext, name);
	if (asprintf(&copy, "%s/pages/%04zu.%s", d->staging, k + 1, ext) < 0 ||
	    asprintf(&alto, "%s/pages/%04zu.alto.xml", d->staging, k + 1) < 0) {
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		goto cleanup;
	}
	rc = pipeline_copy_file(copy, src);
	if (rc == 0)
		rc = write_rendered(alto, render_alto, &a);
	if (rc < 0)
		goto cleanup;
	for (size_t i = 0; i < d->npages[k]; i++) {
		conf += d->pages[k][i]->mean_confidence;
		review |= d->pages[k][i]->needs_review;
		d->conf_sum += d->pages[k][i]->mean_confidence;
		d->review += d->pages[k][i]->needs_review != 0;
		d->frames++;
	}
	rc = sohoa_journal_page_done(r->journal, d->claim.id, k, name, d->page_sha[k],
				     d->npages[k] ? conf / (double)d->npages[k] : 0, review);
cleanup:
	free(copy);
	free(alto);
	return rc;
}

/* ----------------------------------------------------- dossier stages */

/* docs/<n>.txt and docs/<n>.pdf for every document of `d`. */
static int write_documents(run_ctx *r, dossier *d)
{
	size_t k = 0;
	int rc = 0;

	for (size_t i = 0; i < d->manifest->ndocuments && rc == 0; i++) {
		const sohoa_manifest_document *doc = &d->manifest->documents[i];
		sohoa_ocr_page **pages = NULL;
		size_t n = 0;
		char *txt = NULL, *pdf = NULL;
		for (size_t p = 0; p < doc->npages; p++)
			n += d->npages[k + p];
		pages = calloc(n ? n : 1, sizeof *pages);
		n = 0;
		for (size_t p = 0; pages && p < doc->npages; p++, k++)
			for (size_t f = 0; f < d->npages[k]; f++)
				pages[n++] = d->pages[k][f];
		render_args a = {doc->title ? doc->title : d->code, pages, n, &r->limits};
		if (!pages || asprintf(&txt, "%s/docs/%zu.txt", d->staging, i + 1) < 0 ||
		    asprintf(&pdf, "%s/docs/%zu.pdf", d->staging, i + 1) < 0)
			rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		if (rc == 0)
			rc = write_rendered(txt, render_text, &a);
		if (rc == 0)
			rc = write_rendered(pdf, render_pdf, &a);
		free(pages);
		free(txt);
		free(pdf);
	}
	return rc;
}

/* The index stage: the dossier's catalog entries, made and checked as soon as
 * its text is known, so that a dossier the catalog cannot hold is quarantined
 * here, before anything is installed. They are committed by stage_done, once
 * the package they point at is in place: a search never finds a package that
 * is not there, and a new version replaces the old one's entries only when it
 * is installed. The journal's stage says the entries are made; its `indexed`
 * flag, that they are in the catalog. */
static int stage_index(run_ctx *r, dossier *d)
{
	int rc;

	free(d->package);
	if ((d->claim.version > 1
		     ? asprintf(&d->package, "packages/%s.v%d", d->code, d->claim.version)
		     : asprintf(&d->package, "packages/%s", d->code)) < 0) {
		d->package = NULL;
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	}
	rc = pipeline_index_prepare(d, d->package, r->seal ? "sealed" : "unsigned");
	if (rc == 0)
		rc = sohoa_journal_stage_done(r->journal, d->claim.id, SOHOA_STAGE_INDEX);
	return rc;
}

static int stage_package(run_ctx *r, dossier *d)
{
	sohoa_package *p = NULL;
	char *xml = NULL;
	int rc = write_documents(r, d);

	if (rc == 0)
		rc = sohoa_package_from_manifest(&p, d->manifest);
	if (rc < 0)
		goto cleanup;
	p->ocr_pages = d->frames;
	p->ocr_confidence_centi =
		d->frames ? (unsigned)(d->conf_sum / (double)d->frames * 100.0 + 0.5) : 0;
	if (p->ocr_confidence_centi > 10000)
		p->ocr_confidence_centi = 10000;
	p->ocr_needs_review = d->review;
	rc = sohoa_package_list_files(p, d->staging, &r->limits);
	if (rc == 0 && asprintf(&xml, "%s/package.xml", d->staging) < 0) {
		xml = NULL;
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	}
	if (rc == 0)
		rc = sohoa_package_write(xml, p);
	if (rc == 0)
		rc = sohoa_journal_stage_done(r->journal, d->claim.id, SOHOA_STAGE_PACKAGE);
cleanup:
	sohoa_package_free(p);
	free(xml);
	return rc;
}

static int stage_seal(run_ctx *r, dossier *d)
{
	sohoa_signer_sign_options so = {.role = SOHOA_SIGNER_ROLE_SEAL};
	int rc;

	if (!r->seal)
		return 0;
	rc = sohoa_signer_sign_package(d->staging, r->seal, &so);
	if (rc == 0)
		rc = sohoa_journal_stage_done(r->journal, d->claim.id, SOHOA_STAGE_SEAL);
	return rc;
}

/* Puts the finished package in place, its entries in the catalog, and
 * journals the dossier done. Killed between any two steps, a rerun does them
 * all again: the package is swapped in again and the entries replace
 * themselves. */
static int stage_done(run_ctx *r, dossier *d)
{
	char *dest = NULL;
	int rc;

	if (asprintf(&dest, "%s/%s", r->opt->store, d->package) < 0)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	rc = pipeline_install_dir(d->staging, dest);
	if (rc == 0)
		rc = pipeline_index_commit(r->index, d);
	if (rc == 0)
		rc = sohoa_journal_dossier_indexed(r->journal, d->claim.id);
	if (rc == 0)
		rc = sohoa_journal_dossier_done(r->journal, d->claim.id, d->package, d->frames,
						d->frames ? d->conf_sum / (double)d->frames : 0,
						d->review, r->seal != NULL);
	free(dest);
	return rc;
}

static void free_pages(dossier *d)
{
	if (!d->pages)
		return;
	for (size_t k = 0; k < d->manifest->npages; k++) {
		for (size_t i = 0; i < d->npages[k]; i++)
			sohoa_ocr_page_free(d->pages[k][i]);
		free(d->pages[k]);
	}
	free(d->pages);
	free(d->npages);
	d->pages = NULL;
	d->npages = NULL;
}

/* The stages after OCR, once every page of `d` is in. */
static int finish_dossier(run_ctx *r, dossier *d)
{
	double t0 = now();
	sohoa_stage stage = SOHOA_STAGE_OCR;
	int rc = 0;

	if (!d->error) {
		rc = sohoa_journal_stage_done(r->journal, d->claim.id, SOHOA_STAGE_OCR);
		if (rc == 0 && (stage = SOHOA_STAGE_INDEX, rc = stage_index(r, d)) == 0 &&
		    (stage = SOHOA_STAGE_PACKAGE, rc = stage_package(r, d)) == 0 &&
		    (stage = SOHOA_STAGE_SEAL, rc = stage_seal(r, d)) == 0)
			rc = stage_done(r, d);
		if (rc < 0 && is_input_error(rc)) {
			d->error = strdup(sohoa_error_last());
			d->failed_stage = (int)stage;
			rc = 0;
		}
	}
	if (rc == 0 && d->error) {
		char *reason = d->error;
		d->error = NULL;
		rc = quarantine(r, d, (sohoa_stage)d->failed_stage, reason);
		free(reason);
	} else if (rc == 0) {
		d->status = "packaged";
		r->sum->processed++;
		/* A dossier fixed after an earlier quarantine leaves it. */
		rc = pipeline_unquarantine(r->opt->store, d->folder);
	}
	if (d->staging && rc == 0) {
		pipeline_rmtree(d->staging);
		free(d->staging);
		d->staging = NULL;
	}
	free_pages(d);
	pipeline_index_clear(d);
	d->t_package = now() - t0;
	d->t_total = d->t_intake + d->t_ocr + d->t_package;
	r->dossiers_done++;
	return rc;
}

/* ------------------------------------------------------------ the batch */

static int sink(void *ctx, size_t input, const char *path, sohoa_ocr_result *res, size_t n)
{
	run_ctx *r = ctx;
	dossier *d = &r->d[r->input_dossier[input]];
	size_t k = input - d->first_input;
	int rc = 0;

	if (d->inputs_seen == 0) {
		d->t_first = now();
		d->pages = calloc(d->manifest->npages, sizeof *d->pages);
		d->npages = calloc(d->manifest->npages, sizeof *d->npages);
		if (!d->pages || !d->npages)
			return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		rc = staging_dirs(r, d);
		if (rc < 0)
			return rc;
	}
	d->inputs_seen++;
	for (size_t i = 0; i < n && !d->error; i++)
		if (res[i].error < 0)
			d->error = strdup(res[i].message ? res[i].message : path);
	if (!d->error) {
		d->pages[k] = calloc(n, sizeof **d->pages);
		if (!d->pages[k])
			return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		for (size_t i = 0; i < n; i++) {
			d->pages[k][i] = res[i].page;
			res[i].page = NULL;
		}
		d->npages[k] = n;
		rc = store_page(r, d, k, path);
		if (rc < 0 && is_input_error(rc)) {
			d->error = strdup(sohoa_error_last());
			rc = 0;
		}
		if (rc < 0)
			return rc;
		r->sum->pages += n;
	}
	if (d->inputs_seen == d->manifest->npages) {
		d->t_ocr = now() - d->t_first;
		rc = finish_dossier(r, d);
	}
	return rc;
}

static void progress(void *ctx, size_t done, size_t total)
{
	run_ctx *r = ctx;
	double secs = now() - r->start, rate = secs > 0 ? (double)done / secs : 0;

	r->pages_done = done;
	if (!r->opt->progress)
		return;
	fprintf(stderr, "\r\033[Ksohoa run: %zu/%zu dossiers, %zu/%zu pages, %.2f pages/s",
		r->dossiers_done, r->total_dossiers, done, total, rate);
	if (rate > 0 && done < total)
		fprintf(stderr, ", ETA %.0f s", (double)(total - done) / rate);
	if (r->sum->quarantined)
		fprintf(stderr, _(", %zu failed"), r->sum->quarantined);
	fflush(stderr);
}

/* Pages of every claimed dossier, as the OCR batch's inputs. */
static int collect_inputs(run_ctx *r, char ***paths)
{
	size_t n = 0;

	for (size_t i = 0; i < r->nd; i++)
		if (!r->d[i].status)
			n += r->d[i].manifest->npages;
	*paths = calloc(n ? n : 1, sizeof **paths);
	r->input_dossier = calloc(n ? n : 1, sizeof *r->input_dossier);
	if (!*paths || !r->input_dossier)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	for (size_t i = 0; i < r->nd; i++) {
		dossier *d = &r->d[i];
		if (d->status)
			continue;
		d->first_input = r->ninputs;
		for (size_t k = 0; k < d->manifest->npages; k++) {
			if (asprintf(&(*paths)[r->ninputs], "%s/%s", d->path, manifest_page(d, k)) <
			    0)
				return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
			r->input_dossier[r->ninputs++] = i;
		}
	}
	r->pages_total = n;
	return 0;
}

static void free_dossier(dossier *d)
{
	if (d->staging)
		pipeline_rmtree(d->staging);
	free_pages(d);
	pipeline_index_clear(d);
	if (d->page_sha && d->manifest)
		for (size_t k = 0; k < d->manifest->npages; k++)
			free(d->page_sha[k]);
	free(d->page_sha);
	sohoa_manifest_free(d->manifest);
	sohoa_claim_clear(&d->claim);
	free(d->folder);
	free(d->path);
	free(d->code);
	free(d->error);
	free(d->package);
	free(d->staging);
}

static int open_seal(run_ctx *r)
{
	sohoa_signer_key_options ko = {
		.cert = r->opt->seal_cert, .pass = r->opt->seal_pass, .no_prompt = 1};
	if (!r->opt->seal_key)
		return 0;
	return sohoa_signer_key_open(&r->seal, r->opt->seal_key, &ko);
}

/* Each dossier's catalog batch writes a full-text segment of its own, and a
 * query reads every segment (ten made queries twice as slow as one): the run
 * ends by merging them, in short steps so a server reading the catalog waits
 * little. A failure costs only speed, so it is a warning. */
static void merge_index(sohoa_index *idx, const char *catalog)
{
	int done = 0;
	for (int step = 0; step < 256 && !done; step++)
		if (sohoa_index_merge(idx, 0, &done) < 0) {
			sohoa_log_warn(_("%s: full-text index not merged: %s"), catalog,
				       sohoa_error_last());
			return;
		}
}

int sohoa_pipeline_run(sohoa_run_summary *sum, const sohoa_run_options *opt)
{
	run_ctx r = {.opt = opt, .sum = sum, .limits = sohoa_limits_default(), .start = now()};
	sohoa_ocr_options oo = sohoa_ocr_options_default();
	sohoa_inbox *inbox = NULL;
	char **paths = NULL, *catalog = NULL;
	int lock = -1, rc;

	memset(sum, 0, sizeof *sum);
	if (opt->languages)
		oo.languages = opt->languages;
	rc = sohoa_inbox_scan(&inbox, opt->inbox);
	if (rc == 0)
		rc = sohoa_mkdir_p(opt->store);
	if (rc == 0)
		rc = pipeline_store_lock(&lock, opt->store);
	if (rc == 0)
		rc = pipeline_store_prepare(opt->store);
	if (rc == 0 && asprintf(&catalog, "%s/catalog.sqlite", opt->store) < 0)
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	if (rc == 0)
		rc = sohoa_index_open(&r.index, catalog);
	if (rc == 0)
		rc = sohoa_journal_open(&r.journal, opt->store, 0);
	if (rc == 0)
		rc = open_seal(&r);
	if (rc == 0)
		rc = sohoa_journal_run_begin(r.journal, &r.run_id, opt->inbox);
	if (rc < 0)
		goto cleanup;
	r.d = calloc(inbox->count ? inbox->count : 1, sizeof *r.d);
	if (!r.d) {
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		goto cleanup;
	}
	sum->dossiers = r.total_dossiers = inbox->count;
	for (size_t i = 0; i < inbox->count && rc == 0; i++) {
		dossier *d = &r.d[r.nd++];
		d->folder = strdup(inbox->entries[i].name);
		d->path = strdup(inbox->entries[i].path);
		rc = d->folder && d->path ? intake(&r, d)
					  : sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		if (rc == 0 && d->status)
			r.dossiers_done++; /* nothing more to do for it */
	}
	if (rc == 0)
		rc = collect_inputs(&r, &paths);
	if (rc == 0 && r.ninputs > 0)
		rc = sohoa_ocr_batch((const char *const *)paths, r.ninputs, &oo,
				     opt->jobs > 0 ? opt->jobs : 1, sink, &r, progress);
	if (opt->progress)
		fputs("\r\033[K", stderr);
	if (rc == 0)
		merge_index(r.index, catalog);
	sum->seconds = now() - r.start;
	if (rc == 0 && opt->report)
		rc = pipeline_report_write(opt->report, sum, r.d, r.nd);
	if (r.journal && r.run_id > 0) {
		int erc = sohoa_journal_run_end(r.journal, r.run_id,
						rc < 0             ? 2
						: sum->quarantined ? 1
								   : 0);
		if (rc == 0)
			rc = erc;
	}
cleanup:
	for (size_t i = 0; i < r.ninputs; i++)
		free(paths[i]);
	free(paths);
	free(r.input_dossier);
	for (size_t i = 0; i < r.nd; i++)
		free_dossier(&r.d[i]);
	free(r.d);
	sohoa_signer_key_free(r.seal);
	sohoa_journal_close(r.journal);
	sohoa_index_close(r.index);
	sohoa_inbox_free(inbox);
	free(catalog);
	if (lock >= 0)
		close(lock);
	return rc;
}
