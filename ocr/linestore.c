/* ocr/linestore.c: Tesseract 5 keeps each text line it hands to its LSTM as
 * a PNG in memory (its ImageData) and decodes it again straight away. That
 * round trip (filtering, deflate, checksums, and back) bought nothing: with
 * Leptonica's default deflate level it cost ~5% of a page's recognition
 * time, stored without deflate still ~3%. While a worker is recognising,
 * a line image is stored as its raw pixels behind a short header instead,
 * and read back by copying them: the same pixels, no codec.
 *
 * This file defines pixWriteMem and pixReadMem, Leptonica's functions. The
 * program's own definitions come first in the dynamic linker's search
 * order, so libtesseract's calls land here; everything is passed on
 * unchanged to Leptonica's definitions (found with RTLD_NEXT), except PNG
 * written while the calling thread is inside recognition, and reading back
 * what that wrote (known by its header, which no image format starts with,
 * and checked whole). If a later Tesseract stops calling these, this is
 * simply never reached. */
#include "ocr/ocr_int.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

typedef l_ok (*write_mem_fn)(l_uint8 **, size_t *, PIX *, l_int32);
typedef PIX *(*read_mem_fn)(const l_uint8 *, size_t);

static write_mem_fn leptonica_write_mem;
static read_mem_fn leptonica_read_mem;
static pthread_once_t found = PTHREAD_ONCE_INIT;
static _Thread_local int raw_lines;       /* inside recognition */
static _Thread_local unsigned long n_raw; /* lines stored raw, for tests */

/* A raw line image: this header, then wpl · h words of pixels. */
static const char raw_magic[8] = "\x89SOHRAW";
typedef struct {
	char magic[8];
	l_int32 w, h, d, spp, wpl, xres, yres;
} raw_header;

static void find_leptonica(void)
{
	leptonica_write_mem = (write_mem_fn)dlsym(RTLD_NEXT, "pixWriteMem");
	leptonica_read_mem = (read_mem_fn)dlsym(RTLD_NEXT, "pixReadMem");
}

/* The raw copy of pix, in memory from lept_calloc as Leptonica's writers
 * return it (the caller frees it with lept_free). */
static l_ok write_raw(l_uint8 **pdata, size_t *psize, PIX *pix)
{
	raw_header hd = {{0},
			 pixGetWidth(pix),
			 pixGetHeight(pix),
			 pixGetDepth(pix),
			 pixGetSpp(pix),
			 pixGetWpl(pix),
			 pixGetXRes(pix),
			 pixGetYRes(pix)};
	size_t bytes = (size_t)hd.wpl * (size_t)hd.h * 4;
	l_uint8 *data = lept_calloc(1, sizeof hd + bytes);

	if (!data)
		return 1;
	memcpy(hd.magic, raw_magic, sizeof hd.magic);
	memcpy(data, &hd, sizeof hd);
	memcpy(data + sizeof hd, pixGetData(pix), bytes);
	*pdata = data;
	*psize = sizeof hd + bytes;
	return 0;
}

/* The image of a raw copy, or NULL when `data` is not one, whole. */
static PIX *read_raw(const l_uint8 *data, size_t size)
{
	raw_header hd;
	if (size < sizeof hd)
		return NULL;
	memcpy(&hd, data, sizeof hd);
	if (memcmp(hd.magic, raw_magic, sizeof hd.magic) || hd.w < 1 || hd.h < 1 ||
	    (hd.d != 1 && hd.d != 2 && hd.d != 4 && hd.d != 8 && hd.d != 16 && hd.d != 32) ||
	    hd.wpl != (l_int32)(((int64_t)hd.w * hd.d + 31) / 32) ||
	    size - sizeof hd != (size_t)hd.wpl * (size_t)hd.h * 4)
		return NULL;
	PIX *pix = pixCreateNoInit(hd.w, hd.h, hd.d);
	if (!pix)
		return NULL;
	memcpy(pixGetData(pix), data + sizeof hd, size - sizeof hd);
	pixSetSpp(pix, hd.spp);
	pixSetResolution(pix, hd.xres, hd.yres);
	pixSetInputFormat(pix, IFF_PNG);
	return pix;
}

l_ok pixWriteMem(l_uint8 **pdata, size_t *psize, PIX *pix, l_int32 format)
{
	pthread_once(&found, find_leptonica);
	if (!leptonica_write_mem)
		return 1; /* Leptonica's error convention */
	if (!raw_lines || format != IFF_PNG || !pix || !pdata || !psize || pixGetColormap(pix))
		return leptonica_write_mem(pdata, psize, pix, format);
	n_raw++;
	return write_raw(pdata, psize, pix);
}

PIX *pixReadMem(const l_uint8 *data, size_t size)
{
	PIX *pix;
	pthread_once(&found, find_leptonica);
	if (data && (pix = read_raw(data, size)))
		return pix;
	return leptonica_read_mem ? leptonica_read_mem(data, size) : NULL;
}

void ocr_lines_raw(int on)
{
	raw_lines = on;
}

unsigned long ocr_lines_stored_raw(void)
{
	return n_raw;
}
