/*
 * output.c - atomic and spooled outputs (see output.h).
 */
#include "output.h"
#include "limits.h"

#include <fcntl.h>
#include <gnutls/gnutls.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { OUT_MEM, OUT_ATOMIC, OUT_SPOOL, OUT_DIRECT };

void xe2e_output_init(struct xe2e_output *o)
{
	memset(o, 0, sizeof(*o));
	o->spool_fd = -1;
	o->at.fd = -1;
	o->fd = -1;
}

int xe2e_output_open(struct xe2e_output *o, const char *path, int fd, enum xe2e_output_how how,
		     enum xe2e_io_mode file_mode, struct xe2e_err *err)
{
	int rc = 0, wfd = fd;

	xe2e_output_init(o);
	o->fd = fd;
	o->file_mode = file_mode;
	o->path = path && strcmp(path, "-") ? path : NULL;
	if (how == XE2E_OUTPUT_MEMORY) {
		o->mode = OUT_MEM;
		o->mem.max = 3 * XE2E_MAX_INPUT;   /* base64 of a 2x ciphertext */
		xe2e_sink_buf_init(&o->sbuf, &o->mem);
		return 0;
	}
	if (o->path) {
		o->mode = OUT_ATOMIC;
		rc = xe2e_io_atomic_open(&o->at, o->path, file_mode, err);
		wfd = o->at.fd;
	} else if (how == XE2E_OUTPUT_SPOOL) {
		o->mode = OUT_SPOOL;
		rc = xe2e_io_spool_open(&o->spool_fd, err);
		wfd = o->spool_fd;
	} else {
		o->mode = OUT_DIRECT;
		/* fewer, larger pipe transfers (best effort; not a pipe: no-op) */
		fcntl(fd, F_SETPIPE_SZ, 1 << 20);
	}
	if (rc)
		return rc;
	o->sfd = malloc(sizeof(*o->sfd));
	if (!o->sfd) {
		xe2e_output_abort(o);
		return xe2e_err_oom(err);
	}
	xe2e_sink_fd_init(o->sfd, wfd);
	return 0;
}

struct xe2e_sink *xe2e_output_sink(struct xe2e_output *o)
{
	return o->mode == OUT_MEM ? &o->sbuf.base : &o->sfd->base;
}

int xe2e_output_commit(struct xe2e_output *o, struct xe2e_err *err)
{
	int rc = 0;

	if (o->mode == OUT_MEM) {
		if (o->path)
			rc = xe2e_io_write_atomic(o->path, o->mem.data, o->mem.len, o->file_mode, err);
		else if (xe2e_io_write_fd(o->fd, o->mem.data, o->mem.len, err))
			rc = xe2e_err_set(err, XE2E_EIO, "cannot write the output");
		xe2e_buf_wipe(&o->mem);
		return rc;
	}
	rc = xe2e_sink_finish(&o->sfd->base, err);
	if (!rc && o->mode == OUT_ATOMIC)
		rc = xe2e_io_atomic_commit(&o->at, err);
	if (!rc && o->mode == OUT_SPOOL)
		rc = xe2e_io_copy_fd(o->fd, o->spool_fd, err);
	xe2e_output_abort(o);
	return rc;
}

void xe2e_output_abort(struct xe2e_output *o)
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
