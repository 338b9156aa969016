/*
 * output.h - where a command's result goes, so that nothing partial is
 * ever seen: in memory, then written atomically to a file or to a
 * descriptor; or streamed to a temporary file renamed over the target, to
 * an anonymous spool file copied out at the end, or straight to a
 * descriptor (when only an I/O error can cut it short).
 *
 * Not here: what is written (the layers).
 */
#ifndef XE2E_OUTPUT_H
#define XE2E_OUTPUT_H

#include "buf.h"
#include "io.h"
#include "stream.h"

enum xe2e_output_how {
	XE2E_OUTPUT_MEMORY,    /* held, written at commit */
	XE2E_OUTPUT_STREAM,    /* streamed: to a temporary file, or straight out */
	XE2E_OUTPUT_SPOOL      /* streamed, and for a descriptor via a spool file */
};

struct xe2e_output {
	int mode;
	const char *path;              /* NULL: the descriptor fd */
	int fd;
	enum xe2e_io_mode file_mode;
	struct xe2e_buf mem;
	struct xe2e_sink_buf sbuf;
	struct xe2e_sink_fd *sfd;
	struct xe2e_atomic at;
	int spool_fd;
};

/* An output not yet opened, safe to abort. */
void xe2e_output_init(struct xe2e_output *o);

/* Prepare an output to path (NULL or "-": the descriptor fd). */
int xe2e_output_open(struct xe2e_output *o, const char *path, int fd, enum xe2e_output_how how,
		     enum xe2e_io_mode file_mode, struct xe2e_err *err);
struct xe2e_sink *xe2e_output_sink(struct xe2e_output *o);
/* Make it visible: flush, rename into place or copy the spool out. */
int xe2e_output_commit(struct xe2e_output *o, struct xe2e_err *err);
/* Throw it away (wiping what was held); safe after commit and twice. */
void xe2e_output_abort(struct xe2e_output *o);

#endif
