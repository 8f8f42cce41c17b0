/* tests/signer/test_sign_verify.c: signing with real OpenSSL keys and verifying
 * — round trips for every algorithm, several signatures on one package, and
 * every tamper or attack rejected with the right ETSI sub-indication. */
#include "pki.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PASSED SOHOA_SIGNER_TOTAL_PASSED
#define FAILED SOHOA_SIGNER_TOTAL_FAILED
#define INDET SOHOA_SIGNER_INDETERMINATE

static char *fresh(void **state, const char *name)
{
	return pkg_make(((tu_scratch *)*state)->dir, name);
}

static void round_trip(void **state, const char *leaf, int legacy, const char *alg)
{
	char *pkg = fresh(state, "p");
	sohoa_signer_report *r;

	pkg_sign(pkg, leaf, SOHOA_SIGNER_ROLE_LEADER, legacy);
	r = pkg_verify(pkg, 1);
	assert_sig(r, 0, PASSED, SOHOA_SIGNER_SUB_NONE);
	assert_true(r->passed);
	assert_int_equal(r->nsigs, 1);
	assert_string_equal(r->sigs[0].algorithm, alg);
	assert_string_equal(r->sigs[0].role, "leader");
	assert_non_null(strstr(r->sigs[0].signer, leaf));
	assert_int_equal(r->nfiles, 2);
	assert_int_equal(r->nproblems, 0);
	assert_true(r->revocation_checked);
	/* what is reported as signed is the package's Content element */
	assert_non_null(r->content);
	assert_string_equal((const char *)r->content->name, "Content");
	sohoa_signer_report_free(r);
	free(pkg);
}

static void test_rsa_pss_round_trip_passes(void **state)
{
	round_trip(state, "rsa", 0, "rsa-pss-sha256");
}

static void test_rsa3072_pss_round_trip_passes(void **state)
{
	round_trip(state, "rsa3072", 0, "rsa-pss-sha256");
}

static void test_ecdsa_p256_round_trip_passes(void **state)
{
	round_trip(state, "p256", 0, "ecdsa-sha256");
}

static void test_ecdsa_p384_round_trip_passes(void **state)
{
	round_trip(state, "p384", 0, "ecdsa-sha384");
}

static void test_legacy_rsa_pkcs1_round_trip_passes(void **state)
{
	round_trip(state, "rsa", 1, "rsa-sha256");
}

/* Cuts the i-th ds:Signature out of package.xml. */
static void remove_signature(const char *pkg, int i)
{
	char *xml = pkg_read(pkg), *at = xml, *end;
	for (int k = 0; k <= i; k++) {
		at = strstr(k ? at + 1 : at, "<ds:Signature ");
		assert_non_null(at);
	}
	end = strstr(at, "</ds:Signature>");
	assert_non_null(end);
	end += strlen("</ds:Signature>");
	memmove(at, end, strlen(end) + 1);
	pkg_write(pkg, xml);
	free(xml);
}

static void test_seal_and_two_leaders_verify_and_survive_removal_of_any(void **state)
{
	char *pkg = fresh(state, "p"), *signed_xml;
	sohoa_signer_report *r;

	pkg_sign(pkg, "rsa", SOHOA_SIGNER_ROLE_SEAL, 0);
	r = pkg_verify(pkg, 1);
	assert_true(r->passed);
	sohoa_signer_report_free(r);
	pkg_sign(pkg, "p256", SOHOA_SIGNER_ROLE_LEADER, 0);
	pkg_sign(pkg, "p384", SOHOA_SIGNER_ROLE_LEADER, 0);
	r = pkg_verify(pkg, 1);
	assert_int_equal(r->nsigs, 3);
	for (size_t i = 0; i < 3; i++)
		assert_sig(r, i, PASSED, SOHOA_SIGNER_SUB_NONE);
	assert_string_equal(r->sigs[0].role, "seal");
	assert_string_equal(r->sigs[1].role, "leader");
	assert_true(r->passed);
	sohoa_signer_report_free(r);
	signed_xml = pkg_read(pkg);
	for (int i = 0; i < 3; i++) {
		pkg_write(pkg, signed_xml);
		remove_signature(pkg, i);
		r = pkg_verify(pkg, 1);
		assert_int_equal(r->nsigs, 2);
		assert_true(r->passed);
		sohoa_signer_report_free(r);
	}
	free(signed_xml);
	free(pkg);
}

static void test_changed_content_text_is_hash_failure(void **state)
{
	char *pkg = fresh(state, "p");
	sohoa_signer_report *r;
	pkg_sign(pkg, "p256", SOHOA_SIGNER_ROLE_LEADER, 0);
	pkg_replace(pkg, "UBND huyện Sóc Sơn", "UBND huyện Đông Anh");
	r = pkg_verify(pkg, 0);
	assert_sig(r, 0, FAILED, SOHOA_SIGNER_HASH_FAILURE);
	assert_false(r->passed);
	sohoa_signer_report_free(r);
	free(pkg);
}

static void test_changed_signed_property_is_hash_failure(void **state)
{
	char *pkg = fresh(state, "p");
	sohoa_signer_report *r;
	pkg_sign(pkg, "p256", SOHOA_SIGNER_ROLE_LEADER, 0);
	pkg_replace(pkg, "<xades:ClaimedRole>leader<", "<xades:ClaimedRole>seal<");
	r = pkg_verify(pkg, 0);
	assert_sig(r, 0, FAILED, SOHOA_SIGNER_HASH_FAILURE);
	sohoa_signer_report_free(r);
	free(pkg);
}

/* Replaces the SignatureValue text through `edit`. */
static void edit_value(const char *pkg, void (*edit)(char *value, size_t len))
{
	char *xml = pkg_read(pkg), *v = strstr(xml, "-value\">"), *end;
	assert_non_null(v);
	v += strlen("-value\">");
	end = strchr(v, '<');
	edit(v, (size_t)(end - v));
	pkg_write(pkg, xml);
	free(xml);
}

static void flip(char *v, size_t len)
{
	v[len / 2] = v[len / 2] == 'A' ? 'B' : 'A';
}

static void truncate8(char *v, size_t len)
{
	memmove(v + len - 8, v + len, strlen(v + len) + 1);
}

static void test_bit_flipped_or_truncated_signature_value_is_sig_crypto_failure(void **state)
{
	static const char *const leaves[] = {"rsa", "p256"};
	for (int i = 0; i < 2; i++) {
		for (int k = 0; k < 2; k++) {
			char *pkg = fresh(state, k ? "t" : "f");
			sohoa_signer_report *r;
			pkg_sign(pkg, leaves[i], SOHOA_SIGNER_ROLE_LEADER, 0);
			edit_value(pkg, k ? truncate8 : flip);
			r = pkg_verify(pkg, 0);
			assert_sig(r, 0, FAILED, SOHOA_SIGNER_SIG_CRYPTO_FAILURE);
			sohoa_signer_report_free(r);
			tu_rmtree(pkg);
			free(pkg);
		}
	}
}

static void test_revoked_certificate_is_revoked(void **state)
{
	char *pkg = fresh(state, "p");
	sohoa_signer_report *r;
	pkg_sign(pkg, "revoked", SOHOA_SIGNER_ROLE_LEADER, 0);
	r = pkg_verify(pkg, 1);
	assert_sig(r, 0, FAILED, SOHOA_SIGNER_REVOKED);
	sohoa_signer_report_free(r);
	r = pkg_verify(pkg, 0); /* without --crl, revocation is not checked, and said so */
	assert_sig(r, 0, PASSED, SOHOA_SIGNER_SUB_NONE);
	assert_false(r->revocation_checked);
	sohoa_signer_report_free(r);
	free(pkg);
}

static void test_certificate_from_untrusted_ca_has_no_chain(void **state)
{
	char *pkg = fresh(state, "p");
	sohoa_signer_report *r;
	pkg_sign(pkg, "alien", SOHOA_SIGNER_ROLE_LEADER, 0);
	r = pkg_verify(pkg, 0);
	assert_sig(r, 0, INDET, SOHOA_SIGNER_NO_CERTIFICATE_CHAIN_FOUND);
	sohoa_signer_report_free(r);
	r = pkg_verify_with(pkg, NULL, NULL); /* no --trust at all */
	assert_sig(r, 0, INDET, SOHOA_SIGNER_NO_CERTIFICATE_CHAIN_FOUND);
	sohoa_signer_report_free(r);
	free(pkg);
}

/* One verifier for many packages remembers decoded certificates and verified
 * chains; every package still gets the verdict a fresh verifier gives. */
static void test_verifier_reused_across_packages_gives_the_same_verdicts(void **state)
{
	const char *leaves[] = {"rsa", "revoked", "alien", "p256", "rsa", "revoked", "alien"};
	const sohoa_signer_subindication want[] = {
		SOHOA_SIGNER_SUB_NONE, SOHOA_SIGNER_REVOKED, SOHOA_SIGNER_NO_CERTIFICATE_CHAIN_FOUND,
		SOHOA_SIGNER_SUB_NONE, SOHOA_SIGNER_SUB_NONE, SOHOA_SIGNER_REVOKED,
		SOHOA_SIGNER_NO_CERTIFICATE_CHAIN_FOUND};
	sohoa_signer_verifier *v = NULL;
	char name[16];

	assert_int_equal(sohoa_signer_verifier_new(&v, tp.trust, tp.crl), 0);
	for (int round = 0; round < 2; round++)
		for (size_t i = 0; i < sizeof leaves / sizeof *leaves; i++) {
			sohoa_signer_report *r = NULL;
			char *pkg;
			snprintf(name, sizeof name, "p%d-%zu", round, i);
			pkg = fresh(state, name);
			pkg_sign(pkg, leaves[i], SOHOA_SIGNER_ROLE_LEADER, 0);
			assert_int_equal(sohoa_signer_verify_package(&r, v, pkg), 0);
			assert_sig(r, 0,
				   want[i] == SOHOA_SIGNER_SUB_NONE	      ? PASSED
				   : want[i] == SOHOA_SIGNER_REVOKED ? FAILED
								     : INDET,
				   want[i]);
			sohoa_signer_report_free(r);
			free(pkg);
		}
	sohoa_signer_verifier_free(v);
}

typedef struct {
	int calls[8];
	int rcs[8];
} batch_log;

static void batch_done(size_t i, int rc, void *user)
{
	batch_log *l = user;
	l->calls[i]++;
	l->rcs[i] = rc;
}

/* Batch signing commits in groups: every package is reported once, a bad one
 * fails alone and is left as it was, one given twice gets two valid
 * signatures. */
static void test_batch_signing_reports_each_package_once_and_signs_duplicates_twice(void **state)
{
	char *a = fresh(state, "a"), *b = fresh(state, "b"), *bad = fresh(state, "bad"), *before;
	char *key = pki_file("p256", ".key.pem"), *cert = pki_file("p256", ".pem");
	const char *pkgs[] = {a, bad, b, a};
	sohoa_signer_key_options ko = {.cert = cert, .no_prompt = 1};
	sohoa_signer_key *k = NULL;
	batch_log log = {{0}, {0}};
	sohoa_signer_report *r;

	pkg_write(bad, "<Package xmlns=\"urn:sohoa:package:1\"/>");
	before = pkg_read(bad);
	assert_int_equal(sohoa_signer_key_open(&k, key, &ko), 0);
	assert_int_equal(sohoa_signer_sign_packages(pkgs, 4, k, NULL, batch_done, &log),
			 SOHOA_EFORMAT);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(log.calls[i], 1);
		assert_int_equal(log.rcs[i], i == 1 ? SOHOA_EFORMAT : 0);
	}
	r = pkg_verify(a, 1);
	assert_int_equal(r->nsigs, 2);
	assert_true(r->passed);
	sohoa_signer_report_free(r);
	r = pkg_verify(b, 1);
	assert_int_equal(r->nsigs, 1);
	assert_true(r->passed);
	sohoa_signer_report_free(r);
	{
		char *after = pkg_read(bad);
		assert_string_equal(before, after);
		free(after);
	}
	sohoa_signer_key_free(k);
	free(before);
	free(key);
	free(cert);
	free(a);
	free(b);
	free(bad);
}

typedef struct {
	int calls[400];
	int rcs[400];
	pthread_t thread[400];
} big_log;

static void big_done(size_t i, int rc, void *user)
{
	big_log *l = user;
	l->calls[i]++;
	l->rcs[i] = rc;
	l->thread[i] = pthread_self();
}

/* More packages than a commit group and than the signers may run ahead, on
 * 1, 2 and 3 signing threads: each reported once, from the calling thread;
 * a package given three times gets three signatures, a bad one fails alone. */
static void test_batch_signing_with_threads_over_many_groups(void **state)
{
	enum { N = 300, DISTINCT = 290 };
	char *key = pki_file("p256", ".key.pem"), *cert = pki_file("p256", ".pem");
	sohoa_signer_key_options ko = {.cert = cert, .no_prompt = 1};
	sohoa_signer_key *k = NULL;
	char *names[DISTINCT];
	const char *pkgs[N];
	big_log *log = calloc(1, sizeof *log);

	assert_non_null(log);
	assert_int_equal(sohoa_signer_key_open(&k, key, &ko), 0);
	for (int jobs = 1; jobs <= 3; jobs++) {
		sohoa_signer_sign_options so = {.role = SOHOA_SIGNER_ROLE_SEAL, .jobs = jobs};
		char name[32];
		memset(log, 0, sizeof *log);
		for (int i = 0; i < DISTINCT; i++) {
			snprintf(name, sizeof name, "j%d-%03d", jobs, i);
			names[i] = fresh(state, name);
			pkgs[i] = names[i];
		}
		pkg_write(names[7], "<Package xmlns=\"urn:sohoa:package:1\"/>");
		for (int i = DISTINCT; i < N; i++) /* 0 three times, 1..8 twice */
			pkgs[i] = names[i < DISTINCT + 2 ? 0 : i - DISTINCT - 1];
		assert_int_equal(sohoa_signer_sign_packages(pkgs, N, k, &so, big_done, log),
				 SOHOA_EFORMAT);
		for (int i = 0; i < N; i++) {
			int bad = pkgs[i] == names[7];
			assert_int_equal(log->calls[i], 1);
			assert_int_equal(log->rcs[i], bad ? SOHOA_EFORMAT : 0);
			assert_true(pthread_equal(log->thread[i], pthread_self()));
		}
		for (int i = 0; i < DISTINCT; i += i < 10 ? 1 : 37) {
			sohoa_signer_report *r = pkg_verify(names[i], 1);
			size_t want = i == 0 ? 3 : i <= 8 ? 2 : 1;
			if (i == 7) {
				sohoa_signer_report_free(r);
				continue;
			}
			assert_int_equal(r->nsigs, want);
			assert_true(r->passed);
			sohoa_signer_report_free(r);
		}
		for (int i = 0; i < DISTINCT; i++)
			free(names[i]);
	}
	sohoa_signer_key_free(k);
	free(log);
	free(key);
	free(cert);
}

static void expect_format_failure(void **state, const char *from, const char *to)
{
	char *pkg = fresh(state, "p");
	sohoa_signer_report *r;
	pkg_sign(pkg, "p256", SOHOA_SIGNER_ROLE_LEADER, 0);
	pkg_replace(pkg, from, to);
	r = pkg_verify(pkg, 0);
	assert_sig(r, 0, FAILED, SOHOA_SIGNER_FORMAT_FAILURE);
	assert_false(r->passed);
	sohoa_signer_report_free(r);
	tu_rmtree(pkg);
	free(pkg);
}

static void test_duplicate_id_is_format_failure(void **state)
{
	expect_format_failure(state, "</Signatures>", "</Signatures><Note Id=\"content\"/>");
	expect_format_failure(state, "<Record>", "<Record ID=\"content\">");
	expect_format_failure(state, "<Record>", "<Record xml:id=\"content\">");
}

static void test_id_on_another_element_is_format_failure(void **state)
{
	/* an id attribute of another spelling with the referenced value */
	expect_format_failure(state, "<Title>", "<Title id=\"content\">");
}

static void test_wrapped_content_is_format_failure(void **state)
{
	/* the signed Content moved aside, a forged one in its place */
	char *pkg = fresh(state, "p");
	sohoa_signer_report *r;
	pkg_sign(pkg, "p256", SOHOA_SIGNER_ROLE_LEADER, 0);
	pkg_replace(pkg, "</Content>", "</Content></Moved>");
	pkg_replace(pkg, "<Content Id=\"content\">",
		    "<Content><Title>Forged</Title></Content><Moved><Content Id=\"content\">");
	r = pkg_verify(pkg, 0);
	assert_sig(r, 0, FAILED, SOHOA_SIGNER_FORMAT_FAILURE);
	assert_null(r->content); /* nothing is reported as signed */
	sohoa_signer_report_free(r);
	free(pkg);
}

static void test_wrapped_content_in_object_is_format_failure(void **state)
{
	/* The original Content moved into a ds:Object of the signature, a
	 * forged Content (without Id) at its place in Package. */
	char *pkg = fresh(state, "p"), *xml, *c0, *c1, *obj, *out = NULL, *content;
	sohoa_signer_report *r;

	pkg_sign(pkg, "p256", SOHOA_SIGNER_ROLE_LEADER, 0);
	xml = pkg_read(pkg);
	c0 = strstr(xml, "<Content Id=\"content\">");
	c1 = strstr(xml, "</Content>") + strlen("</Content>");
	content = strndup(c0, (size_t)(c1 - c0));
	obj = strstr(xml, "</ds:Signature>");
	*c0 = '\0';
	*obj = '\0';
	assert_true(asprintf(&out, "%s<Content><Title>Forged</Title></Content>%s<ds:Object>%s"
				   "</ds:Object></ds:Signature>%s",
			     xml, c1, content, obj + strlen("</ds:Signature>")) > 0);
	pkg_write(pkg, out);
	r = pkg_verify(pkg, 0);
	assert_sig(r, 0, FAILED, SOHOA_SIGNER_FORMAT_FAILURE);
	sohoa_signer_report_free(r);
	free(out);
	free(content);
	free(xml);
	free(pkg);
}

static void test_xpath_and_xslt_transforms_are_format_failure(void **state)
{
	expect_format_failure(
		state, "<ds:Transforms><ds:Transform",
		"<ds:Transforms><ds:Transform "
		"Algorithm=\"http://www.w3.org/TR/1999/REC-xpath-19991116\"><ds:XPath>1</ds:XPath>"
		"</ds:Transform><ds:Transform");
	expect_format_failure(state, "<ds:Transforms><ds:Transform",
			      "<ds:Transforms><ds:Transform "
			      "Algorithm=\"http://www.w3.org/TR/1999/REC-xslt-19991116\"/>"
			      "<ds:Transform");
	expect_format_failure(state, "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/2001/10/xml-exc-c14n#\"/>",
			      "<ds:CanonicalizationMethod "
			      "Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>");
}

static void test_external_and_empty_references_are_format_failure(void **state)
{
	expect_format_failure(state, "URI=\"#content\"", "URI=\"http://example.org/c.xml\"");
	expect_format_failure(state, "URI=\"#content\"", "URI=\"\"");
	expect_format_failure(state, "URI=\"#content\"", "URI=\"#xpointer(/)\"");
	expect_format_failure(state, "<ds:X509Data>",
			      "<ds:RetrievalMethod URI=\"http://example.org/k\"/><ds:X509Data>");
}

static void test_reference_to_other_element_is_format_failure(void **state)
{
	/* a reference may name only #content or the signature's own properties */
	char *pkg = fresh(state, "p");
	sohoa_signer_report *r;
	pkg_sign(pkg, "p256", SOHOA_SIGNER_ROLE_LEADER, 0);
	pkg_replace(pkg, "<Record>", "<Record Id=\"rec\">");
	pkg_replace(pkg, "URI=\"#content\"", "URI=\"#rec\"");
	r = pkg_verify(pkg, 0);
	assert_sig(r, 0, FAILED, SOHOA_SIGNER_FORMAT_FAILURE);
	assert_non_null(strstr(r->sigs[0].detail, "only the package's Content"));
	sohoa_signer_report_free(r);
	free(pkg);
}

static void test_doctype_is_refused(void **state)
{
	char *pkg = fresh(state, "p");
	sohoa_signer_report *r;
	pkg_sign(pkg, "p256", SOHOA_SIGNER_ROLE_LEADER, 0);
	pkg_replace(pkg, "<Package", "<!DOCTYPE Package [<!ENTITY x \"y\">]>\n<Package");
	r = pkg_verify(pkg, 0);
	assert_false(r->passed);
	assert_non_null(r->error);
	assert_non_null(strstr(r->error, "DOCTYPE"));
	sohoa_signer_report_free(r);
	free(pkg);
}

static char *cert_base64(const char *leaf)
{
	char *path = pki_file(leaf, ".leaf.pem"), *pem = NULL, *out, *o;
	assert_int_equal(sohoa_file_read(&pem, NULL, path, 1 << 20), 0);
	out = o = calloc(1, strlen(pem));
	for (char *line = strtok(pem, "\n"); line; line = strtok(NULL, "\n"))
		if (strncmp(line, "-----", 5)) {
			strcpy(o, line);
			o += strlen(line);
		}
	free(pem);
	free(path);
	return out;
}

static void test_swapped_certificate_is_rejected(void **state)
{
	char *pkg = fresh(state, "p"), *mine = cert_base64("p256"), *other = cert_base64("revoked");
	sohoa_signer_report *r;
	pkg_sign(pkg, "p256", SOHOA_SIGNER_ROLE_LEADER, 0);
	pkg_replace(pkg, mine, other);
	r = pkg_verify(pkg, 0);
	assert_sig(r, 0, FAILED, SOHOA_SIGNER_SIG_CRYPTO_FAILURE);
	sohoa_signer_report_free(r);
	free(mine);
	free(other);
	free(pkg);
}

static void test_changed_removed_and_extra_files_fail_the_package(void **state)
{
	static const char *const expect[] = {"docs.txt: changed", "pages/0001.tif: missing",
					     "extra.pdf: extra file", "docs.txt: changed"};
	for (int k = 0; k < 4; k++) {
		char *pkg = fresh(state, "p"), *p;
		sohoa_signer_report *r;
		pkg_sign(pkg, "p256", SOHOA_SIGNER_ROLE_LEADER, 0);
		if (k == 0) {
			p = tu_path(pkg, "docs.txt");
			tu_write(p, "Giấy chứng nhận quyền sử dụng đất?\n",
				 strlen("Giấy chứng nhận quyền sử dụng đất?\n"));
		} else if (k == 1) {
			p = tu_path(pkg, "pages/0001.tif");
			remove(p);
		} else if (k == 2) {
			p = tu_path(pkg, "extra.pdf");
			tu_write(p, "%PDF", 4);
		} else { /* same size, one byte changed */
			p = tu_path(pkg, "docs.txt");
			tu_write(p, "Giấy chứng nhận quyền sử dụng đấT\n",
				 strlen("Giấy chứng nhận quyền sử dụng đấT\n"));
		}
		free(p);
		r = pkg_verify(pkg, 0);
		assert_sig(r, 0, PASSED, SOHOA_SIGNER_SUB_NONE);
		assert_false(r->passed);
		assert_int_equal(r->nproblems, 1);
		if (!strstr(r->file_problems[0], expect[k]))
			fail_msg("case %d: %s", k, r->file_problems[0]);
		sohoa_signer_report_free(r);
		tu_rmtree(pkg);
		free(pkg);
	}
}

static void test_package_without_signature_does_not_pass(void **state)
{
	char *pkg = fresh(state, "p");
	sohoa_signer_report *r = pkg_verify(pkg, 0);
	assert_false(r->passed);
	assert_int_equal(r->nsigs, 0);
	assert_non_null(r->error);
	sohoa_signer_report_free(r);
	free(pkg);
}

static void test_weak_keys_are_refused_with_the_file_named(void **state)
{
	static const char *const leaves[] = {"weak", "p192"};
	(void)state;
	for (int i = 0; i < 2; i++) {
		char *key = pki_file(leaves[i], ".key.pem"), *cert = pki_file(leaves[i], ".pem");
		sohoa_signer_key_options ko = {.cert = cert, .no_prompt = 1};
		sohoa_signer_key *k = NULL;
		assert_int_equal(sohoa_signer_key_open(&k, key, &ko), SOHOA_ECRYPTO);
		assert_null(k);
		assert_non_null(strstr(sohoa_error_last(), key));
		assert_non_null(strstr(sohoa_error_last(), i ? "curve" : "1024 bits"));
		free(key);
		free(cert);
	}
}

static void test_key_with_wrong_usage_or_other_certificate_is_refused(void **state)
{
	char *key = pki_file("badku", ".key.pem"), *cert = pki_file("badku", ".pem");
	char *key2 = pki_file("p256", ".key.pem");
	sohoa_signer_key_options ko = {.cert = cert, .no_prompt = 1};
	sohoa_signer_key *k = NULL;
	(void)state;
	assert_int_equal(sohoa_signer_key_open(&k, key, &ko), SOHOA_ECRYPTO);
	assert_non_null(strstr(sohoa_error_last(), "key usage"));
	assert_int_equal(sohoa_signer_key_open(&k, key2, &ko), SOHOA_ECRYPTO);
	assert_non_null(strstr(sohoa_error_last(), "does not belong"));
	free(key);
	free(key2);
	free(cert);
}

static void test_expired_certificate_cannot_sign(void **state)
{
	char *pkg = fresh(state, "p"), *key = pki_file("expired", ".key.pem");
	char *cert = pki_file("expired", ".pem");
	sohoa_signer_key_options ko = {.cert = cert, .no_prompt = 1};
	sohoa_signer_key *k = NULL;
	assert_int_equal(sohoa_signer_key_open(&k, key, &ko), 0);
	assert_int_equal(sohoa_signer_sign_package(pkg, k, NULL), SOHOA_ECRYPTO);
	assert_non_null(strstr(sohoa_error_last(), "not valid at the signing time"));
	sohoa_signer_key_free(k);
	free(key);
	free(cert);
	free(pkg);
}

static void test_signing_leaves_earlier_bytes_of_content_unchanged(void **state)
{
	char *pkg = fresh(state, "p"), *before = pkg_read(pkg), *after;
	char *c0, *c1;
	pkg_sign(pkg, "rsa", SOHOA_SIGNER_ROLE_SEAL, 0);
	after = pkg_read(pkg);
	c0 = strstr(before, "<Content");
	c1 = strstr(before, "</Content>");
	assert_non_null(strstr(after, strndupa(c0, (size_t)(c1 - c0))));
	free(before);
	free(after);
	free(pkg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, tu_scratch_setup, tu_scratch_teardown)
		T(test_rsa_pss_round_trip_passes),
		T(test_rsa3072_pss_round_trip_passes),
		T(test_ecdsa_p256_round_trip_passes),
		T(test_ecdsa_p384_round_trip_passes),
		T(test_legacy_rsa_pkcs1_round_trip_passes),
		T(test_seal_and_two_leaders_verify_and_survive_removal_of_any),
		T(test_changed_content_text_is_hash_failure),
		T(test_changed_signed_property_is_hash_failure),
		T(test_bit_flipped_or_truncated_signature_value_is_sig_crypto_failure),
		T(test_revoked_certificate_is_revoked),
		T(test_certificate_from_untrusted_ca_has_no_chain),
		T(test_verifier_reused_across_packages_gives_the_same_verdicts),
		T(test_batch_signing_reports_each_package_once_and_signs_duplicates_twice),
		T(test_batch_signing_with_threads_over_many_groups),
		T(test_duplicate_id_is_format_failure),
		T(test_id_on_another_element_is_format_failure),
		T(test_wrapped_content_is_format_failure),
		T(test_wrapped_content_in_object_is_format_failure),
		T(test_xpath_and_xslt_transforms_are_format_failure),
		T(test_external_and_empty_references_are_format_failure),
		T(test_reference_to_other_element_is_format_failure),
		T(test_doctype_is_refused),
		T(test_swapped_certificate_is_rejected),
		T(test_changed_removed_and_extra_files_fail_the_package),
		T(test_package_without_signature_does_not_pass),
		T(test_weak_keys_are_refused_with_the_file_named),
		T(test_key_with_wrong_usage_or_other_certificate_is_refused),
		T(test_expired_certificate_cannot_sign),
		T(test_signing_leaves_earlier_bytes_of_content_unchanged),
	};
	return cmocka_run_group_tests(tests, pki_setup, pki_teardown);
}
