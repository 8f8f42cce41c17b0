/* core/text.c: Unicode normalisation (NFC) of UTF-8 text, on ICU. All text
 * sohoa stores or prints is NFC, so "ệ" has one spelling everywhere. */
#include "core/core.h"

#include <stdlib.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

int sohoa_utf8_nfc(char **out, const char *in, size_t len)
{
	UErrorCode err = U_ZERO_ERROR;
	const UNormalizer2 *nfc = unorm2_getNFCInstance(&err);
	UChar *u16 = NULL, *norm = NULL;
	int32_t n16 = 0, nnorm, n8 = 0;
	char *u8 = NULL;
	int rc = 0;

	*out = NULL;
	if (U_FAILURE(err))
		return sohoa_error_set(SOHOA_EDEPENDENCY, _("ICU: no NFC normaliser"));
	if (len > INT32_MAX / 4)
		return sohoa_error_set(SOHOA_ELIMIT, _("text too long to normalise"));
	u_strFromUTF8(NULL, 0, &n16, in, (int32_t)len, &err);
	if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err))
		return sohoa_error_set(SOHOA_EFORMAT, _("invalid UTF-8 text"));
	err = U_ZERO_ERROR;
	u16 = malloc(((size_t)n16 + 1) * sizeof *u16);
	norm = malloc(((size_t)n16 * 3 + 1) * sizeof *norm); /* NFC never grows past 3x */
	if (!u16 || !norm) {
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		goto cleanup;
	}
	u_strFromUTF8(u16, n16 + 1, NULL, in, (int32_t)len, &err);
	nnorm = unorm2_normalize(nfc, u16, n16, norm, n16 * 3 + 1, &err);
	if (U_FAILURE(err)) {
		rc = sohoa_error_set(SOHOA_EFORMAT, _("text cannot be normalised"));
		goto cleanup;
	}
	u_strToUTF8(NULL, 0, &n8, norm, nnorm, &err);
	err = U_ZERO_ERROR;
	u8 = malloc((size_t)n8 + 1);
	if (!u8) {
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		goto cleanup;
	}
	u_strToUTF8(u8, n8 + 1, NULL, norm, nnorm, &err);
	if (U_FAILURE(err)) {
		free(u8);
		rc = sohoa_error_set(SOHOA_EFORMAT, _("text cannot be normalised"));
		goto cleanup;
	}
	*out = u8;
cleanup:
	free(u16);
	free(norm);
	return rc;
}

void sohoa_json_string(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
	}
	fputc('"', out);
}
