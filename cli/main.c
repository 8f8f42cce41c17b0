/* cli/main.c: entry point of `sohoa` — global options (-v, -q, --help,
 * --version), then dispatch to the command named by the first argument. */
#include "cli/cli.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/formats.h"
#include "index/index.h"
#include "lookup/lookup.h"
#include "ocr/ocr.h"
#include "signer/signer.h"

static void print_overview(FILE *out)
{
	fprintf(out, _("sohoa %s: digitise, sign and share the dossiers of one-stop offices\n\n"),
		sohoa_version());
	fprintf(out, "%s\n  sohoa [-v|-q] COMMAND [ARGS...]\n\n%s\n", _("Usage:"), _("Commands:"));
	for (size_t i = 0; i < cli_command_count; i++)
		fprintf(out, "  %-8s %s\n", cli_commands[i].name, _(cli_commands[i].summary));
	fprintf(out, "\n%s\n", _("Options:"));
	fprintf(out, "  -v, --verbose   %s\n", _("more messages (twice for debugging)"));
	fprintf(out, "  -q, --quiet     %s\n", _("only errors"));
	fprintf(out, "  -h, --help      %s\n", _("this help; 'sohoa help COMMAND' for a command"));
	fprintf(out, "  -V, --version   %s\n", _("version of sohoa and of its libraries"));
	fprintf(out, "\n%s\n", _("Environment:"));
	fprintf(out, "  SOHOA_STORE     %s\n", _("store directory (default ./sohoa-store)"));
	fprintf(out, "\n%s\n", _("Exit status:"));
	fprintf(out, "  0  %s\n  1  %s\n  2  %s\n", _("all good"),
		_("some items failed or did not verify; the rest were done"),
		_("bad usage or setup"));
}

static void print_version(void)
{
	printf("sohoa %s\n", sohoa_version());
	printf("  %s\n", sohoa_ocr_versions());
	if (*sohoa_ocr_tesseract_file())
		printf("    (Tesseract from %s)\n", sohoa_ocr_tesseract_file());
	printf("  %s\n  %s\n  %s\n  %s\n", sohoa_formats_versions(), sohoa_signer_versions(),
	       sohoa_index_versions(), sohoa_lookup_versions());
}

int cli_help_run(const cli_command *cmd, int argc, char **argv)
{
	const cli_command *target;

	if (argc < 2) {
		print_overview(stdout);
		return CLI_EXIT_OK;
	}
	if (argc > 2)
		return cli_usage_error(_("help: one command at a time"));
	target = cli_find(argv[1]);
	if (!target)
		return cli_usage_error(_("help: '%s' is not a sohoa command (see 'sohoa --help')"),
				       argv[1]);
	cli_print_help(stdout, target);
	return CLI_EXIT_OK;
}

/* Removes -v/-q (anywhere before "--") from argv, setting the log level, and
 * reports whether -h/--help appeared. Returns the new argc. */
static int take_common_options(int argc, char **argv, int *want_help)
{
	int level = SOHOA_LOG_WARN, out = 0, i;

	*want_help = 0;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			break;
		if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)
			level++;
		else if (strcmp(a, "-vv") == 0)
			level += 2;
		else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0)
			level = SOHOA_LOG_ERROR;
		else {
			if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
				*want_help = 1;
			argv[out++] = argv[i];
		}
	}
	for (; i < argc; i++)
		argv[out++] = argv[i];
	argv[out] = NULL;
	sohoa_log_set_level(level > SOHOA_LOG_DEBUG ? SOHOA_LOG_DEBUG : (sohoa_log_level)level);
	return out;
}

int main(int argc, char **argv)
{
	const cli_command *cmd;
	int want_help;

	/* Tesseract's OpenMP threads fight sohoa's own workers; the limit is read
	 * when libgomp loads, before main, so set it and start again. */
	if (!getenv("OMP_THREAD_LIMIT")) {
		setenv("OMP_THREAD_LIMIT", "1", 1);
		execv("/proc/self/exe", argv);
	}
	setlocale(LC_ALL, "");
	/* Machine output (JSON, XML, PDF) writes numbers with a decimal point
	 * whatever the user's locale (vi_VN uses a comma). */
	setlocale(LC_NUMERIC, "C");
	bindtextdomain("sohoa", SOHOA_LOCALEDIR);
	argc = take_common_options(argc - 1, argv + 1, &want_help);
	argv++;
	if (argc == 0) {
		if (want_help) {
			print_overview(stdout);
			return CLI_EXIT_OK;
		}
		return cli_usage_error(_("no command given (see 'sohoa --help')"));
	}
	if (argv[0][0] == '-') {
		if (strcmp(argv[0], "-h") == 0 || strcmp(argv[0], "--help") == 0) {
			print_overview(stdout);
			return CLI_EXIT_OK;
		}
		if (strcmp(argv[0], "-V") == 0 || strcmp(argv[0], "--version") == 0) {
			print_version();
			return CLI_EXIT_OK;
		}
		return cli_usage_error(_("unknown option '%s' (see 'sohoa --help')"), argv[0]);
	}
	cmd = cli_find(argv[0]);
	if (!cmd)
		return cli_usage_error(_("'%s' is not a sohoa command (see 'sohoa --help')"),
				       argv[0]);
	if (want_help && cmd->run != cli_help_run) {
		cli_print_help(stdout, cmd);
		return CLI_EXIT_OK;
	}
	if (!cmd->run)
		return cli_usage_error(
			_("%s: not implemented in sohoa %s yet (see CHANGELOG.md for what is)"),
			cmd->name, sohoa_version());
	return cmd->run(cmd, argc, argv);
}
