/* fuzz/fuzz_package.c: libFuzzer target for the package.xml reader. Whatever
 * sohoa_package_parse accepts must be writable and read back equal, with the
 * same bytes when written again (deterministic writer); whatever it refuses
 * comes with a promised code and a message naming the input. */
#include <libxml/parser.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/formats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sohoa_limits lim = sohoa_limits_default();
	sohoa_package *p = NULL, *back = NULL;
	char *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	int rc;

	lim.max_xml_text = 4096;
	lim.max_xml_attrs = 16;
	lim.max_xml_depth = 32;
	rc = sohoa_package_parse(&p, (const char *)data, size, "fuzz.xml", &lim);
	if (rc != 0) {
		if (p || (rc != SOHOA_EFORMAT && rc != SOHOA_ELIMIT) ||
		    strncmp(sohoa_error_last(), "fuzz.xml", 8) != 0)
			abort(); /* refused without the promised code or message */
		return 0;
	}
	for (size_t i = 0; i < p->nfiles; i++)
		if (sohoa_formats_check_relative_path(p->files[i].path) != 0)
			abort(); /* a path that escapes its folder got through */
	if (sohoa_package_to_xml(&a, &alen, p) != 0 ||
	    sohoa_package_parse(&back, a, alen, "fuzz-again.xml", &lim) != 0 ||
	    !sohoa_package_equal(p, back) || sohoa_package_to_xml(&b, &blen, back) != 0 ||
	    alen != blen || memcmp(a, b, alen) != 0)
		abort(); /* an accepted package does not round-trip */
	free(a);
	free(b);
	sohoa_package_free(back);
	sohoa_package_free(p);
	return 0;
}
