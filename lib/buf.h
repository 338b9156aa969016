/*
 * buf.h - the one growable byte buffer of xe2e.
 *
 * data is always NUL-terminated (data[len] == 0) and may hold NULs.  Growth
 * past `max` (0 = XE2E_MAX_INPUT) is an error value, not a crash; all size
 * arithmetic is overflow-checked.  A zero-initialised struct (XE2E_BUF_INIT)
 * is a valid empty buffer.
 *
 * This module does not wipe on release: use xe2e_buf_wipe() for secrets.
 */
#ifndef XE2E_BUF_H
#define XE2E_BUF_H

#include <stddef.h>
#include <string.h>
#include "err.h"

struct xe2e_buf {
	unsigned char *data;
	size_t len, alloc, max;
};

#define XE2E_BUF_INIT { NULL, 0, 0, 0 }

/* Initialise an empty buffer that may grow to max bytes (0: default cap). */
void xe2e_buf_init(struct xe2e_buf *b, size_t max);

/* Make room for `extra` more bytes.  -XE2E_EIO on OOM/overflow/limit. */
int xe2e_buf_grow(struct xe2e_buf *b, size_t extra, struct xe2e_err *err);

/* Append bytes / a C string / one byte / printf-formatted text. */
int xe2e_buf_add(struct xe2e_buf *b, const void *p, size_t n, struct xe2e_err *err);
int xe2e_buf_adds(struct xe2e_buf *b, const char *s, struct xe2e_err *err);
int xe2e_buf_addc(struct xe2e_buf *b, unsigned char c, struct xe2e_err *err);
int xe2e_buf_addf(struct xe2e_buf *b, struct xe2e_err *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* 1 if a and b hold the same bytes. */
static inline int xe2e_buf_eq(const struct xe2e_buf *a, const struct xe2e_buf *b)
{
	return a->len == b->len && (!a->len || !memcmp(a->data, b->data, a->len));
}

/* Set len to 0, keep the allocation. */
void xe2e_buf_reset(struct xe2e_buf *b);

/* Free the storage and return to the empty state (max kept). */
void xe2e_buf_release(struct xe2e_buf *b);

/* Overwrite the whole allocation with zeros, then release (for secrets). */
void xe2e_buf_wipe(struct xe2e_buf *b);

/* Wipe dst, then give it src's storage; src becomes empty (its max kept). */
void xe2e_buf_replace(struct xe2e_buf *dst, struct xe2e_buf *src);

/* Hand the storage to the caller (free() it); the buffer becomes empty. */
unsigned char *xe2e_buf_detach(struct xe2e_buf *b, size_t *len);

#endif
