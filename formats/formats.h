/* formats/formats.h: the one public header of formats/ — safe parsing of
 * untrusted XML, the intake manifest dossier.xml, the package package.xml and
 * the edXML export. Both formats are specified in docs/formats.md and by the
 * XSDs of formats/schema/, which are compiled into the library. */
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

/* ------------------------------------------------------------- checks */
/* Field checks shared by the parsers, for other modules too (lookup takes a
 * citizen id or a dossier code on the command line). Each returns 0 or
 * SOHOA_EFORMAT with a message saying what is wrong with `s` (without naming a
 * file: callers prefix it). */

/* "<agency code>-yymmdd-<serial>", e.g. 000.00.12.H29-231122-0001: agency code
 * NNN.NN.NN.LNN (digits or capitals in the first three groups), a real date,
 * a serial of 4 to 6 digits. */
int sohoa_formats_check_dossier_code(const char *s);
/* 12 digits whose first three are one of the 63 province codes of Circular
 * 07/2016/TT-BCA (001 Hà Nội … 096 Cà Mau). */
int sohoa_formats_check_citizen_id(const char *s);
/* YYYY-MM-DD, a date that exists (2023-02-30 does not). */
int sohoa_formats_check_date(const char *s);
/* YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm), a real date and time, offset at
 * most 14 hours. */
int sohoa_formats_check_datetime(const char *s);
/* A relative path that stays inside its folder: not empty, not absolute, no
 * backslash, no control character, no empty, "." or ".." component. */
int sohoa_formats_check_relative_path(const char *s);

/* Name of the province whose citizen-id code is `code` ("001" → "Hà Nội"), or
 * NULL when there is none. Static string. */
const char *sohoa_formats_province_name(const char *code);

/* Media type of a file from its extension, any case ("a.TIF" → "image/tiff";
 * "application/octet-stream" when unknown). Static string, never NULL. */
const char *sohoa_formats_media_type(const char *path);

/* ----------------------------------------------------- intake manifest */
/* A dossier as its intake manifest (dossier.xml, urn:sohoa:intake:1)
 * describes it. Every string is NFC UTF-8 owned by the manifest; optional
 * fields are NULL when absent. Read it, do not change it, free it with
 * sohoa_manifest_free. */
typedef enum {
	SOHOA_DOC_COMPONENT = 0, /* part of the application (thành phần hồ sơ) */
	SOHOA_DOC_RESULT = 1,    /* result of the procedure (kết quả) */
} sohoa_doc_kind;

typedef enum {
	SOHOA_APPROVAL_SEAL = 0,   /* organisation seal only (the default) */
	SOHOA_APPROVAL_LEADER = 1, /* a leader signs as well */
} sohoa_approval;

typedef struct {
	sohoa_doc_kind kind;
	char *type;        /* document type (Tờ khai, Quyết định…); NULL if image-only */
	char *number;      /* number and notation, e.g. 2847/QĐ-UBND; optional */
	char *issued;      /* issue date YYYY-MM-DD; optional */
	char *issuer;      /* issuing organ; optional */
	char *title;       /* title / subject; NULL if image-only */
	char *signer_name; /* who signed the paper document; optional */
	char *signer_position; /* their position; optional */
	char **pages;          /* page files relative to the dossier folder, in order */
	size_t npages;
} sohoa_manifest_document;

typedef struct {
	char *code;           /* dossier code (for an image-only dossier: its folder name) */
	int image_only;       /* 1 when built from a folder without dossier.xml */
	char *procedure_code; /* e.g. 1.001193; NULL if image-only */
	char *procedure_name;
	sohoa_approval approval;
	char *received;    /* reception time, ISO 8601 with offset; NULL if image-only */
	char *agency_code; /* receiving agency, e.g. 000.00.12.H29; NULL if image-only */
	char *agency_name;
	char *applicant_id; /* 12-digit citizen id; NULL if image-only */
	char *applicant_name;
	sohoa_manifest_document *documents;
	size_t ndocuments;
	size_t npages; /* pages of all documents */
} sohoa_manifest;

/* Parses `len` bytes of dossier.xml named `name` (used in messages): safe XML
 * parsing (sohoa_xml_parse), field checks, validation against intake.xsd, then
 * the checks the XSD cannot make: the dossier code's agency and date agree with
 * the agency code and the reception date, the citizen id's province exists,
 * dates exist, page paths are relative and stay inside the folder (by name
 * only: sohoa_manifest_check_files looks at the disk), at most
 * limits->max_dossier_pages pages. The first violation is reported as
 * "<name>:<line>: <field path>: <reason>", e.g.
 * "dossier.xml:5: applicant/@id: citizen id must be 12 digits".
 * Errors: SOHOA_EFORMAT, SOHOA_ELIMIT, SOHOA_ENOMEM. */
int sohoa_manifest_parse(sohoa_manifest **out, const char *buf, size_t len, const char *name,
			 const sohoa_limits *limits);

/* Reads and parses the manifest file at `path` as sohoa_manifest_parse does,
 * then checks its pages on disk (sohoa_manifest_check_files) against the
 * manifest's folder. Also SOHOA_ENOTFOUND, SOHOA_EIO, SOHOA_EPERM. */
int sohoa_manifest_read(sohoa_manifest **out, const char *path, const sohoa_limits *limits);

/* Checks that every page file of `m` exists under `dir` as a regular file, and
 * that resolving it (symbolic links included) stays inside `dir`. Messages
 * name `dir`/<page>. Errors: SOHOA_EFORMAT (escapes, not a regular file),
 * SOHOA_ENOTFOUND, SOHOA_EIO. */
int sohoa_manifest_check_files(const sohoa_manifest *m, const char *dir);

/* An image-only dossier: `dir` has no dossier.xml. Code = the folder's name,
 * one document (kind component) whose pages are the folder's image files
 * (.tif .tiff .jpg .jpeg .png .pdf, not hidden, regular files; a symbolic
 * link only when it resolves inside `dir`) in byte order of their names. Errors: SOHOA_EFORMAT (no
 * image), SOHOA_ELIMIT (more than limits->max_dossier_pages), SOHOA_ENOTFOUND, SOHOA_EIO. */
int sohoa_manifest_from_folder(sohoa_manifest **out, const char *dir, const sohoa_limits *limits);

/* The dossier in folder `dir`: dir/dossier.xml when it exists
 * (sohoa_manifest_read), else the folder's images (sohoa_manifest_from_folder). */
int sohoa_manifest_load(sohoa_manifest **out, const char *dir, const sohoa_limits *limits);

void sohoa_manifest_free(sohoa_manifest *m);

/* --------------------------------------------------------------- package */
/* package.xml (urn:sohoa:package:1): the record metadata of Decree
 * 30/2020/NĐ-CP Appendix VI, the OCR summary and the list of files, all inside
 * <Content Id="content">, then <Signatures>. Strings are NFC UTF-8 owned by the
 * package (malloc'd: a caller may replace one, freeing the old); optional ones
 * are NULL when absent. Free with sohoa_package_free. */
typedef struct {
	sohoa_doc_kind kind;
	char *type;            /* DocumentType; optional */
	char *number;          /* NumberNotation; optional */
	char *issued;          /* IssueDate YYYY-MM-DD; optional */
	char *issuer;          /* Issuer; optional */
	char *subject;         /* Subject (trích yếu); optional */
	char *language;        /* Language, e.g. "vi" */
	char *signer_name;     /* Signer/@Name; optional */
	char *signer_position; /* Signer/@Position; optional */
	size_t *page_numbers;  /* Page/@Number: 1-based pages of the dossier */
	char **page_sources;   /* Page/@Source: the intake file of each page */
	size_t npages;
} sohoa_package_document;

typedef struct {
	char *path;                            /* relative to the package folder, '/' separated */
	char *media_type;                      /* from the extension (sohoa_formats_media_type) */
	uint64_t size;                         /* bytes */
	char sha256[SOHOA_SHA256_HEX_LEN + 1]; /* lower-case hex */
} sohoa_package_file;

typedef struct {
	/* Record */
	char *file_code;      /* FileCode: the dossier code */
	char *title;          /* Title */
	char *organ_name;     /* OrganName; optional */
	char *organ_code;     /* OrganCode; optional */
	char *procedure_code; /* Procedure/@Code; optional (with procedure_name) */
	char *procedure_name;
	sohoa_approval approval;
	char *received;     /* Received; optional */
	char *applicant_id; /* Applicant/@Id; optional (with applicant_name) */
	char *applicant_name;
	char *language;             /* Language, default "vi" */
	unsigned maintenance_years; /* Maintenance: 0 = permanent (the default) */
	int access_public;          /* AccessMode: 1 public, 0 restricted (the default) */
	/* DocumentCount and PageCount are written from the documents. */
	sohoa_package_document *documents;
	size_t ndocuments;
	/* Ocr */
	size_t ocr_pages;              /* pages recognised */
	unsigned ocr_confidence_centi; /* mean confidence × 100 (9125 = 91.25), 0..10000 */
	size_t ocr_needs_review;       /* pages flagged for review */
	/* Files, sorted by path (byte order) */
	sohoa_package_file *files;
	size_t nfiles;
	/* Signatures (read only): ds:Signature elements found by the reader */
	size_t nsignatures;
} sohoa_package;

/* A new package holding the metadata of `m`: title "<procedure> — <applicant>"
 * (the code for an image-only dossier), language vi, permanent, restricted,
 * one document per manifest document with pages numbered across the dossier,
 * no OCR figures and no files yet (the caller fills them). Errors: SOHOA_ENOMEM. */
int sohoa_package_from_manifest(sohoa_package **out, const sohoa_manifest *m);

/* Sets p->files to the list of every file under `dir` (recursively) except
 * dir/package.xml: path, media type, size and SHA-256, sorted by path.
 * Refuses symbolic links, special files, names that are not valid UTF-8 or
 * that a package path cannot carry, and more than limits->max_dossier_pages * 8
 * files. Errors: SOHOA_EFORMAT, SOHOA_ELIMIT, SOHOA_ENOTFOUND, SOHOA_EIO. */
int sohoa_package_list_files(sohoa_package *p, const char *dir, const sohoa_limits *limits);

/* Checks that the files under `dir` are exactly p->files (same paths, sizes and
 * SHA-256). Errors: SOHOA_EVERIFY naming the first file that differs, is
 * missing or is not listed; those of sohoa_package_list_files. */
int sohoa_package_check_files(const sohoa_package *p, const char *dir, const sohoa_limits *limits);

/* Serialises `p` as package.xml into a malloc'd buffer (*len bytes, plus a
 * NUL the caller may ignore). Deterministic: the same package gives the same
 * bytes; nothing but the package goes in (no clock, no locale, no host). The
 * Signatures element is written empty: signatures are added to the document
 * by signer/. Errors: SOHOA_EINVAL (a required field missing, a path or
 * confidence out of range), SOHOA_ENOMEM. */
int sohoa_package_to_xml(char **out, size_t *len, const sohoa_package *p);

/* Writes sohoa_package_to_xml(p) to `path` atomically. */
int sohoa_package_write(const char *path, const sohoa_package *p);

/* Parses package.xml bytes named `name`: safe XML parsing, validation against
 * package.xsd, then the checks the XSD cannot make (file paths stay inside,
 * unique and sorted; page numbers; counts agree). Same message format as the
 * manifest. Errors: SOHOA_EFORMAT, SOHOA_ELIMIT, SOHOA_ENOMEM. */
int sohoa_package_parse(sohoa_package **out, const char *buf, size_t len, const char *name,
			const sohoa_limits *limits);

/* Reads and parses the package.xml file at `path` (or `path`/package.xml when
 * `path` is a folder). Also SOHOA_ENOTFOUND, SOHOA_EIO, SOHOA_EPERM. */
int sohoa_package_read(sohoa_package **out, const char *path, const sohoa_limits *limits);

/* For signer/: the package.xml at `path` as a libxml2 document, parsed safely
 * and valid against package.xsd (the caller frees it with xmlFreeDoc). */
int sohoa_package_read_doc(xmlDocPtr *out, const char *path, const sohoa_limits *limits);

/* Validates a document against the embedded package.xsd or intake.xsd;
 * `name` is used in messages. Errors: SOHOA_EFORMAT, SOHOA_EDEPENDENCY. */
int sohoa_package_validate_doc(xmlDocPtr doc, const char *name);
int sohoa_manifest_validate_doc(xmlDocPtr doc, const char *name);

/* 1 when a and b hold the same values (signature counts ignored), else 0. */
int sohoa_package_equal(const sohoa_package *a, const sohoa_package *b);

void sohoa_package_free(sohoa_package *p);

/* ----------------------------------------------------------------- edXML */
typedef struct {
	const char *to_organ_id;   /* receiver organ id; NULL: the package's own organ */
	const char *to_organ_name; /* optional */
} sohoa_edxml_options;

/* Writes the package at `package` (folder or package.xml) to `out` as an edXML
 * envelope after QCVN 102:2016/BTTTT: MessageHeader (From/To organ ids,
 * DocumentId, Code, PromulgationInfo, DocumentType, Subject, SignerInfo,
 * OtherInfo), the edXMLManifest with one Reference per attachment, then
 * AttachmentEncoded: package.xml and every listed file, base64. Each file is
 * checked against the package's list (size and SHA-256) before it is written:
 * a package whose files do not match is refused (SOHOA_EVERIFY). The header
 * describes the first result document (else the first document). See
 * docs/formats.md. Errors: those of sohoa_package_read, SOHOA_EVERIFY, SOHOA_EIO. */
int sohoa_edxml_write(FILE *out, const char *package, const sohoa_edxml_options *opt,
		      const sohoa_limits *limits);

/* libxml2's version, e.g. "libxml2 2.9.14". Static string, never NULL. */
const char *sohoa_formats_versions(void);

#endif
