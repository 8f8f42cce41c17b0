/* tests/formats/test_xml_safe.c: untrusted XML is accepted only as well-formed
 * UTF-8 without a DOCTYPE and within the caps; every refusal has the right code
 * and names the input (and the line, where the header promises one). */
#include "testutil.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "formats/formats.h"

/* Parses a NUL-terminated document under `name` with the default limits,
 * asserting that nothing is returned when it fails. */
static int parse_str(xmlDocPtr *doc, const char *xml, const char *name)
{
	sohoa_limits lim = sohoa_limits_default();
	int rc = sohoa_xml_parse(doc, xml, strlen(xml), name, &lim);
	if (rc != 0)
		assert_null(*doc);
	return rc;
}

/* Asserts that the last message starts with "<name>:<line>:". */
static void assert_message_names(const char *name, int line)
{
	char want[512];
	snprintf(want, sizeof want, "%s:%d:", name, line);
	if (strncmp(sohoa_error_last(), want, strlen(want)) != 0)
		fail_msg("message '%s' does not start with '%s'", sohoa_error_last(), want);
}

/* Asserts that the last message starts with "<name>:" (a line may follow). */
static void assert_message_names_input(const char *name)
{
	size_t n = strlen(name);
	if (strncmp(sohoa_error_last(), name, n) != 0 || sohoa_error_last()[n] != ':')
		fail_msg("message '%s' does not start with '%s:'", sohoa_error_last(), name);
}

/* A document of `depth` nested <e> elements, `text` inside the innermost. */
static char *nested(size_t depth, const char *text)
{
	size_t len = depth * 7 + strlen(text) + 1;
	char *s = malloc(len), *p = s;
	assert_non_null(s);
	for (size_t i = 0; i < depth; i++)
		p += sprintf(p, "<e>");
	p += sprintf(p, "%s", text);
	for (size_t i = 0; i < depth; i++)
		p += sprintf(p, "</e>");
	return s;
}

static void test_accepts_utf8_document_with_vietnamese_text(void **state)
{
	(void)state;
	const char *xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			  "<dossier code=\"HS-0001\">\n"
			  "  <applicant>Nguyễn Thị Hương</applicant>\n"
			  "  <title>Giấy chứng nhận quyền sử dụng đất</title>\n"
			  "</dossier>\n";
	xmlDocPtr doc = NULL;
	assert_int_equal(parse_str(&doc, xml, "dossier.xml"), 0);
	xmlNodePtr root = xmlDocGetRootElement(doc);
	assert_string_equal((const char *)root->name, "dossier");
	xmlChar *code = xmlGetProp(root, BAD_CAST "code");
	assert_string_equal((const char *)code, "HS-0001");
	xmlFree(code);
	xmlNodePtr applicant = xmlFirstElementChild(root);
	xmlChar *name = xmlNodeGetContent(applicant);
	assert_string_equal((const char *)name, "Nguyễn Thị Hương");
	xmlFree(name);
	xmlFreeDoc(doc);
}

static void test_reads_file_and_accepts_it(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *path = tu_path(dir, "dossier.xml");
	sohoa_limits lim = sohoa_limits_default();
	xmlDocPtr doc = NULL;
	tu_write(path, "<hoso>Hà Nội</hoso>", strlen("<hoso>Hà Nội</hoso>"));
	assert_int_equal(sohoa_xml_read(&doc, path, &lim), 0);
	assert_string_equal((const char *)xmlDocGetRootElement(doc)->name, "hoso");
	xmlFreeDoc(doc);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

/* Everything written to the capture file `f` so far, NUL-terminated. */
static char *slurp_file(FILE *f)
{
	long n;
	char *buf;
	fflush(f);
	n = ftell(f);
	assert_true(n >= 0);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	rewind(f);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	return buf;
}

static void test_rejects_xxe_and_never_reads_the_entity_file(void **state)
{
	(void)state;
	const char *secret = "SECRET-6f1c2a-do-not-leak";
	char *dir = tu_mkdtemp(), *secret_path = tu_path(dir, "secret.txt");
	char *xml_path = tu_path(dir, "xxe.xml"), xml[1024], *captured;
	sohoa_limits lim = sohoa_limits_default();
	xmlDocPtr doc = (xmlDocPtr)1;
	FILE *cap = tmpfile();
	int saved_out, saved_err;

	tu_write(secret_path, secret, strlen(secret));
	snprintf(xml, sizeof xml,
		 "<?xml version=\"1.0\"?>\n"
		 "<!DOCTYPE r [<!ENTITY x SYSTEM \"file://%s\">]>\n"
		 "<r>&x;</r>\n",
		 secret_path);
	tu_write(xml_path, xml, strlen(xml));

	/* Whatever libxml2 might print goes to the capture file, not the console. */
	assert_non_null(cap);
	fflush(stdout);
	fflush(stderr);
	saved_out = dup(1);
	saved_err = dup(2);
	dup2(fileno(cap), 1);
	dup2(fileno(cap), 2);
	int rc = sohoa_xml_read(&doc, xml_path, &lim);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);

	assert_int_equal(rc, SOHOA_EFORMAT);
	assert_null(doc);
	assert_message_names(xml_path, 2);
	assert_non_null(strstr(sohoa_error_last(), "DOCTYPE"));
	assert_null(strstr(sohoa_error_last(), secret));
	captured = slurp_file(cap);
	assert_null(strstr(captured, secret));
	free(captured);
	fclose(cap);
	free(xml_path);
	free(secret_path);
	tu_rmtree(dir);
	free(dir);
}

static void test_rejects_billion_laughs(void **state)
{
	(void)state;
	const char *xml =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE lolz [\n"
		" <!ENTITY lol \"lol\">\n"
		" <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
		" <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
		" <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
		" <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
		" <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
		" <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
		" <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
		" <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
		" <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
		"]>\n"
		"<lolz>&lol9;</lolz>\n";
	xmlDocPtr doc = NULL;
	assert_int_equal(parse_str(&doc, xml, "lolz.xml"), SOHOA_EFORMAT);
	assert_message_names("lolz.xml", 2);
	assert_non_null(strstr(sohoa_error_last(), "DOCTYPE"));
}

static void test_rejects_external_dtd(void **state)
{
	(void)state;
	const char *xml = "<?xml version=\"1.0\"?>\n"
			  "<!DOCTYPE hoso SYSTEM \"http://127.0.0.1:9/evil.dtd\">\n"
			  "<hoso/>\n";
	xmlDocPtr doc = NULL;
	assert_int_equal(parse_str(&doc, xml, "ext.xml"), SOHOA_EFORMAT);
	assert_message_names("ext.xml", 2);
	assert_non_null(strstr(sohoa_error_last(), "DOCTYPE"));
}

static void test_rejects_doctype_hidden_after_comment(void **state)
{
	(void)state;
	const char *xml = "<?xml version=\"1.0\"?>\n"
			  "<!-- an innocent looking\n comment -->\n"
			  "<!DOCTYPE r [<!ENTITY e \"x\">]>\n"
			  "<r>&e;</r>\n";
	xmlDocPtr doc = NULL;
	assert_int_equal(parse_str(&doc, xml, "hidden.xml"), SOHOA_EFORMAT);
	assert_message_names("hidden.xml", 4);
	assert_non_null(strstr(sohoa_error_last(), "DOCTYPE"));
}

static void test_rejects_ten_thousand_deep_nesting(void **state)
{
	(void)state;
	char *xml = nested(10000, "x");
	xmlDocPtr doc = NULL;
	int rc = parse_str(&doc, xml, "deep.xml");
	/* Deeper than every cap (ours and libxml2's): a limit, not a syntax error. */
	assert_int_equal(rc, SOHOA_ELIMIT);
	assert_non_null(strstr(sohoa_error_last(), "deep.xml:1:"));
	assert_non_null(strstr(sohoa_error_last(), "deeper"));
	free(xml);
}

static void test_accepts_depth_exactly_at_cap(void **state)
{
	(void)state;
	sohoa_limits lim = sohoa_limits_default();
	char *xml = nested(lim.max_xml_depth, "innermost text");
	xmlDocPtr doc = NULL;
	assert_int_equal(parse_str(&doc, xml, "at-cap.xml"), 0);
	xmlFreeDoc(doc);
	free(xml);
	xml = nested(lim.max_xml_depth, "");
	assert_int_equal(parse_str(&doc, xml, "at-cap-empty.xml"), 0);
	xmlFreeDoc(doc);
	free(xml);
}

static void test_rejects_depth_one_over_cap(void **state)
{
	(void)state;
	sohoa_limits lim = sohoa_limits_default();
	char *xml = nested(lim.max_xml_depth + 1, "");
	char want[64];
	xmlDocPtr doc = NULL;
	assert_int_equal(parse_str(&doc, xml, "over-cap.xml"), SOHOA_ELIMIT);
	assert_message_names("over-cap.xml", 1);
	snprintf(want, sizeof want, "%zu", lim.max_xml_depth);
	assert_non_null(strstr(sohoa_error_last(), want));
	free(xml);
}

/* <r a0="v" a1="v" …> with n attributes, on line 2. */
static char *with_attrs(size_t n)
{
	char *s = malloc(32 + n * 16), *p = s;
	assert_non_null(s);
	p += sprintf(p, "<?xml version=\"1.0\"?>\n<r");
	for (size_t i = 0; i < n; i++)
		p += sprintf(p, " a%zu=\"v\"", i);
	sprintf(p, "/>\n");
	return s;
}

static void test_rejects_too_many_attributes(void **state)
{
	(void)state;
	sohoa_limits lim = sohoa_limits_default();
	xmlDocPtr doc = NULL;
	char *ok = with_attrs(lim.max_xml_attrs), *over = with_attrs(lim.max_xml_attrs + 1);
	assert_int_equal(parse_str(&doc, ok, "attrs.xml"), 0);
	xmlFreeDoc(doc);
	assert_int_equal(parse_str(&doc, over, "attrs.xml"), SOHOA_ELIMIT);
	assert_message_names("attrs.xml", 2);
	assert_non_null(strstr(sohoa_error_last(), "<r>"));
	free(ok);
	free(over);
}

static void test_rejects_text_node_over_custom_cap(void **state)
{
	(void)state;
	sohoa_limits lim = sohoa_limits_default();
	xmlDocPtr doc = NULL;
	lim.max_xml_text = 16;
	const char *at_cap = "<r>\n<t>0123456789abcdef</t></r>";
	const char *over = "<r>\n<t>0123456789abcdefg</t></r>";
	const char *long_attr = "<r>\n<t v=\"0123456789abcdefg\"/></r>";
	assert_int_equal(sohoa_xml_parse(&doc, at_cap, strlen(at_cap), "t.xml", &lim), 0);
	xmlFreeDoc(doc);
	assert_int_equal(sohoa_xml_parse(&doc, over, strlen(over), "t.xml", &lim), SOHOA_ELIMIT);
	assert_null(doc);
	assert_message_names("t.xml", 2);
	assert_non_null(strstr(sohoa_error_last(), "16"));
	assert_int_equal(sohoa_xml_parse(&doc, long_attr, strlen(long_attr), "a.xml", &lim),
			 SOHOA_ELIMIT);
	assert_null(doc);
	assert_message_names("a.xml", 2);
}

static void test_refuses_file_over_manifest_cap_before_parsing(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *path = tu_path(dir, "huge.xml");
	sohoa_limits lim = sohoa_limits_default();
	xmlDocPtr doc = (xmlDocPtr)1;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 100 << 20), 0); /* sparse: 100 MB of NULs */
	close(fd);
	/* Parsing it would have failed on a NUL byte (EFORMAT); the size check
	 * comes first and refuses it with ELIMIT. */
	assert_int_equal(sohoa_xml_read(&doc, path, &lim), SOHOA_ELIMIT);
	assert_null(doc);
	assert_non_null(strstr(sohoa_error_last(), path));
	assert_non_null(strstr(sohoa_error_last(), "limit"));
	free(path);
	tu_rmtree(dir);
	free(dir);
}

static void test_rejects_buffer_over_manifest_cap(void **state)
{
	(void)state;
	sohoa_limits lim = sohoa_limits_default();
	xmlDocPtr doc = NULL;
	lim.max_manifest_bytes = 8;
	assert_int_equal(sohoa_xml_parse(&doc, "<r>abc</r>", 10, "b.xml", &lim), SOHOA_ELIMIT);
	assert_null(doc);
	assert_non_null(strstr(sohoa_error_last(), "b.xml"));
}

static void assert_invalid_utf8(const char *xml, size_t len, const char *name, int line)
{
	sohoa_limits lim = sohoa_limits_default();
	xmlDocPtr doc = (xmlDocPtr)1;
	assert_int_equal(sohoa_xml_parse(&doc, xml, len, name, &lim), SOHOA_EFORMAT);
	assert_null(doc);
	assert_message_names(name, line);
	assert_non_null(strstr(sohoa_error_last(), "UTF-8"));
}

static void test_rejects_overlong_utf8(void **state)
{
	(void)state;
	/* C0 AF and E0 80 AF are overlong encodings of '/'. */
	const char a[] = "<r>\n\xC0\xAF</r>", b[] = "<r>\n\n\xE0\x80\xAF</r>";
	assert_invalid_utf8(a, sizeof a - 1, "overlong2.xml", 2);
	assert_invalid_utf8(b, sizeof b - 1, "overlong3.xml", 3);
}

static void test_rejects_utf8_surrogate(void **state)
{
	(void)state;
	const char a[] = "<r>\n\xED\xA0\x80</r>"; /* U+D800 */
	assert_invalid_utf8(a, sizeof a - 1, "surrogate.xml", 2);
}

static void test_rejects_truncated_utf8_at_end(void **state)
{
	(void)state;
	const char a[] = "<r>ế</r>\n\xE1\xBA"; /* first two bytes of "ế" */
	assert_invalid_utf8(a, sizeof a - 1, "truncated.xml", 2);
}

static void test_rejects_nul_byte(void **state)
{
	(void)state;
	const char a[] = "<r>\nab\0cd</r>";
	sohoa_limits lim = sohoa_limits_default();
	xmlDocPtr doc = NULL;
	assert_int_equal(sohoa_xml_parse(&doc, a, sizeof a - 1, "nul.xml", &lim), SOHOA_EFORMAT);
	assert_null(doc);
	assert_message_names("nul.xml", 2);
	assert_non_null(strstr(sohoa_error_last(), "NUL"));
}

static void test_rejects_utf16_with_bom(void **state)
{
	(void)state;
	/* "<r>é</r>" in UTF-16LE after its byte order mark. */
	const char le[] = "\xFF\xFE<\0r\0>\0\xE9\0<\0/\0r\0>\0";
	const char be[] = "\xFE\xFF\0<\0r\0>\0\xE9\0<\0/\0r\0>";
	sohoa_limits lim = sohoa_limits_default();
	xmlDocPtr doc = NULL;
	assert_int_equal(sohoa_xml_parse(&doc, le, sizeof le - 1, "utf16le.xml", &lim),
			 SOHOA_EFORMAT);
	assert_null(doc);
	assert_message_names("utf16le.xml", 1);
	assert_int_equal(sohoa_xml_parse(&doc, be, sizeof be - 1, "utf16be.xml", &lim),
			 SOHOA_EFORMAT);
	assert_null(doc);
	assert_message_names("utf16be.xml", 1);
}

static void test_rejects_xml_that_is_not_well_formed(void **state)
{
	(void)state;
	xmlDocPtr doc = NULL;
	assert_int_equal(parse_str(&doc, "<r>\n<a>\n</r>\n", "bad.xml"), SOHOA_EFORMAT);
	assert_message_names_input("bad.xml");
	assert_non_null(strstr(sohoa_error_last(), "malformed XML"));
	assert_int_equal(parse_str(&doc, "just text", "text.xml"), SOHOA_EFORMAT);
	assert_message_names_input("text.xml");
	assert_int_equal(parse_str(&doc, "<r/><r/>", "two-roots.xml"), SOHOA_EFORMAT);
	assert_message_names_input("two-roots.xml");
}

static void test_rejects_empty_input(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *path = tu_path(dir, "empty.xml");
	sohoa_limits lim = sohoa_limits_default();
	xmlDocPtr doc = NULL;
	assert_int_equal(sohoa_xml_parse(&doc, "", 0, "empty-buffer", &lim), SOHOA_EFORMAT);
	assert_null(doc);
	assert_non_null(strstr(sohoa_error_last(), "empty-buffer"));
	tu_write(path, "", 0);
	assert_int_equal(sohoa_xml_read(&doc, path, &lim), SOHOA_EFORMAT);
	assert_null(doc);
	assert_non_null(strstr(sohoa_error_last(), path));
	free(path);
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts_utf8_document_with_vietnamese_text),
		cmocka_unit_test(test_reads_file_and_accepts_it),
		cmocka_unit_test(test_rejects_xxe_and_never_reads_the_entity_file),
		cmocka_unit_test(test_rejects_billion_laughs),
		cmocka_unit_test(test_rejects_external_dtd),
		cmocka_unit_test(test_rejects_doctype_hidden_after_comment),
		cmocka_unit_test(test_rejects_ten_thousand_deep_nesting),
		cmocka_unit_test(test_accepts_depth_exactly_at_cap),
		cmocka_unit_test(test_rejects_depth_one_over_cap),
		cmocka_unit_test(test_rejects_too_many_attributes),
		cmocka_unit_test(test_rejects_text_node_over_custom_cap),
		cmocka_unit_test(test_refuses_file_over_manifest_cap_before_parsing),
		cmocka_unit_test(test_rejects_buffer_over_manifest_cap),
		cmocka_unit_test(test_rejects_overlong_utf8),
		cmocka_unit_test(test_rejects_utf8_surrogate),
		cmocka_unit_test(test_rejects_truncated_utf8_at_end),
		cmocka_unit_test(test_rejects_nul_byte),
		cmocka_unit_test(test_rejects_utf16_with_bom),
		cmocka_unit_test(test_rejects_xml_that_is_not_well_formed),
		cmocka_unit_test(test_rejects_empty_input),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
