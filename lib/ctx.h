/*
 * ctx.h - the context of a run: everything the library's work depends on,
 * passed in, no process globals (after BearSSL's x509 and ssl contexts).
 *
 *   time     the clock (signing times, timestamps) and the validation time
 *            (--at; RFC 3850 §5: never a message's signingTime)
 *   random   every random draw -- MIME boundaries, Content-IDs, content
 *            encryption keys, IVs, the RSA PKCS #1 v1.5 padding -- goes
 *            through one hook; the default is GnuTLS's generator, and
 *            nothing else may be used without a caller asking for it
 *   trust    anchors, CRLs, untrusted certificates, the store, CRL mode and
 *            policy: what every validation of the run uses
 *   limits   DESIGN §6 caps that a command may change
 *   chains   validated paths remembered for long runs (same certificates,
 *            same CRLs, same minute: not validated again)
 *
 * Not here: keys (the commands load them), the layers (recv.h, send.h).
 */
#ifndef XE2E_CTX_H
#define XE2E_CTX_H

#include <stdint.h>
#include <time.h>
#include "pki.h"
#include "x509.h"

enum xe2e_rnd_level {
	XE2E_RND_NONCE,        /* boundaries, identifiers */
	XE2E_RND_RANDOM,       /* IVs, padding */
	XE2E_RND_KEY           /* content encryption keys */
};

/* The random source: fill p[0..n); 0 or a negative xe2e_code. */
struct xe2e_rng {
	int (*fill)(void *state, void *p, size_t n, enum xe2e_rnd_level level);
	void *state;
	int reproducible;      /* a deterministic source (fixture.h): signatures
				  that need a nonce use RFC 6979, keys are
				  generated from seeds drawn from it */
};

struct xe2e_store;
struct xe2e_chains;

struct xe2e_ctx {
	time_t at;                        /* validation time; 0: the clock */
	time_t (*clock)(void *state);     /* NULL: time(NULL) */
	void *clock_state;
	struct xe2e_rng rng;              /* fill NULL: GnuTLS's generator */

	struct xe2e_trust trust;          /* anchors and CRLs (owned) */
	struct xe2e_certs untrusted;      /* more certificates for paths (owned) */
	struct xe2e_store *store;         /* an open store, or NULL (borrowed) */
	int cache;                        /* save in the store what validations used */
	enum xe2e_crl_mode crl;
	enum xe2e_policy policy;
	struct xe2e_policy_inputs pol;    /* certificate policy inputs (initial borrowed) */

	size_t max_depth;                 /* nested layers (DESIGN §6: 8) */
	size_t max_input;                 /* in-memory input (64 MiB) */

	struct xe2e_chains *chains;       /* validated paths, or NULL (no memory) */

	/* the store's own anchors, CRLs and certificates, loaded when first
	 * needed (xe2e_ctx_validate_by_store) and kept for the run */
	struct xe2e_trust store_trust;
	struct xe2e_certs store_certs;
	int store_loaded;
};

/* Defaults: the clock, GnuTLS's RNG, no trust, modern policy, CRL check
 * auto, DESIGN §6 limits, no chain memory. */
void xe2e_ctx_init(struct xe2e_ctx *c);
/* Frees trust, untrusted certificates and the chain memory. */
void xe2e_ctx_release(struct xe2e_ctx *c);

/* The clock: now, for what a sender stamps. */
time_t xe2e_ctx_clock(const struct xe2e_ctx *c);
/* The clock in milliseconds (RFC 3923 §6.9 DateTimes). */
int64_t xe2e_ctx_clock_ms(const struct xe2e_ctx *c);
/* The validation time: --at, else the clock. */
time_t xe2e_ctx_now(const struct xe2e_ctx *c);

/* Fill p[0..n) from the context's random source. */
int xe2e_ctx_random(const struct xe2e_ctx *c, void *p, size_t n, enum xe2e_rnd_level level,
		    struct xe2e_err *err) __attribute__((warn_unused_result));

/* Validation options for purpose under the context's policy, CRL mode and
 * validation time. */
struct xe2e_validate_opts xe2e_ctx_validate_opts(const struct xe2e_ctx *c,
						 enum xe2e_purpose purpose);

/*
 * Validate leaf for purpose with the context's trust, plus the certificates
 * and current CRLs a message brought (msg_certs, msg_crls; either may be
 * NULL) -- RFC 3850 §2.3.  With chain memory, a result for the same inputs
 * in the same minute is reused.  path borrows from the inputs.
 */
int xe2e_ctx_validate(struct xe2e_ctx *c, struct xe2e_path *path, const struct xe2e_cert *leaf,
		      const struct xe2e_certs *msg_certs, const struct xe2e_crls *msg_crls,
		      enum xe2e_purpose purpose, struct xe2e_err *err)
	__attribute__((warn_unused_result));

/*
 * As xe2e_ctx_validate, with the open store's own anchors, CRLs and
 * certificates instead of the context's trust (what --cache may save of
 * unauthenticated originatorInfo: RFC 3850 §4).  The store is read once
 * per context; what this run adds to it later is not seen.
 */
int xe2e_ctx_validate_by_store(struct xe2e_ctx *c, struct xe2e_path *path,
			       const struct xe2e_cert *leaf, const struct xe2e_certs *msg_certs,
			       const struct xe2e_crls *msg_crls, enum xe2e_purpose purpose,
			       struct xe2e_err *err) __attribute__((warn_unused_result));

/* Add the certificate der[0..len) to `to`: with chain memory, one parsed
 * before in this run is shared (refcounted) instead of parsed again. */
int xe2e_ctx_cert_add(struct xe2e_ctx *c, struct xe2e_certs *to, const unsigned char *der,
		      size_t len, struct xe2e_err *err);

/* Turn on chain memory (for --stream runs).  Statistics for tests. */
int xe2e_ctx_remember_chains(struct xe2e_ctx *c, struct xe2e_err *err);
unsigned xe2e_ctx_chain_hits(const struct xe2e_ctx *c);

#endif
