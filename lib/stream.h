/*
 * stream.h - constant-memory byte streams for the long content octets:
 * sources (a file descriptor or memory, optionally base64-decoded) and sinks
 * (a file descriptor, a buffer, or filters: base64 encoding, canonical CRLF).
 *
 * Everything around the content is still whole structures for libtasn1;
 * these only move bytes.  Not here: BER framing (ber.h), ciphers (cipher.h).
 */
#ifndef XE2E_STREAM_H
#define XE2E_STREAM_H

#include <nettle/base64.h>
#include <stdint.h>
#include "buf.h"

#define XE2E_STREAM_CHUNK (256 * 1024)

/* ---- sources ---- */
struct xe2e_source {
	int fd;                      /* -1: memory */
	const unsigned char *mem;
	size_t mem_len, mem_pos;
	size_t used;                 /* the most bytes raw[] and dec[] have held
					since init (what xe2e_source_wipe clears) */
	unsigned char raw[XE2E_STREAM_CHUNK];
	size_t rpos, rlen;
	int raw_eof;
	int base64;                  /* decode base64 from here on */
	int stop_at_dash;            /* base64 ends at '-' (PEM footer) */
	int b64_end;
	struct base64_decode_ctx b64;
	unsigned char dec[XE2E_STREAM_CHUNK];
	size_t dpos, dlen;
	uint64_t consumed;           /* decoded bytes handed out so far */
};

void xe2e_source_init_fd(struct xe2e_source *s, int fd);
void xe2e_source_init_mem(struct xe2e_source *s, const unsigned char *p, size_t len);

/* Overwrite what the source's buffers held since init (plaintext passes
 * through them), then leave it empty; init again to reuse it. */
void xe2e_source_wipe(struct xe2e_source *s);

/* Switch to base64 decoding for all bytes not yet read. */
void xe2e_source_base64(struct xe2e_source *s, int stop_at_dash);

/* Read up to n bytes; *got = 0 only at end of input. */
int xe2e_source_read(struct xe2e_source *s, void *dst, size_t n, size_t *got,
		     struct xe2e_err *err);

/* Read exactly n bytes; a short read is -XE2E_EMALFORMED ("truncated"). */
int xe2e_source_read_exact(struct xe2e_source *s, void *dst, size_t n,
			   struct xe2e_err *err);

/* Next byte without consuming it: 1 and *c, 0 at end of input, <0 error. */
int xe2e_source_peek(struct xe2e_source *s, unsigned char *c, struct xe2e_err *err);

/* Skip white space; 1 if input remains, 0 at end. */
int xe2e_source_skip_space(struct xe2e_source *s, struct xe2e_err *err);

/* Read everything that is left (at most max bytes, else -XE2E_EMALFORMED)
 * into out (appended). */
int xe2e_source_read_all(struct xe2e_source *s, struct xe2e_buf *out, size_t max,
			 struct xe2e_err *err);

/* Read one line (up to and including LF, at most max bytes) into out. */
int xe2e_source_line(struct xe2e_source *s, struct xe2e_buf *out, size_t max,
		     struct xe2e_err *err);

/* ---- sinks ---- */
struct xe2e_sink {
	int (*write)(struct xe2e_sink *s, const unsigned char *p, size_t n,
		     struct xe2e_err *err);
	/* write out what this sink holds back (not its next sink's); may be NULL */
	int (*finish)(struct xe2e_sink *s, struct xe2e_err *err);
};

static inline int xe2e_sink_write(struct xe2e_sink *s, const void *p, size_t n,
				  struct xe2e_err *err)
{
	return n ? s->write(s, p, n, err) : 0;
}

/* Flush what s itself holds back; each layer is finished by its owner. */
int xe2e_sink_finish(struct xe2e_sink *s, struct xe2e_err *err);

/* Appends to a buffer. */
struct xe2e_sink_buf {
	struct xe2e_sink base;
	struct xe2e_buf *buf;
};
void xe2e_sink_buf_init(struct xe2e_sink_buf *s, struct xe2e_buf *buf);

/* Buffered writes to a file descriptor (finish flushes). */
struct xe2e_sink_fd {
	struct xe2e_sink base;
	int fd;
	size_t n;
	unsigned char out[XE2E_STREAM_CHUNK];
};
void xe2e_sink_fd_init(struct xe2e_sink_fd *s, int fd);

/* Base64 with CRLF-terminated lines of 64 characters (finish pads). */
struct xe2e_sink_b64 {
	struct xe2e_sink base;
	struct xe2e_sink *next;
	unsigned char carry[48];
	size_t ncarry;
};
void xe2e_sink_b64_init(struct xe2e_sink_b64 *s, struct xe2e_sink *next);

/* RFC 3851 §3.1.1 canonical line ends (bare CR or LF become CRLF). */
struct xe2e_sink_canon {
	struct xe2e_sink base;
	struct xe2e_sink *next;
	int last_cr;
	int raw;          /* pass bytes through unchanged (binary body) */
};
void xe2e_sink_canon_init(struct xe2e_sink_canon *s, struct xe2e_sink *next);

/* Unix line ends: CRLF becomes LF, everything else passes (--lf). */
struct xe2e_sink_lf {
	struct xe2e_sink base;
	struct xe2e_sink *next;
	int cr;                      /* a CR is held back */
};
void xe2e_sink_lf_init(struct xe2e_sink_lf *s, struct xe2e_sink *next);

/* Append p[0..len) to out with every CRLF made LF (the LF sink over out). */
int xe2e_buf_add_lf(struct xe2e_buf *out, const void *p, size_t len, struct xe2e_err *err);

#endif
