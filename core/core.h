/* core/core.h: the one public header of core/ — error codes and the thread-local
 * error message, logging, atomic file writes, bounded file reads, SHA-256, limits.
 * Every other module builds on these; core/ depends only on libc and OpenSSL. */
#ifndef SOHOA_CORE_H
#define SOHOA_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ------------------------------------------------------------------ i18n */
/* Messages a person reads go through gettext; machine output never does. */
#include <libintl.h>
#define _(s) dgettext("sohoa", s)
#define N_(s) (s)

/* ---------------------------------------------------------------- errors */
/* Error codes returned by every sohoa function that can fail: 0 is success,
 * a negative SOHOA_E* is a failure. Once released a code never changes its
 * number or meaning; new codes are only ever appended (see docs/errors.md). */
enum {
	SOHOA_OK = 0,
	SOHOA_ERROR = -1,        /* failure with no more specific code */
	SOHOA_ENOMEM = -2,       /* out of memory */
	SOHOA_EINVAL = -3,       /* invalid argument or bad usage */
	SOHOA_EIO = -4,          /* read, write or other I/O failure */
	SOHOA_ENOTFOUND = -5,    /* file, item or key does not exist */
	SOHOA_EEXISTS = -6,      /* item already exists */
	SOHOA_ELIMIT = -7,       /* input exceeds a cap (bytes, pixels, pages, depth…) */
	SOHOA_EFORMAT = -8,      /* input is malformed or corrupt */
	SOHOA_EUNSUPPORTED = -9, /* valid input of a kind sohoa does not handle */
	SOHOA_EDEPENDENCY = -10, /* an underlying library or its data failed */
	SOHOA_ECRYPTO = -11,     /* key, certificate or signature operation failed */
	SOHOA_EVERIFY = -12,     /* verification ran and the object did not verify */
	SOHOA_EAUTH = -13,       /* missing, wrong or revoked credential */
	SOHOA_EBUSY = -14,       /* resource locked by someone else (store, token) */
	SOHOA_ENOSPC = -15,      /* no space left on the device */
	SOHOA_EPERM = -16,       /* permission denied */
	SOHOA_EDB = -17,         /* catalog database failure */
	SOHOA_ENOTIMPL = -18,    /* feature not implemented in this version */
	SOHOA_ECANCELED = -19,   /* operation canceled by the user */
};
#define SOHOA_ERROR_MIN SOHOA_ECANCELED /* lowest code in use */

/* Sets the calling thread's last error to `code` with a printf-style message
 * for a person, which should name the file, page or element concerned and what
 * is wrong ("inbox/x/dossier.xml:14: applicant/@id: must be 12 digits").
 * Messages longer than the buffer (1 KiB) are truncated on a UTF-8 boundary.
 * Returns `code`, so callers can write `return sohoa_error_set(...)`. */
int sohoa_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int sohoa_error_setv(int code, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* Prepends context ("page 3: ") to the calling thread's last message, keeping
 * its code. Returns the code of the last error (SOHOA_ERROR if none was set). */
int sohoa_error_prefix(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Sets SOHOA_EIO, SOHOA_ENOTFOUND, SOHOA_EPERM, SOHOA_ENOSPC or SOHOA_ENOMEM
 * from `errnum`, with the message "<what>: <strerror(errnum)>". Returns the code. */
int sohoa_error_from_errno(int errnum, const char *what, ...)
	__attribute__((format(printf, 2, 3)));

/* The calling thread's last error message ("" when none) and code (0 when none).
 * The string is owned by the thread and valid until its next sohoa_error_* call. */
const char *sohoa_error_last(void);
int sohoa_error_last_code(void);
void sohoa_error_clear(void);

/* Stable identifier of a code ("SOHOA_EIO") and a short generic description;
 * "SOHOA_E?" / "unknown error" for codes outside the table. Never NULL. */
const char *sohoa_error_name(int code);
const char *sohoa_error_describe(int code);

/* --------------------------------------------------------------- logging */
typedef enum {
	SOHOA_LOG_ERROR = 0,
	SOHOA_LOG_WARN = 1,
	SOHOA_LOG_INFO = 2,
	SOHOA_LOG_DEBUG = 3,
} sohoa_log_level;

/* Logging is the one process-wide setting: the cli sets the level once from
 * -v/-q before any work starts (default SOHOA_LOG_WARN) and may redirect the
 * stream (default stderr). Each message is written as one whole line. */
void sohoa_log_set_level(sohoa_log_level level);
sohoa_log_level sohoa_log_get_level(void);
void sohoa_log_set_stream(FILE *stream); /* NULL restores stderr */
void sohoa_log(sohoa_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define sohoa_log_error(...) sohoa_log(SOHOA_LOG_ERROR, __VA_ARGS__)
#define sohoa_log_warn(...) sohoa_log(SOHOA_LOG_WARN, __VA_ARGS__)
#define sohoa_log_info(...) sohoa_log(SOHOA_LOG_INFO, __VA_ARGS__)
#define sohoa_log_debug(...) sohoa_log(SOHOA_LOG_DEBUG, __VA_ARGS__)

/* ------------------------------------------------------------------ files */
/* An atomic file: written under a temporary name in the destination's
 * directory and renamed over the destination on commit, after fsync of the
 * file and followed by fsync of the directory. Readers see the old content or
 * the whole new content, never a part; a crash leaves at most a stray
 * ".<name>.tmp-XXXXXX" file, which never has the destination's name. */
typedef struct sohoa_atomic_file sohoa_atomic_file;

/* Opens a temporary file beside `path` (mode 0644 after umask). The caller owns
 * *out and must end it with commit or abort. Errors: SOHOA_ENOTFOUND (directory
 * missing), SOHOA_EPERM, SOHOA_EIO, SOHOA_ENOMEM. */
int sohoa_atomic_open(sohoa_atomic_file **out, const char *path);
/* Appends `len` bytes. On error the file stays open; the caller aborts it. */
int sohoa_atomic_write(sohoa_atomic_file *af, const void *data, size_t len);
/* The file's descriptor, for libraries that write to an fd themselves. */
int sohoa_atomic_fd(const sohoa_atomic_file *af);
/* Closes the descriptor now (checking close's error), keeping the file for a
 * later commit or abort: for many files pending at once without as many open
 * descriptors. sohoa_atomic_fd is then -1. */
int sohoa_atomic_close(sohoa_atomic_file *af);
/* fsync, close, rename over the destination, fsync the directory; frees `af`
 * whatever the outcome (on failure the temporary file is removed). */
int sohoa_atomic_commit(sohoa_atomic_file *af);
/* Closes and removes the temporary file, frees `af`. NULL is a no-op. */
void sohoa_atomic_abort(sohoa_atomic_file *af);
/* Commits `n` atomic files at once with the same guarantee as one
 * sohoa_atomic_commit each, but one syncfs per filesystem before the renames
 * and one after, instead of two fsyncs per file: for batches of many small
 * files (batch signing). rcs[i] is each file's outcome; a NULL afs[i] is
 * skipped (rcs[i] SOHOA_EINVAL, not counted in the result). Returns 0 when all
 * others committed, else the last error (its message set). Frees every afs[i]
 * and sets it to NULL; a failed one is removed. */
int sohoa_atomic_commit_all(sohoa_atomic_file **afs, size_t n, int *rcs);

/* Writes `len` bytes to `path` atomically (open + write + commit). */
int sohoa_file_write_atomic(const char *path, const void *data, size_t len);

/* Reads a whole regular file into a NUL-terminated buffer the caller frees.
 * Refuses files larger than `max_bytes` before reading them (SOHOA_ELIMIT) and
 * anything that is not a regular file (SOHOA_EUNSUPPORTED). *len_out excludes
 * the terminating NUL; it may be NULL. */
int sohoa_file_read(char **out, size_t *len_out, const char *path, size_t max_bytes);

/* Creates `path` and its missing parents with mode 0755; existing directories
 * are fine. */
int sohoa_mkdir_p(const char *path);

/* fsyncs the directory `path`, making renames and creations in it durable. */
int sohoa_fsync_dir(const char *path);

/* ---------------------------------------------------------------- hashing */
#define SOHOA_SHA256_LEN 32
#define SOHOA_SHA256_HEX_LEN 64

/* SHA-256 of a buffer or of a file's content (streamed, any size). */
int sohoa_sha256(uint8_t out[SOHOA_SHA256_LEN], const void *data, size_t len);
int sohoa_sha256_file(uint8_t out[SOHOA_SHA256_LEN], const char *path);
/* Lower-case hex of `len` bytes into `out`, which holds 2*len+1 chars. */
void sohoa_hex(char *out, const uint8_t *bytes, size_t len);

/* ------------------------------------------------------------------- text */
/* Unicode NFC normalisation of `len` bytes of UTF-8 (ICU). *out is a new
 * NUL-terminated string the caller frees. Errors: SOHOA_EFORMAT for invalid
 * UTF-8, SOHOA_ENOMEM. */
int sohoa_utf8_nfc(char **out, const char *in, size_t len);

/* Writes `s` as a JSON string literal (quotes included, control characters
 * and quotes escaped; UTF-8 passes through). */
void sohoa_json_string(FILE *out, const char *s);

/* ----------------------------------------------------------------- limits */
/* Caps on untrusted input, checked before work starts. Defaults are documented
 * in docs/limits.md; a test covers each. */
typedef struct {
	size_t max_manifest_bytes; /* dossier.xml, package.xml */
	size_t max_xml_depth;      /* element nesting */
	size_t max_xml_attrs;      /* attributes on one element */
	size_t max_xml_text;       /* bytes of one text node or attribute value */
	size_t max_image_bytes;    /* one image or PDF file */
	uint64_t max_image_pixels; /* width * height of one page */
	size_t max_image_pages;    /* pages in one multi-page file */
	size_t max_dossier_pages;  /* pages in one dossier */
	size_t max_request_bytes;  /* one HTTP request body + headers */
} sohoa_limits;

/* The default caps (see docs/limits.md). */
sohoa_limits sohoa_limits_default(void);

/* ---------------------------------------------------------------- version */
/* "0.1.0": the version of this build. Never NULL. */
const char *sohoa_version(void);

#endif
