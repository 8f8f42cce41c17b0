/* bench/cer.c: the sohoa-cer tool — prints "cer errors length" for a ground
 * truth file and an OCR output file (definition in cer_lib.h). */
#include <stdio.h>
#include <stdlib.h>

#include "cer_lib.h"
#include "core/core.h"

int main(int argc, char **argv)
{
	char *truth = NULL, *output = NULL;
	size_t errors = 0, length = 0;
	double cer;

	if (argc != 3) {
		fprintf(stderr, "usage: sohoa-cer TRUTH OUTPUT\n");
		return 2;
	}
	if (sohoa_file_read(&truth, NULL, argv[1], 64u << 20) < 0 ||
	    sohoa_file_read(&output, NULL, argv[2], 64u << 20) < 0) {
		fprintf(stderr, "sohoa-cer: %s\n", sohoa_error_last());
		return 2;
	}
	cer = cer_compute(truth, output, &errors, &length);
	free(truth);
	free(output);
	if (cer < 0) {
		fprintf(stderr, "sohoa-cer: invalid UTF-8 in %s or %s\n", argv[1], argv[2]);
		return 2;
	}
	printf("%.4f %zu %zu\n", cer, errors, length);
	return 0;
}
