/* bench/cer.c: character error rate of OCR output against ground truth, as
 * the OCR issue defines it: Levenshtein distance over Unicode code points
 * after NFC normalisation and folding every whitespace run to one space
 * (leading/trailing whitespace dropped), divided by the truth's length.
 * Usage: sohoa-cer TRUTH OUTPUT  → prints "cer errors length". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

/* Decodes NFC UTF-8 into code points with whitespace runs folded. */
static size_t to_points(uint32_t **out, const char *path)
{
	char *raw = NULL, *nfc = NULL;
	size_t len = 0, n = 0;
	uint32_t *cp;
	int space = 1;

	if (sohoa_file_read(&raw, &len, path, 64u << 20) < 0 ||
	    sohoa_utf8_nfc(&nfc, raw, len) < 0) {
		fprintf(stderr, "sohoa-cer: %s\n", sohoa_error_last());
		exit(2);
	}
	cp = malloc((strlen(nfc) + 1) * sizeof *cp);
	for (const unsigned char *p = (const unsigned char *)nfc; *p;) {
		uint32_t c = *p;
		int k = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
		if (k)
			c &= 0x3F >> k;
		p++;
		for (int i = 0; i < k && *p; i++)
			c = (c << 6) | (*p++ & 0x3F);
		int ws = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
			 c == 0xA0;
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
	free(raw);
	free(nfc);
	*out = cp;
	return n;
}

int main(int argc, char **argv)
{
	uint32_t *t, *o;
	size_t nt, no, *prev, *cur;

	if (argc != 3) {
		fprintf(stderr, "usage: sohoa-cer TRUTH OUTPUT\n");
		return 2;
	}
	nt = to_points(&t, argv[1]);
	no = to_points(&o, argv[2]);
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
	printf("%.4f %zu %zu\n", nt ? (double)prev[no] / nt : (no ? 1.0 : 0.0), prev[no], nt);
	free(t);
	free(o);
	free(prev);
	free(cur);
	return 0;
}
