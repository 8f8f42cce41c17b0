/* core/error.c: error codes, their stable names, and the thread-local last
 * error message that every failing function leaves for its caller. */
#include "core/core.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define MSG_CAP 1024

static _Thread_local struct {
	int code;
	char msg[MSG_CAP];
} last;

static const struct {
	int code;
	const char *name;
	const char *text;
} codes[] = {
	{SOHOA_OK, "SOHOA_OK", N_("no error")},
	{SOHOA_ERROR, "SOHOA_ERROR", N_("error")},
	{SOHOA_ENOMEM, "SOHOA_ENOMEM", N_("out of memory")},
	{SOHOA_EINVAL, "SOHOA_EINVAL", N_("invalid argument")},
	{SOHOA_EIO, "SOHOA_EIO", N_("input/output error")},
	{SOHOA_ENOTFOUND, "SOHOA_ENOTFOUND", N_("not found")},
	{SOHOA_EEXISTS, "SOHOA_EEXISTS", N_("already exists")},
	{SOHOA_ELIMIT, "SOHOA_ELIMIT", N_("input exceeds a limit")},
	{SOHOA_EFORMAT, "SOHOA_EFORMAT", N_("malformed input")},
	{SOHOA_EUNSUPPORTED, "SOHOA_EUNSUPPORTED", N_("unsupported input")},
	{SOHOA_EDEPENDENCY, "SOHOA_EDEPENDENCY", N_("a library or its data failed")},
	{SOHOA_ECRYPTO, "SOHOA_ECRYPTO", N_("cryptographic operation failed")},
	{SOHOA_EVERIFY, "SOHOA_EVERIFY", N_("verification failed")},
	{SOHOA_EAUTH, "SOHOA_EAUTH", N_("authentication failed")},
	{SOHOA_EBUSY, "SOHOA_EBUSY", N_("resource is busy")},
	{SOHOA_ENOSPC, "SOHOA_ENOSPC", N_("no space left on device")},
	{SOHOA_EPERM, "SOHOA_EPERM", N_("permission denied")},
	{SOHOA_EDB, "SOHOA_EDB", N_("catalog database error")},
	{SOHOA_ENOTIMPL, "SOHOA_ENOTIMPL", N_("not implemented")},
	{SOHOA_ECANCELED, "SOHOA_ECANCELED", N_("canceled")},
};

/* Cuts `s` at `cap` bytes or less without splitting a UTF-8 sequence. */
static void truncate_utf8(char *s, size_t cap)
{
	size_t n = strlen(s);
	if (n < cap)
		return;
	n = cap - 1;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	s[n] = '\0';
}

int sohoa_error_setv(int code, const char *fmt, va_list ap)
{
	last.code = code;
	vsnprintf(last.msg, sizeof last.msg, fmt, ap);
	truncate_utf8(last.msg, sizeof last.msg);
	return code;
}

int sohoa_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sohoa_error_setv(code, fmt, ap);
	va_end(ap);
	return code;
}

int sohoa_error_prefix(const char *fmt, ...)
{
	char prefix[256], old[MSG_CAP];
	va_list ap;

	if (last.code == 0)
		last.code = SOHOA_ERROR;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof prefix, fmt, ap);
	va_end(ap);
	truncate_utf8(prefix, sizeof prefix);
	memcpy(old, last.msg, sizeof old);
	size_t plen = strlen(prefix), olen = strnlen(old, sizeof old - 1);
	memcpy(last.msg, prefix, plen);
	if (plen + olen >= sizeof last.msg)
		olen = sizeof last.msg - 1 - plen;
	memcpy(last.msg + plen, old, olen);
	last.msg[plen + olen] = '\0';
	truncate_utf8(last.msg, sizeof last.msg);
	return last.code;
}

int sohoa_error_from_errno(int errnum, const char *what, ...)
{
	char subject[512];
	int code;
	va_list ap;

	va_start(ap, what);
	vsnprintf(subject, sizeof subject, what, ap);
	va_end(ap);
	switch (errnum) {
	case ENOENT:
	case ENOTDIR:
		code = SOHOA_ENOTFOUND;
		break;
	case EACCES:
	case EPERM:
	case EROFS:
		code = SOHOA_EPERM;
		break;
	case ENOSPC:
	case EDQUOT:
		code = SOHOA_ENOSPC;
		break;
	case ENOMEM:
		code = SOHOA_ENOMEM;
		break;
	default:
		code = SOHOA_EIO;
	}
	return sohoa_error_set(code, "%s: %s", subject, strerror(errnum));
}

const char *sohoa_error_last(void)
{
	return last.msg;
}

int sohoa_error_last_code(void)
{
	return last.code;
}

void sohoa_error_clear(void)
{
	last.code = 0;
	last.msg[0] = '\0';
}

const char *sohoa_error_name(int code)
{
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (codes[i].code == code)
			return codes[i].name;
	return "SOHOA_E?";
}

const char *sohoa_error_describe(int code)
{
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
		if (codes[i].code == code)
			return _(codes[i].text);
	return _("unknown error");
}

const char *sohoa_version(void)
{
	return SOHOA_VERSION;
}
