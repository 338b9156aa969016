/*
 * io.c - whole-file input, atomic output, passphrases (see io.h).
 */
#include "io.h"
#include "limits.h"

#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* small enough that wiping a small input stays cheap */
#define READ_CHUNK 8192

static int read_fd(struct xe2e_buf *out, int fd, size_t max, const char *name,
		   struct xe2e_err *err)
{
	size_t start = out->len, saved = out->max;
	ssize_t n;
	int rc = 0;

	if (max == 0)
		max = XE2E_MAX_INPUT;
	/* let the buffer hold one read past the limit, so that we can tell */
	out->max = start + max + READ_CHUNK;
	for (;;) {
		rc = xe2e_buf_grow(out, READ_CHUNK, err);
		if (rc)
			break;
		n = read(fd, out->data + out->len, out->alloc - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = xe2e_err_set(err, XE2E_EIO, "cannot read '%s': %s",
					  name, strerror(errno));
			break;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->data[out->len] = '\0';
		if (out->len - start > max) {
			rc = xe2e_err_set(err, XE2E_EMALFORMED,
					  "'%s' is larger than %zu bytes", name, max);
			break;
		}
	}
	out->max = saved;
	return rc;
}

int xe2e_io_read(struct xe2e_buf *out, const char *path, size_t max,
		 struct xe2e_err *err)
{
	int fd, rc;

	if (!path || !strcmp(path, "-"))
		return read_fd(out, 0, max, "standard input", err);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return xe2e_err_set(err, XE2E_EIO, "cannot open '%s': %s", path,
				    strerror(errno));
	rc = read_fd(out, fd, max, path, err);
	close(fd);
	return rc;
}

int xe2e_io_write_fd(int fd, const void *p, size_t len, struct xe2e_err *err)
{
	const unsigned char *c = p;
	ssize_t n;

	while (len) {
		n = write(fd, c, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return xe2e_err_set(err, XE2E_EIO, "write failed: %s",
					    strerror(errno));
		c += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Where an output to `path` goes: a new or regular file is replaced by
 * rename (through a symbolic link, at its target: *real, to be freed);
 * anything else (a FIFO, a device such as /dev/null) is written in place,
 * never replaced.  Returns 1 for rename, 0 for in place.
 */
static int replaceable(const char *path, char **real)
{
	struct stat st;

	*real = NULL;
	if (lstat(path, &st) < 0)
		return 1;                       /* new file */
	if (S_ISLNK(st.st_mode)) {
		if (stat(path, &st) < 0)
			return 0;               /* dangling: create through the link */
		if (!S_ISREG(st.st_mode))
			return 0;
		*real = realpath(path, NULL);
		return *real != NULL;
	}
	return S_ISREG(st.st_mode);
}

static int open_in_place(const char *path, enum xe2e_io_mode mode, struct xe2e_err *err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
		      mode == XE2E_IO_PRIVATE ? 0600 : 0666);

	if (fd < 0)
		return xe2e_err_set(err, XE2E_EIO, "cannot open '%s': %s", path, strerror(errno));
	return fd;
}

int xe2e_io_write_atomic(const char *path, const void *p, size_t len,
			 enum xe2e_io_mode mode, struct xe2e_err *err)
{
	struct xe2e_atomic a;
	int rc = xe2e_io_atomic_open(&a, path, mode, err);

	if (!rc)
		rc = xe2e_io_write_fd(a.fd, p, len, err);
	if (!rc)
		rc = xe2e_io_atomic_commit(&a, err);
	xe2e_io_atomic_abort(&a);   /* no-op after a commit */
	return rc;
}

static int first_line(struct xe2e_buf *out, struct xe2e_buf *raw,
		      const char *name, struct xe2e_err *err)
{
	size_t n = 0;
	int rc;

	while (n < raw->len && raw->data[n] != '\n' && raw->data[n] != '\r')
		n++;
	xe2e_buf_reset(out);
	rc = xe2e_buf_add(out, raw->data, n, err);
	xe2e_buf_wipe(raw);
	if (!rc && n == 0)
		rc = xe2e_err_set(err, XE2E_EUSAGE, "empty passphrase from %s", name);
	return rc;
}

int xe2e_io_read_secret_fd(struct xe2e_buf *out, int fd, struct xe2e_err *err)
{
	struct xe2e_buf raw = XE2E_BUF_INIT;
	int rc;

	rc = read_fd(&raw, fd, XE2E_MAX_PASSPHRASE, "passphrase descriptor", err);
	if (rc) {
		xe2e_buf_wipe(&raw);
		if (rc == -XE2E_EIO)
			return xe2e_err_set(err, XE2E_EIO,
					    "cannot read passphrase from descriptor %d", fd);
		return rc;
	}
	return first_line(out, &raw, "descriptor", err);
}

int xe2e_io_read_secret_file(struct xe2e_buf *out, const char *path,
			     struct xe2e_err *err)
{
	struct xe2e_buf raw = XE2E_BUF_INIT;
	int rc;

	rc = xe2e_io_read(&raw, path, XE2E_MAX_PASSPHRASE, err);
	if (rc) {
		xe2e_buf_wipe(&raw);
		return rc;
	}
	return first_line(out, &raw, path, err);
}

/*
 * The temporary file gets the permissions the result will have before any
 * byte is written to it (mkstemp made it 0600): an existing target's
 * permission bits, owner and group; or, for a new public file, what the
 * umask allows.
 */
static int set_mode(int fd, const char *target, enum xe2e_io_mode mode,
		    struct xe2e_err *err)
{
	struct stat st;
	mode_t um, bits;

	if (mode == XE2E_IO_SECRET)     /* mkstemp's 0600, the caller's owner */
		return 0;
	if (stat(target, &st) == 0 && S_ISREG(st.st_mode)) {
		bits = st.st_mode & 0777;
		/* the owner needs privilege; the group needs membership: a
		 * group we cannot give the file keeps none of its rights */
		if (fchown(fd, st.st_uid, st.st_gid) < 0 && fchown(fd, (uid_t)-1, st.st_gid) < 0)
			bits &= ~(mode_t)0070;
	} else if (mode == XE2E_IO_PRIVATE) {
		return 0;
	} else {
		um = umask(0);
		umask(um);
		bits = 0666 & ~um;
	}
	if (fchmod(fd, bits) < 0)
		return xe2e_err_set(err, XE2E_EIO, "cannot set the mode of '%s': %s", target,
				    strerror(errno));
	return 0;
}

int xe2e_io_atomic_open(struct xe2e_atomic *a, const char *path, enum xe2e_io_mode mode,
			struct xe2e_err *err)
{
	int rc;

	memset(a, 0, sizeof(*a));
	a->fd = -1;
	a->path = path;
	if (!replaceable(path, &a->real)) {
		a->fd = open_in_place(path, mode, err);
		a->in_place = 1;
		return a->fd < 0 ? a->fd : 0;
	}
	if (a->real)
		a->path = a->real;
	rc = xe2e_buf_addf(&a->tmp, err, "%s.tmpXXXXXX", a->path);
	if (rc)
		return rc;
	a->fd = mkstemp((char *)a->tmp.data);
	if (a->fd < 0) {
		rc = xe2e_err_set(err, XE2E_EIO, "cannot create a file next to '%s': %s",
				  path, strerror(errno));
		xe2e_buf_release(&a->tmp);
		return rc;
	}
	rc = set_mode(a->fd, a->path, mode, err);
	if (rc)
		xe2e_io_atomic_abort(a);
	return rc;
}

int xe2e_io_atomic_commit(struct xe2e_atomic *a, struct xe2e_err *err)
{
	int rc = 0;

	if (a->in_place) {
		if (close(a->fd) < 0)
			rc = xe2e_err_set(err, XE2E_EIO, "cannot write '%s': %s", a->path,
					  strerror(errno));
		a->fd = -1;
		return rc;
	}
	if (fsync(a->fd) < 0 || close(a->fd) < 0 ||
	    rename((char *)a->tmp.data, a->path) < 0) {
		rc = xe2e_err_set(err, XE2E_EIO, "cannot write '%s': %s", a->path,
				  strerror(errno));
		unlink((char *)a->tmp.data);
	}
	a->fd = -1;
	xe2e_buf_release(&a->tmp);
	free(a->real);
	a->real = NULL;
	return rc;
}

void xe2e_io_atomic_abort(struct xe2e_atomic *a)
{
	if (a->fd >= 0) {
		close(a->fd);
		if (!a->in_place)
			unlink((char *)a->tmp.data);
	}
	a->fd = -1;
	xe2e_buf_release(&a->tmp);
	free(a->real);
	a->real = NULL;
}

int xe2e_io_spool_open(int *fd, struct xe2e_err *err)
{
	const char *dir = getenv("TMPDIR");
	char tmpl[4096];

	if (!dir || !*dir)
		dir = "/tmp";
	*fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (*fd >= 0)
		return 0;
	/* file systems without O_TMPFILE: create and unlink at once */
	if ((size_t)snprintf(tmpl, sizeof(tmpl), "%s/xe2e-spool.XXXXXX", dir) >= sizeof(tmpl))
		return xe2e_err_set(err, XE2E_EIO, "TMPDIR is too long");
	*fd = mkstemp(tmpl);
	if (*fd < 0)
		return xe2e_err_set(err, XE2E_EIO, "cannot create a spool file in '%s': %s",
				    dir, strerror(errno));
	unlink(tmpl);
	return 0;
}

int xe2e_io_copy_fd(int to, int from, struct xe2e_err *err)
{
	unsigned char b[65536];
	ssize_t n;
	int rc;

	if (lseek(from, 0, SEEK_SET) < 0)
		return xe2e_err_set(err, XE2E_EIO, "cannot rewind spool file: %s", strerror(errno));
	for (;;) {
		n = read(from, b, sizeof(b));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return xe2e_err_set(err, XE2E_EIO, "cannot read spool file: %s", strerror(errno));
		if (n == 0)
			return 0;
		rc = xe2e_io_write_fd(to, b, (size_t)n, err);
		if (rc)
			return rc;
	}
}

int xe2e_io_size_hint(int fd, long long *size)
{
	struct stat st;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	*size = (long long)st.st_size;
	return 1;
}
