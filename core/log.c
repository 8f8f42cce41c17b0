/* core/log.c: levelled log lines on stderr (or a stream the cli chooses).
 * The level and stream are the process's one global setting, set at start-up. */
#include "core/core.h"

#include <stdatomic.h>

static _Atomic int level = SOHOA_LOG_WARN;
static FILE *_Atomic stream;

void sohoa_log_set_level(sohoa_log_level l)
{
	if (l < SOHOA_LOG_ERROR)
		l = SOHOA_LOG_ERROR;
	if (l > SOHOA_LOG_DEBUG)
		l = SOHOA_LOG_DEBUG;
	atomic_store(&level, l);
}

sohoa_log_level sohoa_log_get_level(void)
{
	return (sohoa_log_level)atomic_load(&level);
}

void sohoa_log_set_stream(FILE *s)
{
	atomic_store(&stream, s);
}

void sohoa_log(sohoa_log_level l, const char *fmt, ...)
{
	static const char *const tags[] = {"error", "warning", "info", "debug"};
	FILE *out;
	char line[2048];
	va_list ap;

	if ((int)l > atomic_load(&level))
		return;
	out = atomic_load(&stream);
	if (!out)
		out = stderr;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	/* One fprintf per line keeps lines from different threads whole. */
	fprintf(out, "sohoa: %s: %s\n", _(tags[l]), line);
	fflush(out);
}
