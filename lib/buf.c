/*
 * buf.c - growable byte buffer (see buf.h).
 */
#include "buf.h"
#include "limits.h"

#include <gnutls/gnutls.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


void xe2e_buf_init(struct xe2e_buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->alloc = 0;
	b->max = max;
}

static size_t buf_cap(const struct xe2e_buf *b)
{
	return b->max ? b->max : XE2E_MAX_INPUT;
}

int xe2e_buf_grow(struct xe2e_buf *b, size_t extra, struct xe2e_err *err)
{
	size_t need, na;
	unsigned char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return xe2e_err_set(err, XE2E_EIO, "buffer size overflow");
	need = b->len + extra + 1;
	if (need - 1 > buf_cap(b))
		return xe2e_err_set(err, XE2E_EMALFORMED,
				    "input too large (limit %zu bytes)", buf_cap(b));
	if (need <= b->alloc)
		return 0;
	na = b->alloc ? b->alloc : 256;
	while (na < need)
		na = na > SIZE_MAX / 2 ? need : na * 2;
	p = realloc(b->data, na);
	if (!p)
		return xe2e_err_oom(err);
	if (!b->data)
		p[0] = '\0';
	b->data = p;
	b->alloc = na;
	return 0;
}

int xe2e_buf_add(struct xe2e_buf *b, const void *p, size_t n, struct xe2e_err *err)
{
	int rc = xe2e_buf_grow(b, n, err);

	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int xe2e_buf_adds(struct xe2e_buf *b, const char *s, struct xe2e_err *err)
{
	return xe2e_buf_add(b, s, strlen(s), err);
}

int xe2e_buf_addc(struct xe2e_buf *b, unsigned char c, struct xe2e_err *err)
{
	return xe2e_buf_add(b, &c, 1, err);
}

int xe2e_buf_addf(struct xe2e_buf *b, struct xe2e_err *err, const char *fmt, ...)
{
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return xe2e_err_set(err, XE2E_EIO, "format error");
	rc = xe2e_buf_grow(b, (size_t)n, err);
	if (rc)
		return rc;
	va_start(ap, fmt);
	vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void xe2e_buf_reset(struct xe2e_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void xe2e_buf_release(struct xe2e_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->alloc = 0;
}

void xe2e_buf_wipe(struct xe2e_buf *b)
{
	if (b->data)
		gnutls_memset(b->data, 0, b->alloc);
	xe2e_buf_release(b);
}

void xe2e_buf_replace(struct xe2e_buf *dst, struct xe2e_buf *src)
{
	size_t max = src->max;

	xe2e_buf_wipe(dst);
	*dst = *src;
	src->data = NULL;
	src->len = src->alloc = 0;
	src->max = max;
}

unsigned char *xe2e_buf_detach(struct xe2e_buf *b, size_t *len)
{
	unsigned char *p = b->data;

	if (len)
		*len = b->len;
	if (!p) {
		p = malloc(1);
		if (p)
			p[0] = '\0';
	}
	b->data = NULL;
	b->len = b->alloc = 0;
	return p;
}
