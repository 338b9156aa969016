/*
 * jid.c - Jabber IDs: the RFC 6122 §2 split, the checks of jid.h and the
 * comparison form ("bare key") used by the name rule (RFC 3923 §6.3,
 * DESIGN §3 rule 5) and the replay memory (state.h).
 *
 * The split comes first, on the raw bytes (RFC 6122 §2.1): the first '/'
 * starts the resourcepart; an '@' before it ends the localpart.  Only then
 * is each part checked and the domainpart converted (IDNA2008 through
 * libidn2, UTS #46 non-transitional mapping), and the result checked again
 * as a host name, because libidn2 passes ASCII it does not like through
 * unchanged (or, with IDN2_USE_STD3_ASCII_RULES, silently deletes it:
 * "a_b" -> "ab", which would make two names one).
 */
#include "jid.h"
#include "text.h"

#include <arpa/inet.h>
#include <idn2.h>
#include <string.h>

/* RFC 1035 §2.3.4 / RFC 1123: a host name of 253 octets, labels of 63
 * (without the trailing dot) */
#define HOST_MAX 253
#define LABEL_MAX 63

void xe2e_jid_init(struct xe2e_jid *j)
{
	xe2e_buf_init(&j->local, 0);
	xe2e_buf_init(&j->domain, 0);
	xe2e_buf_init(&j->resource, 0);
	j->has_resource = 0;
	xe2e_buf_init(&j->bare_key, 0);
}

void xe2e_jid_release(struct xe2e_jid *j)
{
	xe2e_buf_release(&j->local);
	xe2e_buf_release(&j->domain);
	xe2e_buf_release(&j->resource);
	j->has_resource = 0;
	xe2e_buf_release(&j->bare_key);
}

/*
 * "invalid jid '<s>': <what>".  The JID is escaped here, not only by
 * xe2e_err_set, because it may hold a NUL (which printf would stop at);
 * cut at 80 bytes: the message has 256 anyway.
 */
static int bad(struct xe2e_err *err, const char *s, size_t len, const char *part,
	       const char *what)
{
	char shown[4 * 80 + 1];

	xe2e_text_escape(shown, sizeof(shown), (const unsigned char *)s, len > 80 ? 80 : len);
	return xe2e_err_set(err, XE2E_EMALFORMED, "invalid jid '%s': %s%s%s", shown, part,
			    *part ? " " : "", what);
}

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c - 'A' + 'a') : c;
}

/*
 * Checks shared by all parts: 1..XE2E_JID_PART_MAX bytes, well-formed
 * UTF-8, no control character (C0, DEL, C1, U+2028/U+2029 and the
 * bidirectional formatting characters: everything text.h would escape).
 * Returns a description of the problem, or NULL.
 */
static const char *part_problem(const unsigned char *p, size_t len, int localpart)
{
	size_t i, n;
	unsigned cp;

	if (len == 0)
		return "empty";
	if (len > XE2E_JID_PART_MAX)
		return "longer than 1023 bytes";
	for (i = 0; i < len; i += n) {
		n = xe2e_utf8_char(p + i, len - i, &cp);
		if (n == 0)
			return "not valid UTF-8";
		if (xe2e_text_must_escape(cp))
			return "a control character";
		if (localpart && (cp == ' ' || cp == '"' || cp == '&' || cp == '\'' || cp == '/' ||
				  cp == ':' || cp == '<' || cp == '>' || cp == '@'))
			return "a prohibited character";
	}
	return NULL;
}

/* The A-label form (lowercase, one trailing dot removed) as a host name:
 * LDH labels of 1..63, no hyphen at either end, at most 253 bytes, and a
 * last label that is not all digits (that would be an IPv4 address, and
 * those were taken before).  NULL when it is one. */
static const char *host_problem(const unsigned char *h, size_t len)
{
	size_t i, start = 0;
	int digits = 1;

	if (len == 0)
		return "empty domainpart";
	if (len > HOST_MAX)
		return "domainpart longer than 253 bytes";
	for (i = 0; i <= len; i++) {
		if (i == len || h[i] == '.') {
			if (i == start)
				return "empty label in the domainpart";
			if (i - start > LABEL_MAX)
				return "label longer than 63 bytes in the domainpart";
			if (h[start] == '-' || h[i - 1] == '-')
				return "label begins or ends with a hyphen in the domainpart";
			if (i == len && digits)
				return "numeric top-level label in the domainpart";
			start = i + 1;
			digits = 1;
			continue;
		}
		if (!((h[i] >= 'a' && h[i] <= 'z') || (h[i] >= '0' && h[i] <= '9') || h[i] == '-'))
			return "a character not allowed in a host name in the domainpart";
		if (h[i] < '0' || h[i] > '9')
			digits = 0;
	}
	return NULL;
}

/* Domainpart d[0..len) (already checked as a part) in comparison form,
 * appended to key. */
static int domain_key(struct xe2e_buf *key, const unsigned char *d, size_t len,
		      const char *s, size_t slen, struct xe2e_err *err)
{
	struct xe2e_buf tmp = XE2E_BUF_INIT;
	char addr[INET6_ADDRSTRLEN + 1];
	struct in6_addr a6;
	struct in_addr a4;
	uint8_t *out = NULL;
	const char *why;
	size_t i, n;
	int rc;

	if (d[0] == '[') {
		/* IPv6 literal (RFC 6122 §2.2, RFC 3986 IP-literal), as is */
		if (len < 3 || d[len - 1] != ']' || len - 2 >= sizeof(addr))
			return bad(err, s, slen, "", "invalid IPv6 literal in the domainpart");
		memcpy(addr, d + 1, len - 2);
		addr[len - 2] = '\0';
		if (inet_pton(AF_INET6, addr, &a6) != 1)
			return bad(err, s, slen, "", "invalid IPv6 literal in the domainpart");
		for (i = 0; i < len; i++) {
			rc = xe2e_buf_addc(key, lower(d[i]), err);
			if (rc)
				return rc;
		}
		return 0;
	}
	/* libidn2 wants a C string; the part holds no NUL (checked) */
	rc = xe2e_buf_add(&tmp, d, len, err);
	if (rc)
		return rc;
	rc = idn2_lookup_u8(tmp.data, &out, IDN2_NONTRANSITIONAL);
	xe2e_buf_reset(&tmp);
	if (rc != IDN2_OK) {
		idn2_free(out);
		xe2e_buf_release(&tmp);
		return bad(err, s, slen, "domainpart refused:", idn2_strerror(rc));
	}
	/* copy at once: nothing from libidn2's allocator crosses this file */
	n = out ? strlen((const char *)out) : 0;
	for (i = 0; i < n && !rc; i++)
		rc = xe2e_buf_addc(&tmp, lower(out[i]), err);
	idn2_free(out);
	if (rc) {
		xe2e_buf_release(&tmp);
		return rc;
	}
	if (tmp.len && tmp.data[tmp.len - 1] == '.')
		tmp.data[--tmp.len] = '\0';            /* one trailing dot (RFC 6122 §2.2) */
	if (inet_pton(AF_INET, (const char *)tmp.data, &a4) == 1)
		why = NULL;                             /* IPv4 literal, as is */
	else
		why = host_problem(tmp.data, tmp.len);
	if (why)
		rc = bad(err, s, slen, "", why);
	else
		rc = xe2e_buf_add(key, tmp.data, tmp.len, err);
	xe2e_buf_release(&tmp);
	return rc;
}

static int parse(struct xe2e_jid *j, const char *s, size_t len, struct xe2e_err *err)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *slash, *at;
	size_t dstart = 0, dend = len, i;
	const char *why;
	int rc;

	if (!s || len == 0)
		return bad(err, "", 0, "", "empty");
	if (memchr(p, '\0', len))
		return bad(err, s, len, "", "a NUL character");
	/* RFC 6122 §2.1: split before any preparation */
	slash = memchr(p, '/', len);
	if (slash)
		dend = (size_t)(slash - p);
	at = memchr(p, '@', dend);
	if (at)
		dstart = (size_t)(at - p) + 1;

	if (at && (why = part_problem(p, dstart - 1, 1)))
		return bad(err, s, len, "localpart", why);
	why = part_problem(p + dstart, dend - dstart, 0);
	if (why)
		return bad(err, s, len, "domainpart", why);
	if (slash && (why = part_problem(slash + 1, len - dend - 1, 0)))
		return bad(err, s, len, "resourcepart", why);

	if (at) {
		rc = xe2e_buf_add(&j->local, p, dstart - 1, err);
		for (i = 0; i + 1 < dstart && !rc; i++)
			rc = xe2e_buf_addc(&j->bare_key, lower(p[i]), err);
		if (!rc)
			rc = xe2e_buf_addc(&j->bare_key, '@', err);
		if (rc)
			return rc;
	}
	rc = xe2e_buf_add(&j->domain, p + dstart, dend - dstart, err);
	if (!rc)
		rc = domain_key(&j->bare_key, p + dstart, dend - dstart, s, len, err);
	if (!rc && slash) {
		rc = xe2e_buf_add(&j->resource, slash + 1, len - dend - 1, err);
		j->has_resource = 1;
	}
	/* every part a C string, "" when absent (jid.h) */
	if (!rc)
		rc = xe2e_buf_grow(&j->local, 0, err);
	if (!rc)
		rc = xe2e_buf_grow(&j->resource, 0, err);
	return rc;
}

int xe2e_jid_parse(struct xe2e_jid *j, const char *s, size_t len, struct xe2e_err *err)
{
	int rc;

	xe2e_jid_release(j);
	rc = parse(j, s, len, err);
	if (rc)
		xe2e_jid_release(j);    /* nothing half-parsed survives an error */
	return rc;
}

int xe2e_jid_bare(struct xe2e_buf *out, const struct xe2e_jid *j, struct xe2e_err *err)
{
	int rc = 0;

	if (j->local.len) {
		rc = xe2e_buf_add(out, j->local.data, j->local.len, err);
		if (!rc)
			rc = xe2e_buf_addc(out, '@', err);
	}
	if (!rc)
		rc = xe2e_buf_add(out, j->domain.data, j->domain.len, err);
	return rc;
}

int xe2e_jid_bare_equal(const struct xe2e_jid *a, const struct xe2e_jid *b)
{
	/* an empty key is an unparsed (or failed) JID: never equal */
	return a->bare_key.len && a->bare_key.len == b->bare_key.len &&
	       memcmp(a->bare_key.data, b->bare_key.data, a->bare_key.len) == 0;
}

int xe2e_jid_text_bare_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	struct xe2e_jid ja, jb;
	int eq = 0;

	xe2e_jid_init(&ja);
	xe2e_jid_init(&jb);
	if (xe2e_jid_parse(&ja, a, alen, NULL) == 0 && xe2e_jid_parse(&jb, b, blen, NULL) == 0)
		eq = xe2e_jid_bare_equal(&ja, &jb);
	xe2e_jid_release(&ja);
	xe2e_jid_release(&jb);
	return eq;
}
