/*
 * jid.h - Jabber IDs (RFC 6122 §2 shape: [localpart "@"] domainpart
 * ["/" resourcepart]) for the checks RFC 3923 needs: the stanza's `from`
 * against the signer certificate (§6.3, DESIGN §3 rule 5), CPIM From/To
 * and PIDF entity against the stanza, replay memory per bare JID.
 *
 * Comparison form ("bare key"): localpart ASCII-lowercased, domainpart
 * converted to A-labels with libidn2 (IDNA2008, non-transitional,
 * lowercased, a trailing dot removed), resource dropped.  Non-ASCII
 * localparts are compared byte for byte after that (no Nodeprep: RFC 7622
 * PRECIS is not in Debian 12's libidn2; documented).
 *
 * Parsing fails closed: empty parts, a part over 1023 bytes, invalid
 * UTF-8, a control character in any part (C0, DEL, C1, U+2028/U+2029 and
 * the bidirectional formatting characters: what text.h escapes), a space
 * or one of " & ' / : < > @ in the localpart, a domain libidn2 refuses or
 * whose A-label form is not a host name (LDH labels of 1..63 bytes, at most
 * 253, last label not all digits) nor an IPv4 literal nor a bracketed IPv6
 * literal (both kept as given, lowercased), a NUL anywhere:
 * -XE2E_EMALFORMED naming the problem (the JID escaped).  libidn2 passes
 * ASCII such as "a_b" or "a@b" through unchanged (and with its STD3 flag
 * silently deletes it), hence the host name check after it.  Not here:
 * im:/pres: URIs (cpim.h, pidf.h strip the scheme), certificates (pki.h).
 */
#ifndef XE2E_JID_H
#define XE2E_JID_H

#include "buf.h"

#define XE2E_JID_PART_MAX 1023

struct xe2e_jid {
	struct xe2e_buf local;      /* as given ("" when there is none) */
	struct xe2e_buf domain;     /* as given */
	struct xe2e_buf resource;   /* as given ("" when there is none) */
	int has_resource;
	struct xe2e_buf bare_key;   /* the comparison form of local@domain (above) */
};

void xe2e_jid_init(struct xe2e_jid *j);
void xe2e_jid_release(struct xe2e_jid *j);

/* Parse s[0..len) (not NUL-terminated necessarily; len counts any NUL
 * in it) into j (replaced; left empty on error, so that bare_equal on it
 * is 0). */
int xe2e_jid_parse(struct xe2e_jid *j, const char *s, size_t len, struct xe2e_err *err);

/* The bare JID as given ("local@domain" or "domain"), appended to out. */
int xe2e_jid_bare(struct xe2e_buf *out, const struct xe2e_jid *j, struct xe2e_err *err);

/* 1 if the bare JIDs are equal (comparison form), else 0. */
int xe2e_jid_bare_equal(const struct xe2e_jid *a, const struct xe2e_jid *b);

/* Parse both and compare bare JIDs: 1 equal, 0 not equal or either
 * unparsable (never "equal" on error). */
int xe2e_jid_text_bare_equal(const char *a, size_t alen, const char *b, size_t blen);

#endif
