/* tests/lookup/test_listen.c: --listen values parse into host and port, the
 * missing half taking its default, and every bad value is refused with
 * SOHOA_EINVAL and a message quoting it. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "lookup/lookup.h"

#define HOST_CAP 256

static void test_parse_listen_accepts_good_values(void **state)
{
	(void)state;
	static const struct {
		const char *spec, *host;
		uint16_t port;
	} cases[] = {
		{"127.0.0.1:8080", "127.0.0.1", 8080},
		{"[::1]:9000", "::1", 9000},
		{"[::1]", "::1", SOHOA_LOOKUP_DEFAULT_PORT},
		{"localhost", "localhost", SOHOA_LOOKUP_DEFAULT_PORT},
		{"tra-cuu.example.gov.vn:443", "tra-cuu.example.gov.vn", 443},
		{"8080", SOHOA_LOOKUP_DEFAULT_HOST, 8080},
		{":8080", SOHOA_LOOKUP_DEFAULT_HOST, 8080},
		{"0.0.0.0:1", "0.0.0.0", 1},
		{"x:65535", "x", 65535},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char host[HOST_CAP];
		uint16_t port = 0;
		int rc = sohoa_lookup_parse_listen(host, sizeof host, &port, cases[i].spec);
		if (rc != 0)
			fail_msg("'%s' refused: %s", cases[i].spec, sohoa_error_last());
		if (strcmp(host, cases[i].host) != 0 || port != cases[i].port)
			fail_msg("'%s' gave %s port %u, want %s port %u", cases[i].spec, host, port,
				 cases[i].host, cases[i].port);
	}
}

static void test_parse_listen_refuses_bad_values_quoting_them(void **state)
{
	(void)state;
	char long_host[310];
	memset(long_host, 'h', 300);
	strcpy(long_host + 300, ":80");
	const char *cases[] = {
		"",   "x:0",   "x:70000", "::1:80", "[::1", "a b:80", long_host,
		"x:", "x:80a", "x:-1",    "[::1]x", "0",    "65536",  "h\xC3\xA0:80",
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char host[HOST_CAP], quoted[400];
		uint16_t port = 0;
		int rc = sohoa_lookup_parse_listen(host, sizeof host, &port, cases[i]);
		if (rc != SOHOA_EINVAL)
			fail_msg("'%s' gave %d (host %s, port %u), want SOHOA_EINVAL", cases[i], rc,
				 host, port);
		snprintf(quoted, sizeof quoted, "'%s'", cases[i]);
		if (!strstr(sohoa_error_last(), quoted))
			fail_msg("message '%s' does not quote %s", sohoa_error_last(), quoted);
	}
}

static void test_parse_listen_host_must_fit_the_buffer(void **state)
{
	(void)state;
	char host[8];
	uint16_t port = 0;
	assert_int_equal(sohoa_lookup_parse_listen(host, sizeof host, &port, "abcdefg:80"), 0);
	assert_string_equal(host, "abcdefg");
	assert_int_equal(sohoa_lookup_parse_listen(host, sizeof host, &port, "abcdefgh:80"),
			 SOHOA_EINVAL);
	assert_non_null(strstr(sohoa_error_last(), "'abcdefgh:80'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_listen_accepts_good_values),
		cmocka_unit_test(test_parse_listen_refuses_bad_values_quoting_them),
		cmocka_unit_test(test_parse_listen_host_must_fit_the_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
