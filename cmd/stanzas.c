/*
 * stanzas.c - the stanza loop of wrap and unwrap (see stanzas.h).
 */
#include "stanzas.h"
#include "../lib/io.h"
#include "../lib/state.h"

#include <errno.h>
#include <gnutls/gnutls.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define READ_CHUNK 65536

struct loop {
	int stream;
	struct xe2e_output out;
	int out_fd;                   /* stream mode to standard output: write at once */
	size_t n;                     /* stanzas seen */
	int status;
	cmd_stanza_fn fn;
	void *data;
	struct xe2e_state *state;     /* replay memory to batch, or NULL */
};

static int emit(struct loop *l, const struct xe2e_buf *b, struct xe2e_err *err)
{
	if (!b->len)
		return 0;
	if (l->out_fd < 0)
		return xe2e_sink_write(xe2e_output_sink(&l->out), b->data, b->len, err);
	return xe2e_io_write_fd(l->out_fd, b->data, b->len, err);
}


/* Handle every event the reader has ready -- one batch: the replay memory
 * is locked once for it and written before its output is (state.h);
 * -code on a fatal error. */
static int drain(struct loop *l, struct xe2e_stanza_reader *r, int *ended, struct xe2e_err *err)
{
	struct xe2e_buf b = XE2E_BUF_INIT, all = XE2E_BUF_INIT;
	struct xe2e_xml_node *node;
	enum xe2e_stanza_event ev;
	int rc = 0;

	while (!rc && (ev = xe2e_stanza_reader_next(r, &node)) != XE2E_STANZA_EV_NONE) {
		xe2e_buf_reset(&b);
		if (ev == XE2E_STANZA_EV_HEADER) {
			if (!l->stream)
				rc = xe2e_err_set(err, XE2E_EUSAGE, "the input is an XMPP stream: use --stream");
			else
				rc = xe2e_stanza_write_header(&b, node, xe2e_stanza_reader_had_decl(r), err);
		} else if (ev == XE2E_STANZA_EV_END) {
			const struct xe2e_xml_node *h = xe2e_stanza_reader_header(r);

			if (h)
				rc = xe2e_stanza_write_end(&b, h, err);
			*ended = 1;
		} else if (xe2e_stanza_kind(node) == XE2E_STANZA_OTHER && l->stream) {
			/* stream features, stream errors...: not ours */
			rc = xe2e_stanza_write(&b, node, xe2e_stanza_reader_header(r), err);
		} else {
			l->n++;
			if (!l->stream && l->n > 1) {
				rc = xe2e_err_set(err, XE2E_EUSAGE, "more than one stanza: use --stream");
			} else {
				/* fn reports the stanza's outcome itself */
				int s;

				if (l->state && !l->state->batch)
					rc = xe2e_state_batch_begin(l->state, err);
				s = rc ? 0 : l->fn(l->data, node, xe2e_stanza_reader_header(r), l->n, &b);

				if (s && !l->status)
					l->status = s;
				if (s && !l->stream)
					xe2e_buf_reset(&b);
			}
		}
		xe2e_xml_free(ev == XE2E_STANZA_EV_STANZA ? node : NULL);
		if (!rc)
			rc = xe2e_buf_add(&all, b.data, b.len, err);
		if (ev == XE2E_STANZA_EV_END)
			break;
	}
	/* recorded first, then shown */
	if (l->state && l->state->batch) {
		int c = xe2e_state_batch_end(l->state, !rc, rc ? NULL : err);

		if (!rc)
			rc = c;
	}
	if (!rc)
		rc = emit(l, &all, err);
	xe2e_buf_wipe(&b);
	xe2e_buf_wipe(&all);
	return rc;
}

int cmd_stanza_loop(const struct cmd_common *cc, const char *path, int stream, size_t max_bytes,
		    struct xe2e_state *state, cmd_stanza_fn fn, void *data)
{
	struct xe2e_stanza_reader *r = NULL;
	struct xe2e_err err;
	struct loop l;
	unsigned char *buf = NULL;
	size_t total = 0;
	ssize_t got;
	int fd = STDIN_FILENO, rc, ended = 0;

	memset(&l, 0, sizeof(l));
	l.stream = stream;
	l.fn = fn;
	l.data = data;
	l.state = state;
	xe2e_output_init(&l.out);
	l.out_fd = -1;
	xe2e_err_clear(&err);
	if (path && strcmp(path, "-")) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return cmd_report(cc, xe2e_err_set(&err, XE2E_EIO, "cannot open '%s': %s", path,
							   strerror(errno)), &err, NULL, NULL, stderr, NULL,
					  NULL, NULL);
	}
	/* a live stream to standard output is written stanza by stanza; a
	 * file is still renamed into place at the end */
	if (stream && (!cc->out || !strcmp(cc->out, "-")))
		l.out_fd = STDOUT_FILENO;
	rc = l.out_fd >= 0 ? 0
			   : xe2e_output_open(&l.out, cc->out, STDOUT_FILENO,
					      stream ? XE2E_OUTPUT_STREAM : XE2E_OUTPUT_MEMORY,
					      XE2E_IO_PRIVATE, &err);
	if (!rc)
		rc = xe2e_stanza_reader_new(&r, max_bytes, &err);
	buf = rc ? NULL : malloc(READ_CHUNK);
	if (!rc && !buf)
		rc = xe2e_err_oom(&err);
	while (!rc && !ended) {
		got = read(fd, buf, READ_CHUNK);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			rc = xe2e_err_set(&err, XE2E_EIO, "cannot read the input: %s", strerror(errno));
			break;
		}
		total += (size_t)got;
		if (!stream && total > max_bytes) {
			rc = xe2e_err_set(&err, XE2E_EMALFORMED, "the input is larger than the limit");
			break;
		}
		rc = xe2e_stanza_reader_feed(r, buf, (size_t)got, got == 0, &err);
		if (!rc)
			rc = drain(&l, r, &ended, &err);
		if (got == 0)
			break;
	}
	if (!rc && l.n == 0 && !stream)
		rc = xe2e_err_set(&err, XE2E_EMALFORMED, "no stanza in the input");
	/* nothing on standard output when the one stanza failed */
	if (!rc && l.out_fd < 0 && (stream || !l.status))
		rc = xe2e_output_commit(&l.out, &err);
	if (l.out_fd < 0)
		xe2e_output_abort(&l.out);
	if (buf) {
		gnutls_memset(buf, 0, READ_CHUNK);    /* it may be plaintext */
		free(buf);
	}
	xe2e_stanza_reader_free(r);
	if (fd != STDIN_FILENO)
		close(fd);
	if (rc)
		return cmd_report(cc, rc, &err, NULL, NULL, stderr, NULL, NULL, NULL);
	return l.status;
}

int cmd_stanza_run(const struct cmd_common *cc, struct xe2e_ctx *ctx, struct xe2e_state *state,
		   const char *state_dir, int stream, int batches, cmd_stanza_fn fn, void *data)
{
	struct xe2e_err err;
	int rc, status;

	xe2e_err_clear(&err);
	rc = xe2e_state_open(state, state_dir, &err);
	if (rc)
		return cmd_report(cc, rc, &err, NULL, NULL, stderr, NULL, NULL, NULL);
	if (stream)
		rc = xe2e_ctx_remember_chains(ctx, &err);
	status = rc ? cmd_report(cc, rc, &err, NULL, NULL, stderr, NULL, NULL, NULL)
		    : cmd_stanza_loop(cc, cc->n_in ? cc->in[0] : NULL, stream, ctx->max_input,
				      batches ? state : NULL, fn, data);
	xe2e_state_close(state);
	return status;
}
