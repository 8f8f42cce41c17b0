/* formats/schema.c: validation against the embedded XSDs with libxml2's
 * xmlSchema (no network, nothing read from disk), and the helpers that turn a
 * node into a "<file>:<line>: <field path>: <reason>" message. */
#include "formats/internal.h"

#include <libxml/xmlschemas.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

xmlNodePtr formats_next(xmlNodePtr prev, const char *ns, const char *local)
{
	for (xmlNodePtr n = prev ? prev->next : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && n->ns &&
		    strcmp((const char *)n->ns->href, ns) == 0 &&
		    strcmp((const char *)n->name, local) == 0)
			return n;
	return NULL;
}

xmlNodePtr formats_child(xmlNodePtr parent, const char *ns, const char *local)
{
	xmlNodePtr first = parent ? parent->children : NULL;
	if (!first)
		return NULL;
	if (first->type == XML_ELEMENT_NODE && first->ns &&
	    strcmp((const char *)first->ns->href, ns) == 0 &&
	    strcmp((const char *)first->name, local) == 0)
		return first;
	return formats_next(first, ns, local);
}

static int nfc_copy(char **out, xmlChar *v)
{
	int rc = 0;
	*out = NULL;
	if (v)
		rc = sohoa_utf8_nfc(out, (const char *)v, strlen((const char *)v));
	xmlFree(v);
	return rc;
}

int formats_text(char **out, xmlNodePtr node)
{
	*out = NULL;
	return node ? nfc_copy(out, xmlNodeGetContent(node)) : 0;
}

int formats_attr(char **out, xmlNodePtr node, const char *attr)
{
	*out = NULL;
	return node ? nfc_copy(out, xmlGetNoNsProp(node, BAD_CAST attr)) : 0;
}

/* "name" or "name[i]" when the parent has other elements of that name. */
static size_t step(char *buf, size_t size, xmlNodePtr node)
{
	size_t index = 0, same = 0;
	int n;
	for (xmlNodePtr s = node->parent ? node->parent->children : node; s; s = s->next) {
		if (s->type != XML_ELEMENT_NODE || !xmlStrEqual(s->name, node->name))
			continue;
		same++;
		if (s == node)
			index = same;
	}
	if (same > 1)
		n = snprintf(buf, size, "%s[%zu]", (const char *)node->name, index);
	else
		n = snprintf(buf, size, "%s", (const char *)node->name);
	return n < 0 ? 0 : (size_t)n;
}

void formats_node_path(char *buf, size_t size, xmlNodePtr node, const char *attr)
{
	xmlNodePtr chain[64];
	size_t depth = 0, used = 0;

	buf[0] = '\0';
	for (xmlNodePtr n = node; n && n->type == XML_ELEMENT_NODE && depth < 64; n = n->parent)
		chain[depth++] = n;
	/* below the root; the root itself when it is the node */
	size_t top = depth > 1 ? depth - 1 : depth;
	for (size_t i = top; i-- > 0 && used < size;) {
		if (used && used + 1 < size)
			buf[used++] = '/';
		used += step(buf + used, size - used, chain[i]);
	}
	if (attr && used < size)
		snprintf(buf + used, size - used, "%s@%s", used ? "/" : "", attr);
	else if (used >= size)
		buf[size - 1] = '\0';
}

int formats_field_error(const char *name, xmlNodePtr node, const char *attr, const char *fmt, ...)
{
	char path[256], reason[768];
	va_list ap;

	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(reason, sizeof reason, fmt, ap);
		va_end(ap);
	} else {
		snprintf(reason, sizeof reason, "%s", sohoa_error_last());
	}
	formats_node_path(path, sizeof path, node, attr);
	return sohoa_error_set(SOHOA_EFORMAT, "%s:%ld: %s: %s", name,
			       node ? xmlGetLineNo(node) : 0L, path, reason);
}

typedef struct {
	int seen;
	long line;
	xmlNodePtr node;
	char message[512];
} first_error;

static void keep_first(void *ctx, xmlErrorPtr err)
{
	first_error *fe = ctx;
	if (fe->seen || !err || err->level < XML_ERR_ERROR)
		return;
	fe->seen = 1;
	fe->line = err->line;
	fe->node = err->node;
	snprintf(fe->message, sizeof fe->message, "%s", err->message ? err->message : "invalid");
}

/* libxml2 says "Element '{urn:x}a', attribute 'b': The value …": the path
 * says which element and attribute, so keep only the reason, without the
 * namespace braces and the final newline. Returns the attribute named, if any. */
static const char *tidy(char *msg, char *attr, size_t attr_size)
{
	char *p, *q;
	attr[0] = '\0';
	if (strncmp(msg, "Element '", 9) == 0 && (p = strstr(msg, "': ")) != NULL) {
		q = strstr(msg, "', attribute '");
		if (q && q < p) {
			char *a = q + 14, *end = strchr(a, '\'');
			if (end) {
				snprintf(attr, attr_size, "%.*s", (int)(end - a), a);
				p = strstr(end, "': ");
			}
		}
		if (p)
			memmove(msg, p + 3, strlen(p + 3) + 1);
	}
	while ((p = strchr(msg, '{')) != NULL && (q = strchr(p, '}')) != NULL)
		memmove(p, q + 1, strlen(q + 1) + 1);
	msg[strcspn(msg, "\n")] = '\0';
	p = msg + strlen(msg);
	while (p > msg && p[-1] == ' ')
		*--p = '\0';
	return attr[0] ? attr : NULL;
}

int formats_validate(xmlDocPtr doc, const char *name, const char *xsd, size_t xsd_len)
{
	xmlSchemaParserCtxtPtr pctxt = NULL;
	xmlSchemaPtr schema = NULL;
	xmlSchemaValidCtxtPtr vctxt = NULL;
	first_error fe = {0};
	int rc = 0, v;

	pctxt = xmlSchemaNewMemParserCtxt(xsd, (int)xsd_len);
	if (pctxt)
		xmlSchemaSetParserStructuredErrors(pctxt, keep_first, &fe);
	schema = pctxt ? xmlSchemaParse(pctxt) : NULL;
	vctxt = schema ? xmlSchemaNewValidCtxt(schema) : NULL;
	if (!vctxt) {
		rc = sohoa_error_set(SOHOA_EDEPENDENCY, _("%s: cannot load the embedded XSD: %s"),
				     name, fe.seen ? fe.message : "out of memory");
		goto cleanup;
	}
	xmlSchemaSetValidStructuredErrors(vctxt, keep_first, &fe);
	v = xmlSchemaValidateDoc(vctxt, doc);
	if (v != 0) {
		char attr[128];
		const char *a = tidy(fe.message, attr, sizeof attr);
		if (!fe.seen)
			snprintf(fe.message, sizeof fe.message, "%s", "not valid against the XSD");
		if (fe.node && ((xmlNodePtr)fe.node)->type == XML_ELEMENT_NODE) {
			formats_field_error(name, fe.node, a, "%s", fe.message);
			rc = SOHOA_EFORMAT;
		} else {
			rc = sohoa_error_set(SOHOA_EFORMAT, "%s:%ld: %s", name, fe.line,
					     fe.message);
		}
	}
cleanup:
	xmlSchemaFreeValidCtxt(vctxt);
	xmlSchemaFree(schema);
	xmlSchemaFreeParserCtxt(pctxt);
	return rc;
}

int sohoa_package_validate_doc(xmlDocPtr doc, const char *name)
{
	return formats_validate(doc, name, sohoa_schema_package, sohoa_schema_package_len);
}

int sohoa_manifest_validate_doc(xmlDocPtr doc, const char *name)
{
	return formats_validate(doc, name, sohoa_schema_intake, sohoa_schema_intake_len);
}
