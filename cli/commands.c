/* cli/commands.c: the table of `sohoa` commands with their usage and help
 * texts. A command whose capability has not landed yet has run == NULL and
 * says so when called. */
#include "cli/cli.h"

#include <stdarg.h>
#include <string.h>


const cli_command cli_commands[] = {
	{"run", N_("process an inbox of scanned dossiers into signed, indexed packages"),
	 "sohoa run INBOX [--store DIR] [--jobs N] [--seal-key KEY [--cert FILE] [--pass SRC]]\n"
	 "          [--report FILE]",
	 N_("Moves every dossier folder of INBOX through intake, OCR, index, package and\n"
	    "seal, into the store. A rerun resumes after a crash and skips finished work;\n"
	    "a dossier whose files changed gets a new package version (the earlier one is\n"
	    "kept, marked superseded). A dossier that fails is copied to\n"
	    "STORE/quarantine/<folder>/ with reason.txt and the batch goes on (exit\n"
	    "status 1). The inbox is never changed.\n"
	    "\n"
	    "  --store DIR      store directory (default $SOHOA_STORE or ./sohoa-store)\n"
	    "  --jobs N         OCR worker threads (default: number of cores)\n"
	    "  --seal-key KEY   organisation seal key: PEM, PKCS#12 or pkcs11: URI\n"
	    "  --cert FILE      the seal's certificate (PEM), for a PEM key\n"
	    "  --pass SRC       the key's password or PIN: env:VAR or file:PATH\n"
	    "  --report FILE    write a JSON report of every dossier to FILE\n"
	    "  --lang L         Tesseract languages (default vie)\n"
	    "\n"
	    "On a terminal a progress line is shown; -q shows only errors. A second run\n"
	    "on the same store is refused while the first one works (exit status 2).\n"),
	 cli_run_run},
	{"ocr", N_("recognise Vietnamese text in scanned page images"),
	 "sohoa ocr [--format text|alto|hocr|json|pdf] [--out DIR] [--jobs N] [--dpi N] IMAGE...",
	 N_("Cleans each page (seal ink, background, orientation, skew, speckle) and\n"
	    "recognises it with Tesseract (vie+eng). Reads TIFF, JPEG, PNG and image PDFs.\n"
	    "With one input and no --out, the text goes to standard output.\n"
	    "\n"
	    "  --format F   text (default), alto, hocr, json or pdf\n"
	    "  --out DIR    write one file per input into DIR (.txt, .json, .alto.xml,\n"
	    "               .hocr or .pdf, all pages of the input in it)\n"
	    "  --jobs N     pages recognised in parallel (default: number of cores)\n"
	    "  --dpi N      resolution to assume when the file's own is missing or wrong\n"
	    "               (default: estimated from the page size)\n"
	    "  --lang L     Tesseract languages (default vie; e.g. vie+eng)\n"
	    "\n"
	    "Each page gets a mean word confidence; pages under 80 are flagged\n"
	    "needs_review in the JSON output. Unreadable inputs are reported one line\n"
	    "each and the others still processed (exit status 1).\n"),
	 cli_ocr_run},
	{"sign", N_("sign packages with an organisation seal or a leader's key"),
	 "sohoa sign --key KEY [--cert FILE] [--chain FILE] [--role seal|leader] [--pass SRC]\n"
	 "           [--legacy-rsa] [--tsa URL] [--batch [--yes]] PACKAGE...\n"
	 "sohoa sign --pending [--store DIR] --key KEY [--cert FILE] [--pass SRC] [--yes]",
	 N_("Adds a XAdES B-B signature over each package's content (docs/signatures.md),\n"
	    "or B-T with --tsa.\n"
	    "Earlier signatures stay valid. PACKAGE is a directory holding package.xml, or\n"
	    "that file; it is rewritten atomically.\n"
	    "\n"
	    "  --key KEY       PEM private key, PKCS#12 file or pkcs11: URI (RFC 7512)\n"
	    "  --cert FILE     signer certificate PEM (may be followed by its chain)\n"
	    "  --chain FILE    extra chain certificates PEM, put in KeyInfo\n"
	    "  --role R        seal (organisation) or leader (default: leader)\n"
	    "  --pass SRC      password: env:VAR or file:PATH (default: asked on the\n"
	    "                  terminal, without echo, when the key needs one)\n"
	    "  --legacy-rsa    RSA PKCS#1 v1.5 instead of RSASSA-PSS, for older verifiers\n"
	    "  --tsa URL       XAdES B-T: an RFC 3161 timestamp from this authority over\n"
	    "                  the signature value; if it cannot be had, the package is\n"
	    "                  not signed\n"
	    "  --batch         sign several packages after one key load and one\n"
	    "                  confirmation (the list is shown first)\n"
	    "  --yes           do not ask for confirmation\n"
	    "  --pending       sign, as a leader, every package of the store that awaits a\n"
	    "                  leader's signature (see 'sohoa status'), after one key load\n"
	    "                  and one confirmation; each signature is recorded in the\n"
	    "                  store's journal (who signed what, when)\n"
	    "  --store DIR     the store for --pending (default $SOHOA_STORE or\n"
	    "                  ./sohoa-store)\n"
	    "\n"
	    "RSA keys must have at least 2048 bits, EC keys use P-256, P-384 or P-521.\n"),
	 cli_sign_run},
	{"verify", N_("verify packages: files, signatures, certificates and timestamps"),
	 "sohoa verify [--trust FILE] [--crl FILE] [--json] [--lang vi] PACKAGE...",
	 N_("Checks every file against the package's list, every signature (ETSI EN\n"
	    "319 102-1: TOTAL-PASSED, TOTAL-FAILED or INDETERMINATE with a\n"
	    "sub-indication), the certificate chain to the trust anchors at the signing\n"
	    "time and revocation. Exit 0 only when every package passes.\n"
	    "\n"
	    "  --trust FILE   trusted root certificates (PEM)\n"
	    "  --crl FILE     certificate revocation lists (PEM); without it revocation\n"
	    "                 is not checked\n"
	    "  --json         machine-readable result\n"
	    "  --lang vi      Vietnamese labels in the text output\n"),
	 cli_verify_run},
	{"search", N_("search the store by words of the text or by fields"),
	 "sohoa search [--store DIR] [--json] [--limit N] [--agency A] [--type T] [--from DATE] "
	 "[--to DATE] QUERY",
	 N_("Full-text search with Vietnamese folding: a query without diacritics also\n"
	    "finds text with them, and the other way round; exact spellings rank first.\n"
	    "QUERY holds words (all required), \"quoted phrases\" and prefix* words.\n"
	    "\n"
	    "  --store DIR   store directory (default $SOHOA_STORE or ./sohoa-store)\n"
	    "  --json        machine-readable results\n"
	    "  --limit N     at most N results (default 20, at most 1000)\n"
	    "  --agency A    only documents of agency A\n"
	    "  --type T      only documents of type T\n"
	    "  --from DATE   only documents issued on or after DATE (YYYY-MM-DD)\n"
	    "  --to DATE     only documents issued on or before DATE\n"),
	 cli_search_run},
	{"lookup", N_("find results by citizen id or dossier code"),
	 "sohoa lookup [--store DIR] (--citizen-id ID | --dossier CODE) [--json]",
	 N_("Lists the results held for a citizen or a dossier, with their signature\n"
	    "status and package path.\n"
	    "\n"
	    "  --store DIR        store directory (default $SOHOA_STORE or ./sohoa-store)\n"
	    "  --citizen-id ID    12-digit citizen identity number\n"
	    "  --dossier CODE     dossier code, e.g. 000.00.12.H29-231122-0001\n"
	    "  --json             machine-readable results\n"
	    "\n"
	    "Exit status 1 when nothing is found.\n"),
	 cli_lookup_run},
	{"serve", N_("serve results to other agencies over HTTP"),
	 "sohoa serve [--store DIR] [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE "
	 "[--client-ca FILE]]",
	 N_("Answers other agencies' queries (JSON over HTTP): results by citizen id,\n"
	    "dossier metadata, packages and full-text search. Every request needs an\n"
	    "agency token and is written to the audit chain.\n"
	    "\n"
	    "  --store DIR          store directory (default $SOHOA_STORE or ./sohoa-store)\n"
	    "  --listen ADDR:PORT   numeric address to listen on (default 127.0.0.1:8470)\n"
	    "  --threads N          worker threads (default 2)\n"
	    "  --rate N             requests per second per agency (default 200, burst 2N)\n"
	    "  --tls-cert FILE      serve HTTPS with this PEM certificate (then its chain)\n"
	    "  --tls-key FILE       the certificate's PEM private key (unencrypted)\n"
	    "  --client-ca FILE     serve only clients whose certificate chains to a CA\n"
	    "                       of this PEM file (403 otherwise); tokens still needed\n"
	    "\n"
	    "Endpoints (JSON; errors as {\"error\":{...}} with 400, 401, 403, 404, 413, 429):\n"
	    "  GET /v1/citizens/{id}/results          documents of a citizen\n"
	    "  GET /v1/dossiers/{code}                a dossier's documents\n"
	    "  GET /v1/packages/{code}/package.xml    the package manifest\n"
	    "  GET /v1/packages/{code}/files/{path}   a file of the package\n"
	    "  GET /v1/search?q=&agency=&type=&from=&to=&limit=\n"
	    "Stops on SIGINT or SIGTERM after the requests in flight.\n"),
	 cli_serve_run},
	{"status", N_("show what the store holds and what is pending"),
	 "sohoa status [--store DIR] [--json]",
	 N_("Counts dossiers by stage and status, lists quarantined dossiers with their\n"
	    "reasons and the packages awaiting a leader's signature.\n"
	    "\n"
	    "  --store DIR   store directory (default $SOHOA_STORE or ./sohoa-store)\n"
	    "  --json        machine-readable status\n"),
	 cli_status_run},
	{"export", N_("export a package as an edXML envelope (QCVN 102:2016/BTTTT)"),
	 "sohoa export --edxml PACKAGE [--out FILE] [--to ORGAN_ID [--to-name NAME]]",
	 N_("Writes the package (a folder with package.xml, or the package.xml) as an\n"
	    "edXML envelope for the national document-exchange system: header with organ\n"
	    "ids and document information, then package.xml and every file of the package\n"
	    "attached in base64. The files are checked against the package's SHA-256\n"
	    "list first; a package that does not match is refused (exit status 1).\n"
	    "\n"
	    "  --edxml          produce an edXML envelope (QCVN 102:2016/BTTTT)\n"
	    "  --out FILE       write it to FILE (atomically) instead of standard output\n"
	    "  --to ORGAN_ID    receiving organ (default: the package's own organ)\n"
	    "  --to-name NAME   its name\n"),
	 cli_export_run},
	{"agency", N_("manage the agencies allowed to query the HTTP service"),
	 "sohoa agency add NAME [--store DIR]\nsohoa agency list [--store DIR]\n"
	 "sohoa agency revoke NAME [--store DIR]",
	 N_("'add' prints a new token once (only its hash is kept); 'revoke' disables\n"
	    "an agency's token at once; 'list' shows agencies and their state.\n"
	    "Agencies send the token as 'Authorization: Bearer TOKEN'.\n"),
	 cli_agency_run},
	{"audit", N_("check that the HTTP service's audit log was not altered"),
	 "sohoa audit verify [--store DIR]",
	 N_("Recomputes the hash chain over every audit row and reports the first row\n"
	    "that does not match, and checks the chain against STORE/audit.head (row\n"
	    "count and last hash, rewritten after each request) to see rows cut from the\n"
	    "end or a recomputed chain (exit status 1).\n"),
	 cli_audit_run},
	{"keys", N_("create demo keys and certificates for trying sohoa"),
	 "sohoa keys demo --out DIR",
	 N_("Creates a demo root CA, an issuing CA, an organisation seal certificate,\n"
	    "leader certificates (RSA and ECDSA), a CRL and a script that loads a leader\n"
	    "key into a SoftHSM2 token. For demos and tests only.\n"
	    "\n"
	    "  --out DIR   where to write the files\n"),
	 cli_keys_run},
	{"help", N_("show help for a command"), "sohoa help [COMMAND]",
	 N_("Shows the options of COMMAND, or the list of commands.\n"), cli_help_run},
};
const size_t cli_command_count = sizeof cli_commands / sizeof cli_commands[0];

const cli_command *cli_find(const char *name)
{
	for (size_t i = 0; i < cli_command_count; i++)
		if (strcmp(cli_commands[i].name, name) == 0)
			return &cli_commands[i];
	return NULL;
}

void cli_print_help(FILE *out, const cli_command *cmd)
{
	const char *u = cmd->usage;

	fprintf(out, "%s\n", _("Usage:"));
	while (*u) { /* indent every synopsis line */
		size_t n = strcspn(u, "\n");
		fprintf(out, "  %.*s\n", (int)n, u);
		u += n + (u[n] == '\n');
	}
	fprintf(out, "\n%s", _(cmd->help));
	if (!cmd->run)
		fprintf(out, _("\nNote: '%s' is not implemented in sohoa %s yet.\n"), cmd->name,
			sohoa_version());
}

int cli_usage_error(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "sohoa: %s\n", msg);
	return CLI_EXIT_USAGE;
}

void cli_report_error(void)
{
	const char *msg = sohoa_error_last();
	fprintf(stderr, "sohoa: %s\n", *msg ? msg : sohoa_error_describe(sohoa_error_last_code()));
}
