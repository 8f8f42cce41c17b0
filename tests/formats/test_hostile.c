/* tests/formats/test_hostile.c: hostile inputs, one test each. Every attack is
 * tried twice: as a dossier's dossier.xml through the library (right error
 * code, message naming the file) and as a package's package.xml through the
 * real `sohoa export` (exit 1, one line naming the file). Nothing the attack
 * points at is read (a secret never shows) and nothing is fetched (a local
 * listener never sees a connection). */
#include "testutil.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "formats/formats.h"
#include "pkgfixture.h"

static const char secret[] = "SECRET-b71e09-must-never-leak";

typedef struct {
	char *dir;     /* scratch root */
	char *dossier; /* dir/dossier: a dossier folder with three pages */
	char *package; /* dir/package: a package folder of sample 0 */
	char *secret;  /* dir/secret.txt, outside both folders */
	int listener;  /* TCP socket on 127.0.0.1 nobody should connect to */
	int port;
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t alen = sizeof a;
	sohoa_package *p;
	char *xml;

	f->dir = tu_mkdtemp();
	f->dossier = tu_path(f->dir, "dossier");
	f->package = tu_path(f->dir, "package");
	f->secret = tu_path(f->dir, "secret.txt");
	tu_write(f->secret, secret, strlen(secret));
	mkdir(f->dossier, 0755);
	mkdir(f->package, 0755);
	for (int i = 1; i <= 3; i++) {
		char page[64];
		snprintf(page, sizeof page, "%s/%04d.jpg", f->dossier, i);
		tu_write(page, "jpeg", 4);
	}
	p = pf_sample_package(pf_samples[0], f->package);
	xml = tu_path(f->package, "package.xml");
	assert_int_equal(sohoa_package_write(xml, p), 0);
	sohoa_package_free(p);
	free(xml);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f->listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	assert_true(f->listener >= 0);
	assert_int_equal(bind(f->listener, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(f->listener, 4), 0);
	assert_int_equal(getsockname(f->listener, (struct sockaddr *)&a, &alen), 0);
	f->port = ntohs(a.sin_port);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	/* nobody connected: nothing was fetched over the network */
	int c = accept(f->listener, NULL, NULL);
	assert_int_equal(c, -1);
	assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
	close(f->listener);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f->dossier);
	free(f->package);
	free(f->secret);
	free(f);
	return 0;
}

/* Writes `len` bytes as dir/name. */
static char *put(const char *dir, const char *name, const char *data, size_t len)
{
	char *path = tu_path(dir, name);
	tu_write(path, data, len);
	return path;
}

/* The dossier with `data` as its manifest is refused with `code`; the message
 * starts with the manifest's path and contains `why`, never the secret. */
static void manifest_refused(fixture *f, const char *data, size_t len, int code, const char *why)
{
	char *path = put(f->dossier, "dossier.xml", data, len);
	sohoa_limits lim = sohoa_limits_default();
	sohoa_manifest *m = NULL;
	int rc = sohoa_manifest_load(&m, f->dossier, &lim);
	if (rc != code)
		fail_msg("got %d (%s), want %d", rc, sohoa_error_last(), code);
	assert_null(m);
	if (strncmp(sohoa_error_last(), path, strlen(path)) != 0 ||
	    !strstr(sohoa_error_last(), why))
		fail_msg("message '%s' should start with '%s' and say '%s'", sohoa_error_last(),
			 path, why);
	assert_null(strstr(sohoa_error_last(), secret));
	free(path);
}

/* `sohoa export --edxml` of the package whose package.xml is `data` exits 1
 * with one line naming package.xml and saying `why`; the secret shows nowhere. */
static void export_refused(fixture *f, const char *data, size_t len, const char *why)
{
	char *path = put(f->package, "package.xml", data, len);
	char *argv[] = {SOHOA_BIN, "export", "--edxml", f->package, NULL};
	tu_run_result r = tu_run(argv, NULL);
	assert_int_equal(r.status, 1);
	assert_int_equal(tu_lines(r.err), 1);
	if (!strstr(r.err, path) || !strstr(r.err, why))
		fail_msg("stderr '%s' should name '%s' and say '%s'", r.err, path, why);
	assert_null(strstr(r.err, secret));
	assert_null(strstr(r.out, secret));
	tu_run_free(&r);
	free(path);
}

static void both_refused(fixture *f, const char *data, size_t len, int code, const char *why)
{
	manifest_refused(f, data, len, code, why);
	export_refused(f, data, len, why);
}

static void test_xxe_external_entity_to_local_file(void **state)
{
	fixture *f = *state;
	char xml[1024];
	snprintf(xml, sizeof xml,
		 "<?xml version=\"1.0\"?>\n<!DOCTYPE dossier [<!ENTITY x SYSTEM \"file://%s\">]>\n"
		 "<dossier xmlns=\"urn:sohoa:intake:1\" code=\"&x;\"/>\n",
		 f->secret);
	both_refused(f, xml, strlen(xml), SOHOA_EFORMAT, ":2: DOCTYPE is not allowed");
}

static void test_billion_laughs(void **state)
{
	fixture *f = *state;
	char xml[4096], *p = xml;
	p += sprintf(p, "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n <!ENTITY lol0 \"lol\">\n");
	for (int i = 1; i <= 9; i++) {
		p += sprintf(p, " <!ENTITY lol%d \"", i);
		for (int k = 0; k < 10; k++)
			p += sprintf(p, "&lol%d;", i - 1);
		p += sprintf(p, "\">\n");
	}
	sprintf(p, "]>\n<dossier xmlns=\"urn:sohoa:intake:1\">&lol9;</dossier>\n");
	both_refused(f, xml, strlen(xml), SOHOA_EFORMAT, ":2: DOCTYPE is not allowed");
}

static void test_external_dtd(void **state)
{
	fixture *f = *state;
	char xml[512];
	snprintf(xml, sizeof xml,
		 "<?xml version=\"1.0\"?>\n"
		 "<!DOCTYPE dossier SYSTEM \"http://127.0.0.1:%d/evil.dtd\">\n"
		 "<dossier xmlns=\"urn:sohoa:intake:1\"/>\n",
		 f->port);
	both_refused(f, xml, strlen(xml), SOHOA_EFORMAT, ":2: DOCTYPE is not allowed");
	/* teardown checks that the listener saw no connection */
}

static void test_ten_thousand_deep_nesting(void **state)
{
	fixture *f = *state;
	size_t depth = 10000, len = 0;
	char *xml = malloc(depth * 7 + 128);
	len += (size_t)sprintf(xml, "<dossier xmlns=\"urn:sohoa:intake:1\">");
	for (size_t i = 0; i < depth; i++)
		len += (size_t)sprintf(xml + len, "<e>");
	for (size_t i = 0; i < depth; i++)
		len += (size_t)sprintf(xml + len, "</e>");
	len += (size_t)sprintf(xml + len, "</dossier>");
	both_refused(f, xml, len, SOHOA_ELIMIT, "nested deeper than 64");
	free(xml);
}

static void test_hundred_megabyte_manifest(void **state)
{
	fixture *f = *state;
	const char head[] = "<?xml version=\"1.0\"?>\n<dossier xmlns=\"urn:sohoa:intake:1\">\n";
	const char *names[] = {"dossier", "package"};
	for (int i = 0; i < 2; i++) {
		char *path =
			tu_path(i ? f->package : f->dossier, i ? "package.xml" : "dossier.xml");
		int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		struct timespec t0, t1;
		assert_true(fd >= 0);
		assert_int_equal(write(fd, head, sizeof head - 1), (ssize_t)(sizeof head - 1));
		assert_int_equal(ftruncate(fd, 100 << 20), 0); /* sparse: fast to make */
		close(fd);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (i == 0) {
			sohoa_limits lim = sohoa_limits_default();
			sohoa_manifest *m = NULL;
			assert_int_equal(sohoa_manifest_load(&m, f->dossier, &lim), SOHOA_ELIMIT);
			assert_non_null(strstr(sohoa_error_last(), path));
			assert_non_null(strstr(sohoa_error_last(), "limit"));
		} else {
			char *argv[] = {SOHOA_BIN, "export", "--edxml", f->package, NULL};
			tu_run_result r = tu_run(argv, NULL);
			assert_int_equal(r.status, 1);
			assert_non_null(strstr(r.err, path));
			tu_run_free(&r);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		/* refused from its size, before reading 100 MB */
		if (t1.tv_sec - t0.tv_sec > 5)
			fail_msg("%s: took %lds", names[i], (long)(t1.tv_sec - t0.tv_sec));
		free(path);
	}
}

static void test_invalid_utf8(void **state)
{
	fixture *f = *state;
	const char xml[] = "<?xml version=\"1.0\"?>\n<dossier xmlns=\"urn:sohoa:intake:1\">\n"
			   "<x>\xC3\x28</x></dossier>\n";
	both_refused(f, xml, sizeof xml - 1, SOHOA_EFORMAT, ":3: invalid UTF-8");
}

static void test_nul_byte(void **state)
{
	fixture *f = *state;
	const char xml[] = "<?xml version=\"1.0\"?>\n<dossier xmlns=\"urn:sohoa:intake:1\">\n"
			   "<x>a\0b</x></dossier>\n";
	both_refused(f, xml, sizeof xml - 1, SOHOA_EFORMAT, ":3: NUL byte");
}

/* A valid manifest for f->dossier with `page` as the first page's file. */
static char *manifest_with(const char *from, const char *to)
{
	static const char base[] =
		"<?xml version=\"1.0\"?>\n"
		"<dossier xmlns=\"urn:sohoa:intake:1\" code=\"000.00.12.H29-231122-0001\">\n"
		"  <procedure code=\"1.001193\">Đăng ký khai sinh</procedure>\n"
		"  <received>2023-11-22T08:15:00+07:00</received>\n"
		"  <agency code=\"000.00.12.H29\">UBND phường Phúc Xá</agency>\n"
		"  <applicant id=\"001090012345\"><name>Nguyễn Văn An</name></applicant>\n"
		"  <document kind=\"result\" type=\"Trích lục\" issued=\"2023-11-22\">\n"
		"    <title>Trích lục khai sinh</title>\n"
		"    <page file=\"0001.jpg\"/>\n"
		"    <page file=\"0002.jpg\"/>\n"
		"  </document>\n"
		"</dossier>\n";
	const char *at = strstr(base, from);
	char *s = malloc(sizeof base + strlen(to));
	assert_non_null(at);
	sprintf(s, "%.*s%s%s", (int)(at - base), base, to, at + strlen(from));
	return s;
}

/* The package.xml of f->package with `from` replaced by `to`. */
static char *package_with(fixture *f, const char *from, const char *to)
{
	char *path = tu_path(f->package, "package.xml"), *buf = NULL, *s, *at;
	size_t len = 0;
	assert_int_equal(sohoa_file_read(&buf, &len, path, 1 << 20), 0);
	at = strstr(buf, from);
	assert_non_null(at);
	s = malloc(len + strlen(to) + 1);
	sprintf(s, "%.*s%s%s", (int)(at - buf), buf, to, at + strlen(from));
	free(buf);
	free(path);
	return s;
}

static void test_page_path_with_dotdot(void **state)
{
	fixture *f = *state;
	char *m = manifest_with("0001.jpg", "../secret.txt.jpg");
	char *p = package_with(f, "Path=\"pages/0001.jpg\"", "Path=\"../secret.txt\"");
	manifest_refused(f, m, strlen(m), SOHOA_EFORMAT,
			 ":9: document/page[1]/@file: '../secret.txt.jpg' goes up with '..'");
	export_refused(f, p, strlen(p), "Files/File[4]/@Path: '../secret.txt' goes up with '..'");
	free(m);
	free(p);
}

static void test_absolute_page_path(void **state)
{
	fixture *f = *state;
	char *m = manifest_with("0001.jpg", "/etc/passwd.jpg");
	char *p = package_with(f, "Path=\"pages/0001.jpg\"", "Path=\"/etc/passwd\"");
	manifest_refused(f, m, strlen(m), SOHOA_EFORMAT,
			 ":9: document/page[1]/@file: '/etc/passwd.jpg' is an absolute path");
	export_refused(f, p, strlen(p), "Files/File[4]/@Path");
	free(m);
	free(p);
}

static void test_page_symlink_out_of_folder(void **state)
{
	fixture *f = *state;
	char *m = manifest_with("0001.jpg", "0001.jpg"), *link = tu_path(f->dossier, "0002.jpg");
	char *plink = tu_path(f->package, "pages/0002.tif"), *mpath;
	unlink(link);
	assert_int_equal(symlink(f->secret, link), 0);
	mpath = put(f->dossier, "dossier.xml", m, strlen(m));
	sohoa_limits lim = sohoa_limits_default();
	sohoa_manifest *man = NULL;
	assert_int_equal(sohoa_manifest_load(&man, f->dossier, &lim), SOHOA_EFORMAT);
	assert_non_null(strstr(sohoa_error_last(), link));
	assert_non_null(strstr(sohoa_error_last(), "outside the dossier folder"));
	/* in a package, any symbolic link is refused */
	unlink(plink);
	assert_int_equal(symlink(f->secret, plink), 0);
	char *argv[] = {SOHOA_BIN, "export", "--edxml", f->package, NULL};
	tu_run_result r = tu_run(argv, NULL);
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, "pages/0002.tif: symbolic link"));
	assert_null(strstr(r.out, secret));
	tu_run_free(&r);
	free(mpath);
	free(plink);
	free(link);
	free(m);
}

static void test_wrong_citizen_id(void **state)
{
	fixture *f = *state;
	char *m = manifest_with("001090012345", "00109001234X");
	char *m2 = manifest_with("001090012345", "099090012345");
	char *p = package_with(f, "Id=\"001090012345\"", "Id=\"099090012345\"");
	manifest_refused(f, m, strlen(m), SOHOA_EFORMAT,
			 ":6: applicant/@id: citizen id must be 12 digits");
	manifest_refused(f, m2, strlen(m2), SOHOA_EFORMAT,
			 ":6: applicant/@id: citizen id starts with 099, which is no province");
	export_refused(f, p, strlen(p), "Record/Applicant/@Id: citizen id starts with 099");
	free(m);
	free(m2);
	free(p);
}

static void test_malformed_dossier_code(void **state)
{
	fixture *f = *state;
	char *m = manifest_with("000.00.12.H29-231122-0001", "HS 2023/0001");
	char *p =
		package_with(f, "<FileCode>000.00.12.H29-231122-0001<", "<FileCode>../../HS 2023<");
	manifest_refused(f, m, strlen(m), SOHOA_EFORMAT,
			 ":2: dossier/@code: dossier code 'HS 2023/0001' is not");
	export_refused(f, p, strlen(p), "Record/FileCode: ");
	free(m);
	free(p);
}

static void test_impossible_date(void **state)
{
	fixture *f = *state;
	char *m = manifest_with("issued=\"2023-11-22\"", "issued=\"2023-02-30\"");
	char *p = package_with(f, "<IssueDate>2023-11-09<", "<IssueDate>2023-02-30<");
	manifest_refused(f, m, strlen(m), SOHOA_EFORMAT,
			 ":7: document/@issued: 2023-02-30 is not a real date");
	export_refused(f, p, strlen(p), "IssueDate");
	free(m);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_xxe_external_entity_to_local_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_billion_laughs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_external_dtd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ten_thousand_deep_nesting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hundred_megabyte_manifest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_invalid_utf8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nul_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_path_with_dotdot, setup, teardown),
		cmocka_unit_test_setup_teardown(test_absolute_page_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_symlink_out_of_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_citizen_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_dossier_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_impossible_date, setup, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
