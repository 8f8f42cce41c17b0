/* fuzz/fuzz_ocr_words.c: libFuzzer target for what is done to the words
 * Tesseract read from an untrusted image: the bytes are a page's text (lines
 * split at '\n', words at ' ', any bytes, valid UTF-8 or not), the first byte
 * the words' confidence, and the page goes through ocr_tidy_words (marks from
 * context included) and ocr_layout. At most 512 words and 64 lines. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ocr/ocr_int.h"

#define MAX_WORDS 512
#define MAX_LINES 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	float conf = (float)(data[0] % 101);
	sohoa_ocr_page *p = calloc(1, sizeof *p);
	if (!p)
		return 0;
	p->words = calloc(MAX_WORDS, sizeof *p->words);
	p->lines = calloc(MAX_LINES, sizeof *p->lines);
	if (!p->words || !p->lines)
		goto done;
	p->line_count = 1;
	for (size_t i = 1; i < size && p->word_count < MAX_WORDS;) {
		size_t n = 0;
		while (i + n < size && data[i + n] != ' ' && data[i + n] != '\n')
			n++;
		if (n > 0) {
			sohoa_ocr_word *w = &p->words[p->word_count];
			if (!(w->text = malloc(n + 1)))
				goto done;
			memcpy(w->text, data + i, n);
			w->text[n] = '\0';
			w->confidence = conf;
			w->box = (sohoa_box){(int)p->word_count * 10, (int)p->line_count * 20, 8, 10};
			p->word_count++;
			p->lines[p->line_count - 1].word_count++;
		}
		i += n;
		if (i < size && data[i] == '\n' && p->line_count < MAX_LINES) {
			p->lines[p->line_count].first_word = p->word_count;
			p->line_count++;
		}
		i++;
	}
	ocr_tidy_words(p, 1);
	ocr_layout(p);
done:
	sohoa_ocr_page_free(p);
	return 0;
}
