/* ocr/check.c: structural checks of PNG, JPEG and PDF files before they
 * reach the decoders, so a truncated or mangled file gets one clear message
 * naming it instead of a decoder's complaint on stderr (libpng and libjpeg
 * print their own, and sohoa cannot silence them through Leptonica); and the
 * sizes a PDF declares for its images, read without decoding any. */
#include "ocr/ocr_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Chunks follow one another to IEND: IHDR first, at least one IDAT. */
static int check_png(FILE *f, const char *path)
{
	unsigned char h[8];
	int seen_idat = 0, first = 1;

	if (fseek(f, 8, SEEK_SET) != 0)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: truncated PNG"), path);
	for (;;) {
		if (fread(h, 1, 8, f) != 8)
			return sohoa_error_set(SOHOA_EFORMAT,
					       _("%s: truncated PNG (no IEND chunk)"), path);
		uint32_t len = be32(h);
		if (len > 0x7fffffffu)
			return sohoa_error_set(SOHOA_EFORMAT, _("%s: corrupt PNG chunk length"),
					       path);
		if (first && memcmp(h + 4, "IHDR", 4) != 0)
			return sohoa_error_set(SOHOA_EFORMAT, _("%s: PNG does not start with IHDR"),
					       path);
		first = 0;
		if (memcmp(h + 4, "IDAT", 4) == 0)
			seen_idat = 1;
		if (memcmp(h + 4, "IEND", 4) == 0)
			break;
		if (fseek(f, (long)len + 4, SEEK_CUR) != 0)
			return sohoa_error_set(SOHOA_EFORMAT, _("%s: truncated PNG"), path);
	}
	if (!seen_idat)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: PNG has no image data"), path);
	return 0;
}

/* Marker segments from SOI to a frame header and SOS, then an EOI marker
 * somewhere after the scan data. */
static int check_jpeg(FILE *f, const char *path, long size)
{
	unsigned char m[4], buf[65536];
	int seen_sof = 0;
	long pos = 2;

	for (;;) {
		if (fseek(f, pos, SEEK_SET) != 0 || fread(m, 1, 4, f) != 4 || m[0] != 0xFF)
			return sohoa_error_set(SOHOA_EFORMAT,
					       _("%s: truncated or corrupt JPEG header"), path);
		if (m[1] >= 0xC0 && m[1] <= 0xCF && m[1] != 0xC4 && m[1] != 0xC8 && m[1] != 0xCC)
			seen_sof = 1;
		pos += 2 + ((long)m[2] << 8 | m[3]);
		if (m[1] == 0xDA)
			break;
		if (pos >= size)
			return sohoa_error_set(SOHOA_EFORMAT, _("%s: JPEG has no image data"),
					       path);
	}
	if (!seen_sof)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: JPEG has no frame header"), path);
	/* Look for EOI (FF D9) after the scan, reading in blocks. */
	int prev_ff = 0;
	if (fseek(f, pos, SEEK_SET) != 0)
		return sohoa_error_set(SOHOA_EFORMAT, _("%s: truncated JPEG"), path);
	for (size_t n; (n = fread(buf, 1, sizeof buf, f)) > 0;) {
		for (size_t i = 0; i < n; i++) {
			if (prev_ff && buf[i] == 0xD9)
				return 0;
			prev_ff = buf[i] == 0xFF;
		}
	}
	return sohoa_error_set(SOHOA_EFORMAT, _("%s: truncated JPEG (no end-of-image marker)"),
			       path);
}

/* A PDF ends with %%EOF, which readers look for in its last 1024 bytes: a
 * file cut short in transfer lacks it (Poppler would rebuild what it can and
 * render part of a page without a word). */
static int check_pdf(FILE *f, const char *path, long size)
{
	char tail[1024];
	long from = size > (long)sizeof tail ? size - (long)sizeof tail : 0;
	size_t n;

	if (fseek(f, from, SEEK_SET) != 0)
		return sohoa_error_from_errno(errno, "%s", path);
	n = fread(tail, 1, sizeof tail, f);
	if (memmem(tail, n, "%%EOF", 5))
		return 0;
	return sohoa_error_set(SOHOA_EFORMAT, _("%s: truncated PDF (no %%%%EOF at its end)"), path);
}

int ocr_check_stream(const char *path, sohoa_image_format format)
{
	FILE *f;
	long size;
	int rc = 0;

	if (format != SOHOA_IMAGE_PNG && format != SOHOA_IMAGE_JPEG && format != SOHOA_IMAGE_PDF)
		return 0;
	f = fopen(path, "rb");
	if (!f)
		return sohoa_error_from_errno(errno, "%s", path);
	if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0) {
		fclose(f);
		return sohoa_error_from_errno(errno, "%s", path);
	}
	if (format == SOHOA_IMAGE_PNG)
		rc = check_png(f, path);
	else if (format == SOHOA_IMAGE_JPEG)
		rc = check_jpeg(f, path, size);
	else
		rc = check_pdf(f, path, size);
	fclose(f);
	return rc;
}

/* ------------------------------------------- image sizes declared in a PDF */
/* Poppler's GLib API tells where a page's images are drawn but not their
 * pixel size, short of decoding them whole (cairo then holds width x height x
 * 4 bytes, up to 4 GiB). An image XObject is a stream, and streams are never
 * inside compressed object streams, so its dictionary — /Subtype /Image
 * /Width w /Height h — is plain text in the file: a lexer over the file finds
 * them all, skipping stream data, strings and comments. What it cannot see:
 * sizes given by indirect reference (counted in `unsized`, and refused by
 * pdf_in.c) and inline images inside compressed page content. The same pass notes an /Encrypt key.
 */

typedef enum {
	TK_EOF,
	TK_DICT,
	TK_END_DICT,
	TK_ARRAY,
	TK_END_ARRAY,
	TK_NAME,
	TK_INT,
	TK_WORD,
	TK_OTHER
} pdf_token;

typedef struct {
	FILE *f;
	size_t pos, len;
	pdf_token kind;
	long long value; /* TK_INT */
	char text[32];   /* TK_NAME (without the slash) and TK_WORD, truncated */
	unsigned char buf[1 << 16];
} pdf_lexer;

enum { K_NONE, K_OTHER, K_SUBTYPE, K_WIDTH, K_HEIGHT, K_LENGTH, K_ENCRYPT };

/* One open dictionary: which key's value comes next, and what it said. */
typedef struct {
	int key, arrays, image;
	long long width, height, length; /* -1: absent or an indirect reference */
	int ref_key, ref_stage;          /* "<int> <int> R" after a value: indirect */
} pdf_dict;

#define PDF_MAX_DEPTH  32
#define PDF_MAX_STRING 65536 /* longer "strings" are taken as junk and lexed */

static int lx_get(pdf_lexer *lx)
{
	if (lx->pos == lx->len) {
		lx->len = fread(lx->buf, 1, sizeof lx->buf, lx->f);
		lx->pos = 0;
		if (lx->len == 0)
			return EOF;
	}
	return lx->buf[lx->pos++];
}

static int lx_peek(pdf_lexer *lx)
{
	int c = lx_get(lx);
	if (c != EOF)
		lx->pos--;
	return c;
}

static void lx_skip(pdf_lexer *lx, long long n)
{
	size_t here = lx->len - lx->pos;
	if ((unsigned long long)n <= here) {
		lx->pos += (size_t)n;
		return;
	}
	n -= (long long)here;
	lx->pos = lx->len = 0;
	if (fseeko(lx->f, (off_t)n, SEEK_CUR) != 0)
		(void)fseek(lx->f, 0, SEEK_END);
}

static int is_space(int c)
{
	return c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ';
}

static int is_regular(int c)
{
	return c != EOF && !is_space(c) && !strchr("()<>[]{}/%", c);
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A literal string: balanced parentheses, backslash escapes. */
static void skip_string(pdf_lexer *lx)
{
	int depth = 1, c;
	for (size_t n = 0; depth > 0 && n < PDF_MAX_STRING && (c = lx_get(lx)) != EOF; n++) {
		if (c == '\\')
			(void)lx_get(lx);
		else if (c == '(')
			depth++;
		else if (c == ')')
			depth--;
	}
}

/* A name (its #xx escapes decoded) or a bare word, into lx->text. */
static void read_word(pdf_lexer *lx, int c, int name)
{
	size_t n = 0;
	for (; is_regular(c); c = lx_get(lx)) {
		if (name && c == '#' && hex_value(lx_peek(lx)) >= 0) { /* "/Im#61ge" */
			int hi = hex_value(lx_get(lx)), lo = hex_value(lx_peek(lx));
			if (lo >= 0) {
				lx_get(lx);
				c = hi << 4 | lo;
			}
		}
		if (n + 1 < sizeof lx->text)
			lx->text[n++] = (char)c;
		if (!is_regular(lx_peek(lx)))
			break;
	}
	lx->text[n] = '\0';
}

static void classify_word(pdf_lexer *lx)
{
	const char *p = lx->text + (lx->text[0] == '+' || lx->text[0] == '-');
	lx->kind = TK_WORD;
	if (!*p || strspn(p, "0123456789") != strlen(p))
		return;
	lx->kind = TK_INT;
	lx->value = 0;
	for (; *p && lx->value < 1000000000000LL; p++)
		lx->value = lx->value * 10 + (*p - '0');
	if (lx->text[0] == '-')
		lx->value = -lx->value;
}

static void next_token(pdf_lexer *lx)
{
	int c;
	for (;;) {
		while (is_space(c = lx_get(lx)))
			;
		if (c != '%')
			break;
		while ((c = lx_get(lx)) != EOF && c != '\n' && c != '\r')
			;
	}
	lx->text[0] = '\0';
	lx->kind = TK_OTHER;
	if (c == EOF) {
		lx->kind = TK_EOF;
	} else if (c == '(') {
		skip_string(lx);
	} else if (c == '<' && lx_peek(lx) == '<') {
		lx_get(lx);
		lx->kind = TK_DICT;
	} else if (c == '<') { /* hex string */
		for (size_t n = 0; n < PDF_MAX_STRING && (c = lx_get(lx)) != EOF && c != '>'; n++)
			;
	} else if (c == '>' && lx_peek(lx) == '>') {
		lx_get(lx);
		lx->kind = TK_END_DICT;
	} else if (c == '[' || c == ']') {
		lx->kind = c == '[' ? TK_ARRAY : TK_END_ARRAY;
	} else if (c == '/') {
		c = lx_get(lx);
		if (is_regular(c))
			read_word(lx, c, 1);
		else if (c != EOF)
			lx->pos--;
		lx->kind = TK_NAME;
	} else if (is_regular(c)) {
		read_word(lx, c, 0);
		classify_word(lx);
	}
}

/* Skips the data after a "stream" keyword: /Length bytes when the dictionary
 * gave it plainly, else up to the "endstream" keyword. */
static void skip_stream(pdf_lexer *lx, long long length)
{
	static const char end[] = "endstream";
	size_t fail[sizeof end - 1] = {0}, k = 0;
	int c = lx_get(lx);

	if (c == '\r' && lx_peek(lx) == '\n')
		lx_get(lx);
	if (length >= 0) {
		lx_skip(lx, length);
		return;
	}
	/* Knuth-Morris-Pratt: "endstre" + "ndstream" must still be found. */
	for (size_t i = 1; i < sizeof end - 1; i++) {
		size_t j = fail[i - 1];
		while (j > 0 && end[i] != end[j])
			j = fail[j - 1];
		fail[i] = j + (end[i] == end[j]);
	}
	while (k < sizeof end - 1 && (c = lx_get(lx)) != EOF) {
		while (k > 0 && c != end[k])
			k = fail[k - 1];
		k += c == end[k];
	}
}

static void add_size(ocr_pdf_images *im, long long w, long long h)
{
	if (w <= 0 || h <= 0 || w > UINT32_MAX || h > UINT32_MAX) {
		im->unsized++;
		return;
	}
	if ((uint64_t)w * (uint64_t)h > (uint64_t)im->largest.width * (uint64_t)im->largest.height)
		im->largest = (ocr_pdf_image){(uint32_t)w, (uint32_t)h};
	for (size_t i = 0; i < im->count; i++)
		if (im->sizes[i].width == w && im->sizes[i].height == h)
			return;
	if (im->count == OCR_PDF_MAX_SIZES)
		im->overflow = 1;
	else
		im->sizes[im->count++] = (ocr_pdf_image){(uint32_t)w, (uint32_t)h};
}

static int key_of(const char *name)
{
	static const struct {
		const char *name;
		int key;
	} keys[] = {{"Subtype", K_SUBTYPE},
		    {"Width", K_WIDTH},
		    {"Height", K_HEIGHT},
		    {"Length", K_LENGTH},
		    {"Encrypt", K_ENCRYPT}};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!strcmp(name, keys[i].name))
			return keys[i].key;
	return K_OTHER;
}

static long long *value_of(pdf_dict *d, int key)
{
	return key == K_WIDTH    ? &d->width
	       : key == K_HEIGHT ? &d->height
	       : key == K_LENGTH ? &d->length
				 : NULL;
}

/* One token inside the dictionary `d` (not inside one of its arrays). */
static void dict_token(pdf_dict *d, const pdf_lexer *lx)
{
	int key = d->key, stage = d->ref_stage;

	d->key = K_NONE;
	d->ref_stage = 0;
	if (key == K_NONE) { /* a key, or the rest of "<int> <int> R" */
		if (lx->kind == TK_NAME) {
			d->key = key_of(lx->text);
		} else if (lx->kind == TK_INT && stage == 1) {
			d->ref_stage = 2;
		} else if (lx->kind == TK_WORD && stage == 2 && !strcmp(lx->text, "R")) {
			long long *v = value_of(d, d->ref_key);
			if (v)
				*v = -1;
		}
		return;
	}
	if (lx->kind == TK_ARRAY)
		d->arrays = 1;
	else if (lx->kind == TK_NAME && key == K_SUBTYPE && !strcmp(lx->text, "Image"))
		d->image = 1;
	else if (lx->kind == TK_INT && value_of(d, key)) {
		*value_of(d, key) = lx->value;
		d->ref_key = key;
		d->ref_stage = 1;
	}
}

int ocr_pdf_scan_images(ocr_pdf_images *out, const char *path)
{
	pdf_lexer *lx = calloc(1, sizeof *lx);
	pdf_dict stack[PDF_MAX_DEPTH];
	size_t depth = 0, hidden = 0; /* dictionaries nested deeper than the stack */
	long long length = -1;        /* /Length of the dictionary just closed */
	int after_dict = 0, rc = 0;

	memset(out, 0, sizeof *out);
	if (!lx)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	lx->f = fopen(path, "rb");
	if (!lx->f) {
		rc = sohoa_error_from_errno(errno, "%s", path);
		goto cleanup;
	}
	for (next_token(lx); lx->kind != TK_EOF; next_token(lx)) {
		int closed = 0;
		pdf_dict *d = depth ? &stack[depth - 1] : NULL;
		if (lx->kind == TK_DICT && (!d || d->key != K_NONE || d->arrays)) {
			if (d && !d->arrays)
				d->key = K_NONE; /* the new dictionary is this key's value */
			if (depth < PDF_MAX_DEPTH)
				stack[depth++] =
					(pdf_dict){.width = -1, .height = -1, .length = -1};
			else
				hidden++;
		} else if (lx->kind == TK_DICT && d) {
			hidden++; /* "<<" where a key belongs: malformed, ignore it */
		} else if (lx->kind == TK_END_DICT && hidden) {
			hidden--;
		} else if (lx->kind == TK_END_DICT && d) {
			if (d->image)
				add_size(out, d->width, d->height);
			length = d->length;
			closed = --depth == 0;
		} else if (d && d->arrays) {
			d->arrays += lx->kind == TK_ARRAY ? 1 : lx->kind == TK_END_ARRAY ? -1 : 0;
		} else if (d) {
			dict_token(d, lx);
			out->encrypted |= d->key == K_ENCRYPT; /* only a trailer has it */
		} else if (lx->kind == TK_WORD && after_dict && !strcmp(lx->text, "stream")) {
			skip_stream(lx, length);
		}
		after_dict = closed;
	}
	if (ferror(lx->f))
		rc = sohoa_error_from_errno(EIO, "%s", path);
cleanup:
	if (lx->f)
		fclose(lx->f);
	free(lx);
	return rc;
}
