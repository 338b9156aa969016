/*
 * der.h - thin helpers over libtasn1 and the xe2e ASN.1 module (asn1/xe2e.asn).
 *
 * libtasn1 does all DER/BER encoding and decoding; these helpers only load the
 * compiled definitions once, size buffers, and turn libtasn1 results into
 * xe2e error values.  Node names are libtasn1 paths ("signerInfos.?1.sid").
 *
 * Not here: any knowledge of what the structures mean (see cms.h).
 */
#ifndef XE2E_DER_H
#define XE2E_DER_H

#include <libtasn1.h>
#include <time.h>
#include "buf.h"

/* Create an empty structure of type `type` (e.g. "XE2E.SignedData"). */
int xe2e_der_new(asn1_node *out, const char *type, struct xe2e_err *err);

/*
 * Decode BER/DER p[0..len) as `type`.  The encoding must use all of len.
 * Returns 0, -XE2E_EMALFORMED naming `what`, or -XE2E_EIO.  Caller owns *out
 * (asn1_delete_structure).
 */
int xe2e_der_decode(asn1_node *out, const char *type, const unsigned char *p,
		    size_t len, const char *what, struct xe2e_err *err);

/* DER-encode node (or its element `name`, "" for all) into out (appended). */
int xe2e_der_encode(struct xe2e_buf *out, asn1_node node, const char *name,
		    struct xe2e_err *err);

/* Read the value of element `name` into out (replaced); out->len is in
 * bytes for every type (libtasn1 counts a BIT STRING in bits: that count
 * goes to *bits when bits is not NULL, else it is dropped).  Missing element
 * or absent OPTIONAL: -XE2E_EMALFORMED. */
int xe2e_der_read(struct xe2e_buf *out, asn1_node node, const char *name,
		  const char *what, struct xe2e_err *err);
int xe2e_der_read_bits(struct xe2e_buf *out, int *bits, asn1_node node, const char *name,
		       const char *what, struct xe2e_err *err);

/* 1 if BIT STRING `name` of node (decoded from der[0..len)) has a valid
 * unused-bits octet (0..7; 0 when empty), else 0. */
int xe2e_der_bits_ok(asn1_node node, const unsigned char *der, size_t len, const char *name);

/* 1 if OPTIONAL element `name` of a decoded structure is present, else 0. */
int xe2e_der_present(asn1_node node, const char *name);

/* Read an OBJECT IDENTIFIER in dotted form into oid[size]. */
int xe2e_der_read_oid(char *oid, size_t size, asn1_node node, const char *name,
		      const char *what, struct xe2e_err *err);

/* Read a Time (CHOICE of UTCTime and GeneralizedTime, RFC 5280 §4.1.2.5)
 * at element `name`; only the DER "Z" forms are accepted. */
int xe2e_der_read_time(time_t *t, asn1_node node, const char *name,
		       const char *what, struct xe2e_err *err);

/* The contents of the single TLV that is all of p[0..len) (definite
 * length, DER length octets), its identifier octet `tag` (-1: any), or
 * NULL; *clen its length. */
const unsigned char *xe2e_der_contents(const unsigned char *p, size_t len, int tag, size_t *clen);

/* Drop sign-extension octets of INTEGER content p[0..*len): the minimal
 * two's complement form (p and *len moved). */
void xe2e_der_int_minimal(const unsigned char **p, size_t *len);

/* Two INTEGER content octet strings denote the same value (two's
 * complement, big-endian; non-minimal encodings compare by value). */
int xe2e_der_int_equal(const unsigned char *a, size_t alen,
		       const unsigned char *b, size_t blen);

/* Read a small non-negative INTEGER (<= INT_MAX). */
int xe2e_der_read_uint(int *out, asn1_node node, const char *name,
		       const char *what, struct xe2e_err *err);

/* Write a value (see asn1_write_value for the forms). */
int xe2e_der_write(asn1_node node, const char *name, const void *val,
		   size_t len, struct xe2e_err *err);

/* Number of elements of SET OF / SEQUENCE OF `name` (0 if absent). */
int xe2e_der_count(asn1_node node, const char *name, int *n,
		   struct xe2e_err *err);

/*
 * Offsets of element `name` within the encoding `der` it was decoded from:
 * [*start, *end] inclusive, as asn1_der_decoding_startEnd gives them.
 */
int xe2e_der_range(size_t *start, size_t *end, asn1_node node,
		   const unsigned char *der, size_t len, const char *name,
		   struct xe2e_err *err);

/* DER of a primitive: tag/length header for etype and content (appended). */
int xe2e_der_simple(struct xe2e_buf *out, unsigned etype, const void *p,
		    size_t len, struct xe2e_err *err);

/*
 * Decode a (possibly constructed, possibly indefinite) BER OCTET STRING TLV
 * starting at p, which holds at most len bytes.  Content replaces out;
 * *used receives the TLV length.
 */
int xe2e_der_octets_ber(struct xe2e_buf *out, size_t *used,
			const unsigned char *p, size_t len, const char *what,
			struct xe2e_err *err);

#endif
