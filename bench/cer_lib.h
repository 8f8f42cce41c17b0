/* bench/cer_lib.h: character error rate as the OCR issue defines it, shared
 * by the sohoa-cer tool and the OCR tests. */
#ifndef SOHOA_CER_LIB_H
#define SOHOA_CER_LIB_H

#include <stddef.h>

/* Levenshtein distance over code points between `truth` and `output` (UTF-8)
 * after NFC normalisation and folding every whitespace run to one space
 * (ends trimmed), divided by the truth's length. Sets *errors and *length
 * when not NULL. Returns -1 on invalid UTF-8. */
double cer_compute(const char *truth, const char *output, size_t *errors, size_t *length);

#endif
