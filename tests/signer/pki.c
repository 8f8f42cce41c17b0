/* tests/signer/pki.c: the test PKI and package helpers of pki.h. */
#include "pki.h"

#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "signer/internal.h"

pki tp;

char *pki_file(const char *name, const char *suffix)
{
	char *p = NULL;
	if (asprintf(&p, "%s/%s%s", tp.dir, name, suffix) < 0)
		fail_msg("out of memory");
	return p;
}

static void write_key(const char *name, EVP_PKEY *k)
{
	char *path = pki_file(name, ".key.pem");
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_true(PEM_write_PrivateKey(f, k, NULL, NULL, 0, NULL, NULL));
	fclose(f);
	free(path);
}

static void write_certs(const char *name, const char *suffix, X509 *a, X509 *b)
{
	char *path = pki_file(name, suffix);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_true(PEM_write_X509(f, a));
	if (b)
		assert_true(PEM_write_X509(f, b));
	fclose(f);
	free(path);
}

int pki_setup(void **state)
{
	static const struct {
		const char *name, *key, *ku;
		int from, to, alien;
		long serial;
		const char *eku;
	} leaves[] = {
		{"rsa", "rsa:2048", "digitalSignature,nonRepudiation", -1, 365, 0, 10, NULL},
		{"rsa3072", "rsa:3072", "nonRepudiation", -1, 365, 0, 11, NULL},
		{"p256", "P-256", "digitalSignature", -1, 365, 0, 12, NULL},
		{"p384", "P-384", "digitalSignature,nonRepudiation", -1, 365, 0, 13, NULL},
		{"revoked", "P-256", "digitalSignature", -1, 365, 0, 666, NULL},
		{"expired", "P-256", "digitalSignature", -400, -30, 0, 14, NULL},
		{"future", "P-256", "digitalSignature", 30, 400, 0, 15, NULL},
		{"badku", "P-256", "keyAgreement", -1, 365, 0, 16, NULL},
		{"weak", "rsa:1024", "digitalSignature", -1, 365, 0, 17, NULL},
		{"p192", "P-192", "digitalSignature", -1, 365, 0, 18, NULL},
		{"alien", "P-256", "digitalSignature", -1, 365, 1, 19, NULL},
		{"brief", "P-256", "digitalSignature", -1, 2, 0, 20, NULL},
		{"tsa", "P-256", "critical,digitalSignature", -1, 3650, 0, 30,
		 "critical,timeStamping"},
		{"tsa-alien", "P-256", "critical,digitalSignature", -1, 3650, 1, 31,
		 "critical,timeStamping"},
	};
	EVP_PKEY *rk = signer_demo_key("P-256"), *ck = signer_demo_key("P-256");
	EVP_PKEY *ak = signer_demo_key("P-256");
	X509 *root = signer_demo_issue(rk, "Test Root", "sohoa tests", NULL, NULL, 1, -1000, 3650,
				       "keyCertSign,cRLSign", 1);
	X509 *ca = signer_demo_issue(ck, "Test CA", "sohoa tests", root, rk, 2, -1000, 3650,
				     "keyCertSign,cRLSign", 1);
	X509 *alien = signer_demo_issue(ak, "Other Root", "elsewhere", NULL, NULL, 1, -2, 3650,
					"keyCertSign,cRLSign", 1);
	long revoked = 666;
	X509_CRL *crl = signer_demo_crl(ca, ck, &revoked, 1);
	FILE *f;

	(void)state;
	assert_non_null(crl);
	assert_non_null(alien);
	tp.dir = tu_mkdtemp();
	tp.trust = pki_file("root", ".pem");
	tp.trust_all = pki_file("root-and-ca", ".pem");
	tp.crl = pki_file("crl", ".pem");
	write_certs("root", ".pem", root, NULL);
	write_certs("root-and-ca", ".pem", root, ca);
	write_certs("ca", ".pem", ca, NULL);
	f = fopen(tp.crl, "w");
	assert_non_null(f);
	assert_true(PEM_write_X509_CRL(f, crl));
	fclose(f);
	for (size_t i = 0; i < sizeof leaves / sizeof leaves[0]; i++) {
		EVP_PKEY *k = signer_demo_key(leaves[i].key);
		X509 *iss = leaves[i].alien ? alien : ca;
		X509 *c = signer_demo_issue_eku(k, leaves[i].name, "sohoa tests", iss,
						leaves[i].alien ? ak : ck, leaves[i].serial,
						leaves[i].from, leaves[i].to, leaves[i].ku,
						leaves[i].eku, 0);
		assert_non_null(c);
		write_key(leaves[i].name, k);
		write_certs(leaves[i].name, ".pem", c, iss);
		write_certs(leaves[i].name, ".leaf.pem", c, NULL);
		X509_free(c);
		EVP_PKEY_free(k);
	}
	X509_CRL_free(crl);
	X509_free(root);
	X509_free(ca);
	X509_free(alien);
	EVP_PKEY_free(rk);
	EVP_PKEY_free(ck);
	EVP_PKEY_free(ak);
	return 0;
}

int pki_teardown(void **state)
{
	(void)state;
	tu_rmtree(tp.dir);
	free(tp.dir);
	free(tp.trust);
	free(tp.trust_all);
	free(tp.crl);
	return 0;
}

static const char page[] = "II*\0fake page image bytes";
static const char text[] = "Giấy chứng nhận quyền sử dụng đất\n";

char *pkg_make(const char *dir, const char *name)
{
	char *pkg = tu_path(dir, name), *p, *xml = NULL, hex1[65], hex2[65];
	uint8_t md[32];

	assert_int_equal(sohoa_mkdir_p(pkg), 0);
	p = tu_path(pkg, "pages");
	assert_int_equal(sohoa_mkdir_p(p), 0);
	free(p);
	p = tu_path(pkg, "pages/0001.tif");
	tu_write(p, page, sizeof page);
	free(p);
	p = tu_path(pkg, "docs.txt");
	tu_write(p, text, strlen(text));
	free(p);
	sohoa_sha256(md, page, sizeof page);
	sohoa_hex(hex1, md, 32);
	sohoa_sha256(md, text, strlen(text));
	sohoa_hex(hex2, md, 32);
	assert_true(asprintf(&xml,
			     "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			     "<Package xmlns=\"urn:sohoa:package:1\">\n"
			     "  <Content Id=\"content\">\n"
			     "    <Record>\n"
			     "      <FileCode>000.00.12.H29-231122-0001</FileCode>\n"
			     "      <Title>Giấy chứng nhận quyền sử dụng đất</Title>\n"
			     "      <Organ>UBND huyện Sóc Sơn</Organ>\n"
			     "      <IssueDate>2023-11-22</IssueDate>\n"
			     "      <PageCount>1</PageCount>\n"
			     "      <Language>vi</Language>\n"
			     "    </Record>\n"
			     "    <Files>\n"
			     "      <File Path=\"pages/0001.tif\" MediaType=\"image/tiff\" Size=\"%zu\" "
			     "SHA256=\"%s\"/>\n"
			     "      <File Path=\"docs.txt\" MediaType=\"text/plain\" Size=\"%zu\" "
			     "SHA256=\"%s\"/>\n"
			     "    </Files>\n"
			     "  </Content>\n"
			     "  <Signatures>\n"
			     "  </Signatures>\n"
			     "</Package>\n",
			     sizeof page, hex1, strlen(text), hex2) > 0);
	pkg_write(pkg, xml);
	free(xml);
	return pkg;
}

void pkg_sign(const char *pkg, const char *leaf, sohoa_signer_role role, int legacy_rsa)
{
	char *key = pki_file(leaf, ".key.pem"), *cert = pki_file(leaf, ".pem");
	sohoa_signer_key_options ko = {.cert = cert, .no_prompt = 1};
	sohoa_signer_sign_options so = {.role = role, .legacy_rsa = legacy_rsa};
	sohoa_signer_key *k = NULL;

	if (sohoa_signer_key_open(&k, key, &ko) < 0)
		fail_msg("key %s: %s", leaf, sohoa_error_last());
	if (sohoa_signer_sign_package(pkg, k, &so) < 0)
		fail_msg("sign %s: %s", pkg, sohoa_error_last());
	sohoa_signer_key_free(k);
	free(key);
	free(cert);
}

sohoa_signer_report *pkg_verify_with(const char *pkg, const char *trust, const char *crl)
{
	sohoa_signer_verifier *v = NULL;
	sohoa_signer_report *r = NULL;
	assert_int_equal(sohoa_signer_verifier_new(&v, trust, crl), 0);
	assert_int_equal(sohoa_signer_verify_package(&r, v, pkg), 0);
	assert_non_null(r);
	sohoa_signer_verifier_free(v);
	return r;
}

sohoa_signer_report *pkg_verify(const char *pkg, int crl)
{
	return pkg_verify_with(pkg, tp.trust, crl ? tp.crl : NULL);
}

char *pkg_read(const char *pkg)
{
	char *path = tu_path(pkg, "package.xml"), *data = NULL;
	assert_int_equal(sohoa_file_read(&data, NULL, path, 1 << 24), 0);
	free(path);
	return data;
}

void pkg_write(const char *pkg, const char *xml)
{
	char *path = tu_path(pkg, "package.xml");
	tu_write(path, xml, strlen(xml));
	free(path);
}

void pkg_replace(const char *pkg, const char *from, const char *to)
{
	char *xml = pkg_read(pkg), *at = strstr(xml, from), *out;
	size_t a, b, c;
	if (!at)
		fail_msg("'%s' not in package.xml", from);
	a = (size_t)(at - xml);
	b = strlen(to);
	c = strlen(at + strlen(from));
	out = malloc(a + b + c + 1);
	assert_non_null(out);
	memcpy(out, xml, a);
	memcpy(out + a, to, b);
	memcpy(out + a + b, at + strlen(from), c + 1);
	pkg_write(pkg, out);
	free(out);
	free(xml);
}

void assert_sig(const sohoa_signer_report *r, size_t i, sohoa_signer_indication ind,
		sohoa_signer_subindication sub)
{
	if (i >= r->nsigs)
		fail_msg("%s: %zu signatures, wanted #%zu (error: %s)", r->package, r->nsigs, i,
			 r->error ? r->error : "none");
	if (r->sigs[i].indication != ind || r->sigs[i].sub != sub)
		fail_msg("%s: signature %zu is %s/%s (%s), expected %s/%s", r->package, i,
			 sohoa_signer_indication_name(r->sigs[i].indication),
			 sohoa_signer_subindication_name(r->sigs[i].sub),
			 r->sigs[i].detail ? r->sigs[i].detail : "", sohoa_signer_indication_name(ind),
			 sohoa_signer_subindication_name(sub));
}
