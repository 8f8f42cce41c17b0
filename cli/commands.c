/* cli/commands.c: the table of `sohoa` commands with their usage and help
 * texts. A command whose capability has not landed yet has run == NULL and
 * says so when called. */
#include "cli/cli.h"

#include <stdarg.h>
#include <string.h>


const cli_command cli_commands[] = {
	{"run", N_("process an inbox of scanned dossiers into signed, indexed packages"),
	 "sohoa run INBOX [--store DIR] [--jobs N] [--seal-key KEY] [--report FILE]",
	 N_("Moves every dossier folder of INBOX through intake, OCR, index, package and\n"
	    "seal, into the store. A rerun resumes after a crash and skips finished work;\n"
	    "a dossier that fails is quarantined with a reason and the batch goes on.\n"
	    "\n"
	    "  --store DIR      store directory (default $SOHOA_STORE or ./sohoa-store)\n"
	    "  --jobs N         worker threads (default: number of cores)\n"
	    "  --seal-key KEY   organisation seal key: PEM, PKCS#12 or pkcs11: URI\n"
	    "  --report FILE    write a JSON report of every dossier to FILE\n"),
	 NULL},
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
	 "sohoa sign --key KEY [--cert FILE] [--role seal|leader] [--tsa URL] [--batch] PACKAGE...",
	 N_("Adds a XAdES signature over each package's content. Earlier signatures stay\n"
	    "valid. With --batch, every package is signed after one confirmation and one\n"
	    "PIN entry.\n"
	    "\n"
	    "  --key KEY       PEM or PKCS#12 file, or a pkcs11: URI (RFC 7512)\n"
	    "  --cert FILE     signer certificate (and chain) when the key source lacks it\n"
	    "  --role R        seal (organisation) or leader (default: leader)\n"
	    "  --tsa URL       timestamp authority for XAdES B-T\n"
	    "  --batch         sign all given packages under one login\n"),
	 NULL},
	{"verify", N_("verify packages: files, signatures, certificates and timestamps"),
	 "sohoa verify [--trust FILE] [--crl FILE] [--json] PACKAGE...",
	 N_("Checks every file against the package's list, every signature, the\n"
	    "certificate chain to the trust anchors and revocation. Exit 0 only when every\n"
	    "package passes.\n"
	    "\n"
	    "  --trust FILE   trusted root certificates (PEM)\n"
	    "  --crl FILE     certificate revocation lists (PEM)\n"
	    "  --json         machine-readable result\n"),
	 NULL},
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
	 "sohoa serve [--store DIR] [--listen ADDR:PORT]",
	 N_("Answers other agencies' queries (JSON over HTTP): results by citizen id,\n"
	    "dossier metadata, packages and full-text search. Every request needs an\n"
	    "agency token and is written to the audit chain.\n"
	    "\n"
	    "  --store DIR          store directory (default $SOHOA_STORE or ./sohoa-store)\n"
	    "  --listen ADDR:PORT   numeric address to listen on (default 127.0.0.1:8470)\n"
	    "  --threads N          worker threads (default 2)\n"
	    "  --rate N             requests per second per agency (default 200, burst 2N)\n"
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
	 NULL},
	{"export", N_("export a package as an edXML envelope (QCVN 102:2016/BTTTT)"),
	 "sohoa export --edxml PACKAGE",
	 N_("Writes the package as an edXML envelope for the national document-exchange\n"
	    "system: header with organ ids and document information, files attached.\n"
	    "\n"
	    "  --edxml   produce an edXML envelope\n"),
	 NULL},
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
	    "that does not match (exit status 1).\n"),
	 cli_audit_run},
	{"keys", N_("create demo keys and certificates for trying sohoa"),
	 "sohoa keys demo --out DIR",
	 N_("Creates a demo root CA, an issuing CA, an organisation seal certificate,\n"
	    "leader certificates (RSA and ECDSA), a CRL and a script that loads a leader\n"
	    "key into a SoftHSM2 token. For demos and tests only.\n"
	    "\n"
	    "  --out DIR   where to write the files\n"),
	 NULL},
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
