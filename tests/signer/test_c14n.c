/* tests/signer/test_c14n.c: exclusive canonicalisation of an element's subtree
 * matches libxml2's own XPath-driven exc-c14n (the node-set an "#id" reference
 * selects), and the digest is SHA-256 of exactly those bytes. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <openssl/evp.h>

#include "signer/signer.h"

/* The node-set of a same-document reference to the element with Id="content"
 * (XML-DSig's "#xpointer(id('content'))" without relying on DTD-declared IDs). */
#define CONTENT_NODESET "(//. | //@* | //namespace::*)[ancestor-or-self::*[@Id='content']]"

static xmlDocPtr parse(const char *xml)
{
	xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "test.xml", "UTF-8", XML_PARSE_NONET);
	assert_non_null(doc);
	return doc;
}

static xmlNodePtr find_content(xmlDocPtr doc)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj = xmlXPathEvalExpression(BAD_CAST "//*[@Id='content']", ctx);
	xmlNodePtr node;
	assert_non_null(obj);
	assert_non_null(obj->nodesetval);
	assert_int_equal(obj->nodesetval->nodeNr, 1);
	node = obj->nodesetval->nodeTab[0];
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	return node;
}

/* The oracle: libxml2's exclusive c14n of the XPath node-set. */
static char *oracle_c14n(xmlDocPtr doc)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj = xmlXPathEvalExpression(BAD_CAST CONTENT_NODESET, ctx);
	xmlChar *bytes = NULL;
	char *copy;
	assert_non_null(obj);
	assert_true(xmlC14NDocDumpMemory(doc, obj->nodesetval, XML_C14N_EXCLUSIVE_1_0, NULL, 0,
					 &bytes) >= 0);
	assert_non_null(bytes);
	copy = strdup((const char *)bytes);
	xmlFree(bytes);
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	return copy;
}

/* Canonicalises the Id="content" element with sohoa, checks it against the
 * oracle and the digest against SHA-256 of the bytes, and returns the bytes. */
static char *c14n_checked(const char *xml)
{
	xmlDocPtr doc = parse(xml);
	xmlNodePtr node = find_content(doc);
	unsigned char *bytes = NULL, md[EVP_MAX_MD_SIZE];
	uint8_t digest[SOHOA_SHA256_LEN];
	unsigned int mdlen = 0;
	size_t len = 0;
	char *want = oracle_c14n(doc), *got;

	assert_int_equal(sohoa_signer_c14n(&bytes, &len, node), 0);
	got = calloc(1, len + 1);
	assert_non_null(got);
	memcpy(got, bytes, len);
	assert_int_equal(len, strlen(got)); /* no NUL inside */
	assert_string_equal(got, want);

	assert_int_equal(sohoa_signer_c14n_digest(digest, node), 0);
	assert_int_equal(EVP_Digest(bytes, len, md, &mdlen, EVP_sha256(), NULL), 1);
	assert_int_equal(mdlen, SOHOA_SHA256_LEN);
	assert_memory_equal(digest, md, SOHOA_SHA256_LEN);

	free(bytes);
	free(want);
	xmlFreeDoc(doc);
	return got;
}

static void test_c14n_emits_only_visibly_used_inherited_namespaces(void **state)
{
	(void)state;
	char *got = c14n_checked(
		"<root xmlns=\"urn:default\" xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" "
		"xmlns:unused=\"urn:unused\">\n"
		"  <a:wrap>\n"
		"    <item Id=\"content\" b:y=\"2\" xmlns:c=\"urn:c\"><a:child/>text</item>\n"
		"  </a:wrap>\n"
		"</root>\n");
	assert_string_equal(got, "<item xmlns=\"urn:default\" xmlns:b=\"urn:b\" Id=\"content\" "
				 "b:y=\"2\"><a:child xmlns:a=\"urn:a\"></a:child>text</item>");
	assert_null(strstr(got, "urn:unused"));
	assert_null(strstr(got, "urn:c"));
	free(got);
}

static void test_c14n_orders_attributes_by_namespace_uri_then_name(void **state)
{
	(void)state;
	/* Prefix z is bound to the URI that sorts first, prefix a to the last. */
	char *got = c14n_checked("<doc xmlns:z=\"urn:a\" xmlns:a=\"urn:z\">"
				 "<e a:attr=\"1\" z:attr=\"2\" b=\"3\" Id=\"content\" a=\"4\"/>"
				 "</doc>");
	assert_string_equal(got, "<e xmlns:a=\"urn:z\" xmlns:z=\"urn:a\" Id=\"content\" a=\"4\" "
				 "b=\"3\" z:attr=\"2\" a:attr=\"1\"></e>");
	free(got);
}

static void test_c14n_expands_empty_elements_and_drops_comments(void **state)
{
	(void)state;
	char *got = c14n_checked("<?xml version=\"1.0\"?>\n"
				 "<!-- before -->\n"
				 "<r><p Id=\"content\"><!-- inside --><br/><q></q>"
				 "<?pi data?></p><!-- after --></r>");
	assert_string_equal(got, "<p Id=\"content\"><br></br><q></q><?pi data?></p>");
	assert_null(strstr(got, "<!--"));
	free(got);
}

static void test_c14n_normalises_text_attributes_and_cdata(void **state)
{
	(void)state;
	char *got = c14n_checked("<r><t Id=\"content\" v=\"a&#9;b&#10;c&quot;&lt;\" w='x\"y'>"
				 "1 &lt; 2 &amp;&amp; 3 > 2<![CDATA[<&>]]>&#13;"
				 "Tiếng Việt</t></r>");
	assert_string_equal(got, "<t Id=\"content\" v=\"a&#x9;b&#xA;c&quot;&lt;\" w=\"x&quot;y\">"
				 "1 &lt; 2 &amp;&amp; 3 &gt; 2&lt;&amp;&gt;&#xD;Tiếng Việt</t>");
	free(got);
}

static void test_c14n_handles_default_namespace_undeclaration(void **state)
{
	(void)state;
	char *got = c14n_checked("<r xmlns=\"urn:x\"><s:sig xmlns:s=\"urn:s\">"
				 "<p Id=\"content\" xmlns=\"\"><q xmlns=\"urn:y\"><n/></q>"
				 "<s:k/></p></s:sig></r>");
	assert_string_equal(got, "<p Id=\"content\"><q xmlns=\"urn:y\"><n></n></q>"
				 "<s:k xmlns:s=\"urn:s\"></s:k></p>");
	free(got);
}

static void test_c14n_of_nested_element_ignores_siblings_and_ancestors(void **state)
{
	(void)state;
	char *got = c14n_checked("<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">"
				 "<ds:SignedInfo/><ds:Object><ds:Object Id=\"content\">"
				 "<hoso ma=\"HS-1\">Hồ sơ</hoso></ds:Object></ds:Object>"
				 "<ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>");
	assert_string_equal(got, "<ds:Object xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" "
				 "Id=\"content\"><hoso ma=\"HS-1\">Hồ sơ</hoso></ds:Object>");
	free(got);
}

static void test_c14n_digest_changes_with_content(void **state)
{
	(void)state;
	xmlDocPtr a = parse("<r><p Id=\"content\">một</p></r>");
	xmlDocPtr b = parse("<r><p Id=\"content\">hai</p></r>");
	xmlDocPtr c = parse("<r>\n<!-- x --><p  Id='content' >một</p></r>");
	uint8_t da[SOHOA_SHA256_LEN], db[SOHOA_SHA256_LEN], dc[SOHOA_SHA256_LEN];
	assert_int_equal(sohoa_signer_c14n_digest(da, find_content(a)), 0);
	assert_int_equal(sohoa_signer_c14n_digest(db, find_content(b)), 0);
	assert_int_equal(sohoa_signer_c14n_digest(dc, find_content(c)), 0);
	assert_memory_not_equal(da, db, SOHOA_SHA256_LEN);
	assert_memory_equal(da, dc, SOHOA_SHA256_LEN); /* same canonical form */
	xmlFreeDoc(a);
	xmlFreeDoc(b);
	xmlFreeDoc(c);
}

static void test_c14n_refuses_nodes_that_are_not_elements(void **state)
{
	(void)state;
	xmlDocPtr doc = parse("<r a=\"1\">text<!-- c --></r>");
	xmlNodePtr root = xmlDocGetRootElement(doc);
	xmlNodePtr nodes[] = {NULL, root->children, root->children->next,
			      (xmlNodePtr)root->properties, (xmlNodePtr)doc};
	uint8_t digest[SOHOA_SHA256_LEN];
	unsigned char *bytes = (unsigned char *)1;
	size_t len = 99;
	for (size_t i = 0; i < sizeof nodes / sizeof nodes[0]; i++) {
		assert_int_equal(sohoa_signer_c14n(&bytes, &len, nodes[i]), SOHOA_EINVAL);
		assert_null(bytes);
		assert_int_equal(len, 0);
		assert_int_equal(sohoa_signer_c14n_digest(digest, nodes[i]), SOHOA_EINVAL);
		assert_int_equal(sohoa_error_last_code(), SOHOA_EINVAL);
	}
	xmlFreeDoc(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_c14n_emits_only_visibly_used_inherited_namespaces),
		cmocka_unit_test(test_c14n_orders_attributes_by_namespace_uri_then_name),
		cmocka_unit_test(test_c14n_expands_empty_elements_and_drops_comments),
		cmocka_unit_test(test_c14n_normalises_text_attributes_and_cdata),
		cmocka_unit_test(test_c14n_handles_default_namespace_undeclaration),
		cmocka_unit_test(test_c14n_of_nested_element_ignores_siblings_and_ancestors),
		cmocka_unit_test(test_c14n_digest_changes_with_content),
		cmocka_unit_test(test_c14n_refuses_nodes_that_are_not_elements),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	xmlCleanupParser();
	return rc;
}
