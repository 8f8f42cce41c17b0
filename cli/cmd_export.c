/* cli/cmd_export.c: `sohoa export --edxml PACKAGE` — options and output
 * file; the envelope itself is written by formats/ (sohoa_edxml_write). */
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>

#include "formats/formats.h"

/* Writes the envelope to `out` atomically: a failure leaves no file. */
static int export_to_file(const char *out, const char *package, const sohoa_edxml_options *opt,
			  const sohoa_limits *lim)
{
	sohoa_atomic_file *af = NULL;
	FILE *f = NULL;
	int rc = sohoa_atomic_open(&af, out), fd;

	if (rc < 0)
		return rc;
	fd = dup(sohoa_atomic_fd(af));
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		if (fd >= 0)
			close(fd);
		sohoa_atomic_abort(af);
		return sohoa_error_set(SOHOA_EIO, _("%s: cannot open for writing"), out);
	}
	rc = sohoa_edxml_write(f, package, opt, lim);
	if (fclose(f) != 0 && rc == 0)
		rc = sohoa_error_set(SOHOA_EIO, _("%s: write failed"), out);
	if (rc == 0)
		return sohoa_atomic_commit(af);
	sohoa_atomic_abort(af);
	return rc;
}

int cli_export_run(const cli_command *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"edxml", no_argument, NULL, 'e'},
		{"out", required_argument, NULL, 'o'},
		{"to", required_argument, NULL, 't'},
		{"to-name", required_argument, NULL, 'n'},
		{NULL, 0, NULL, 0},
	};
	sohoa_limits lim = sohoa_limits_default();
	sohoa_edxml_options opt = {0};
	const char *out = NULL;
	int edxml = 0, c, rc;

	(void)cmd;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":o:", longopts, NULL)) != -1) {
		switch (c) {
		case 'e': edxml = 1; break;
		case 'o': out = optarg; break;
		case 't': opt.to_organ_id = optarg; break;
		case 'n': opt.to_organ_name = optarg; break;
		case ':':
			return cli_usage_error(_("export: option '%s' needs a value"),
					       argv[optind - 1]);
		default:
			return cli_usage_error(
				_("export: unknown option '%s' (see 'sohoa help export')"),
				argv[optind - 1]);
		}
	}
	if (!edxml)
		return cli_usage_error(_("export: say which format: --edxml"));
	if (argc - optind != 1)
		return cli_usage_error(_("export: one PACKAGE (folder or package.xml) expected"));
	if (out)
		rc = export_to_file(out, argv[optind], &opt, &lim);
	else
		rc = sohoa_edxml_write(stdout, argv[optind], &opt, &lim);
	if (rc < 0) {
		cli_report_error();
		return CLI_EXIT_FAILED;
	}
	return CLI_EXIT_OK;
}
