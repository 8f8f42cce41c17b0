/* ocr/alto.c: recognised pages as ALTO 4.4 XML — one Page per page, one
 * TextBlock per reading-order block, TextLine/String/SP in the original
 * page's pixels — valid against the official schema. */
#include "ocr/ocr_int.h"

#define ALTO_NS     "http://www.loc.gov/standards/alto/ns-v4#"
#define ALTO_XSD    "http://www.loc.gov/standards/alto/v4/alto-4-4.xsd"
#define ALTO_OCR_ID "ocr_1" /* the one OCRProcessing element */

static void box_attrs(ocr_xml *x, sohoa_box b)
{
	ocr_xml_attrf(x, "HPOS", "%d", b.x);
	ocr_xml_attrf(x, "VPOS", "%d", b.y);
	ocr_xml_attrf(x, "WIDTH", "%d", b.w);
	ocr_xml_attrf(x, "HEIGHT", "%d", b.h);
}

static void description(ocr_xml *x, const char *source)
{
	ocr_xml_start(x, "Description");
	ocr_xml_element(x, "MeasurementUnit", "pixel");
	if (source) {
		ocr_xml_start(x, "sourceImageInformation");
		ocr_xml_element(x, "fileName", source);
		ocr_xml_end(x);
	}
	ocr_xml_start(x, "OCRProcessing");
	ocr_xml_attr(x, "ID", ALTO_OCR_ID);
	ocr_xml_start(x, "ocrProcessingStep");
	ocr_xml_element(x, "processingCategory", "contentGeneration");
	ocr_xml_start(x, "processingSoftware");
	ocr_xml_element(x, "softwareName", "sohoa");
	ocr_xml_element(x, "softwareVersion", sohoa_version());
	ocr_xml_element(x, "applicationDescription", sohoa_ocr_versions());
	ocr_xml_end(x); /* processingSoftware */
	ocr_xml_end(x); /* ocrProcessingStep */
	ocr_xml_end(x); /* OCRProcessing */
	ocr_xml_end(x); /* Description */
}

/* One TextLine of page number `n` (1-based in this document): its words as
 * String elements, an SP for the gap between two words. */
static void text_line(ocr_xml *x, const sohoa_ocr_page *p, size_t n, size_t li)
{
	const sohoa_ocr_line *l = &p->lines[li];
	sohoa_box prev = {0, 0, 0, 0};
	char wc[8];

	ocr_xml_start(x, "TextLine");
	ocr_xml_attrf(x, "ID", "line_%zu_%zu", n, li + 1);
	box_attrs(x, ocr_box_clip(p, l->box));
	for (size_t k = 0; k < l->word_count; k++) {
		size_t wi = l->first_word + k;
		const sohoa_ocr_word *w = &p->words[wi];
		sohoa_box b = ocr_box_clip(p, w->box);
		if (k > 0) {
			int gap = b.x - (prev.x + prev.w);
			ocr_xml_start(x, "SP");
			ocr_xml_attrf(x, "HPOS", "%d", prev.x + prev.w);
			ocr_xml_attrf(x, "VPOS", "%d", ocr_box_clip(p, l->box).y);
			ocr_xml_attrf(x, "WIDTH", "%d", gap > 0 ? gap : 0);
			ocr_xml_end(x);
		}
		ocr_xml_start(x, "String");
		ocr_xml_attrf(x, "ID", "word_%zu_%zu", n, wi + 1);
		box_attrs(x, b);
		ocr_xml_attr(x, "WC", ocr_format_unit(wc, w->confidence));
		ocr_xml_attr(x, "CONTENT", w->text ? w->text : "");
		ocr_xml_end(x);
		prev = b;
	}
	ocr_xml_end(x);
}

/* The blocks of a page inside its PrintSpace (the whole page). Lines
 * without words are left out: ALTO wants at least one String per line. */
static void print_space(ocr_xml *x, const sohoa_ocr_page *p, size_t n)
{
	size_t nblock = 0;

	ocr_xml_start(x, "PrintSpace");
	ocr_xml_attrf(x, "ID", "space_%zu", n);
	box_attrs(x, (sohoa_box){0, 0, (int)p->width, (int)p->height});
	for (size_t first = 0, end; first < p->line_count; first = end) {
		int found;
		end = ocr_block_end(p, first);
		sohoa_box b = ocr_lines_box(p, first, end, &found);
		if (!found)
			continue;
		ocr_xml_start(x, "TextBlock");
		ocr_xml_attrf(x, "ID", "block_%zu_%zu", n, ++nblock);
		box_attrs(x, b);
		for (size_t li = first; li < end; li++)
			if (p->lines[li].word_count > 0)
				text_line(x, p, n, li);
		ocr_xml_end(x);
	}
	ocr_xml_end(x);
}

static void page(ocr_xml *x, const sohoa_ocr_page *p, size_t n)
{
	char pc[8];

	ocr_xml_start(x, "Page");
	ocr_xml_attrf(x, "ID", "page_%zu", n);
	ocr_xml_attrf(x, "PHYSICAL_IMG_NR", "%zu", p->page + 1);
	ocr_xml_attrf(x, "WIDTH", "%u", p->width);
	ocr_xml_attrf(x, "HEIGHT", "%u", p->height);
	ocr_xml_attr(x, "PROCESSINGREFS", ALTO_OCR_ID);
	ocr_xml_attr(x, "PC", ocr_format_unit(pc, p->mean_confidence));
	if (p->rotation != 0) /* the page was turned clockwise, so its text ran counterclockwise */
		ocr_xml_attrf(x, "ROTATION", "%d", p->rotation);
	ocr_xml_attr(x, "LANG", "vi");
	print_space(x, p, n);
	ocr_xml_end(x);
}

int sohoa_ocr_write_alto(FILE *out, const char *source, sohoa_ocr_page *const *pages, size_t count)
{
	ocr_xml *x = NULL;
	int rc = ocr_markup_check(pages, count);

	if (rc < 0)
		return rc;
	rc = ocr_xml_open(&x, out, 1);
	if (rc < 0)
		return rc;
	ocr_xml_start(x, "alto");
	ocr_xml_attr(x, "xmlns", ALTO_NS);
	ocr_xml_attr(x, "xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance");
	ocr_xml_attr(x, "xsi:schemaLocation", ALTO_NS " " ALTO_XSD);
	ocr_xml_attr(x, "SCHEMAVERSION", "4.4");
	if (!source)
		for (size_t i = 0; i < count && !source; i++)
			source = pages[i] ? pages[i]->source : NULL;
	description(x, source);
	ocr_xml_start(x, "Layout");
	for (size_t i = 0, n = 0; i < count; i++)
		if (pages[i])
			page(x, pages[i], ++n);
	ocr_xml_end(x); /* Layout */
	ocr_xml_end(x); /* alto */
	return ocr_xml_close(x, _("ALTO output"));
}
