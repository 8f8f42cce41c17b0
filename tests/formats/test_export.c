/* tests/formats/test_export.c: `sohoa export --edxml` — the envelope carries
 * the header fields and every file of the package in base64; a package whose
 * files do not match its list is refused with exit 1 and no output file;
 * bad usage exits 2. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "formats/formats.h"
#include "pkgfixture.h"

/* A package folder for sample `i` with its package.xml written. */
static char *package_dir(size_t i)
{
	char *dir = tu_mkdtemp(), *xml = tu_path(dir, "package.xml");
	sohoa_package *p = pf_sample_package(pf_samples[i], dir);
	assert_int_equal(sohoa_package_write(xml, p), 0);
	sohoa_package_free(p);
	free(xml);
	return dir;
}

static size_t unbase64(unsigned char *out, const char *in)
{
	size_t n = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (; *in; in++) {
		const char *tab =
			"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
		const char *at = *in ? strchr(tab, *in) : NULL;
		if (!at)
			continue; /* newlines, blanks, padding */
		acc = acc << 6 | (uint32_t)(at - tab);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	return n;
}

static xmlNodePtr find(xmlNodePtr node, const char *name)
{
	for (; node; node = node->next) {
		xmlNodePtr hit;
		if (node->type == XML_ELEMENT_NODE && strcmp((const char *)node->name, name) == 0)
			return node;
		if ((hit = find(node->children, name)) != NULL)
			return hit;
	}
	return NULL;
}

static char *text_of(xmlDocPtr doc, const char *name)
{
	xmlNodePtr n = find(xmlDocGetRootElement(doc), name);
	assert_non_null(n);
	return (char *)xmlNodeGetContent(n);
}

static void assert_text(xmlDocPtr doc, const char *name, const char *want)
{
	char *t = text_of(doc, name);
	assert_string_equal(t, want);
	xmlFree(t);
}

static void test_export_writes_header_and_every_file(void **state)
{
	(void)state;
	char *dir = package_dir(0), *out = tu_path(dir, "../export-0.edxml"), *buf = NULL;
	char *argv[] = {SOHOA_BIN, "export", dir, "--edxml", "--out", out, NULL};
	sohoa_limits lim = sohoa_limits_default();
	size_t len = 0, attachments = 0;
	xmlDocPtr doc = NULL;
	tu_run_result r = tu_run(argv, NULL);

	assert_int_equal(r.status, 0);
	assert_string_equal(r.err, "");
	assert_string_equal(r.out, "");
	assert_int_equal(sohoa_file_read(&buf, &len, out, 64u << 20), 0);
	lim.max_manifest_bytes = 64u << 20;
	lim.max_xml_text = 64u << 20;
	if (sohoa_xml_parse(&doc, buf, len, out, &lim) != 0)
		fail_msg("%s", sohoa_error_last());
	xmlNodePtr root = xmlDocGetRootElement(doc);
	assert_string_equal((const char *)root->name, "edXMLEnvelope");
	assert_string_equal((const char *)root->ns->href,
			    "http://www.mic.gov.vn/TBT/QCVN_102_2016");
	assert_text(doc, "OrganId", "000.00.12.H29");
	assert_text(doc, "DocumentId", "000.00.12.H29,2023/11/22,125/TLKS-BS");
	assert_text(doc, "CodeNumber", "125");
	assert_text(doc, "CodeNotation", "TLKS-BS");
	assert_text(doc, "PromulgationDate", "2023/11/22");
	assert_text(doc, "TypeName", "Trích lục");
	assert_text(doc, "Subject", "Trích lục khai sinh");
	/* attachment 1 is package.xml, then the Files list in order */
	for (xmlNodePtr a = find(root, "Attachment"); a; a = a->next) {
		if (a->type != XML_ELEMENT_NODE)
			continue;
		attachments++;
		char *name = (char *)xmlNodeGetContent(find(a->children, "AttachmentName"));
		char *data = (char *)xmlNodeGetContent(find(a->children, "ContentTransferEncoded"));
		char *orig = NULL, *path = NULL;
		size_t olen = 0;
		unsigned char *bin = malloc(strlen(data));
		assert_true(asprintf(&path, "%s/%s", dir, name) > 0);
		assert_int_equal(sohoa_file_read(&orig, &olen, path, 64u << 20), 0);
		assert_int_equal(unbase64(bin, data), olen);
		assert_memory_equal(bin, orig, olen);
		if (attachments == 1)
			assert_string_equal(name, "package.xml");
		free(bin);
		free(orig);
		free(path);
		xmlFree(name);
		xmlFree(data);
	}
	assert_int_equal(attachments, 7); /* package.xml + 3 pages + 3 texts */
	xmlFreeDoc(doc);
	free(buf);
	unlink(out);
	free(out);
	tu_run_free(&r);
	tu_rmtree(dir);
	free(dir);
}

static void test_export_to_stdout_names_the_receiver(void **state)
{
	(void)state;
	char *dir = package_dir(1), *xml = tu_path(dir, "package.xml");
	char *argv[] = {SOHOA_BIN, "export", "--edxml", "--to", "000.00.00.G22", xml, NULL};
	tu_run_result r = tu_run(argv, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "<edXML:To>\n        <edXML:OrganId>000.00.00.G22<"));
	assert_non_null(strstr(r.out, "<edXML:TypeName>Quyết định</edXML:TypeName>"));
	assert_non_null(strstr(r.out, "<edXML:CodeNumber>2847</edXML:CodeNumber>"));
	assert_non_null(strstr(r.out, "<edXML:PageAmount>2</edXML:PageAmount>"));
	tu_run_free(&r);
	free(xml);
	tu_rmtree(dir);
	free(dir);
}

static void test_export_refuses_package_whose_file_changed(void **state)
{
	(void)state;
	char *dir = package_dir(2), *out = tu_path(dir, "../export-2.edxml");
	char *page = tu_path(dir, "pages/0002.jpg");
	char *argv[] = {SOHOA_BIN, "export", "--edxml", dir, "--out", out, NULL};
	tu_write(page, "forged", 6);
	tu_run_result r = tu_run(argv, NULL);
	assert_int_equal(r.status, 1);
	assert_int_equal(tu_lines(r.err), 1);
	assert_non_null(strstr(r.err, "pages/0002.jpg: content differs"));
	assert_int_equal(access(out, F_OK), -1); /* nothing half-written */
	tu_run_free(&r);
	free(page);
	free(out);
	tu_rmtree(dir);
	free(dir);
}

static void test_export_bad_usage_exits_2(void **state)
{
	(void)state;
	char *no_format[] = {SOHOA_BIN, "export", "x", NULL};
	char *no_package[] = {SOHOA_BIN, "export", "--edxml", NULL};
	char *two[] = {SOHOA_BIN, "export", "--edxml", "a", "b", NULL};
	char *unknown[] = {SOHOA_BIN, "export", "--edxml", "--zip", "a", NULL};
	char *const *cases[] = {no_format, no_package, two, unknown};
	for (size_t i = 0; i < 4; i++) {
		tu_run_result r = tu_run(cases[i], NULL);
		assert_int_equal(r.status, 2);
		assert_int_equal(tu_lines(r.err), 1);
		tu_run_free(&r);
	}
}

static void test_export_of_missing_package_exits_1(void **state)
{
	(void)state;
	char *argv[] = {SOHOA_BIN, "export", "--edxml", "/nonexistent/sohoa-package", NULL};
	tu_run_result r = tu_run(argv, NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "/nonexistent/sohoa-package"));
	tu_run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export_writes_header_and_every_file),
		cmocka_unit_test(test_export_to_stdout_names_the_receiver),
		cmocka_unit_test(test_export_refuses_package_whose_file_changed),
		cmocka_unit_test(test_export_bad_usage_exits_2),
		cmocka_unit_test(test_export_of_missing_package_exits_1),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
