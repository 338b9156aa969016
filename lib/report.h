/*
 * report.h - the one rendering of the records (layer.h) and of a validated
 * certificate: a human summary (every string from input escaped, text.h)
 * and JSON members (json.h).  Every command's summary and --json come from
 * here, so that they always agree.
 *
 * JSON schema of a run (an object):
 *   "status": "ok" | "error", "exit": N, ["error": MESSAGE],
 *   "layers": [ { "type": "signed" | "certs-only" | "enveloped" | "unopened",
 *                 "framing": "multipart/signed" | "application/pkcs7-mime;
 *                    smime-type=..." | "PEM" | "DER" | "BER",
 *                 "content_type": OID, "content_type_name": NAME,
 *                 signed:    "detached": bool, "signers": [SIGNER],
 *                            "certificates": N, "crls": N
 *                 enveloped: "cipher": NAME, "recipients": [ { "kind",
 *                            "id", "algorithm", "usable": bool,
 *                            "used": bool } ]
 *                 unopened:  "note": WHY,
 *                 inspect only: "info": { what xe2e-inspect(1) shows } } ],
 *   "signers": [SIGNER with "layer": N (1 = outermost)]   (all layers)
 * SIGNER: "subject", "digest", "signature", "signing_time" (RFC 3339 or
 *   null), "names": [...], "chain": [subjects, leaf first],
 *   "unknown_attributes": [OIDs], "warnings": [...].
 * A certificate (cert-check): "valid", "subject", "purpose", "policy",
 *   "chain": [ { "subject", "anchor": bool, "crl": null | { "issuer",
 *   "this_update" } } ], "names", "key_usage" (null: no extension),
 *   "extended_key_usage" (null: no extension), "warnings".
 */
#ifndef XE2E_REPORT_H
#define XE2E_REPORT_H

#include "json.h"
#include "layer.h"

/*
 * The human summary of rep for command cmd: for each signer of each signed
 * layer "xe2e CMD: signature ok, signer '...'" and its details, and a line
 * for each layer left unopened.  Appends to out.
 */
int xe2e_report_text(struct xe2e_buf *out, const char *cmd, const struct xe2e_report *rep,
		     struct xe2e_err *err);

/* "layers" and "signers" members of the open JSON object. */
void xe2e_report_json(struct xe2e_json *j, const struct xe2e_report *rep);

/* A validated certificate, for cert-check: text (appended to out) ... */
int xe2e_report_cert_text(struct xe2e_buf *out, const struct xe2e_cert *c,
			  const struct xe2e_path *p, const char *purpose, const char *policy,
			  struct xe2e_err *err);
/* ... or JSON members of the open object. */
void xe2e_report_cert_json(struct xe2e_json *j, const struct xe2e_cert *c,
			   const struct xe2e_path *p, const char *purpose, const char *policy);

/* Names of key usage bits and extended key usage OIDs: the i-th key
 * usage name and its GNUTLS_KEY_* bit (NULL past the last). */
const char *xe2e_ku_name(size_t i, unsigned *bit);
const char *xe2e_eku_name(const char *oid);

#endif
