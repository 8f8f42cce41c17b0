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
