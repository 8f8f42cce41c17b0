/* ocr/markup.c: what the ALTO and hOCR writers share — a sticky-error XML
 * writer on libxml2's xmlTextWriter that never emits ill-formed XML, and the
 * walk over a page's blocks, lines and boxes. */
#include "ocr/ocr_int.h"

#include <errno.h>
#include <libxml/xmlwriter.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct ocr_xml {
	xmlTextWriterPtr w;
	FILE *f;
	int error;       /* 0, or the first SOHOA_E* code */
	int write_errno; /* errno of a failed write to f */
};

/* Length (1..4) of the UTF-8 sequence at s when it encodes a character
 * XML 1.0 allows, else 0. */
static size_t xml_char_len(const unsigned char *s)
{
	static const uint32_t least[] = {0, 0, 0x80, 0x800, 0x10000};
	uint32_t cp;
	size_t n;

	if (s[0] < 0x80)
		return s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' || s[0] == '\r';
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		n = 2;
		cp = s[0] & 0x1Fu;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		n = 3;
		cp = s[0] & 0x0Fu;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		n = 4;
		cp = s[0] & 0x07u;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3Fu);
	}
	if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp == 0xFFFE ||
	    cp == 0xFFFF)
		return 0;
	return n;
}

/* NULL when `s` holds only XML characters in valid UTF-8 (use it as is),
 * else a malloc'd copy with each offending byte replaced by U+FFFD. Sets
 * x->error when the copy cannot be made. */
static char *xml_clean(ocr_xml *x, const char *s)
{
	const unsigned char *p;
	size_t bad = 0, n;
	char *copy, *w;

	for (p = (const unsigned char *)s; *p; p += n ? n : 1)
		if ((n = xml_char_len(p)) == 0)
			bad++;
	if (bad == 0)
		return NULL;
	/* Each bad byte (1) becomes U+FFFD (3). */
	copy = malloc(strlen(s) + 2 * bad + 1);
	if (!copy) {
		x->error = SOHOA_ENOMEM;
		return NULL;
	}
	w = copy;
	for (p = (const unsigned char *)s; *p; p += n ? n : 1) {
		if ((n = xml_char_len(p)) > 0) {
			memcpy(w, p, n);
			w += n;
		} else {
			memcpy(w, "\xEF\xBF\xBD", 3);
			w += 3;
		}
	}
	*w = '\0';
	return copy;
}

static void check(ocr_xml *x, int rc)
{
	if (rc < 0 && !x->error)
		x->error = SOHOA_EIO;
}

/* libxml2's output callback. A failed write is remembered, and libxml2 is
 * told all went well so that it prints nothing; ocr_xml_close reports it. */
static int write_out(void *ctx, const char *data, int len)
{
	ocr_xml *x = ctx;

	errno = 0;
	if (!x->error && len > 0 && fwrite(data, 1, (size_t)len, x->f) != (size_t)len) {
		x->error = SOHOA_EIO;
		x->write_errno = errno ? errno : EIO;
	}
	return len;
}

int ocr_xml_open(ocr_xml **out, FILE *f, int indent)
{
	ocr_xml *x = calloc(1, sizeof *x);
	xmlOutputBufferPtr buf = NULL;

	*out = NULL;
	xmlInitParser();
	if (x)
		buf = xmlOutputBufferCreateIO(write_out, NULL, x, NULL);
	if (!buf) {
		free(x);
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	}
	x->w = xmlNewTextWriter(buf);
	if (!x->w) { /* the buffer is still ours */
		xmlOutputBufferClose(buf);
		free(x);
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	}
	x->f = f;
	if (indent) {
		check(x, xmlTextWriterSetIndent(x->w, 1));
		check(x, xmlTextWriterSetIndentString(x->w, BAD_CAST " "));
	}
	check(x, xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL));
	*out = x;
	return 0;
}

void ocr_xml_start(ocr_xml *x, const char *name)
{
	if (!x->error)
		check(x, xmlTextWriterStartElement(x->w, BAD_CAST name));
}

void ocr_xml_attr(ocr_xml *x, const char *name, const char *value)
{
	char *clean;

	if (x->error)
		return;
	clean = xml_clean(x, value ? value : "");
	if (!x->error)
		check(x, xmlTextWriterWriteAttribute(x->w, BAD_CAST name,
						     BAD_CAST(clean   ? clean
							      : value ? value
								      : "")));
	free(clean);
}

void ocr_xml_attrf(ocr_xml *x, const char *name, const char *fmt, ...)
{
	char *value = NULL;
	va_list ap;
	int n;

	if (x->error)
		return;
	va_start(ap, fmt);
	n = vasprintf(&value, fmt, ap);
	va_end(ap);
	if (n < 0) {
		x->error = SOHOA_ENOMEM;
		return;
	}
	ocr_xml_attr(x, name, value);
	free(value);
}

void ocr_xml_text(ocr_xml *x, const char *text)
{
	char *clean;

	if (x->error || !text || !*text)
		return;
	clean = xml_clean(x, text);
	if (!x->error)
		check(x, xmlTextWriterWriteString(x->w, BAD_CAST(clean ? clean : text)));
	free(clean);
}

void ocr_xml_end(ocr_xml *x)
{
	if (!x->error)
		check(x, xmlTextWriterEndElement(x->w));
}

void ocr_xml_element(ocr_xml *x, const char *name, const char *text)
{
	ocr_xml_start(x, name);
	ocr_xml_text(x, text);
	ocr_xml_end(x);
}

int ocr_xml_close(ocr_xml *x, const char *what)
{
	int error, write_errno;

	if (!x)
		return 0;
	if (!x->error)
		check(x, xmlTextWriterEndDocument(x->w));
	xmlFreeTextWriter(x->w); /* flushes through write_out */
	errno = 0;
	if (!x->write_errno && (fflush(x->f) != 0 || ferror(x->f)))
		x->write_errno = errno ? errno : EIO;
	error = x->error;
	write_errno = x->write_errno;
	free(x);
	if (write_errno)
		return sohoa_error_from_errno(write_errno, _("writing %s"), what);
	if (error == SOHOA_ENOMEM)
		return sohoa_error_set(error, _("writing %s: out of memory"), what);
	if (error)
		return sohoa_error_set(error, _("writing %s: the XML writer failed"), what);
	return 0;
}

int ocr_markup_check(sohoa_ocr_page *const *pages, size_t count)
{
	size_t present = 0;

	for (size_t i = 0; i < count; i++) {
		const sohoa_ocr_page *p = pages[i];
		if (!p)
			continue;
		present++;
		for (size_t k = 0; k < p->line_count; k++) {
			const sohoa_ocr_line *l = &p->lines[k];
			if (l->first_word > p->word_count ||
			    l->word_count > p->word_count - l->first_word)
				return sohoa_error_set(
					SOHOA_EINVAL,
					_("%s: page %zu: line %zu: words %zu..%zu are past the "
					  "page's %zu words"),
					p->source ? p->source : "?", p->page + 1, k + 1,
					l->first_word + 1, l->first_word + l->word_count,
					p->word_count);
		}
	}
	if (present == 0)
		return sohoa_error_set(SOHOA_EINVAL, _("no recognised pages to write"));
	return 0;
}

size_t ocr_block_end(const sohoa_ocr_page *p, size_t first)
{
	size_t end = first + 1;

	while (end < p->line_count && p->lines[end].block == p->lines[first].block)
		end++;
	return end;
}

/* [a, a + len) clipped to [0, limit): *a and *len adjusted, len ≥ 0. */
static void clip_span(int *a, int *len, uint32_t limit)
{
	long lo = *a, hi = (long)*a + (*len > 0 ? *len : 0);
	long max = limit > INT32_MAX ? INT32_MAX : (long)limit;

	lo = lo < 0 ? 0 : lo > max ? max : lo;
	hi = hi < lo ? lo : hi > max ? max : hi;
	*a = (int)lo;
	*len = (int)(hi - lo);
}

sohoa_box ocr_box_clip(const sohoa_ocr_page *p, sohoa_box b)
{
	clip_span(&b.x, &b.w, p->width);
	clip_span(&b.y, &b.h, p->height);
	return b;
}

sohoa_box ocr_lines_box(const sohoa_ocr_page *p, size_t first, size_t end, int *found)
{
	int x1 = 0, y1 = 0, x2 = 0, y2 = 0;

	*found = 0;
	for (size_t i = first; i < end; i++) {
		if (p->lines[i].word_count == 0)
			continue;
		sohoa_box b = ocr_box_clip(p, p->lines[i].box);
		if (!*found || b.x < x1)
			x1 = b.x;
		if (!*found || b.y < y1)
			y1 = b.y;
		if (!*found || b.x + b.w > x2)
			x2 = b.x + b.w;
		if (!*found || b.y + b.h > y2)
			y2 = b.y + b.h;
		*found = 1;
	}
	return (sohoa_box){x1, y1, x2 - x1, y2 - y1};
}

const char *ocr_format_unit(char buf[8], float confidence)
{
	int milli = isnan(confidence) ? 0 : (int)lroundf(fminf(fmaxf(confidence, 0), 100) * 10);
	size_t n = 5;

	if (milli >= 1000 || milli <= 0)
		return strcpy(buf, milli > 0 ? "1" : "0");
	buf[0] = '0';
	buf[1] = '.';
	buf[2] = (char)('0' + milli / 100);
	buf[3] = (char)('0' + milli / 10 % 10);
	buf[4] = (char)('0' + milli % 10);
	while (buf[n - 1] == '0') /* milli > 0, so buf[2..4] is not all zeros */
		n--;
	buf[n] = '\0';
	return buf;
}
