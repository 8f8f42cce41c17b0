/* ocr/hocr.c: recognised pages as hOCR 1.2 — well-formed XHTML with
 * ocr_page / ocr_carea / ocr_par / ocr_line / ocrx_word and their bbox,
 * x_wconf, image, ppageno and scan_res properties. */
#include "ocr/ocr_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HOCR_CAPABILITIES "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf ocrp_lang"

/* `s` as the body of an hOCR delimited-string: printable ASCII without '"'
 * (hOCR 1.2 property grammar). Other bytes, and '%', ';' and '\\' which
 * naive title parsers trip on, become %XX (RFC 3986 percent-encoding), so
 * any file name survives and decodes back. NULL when out of memory. */
static char *property_string(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(3 * strlen(s) + 1), *w = out;

	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p >= 0x20 && *p < 0x7F && !strchr("\"%;\\", *p)) {
			*w++ = (char)*p;
		} else {
			*w++ = '%';
			*w++ = hex[*p >> 4];
			*w++ = hex[*p & 15];
		}
	}
	*w = '\0';
	return out;
}

/* title="bbox x0 y0 x1 y1" of a box already clipped to the page. */
static void bbox_title(ocr_xml *x, sohoa_box b)
{
	ocr_xml_attrf(x, "title", "bbox %d %d %d %d", b.x, b.y, b.x + b.w, b.y + b.h);
}

static int wconf(float confidence)
{
	return isnan(confidence) ? 0 : (int)lroundf(fminf(fmaxf(confidence, 0), 100));
}

/* One ocr_line of page number `n` (1-based in this document), its words
 * separated by a space. */
static void line(ocr_xml *x, const sohoa_ocr_page *p, size_t n, size_t li)
{
	const sohoa_ocr_line *l = &p->lines[li];

	ocr_xml_start(x, "span");
	ocr_xml_attr(x, "class", "ocr_line");
	ocr_xml_attrf(x, "id", "line_%zu_%zu", n, li + 1);
	bbox_title(x, ocr_box_clip(p, l->box));
	for (size_t k = 0; k < l->word_count; k++) {
		size_t wi = l->first_word + k;
		const sohoa_ocr_word *w = &p->words[wi];
		sohoa_box b = ocr_box_clip(p, w->box);
		if (k > 0)
			ocr_xml_text(x, " ");
		ocr_xml_start(x, "span");
		ocr_xml_attr(x, "class", "ocrx_word");
		ocr_xml_attrf(x, "id", "word_%zu_%zu", n, wi + 1);
		ocr_xml_attrf(x, "title", "bbox %d %d %d %d; x_wconf %d", b.x, b.y, b.x + b.w,
			      b.y + b.h, wconf(w->confidence));
		ocr_xml_text(x, w->text);
		ocr_xml_end(x);
	}
	ocr_xml_end(x);
	ocr_xml_text(x, "\n");
}

/* One ocr_carea holding one ocr_par per reading-order block. */
static void block(ocr_xml *x, const sohoa_ocr_page *p, size_t n, size_t nblock, size_t first,
		  size_t end, sohoa_box b)
{
	ocr_xml_start(x, "div");
	ocr_xml_attr(x, "class", "ocr_carea");
	ocr_xml_attrf(x, "id", "block_%zu_%zu", n, nblock);
	bbox_title(x, b);
	ocr_xml_text(x, "\n");
	ocr_xml_start(x, "p");
	ocr_xml_attr(x, "class", "ocr_par");
	ocr_xml_attrf(x, "id", "par_%zu_%zu", n, nblock);
	ocr_xml_attr(x, "lang", "vi");
	bbox_title(x, b);
	ocr_xml_text(x, "\n");
	for (size_t li = first; li < end; li++)
		if (p->lines[li].word_count > 0)
			line(x, p, n, li);
	ocr_xml_end(x);
	ocr_xml_text(x, "\n");
	ocr_xml_end(x);
	ocr_xml_text(x, "\n");
}

/* One ocr_page; `image` is the source file as a property string. */
static void page(ocr_xml *x, const char *image, const sohoa_ocr_page *p, size_t n)
{
	size_t nblock = 0;

	ocr_xml_start(x, "div");
	ocr_xml_attr(x, "class", "ocr_page");
	ocr_xml_attrf(x, "id", "page_%zu", n);
	if (p->dpi > 0)
		ocr_xml_attrf(x, "title",
			      "image \"%s\"; bbox 0 0 %u %u; ppageno %zu; scan_res %d %d", image,
			      p->width, p->height, p->page, p->dpi, p->dpi);
	else
		ocr_xml_attrf(x, "title", "image \"%s\"; bbox 0 0 %u %u; ppageno %zu", image,
			      p->width, p->height, p->page);
	ocr_xml_text(x, "\n");
	for (size_t first = 0, end; first < p->line_count; first = end) {
		int found;
		end = ocr_block_end(p, first);
		sohoa_box b = ocr_lines_box(p, first, end, &found);
		if (found)
			block(x, p, n, ++nblock, first, end, b);
	}
	ocr_xml_end(x);
	ocr_xml_text(x, "\n");
}

static void meta(ocr_xml *x, const char *name, const char *content)
{
	ocr_xml_start(x, "meta");
	ocr_xml_attr(x, "name", name);
	ocr_xml_attr(x, "content", content);
	ocr_xml_end(x);
	ocr_xml_text(x, "\n");
}

static void head(ocr_xml *x, const char *source, size_t npages)
{
	char system[64], pages[24];

	snprintf(system, sizeof system, "sohoa %s", sohoa_version());
	snprintf(pages, sizeof pages, "%zu", npages);
	ocr_xml_start(x, "head");
	ocr_xml_text(x, "\n");
	ocr_xml_element(x, "title", source ? source : "");
	ocr_xml_text(x, "\n");
	ocr_xml_start(x, "meta");
	ocr_xml_attr(x, "http-equiv", "Content-Type");
	ocr_xml_attr(x, "content", "text/html; charset=utf-8");
	ocr_xml_end(x);
	ocr_xml_text(x, "\n");
	meta(x, "ocr-system", system);
	meta(x, "ocr-capabilities", HOCR_CAPABILITIES);
	meta(x, "ocr-number-of-pages", pages);
	meta(x, "ocr-langs", "vi");
	meta(x, "ocr-scripts", "Latn");
	ocr_xml_end(x);
	ocr_xml_text(x, "\n");
}

int sohoa_ocr_write_hocr(FILE *out, const char *source, sohoa_ocr_page *const *pages, size_t count)
{
	ocr_xml *x = NULL;
	char *image = NULL;
	size_t npages = 0;
	int rc = ocr_markup_check(pages, count);

	if (rc < 0)
		return rc;
	for (size_t i = 0; i < count; i++) {
		npages += pages[i] != NULL;
		if (!source && pages[i])
			source = pages[i]->source;
	}
	image = property_string(source ? source : "");
	if (!image)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	rc = ocr_xml_open(&x, out, 0);
	if (rc < 0)
		goto cleanup;
	ocr_xml_start(x, "html");
	ocr_xml_attr(x, "xmlns", "http://www.w3.org/1999/xhtml");
	ocr_xml_attr(x, "xml:lang", "vi");
	ocr_xml_attr(x, "lang", "vi");
	ocr_xml_text(x, "\n");
	head(x, source, npages);
	ocr_xml_start(x, "body");
	ocr_xml_text(x, "\n");
	for (size_t i = 0, n = 0; i < count; i++)
		if (pages[i])
			page(x, image, pages[i], ++n);
	ocr_xml_end(x); /* body */
	ocr_xml_text(x, "\n");
	ocr_xml_end(x); /* html */
	rc = ocr_xml_close(x, _("hOCR output"));
cleanup:
	free(image);
	return rc;
}
