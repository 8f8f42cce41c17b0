/* tests/lookup/certs.c: the TLS certificates of the lookup tests, made with
 * the real openssl command (see certs.h). */
#include "certs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dir;

/* Runs openssl with the space-separated arguments (no argument holds a space). */
static void openssl(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void openssl(const char *fmt, ...)
{
	char line[2048], shown[2048], *argv[64] = {OPENSSL_BIN}, *save = NULL;
	int n = 1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	memcpy(shown, line, sizeof shown);
	for (char *t = strtok_r(line, " ", &save); t && n < 63; t = strtok_r(NULL, " ", &save))
		argv[n++] = t;
	argv[n] = NULL;
	tu_run_result r = tu_run(argv, NULL);
	if (r.status != 0)
		fail_msg("openssl %s: %s", shown, r.err);
	tu_run_free(&r);
}

static void make_ca(const char *name)
{
	openssl("req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout %s/%s.key "
		"-out %s/%s.pem -days 2 -subj /O=sohoa-tests/CN=%s -addext "
		"basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign",
		dir, name, dir, name, name);
}

static void make_leaf(const char *name, const char *ca, const char *ext, int serial)
{
	openssl("req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout %s/%s.key "
		"-out %s/%s.csr -subj /O=sohoa-tests/CN=%s -addext basicConstraints=CA:FALSE "
		"-addext %s",
		dir, name, dir, name, name, ext);
	openssl("x509 -req -in %s/%s.csr -CA %s/%s.pem -CAkey %s/%s.key -set_serial %d -days 2 "
		"-copy_extensions copyall -out %s/%s.pem",
		dir, name, dir, ca, dir, ca, serial, dir, name);
}

char *certs_make(void)
{
	dir = tu_mkdtemp();
	make_ca("agency-ca");
	make_ca("other-ca");
	make_leaf("server", "agency-ca", "subjectAltName=IP:127.0.0.1,DNS:localhost", 2);
	make_leaf("client", "agency-ca", "extendedKeyUsage=clientAuth", 3);
	make_leaf("alien", "other-ca", "extendedKeyUsage=clientAuth", 4);
	make_leaf("server-only", "agency-ca", "extendedKeyUsage=serverAuth", 5);
	return dir;
}

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
	certs_answer *a = ud;
	size_t room = sizeof a->body - 1 - a->len, k = size * n < room ? size * n : room;
	memcpy(a->body + a->len, p, k);
	a->len += k;
	a->body[a->len] = '\0';
	return size * n;
}

certs_answer certs_get(const char *url, const char *certs, const char *client, const char *token)
{
	CURL *c = curl_easy_init();
	struct curl_slist *h = NULL;
	char auth[256], ca[1024], cert[1024], key[1024];
	certs_answer a = {0};

	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 10L);
	if (certs) {
		snprintf(ca, sizeof ca, "%s/agency-ca.pem", certs);
		curl_easy_setopt(c, CURLOPT_CAINFO, ca);
		curl_easy_setopt(c, CURLOPT_CAPATH, NULL);
	}
	if (certs && client) {
		snprintf(cert, sizeof cert, "%s/%s.pem", certs, client);
		snprintf(key, sizeof key, "%s/%s.key", certs, client);
		curl_easy_setopt(c, CURLOPT_SSLCERT, cert);
		curl_easy_setopt(c, CURLOPT_SSLKEY, key);
	}
	if (token) {
		snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
		h = curl_slist_append(h, auth);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	}
	a.rc = curl_easy_perform(c);
	if (a.rc == CURLE_OK)
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.status);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return a;
}
