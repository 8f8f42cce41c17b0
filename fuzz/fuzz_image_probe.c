/* fuzz/fuzz_image_probe.c: libFuzzer target writing arbitrary bytes to a
 * temporary file and probing it with sohoa_ocr_probe (header only: pixel
 * decoding gets its own target when it exists). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>
#include <unistd.h>

#include "ocr/ocr.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[512];

static void remove_file(void)
{
	unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	(void)argc;
	(void)argv;
	snprintf(path, sizeof path, "%s/sohoa-fuzz-probe-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		abort();
	close(fd);
	atexit(remove_file);
	/* libtiff's warnings on every malformed input only slow the fuzzer down. */
	TIFFSetWarningHandler(NULL);
	TIFFSetErrorHandler(NULL);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	FILE *f = fopen(path, "wb");
	int rc;

	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
		abort();
	lim.max_image_pages = 64;
	rc = sohoa_ocr_probe(&info, path, &lim);
	if (rc == 0) {
		if (info.format == SOHOA_IMAGE_UNKNOWN || info.pages < 1 ||
		    info.pages > lim.max_image_pages || !info.width || !info.height ||
		    (uint64_t)info.width * info.height > lim.max_image_pixels)
			abort(); /* accepted something beyond the caps */
	} else if (strncmp(sohoa_error_last(), path, strlen(path)) != 0) {
		abort(); /* a refusal must name the file */
	}
	return 0;
}
