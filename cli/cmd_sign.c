/* cli/cmd_sign.c: `sohoa sign`, `sohoa verify` and `sohoa keys` — options,
 * batch confirmation, output and exit status; the work is signer/'s. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "index/index.h"
#include "pipeline/pipeline.h"
#include "signer/signer.h"

/* Asks "proceed? [y/N]" on /dev/tty; 1 only for an explicit yes. */
static int confirm(const char *question)
{
	FILE *tty = fopen("/dev/tty", "r+");
	char line[32] = "";
	int yes;

	if (!tty)
		return -1;
	fprintf(tty, "%s [y/N] ", question);
	fflush(tty);
	if (!fgets(line, sizeof line, tty))
		line[0] = '\0';
	fclose(tty);
	yes = line[0] == 'y' || line[0] == 'Y' || strncmp(line, "có", 3) == 0 || line[0] == 'c' ||
	      line[0] == 'C';
	return yes;
}

typedef struct {
	const char *const *names;
	const char *role;
	sohoa_journal *journal; /* with --pending: where each signature is recorded */
	sohoa_index *catalog;   /* with --pending: whose status follows the signature */
	size_t prefix;          /* length of "STORE/" in names */
	const char *signer;
	int failures;
} sign_progress;

/* One line per package as its outcome is known (packages are committed in
 * groups): stdout when signed, stderr (naming the package and the reason)
 * when not; with a journal, the signature is recorded there and the
 * catalog's status of the package follows. */
static void sign_done(size_t i, int rc, void *user)
{
	sign_progress *p = user;
	if (rc == 0 && p->journal)
		rc = sohoa_journal_record_signature(p->journal, p->names[i] + p->prefix, p->role,
						    p->signer);
	/* The signature stands either way; a catalog that cannot say so yet
	 * (the package not indexed, the database busy) is told, not failed. */
	if (rc == 0 && p->catalog &&
	    sohoa_index_set_signature(p->catalog, p->names[i] + p->prefix,
				      SOHOA_INDEX_LEADER_SIGNED) < 0)
		sohoa_log_warn(_("%s: signed, but the catalog still shows the old status: %s"),
			       p->names[i], sohoa_error_last());
	if (rc < 0) {
		cli_report_error();
		p->failures++;
	} else {
		printf(_("%s: signed (%s)\n"), p->names[i], p->role);
	}
}

/* The journal of `store` and the packages awaiting a leader, as paths
 * (STORE/<package>). */
static int open_pending(sohoa_journal **j, char ***paths, size_t *n, const char *store)
{
	int rc = sohoa_journal_open(j, store, 0);
	if (rc == 0)
		rc = sohoa_journal_pending(*j, paths, n);
	for (size_t i = 0; rc == 0 && i < *n; i++) {
		char *full = NULL;
		if (asprintf(&full, "%s/%s", store, (*paths)[i]) < 0)
			return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
		free((*paths)[i]);
		(*paths)[i] = full;
	}
	return rc;
}

/* Loads the key, shows the list and asks once (batch), signs each package
 * and, with a journal, records each signature there. Returns an exit status
 * for a setup failure, else CLI_EXIT_OK with *failures counted. */
static int sign_packages(char **pkgs, int n, const char *keyname,
			 const sohoa_signer_key_options *kopt,
			 const sohoa_signer_sign_options *sopt, int batch, int yes,
			 sohoa_journal *journal, sohoa_index *catalog, const char *store,
			 int *failures)
{
	sohoa_signer_key *key = NULL;
	const char *role = sopt->role == SOHOA_SIGNER_ROLE_SEAL ? "seal" : "leader";
	size_t prefix = journal ? strlen(cli_store_dir(store)) + 1 : 0;

	if (n == 0)
		return cli_usage_error(_("sign: no package given (see 'sohoa help sign')"));
	if (n > 1 && !batch)
		return cli_usage_error(_("sign: %d packages given: use --batch to sign several"),
				       n);
	if (sohoa_signer_key_open(&key, keyname, kopt) < 0) {
		cli_report_error();
		return CLI_EXIT_USAGE;
	}
	if (batch) {
		fprintf(stderr, _("Signing %d package(s) as %s, signer %s:\n"), n, role,
			sohoa_signer_key_subject(key));
		for (int i = 0; i < n; i++)
			fprintf(stderr, "  %s\n", pkgs[i]);
		if (!yes) {
			int ok = confirm(_("Sign these packages?"));
			if (ok <= 0) {
				sohoa_signer_key_free(key);
				if (ok < 0)
					return cli_usage_error(
						_("sign: no terminal to confirm on: "
						  "give --yes to sign without asking"));
				fprintf(stderr, "sohoa: %s\n", _("sign: nothing signed"));
				return CLI_EXIT_FAILED;
			}
		}
	}
	{
		sign_progress p = {(const char *const *)pkgs,     role, journal, catalog, prefix,
				   sohoa_signer_key_subject(key), 0};
		sohoa_signer_sign_packages(p.names, (size_t)n, key, sopt, sign_done, &p);
		*failures += p.failures;
	}
	sohoa_signer_key_free(key);
	return CLI_EXIT_OK;
}

int cli_sign_run(const cli_command *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"key", required_argument, NULL, 'k'},   {"cert", required_argument, NULL, 'c'},
		{"chain", required_argument, NULL, 'C'}, {"role", required_argument, NULL, 'r'},
		{"pass", required_argument, NULL, 'p'},  {"tsa", required_argument, NULL, 't'},
		{"batch", no_argument, NULL, 'b'},       {"yes", no_argument, NULL, 'y'},
		{"legacy-rsa", no_argument, NULL, 'L'},  {"pending", no_argument, NULL, 'P'},
		{"store", required_argument, NULL, 's'}, {NULL, 0, NULL, 0},
	};
	sohoa_signer_key_options kopt = {0};
	sohoa_signer_sign_options sopt = {0};
	const char *keyname = NULL, *store = NULL;
	sohoa_journal *journal = NULL;
	sohoa_index *catalog = NULL;
	char **pending = NULL, **pkgs;
	size_t npending = 0;
	int c, batch = 0, yes = 0, failures = 0, n, want_pending = 0, status;

	(void)cmd;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 'k': keyname = optarg; break;
		case 'c': kopt.cert = optarg; break;
		case 'C': kopt.chain = optarg; break;
		case 'p': kopt.pass = optarg; break;
		case 'r':
			if (strcmp(optarg, "seal") && strcmp(optarg, "leader"))
				return cli_usage_error(
					_("sign: --role '%s': expected seal or leader"), optarg);
			sopt.role = strcmp(optarg, "seal") == 0 ? SOHOA_SIGNER_ROLE_SEAL
								: SOHOA_SIGNER_ROLE_LEADER;
			break;
		case 't':
			if (strncmp(optarg, "http://", 7) && strncmp(optarg, "https://", 8))
				return cli_usage_error(_("sign: --tsa '%s': expected an http:// or "
							 "https:// URL"),
						       optarg);
			sopt.tsa_url = optarg;
			break;
		case 'b': batch = 1; break;
		case 'y': yes = 1; break;
		case 'L': sopt.legacy_rsa = 1; break;
		case 'P': want_pending = 1; break;
		case 's': store = optarg; break;
		case ':':
			return cli_usage_error(_("sign: option '%s' needs a value"),
					       argv[optind - 1]);
		default:
			return cli_usage_error(
				_("sign: unknown option '%s' (see 'sohoa help sign')"),
				argv[optind - 1]);
		}
	}
	n = argc - optind;
	pkgs = argv + optind;
	if (!keyname)
		return cli_usage_error(_("sign: --key KEY is required (see 'sohoa help sign')"));
	if (want_pending && n > 0)
		return cli_usage_error(_("sign: --pending takes the packages from the store's "
					 "journal; give no PACKAGE"));
	if (want_pending && sopt.role != SOHOA_SIGNER_ROLE_LEADER)
		return cli_usage_error(
			_("sign: --pending is for a leader's signature (--role leader)"));
	if (!want_pending && store)
		return cli_usage_error(_("sign: --store goes with --pending"));
	if (want_pending) {
		int rc = open_pending(&journal, &pending, &npending, cli_store_dir(store));
		if (rc == 0)
			rc = cli_open_catalog(&catalog, cli_store_dir(store), 0);
		if (rc < 0) {
			sohoa_journal_close(journal);
			sohoa_index_close(catalog);
			cli_report_error();
			return CLI_EXIT_USAGE;
		}
		if (npending == 0) {
			printf("%s\n", _("No package awaits a leader's signature."));
			sohoa_journal_close(journal);
			sohoa_index_close(catalog);
			return CLI_EXIT_OK;
		}
		n = (int)npending;
		pkgs = pending;
		batch = 1;
	}
	status = sign_packages(pkgs, n, keyname, &kopt, &sopt, batch, yes, journal, catalog, store,
			       &failures);
	for (size_t i = 0; i < npending; i++)
		free(pending[i]);
	free(pending);
	sohoa_journal_close(journal);
	sohoa_index_close(catalog);
	return status != CLI_EXIT_OK ? status : failures ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}

int cli_verify_run(const cli_command *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"trust", required_argument, NULL, 't'},
		{"crl", required_argument, NULL, 'c'},
		{"json", no_argument, NULL, 'j'},
		{"lang", required_argument, NULL, 'l'},
		{NULL, 0, NULL, 0},
	};
	const char *trust = NULL, *crl = NULL, *lang = "en";
	sohoa_signer_verifier *v = NULL;
	sohoa_signer_report **reports;
	int c, json = 0, failed = 0, n, status = CLI_EXIT_OK;

	(void)cmd;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		switch (c) {
		case 't': trust = optarg; break;
		case 'c': crl = optarg; break;
		case 'j': json = 1; break;
		case 'l':
			if (strcmp(optarg, "vi") && strcmp(optarg, "en"))
				return cli_usage_error(_("verify: --lang '%s': expected vi or en"),
						       optarg);
			lang = optarg;
			break;
		case ':':
			return cli_usage_error(_("verify: option '%s' needs a value"),
					       argv[optind - 1]);
		default:
			return cli_usage_error(_("verify: unknown option '%s' (see 'sohoa help "
						 "verify')"),
					       argv[optind - 1]);
		}
	}
	n = argc - optind;
	if (n == 0)
		return cli_usage_error(_("verify: no package given (see 'sohoa help verify')"));
	if (sohoa_signer_verifier_new(&v, trust, crl) < 0) {
		cli_report_error();
		return CLI_EXIT_USAGE;
	}
	reports = calloc((size_t)n, sizeof *reports);
	if (!reports) {
		sohoa_signer_verifier_free(v);
		return cli_usage_error(_("out of memory"));
	}
	for (int i = 0; i < n; i++) {
		if (sohoa_signer_verify_package(&reports[i], v, argv[optind + i]) < 0) {
			cli_report_error();
			status = CLI_EXIT_FAILED;
			continue;
		}
		if (!reports[i]->passed) {
			failed++;
			fprintf(stderr, "sohoa: %s: %s\n", argv[optind + i],
				reports[i]->error ? reports[i]->error : _("did not verify"));
		}
		if (!json)
			sohoa_signer_report_write_text(stdout, reports[i], lang);
	}
	if (json) {
		size_t k = 0;
		for (int i = 0; i < n; i++)
			if (reports[i])
				reports[k++] = reports[i];
		sohoa_signer_report_write_json(stdout, reports, k);
	}
	for (int i = 0; i < n; i++)
		sohoa_signer_report_free(reports[i]);
	free(reports);
	sohoa_signer_verifier_free(v);
	return failed ? CLI_EXIT_FAILED : status;
}

int cli_keys_run(const cli_command *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"out", required_argument, NULL, 'o'},
		{NULL, 0, NULL, 0},
	};
	const char *out = NULL;
	int c;

	(void)cmd;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
		if (c == 'o')
			out = optarg;
		else if (c == ':')
			return cli_usage_error(_("keys: option '%s' needs a value"),
					       argv[optind - 1]);
		else
			return cli_usage_error(
				_("keys: unknown option '%s' (see 'sohoa help keys')"),
				argv[optind - 1]);
	}
	if (optind + 1 != argc || strcmp(argv[optind], "demo"))
		return cli_usage_error(_("keys: expected 'sohoa keys demo --out DIR'"));
	if (!out)
		return cli_usage_error(_("keys demo: --out DIR is required"));
	if (sohoa_signer_keys_demo(out) < 0) {
		cli_report_error();
		return CLI_EXIT_FAILED;
	}
	printf(_("demo keys and certificates written to %s (see %s/README.txt)\n"), out, out);
	return CLI_EXIT_OK;
}
