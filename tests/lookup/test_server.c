/* tests/lookup/test_server.c: the real lookup server on 127.0.0.1 (a free
 * port) over a real store — every endpoint with good, bad and revoked tokens,
 * traversal attempts, oversized requests, a slow client dropped while others
 * are served, a trickling one dropped at the total deadline, the rate limit,
 * and the audit rows the requests leave, written in group commits while
 * many clients ask at once, or a 503 when they cannot be written. */
#include "testutil.h"
#include "walsync.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "index/index.h"
#include "lookup/lookup.h"

#define CODE    "000.00.12.H29-231122-0001"
#define CITIZEN "001088012345"

typedef struct {
	char *dir;
	char token[SOHOA_INDEX_TOKEN_LEN + 1];
	char revoked[SOHOA_INDEX_TOKEN_LEN + 1];
	sohoa_lookup_server *srv;
	uint16_t port;
} fixture;

static void make_store(fixture *f)
{
	char *path = tu_path(f->dir, "catalog.sqlite"), *p;
	sohoa_index *idx = NULL;
	sohoa_index_doc d = {.dossier_code = CODE,
			     .doc_no = 1,
			     .citizen_id = CITIZEN,
			     .applicant = "Nguyễn Văn An",
			     .agency = "H29",
			     .doc_type = "Giấy khai sinh",
			     .issue_date = "2023-11-22",
			     .package_path = "packages/" CODE,
			     .signature = "sealed",
			     .text = "Nơi đăng ký khai sinh: phường Phúc Xá."};
	assert_int_equal(sohoa_index_open(&idx, path), 0);
	assert_int_equal(sohoa_index_add(idx, &d), 0);
	d.doc_no = 2;
	d.doc_type = "Trích lục";
	assert_int_equal(sohoa_index_add(idx, &d), 0);
	assert_int_equal(sohoa_index_agency_add(idx, "so-tu-phap", f->token), 0);
	assert_int_equal(sohoa_index_agency_add(idx, "old-agency", f->revoked), 0);
	assert_int_equal(sohoa_index_agency_revoke(idx, "old-agency"), 0);
	sohoa_index_close(idx);
	free(path);
	p = tu_path(f->dir, "packages/" CODE "/docs");
	assert_int_equal(sohoa_mkdir_p(p), 0);
	free(p);
	p = tu_path(f->dir, "packages/" CODE "/package.xml");
	tu_write(p, "<Package/>\n", 11);
	free(p);
	p = tu_path(f->dir, "packages/" CODE "/docs/1.txt");
	tu_write(p, "văn bản\n", 11);
	free(p);
	p = tu_path(f->dir, "secret.txt");
	tu_write(p, "secret\n", 7);
	free(p);
	p = tu_path(f->dir, "packages/" CODE "/docs/escape.txt");
	assert_int_equal(symlink("../../../secret.txt", p), 0);
	free(p);
}

static int start_with_deadline(fixture *f, double rate, unsigned timeout_s, unsigned deadline_ms)
{
	sohoa_lookup_options o = {.store = f->dir,
				  .host = "127.0.0.1",
				  .port = 0,
				  .rate = rate,
				  .timeout_s = timeout_s,
				  .deadline_ms = deadline_ms};
	if (sohoa_lookup_start(&f->srv, &o) != 0)
		fail_msg("start: %s", sohoa_error_last());
	f->port = sohoa_lookup_port(f->srv);
	return 0;
}

static int start(fixture *f, double rate, unsigned timeout_s)
{
	return start_with_deadline(f, rate, timeout_s, 0);
}

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof *f);
	f->dir = tu_mkdtemp();
	make_store(f);
	start(f, 1000, 1);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;
	sohoa_lookup_stop(f->srv);
	tu_rmtree(f->dir);
	free(f->dir);
	free(f);
	return 0;
}

typedef struct {
	char *buf;
	size_t len;
} body;

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
	body *b = ud;
	b->buf = realloc(b->buf, b->len + size * n + 1);
	memcpy(b->buf + b->len, p, size * n);
	b->len += size * n;
	b->buf[b->len] = '\0';
	return size * n;
}

/* GET path with the token (NULL: none); returns the status, *out the body. */
static long get(fixture *f, const char *path, const char *token, char **out)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	char url[4096], auth[128];
	body b = {calloc(1, 1), 0};
	long status = 0;

	snprintf(url, sizeof url, "http://127.0.0.1:%u%s", f->port, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	if (token) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
		h = curl_slist_append(h, auth);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	}
	if (curl_easy_perform(c) != CURLE_OK)
		fail_msg("GET %s failed", path);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	if (out)
		*out = b.buf;
	else
		free(b.buf);
	return status;
}

static void expect(fixture *f, const char *path, const char *token, long status, const char *needle)
{
	char *b = NULL;
	long got = get(f, path, token, &b);
	if (got != status || (needle && !strstr(b, needle)))
		fail_msg("GET %s: %ld '%s', want %ld with '%s'", path, got, b, status,
			 needle ? needle : "");
	free(b);
}

static void test_every_endpoint_needs_a_valid_unrevoked_token(void **state)
{
	fixture *f = *state;
	const char *paths[] = {"/v1/citizens/" CITIZEN "/results", "/v1/dossiers/" CODE,
			       "/v1/packages/" CODE "/package.xml",
			       "/v1/packages/" CODE "/files/docs/1.txt", "/v1/search?q=an"};
	char bad[SOHOA_INDEX_TOKEN_LEN + 1];
	memcpy(bad, f->token, sizeof bad);
	bad[0] = bad[0] == 'a' ? 'b' : 'a';
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		expect(f, paths[i], NULL, 401, "\"code\":\"unauthorized\"");
		expect(f, paths[i], bad, 401, "\"unauthorized\"");
		expect(f, paths[i], "not-a-token", 401, "\"request_id\":\"");
		expect(f, paths[i], f->revoked, 403, "\"revoked\"");
		expect(f, paths[i], f->token, 200, NULL);
	}
}

static void test_endpoints_answer_with_the_catalog_and_package(void **state)
{
	fixture *f = *state;
	expect(f, "/v1/citizens/" CITIZEN "/results", f->token, 200,
	       "{\"count\":2,\"results\":[{\"dossier_code\":\"" CODE "\"");
	expect(f, "/v1/citizens/000000000000/results", f->token, 200, "{\"count\":0,");
	expect(f, "/v1/citizens/12345/results", f->token, 400, "citizen id");
	expect(f, "/v1/dossiers/" CODE, f->token, 200, "\"signature\":\"sealed\"");
	expect(f, "/v1/dossiers/000.00.12.H29-231122-9999", f->token, 404, "\"not_found\"");
	expect(f, "/v1/packages/" CODE "/package.xml", f->token, 200, "<Package/>");
	expect(f, "/v1/packages/" CODE "/files/docs/1.txt", f->token, 200, "văn bản");
	expect(f, "/v1/packages/" CODE "/files/docs/2.txt", f->token, 404, "\"not_found\"");
	expect(f, "/v1/packages/" CODE "/files/docs", f->token, 404, NULL); /* a directory */
	expect(f, "/v1/search?q=nguyen+van+an", f->token, 200, "«Nguyễn» «Văn» «An»");
	expect(f, "/v1/search?q=%C4%91%C4%83ng%20k%C3%BD&type=Tr%C3%ADch+l%E1%BB%A5c", f->token,
	       200, "\"count\":1,");
	expect(f, "/v1/search?q=an&from=2024-01-01", f->token, 200, "\"count\":0,");
	expect(f, "/v1/search?q=an&limit=0", f->token, 400, "limit");
	expect(f, "/v1/search?q=an&from=yesterday", f->token, 400, NULL);
	expect(f, "/v1/search?bogus=1", f->token, 400, "bogus");
	expect(f, "/v1/search?q=%ZZ", f->token, 400, "escape");
	expect(f, "/v1/nothing", f->token, 404, NULL);
	expect(f, "/v2/search?q=an", f->token, 404, NULL);
	expect(f, "/", f->token, 404, NULL);
}

static void test_connection_is_kept_alive_between_requests(void **state)
{
	fixture *f = *state;
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	char url[256], auth[128];
	body b = {calloc(1, 1), 0};
	long status = 0, connects = -1;

	snprintf(url, sizeof url, "http://127.0.0.1:%u/v1/citizens/" CITIZEN "/results", f->port);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", f->token);
	h = curl_slist_append(h, auth);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(curl_easy_perform(c), CURLE_OK);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &connects);
		assert_int_equal(status, 200);
		assert_int_equal(connects, i == 0 ? 1 : 0); /* the same connection again */
	}
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	free(b.buf);
}

static void test_package_paths_cannot_leave_the_package(void **state)
{
	fixture *f = *state;
	const char *bad[] = {
		"/v1/packages/" CODE "/files/../../../secret.txt",
		"/v1/packages/" CODE "/files/..%2F..%2F..%2Fsecret.txt",
		"/v1/packages/" CODE "/files/%2e%2e/%2e%2e/%2e%2e/secret.txt",
		"/v1/packages/" CODE "/files/%2Fetc%2Fpasswd",
		"/v1/packages/" CODE "/files//etc/passwd",
		"/v1/packages/" CODE "/files/docs/..%5C..%5Csecret.txt",
		"/v1/packages/" CODE "/files/docs/%00.txt",
		"/v1/packages/..%2F..%2Fsecret.txt/package.xml",
		"/v1/packages/" CODE "/files/.hidden",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect(f, bad[i], f->token, 400, "\"bad_request\"");
	/* A symbolic link inside the package pointing outside it. */
	expect(f, "/v1/packages/" CODE "/files/docs/escape.txt", f->token, 403, "outside");
}

static int connect_raw(fixture *f)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(f->port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
	struct timeval tv = {.tv_sec = 5};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	return fd;
}

/* Sends `req` raw and returns the status line's code (0 if none came). */
static int raw_status(fixture *f, const char *req, size_t len)
{
	char buf[256] = "";
	int fd = connect_raw(f), status = 0;
	size_t sent = 0;
	while (sent < len) {
		ssize_t n = send(fd, req + sent, len - sent, MSG_NOSIGNAL);
		if (n <= 0)
			break;
		sent += (size_t)n;
	}
	ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
	if (n > 12 && strncmp(buf, "HTTP/1.1 ", 9) == 0)
		status = atoi(buf + 9);
	close(fd);
	return status;
}

static void test_oversized_requests_are_refused(void **state)
{
	fixture *f = *state;
	char *req = NULL;
	/* A body far over the cap, announced. */
	assert_true(asprintf(&req,
			     "GET /v1/search?q=an HTTP/1.1\r\nHost: x\r\nAuthorization: "
			     "Bearer %s\r\nContent-Length: 10000000\r\n\r\n",
			     f->token) > 0);
	assert_int_equal(raw_status(f, req, strlen(req)), 413);
	free(req);
	/* Headers of 10 KB are read and served; headers over the 16 KiB that
	 * libmicrohttpd holds per connection are refused by it (431). */
	char *pad = malloc(70001);
	memset(pad, 'a', 10000);
	pad[10000] = '\0';
	assert_true(asprintf(&req,
			     "GET /v1/search?q=an HTTP/1.1\r\nHost: x\r\nAuthorization: "
			     "Bearer %s\r\nX-Pad: %s\r\n\r\n",
			     f->token, pad) > 0);
	assert_int_equal(raw_status(f, req, strlen(req)), 200);
	free(req);
	memset(pad, 'a', 70000);
	pad[70000] = '\0';
	assert_true(asprintf(&req,
			     "GET /v1/search?q=an HTTP/1.1\r\nHost: x\r\nAuthorization: "
			     "Bearer %s\r\nX-Pad: %s\r\n\r\n",
			     f->token, pad) > 0);
	assert_int_equal(raw_status(f, req, strlen(req)), 431);
	free(req);
	/* Headers over even libmicrohttpd's buffer: refused by it, not read on. */
	char *big = malloc(300001);
	memset(big, 'b', 300000);
	big[300000] = '\0';
	assert_true(asprintf(&req, "GET /v1/search?q=an HTTP/1.1\r\nHost: x\r\nX-Pad: %s\r\n\r\n",
			     big) > 0);
	int st = raw_status(f, req, strlen(req));
	if (st != 413 && st != 431 && st != 0)
		fail_msg("huge headers gave %d", st);
	free(req);
	/* A target over the cap. */
	memset(pad, 'q', 5000);
	pad[5000] = '\0';
	assert_true(asprintf(&req, "/v1/search?q=%s", pad) > 0);
	expect(f, req, f->token, 414, NULL);
	free(req);
	free(pad);
	free(big);
	expect(f, "/v1/search?q=still+serving", f->token, 200, NULL);
}

static void test_headers_over_max_request_bytes_are_refused_413(void **state)
{
	fixture *f = *state;
	sohoa_lookup_options o = {.store = f->dir, .host = "127.0.0.1", .max_request_bytes = 4096};
	char pad[6001], *req = NULL;

	sohoa_lookup_stop(f->srv);
	if (sohoa_lookup_start(&f->srv, &o) != 0)
		fail_msg("start: %s", sohoa_error_last());
	f->port = sohoa_lookup_port(f->srv);
	memset(pad, 'a', 6000);
	pad[6000] = '\0';
	assert_true(asprintf(&req,
			     "GET /v1/search?q=an HTTP/1.1\r\nHost: x\r\nAuthorization: "
			     "Bearer %s\r\nX-Pad: %s\r\n\r\n",
			     f->token, pad) > 0);
	assert_int_equal(raw_status(f, req, strlen(req)), 413);
	free(req);
	expect(f, "/v1/search?q=still+serving", f->token, 200, NULL);
}

static void test_slow_client_is_dropped_while_others_are_served(void **state)
{
	fixture *f = *state;
	int slow = connect_raw(f);
	const char *partial = "GET /v1/search?q=an HTTP/1.1\r\nHost: x\r\n";
	char buf[64];
	assert_int_equal(send(slow, partial, strlen(partial), MSG_NOSIGNAL),
			 (ssize_t)strlen(partial));
	expect(f, "/v1/citizens/" CITIZEN "/results", f->token, 200, NULL);
	sleep(3); /* timeout is 1 s */
	ssize_t n = recv(slow, buf, sizeof buf, 0);
	if (n > 0)
		fail_msg("slow client got an answer: %.*s", (int)n, buf);
	assert_true(n == 0 || errno == ECONNRESET);
	close(slow);
	expect(f, "/v1/citizens/" CITIZEN "/results", f->token, 200, NULL);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) + (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Sends `at_once` in one go, then one byte every 100 ms; returns after how
 * many seconds the server dropped the connection (-1: not within 8 s). Others
 * are served meanwhile. */
static double trickle(fixture *f, const char *at_once, const char *then)
{
	struct timespec t0;
	double dropped_after = -1;
	char buf[64];
	int fd = connect_raw(f);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(send(fd, at_once, strlen(at_once), MSG_NOSIGNAL),
			 (ssize_t)strlen(at_once));
	for (int i = 0; i < 80 && dropped_after < 0; i++) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		const char *byte = i < (int)strlen(then) ? then + i : "a";
		if (send(fd, byte, 1, MSG_NOSIGNAL) != 1) {
			dropped_after = seconds_since(&t0);
			break;
		}
		if (i == 3)
			expect(f, "/v1/citizens/" CITIZEN "/results", f->token, 200, NULL);
		if (poll(&p, 1, 100) == 1) {
			ssize_t n = recv(fd, buf, sizeof buf, 0);
			if (n > 0)
				fail_msg("the trickling client got an answer: %.*s", (int)n, buf);
			dropped_after = seconds_since(&t0);
		}
	}
	close(fd);
	return dropped_after;
}

/* A client sending one byte of its headers, or of its body, every 100 ms
 * never stays idle for the timeout (3 s) but is dropped at the total deadline
 * (1 s), while others are served meanwhile. */
static void test_trickling_client_is_dropped_at_the_deadline(void **state)
{
	fixture *f = *state;
	char *head = NULL;
	double after;

	sohoa_lookup_stop(f->srv);
	start_with_deadline(f, 1000, 3, 1000);
	after = trickle(f, "", "GET /v1/search?q=an HTTP/1.1\r\nHost: x\r\nX-Slow: ");
	if (after < 0.9 || after > 2.5)
		fail_msg("trickled headers: dropped after %.2f s, want about 1 s", after);
	assert_true(asprintf(&head,
			     "GET /v1/search?q=an HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
			     "%s\r\nContent-Length: 1000\r\n\r\n",
			     f->token) > 0);
	after = trickle(f, head, "");
	if (after < 0.9 || after > 2.5)
		fail_msg("trickled body: dropped after %.2f s, want about 1 s", after);
	free(head);
	expect(f, "/v1/citizens/" CITIZEN "/results", f->token, 200, NULL);
}

static void test_rate_limit_answers_429_per_agency(void **state)
{
	fixture *f = *state;
	int limited = 0;
	sohoa_lookup_stop(f->srv);
	start(f, 2, 1); /* 2 requests/s, burst 4 */
	for (int i = 0; i < 8; i++) {
		char *b = NULL;
		long st = get(f, "/v1/search?q=an", f->token, &b);
		if (st == 429) {
			assert_non_null(strstr(b, "\"rate_limited\""));
			limited++;
		}
		free(b);
	}
	assert_true(limited >= 3);
}

static void test_requests_leave_a_verifiable_audit_chain(void **state)
{
	fixture *f = *state;
	expect(f, "/v1/citizens/" CITIZEN "/results", f->token, 200, NULL);
	expect(f, "/v1/dossiers/" CODE, f->revoked, 403, NULL);
	expect(f, "/v1/packages/" CODE "/files/../x", f->token, 400, NULL);
	sohoa_lookup_stop(f->srv);
	f->srv = NULL;
	char *path = tu_path(f->dir, "catalog.sqlite");
	sohoa_index *idx = NULL;
	size_t rows = 0;
	assert_int_equal(sohoa_index_open(&idx, path), 0);
	assert_int_equal(sohoa_index_audit_verify(idx, &rows), 0);
	assert_int_equal(rows, 3);
	sohoa_index_close(idx);
	free(path);
	char *env = NULL;
	assert_true(asprintf(&env, "SOHOA_STORE=%s", f->dir) > 0);
	char *argv[] = {SOHOA_BIN, "audit", "verify", NULL};
	char *envs[] = {env, NULL};
	tu_run_result r = tu_run(argv, envs);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "3"));
	tu_run_free(&r);
	free(env);
}

/* Six clients, each asking 30 times on its own connection. */
typedef struct {
	fixture *f;
	int ok;
} client;

static void *client_main(void *arg)
{
	client *c = arg;
	char url[256], auth[128];
	CURL *h = curl_easy_init();
	struct curl_slist *hdr = NULL;
	FILE *sink = fopen("/dev/null", "w");

	snprintf(url, sizeof url, "http://127.0.0.1:%u/v1/citizens/" CITIZEN "/results",
		 c->f->port);
	snprintf(auth, sizeof auth, "Authorization: Bearer %s", c->f->token);
	hdr = curl_slist_append(hdr, auth);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, sink);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
	for (int i = 0; i < 30; i++) {
		long status = 0;
		if (curl_easy_perform(h) == CURLE_OK &&
		    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK &&
		    status == 200)
			c->ok++;
	}
	fclose(sink);
	curl_slist_free_all(hdr);
	curl_easy_cleanup(h);
	return NULL;
}

static void test_concurrent_requests_each_leave_one_committed_row(void **state)
{
	fixture *f = *state;
	pthread_t t[6];
	client c[6];
	size_t rows = 0;
	sohoa_index *idx = NULL;
	char *path = tu_path(f->dir, "catalog.sqlite");

	for (int i = 0; i < 6; i++) {
		c[i] = (client){.f = f};
		assert_int_equal(pthread_create(&t[i], NULL, client_main, &c[i]), 0);
	}
	for (int i = 0; i < 6; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(c[i].ok, 30);
	}
	/* Every answer was sent after its row was committed: all 180 are there
	 * while the server still runs. */
	assert_int_equal(sohoa_index_open(&idx, path), 0);
	assert_int_equal(sohoa_index_audit_verify(idx, &rows), 0);
	assert_int_equal(rows, 180);
	sohoa_index_close(idx);
	/* Each request had its own id. */
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(
		sqlite3_prepare_v2(db,
				   "SELECT count(DISTINCT request_id), min(length(request_id)),"
				   " max(length(request_id)) FROM audit",
				   -1, &st, NULL),
		SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 180);
	assert_int_equal(sqlite3_column_int(st, 1), 32);
	assert_int_equal(sqlite3_column_int(st, 2), 32);
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(path);
}

static void test_each_answer_follows_the_sync_of_its_audit_row(void **state)
{
	fixture *f = *state;
	char *path = tu_path(f->dir, "catalog.sqlite");
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM audit", -1, &st, NULL),
			 SQLITE_OK);
	for (int i = 0; i < 5; i++) {
		int before = tu_wal_syncs();
		expect(f, "/v1/citizens/" CITIZEN "/results", f->token, 200, NULL);
		/* The log was synced, to the end, after the request came in and
		 * before its answer went out; the row is there. */
		assert_true(tu_wal_syncs() > before);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), i + 1);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	free(path);
}

static void test_request_that_cannot_be_audited_is_refused(void **state)
{
	fixture *f = *state;
	char *path = tu_path(f->dir, "catalog.sqlite");
	sqlite3 *db = NULL;

	expect(f, "/v1/citizens/" CITIZEN "/results", f->token, 200, NULL);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db,
				      "CREATE TRIGGER audit_full BEFORE INSERT ON audit"
				      " BEGIN SELECT RAISE(ABORT, 'full'); END",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	expect(f, "/v1/citizens/" CITIZEN "/results", f->token, 503, "audit_unavailable");
	assert_int_equal(sqlite3_exec(db, "DROP TRIGGER audit_full", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	expect(f, "/v1/citizens/" CITIZEN "/results", f->token, 200, NULL);
	free(path);
}

static void test_agency_commands_add_list_revoke(void **state)
{
	fixture *f = *state;
	char *argv[] = {SOHOA_BIN, "agency", "add", "bo-cong-an", "--store", f->dir, NULL};
	tu_run_result r = tu_run(argv, NULL);
	assert_int_equal(r.status, 0);
	assert_int_equal(strlen(r.out), SOHOA_INDEX_TOKEN_LEN + 1);
	char token[SOHOA_INDEX_TOKEN_LEN + 1];
	memcpy(token, r.out, SOHOA_INDEX_TOKEN_LEN);
	token[SOHOA_INDEX_TOKEN_LEN] = '\0';
	tu_run_free(&r);
	expect(f, "/v1/search?q=an", token, 200, NULL);
	char *list[] = {SOHOA_BIN, "agency", "list", "--store", f->dir, NULL};
	r = tu_run(list, NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "bo-cong-an\t"));
	assert_non_null(strstr(r.out, "\tactive\n"));
	tu_run_free(&r);
	char *revoke[] = {SOHOA_BIN, "agency", "revoke", "bo-cong-an", "--store", f->dir, NULL};
	r = tu_run(revoke, NULL);
	assert_int_equal(r.status, 0);
	tu_run_free(&r);
	expect(f, "/v1/search?q=an", token, 403, NULL); /* at once */
	r = tu_run(revoke, NULL);
	assert_int_equal(r.status, 1);
	assert_int_equal(tu_lines(r.err), 1);
	tu_run_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_endpoint_needs_a_valid_unrevoked_token,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_endpoints_answer_with_the_catalog_and_package,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_connection_is_kept_alive_between_requests,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_package_paths_cannot_leave_the_package, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_oversized_requests_are_refused, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_headers_over_max_request_bytes_are_refused_413,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_slow_client_is_dropped_while_others_are_served,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_trickling_client_is_dropped_at_the_deadline,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_rate_limit_answers_429_per_agency, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_requests_leave_a_verifiable_audit_chain, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_agency_commands_add_list_revoke, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_concurrent_requests_each_leave_one_committed_row, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_answer_follows_the_sync_of_its_audit_row,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_request_that_cannot_be_audited_is_refused,
						setup, teardown),
	};
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	curl_global_cleanup();
	return rc;
}
