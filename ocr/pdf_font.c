/* ocr/pdf_font.c: the invisible font of the searchable PDF — a glyphless
 * TrueType program made here, the CID given to each character of the
 * document, and the ToUnicode CMap that turns those CIDs back into text.
 *
 * Why our own font rather than Tesseract's pdf.ttf: the text layer is never
 * painted (render mode 3), so all a font has to carry is one advance width and
 * a valid structure. Making that program here (about 700 bytes, built the same
 * way every time) keeps PDF output free of a data file whose location depends
 * on how Tesseract was packaged, and of an error path for when it is missing. */
#include "ocr/pdf_font.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

#define MAX_CID 0xFFFF

typedef struct {
	uint32_t key; /* code point + 1; 0 marks a free slot */
	uint16_t cid;
} slot;

struct ocr_pdf_font {
	slot *slots; /* open addressing, power-of-two size */
	size_t nslots;
	uint32_t *cps; /* cps[cid] = code point; cps[0] is .notdef */
	size_t count;  /* CIDs in use, .notdef included */
	size_t cap;
};

int ocr_pdf_font_new(ocr_pdf_font **out)
{
	ocr_pdf_font *f = calloc(1, sizeof *f);

	*out = NULL;
	if (f) {
		f->nslots = 256;
		f->cap = 128;
		f->slots = calloc(f->nslots, sizeof *f->slots);
		f->cps = calloc(f->cap, sizeof *f->cps);
	}
	if (!f || !f->slots || !f->cps) {
		ocr_pdf_font_free(f);
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	}
	f->count = 1;
	*out = f;
	return 0;
}

void ocr_pdf_font_free(ocr_pdf_font *f)
{
	if (!f)
		return;
	free(f->slots);
	free(f->cps);
	free(f);
}

size_t ocr_pdf_font_cid_count(const ocr_pdf_font *f)
{
	return f->count;
}

uint32_t ocr_pdf_utf8_next(const char **s)
{
	const unsigned char *p = (const unsigned char *)*s;
	uint32_t c = p[0], min;
	int n;

	if (c < 0x80) {
		*s += c != 0;
		return c;
	}
	if ((c & 0xE0) == 0xC0) {
		n = 1, c &= 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 2, c &= 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 3, c &= 0x07, min = 0x10000;
	} else {
		*s += 1;
		return 0xFFFD;
	}
	for (int i = 1; i <= n; i++) {
		if ((p[i] & 0xC0) != 0x80) { /* also stops at the terminating NUL */
			*s += 1;
			return 0xFFFD;
		}
		c = c << 6 | (p[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
		*s += 1;
		return 0xFFFD;
	}
	*s += n + 1;
	return c;
}

static slot *find_slot(slot *slots, size_t nslots, uint32_t key)
{
	size_t i = (key * 2654435761u) & (nslots - 1);

	while (slots[i].key && slots[i].key != key)
		i = (i + 1) & (nslots - 1);
	return &slots[i];
}

/* Doubles the table and the CID list when they are half full. */
static int grow(ocr_pdf_font *f)
{
	if (f->count == f->cap) {
		uint32_t *cps = realloc(f->cps, 2 * f->cap * sizeof *cps);
		if (!cps)
			return SOHOA_ENOMEM;
		f->cps = cps;
		f->cap *= 2;
	}
	if (2 * f->count >= f->nslots) {
		size_t n = 2 * f->nslots;
		slot *s = calloc(n, sizeof *s);
		if (!s)
			return SOHOA_ENOMEM;
		for (size_t i = 0; i < f->nslots; i++)
			if (f->slots[i].key)
				*find_slot(s, n, f->slots[i].key) = f->slots[i];
		free(f->slots);
		f->slots = s;
		f->nslots = n;
	}
	return 0;
}

static int cid_of(ocr_pdf_font *f, uint32_t cp, uint16_t *cid)
{
	slot *s = find_slot(f->slots, f->nslots, cp + 1);

	if (!s->key) {
		if (f->count > MAX_CID)
			return sohoa_error_set(SOHOA_ELIMIT,
					       _("more than %d distinct characters in one PDF"),
					       MAX_CID);
		if (grow(f) < 0)
			return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		s = find_slot(f->slots, f->nslots, cp + 1);
		s->key = cp + 1;
		s->cid = (uint16_t)f->count;
		f->cps[f->count++] = cp;
	}
	*cid = s->cid;
	return 0;
}

int ocr_pdf_font_encode(ocr_pdf_font *f, uint16_t *out, size_t *n, const char *s)
{
	uint32_t cp;

	*n = 0;
	while ((cp = ocr_pdf_utf8_next(&s)) != 0) {
		int rc = cid_of(f, cp, &out[*n]);
		if (rc < 0)
			return rc;
		(*n)++;
	}
	return 0;
}

/* ---------------------------------------------------------- CMaps */

static const char tounicode_head[] = "/CIDInit /ProcSet findresource begin\n"
				     "12 dict begin\n"
				     "begincmap\n"
				     "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
				     "/Supplement 0 >> def\n"
				     "/CMapName /Adobe-Identity-UCS def\n"
				     "/CMapType 2 def\n"
				     "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
static const char tounicode_tail[] = "endcmap\n"
				     "CMapName currentdict /CMap defineresource pop\n"
				     "end\nend\n";

/* "<cid> <utf-16be>\n", a surrogate pair outside the BMP. */
static int bfchar(char *w, unsigned cid, uint32_t cp)
{
	if (cp < 0x10000)
		return sprintf(w, "<%04X> <%04X>\n", cid, (unsigned)cp);
	cp -= 0x10000;
	return sprintf(w, "<%04X> <%04X%04X>\n", cid, (unsigned)(0xD800 + (cp >> 10)),
		       (unsigned)(0xDC00 + (cp & 0x3FF)));
}

int ocr_pdf_font_tounicode(char **out, size_t *len, const ocr_pdf_font *f)
{
	/* Each entry is at most 18 bytes, each block of 100 adds two lines. */
	size_t n = f->count - 1,
	       size = sizeof tounicode_head + sizeof tounicode_tail + 18 * n + 32 * (n / 100 + 1);
	char *buf = malloc(size), *w;

	*out = NULL;
	if (!buf)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	w = buf + sprintf(buf, "%s", tounicode_head);
	for (size_t first = 1; first < f->count; first += 100) {
		size_t k = f->count - first < 100 ? f->count - first : 100;
		w += sprintf(w, "%zu beginbfchar\n", k);
		for (size_t i = first; i < first + k; i++)
			w += bfchar(w, (unsigned)i, f->cps[i]);
		w += sprintf(w, "endbfchar\n");
	}
	w += sprintf(w, "%s", tounicode_tail);
	*out = buf;
	*len = (size_t)(w - buf);
	return 0;
}

int ocr_pdf_font_cidtogid(uint8_t **out, size_t *len, const ocr_pdf_font *f)
{
	uint8_t *map = calloc(f->count, 2);

	*out = NULL;
	if (!map)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	for (size_t i = 1; i < f->count; i++)
		map[2 * i + 1] = 1; /* every character is glyph 1 */
	*out = map;
	*len = 2 * f->count;
	return 0;
}

/* --------------------------------------------------- TrueType program */
/* Ten tables, in tag order: OS/2 cmap glyf head hhea hmtx loca maxp name
 * post. Two glyphs: .notdef, a contour of one point (which paints nothing
 * but keeps 'glyf' from being empty), and glyph 1, empty, which every
 * character uses. One unit per 1/1000 em, as in PDF glyph space. */

#define FONT_NAME "SohoaGlyphless"
#define NTABLES   10
#define FONT_MAX  1024

typedef struct {
	uint8_t *p;
	size_t n;
} cursor;

static void put8(cursor *c, unsigned v)
{
	c->p[c->n++] = (uint8_t)v;
}

static void put16(cursor *c, unsigned v)
{
	put8(c, v >> 8);
	put8(c, v);
}

static void put32(cursor *c, uint32_t v)
{
	put16(c, v >> 16);
	put16(c, v & 0xFFFF);
}

/* Signed 16-bit values go out as their two's complement. */
static void puts16(cursor *c, int v)
{
	put16(c, (unsigned)(v & 0xFFFF));
}

static void puts16s(cursor *c, const int *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		puts16(c, v[i]);
}

static void table_os2(cursor *c)
{
	/* sub/superscript sizes and offsets, strikeout size and position */
	static const int script[] = {650, 600, 0, 75, 650, 600, 0, 350, 50, 300};

	put16(c, 4);                    /* version */
	puts16(c, OCR_PDF_GLYPH_WIDTH); /* xAvgCharWidth */
	put16(c, 400);                  /* usWeightClass: regular */
	put16(c, 5);                    /* usWidthClass: medium */
	put16(c, 0);                    /* fsType: installable embedding */
	puts16s(c, script, 10);
	put16(c, 0); /* sFamilyClass */
	for (int i = 0; i < 10; i++)
		put8(c, 0); /* panose: any */
	for (int i = 0; i < 4; i++)
		put32(c, 0);           /* ulUnicodeRange1-4 */
	put32(c, 0x534F484F);          /* achVendID "SOHO" */
	put16(c, 0x40);                /* fsSelection: regular */
	put16(c, 0x20);                /* usFirstCharIndex */
	put16(c, 0xFFFF);              /* usLastCharIndex */
	puts16(c, OCR_PDF_ASCENT);     /* sTypoAscender */
	puts16(c, OCR_PDF_DESCENT);    /* sTypoDescender */
	puts16(c, 0);                  /* sTypoLineGap */
	put16(c, OCR_PDF_ASCENT);      /* usWinAscent */
	put16(c, -OCR_PDF_DESCENT);    /* usWinDescent */
	put32(c, 1);                   /* ulCodePageRange1: Latin 1 */
	put32(c, 0);                   /* ulCodePageRange2 */
	puts16(c, OCR_PDF_ASCENT / 2); /* sxHeight */
	puts16(c, OCR_PDF_ASCENT);     /* sCapHeight */
	put16(c, 0);                   /* usDefaultChar */
	put16(c, 0x20);                /* usBreakChar */
	put16(c, 1);                   /* usMaxContext */
}

/* A (3,1) format 4 subtable with only the closing segment: the font maps no
 * code of its own, since the PDF reaches glyphs through CIDToGIDMap. */
static void table_cmap(cursor *c)
{
	put16(c, 0);      /* version */
	put16(c, 1);      /* one encoding record */
	put16(c, 3);      /* Windows */
	put16(c, 1);      /* Unicode BMP */
	put32(c, 12);     /* subtable offset */
	put16(c, 4);      /* format */
	put16(c, 24);     /* length */
	put16(c, 0);      /* language */
	put16(c, 2);      /* segCountX2 */
	put16(c, 2);      /* searchRange */
	put16(c, 0);      /* entrySelector */
	put16(c, 0);      /* rangeShift */
	put16(c, 0xFFFF); /* endCode */
	put16(c, 0);      /* reservedPad */
	put16(c, 0xFFFF); /* startCode */
	put16(c, 1);      /* idDelta */
	put16(c, 0);      /* idRangeOffset */
}

static void table_glyf(cursor *c)
{
	puts16(c, 1);                             /* .notdef: one contour */
	puts16s(c, (const int[]){0, 0, 0, 0}, 4); /* its box */
	put16(c, 0);                              /* the contour ends at point 0 */
	put16(c, 0);                              /* no instructions */
	put8(c, 0x31);                            /* on curve, x and y the same as before (0, 0) */
	put8(c, 0);                               /* padding to an even length */
}

static void table_head(cursor *c)
{
	put32(c, 0x00010000); /* version 1.0 */
	put32(c, 0x00010000); /* fontRevision 1.0 */
	put32(c, 0);          /* checkSumAdjustment, set once the font is whole */
	put32(c, 0x5F0F3CF5); /* magic */
	put16(c, 3);          /* baseline at y=0, left sidebearing at x=0 */
	put16(c, 1000);       /* unitsPerEm */
	for (int i = 0; i < 2; i++) {
		put32(c, 0);          /* created, modified: 2024-01-01, fixed so */
		put32(c, 0xE1B7B100); /* the output is reproducible */
	}
	puts16s(c, (const int[]){0, 0, 0, 0}, 4); /* bounding box of all glyphs */
	put16(c, 0);                              /* macStyle */
	put16(c, 8);                              /* lowestRecPPEM */
	puts16(c, 2);                             /* fontDirectionHint */
	puts16(c, 0);                             /* indexToLocFormat: short offsets */
	puts16(c, 0);                             /* glyphDataFormat */
}

static void table_hhea(cursor *c)
{
	put32(c, 0x00010000);
	puts16(c, OCR_PDF_ASCENT);
	puts16(c, OCR_PDF_DESCENT);
	puts16(c, 0);                             /* lineGap */
	put16(c, OCR_PDF_GLYPH_WIDTH);            /* advanceWidthMax */
	puts16s(c, (const int[]){0, 0, 0}, 3);    /* min bearings, xMaxExtent */
	puts16s(c, (const int[]){1, 0, 0}, 3);    /* caret: upright */
	puts16s(c, (const int[]){0, 0, 0, 0}, 4); /* reserved */
	puts16(c, 0);                             /* metricDataFormat */
	put16(c, 2);                              /* numberOfHMetrics */
}

static void table_hmtx(cursor *c)
{
	for (int g = 0; g < 2; g++) {
		put16(c, OCR_PDF_GLYPH_WIDTH);
		puts16(c, 0);
	}
}

static void table_loca(cursor *c)
{
	put16(c, 0); /* .notdef: bytes 0..16 of glyf (offsets / 2) */
	put16(c, 8); /* glyph 1: empty */
	put16(c, 8);
}

static void table_maxp(cursor *c)
{
	/* numGlyphs, maxPoints, maxContours, maxCompositePoints,
	 * maxCompositeContours, maxZones, then the hinting maxima (none). */
	static const int v[] = {2, 1, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0};

	put32(c, 0x00010000);
	puts16s(c, v, sizeof v / sizeof *v);
}

static void table_name(cursor *c)
{
	static const struct {
		int id;
		const char *s;
	} names[] = {
		{1, FONT_NAME}, {2, "Regular"},     {3, "sohoa: " FONT_NAME},
		{4, FONT_NAME}, {5, "Version 1.0"}, {6, FONT_NAME},
	};
	const size_t n = sizeof names / sizeof *names;
	size_t offset = 0;

	put16(c, 0); /* format */
	put16(c, (unsigned)n);
	put16(c, (unsigned)(6 + 12 * n)); /* where the strings start */
	for (size_t i = 0; i < n; i++) {
		size_t len = 2 * strlen(names[i].s);
		put16(c, 3);     /* Windows */
		put16(c, 1);     /* Unicode BMP */
		put16(c, 0x409); /* en-US */
		put16(c, (unsigned)names[i].id);
		put16(c, (unsigned)len);
		put16(c, (unsigned)offset);
		offset += len;
	}
	for (size_t i = 0; i < n; i++)
		for (const char *s = names[i].s; *s; s++)
			put16(c, (unsigned char)*s); /* ASCII as UTF-16BE */
}

static void table_post(cursor *c)
{
	put32(c, 0x00030000); /* version 3: no glyph names */
	put32(c, 0);          /* italicAngle */
	puts16(c, -100);      /* underlinePosition */
	puts16(c, 50);        /* underlineThickness */
	put32(c, 1);          /* isFixedPitch */
	for (int i = 0; i < 4; i++)
		put32(c, 0); /* memory hints */
}

static uint32_t checksum(const uint8_t *p, size_t n)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < n; i += 4) /* tables are zero-padded to 4 bytes */
		sum += (uint32_t)p[i] << 24 | (uint32_t)p[i + 1] << 16 | (uint32_t)p[i + 2] << 8 |
		       p[i + 3];
	return sum;
}

int ocr_pdf_font_program(uint8_t **out, size_t *len)
{
	static const struct {
		char tag[5];
		void (*fill)(cursor *);
	} tables[NTABLES] = {
		{"OS/2", table_os2},  {"cmap", table_cmap}, {"glyf", table_glyf},
		{"head", table_head}, {"hhea", table_hhea}, {"hmtx", table_hmtx},
		{"loca", table_loca}, {"maxp", table_maxp}, {"name", table_name},
		{"post", table_post},
	};
	uint8_t *font = calloc(1, FONT_MAX);
	cursor dir = {font, 0}, body;
	size_t head_at = 0;

	*out = NULL;
	if (!font)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	put32(&dir, 0x00010000); /* TrueType outlines */
	put16(&dir, NTABLES);
	put16(&dir, 128); /* searchRange: 16 * 8, the largest power of 2 <= 10 */
	put16(&dir, 3);   /* entrySelector: log2(8) */
	put16(&dir, NTABLES * 16 - 128);
	body = (cursor){font, 12 + 16 * NTABLES};
	for (int i = 0; i < NTABLES; i++) {
		size_t start = body.n;
		tables[i].fill(&body);
		for (int k = 0; k < 4; k++)
			put8(&dir, (unsigned char)tables[i].tag[k]);
		put32(&dir, checksum(font + start, body.n - start));
		put32(&dir, (uint32_t)start);
		put32(&dir, (uint32_t)(body.n - start));
		if (!strcmp(tables[i].tag, "head"))
			head_at = start;
		body.n = (body.n + 3) & ~(size_t)3;
	}
	/* The whole font must sum to 0xB1B0AFBA. */
	cursor adj = {font, head_at + 8};
	put32(&adj, 0xB1B0AFBA - checksum(font, body.n));
	*out = font;
	*len = body.n;
	return 0;
}
