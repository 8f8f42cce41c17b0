/* signer/signer.h: the one public header of signer/ — XAdES signing and
 * verification on OpenSSL and libxml2. It starts with the canonical digest that
 * every signature reference is built on. */
#ifndef SOHOA_SIGNER_H
#define SOHOA_SIGNER_H

#include <libxml/tree.h>

#include "core/core.h"

/* SHA-256 of the exclusive XML canonicalisation (without comments) of the
 * subtree rooted at element `node`: the digest a ds:Reference with the
 * exc-c14n transform carries for that element. Errors: SOHOA_EINVAL if `node`
 * is not an element, SOHOA_EDEPENDENCY if canonicalisation fails. */
int sohoa_signer_c14n_digest(uint8_t out[SOHOA_SHA256_LEN], xmlNodePtr node);

/* The canonical bytes themselves, for callers that sign or compare them.
 * *out is malloc'd and owned by the caller; *len excludes no terminator. */
int sohoa_signer_c14n(unsigned char **out, size_t *len, xmlNodePtr node);

/* OpenSSL's version, e.g. "OpenSSL 3.0.17 1 Jul 2025". Never NULL. */
const char *sohoa_signer_versions(void);

#endif
