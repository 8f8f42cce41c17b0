/* tests/signer/test_interop.c: xmlsec1 as the independent peer, both ways —
 * it verifies the XMLDSig core of sohoa's PKCS#1 v1.5 and ECDSA signatures, and
 * sohoa verifies XAdES signatures whose crypto xmlsec1 made from a template.
 * Templates also give the signatures sohoa refuses to make (SHA-1, RSA-1024,
 * signing time outside the certificate, wrong key usage). */
#include "pki.h"
#include "tsa_server.h"

#include <openssl/pem.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "signer/internal.h"

#define PASSED SOHOA_SIGNER_TOTAL_PASSED
#define FAILED SOHOA_SIGNER_TOTAL_FAILED
#define INDET SOHOA_SIGNER_INDETERMINATE
#define EXC "http://www.w3.org/2001/10/xml-exc-c14n#"
#define MORE "http://www.w3.org/2001/04/xmldsig-more#"
#define SHA256 "http://www.w3.org/2001/04/xmlenc#sha256"
#define SHA1 "http://www.w3.org/2000/09/xmldsig#sha1"

static int have_xmlsec1(void)
{
	return access(XMLSEC1, X_OK) == 0;
}

static tu_run_result xmlsec_verify(const char *pkg)
{
	char *xml = tu_path(pkg, "package.xml"), *ca = pki_file("ca", ".pem");
	char *argv[] = {XMLSEC1,     "--verify",  "--id-attr:Id", "Content", "--id-attr:Id",
			"SignedProperties", "--trusted-pem", tp.trust, "--untrusted-pem", ca,
			xml,         NULL};
	tu_run_result r = tu_run(argv, NULL);
	free(xml);
	free(ca);
	return r;
}

static char *b64_of(X509 *cert, int issuer_serial)
{
	unsigned char md[EVP_MAX_MD_SIZE], *der = NULL;
	unsigned int mdlen = 0;
	size_t len = 0;
	char *out;
	if (issuer_serial) {
		assert_int_equal(signer_issuer_serial_der(&der, &len, cert), 0);
		out = signer_b64(der, len);
		OPENSSL_free(der);
		return out;
	}
	assert_int_equal(signer_cert_digest(md, &mdlen, cert, "SHA256"), 0);
	return signer_b64(md, mdlen);
}

/* Has xmlsec1 sign `pkg` from a XAdES template built here: the XMLDSig core
 * (references, signature value, certificate) is xmlsec1's. */
static void xmlsec_sign(const char *pkg, const char *leaf, const char *method, const char *digest,
			time_t when)
{
	char *leafpem = pki_file(leaf, ".leaf.pem"), *key = pki_file(leaf, ".key.pem");
	char *keyarg = NULL, *sig = NULL, *xml = pkg_read(pkg), *tmpl = NULL, *tmplpath = NULL;
	char *out = tu_path(pkg, "package.xml"), *at, *cd, *is, t[32];
	FILE *f = fopen(leafpem, "r");
	X509 *cert;
	tu_run_result r;

	assert_non_null(f);
	cert = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(cert);
	cd = b64_of(cert, 0);
	is = b64_of(cert, 1);
	signer_format_time(t, when);
	assert_true(asprintf(
		&sig,
		"<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"xs-1\">"
		"<ds:SignedInfo><ds:CanonicalizationMethod Algorithm=\"" EXC "\"/>"
		"<ds:SignatureMethod Algorithm=\"%s\"/>"
		"<ds:Reference Id=\"xs-1-ref\" URI=\"#content\"><ds:Transforms>"
		"<ds:Transform Algorithm=\"" EXC "\"/></ds:Transforms>"
		"<ds:DigestMethod Algorithm=\"%s\"/><ds:DigestValue/></ds:Reference>"
		"<ds:Reference Type=\"http://uri.etsi.org/01903#SignedProperties\" URI=\"#xs-1-sp\">"
		"<ds:Transforms><ds:Transform Algorithm=\"" EXC "\"/></ds:Transforms>"
		"<ds:DigestMethod Algorithm=\"%s\"/><ds:DigestValue/></ds:Reference>"
		"</ds:SignedInfo><ds:SignatureValue/>"
		"<ds:KeyInfo><ds:X509Data><ds:X509Certificate/></ds:X509Data></ds:KeyInfo>"
		"<ds:Object><xades:QualifyingProperties "
		"xmlns:xades=\"http://uri.etsi.org/01903/v1.3.2#\" Target=\"#xs-1\">"
		"<xades:SignedProperties Id=\"xs-1-sp\"><xades:SignedSignatureProperties>"
		"<xades:SigningTime>%s</xades:SigningTime>"
		"<xades:SigningCertificateV2><xades:Cert><xades:CertDigest>"
		"<ds:DigestMethod Algorithm=\"" SHA256 "\"/><ds:DigestValue>%s</ds:DigestValue>"
		"</xades:CertDigest><xades:IssuerSerialV2>%s</xades:IssuerSerialV2></xades:Cert>"
		"</xades:SigningCertificateV2><xades:SignerRoleV2><xades:ClaimedRoles>"
		"<xades:ClaimedRole>leader</xades:ClaimedRole></xades:ClaimedRoles>"
		"</xades:SignerRoleV2></xades:SignedSignatureProperties>"
		"<xades:SignedDataObjectProperties><xades:DataObjectFormat "
		"ObjectReference=\"#xs-1-ref\"><xades:MimeType>text/xml</xades:MimeType>"
		"</xades:DataObjectFormat></xades:SignedDataObjectProperties>"
		"</xades:SignedProperties></xades:QualifyingProperties></ds:Object></ds:Signature>",
		method, digest, digest, t, cd, is) > 0);
	at = strstr(xml, "<Signatures>");
	assert_non_null(at);
	at += strlen("<Signatures>");
	assert_true(asprintf(&tmpl, "%.*s%s%s", (int)(at - xml), xml, sig, at) > 0);
	assert_true(asprintf(&tmplpath, "%s.template.xml", pkg) > 0);
	tu_write(tmplpath, tmpl, strlen(tmpl));
	assert_true(asprintf(&keyarg, "%s,%s", key, leafpem) > 0);
	{
		char *argv[] = {XMLSEC1,   "--sign",       "--privkey-pem",    keyarg,
				"--id-attr:Id", "Content", "--id-attr:Id", "SignedProperties",
				"--output", out,           tmplpath,       NULL};
		r = tu_run(argv, NULL);
	}
	if (r.status != 0)
		fail_msg("xmlsec1 --sign: %s", r.err);
	tu_run_free(&r);
	X509_free(cert);
	free(cd);
	free(is);
	free(sig);
	free(tmpl);
	free(tmplpath);
	free(keyarg);
	free(xml);
	free(out);
	free(leafpem);
	free(key);
}

static void test_xmlsec1_verifies_sohoa_pkcs1_and_ecdsa_signatures(void **state)
{
	static const struct {
		const char *leaf;
		int legacy;
	} cases[] = {{"rsa", 1}, {"rsa3072", 1}, {"p256", 0}, {"p384", 0}};
	if (!have_xmlsec1())
		skip();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *pkg = pkg_make(((tu_scratch *)*state)->dir, cases[i].leaf);
		tu_run_result r;
		pkg_sign(pkg, cases[i].leaf, SOHOA_SIGNER_ROLE_LEADER, cases[i].legacy);
		r = xmlsec_verify(pkg);
		if (r.status != 0)
			fail_msg("xmlsec1 refused sohoa's %s signature: %s", cases[i].leaf, r.err);
		tu_run_free(&r);
		/* and the oracle does check: altered content fails there too */
		pkg_replace(pkg, "UBND huyện", "UBND tỉnh");
		r = xmlsec_verify(pkg);
		assert_int_not_equal(r.status, 0);
		tu_run_free(&r);
		free(pkg);
	}
}

/* The B-T unsigned properties (SignatureTimeStamp) leave the XMLDSig core as
 * xmlsec1 sees it intact. */
static void test_xmlsec1_verifies_sohoa_bt_signature(void **state)
{
	char *pkg = pkg_make(((tu_scratch *)*state)->dir, "bt"), *xml;
	char *key = pki_file("p256", ".key.pem"), *cert = pki_file("p256", ".pem");
	sohoa_signer_key_options ko = {.cert = cert, .no_prompt = 1};
	sohoa_signer_sign_options so = {.role = SOHOA_SIGNER_ROLE_LEADER};
	sohoa_signer_key *k = NULL;
	tsa_server *tsa;
	tu_run_result r;

	if (!have_xmlsec1())
		skip();
	tsa = tsa_start("tsa");
	so.tsa_url = tsa_url(tsa);
	assert_int_equal(sohoa_signer_key_open(&k, key, &ko), 0);
	assert_int_equal(sohoa_signer_sign_package(pkg, k, &so), 0);
	xml = pkg_read(pkg);
	assert_non_null(strstr(xml, "xades:SignatureTimeStamp"));
	r = xmlsec_verify(pkg);
	if (r.status != 0)
		fail_msg("xmlsec1 refused sohoa's B-T signature: %s", r.err);
	tu_run_free(&r);
	sohoa_signer_key_free(k);
	tsa_stop(tsa);
	free(xml);
	free(key);
	free(cert);
	free(pkg);
}

static void expect(void **state, const char *leaf, const char *method, const char *digest,
		   time_t when, sohoa_signer_indication ind, sohoa_signer_subindication sub)
{
	char *pkg = pkg_make(((tu_scratch *)*state)->dir, leaf);
	sohoa_signer_report *r;
	xmlsec_sign(pkg, leaf, method, digest, when);
	r = pkg_verify_with(pkg, tp.trust_all, tp.crl);
	assert_sig(r, 0, ind, sub);
	assert_int_equal(r->passed, ind == PASSED);
	sohoa_signer_report_free(r);
	tu_rmtree(pkg);
	free(pkg);
}

static void test_sohoa_verifies_xmlsec1_signatures(void **state)
{
	if (!have_xmlsec1())
		skip();
	expect(state, "rsa", MORE "rsa-sha256", SHA256, time(NULL), PASSED, SOHOA_SIGNER_SUB_NONE);
	expect(state, "p256", MORE "ecdsa-sha256", SHA256, time(NULL), PASSED,
	       SOHOA_SIGNER_SUB_NONE);
	expect(state, "p384", MORE "ecdsa-sha384", SHA256, time(NULL), PASSED,
	       SOHOA_SIGNER_SUB_NONE);
	/* xmlsec1's signature on a revoked certificate is still revoked */
	expect(state, "revoked", MORE "ecdsa-sha256", SHA256, time(NULL), FAILED,
	       SOHOA_SIGNER_REVOKED);
}

static void test_sha1_and_rsa1024_are_crypto_constraints_failures(void **state)
{
	if (!have_xmlsec1())
		skip();
	expect(state, "rsa", "http://www.w3.org/2000/09/xmldsig#rsa-sha1", SHA1, time(NULL), INDET,
	       SOHOA_SIGNER_CRYPTO_CONSTRAINTS_FAILURE_NO_POE);
	expect(state, "rsa", MORE "rsa-sha256", SHA1, time(NULL), INDET,
	       SOHOA_SIGNER_CRYPTO_CONSTRAINTS_FAILURE_NO_POE);
	expect(state, "weak", MORE "rsa-sha256", SHA256, time(NULL), INDET,
	       SOHOA_SIGNER_CRYPTO_CONSTRAINTS_FAILURE_NO_POE);
}

static void test_signing_time_outside_certificate_validity(void **state)
{
	time_t now = time(NULL);
	if (!have_xmlsec1())
		skip();
	expect(state, "expired", MORE "ecdsa-sha256", SHA256, now, FAILED, SOHOA_SIGNER_EXPIRED);
	expect(state, "future", MORE "ecdsa-sha256", SHA256, now, FAILED,
	       SOHOA_SIGNER_NOT_YET_VALID);
	/* made while valid, expired since, no timestamp to prove when */
	expect(state, "expired", MORE "ecdsa-sha256", SHA256, now - 100 * 86400, INDET,
	       SOHOA_SIGNER_OUT_OF_BOUNDS_NO_POE);
}

static void test_wrong_key_usage_is_chain_constraints_failure(void **state)
{
	if (!have_xmlsec1())
		skip();
	expect(state, "badku", MORE "ecdsa-sha256", SHA256, time(NULL), INDET,
	       SOHOA_SIGNER_CHAIN_CONSTRAINTS_FAILURE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, tu_scratch_setup, tu_scratch_teardown)
		T(test_xmlsec1_verifies_sohoa_pkcs1_and_ecdsa_signatures),
		T(test_xmlsec1_verifies_sohoa_bt_signature),
		T(test_sohoa_verifies_xmlsec1_signatures),
		T(test_sha1_and_rsa1024_are_crypto_constraints_failures),
		T(test_signing_time_outside_certificate_validity),
		T(test_wrong_key_usage_is_chain_constraints_failure),
	};
	return cmocka_run_group_tests(tests, pki_setup, pki_teardown);
}
