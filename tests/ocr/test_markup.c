/* tests/ocr/test_markup.c: the ALTO 4.4 and hOCR outputs — ALTO validates
 * against the official schema (tests/ocr/data/alto, no network), hOCR is
 * well-formed XHTML, and both carry exactly the page's words and boxes — on
 * pages built by hand (awkward text, empty page, two pages, bad strings) and
 * on a real recognition of tests/ocr/data/page.tif, in process and through
 * `sohoa ocr --format alto|hocr`. */
#include "testutil.h"

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocr/ocr.h"

#define FIXTURE  SOHOA_SOURCE_DIR "/tests/ocr/data/page.tif"
#define ALTO_XSD SOHOA_SOURCE_DIR "/tests/ocr/data/alto/alto-4-4.xsd"
#define ALTO_NS  "http://www.loc.gov/standards/alto/ns-v4#"
#define XHTML_NS "http://www.w3.org/1999/xhtml"

typedef struct {
	xmlSchemaPtr alto;
	sohoa_ocr_page *real; /* page.tif, recognised once */
} fixture;

/* ------------------------------------------------------------ utilities */

/* The official schema, its xlink import pointed at the local xlink.xsd
 * beside it (the file itself stays as published). */
static xmlSchemaPtr load_alto_schema(void)
{
	static const char remote[] = "\"http://www.loc.gov/standards/xlink/xlink.xsd\"";
	char *xsd = NULL, *local = NULL, *at;
	xmlDocPtr doc;
	xmlSchemaParserCtxtPtr ctx;
	xmlSchemaPtr schema;

	assert_int_equal(sohoa_file_read(&xsd, NULL, ALTO_XSD, 1 << 20), 0);
	at = strstr(xsd, remote);
	assert_non_null(at);
	assert_true(asprintf(&local, "%.*s\"xlink.xsd\"%s", (int)(at - xsd), xsd,
			     at + sizeof remote - 1) > 0);
	/* The URL makes "xlink.xsd" resolve beside alto-4-4.xsd. */
	doc = xmlReadMemory(local, (int)strlen(local), ALTO_XSD, NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	ctx = xmlSchemaNewDocParserCtxt(doc);
	schema = xmlSchemaParse(ctx);
	assert_non_null(schema);
	xmlSchemaFreeParserCtxt(ctx);
	xmlFreeDoc(doc);
	free(local);
	free(xsd);
	return schema;
}

typedef int (*writer)(FILE *, const char *, sohoa_ocr_page *const *, size_t);

/* What `fn` writes for the pages, as a string; the call must succeed. */
static char *render(writer fn, const char *source, sohoa_ocr_page *const *pages, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	int rc = fn(f, source, pages, n);
	if (rc != 0)
		fail_msg("writer failed: %s", sohoa_error_last());
	fclose(f);
	return buf;
}

static xmlDocPtr parse(const char *xml)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "output.xml", NULL, XML_PARSE_NONET);
	if (!doc)
		fail_msg("not well-formed XML:\n%s", xml);
	return doc;
}

static void assert_valid_alto(const fixture *f, xmlDocPtr doc)
{
	xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(f->alto);
	assert_non_null(v);
	assert_int_equal(xmlSchemaValidateDoc(v, doc), 0);
	xmlSchemaFreeValidCtxt(v);
}

static xmlXPathObjectPtr query(xmlDocPtr doc, xmlNodePtr at, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	assert_non_null(ctx);
	xmlXPathRegisterNs(ctx, BAD_CAST "a", BAD_CAST ALTO_NS);
	xmlXPathRegisterNs(ctx, BAD_CAST "h", BAD_CAST XHTML_NS);
	ctx->node = at ? at : xmlDocGetRootElement(doc);
	xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST expr, ctx);
	assert_non_null(r);
	xmlXPathFreeContext(ctx);
	return r;
}

static int count_of(xmlXPathObjectPtr r)
{
	return r->nodesetval ? r->nodesetval->nodeNr : 0;
}

/* The string value of `expr` from node `at`, malloc'd. */
static char *value(xmlDocPtr doc, xmlNodePtr at, const char *expr)
{
	xmlXPathObjectPtr r = query(doc, at, expr);
	char *s = (char *)xmlXPathCastToString(r);
	xmlXPathFreeObject(r);
	char *copy = strdup(s);
	xmlFree(s);
	return copy;
}

static long number(xmlDocPtr doc, xmlNodePtr at, const char *expr)
{
	char *s = value(doc, at, expr), *end;
	long n = strtol(s, &end, 10);
	if (!*s || *end)
		fail_msg("%s: '%s' is not an integer", expr, s);
	free(s);
	return n;
}

/* ------------------------------------------------------- hand-made pages */

typedef struct {
	const char *text;
	int x, y, w, h;
	float confidence;
	int line; /* lines are numbered in order from 0 */
	int block;
} word_spec;

/* A page of `n` words as the engine would give it: lines in order, line
 * boxes around their words, text built from the words. */
static sohoa_ocr_page *make_page(const char *source, size_t pageno, uint32_t w, uint32_t h,
				 const word_spec *spec, size_t n)
{
	sohoa_ocr_page *p = calloc(1, sizeof *p);
	size_t text_len = 1;

	assert_non_null(p);
	p->source = strdup(source);
	p->page = pageno;
	p->width = w;
	p->height = h;
	p->dpi = 300;
	p->words = calloc(n + 1, sizeof *p->words);
	p->lines = calloc(n + 1, sizeof *p->lines);
	float sum = 0;
	for (size_t i = 0; i < n; i++) {
		sohoa_ocr_word *wd = &p->words[i];
		wd->text = strdup(spec[i].text);
		wd->box = (sohoa_box){spec[i].x, spec[i].y, spec[i].w, spec[i].h};
		wd->confidence = spec[i].confidence;
		sum += spec[i].confidence;
		text_len += strlen(spec[i].text) + 2;
		if (i == 0 || spec[i].line != spec[i - 1].line) {
			sohoa_ocr_line *l = &p->lines[p->line_count++];
			l->first_word = i;
			l->block = spec[i].block;
			l->box = wd->box;
		}
		sohoa_ocr_line *l = &p->lines[p->line_count - 1];
		int x2 = l->box.x + l->box.w, y2 = l->box.y + l->box.h;
		if (wd->box.x + wd->box.w > x2)
			x2 = wd->box.x + wd->box.w;
		if (wd->box.y + wd->box.h > y2)
			y2 = wd->box.y + wd->box.h;
		if (wd->box.x < l->box.x)
			l->box.x = wd->box.x;
		if (wd->box.y < l->box.y)
			l->box.y = wd->box.y;
		l->box.w = x2 - l->box.x;
		l->box.h = y2 - l->box.y;
		l->word_count++;
	}
	p->word_count = n;
	p->mean_confidence = n ? sum / (float)n : 0;
	p->needs_review = p->mean_confidence < SOHOA_OCR_REVIEW_THRESHOLD;
	p->text = calloc(text_len, 1);
	for (size_t i = 0; i < n; i++) {
		strcat(p->text, spec[i].text);
		strcat(p->text, i + 1 < n && spec[i + 1].line == spec[i].line ? " " : "\n");
	}
	return p;
}

/* Awkward text: markup characters, quotes, Vietnamese with stacked marks,
 * two blocks. */
static const word_spec awkward[] = {
	{"CỘNG", 100, 50, 180, 40, 96.5f, 0, 0},         {"HÒA", 290, 50, 120, 40, 91.0f, 0, 0},
	{"a&b", 100, 110, 90, 35, 88.0f, 1, 0},          {"<tag>", 200, 110, 120, 35, 100.0f, 1, 0},
	{"\"quoted\"", 330, 110, 160, 35, 72.25f, 1, 0}, {"it's", 500, 110, 60, 35, 0.0f, 1, 0},
	{"Quyết", 100, 300, 150, 45, 99.9f, 2, 1},       {"định", 260, 300, 110, 45, 85.0f, 2, 1},
	{"Ủy", 100, 360, 70, 45, 64.0f, 3, 1},           {"ban", 180, 360, 80, 45, 93.0f, 3, 1},
};
#define AWKWARD_SOURCE "scans/hồ sơ \"số 1\" & <bản> 50%;x.tif"

/* ------------------------------------------------------- shared checks */

/* Every String of ALTO page `pg` against the page's words, in order: same
 * content, same (clipped) box, coordinates inside the page, WC in 0..1. */
static void check_alto_page(xmlDocPtr doc, xmlNodePtr pg, const sohoa_ocr_page *p)
{
	xmlXPathObjectPtr strings = query(doc, pg, ".//a:String");
	size_t n = 0;
	long W = number(doc, pg, "string(@WIDTH)"), H = number(doc, pg, "string(@HEIGHT)");

	assert_int_equal(W, p->width);
	assert_int_equal(H, p->height);
	assert_int_equal(number(doc, pg, "string(@PHYSICAL_IMG_NR)"), (long)p->page + 1);
	for (size_t li = 0; li < p->line_count; li++) {
		const sohoa_ocr_line *l = &p->lines[li];
		for (size_t k = 0; k < l->word_count; k++, n++) {
			const sohoa_ocr_word *w = &p->words[l->first_word + k];
			assert_true((int)n < count_of(strings));
			xmlNodePtr s = strings->nodesetval->nodeTab[n];
			char *content = value(doc, s, "string(@CONTENT)");
			assert_string_equal(content, w->text);
			free(content);
			long x = number(doc, s, "string(@HPOS)"),
			     y = number(doc, s, "string(@VPOS)");
			long ww = number(doc, s, "string(@WIDTH)"),
			     hh = number(doc, s, "string(@HEIGHT)");
			assert_true(x >= 0 && y >= 0 && ww >= 0 && hh >= 0);
			assert_true(x + ww <= W && y + hh <= H);
			if (w->box.x >= 0 && w->box.y >= 0 &&
			    w->box.x + w->box.w <= (int)p->width &&
			    w->box.y + w->box.h <= (int)p->height) {
				assert_int_equal(x, w->box.x);
				assert_int_equal(y, w->box.y);
				assert_int_equal(ww, w->box.w);
				assert_int_equal(hh, w->box.h);
			}
			char *wc = value(doc, s, "string(@WC)");
			double c = strtod(wc, NULL);
			assert_true(c >= 0 && c <= 1);
			assert_true(c - w->confidence / 100.0 < 0.001 &&
				    w->confidence / 100.0 - c < 0.001);
			free(wc);
		}
	}
	assert_int_equal(count_of(strings), n);
	xmlXPathFreeObject(strings);
}

/* Renders `pages` as ALTO, validates it, and checks every page. */
static void check_alto(const fixture *f, const char *source, sohoa_ocr_page *const *pages, size_t n)
{
	char *xml = render(sohoa_ocr_write_alto, source, pages, n);
	xmlDocPtr doc = parse(xml);
	assert_valid_alto(f, doc);

	char *unit = value(doc, NULL, "string(a:Description/a:MeasurementUnit)");
	assert_string_equal(unit, "pixel");
	char *file = value(doc, NULL, "string(a:Description/a:sourceImageInformation/a:fileName)");
	assert_string_equal(file, source);
	char *version = value(doc, NULL, "string(//a:processingSoftware/a:softwareVersion)");
	assert_string_equal(version, sohoa_version());
	char *name = value(doc, NULL, "string(//a:processingSoftware/a:softwareName)");
	assert_string_equal(name, "sohoa");
	free(unit);
	free(file);
	free(version);
	free(name);

	xmlXPathObjectPtr pgs = query(doc, NULL, "a:Layout/a:Page");
	assert_int_equal(count_of(pgs), n);
	for (size_t i = 0; i < n; i++) {
		xmlNodePtr pg = pgs->nodesetval->nodeTab[i];
		check_alto_page(doc, pg, pages[i]);
		char *pc = value(doc, pg, "string(@PC)");
		double c = strtod(pc, NULL);
		assert_true(c - pages[i]->mean_confidence / 100.0 < 0.001 &&
			    pages[i]->mean_confidence / 100.0 - c < 0.001);
		free(pc);
	}
	xmlXPathFreeObject(pgs);
	xmlFreeDoc(doc);
	free(xml);
}

/* Percent-decoding of an hOCR property string. */
static char *pct_decode(const char *s)
{
	char *out = malloc(strlen(s) + 1), *w = out;
	for (; *s; s++) {
		unsigned v;
		if (*s == '%' && sscanf(s + 1, "%2x", &v) == 1) {
			*w++ = (char)v;
			s += 2;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
	return out;
}

/* Renders `pages` as hOCR, parses it and checks metadata, the page titles
 * and every word's text, bbox and x_wconf. */
static void check_hocr(const char *source, sohoa_ocr_page *const *pages, size_t n)
{
	char *html = render(sohoa_ocr_write_hocr, source, pages, n);
	xmlDocPtr doc = parse(html);
	char *sys = value(doc, NULL, "string(h:head/h:meta[@name='ocr-system']/@content)");
	char *caps = value(doc, NULL, "string(h:head/h:meta[@name='ocr-capabilities']/@content)");
	char want[64];
	snprintf(want, sizeof want, "sohoa %s", sohoa_version());
	assert_string_equal(sys, want);
	assert_non_null(strstr(caps, "ocrx_word"));
	assert_non_null(strstr(caps, "ocr_carea"));
	free(sys);
	free(caps);
	char *lang = value(doc, NULL, "string(@lang)");
	assert_string_equal(lang, "vi");
	free(lang);

	xmlXPathObjectPtr pgs = query(doc, NULL, "h:body/h:div[@class='ocr_page']");
	assert_int_equal(count_of(pgs), n);
	for (size_t i = 0; i < n; i++) {
		const sohoa_ocr_page *p = pages[i];
		xmlNodePtr pg = pgs->nodesetval->nodeTab[i];
		char *title = value(doc, pg, "string(@title)");
		/* image "<percent-encoded name>"; bbox 0 0 W H; ppageno N ... */
		assert_int_equal(strncmp(title, "image \"", 7), 0);
		char *close = strchr(title + 7, '"');
		assert_non_null(close);
		*close = '\0';
		char *image = pct_decode(title + 7);
		assert_string_equal(image, source);
		unsigned W, H;
		size_t pageno;
		assert_int_equal(
			sscanf(close + 1, "; bbox 0 0 %u %u; ppageno %zu", &W, &H, &pageno), 3);
		assert_int_equal(W, p->width);
		assert_int_equal(H, p->height);
		assert_int_equal(pageno, p->page);
		free(image);
		free(title);

		xmlXPathObjectPtr words = query(doc, pg, ".//h:span[@class='ocrx_word']");
		size_t k = 0;
		for (size_t li = 0; li < p->line_count; li++) {
			const sohoa_ocr_line *l = &p->lines[li];
			for (size_t j = 0; j < l->word_count; j++, k++) {
				const sohoa_ocr_word *w = &p->words[l->first_word + j];
				assert_true((int)k < count_of(words));
				xmlNodePtr s = words->nodesetval->nodeTab[k];
				char *text = value(doc, s, "string(.)");
				char *wt = value(doc, s, "string(@title)");
				int x0, y0, x1, y1, conf;
				assert_string_equal(text, w->text);
				assert_int_equal(sscanf(wt, "bbox %d %d %d %d; x_wconf %d", &x0,
							&y0, &x1, &y1, &conf),
						 5);
				assert_true(x0 >= 0 && y0 >= 0 && x0 <= x1 && y0 <= y1);
				assert_true(x1 <= (int)p->width && y1 <= (int)p->height);
				if (w->box.x >= 0 && w->box.x + w->box.w <= (int)p->width &&
				    w->box.y >= 0 && w->box.y + w->box.h <= (int)p->height) {
					assert_int_equal(x0, w->box.x);
					assert_int_equal(y0, w->box.y);
					assert_int_equal(x1, w->box.x + w->box.w);
					assert_int_equal(y1, w->box.y + w->box.h);
				}
				assert_true(conf >= 0 && conf <= 100);
				assert_true(conf - w->confidence <= 0.5f &&
					    w->confidence - conf <= 0.5f);
				free(text);
				free(wt);
			}
		}
		assert_int_equal(count_of(words), k);
		xmlXPathFreeObject(words);
	}
	xmlXPathFreeObject(pgs);
	xmlFreeDoc(doc);
	free(html);
}

/* ------------------------------------------------------------- the tests */

static void test_alto_with_markup_characters_and_diacritics_validates(void **state)
{
	fixture *f = *state;
	sohoa_ocr_page *p = make_page(AWKWARD_SOURCE, 0, 1000, 1400, awkward,
				      sizeof awkward / sizeof awkward[0]);
	check_alto(f, AWKWARD_SOURCE, &p, 1);

	/* One TextBlock per reading-order block, SP between words. */
	char *xml = render(sohoa_ocr_write_alto, AWKWARD_SOURCE, &p, 1);
	xmlDocPtr doc = parse(xml);
	xmlXPathObjectPtr blocks = query(doc, NULL, "//a:TextBlock");
	xmlXPathObjectPtr lines = query(doc, NULL, "//a:TextLine");
	xmlXPathObjectPtr sps = query(doc, NULL, "//a:SP");
	assert_int_equal(count_of(blocks), 2);
	assert_int_equal(count_of(lines), 4);
	assert_int_equal(count_of(sps), 10 - 4);
	assert_int_equal(number(doc, blocks->nodesetval->nodeTab[1], "count(.//a:String)"), 4);
	xmlXPathFreeObject(blocks);
	xmlXPathFreeObject(lines);
	xmlXPathFreeObject(sps);
	xmlFreeDoc(doc);
	free(xml);
	sohoa_ocr_page_free(p);
}

static void test_alto_of_empty_page_validates(void **state)
{
	fixture *f = *state;
	sohoa_ocr_page *p = make_page("blank.tif", 0, 2480, 3508, NULL, 0);
	check_alto(f, "blank.tif", &p, 1);
	char *xml = render(sohoa_ocr_write_alto, "blank.tif", &p, 1);
	assert_null(strstr(xml, "TextBlock"));
	assert_non_null(strstr(xml, "PrintSpace"));
	free(xml);
	sohoa_ocr_page_free(p);
}

static void test_alto_of_two_pages_validates_with_unique_ids(void **state)
{
	fixture *f = *state;
	sohoa_ocr_page *pages[3] = {
		make_page("two.tif", 0, 1000, 1400, awkward, 6),
		NULL, /* a page that failed is skipped */
		make_page("two.tif", 1, 1200, 900, awkward + 6, 4),
	};
	check_alto(f, "two.tif", pages, 1);
	/* Validation proves the IDs unique across pages; check the numbering. */
	char *xml = render(sohoa_ocr_write_alto, "two.tif", pages, 3);
	xmlDocPtr doc = parse(xml);
	assert_valid_alto(f, doc);
	assert_int_equal(number(doc, NULL, "count(//a:Page)"), 2);
	assert_int_equal(number(doc, NULL, "string((//a:Page)[2]/@PHYSICAL_IMG_NR)"), 2);
	assert_int_equal(number(doc, NULL, "count((//a:Page)[2]//a:String)"), 4);
	xmlFreeDoc(doc);
	free(xml);
	sohoa_ocr_page *both[] = {pages[0], pages[2]};
	check_alto(f, "two.tif", both, 2);
	sohoa_ocr_page_free(pages[0]);
	sohoa_ocr_page_free(pages[2]);
}

static void test_alto_clips_boxes_to_the_page(void **state)
{
	fixture *f = *state;
	static const word_spec spill[] = {
		{"lề", -20, 10, 100, 40, 80.0f, 0, 0},
		{"tràn", 950, 1380, 200, 60, 80.0f, 0, 0},
		{"ngoài", 5000, 5000, 10, 10, 80.0f, 1, 0},
	};
	sohoa_ocr_page *p = make_page("spill.tif", 0, 1000, 1400, spill, 3);
	check_alto(f, "spill.tif", &p, 1); /* asserts every String inside the page */
	sohoa_ocr_page_free(p);
}

static void test_alto_replaces_bytes_that_xml_cannot_hold(void **state)
{
	fixture *f = *state;
	static const word_spec bad[] = {
		{"ctrl\x01x", 10, 10, 50, 20, 50.0f, 0, 0},
		{"latin1\xe9", 70, 10, 50, 20, 50.0f, 0, 0},
		{"cut\xe1\xba", 130, 10, 50, 20, 50.0f, 0, 0},
	};
	sohoa_ocr_page *p = make_page("bad\x02name\xff.tif", 0, 400, 100, bad, 3);
	char *xml = render(sohoa_ocr_write_alto, p->source, &p, 1);
	xmlDocPtr doc = parse(xml);
	assert_valid_alto(f, doc);
	char *c = value(doc, NULL, "string(//a:String[1]/@CONTENT)");
	assert_string_equal(c, "ctrl\xEF\xBF\xBDx");
	free(c);
	c = value(doc, NULL, "string(//a:String[3]/@CONTENT)");
	assert_string_equal(c, "cut\xEF\xBF\xBD\xEF\xBF\xBD");
	free(c);
	xmlFreeDoc(doc);
	free(xml);
	xml = render(sohoa_ocr_write_hocr, p->source, &p, 1);
	xmlFreeDoc(parse(xml));
	free(xml);
	sohoa_ocr_page_free(p);
}

static void test_hocr_with_markup_characters_and_diacritics_parses(void **state)
{
	(void)state;
	sohoa_ocr_page *p = make_page(AWKWARD_SOURCE, 0, 1000, 1400, awkward,
				      sizeof awkward / sizeof awkward[0]);
	check_hocr(AWKWARD_SOURCE, &p, 1);

	char *html = render(sohoa_ocr_write_hocr, AWKWARD_SOURCE, &p, 1);
	xmlDocPtr doc = parse(html);
	assert_int_equal(number(doc, NULL, "count(//h:div[@class='ocr_carea'])"), 2);
	assert_int_equal(number(doc, NULL, "count(//h:p[@class='ocr_par'][@lang='vi'])"), 2);
	assert_int_equal(number(doc, NULL, "count(//h:span[@class='ocr_line'])"), 4);
	/* The words of a line read as the line's text. */
	char *line = value(doc, NULL, "string((//h:span[@class='ocr_line'])[2])");
	assert_string_equal(line, "a&b <tag> \"quoted\" it's");
	free(line);
	char *bbox = value(doc, NULL, "string((//h:span[@class='ocr_line'])[4]/@title)");
	assert_string_equal(bbox, "bbox 100 360 260 405");
	free(bbox);
	xmlFreeDoc(doc);
	free(html);
	sohoa_ocr_page_free(p);
}

static void test_hocr_of_empty_page_and_of_two_pages_parses(void **state)
{
	(void)state;
	sohoa_ocr_page *blank = make_page("blank.tif", 0, 2480, 3508, NULL, 0);
	check_hocr("blank.tif", &blank, 1);
	sohoa_ocr_page *two[] = {
		make_page("two.tif", 0, 1000, 1400, awkward, 6),
		make_page("two.tif", 1, 1200, 900, awkward + 6, 4),
	};
	check_hocr("two.tif", two, 2);
	char *html = render(sohoa_ocr_write_hocr, "two.tif", two, 2);
	assert_non_null(strstr(html, "ppageno 1"));
	xmlDocPtr doc = parse(html);
	char *n = value(doc, NULL, "string(//h:meta[@name='ocr-number-of-pages']/@content)");
	assert_string_equal(n, "2");
	free(n);
	xmlFreeDoc(doc);
	free(html);
	sohoa_ocr_page_free(blank);
	sohoa_ocr_page_free(two[0]);
	sohoa_ocr_page_free(two[1]);
}

static void test_writers_refuse_no_pages_and_bad_lines(void **state)
{
	(void)state;
	sohoa_ocr_page *none[] = {NULL};
	FILE *f = fopen("/dev/null", "w");
	assert_non_null(f);
	assert_int_equal(sohoa_ocr_write_alto(f, "x.tif", none, 1), SOHOA_EINVAL);
	assert_int_equal(sohoa_ocr_write_hocr(f, "x.tif", none, 0), SOHOA_EINVAL);

	sohoa_ocr_page *p = make_page("x.tif", 0, 100, 100, awkward, 2);
	p->lines[0].word_count = 5; /* past the page's two words */
	assert_int_equal(sohoa_ocr_write_alto(f, "x.tif", &p, 1), SOHOA_EINVAL);
	assert_non_null(strstr(sohoa_error_last(), "line 1"));
	assert_int_equal(sohoa_ocr_write_hocr(f, "x.tif", &p, 1), SOHOA_EINVAL);
	fclose(f);
	sohoa_ocr_page_free(p);
}

static void test_writers_report_a_full_disk(void **state)
{
	(void)state;
	sohoa_ocr_page *p = make_page("x.tif", 0, 1000, 1400, awkward, 10);
	FILE *f = fopen("/dev/full", "w");
	if (!f)
		skip();
	assert_true(sohoa_ocr_write_alto(f, "x.tif", &p, 1) < 0);
	assert_non_null(strstr(sohoa_error_last(), "ALTO"));
	clearerr(f);
	assert_true(sohoa_ocr_write_hocr(f, "x.tif", &p, 1) < 0);
	fclose(f);
	sohoa_ocr_page_free(p);
}

static void test_alto_of_recognised_page_validates_and_matches_words(void **state)
{
	fixture *f = *state;
	assert_true(f->real->word_count > 50);
	check_alto(f, FIXTURE, &f->real, 1);
}

static void test_hocr_of_recognised_page_matches_words(void **state)
{
	fixture *f = *state;
	check_hocr(FIXTURE, &f->real, 1);
}

/* `sohoa ocr --format F --out DIR page.tif` writes DIR/page.<ext>; returns
 * its content. */
static char *run_cli(const char *format, const char *ext)
{
	char *dir = tu_mkdtemp(), *name = NULL, *path, *data = NULL;
	char *argv[] = {SOHOA_BIN, "ocr", "--format", (char *)format, "--out", dir, FIXTURE, NULL};
	tu_run_result r = tu_run(argv, NULL);
	if (r.status != 0)
		fail_msg("sohoa ocr --format %s: status %d: %s", format, r.status, r.err);
	assert_int_equal(tu_count_entries(dir), 1);
	assert_true(asprintf(&name, "page.%s", ext) > 0);
	path = tu_path(dir, name);
	assert_int_equal(sohoa_file_read(&data, NULL, path, 64u << 20), 0);
	tu_run_free(&r);
	free(path);
	free(name);
	tu_rmtree(dir);
	free(dir);
	return data;
}

static void test_cli_writes_alto_and_hocr_files(void **state)
{
	fixture *f = *state;
	char *alto = run_cli("alto", "alto.xml");
	xmlDocPtr doc = parse(alto);
	assert_valid_alto(f, doc);
	assert_true(number(doc, NULL, "count(//a:String)") > 50);
	char *file = value(doc, NULL, "string(//a:sourceImageInformation/a:fileName)");
	assert_string_equal(file, FIXTURE);
	free(file);
	xmlFreeDoc(doc);
	free(alto);

	char *hocr = run_cli("hocr", "hocr");
	doc = parse(hocr);
	assert_true(number(doc, NULL, "count(//h:span[@class='ocrx_word'])") > 50);
	xmlFreeDoc(doc);
	free(hocr);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	sohoa_ocr_options opt = sohoa_ocr_options_default();
	sohoa_ocr_engine *engine = NULL;

	assert_non_null(f);
	f->alto = load_alto_schema();
	if (sohoa_ocr_engine_new(&engine, &opt) != 0 ||
	    sohoa_ocr_recognize(&f->real, engine, FIXTURE, 0) != 0)
		fail_msg("%s", sohoa_error_last());
	sohoa_ocr_engine_free(engine);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	xmlSchemaFree(f->alto);
	sohoa_ocr_page_free(f->real);
	free(f);
	xmlCleanupParser();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alto_with_markup_characters_and_diacritics_validates),
		cmocka_unit_test(test_alto_of_empty_page_validates),
		cmocka_unit_test(test_alto_of_two_pages_validates_with_unique_ids),
		cmocka_unit_test(test_alto_clips_boxes_to_the_page),
		cmocka_unit_test(test_alto_replaces_bytes_that_xml_cannot_hold),
		cmocka_unit_test(test_hocr_with_markup_characters_and_diacritics_parses),
		cmocka_unit_test(test_hocr_of_empty_page_and_of_two_pages_parses),
		cmocka_unit_test(test_writers_refuse_no_pages_and_bad_lines),
		cmocka_unit_test(test_writers_report_a_full_disk),
		cmocka_unit_test(test_alto_of_recognised_page_validates_and_matches_words),
		cmocka_unit_test(test_hocr_of_recognised_page_matches_words),
		cmocka_unit_test(test_cli_writes_alto_and_hocr_files),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
