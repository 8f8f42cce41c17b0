/* fuzz/fuzz_manifest.c: libFuzzer target for the intake manifest parser.
 * Whatever sohoa_manifest_parse accepts must hold the promised checks (valid
 * dossier code and citizen id, relative page paths) and must make a package
 * that writes, reads back equal and writes to the same bytes; whatever it
 * refuses comes with a promised code and a message naming the input. */
#include <libxml/parser.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/formats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void round_trip(const sohoa_manifest *m, const sohoa_limits *lim)
{
	sohoa_package *p = NULL, *back = NULL;
	char *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;

	if (sohoa_package_from_manifest(&p, m) != 0)
		abort();
	p->ocr_pages = m->npages;
	p->ocr_confidence_centi = 8050;
	if (sohoa_package_to_xml(&a, &alen, p) != 0 ||
	    sohoa_package_parse(&back, a, alen, "fuzz-package.xml", lim) != 0 ||
	    !sohoa_package_equal(p, back) || sohoa_package_to_xml(&b, &blen, back) != 0 ||
	    alen != blen || memcmp(a, b, alen) != 0)
		abort(); /* a valid manifest made a package that does not round-trip */
	free(a);
	free(b);
	sohoa_package_free(back);
	sohoa_package_free(p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sohoa_limits lim = sohoa_limits_default();
	sohoa_manifest *m = NULL;
	int rc;

	lim.max_xml_text = 4096; /* small caps, so inputs of fuzzer size reach them */
	lim.max_xml_attrs = 16;
	lim.max_xml_depth = 32;
	lim.max_dossier_pages = 64;
	rc = sohoa_manifest_parse(&m, (const char *)data, size, "fuzz.xml", &lim);
	if (rc == 0) {
		if (!m || sohoa_formats_check_dossier_code(m->code) != 0 ||
		    sohoa_formats_check_citizen_id(m->applicant_id) != 0 || m->ndocuments == 0)
			abort();
		for (size_t i = 0; i < m->ndocuments; i++)
			for (size_t k = 0; k < m->documents[i].npages; k++)
				if (sohoa_formats_check_relative_path(m->documents[i].pages[k]) !=
				    0)
					abort();
		round_trip(m, &lim);
		sohoa_manifest_free(m);
	} else if (m || (rc != SOHOA_EFORMAT && rc != SOHOA_ELIMIT) ||
		   strncmp(sohoa_error_last(), "fuzz.xml", 8) != 0) {
		abort(); /* refused without the promised code or message */
	}
	return 0;
}
