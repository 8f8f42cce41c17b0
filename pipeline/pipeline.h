/* pipeline/pipeline.h: the one public header of pipeline/ — the staged batch
 * behind `sohoa run`. It starts with reading the inbox: which dossier folders
 * are there, with or without a manifest, and their page images. */
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

#endif
