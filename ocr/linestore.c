/* ocr/linestore.c: Tesseract 5 keeps each text line it hands to its LSTM as
 * a PNG in memory (its ImageData) and decodes it again straight away. With
 * Leptonica's default deflate level that round trip cost ~5% of a page's
 * recognition time and bought nothing. While a worker is recognising, the
 * line images are stored with deflate level 0 (stored blocks): the same
 * pixels, no compression work.
 *
 * This file defines pixWriteMem, Leptonica's function. The program's own
 * definition comes first in the dynamic linker's search order, so
 * libtesseract's calls land here; everything is passed on unchanged to
 * Leptonica's definition (found with RTLD_NEXT), except PNG written while
 * the calling thread is inside recognition. If a later Tesseract stops
 * calling pixWriteMem, this is simply never reached. */
#include "ocr/ocr_int.h"

#include <dlfcn.h>
#include <pthread.h>

typedef l_ok (*write_mem_fn)(l_uint8 **, size_t *, PIX *, l_int32);

static write_mem_fn leptonica_write_mem;
static pthread_once_t found = PTHREAD_ONCE_INIT;
static _Thread_local int raw_lines;         /* inside recognition */
static _Thread_local unsigned long n_raw;   /* lines stored raw, for tests */

static void find_leptonica(void)
{
	leptonica_write_mem = (write_mem_fn)dlsym(RTLD_NEXT, "pixWriteMem");
}

l_ok pixWriteMem(l_uint8 **pdata, size_t *psize, PIX *pix, l_int32 format)
{
	l_ok rc;

	pthread_once(&found, find_leptonica);
	if (!leptonica_write_mem)
		return 1; /* Leptonica's error convention */
	if (!raw_lines || format != IFF_PNG || !pix)
		return leptonica_write_mem(pdata, psize, pix, format);
	/* Level 0 rides on the image (Leptonica reads it when writing PNG); the
	 * line image is Tesseract's own temporary, so it is reset after. */
	pixSetZlibCompression(pix, 0);
	rc = leptonica_write_mem(pdata, psize, pix, format);
	pixSetSpecial(pix, 0);
	n_raw++;
	return rc;
}

void ocr_lines_raw(int on)
{
	raw_lines = on;
}

unsigned long ocr_lines_stored_raw(void)
{
	return n_raw;
}
