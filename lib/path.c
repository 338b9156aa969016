/*
 * path.c - certification path building and validation (see pki.h):
 * RFC 5280 §6.1 path validation (name constraints in nc.c, the policy tree
 * in policy.c; an extension we do not process, if critical, fails the
 * path), §6.3.3 revocation with CRLs (a separate CRL-signing key is itself
 * validated), RFC 3850 §4.2-§4.4 on top.  Every end entity, whatever names
 * it carries, goes through the same routine.  GnuTLS verifies signatures;
 * its own verifier gets 18 PKITS cases of §4.1-§4.7 wrong (DESIGN §7), so
 * the rules are applied here.
 *
 * Work is bounded: issuer candidates tried and signatures checked count
 * against XE2E_MAX_PATH_WORK for the whole validation, CRL-issuer paths
 * included, so n same-named certificates cannot make the depth-first search
 * try n! orderings.
 */
#include "pki.h"
#include "datetime.h"
#include "der.h"
#include "text.h"
#include "x509.h"

#include <stdlib.h>
#include <string.h>

#define MAX_CRL_DEPTH 2
#define OID_EKU_EMAIL "1.3.6.1.5.5.7.3.4"
#define OID_EKU_ANY   "2.5.29.37.0"

/* CRL-issuer certificates whose own path was validated, with the verdict:
 * each is validated once per validation however many CRLs it might sign */
#define CRL_SIGNER_CACHE 64

struct budget {
	unsigned used;
	int exhausted;
	size_t n_signers;
	const struct xe2e_cert *signer[CRL_SIGNER_CACHE];
	const struct xe2e_cert *signer_anchor[CRL_SIGNER_CACHE];
	int signer_depth[CRL_SIGNER_CACHE];   /* a verdict holds at the depth it was made */
	int signer_ok[CRL_SIGNER_CACHE];
};

struct vstate {
	const struct xe2e_trust *t;
	const struct xe2e_certs *pool;
	const struct xe2e_validate_opts *o;
	int depth;                     /* CRL-signer recursion */
	const struct xe2e_cert *anchor;      /* of the path being checked (validate_path) */
	const struct xe2e_cert *only_anchor; /* the one anchor allowed, or NULL */
	struct budget *b;              /* shared by nested validations */
	int have_err;
	struct xe2e_err first;         /* reason of the first complete path that failed */
	char *warning;                 /* size XE2E_ERR_MSG_MAX, or NULL */
	/* linked[i]: the search verified chain[i]'s signature with chain[i+1]'s
	 * own key (link_signed), so validate_path need not again */
	unsigned char linked[XE2E_MAX_CHAIN + 1];
};

/* Take one unit of work; 0 when the budget is spent. */
static int spend(struct vstate *v)
{
	if (v->b->used >= XE2E_MAX_PATH_WORK) {
		v->b->exhausted = 1;
		return 0;
	}
	v->b->used++;
	return 1;
}

static int gave_up(struct vstate *v, const struct xe2e_cert *leaf, struct xe2e_err *err)
{
	return xe2e_err_set(err, XE2E_ECERT, "path building gave up after %u candidates "
			    "(certificate '%s')", v->b->used, xe2e_cert_name(leaf));
}

/* AKI of cert and SKI of a candidate issuer, when both present, must agree */
static int keyids_agree(const struct xe2e_cert *issuer, const struct xe2e_cert *cert)
{
	return !cert->aki.len || !issuer->ski.len ||
	       (cert->aki.len == issuer->ski.len &&
		!memcmp(cert->aki.data, issuer->ski.data, cert->aki.len));
}

static int ku_allows(const struct xe2e_cert *c, unsigned bit)
{
	return !c->has_ku || (c->ku & bit);
}

static int check_extensions(const struct xe2e_cert *c, struct xe2e_err *err)
{
	if (!c->bad_ext[0])
		return 0;
	return xe2e_err_set(err, XE2E_ECERT,
			    "certificate '%s' has a critical extension %s that is not supported",
			    xe2e_cert_name(c), c->bad_ext);
}

static int check_time(const struct xe2e_cert *c, time_t now, struct xe2e_err *err)
{
	if (c->not_before > now)
		return xe2e_err_set(err, XE2E_ECERT, "certificate '%s' is not yet valid",
				    xe2e_cert_name(c));
	if (c->not_after < now)
		return xe2e_err_set(err, XE2E_ECERT, "certificate '%s' has expired",
				    xe2e_cert_name(c));
	return 0;
}

static void add_warning(char *w, const char *msg)
{
	size_t l, m = strlen(msg);
	const char *p;

	if (!w)
		return;
	/* once each: the same warning, not one that merely contains it */
	for (p = w; (p = strstr(p, msg)) != NULL; p++)
		if ((p == w || (p - w >= 2 && !strncmp(p - 2, "; ", 2))) && (p[m] == '\0' || !strncmp(p + m, "; ", 2)))
			return;
	l = strlen(w);
	snprintf(w + l, XE2E_ERR_MSG_MAX - l, "%s%s", l ? "; " : "", msg);
}

/* RFC 3850 §3, §4.4.2 (key usage) and §4.4.4 (extended key usage) for the
 * end entity c. */
static int usage_rules(const struct xe2e_cert *c, const struct xe2e_validate_opts *o,
		       char *warning, struct xe2e_err *err)
{
	enum xe2e_purpose purpose = o->purpose;
	const char *dn = xe2e_cert_name(c);
	char w[XE2E_ERR_MSG_MAX];

	/* RFC 3850 §3 (RFC 5280 §4.2.1.6): an empty subject needs a critical SAN */
	if (c->subject.len <= 2 && !c->san_critical)
		return xe2e_err_set(err, XE2E_ECERT,
				    "certificate with an empty subject and no critical subjectAltName (RFC 3850 §3)");
	if (c->has_ku) {
		if (purpose == XE2E_PURPOSE_SIGN &&
		    !(c->ku & (GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_NON_REPUDIATION)))
			return xe2e_err_set(err, XE2E_ECERT,
					    "certificate '%s' key usage allows neither digitalSignature nor nonRepudiation",
					    dn);
		if (purpose == XE2E_PURPOSE_CRL_SIGN && !(c->ku & GNUTLS_KEY_CRL_SIGN))
			return xe2e_err_set(err, XE2E_ECERT, "certificate '%s' key usage lacks cRLSign", dn);
		if (purpose == XE2E_PURPOSE_CERT_SIGN && !(c->ku & GNUTLS_KEY_KEY_CERT_SIGN))
			return xe2e_err_set(err, XE2E_ECERT, "certificate '%s' key usage lacks keyCertSign", dn);
		if (purpose == XE2E_PURPOSE_ENCRYPT && !(c->ku & GNUTLS_KEY_KEY_ENCIPHERMENT))
			return xe2e_err_set(err, XE2E_ECERT,
					    "certificate '%s' key usage lacks keyEncipherment", dn);
	}
	if (purpose == XE2E_PURPOSE_CERT_SIGN && !(c->has_bc && c->ca))
		return xe2e_err_set(err, XE2E_ECERT, "certificate '%s' is not a CA (basicConstraints)", dn);
	if (c->eku.len && !xe2e_text_has_line(&c->eku, OID_EKU_EMAIL) &&
	    !xe2e_text_has_line(&c->eku, OID_EKU_ANY) && purpose != XE2E_PURPOSE_CRL_SIGN &&
	    purpose != XE2E_PURPOSE_CERT_SIGN)
		return xe2e_err_set(err, XE2E_ECERT,
				    "certificate '%s' extended key usage lacks emailProtection", dn);
	/* RFC 3850 §4.4.1/RFC 5280 §4.2.1.9: a CA certificate certifies keys;
	 * as a signer or recipient it is refused by policy strict and
	 * allowed with a warning otherwise (many self-signed test
	 * certificates are CA:TRUE) */
	if ((purpose == XE2E_PURPOSE_SIGN || purpose == XE2E_PURPOSE_ENCRYPT) &&
	    c->has_bc && c->ca) {
		if (o->policy == XE2E_POLICY_STRICT)
			return xe2e_err_set(err, XE2E_ECERT,
					    "certificate '%s': a CA certificate is not an S/MIME end entity "
					    "(policy strict)", dn);
		snprintf(w, sizeof(w), "certificate '%s' is a CA certificate used as an end entity", dn);
		add_warning(warning, w);
	}
	return 0;
}

static int validate_from(struct vstate *v, struct xe2e_path *p, struct xe2e_err *err);

/* Does the path of CRL issuer certificate s validate to v's anchor
 * (RFC 5280 §6.3.3 (f): the same trust anchor as the certificate's)?
 * Validated once per candidate and anchor; the verdict is kept. */
static int crl_signer_valid(struct vstate *v, const struct xe2e_cert *s)
{
	struct xe2e_path sp;
	struct xe2e_validate_opts so;
	struct vstate sv;
	struct budget *b = v->b;
	size_t i;
	int ok;

	for (i = 0; i < b->n_signers; i++)
		if (b->signer[i] == s && b->signer_anchor[i] == v->anchor &&
		    b->signer_depth[i] == v->depth)
			return b->signer_ok[i];
	sv = *v;
	so = *v->o;
	so.purpose = XE2E_PURPOSE_CRL_SIGN;
	/* the user's policy inputs are about the certificate, not about who
	 * signs its CRL: the CRL issuer's path takes the defaults */
	memset(&so.pol, 0, sizeof(so.pol));
	sv.o = &so;
	sv.depth = v->depth + 1;
	sv.have_err = 0;
	sv.warning = NULL;
	sv.only_anchor = v->anchor;
	memset(&sp, 0, sizeof(sp));
	sp.chain[0] = s;
	sp.n = 1;
	ok = !validate_from(&sv, &sp, NULL);
	if (b->n_signers < CRL_SIGNER_CACHE && !b->exhausted) {
		b->signer[b->n_signers] = s;
		b->signer_anchor[b->n_signers] = v->anchor;
		b->signer_depth[b->n_signers] = v->depth;
		b->signer_ok[b->n_signers++] = ok;
	}
	return ok;
}

/* Is crl signed by the issuer of cert (issuer_pub), or by another validated
 * key of that name with cRLSign (RFC 5280 §6.3.3 (f)-(g))?  Returns 1 (and
 * the key id of the signer in kid), 2 when it is signed by the issuer's key
 * but that key may not sign CRLs (authentic, not usable), 0 when not.
 * Another key is used only after its certificate's path validated: a key
 * from the message is never the first to check a signature. */
static int crl_signed(struct vstate *v, const struct xe2e_crl *crl,
		      const struct xe2e_cert *issuer, gnutls_pubkey_t issuer_pub,
		      unsigned char *kid, size_t *kid_len)
{
	const struct xe2e_certs *lists[2] = { &v->t->anchors, v->pool };
	gnutls_pubkey_t pub;
	size_t l, i;
	int ok = 0, by_issuer;

	if (!spend(v))
		return 0;
	by_issuer = !xe2e_x509_verify(&crl->s, issuer_pub, v->o->policy, NULL);
	if (by_issuer && ku_allows(issuer, GNUTLS_KEY_CRL_SIGN)) {
		gnutls_pubkey_get_key_id(issuer_pub, GNUTLS_KEYID_USE_SHA256, kid, kid_len);
		return 1;
	}
	if (v->depth >= MAX_CRL_DEPTH)
		return by_issuer ? 2 : 0;
	for (l = 0; !ok && l < 2; l++) {
		for (i = 0; !ok && lists[l] && i < lists[l]->n; i++) {
			const struct xe2e_cert *s = lists[l]->v[i];

			if (xe2e_cert_same(s, issuer) || !ku_allows(s, GNUTLS_KEY_CRL_SIGN) ||
			    !xe2e_buf_eq(&s->subject_canon, &crl->issuer_canon))
				continue;
			if (!crl_signer_valid(v, s) || xe2e_cert_pubkey(&pub, s, NULL, NULL)) {
				if (v->b->exhausted)
					return 0;
				continue;
			}
			if (spend(v) && !xe2e_x509_verify(&crl->s, pub, v->o->policy, NULL)) {
				gnutls_pubkey_get_key_id(pub, GNUTLS_KEYID_USE_SHA256, kid, kid_len);
				ok = 1;
			}
			gnutls_pubkey_deinit(pub);
			if (v->b->exhausted)
				return 0;
		}
	}
	return ok ? 1 : by_issuer ? 2 : 0;
}

/* An authentic CRL in scope for the certificate being checked. */
struct cand {
	const struct xe2e_crl *c;
	unsigned char kid[64];        /* its signer's key */
	size_t kl;
	int current;                  /* thisUpdate <= now <= nextUpdate */
	uint32_t dps;                 /* the distribution points it serves (bits) */
};

static const char *const reason_names[] = {
	"unspecified", "keyCompromise", "cACompromise", "affiliationChanged", "superseded",
	"cessationOfOperation", "certificateHold", "reason 7", "removeFromCRL",
	"privilegeWithdrawn", "aACompromise"
};

static int same_scope(const struct cand *a, const struct cand *b)
{
	return a->kl == b->kl && !memcmp(a->kid, b->kid, a->kl) &&
	       xe2e_buf_eq(&a->c->issuer_canon, &b->c->issuer_canon) &&
	       xe2e_buf_eq(&a->c->idp, &b->c->idp);
}

/* §5.2.4, §6.3.3 (c): delta d completes c: the same issuer, signing key
 * and scope, a BaseCRLNumber c's cRLNumber reaches, and a cRLNumber
 * beyond c's (an older delta is not about c). */
static int delta_for(const struct cand *d, const struct cand *c)
{
	return d->c->delta && !c->c->delta && c->c->number.len && d->c->base.len &&
	       d->c->number.len && xe2e_crl_number_cmp(&d->c->number, &c->c->number) > 0 &&
	       xe2e_crl_number_cmp(&d->c->base, &c->c->number) <= 0 && same_scope(d, c);
}

/*
 * §6.3.3 (h)-(j) with complete CRL cv[ci] and its newest current delta:
 * the certificate's status, -1 unrevoked; *by the CRL that says so.  A
 * delta's removeFromCRL releases the complete CRL's entry; in a complete
 * CRL it is a revocation (§5.3.1 allows it in deltas only).  Then every
 * other authentic CRL of the same issuer, key and scope -- older, newer,
 * stale, complete or delta -- still revokes with a reason that is final
 * (not certificateHold, not removeFromCRL): a stale or an older CRL never
 * masks a revocation.
 */
static int status_by(const struct cand *cv, size_t n, size_t ci, const struct xe2e_cert *cert,
		     const struct xe2e_crl **by)
{
	const struct cand *d = NULL;
	size_t j;
	int st = -1, r;

	for (j = 0; j < n; j++)
		if (cv[j].current && delta_for(&cv[j], &cv[ci]) &&
		    (!d || xe2e_crl_number_cmp(&cv[j].c->number, &d->c->number) > 0))
			d = &cv[j];
	if (d && (r = xe2e_crl_entry(d->c, &cert->issuer_canon, cert->serial.data,
				     cert->serial.len)) >= 0) {
		st = r == XE2E_REASON_REMOVE_FROM_CRL ? -1 : r;   /* (h), (j) */
		*by = d->c;
	} else if ((r = xe2e_crl_entry(cv[ci].c, &cert->issuer_canon, cert->serial.data,
				       cert->serial.len)) >= 0) {   /* (i) */
		st = r;
		*by = cv[ci].c;
	}
	for (j = 0; st < 0 && j < n; j++) {
		if (j == ci || &cv[j] == d || !same_scope(&cv[j], &cv[ci]))
			continue;
		r = xe2e_crl_entry(cv[j].c, &cert->issuer_canon, cert->serial.data, cert->serial.len);
		if (r >= 0 && r != XE2E_REASON_REMOVE_FROM_CRL && r != XE2E_REASON_HOLD) {
			st = r;
			*by = cv[j].c;
		}
	}
	return st;
}

/*
 * RFC 5280 §6.3.3 for cert, whose issuer is `issuer` with key issuer_pub:
 * for each distribution point (the issuer itself without the extension),
 * the complete CRLs that serve it -- the issuer's, or an indirect CRL of
 * the point's cRLIssuer -- newest first, with their delta CRLs, until
 * every reason is covered (onlySomeReasons and the point's reasons) or the
 * certificate is found revoked.  Only authentic CRLs (signature verified
 * with a valid key of their issuer) count: a forged one never switches
 * --crl-check auto to "required" and never hides or adds a revocation.
 */
static int check_revocation(struct vstate *v, const struct xe2e_cert *cert,
			    const struct xe2e_cert *issuer, gnutls_pubkey_t issuer_pub,
			    const struct xe2e_crl **used, struct xe2e_err *err)
{
	const struct xe2e_crls *crls = &v->t->crls;
	struct xe2e_buf b2 = XE2E_BUF_INIT;
	struct cand *cv = NULL;
	const struct xe2e_crl *by = NULL;
	const char *reason = NULL;
	enum xe2e_crl_mode mode = v->o->crl;
	time_t now = v->o->now;
	size_t nc = 0, i, j, order[XE2E_MAX_CRLS];
	unsigned mask = 0, interim;
	int rc = 0, seen = 0, authentic = 0, forged = 0, complete = 0, st = -1, signed_by, cov, k;
	/* the certificate's distribution points; without any, its issuer */
	int ndp = cert->dps.n ? (int)cert->dps.n : 1, undecided;
	int is_ca = cert->has_bc && cert->ca;
	char w[XE2E_ERR_MSG_MAX];

	*used = NULL;
	if (!(cv = calloc(XE2E_MAX_CRLS + 1, sizeof(*cv))))
		return xe2e_err_oom(err);
	for (i = 0; i < crls->n; i++) {
		const struct xe2e_crl *c = crls->v[i];
		struct cand *x = &cv[nc < XE2E_MAX_CRLS ? nc : XE2E_MAX_CRLS];   /* [MAX]: scratch */

		/* §6.3.3 (b)(2)(ii): a CRL scoped to CA or user certificates */
		if ((c->only_ca && !is_ca) || (c->only_user && is_ca))
			continue;
		/* (b)(1), (b)(2)(i): which distribution points it serves */
		memset(x, 0, sizeof(*x));
		for (undecided = 0, k = 0; k < ndp; k++) {
			cov = xe2e_crl_covers_dp(c, cert->dps.n ? &cert->dps.v[k] : NULL, &cert->issuer,
						 &cert->issuer_canon);
			if (cov > 0)
				x->dps |= 1u << k;
			undecided |= cov < 0;
		}
		if (!x->dps && !undecided)
			continue;
		seen++;
		if (nc == XE2E_MAX_CRLS) {   /* never ignore one: fail closed */
			rc = xe2e_err_set(err, XE2E_ECERT, "more than %d CRLs for '%s'", XE2E_MAX_CRLS,
					  xe2e_cert_name(cert));
			goto out;
		}
		x->kl = sizeof(x->kid);
		signed_by = crl_signed(v, c, issuer, issuer_pub, x->kid, &x->kl);
		if (v->b->exhausted) {
			rc = gave_up(v, cert, err);
			goto out;
		}
		if (signed_by == 0) {
			reason = "its signature does not verify with a valid key of its issuer";
			forged++;
			continue;
		}
		authentic++;
		if (signed_by == 2) {
			reason = "its issuer's key usage does not allow cRLSign";
			continue;
		}
		if (!x->dps) {
			/* fail closed: an authentic CRL we cannot scope is in
			 * scope, and unusable */
			reason = "whether it covers the certificate's distribution points cannot be decided";
			continue;
		}
		if (c->unusable) {
			reason = c->unusable;
			continue;
		}
		if (c->this_update > now) {
			reason = "it is not yet valid";
			continue;
		}
		x->c = c;
		x->current = !(c->has_next && c->next_update < now);
		if (!c->delta && !x->current)
			reason = "it has expired, so revocation cannot be checked";
		else if (c->delta && !reason)
			reason = "only delta CRLs";
		nc++;
	}
	/* complete, current CRLs, newest first */
	for (i = 0; i < nc; i++)
		if (!cv[i].c->delta && cv[i].current)
			order[complete++] = i;
	for (i = 1; i < (size_t)complete; i++)
		for (j = i; j > 0 && cv[order[j]].c->this_update > cv[order[j - 1]].c->this_update; j--) {
			size_t t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (k = 0; k < ndp && st < 0 && mask != XE2E_ALL_REASONS; k++) {
		for (i = 0; i < (size_t)complete && st < 0; i++) {
			const struct cand *x = &cv[order[i]];

			if (!(x->dps & (1u << k)))
				continue;
			/* (d)-(e): only for reasons not yet covered */
			interim = x->c->some_reasons & XE2E_ALL_REASONS &
				  (cert->dps.n ? cert->dps.v[k].reasons : XE2E_ALL_REASONS);
			if (!(interim & ~mask))
				continue;
			st = status_by(cv, nc, order[i], cert, &by);
			if (!*used)
				*used = x->c;
			mask |= interim;   /* (k) */
		}
	}
	if (mode == XE2E_CRL_AUTO)
		mode = authentic ? XE2E_CRL_REQUIRE : XE2E_CRL_IF_PRESENT;
	if (forged && mode != XE2E_CRL_REQUIRE) {
		snprintf(w, sizeof(w), "ignored a CRL for '%s' whose signature does not verify",
			 xe2e_cert_name(issuer));
		add_warning(v->warning, w);
	}
	if (st >= 0) {
		char t[32];

		*used = by;
		xe2e_time_format_rfc3339(t, sizeof(t), by->this_update);
		rc = xe2e_err_set(err, XE2E_ECERT, "certificate '%s' is revoked (%s%s; %sCRL of '%s' of %s)",
				  xe2e_cert_name(cert), reason_names[st],
				  st == XE2E_REASON_REMOVE_FROM_CRL ? " in a complete CRL" : "",
				  by->delta ? "delta " : "",
				  (xe2e_crl_issuer_dn(&b2, by, NULL), (char *)b2.data), t);
	} else if (mask != XE2E_ALL_REASONS && mode == XE2E_CRL_REQUIRE) {
		if (*used)
			rc = xe2e_err_set(err, XE2E_ECERT,
					  "the CRLs for '%s' do not cover every revocation reason "
					  "(certificate '%s')", xe2e_cert_name(issuer), xe2e_cert_name(cert));
		else if (seen)
			rc = xe2e_err_set(err, XE2E_ECERT, "no usable CRL for '%s': %s (certificate '%s')",
					  xe2e_cert_name(issuer), reason ? reason : "none is complete",
					  xe2e_cert_name(cert));
		else
			rc = xe2e_err_set(err, XE2E_ECERT,
					  "no CRL for '%s', revocation of '%s' cannot be checked",
					  xe2e_cert_name(issuer), xe2e_cert_name(cert));
	}
out:
	free(cv);
	xe2e_buf_release(&b2);
	return rc;
}

/*
 * --policy strict: the RFC 5280 certificate-profile MUSTs that openssl
 * verify -x509_strict applies, and more.  role: 0 end entity, 1 a CA of the
 * path, 2 the trust anchor.
 */
static int strict_profile(const struct xe2e_cert *c, int role, struct xe2e_err *err)
{
	const unsigned char *s = c->serial.data;
	size_t sl = c->serial.len;
	const char *why = NULL;

	xe2e_der_int_minimal(&s, &sl);
	if (!sl || (s[0] & 0x80) || (sl == 1 && s[0] == 0))
		why = "a serial number that is not positive";
	else if (sl > 20)
		why = "a serial number longer than 20 octets";
	else if (role && !(c->has_bc && c->bc_critical && c->ca))
		why = "a CA certificate without a critical basicConstraints cA TRUE";
	else if (role && !c->ski.len)
		why = "a CA certificate without a subjectKeyIdentifier";
	else if (!role && c->has_ku && (c->ku & GNUTLS_KEY_KEY_CERT_SIGN))
		why = "keyCertSign in an end-entity certificate";
	else if (!role && c->nc.present)
		why = "nameConstraints in an end-entity certificate";
	else if (!c->self_issued && (!c->aki.len || c->aki_critical))
		why = "no non-critical authorityKeyIdentifier";
	else if (c->has_eku && !c->eku.len)
		why = "an empty extendedKeyUsage";
	else if (c->nc.present && !c->nc.critical)
		why = "a non-critical nameConstraints";
	else if (c->has_pc && !c->pc_critical)
		why = "a non-critical policyConstraints";
	else if (c->inhibit_any >= 0 && !c->ia_critical)
		why = "a non-critical inhibitAnyPolicy";
	return why ? xe2e_err_set(err, XE2E_ECERT, "certificate '%s' has %s (policy strict)",
				  xe2e_cert_name(c), why) : 0;
}

/*
 * A trust anchor that issues something (RFC 5937 §3, as OpenSSL and the
 * browsers apply it): its critical extensions must be ones we process, it
 * must be a CA when it says what it is (basicConstraints cA, keyUsage
 * keyCertSign), its authorityKeyIdentifier non-critical (RFC 5280
 * §4.2.1.1) and its subject not empty (§4.1.2.6).  Its nameConstraints
 * apply below it (validate_path).
 */
static int anchor_ok(const struct xe2e_cert *a, struct xe2e_err *err)
{
	const char *why = NULL;

	if (a->bad_ext[0])
		return xe2e_err_set(err, XE2E_ECERT,
				    "trust anchor '%s' has a critical extension %s that is not supported",
				    xe2e_cert_name(a), a->bad_ext);
	if (a->has_bc && !a->ca)
		why = "is not a CA (basicConstraints cA FALSE)";
	else if (!ku_allows(a, GNUTLS_KEY_KEY_CERT_SIGN))
		why = "may not sign certificates (keyUsage)";
	else if (a->aki_critical)
		why = "has a critical authorityKeyIdentifier (RFC 5280 §4.2.1.1)";
	else if (!a->dn.len)
		why = "has an empty subject (RFC 5280 §4.1.2.6: a CA's is not)";
	return why ? xe2e_err_set(err, XE2E_ECERT, "trust anchor '%s' %s", xe2e_cert_name(a), why)
		   : 0;
}

/* RFC 5280 §6.1.3-§6.1.5 over p->chain[0..n-1] (leaf first) below anchor. */
static int validate_path(struct vstate *v, struct xe2e_path *p, const struct xe2e_cert *anchor,
			 struct xe2e_err *err)
{
	gnutls_pubkey_t work = NULL, next = NULL;
	const struct xe2e_cert *issuer = anchor;
	/* §6.1.3 (b)-(c): the name constraints of the trust anchor (RFC 5937)
	 * and of every CA above the certificate in the path */
	const struct xe2e_cert *ncs[XE2E_MAX_CHAIN + 2];
	size_t n_ncs = 0, k, nc_work = 0;
	struct xe2e_policy_tree *pt = NULL;
	int max_len = (int)p->n, rc, i;

	if (anchor->nc.present)
		ncs[n_ncs++] = anchor;

	memset(p->crl, 0, sizeof(p->crl));
	v->anchor = anchor;
	rc = p->n ? anchor_ok(anchor, err) : 0;
	if (!rc && p->n && v->o->policy == XE2E_POLICY_STRICT)
		rc = strict_profile(anchor, 2, err);
	if (!rc)
		rc = check_time(anchor, v->o->now, err);
	if (!rc)
		rc = xe2e_cert_pubkey(&work, anchor, NULL, err);
	if (!rc)
		rc = xe2e_x509_key_ok(work, v->o->policy, err);
	if (!rc)   /* §6.1.2 */
		rc = xe2e_policy_start(&pt, &v->o->pol, p->n, err);
	for (i = (int)p->n - 1; !rc && i >= 0; i--) {
		const struct xe2e_cert *c = p->chain[i];

		/* (a)(1) signature, (a)(2) validity, (a)(4) name chaining */
		if (!spend(v)) {
			rc = gave_up(v, p->chain[0], err);
			break;
		}
		rc = i + 1 < max_len && v->linked[i] ? 0 : xe2e_x509_verify(&c->s, work, v->o->policy, err);
		if (rc) {
			/* an algorithm we cannot check stays "unsupported" (exit 9) */
			rc = xe2e_err_set(err, rc == -XE2E_EUNSUPPORTED ? XE2E_EUNSUPPORTED : XE2E_ECERT,
					  "certificate '%s': %s", xe2e_cert_name(c),
					  err ? err->msg : "signature does not verify");
			break;
		}
		if (!xe2e_cert_issued_by(c, issuer)) {
			rc = xe2e_err_set(err, XE2E_ECERT, "certificate '%s' is not issued by '%s'",
					  xe2e_cert_name(c), xe2e_cert_name(issuer));
			break;
		}
		rc = check_time(c, v->o->now, err);
		if (!rc)   /* (a)(3) revocation */
			rc = check_revocation(v, c, issuer, work, &p->crl[i], err);
		if (!rc)
			rc = check_extensions(c, err);
		if (!rc && v->o->policy == XE2E_POLICY_STRICT)
			rc = strict_profile(c, i || (c->has_bc && c->ca) ? 1 : 0, err);
		/* §6.1.3 (b)-(c): self-issued intermediates are exempt, the
		 * end entity never is */
		for (k = 0; !rc && (i == 0 || !c->self_issued) && k < n_ncs; k++)
			rc = xe2e_nc_check(&ncs[k]->nc, c->nc_names.data, c->nc_names.len,
					   c->subject_canon.data, c->subject_canon.len, c->has_san,
					   xe2e_cert_name(c), xe2e_cert_name(ncs[k]), &nc_work, err);
		if (!rc)   /* §6.1.3 (d)-(f), §6.1.4 (a)-(b), (h)-(j) */
			rc = xe2e_policy_cert(pt, c, err);
		if (!rc)
			rc = xe2e_cert_pubkey(&next, c, work, err);
		if (!rc)
			rc = xe2e_x509_key_ok(next, v->o->policy, err);
		if (rc)
			break;
		gnutls_pubkey_deinit(work);
		work = next;
		next = NULL;
		issuer = c;
		if (i == 0)
			break;
		/* §6.1.4 (k)-(n): c is an intermediate CA */
		if (c->version < 3 || !c->has_bc || !c->ca) {
			rc = xe2e_err_set(err, XE2E_ECERT,
					  "certificate '%s' is not a CA (basicConstraints)", xe2e_cert_name(c));
			break;
		}
		if (!c->dn.len) {           /* §4.1.2.6 */
			rc = xe2e_err_set(err, XE2E_ECERT, "a CA certificate with an empty subject");
			break;
		}
		if (!c->self_issued) {
			if (max_len <= 0) {
				rc = xe2e_err_set(err, XE2E_ECERT,
						  "path too long for a pathLenConstraint (at '%s')",
						  xe2e_cert_name(c));
				break;
			}
			max_len--;
		}
		if (c->pathlen >= 0 && c->pathlen < max_len)
			max_len = c->pathlen;
		if (!ku_allows(c, GNUTLS_KEY_KEY_CERT_SIGN)) {
			rc = xe2e_err_set(err, XE2E_ECERT,
					  "certificate '%s' may not sign certificates (keyUsage)",
					  xe2e_cert_name(c));
			break;
		}
		/* §6.1.4 (g): its constraints apply to everything below it */
		if (c->nc.present) {
			if (n_ncs == sizeof(ncs) / sizeof(ncs[0])) {   /* never fail open */
				rc = xe2e_err_set(err, XE2E_ECERT, "too many name constraints in the path");
				break;
			}
			ncs[n_ncs++] = c;
		}
	}
	if (work)
		gnutls_pubkey_deinit(work);
	if (next)
		gnutls_pubkey_deinit(next);
	if (!rc && p->n)   /* §6.1.5 (a), (b), (g) */
		rc = xe2e_policy_finish(pt, p->chain[0], &p->policies, err);
	xe2e_policy_free(pt);
	if (!rc)   /* RFC 3850 §4.4 for the end entity */
		rc = usage_rules(p->chain[0], v->o, v->warning, err);
	return rc;
}

static int in_path(const struct xe2e_path *p, const struct xe2e_cert *c)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (xe2e_cert_same(p->chain[i], c))
			return 1;
	return 0;
}

static int try_anchor(struct vstate *v, struct xe2e_path *p, const struct xe2e_cert *a)
{
	struct xe2e_err e;
	int rc;

	xe2e_err_clear(&e);
	rc = validate_path(v, p, a, &e);
	if (!rc) {
		p->chain[p->n] = a;
		p->crl[p->n] = NULL;
		p->n++;
		return 0;
	}
	if (!v->have_err) {
		v->first = e;
		v->have_err = 1;
	}
	return rc;
}

/* Does c's key verify cur's signature?  A branch through a certificate
 * that did not sign is cut before it is searched.  A DSA key that inherits
 * its parameters is judged when the path is validated. */
static int link_signed(struct vstate *v, const struct xe2e_cert *cur, const struct xe2e_cert *c)
{
	gnutls_pubkey_t pub;
	int ok;

	if (c->dsa_inherits)
		return 1;
	if (xe2e_cert_pubkey(&pub, c, NULL, NULL))
		return 0;
	ok = !xe2e_x509_verify(&cur->s, pub, v->o->policy, NULL);
	gnutls_pubkey_deinit(pub);
	return ok;
}

/* Depth-first over issuers of p->chain[n-1]: anchors first, then the pool
 * (RFC 3850 §2.3: any order, unrelated certificates ignored).  The path is
 * its own visited set (a certificate appears once); recursion depth is
 * bounded by XE2E_MAX_CHAIN and all work by the budget. */
static int extend(struct vstate *v, struct xe2e_path *p)
{
	const struct xe2e_cert *cur = p->chain[p->n - 1];
	size_t i;

	for (i = 0; i < v->t->anchors.n; i++) {
		const struct xe2e_cert *a = v->t->anchors.v[i];

		if (!xe2e_cert_issued_by(cur, a) || !keyids_agree(a, cur) ||
		    (v->only_anchor && !xe2e_cert_same(a, v->only_anchor)))
			continue;
		if (!spend(v))
			return -1;
		if (!try_anchor(v, p, a))
			return 0;
		if (v->b->exhausted)
			return -1;
	}
	if (p->n >= XE2E_MAX_CHAIN)
		return -1;
	for (i = 0; v->pool && i < v->pool->n; i++) {
		const struct xe2e_cert *c = v->pool->v[i];

		if (!xe2e_cert_issued_by(cur, c) || !keyids_agree(c, cur) || in_path(p, c))
			continue;
		if (!spend(v))
			return -1;
		if (!link_signed(v, cur, c))
			continue;
		v->linked[p->n - 1] = !c->dsa_inherits;
		p->chain[p->n++] = c;
		if (!extend(v, p))
			return 0;
		p->n--;
		if (v->b->exhausted)
			return -1;
	}
	return -1;
}

static int validate_from(struct vstate *v, struct xe2e_path *p, struct xe2e_err *err)
{
	const struct xe2e_cert *leaf = p->chain[0];
	size_t i;
	int rc;

	/* the certificate may itself be a trust anchor */
	for (i = 0; i < v->t->anchors.n; i++) {
		if (!xe2e_cert_same(v->t->anchors.v[i], leaf) ||
		    (v->only_anchor && !xe2e_cert_same(leaf, v->only_anchor)))
			continue;
		rc = check_time(leaf, v->o->now, err);
		if (!rc)
			rc = usage_rules(leaf, v->o, v->warning, err);
		if (!rc) {
			p->crl[0] = NULL;
			snprintf(p->policies.authority, sizeof(p->policies.authority), "%s",
				 XE2E_OID_ANY_POLICY);
			/* {anyPolicy} meets the user's set: that set */
			xe2e_policy_user_text(p->policies.user, sizeof(p->policies.user),
					      &v->o->pol);
		}
		return rc;
	}
	if (!extend(v, p))
		return 0;
	if (v->b->exhausted)
		return gave_up(v, leaf, err);
	if (v->have_err) {
		if (err)
			*err = v->first;
		return -(int)v->first.code;
	}
	return xe2e_err_set(err, XE2E_ECERT, v->t->anchors.n ?
			    "certificate '%s' does not chain to a trusted CA" :
			    "no trust anchor to validate '%s'", xe2e_cert_name(leaf));
}

struct xe2e_validate_opts xe2e_validate_defaults(enum xe2e_purpose purpose, time_t now)
{
	struct xe2e_validate_opts o;

	memset(&o, 0, sizeof(o));
	o.purpose = purpose;
	o.policy = XE2E_POLICY_MODERN;
	o.crl = XE2E_CRL_AUTO;
	o.now = now;

	return o;
}

int xe2e_pki_validate(struct xe2e_path *path, const struct xe2e_trust *t,
		      const struct xe2e_cert *leaf, const struct xe2e_certs *untrusted,
		      const struct xe2e_validate_opts *o, struct xe2e_err *err)
{
	struct budget b;
	struct vstate v;

	memset(&b, 0, sizeof(b));
	memset(&v, 0, sizeof(v));
	memset(path, 0, sizeof(*path));
	v.t = t;
	v.pool = untrusted;
	v.o = o;
	v.b = &b;
	v.warning = path->warning;
	path->chain[0] = leaf;
	path->n = 1;
	return validate_from(&v, path, err);
}

int xe2e_pki_check_leaf(const struct xe2e_cert *leaf, const struct xe2e_validate_opts *o,
			char *warning, size_t size, struct xe2e_err *err)
{
	char w[XE2E_ERR_MSG_MAX] = "";
	gnutls_pubkey_t pub = NULL;
	int rc;

	rc = check_time(leaf, o->now, err);
	if (!rc)
		rc = check_extensions(leaf, err);
	if (!rc && !leaf->dsa_inherits)
		rc = xe2e_cert_pubkey(&pub, leaf, NULL, err);
	if (!rc && pub)
		rc = xe2e_x509_key_ok(pub, o->policy, err);
	if (pub)
		gnutls_pubkey_deinit(pub);
	if (!rc)
		rc = usage_rules(leaf, o, w, err);
	if (!rc && warning && size)
		snprintf(warning, size, "%s", w);
	return rc;
}

int xe2e_pki_leaf_key(gnutls_pubkey_t *out, const struct xe2e_path *path,
		      struct xe2e_err *err)
{
	gnutls_pubkey_t work = NULL, next;
	size_t i;
	int rc;

	*out = NULL;
	if (path->n == 0)
		return xe2e_err_set(err, XE2E_ECERT, "no validated path");
	rc = xe2e_cert_pubkey(&work, path->chain[path->n - 1], NULL, err);
	for (i = path->n - 1; !rc && i > 0; i--) {
		rc = xe2e_cert_pubkey(&next, path->chain[i - 1], work, err);
		gnutls_pubkey_deinit(work);
		work = rc ? NULL : next;
	}
	if (!rc)
		*out = work;
	return rc;
}
