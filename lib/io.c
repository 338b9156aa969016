/*
 * io.c - whole-file input, atomic output, passphrases (see io.h).
 */
#include "io.h"
#include "limits.h"

#include <errno.h>
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

int xe2e_io_write_atomic(const char *path, const void *p, size_t len,
			 struct xe2e_err *err)
{
	struct xe2e_buf tmp = XE2E_BUF_INIT;
	mode_t um;
	int fd, rc;

	rc = xe2e_buf_addf(&tmp, err, "%s.tmpXXXXXX", path);
	if (rc)
		return rc;
	fd = mkstemp((char *)tmp.data);
	if (fd < 0) {
		rc = xe2e_err_set(err, XE2E_EIO, "cannot create a file next to '%s': %s",
				  path, strerror(errno));
		goto out;
	}
	um = umask(0);
	umask(um);
	if (fchmod(fd, 0666 & ~um) < 0 ||
	    (rc = xe2e_io_write_fd(fd, p, len, err)) < 0 || fsync(fd) < 0) {
		if (!rc)
			rc = xe2e_err_set(err, XE2E_EIO, "cannot write '%s': %s", path,
					  strerror(errno));
		close(fd);
		unlink((char *)tmp.data);
		goto out;
	}
	if (close(fd) < 0 || rename((char *)tmp.data, path) < 0) {
		rc = xe2e_err_set(err, XE2E_EIO, "cannot write '%s': %s", path,
				  strerror(errno));
		unlink((char *)tmp.data);
	}
out:
	xe2e_buf_release(&tmp);
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
