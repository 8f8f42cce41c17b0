/* formats/edxml.c: a package as an edXML envelope (QCVN 102:2016/BTTTT) for
 * the national document-exchange system — the message header from the
 * package metadata, then every file of the package base64-encoded. */
#include "formats/internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define EDXML_NS "http://www.mic.gov.vn/TBT/QCVN_102_2016"

static void el(FILE *f, const char *indent, const char *name, const char *value)
{
	fprintf(f, "%s<edXML:%s>", indent, name);
	if (value)
		formats_escape(f, value, 0);
	fprintf(f, "</edXML:%s>\n", name);
}

/* The document the header describes: the first result, else the first one. */
static const sohoa_package_document *main_document(const sohoa_package *p)
{
	for (size_t i = 0; i < p->ndocuments; i++)
		if (p->documents[i].kind == SOHOA_DOC_RESULT)
			return &p->documents[i];
	return p->ndocuments ? &p->documents[0] : NULL;
}

/* "2023-11-22…" → "2023/11/22" (edXML dates), "" when unknown. */
static void slash_date(char out[11], const char *iso)
{
	out[0] = '\0';
	if (iso && strlen(iso) >= 10) {
		memcpy(out, iso, 10);
		out[4] = out[7] = '/';
		out[10] = '\0';
	}
}

static void party(FILE *f, const char *tag, const char *id, const char *name)
{
	fprintf(f, "      <edXML:%s>\n", tag);
	el(f, "        ", "OrganId", id);
	el(f, "        ", "OrganName", name);
	fprintf(f, "      </edXML:%s>\n", tag);
}

static void header(FILE *f, const sohoa_package *p, const sohoa_edxml_options *opt)
{
	const sohoa_package_document *d = main_document(p);
	const char *number = d && d->number ? d->number : "";
	const char *slash = strchr(number, '/');
	const char *organ = p->organ_code ? p->organ_code : p->file_code;
	char date[11], *docid = NULL, *code_number;

	slash_date(date, d && d->issued ? d->issued : p->received);
	code_number = slash ? strndup(number, (size_t)(slash - number)) : strdup(number);
	if (asprintf(&docid, "%s,%s,%s", organ, date, d && d->number ? d->number : p->file_code) <
	    0)
		docid = NULL;
	fputs("  <edXML:edXMLHeader>\n    <edXML:MessageHeader>\n", f);
	party(f, "From", organ, p->organ_name);
	party(f, "To", opt && opt->to_organ_id ? opt->to_organ_id : organ,
	      opt && opt->to_organ_id ? opt->to_organ_name : p->organ_name);
	el(f, "      ", "DocumentId", docid);
	fputs("      <edXML:Code>\n", f);
	el(f, "        ", "CodeNumber", code_number);
	el(f, "        ", "CodeNotation", slash ? slash + 1 : "");
	fputs("      </edXML:Code>\n      <edXML:PromulgationInfo>\n", f);
	el(f, "        ", "Place", p->organ_name);
	el(f, "        ", "PromulgationDate", date);
	fputs("      </edXML:PromulgationInfo>\n      <edXML:DocumentType>\n", f);
	el(f, "        ", "Type", "1");
	el(f, "        ", "TypeName", d ? d->type : NULL);
	fputs("      </edXML:DocumentType>\n", f);
	el(f, "      ", "Subject", d && d->subject ? d->subject : p->title);
	el(f, "      ", "Content", p->title);
	fputs("      <edXML:SignerInfo>\n", f);
	el(f, "        ", "Competence", d ? d->issuer : NULL);
	el(f, "        ", "Position", d ? d->signer_position : NULL);
	el(f, "        ", "FullName", d ? d->signer_name : NULL);
	fputs("      </edXML:SignerInfo>\n      <edXML:OtherInfo>\n", f);
	el(f, "        ", "Priority", "0");
	el(f, "        ", "PromulgationAmount", "1");
	fprintf(f, "        <edXML:PageAmount>%zu</edXML:PageAmount>\n", d ? d->npages : 0);
	fputs("      </edXML:OtherInfo>\n    </edXML:MessageHeader>\n  </edXML:edXMLHeader>\n", f);
	free(docid);
	free(code_number);
}

static void reference(FILE *f, size_t cid, const char *name, const char *type)
{
	fputs("      <edXML:Reference>\n", f);
	fprintf(f, "        <edXML:ContentId>cid:%zu</edXML:ContentId>\n", cid);
	el(f, "        ", "ContentType", type);
	el(f, "        ", "Description", name);
	el(f, "        ", "AttachmentName", name);
	fputs("      </edXML:Reference>\n", f);
}

/* Base64 of the file at `path`, 76 characters a line (RFC 2045). */
static int base64_file(FILE *out, const char *path)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char in[57 * 64];
	FILE *f = fopen(path, "rb");
	size_t n;
	int rc = 0;

	if (!f)
		return sohoa_error_from_errno(errno, "%s", path);
	while ((n = fread(in, 1, sizeof in, f)) > 0) {
		for (size_t line = 0; line < n; line += 57) {
			size_t end = line + 57 < n ? line + 57 : n;
			fputc('\n', out);
			for (size_t i = line; i < end; i += 3) {
				uint32_t v = (uint32_t)in[i] << 16;
				size_t left = end - i;
				if (left > 1)
					v |= (uint32_t)in[i + 1] << 8;
				if (left > 2)
					v |= in[i + 2];
				fputc(tab[v >> 18], out);
				fputc(tab[(v >> 12) & 63], out);
				fputc(left > 1 ? tab[(v >> 6) & 63] : '=', out);
				fputc(left > 2 ? tab[v & 63] : '=', out);
			}
		}
		if (n < sizeof in)
			break;
	}
	if (ferror(f))
		rc = sohoa_error_set(SOHOA_EIO, _("%s: read error"), path);
	fclose(f);
	return rc;
}

static int attachment(FILE *f, size_t cid, const char *name, const char *type, const char *path)
{
	int rc;
	fputs("    <edXML:Attachment>\n", f);
	fprintf(f, "      <edXML:ContentId>cid:%zu</edXML:ContentId>\n", cid);
	el(f, "      ", "AttachmentName", name);
	el(f, "      ", "ContentType", type);
	fputs("      <edXML:ContentTransferEncoded>", f);
	rc = base64_file(f, path);
	fputs("\n      </edXML:ContentTransferEncoded>\n    </edXML:Attachment>\n", f);
	return rc;
}

int sohoa_edxml_write(FILE *out, const char *package, const sohoa_edxml_options *opt,
		      const sohoa_limits *lim)
{
	sohoa_package *p = NULL;
	char *dir = NULL, *xml = NULL, *path = NULL;
	struct stat st;
	int rc;

	if (stat(package, &st) == 0 && S_ISDIR(st.st_mode)) {
		dir = strdup(package);
		rc = asprintf(&xml, "%s/package.xml", package) < 0 ? -1 : 0;
	} else {
		const char *slash = strrchr(package, '/');
		dir = slash ? strndup(package, (size_t)(slash - package + (slash == package)))
			    : strdup(".");
		xml = strdup(package);
		rc = 0;
	}
	if (rc < 0 || !dir || !xml) {
		rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		goto cleanup;
	}
	if ((rc = sohoa_package_read(&p, xml, lim)) < 0 ||
	    (rc = sohoa_package_check_files(p, dir, lim)) < 0)
		goto cleanup;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	      "<edXML:edXMLEnvelope xmlns:edXML=\"" EDXML_NS "\">\n",
	      out);
	header(out, p, opt);
	fputs("  <edXML:edXMLBody>\n    <edXML:edXMLManifest version=\"1.0\">\n", out);
	reference(out, 1, "package.xml", "application/xml");
	for (size_t i = 0; i < p->nfiles; i++)
		reference(out, i + 2, p->files[i].path, p->files[i].media_type);
	fputs("    </edXML:edXMLManifest>\n  </edXML:edXMLBody>\n  <edXML:AttachmentEncoded>\n",
	      out);
	rc = attachment(out, 1, "package.xml", "application/xml", xml);
	for (size_t i = 0; rc == 0 && i < p->nfiles; i++) {
		free(path);
		if (asprintf(&path, "%s/%s", dir, p->files[i].path) < 0) {
			path = NULL;
			rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
			break;
		}
		rc = attachment(out, i + 2, p->files[i].path, p->files[i].media_type, path);
	}
	fputs("  </edXML:AttachmentEncoded>\n</edXML:edXMLEnvelope>\n", out);
	if (rc == 0 && ferror(out))
		rc = sohoa_error_set(SOHOA_EIO, _("%s: cannot write the edXML envelope"), package);
cleanup:
	sohoa_package_free(p);
	free(path);
	free(xml);
	free(dir);
	return rc;
}
