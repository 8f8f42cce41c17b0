/* signer/c14n.c: exclusive canonicalisation of one element's subtree (the
 * node-set a same-document "#id" reference selects) and its SHA-256. */
#include "signer/internal.h"

#include <libxml/c14n.h>
#include <openssl/crypto.h>
#include <stdlib.h>
#include <string.h>

/* Visible when the node (or, for a namespace node, its element) lies in the
 * subtree of `root`. */
static int in_subtree(void *root, xmlNodePtr node, xmlNodePtr parent)
{
	xmlNodePtr n = (node && node->type != XML_NAMESPACE_DECL) ? node : parent;
	for (; n; n = n->parent)
		if (n == (xmlNodePtr)root)
			return 1;
	return 0;
}

struct sink {
	unsigned char *data;
	size_t len, cap;
	int failed;
};

static int sink_write(void *ctx, const char *buf, int n)
{
	struct sink *s = ctx;
	if (n < 0 || s->failed)
		return -1;
	if (s->len + (size_t)n > s->cap) {
		size_t cap = s->cap ? s->cap : 4096;
		while (cap < s->len + (size_t)n)
			cap *= 2;
		unsigned char *p = realloc(s->data, cap);
		if (!p) {
			s->failed = 1;
			return -1;
		}
		s->data = p;
		s->cap = cap;
	}
	memcpy(s->data + s->len, buf, (size_t)n);
	s->len += (size_t)n;
	return n;
}

static int sink_close(void *ctx)
{
	(void)ctx;
	return 0;
}

int signer_c14n_ex(unsigned char **out, size_t *len, xmlNodePtr node, int with_comments,
		   xmlChar **prefixes)
{
	struct sink s = {0};
	xmlOutputBufferPtr buf;
	int n, closed;

	*out = NULL;
	*len = 0;
	if (!node || node->type != XML_ELEMENT_NODE || !node->doc)
		return sohoa_error_set(SOHOA_EINVAL, _("canonicalisation needs an element"));
	buf = xmlOutputBufferCreateIO(sink_write, sink_close, &s, NULL);
	if (!buf)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	n = xmlC14NExecute(node->doc, in_subtree, node, XML_C14N_EXCLUSIVE_1_0, prefixes,
			   with_comments, buf);
	closed = xmlOutputBufferClose(buf);
	if (n < 0 || closed < 0 || s.failed) {
		free(s.data);
		return sohoa_error_set(SOHOA_EDEPENDENCY, _("<%s>: exclusive canonicalisation failed"),
				       (const char *)node->name);
	}
	*out = s.data ? s.data : calloc(1, 1);
	*len = s.len;
	return *out ? 0 : sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
}

int sohoa_signer_c14n(unsigned char **out, size_t *len, xmlNodePtr node)
{
	return signer_c14n_ex(out, len, node, 0, NULL);
}

int sohoa_signer_c14n_digest(uint8_t out[SOHOA_SHA256_LEN], xmlNodePtr node)
{
	unsigned char *bytes;
	size_t len;
	int rc = sohoa_signer_c14n(&bytes, &len, node);

	if (rc < 0)
		return rc;
	rc = sohoa_sha256(out, bytes, len);
	free(bytes);
	return rc;
}

const char *sohoa_signer_versions(void)
{
	return OpenSSL_version(OPENSSL_VERSION);
}
