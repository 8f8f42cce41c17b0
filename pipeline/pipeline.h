/* pipeline/pipeline.h: the one public header of pipeline/ — the staged batch
 * behind `sohoa run`: reading the inbox, the journal of what was done (a
 * narrow interface over the store's SQLite catalog), the run itself and the
 * store's status. */
#ifndef SOHOA_PIPELINE_H
#define SOHOA_PIPELINE_H

#include "core/core.h"

typedef struct {
	char *name;         /* folder name; the dossier code when there is no manifest */
	char *path;         /* INBOX/name */
	int has_manifest;   /* dossier.xml present */
	size_t image_files; /* files with an image or PDF extension */
} sohoa_inbox_entry;

typedef struct {
	sohoa_inbox_entry *entries; /* sorted by name (byte order) */
	size_t count;
} sohoa_inbox;

/* Lists the dossier folders of `dir`: every non-hidden subdirectory, sorted.
 * Plain files directly in the inbox are not dossiers; each is reported with a
 * warning naming it. The caller frees *out with sohoa_inbox_free. Errors:
 * SOHOA_ENOTFOUND (no such directory), SOHOA_EPERM, SOHOA_ENOMEM. */
int sohoa_inbox_scan(sohoa_inbox **out, const char *dir);
void sohoa_inbox_free(sohoa_inbox *inbox);

/* Whether a file name has an extension sohoa reads as a page image
 * (.tif .tiff .jpg .jpeg .png .pdf, any case). */
int sohoa_is_image_name(const char *name);

/* --------------------------------------------------------------- journal */
/* The journal records, in STORE/catalog.sqlite (WAL, short transactions),
 * one row per run, per dossier version and per page. It is kept behind these
 * few calls (claim work, record progress, mark done, record failure) so that
 * another implementation (PostgreSQL with FOR UPDATE SKIP LOCKED) can take
 * its place. Paths recorded are relative to the store. */
typedef struct sohoa_journal sohoa_journal;

/* Stages of a dossier, in order. A dossier's `stage` is the last stage whose
 * output is durable. The index stage makes and checks the dossier's catalog
 * entries; they go into the catalog only once the package is installed, which
 * the journal's `indexed` flag records (sohoa_journal_dossier_indexed). */
typedef enum {
	SOHOA_STAGE_INTAKE = 0,
	SOHOA_STAGE_OCR = 1,
	SOHOA_STAGE_INDEX = 2,
	SOHOA_STAGE_PACKAGE = 3,
	SOHOA_STAGE_SEAL = 4,
	SOHOA_STAGE_DONE = 5,
} sohoa_stage;

typedef enum {
	SOHOA_DOSSIER_PENDING = 0,     /* claimed, not finished */
	SOHOA_DOSSIER_DONE = 1,        /* packaged (and sealed when asked) */
	SOHOA_DOSSIER_QUARANTINED = 2, /* failed; see its error and STORE/quarantine/ */
	SOHOA_DOSSIER_SUPERSEDED = 3,  /* done, then replaced by a newer version */
} sohoa_dossier_status;

/* "intake", "ocr", "index", "package", "seal", "done"; "pending", "done",
 * "quarantined", "superseded". Static strings, never NULL. */
const char *sohoa_stage_name(sohoa_stage stage);
const char *sohoa_dossier_status_name(sohoa_dossier_status status);

/* Opens (creating when needed) the journal in `store`/catalog.sqlite: WAL,
 * a busy timeout, its own tables (journal_*) beside the index's. `readonly`
 * opens an existing journal for reading (sohoa status). Errors: SOHOA_EDB,
 * SOHOA_EPERM, SOHOA_ENOTFOUND (readonly and no catalog), SOHOA_EBUSY. */
int sohoa_journal_open(sohoa_journal **out, const char *store, int readonly);
void sohoa_journal_close(sohoa_journal *j);

/* Records the start and the end of a run; *run_id identifies it. */
int sohoa_journal_run_begin(sohoa_journal *j, int64_t *run_id, const char *inbox);
int sohoa_journal_run_end(sohoa_journal *j, int64_t run_id, int exit_status);

/* What sohoa_journal_claim decided for one dossier. */
typedef enum {
	SOHOA_CLAIM_NEW = 0,       /* a new dossier or a new version: do all stages */
	SOHOA_CLAIM_RESUME = 1,    /* same input, unfinished: do it again from intake */
	SOHOA_CLAIM_FINISHED = 2,  /* same input already done: nothing to do */
	SOHOA_CLAIM_FAILED = 3,    /* same input already quarantined: nothing to do */
	SOHOA_CLAIM_DUPLICATE = 4, /* another folder of this run has the same code */
} sohoa_claim_kind;

typedef struct {
	sohoa_claim_kind kind;
	int64_t id;          /* the dossier version's row */
	int version;         /* 1, 2, … */
	char *package;       /* for FINISHED: its package path (relative); malloc'd */
	char *error;         /* for FAILED: the recorded reason; malloc'd */
	char *folder;        /* for DUPLICATE: the other folder; malloc'd */
	size_t pages;        /* for FINISHED: pages, */
	double confidence;   /* mean OCR confidence */
	size_t needs_review; /* and pages flagged for review */
	int indexed, sealed; /* for FINISHED: in the catalog; sealed */
	int leader_signed;   /* for FINISHED: a leader's signature is recorded */
} sohoa_claim;

/* Claims dossier `code` (folder `folder`, input hash `input_hash` in hex,
 * `pages` pages, `approval` 1 when a leader must sign) for run `run_id`: finds
 * its latest version and decides, in one short transaction, whether there is
 * work (NEW: a row made for version latest+1; RESUME: the unfinished row reset
 * to intake, its page rows removed) or none. The caller frees the strings of
 * *out with sohoa_claim_clear. */
int sohoa_journal_claim(sohoa_journal *j, sohoa_claim *out, int64_t run_id, const char *code,
			const char *folder, const char *input_hash, size_t pages, int approval);
void sohoa_claim_clear(sohoa_claim *c);

/* Records page `index` (0-based in the dossier) of dossier row `id` as
 * recognised: its intake file, the file's SHA-256 (hex), mean confidence and
 * review flag. Call it once the page's outputs are durable. */
int sohoa_journal_page_done(sohoa_journal *j, int64_t id, size_t index, const char *file,
			    const char *sha256, double confidence, int needs_review);

/* Moves dossier row `id` to `stage` (its outputs being durable). */
int sohoa_journal_stage_done(sohoa_journal *j, int64_t id, sohoa_stage stage);

/* Records that the documents of dossier row `id` are in the catalog
 * (journal_dossiers.indexed = 1); its stage is left as it is. */
int sohoa_journal_dossier_indexed(sohoa_journal *j, int64_t id);

/* Marks dossier row `id` done with its package path (relative to the store)
 * and OCR summary (pages recognised, mean confidence, pages needing review),
 * and, in the same transaction, the earlier done versions of the same code
 * and earlier quarantined rows of the same inbox folder superseded (and no
 * longer indexed: the catalog holds the newest version only). */
int sohoa_journal_dossier_done(sohoa_journal *j, int64_t id, const char *package, size_t pages,
			       double confidence, size_t needs_review, int sealed);

/* Marks dossier row `id` quarantined at `stage` with `reason`. */
int sohoa_journal_dossier_failed(sohoa_journal *j, int64_t id, sohoa_stage stage,
				 const char *reason);

/* Number of pages recorded done for dossier row `id`. */
int sohoa_journal_pages_done(sohoa_journal *j, int64_t id, size_t *out);

/* Packages (paths relative to the store) done, not superseded, whose
 * procedure asks for a leader's signature and that have none recorded yet,
 * by dossier code. The caller frees each string and the array. */
int sohoa_journal_pending(sohoa_journal *j, char ***packages, size_t *n);

/* Records that `signer` (a certificate subject) signed `package` (relative
 * path, as journaled) in `role` ("leader" or "seal") now; a leader's
 * signature takes the package off the pending list. Errors: SOHOA_ENOTFOUND
 * when the journal has no such package, SOHOA_EDB. */
int sohoa_journal_record_signature(sohoa_journal *j, const char *package, const char *role,
				   const char *signer);

/* --------------------------------------------------------------- the run */
typedef struct {
	const char *inbox;     /* folder of dossier folders */
	const char *store;     /* store folder (created when missing) */
	int jobs;              /* OCR worker threads, >= 1 */
	const char *languages; /* Tesseract languages; NULL: the OCR default */
	const char *seal_key;  /* seal key (PEM, PKCS#12, pkcs11: URI), or NULL: no seal */
	const char *seal_cert; /* its certificate, for a PEM key */
	const char *seal_pass; /* "env:VAR" / "file:PATH", or NULL (never prompts) */
	const char *report;    /* JSON report path, or NULL */
	int progress;          /* draw a live progress line on stderr */
} sohoa_run_options;

typedef struct {
	size_t dossiers;    /* dossier folders in the inbox */
	size_t processed;   /* packaged by this run */
	size_t skipped;     /* already done with the same input */
	size_t quarantined; /* failed now or earlier with the same input */
	size_t pages;       /* pages recognised by this run */
	double seconds;
} sohoa_run_summary;

/* Runs every dossier folder of opt->inbox through intake, ocr, index,
 * package and seal into opt->store (DESIGN.md, "Pipeline"), under an
 * exclusive lock on STORE/.lock; stale STORE/tmp entries of a killed run are
 * removed first. Pages of all dossiers share one pool of opt->jobs workers.
 * A package is built in STORE/tmp/<code>.<pid>/ and renamed to
 * STORE/packages/<code>/ (<code>.v<N>/ for version N >= 2) once complete,
 * sealed and durable; only then is the dossier journaled done. A dossier that
 * fails goes to STORE/quarantine/<folder>/ (a copy of its files and
 * reason.txt) and the batch goes on (summary->quarantined). Returns 0 when the
 * batch ran (whatever the quarantine), negative when it could not: SOHOA_EBUSY
 * (the store is locked by another run), SOHOA_EDEPENDENCY (OCR could not
 * start), those of the seal key, SOHOA_ENOSPC / SOHOA_EPERM / SOHOA_EIO /
 * SOHOA_EDB writing the store. */
int sohoa_pipeline_run(sohoa_run_summary *summary, const sohoa_run_options *opt);

/* Writes what the store holds: dossiers by stage and status, quarantined
 * dossiers with their reasons, packages awaiting a leader's signature; text
 * for a person or JSON ({"dossiers": {...}, "quarantined": [...],
 * "awaiting_leader": [...]}). Reads the journal without blocking a run.
 * Errors: SOHOA_ENOTFOUND (no catalog in `store`), SOHOA_EDB. */
int sohoa_pipeline_status(FILE *out, const char *store, int json);

#endif
