/* formats/internal.h: helpers shared by the files of formats/ and nowhere
 * else (the module's one public header is formats/formats.h). */
#ifndef SOHOA_FORMATS_INTERNAL_H
#define SOHOA_FORMATS_INTERNAL_H

#include <libxml/tree.h>
#include <stdio.h>

#include "formats/formats.h"

#define INTAKE_NS  "urn:sohoa:intake:1"
#define PACKAGE_NS "urn:sohoa:package:1"
#define DSIG_NS    "http://www.w3.org/2000/09/xmldsig#"

/* The embedded XSDs (schemas.c, generated from formats/schema/). */
extern const char sohoa_schema_intake[];
extern const size_t sohoa_schema_intake_len;
extern const char sohoa_schema_package[];
extern const size_t sohoa_schema_package_len;

/* Offset of the first byte of `s` that is not well-formed UTF-8, or `len`. */
size_t formats_utf8_invalid_at(const unsigned char *s, size_t len);

/* Validates `doc` against the XSD in `xsd`; the first violation becomes
 * "<name>:<line>: <path>: <reason>" (SOHOA_EFORMAT). */
int formats_validate(xmlDocPtr doc, const char *name, const char *xsd, size_t xsd_len);

/* Writes into `buf` the field path of `node` (and of its attribute `attr`
 * when not NULL) below the root, e.g. "document[2]/page[1]/@file"; the root
 * itself is named ("dossier/@code"). */
void formats_node_path(char *buf, size_t size, xmlNodePtr node, const char *attr);

/* Sets SOHOA_EFORMAT "<name>:<line of node>: <path>: <reason>" and returns it.
 * `reason` is the calling thread's last message when `fmt` is NULL. */
int formats_field_error(const char *name, xmlNodePtr node, const char *attr, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Child elements in namespace `ns` named `local`: the first one, or the next
 * one after `prev`. */
xmlNodePtr formats_child(xmlNodePtr parent, const char *ns, const char *local);
xmlNodePtr formats_next(xmlNodePtr prev, const char *ns, const char *local);

/* NFC copy of an element's text or of an attribute's value (NULL when the
 * element or attribute is absent). Returns 0 or SOHOA_ENOMEM/SOHOA_EFORMAT. */
int formats_text(char **out, xmlNodePtr node);
int formats_attr(char **out, xmlNodePtr node, const char *attr);

/* XML escaping of `s` for text (attr = 0) or for a double-quoted attribute. */
void formats_escape(FILE *out, const char *s, int attr);

/* Date parts of "YYYY-MM-DD" (0 or -1); whether y-m-d exists. */
int formats_parse_date(const char *s, int *y, int *m, int *d);

#endif
