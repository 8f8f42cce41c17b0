/* cli/cmd_serve.c: `sohoa serve`, `sohoa agency add|list|revoke` and
 * `sohoa audit verify` — options, then the lookup and index modules. */
#include "cli/cli.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "index/index.h"
#include "lookup/lookup.h"

/* Takes --store DIR (the one option of these commands besides serve's) out of
 * argv; returns the remaining count or -1 after reporting bad usage. */
static int take_store(const char **store, int argc, char **argv, const char *cmd)
{
	int out = 1;
	*store = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--store") == 0) {
			if (i + 1 >= argc)
				return cli_usage_error(_("%s: option '--store' needs a value"),
						       cmd),
				       -1;
			*store = argv[++i];
		} else if (strncmp(argv[i], "--store=", 8) == 0) {
			*store = argv[i] + 8;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage_error(_("%s: unknown option '%s' (see 'sohoa help %s')"),
					       cmd, argv[i], cmd),
			       -1;
		} else {
			argv[out++] = argv[i];
		}
	}
	return out;
}

int cli_agency_run(const cli_command *cmd, int argc, char **argv)
{
	const char *store;
	sohoa_index *idx = NULL;
	int rc;

	(void)cmd;
	argc = take_store(&store, argc, argv, "agency");
	if (argc < 0)
		return CLI_EXIT_USAGE;
	if (argc < 2 || (strcmp(argv[1], "list") == 0 ? argc != 2
						      : (strcmp(argv[1], "add") != 0 &&
							 strcmp(argv[1], "revoke") != 0) ||
								argc != 3))
		return cli_usage_error(_("agency: expected 'add NAME', 'list' or 'revoke NAME'"));
	rc = cli_open_catalog(&idx, cli_store_dir(store), strcmp(argv[1], "add") == 0);
	if (rc == 0 && strcmp(argv[1], "add") == 0) {
		char token[SOHOA_INDEX_TOKEN_LEN + 1];
		rc = sohoa_index_agency_add(idx, argv[2], token);
		if (rc == 0) {
			printf("%s\n", token);
			fprintf(stderr,
				_("sohoa: token for '%s' printed once; only its hash is kept\n"),
				argv[2]);
		}
	} else if (rc == 0 && strcmp(argv[1], "revoke") == 0) {
		rc = sohoa_index_agency_revoke(idx, argv[2]);
	} else if (rc == 0) {
		sohoa_index_agency *list = NULL;
		size_t n = 0;
		rc = sohoa_index_agency_list(idx, &list, &n);
		for (size_t i = 0; rc == 0 && i < n; i++)
			printf("%s\t%s\t%s\n", list[i].name, list[i].created,
			       *list[i].revoked ? list[i].revoked : "active");
		sohoa_index_agency_list_free(list, n);
	}
	if (rc < 0)
		cli_report_error();
	sohoa_index_close(idx);
	return rc == 0 ? CLI_EXIT_OK : rc == SOHOA_EDB ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;
}

int cli_audit_run(const cli_command *cmd, int argc, char **argv)
{
	const char *store;
	sohoa_index *idx = NULL;
	size_t rows = 0;
	int rc;

	(void)cmd;
	argc = take_store(&store, argc, argv, "audit");
	if (argc < 0)
		return CLI_EXIT_USAGE;
	if (argc != 2 || strcmp(argv[1], "verify") != 0)
		return cli_usage_error(_("audit: expected 'verify'"));
	rc = cli_open_catalog(&idx, cli_store_dir(store), 0);
	if (rc < 0) {
		cli_report_error();
		return CLI_EXIT_USAGE;
	}
	rc = sohoa_index_audit_verify(idx, &rows);
	if (rc == 0)
		printf(_("audit chain intact: %zu rows\n"), rows);
	else
		cli_report_error();
	sohoa_index_close(idx);
	return rc == 0 ? CLI_EXIT_OK : rc == SOHOA_EVERIFY ? CLI_EXIT_FAILED : CLI_EXIT_USAGE;
}

int cli_serve_run(const cli_command *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"store", required_argument, NULL, 's'},
		{"listen", required_argument, NULL, 'l'},
		{"threads", required_argument, NULL, 't'},
		{"rate", required_argument, NULL, 'r'},
		{"tls-cert", required_argument, NULL, 'C'},
		{"tls-key", required_argument, NULL, 'K'},
		{"client-ca", required_argument, NULL, 'A'},
		{NULL, 0, NULL, 0},
	};
	sohoa_lookup_options opt = {0};
	sohoa_lookup_server *srv = NULL;
	char host[256] = SOHOA_LOOKUP_DEFAULT_HOST;
	sigset_t set;
	int c, sig = 0;

	(void)cmd;
	opt.port = SOHOA_LOOKUP_DEFAULT_PORT;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		char *end;
		switch (c) {
		case 's': opt.store = optarg; break;
		case 'l':
			if (sohoa_lookup_parse_listen(host, sizeof host, &opt.port, optarg) < 0)
				return cli_usage_error("%s", sohoa_error_last());
			break;
		case 't':
			opt.threads = (unsigned)strtoul(optarg, &end, 10);
			if (*end || opt.threads < 1 || opt.threads > 32)
				return cli_usage_error(_("--threads '%s': expected 1 to 32"),
						       optarg);
			break;
		case 'r':
			opt.rate = strtod(optarg, &end);
			if (*end || !(opt.rate >= 1 && opt.rate <= 1e6))
				return cli_usage_error(_("--rate '%s': expected 1 to 1000000"),
						       optarg);
			break;
		case 'C': opt.tls_cert = optarg; break;
		case 'K': opt.tls_key = optarg; break;
		case 'A': opt.client_ca = optarg; break;
		case ':':
			return cli_usage_error(_("serve: option '%s' needs a value"),
					       argv[optind - 1]);
		default:
			return cli_usage_error(
				_("serve: unknown option '%s' (see 'sohoa help serve')"),
				argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(_("serve: unexpected argument '%s'"), argv[optind]);
	opt.store = cli_store_dir(opt.store);
	opt.host = host;
	/* Block the stop signals before any thread starts, then wait for one. */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (sohoa_lookup_start(&srv, &opt) < 0) {
		cli_report_error();
		return CLI_EXIT_USAGE;
	}
	fprintf(stderr, _("sohoa: serving %s on %s port %u (%s)\n"), opt.store, host,
		(unsigned)sohoa_lookup_port(srv),
		opt.client_ca  ? "https, client certificates required"
		: opt.tls_cert ? "https"
			       : "http");
	sigwait(&set, &sig);
	sohoa_lookup_stop(srv);
	return CLI_EXIT_OK;
}
