/*
 * ber.h - incremental BER framing (X.690 §8.1) over a stream, for CMS
 * objects whose content octets are too long to hold: read identifier and
 * length octets, copy one whole element (definite or indefinite) into a
 * buffer for libtasn1, write indefinite-length headers and end-of-contents.
 *
 * Not here: decoding of any structure (libtasn1 does that, see der.h).
 */
#ifndef XE2E_BER_H
#define XE2E_BER_H

#include "stream.h"

struct xe2e_ber_hdr {
	unsigned char tag;        /* identifier octet (low tag numbers only) */
	int constructed;
	int indefinite;
	uint64_t len;             /* content length when definite */
	unsigned char raw[10];    /* the identifier and length octets */
	size_t raw_len;
};

/* Read identifier and length octets.  End of input: -XE2E_EMALFORMED. */
int xe2e_ber_read_hdr(struct xe2e_source *s, struct xe2e_ber_hdr *h,
		      struct xe2e_err *err);

/* 1 if h is an end-of-contents marker. */
int xe2e_ber_is_eoc(const struct xe2e_ber_hdr *h);

/* 0 if h has identifier octet tag, else -XE2E_EMALFORMED "WHAT expected". */
int xe2e_ber_expect_tag(const struct xe2e_ber_hdr *h, unsigned char tag, const char *what,
			struct xe2e_err *err);

/*
 * Copy the element whose header h was just read (its content follows in s)
 * to out: header and content, nested indefinite encodings included (depth
 * at most 32).  More than max bytes in all: -XE2E_EMALFORMED.
 */
int xe2e_ber_read_rest(struct xe2e_source *s, const struct xe2e_ber_hdr *h,
		       struct xe2e_buf *out, size_t max, struct xe2e_err *err);

/* Read one whole element (header and content) into out (replaced). */
int xe2e_ber_read_tlv(struct xe2e_source *s, struct xe2e_buf *out, size_t max,
		      struct xe2e_err *err);

/* Close an element opened with header h, whose content started at offset
 * start of s (s->consumed): expect end-of-contents, or that exactly len
 * bytes were used. */
int xe2e_ber_close(struct xe2e_source *s, const struct xe2e_ber_hdr *h,
		   uint64_t start, struct xe2e_err *err);

/* Write "tag 80" (indefinite length) / "00 00". */
int xe2e_ber_write_indef(struct xe2e_sink *s, unsigned char tag, struct xe2e_err *err);
int xe2e_ber_write_eoc(struct xe2e_sink *s, struct xe2e_err *err);

/* A sink that wraps every write in a primitive OCTET STRING element, for
 * the chunks of a constructed indefinite-length OCTET STRING. */
struct xe2e_sink_octets {
	struct xe2e_sink base;
	struct xe2e_sink *next;
};
void xe2e_sink_octets_init(struct xe2e_sink_octets *s, struct xe2e_sink *next);

#endif
