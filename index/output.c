/* index/output.c: hit lists written for machines (JSON, never localised) and
 * for people (one block of lines per hit). */
#include "index/internal.h"

static void json_field(FILE *out, const char *name, const char *value)
{
	fprintf(out, ",\"%s\":", name);
	sohoa_json_string(out, value);
}

void sohoa_index_write_json(FILE *out, const sohoa_index_hits *hits)
{
	fprintf(out, "{\"count\":%zu,\"results\":[", hits->count);
	for (size_t i = 0; i < hits->count; i++) {
		const sohoa_index_hit *h = &hits->hits[i];
		fputs(i ? ",{\"dossier_code\":" : "{\"dossier_code\":", out);
		sohoa_json_string(out, h->dossier_code);
		fprintf(out, ",\"document\":%d,\"version\":%d", h->doc_no, h->version);
		json_field(out, "citizen_id", h->citizen_id);
		json_field(out, "applicant", h->applicant);
		json_field(out, "agency", h->agency);
		json_field(out, "type", h->doc_type);
		json_field(out, "notation", h->notation);
		json_field(out, "issue_date", h->issue_date);
		json_field(out, "procedure", h->procedure);
		json_field(out, "title", h->title);
		json_field(out, "signature", h->signature);
		fprintf(out, ",\"superseded\":%s", h->superseded ? "true" : "false");
		json_field(out, "package_path", h->package_path);
		if (h->snippet) {
			json_field(out, "snippet", h->snippet);
			fprintf(out, ",\"score\":%.6g", h->score);
		}
		fputc('}', out);
	}
	fputs("]}\n", out);
}

void sohoa_index_write_text(FILE *out, const sohoa_index_hits *hits)
{
	for (size_t i = 0; i < hits->count; i++) {
		const sohoa_index_hit *h = &hits->hits[i];
		fprintf(out, "%s #%d  %s  %s  %s %s  [%s%s]  %s\n", h->dossier_code, h->doc_no,
			*h->issue_date ? h->issue_date : "-", *h->agency ? h->agency : "-",
			h->doc_type, h->notation, *h->signature ? h->signature : _("unsigned"),
			h->superseded ? _(", superseded") : "", h->package_path);
		if (*h->title || *h->applicant)
			fprintf(out, "    %s%s%s\n", h->title,
				*h->title && *h->applicant ? " — " : "", h->applicant);
		if (h->snippet && *h->snippet)
			fprintf(out, "    %s\n", h->snippet);
	}
}
