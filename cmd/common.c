/*
 * common.c - shared command-line helpers (see common.h).
 */
#include "common.h"
#include "../lib/io.h"
#include "../lib/limits.h"
#include "../lib/datetime.h"
#include "../lib/pki.h"
#include "../lib/text.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <gnutls/gnutls.h>
#include <stdlib.h>
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

void cmd_warn(const char *cmd, const char *msg)
{
	char e[XE2E_ERR_MSG_MAX * 4];

	xe2e_text_escape(e, sizeof(e), (const unsigned char *)msg, strlen(msg));
	fprintf(stderr, "xe2e %s: warning: %s\n", cmd, e);
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
	size_t len = strlen(s), i = 0, n;
	unsigned cp;
	int rc = xe2e_buf_addc(out, '"', err);

	/* RFC 8259 §7-§8: valid UTF-8 only; bytes that are not become U+FFFD */
	while (!rc && i < len) {
		n = xe2e_utf8_char(p + i, len - i, &cp);
		if (n == 0) {
			rc = xe2e_buf_adds(out, "\\ufffd", err);
			n = 1;
		} else if (cp == '"' || cp == '\\') {
			rc = xe2e_buf_addf(out, err, "\\%c", (int)cp);
		} else if (xe2e_text_must_escape(cp)) {
			rc = xe2e_buf_addf(out, err, "\\u%04x", cp);
		} else {
			rc = xe2e_buf_add(out, p + i, n, err);
		}
		i += n;
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

int cmd_output(const char *path, const struct xe2e_buf *b, enum xe2e_io_mode mode,
	       struct xe2e_err *err)
{
	int rc;

	if (path && strcmp(path, "-"))
		return xe2e_io_write_atomic(path, b->data, b->len, mode, err);
	rc = xe2e_io_write_fd(STDOUT_FILENO, b->data, b->len, err);
	if (rc)
		return xe2e_err_set(err, XE2E_EIO, "cannot write to standard output");
	return 0;
}

void cmd_version(void)
{
	printf("xe2e %s\n", PACKAGE_VERSION);
}

enum { OUT_MEM, OUT_ATOMIC, OUT_SPOOL, OUT_DIRECT };

int cmd_out_open(struct cmd_out *o, const char *path, int stream, int spool,
		 enum xe2e_io_mode file_mode, struct xe2e_err *err)
{
	int rc = 0, fd = STDOUT_FILENO;

	memset(o, 0, sizeof(*o));
	o->file_mode = file_mode;
	o->spool_fd = -1;
	o->at.fd = -1;
	o->path = path && strcmp(path, "-") ? path : NULL;
	if (!stream) {
		o->mode = OUT_MEM;
		o->mem.max = 3 * XE2E_MAX_INPUT;   /* base64 of a 2x ciphertext */
		xe2e_sink_buf_init(&o->sbuf, &o->mem);
		return 0;
	}
	if (o->path) {
		o->mode = OUT_ATOMIC;
		rc = xe2e_io_atomic_open(&o->at, o->path, o->file_mode, err);
		fd = o->at.fd;
	} else if (spool) {
		o->mode = OUT_SPOOL;
		rc = xe2e_io_spool_open(&o->spool_fd, err);
		fd = o->spool_fd;
	} else {
		o->mode = OUT_DIRECT;
		/* fewer, larger pipe transfers (best effort; not a pipe: no-op) */
		fcntl(STDOUT_FILENO, F_SETPIPE_SZ, 1 << 20);
	}
	if (rc)
		return rc;
	o->sfd = malloc(sizeof(*o->sfd));
	if (!o->sfd) {
		cmd_out_abort(o);
		return xe2e_err_oom(err);
	}
	xe2e_sink_fd_init(o->sfd, fd);
	return 0;
}

struct xe2e_sink *cmd_out_sink(struct cmd_out *o)
{
	return o->mode == OUT_MEM ? &o->sbuf.base : &o->sfd->base;
}

int cmd_out_commit(struct cmd_out *o, struct xe2e_err *err)
{
	int rc = 0;

	if (o->mode == OUT_MEM) {
		rc = cmd_output(o->path, &o->mem, o->file_mode, err);
		xe2e_buf_wipe(&o->mem);
		return rc;
	}
	rc = xe2e_sink_finish(&o->sfd->base, err);
	if (!rc && o->mode == OUT_ATOMIC)
		rc = xe2e_io_atomic_commit(&o->at, err);
	if (!rc && o->mode == OUT_SPOOL)
		rc = xe2e_io_copy_fd(STDOUT_FILENO, o->spool_fd, err);
	cmd_out_abort(o);
	return rc;
}

void cmd_out_abort(struct cmd_out *o)
{
	if (o->spool_fd >= 0)
		close(o->spool_fd);
	o->spool_fd = -1;
	if (o->at.fd >= 0)
		xe2e_io_atomic_abort(&o->at);
	if (o->sfd) {
		gnutls_memset(o->sfd->out, 0, sizeof(o->sfd->out));
		free(o->sfd);
	}
	o->sfd = NULL;
	xe2e_buf_wipe(&o->mem);
}

int cmd_want_stream(int forced, int fd)
{
	long long size;


	if (forced >= 0)
		return forced;
	/* DESIGN §6: stream when the input is not a regular file or is large */
	return !xe2e_io_size_hint(fd, &size) || size > XE2E_STREAM_THRESHOLD;
}

int cmd_add_file(const char *cmd, const char **list, int *n, int max,
		 const char *opt, const char *v)
{
	if (*n == max)
		return cmd_usage_error(cmd, "more than %d '%s' options", max, opt);
	list[(*n)++] = v;
	return 0;
}

int cmd_parse_fd(const char *cmd, const char *arg, int *fd)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (*arg == '\0' || *end || errno || v < 0 || v > INT_MAX)
		return cmd_usage_error(cmd, "bad --pass-fd '%s'", arg);
	*fd = (int)v;
	return 0;
}

int cmd_load_key(gnutls_privkey_t *key, const char *path, int pass_fd,
		 const char *pass_file, struct xe2e_err *err)
{
	struct xe2e_buf pass = XE2E_BUF_INIT;
	int rc = 0;

	*key = NULL;
	if (pass_fd >= 0)
		rc = xe2e_io_read_secret_fd(&pass, pass_fd, err);
	else if (pass_file)
		rc = xe2e_io_read_secret_file(&pass, pass_file, err);
	if (!rc)
		rc = xe2e_pki_load_key(key, path, pass.len ? (char *)pass.data : NULL, err);
	xe2e_buf_wipe(&pass);
	return rc;
}

int cmd_help_version(int c, const char *const *usage, int *done)
{
	if (c == 'h')
		cmd_print_usage(stdout, usage);
	else
		cmd_version();
	*done = 1;
	return 0;
}

int cmd_parse_time(const char *cmd, const char *arg, time_t *t, int *have)
{
	struct xe2e_err e;

	if (xe2e_time_parse_rfc3339(t, arg, &e))
		return cmd_usage_error(cmd, "%s", e.msg);
	*have = 1;
	return 0;
}

int cmd_in_open(struct cmd_in *in, const char *path, struct xe2e_err *err)
{
	in->fd = STDIN_FILENO;
	in->src = NULL;
	if (path && strcmp(path, "-")) {
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0)
			return xe2e_err_set(err, XE2E_EIO, "cannot open '%s': %s", path,
					    strerror(errno));
	}
	fcntl(in->fd, F_SETPIPE_SZ, 1 << 20);   /* as in cmd_out_open */
	in->src = malloc(sizeof(*in->src));
	if (!in->src)
		return xe2e_err_oom(err);
	xe2e_source_init_fd(in->src, in->fd);
	return 0;
}

void cmd_in_close(struct cmd_in *in)
{
	if (in->fd != STDIN_FILENO && in->fd >= 0)
		close(in->fd);
	in->fd = -1;
	if (in->src) {
		gnutls_memset(in->src, 0, sizeof(*in->src));
		free(in->src);
	}
	in->src = NULL;
}
