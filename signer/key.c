/* signer/key.c: key sources behind one handle — PEM key + certificate (+ chain)
 * and PKCS#12 — with passwords from env:VAR, file:PATH or a /dev/tty prompt with
 * echo off, and the checks every signing key must pass before it is used. */
#include "signer/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define MAX_KEY_FILE (1u << 20)


void sohoa_signer_pass_free(char *pass)
{
	if (pass) {
		OPENSSL_cleanse(pass, strlen(pass));
		free(pass);
	}
}

static int prompt_tty(char **out, const char *prompt)
{
	struct termios old, quiet;
	char buf[1024];
	size_t n = 0;
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return sohoa_error_set(SOHOA_EAUTH,
				       _("%s: a password is needed and there is no terminal to ask "
					 "for it (use --pass env:VAR or --pass file:PATH)"),
				       prompt);
	if (tcgetattr(fd, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
		quiet.c_lflag |= ICANON;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	if (write(fd, prompt, strlen(prompt)) < 0 || write(fd, ": ", 2) < 0)
		rc = sohoa_error_from_errno(errno, "/dev/tty");
	while (rc == 0 && n < sizeof buf - 1) {
		ssize_t got = read(fd, buf + n, 1);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0 || buf[n] == '\n')
			break;
		n++;
	}
	buf[n] = '\0';
	tcsetattr(fd, TCSAFLUSH, &old);
	if (write(fd, "\n", 1) < 0) {
		/* the newline is cosmetic */
	}
	close(fd);
	if (rc == 0 && !(*out = strdup(buf)))
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	OPENSSL_cleanse(buf, sizeof buf);
	return rc;
}

int sohoa_signer_pass_read(char **out, const char *source, const char *prompt, int no_prompt)
{
	*out = NULL;
	if (!source) {
		if (no_prompt)
			return sohoa_error_set(SOHOA_EAUTH,
					       _("%s: a password is needed (use --pass env:VAR or "
						 "--pass file:PATH)"),
					       prompt);
		return prompt_tty(out, prompt);
	}
	if (strncmp(source, "env:", 4) == 0) {
		const char *v = getenv(source + 4);
		if (!v)
			return sohoa_error_set(SOHOA_ENOTFOUND,
					       _("--pass %s: environment variable %s is not set"),
					       source, source + 4);
		*out = strdup(v);
	} else if (strncmp(source, "file:", 5) == 0) {
		char *data = NULL;
		int rc = sohoa_file_read(&data, NULL, source + 5, 4096);
		if (rc < 0)
			return sohoa_error_prefix("--pass: ");
		data[strcspn(data, "\r\n")] = '\0';
		*out = data;
	} else {
		return sohoa_error_set(SOHOA_EINVAL,
				       _("--pass %s: expected env:VAR or file:PATH (a password on "
					 "the command line would be visible to other users)"),
				       source);
	}
	return *out ? 0 : sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
}

/* The password of one key file, asked for at most once. */
typedef struct {
	const sohoa_signer_key_options *opt;
	const char *name;
	char *pass;
	int asked, rc;
} pass_state;

static const char *get_pass(pass_state *ps)
{
	if (!ps->asked) {
		char prompt[512];
		ps->asked = 1;
		snprintf(prompt, sizeof prompt, _("Password for %s"), ps->name);
		ps->rc = sohoa_signer_pass_read(&ps->pass, ps->opt ? ps->opt->pass : NULL, prompt,
						ps->opt && ps->opt->no_prompt);
	}
	return ps->pass;
}

static int pem_pass_cb(char *buf, int size, int rwflag, void *u)
{
	const char *p = get_pass(u);
	size_t len;
	(void)rwflag;
	if (!p)
		return -1;
	len = strlen(p);
	if (len > (size_t)size)
		return -1;
	memcpy(buf, p, len);
	return (int)len;
}

/* Appends every certificate of PEM `bio` to `certs`; returns how many. */
static int read_certs(STACK_OF(X509) *certs, BIO *bio)
{
	X509 *c;
	int n = 0;
	while ((c = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
		if (!sk_X509_push(certs, c)) {
			X509_free(c);
			break;
		}
		n++;
	}
	ERR_clear_error();
	return n;
}

static int read_cert_file(STACK_OF(X509) *certs, const char *path, const char *what)
{
	char *data = NULL;
	size_t len = 0;
	BIO *bio;
	int rc = sohoa_file_read(&data, &len, path, MAX_KEY_FILE), n;

	if (rc < 0)
		return sohoa_error_prefix("%s: ", what);
	bio = BIO_new_mem_buf(data, (int)len);
	n = bio ? read_certs(certs, bio) : 0;
	BIO_free(bio);
	free(data);
	if (n == 0)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s %s: no PEM certificate in it"), what,
				       path);
	return 0;
}

static int load_pem(sohoa_signer_key *k, const char *path, const char *data, size_t len,
		    const sohoa_signer_key_options *opt, pass_state *ps)
{
	BIO *bio = BIO_new_mem_buf(data, (int)len);
	STACK_OF(X509) *certs = sk_X509_new_null();
	int rc = 0;

	if (!bio || !certs) {
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		goto cleanup;
	}
	k->pkey = PEM_read_bio_PrivateKey(bio, NULL, pem_pass_cb, ps);
	ERR_clear_error();
	if (!k->pkey) {
		if (ps->asked && ps->rc < 0)
			rc = ps->rc;
		else if (ps->asked)
			rc = sohoa_error_set(SOHOA_EAUTH, _("%s: wrong password"), path);
		else
			rc = sohoa_error_set(SOHOA_EFORMAT, _("%s: no PEM private key in it"), path);
		goto cleanup;
	}
	/* A PEM file may also carry the certificate (and chain) after the key. */
	BIO_free(bio);
	bio = BIO_new_mem_buf(data, (int)len);
	if (bio)
		read_certs(certs, bio);
	if (opt && opt->cert) {
		while (sk_X509_num(certs) > 0)
			X509_free(sk_X509_pop(certs));
		if ((rc = read_cert_file(certs, opt->cert, "--cert")) < 0)
			goto cleanup;
	}
	if (sk_X509_num(certs) == 0) {
		rc = sohoa_error_set(SOHOA_EINVAL,
				     _("%s: no certificate for this key (give --cert FILE)"), path);
		goto cleanup;
	}
	k->cert = sk_X509_shift(certs);
	k->chain = certs;
	certs = NULL;
cleanup:
	BIO_free(bio);
	sk_X509_pop_free(certs, X509_free);
	return rc;
}

static int load_p12(sohoa_signer_key *k, const char *path, const char *data, size_t len,
		    pass_state *ps)
{
	const unsigned char *p = (const unsigned char *)data;
	PKCS12 *p12 = d2i_PKCS12(NULL, &p, (long)len);
	const char *pass = NULL;
	int rc = 0;

	ERR_clear_error();
	if (!p12)
		return sohoa_error_set(SOHOA_EFORMAT,
				       _("%s: neither a PEM private key nor a PKCS#12 file"), path);
	if (PKCS12_verify_mac(p12, "", 0) == 1)
		pass = "";
	else if (PKCS12_verify_mac(p12, NULL, 0) != 1) {
		pass = get_pass(ps);
		if (!pass) {
			rc = ps->rc;
			goto cleanup;
		}
		if (PKCS12_verify_mac(p12, pass, -1) != 1) {
			rc = sohoa_error_set(SOHOA_EAUTH, _("%s: wrong password"), path);
			goto cleanup;
		}
	}
	if (PKCS12_parse(p12, pass, &k->pkey, &k->cert, &k->chain) != 1 || !k->pkey) {
		rc = sohoa_error_set(SOHOA_EFORMAT,
				     _("%s: cannot read the PKCS#12 content (legacy encryption?)"),
				     path);
		goto cleanup;
	}
	if (!k->cert)
		rc = sohoa_error_set(SOHOA_EFORMAT, _("%s: no certificate in the PKCS#12 file"),
				     path);
cleanup:
	ERR_clear_error();
	PKCS12_free(p12);
	return rc;
}

/* A token key; its certificate from --cert (then its chain) or the token. */
static int load_token(sohoa_signer_key *k, const char *uri, const sohoa_signer_key_options *opt)
{
	STACK_OF(X509) *certs = NULL;
	int rc = signer_pkcs11_open(k, uri, opt);

	if (rc < 0)
		return rc;
	if (opt && opt->cert) {
		if (!(certs = sk_X509_new_null()))
			return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		if ((rc = read_cert_file(certs, opt->cert, "--cert")) < 0) {
			sk_X509_pop_free(certs, X509_free);
			return rc;
		}
		X509_free(k->cert);
		k->cert = sk_X509_shift(certs);
		k->chain = certs;
	}
	if (!k->cert)
		return sohoa_error_set(SOHOA_EINVAL,
				       _("%s: no certificate for this key on the token (give --cert "
					 "FILE)"),
				       uri);
	return 0;
}

/* The profile's checks on a loaded key and its certificate. */
static int check_key(sohoa_signer_key *k, const char *path)
{
	uint32_t ku;
	int rc = signer_key_policy(k->pkey, path);

	if (rc < 0)
		return rc;
	if (X509_check_private_key(k->cert, k->pkey) != 1) {
		ERR_clear_error();
		return sohoa_error_set(SOHOA_ECRYPTO,
				       _("%s: the certificate (%s) does not belong to this key"),
				       path, k->subject ? k->subject : "?");
	}
	ku = X509_get_key_usage(k->cert);
	if (ku != UINT32_MAX && !(ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)))
		return sohoa_error_set(SOHOA_ECRYPTO,
				       _("%s: the certificate (%s) does not allow signing (key "
					 "usage lacks digitalSignature and nonRepudiation)"),
				       path, k->subject ? k->subject : "?");
	return signer_key_policy(X509_get0_pubkey(k->cert), path);
}

int sohoa_signer_key_open(sohoa_signer_key **out, const char *key,
			  const sohoa_signer_key_options *opt)
{
	sohoa_signer_key *k = calloc(1, sizeof *k);
	pass_state ps = {opt, key, NULL, 0, 0};
	char *data = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	if (!k)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	if (opt && opt->pass && strncmp(opt->pass, "env:", 4) && strncmp(opt->pass, "file:", 5)) {
		rc = sohoa_error_set(SOHOA_EINVAL,
				     _("--pass %s: expected env:VAR or file:PATH (a password on "
				       "the command line would be visible to other users)"),
				     opt->pass);
		goto cleanup;
	}
	if (strncmp(key, "pkcs11:", 7) == 0) {
		rc = load_token(k, key, opt);
	} else {
		rc = sohoa_file_read(&data, &len, key, MAX_KEY_FILE);
		if (rc == 0 && strstr(data, "-----BEGIN"))
			rc = load_pem(k, key, data, len, opt, &ps);
		else if (rc == 0)
			rc = load_p12(k, key, data, len, &ps);
	}
	if (rc < 0)
		goto cleanup;
	if (!k->chain)
		k->chain = sk_X509_new_null();
	if (opt && opt->chain && (rc = read_cert_file(k->chain, opt->chain, "--chain")) < 0)
		goto cleanup;
	k->subject = signer_subject(k->cert);
	rc = check_key(k, key);
cleanup:
	sohoa_signer_pass_free(ps.pass);
	if (data)
		OPENSSL_cleanse(data, len);
	free(data);
	if (rc < 0)
		sohoa_signer_key_free(k);
	else
		*out = k;
	return rc;
}

void sohoa_signer_key_free(sohoa_signer_key *k)
{
	if (!k)
		return;
	EVP_PKEY_free(k->pkey);
	signer_pkcs11_close(k); /* after the key that lives on the token */
	X509_free(k->cert);
	sk_X509_pop_free(k->chain, X509_free);
	free(k->subject);
	free(k);
}

const char *sohoa_signer_key_subject(const sohoa_signer_key *k)
{
	return k && k->subject ? k->subject : "";
}

EVP_PKEY *signer_key_pkey(const sohoa_signer_key *k)
{
	return k->pkey;
}

X509 *signer_key_cert(const sohoa_signer_key *k)
{
	return k->cert;
}

STACK_OF(X509) *signer_key_chain(const sohoa_signer_key *k)
{
	return k->chain;
}
