/* core/limits.c: default caps on untrusted input (documented in docs/limits.md). */
#include "core/core.h"

sohoa_limits sohoa_limits_default(void)
{
	return (sohoa_limits){
		.max_manifest_bytes = 4u << 20,      /* 4 MiB of XML */
		.max_xml_depth = 64,
		.max_xml_attrs = 64,
		.max_xml_text = 1u << 20,            /* 1 MiB in one node */
		.max_image_bytes = 256u << 20,       /* 256 MiB per file */
		.max_image_pixels = 20000ull * 20000, /* A0 at 300 dpi is ~140 Mpx */
		.max_image_pages = 2000,
		.max_dossier_pages = 5000,
		.max_request_bytes = 64u << 10,      /* 64 KiB */
	};
}
