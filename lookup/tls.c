/* lookup/tls.c: TLS for the lookup server — the certificate, key and client
 * CA files read and checked before libmicrohttpd (GnuTLS) gets them, and the
 * check of each client's certificate. */
#include "lookup/internal.h"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdlib.h>
#include <string.h>

#define TLS_FILE_MAX (1024 * 1024)

static gnutls_datum_t datum(const char *pem)
{
	gnutls_datum_t d = {.data = (unsigned char *)pem, .size = (unsigned)strlen(pem)};
	return d;
}

/* Reads `path` (what: "certificate", "key"…) into *out. */
static int read_pem(char **out, const char *path, const char *what)
{
	int rc = sohoa_file_read(out, NULL, path, TLS_FILE_MAX);
	if (rc < 0)
		sohoa_error_prefix(_("TLS %s: "), what);
	return rc;
}

/* Number of certificates in the PEM text, or a negative GnuTLS error. */
static int count_certs(const char *pem)
{
	gnutls_datum_t d = datum(pem);
	gnutls_x509_crt_t *list = NULL;
	unsigned n = 0;
	int rc = gnutls_x509_crt_list_import2(&list, &n, &d, GNUTLS_X509_FMT_PEM, 0);
	for (unsigned i = 0; i < n; i++)
		gnutls_x509_crt_deinit(list[i]);
	gnutls_free(list);
	return rc < 0 ? rc : (int)n;
}

static int check_key(const char *pem, const char *path)
{
	gnutls_datum_t d = datum(pem);
	gnutls_x509_privkey_t key = NULL;
	int rc = gnutls_x509_privkey_init(&key);
	if (rc == 0)
		rc = gnutls_x509_privkey_import2(key, &d, GNUTLS_X509_FMT_PEM, NULL, 0);
	gnutls_x509_privkey_deinit(key);
	if (rc < 0)
		return sohoa_error_set(SOHOA_ECRYPTO,
				       _("%s: not an unencrypted PEM private key (%s)"), path,
				       gnutls_strerror(rc));
	return 0;
}

/* The key must be the certificate's: GnuTLS compares them when both are set. */
static int check_pair(const lookup_tls *t, const sohoa_lookup_options *opt)
{
	gnutls_certificate_credentials_t cred = NULL;
	gnutls_datum_t c = datum(t->cert), k = datum(t->key);
	int rc = gnutls_certificate_allocate_credentials(&cred);
	if (rc == 0)
		rc = gnutls_certificate_set_x509_key_mem2(cred, &c, &k, GNUTLS_X509_FMT_PEM, NULL,
							  0);
	gnutls_certificate_free_credentials(cred);
	if (rc == GNUTLS_E_CERTIFICATE_KEY_MISMATCH)
		return sohoa_error_set(SOHOA_ECRYPTO, _("%s: not the key of the certificate in %s"),
				       opt->tls_key, opt->tls_cert);
	if (rc < 0)
		return sohoa_error_set(SOHOA_ECRYPTO, _("%s with %s: %s"), opt->tls_cert,
				       opt->tls_key, gnutls_strerror(rc));
	return 0;
}

int lookup_tls_load(lookup_tls *t, const sohoa_lookup_options *opt)
{
	int rc = 0, n;

	memset(t, 0, sizeof *t);
	if (!opt->tls_cert && !opt->tls_key && !opt->client_ca)
		return 0;
	if (!opt->tls_cert || !opt->tls_key)
		return sohoa_error_set(SOHOA_EINVAL,
				       opt->client_ca && !opt->tls_cert && !opt->tls_key
					       ? _("a client CA needs TLS: give the server "
						   "certificate and key too")
					       : _("TLS needs both a certificate and its key"));
	if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
		return sohoa_error_set(SOHOA_EUNSUPPORTED,
				       _("this libmicrohttpd was built without TLS"));
	if ((rc = read_pem(&t->cert, opt->tls_cert, _("certificate"))) < 0 ||
	    (rc = read_pem(&t->key, opt->tls_key, _("key"))) < 0 ||
	    (opt->client_ca && (rc = read_pem(&t->client_ca, opt->client_ca, _("client CA"))) < 0))
		goto cleanup;
	if ((n = count_certs(t->cert)) <= 0) {
		rc = sohoa_error_set(SOHOA_ECRYPTO, _("%s: no PEM certificate in it"),
				     opt->tls_cert);
		goto cleanup;
	}
	if ((rc = check_key(t->key, opt->tls_key)) < 0 || (rc = check_pair(t, opt)) < 0)
		goto cleanup;
	if (t->client_ca && (n = count_certs(t->client_ca)) <= 0)
		rc = sohoa_error_set(SOHOA_ECRYPTO, _("%s: no PEM CA certificate in it"),
				     opt->client_ca);
cleanup:
	if (rc < 0)
		lookup_tls_free(t);
	return rc;
}

void lookup_tls_free(lookup_tls *t)
{
	free(t->cert);
	if (t->key)
		explicit_bzero(t->key, strlen(t->key));
	free(t->key);
	free(t->client_ca);
	memset(t, 0, sizeof *t);
}

/* The subject of the peer's first certificate into `who`. */
static void peer_subject(char *who, size_t cap, const gnutls_datum_t *der)
{
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t dn = {0};
	snprintf(who, cap, "?");
	if (gnutls_x509_crt_init(&crt) == 0 &&
	    gnutls_x509_crt_import(crt, der, GNUTLS_X509_FMT_DER) == 0 &&
	    gnutls_x509_crt_get_dn3(crt, &dn, 0) == 0)
		snprintf(who, cap, "%.*s", (int)dn.size, (const char *)dn.data);
	gnutls_free(dn.data);
	gnutls_x509_crt_deinit(crt);
}

int lookup_tls_check_peer(char *who, size_t cap, struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_GNUTLS_SESSION);
	gnutls_session_t session = ci ? (gnutls_session_t)ci->tls_session : NULL;
	gnutls_typed_vdata_st purpose = {.type = GNUTLS_DT_KEY_PURPOSE_OID,
					 .data = (unsigned char *)GNUTLS_KP_TLS_WWW_CLIENT};
	const gnutls_datum_t *peers;
	gnutls_datum_t text = {0};
	unsigned n = 0, status = 0;
	int rc;

	snprintf(who, cap, "-");
	if (!session)
		return sohoa_error_set(SOHOA_EAUTH, _("no TLS session"));
	if (gnutls_certificate_type_get(session) != GNUTLS_CRT_X509 ||
	    !(peers = gnutls_certificate_get_peers(session, &n)) || n == 0)
		return sohoa_error_set(SOHOA_EAUTH, _("a client certificate is required"));
	peer_subject(who, cap, &peers[0]);
	rc = gnutls_certificate_verify_peers(session, &purpose, 1, &status);
	if (rc < 0)
		return sohoa_error_set(SOHOA_EAUTH, _("client certificate %s: %s"), who,
				       gnutls_strerror(rc));
	if (status == 0)
		return 0;
	rc = gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &text, 0);
	while (rc == 0 && text.size > 0 && text.data[text.size - 1] == ' ')
		text.data[--text.size] = '\0';
	sohoa_error_set(SOHOA_EAUTH, _("client certificate %s not accepted: %s"), who,
			rc == 0 ? (const char *)text.data : _("not trusted"));
	gnutls_free(text.data);
	return SOHOA_EAUTH;
}
