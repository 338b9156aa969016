/*
 * path.c - certification path building and validation (see pki.h):
 * RFC 5280 §6.1 basic path validation without policies and name
 * constraints (an extension we do not process, if critical, fails the
 * path), §6.3.3 revocation with CRLs (a separate CRL-signing key is itself
 * validated), RFC 3850 §4.2-§4.4 on top.  GnuTLS parses certificates and
 * verifies signatures; its own verifier gets 18 PKITS cases of §4.1-§4.7
 * wrong (DESIGN §7), so the rules are applied here.
 */
#include "pki.h"
#include "datetime.h"
#include "x509.h"

#include <string.h>

#define MAX_ATTEMPTS 256
#define MAX_CRL_DEPTH 2

struct vstate {
	const struct xe2e_trust *t;
	const struct xe2e_certs *pool;
	const struct xe2e_validate_opts *o;
	int depth;                     /* CRL-signer recursion */
	int attempts;
	int have_err;
	struct xe2e_err first;         /* reason of the first complete path that failed */
};

static const char *dn(struct xe2e_buf *b, gnutls_x509_crt_t c)
{
	if (xe2e_pki_dn(b, c, 0, NULL) < 0 || b->len == 0)
		return "(empty subject)";
	return (const char *)b->data;
}

static int same_cert(gnutls_x509_crt_t a, gnutls_x509_crt_t b)
{
	return a == b || gnutls_x509_crt_equals(a, b);
}

/* subject(a) == issuer(b), by RFC 5280 §7.1 */
static int names_chain(gnutls_x509_crt_t issuer, gnutls_x509_crt_t cert)
{
	struct xe2e_buf s = XE2E_BUF_INIT, i = XE2E_BUF_INIT;
	int ok = !xe2e_x509_crt_name(&s, issuer, 0, NULL) &&
		 !xe2e_x509_crt_name(&i, cert, 1, NULL) &&
		 xe2e_x509_name_equal(s.data, s.len, i.data, i.len);

	xe2e_buf_release(&s);
	xe2e_buf_release(&i);
	return ok;
}

static int self_issued(gnutls_x509_crt_t c)
{
	return names_chain(c, c);
}

/* AKI of cert and SKI of a candidate issuer, when both present, must agree */
static int keyids_agree(gnutls_x509_crt_t issuer, gnutls_x509_crt_t cert)
{
	unsigned char a[64], s[64];
	size_t al = sizeof(a), sl = sizeof(s);
	unsigned crit;

	if (gnutls_x509_crt_get_authority_key_id(cert, a, &al, &crit) < 0 ||
	    gnutls_x509_crt_get_subject_key_id(issuer, s, &sl, &crit) < 0)
		return 1;
	return al == sl && !memcmp(a, s, al);
}

static int ku_allows(gnutls_x509_crt_t c, unsigned bit)
{
	unsigned ku = 0, crit = 0;

	return gnutls_x509_crt_get_key_usage(c, &ku, &crit) < 0 || (ku & bit);
}

static int check_extensions(gnutls_x509_crt_t c, struct xe2e_err *err)
{
	/* processed here or harmless to ignore; nameConstraints, policy
	 * constraints and mappings, inhibitAnyPolicy are not processed */
	static const char *const known[] = {
		"2.5.29.15", "2.5.29.19", "2.5.29.37", "2.5.29.17", "2.5.29.18",
		"2.5.29.14", "2.5.29.35", "2.5.29.32", "2.5.29.31", "2.5.29.46",
		"1.3.6.1.5.5.7.1.1", "1.3.6.1.5.5.7.1.11", NULL
	};
	struct xe2e_buf b = XE2E_BUF_INIT;
	char oid[128];
	size_t size;
	unsigned crit, i, k;
	int rc = 0, ok;

	for (i = 0; i < 64; i++) {
		size = sizeof(oid);
		if (gnutls_x509_crt_get_extension_info(c, i, oid, &size, &crit) < 0)
			break;
		if (!crit)
			continue;
		for (ok = 0, k = 0; known[k]; k++)
			ok |= !strcmp(oid, known[k]);
		if (!ok) {
			rc = xe2e_err_set(err, XE2E_ECERT,
					  "certificate '%s' has a critical extension %s that is not supported",
					  dn(&b, c), oid);
			break;
		}
	}
	xe2e_buf_release(&b);
	return rc;
}

static int validate_from(struct vstate *v, struct xe2e_path *p, struct xe2e_err *err);

/* Is crl signed by the issuer of cert (issuer_pub), or by another validated
 * key of that name with cRLSign (RFC 5280 §6.3.3 (f)-(g))?  Returns the key
 * id of the signer in kid. */
static int crl_signed(struct vstate *v, const struct xe2e_crl *crl,
		      gnutls_x509_crt_t issuer, gnutls_pubkey_t issuer_pub,
		      unsigned char *kid, size_t *kid_len)
{
	const struct xe2e_certs *lists[2] = { &v->t->anchors, v->pool };
	struct xe2e_path sp;
	struct xe2e_buf name = XE2E_BUF_INIT;
	struct xe2e_validate_opts so;
	struct vstate sv;
	gnutls_pubkey_t pub;
	size_t l, i;
	int ok = 0;

	if (ku_allows(issuer, GNUTLS_KEY_CRL_SIGN) &&
	    !xe2e_x509_verify(&crl->s, issuer_pub, v->o->policy, NULL)) {
		gnutls_pubkey_get_key_id(issuer_pub, GNUTLS_KEYID_USE_SHA256, kid, kid_len);
		return 1;
	}
	if (v->depth >= MAX_CRL_DEPTH)
		return 0;
	for (l = 0; !ok && l < 2; l++) {
		for (i = 0; !ok && lists[l] && i < lists[l]->n; i++) {
			gnutls_x509_crt_t s = lists[l]->v[i];

			if (!s || same_cert(s, issuer) || !ku_allows(s, GNUTLS_KEY_CRL_SIGN) ||
			    xe2e_x509_crt_name(&name, s, 0, NULL) ||
			    !xe2e_x509_name_equal(name.data, name.len, crl->issuer.data, crl->issuer.len) ||
			    xe2e_x509_pubkey(&pub, s, NULL, NULL))
				continue;
			if (!xe2e_x509_verify(&crl->s, pub, v->o->policy, NULL)) {
				/* the CRL issuer's own path must validate */
				sv = *v;
				so = *v->o;
				so.purpose = XE2E_PURPOSE_CRL_SIGN;
				sv.o = &so;
				sv.depth = v->depth + 1;
				sv.have_err = 0;
				sv.attempts = 0;
				memset(&sp, 0, sizeof(sp));
				sp.chain[0] = s;
				sp.n = 1;
				if (!validate_from(&sv, &sp, NULL)) {
					gnutls_pubkey_get_key_id(pub, GNUTLS_KEYID_USE_SHA256, kid, kid_len);
					ok = 1;
				}
			}
			gnutls_pubkey_deinit(pub);
		}
	}
	xe2e_buf_release(&name);
	return ok;
}

/* The certificate whose revocation is checked, from either parser. */
struct revsubject {
	const struct xe2e_buf *iname;        /* raw issuer Name */
	const unsigned char *serial;
	size_t sl;
	int is_ca;
	gnutls_x509_crt_t dp_cert;           /* for distribution points, or NULL */
	const char *dn;
};

/* RFC 5280 §6.3.3 for r, whose issuer is `issuer` with key issuer_pub. */
static int revocation_core(struct vstate *v, const struct revsubject *r,
			   gnutls_x509_crt_t issuer, gnutls_pubkey_t issuer_pub,
			   const struct xe2e_crl **used, struct xe2e_err *err)
{
	const struct xe2e_crls *crls = &v->t->crls;
	struct xe2e_buf b = XE2E_BUF_INIT, b2 = XE2E_BUF_INIT;
	unsigned char kids[XE2E_MAX_CRLS][64];
	const struct xe2e_crl *usable[XE2E_MAX_CRLS];
	size_t kl[XE2E_MAX_CRLS], nu = 0, i, j;
	const char *reason = NULL;
	enum xe2e_crl_mode mode = v->o->crl;
	time_t now = xe2e_pki_now();
	int rc = 0, cands = 0, revoked = 0, newer;

	*used = NULL;
	for (i = 0; i < crls->n && nu < XE2E_MAX_CRLS; i++) {
		const struct xe2e_crl *c = crls->v[i];

		if (!xe2e_x509_name_equal(c->issuer.data, c->issuer.len, r->iname->data,
					  r->iname->len))
			continue;
		/* RFC 5280 §6.3.3 (b)(2): a CRL scoped to CA or user certificates */
		if ((c->only_ca && !r->is_ca) || (c->only_user && r->is_ca) ||
		    (r->dp_cert ? !xe2e_crl_covers_dp(c, r->dp_cert) : c->idp_dp.len != 0))
			continue;
		cands++;
		if (c->delta)
			continue;
		if (c->unusable) {
			reason = c->unusable;
			continue;
		}
		kl[nu] = sizeof(kids[nu]);
		if (!crl_signed(v, c, issuer, issuer_pub, kids[nu], &kl[nu])) {
			reason = ku_allows(issuer, GNUTLS_KEY_CRL_SIGN)
				 ? "its signature does not verify with a valid key of its issuer"
				 : "its issuer's key usage does not allow cRLSign";
			continue;
		}
		if (c->this_update > now) {
			reason = "it is not yet valid";
			continue;
		}
		if (c->has_next && c->next_update < now) {
			reason = "it has expired, so revocation cannot be checked";
			continue;
		}
		usable[nu++] = c;
	}
	if (mode == XE2E_CRL_AUTO)
		mode = cands ? XE2E_CRL_REQUIRE : XE2E_CRL_IF_PRESENT;
	if (nu == 0) {
		if (mode == XE2E_CRL_REQUIRE)
			rc = cands ? xe2e_err_set(err, XE2E_ECERT,
						  "no usable CRL for '%s': %s (certificate '%s')",
						  (xe2e_pki_dn(&b, issuer, 0, NULL), (char *)b.data),
						  reason ? reason : "only delta CRLs", r->dn)
				   : xe2e_err_set(err, XE2E_ECERT,
						  "no CRL for '%s', revocation of '%s' cannot be checked",
						  (xe2e_pki_dn(&b, issuer, 0, NULL), (char *)b.data), r->dn);
		goto out;
	}
	/* RFC 3850 §5: of one signer's CRLs the most recent counts; an older
	 * CRL can therefore not mask a revocation in a newer one */
	for (i = 0; i < nu && !revoked; i++) {
		for (newer = 0, j = 0; j < nu; j++)
			newer |= j != i && kl[j] == kl[i] && !memcmp(kids[j], kids[i], kl[i]) &&
				 usable[j]->this_update > usable[i]->this_update;
		if (newer)
			continue;
		if (!*used || usable[i]->this_update > (*used)->this_update)
			*used = usable[i];
		if (xe2e_crl_lists(usable[i], r->serial, r->sl)) {
			revoked = 1;
			*used = usable[i];
		}
	}
	if (revoked) {
		char t[32];

		xe2e_time_format_rfc3339(t, sizeof(t), (*used)->this_update);
		rc = xe2e_err_set(err, XE2E_ECERT, "certificate '%s' is revoked (CRL of '%s' of %s)",
				  r->dn, (xe2e_crl_issuer_dn(&b2, *used, NULL), (char *)b2.data), t);
	}
out:
	xe2e_buf_release(&b);
	xe2e_buf_release(&b2);
	return rc;
}

static int check_revocation(struct vstate *v, gnutls_x509_crt_t cert,
			    gnutls_x509_crt_t issuer, gnutls_pubkey_t issuer_pub,
			    const struct xe2e_crl **used, struct xe2e_err *err)
{
	struct xe2e_buf iname = XE2E_BUF_INIT, d = XE2E_BUF_INIT;
	struct revsubject r;
	unsigned char serial[128];
	size_t sl = sizeof(serial);
	unsigned crit, ca;
	int rc, plen;

	*used = NULL;
	if (xe2e_x509_crt_name(&iname, cert, 1, err) ||
	    gnutls_x509_crt_get_serial(cert, serial, &sl) < 0) {
		xe2e_buf_release(&iname);
		return xe2e_err_set(err, XE2E_EMALFORMED, "certificate without issuer or serial");
	}
	r.iname = &iname;
	r.serial = serial;
	r.sl = sl;
	r.is_ca = gnutls_x509_crt_get_basic_constraints(cert, &crit, &ca, &plen) >= 0 && ca;
	r.dp_cert = cert;
	r.dn = dn(&d, cert);
	rc = revocation_core(v, &r, issuer, issuer_pub, used, err);
	xe2e_buf_release(&iname);
	xe2e_buf_release(&d);
	return rc;
}

static int check_time(gnutls_x509_crt_t c, struct xe2e_err *err)
{
	struct xe2e_buf b = XE2E_BUF_INIT;
	time_t now = xe2e_pki_now();
	int rc = 0;

	if (gnutls_x509_crt_get_activation_time(c) > now)
		rc = xe2e_err_set(err, XE2E_ECERT, "certificate '%s' is not yet valid", dn(&b, c));
	else if (gnutls_x509_crt_get_expiration_time(c) < now)
		rc = xe2e_err_set(err, XE2E_ECERT, "certificate '%s' has expired", dn(&b, c));
	xe2e_buf_release(&b);
	return rc;
}

/* RFC 5280 §6.1.3-§6.1.5 over p->chain[0..n-1] (leaf first) below anchor. */
static int validate_path(struct vstate *v, struct xe2e_path *p, gnutls_x509_crt_t anchor,
			 struct xe2e_err *err)
{
	struct xe2e_signed s;
	struct xe2e_buf b = XE2E_BUF_INIT, der = XE2E_BUF_INIT;
	gnutls_pubkey_t work = NULL, next = NULL;
	gnutls_x509_crt_t issuer = anchor;
	unsigned crit, ca, ku, kcrit;
	int pathlen, max_len = (int)p->n, rc, i;

	memset(p->crl, 0, sizeof(p->crl));
	rc = check_time(anchor, err);
	if (!rc)
		rc = xe2e_x509_pubkey(&work, anchor, NULL, err);
	if (!rc)
		rc = xe2e_x509_key_ok(work, v->o->policy, err);
	for (i = (int)p->n - 1; !rc && i >= 0; i--) {
		gnutls_x509_crt_t c = p->chain[i];

		/* (a)(1) signature, (a)(2) validity, (a)(4) name chaining */
		rc = xe2e_pki_crt_der(&der, c, err);
		if (!rc)
			rc = xe2e_x509_split_signed(&s, der.data, der.len, 0, err);
		if (rc)
			break;
		rc = xe2e_x509_verify(&s, work, v->o->policy, err);
		xe2e_signed_release(&s);
		if (rc) {
			rc = xe2e_err_set(err, XE2E_ECERT, "certificate '%s': %s", dn(&b, c),
					  err ? err->msg : "signature does not verify");
			break;
		}
		if (!names_chain(issuer, c)) {
			rc = xe2e_err_set(err, XE2E_ECERT, "certificate '%s' is not issued by '%s'",
					  dn(&b, c), (xe2e_pki_dn(&der, issuer, 0, NULL), (char *)der.data));
			break;
		}
		rc = check_time(c, err);
		if (!rc)   /* (a)(3) revocation */
			rc = check_revocation(v, c, issuer, work, &p->crl[i], err);
		if (!rc)
			rc = check_extensions(c, err);
		if (!rc)
			rc = xe2e_x509_pubkey(&next, c, work, err);
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
		pathlen = -1;
		if (gnutls_x509_crt_get_version(c) < 3 ||
		    gnutls_x509_crt_get_basic_constraints(c, &crit, &ca, &pathlen) < 0 || !ca) {
			rc = xe2e_err_set(err, XE2E_ECERT,
					  "certificate '%s' is not a CA (basicConstraints)", dn(&b, c));
			break;
		}
		if (!self_issued(c)) {
			if (max_len <= 0) {
				rc = xe2e_err_set(err, XE2E_ECERT,
						  "path too long for a pathLenConstraint (at '%s')", dn(&b, c));
				break;
			}
			max_len--;
		}
		if (pathlen >= 0 && pathlen < max_len)
			max_len = pathlen;
		if (gnutls_x509_crt_get_key_usage(c, &ku, &kcrit) >= 0 &&
		    !(ku & GNUTLS_KEY_KEY_CERT_SIGN)) {
			rc = xe2e_err_set(err, XE2E_ECERT,
					  "certificate '%s' may not sign certificates (keyUsage)", dn(&b, c));
			break;
		}
	}
	if (work)
		gnutls_pubkey_deinit(work);
	if (next)
		gnutls_pubkey_deinit(next);
	if (!rc)   /* RFC 3850 §4.4 for the end entity */
		rc = xe2e_pki_check_usage(p->chain[0], v->o->purpose, err);
	xe2e_buf_release(&b);
	xe2e_buf_release(&der);
	return rc;
}

static int in_path(const struct xe2e_path *p, gnutls_x509_crt_t c)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (same_cert(p->chain[i], c))
			return 1;
	return 0;
}

static int try_anchor(struct vstate *v, struct xe2e_path *p, gnutls_x509_crt_t a,
		      struct xe2e_err *err)
{
	struct xe2e_err e;
	int rc;

	xe2e_err_clear(&e);
	v->attempts++;
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
	(void)err;
	return rc;
}

/* Depth-first over issuers of p->chain[n-1]: anchors first, then the pool
 * (RFC 3850 §2.3: any order, unrelated certificates ignored).  Recursion
 * depth is bounded by XE2E_MAX_CHAIN. */
static int extend(struct vstate *v, struct xe2e_path *p, struct xe2e_err *err)
{
	gnutls_x509_crt_t cur = p->chain[p->n - 1];
	size_t i;

	for (i = 0; i < v->t->anchors.n && v->attempts < MAX_ATTEMPTS; i++) {
		gnutls_x509_crt_t a = v->t->anchors.v[i];

		if (names_chain(a, cur) && keyids_agree(a, cur) && !try_anchor(v, p, a, err))
			return 0;
	}
	if (p->n >= XE2E_MAX_CHAIN)
		return -1;
	for (i = 0; v->pool && i < v->pool->n && v->attempts < MAX_ATTEMPTS; i++) {
		gnutls_x509_crt_t c = v->pool->v[i];

		if (!c || in_path(p, c) || !names_chain(c, cur) || !keyids_agree(c, cur))
			continue;
		p->chain[p->n++] = c;
		if (!extend(v, p, err))
			return 0;
		p->n--;
	}
	return -1;
}

static int validate_from(struct vstate *v, struct xe2e_path *p, struct xe2e_err *err)
{
	struct xe2e_buf b = XE2E_BUF_INIT;
	gnutls_x509_crt_t leaf = p->chain[0];
	size_t i;
	int rc;

	/* the certificate may itself be a trust anchor */
	for (i = 0; i < v->t->anchors.n; i++) {
		if (!same_cert(v->t->anchors.v[i], leaf))
			continue;
		rc = check_time(leaf, err);
		if (!rc)
			rc = xe2e_pki_check_usage(leaf, v->o->purpose, err);
		if (!rc)
			p->crl[0] = NULL;
		return rc;
	}
	if (!extend(v, p, err))
		return 0;
	if (v->have_err) {
		if (err)
			*err = v->first;
		return -(int)v->first.code;
	}
	rc = xe2e_err_set(err, XE2E_ECERT, v->t->anchors.n ?
			  "certificate '%s' does not chain to a trusted CA" :
			  "no trust anchor to validate '%s' (give --ca)", dn(&b, leaf));
	xe2e_buf_release(&b);
	return rc;
}

int xe2e_pki_validate2(struct xe2e_path *path, const struct xe2e_trust *t,
		       gnutls_x509_crt_t leaf, const struct xe2e_certs *untrusted,
		       const struct xe2e_validate_opts *o, struct xe2e_err *err)
{
	struct vstate v;

	memset(&v, 0, sizeof(v));
	memset(path, 0, sizeof(*path));
	v.t = t;
	v.pool = untrusted;
	v.o = o;
	path->chain[0] = leaf;
	path->n = 1;
	return validate_from(&v, path, err);
}

int xe2e_pki_validate(struct xe2e_path *path, const struct xe2e_trust *t,
		      gnutls_x509_crt_t leaf, const struct xe2e_certs *untrusted,
		      enum xe2e_purpose purpose, struct xe2e_err *err)
{
	struct xe2e_validate_opts o = { purpose, XE2E_POLICY_MODERN, XE2E_CRL_AUTO };

	return xe2e_pki_validate2(path, t, leaf, untrusted, &o, err);
}

/*
 * RFC 3854 §4.3: an end entity GnuTLS cannot import (x400Address) is checked
 * here field by field; its issuer's path goes through the normal engine.
 */
int xe2e_pki_validate_raw(struct xe2e_path *path, const struct xe2e_crl **leaf_crl,
			  const struct xe2e_trust *t, const struct xe2e_rawcert *leaf,
			  const struct xe2e_certs *untrusted,
			  const struct xe2e_validate_opts *o, struct xe2e_err *err)
{
	const struct xe2e_certs *lists[2] = { &t->anchors, untrusted };
	struct xe2e_validate_opts io = *o;
	struct xe2e_buf d = XE2E_BUF_INIT, name = XE2E_BUF_INIT;
	struct xe2e_err first;
	struct xe2e_usage u;
	struct revsubject r;
	struct vstate v;
	gnutls_pubkey_t pub;
	time_t now = xe2e_pki_now();
	size_t l, i;
	int rc, tried = 0;

	memset(&v, 0, sizeof(v));
	v.t = t;
	v.pool = untrusted;
	v.o = o;
	*leaf_crl = NULL;
	xe2e_err_clear(&first);
	if (xe2e_x509_name_text(&d, &leaf->subject, err))
		return xe2e_err_oom(err);
	if (leaf->not_before > now)
		rc = xe2e_err_set(err, XE2E_ECERT, "certificate '%s' is not yet valid", (char *)d.data);
	else if (leaf->not_after < now)
		rc = xe2e_err_set(err, XE2E_ECERT, "certificate '%s' has expired", (char *)d.data);
	else if (leaf->bad_ext[0])
		rc = xe2e_err_set(err, XE2E_ECERT,
				  "certificate '%s' has a critical extension %s that is not supported",
				  (char *)d.data, leaf->bad_ext);
	else
		rc = xe2e_x509_key_ok(leaf->pub, o->policy, err);
	if (rc)
		goto out;
	io.purpose = XE2E_PURPOSE_CERT_SIGN;
	rc = -1;
	for (l = 0; rc && l < 2; l++) {
		for (i = 0; rc && lists[l] && i < lists[l]->n; i++) {
			gnutls_x509_crt_t c = lists[l]->v[i];
			struct xe2e_err e;

			if (xe2e_x509_crt_name(&name, c, 0, NULL) ||
			    !xe2e_x509_name_equal(name.data, name.len, leaf->issuer.data, leaf->issuer.len) ||
			    xe2e_x509_pubkey(&pub, c, NULL, NULL))
				continue;
			tried = 1;
			xe2e_err_clear(&e);
			rc = xe2e_x509_verify(&leaf->s, pub, o->policy, &e);
			if (rc)
				xe2e_err_set(&e, XE2E_ECERT, "certificate '%s': %s", (char *)d.data, e.msg);
			if (!rc)
				rc = xe2e_pki_validate2(path, t, c, untrusted, &io, &e);
			if (!rc) {
				r.iname = &leaf->issuer;
				r.serial = leaf->serial.data;
				r.sl = leaf->serial.len;
				r.is_ca = leaf->ca;
				r.dp_cert = NULL;
				r.dn = (char *)d.data;
				rc = revocation_core(&v, &r, c, pub, leaf_crl, &e);
			}
			gnutls_pubkey_deinit(pub);
			if (rc && !first.code)
				first = e;
		}
	}
	if (rc && !tried)
		rc = xe2e_err_set(err, XE2E_ECERT, "certificate '%s' does not chain to a trusted CA",
				  (char *)d.data);
	else if (rc)
		rc = err ? (*err = first, -(int)first.code) : -(int)first.code;
	if (rc)
		goto out;
	memset(&u, 0, sizeof(u));
	u.dn = (char *)d.data;
	u.empty_subject = leaf->subject.len <= 2;
	u.san_critical = leaf->san_critical;
	u.has_ku = leaf->has_ku;
	u.ku = leaf->ku;
	u.ca = leaf->ca;
	u.eku = leaf->eku.data ? (char *)leaf->eku.data : "";
	rc = xe2e_pki_usage_rules(&u, o->purpose, err);
out:
	xe2e_buf_release(&d);
	xe2e_buf_release(&name);
	return rc;
}
