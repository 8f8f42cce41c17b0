/* tests/core/test_error.c: error codes are stable, the last message is per
 * thread, names the subject, and survives prefixing and truncation intact. */
#include "testutil.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "core/core.h"

static void test_error_codes_never_change_number(void **state)
{
	(void)state;
	/* Released codes are part of the interface: these numbers are frozen. */
	assert_int_equal(SOHOA_OK, 0);
	assert_int_equal(SOHOA_ERROR, -1);
	assert_int_equal(SOHOA_ENOMEM, -2);
	assert_int_equal(SOHOA_EINVAL, -3);
	assert_int_equal(SOHOA_EIO, -4);
	assert_int_equal(SOHOA_ENOTFOUND, -5);
	assert_int_equal(SOHOA_EEXISTS, -6);
	assert_int_equal(SOHOA_ELIMIT, -7);
	assert_int_equal(SOHOA_EFORMAT, -8);
	assert_int_equal(SOHOA_EUNSUPPORTED, -9);
	assert_int_equal(SOHOA_EDEPENDENCY, -10);
	assert_int_equal(SOHOA_ECRYPTO, -11);
	assert_int_equal(SOHOA_EVERIFY, -12);
	assert_int_equal(SOHOA_EAUTH, -13);
	assert_int_equal(SOHOA_EBUSY, -14);
	assert_int_equal(SOHOA_ENOSPC, -15);
	assert_int_equal(SOHOA_EPERM, -16);
	assert_int_equal(SOHOA_EDB, -17);
	assert_int_equal(SOHOA_ENOTIMPL, -18);
	assert_int_equal(SOHOA_ECANCELED, -19);
}

static void test_every_code_has_a_distinct_name(void **state)
{
	(void)state;
	for (int a = SOHOA_ERROR_MIN; a <= 0; a++) {
		assert_string_not_equal(sohoa_error_name(a), "SOHOA_E?");
		assert_string_not_equal(sohoa_error_describe(a), "unknown error");
		for (int b = a + 1; b <= 0; b++)
			assert_string_not_equal(sohoa_error_name(a), sohoa_error_name(b));
	}
	assert_string_equal(sohoa_error_name(SOHOA_EIO), "SOHOA_EIO");
	assert_string_equal(sohoa_error_name(SOHOA_ERROR_MIN - 1), "SOHOA_E?");
	assert_string_equal(sohoa_error_name(7), "SOHOA_E?");
}

static void test_set_returns_code_and_keeps_message(void **state)
{
	(void)state;
	sohoa_error_clear();
	assert_int_equal(sohoa_error_last_code(), 0);
	assert_string_equal(sohoa_error_last(), "");
	int rc = sohoa_error_set(SOHOA_EFORMAT, "%s:%d: applicant/@id: must be 12 digits",
				 "dossier.xml", 14);
	assert_int_equal(rc, SOHOA_EFORMAT);
	assert_int_equal(sohoa_error_last_code(), SOHOA_EFORMAT);
	assert_string_equal(sohoa_error_last(), "dossier.xml:14: applicant/@id: must be 12 digits");
}

static void test_prefix_adds_context_and_keeps_code(void **state)
{
	(void)state;
	sohoa_error_set(SOHOA_ELIMIT, "too many pixels");
	assert_int_equal(sohoa_error_prefix("scan.tif: page %d: ", 3), SOHOA_ELIMIT);
	assert_string_equal(sohoa_error_last(), "scan.tif: page 3: too many pixels");
	assert_int_equal(sohoa_error_last_code(), SOHOA_ELIMIT);
}

static void test_errno_maps_to_codes_and_names_the_subject(void **state)
{
	(void)state;
	assert_int_equal(sohoa_error_from_errno(ENOENT, "%s", "in/a.tif"), SOHOA_ENOTFOUND);
	assert_non_null(strstr(sohoa_error_last(), "in/a.tif: "));
	assert_non_null(strstr(sohoa_error_last(), strerror(ENOENT)));
	assert_int_equal(sohoa_error_from_errno(EACCES, "x"), SOHOA_EPERM);
	assert_int_equal(sohoa_error_from_errno(ENOSPC, "x"), SOHOA_ENOSPC);
	assert_int_equal(sohoa_error_from_errno(EIO, "x"), SOHOA_EIO);
}

static void test_long_message_truncates_on_utf8_boundary(void **state)
{
	(void)state;
	char big[3000];
	/* "đ" is two bytes; a cut in the middle would leave an invalid byte. */
	for (size_t i = 0; i + 2 < sizeof big; i += 2)
		memcpy(big + i, "\xc4\x91", 2);
	big[sizeof big - 2] = '\0';
	sohoa_error_set(SOHOA_EINVAL, "x%s", big);
	const char *m = sohoa_error_last();
	size_t n = strlen(m);
	assert_true(n < 1024);
	assert_true(n > 1000);
	/* "x" then whole two-byte pairs: odd length and a complete last char. */
	assert_int_equal(n % 2, 1);
	assert_int_equal((unsigned char)m[n - 1], 0x91);
}

static void *other_thread(void *arg)
{
	(void)arg;
	sohoa_error_clear();
	sohoa_error_set(SOHOA_EIO, "thread message");
	return NULL;
}

static void test_last_error_is_per_thread(void **state)
{
	(void)state;
	pthread_t t;
	sohoa_error_set(SOHOA_EAUTH, "main message");
	assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
	pthread_join(t, NULL);
	assert_int_equal(sohoa_error_last_code(), SOHOA_EAUTH);
	assert_string_equal(sohoa_error_last(), "main message");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_codes_never_change_number),
		cmocka_unit_test(test_every_code_has_a_distinct_name),
		cmocka_unit_test(test_set_returns_code_and_keeps_message),
		cmocka_unit_test(test_prefix_adds_context_and_keeps_code),
		cmocka_unit_test(test_errno_maps_to_codes_and_names_the_subject),
		cmocka_unit_test(test_long_message_truncates_on_utf8_boundary),
		cmocka_unit_test(test_last_error_is_per_thread),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
