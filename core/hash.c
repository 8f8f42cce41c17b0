/* core/hash.c: SHA-256 of buffers and files through OpenSSL's EVP interface. */
#include "core/core.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <unistd.h>

int sohoa_sha256(uint8_t out[SOHOA_SHA256_LEN], const void *data, size_t len)
{
	unsigned int n = 0;
	if (EVP_Digest(data, len, out, &n, EVP_sha256(), NULL) != 1 || n != SOHOA_SHA256_LEN)
		return sohoa_error_set(SOHOA_ECRYPTO, _("SHA-256 failed"));
	return 0;
}

int sohoa_sha256_file(uint8_t out[SOHOA_SHA256_LEN], const char *path)
{
	EVP_MD_CTX *ctx = NULL;
	unsigned char buf[65536];
	unsigned int n = 0;
	int rc = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return sohoa_error_from_errno(errno, "%s", path);
	ctx = EVP_MD_CTX_new();
	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		rc = sohoa_error_set(SOHOA_ECRYPTO, _("%s: SHA-256 failed"), path);
		goto cleanup;
	}
	for (;;) {
		ssize_t got = read(fd, buf, sizeof buf);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = sohoa_error_from_errno(errno, "%s", path);
			goto cleanup;
		}
		if (got == 0)
			break;
		if (EVP_DigestUpdate(ctx, buf, (size_t)got) != 1) {
			rc = sohoa_error_set(SOHOA_ECRYPTO, _("%s: SHA-256 failed"), path);
			goto cleanup;
		}
	}
	if (EVP_DigestFinal_ex(ctx, out, &n) != 1 || n != SOHOA_SHA256_LEN)
		rc = sohoa_error_set(SOHOA_ECRYPTO, _("%s: SHA-256 failed"), path);
cleanup:
	EVP_MD_CTX_free(ctx);
	close(fd);
	return rc;
}

void sohoa_hex(char *out, const uint8_t *bytes, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 15];
	}
	out[2 * len] = '\0';
}
