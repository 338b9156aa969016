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
 * Times are milliseconds since the epoch, UTC, in 0..XE2E_STATE_TIME_MAX,
 * decimal without sign or leading zero.  The first number is the value
 * (the last stamp in "sent", the largest accepted timestamp in "replay",
 * the send time in "certs"), the second the clock when it was recorded;
 * entries are written sorted by key.  "replay" and "certs" entries
 * recorded more than their window before now are dropped; "sent" entries
 * are kept (dropping one would let a clock set back repeat a DateTime).
 * The "|" join is unambiguous for bare JID keys: a "|" can only be in a
 * localpart (never in a domainpart), and a localpart holds no "@".
 *
 * Parsing is strict: a wrong first line, a line not KEY SP INT SP INT LF,
 * a bad key, a number out of range, a duplicate key, a file over
 * XE2E_STATE_MAX_BYTES or without a final LF: -XE2E_EIO "state file
 * '<path>' is corrupt: <what>", the file left as it is.  A missing file is
 * empty.  Out-of-range times given to the functions: -XE2E_EMALFORMED.
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
/* a sender or recipient key: 1..3071 bytes (a whole JID's worth, jid.h);
 * a "certs" key is two of them and the "|" */
#define XE2E_STATE_NAME_MAX    3071
#define XE2E_STATE_KEY_MAX     (2 * XE2E_STATE_NAME_MAX + 1)
/* 9999-12-31T23:59:59.999Z: the last time an RFC 3339 DateTime can write */
#define XE2E_STATE_TIME_MAX    ((int64_t)253402300799999)

/* DateTimes a sender reserves at a time: the "sent" file records the end
 * of the reservation, so a process stamps from memory until it runs out
 * and every other process starts after it (one write a second, not one a
 * stanza). */
#define XE2E_STAMP_RESERVE_MS  1000

struct xe2e_state_batch;

struct xe2e_state {
	struct xe2e_buf dir;        /* the directory, no trailing slash */
	struct xe2e_buf res_sender; /* whose DateTimes are reserved, or empty */
	int64_t res_last, res_until;
	struct xe2e_state_batch *batch;   /* an open replay batch, or NULL */
	struct xe2e_buf certs_key;  /* rule 7: the pair last seen sent (a long
				       run asks for the same pair each stanza) */
	int64_t certs_at;           /* ... when */
};

/* Find (and create, 0700) the state directory; dir NULL: the environment
 * as above.  -XE2E_EIO naming the directory on failure. */
int xe2e_state_open(struct xe2e_state *s, const char *dir, struct xe2e_err *err);
void xe2e_state_close(struct xe2e_state *s);

/*
 * Sender (rule 6): the DateTime to stamp for sender key `sender` at clock
 * time now_ms: now_ms, or one millisecond past the last one stamped (or
 * reserved, by any process) when that is not earlier; the reservation is
 * recorded before the DateTime is returned (*out_ms).
 */
int xe2e_state_next_stamp(struct xe2e_state *s, const char *sender, int64_t now_ms,
			  int64_t *out_ms, struct xe2e_err *err);

/*
 * Receiver (rule 6): accept timestamp ts_ms from sender key `sender` at
 * now_ms.  If a timestamp >= ts_ms from that sender was accepted within
 * XE2E_REPLAY_WINDOW_MS before now_ms (or at a clock time later than
 * now_ms: the clock was set back, fail closed): -XE2E_ETIMESTAMP "timestamp
 * <RFC 3339> is not later than one already accepted from <sender>" (the
 * state unchanged).  Else ts_ms is recorded (accepted at now_ms) and 0.
 * The window check against now (5 minutes) is the caller's, before this.
 */
int xe2e_state_accept(struct xe2e_state *s, const char *sender, int64_t ts_ms, int64_t now_ms,
		      struct xe2e_err *err) __attribute__((warn_unused_result));

/*
 * A batch of accepts (a chunk of a stream): the replay file is locked and
 * read once, xe2e_state_accept works on it in memory, and
 * xe2e_state_batch_end writes it once (commit) or drops the changes -- the
 * caller commits before it writes the batch's stanzas out, so nothing is
 * shown that is not recorded.  Other processes wait for the lock meanwhile.
 */
int xe2e_state_batch_begin(struct xe2e_state *s, struct xe2e_err *err);
int xe2e_state_batch_end(struct xe2e_state *s, int commit, struct xe2e_err *err);

/*
 * Certificates (rule 7): *due = 1 if the signer's certificates were not
 * sent from sender to recipient within XE2E_CERTS_WINDOW_MS before now_ms
 * (a record later than now_ms, from a clock since set back, does not
 * count; *due is 1 on error too).  Reads without the lock.
 * xe2e_state_certs_sent records that they were sent at now_ms.
 */
int xe2e_state_certs_due(struct xe2e_state *s, const char *sender, const char *recipient,
			 int64_t now_ms, int *due, struct xe2e_err *err);
int xe2e_state_certs_sent(struct xe2e_state *s, const char *sender, const char *recipient,
			  int64_t now_ms, struct xe2e_err *err);

#endif
