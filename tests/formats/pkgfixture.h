/* tests/formats/pkgfixture.h: package folders made from the sample dossiers. */
#ifndef SOHOA_TEST_PKGFIXTURE_H
#define SOHOA_TEST_PKGFIXTURE_H

#include "formats/formats.h"

#define PF_NSAMPLES 5
/* The codes (folder names) of the sample dossiers in samples/inbox/. */
extern const char *const pf_samples[PF_NSAMPLES];

/* Copies a file (fixture helper: fails the test on error). */
void pf_copy_file(const char *from, const char *to);

/* Fills the empty folder `pkgdir` for sample `code`: its pages copied to
 * pages/, a text file per document in docs/. Returns the package built from
 * the sample's manifest with the folder's Files list and some OCR figures
 * (package.xml is not written). */
sohoa_package *pf_sample_package(const char *code, const char *pkgdir);

#endif
