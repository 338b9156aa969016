/*
 * err.c - the one error type (see err.h).  DESIGN §4 exit statuses.
 */
#include "err.h"
#include "text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int xe2e_err_set(struct xe2e_err *err, enum xe2e_code code, const char *fmt, ...)
{
	char tmp[XE2E_ERR_MSG_MAX];
	va_list ap;

	if (err) {
		/* format first: the arguments may include err->msg itself */
		va_start(ap, fmt);
		vsnprintf(tmp, sizeof(tmp), fmt, ap);
		va_end(ap);
		err->code = code;
		err->what = XE2E_WHAT_NONE;
		/* DESIGN §4, one line: names and strings from input may carry
		 * line breaks or escape sequences; escaping is idempotent, so a
		 * message re-used as an argument is not escaped twice */
		xe2e_text_escape(err->msg, sizeof(err->msg), (const unsigned char *)tmp,
				 strlen(tmp));
	}
	return -(int)code;
}

int xe2e_err_oom(struct xe2e_err *err)
{
	if (err) {
		static const char m[] = "out of memory";
		err->code = XE2E_EIO;
		err->what = XE2E_WHAT_NONE;
		memcpy(err->msg, m, sizeof(m));
	}
	return -XE2E_EIO;
}

void xe2e_err_clear(struct xe2e_err *err)
{
	if (err) {
		err->code = XE2E_OK;
		err->what = XE2E_WHAT_NONE;
		err->msg[0] = '\0';
	}
}

int xe2e_err_what(struct xe2e_err *err, enum xe2e_err_what what, int rc)
{
	if (err)
		err->what = what;
	return rc;
}

const char *xe2e_strerror(int code)
{
	if (code < 0)
		code = -code;
	switch (code) {
	case XE2E_OK: return "ok";
	case XE2E_EUSAGE: return "usage error";
	case XE2E_EMALFORMED: return "malformed input";
	case XE2E_ETIMESTAMP: return "timestamp check failed";
	case XE2E_ESIGNATURE: return "signature not verified";
	case XE2E_EDECRYPT: return "decryption failed";
	case XE2E_ECERT: return "certificate not valid";
	case XE2E_ENAME: return "name mismatch";
	case XE2E_EIO: return "I/O or system error";
	case XE2E_EUNSUPPORTED: return "unsupported algorithm or feature";
	}
	return "unknown error";
}

int xe2e_exit_status(int code)
{
	if (code < 0)
		code = -code;
	if (code > XE2E_CODE_MAX)
		return XE2E_EIO;
	return code;
}
