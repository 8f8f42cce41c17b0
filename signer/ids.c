/* signer/ids.c: the Id index of a document. Same-document references are
 * resolved here and nowhere else, so a duplicate Id, or an id-like attribute
 * on another element, can never make the verifier digest one element while a
 * reader of the package sees another (signature wrapping). */
#include "signer/internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int add(signer_ids *ids, size_t *cap, const signer_id *id)
{
	if (ids->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		signer_id *v = realloc(ids->v, ncap * sizeof *v);
		if (!v)
			return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		ids->v = v;
		*cap = ncap;
	}
	ids->v[ids->n++] = *id;
	return 0;
}

static int by_value(const void *a, const void *b)
{
	const signer_id *x = a, *y = b;
	int c = strcmp(x->value, y->value);
	if (c)
		return c;
	return (xmlGetLineNo(x->el) > xmlGetLineNo(y->el)) - (xmlGetLineNo(x->el) < xmlGetLineNo(y->el));
}

static int scan_element(signer_ids *ids, size_t *cap, xmlNodePtr el)
{
	for (xmlAttrPtr a = el->properties; a; a = a->next) {
		const char *n = (const char *)a->name;
		int xml_id = a->ns && a->ns->href &&
			     strcmp((const char *)a->ns->href, (const char *)XML_XML_NAMESPACE) == 0 &&
			     strcmp(n, "id") == 0;
		signer_id id = {0};
		if (strcasecmp(n, "id") != 0)
			continue;
		id.value = a->children && a->children->type == XML_TEXT_NODE && !a->children->next
				   ? (const char *)a->children->content
				   : "";
		id.el = el;
		id.strong = xml_id || strcmp(n, "Id") == 0 || strcmp(n, "ID") == 0;
		id.plain_Id = !a->ns && strcmp(n, "Id") == 0;
		if (add(ids, cap, &id) < 0)
			return SOHOA_ENOMEM;
	}
	return 0;
}

int signer_ids_scan(signer_ids *ids, xmlDocPtr doc, const char *name)
{
	xmlNodePtr node = xmlDocGetRootElement(doc);
	size_t cap = 0;
	signer_id *sorted = NULL;
	int rc = 0;

	ids->v = NULL;
	ids->n = 0;
	while (node) { /* depth-first, without recursion */
		if (node->type == XML_ELEMENT_NODE && (rc = scan_element(ids, &cap, node)) < 0)
			return rc;
		if (node->type == XML_ELEMENT_NODE && node->children) {
			node = node->children;
			continue;
		}
		while (node && !node->next) {
			node = node->parent;
			if (node && node->type != XML_ELEMENT_NODE)
				node = NULL;
		}
		if (node)
			node = node->next;
	}
	if (ids->n < 2)
		return 0;
	sorted = malloc(ids->n * sizeof *sorted);
	if (!sorted)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	memcpy(sorted, ids->v, ids->n * sizeof *sorted);
	qsort(sorted, ids->n, sizeof *sorted, by_value);
	for (size_t i = 0; i + 1 < ids->n; i++) {
		if (!sorted[i].strong || strcmp(sorted[i].value, sorted[i + 1].value))
			continue;
		for (size_t j = i + 1; j < ids->n && !strcmp(sorted[i].value, sorted[j].value); j++)
			if (sorted[j].strong) {
				rc = sohoa_error_set(SOHOA_EFORMAT,
						     _("%s:%ld: Id \"%s\" is used again (first on "
						       "line %ld): Ids must be unique"),
						     name, xmlGetLineNo(sorted[j].el), sorted[i].value,
						     xmlGetLineNo(sorted[i].el));
				goto cleanup;
			}
	}
cleanup:
	free(sorted);
	return rc;
}

void signer_ids_free(signer_ids *ids)
{
	free(ids->v);
	ids->v = NULL;
	ids->n = 0;
}

xmlNodePtr signer_ids_resolve(const signer_ids *ids, const char *value, const char **why)
{
	xmlNodePtr found = NULL;
	size_t carriers = 0;

	for (size_t i = 0; i < ids->n; i++) {
		if (strcmp(ids->v[i].value, value))
			continue;
		carriers++;
		if (ids->v[i].plain_Id)
			found = ids->v[i].el;
	}
	if (carriers == 0) {
		*why = "no element has this Id";
		return NULL;
	}
	if (carriers > 1) {
		*why = "more than one element carries this value in an id attribute";
		return NULL;
	}
	if (!found)
		*why = "the value is carried by an attribute other than Id";
	return found;
}
