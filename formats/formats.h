/* formats/formats.h: the one public header of formats/ — safe parsing of
 * untrusted XML (and, as it grows, the intake manifest and package.xml). */
#ifndef SOHOA_FORMATS_H
#define SOHOA_FORMATS_H

#include <libxml/tree.h>

#include "core/core.h"

/* Parses `len` bytes of untrusted XML named `name` (used in messages) into a
 * document the caller frees with xmlFreeDoc. Safe by construction: the input
 * must be UTF-8 without NUL bytes and without a DOCTYPE (so no DTD, no entity
 * expansion, no external entities), nothing is fetched from the network, and
 * the caps of `limits` (bytes, element depth, attributes per element, bytes per
 * text node or attribute) are enforced. Errors name the input and, where
 * known, the line: SOHOA_ELIMIT for a cap, SOHOA_EFORMAT for anything else. */
int sohoa_xml_parse(xmlDocPtr *out, const char *buf, size_t len, const char *name,
		    const sohoa_limits *limits);

/* Reads the file at `path` (refusing it before reading when larger than
 * limits->max_manifest_bytes) and parses it as sohoa_xml_parse does. */
int sohoa_xml_read(xmlDocPtr *out, const char *path, const sohoa_limits *limits);

/* libxml2's version, e.g. "libxml2 2.9.14". Static string, never NULL. */
const char *sohoa_formats_versions(void);

#endif
