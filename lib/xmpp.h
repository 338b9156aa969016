/*
 * xmpp.h - RFC 3923 end to end, one stanza at a time: the send layer list
 * stanza -> payload (payload.h) -> sign -> encrypt -> <e2e/> (stanza.h),
 * and the receive walk with the same two layers at its ends, plus the
 * checks only a stanza has: the sender's JID against the signer
 * certificate and against what the protected object names (DESIGN §3 rule
 * 5), the DateTime window and replay memory (rule 6), certificate
 * inclusion (rule 7).
 *
 * Order of the receive checks: decrypt, verify (signature and path, the
 * context's trust), names, then the timestamp -- recorded in the replay
 * memory only when everything else passed.  Each failure carries the code
 * of DESIGN §4 (3 timestamp, 4 signature, 5 decryption, 6 certificate, 7
 * name); stanza.h maps it to the §7 error stanza.
 *
 * Not here: reading or writing streams, options (cmd/wrap.c, cmd/unwrap.c).
 */
#ifndef XE2E_XMPP_H
#define XE2E_XMPP_H

#include <stdint.h>
#include <gnutls/abstract.h>
#include "cipher.h"
#include "crypto.h"
#include "ctx.h"
#include "layer.h"
#include "payload.h"
#include "stanza.h"
#include "state.h"

#define XE2E_TIMESTAMP_WINDOW_MS (5 * 60 * 1000)   /* RFC 3923 §6.9 */

enum xe2e_certs_mode { XE2E_CERTS_AUTO, XE2E_CERTS_ALWAYS, XE2E_CERTS_NEVER };

struct xe2e_wrap_opts {
	/* signing: cert NULL for none */
	const struct xe2e_cert *cert;
	gnutls_privkey_t key;
	const struct xe2e_certs *chain;        /* more certificates to include, or NULL */
	const struct xe2e_digest *digest;
	enum xe2e_certs_mode certs;
	/* encryption: n_recips 0 for none */
	struct xe2e_cert *const *recips;
	size_t n_recips;
	const struct xe2e_cipher_alg *alg;
	int use_ski;
	int compat;                            /* RFC 3851 micalg (sha1), --compat rfc3923 */
	const char *from;                      /* the sender when the stanza has no from */
	struct xe2e_state *state;              /* DateTimes, certificate memory */
};

struct xe2e_wrap_result {
	enum xe2e_payload_kind payload;
	int64_t stamp_ms;
	int certs_included;
};

/* Protect stanza in place (its children replaced by <e2e/>); a record per
 * layer to rep.  -XE2E_EMALFORMED for what cannot be wrapped (not a
 * stanza, no to, broadcast presence, already wrapped), -XE2E_EUSAGE for no
 * sender JID, -XE2E_ENAME when the signer certificate does not name the
 * sender. */
int xe2e_xmpp_wrap(const struct xe2e_ctx *ctx, const struct xe2e_wrap_opts *o,
		   struct xe2e_xml_node *stanza, struct xe2e_wrap_result *res,
		   struct xe2e_report *rep, struct xe2e_err *err);

enum xe2e_require { XE2E_REQUIRE_ANY, XE2E_REQUIRE_SIGNED, XE2E_REQUIRE_ENCRYPTED,
		    XE2E_REQUIRE_BOTH };

struct xe2e_unwrap_opts {
	gnutls_privkey_t key;                  /* NULL: an encrypted stanza fails */
	const struct xe2e_cert *key_cert;
	enum xe2e_require require;
	int have_now;                          /* --now: the clock of the timestamp check */
	int64_t now_ms;
	struct xe2e_state *state;              /* the replay memory */
	const struct xe2e_xml_node *header;    /* the stream the stanza came in, or NULL */
};

struct xe2e_unwrap_result {
	int no_e2e;                            /* nothing to unwrap (or an error stanza) */
	enum xe2e_stanza_kind kind;
	enum xe2e_payload_kind payload_kind;
	int have_payload;
	int is_signed, is_encrypted;
	unsigned chains_remembered;            /* signer paths taken from the chain memory */
	struct xe2e_buf dropped;               /* the outer stanza's other children (not
						  protected, not kept): "ns local" lines */
	int has_timestamp;
	int64_t timestamp_ms;
	const char *timestamp;                 /* "ok", "old", "future", "decreasing",
						  "none" (no DateTime), or NULL (not checked) */
	struct xe2e_buf jid;                   /* the sender's bare JID that was checked */
	struct xe2e_buf jid_key;               /* ... its comparison form (jid.h), the
						  replay memory's key */
	struct xe2e_buf payload;               /* the protected object (MIME entity) */
	struct xe2e_buf stanza;                /* the plain stanza, written in o->header's
						  stream (so known to be writable before
						  its timestamp is accepted) */
};

void xe2e_unwrap_result_init(struct xe2e_unwrap_result *r);
void xe2e_unwrap_result_release(struct xe2e_unwrap_result *r);

/* Unwrap stanza into res (the plain stanza, the payload, the verdicts) and
 * a record per layer to rep; on failure as far as it got. */
int xe2e_xmpp_unwrap(struct xe2e_ctx *ctx, const struct xe2e_unwrap_opts *o,
		     const struct xe2e_xml_node *stanza, struct xe2e_unwrap_result *res,
		     struct xe2e_report *rep, struct xe2e_err *err) __attribute__((warn_unused_result));

#endif
