/* cli/cmd_ocr.c: `sohoa ocr` — options, output files, progress, exit status. */
#include "cli/cli.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ocr/ocr.h"

typedef enum { FMT_TEXT, FMT_JSON, FMT_ALTO, FMT_HOCR, FMT_PDF } out_format;

typedef struct {
	out_format format;
	const sohoa_limits *limits;
	const char *out_dir;
	int to_stdout;
	int failures;
	struct timespec start;
	int show_progress;
	char **used; /* output files written so far */
	size_t nused;
} ocr_run;

static const char *const format_names[] = {"text", "json", "alto", "hocr", "pdf"};

/* File name extension of each format's output. */
static const char *format_ext(out_format f)
{
	static const char *const ext[] = {"txt", "json", "alto.xml", "hocr", "pdf"};
	return ext[f];
}

static int name_used(const ocr_run *run, const char *path)
{
	for (size_t i = 0; i < run->nused; i++)
		if (strcmp(run->used[i], path) == 0)
			return 1;
	return 0;
}

/* DIR/<file name without extension>.<ext>, with "-2", "-3"… appended when an
 * earlier input of this run already produced that name (scan.tif and
 * scan.jpg both give scan.txt otherwise). A file left by an earlier run is
 * overwritten. The name is remembered in `run`. */
static char *output_path(ocr_run *run, const char *input, const char *ext)
{
	const char *base = strrchr(input, '/');
	char *path = NULL, **grown;
	size_t n;

	base = base ? base + 1 : input;
	const char *dot = strrchr(base, '.');
	n = dot && dot != base ? (size_t)(dot - base) : strlen(base);
	for (int k = 1;; k++) {
		free(path);
		path = NULL;
		if (k == 1 ? asprintf(&path, "%s/%.*s.%s", run->out_dir, (int)n, base, ext) < 0
			   : asprintf(&path, "%s/%.*s-%d.%s", run->out_dir, (int)n, base, k, ext) < 0)
			return NULL;
		if (!name_used(run, path))
			break;
	}
	grown = realloc(run->used, (run->nused + 1) * sizeof *grown);
	if (!grown || !(grown[run->nused] = strdup(path))) {
		if (grown)
			run->used = grown;
		free(path);
		return NULL;
	}
	run->used = grown;
	run->nused++;
	return path;
}

static int render(ocr_run *run, FILE *f, const char *path, sohoa_ocr_page **pages, size_t n)
{
	switch (run->format) {
	case FMT_JSON:
		return sohoa_ocr_write_json(f, path, pages, n);
	case FMT_ALTO:
		return sohoa_ocr_write_alto(f, path, pages, n);
	case FMT_HOCR:
		return sohoa_ocr_write_hocr(f, path, pages, n);
	case FMT_PDF:
		return sohoa_ocr_write_pdf(f, path, pages, n, run->limits);
	case FMT_TEXT:
		break;
	}
	return sohoa_ocr_write_text(f, pages, n);
}

static int sink(void *ctx, size_t input, const char *path, sohoa_ocr_result *results, size_t n)
{
	(void)input;
	ocr_run *run = ctx;
	sohoa_ocr_page **pages = calloc(n, sizeof *pages);
	size_t good = 0;
	int rc = 0;

	if (!pages)
		return sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
	for (size_t i = 0; i < n; i++) {
		if (results[i].error < 0) {
			if (run->show_progress)
				fputs("\r\033[K", stderr);
			fprintf(stderr, "sohoa: %s\n", results[i].message ? results[i].message : path);
			run->failures++;
		} else {
			pages[good++] = results[i].page;
		}
	}
	if (good > 0) {
		if (run->to_stdout) {
			rc = render(run, stdout, path, pages, good);
		} else {
			char *buf = NULL, *out = output_path(run, path, format_ext(run->format));
			size_t len = 0;
			FILE *mem = open_memstream(&buf, &len);
			if (!out || !mem) {
				rc = sohoa_error_set(SOHOA_ENOMEM, _("out of memory"));
			} else {
				rc = render(run, mem, path, pages, good);
				fclose(mem);
				mem = NULL;
				if (rc == 0)
					rc = sohoa_file_write_atomic(out, buf, len);
			}
			if (mem)
				fclose(mem);
			free(buf);
			free(out);
		}
		if (rc < 0) {
			cli_report_error();
			run->failures++;
			rc = 0; /* the other inputs still get their output */
		}
	}
	free(pages);
	return rc;
}

static void progress(void *ctx, size_t done, size_t total)
{
	ocr_run *run = ctx;
	struct timespec now;
	double secs;

	if (!run->show_progress)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	secs = (double)(now.tv_sec - run->start.tv_sec) + (now.tv_nsec - run->start.tv_nsec) / 1e9;
	fprintf(stderr, "\r\033[Ksohoa ocr: %zu/%zu pages, %.2f pages/s", done, total,
		secs > 0 ? done / secs : 0.0);
	if (done == total)
		fputc('\n', stderr);
}

static int parse_int(int *out, const char *opt, const char *s, int lo, int hi)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < lo || v > hi)
		return cli_usage_error(_("ocr: %s '%s': expected a number from %d to %d"), opt, s,
				       lo, hi);
	*out = (int)v;
	return 0;
}

int cli_ocr_run(const cli_command *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'}, {"out", required_argument, NULL, 'o'},
		{"jobs", required_argument, NULL, 'j'},   {"dpi", required_argument, NULL, 'd'},
		{"lang", required_argument, NULL, 'l'},   {NULL, 0, NULL, 0},
	};
	sohoa_ocr_options opt = sohoa_ocr_options_default();
	ocr_run run = {.format = FMT_TEXT};
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int jobs = cores > 0 ? (int)cores : 1, c, rc;

	(void)cmd;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":f:o:j:d:l:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f': {
			size_t k = 0;
			while (k < sizeof format_names / sizeof *format_names &&
			       strcmp(optarg, format_names[k]) != 0)
				k++;
			if (k == sizeof format_names / sizeof *format_names)
				return cli_usage_error(
					_("ocr: --format '%s': expected text, alto, hocr, json or pdf"),
					optarg);
			run.format = (out_format)k;
			break;
		}
		case 'o':
			run.out_dir = optarg;
			break;
		case 'j':
			if (parse_int(&jobs, "--jobs", optarg, 1, 256) != 0)
				return CLI_EXIT_USAGE;
			break;
		case 'd':
			if (parse_int(&opt.dpi, "--dpi", optarg, 50, 1200) != 0)
				return CLI_EXIT_USAGE;
			break;
		case 'l':
			opt.languages = optarg;
			break;
		case ':':
			return cli_usage_error(_("ocr: option '%s' needs a value"), argv[optind - 1]);
		default:
			return cli_usage_error(_("ocr: unknown option '%s' (see 'sohoa help ocr')"),
					       argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(_("ocr: no image given (see 'sohoa help ocr')"));
	if (!run.out_dir && argc - optind > 1)
		return cli_usage_error(_("ocr: several inputs need --out DIR"));
	if (run.out_dir && sohoa_mkdir_p(run.out_dir) < 0) {
		cli_report_error();
		return CLI_EXIT_USAGE;
	}
	run.to_stdout = run.out_dir == NULL;
	run.limits = &opt.limits;
	run.show_progress = isatty(2) && sohoa_log_get_level() >= SOHOA_LOG_WARN;
	clock_gettime(CLOCK_MONOTONIC, &run.start);
	rc = sohoa_ocr_batch((const char *const *)argv + optind, (size_t)(argc - optind), &opt,
			     jobs, sink, &run, progress);
	for (size_t i = 0; i < run.nused; i++)
		free(run.used[i]);
	free(run.used);
	if (rc < 0) {
		cli_report_error();
		return rc == SOHOA_EDEPENDENCY ? CLI_EXIT_USAGE : CLI_EXIT_FAILED;
	}
	return run.failures ? CLI_EXIT_FAILED : CLI_EXIT_OK;
}
