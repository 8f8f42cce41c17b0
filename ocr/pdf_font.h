/* ocr/pdf_font.h: the invisible font of the searchable PDF's text layer, shared
 * by pdf_out.c (which writes the document) and pdf_font.c (which makes the font
 * program, numbers the characters and writes their ToUnicode CMap). */
#ifndef SOHOA_OCR_PDF_FONT_H
#define SOHOA_OCR_PDF_FONT_H

#include <stddef.h>
#include <stdint.h>

/* Metrics of the one glyph every character is drawn with, in 1/1000 of the
 * font size: an advance of OCR_PDF_GLYPH_WIDTH, a body from OCR_PDF_DESCENT
 * below the baseline to OCR_PDF_ASCENT above it (one font size in all). */
#define OCR_PDF_GLYPH_WIDTH 500
#define OCR_PDF_ASCENT      800
#define OCR_PDF_DESCENT     (-200)

/* The characters of one document, each given its own CID (1, 2, … in order
 * of first use; CID 0 is .notdef), so the ToUnicode CMap can map each CID to
 * its code point, including those outside the BMP. */
typedef struct ocr_pdf_font ocr_pdf_font;

/* Errors: SOHOA_ENOMEM. */
int ocr_pdf_font_new(ocr_pdf_font **out);
void ocr_pdf_font_free(ocr_pdf_font *font);

/* Encodes the UTF-8 string `s` as CIDs into `out`, which has room for
 * strlen(s) entries, and sets *n to their number. Invalid UTF-8 becomes
 * U+FFFD. Errors: SOHOA_ELIMIT past 65535 distinct characters, SOHOA_ENOMEM. */
int ocr_pdf_font_encode(ocr_pdf_font *font, uint16_t *out, size_t *n, const char *s);

/* Number of CIDs in use, .notdef included (the highest CID + 1). */
size_t ocr_pdf_font_cid_count(const ocr_pdf_font *font);

/* The ToUnicode CMap (text) and the CIDToGIDMap (binary, two bytes per
 * CID) of the CIDs assigned so far, as new buffers the caller frees.
 * Errors: SOHOA_ENOMEM. */
int ocr_pdf_font_tounicode(char **out, size_t *len, const ocr_pdf_font *font);
int ocr_pdf_font_cidtogid(uint8_t **out, size_t *len, const ocr_pdf_font *font);

/* The TrueType program of the glyphless font, a new buffer the caller frees.
 * Errors: SOHOA_ENOMEM. */
int ocr_pdf_font_program(uint8_t **out, size_t *len);

/* The code point at *s (UTF-8), advancing *s past it; U+FFFD for a malformed
 * sequence (one byte is consumed), 0 at the end of the string. */
uint32_t ocr_pdf_utf8_next(const char **s);

#endif
