/*
 * asn1dump.h - a BER/DER outline of any bytes (`inspect --der`), like
 * `openssl asn1parse` / dumpasn1: one line per TLV with its offset, depth,
 * header and content lengths, tag, and for an OBJECT IDENTIFIER its dotted
 * form and name; and the same walk without output to find where the
 * encoding stops being well-formed (the byte offset inspect names for a
 * truncated or garbled object).
 *
 * Tags and lengths are read with libtasn1 (asn1_get_tag_der,
 * asn1_get_length_der: -1 is the indefinite form); the walk keeps its own stack (no recursion) of at
 * most XE2E_ASN1DUMP_DEPTH levels and shows at most XE2E_ASN1DUMP_LINES
 * lines (the rest is still checked).
 *
 * Not here: what the structures mean (cms.c, inspect.c).
 */
#ifndef XE2E_ASN1DUMP_H
#define XE2E_ASN1DUMP_H

#include <stddef.h>
#include "info.h"

#define XE2E_ASN1DUMP_DEPTH 64
#define XE2E_ASN1DUMP_LINES 4000

/*
 * Walk p[0..len) as a sequence of BER TLVs, each line appended to the
 * array `lines` (NULL: no output).  0 if it is well-formed to its end;
 * else -XE2E_EMALFORMED naming the problem and its offset, with *bad the
 * offset of the TLV (or byte) where it stopped.
 */
int xe2e_asn1_dump(struct xe2e_info *lines, const unsigned char *p, size_t len, size_t *bad,
		   struct xe2e_err *err);

#endif
