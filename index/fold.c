/* index/fold.c: Vietnamese folding — the spelling a query without diacritics
 * is matched against ("Đăng ký" → "dang ky"), one character for one. */
#include "index/internal.h"

#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/utf8.h>

/* The base letter of one code point: the first code point of its canonical
 * decomposition, đ/Đ as d, lower case. Other characters are lower-cased. */
static UChar32 fold_char(const UNormalizer2 *nfd, UChar32 c)
{
	UChar dec[8];
	UErrorCode err = U_ZERO_ERROR;

	if (c < 0x80)
		return c >= 'A' && c <= 'Z' ? c + 32 : c;
	if (c == 0x0110 || c == 0x0111) /* Đ đ: a letter of its own, no decomposition */
		return 'd';
	int32_t n = unorm2_getDecomposition(nfd, c, dec, 8, &err);
	if (U_SUCCESS(err) && n > 0) {
		UChar32 base;
		int32_t i = 0;
		U16_NEXT(dec, i, n, base);
		c = base;
	}
	return u_tolower(c);
}

int sohoa_index_fold(char **out, const char *in, size_t len)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
	char *nfc = NULL, *buf = NULL;
	int32_t i = 0, o = 0, n, cap;
	int rc = 0;

	*out = NULL;
	if (U_FAILURE(err))
		return sohoa_error_set(SOHOA_EDEPENDENCY, _("ICU: no NFD normaliser"));
	if (len > SOHOA_INDEX_MAX_TEXT * 2)
		return sohoa_error_set(SOHOA_ELIMIT, _("text of %zu bytes is too long to fold"),
				       len);
	rc = sohoa_utf8_nfc(&nfc, in, len);
	if (rc < 0)
		return rc;
	n = (int32_t)strlen(nfc);
	cap = 2 * n + 8; /* lower case grows a code point by 1 byte at most */
	buf = malloc((size_t)cap);
	if (!buf) {
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		goto cleanup;
	}
	while (i < n) {
		UChar32 c;
		UBool bad = 0;
		U8_NEXT(nfc, i, n, c);
		if (c < 0) {
			rc = sohoa_error_set(SOHOA_EFORMAT, _("invalid UTF-8 text"));
			goto cleanup;
		}
		U8_APPEND(buf, o, cap - 1, fold_char(nfd, c), bad);
		if (bad) {
			rc = sohoa_error_set(SOHOA_ELIMIT, _("folded text does not fit"));
			goto cleanup;
		}
	}
	buf[o] = '\0';
	*out = buf;
	buf = NULL;
cleanup:
	free(buf);
	free(nfc);
	return rc;
}
