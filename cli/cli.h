/* cli/cli.h: what the files of the `sohoa` executable share — the command
 * table and the exit statuses. Argument parsing and dispatch only; the work is
 * done by the modules. */
#ifndef SOHOA_CLI_H
#define SOHOA_CLI_H

#include <stdio.h>

#include "core/core.h"

/* Exit statuses of every command (DESIGN.md, "Command line"). */
enum {
	CLI_EXIT_OK = 0,      /* all good */
	CLI_EXIT_FAILED = 1,  /* some items failed or did not verify; the rest were done */
	CLI_EXIT_USAGE = 2,   /* bad usage or setup */
};

typedef struct cli_command cli_command;
struct cli_command {
	const char *name;
	const char *summary; /* one line for `sohoa --help` */
	const char *usage;   /* synopsis lines, each starting with "sohoa " */
	const char *help;    /* description and options */
	/* Runs the command with argv[0] == name; NULL while not implemented. */
	int (*run)(const cli_command *cmd, int argc, char **argv);
};

extern const cli_command cli_commands[];
extern const size_t cli_command_count;

const cli_command *cli_find(const char *name);
void cli_print_help(FILE *out, const cli_command *cmd);

/* Command handlers (cli_command.run). */
int cli_help_run(const cli_command *cmd, int argc, char **argv);
int cli_ocr_run(const cli_command *cmd, int argc, char **argv);
int cli_sign_run(const cli_command *cmd, int argc, char **argv);
int cli_verify_run(const cli_command *cmd, int argc, char **argv);
int cli_keys_run(const cli_command *cmd, int argc, char **argv);
int cli_export_run(const cli_command *cmd, int argc, char **argv);
int cli_run_run(const cli_command *cmd, int argc, char **argv);
int cli_status_run(const cli_command *cmd, int argc, char **argv);

/* The store directory: `opt` (--store) when given, else $SOHOA_STORE, else
 * ./sohoa-store. */
const char *cli_store_dir(const char *opt);
int cli_search_run(const cli_command *cmd, int argc, char **argv);
int cli_lookup_run(const cli_command *cmd, int argc, char **argv);
int cli_serve_run(const cli_command *cmd, int argc, char **argv);
int cli_agency_run(const cli_command *cmd, int argc, char **argv);
int cli_audit_run(const cli_command *cmd, int argc, char **argv);

/* Opens STORE/catalog.sqlite; creates the store when `create`, else refuses a
 * store without a catalog (SOHOA_ENOTFOUND naming the path). */
typedef struct sohoa_index sohoa_index;
int cli_open_catalog(sohoa_index **out, const char *store, int create);

/* Prints "sohoa: <message>" on stderr as one line and returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Reports the thread's last error ("sohoa: <message>") as one line on stderr. */
void cli_report_error(void);

#endif
