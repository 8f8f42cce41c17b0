/* tests/lookup/test_tls.c: the lookup server over TLS on 127.0.0.1 — a CA,
 * server and client certificates made with the real openssl command, libcurl
 * as the client: a trusted client certificate with a token is served, no
 * certificate, one from another CA or one not for TLS clients is refused,
 * plain HTTP to the TLS port fails, and bad certificate or key files are
 * named when the server starts. */
#include "testutil.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certs.h"
#include "index/index.h"
#include "lookup/lookup.h"

#define CITIZEN "001088012345"
#define PATH    "/v1/citizens/" CITIZEN "/results"

static char *dir; /* certificates, made once for the program */

typedef struct {
	char *store;
	char token[SOHOA_INDEX_TOKEN_LEN + 1];
	sohoa_lookup_server *srv;
	uint16_t port;
} fixture;

static int pki_setup(void **state)
{
	(void)state;
	dir = certs_make();
	return 0;
}

static int pki_teardown(void **state)
{
	(void)state;
	tu_rmtree(dir);
	free(dir);
	return 0;
}

static char *file(const char *name)
{
	return tu_path(dir, name);
}

static void make_store(fixture *f)
{
	char *path = tu_path(f->store, "catalog.sqlite");
	sohoa_index *idx = NULL;
	sohoa_index_doc d = {.dossier_code = "000.00.12.H29-231122-0001",
			     .doc_no = 1,
			     .citizen_id = CITIZEN,
			     .applicant = "Nguyễn Văn An",
			     .agency = "H29",
			     .doc_type = "Giấy khai sinh",
			     .issue_date = "2023-11-22",
			     .text = "Nơi đăng ký khai sinh"};
	assert_int_equal(sohoa_index_open(&idx, path), 0);
	assert_int_equal(sohoa_index_add(idx, &d), 0);
	assert_int_equal(sohoa_index_agency_add(idx, "so-tu-phap", f->token), 0);
	sohoa_index_close(idx);
	free(path);
}

/* Starts the server with TLS from these files (NULL: not given). */
static int start(fixture *f, const char *cert, const char *key, const char *ca)
{
	char *c = cert ? file(cert) : NULL, *k = key ? file(key) : NULL, *a = ca ? file(ca) : NULL;
	sohoa_lookup_options o = {.store = f->store,
				  .host = "127.0.0.1",
				  .tls_cert = c,
				  .tls_key = k,
				  .client_ca = a};
	int rc = sohoa_lookup_start(&f->srv, &o);
	if (rc == 0)
		f->port = sohoa_lookup_port(f->srv);
	free(c);
	free(k);
	free(a);
	return rc;
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->store = tu_mkdtemp();
	make_store(f);
	if (start(f, "server.pem", "server.key", "agency-ca.pem") != 0)
		fail_msg("start: %s", sohoa_error_last());
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	sohoa_lookup_stop(f->srv);
	tu_rmtree(f->store);
	free(f->store);
	free(f);
	return 0;
}

typedef certs_answer answer;

/* GET PATH over `scheme` with the client certificate `client` (NULL: none)
 * and the token (NULL: none); the server is checked against agency-ca. */
static answer get(fixture *f, const char *scheme, const char *client, const char *token)
{
	char url[256];
	snprintf(url, sizeof url, "%s://127.0.0.1:%u%s", scheme, f->port, PATH);
	return certs_get(url, dir, client, token);
}

/* Refused: the handshake fails, or the server answers 403 client_certificate. */
static void assert_refused(const answer *a, const char *what)
{
	if (a->rc == CURLE_OK &&
	    !(a->status == 403 && strstr(a->body, "\"code\":\"client_certificate\"")))
		fail_msg("%s: served (%ld %s)", what, a->status, a->body);
	print_message("%s: %s\n", what, a->rc == CURLE_OK ? a->body : curl_easy_strerror(a->rc));
}

static void test_tls_trusted_client_certificate_with_token_is_served(void **state)
{
	fixture *f = *state;
	answer a = get(f, "https", "client", f->token);
	assert_int_equal(a.rc, CURLE_OK);
	assert_int_equal(a.status, 200);
	assert_non_null(strstr(a.body, "{\"count\":1,"));
	/* The certificate does not replace the agency token. */
	a = get(f, "https", "client", NULL);
	assert_int_equal(a.rc, CURLE_OK);
	assert_int_equal(a.status, 401);
	assert_non_null(strstr(a.body, "\"unauthorized\""));
}

static void test_tls_client_without_certificate_is_refused(void **state)
{
	fixture *f = *state;
	answer a = get(f, "https", NULL, f->token);
	assert_refused(&a, "no client certificate");
}

static void test_tls_client_certificate_from_another_ca_is_refused(void **state)
{
	fixture *f = *state;
	answer a = get(f, "https", "alien", f->token);
	assert_refused(&a, "certificate of another CA");
}

static void test_tls_client_certificate_not_for_clients_is_refused(void **state)
{
	fixture *f = *state;
	answer a = get(f, "https", "server-only", f->token);
	assert_refused(&a, "certificate for TLS servers only");
	/* The server still serves the good client afterwards. */
	a = get(f, "https", "client", f->token);
	assert_int_equal(a.status, 200);
}

static void test_tls_plain_http_to_the_tls_port_fails(void **state)
{
	fixture *f = *state;
	answer a = get(f, "http", NULL, f->token);
	if (a.rc == CURLE_OK && a.status == 200)
		fail_msg("plain HTTP was served: %s", a.body);
	a = get(f, "https", "client", f->token);
	assert_int_equal(a.status, 200);
}

static void test_tls_without_client_ca_serves_any_client_with_token(void **state)
{
	fixture *f = *state;
	sohoa_lookup_stop(f->srv);
	assert_int_equal(start(f, "server.pem", "server.key", NULL), 0);
	answer a = get(f, "https", NULL, f->token);
	assert_int_equal(a.rc, CURLE_OK);
	assert_int_equal(a.status, 200);
	a = get(f, "https", NULL, NULL);
	assert_int_equal(a.status, 401);
}

/* The server refuses to start, with `code` and a message holding `needle`. */
static void expect_start_error(fixture *f, const char *cert, const char *key, const char *ca,
			       int code, const char *needle)
{
	sohoa_lookup_server *was = f->srv;
	f->srv = NULL;
	int rc = start(f, cert, key, ca);
	if (rc != code || !strstr(sohoa_error_last(), needle))
		fail_msg("start(%s, %s, %s): %d '%s', want %d with '%s'", cert, key, ca, rc,
			 sohoa_error_last(), code, needle);
	assert_null(f->srv);
	f->srv = was;
}

static void test_tls_bad_certificate_and_key_files_are_named(void **state)
{
	fixture *f = *state;
	char *junk = file("junk.pem");
	tu_write(junk, "not a certificate\n", 18);
	free(junk);
	expect_start_error(f, "missing.pem", "server.key", NULL, SOHOA_ENOTFOUND, "missing.pem");
	expect_start_error(f, "server.pem", "missing.key", NULL, SOHOA_ENOTFOUND, "missing.key");
	expect_start_error(f, "server.pem", "server.key", "missing-ca.pem", SOHOA_ENOTFOUND,
			   "missing-ca.pem");
	expect_start_error(f, "junk.pem", "server.key", NULL, SOHOA_ECRYPTO, "junk.pem");
	expect_start_error(f, "server.pem", "junk.pem", NULL, SOHOA_ECRYPTO, "junk.pem");
	expect_start_error(f, "server.pem", "server.key", "junk.pem", SOHOA_ECRYPTO, "junk.pem");
	expect_start_error(f, "server.pem", "client.key", NULL, SOHOA_ECRYPTO, "client.key");
	expect_start_error(f, "server.pem", NULL, NULL, SOHOA_EINVAL, "key");
	expect_start_error(f, NULL, NULL, "agency-ca.pem", SOHOA_EINVAL, "client CA");
	/* The running server was not disturbed. */
	answer a = get(f, "https", "client", f->token);
	assert_int_equal(a.status, 200);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_tls_trusted_client_certificate_with_token_is_served, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tls_client_without_certificate_is_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_tls_client_certificate_from_another_ca_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_tls_client_certificate_not_for_clients_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tls_plain_http_to_the_tls_port_fails, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_tls_without_client_ca_serves_any_client_with_token, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tls_bad_certificate_and_key_files_are_named,
						setup, teardown),
	};
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = cmocka_run_group_tests(tests, pki_setup, pki_teardown);
	curl_global_cleanup();
	return rc;
}
