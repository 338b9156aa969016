/*
 * pem.h - the one PEM decoder and encoder of xe2e (RFC 7468): certificates,
 * CRLs and CMS objects in "-----BEGIN LABEL-----" armour.
 *
 * Blocks are found at the start of a line; text around them is ignored, as
 * RFC 7468 §2 allows.  The content is strict base64 (white space skipped);
 * encapsulated headers (RFC 1421 "Proc-Type:") are not supported and are an
 * error.  Not here: private keys (GnuTLS reads those, encrypted ones too).
 */
#ifndef XE2E_PEM_H
#define XE2E_PEM_H

#include "buf.h"

#define XE2E_PEM_LABEL_MAX 64

/*
 * Find the next PEM block at or after offset *pos of p[0..len): its label
 * into label[XE2E_PEM_LABEL_MAX], its decoded content into der (replaced);
 * *pos moves past the END line.  Returns 1 found, 0 no further block,
 * -XE2E_EMALFORMED for a BEGIN line without its END line, a bad label or bad
 * base64.
 */
int xe2e_pem_next(struct xe2e_buf *der, char *label, const unsigned char *p, size_t len,
		  size_t *pos, struct xe2e_err *err);

/* 1 if p[0..len), after leading white space, is PEM ("-----BEGIN "). */
int xe2e_pem_is(const unsigned char *p, size_t len);

/* 1 if label names a CMS ContentInfo: "CMS" (RFC 7468 §9), "PKCS7" and
 * "PKCS #7 SIGNED DATA" (older tools). */
int xe2e_pem_label_is_cms(const char *label);

/* PEM armour with the given label ("CMS"): base64 in 64-character lines.
 * Appends to out. */
int xe2e_pem_write(struct xe2e_buf *out, const unsigned char *der, size_t len,
		   const char *label, struct xe2e_err *err);

#endif
