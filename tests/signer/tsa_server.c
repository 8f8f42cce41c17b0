/* tests/signer/tsa_server.c: the test timestamp authority of tsa_server.h. One
 * request per connection: read the HTTP headers and the Content-Length body,
 * answer TS_RESP_create_response's reply, close. */
#include "tsa_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ts.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pki.h"

struct tsa_server {
	int fd;
	pthread_t thread;
	atomic_int stop, requests;
	char url[64];
	char type[64];
	TS_RESP_CTX *ctx;
	pthread_mutex_t lock; /* type */
};

static void write_all(int fd, const void *data, size_t len)
{
	const char *p = data;
	while (len > 0) {
		ssize_t k = write(fd, p, len);
		if (k <= 0)
			return;
		p += k;
		len -= (size_t)k;
	}
}

/* Content-Length of the header block `h` (NUL-terminated), or -1. */
static long content_length(const char *h)
{
	for (const char *line = h; line && *line; line = strstr(line, "\r\n")) {
		if (line[0] == '\r')
			line += 2;
		if (strncasecmp(line, "Content-Length:", 15) == 0)
			return strtol(line + 15, NULL, 10);
		if (line[0] == '\r' || !strstr(line, "\r\n"))
			break;
	}
	return -1;
}

static void serve(tsa_server *t, int c)
{
	static char buf[65536];
	char head[256], type[64];
	size_t n = 0, hlen = 0;
	long clen = -1;
	unsigned char *der = NULL;
	TS_RESP *resp = NULL;
	BIO *in;
	int len;

	while (n < sizeof buf - 1) {
		ssize_t k = read(c, buf + n, sizeof buf - 1 - n);
		char *end;
		if (k <= 0)
			return;
		n += (size_t)k;
		buf[n] = '\0';
		if (!hlen && (end = strstr(buf, "\r\n\r\n"))) {
			*end = '\0';
			clen = content_length(buf);
			hlen = (size_t)(end - buf) + 4;
		}
		if (hlen && clen >= 0 && n >= hlen + (size_t)clen)
			break;
	}
	if (!hlen || clen < 0)
		return;
	in = BIO_new_mem_buf(buf + hlen, (int)clen);
	resp = in ? TS_RESP_create_response(t->ctx, in) : NULL;
	len = resp ? i2d_TS_RESP(resp, &der) : -1;
	pthread_mutex_lock(&t->lock);
	snprintf(type, sizeof type, "%s", t->type);
	pthread_mutex_unlock(&t->lock);
	if (len > 0) {
		snprintf(head, sizeof head,
			 "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\n"
			 "Connection: close\r\n\r\n",
			 type, len);
		write_all(c, head, strlen(head));
		write_all(c, der, (size_t)len);
		atomic_fetch_add(&t->requests, 1);
	} else {
		const char *err = "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n"
				  "Connection: close\r\n\r\n";
		write_all(c, err, strlen(err));
	}
	OPENSSL_free(der);
	TS_RESP_free(resp);
	BIO_free(in);
	ERR_clear_error();
}

static void *run(void *arg)
{
	tsa_server *t = arg;
	while (!atomic_load(&t->stop)) {
		struct pollfd p = {.fd = t->fd, .events = POLLIN};
		int c;
		if (poll(&p, 1, 50) <= 0)
			continue;
		c = accept(t->fd, NULL, NULL);
		if (c < 0)
			continue;
		serve(t, c);
		close(c);
	}
	return NULL;
}

static TS_RESP_CTX *make_ctx(const char *kp, const char *cp)
{
	FILE *kf = fopen(kp, "r"), *cf = fopen(cp, "r");
	EVP_PKEY *key = kf ? PEM_read_PrivateKey(kf, NULL, NULL, NULL) : NULL;
	X509 *cert = cf ? PEM_read_X509(cf, NULL, NULL, NULL) : NULL;
	X509 *ca = cf ? PEM_read_X509(cf, NULL, NULL, NULL) : NULL;
	STACK_OF(X509) *chain = sk_X509_new_null();
	ASN1_OBJECT *policy = OBJ_txt2obj("1.3.6.1.4.1.99999.3161.1", 1);
	TS_RESP_CTX *ctx = TS_RESP_CTX_new();

	assert_non_null(key);
	assert_non_null(cert);
	assert_non_null(ca);
	assert_true(ctx && chain && policy && sk_X509_push(chain, ca));
	if (!TS_RESP_CTX_set_signer_cert(ctx, cert))
		fail_msg("TSA certificate %s refused by OpenSSL (needs EKU timeStamping)", cp);
	assert_true(TS_RESP_CTX_set_signer_key(ctx, key) && TS_RESP_CTX_set_certs(ctx, chain) &&
		    TS_RESP_CTX_set_def_policy(ctx, policy) &&
		    TS_RESP_CTX_add_md(ctx, EVP_sha256()) && TS_RESP_CTX_add_md(ctx, EVP_sha384()) &&
		    TS_RESP_CTX_set_signer_digest(ctx, EVP_sha256()) &&
		    TS_RESP_CTX_set_ess_cert_id_digest(ctx, EVP_sha256()) &&
		    TS_RESP_CTX_set_accuracy(ctx, 1, 0, 0));
	ASN1_OBJECT_free(policy);
	sk_X509_pop_free(chain, X509_free);
	X509_free(cert);
	EVP_PKEY_free(key);
	fclose(kf);
	fclose(cf);
	return ctx;
}

tsa_server *tsa_start(const char *leaf)
{
	char *kp = pki_file(leaf, ".key.pem"), *cp = pki_file(leaf, ".pem");
	tsa_server *t = tsa_start_files(kp, cp);
	free(kp);
	free(cp);
	return t;
}

tsa_server *tsa_start_files(const char *key_pem, const char *cert_pem)
{
	tsa_server *t = calloc(1, sizeof *t);
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t alen = sizeof a;

	assert_non_null(t);
	t->ctx = make_ctx(key_pem, cert_pem);
	snprintf(t->type, sizeof t->type, "application/timestamp-reply");
	assert_int_equal(pthread_mutex_init(&t->lock, NULL), 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	t->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(t->fd >= 0);
	assert_int_equal(bind(t->fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(t->fd, 16), 0);
	assert_int_equal(getsockname(t->fd, (struct sockaddr *)&a, &alen), 0);
	snprintf(t->url, sizeof t->url, "http://127.0.0.1:%u/tsa", ntohs(a.sin_port));
	assert_int_equal(pthread_create(&t->thread, NULL, run, t), 0);
	/* a proxy from the environment must not take the loopback requests */
	setenv("no_proxy", "127.0.0.1,localhost", 1);
	setenv("NO_PROXY", "127.0.0.1,localhost", 1);
	return t;
}

const char *tsa_url(const tsa_server *t)
{
	return t->url;
}

void tsa_set_reply_type(tsa_server *t, const char *type)
{
	pthread_mutex_lock(&t->lock);
	snprintf(t->type, sizeof t->type, "%s", type);
	pthread_mutex_unlock(&t->lock);
}

int tsa_requests(tsa_server *t)
{
	return atomic_load(&t->requests);
}

void tsa_stop(tsa_server *t)
{
	if (!t)
		return;
	atomic_store(&t->stop, 1);
	pthread_join(t->thread, NULL);
	close(t->fd);
	TS_RESP_CTX_free(t->ctx);
	pthread_mutex_destroy(&t->lock);
	free(t);
}
