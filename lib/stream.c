/*
 * stream.c - constant-memory sources and sinks (see stream.h).
 * Base64 per RFC 2045 §6.8 via Nettle; canonical form per RFC 3851 §3.1.1.
 */
#include "stream.h"

#include <errno.h>
#include <gnutls/gnutls.h>
#include <stddef.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

void xe2e_source_init_fd(struct xe2e_source *s, int fd)
{
	memset(s, 0, offsetof(struct xe2e_source, raw));
	s->rpos = s->rlen = s->dpos = s->dlen = 0;
	s->raw_eof = s->base64 = s->stop_at_dash = s->b64_end = 0;
	s->consumed = 0;
	s->fd = fd;
}

void xe2e_source_init_mem(struct xe2e_source *s, const unsigned char *p, size_t len)
{
	xe2e_source_init_fd(s, -1);
	s->mem = p;
	s->mem_len = len;
}

void xe2e_source_wipe(struct xe2e_source *s)
{
	size_t u = s->used < sizeof(s->raw) ? s->used : sizeof(s->raw);

	gnutls_memset(s->raw, 0, u);
	gnutls_memset(s->dec, 0, u);
	gnutls_memset(s, 0, offsetof(struct xe2e_source, raw));
	s->fd = -1;
}

static int fill_raw(struct xe2e_source *s, struct xe2e_err *err)
{
	ssize_t n;
	size_t take;

	if (s->rpos < s->rlen || s->raw_eof)
		return 0;
	s->rpos = s->rlen = 0;
	if (s->fd < 0) {
		take = s->mem_len - s->mem_pos;
		if (take > sizeof(s->raw))
			take = sizeof(s->raw);
		memcpy(s->raw, s->mem + s->mem_pos, take);
		if (take > s->used)
			s->used = take;
		s->mem_pos += take;
		s->rlen = take;
		s->raw_eof = take == 0;
		return 0;
	}
	do
		n = read(s->fd, s->raw, sizeof(s->raw));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return xe2e_err_set(err, XE2E_EIO, "read failed: %s", strerror(errno));
	s->rlen = (size_t)n;
	if (s->rlen > s->used)
		s->used = s->rlen;
	s->raw_eof = n == 0;
	return 0;
}

void xe2e_source_base64(struct xe2e_source *s, int stop_at_dash)
{
	s->base64 = 1;
	s->stop_at_dash = stop_at_dash;
	s->b64_end = 0;
	base64_decode_init(&s->b64);
}

static int fill_dec(struct xe2e_source *s, struct xe2e_err *err)
{
	size_t take, out, i;
	int rc;

	while (s->dpos >= s->dlen && !s->b64_end) {
		rc = fill_raw(s, err);
		if (rc)
			return rc;
		if (s->rpos >= s->rlen) {
			s->b64_end = 1;
			break;
		}
		take = s->rlen - s->rpos;
		/* 4 input characters give at most 3 bytes; dec holds the output */
		if (take > sizeof(s->dec) / 3 * 4)
			take = sizeof(s->dec) / 3 * 4;
		if (s->stop_at_dash) {
			for (i = 0; i < take && s->raw[s->rpos + i] != '-'; i++)
				;
			if (i < take)
				s->b64_end = 1;
			take = i;
		}
		out = sizeof(s->dec);
		if (!base64_decode_update(&s->b64, &out, s->dec, take,
					  (const char *)s->raw + s->rpos))
			return xe2e_err_set(err, XE2E_EMALFORMED, "invalid base64 data");
		s->rpos += take;
		s->dpos = 0;
		s->dlen = out;
		if (out > s->used)
			s->used = out;
	}
	if (s->dpos >= s->dlen && s->b64_end && !base64_decode_final(&s->b64))
		return xe2e_err_set(err, XE2E_EMALFORMED, "truncated base64 data");
	return 0;
}

int xe2e_source_read(struct xe2e_source *s, void *dst, size_t n, size_t *got,
		     struct xe2e_err *err)
{
	unsigned char *d = dst;
	size_t avail;
	int rc;

	*got = 0;
	while (*got < n) {
		if (s->base64) {
			rc = fill_dec(s, err);
			if (rc)
				return rc;
			avail = s->dlen - s->dpos;
			if (!avail)
				break;
			if (avail > n - *got)
				avail = n - *got;
			memcpy(d + *got, s->dec + s->dpos, avail);
			s->dpos += avail;
		} else if (s->rpos >= s->rlen && s->fd >= 0 && !s->raw_eof &&
			   n - *got >= sizeof(s->raw)) {
			/* large read with nothing buffered: straight into dst */
			ssize_t r;

			do
				r = read(s->fd, d + *got, n - *got);
			while (r < 0 && errno == EINTR);
			if (r < 0)
				return xe2e_err_set(err, XE2E_EIO, "read failed: %s", strerror(errno));
			if (r == 0) {
				s->raw_eof = 1;
				break;
			}
			avail = (size_t)r;
		} else {
			rc = fill_raw(s, err);
			if (rc)
				return rc;
			avail = s->rlen - s->rpos;
			if (!avail)
				break;
			if (avail > n - *got)
				avail = n - *got;
			memcpy(d + *got, s->raw + s->rpos, avail);
			s->rpos += avail;
		}
		*got += avail;
	}
	s->consumed += *got;
	return 0;
}

int xe2e_source_read_exact(struct xe2e_source *s, void *dst, size_t n,
			   struct xe2e_err *err)
{
	size_t got;
	int rc = xe2e_source_read(s, dst, n, &got, err);

	if (!rc && got != n)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "input is truncated");
	return rc;
}

int xe2e_source_peek(struct xe2e_source *s, unsigned char *c, struct xe2e_err *err)
{
	int rc;

	if (s->base64) {
		rc = fill_dec(s, err);
		if (rc)
			return rc;
		if (s->dpos >= s->dlen)
			return 0;
		*c = s->dec[s->dpos];
		return 1;
	}
	rc = fill_raw(s, err);
	if (rc)
		return rc;
	if (s->rpos >= s->rlen)
		return 0;
	*c = s->raw[s->rpos];
	return 1;
}

int xe2e_source_skip_space(struct xe2e_source *s, struct xe2e_err *err)
{
	unsigned char c;
	size_t got;
	int rc;

	for (;;) {
		rc = xe2e_source_peek(s, &c, err);
		if (rc <= 0)
			return rc;
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			return 1;
		rc = xe2e_source_read(s, &c, 1, &got, err);
		if (rc)
			return rc;
	}
}

int xe2e_source_read_all(struct xe2e_source *s, struct xe2e_buf *out, size_t max,
			 struct xe2e_err *err)
{
	size_t got, start = out->len;
	int rc;

	for (;;) {
		rc = xe2e_buf_grow(out, 65536, err);
		if (rc)
			return rc;
		rc = xe2e_source_read(s, out->data + out->len, out->alloc - out->len - 1, &got, err);
		if (rc)
			return rc;
		out->len += got;
		out->data[out->len] = '\0';
		if (out->len - start > max)
			return xe2e_err_set(err, XE2E_EMALFORMED, "input larger than %zu bytes", max);
		if (!got)
			return 0;
	}
}

int xe2e_source_line(struct xe2e_source *s, struct xe2e_buf *out, size_t max,
		     struct xe2e_err *err)
{
	unsigned char c;
	size_t got;
	int rc;

	xe2e_buf_reset(out);
	for (;;) {
		if (out->len >= max)
			return xe2e_err_set(err, XE2E_EMALFORMED, "line longer than %zu bytes", max);
		rc = xe2e_source_read(s, &c, 1, &got, err);
		if (rc)
			return rc;
		if (!got)
			return 0;
		rc = xe2e_buf_addc(out, c, err);
		if (rc)
			return rc;
		if (c == '\n')
			return 0;
	}
}

int xe2e_sink_finish(struct xe2e_sink *s, struct xe2e_err *err)
{
	return s->finish ? s->finish(s, err) : 0;
}

static int buf_write(struct xe2e_sink *s, const unsigned char *p, size_t n,
		     struct xe2e_err *err)
{
	return xe2e_buf_add(((struct xe2e_sink_buf *)s)->buf, p, n, err);
}

void xe2e_sink_buf_init(struct xe2e_sink_buf *s, struct xe2e_buf *buf)
{
	s->base.write = buf_write;
	s->base.finish = NULL;
	s->buf = buf;
}

static int fd_flush(struct xe2e_sink_fd *f, struct xe2e_err *err)
{
	size_t off = 0;
	ssize_t w;

	while (off < f->n) {
		w = write(f->fd, f->out + off, f->n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return xe2e_err_set(err, XE2E_EIO, "write failed: %s", strerror(errno));
		off += (size_t)w;
	}
	f->n = 0;
	return 0;
}

static int fd_write(struct xe2e_sink *s, const unsigned char *p, size_t n,
		    struct xe2e_err *err)
{
	struct xe2e_sink_fd *f = (struct xe2e_sink_fd *)s;
	struct iovec iov[2];
	ssize_t w;
	size_t take, off;
	int rc;

	if (n >= sizeof(f->out) / 2) {
		/* large: buffered bytes and these in one system call, no copy */
		iov[0].iov_base = f->out;
		iov[0].iov_len = f->n;
		iov[1].iov_base = (void *)p;
		iov[1].iov_len = n;
		while (iov[0].iov_len + iov[1].iov_len) {
			w = writev(f->fd, iov, 2);
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0)
				return xe2e_err_set(err, XE2E_EIO, "write failed: %s", strerror(errno));
			off = (size_t)w;
			take = off < iov[0].iov_len ? off : iov[0].iov_len;
			iov[0].iov_base = (char *)iov[0].iov_base + take;
			iov[0].iov_len -= take;
			off -= take;
			iov[1].iov_base = (char *)iov[1].iov_base + off;
			iov[1].iov_len -= off;
		}
		f->n = 0;
		return 0;
	}
	while (n) {
		if (f->n == sizeof(f->out)) {
			rc = fd_flush(f, err);
			if (rc)
				return rc;
		}
		take = sizeof(f->out) - f->n;
		if (take > n)
			take = n;
		memcpy(f->out + f->n, p, take);
		f->n += take;
		p += take;
		n -= take;
	}
	return 0;
}

static int fd_finish(struct xe2e_sink *s, struct xe2e_err *err)
{
	return fd_flush((struct xe2e_sink_fd *)s, err);
}

void xe2e_sink_fd_init(struct xe2e_sink_fd *s, int fd)
{
	s->base.write = fd_write;
	s->base.finish = fd_finish;
	s->fd = fd;
	s->n = 0;
}

/* 48 input bytes make one 64-character line */
static int b64_line(struct xe2e_sink_b64 *b, const unsigned char *p, size_t n,
		    struct xe2e_err *err)
{
	char line[BASE64_ENCODE_RAW_LENGTH(48) + 2];
	size_t l = BASE64_ENCODE_RAW_LENGTH(n);

	base64_encode_raw(line, n, p);
	line[l++] = '\r';
	line[l++] = '\n';
	return xe2e_sink_write(b->next, line, l, err);
}

static int b64_write(struct xe2e_sink *s, const unsigned char *p, size_t n,
		     struct xe2e_err *err)
{
	struct xe2e_sink_b64 *b = (struct xe2e_sink_b64 *)s;
	size_t take;
	int rc;

	if (b->ncarry) {
		take = 48 - b->ncarry < n ? 48 - b->ncarry : n;
		memcpy(b->carry + b->ncarry, p, take);
		b->ncarry += take;
		p += take;
		n -= take;
		if (b->ncarry < 48)
			return 0;
		rc = b64_line(b, b->carry, 48, err);
		b->ncarry = 0;
		if (rc)
			return rc;
	}
	while (n >= 48) {
		rc = b64_line(b, p, 48, err);
		if (rc)
			return rc;
		p += 48;
		n -= 48;
	}
	memcpy(b->carry, p, n);
	b->ncarry = n;
	return 0;
}

static int b64_finish(struct xe2e_sink *s, struct xe2e_err *err)
{
	struct xe2e_sink_b64 *b = (struct xe2e_sink_b64 *)s;
	int rc = 0;

	if (b->ncarry)
		rc = b64_line(b, b->carry, b->ncarry, err);
	b->ncarry = 0;
	return rc;
}

void xe2e_sink_b64_init(struct xe2e_sink_b64 *s, struct xe2e_sink *next)
{
	s->base.write = b64_write;
	s->base.finish = b64_finish;
	s->next = next;
	s->ncarry = 0;
}

static int canon_write(struct xe2e_sink *s, const unsigned char *p, size_t n,
		       struct xe2e_err *err)
{
	struct xe2e_sink_canon *c = (struct xe2e_sink_canon *)s;
	const unsigned char *lf, *cr, *e;
	size_t i = 0;
	int rc;

	if (c->raw)
		return xe2e_sink_write(c->next, p, n, err);
	while (i < n) {
		if (c->last_cr && p[i] == '\n') {
			/* second half of a CRLF already written */
			c->last_cr = 0;
			i++;
			continue;
		}
		c->last_cr = 0;
		lf = memchr(p + i, '\n', n - i);
		cr = memchr(p + i, '\r', (size_t)((lf ? lf : p + n) - (p + i)));
		e = cr ? cr : lf;
		if (!e)
			return xe2e_sink_write(c->next, p + i, n - i, err);
		rc = xe2e_sink_write(c->next, p + i, (size_t)(e - (p + i)), err);
		if (!rc)
			rc = xe2e_sink_write(c->next, "\r\n", 2, err);
		if (rc)
			return rc;
		c->last_cr = *e == '\r';
		i = (size_t)(e - p) + 1;
	}
	return 0;
}

void xe2e_sink_canon_init(struct xe2e_sink_canon *s, struct xe2e_sink *next)
{
	s->base.write = canon_write;
	s->base.finish = NULL;
	s->next = next;
	s->last_cr = 0;
	s->raw = 0;
}

static int lf_write(struct xe2e_sink *s, const unsigned char *p, size_t n, struct xe2e_err *err)
{
	struct xe2e_sink_lf *l = (struct xe2e_sink_lf *)s;
	size_t i, run = 0;
	int rc = 0;

	if (l->cr && n) {
		l->cr = 0;
		if (p[0] != '\n' && (rc = xe2e_sink_write(l->next, "\r", 1, err)))
			return rc;
	}
	for (i = 0; !rc && i < n; i++) {
		if (p[i] != '\r')
			continue;
		if (i + 1 == n) {        /* the next write tells */
			rc = xe2e_sink_write(l->next, p + run, i - run, err);
			l->cr = 1;
			return rc;
		}
		if (p[i + 1] == '\n') {
			rc = xe2e_sink_write(l->next, p + run, i - run, err);
			run = i + 1;
		}
	}
	return rc ? rc : xe2e_sink_write(l->next, p + run, n - run, err);
}

static int lf_finish(struct xe2e_sink *s, struct xe2e_err *err)
{
	struct xe2e_sink_lf *l = (struct xe2e_sink_lf *)s;

	if (!l->cr)
		return 0;
	l->cr = 0;
	return xe2e_sink_write(l->next, "\r", 1, err);
}

void xe2e_sink_lf_init(struct xe2e_sink_lf *s, struct xe2e_sink *next)
{
	s->base.write = lf_write;
	s->base.finish = lf_finish;
	s->next = next;
	s->cr = 0;
}

int xe2e_buf_add_lf(struct xe2e_buf *out, const void *p, size_t len, struct xe2e_err *err)
{
	struct xe2e_sink_buf sb;
	struct xe2e_sink_lf lf;
	int rc;

	xe2e_sink_buf_init(&sb, out);
	xe2e_sink_lf_init(&lf, &sb.base);
	rc = xe2e_sink_write(&lf.base, p, len, err);
	return rc ? rc : xe2e_sink_finish(&lf.base, err);
}
