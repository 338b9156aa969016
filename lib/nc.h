/*
 * nc.h - RFC 5280 name constraints: the nameConstraints extension
 * (§4.2.1.10) decoded when a certificate is parsed (cert.c), and the
 * check of §6.1.3 (b)-(c) that path validation (path.c) makes of every
 * certificate below a CA (or trust anchor) that has one.
 *
 * Forms processed: directoryName (RFC 5280 §7.1 comparison: the subtree's
 * RDNs are the first RDNs of the name), rfc822Name (mailbox, host, .domain;
 * the subject's PKCS #9 emailAddress always, as OpenSSL: xe2e matches it),
 * dNSName (the name or a subdomain), uniformResourceIdentifier (its host:
 * host or .domain), iPAddress (v4 and v6 with masks).  A subtree of any
 * other form (otherName, x400Address, ediPartyName, registeredID) fails a
 * certificate only when the extension is critical and the certificate has a
 * name of that form.  Decoding fails closed: a subtree that does not
 * decode, a minimum other than 0 or a maximum (§4.2.1.10: MUST be absent).
 *
 * Not here: which certificates are checked (path.c: not self-issued
 * intermediates), the names themselves (cert.c collects them).
 */
#ifndef XE2E_NC_H
#define XE2E_NC_H

#include <stddef.h>
#include "buf.h"

#define XE2E_NC_MAX_SUBTREES 64        /* per extension, permitted + excluded */
#define XE2E_NC_MAX_WORK (16 << 20)    /* octets compared per path */

/* GeneralName tags as they appear (context class) */
#define XE2E_GN_OTHER 0xa0
#define XE2E_GN_EMAIL 0x81
#define XE2E_GN_DNS 0x82
#define XE2E_GN_X400 0xa3
#define XE2E_GN_DIR 0xa4
#define XE2E_GN_EDI 0xa5
#define XE2E_GN_URI 0x86
#define XE2E_GN_IP 0x87
#define XE2E_GN_RID 0x88
#define XE2E_GN_SUBJECT_EMAIL 0x01     /* not a GeneralName: emailAddress in the subject */

struct xe2e_nc_subtree {
	unsigned char tag;             /* XE2E_GN_* */
	struct xe2e_buf v;             /* email/dns/uri: the string; dir: the
					  §7.1 canonical form; ip: address||mask */
};

struct xe2e_nc {
	int present, critical;
	size_t n_perm, n_excl;
	struct xe2e_nc_subtree perm[XE2E_NC_MAX_SUBTREES], excl[XE2E_NC_MAX_SUBTREES];
};

/* The nameConstraints extnValue der[0..len) into nc (present set). */
int xe2e_nc_parse(struct xe2e_nc *nc, const unsigned char *der, size_t len, int critical,
		  struct xe2e_err *err);
void xe2e_nc_release(struct xe2e_nc *nc);

/*
 * The names of a certificate for constraints: records of tag, 2-octet
 * length, value in names (cert.c builds them: subjectAltName entries by
 * their tag -- directoryName as its canonical form -- and the subject's
 * emailAddress values as XE2E_GN_SUBJECT_EMAIL).
 *
 * Check them (and the subject's canonical form subj, when subj_len > 0)
 * against nc: -XE2E_ECERT naming the name and who of (cert_name, ca_name)
 * when a name is outside the permitted subtrees or inside an excluded one.
 * has_san: the certificate has a subjectAltName (unused: the subject's
 * emailAddress is always checked).  *work: octets compared so far on this
 * path; past XE2E_NC_MAX_WORK -XE2E_ECERT "gave up".  A URI without a
 * host (im:, pres:, xmpp:, mailto: give the domain after the last '@')
 * or an rfc822Name without '@' fails under constraints of its form.
 * xmppAddr names (otherName) are not constrained by dNSName or rfc822Name
 * subtrees (RFC 5280; OpenSSL and Go do the same).
 */
int xe2e_nc_check(const struct xe2e_nc *nc, const unsigned char *names, size_t names_len,
		  const unsigned char *subj, size_t subj_len, int has_san, const char *cert_name,
		  const char *ca_name, size_t *work, struct xe2e_err *err);

/* Append one name record to names. */
int xe2e_nc_add_name(struct xe2e_buf *names, unsigned char tag, const void *v, size_t len,
		     struct xe2e_err *err);

#endif
