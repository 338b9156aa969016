/*
 * err.h - the one error type of xe2e.
 *
 * lib/ functions return 0 on success or a negative enum xe2e_code; their last
 * parameter is a struct xe2e_err * (may be NULL) that receives the code and a
 * one-line message.  The struct is left untouched on success, so calls chain.
 * Codes map one-to-one onto the exit statuses of DESIGN §4.
 *
 * This module does not print: only cmd/ talks to the user.
 */
#ifndef XE2E_ERR_H
#define XE2E_ERR_H

#include <stddef.h>

enum xe2e_code {
	XE2E_OK = 0,
	XE2E_EUSAGE = 1,      /* bad command line */
	XE2E_EMALFORMED = 2,  /* malformed input */
	XE2E_ETIMESTAMP = 3,  /* timestamp check failed */
	XE2E_ESIGNATURE = 4,  /* signature not verified */
	XE2E_EDECRYPT = 5,    /* decryption failed */
	XE2E_ECERT = 6,       /* certificate not valid */
	XE2E_ENAME = 7,       /* name mismatch */
	XE2E_EIO = 8,         /* I/O or system error (includes out of memory) */
	XE2E_EUNSUPPORTED = 9 /* unsupported algorithm or feature */
};
#define XE2E_CODE_MAX 9

#define XE2E_ERR_MSG_MAX 256

/* What a caller may want to know beyond code and message (so that a
 * command can add a hint without matching the message's words). */
enum xe2e_err_what {
	XE2E_WHAT_NONE,
	XE2E_WHAT_NOT_ENTITY,        /* the input is not a MIME entity */
	XE2E_WHAT_NO_CONTENT         /* a detached signature came without content */
};

struct xe2e_err {
	enum xe2e_code code;
	char msg[XE2E_ERR_MSG_MAX];
	enum xe2e_err_what what;     /* reset by every xe2e_err_set */
};

/*
 * Record an error: sets err->code and formats err->msg (truncated to fit),
 * with control characters, bidirectional overrides and invalid UTF-8 from
 * the arguments escaped (text.h), so the message is always one line.
 * err may be NULL; the arguments may include err->msg (to add context).
 * Returns -code so that callers can `return xe2e_err_set(...)`.
 */
int xe2e_err_set(struct xe2e_err *err, enum xe2e_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Mark the error just recorded in err (may be NULL) as `what`; returns rc,
 * so that callers can `return xe2e_err_what(err, W, xe2e_err_set(...))`. */
int xe2e_err_what(struct xe2e_err *err, enum xe2e_err_what what, int rc);

/* Record out of memory; never allocates.  Returns -XE2E_EIO. */
int xe2e_err_oom(struct xe2e_err *err);

/* Reset to "no error". */
void xe2e_err_clear(struct xe2e_err *err);

/* Static one-word-ish description of a code, e.g. "signature not verified". */
const char *xe2e_strerror(int code);

/* Exit status for a (possibly negated) code. */
int xe2e_exit_status(int code);

#endif
