/*
 * policy.c - the valid_policy_tree of RFC 5280 §6.1 (see policy.h).
 *
 * Nodes live in one array in the order they were made, so a parent always
 * comes before its children: deleting a subtree is one forward pass.  A
 * node's expected_policy_set is a bit set over the policies of the path
 * (interned once each).  Qualifier sets are not kept: nothing here acts
 * on them.
 */
#include "policy.h"

#include <stdlib.h>
#include <string.h>

#define OID_MAX  128
#define SET_BYTES (XE2E_MAX_POLICY_OIDS / 8)
#define ANY 0                          /* anyPolicy is always OID 0 */

struct pnode {
	int parent;                        /* -1 for the root */
	int depth;
	int valid;                         /* valid_policy (an OID index) */
	int dead;
	unsigned char exp[SET_BYTES];      /* expected_policy_set */
};

struct xe2e_policy_tree {
	char oid[XE2E_MAX_POLICY_OIDS][OID_MAX];
	int n_oids;
	struct pnode node[XE2E_MAX_POLICY_NODES];
	int n_nodes;
	int null;                          /* valid_policy_tree is NULL */
	int n, i;                          /* path length, certificates processed */
	int explicit_policy, policy_mapping, inhibit_any;
	int user_any;
	unsigned char user[SET_BYTES];     /* user-initial-policy-set */
};

static int bit(const unsigned char *s, int k) { return (s[k / 8] >> (k % 8)) & 1; }
static void set_bit(unsigned char *s, int k) { s[k / 8] |= (unsigned char)(1u << (k % 8)); }

/* The index of oid, added if new; -1 (and err) past the cap. */
static int intern(struct xe2e_policy_tree *t, const char *oid, const struct xe2e_cert *c,
		  struct xe2e_err *err)
{
	int k;

	for (k = 0; k < t->n_oids; k++)
		if (!strcmp(t->oid[k], oid))
			return k;
	if (t->n_oids == XE2E_MAX_POLICY_OIDS || strlen(oid) >= OID_MAX) {
		xe2e_err_set(err, XE2E_ECERT,
			     "more than %d distinct certificate policies in the path (at '%s')",
			     XE2E_MAX_POLICY_OIDS, c ? xe2e_cert_name(c) : "the initial set");
		return -1;
	}
	snprintf(t->oid[t->n_oids], OID_MAX, "%s", oid);
	return t->n_oids++;
}

static int add_node(struct xe2e_policy_tree *t, int parent, int valid,
		    const unsigned char *exp, const struct xe2e_cert *c, struct xe2e_err *err)
{
	struct pnode *nd;

	if (t->n_nodes == XE2E_MAX_POLICY_NODES)
		return xe2e_err_set(err, XE2E_ECERT,
				    "the certificate policy tree would exceed %d nodes (at '%s')",
				    XE2E_MAX_POLICY_NODES, xe2e_cert_name(c));
	nd = &t->node[t->n_nodes++];
	memset(nd, 0, sizeof(*nd));
	nd->parent = parent;
	nd->depth = parent >= 0 ? t->node[parent].depth + 1 : 0;
	nd->valid = valid;
	if (exp)
		memcpy(nd->exp, exp, SET_BYTES);
	else
		set_bit(nd->exp, valid);
	return 0;
}

static int live(const struct xe2e_policy_tree *t, int k, int depth)
{
	return !t->node[k].dead && t->node[k].depth == depth;
}

/* Delete the descendants of deleted nodes (parents come first). */
static void propagate(struct xe2e_policy_tree *t)
{
	int k;

	for (k = 0; k < t->n_nodes; k++)
		if (t->node[k].parent >= 0 && t->node[t->node[k].parent].dead)
			t->node[k].dead = 1;
	if (!t->n_nodes || t->node[0].dead)
		t->null = 1;
}

/* §6.1.3 (d)(3): delete nodes of depth <= top without children, until
 * there are none; the tree is NULL once its root goes. */
static int prune(struct xe2e_policy_tree *t, int top, struct xe2e_err *err)
{
	int d, k, *kids = calloc((size_t)t->n_nodes + 1, sizeof(*kids));

	if (!kids)
		return xe2e_err_set(err, XE2E_EIO, "out of memory");
	for (d = top; d >= 0; d--) {
		memset(kids, 0, ((size_t)t->n_nodes + 1) * sizeof(*kids));
		for (k = 0; k < t->n_nodes; k++)
			if (!t->node[k].dead && t->node[k].parent >= 0)
				kids[t->node[k].parent]++;
		for (k = 0; k < t->n_nodes; k++)
			if (live(t, k, d) && !kids[k])
				t->node[k].dead = 1;
	}
	free(kids);
	propagate(t);
	return 0;
}

static int has_child(const struct xe2e_policy_tree *t, int parent, int valid)
{
	int k;

	for (k = parent + 1; k < t->n_nodes; k++)
		if (!t->node[k].dead && t->node[k].parent == parent && t->node[k].valid == valid)
			return 1;
	return 0;
}

/* The next line of a list (lines end in "\n"; the last may not) into
 * out[size]; NULL at the end.  A line that does not fit is never cut: it
 * ends the list with *len = size (the caller fails). */
static const char *next_line(const char *p, const char *end, char *out, size_t size,
			     size_t *len)
{
	const char *nl;

	*len = 0;
	if (p >= end)
		return NULL;
	if (!(nl = memchr(p, '\n', (size_t)(end - p))))
		nl = end;
	*len = (size_t)(nl - p);
	if (*len >= size) {
		*len = size;
		return NULL;
	}
	memcpy(out, p, *len);
	out[*len] = '\0';
	return nl < end ? nl + 1 : end;
}

int xe2e_policy_start(struct xe2e_policy_tree **out, const struct xe2e_policy_inputs *in,
		      size_t n, struct xe2e_err *err)
{
	struct xe2e_policy_tree *t;
	const char *p, *end;
	char oid[OID_MAX];
	size_t len;
	int k;

	*out = NULL;
	if (!(t = calloc(1, sizeof(*t))))
		return xe2e_err_set(err, XE2E_EIO, "out of memory");
	snprintf(t->oid[0], OID_MAX, "%s", XE2E_OID_ANY_POLICY);
	t->n_oids = 1;
	t->n = (int)n;
	/* §6.1.2 (a), (d)-(f) */
	t->explicit_policy = in->explicit_policy ? 0 : t->n + 1;
	t->inhibit_any = in->inhibit_any ? 0 : t->n + 1;
	t->policy_mapping = in->inhibit_mapping ? 0 : t->n + 1;
	(void)add_node(t, -1, ANY, NULL, NULL, NULL);
	t->user_any = !in->initial || !*in->initial;
	p = in->initial ? in->initial : "";
	end = p + strlen(p);
	while ((p = next_line(p, end, oid, sizeof(oid), &len)) != NULL || len) {
		char ok[OID_MAX];

		if (!p || xe2e_policy_oid_arg(ok, sizeof(ok), oid, err) ||
		    (k = intern(t, ok, NULL, err)) < 0) {
			free(t);
			return p ? -(int)(err ? err->code : XE2E_EUSAGE)
				 : xe2e_err_set(err, XE2E_EUSAGE, "initial policy set: an OID is too long");
		}
		if (k == ANY)
			t->user_any = 1;
		set_bit(t->user, k);
	}
	*out = t;
	return 0;
}

void xe2e_policy_free(struct xe2e_policy_tree *t)
{
	free(t);
}

/* §6.1.3 (d)(1)-(2) for certificate c, the i-th of the path. */
static int add_policies(struct xe2e_policy_tree *t, const struct xe2e_cert *c, int i,
			struct xe2e_err *err)
{
	const char *p = (const char *)c->policies.data, *end = p + c->policies.len;
	char oid[OID_MAX];
	size_t len;
	int k, b, pi, matched, any = 0, top = t->n_nodes, rc = 0;

	while (!rc && (p = next_line(p, end, oid, sizeof(oid), &len)) != NULL) {
		if ((pi = intern(t, oid, c, err)) < 0)
			return -XE2E_ECERT;
		if (pi == ANY) {
			any = 1;
			continue;
		}
		/* (d)(1)(i): children of the nodes that expect P */
		for (matched = 0, k = 0; !rc && k < top; k++)
			if (live(t, k, i - 1) && bit(t->node[k].exp, pi)) {
				rc = add_node(t, k, pi, NULL, c, err);
				matched = 1;
			}
		/* (d)(1)(ii): else a child of the anyPolicy node */
		for (k = 0; !rc && !matched && k < top; k++)
			if (live(t, k, i - 1) && t->node[k].valid == ANY)
				rc = add_node(t, k, pi, NULL, c, err);
	}
	/* (d)(2): anyPolicy, unless inhibited (self-issued intermediates
	 * are exempt) */
	if (!rc && any && (t->inhibit_any > 0 || (i < t->n && c->self_issued)))
		for (k = 0; !rc && k < top; k++)
			for (b = 0; !rc && live(t, k, i - 1) && b < t->n_oids; b++)
				if (bit(t->node[k].exp, b) && !has_child(t, k, b))
					rc = add_node(t, k, b, NULL, c, err);
	if (!rc && len)   /* a line that did not fit: never cut into another OID */
		rc = xe2e_err_set(err, XE2E_ECERT, "certificate '%s': a policy OID is too long",
				  xe2e_cert_name(c));
	if (!rc)   /* (d)(3) */
		rc = prune(t, i - 1, err);
	return rc;
}

/* §6.1.4 (a)-(b): the policy mappings of intermediate c, the i-th. */
static int map_policies(struct xe2e_policy_tree *t, const struct xe2e_cert *c, int i,
			struct xe2e_err *err)
{
	const char *p = (const char *)c->mappings.data, *end = p + c->mappings.len;
	char line[2 * OID_MAX + 2], a[OID_MAX], b[OID_MAX];
	unsigned char done[SET_BYTES] = { 0 }, sub[SET_BYTES];
	int from[XE2E_MAX_CERT_POLICIES], to[XE2E_MAX_CERT_POLICIES];
	size_t len;
	int n = 0, ip, j, m, k, found, deleted = 0, rc = 0;

	/* the pairs, read once; (a) no anyPolicy on either side */
	while ((p = next_line(p, end, line, sizeof(line), &len)) != NULL || len) {
		if (!p || n == XE2E_MAX_CERT_POLICIES || sscanf(line, "%127s %127s", a, b) != 2 ||
		    strlen(a) >= OID_MAX - 1 || strlen(b) >= OID_MAX - 1)
			return xe2e_err_set(err, XE2E_ECERT, "certificate '%s': bad policy mapping",
					    xe2e_cert_name(c));
		if (!strcmp(a, XE2E_OID_ANY_POLICY) || !strcmp(b, XE2E_OID_ANY_POLICY))
			return xe2e_err_set(err, XE2E_ECERT,
					    "certificate '%s' maps anyPolicy (RFC 5280 §6.1.4 (a))",
					    xe2e_cert_name(c));
		if (!t->null && ((from[n] = intern(t, a, c, err)) < 0 || (to[n] = intern(t, b, c, err)) < 0))
			return -XE2E_ECERT;
		n++;
	}
	if (t->null)
		return 0;
	/* (b), once for each issuerDomainPolicy ID-P */
	for (m = 0; !rc && m < n; m++) {
		ip = from[m];
		if (bit(done, ip))
			continue;
		set_bit(done, ip);
		if (t->policy_mapping == 0) {   /* (b)(2) */
			for (k = 0; k < t->n_nodes; k++)
				if (live(t, k, i) && t->node[k].valid == ip)
					t->node[k].dead = deleted = 1;
			continue;
		}
		/* (b)(1): the subjectDomainPolicy values ID-P maps to */
		memset(sub, 0, sizeof(sub));
		for (j = m; j < n; j++)
			if (from[j] == ip)
				set_bit(sub, to[j]);
		for (found = 0, k = 0; k < t->n_nodes; k++)
			if (live(t, k, i) && t->node[k].valid == ip) {
				memcpy(t->node[k].exp, sub, SET_BYTES);
				found = 1;
			}
		for (k = 0; !rc && !found && k < t->n_nodes; k++)
			if (live(t, k, i) && t->node[k].valid == ANY) {
				rc = add_node(t, t->node[k].parent, ip, sub, c, err);
				break;
			}
	}
	if (!rc && deleted)
		rc = prune(t, i - 1, err);
	return rc;
}

int xe2e_policy_cert(struct xe2e_policy_tree *t, const struct xe2e_cert *c,
		     struct xe2e_err *err)
{
	int i = ++t->i, rc = 0;

	if (i > t->n)
		return xe2e_err_set(err, XE2E_ECERT, "certificate policies: more certificates than the path has");
	if (c->has_policies && !t->null)
		rc = add_policies(t, c, i, err);
	else if (!c->has_policies)   /* (e) */
		t->null = 1;
	if (rc)
		return rc;
	if (t->explicit_policy <= 0 && t->null)   /* (f) */
		return xe2e_err_set(err, XE2E_ECERT,
				    "certificate '%s' leaves no valid certificate policy and an explicit "
				    "policy is required (RFC 5280 §6.1.3 (f))", xe2e_cert_name(c));
	if (i == t->n)
		return 0;
	rc = map_policies(t, c, i, err);
	if (rc)
		return rc;
	if (!c->self_issued) {   /* §6.1.4 (h) */
		if (t->explicit_policy > 0)
			t->explicit_policy--;
		if (t->policy_mapping > 0)
			t->policy_mapping--;
		if (t->inhibit_any > 0)
			t->inhibit_any--;
	}
	/* (i), (j) */
	if (c->require_explicit >= 0 && c->require_explicit < t->explicit_policy)
		t->explicit_policy = c->require_explicit;
	if (c->inhibit_mapping >= 0 && c->inhibit_mapping < t->policy_mapping)
		t->policy_mapping = c->inhibit_mapping;
	if (c->inhibit_any >= 0 && c->inhibit_any < t->inhibit_any)
		t->inhibit_any = c->inhibit_any;
	return 0;
}

/* §6.1.6's policy set of the tree: the valid policies of the nodes whose
 * parent is an anyPolicy node, and anyPolicy if an anyPolicy node is at
 * depth n; OIDs separated by a space. */
static void collect(const struct xe2e_policy_tree *t, char *out, size_t size, int *truncated)
{
	unsigned char in[SET_BYTES] = { 0 };
	size_t l = 0;
	int k, par;

	out[0] = '\0';
	for (k = 0; !t->null && k < t->n_nodes; k++) {
		par = t->node[k].parent;
		if (t->node[k].dead)
			continue;
		if ((par >= 0 && t->node[par].valid == ANY && t->node[k].valid != ANY) ||
		    (t->node[k].valid == ANY && t->node[k].depth == t->n))
			set_bit(in, t->node[k].valid);
	}
	for (k = 0; k < t->n_oids; k++) {
		size_t m = strlen(t->oid[k]);

		if (!bit(in, k))
			continue;
		if (l + m + 1 >= size) {
			*truncated = 1;
			return;
		}
		l += (size_t)snprintf(out + l, size - l, "%s%s", l ? " " : "", t->oid[k]);
	}
}

int xe2e_policy_finish(struct xe2e_policy_tree *t, const struct xe2e_cert *leaf,
		       struct xe2e_policy_sets *out, struct xe2e_err *err)
{
	int k, par, anyleaf = -1, rc = 0, p;
	unsigned char named[SET_BYTES] = { 0 };

	/* §6.1.5 (a)-(b) */
	if (t->explicit_policy > 0)
		t->explicit_policy--;
	if (leaf->require_explicit == 0)
		t->explicit_policy = 0;
	out->truncated = 0;
	collect(t, out->authority, sizeof(out->authority), &out->truncated);
	/* (g): the intersection with the user-initial-policy-set */
	if (!t->null && !t->user_any) {
		for (k = 0; k < t->n_nodes; k++) {
			par = t->node[k].parent;
			if (t->node[k].dead)
				continue;
			if (t->node[k].valid == ANY && t->node[k].depth == t->n)
				anyleaf = k;
			if (par < 0 || t->node[par].valid != ANY || t->node[k].valid == ANY)
				continue;
			/* (g)(iii)(2) */
			if (!bit(t->user, t->node[k].valid))
				t->node[k].dead = 1;
			set_bit(named, t->node[k].valid);
		}
		propagate(t);
		/* (g)(iii)(3) */
		if (anyleaf >= 0 && !t->node[anyleaf].dead) {
			for (p = 1; !rc && p < t->n_oids; p++)
				if (bit(t->user, p) && !bit(named, p))
					rc = add_node(t, t->node[anyleaf].parent, p, NULL, leaf, err);
			t->node[anyleaf].dead = 1;
		}
		if (!rc)   /* (g)(iii)(4) */
			rc = prune(t, t->n - 1, err);
	}
	if (rc)
		return rc;
	collect(t, out->user, sizeof(out->user), &out->truncated);
	if (t->explicit_policy <= 0 && t->null)
		return xe2e_err_set(err, XE2E_ECERT,
				    "no acceptable certificate policy for '%s' and an explicit policy "
				    "is required (RFC 5280 §6.1.5 (g))", xe2e_cert_name(leaf));
	return 0;
}

int xe2e_policy_oid_arg(char *out, size_t size, const char *arg, struct xe2e_err *err)
{
	const char *p;
	int arcs = 1, digits = 0;

	if (!strcmp(arg, "anyPolicy"))
		arg = XE2E_OID_ANY_POLICY;
	for (p = arg; *p; p++) {
		if (*p == '.') {
			if (!digits)
				break;
			arcs++;
			digits = 0;
		} else if (*p >= '0' && *p <= '9') {
			if (digits == 1 && p[-1] == '0')   /* no leading zero */
				break;
			digits++;
		} else {
			break;
		}
	}
	if (*p || !digits || arcs < 2 || arg[0] > '2' || p - arg >= OID_MAX ||
	    (size_t)(p - arg) >= size)
		return xe2e_err_set(err, XE2E_EUSAGE,
				    "--policy-oid: not a dotted object identifier (or anyPolicy)");
	snprintf(out, size, "%s", arg);
	return 0;
}

void xe2e_policy_user_text(char *out, size_t size, const struct xe2e_policy_inputs *in)
{
	const char *p = in->initial ? in->initial : "", *end = p + strlen(p);
	char oid[OID_MAX];
	size_t len, l = 0;

	out[0] = '\0';
	while ((p = next_line(p, end, oid, sizeof(oid), &len)) != NULL) {
		if (!strcmp(oid, XE2E_OID_ANY_POLICY) || !strcmp(oid, "anyPolicy")) {
			l = 0;
			break;
		}
		if (l + len + 2 > size)
			break;
		l += (size_t)snprintf(out + l, size - l, "%s%s", l ? " " : "", oid);
	}
	if (!l)
		snprintf(out, size, "%s", XE2E_OID_ANY_POLICY);
}
