/* ocr/output.c: recognised pages as plain text and as JSON. */
#include "ocr/ocr_int.h"

#include <errno.h>

static int finish(FILE *out)
{
	if (fflush(out) != 0 || ferror(out))
		return sohoa_error_from_errno(errno ? errno : EIO, _("writing OCR output"));
	return 0;
}

int sohoa_ocr_write_text(FILE *out, sohoa_ocr_page *const *pages, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		if (i > 0)
			fputs("\f\n", out);
		if (pages[i] && pages[i]->text)
			fputs(pages[i]->text, out);
	}
	return finish(out);
}

static void box_json(FILE *out, sohoa_box b)
{
	fprintf(out, "[%d,%d,%d,%d]", b.x, b.y, b.w, b.h);
}

static void page_json(FILE *out, const sohoa_ocr_page *p)
{
	fprintf(out,
		"{\"page\":%zu,\"width\":%u,\"height\":%u,\"dpi\":%d,\"dpi_declared\":%d,"
		"\"dpi_estimated\":%s,\"rotation\":%d,\"skew\":%.2f,\"mean_confidence\":%.1f,"
		"\"needs_review\":%s,\"text\":",
		p->page + 1, p->width, p->height, p->dpi, p->dpi_declared,
		p->dpi_estimated ? "true" : "false", p->rotation, p->skew, p->mean_confidence,
		p->needs_review ? "true" : "false");
	sohoa_json_string(out, p->text ? p->text : "");
	fputs(",\"lines\":[", out);
	for (size_t i = 0; i < p->line_count; i++) {
		const sohoa_ocr_line *l = &p->lines[i];
		fprintf(out, "%s{\"block\":%d,\"box\":", i ? "," : "", l->block);
		box_json(out, l->box);
		fputs(",\"words\":[", out);
		for (size_t k = 0; k < l->word_count; k++) {
			const sohoa_ocr_word *w = &p->words[l->first_word + k];
			fputs(k ? ",{\"text\":" : "{\"text\":", out);
			sohoa_json_string(out, w->text);
			fputs(",\"box\":", out);
			box_json(out, w->box);
			fprintf(out, ",\"confidence\":%.1f}", w->confidence);
		}
		fputs("]}", out);
	}
	fputs("]}", out);
}

int sohoa_ocr_write_json(FILE *out, const char *source, sohoa_ocr_page *const *pages, size_t count)
{
	fputs("{\"source\":", out);
	sohoa_json_string(out, source);
	fputs(",\"pages\":[", out);
	for (size_t i = 0, n = 0; i < count; i++) {
		if (!pages[i])
			continue;
		if (n++)
			fputc(',', out);
		page_json(out, pages[i]);
	}
	fputs("]}\n", out);
	return finish(out);
}
