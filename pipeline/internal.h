/* pipeline/internal.h: what the files of pipeline/ share and nothing outside
 * uses — store housekeeping (lock, staging, quarantine) and the report. */
#ifndef SOHOA_PIPELINE_INTERNAL_H
#define SOHOA_PIPELINE_INTERNAL_H

#include "formats/formats.h"
#include "index/index.h"
#include "ocr/ocr.h"
#include "pipeline/pipeline.h"

/* Takes the exclusive lock on STORE/.lock (flock, released when *fd is
 * closed or the process dies). SOHOA_EBUSY when another run holds it. */
int pipeline_store_lock(int *fd, const char *store);
/* Creates STORE/{tmp,packages,quarantine} and removes every entry of
 * STORE/tmp (left by a killed run: the caller holds the lock). */
int pipeline_store_prepare(const char *store);
/* Removes the tree at `path` (no symbolic link is followed). */
int pipeline_rmtree(const char *path);
/* Copies the regular file `src` to `dst` atomically (fsync + rename). */
int pipeline_copy_file(const char *dst, const char *src);
/* Puts `staged` (a complete directory in STORE/tmp) at `dest` in one step:
 * exchanged with an existing `dest`, whose old content is then removed, or
 * renamed; the parent directory is fsync'd. */
int pipeline_install_dir(const char *staged, const char *dest);
/* Copies the regular files of inbox folder `folder` (named `name`) to
 * STORE/quarantine/<name>/ with reason.txt holding `reason` and a newline,
 * replacing an earlier quarantine of the same name. The inbox is never
 * changed. */
int pipeline_quarantine(const char *store, const char *name, const char *folder,
			const char *reason);
/* Removes STORE/quarantine/<name>/ (when there) after the dossier of that
 * folder was packaged: moved into STORE/tmp in one step, then deleted. */
int pipeline_unquarantine(const char *store, const char *name);
/* SHA-256 (hex) over the regular, non-hidden files of `folder`, by name:
 * the input hash of a dossier whose manifest cannot be read. */
int pipeline_folder_hash(char out[SOHOA_SHA256_HEX_LEN + 1], const char *folder);

/* One dossier of a run, from intake to its line in the report. */
typedef struct {
	char *folder; /* inbox folder name */
	char *path;   /* INBOX/folder */
	char *code;   /* dossier code (folder name when the manifest is unreadable) */
	sohoa_manifest *manifest;
	char **page_sha; /* hex SHA-256 of each manifest page */
	sohoa_claim claim;
	const char *status; /* report: "packaged", "skipped", "quarantined" */
	char *error;        /* why it was quarantined */
	char *package;      /* relative package path */
	size_t first_input; /* its pages in the batch's inputs */
	size_t inputs_seen;
	sohoa_ocr_page ***pages; /* per manifest page: its frames */
	size_t *npages;
	size_t frames, review;
	double conf_sum;
	char *staging;
	sohoa_index_doc *idocs; /* its catalog entries, one per document */
	char **itexts;          /* their texts (owned here) */
	size_t nidocs;
	double t_intake, t_first, t_ocr, t_package, t_total;
	int failed_stage;
} pipeline_dossier;

/* The catalog entries of `d` once every page is recognised: one per manifest
 * document, with the dossier's fields, the NFC text of the document's pages,
 * `package` (relative to the store) and `signature` ("sealed", "unsigned"),
 * checked against the catalog's rules now, so that nothing about the input can
 * make the later commit fail. Errors: SOHOA_EINVAL (a code the catalog cannot
 * hold), SOHOA_ELIMIT (a field or a text too long), both naming the dossier;
 * SOHOA_ENOMEM. */
int pipeline_index_prepare(pipeline_dossier *d, const char *package, const char *signature);
/* The same for a dossier packaged earlier whose entries are not in the catalog
 * (a store made before sohoa indexed): the texts are read from
 * `store`/`package`/docs/<n>.txt. Also SOHOA_ENOTFOUND, SOHOA_EIO. */
int pipeline_index_prepare_stored(pipeline_dossier *d, const char *store, const char *package,
				  const char *signature);
/* Puts the entries of `d` in the catalog in one transaction: each replaces
 * the entry of the same document of an earlier version (or of an interrupted
 * attempt at this one, so doing it twice adds nothing), and documents an
 * earlier version had beyond this one's count are removed. */
int pipeline_index_commit(sohoa_index *idx, const pipeline_dossier *d);
/* Frees the entries of `d`. */
void pipeline_index_clear(pipeline_dossier *d);

/* Writes the JSON report of a run to `path` atomically: totals and one object
 * per dossier. */
int pipeline_report_write(const char *path, const sohoa_run_summary *sum, const pipeline_dossier *d,
			  size_t n);

#endif
