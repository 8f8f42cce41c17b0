/* signer/vcache.c: what a verifier remembers between packages — certificates
 * already decoded (by the SHA-256 of their DER) and certificate chains already
 * verified against its trust anchors, with the CRLs found for each link — so
 * that verifying many packages signed by the same few people costs one chain
 * verification, not one per package. Both tables are bounded and thread-safe. */
#include "signer/internal.h"

#include <openssl/err.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Open addressing on the first bytes of a SHA-256; at most half full. */
#define VCACHE_SLOTS 1024
#define VCACHE_MAX (VCACHE_SLOTS / 2)

typedef struct {
	unsigned char key[SOHOA_SHA256_LEN];
	unsigned char *der; /* the certificate's DER, compared in full on lookup */
	size_t der_len;
	X509 *cert;
} cert_slot;

typedef struct {
	unsigned char key[SOHOA_SHA256_LEN];
	signer_chain *chain;
} chain_slot;

struct signer_vcache {
	pthread_mutex_t lock;
	cert_slot certs[VCACHE_SLOTS];
	size_t ncerts;
	chain_slot chains[VCACHE_SLOTS];
	size_t nchains;
};

int signer_vcache_new(signer_vcache **out)
{
	signer_vcache *c = calloc(1, sizeof *c);
	*out = NULL;
	if (!c)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	if (pthread_mutex_init(&c->lock, NULL) != 0) {
		free(c);
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	}
	*out = c;
	return 0;
}

void signer_chain_free(signer_chain *ch)
{
	if (!ch)
		return;
	sk_X509_pop_free(ch->certs, X509_free);
	free(ch->crls);
	free(ch);
}

void signer_vcache_free(signer_vcache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < VCACHE_SLOTS; i++) {
		X509_free(c->certs[i].cert);
		free(c->certs[i].der);
		signer_chain_free(c->chains[i].chain);
	}
	pthread_mutex_destroy(&c->lock);
	free(c);
}

static size_t slot_of(const unsigned char key[SOHOA_SHA256_LEN])
{
	return ((size_t)key[0] | (size_t)key[1] << 8) % VCACHE_SLOTS;
}

X509 *signer_vcache_d2i(signer_vcache *c, const unsigned char *der, size_t len)
{
	unsigned char key[SOHOA_SHA256_LEN];
	const unsigned char *p = der;
	X509 *cert = NULL;
	size_t i;

	if (len == 0 || len > LONG_MAX || sohoa_sha256(key, der, len) < 0)
		return NULL;
	pthread_mutex_lock(&c->lock);
	for (i = slot_of(key); c->certs[i].cert; i = (i + 1) % VCACHE_SLOTS)
		if (memcmp(c->certs[i].key, key, sizeof key) == 0 && c->certs[i].der_len == len &&
		    memcmp(c->certs[i].der, der, len) == 0) {
			cert = c->certs[i].cert;
			X509_up_ref(cert);
			pthread_mutex_unlock(&c->lock);
			return cert;
		}
	pthread_mutex_unlock(&c->lock);

	cert = d2i_X509(NULL, &p, (long)len);
	ERR_clear_error();
	if (!cert || p != der + len) {
		X509_free(cert);
		return NULL;
	}
	pthread_mutex_lock(&c->lock);
	for (i = slot_of(key); c->certs[i].cert; i = (i + 1) % VCACHE_SLOTS)
		if (memcmp(c->certs[i].key, key, sizeof key) == 0)
			break; /* another thread was first, or a collision: keep ours uncached */
	if (!c->certs[i].cert && c->ncerts < VCACHE_MAX && (c->certs[i].der = malloc(len))) {
		memcpy(c->certs[i].key, key, sizeof key);
		memcpy(c->certs[i].der, der, len);
		c->certs[i].der_len = len;
		c->certs[i].cert = cert;
		X509_up_ref(cert);
		c->ncerts++;
	}
	pthread_mutex_unlock(&c->lock);
	return cert;
}

int signer_chain_key(unsigned char out[SOHOA_SHA256_LEN], X509 *leaf, STACK_OF(X509) *untrusted)
{
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	unsigned char d[EVP_MAX_MD_SIZE];
	unsigned int dlen = 0;
	int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1;

	for (int i = -1; ok && i < sk_X509_num(untrusted); i++) {
		X509 *cert = i < 0 ? leaf : sk_X509_value(untrusted, i);
		ok = X509_digest(cert, EVP_sha256(), d, &dlen) == 1 &&
		     EVP_DigestUpdate(md, d, dlen) == 1;
	}
	ok = ok && EVP_DigestFinal_ex(md, out, NULL) == 1;
	EVP_MD_CTX_free(md);
	return ok ? 0 : -1;
}

signer_chain *signer_vcache_chain(signer_vcache *c, const unsigned char key[SOHOA_SHA256_LEN],
				  time_t at)
{
	signer_chain *ch = NULL;
	pthread_mutex_lock(&c->lock);
	for (size_t i = slot_of(key); c->chains[i].chain; i = (i + 1) % VCACHE_SLOTS)
		if (memcmp(c->chains[i].key, key, SOHOA_SHA256_LEN) == 0) {
			ch = c->chains[i].chain;
			break;
		}
	if (ch && !(ch->not_before < at && at < ch->not_after))
		ch = NULL; /* outside the window where it verified: verify again */
	pthread_mutex_unlock(&c->lock);
	return ch;
}

int signer_vcache_add_chain(signer_vcache *c, const unsigned char key[SOHOA_SHA256_LEN],
			    signer_chain *chain)
{
	size_t i;
	int kept = 0;
	pthread_mutex_lock(&c->lock);
	for (i = slot_of(key); c->chains[i].chain; i = (i + 1) % VCACHE_SLOTS)
		if (memcmp(c->chains[i].key, key, SOHOA_SHA256_LEN) == 0)
			break;
	if (!c->chains[i].chain && c->nchains < VCACHE_MAX) {
		memcpy(c->chains[i].key, key, SOHOA_SHA256_LEN);
		c->chains[i].chain = chain;
		c->nchains++;
		kept = 1;
	}
	pthread_mutex_unlock(&c->lock);
	return kept;
}
