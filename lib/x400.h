/*
 * x400.h - X.400 O/R addresses (RFC 5280 Appendix A.1, RFC 3854 §4.3) in
 * their text form "C=GB;ADMD= ;PRMD=Acme;O=Acme;OU=Sales;S=Smith;G=John".
 *
 * Attributes, in this order: C, ADMD, PRMD, O, OU (repeatable, in order),
 * S, G, I, GQ, X121 (network address), T-ID, UA-ID, and DDA:type=value for
 * domain-defined attributes, then EXT:type=#hex for each extension
 * attribute (its type number and the DER of its value, sorted).
 * Not here: X.400 content types (a later module).
 */
#ifndef XE2E_X400_H
#define XE2E_X400_H

#include "buf.h"

#define XE2E_X400_MAX_EXT 32     /* extension attributes rendered */

/* Text form of an ORAddress encoding (tagged SEQUENCE).  out replaced. */
int xe2e_x400_to_text(struct xe2e_buf *out, const unsigned char *der, size_t len,
		      struct xe2e_err *err);

/* Canonical form of a text O/R address for comparison: attributes in the
 * order above, names upper case, values trimmed and lower case (a lone
 * space, "any", stays).  -XE2E_EUSAGE naming what is wrong.  out replaced. */
int xe2e_x400_canon(struct xe2e_buf *out, const char *text, struct xe2e_err *err);

/* The GeneralName x400Address [3] (RFC 5280 §4.2.1.6) for a text O/R
 * address: the built-in standard attributes only (C, ADMD, PRMD, O, OU,
 * S, G, I, GQ, X121, T-ID, UA-ID; DDA and EXT refused), values
 * PrintableString (NumericString for X121, UA-ID, and all-digit C, ADMD
 * or PRMD), within the X.411 upper bounds (C: 2 letters or 3 digits).
 * -XE2E_EUSAGE naming what cannot be encoded.  out replaced. */
int xe2e_x400_general_name(struct xe2e_buf *out, const char *text, struct xe2e_err *err);

/* 1 if two text O/R addresses have the same attributes and values. */
int xe2e_x400_equal(const char *a, const char *b);

#endif
