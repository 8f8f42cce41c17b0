/* tests/formats/test_package.c: package.xml — every sample manifest makes a
 * package that validates, reads back into the same struct and is written to
 * the same bytes twice; the Files list covers the folder and refuses links;
 * the reader refuses packages that lie about their files or counts. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "formats/formats.h"
#include "pkgfixture.h"

#define samples pf_samples

static void test_every_sample_round_trips_to_identical_bytes(void **state)
{
	(void)state;
	sohoa_limits lim = sohoa_limits_default();
	for (size_t i = 0; i < PF_NSAMPLES; i++) {
		char *dir = tu_mkdtemp(), *xml = tu_path(dir, "package.xml");
		char *a = NULL, *b = NULL, *c = NULL;
		size_t alen, blen, clen;
		sohoa_package *p = pf_sample_package(samples[i], dir), *back = NULL;
		xmlDocPtr doc = NULL;

		assert_int_equal(sohoa_package_to_xml(&a, &alen, p), 0);
		assert_int_equal(sohoa_package_to_xml(&b, &blen, p), 0);
		assert_int_equal(alen, blen);
		assert_memory_equal(a, b, alen);
		assert_int_equal(sohoa_package_write(xml, p), 0);
		/* valid against package.xsd */
		assert_int_equal(sohoa_package_read_doc(&doc, xml, &lim), 0);
		assert_int_equal(sohoa_package_validate_doc(doc, xml), 0);
		xmlFreeDoc(doc);
		/* the same struct back, and the same bytes from it */
		if (sohoa_package_read(&back, dir, &lim) != 0)
			fail_msg("%s", sohoa_error_last());
		assert_true(sohoa_package_equal(p, back));
		assert_int_equal(sohoa_package_to_xml(&c, &clen, back), 0);
		assert_int_equal(clen, alen);
		assert_memory_equal(a, c, alen);
		/* and its files are what the folder holds */
		assert_int_equal(sohoa_package_check_files(back, dir, &lim), 0);
		assert_string_equal(back->file_code, samples[i]);
		assert_int_equal(back->ocr_confidence_centi, 9107);
		assert_non_null(strstr(a, "MeanConfidence=\"91.07\""));
		free(a);
		free(b);
		free(c);
		sohoa_package_free(p);
		sohoa_package_free(back);
		free(xml);
		tu_rmtree(dir);
		free(dir);
	}
}

static void test_package_carries_the_record_metadata(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *xml = NULL;
	size_t len;
	sohoa_package *p = pf_sample_package(samples[0], dir);

	assert_string_equal(p->title, "Đăng ký khai sinh — Nguyễn Văn An");
	assert_string_equal(p->organ_code, "000.00.12.H29");
	assert_int_equal(p->approval, SOHOA_APPROVAL_LEADER);
	assert_int_equal(p->ndocuments, 3);
	assert_int_equal(p->documents[2].kind, SOHOA_DOC_RESULT);
	assert_int_equal(p->documents[2].page_numbers[0], 3);
	/* 3 pages + 3 texts, sorted by path */
	assert_int_equal(p->nfiles, 6);
	assert_string_equal(p->files[0].path, "docs/1.txt");
	assert_string_equal(p->files[3].path, "pages/0001.jpg");
	assert_string_equal(p->files[3].media_type, "image/jpeg");
	assert_string_equal(p->files[4].media_type, "image/tiff");
	assert_int_equal(p->files[0].size, strlen("Tờ khai đăng ký khai sinh"));
	p->maintenance_years = 20;
	p->access_public = 1;
	assert_int_equal(sohoa_package_to_xml(&xml, &len, p), 0);
	assert_non_null(strstr(xml, "<Content Id=\"content\">"));
	assert_non_null(strstr(xml, "<FileCode>000.00.12.H29-231122-0001</FileCode>"));
	assert_non_null(strstr(xml, "<Maintenance>20</Maintenance>"));
	assert_non_null(strstr(xml, "<AccessMode>public</AccessMode>"));
	assert_non_null(strstr(xml, "<NumberNotation>125/TLKS-BS</NumberNotation>"));
	assert_non_null(strstr(xml, "<PageCount>3</PageCount>"));
	/* Files sit inside Content, so a signature over #content covers them */
	assert_true(strstr(xml, "<Files>") < strstr(xml, "</Content>"));
	assert_true(strstr(xml, "</Content>") < strstr(xml, "<Signatures/>"));
	free(xml);
	sohoa_package_free(p);
	tu_rmtree(dir);
	free(dir);
}

static void test_file_list_refuses_symlinks_and_skips_package_xml(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), path[512];
	sohoa_limits lim = sohoa_limits_default();
	sohoa_package *p = calloc(1, sizeof *p);
	uint8_t digest[SOHOA_SHA256_LEN];
	char hex[SOHOA_SHA256_HEX_LEN + 1];

	snprintf(path, sizeof path, "%s/package.xml", dir);
	tu_write(path, "<x/>", 4);
	snprintf(path, sizeof path, "%s/b.pdf", dir);
	tu_write(path, "%PDF-1.4", 8);
	snprintf(path, sizeof path, "%s/a", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof path, "%s/a/z.alto.xml", dir);
	tu_write(path, "<alto/>", 7);
	assert_int_equal(sohoa_package_list_files(p, dir, &lim), 0);
	assert_int_equal(p->nfiles, 2);
	assert_string_equal(p->files[0].path, "a/z.alto.xml");
	assert_string_equal(p->files[0].media_type, "application/xml");
	assert_string_equal(p->files[1].path, "b.pdf");
	assert_string_equal(p->files[1].media_type, "application/pdf");
	assert_int_equal(sohoa_sha256_file(digest, path), 0);
	sohoa_hex(hex, digest, SOHOA_SHA256_LEN);
	assert_string_equal(p->files[0].sha256, hex);

	snprintf(path, sizeof path, "%s/a/link.tif", dir);
	assert_int_equal(symlink("/etc/hostname", path), 0);
	assert_int_equal(sohoa_package_list_files(p, dir, &lim), SOHOA_EFORMAT);
	assert_non_null(strstr(sohoa_error_last(), "a/link.tif: symbolic link"));
	assert_int_equal(p->nfiles, 2); /* unchanged on failure */
	sohoa_package_free(p);
	tu_rmtree(dir);
	free(dir);
}

static void test_check_files_names_changed_missing_and_extra_files(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), path[512];
	sohoa_limits lim = sohoa_limits_default();
	sohoa_package *p = pf_sample_package(samples[2], dir);

	assert_int_equal(sohoa_package_check_files(p, dir, &lim), 0);
	snprintf(path, sizeof path, "%s/docs/1.txt", dir);
	tu_write(path, "altered", 7);
	assert_int_equal(sohoa_package_check_files(p, dir, &lim), SOHOA_EVERIFY);
	assert_non_null(strstr(sohoa_error_last(), "docs/1.txt: content differs"));
	assert_int_equal(unlink(path), 0);
	assert_int_equal(sohoa_package_check_files(p, dir, &lim), SOHOA_EVERIFY);
	assert_non_null(strstr(sohoa_error_last(), "docs/1.txt: listed in the package, missing"));
	assert_int_equal(sohoa_package_list_files(p, dir, &lim), 0);
	snprintf(path, sizeof path, "%s/zz-extra.bin", dir);
	tu_write(path, "x", 1);
	assert_int_equal(sohoa_package_check_files(p, dir, &lim), SOHOA_EVERIFY);
	assert_non_null(strstr(sohoa_error_last(), "zz-extra.bin: not listed"));
	sohoa_package_free(p);
	tu_rmtree(dir);
	free(dir);
}

/* The sample-0 package.xml with the first `from` replaced by `to`, parsed. */
static int parse_variant(const char *from, const char *to)
{
	char *dir = tu_mkdtemp(), *xml = NULL, *v;
	size_t len;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_package *p = pf_sample_package(samples[0], dir), *back = NULL;
	int rc;

	assert_int_equal(sohoa_package_to_xml(&xml, &len, p), 0);
	char *at = strstr(xml, from);
	assert_non_null(at);
	v = malloc(len + strlen(to) + 1);
	sprintf(v, "%.*s%s%s", (int)(at - xml), xml, to, at + strlen(from));
	rc = sohoa_package_parse(&back, v, strlen(v), "package.xml", &lim);
	if (rc != 0)
		assert_null(back);
	sohoa_package_free(back);
	sohoa_package_free(p);
	free(v);
	free(xml);
	tu_rmtree(dir);
	free(dir);
	return rc;
}

static void assert_message_starts(const char *want)
{
	if (strncmp(sohoa_error_last(), want, strlen(want)) != 0)
		fail_msg("message '%s' does not start with '%s'", sohoa_error_last(), want);
}

static void test_reader_refuses_file_paths_escaping_the_package(void **state)
{
	(void)state;
	assert_int_equal(parse_variant("Path=\"docs/1.txt\"", "Path=\"../../etc/passwd\""),
			 SOHOA_EFORMAT);
	assert_message_starts("package.xml:");
	assert_non_null(
		strstr(sohoa_error_last(), "Files/File[1]/@Path: '../../etc/passwd' goes up"));
	assert_int_equal(parse_variant("Path=\"docs/1.txt\"", "Path=\"/etc/passwd\""),
			 SOHOA_EFORMAT);
	assert_non_null(strstr(sohoa_error_last(), "Files/File[1]/@Path"));
	assert_int_equal(parse_variant("Path=\"docs/1.txt\"", "Path=\"docs/2.txt\""),
			 SOHOA_EFORMAT);
	assert_non_null(strstr(sohoa_error_last(), "listed twice or out of order"));
}

static void test_reader_refuses_counts_that_disagree(void **state)
{
	(void)state;
	assert_int_equal(parse_variant("<DocumentCount>3<", "<DocumentCount>4<"), SOHOA_EFORMAT);
	assert_non_null(strstr(sohoa_error_last(), "Record/DocumentCount: says 4 documents"));
	assert_int_equal(parse_variant("<PageCount>3<", "<PageCount>2<"), SOHOA_EFORMAT);
	assert_message_starts("package.xml:");
	assert_int_equal(parse_variant("Pages=\"3\"", "Pages=\"0\""), SOHOA_EFORMAT);
	assert_non_null(strstr(sohoa_error_last(), "Ocr/@NeedsReview"));
}

static void test_reader_validates_against_the_xsd(void **state)
{
	(void)state;
	assert_int_equal(parse_variant("Id=\"content\"", "Id=\"other\""), SOHOA_EFORMAT);
	assert_message_starts("package.xml:3: Content/@Id: ");
	assert_int_equal(parse_variant("MeanConfidence=\"91.07\"", "MeanConfidence=\"101.00\""),
			 SOHOA_EFORMAT);
	assert_non_null(strstr(sohoa_error_last(), "Ocr/@MeanConfidence"));
	assert_int_equal(parse_variant("<Signatures/>", "<Signatures><evil/></Signatures>"),
			 SOHOA_EFORMAT);
	assert_non_null(strstr(sohoa_error_last(), "Signatures/evil"));
	assert_int_equal(parse_variant("<Language>vi</Language>", ""), SOHOA_EFORMAT);
	assert_non_null(
		strstr(sohoa_error_last(), "Record/DocumentCount: This element is not expected"));
	assert_int_equal(parse_variant("2023-11-09", "2023-02-30"), SOHOA_EFORMAT);
	assert_message_starts("package.xml:");
}

static void test_reader_counts_xmldsig_signatures(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *xml = NULL, *v;
	size_t len;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_package *p = pf_sample_package(samples[1], dir), *back = NULL;
	const char *sigs =
		"<Signatures>"
		"<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"s1\">"
		"<ds:SignedInfo/></ds:Signature>"
		"<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"s2\"/>"
		"</Signatures>";

	assert_int_equal(sohoa_package_to_xml(&xml, &len, p), 0);
	char *at = strstr(xml, "<Signatures/>");
	v = malloc(len + strlen(sigs) + 1);
	sprintf(v, "%.*s%s%s", (int)(at - xml), xml, sigs, at + strlen("<Signatures/>"));
	if (sohoa_package_parse(&back, v, strlen(v), "signed.xml", &lim) != 0)
		fail_msg("%s", sohoa_error_last());
	assert_int_equal(back->nsignatures, 2);
	assert_true(sohoa_package_equal(p, back));
	sohoa_package_free(back);
	sohoa_package_free(p);
	free(v);
	free(xml);
	tu_rmtree(dir);
	free(dir);
}

static void test_writer_escapes_markup_and_refuses_bad_packages(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), *xml = NULL;
	size_t len;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_package *p = pf_sample_package(samples[3], dir), *back = NULL;

	free(p->title);
	p->title = strdup("A & B <c> \"d\"\r\n\te");
	free(p->documents[0].signer_name);
	p->documents[0].signer_name = strdup("x\"y\r\n\tz");
	assert_int_equal(sohoa_package_to_xml(&xml, &len, p), 0);
	assert_int_equal(sohoa_package_parse(&back, xml, len, "esc.xml", &lim), 0);
	assert_true(sohoa_package_equal(p, back));
	sohoa_package_free(back);
	free(xml);
	p->ocr_confidence_centi = 10001;
	assert_int_equal(sohoa_package_to_xml(&xml, &len, p), SOHOA_EINVAL);
	assert_null(xml);
	p->ocr_confidence_centi = 10000;
	free(p->files[0].path);
	p->files[0].path = strdup("../x");
	assert_int_equal(sohoa_package_to_xml(&xml, &len, p), SOHOA_EFORMAT);
	sohoa_package_free(p);
	tu_rmtree(dir);
	free(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_sample_round_trips_to_identical_bytes),
		cmocka_unit_test(test_package_carries_the_record_metadata),
		cmocka_unit_test(test_file_list_refuses_symlinks_and_skips_package_xml),
		cmocka_unit_test(test_check_files_names_changed_missing_and_extra_files),
		cmocka_unit_test(test_reader_refuses_file_paths_escaping_the_package),
		cmocka_unit_test(test_reader_refuses_counts_that_disagree),
		cmocka_unit_test(test_reader_validates_against_the_xsd),
		cmocka_unit_test(test_reader_counts_xmldsig_signatures),
		cmocka_unit_test(test_writer_escapes_markup_and_refuses_bad_packages),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
