/* tests/formats/test_manifest.c: the intake manifest — samples parse into the
 * right structs; each violation is refused with "<file>:<line>: <field>:
 * <reason>"; page files stay inside the dossier folder; a folder without a
 * manifest becomes an image-only dossier. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "formats/formats.h"

#define SAMPLE SOHOA_SOURCE_DIR "/samples/inbox/000.00.12.H29-231122-0001"

/* A valid manifest; tests replace one piece of it. Line numbers below count
 * from the XML declaration (line 1). */
static const char good[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                /* 1 */
	"<dossier xmlns=\"urn:sohoa:intake:1\" code=\"000.00.12.H29-231122-0001\">\n" /* 2 */
	"  <procedure code=\"1.001193\" approval=\"leader\">Đăng ký khai sinh</procedure>\n"
	"  <received>2023-11-22T08:15:00+07:00</received>\n" /* 4 */
	"  <agency code=\"000.00.12.H29\">Ủy ban nhân dân phường Phúc Xá</agency>\n"
	"  <applicant id=\"001090012345\">\n" /* 6 */
	"    <name>Nguyễn Văn An</name>\n"
	"  </applicant>\n"
	"  <document kind=\"component\" type=\"Tờ khai\">\n" /* 9 */
	"    <title>Tờ khai đăng ký khai sinh</title>\n"
	"    <page file=\"0001.jpg\"/>\n" /* 11 */
	"  </document>\n"
	"  <document kind=\"result\" type=\"Trích lục\" number=\"125/TLKS-BS\" "
	"issued=\"2023-11-22\">\n"
	"    <title>Trích lục khai sinh</title>\n" /* 14 */
	"    <issuer>Ủy ban nhân dân phường Phúc Xá</issuer>\n"
	"    <signer name=\"Trần Thị Bình\" position=\"Chủ tịch\"/>\n" /* 16 */
	"    <page file=\"0002.tif\"/>\n"
	"    <page file=\"sub/0003.jpg\"/>\n" /* 18 */
	"  </document>\n"
	"</dossier>\n";

/* `good` with the first occurrence of `from` replaced by `to`. */
static char *variant(const char *from, const char *to)
{
	const char *at = strstr(good, from);
	char *s;
	assert_non_null(at);
	s = malloc(sizeof good + strlen(to));
	assert_non_null(s);
	sprintf(s, "%.*s%s%s", (int)(at - good), good, to, at + strlen(from));
	return s;
}

static int parse(sohoa_manifest **m, const char *xml)
{
	sohoa_limits lim = sohoa_limits_default();
	int rc = sohoa_manifest_parse(m, xml, strlen(xml), "dossier.xml", &lim);
	if (rc != 0)
		assert_null(*m);
	return rc;
}

/* Asserts that parsing `good` with `from` → `to` fails with `want` as the
 * start of the message. */
static void assert_refused(const char *from, const char *to, int code, const char *want)
{
	sohoa_manifest *m = NULL;
	char *xml = variant(from, to);
	assert_int_equal(parse(&m, xml), code);
	if (strncmp(sohoa_error_last(), want, strlen(want)) != 0)
		fail_msg("message '%s' does not start with '%s'", sohoa_error_last(), want);
	free(xml);
}

static void test_parses_manifest_into_structs(void **state)
{
	(void)state;
	sohoa_manifest *m = NULL;
	assert_int_equal(parse(&m, good), 0);
	assert_string_equal(m->code, "000.00.12.H29-231122-0001");
	assert_false(m->image_only);
	assert_string_equal(m->procedure_code, "1.001193");
	assert_string_equal(m->procedure_name, "Đăng ký khai sinh");
	assert_int_equal(m->approval, SOHOA_APPROVAL_LEADER);
	assert_string_equal(m->received, "2023-11-22T08:15:00+07:00");
	assert_string_equal(m->agency_code, "000.00.12.H29");
	assert_string_equal(m->applicant_id, "001090012345");
	assert_string_equal(m->applicant_name, "Nguyễn Văn An");
	assert_int_equal(m->ndocuments, 2);
	assert_int_equal(m->npages, 3);
	assert_int_equal(m->documents[0].kind, SOHOA_DOC_COMPONENT);
	assert_null(m->documents[0].number);
	assert_null(m->documents[0].issuer);
	assert_string_equal(m->documents[0].pages[0], "0001.jpg");
	assert_int_equal(m->documents[1].kind, SOHOA_DOC_RESULT);
	assert_string_equal(m->documents[1].number, "125/TLKS-BS");
	assert_string_equal(m->documents[1].issued, "2023-11-22");
	assert_string_equal(m->documents[1].signer_name, "Trần Thị Bình");
	assert_string_equal(m->documents[1].signer_position, "Chủ tịch");
	assert_string_equal(m->documents[1].pages[1], "sub/0003.jpg");
	sohoa_manifest_free(m);
	sohoa_manifest_free(NULL);
}

static void test_approval_defaults_to_seal(void **state)
{
	(void)state;
	sohoa_manifest *m = NULL;
	char *xml = variant(" approval=\"leader\"", "");
	assert_int_equal(parse(&m, xml), 0);
	assert_int_equal(m->approval, SOHOA_APPROVAL_SEAL);
	sohoa_manifest_free(m);
	free(xml);
}

static void test_stores_text_nfc(void **state)
{
	(void)state;
	sohoa_manifest *m = NULL;
	/* "Văn" with a combining breve (a + U+0306) instead of U+0103 */
	char *xml = variant("Nguyễn Văn An", "Nguyễn Va\xcc\x86n An");
	assert_int_equal(parse(&m, xml), 0);
	assert_string_equal(m->applicant_name, "Nguyễn Văn An");
	sohoa_manifest_free(m);
	free(xml);
}

static void test_reports_line_and_field_of_short_citizen_id(void **state)
{
	(void)state;
	assert_refused("001090012345", "00109001234", SOHOA_EFORMAT,
		       "dossier.xml:6: applicant/@id: citizen id must be 12 digits");
}

static void test_rejects_citizen_id_of_no_province(void **state)
{
	(void)state;
	/* 003 is not a province code (Hà Giang is 002, Cao Bằng 004) */
	assert_refused("001090012345", "003090012345", SOHOA_EFORMAT,
		       "dossier.xml:6: applicant/@id: citizen id starts with 003");
}

static void test_rejects_malformed_dossier_code(void **state)
{
	(void)state;
	assert_refused("code=\"000.00.12.H29-231122-0001\"", "code=\"H29/231122/1\"", SOHOA_EFORMAT,
		       "dossier.xml:2: dossier/@code: dossier code 'H29/231122/1' is not");
	assert_refused("code=\"000.00.12.H29-231122-0001\"", "code=\"000.00.12.H29-231122-01\"",
		       SOHOA_EFORMAT, "dossier.xml:2: dossier/@code: dossier code");
}

static void test_rejects_impossible_date_in_dossier_code(void **state)
{
	(void)state;
	assert_refused("code=\"000.00.12.H29-231122-0001\"", "code=\"000.00.12.H29-230230-0001\"",
		       SOHOA_EFORMAT, "dossier.xml:2: dossier/@code: dossier code");
	assert_non_null(strstr(sohoa_error_last(), "230230 is not a real date"));
}

static void test_rejects_impossible_issue_date(void **state)
{
	(void)state;
	assert_refused("issued=\"2023-11-22\"", "issued=\"2023-02-30\"", SOHOA_EFORMAT,
		       "dossier.xml:13: document[2]/@issued: 2023-02-30 is not a real date");
}

static void test_accepts_leap_day_and_refuses_it_off_leap_years(void **state)
{
	(void)state;
	assert_int_equal(sohoa_formats_check_date("2024-02-29"), 0);
	assert_int_equal(sohoa_formats_check_date("2000-02-29"), 0);
	assert_int_equal(sohoa_formats_check_date("1900-02-29"), SOHOA_EFORMAT);
	assert_int_equal(sohoa_formats_check_date("2023-02-29"), SOHOA_EFORMAT);
	assert_int_equal(sohoa_formats_check_date("2023-13-01"), SOHOA_EFORMAT);
	assert_int_equal(sohoa_formats_check_date("2023-1-01"), SOHOA_EFORMAT);
}

static void test_rejects_reception_time_without_offset_or_impossible(void **state)
{
	(void)state;
	assert_refused("2023-11-22T08:15:00+07:00", "2023-11-22T08:15:00", SOHOA_EFORMAT,
		       "dossier.xml:4: received: 2023-11-22T08:15:00: time needs a UTC offset");
	assert_refused("2023-11-22T08:15:00+07:00", "2023-11-22T24:15:00+07:00", SOHOA_EFORMAT,
		       "dossier.xml:4: received: ");
	assert_refused("2023-11-22T08:15:00+07:00", "2023-11-31T08:15:00+07:00", SOHOA_EFORMAT,
		       "dossier.xml:4: received: 2023-11-31 is not a real date");
	assert_int_equal(sohoa_formats_check_datetime("2023-11-22T01:15:00.250Z"), 0);
	assert_int_equal(sohoa_formats_check_datetime("2023-11-22T01:15:00+15:00"), SOHOA_EFORMAT);
}

static void test_rejects_code_that_disagrees_with_agency_or_date(void **state)
{
	(void)state;
	assert_refused("agency code=\"000.00.12.H29\"", "agency code=\"000.00.13.H29\"",
		       SOHOA_EFORMAT, "dossier.xml:5: agency/@code: agency 000.00.13.H29 is not");
	assert_refused("2023-11-22T08:15:00+07:00", "2023-11-23T08:15:00+07:00", SOHOA_EFORMAT,
		       "dossier.xml:4: received: reception date 2023-11-23 differs");
}

static void test_rejects_page_path_going_up(void **state)
{
	(void)state;
	assert_refused("file=\"0001.jpg\"", "file=\"../other/0001.jpg\"", SOHOA_EFORMAT,
		       "dossier.xml:11: document[1]/page/@file: '../other/0001.jpg' goes up");
	assert_refused("file=\"0001.jpg\"", "file=\"sub/../../0001.jpg\"", SOHOA_EFORMAT,
		       "dossier.xml:11: document[1]/page/@file:");
}

static void test_rejects_absolute_page_path(void **state)
{
	(void)state;
	assert_refused("file=\"0001.jpg\"", "file=\"/etc/passwd.jpg\"", SOHOA_EFORMAT,
		       "dossier.xml:11: document[1]/page/@file: '/etc/passwd.jpg' is an absolute");
}

static void test_rejects_page_that_is_no_image_or_listed_twice(void **state)
{
	(void)state;
	assert_refused("file=\"0001.jpg\"", "file=\"notes.txt\"", SOHOA_EFORMAT,
		       "dossier.xml:11: document[1]/page/@file: 'notes.txt' is not a page image");
	assert_refused("file=\"0002.tif\"", "file=\"0001.jpg\"", SOHOA_EFORMAT,
		       "dossier.xml:17: document[2]/page[1]/@file: '0001.jpg' is listed twice");
}

static void test_reports_structure_errors_from_the_xsd(void **state)
{
	(void)state;
	assert_refused("    <title>Trích lục khai sinh</title>\n", "", SOHOA_EFORMAT,
		       "dossier.xml:14: document[2]/issuer: This element is not expected. Expected "
		       "is ( title )");
	assert_refused("kind=\"result\"", "kind=\"verdict\"", SOHOA_EFORMAT,
		       "dossier.xml:13: document[2]/@kind: ");
	assert_refused("urn:sohoa:intake:1", "urn:other", SOHOA_EFORMAT,
		       "dossier.xml:2: root element must be 'dossier'");
	assert_refused("  </applicant>\n", "  </applicant>\n  <extra/>\n", SOHOA_EFORMAT,
		       "dossier.xml:9: extra: ");
}

static void test_refuses_more_pages_than_the_cap(void **state)
{
	(void)state;
	sohoa_limits lim = sohoa_limits_default();
	sohoa_manifest *m = NULL;
	lim.max_dossier_pages = 2;
	assert_int_equal(sohoa_manifest_parse(&m, good, strlen(good), "dossier.xml", &lim),
			 SOHOA_ELIMIT);
	assert_null(m);
	assert_non_null(strstr(sohoa_error_last(), "dossier.xml:13: more than 2 pages"));
}

static void test_every_sample_manifest_reads_with_its_pages(void **state)
{
	(void)state;
	const char *codes[] = {"000.00.12.H29-231122-0001", "000.00.15.H40-231009-0032",
			       "000.05.31.H31-240115-0103", "000.20.31.H56-231205-0014",
			       "000.31.01.H58-240304-0027"};
	sohoa_limits lim = sohoa_limits_default();
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		char path[512];
		sohoa_manifest *m = NULL;
		snprintf(path, sizeof path, "%s/samples/inbox/%s/dossier.xml", SOHOA_SOURCE_DIR,
			 codes[i]);
		if (sohoa_manifest_read(&m, path, &lim) != 0)
			fail_msg("%s", sohoa_error_last());
		assert_string_equal(m->code, codes[i]);
		assert_true(m->npages >= 2);
		sohoa_manifest_free(m);
	}
}

/* A dossier folder with `good` as its manifest and its three pages. */
static char *dossier_folder(const char *xml)
{
	char *dir = tu_mkdtemp(), path[512];
	snprintf(path, sizeof path, "%s/sub", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	const char *pages[] = {"0001.jpg", "0002.tif", "sub/0003.jpg"};
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, pages[i]);
		tu_write(path, "page", 4);
	}
	snprintf(path, sizeof path, "%s/dossier.xml", dir);
	tu_write(path, xml, strlen(xml));
	return dir;
}

static void test_reads_manifest_whose_pages_exist(void **state)
{
	(void)state;
	char *dir = dossier_folder(good), path[512];
	sohoa_limits lim = sohoa_limits_default();
	sohoa_manifest *m = NULL;
	snprintf(path, sizeof path, "%s/dossier.xml", dir);
	assert_int_equal(sohoa_manifest_read(&m, path, &lim), 0);
	sohoa_manifest_free(m);
	assert_int_equal(sohoa_manifest_load(&m, dir, &lim), 0);
	assert_false(m->image_only);
	sohoa_manifest_free(m);
	tu_rmtree(dir);
	free(dir);
}

static void test_rejects_missing_page_file(void **state)
{
	(void)state;
	char *dir = dossier_folder(good), path[512];
	sohoa_limits lim = sohoa_limits_default();
	sohoa_manifest *m = NULL;
	snprintf(path, sizeof path, "%s/0002.tif", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(sohoa_manifest_load(&m, dir, &lim), SOHOA_ENOTFOUND);
	assert_null(m);
	assert_non_null(strstr(sohoa_error_last(), path));
	tu_rmtree(dir);
	free(dir);
}

static void test_rejects_page_symlink_pointing_out_of_folder(void **state)
{
	(void)state;
	char *dir = dossier_folder(good), *outside = tu_mkdtemp(), path[512], target[512];
	sohoa_limits lim = sohoa_limits_default();
	sohoa_manifest *m = NULL;
	snprintf(target, sizeof target, "%s/secret.jpg", outside);
	tu_write(target, "secret", 6);
	snprintf(path, sizeof path, "%s/0002.tif", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink(target, path), 0);
	assert_int_equal(sohoa_manifest_load(&m, dir, &lim), SOHOA_EFORMAT);
	assert_null(m);
	assert_non_null(strstr(sohoa_error_last(), path));
	assert_non_null(strstr(sohoa_error_last(), "outside the dossier folder"));
	/* a link inside the folder is fine */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink("0001.jpg", path), 0);
	assert_int_equal(sohoa_manifest_load(&m, dir, &lim), 0);
	sohoa_manifest_free(m);
	tu_rmtree(dir);
	tu_rmtree(outside);
	free(dir);
	free(outside);
}

static void test_rejects_page_that_is_a_folder(void **state)
{
	(void)state;
	char *xml = variant("file=\"0001.jpg\"", "file=\"pages.tif\""), *dir = dossier_folder(xml);
	char path[512];
	sohoa_limits lim = sohoa_limits_default();
	sohoa_manifest *m = NULL;
	snprintf(path, sizeof path, "%s/pages.tif", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(sohoa_manifest_load(&m, dir, &lim), SOHOA_EFORMAT);
	assert_non_null(strstr(sohoa_error_last(), "not a regular file"));
	tu_rmtree(dir);
	free(dir);
	free(xml);
}

static void test_folder_without_manifest_is_image_only_dossier(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), sub[512], path[600];
	sohoa_limits lim = sohoa_limits_default();
	sohoa_manifest *m = NULL;
	const char *files[] = {"b.TIF", "a.jpg", "10.png", "notes.txt", ".hidden.jpg", "2.pdf"};
	snprintf(sub, sizeof sub, "%s/000.00.12.H29-231122-0007", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", sub, files[i]);
		tu_write(path, "x", 1);
	}
	strcat(sub, "/");
	assert_int_equal(sohoa_manifest_load(&m, sub, &lim), 0);
	assert_true(m->image_only);
	assert_string_equal(m->code, "000.00.12.H29-231122-0007");
	assert_null(m->applicant_id);
	assert_int_equal(m->ndocuments, 1);
	assert_int_equal(m->npages, 4);
	assert_string_equal(m->documents[0].pages[0], "10.png");
	assert_string_equal(m->documents[0].pages[1], "2.pdf");
	assert_string_equal(m->documents[0].pages[2], "a.jpg");
	assert_string_equal(m->documents[0].pages[3], "b.TIF");
	sohoa_manifest_free(m);
	tu_rmtree(dir);
	free(dir);
}

static void test_folder_without_manifest_or_images_is_refused(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), path[512];
	sohoa_limits lim = sohoa_limits_default();
	sohoa_manifest *m = NULL;
	snprintf(path, sizeof path, "%s/readme.txt", dir);
	tu_write(path, "x", 1);
	assert_int_equal(sohoa_manifest_load(&m, dir, &lim), SOHOA_EFORMAT);
	assert_non_null(strstr(sohoa_error_last(), dir));
	assert_non_null(strstr(sohoa_error_last(), "no dossier.xml and no page image"));
	tu_rmtree(dir);
	free(dir);
}

static void test_image_only_dossier_refuses_symlink_out(void **state)
{
	(void)state;
	char *dir = tu_mkdtemp(), path[512];
	sohoa_limits lim = sohoa_limits_default();
	sohoa_manifest *m = NULL;
	snprintf(path, sizeof path, "%s/0001.jpg", dir);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_int_equal(sohoa_manifest_from_folder(&m, dir, &lim), SOHOA_EFORMAT);
	assert_null(m);
	assert_non_null(strstr(sohoa_error_last(), "outside the dossier folder"));
	tu_rmtree(dir);
	free(dir);
}

static void test_province_table_has_the_63_provinces(void **state)
{
	(void)state;
	int n = 0;
	for (int i = 0; i < 1000; i++) {
		char code[4];
		snprintf(code, sizeof code, "%03d", i);
		n += sohoa_formats_province_name(code) != NULL;
	}
	assert_int_equal(n, 63);
	assert_string_equal(sohoa_formats_province_name("001"), "Hà Nội");
	assert_string_equal(sohoa_formats_province_name("079"), "Hồ Chí Minh");
	assert_string_equal(sohoa_formats_province_name("096"), "Cà Mau");
	assert_null(sohoa_formats_province_name("097"));
	assert_null(sohoa_formats_province_name("1"));
}

static void test_relative_path_rules(void **state)
{
	(void)state;
	assert_int_equal(sohoa_formats_check_relative_path("pages/0001.tif"), 0);
	assert_int_equal(sohoa_formats_check_relative_path("a..b/c"), 0);
	const char *bad[] = {"", "/a", "a/../b", "..", "./a", "a//b", "a/", "a\\b", "a\nb"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(sohoa_formats_check_relative_path(bad[i]), SOHOA_EFORMAT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parses_manifest_into_structs),
		cmocka_unit_test(test_approval_defaults_to_seal),
		cmocka_unit_test(test_stores_text_nfc),
		cmocka_unit_test(test_reports_line_and_field_of_short_citizen_id),
		cmocka_unit_test(test_rejects_citizen_id_of_no_province),
		cmocka_unit_test(test_rejects_malformed_dossier_code),
		cmocka_unit_test(test_rejects_impossible_date_in_dossier_code),
		cmocka_unit_test(test_rejects_impossible_issue_date),
		cmocka_unit_test(test_accepts_leap_day_and_refuses_it_off_leap_years),
		cmocka_unit_test(test_rejects_reception_time_without_offset_or_impossible),
		cmocka_unit_test(test_rejects_code_that_disagrees_with_agency_or_date),
		cmocka_unit_test(test_rejects_page_path_going_up),
		cmocka_unit_test(test_rejects_absolute_page_path),
		cmocka_unit_test(test_rejects_page_that_is_no_image_or_listed_twice),
		cmocka_unit_test(test_reports_structure_errors_from_the_xsd),
		cmocka_unit_test(test_refuses_more_pages_than_the_cap),
		cmocka_unit_test(test_every_sample_manifest_reads_with_its_pages),
		cmocka_unit_test(test_reads_manifest_whose_pages_exist),
		cmocka_unit_test(test_rejects_missing_page_file),
		cmocka_unit_test(test_rejects_page_symlink_pointing_out_of_folder),
		cmocka_unit_test(test_rejects_page_that_is_a_folder),
		cmocka_unit_test(test_folder_without_manifest_is_image_only_dossier),
		cmocka_unit_test(test_folder_without_manifest_or_images_is_refused),
		cmocka_unit_test(test_image_only_dossier_refuses_symlink_out),
		cmocka_unit_test(test_province_table_has_the_63_provinces),
		cmocka_unit_test(test_relative_path_rules),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
