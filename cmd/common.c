/*
 * common.c - shared command-line helpers (see common.h).
 */
#include "common.h"
#include "../lib/io.h"

#include <getopt.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

void cmd_print_usage(FILE *f, const char *const *usage)
{
	for (; *usage; usage++)
		fprintf(f, "%s\n", *usage);
}

int cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "xe2e %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'xe2e %s --help')\n", cmd);
	return XE2E_EUSAGE;
}

int cmd_bad_option(const char *cmd, int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		return cmd_usage_error(cmd, "option '%s' needs a value", arg);
	if (optopt && optopt != '?')
		return cmd_usage_error(cmd, "unknown option '-%c'", optopt);
	return cmd_usage_error(cmd, "unknown option '%s'", arg);
}

int cmd_json_str(struct xe2e_buf *out, const char *s, struct xe2e_err *err)
{
	const unsigned char *p = (const unsigned char *)s;
	int rc = xe2e_buf_addc(out, '"', err);

	for (; !rc && *p; p++) {
		if (*p == '"' || *p == '\\')
			rc = xe2e_buf_addf(out, err, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			rc = xe2e_buf_addf(out, err, "\\u%04x", *p);
		else
			rc = xe2e_buf_addc(out, *p, err);
	}
	if (!rc)
		rc = xe2e_buf_addc(out, '"', err);
	return rc;
}

int cmd_fail(const char *cmd, const struct xe2e_err *err, int json)
{
	int status = xe2e_exit_status(err->code);
	const char *msg = err->msg[0] ? err->msg : xe2e_strerror(err->code);
	struct xe2e_buf j = XE2E_BUF_INIT;

	if (status == 0)
		status = XE2E_EIO;
	if (json) {
		xe2e_buf_addf(&j, NULL, "{\"status\":\"error\",\"exit\":%d,\"error\":", status);
		cmd_json_str(&j, msg, NULL);
		xe2e_buf_adds(&j, "}\n", NULL);
		if (j.data)
			fputs((char *)j.data, stderr);
		xe2e_buf_release(&j);
	} else {
		fprintf(stderr, "xe2e %s: %s\n", cmd, msg);
	}
	return status;
}

int cmd_output(const char *path, const struct xe2e_buf *b, struct xe2e_err *err)
{
	int rc;

	if (path && strcmp(path, "-"))
		return xe2e_io_write_atomic(path, b->data, b->len, err);
	rc = xe2e_io_write_fd(STDOUT_FILENO, b->data, b->len, err);
	if (rc)
		return xe2e_err_set(err, XE2E_EIO, "cannot write to standard output");
	return 0;
}

void cmd_version(void)
{
	printf("xe2e %s\n", PACKAGE_VERSION);
}
