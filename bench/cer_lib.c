/* bench/cer_lib.c: character error rate (see cer_lib.h). */
#include "cer_lib.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

/* Decodes NFC UTF-8 into code points with whitespace runs folded to one
 * space and the ends trimmed. Returns the count, or (size_t)-1. */
static size_t to_points(uint32_t **out, const char *text)
{
	char *nfc = NULL;
	size_t n = 0;
	uint32_t *cp;
	int space = 1;

	if (sohoa_utf8_nfc(&nfc, text, strlen(text)) < 0)
		return (size_t)-1;
	cp = malloc((strlen(nfc) + 1) * sizeof *cp);
	if (!cp) {
		free(nfc);
		return (size_t)-1;
	}
	for (const unsigned char *p = (const unsigned char *)nfc; *p;) {
		uint32_t c = *p;
		int k = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
		if (k)
			c &= 0x3Fu >> k;
		p++;
		for (int i = 0; i < k && *p; i++)
			c = (c << 6) | (*p++ & 0x3F);
		int ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
			 c == '\v' || c == 0xA0;
		if (ws) {
			if (!space)
				cp[n++] = ' ';
			space = 1;
		} else {
			cp[n++] = c;
			space = 0;
		}
	}
	if (n > 0 && cp[n - 1] == ' ')
		n--;
	free(nfc);
	*out = cp;
	return n;
}

double cer_compute(const char *truth, const char *output, size_t *errors, size_t *length)
{
	uint32_t *t = NULL, *o = NULL;
	size_t nt = to_points(&t, truth), no = to_points(&o, output), *prev, *cur, dist;

	if (nt == (size_t)-1 || no == (size_t)-1) {
		if (nt != (size_t)-1)
			free(t);
		if (no != (size_t)-1)
			free(o);
		return -1;
	}
	prev = malloc((no + 1) * sizeof *prev);
	cur = malloc((no + 1) * sizeof *cur);
	for (size_t j = 0; j <= no; j++)
		prev[j] = j;
	for (size_t i = 1; i <= nt; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= no; j++) {
			size_t sub = prev[j - 1] + (t[i - 1] != o[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		size_t *tmp = prev;
		prev = cur;
		cur = tmp;
	}
	dist = prev[no];
	free(t);
	free(o);
	free(prev);
	free(cur);
	if (errors)
		*errors = dist;
	if (length)
		*length = nt;
	return nt ? (double)dist / (double)nt : (no ? 1.0 : 0.0);
}
