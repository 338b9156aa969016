/*
 * io.h - whole-file input, atomic output, passphrase input.
 *
 * Not here: streaming (the EnvelopedData streaming reader/writer has its own
 * module) and anything that prints messages to the user.
 */
#ifndef XE2E_IO_H
#define XE2E_IO_H

#include "buf.h"

/* Read all of `path` ("-" or NULL: standard input) into out (appended),
 * failing with -XE2E_EMALFORMED past max bytes (0: XE2E_MAX_INPUT). */
int xe2e_io_read(struct xe2e_buf *out, const char *path, size_t max,
		 struct xe2e_err *err);

/* Write p[0..len) to fd completely (EINTR-safe). */
int xe2e_io_write_fd(int fd, const void *p, size_t len, struct xe2e_err *err);

/* How a new output file is created: readable as the umask allows, or
 * 0600 whatever the umask (plaintext from decryption).  An existing file
 * keeps its permission bits, owner and group (set on the temporary file
 * before anything is written to it; bits for a group that cannot be kept
 * are dropped). */
enum xe2e_io_mode { XE2E_IO_PUBLIC, XE2E_IO_PRIVATE,
	XE2E_IO_SECRET     /* a private key: 0600 and our own, even when
			      replacing a file that had other bits or owner */
};

/* Write to a temporary file next to `path`, fsync, then rename over path,
 * so that readers see the old file or the new one, never a part.  Through a
 * symbolic link the target is replaced; a FIFO or device (/dev/null) is
 * written in place, never replaced. */
int xe2e_io_write_atomic(const char *path, const void *p, size_t len,
			 enum xe2e_io_mode mode, struct xe2e_err *err);

/* Read a passphrase: the first line (without CR/LF) from fd, or from file.
 * out must be wiped by the caller (xe2e_buf_wipe). */
int xe2e_io_read_secret_fd(struct xe2e_buf *out, int fd, struct xe2e_err *err);
int xe2e_io_read_secret_file(struct xe2e_buf *out, const char *path,
			     struct xe2e_err *err);

/* A file written under a temporary name and renamed into place. */
struct xe2e_atomic {
	int fd;
	const char *path;
	struct xe2e_buf tmp;
	char *real;            /* resolved symbolic link target, or NULL */
	int in_place;          /* not a regular file: written directly */
};
int xe2e_io_atomic_open(struct xe2e_atomic *a, const char *path, enum xe2e_io_mode mode,
			struct xe2e_err *err);
/* fsync, close and rename over the path. */
int xe2e_io_atomic_commit(struct xe2e_atomic *a, struct xe2e_err *err);
/* Close and remove the temporary file (safe to call twice). */
void xe2e_io_atomic_abort(struct xe2e_atomic *a);

/* An anonymous temporary file in $TMPDIR (or /tmp), gone when closed: holds
 * streamed output until it is known to be complete. */
int xe2e_io_spool_open(int *fd, struct xe2e_err *err);
/* Copy all of `from` (from its start) to `to`. */
int xe2e_io_copy_fd(int to, int from, struct xe2e_err *err);

/* 1 and the size if fd is a regular file, else 0. */
int xe2e_io_size_hint(int fd, long long *size);

#endif
