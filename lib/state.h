/*
 * state.h - what xe2e remembers between runs (DESIGN §5): the sender's
 * last DateTime per sender bare JID (RFC 3923 §6.9: strictly increasing),
 * the receiver's accepted timestamps per sender bare JID for the replay
 * rule (DESIGN §3 rule 6: not greater than one accepted in the last 10
 * minutes -> "decreasing"), and when the signer's certificates were last
 * sent to a recipient (rule 7, --certs auto: 5 minutes).
 *
 * Directory: $XE2E_STATE_DIR, else $XDG_STATE_HOME/xe2e, else
 * ~/.local/state/xe2e (made 0700 when missing).  Three files: "sent",
 * "replay", "certs".  Every update takes an exclusive flock on
 * "<file>.lock", reads the file, changes it, writes "<file>.tmp.PID" and
 * renames it over the file (mode 0600), then unlocks: concurrent
 * processes lose nothing.  Entries past their window are pruned on write.
 * A file that does not parse is -XE2E_EIO naming the file -- never reset.
 *
 * File format, one entry per line, LF, after a first line "xe2e-state 1":
 *     KEY SP MILLISECONDS SP MILLISECONDS LF
 * KEY is a bare JID comparison key (jid.h) or "SENDER RECIPIENT" keys
 * joined by "|", with no space or control character in it (else EMALFORMED).
 * Times are milliseconds since the epoch, UTC.
 *
 * Not here: parsing timestamps (cpim.h), the window rule itself (the
 * caller, xmpp.c, decides old/future; this module the "decreasing" memory).
 */
#ifndef XE2E_STATE_H
#define XE2E_STATE_H

#include <stdint.h>
#include "buf.h"

#define XE2E_REPLAY_WINDOW_MS  (10 * 60 * 1000)   /* rule 6 */
#define XE2E_CERTS_WINDOW_MS   (5 * 60 * 1000)    /* rule 7 */
#define XE2E_STATE_MAX_BYTES   ((size_t)16 << 20) /* a state file larger is corrupt */

struct xe2e_state {
	struct xe2e_buf dir;        /* the directory, no trailing slash */
};

/* Find (and create, 0700) the state directory; dir NULL: the environment
 * as above.  -XE2E_EIO naming the directory on failure. */
int xe2e_state_open(struct xe2e_state *s, const char *dir, struct xe2e_err *err);
void xe2e_state_close(struct xe2e_state *s);

/*
 * Sender (rule 6): the DateTime to stamp for sender key `sender` at clock
 * time now_ms: now_ms, or one millisecond past the last one stamped when
 * that is not earlier; recorded before returning (*out_ms).
 */
int xe2e_state_next_stamp(struct xe2e_state *s, const char *sender, int64_t now_ms,
			  int64_t *out_ms, struct xe2e_err *err);

/*
 * Receiver (rule 6): accept timestamp ts_ms from sender key `sender` at
 * now_ms.  If a timestamp >= ts_ms from that sender was accepted within
 * XE2E_REPLAY_WINDOW_MS before now_ms: -XE2E_ETIMESTAMP "timestamp
 * <RFC 3339> is not later than one already accepted from <sender>" (the
 * state unchanged).  Else ts_ms is recorded (accepted at now_ms) and 0.
 * The window check against now (5 minutes) is the caller's, before this.
 */
int xe2e_state_accept(struct xe2e_state *s, const char *sender, int64_t ts_ms, int64_t now_ms,
		      struct xe2e_err *err) __attribute__((warn_unused_result));

/*
 * Certificates (rule 7): *due = 1 if the signer's certificates were not
 * sent from sender to recipient within XE2E_CERTS_WINDOW_MS before now_ms.
 * xe2e_state_certs_sent records that they were sent at now_ms.
 */
int xe2e_state_certs_due(struct xe2e_state *s, const char *sender, const char *recipient,
			 int64_t now_ms, int *due, struct xe2e_err *err);
int xe2e_state_certs_sent(struct xe2e_state *s, const char *sender, const char *recipient,
			  int64_t now_ms, struct xe2e_err *err);

#endif
