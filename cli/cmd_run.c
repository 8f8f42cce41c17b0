/* cli/cmd_run.c: `sohoa run` and `sohoa status` — options, the store's
 * location, exit status; the work is pipeline/'s. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pipeline/pipeline.h"

int cli_run_run(const cli_command *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"store", required_argument, NULL, 's'},
		{"jobs", required_argument, NULL, 'j'},
		{"seal-key", required_argument, NULL, 'k'},
		{"cert", required_argument, NULL, 'c'},
		{"pass", required_argument, NULL, 'p'},
		{"report", required_argument, NULL, 'r'},
		{"lang", required_argument, NULL, 'l'},
		{NULL, 0, NULL, 0},
	};
	sohoa_run_options opt = {0};
	sohoa_run_summary sum;
	const char *store = NULL;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int c, rc;

	(void)cmd;
	opt.jobs = cores > 0 ? (int)cores : 1;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 's': store = optarg; break;
		case 'j': {
			char *end;
			long v = strtol(optarg, &end, 10);
			if (!*optarg || *end || v < 1 || v > 256)
				return cli_usage_error(
					_("run: --jobs '%s': expected a number from 1 to 256"),
					optarg);
			opt.jobs = (int)v;
			break;
		}
		case 'k': opt.seal_key = optarg; break;
		case 'c': opt.seal_cert = optarg; break;
		case 'p': opt.seal_pass = optarg; break;
		case 'r': opt.report = optarg; break;
		case 'l': opt.languages = optarg; break;
		case ':':
			return cli_usage_error(_("run: option '%s' needs a value"),
					       argv[optind - 1]);
		default:
			return cli_usage_error(_("run: unknown option '%s' (see 'sohoa help run')"),
					       argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(_("run: give one INBOX folder (see 'sohoa help run')"));
	if ((opt.seal_cert || opt.seal_pass) && !opt.seal_key)
		return cli_usage_error(_("run: --cert and --pass go with --seal-key"));
	opt.inbox = argv[optind];
	opt.store = cli_store_dir(store);
	opt.progress = isatty(2) && sohoa_log_get_level() >= SOHOA_LOG_WARN;
	rc = sohoa_pipeline_run(&sum, &opt);
	if (rc < 0) {
		cli_report_error();
		return CLI_EXIT_USAGE;
	}
	sohoa_log_info(_("%zu dossiers: %zu packaged, %zu already done, %zu quarantined; "
			 "%zu pages in %.1f s"),
		       sum.dossiers, sum.processed, sum.skipped, sum.quarantined, sum.pages,
		       sum.seconds);
	if (opt.progress)
		fprintf(stderr,
			_("sohoa run: %zu dossiers: %zu packaged, %zu already done, %zu "
			  "quarantined; %zu pages in %.1f s\n"),
			sum.dossiers, sum.processed, sum.skipped, sum.quarantined, sum.pages,
			sum.seconds);
	return sum.quarantined ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

int cli_status_run(const cli_command *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"store", required_argument, NULL, 's'},
		{"json", no_argument, NULL, 'J'},
		{NULL, 0, NULL, 0},
	};
	const char *store = NULL;
	int c, json = 0;

	(void)cmd;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 's': store = optarg; break;
		case 'J': json = 1; break;
		case ':':
			return cli_usage_error(_("status: option '%s' needs a value"),
					       argv[optind - 1]);
		default:
			return cli_usage_error(
				_("status: unknown option '%s' (see 'sohoa help status')"),
				argv[optind - 1]);
		}
	}
	if (optind != argc)
		return cli_usage_error(_("status: unexpected argument '%s'"), argv[optind]);
	if (sohoa_pipeline_status(stdout, cli_store_dir(store), json) < 0) {
		cli_report_error();
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}
