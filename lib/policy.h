/*
 * policy.h - certificate policies in path validation: the valid_policy_tree
 * of RFC 5280 §6.1.2-§6.1.5 with policy mapping, requireExplicitPolicy,
 * inhibitPolicyMapping and inhibitAnyPolicy, and the user's initial inputs.
 *
 * Work is bounded: the tree holds at most XE2E_MAX_POLICY_NODES nodes and
 * a path at most XE2E_MAX_POLICY_OIDS distinct policies (a certificate at
 * most XE2E_MAX_CERT_POLICIES, cert.c).  A path that would need more fails with a clear error:
 * mappings that fan out cannot make validation exponential (the class of
 * CVE-2023-0464).  Qualifiers are decoded (cert.c) and not kept.
 */
#ifndef XE2E_POLICY_H
#define XE2E_POLICY_H

#include <stddef.h>
#include "cert.h"
#include "err.h"

#define XE2E_OID_ANY_POLICY    "2.5.29.32.0"
#define XE2E_MAX_POLICY_NODES  1024
#define XE2E_MAX_POLICY_OIDS   128
#define XE2E_MAX_USER_POLICIES 16     /* --policy-oid options */
#define XE2E_MAX_CERT_POLICIES 64     /* policies, or mappings, in one certificate */
#define XE2E_POLICY_SET_MAX    2048   /* a reported policy set, as text */

/* The initial inputs of §6.1.1 (c), (e), (f), (g). */
struct xe2e_policy_inputs {
	const char *initial;   /* user-initial-policy-set: OIDs, one per line;
				  NULL or "" is {anyPolicy} */
	int explicit_policy;   /* initial-explicit-policy */
	int inhibit_mapping;   /* initial-policy-mapping-inhibit */
	int inhibit_any;       /* initial-any-policy-inhibit */
};

/* The outputs: the authority- and user-constrained policy sets (§6.1.6),
 * each OIDs separated by one space ("" is the empty set; anyPolicy is
 * 2.5.29.32.0); past the size, cut at a whole OID with truncated set (the
 * verdict does not depend on it). */
struct xe2e_policy_sets {
	char authority[XE2E_POLICY_SET_MAX];
	char user[XE2E_POLICY_SET_MAX];
	int truncated;
};

struct xe2e_policy_tree;

/* §6.1.2 for a path of n certificates (the trust anchor not counted). */
int xe2e_policy_start(struct xe2e_policy_tree **out, const struct xe2e_policy_inputs *in,
		      size_t n, struct xe2e_err *err) __attribute__((warn_unused_result));
/* §6.1.3 (d)-(f) for the next certificate of the path (from the one the
 * anchor issued to the end entity) and, below the end entity, §6.1.4 (a),
 * (b), (h)-(j).  -XE2E_ECERT naming c. */
int xe2e_policy_cert(struct xe2e_policy_tree *t, const struct xe2e_cert *c,
		     struct xe2e_err *err) __attribute__((warn_unused_result));
/* §6.1.5 (a), (b), (g) once the end entity has been processed; the sets
 * in *out.  -XE2E_ECERT when no acceptable policy is left and one is
 * required. */
int xe2e_policy_finish(struct xe2e_policy_tree *t, const struct xe2e_cert *leaf,
		       struct xe2e_policy_sets *out, struct xe2e_err *err)
	__attribute__((warn_unused_result));
void xe2e_policy_free(struct xe2e_policy_tree *t);

/* The user-initial-policy-set of in as a policy set text (anyPolicy when
 * none is given); cut at a whole OID past size. */
void xe2e_policy_user_text(char *out, size_t size, const struct xe2e_policy_inputs *in);

/* A policy OID as a user gives it ("anyPolicy" is 2.5.29.32.0): 0, with
 * the dotted form in out[size], or -XE2E_EUSAGE. */
int xe2e_policy_oid_arg(char *out, size_t size, const char *arg, struct xe2e_err *err);

#endif
