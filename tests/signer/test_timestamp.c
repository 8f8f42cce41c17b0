/* tests/signer/test_timestamp.c: XAdES B-T against a real RFC 3161 timestamp
 * authority (OpenSSL's TS_RESP_CTX on 127.0.0.1, tsa_server.c) — round trip,
 * the timestamp's time used for certificate validity, tampered and untrusted
 * tokens, and an unreachable or misbehaving TSA failing the signing cleanly. */
#include "pki.h"
#include "tsa_server.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "signer/internal.h"

#define PASSED SOHOA_SIGNER_TOTAL_PASSED
#define FAILED SOHOA_SIGNER_TOTAL_FAILED
#define INDET SOHOA_SIGNER_INDETERMINATE

static char *fresh(void **state, const char *name)
{
	return pkg_make(((tu_scratch *)*state)->dir, name);
}

/* Signs `pkg` with `leaf`, asking `url` for a timestamp; the result code. */
static int sign_bt(const char *pkg, const char *leaf, const char *url)
{
	char *key = pki_file(leaf, ".key.pem"), *cert = pki_file(leaf, ".pem");
	sohoa_signer_key_options ko = {.cert = cert, .no_prompt = 1};
	sohoa_signer_sign_options so = {.role = SOHOA_SIGNER_ROLE_LEADER, .tsa_url = url};
	sohoa_signer_key *k = NULL;
	int rc;

	if (sohoa_signer_key_open(&k, key, &ko) < 0)
		fail_msg("key %s: %s", leaf, sohoa_error_last());
	rc = sohoa_signer_sign_package(pkg, k, &so);
	sohoa_signer_key_free(k);
	free(key);
	free(cert);
	return rc;
}

/* Verifies with tp.trust (and tp.crl when `crl`) as at time `at` (0: now). */
static sohoa_signer_report *verify_at(const char *pkg, int crl, time_t at)
{
	sohoa_signer_verifier *v = NULL;
	sohoa_signer_report *r = NULL;
	assert_int_equal(sohoa_signer_verifier_new(&v, tp.trust, crl ? tp.crl : NULL), 0);
	sohoa_signer_verifier_set_time(v, at);
	assert_int_equal(sohoa_signer_verify_package(&r, v, pkg), 0);
	sohoa_signer_verifier_free(v);
	return r;
}

/* The text of the first element `name` of package.xml (caller frees). */
static char *element_text(const char *pkg, const char *name)
{
	char *xml = pkg_read(pkg), open[64], *at, *end, *out;
	snprintf(open, sizeof open, "<%s>", name);
	at = strstr(xml, open);
	assert_non_null(at);
	at += strlen(open);
	end = strchr(at, '<');
	assert_non_null(end);
	out = strndup(at, (size_t)(end - at));
	free(xml);
	return out;
}

static void test_bt_round_trip_passes_with_the_timestamp_reported(void **state)
{
	tsa_server *tsa = tsa_start("tsa");
	char *pkg = fresh(state, "p"), *xml;
	sohoa_signer_report *r;

	assert_int_equal(sign_bt(pkg, "rsa", tsa_url(tsa)), 0);
	assert_int_equal(tsa_requests(tsa), 1);
	xml = pkg_read(pkg);
	assert_non_null(strstr(xml, "<xades:UnsignedProperties><xades:UnsignedSignatureProperties>"
				    "<xades:SignatureTimeStamp Id=\"sig-"));
	assert_non_null(strstr(xml, "<ds:CanonicalizationMethod Algorithm=\"" URI_EXC_C14N
				    "\"/><xades:EncapsulatedTimeStamp>"));
	free(xml);
	r = verify_at(pkg, 1, 0);
	assert_sig(r, 0, PASSED, SOHOA_SIGNER_SUB_NONE);
	assert_true(r->passed);
	assert_non_null(r->sigs[0].timestamp_time);
	sohoa_signer_report_free(r);
	/* a second (B-B) signature leaves the timestamped one valid */
	pkg_sign(pkg, "p256", SOHOA_SIGNER_ROLE_SEAL, 0);
	r = verify_at(pkg, 1, 0);
	assert_int_equal(r->nsigs, 2);
	assert_sig(r, 0, PASSED, SOHOA_SIGNER_SUB_NONE);
	assert_sig(r, 1, PASSED, SOHOA_SIGNER_SUB_NONE);
	assert_null(r->sigs[1].timestamp_time);
	sohoa_signer_report_free(r);
	tsa_stop(tsa);
	free(pkg);
}

/* The token is plain RFC 3161: `openssl ts -verify` accepts it over the
 * exclusive c14n of the ds:SignatureValue, with the test root as anchor. */
static void test_timestamp_token_verifies_with_openssl_ts(void **state)
{
	tsa_server *tsa = tsa_start("tsa");
	char *dir = ((tu_scratch *)*state)->dir, *pkg = fresh(state, "p"), *xmlpath, *tok;
	char *datapath = tu_path(dir, "sv.c14n"), *tokpath = tu_path(dir, "token.der");
	char *ca = pki_file("ca", ".pem");
	unsigned char *c14n = NULL, *der = NULL;
	size_t c14n_len = 0, der_len = 0;
	xmlDocPtr doc;
	xmlNodePtr sv;
	tu_run_result r;

	assert_int_equal(sign_bt(pkg, "p384", tsa_url(tsa)), 0);
	xmlpath = tu_path(pkg, "package.xml");
	doc = xmlReadFile(xmlpath, NULL, XML_PARSE_NONET);
	assert_non_null(doc);
	sv = signer_child(signer_child(signer_child(xmlDocGetRootElement(doc), NS_PKG, "Signatures"),
				       NS_DS, "Signature"),
			  NS_DS, "SignatureValue");
	assert_non_null(sv);
	assert_int_equal(signer_c14n_ex(&c14n, &c14n_len, sv, 0, NULL), 0);
	tu_write(datapath, c14n, c14n_len);
	tok = element_text(pkg, "xades:EncapsulatedTimeStamp");
	assert_int_equal(signer_unb64(&der, &der_len, tok), 0);
	tu_write(tokpath, der, der_len);
	{
		char *argv[] = {OPENSSL_BIN, "ts", "-verify", "-data", datapath, "-in", tokpath,
				"-token_in", "-CAfile", tp.trust, "-untrusted", ca, NULL};
		r = tu_run(argv, NULL);
		if (r.status != 0)
			fail_msg("openssl ts -verify: %s%s", r.out, r.err);
		assert_non_null(strstr(r.out, "Verification: OK"));
		tu_run_free(&r);
	}
	xmlFreeDoc(doc);
	free(c14n);
	free(der);
	free(tok);
	free(xmlpath);
	free(datapath);
	free(tokpath);
	free(ca);
	tsa_stop(tsa);
	free(pkg);
}

static void test_timestamp_time_is_used_for_certificate_validity(void **state)
{
	tsa_server *tsa = tsa_start("tsa");
	char *bt = fresh(state, "bt"), *bb = fresh(state, "bb");
	time_t later = time(NULL) + 10 * 86400; /* "brief" expired 8 days before */
	sohoa_signer_report *r;

	assert_int_equal(sign_bt(bt, "brief", tsa_url(tsa)), 0);
	pkg_sign(bb, "brief", SOHOA_SIGNER_ROLE_LEADER, 0);
	r = verify_at(bt, 0, later); /* valid at the timestamp: passes */
	assert_sig(r, 0, PASSED, SOHOA_SIGNER_SUB_NONE);
	sohoa_signer_report_free(r);
	r = verify_at(bb, 0, later); /* no proof of when it was made */
	assert_sig(r, 0, INDET, SOHOA_SIGNER_OUT_OF_BOUNDS_NO_POE);
	sohoa_signer_report_free(r);
	tsa_stop(tsa);
	free(bt);
	free(bb);
}

/* A timestamp made after the revocation proves nothing in the signer's favour. */
static void test_certificate_revoked_before_the_timestamp_is_revoked(void **state)
{
	tsa_server *tsa = tsa_start("tsa");
	char *pkg = fresh(state, "p");
	sohoa_signer_report *r;

	assert_int_equal(sign_bt(pkg, "revoked", tsa_url(tsa)), 0);
	r = verify_at(pkg, 1, 0);
	assert_sig(r, 0, FAILED, SOHOA_SIGNER_REVOKED);
	sohoa_signer_report_free(r);
	tsa_stop(tsa);
	free(pkg);
}

static void test_tampered_timestamp_is_sig_constraints_failure(void **state)
{
	tsa_server *tsa = tsa_start("tsa");
	char *a = fresh(state, "a"), *b = fresh(state, "b"), *ta, *tb, *flipped;
	unsigned char *der = NULL;
	size_t len = 0;
	sohoa_signer_report *r;

	assert_int_equal(sign_bt(a, "rsa", tsa_url(tsa)), 0);
	assert_int_equal(sign_bt(b, "rsa", tsa_url(tsa)), 0);
	ta = element_text(a, "xades:EncapsulatedTimeStamp");
	tb = element_text(b, "xades:EncapsulatedTimeStamp");
	/* another signature's token: its imprint is not this SignatureValue's */
	pkg_replace(a, ta, tb);
	r = verify_at(a, 0, 0);
	assert_sig(r, 0, INDET, SOHOA_SIGNER_SIG_CONSTRAINTS_FAILURE);
	assert_non_null(strstr(r->sigs[0].detail, "imprint"));
	sohoa_signer_report_free(r);
	/* the TSA's signature (last bytes of the token) bit-flipped */
	assert_int_equal(signer_unb64(&der, &len, tb), 0);
	der[len - 2] ^= 0x01;
	flipped = signer_b64(der, len);
	pkg_replace(b, tb, flipped);
	r = verify_at(b, 0, 0);
	assert_sig(r, 0, INDET, SOHOA_SIGNER_SIG_CONSTRAINTS_FAILURE);
	assert_false(r->passed);
	sohoa_signer_report_free(r);
	/* not a token at all */
	pkg_replace(b, flipped, "AAAA");
	r = verify_at(b, 0, 0);
	assert_sig(r, 0, FAILED, SOHOA_SIGNER_FORMAT_FAILURE);
	sohoa_signer_report_free(r);
	free(der);
	free(flipped);
	free(ta);
	free(tb);
	tsa_stop(tsa);
	free(a);
	free(b);
}

static void test_timestamp_from_untrusted_tsa_is_sig_constraints_failure(void **state)
{
	tsa_server *tsa = tsa_start("tsa-alien");
	char *pkg = fresh(state, "p");
	sohoa_signer_report *r;

	assert_int_equal(sign_bt(pkg, "rsa", tsa_url(tsa)), 0);
	r = verify_at(pkg, 0, 0);
	assert_sig(r, 0, INDET, SOHOA_SIGNER_SIG_CONSTRAINTS_FAILURE);
	assert_non_null(strstr(r->sigs[0].detail, "tsa-alien"));
	sohoa_signer_report_free(r);
	tsa_stop(tsa);
	free(pkg);
}

static void test_timestamp_with_inclusive_c14n_is_format_failure(void **state)
{
	tsa_server *tsa = tsa_start("tsa");
	char *pkg = fresh(state, "p");
	sohoa_signer_report *r;

	assert_int_equal(sign_bt(pkg, "rsa", tsa_url(tsa)), 0);
	pkg_replace(pkg,
		    "<ds:CanonicalizationMethod Algorithm=\"" URI_EXC_C14N
		    "\"/><xades:EncapsulatedTimeStamp>",
		    "<ds:CanonicalizationMethod "
		    "Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>"
		    "<xades:EncapsulatedTimeStamp>");
	r = verify_at(pkg, 0, 0);
	assert_sig(r, 0, FAILED, SOHOA_SIGNER_FORMAT_FAILURE);
	sohoa_signer_report_free(r);
	tsa_stop(tsa);
	free(pkg);
}

static void test_unreachable_tsa_fails_signing_and_writes_nothing(void **state)
{
	tsa_server *tsa = tsa_start("tsa");
	char *pkg = fresh(state, "p"), *before = pkg_read(pkg), *after, *url;

	url = strdup(tsa_url(tsa));
	tsa_stop(tsa); /* nothing listens on the port now */
	assert_true(sign_bt(pkg, "rsa", url) < 0);
	assert_non_null(strstr(sohoa_error_last(), url));
	assert_non_null(strstr(sohoa_error_last(), "timestamp authority"));
	after = pkg_read(pkg);
	assert_string_equal(before, after);
	free(before);
	free(after);
	free(url);
	free(pkg);
}

static void test_tsa_reply_of_another_type_fails_signing(void **state)
{
	tsa_server *tsa = tsa_start("tsa");
	char *pkg = fresh(state, "p"), *before = pkg_read(pkg), *after;

	tsa_set_reply_type(tsa, "text/html");
	assert_int_equal(sign_bt(pkg, "rsa", tsa_url(tsa)), SOHOA_EFORMAT);
	assert_non_null(strstr(sohoa_error_last(), "application/timestamp-reply"));
	after = pkg_read(pkg);
	assert_string_equal(before, after);
	free(before);
	free(after);
	tsa_stop(tsa);
	free(pkg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, tu_scratch_setup, tu_scratch_teardown)
		T(test_bt_round_trip_passes_with_the_timestamp_reported),
		T(test_timestamp_token_verifies_with_openssl_ts),
		T(test_timestamp_time_is_used_for_certificate_validity),
		T(test_certificate_revoked_before_the_timestamp_is_revoked),
		T(test_tampered_timestamp_is_sig_constraints_failure),
		T(test_timestamp_from_untrusted_tsa_is_sig_constraints_failure),
		T(test_timestamp_with_inclusive_c14n_is_format_failure),
		T(test_unreachable_tsa_fails_signing_and_writes_nothing),
		T(test_tsa_reply_of_another_type_fails_signing),
	};
	return cmocka_run_group_tests(tests, pki_setup, pki_teardown);
}
