/* cli/cmd_index.c: `sohoa search` and `sohoa lookup` — options, opening the
 * store's catalog, printing the hits; plus the store lookup the commands share. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "index/index.h"

const char *cli_store_dir(const char *opt)
{
	const char *env = getenv("SOHOA_STORE");
	if (opt && *opt)
		return opt;
	return env && *env ? env : "./sohoa-store";
}

int cli_open_catalog(sohoa_index **out, const char *store, int create)
{
	char *path = NULL;
	struct stat st;
	int rc;

	*out = NULL;
	if (asprintf(&path, "%s/catalog.sqlite", store) < 0)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	if (create)
		rc = sohoa_mkdir_p(store);
	else if (stat(path, &st) != 0)
		rc = sohoa_error_set(SOHOA_ENOTFOUND,
				     _("%s: no catalog in this store (see --store or SOHOA_STORE)"),
				     path);
	else
		rc = 0;
	if (rc == 0)
		rc = sohoa_index_open(out, path);
	free(path);
	return rc;
}

static int parse_limit(size_t *out, const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || v < 1 || v > SOHOA_INDEX_MAX_LIMIT)
		return cli_usage_error(_("--limit '%s': expected 1 to %d"), s,
				       SOHOA_INDEX_MAX_LIMIT);
	*out = (size_t)v;
	return 0;
}

static int print_hits(sohoa_index_hits *hits, int json)
{
	if (json)
		sohoa_index_write_json(stdout, hits);
	else
		sohoa_index_write_text(stdout, hits);
	return CLI_EXIT_OK;
}

int cli_search_run(const cli_command *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"store", required_argument, NULL, 's'}, {"json", no_argument, NULL, 'J'},
		{"limit", required_argument, NULL, 'n'}, {"agency", required_argument, NULL, 'a'},
		{"type", required_argument, NULL, 't'},  {"from", required_argument, NULL, 'F'},
		{"to", required_argument, NULL, 'T'},    {NULL, 0, NULL, 0},
	};
	sohoa_index_query q = {0};
	sohoa_index *idx = NULL;
	sohoa_index_hits *hits = NULL;
	const char *store = NULL;
	char *text = NULL;
	size_t tlen = 0;
	int json = 0, c, rc;

	(void)cmd;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 's': store = optarg; break;
		case 'J': json = 1; break;
		case 'n':
			if (parse_limit(&q.limit, optarg) != 0)
				return CLI_EXIT_USAGE;
			break;
		case 'a': q.agency = optarg; break;
		case 't': q.doc_type = optarg; break;
		case 'F': q.from = optarg; break;
		case 'T': q.to = optarg; break;
		case ':':
			return cli_usage_error(_("search: option '%s' needs a value"),
					       argv[optind - 1]);
		default:
			return cli_usage_error(
				_("search: unknown option '%s' (see 'sohoa help search')"),
				argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(_("search: no query given (see 'sohoa help search')"));
	for (int i = optind; i < argc; i++) /* the words of the query, as one string */
		tlen += strlen(argv[i]) + 1;
	text = calloc(1, tlen + 1);
	if (!text)
		return cli_usage_error(_("out of memory"));
	for (int i = optind; i < argc; i++)
		strcat(strcat(text, i > optind ? " " : ""), argv[i]);
	q.text = text;
	rc = cli_open_catalog(&idx, cli_store_dir(store), 0);
	if (rc == 0)
		rc = sohoa_index_search(idx, &q, &hits);
	if (rc == 0)
		rc = print_hits(hits, json);
	else
		cli_report_error();
	sohoa_index_hits_free(hits);
	sohoa_index_close(idx);
	free(text);
	return rc == 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
}

int cli_lookup_run(const cli_command *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"store", required_argument, NULL, 's'},
		{"json", no_argument, NULL, 'J'},
		{"citizen-id", required_argument, NULL, 'c'},
		{"dossier", required_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	sohoa_index *idx = NULL;
	sohoa_index_hits *hits = NULL;
	const char *store = NULL, *citizen = NULL, *dossier = NULL;
	int json = 0, c, rc;

	(void)cmd;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 's': store = optarg; break;
		case 'J': json = 1; break;
		case 'c': citizen = optarg; break;
		case 'd': dossier = optarg; break;
		case ':':
			return cli_usage_error(_("lookup: option '%s' needs a value"),
					       argv[optind - 1]);
		default:
			return cli_usage_error(
				_("lookup: unknown option '%s' (see 'sohoa help lookup')"),
				argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(_("lookup: unexpected argument '%s'"), argv[optind]);
	if (!citizen == !dossier)
		return cli_usage_error(_("lookup: give either --citizen-id ID or --dossier CODE"));
	rc = cli_open_catalog(&idx, cli_store_dir(store), 0);
	if (rc == 0)
		rc = citizen ? sohoa_index_lookup_citizen(idx, citizen, 0, &hits)
			     : sohoa_index_lookup_dossier(idx, dossier, 0, &hits);
	if (rc < 0) {
		cli_report_error();
		rc = CLI_EXIT_USAGE;
	} else {
		print_hits(hits, json);
		if (hits->count == 0 && !json)
			fprintf(stderr, _("sohoa: no result for %s\n"),
				citizen ? citizen : dossier);
		rc = hits->count ? CLI_EXIT_OK : CLI_EXIT_FAILED;
	}
	sohoa_index_hits_free(hits);
	sohoa_index_close(idx);
	return rc;
}
