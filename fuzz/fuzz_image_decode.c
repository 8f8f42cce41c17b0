/* fuzz/fuzz_image_decode.c: libFuzzer target feeding arbitrary bytes through
 * image intake including decoding: sohoa_ocr_probe, then ocr_decode of the
 * first and the last page (TIFF, JPEG, PNG, PDF rendered by Poppler), under
 * tight caps so each input runs fast. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ocr/ocr_int.h"

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
	snprintf(path, sizeof path, "%s/sohoa-fuzz-decode-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		abort();
	close(fd);
	atexit(remove_file);
	ocr_quiet_decoders();
	return 0;
}

/* Decodes one page and checks what ocr_decode promises. */
static void decode_page(size_t page, const sohoa_limits *lim)
{
	sohoa_ocr_image_info info;
	PIX *pix = NULL;
	int rc = ocr_decode(&pix, path, page, lim, &info);

	if (rc == 0) {
		if (!pix || (uint64_t)pixGetWidth(pix) * (uint64_t)pixGetHeight(pix) >
				    lim->max_image_pixels)
			abort(); /* decoded something beyond the pixel cap */
		if ((uint32_t)pixGetWidth(pix) != info.width ||
		    (uint32_t)pixGetHeight(pix) != info.height)
			abort(); /* info does not describe the page */
	} else if (pix || strncmp(sohoa_error_last(), path, strlen(path)) != 0) {
		abort(); /* a failure returns no pixels and names the file */
	}
	pixDestroy(&pix);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sohoa_limits lim = sohoa_limits_default();
	sohoa_ocr_image_info info;
	FILE *f = fopen(path, "wb");

	if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
		abort();
	lim.max_image_pages = 64;
	lim.max_image_pixels = 4000000;
	if (sohoa_ocr_probe(&info, path, &lim) != 0)
		return 0;
	decode_page(0, &lim);
	if (info.pages > 1)
		decode_page(info.pages - 1, &lim);
	return 0;
}
