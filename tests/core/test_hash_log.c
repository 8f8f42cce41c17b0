/* tests/core/test_hash_log.c: SHA-256 matches the FIPS 180-2 vectors for
 * buffers and files; log lines obey the level and come out whole. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

static void hex_of(char out[65], const void *data, size_t len)
{
	uint8_t d[SOHOA_SHA256_LEN];
	assert_int_equal(sohoa_sha256(d, data, len), 0);
	sohoa_hex(out, d, sizeof d);
}

static void test_sha256_known_vectors(void **state)
{
	(void)state;
	char hex[65];
	hex_of(hex, "", 0);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_of(hex, "abc", 3);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	hex_of(hex, two, strlen(two));
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_sha256_file_equals_buffer_across_chunks(void **state)
{
	(void)state;
	/* One million 'a': spans many 64 KiB reads; FIPS 180-2 vector. */
	size_t n = 1000000;
	char *a = malloc(n), *dir = tu_mkdtemp(), *path = tu_path(dir, "a");
	uint8_t d[SOHOA_SHA256_LEN];
	char hex[65];
	memset(a, 'a', n);
	tu_write(path, a, n);
	assert_int_equal(sohoa_sha256_file(d, path), 0);
	sohoa_hex(hex, d, sizeof d);
	assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(a);
	free(path);
	tu_rmtree(dir);
	free(dir);
}

static void test_sha256_missing_file_names_it(void **state)
{
	(void)state;
	uint8_t d[SOHOA_SHA256_LEN];
	assert_int_equal(sohoa_sha256_file(d, "/nonexistent/sohoa/x.tif"), SOHOA_ENOTFOUND);
	assert_non_null(strstr(sohoa_error_last(), "/nonexistent/sohoa/x.tif"));
}

static void test_log_respects_level(void **state)
{
	(void)state;
	char buf[4096] = {0};
	FILE *f = tmpfile();
	assert_non_null(f);
	sohoa_log_set_stream(f);
	sohoa_log_set_level(SOHOA_LOG_WARN);
	sohoa_log_info("hidden %d", 1);
	sohoa_log_debug("hidden %d", 2);
	sohoa_log_warn("shown %s", "warn");
	sohoa_log_error("shown %s", "error");
	sohoa_log_set_level(SOHOA_LOG_DEBUG);
	sohoa_log_debug("shown debug");
	sohoa_log_set_level(SOHOA_LOG_ERROR);
	sohoa_log_warn("hidden when quiet");
	sohoa_log_set_stream(NULL);
	sohoa_log_set_level(SOHOA_LOG_WARN);
	rewind(f);
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	assert_null(strstr(buf, "hidden"));
	assert_non_null(strstr(buf, "sohoa: warning: shown warn\n"));
	assert_non_null(strstr(buf, "sohoa: error: shown error\n"));
	assert_non_null(strstr(buf, "sohoa: debug: shown debug\n"));
	assert_int_equal(tu_lines(buf), 3);
}

static void test_limits_have_sane_defaults(void **state)
{
	(void)state;
	sohoa_limits l = sohoa_limits_default();
	assert_true(l.max_manifest_bytes >= (1u << 20));
	assert_true(l.max_xml_depth >= 16 && l.max_xml_depth <= 256);
	/* An A3 page at 600 dpi must pass; a 100k x 100k bomb must not. */
	assert_true(l.max_image_pixels >= 7016ull * 9921);
	assert_true(l.max_image_pixels < 100000ull * 100000);
	assert_true(l.max_image_pages >= 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_known_vectors),
		cmocka_unit_test(test_sha256_file_equals_buffer_across_chunks),
		cmocka_unit_test(test_sha256_missing_file_names_it),
		cmocka_unit_test(test_log_respects_level),
		cmocka_unit_test(test_limits_have_sane_defaults),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
