/*
 * nc.c - RFC 5280 name constraints (see nc.h): §4.2.1.10 (the forms and
 * their comparisons), §6.1.3 (b)-(c) (permitted and excluded subtrees),
 * §7.1 (directoryName comparison), §7.2-§7.3 (DNS names and URIs compared
 * case-insensitively in their host parts), §4.2.1.10 for rfc822Name.
 */
#include "nc.h"
#include "der.h"
#include "err.h"
#include "x509.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

void xe2e_nc_release(struct xe2e_nc *nc)
{
	size_t i;

	for (i = 0; i < nc->n_perm; i++)
		xe2e_buf_release(&nc->perm[i].v);
	for (i = 0; i < nc->n_excl; i++)
		xe2e_buf_release(&nc->excl[i].v);
	memset(nc, 0, sizeof(*nc));
}

static int ia5_ok(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] < 0x21 || p[i] > 0x7e)
			return 0;
	return 1;
}

/* One GeneralSubtree base into st. */
static int subtree(struct xe2e_nc_subtree *st, const struct xe2e_buf *g, struct xe2e_err *err)
{
	const unsigned char *p;
	size_t n;

	xe2e_buf_init(&st->v, 0);
	if (g->len < 2)
		return xe2e_err_set(err, XE2E_EMALFORMED, "nameConstraints: empty subtree");
	st->tag = g->data[0];
	switch (st->tag) {
	case XE2E_GN_EMAIL:
	case XE2E_GN_DNS:
	case XE2E_GN_URI:
		p = xe2e_der_contents(g->data, g->len, -1, &n);
		/* an empty constraint is allowed: for dNSName it matches every
		 * name, for rfc822Name and URI none (as OpenSSL) */
		if (!p || !ia5_ok(p, n))
			return xe2e_err_set(err, XE2E_EMALFORMED, "nameConstraints: bad %s subtree",
					    st->tag == XE2E_GN_EMAIL ? "rfc822Name"
					    : st->tag == XE2E_GN_DNS ? "dNSName" : "URI");
		return xe2e_buf_add(&st->v, p ? p : (const unsigned char *)"", n, err);
	case XE2E_GN_IP:
		p = xe2e_der_contents(g->data, g->len, -1, &n);
		if (!p || (n != 8 && n != 32))
			return xe2e_err_set(err, XE2E_EMALFORMED,
					    "nameConstraints: an iPAddress subtree is not address and mask");
		return xe2e_buf_add(&st->v, p, n, err);
	case XE2E_GN_DIR:
		/* [4] EXPLICIT Name */
		p = xe2e_der_contents(g->data, g->len, -1, &n);
		if (!p || xe2e_x509_name_canon(&st->v, p, n))
			return xe2e_err_set(err, XE2E_EMALFORMED,
					    "nameConstraints: a directoryName subtree is not a Name");
		return 0;
	case XE2E_GN_OTHER:
	case XE2E_GN_X400:
	case XE2E_GN_EDI:
	case XE2E_GN_RID:
		/* a form not processed: kept by its tag only */
		if (!xe2e_der_contents(g->data, g->len, -1, &n))
			return xe2e_err_set(err, XE2E_EMALFORMED, "nameConstraints: bad subtree");
		return 0;
	default:
		return xe2e_err_set(err, XE2E_EMALFORMED, "nameConstraints: unknown name form 0x%02x",
				    st->tag);
	}
}

static int subtrees(struct xe2e_nc *nc, asn1_node n, const char *which, int excl,
		    struct xe2e_err *err)
{
	struct xe2e_buf g = XE2E_BUF_INIT;
	char name[64];
	int count = 0, i, rc = 0, v;

	if (!xe2e_der_present(n, which))
		return 0;
	rc = xe2e_der_count(n, which, &count, err);
	if (!rc && count == 0)      /* §4.2.1.10: an empty SEQUENCE is not allowed */
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "nameConstraints: empty %s", which);
	if (!rc && nc->n_perm + nc->n_excl + (size_t)count > XE2E_NC_MAX_SUBTREES)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "nameConstraints: more than %d subtrees",
				  XE2E_NC_MAX_SUBTREES);
	for (i = 1; !rc && i <= count; i++) {
		struct xe2e_nc_subtree *st = excl ? &nc->excl[nc->n_excl] : &nc->perm[nc->n_perm];

		snprintf(name, sizeof(name), "%s.?%d.minimum", which, i);
		if (xe2e_der_present(n, name) &&
		    (xe2e_der_read_uint(&v, n, name, "nameConstraints", err) || v != 0)) {
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "nameConstraints: minimum is not 0");
			break;
		}
		snprintf(name, sizeof(name), "%s.?%d.maximum", which, i);
		if (xe2e_der_present(n, name)) {
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "nameConstraints: maximum is present");
			break;
		}
		snprintf(name, sizeof(name), "%s.?%d.base", which, i);
		rc = xe2e_der_read(&g, n, name, "nameConstraints", err);
		if (!rc)
			rc = subtree(st, &g, err);
		/* counted also on failure: its buffer is released */
		if (excl)
			nc->n_excl++;
		else
			nc->n_perm++;
	}
	xe2e_buf_release(&g);
	return rc;
}

int xe2e_nc_parse(struct xe2e_nc *nc, const unsigned char *der, size_t len, int critical,
		  struct xe2e_err *err)
{
	asn1_node n = NULL;
	int rc;

	xe2e_nc_release(nc);
	rc = xe2e_der_decode(&n, "XE2E.NameConstraints", der, len, "nameConstraints", err);
	if (!rc)
		rc = subtrees(nc, n, "permittedSubtrees", 0, err);
	if (!rc)
		rc = subtrees(nc, n, "excludedSubtrees", 1, err);
	if (!rc && nc->n_perm + nc->n_excl == 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "nameConstraints: no subtrees");
	asn1_delete_structure(&n);
	if (rc) {
		xe2e_nc_release(nc);
		return rc;
	}
	nc->present = 1;
	nc->critical = critical;
	return 0;
}

int xe2e_nc_add_name(struct xe2e_buf *names, unsigned char tag, const void *v, size_t len,
		     struct xe2e_err *err)
{
	unsigned char h[3] = { tag, (unsigned char)(len >> 8), (unsigned char)len };
	int rc;

	if (len > 0xffff)
		return xe2e_err_set(err, XE2E_EMALFORMED, "a name longer than 65535 octets");
	rc = xe2e_buf_add(names, h, sizeof(h), err);
	return rc ? rc : xe2e_buf_add(names, v, len, err);
}

/* ------------------------------------------------------------ matching */

/* without one trailing dot ("example.com." is example.com) */
static size_t no_dot(const unsigned char *s, size_t n)
{
	return n > 1 && s[n - 1] == '.' ? n - 1 : n;
}

/* s ends with the label suffix t (t without a leading dot: the whole name
 * or a subdomain; with one: a subdomain only), case-insensitively */
static int host_in(const unsigned char *s, size_t n, const unsigned char *t, size_t m)
{
	n = no_dot(s, n);
	m = no_dot(t, m);
	if (m == 0)
		return 1;
	if (t[0] == '.')
		return n > m && !strncasecmp((const char *)s + n - m, (const char *)t, m);
	if (n == m)
		return !strncasecmp((const char *)s, (const char *)t, m);
	return n > m && s[n - m - 1] == '.' && !strncasecmp((const char *)s + n - m, (const char *)t, m);
}

/* the last '@' of s[0..n) (a quoted local part may hold others), or NULL */
static const unsigned char *last_at(const unsigned char *s, size_t n)
{
	while (n--)
		if (s[n] == '@')
			return s + n;
	return NULL;
}

/* §4.2.1.10 rfc822Name: "local@host" a mailbox, "host" every mailbox of
 * that host, ".domain" every mailbox in a subdomain (a name that is no
 * mailbox is refused before: nc_check) */
static int email_in(const unsigned char *s, size_t n, const unsigned char *t, size_t m)
{
	const unsigned char *at = last_at(s, n), *tat;
	size_t hl;

	if (!at || !m)
		return 0;
	tat = last_at(t, m);
	if (tat) {
		/* the local part compared exactly, the host case-insensitively */
		size_t ll = (size_t)(at - s), tl = (size_t)(tat - t);

		return ll == tl && !memcmp(s, t, ll) &&
		       no_dot(at + 1, n - ll - 1) == no_dot(tat + 1, m - tl - 1) &&
		       !strncasecmp((const char *)at + 1, (const char *)tat + 1,
				    no_dot(tat + 1, m - tl - 1));
	}
	hl = no_dot(at + 1, n - (size_t)(at - s) - 1);
	if (t[0] == '.')
		return host_in(at + 1, hl, t, m);
	m = no_dot(t, m);
	return hl == m && !strncasecmp((const char *)at + 1, (const char *)t, m);
}

/*
 * The host a URI names: that of scheme://[userinfo@]host[:port]/..., or
 * for the XMPP and mail schemes without an authority (im:, pres:, xmpp:,
 * mailto: -- RFC 3923 §6.3 names) the domain after the last '@' (or all
 * of it).  0 when there is none a constraint can be applied to (an IP
 * literal, a percent-encoded or backslashed host, no host): nc_check
 * then refuses the certificate under URI constraints.
 */
static int uri_host(const unsigned char *s, size_t n, const unsigned char **h, size_t *hl)
{
	static const char *const schemes[] = { "im", "pres", "xmpp", "mailto" };
	const unsigned char *colon = memchr(s, ':', n), *p, *e, *q;
	int authority;
	size_t i, sl;

	if (!colon)
		return 0;
	sl = (size_t)(colon - s);
	p = colon + 1;
	authority = n - sl - 1 >= 2 && p[0] == '/' && p[1] == '/';
	if (authority) {
		p += 2;
	} else {
		for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
			if (strlen(schemes[i]) == sl && !strncasecmp((const char *)s, schemes[i], sl))
				break;
		if (i == sizeof(schemes) / sizeof(schemes[0]))
			return 0;
	}
	for (e = p; e < s + n && *e != '/' && *e != '?' && *e != '#'; e++)
		;
	q = last_at(p, (size_t)(e - p));     /* userinfo@, or local@ */
	p = q ? q + 1 : p;
	for (q = p; authority && q < e; q++)     /* :port */
		if (*q == ':') {
			e = q;
			break;
		}
	if (e == p || *p == '[')
		return 0;
	for (q = p; q < e; q++)
		if (*q == '%' || *q == '\\' || *q == '@')
			return 0;
	*h = p;
	*hl = (size_t)(e - p);
	return 1;
}

static int uri_in(const unsigned char *s, size_t n, const unsigned char *t, size_t m)
{
	const unsigned char *h;
	size_t hl;

	if (!uri_host(s, n, &h, &hl) || !m)
		return 0;
	if (t[0] == '.')
		return host_in(h, hl, t, m);
	hl = no_dot(h, hl);
	m = no_dot(t, m);
	return hl == m && !strncasecmp((const char *)h, (const char *)t, m);
}

static int ip_in(const unsigned char *s, size_t n, const unsigned char *t, size_t m)
{
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	size_t i;

	/* an IPv4-mapped IPv6 address is that IPv4 address */
	if (n == 16 && m == 8 && !memcmp(s, mapped, sizeof(mapped))) {
		s += 12;
		n = 4;
	}
	if (m != 2 * n)
		return 0;      /* the other address family */
	for (i = 0; i < n; i++)
		if ((s[i] & t[n + i]) != (t[i] & t[n + i]))
			return 0;
	return 1;
}

static int dir_in(const unsigned char *s, size_t n, const unsigned char *t, size_t m)
{
	/* the canonical form is a sequence of self-delimiting RDN records: a
	 * byte prefix is a prefix of whole RDNs (x509.c) */
	return m <= n && !memcmp(s, t, m);
}

static int matches(unsigned char tag, const unsigned char *s, size_t n, const struct xe2e_buf *t)
{
	const unsigned char *tv = t->data ? t->data : (const unsigned char *)"";

	switch (tag) {
	case XE2E_GN_EMAIL: return email_in(s, n, tv, t->len);
	case XE2E_GN_DNS: return host_in(s, n, tv, t->len);
	case XE2E_GN_URI: return uri_in(s, n, tv, t->len);
	case XE2E_GN_IP: return ip_in(s, n, tv, t->len);
	case XE2E_GN_DIR: return dir_in(s, n, tv, t->len);
	}
	return 0;
}

static int processed(unsigned char tag)
{
	return tag == XE2E_GN_EMAIL || tag == XE2E_GN_DNS || tag == XE2E_GN_URI ||
	       tag == XE2E_GN_IP || tag == XE2E_GN_DIR;
}

/* "the name 'x'" for a string form; the other forms are not text */
static void describe(char *out, size_t size, unsigned char tag, const unsigned char *s, size_t n)
{
	if (tag == XE2E_GN_DIR)
		snprintf(out, size, "a directoryName (or the subject)");
	else if (tag == XE2E_GN_IP)
		snprintf(out, size, "an iPAddress");
	else
		snprintf(out, size, "the name '%.*s'", (int)(n > 100 ? 100 : n), (const char *)s);
}

/* one name of form tag against the constraints */
static int one(const struct xe2e_nc *nc, unsigned char tag, const unsigned char *s, size_t n,
	       size_t *work, const char *cert_name, const char *ca_name, struct xe2e_err *err)
{
	char what[160];
	int have = 0, in = 0;
	size_t i;

	if (!processed(tag)) {
		/* a form we do not process: refused only under a critical
		 * extension that constrains that form */
		for (i = 0; i < nc->n_perm + nc->n_excl; i++) {
			const struct xe2e_nc_subtree *st = i < nc->n_perm ? &nc->perm[i]
									 : &nc->excl[i - nc->n_perm];

			if (st->tag == tag && nc->critical)
				return xe2e_err_set(err, XE2E_ECERT,
						    "certificate '%s' has a name of a form (0x%02x) that the "
						    "critical name constraints of '%s' restrict and xe2e does "
						    "not process", cert_name, tag, ca_name);
		}
		return 0;
	}
	/* a name a constraint of its form cannot be applied to (an rfc822Name
	 * that is no mailbox, a URI without a host we can read) fails closed
	 * when that form is constrained at all: else an excluded subtree
	 * could be passed by it */
	{
		const unsigned char *h;
		size_t hl;

		if ((tag == XE2E_GN_EMAIL && !last_at(s, n)) ||
		    (tag == XE2E_GN_URI && !uri_host(s, n, &h, &hl)))
			for (i = 0; i < nc->n_perm + nc->n_excl; i++)
				if ((i < nc->n_perm ? &nc->perm[i] : &nc->excl[i - nc->n_perm])->tag == tag) {
					describe(what, sizeof(what), tag, s, n);
					return xe2e_err_set(err, XE2E_ECERT,
							    "certificate '%s': %s cannot be checked against the "
							    "name constraints of '%s' (no %s)", cert_name, what,
							    ca_name, tag == XE2E_GN_EMAIL ? "mailbox" : "host");
				}
	}
	/* work is counted in octets compared (XE2E_NC_MAX_WORK per path) */
	for (i = 0; i < nc->n_excl; i++) {
		*work += n + nc->excl[i].v.len + 1;
		if (*work > XE2E_NC_MAX_WORK)
			return xe2e_err_set(err, XE2E_ECERT, "name constraint checking gave up after %d "
					    "octets", XE2E_NC_MAX_WORK);
		if (nc->excl[i].tag == tag && matches(tag, s, n, &nc->excl[i].v)) {
			describe(what, sizeof(what), tag, s, n);
			return xe2e_err_set(err, XE2E_ECERT,
					    "certificate '%s': %s is excluded by the name constraints "
					    "of '%s'", cert_name, what, ca_name);
		}
	}
	for (i = 0; i < nc->n_perm && !in; i++) {
		*work += n + nc->perm[i].v.len + 1;
		if (*work > XE2E_NC_MAX_WORK)
			return xe2e_err_set(err, XE2E_ECERT, "name constraint checking gave up after %d "
					    "octets", XE2E_NC_MAX_WORK);
		if (nc->perm[i].tag != tag)
			continue;
		have = 1;
		in = matches(tag, s, n, &nc->perm[i].v);
	}
	if (have && !in) {
		describe(what, sizeof(what), tag, s, n);
		return xe2e_err_set(err, XE2E_ECERT,
				    "certificate '%s': %s is not within the permitted name "
				    "constraints of '%s'", cert_name, what, ca_name);
	}
	return 0;
}

int xe2e_nc_check(const struct xe2e_nc *nc, const unsigned char *names, size_t names_len,
		  const unsigned char *subj, size_t subj_len, int has_san, const char *cert_name,
		  const char *ca_name, size_t *work, struct xe2e_err *err)
{
	size_t off = 0, n;
	unsigned char tag;
	int rc = 0;

	if (!nc || !nc->present)
		return 0;
	/* the subject, when not empty (a Name of no RDNs is 0 octets here) */
	if (subj_len)
		rc = one(nc, XE2E_GN_DIR, subj, subj_len, work, cert_name, ca_name, err);
	while (!rc && off + 3 <= names_len) {
		tag = names[off];
		n = (size_t)names[off + 1] << 8 | names[off + 2];
		if (n > names_len - off - 3)
			return xe2e_err_set(err, XE2E_EIO, "name records: bad length");
		/* §4.2.1.10 asks for the subject's emailAddress only without a
		 * SAN; xe2e matches it as a name whatever (cert.h), so it is
		 * always checked (as OpenSSL does) */
		(void)has_san;
		if (tag == XE2E_GN_SUBJECT_EMAIL) {
			rc = one(nc, XE2E_GN_EMAIL, names + off + 3, n, work, cert_name, ca_name, err);
		} else {
			rc = one(nc, tag, names + off + 3, n, work, cert_name, ca_name, err);
		}
		off += 3 + n;
	}
	return rc;
}
