/* pipeline/report.c: the JSON report of a run (`sohoa run --report FILE`):
 * totals, then per dossier its status, pages, OCR figures, package and
 * durations. Machine output: never localised. */
#include "pipeline/internal.h"

#include <stdlib.h>

static void json_opt(FILE *f, const char *s)
{
	if (s)
		sohoa_json_string(f, s);
	else
		fputs("null", f);
}

static void write_dossier(FILE *f, const pipeline_dossier *d)
{
	int finished = d->claim.kind == SOHOA_CLAIM_FINISHED && d->status &&
		       d->status[0] == 's'; /* skipped */
	size_t pages = finished ? d->claim.pages : d->frames;
	double conf = finished    ? d->claim.confidence
		      : d->frames ? d->conf_sum / (double)d->frames
				  : 0;
	size_t review = finished ? d->claim.needs_review : d->review;

	fputs("    {\"folder\": ", f);
	sohoa_json_string(f, d->folder);
	fputs(", \"code\": ", f);
	json_opt(f, d->code);
	fprintf(f, ", \"version\": %d, \"status\": ", d->claim.version);
	json_opt(f, d->status);
	fprintf(f, ",\n     \"pages\": %zu, \"mean_confidence\": %.2f, \"needs_review\": %zu,",
		pages, conf, review);
	fputs(" \"package\": ", f);
	json_opt(f, d->package);
	fputs(", \"error\": ", f);
	json_opt(f, d->error);
	fprintf(f,
		",\n     \"seconds\": {\"intake\": %.3f, \"ocr\": %.3f, \"package\": %.3f, "
		"\"total\": %.3f}}",
		d->t_intake, d->t_ocr, d->t_package, d->t_total);
}

int pipeline_report_write(const char *path, const sohoa_run_summary *sum, const pipeline_dossier *d,
			  size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	if (!f)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	fprintf(f,
		"{\n  \"totals\": {\"dossiers\": %zu, \"packaged\": %zu, \"skipped\": %zu, "
		"\"quarantined\": %zu, \"pages\": %zu, \"seconds\": %.3f, "
		"\"pages_per_second\": %.3f},\n  \"dossiers\": [",
		sum->dossiers, sum->processed, sum->skipped, sum->quarantined, sum->pages,
		sum->seconds, sum->seconds > 0 ? (double)sum->pages / sum->seconds : 0.0);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ",\n" : "\n", f);
		write_dossier(f, &d[i]);
	}
	fputs(n ? "\n  ]\n}\n" : "]\n}\n", f);
	if (fclose(f) != 0) {
		free(buf);
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	}
	rc = sohoa_file_write_atomic(path, buf, len);
	free(buf);
	return rc;
}
