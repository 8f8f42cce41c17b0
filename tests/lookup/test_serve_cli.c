/* tests/lookup/test_serve_cli.c: the real `sohoa serve` binary on 127.0.0.1 —
 * an agency added with `sohoa agency add`, queried with its token (over HTTP
 * and over TLS with a client certificate), SIGTERM ending it with exit 0 and
 * an audit chain that verifies; bad TLS files refused with exit 2 and the
 * file named. */
#include "testutil.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "certs.h"
#include "index/index.h"

#define PATH "/v1/citizens/001088012345/results"

extern char **environ;

typedef struct {
	char *store;
	char token[SOHOA_INDEX_TOKEN_LEN + 1];
	pid_t pid;
	int err; /* the server's stderr */
	unsigned port;
	char log[4096];
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->store = tu_mkdtemp();
	char *argv[] = {SOHOA_BIN, "agency", "add", "so-tu-phap", "--store", f->store, NULL};
	tu_run_result r = tu_run(argv, NULL);
	assert_int_equal(r.status, 0);
	assert_int_equal(strlen(r.out), SOHOA_INDEX_TOKEN_LEN + 1);
	memcpy(f->token, r.out, SOHOA_INDEX_TOKEN_LEN);
	tu_run_free(&r);
	f->pid = -1;
	f->err = -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	if (f->pid > 0) {
		kill(f->pid, SIGKILL);
		waitpid(f->pid, NULL, 0);
	}
	if (f->err >= 0)
		close(f->err);
	tu_rmtree(f->store);
	free(f->store);
	free(f);
	return 0;
}

/* A port free a moment ago (the kernel's choice for port 0). */
static unsigned free_port(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t len = sizeof sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	close(fd);
	return ntohs(sa.sin_port);
}

/* Reads the server's stderr into f->log until `needle` appears or it ends
 * (or 20 s pass); returns whether it appeared. */
static int read_log(fixture *f, const char *needle)
{
	size_t len = strlen(f->log);
	for (int i = 0; i < 200 && !strstr(f->log, needle); i++) {
		struct pollfd p = {.fd = f->err, .events = POLLIN};
		if (poll(&p, 1, 100) != 1)
			continue;
		ssize_t n = read(f->err, f->log + len, sizeof f->log - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		f->log[len] = '\0';
	}
	return strstr(f->log, needle) != NULL;
}

/* Spawns `sohoa serve --store S --listen 127.0.0.1:PORT` and the extra
 * arguments (NULL-terminated), and waits until it says it is serving. */
static void serve(fixture *f, char *const extra[])
{
	char listen[64], *argv[32] = {SOHOA_BIN, "serve", "--store", f->store, "--listen", listen};
	posix_spawn_file_actions_t fa;
	int pipefd[2], n = 6;

	for (size_t i = 0; extra && extra[i]; i++)
		argv[n++] = extra[i];
	argv[n] = NULL;
	for (int attempt = 0; attempt < 3; attempt++) {
		f->port = free_port();
		snprintf(listen, sizeof listen, "127.0.0.1:%u", f->port);
		assert_int_equal(pipe(pipefd), 0);
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
		posix_spawn_file_actions_addclose(&fa, pipefd[0]);
		assert_int_equal(posix_spawn(&f->pid, argv[0], &fa, NULL, argv, environ), 0);
		posix_spawn_file_actions_destroy(&fa);
		close(pipefd[1]);
		f->err = pipefd[0];
		f->log[0] = '\0';
		if (read_log(f, "serving "))
			return;
		waitpid(f->pid, NULL, 0); /* the port was taken meanwhile: again */
		f->pid = -1;
		close(f->err);
		f->err = -1;
	}
	fail_msg("sohoa serve did not start: %s", f->log);
}

/* SIGTERM; returns the exit status (128+signal when killed by one). */
static int stop(fixture *f)
{
	int st = 0;
	assert_int_equal(kill(f->pid, SIGTERM), 0);
	assert_int_equal(waitpid(f->pid, &st, 0), f->pid);
	f->pid = -1;
	read_log(f, "\n\n"); /* the rest of its stderr */
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* GET PATH with the token (NULL: none) over http, or over https with the
 * client certificate `client` from `certs`; returns the status (0 when the
 * request failed) and the body in `body` (4096 bytes). */
static long get(const fixture *f, const char *token, const char *certs, const char *client,
		char *body)
{
	char url[256];
	snprintf(url, sizeof url, "%s://127.0.0.1:%u%s", certs ? "https" : "http", f->port, PATH);
	certs_answer a = certs_get(url, certs, client, token);
	memcpy(body, a.body, a.len + 1);
	return a.status;
}

static void expect_audit_rows(const fixture *f, const char *rows)
{
	char *argv[] = {SOHOA_BIN, "audit", "verify", "--store", f->store, NULL};
	tu_run_result r = tu_run(argv, NULL);
	if (r.status != 0 || !strstr(r.out, rows))
		fail_msg("audit verify: %d '%s' '%s', want '%s'", r.status, r.out, r.err, rows);
	tu_run_free(&r);
}

static void test_serve_answers_tokens_and_stops_on_sigterm(void **state)
{
	fixture *f = *state;
	char body[4096];

	serve(f, NULL);
	assert_int_equal(get(f, f->token, NULL, NULL, body), 200);
	assert_non_null(strstr(body, "{\"count\":0,"));
	assert_int_equal(get(f, NULL, NULL, NULL, body), 401);
	assert_non_null(strstr(body, "\"unauthorized\""));
	assert_int_equal(get(f, f->token, NULL, NULL, body), 200);
	assert_int_equal(stop(f), 0);
	/* The port is free again and both token requests were audited. */
	assert_int_equal(get(f, f->token, NULL, NULL, body), 0);
	expect_audit_rows(f, " 2 rows");
}

static void test_serve_over_tls_needs_client_certificate_and_token(void **state)
{
	fixture *f = *state;
	char *certs = certs_make(), cert[1024], key[1024], ca[1024], body[4096];
	char *extra[] = {"--tls-cert", cert, "--tls-key", key, "--client-ca", ca, NULL};

	snprintf(cert, sizeof cert, "%s/server.pem", certs);
	snprintf(key, sizeof key, "%s/server.key", certs);
	snprintf(ca, sizeof ca, "%s/agency-ca.pem", certs);
	serve(f, extra);
	assert_non_null(strstr(f->log, "client certificates required"));
	assert_int_equal(get(f, f->token, certs, "client", body), 200);
	assert_int_equal(get(f, NULL, certs, "client", body), 401);
	long st = get(f, f->token, certs, "alien", body);
	if (st == 200)
		fail_msg("a client certificate of another CA was served: %s", body);
	assert_int_equal(get(f, f->token, NULL, NULL, body), 0); /* plain HTTP */
	assert_int_equal(stop(f), 0);
	expect_audit_rows(f, " 1 rows");
	tu_rmtree(certs);
	free(certs);
}

static void test_serve_names_bad_tls_files_and_exits_2(void **state)
{
	fixture *f = *state;
	char *missing = tu_path(f->store, "missing.pem"),
	     *catalog = tu_path(f->store, "catalog.sqlite");
	char *cases[][8] = {
		{SOHOA_BIN, "serve", "--store", f->store, "--tls-cert", missing, "--tls-key",
		 catalog},
		{SOHOA_BIN, "serve", "--store", f->store, "--tls-cert", catalog, "--tls-key",
		 missing},
		{SOHOA_BIN, "serve", "--store", f->store, "--tls-cert", catalog, "--tls-key",
		 catalog},
	};
	const char *named[] = {missing, missing, catalog};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *argv[9];
		memcpy(argv, cases[i], sizeof cases[i]);
		argv[8] = NULL;
		tu_run_result r = tu_run(argv, NULL);
		if (r.status != 2 || tu_lines(r.err) != 1 || !strstr(r.err, named[i]))
			fail_msg("case %zu: exit %d, stderr '%s'", i, r.status, r.err);
		tu_run_free(&r);
	}
	char *half[] = {SOHOA_BIN, "serve", "--store", f->store, "--tls-cert", catalog, NULL};
	tu_run_result r = tu_run(half, NULL);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "key"));
	tu_run_free(&r);
	free(missing);
	free(catalog);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_serve_answers_tokens_and_stops_on_sigterm,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_serve_over_tls_needs_client_certificate_and_token, setup, teardown),
		cmocka_unit_test_setup_teardown(test_serve_names_bad_tls_files_and_exits_2, setup,
						teardown),
	};
	signal(SIGPIPE, SIG_IGN);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
