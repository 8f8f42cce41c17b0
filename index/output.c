/* index/output.c: hit lists written for machines (JSON, never localised) and
 * for people (one block of lines per hit). */
#include "index/internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Where JSON goes: a FILE, or a growing buffer (`f` NULL; `oom` once a
 * growth failed). One writer for both, so the bytes are the same. */
typedef struct {
	FILE *f;
	char *buf;
	size_t len, cap;
	int oom;
} json_out;

static void put(json_out *o, const char *s, size_t n)
{
	if (o->f) {
		fwrite(s, 1, n, o->f);
		return;
	}
	if (o->oom)
		return;
	if (o->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 1024;
		char *grown;
		while (o->len + n + 1 > cap)
			cap *= 2;
		if (!(grown = realloc(o->buf, cap))) {
			o->oom = 1;
			return;
		}
		o->buf = grown;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void put_str(json_out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_fmt(json_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put_fmt(json_out *o, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		put(o, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

/* A JSON string, escaped as sohoa_json_string does: runs of plain bytes
 * are copied at once. */
static void put_json_string(json_out *o, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	put(o, "\"", 1);
	for (; *p; p++) {
		char esc[8];
		if (*p >= 0x20 && *p != '"' && *p != '\\')
			continue;
		put(o, (const char *)run, (size_t)(p - run));
		run = p + 1;
		switch (*p) {
		case '"': put(o, "\\\"", 2); break;
		case '\\': put(o, "\\\\", 2); break;
		case '\n': put(o, "\\n", 2); break;
		case '\r': put(o, "\\r", 2); break;
		case '\t': put(o, "\\t", 2); break;
		default: snprintf(esc, sizeof esc, "\\u%04x", *p); put(o, esc, 6);
		}
	}
	put(o, (const char *)run, (size_t)(p - run));
	put(o, "\"", 1);
}

static void json_field(json_out *o, const char *name, const char *value)
{
	put(o, ",\"", 2);
	put_str(o, name);
	put(o, "\":", 2);
	put_json_string(o, value);
}

static void write_hits(json_out *o, const sohoa_index_hits *hits)
{
	put_fmt(o, "{\"count\":%zu,\"results\":[", hits->count);
	for (size_t i = 0; i < hits->count; i++) {
		const sohoa_index_hit *h = &hits->hits[i];
		put_str(o, i ? ",{\"dossier_code\":" : "{\"dossier_code\":");
		put_json_string(o, h->dossier_code);
		put_fmt(o, ",\"document\":%d,\"version\":%d", h->doc_no, h->version);
		json_field(o, "citizen_id", h->citizen_id);
		json_field(o, "applicant", h->applicant);
		json_field(o, "agency", h->agency);
		json_field(o, "type", h->doc_type);
		json_field(o, "notation", h->notation);
		json_field(o, "issue_date", h->issue_date);
		json_field(o, "procedure", h->procedure);
		json_field(o, "title", h->title);
		json_field(o, "signature", h->signature);
		put_str(o, h->superseded ? ",\"superseded\":true" : ",\"superseded\":false");
		json_field(o, "package_path", h->package_path);
		if (h->snippet) {
			json_field(o, "snippet", h->snippet);
			put_fmt(o, ",\"score\":%.6g", h->score);
		}
		put(o, "}", 1);
	}
	put(o, "]}\n", 3);
}

void sohoa_index_write_json(FILE *out, const sohoa_index_hits *hits)
{
	json_out o = {.f = out};
	write_hits(&o, hits);
}

int sohoa_index_json(char **out, size_t *len, const sohoa_index_hits *hits)
{
	json_out o = {0};
	*out = NULL;
	*len = 0;
	write_hits(&o, hits);
	if (o.oom) {
		free(o.buf);
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	}
	*out = o.buf;
	*len = o.len;
	return 0;
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
