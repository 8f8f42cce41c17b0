/* fuzz/fuzz_xml.c: libFuzzer target feeding arbitrary bytes to sohoa_xml_parse,
 * checking that whatever it accepts is safe (no DTD) and whatever it refuses
 * comes with a code and a message naming the input. */
#include <libxml/parser.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/formats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sohoa_limits lim = sohoa_limits_default();
	xmlDocPtr doc = NULL;
	int rc;

	lim.max_xml_text = 4096; /* small caps, so inputs of fuzzer size reach them */
	lim.max_xml_attrs = 16;
	lim.max_xml_depth = 32;
	rc = sohoa_xml_parse(&doc, (const char *)data, size, "fuzz.xml", &lim);
	if (rc == 0) {
		if (!doc || doc->intSubset || doc->extSubset || !xmlDocGetRootElement(doc))
			abort(); /* accepted something the contract forbids */
		xmlFreeDoc(doc);
	} else if (doc || (rc != SOHOA_EFORMAT && rc != SOHOA_ELIMIT) ||
		   strncmp(sohoa_error_last(), "fuzz.xml", 8) != 0) {
		abort(); /* refused without the promised code or message */
	}
	return 0;
}
