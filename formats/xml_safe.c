/* formats/xml_safe.c: the only door through which untrusted XML enters sohoa:
 * byte-level checks (UTF-8, NUL, DOCTYPE) before libxml2 sees the input, a
 * parser with network and DTD loading off, then structural caps on the tree. */
#include "formats/internal.h"

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Returns the offset of the first byte that is not part of well-formed UTF-8
 * (no overlongs, no surrogates, nothing above U+10FFFF), or `len` if none. */
size_t formats_utf8_invalid_at(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		size_t need;
		uint32_t cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			need = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			need = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			need = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		if (i + need >= len)
			return i;
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return i;
		i += need + 1;
	}
	return len;
}

static size_t line_of(const char *buf, size_t off)
{
	size_t line = 1;
	for (size_t i = 0; i < off; i++)
		line += buf[i] == '\n';
	return line;
}

static int check_bytes(const char *buf, size_t len, const char *name)
{
	const char *nul = memchr(buf, '\0', len);
	size_t bad;

	if (nul)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s:%zu: NUL byte in XML"), name,
				       line_of(buf, (size_t)(nul - buf)));
	bad = formats_utf8_invalid_at((const unsigned char *)buf, len);
	if (bad < len)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s:%zu: invalid UTF-8 at byte %zu"), name,
				       line_of(buf, bad), bad);
	/* A DOCTYPE is refused wherever it appears (even inside a comment): sohoa's
	 * formats never need one and every entity attack starts with one. */
	for (size_t i = 0; i + 9 <= len; i++)
		if (buf[i] == '<' && memcmp(buf + i, "<!DOCTYPE", 9) == 0)
			return sohoa_error_set(SOHOA_EFORMAT,
					       _("%s:%zu: DOCTYPE is not allowed"), name,
					       line_of(buf, i));
	return 0;
}

/* Walks the tree without recursion, enforcing depth, attribute and text caps. */
static int check_tree(xmlDocPtr doc, const char *name, const sohoa_limits *lim)
{
	xmlNodePtr node = xmlDocGetRootElement(doc);
	size_t depth = 1;

	while (node) {
		/* depth counts elements: text inside the deepest allowed one is fine. */
		if (node->type == XML_ELEMENT_NODE && depth > lim->max_xml_depth)
			return sohoa_error_set(SOHOA_ELIMIT,
					       _("%s:%ld: elements nested deeper than %zu"), name,
					       xmlGetLineNo(node), lim->max_xml_depth);
		if (node->type == XML_ELEMENT_NODE) {
			size_t nattr = 0;
			for (xmlAttrPtr a = node->properties; a; a = a->next) {
				xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
				size_t vlen = v ? strlen((const char *)v) : 0;
				xmlFree(v);
				if (++nattr > lim->max_xml_attrs || vlen > lim->max_xml_text)
					return sohoa_error_set(
						SOHOA_ELIMIT,
						_("%s:%ld: <%s>: too many or too long attributes"),
						name, xmlGetLineNo(node), (const char *)node->name);
			}
		} else if (node->content && strlen((const char *)node->content) > lim->max_xml_text) {
			return sohoa_error_set(SOHOA_ELIMIT,
					       _("%s:%ld: text longer than %zu bytes"), name,
					       xmlGetLineNo(node), lim->max_xml_text);
		}
		if (node->type == XML_ELEMENT_NODE && node->children) {
			node = node->children;
			depth++;
			continue;
		}
		while (node && !node->next) {
			node = node->parent;
			depth--;
			if (node && node->type == XML_DOCUMENT_NODE)
				node = NULL;
		}
		if (node)
			node = node->next;
	}
	return 0;
}

static void ignore_error(void *ctx, xmlErrorPtr err)
{
	(void)ctx;
	(void)err;
}

int sohoa_xml_parse(xmlDocPtr *out, const char *buf, size_t len, const char *name,
		    const sohoa_limits *lim)
{
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	int rc;

	*out = NULL;
	if (len > lim->max_manifest_bytes)
		return sohoa_error_set(SOHOA_ELIMIT,
				       _("%s: %zu bytes of XML exceed the limit of %zu"), name, len,
				       lim->max_manifest_bytes);
	if (len == 0)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: empty file"), name);
	rc = check_bytes(buf, len, name);
	if (rc < 0)
		return rc;
	ctxt = xmlNewParserCtxt();
	if (!ctxt)
		return sohoa_error_set(SOHOA_ENOMEM, _("%s: out of memory"), name);
	xmlSetStructuredErrorFunc(NULL, ignore_error);
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, NULL, "UTF-8",
				XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_NOERROR |
					XML_PARSE_NOWARNING);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (!doc || !ctxt->wellFormed) {
		xmlErrorPtr e = xmlCtxtGetLastError(ctxt);
		char msg[256] = "not well-formed";
		/* libxml2 stops at its own depth cap (256) with an internal error;
		 * that input is also deeper than ours, which is the reason to give. */
		if (ctxt->nameNr > 0 && (size_t)ctxt->nameNr > lim->max_xml_depth) {
			rc = sohoa_error_set(SOHOA_ELIMIT,
					     _("%s:%d: elements nested deeper than %zu"), name,
					     e ? e->line : 0, lim->max_xml_depth);
			goto cleanup;
		}
		if (e && e->message) {
			snprintf(msg, sizeof msg, "%s", e->message);
			msg[strcspn(msg, "\n")] = '\0';
		}
		rc = sohoa_error_set(SOHOA_EFORMAT, _("%s:%d: malformed XML: %s"), name,
				     e ? e->line : 0, msg);
		goto cleanup;
	}
	if (doc->intSubset || doc->extSubset || !xmlDocGetRootElement(doc)) {
		rc = sohoa_error_set(SOHOA_EFORMAT, _("%s: DOCTYPE is not allowed"), name);
		goto cleanup;
	}
	rc = check_tree(doc, name, lim);
	if (rc == 0) {
		*out = doc;
		doc = NULL;
	}
cleanup:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}

int sohoa_xml_read(xmlDocPtr *out, const char *path, const sohoa_limits *lim)
{
	char *buf = NULL;
	size_t len = 0;
	int rc = sohoa_file_read(&buf, &len, path, lim->max_manifest_bytes);

	*out = NULL;
	if (rc == 0)
		rc = sohoa_xml_parse(out, buf, len, path, lim);
	free(buf);
	return rc;
}

const char *sohoa_formats_versions(void)
{
	return "libxml2 " LIBXML_DOTTED_VERSION;
}
