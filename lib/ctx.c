/*
 * ctx.c - the context of a run (see ctx.h).  RFC 3850 §2.3 (certificates a
 * message brings are used for path building), §5 (validation time).
 */
#include "ctx.h"
#include "store.h"
#include "crypto.h"

#include <gnutls/crypto.h>
#include <stdlib.h>
#include <string.h>

#define CHAINS_MAX 256

/* One remembered validation: the digest of its inputs and its outcome. */
struct chain {
	unsigned char key[32];
	int rc;
	struct xe2e_err err;
	struct xe2e_cert *chain[XE2E_MAX_CHAIN + 1];   /* references */
	unsigned char crl[XE2E_MAX_CHAIN + 1][32];     /* sha256, zero: none */
	size_t n;
	char warning[XE2E_ERR_MSG_MAX];
	struct xe2e_policy_sets policies;
};

#define CERTS_MEMO 16

struct xe2e_chains {
	struct chain *v[CHAINS_MAX];
	size_t n, next;                  /* next: the slot replaced when full */
	unsigned hits;
	struct xe2e_cert *cert[CERTS_MEMO];   /* parsed message certificates */
	size_t cert_next;
};

static int gnutls_fill(void *state, void *p, size_t n, enum xe2e_rnd_level level)
{
	static const gnutls_rnd_level_t lv[] = { GNUTLS_RND_NONCE, GNUTLS_RND_RANDOM,
						 GNUTLS_RND_KEY };

	(void)state;
	return gnutls_rnd(lv[level], p, n) < 0 ? -XE2E_EIO : 0;
}

void xe2e_ctx_init(struct xe2e_ctx *c)
{
	memset(c, 0, sizeof(*c));
	xe2e_trust_init(&c->trust);
	xe2e_certs_init(&c->untrusted);
	xe2e_trust_init(&c->store_trust);
	xe2e_certs_init(&c->store_certs);
	c->rng.fill = gnutls_fill;
	c->crl = XE2E_CRL_AUTO;
	c->policy = XE2E_POLICY_MODERN;
	c->max_depth = XE2E_MAX_CMS_NESTING;
	c->max_input = XE2E_MAX_INPUT;
}

static void chain_free(struct chain *ch)
{
	size_t i;

	if (!ch)
		return;
	for (i = 0; i < ch->n; i++)
		xe2e_cert_unref(ch->chain[i]);
	free(ch);
}

void xe2e_ctx_release(struct xe2e_ctx *c)
{
	size_t i;

	xe2e_trust_release(&c->trust);
	xe2e_certs_release(&c->untrusted);
	xe2e_trust_release(&c->store_trust);
	xe2e_certs_release(&c->store_certs);
	c->store_loaded = 0;
	if (c->chains) {
		for (i = 0; i < c->chains->n; i++)
			chain_free(c->chains->v[i]);
		for (i = 0; i < CERTS_MEMO; i++)
			xe2e_cert_unref(c->chains->cert[i]);
		free(c->chains);
	}
	c->chains = NULL;
}

time_t xe2e_ctx_clock(const struct xe2e_ctx *c)
{
	return c->clock ? c->clock(c->clock_state) : time(NULL);
}

int64_t xe2e_ctx_clock_ms(const struct xe2e_ctx *c)
{
	struct timespec ts;

	if (c->clock)
		return (int64_t)c->clock(c->clock_state) * 1000;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

time_t xe2e_ctx_now(const struct xe2e_ctx *c)
{
	return c->at ? c->at : xe2e_ctx_clock(c);
}

int xe2e_ctx_random(const struct xe2e_ctx *c, void *p, size_t n, enum xe2e_rnd_level level,
		    struct xe2e_err *err)
{
	int rc = (c->rng.fill ? c->rng.fill : gnutls_fill)(c->rng.state, p, n, level);

	return rc ? xe2e_err_set(err, XE2E_EIO, "random number generator failed") : 0;
}

struct xe2e_validate_opts xe2e_ctx_validate_opts(const struct xe2e_ctx *c,
						 enum xe2e_purpose purpose)
{
	struct xe2e_validate_opts o = xe2e_validate_defaults(purpose, xe2e_ctx_now(c));

	o.policy = c->policy;
	o.crl = c->crl;
	o.pol = c->pol;
	return o;
}

int xe2e_ctx_remember_chains(struct xe2e_ctx *c, struct xe2e_err *err)
{
	if (!c->chains && !(c->chains = calloc(1, sizeof(*c->chains))))
		return xe2e_err_oom(err);
	return 0;
}

int xe2e_ctx_cert_add(struct xe2e_ctx *c, struct xe2e_certs *to, const unsigned char *der,
		      size_t len, struct xe2e_err *err)
{
	struct xe2e_chains *m = c->chains;
	struct xe2e_cert *crt;
	size_t i;
	int rc;

	if (!m)
		return xe2e_certs_add_der(to, der, len, err);
	for (i = 0; i < CERTS_MEMO; i++)
		if (m->cert[i] && m->cert[i]->der.len == len && !memcmp(m->cert[i]->der.data, der, len))
			return xe2e_certs_push(to, xe2e_cert_ref(m->cert[i]), err);
	rc = xe2e_cert_parse(&crt, der, len, err);
	if (rc)
		return rc;
	xe2e_cert_unref(m->cert[m->cert_next]);
	m->cert[m->cert_next] = xe2e_cert_ref(crt);
	m->cert_next = (m->cert_next + 1) % CERTS_MEMO;
	return xe2e_certs_push(to, crt, err);
}

unsigned xe2e_ctx_chain_hits(const struct xe2e_ctx *c)
{
	return c->chains ? c->chains->hits : 0;
}

/* Digest of everything a validation depends on, the minute included. */
static void chain_key(unsigned char *key, const struct xe2e_cert *leaf,
		      const struct xe2e_validate_opts *o, const struct xe2e_trust *t,
		      const struct xe2e_certs *pool)
{
	const struct xe2e_digest *d = xe2e_digest_by_name("sha256");
	struct xe2e_buf b = XE2E_BUF_INIT;
	long long minute = (long long)o->now / 60;
	size_t i;

	xe2e_buf_add(&b, leaf->sha256, 32, NULL);
	xe2e_buf_addf(&b, NULL, "|%d|%d|%d|%lld|%d%d%d|%s|", (int)o->purpose, o->policy, (int)o->crl,
		      minute, o->pol.explicit_policy, o->pol.inhibit_mapping, o->pol.inhibit_any,
		      o->pol.initial ? o->pol.initial : "");
	for (i = 0; i < t->anchors.n; i++)
		xe2e_buf_add(&b, t->anchors.v[i]->sha256, 32, NULL);
	xe2e_buf_adds(&b, "|", NULL);
	for (i = 0; i < pool->n; i++)
		xe2e_buf_add(&b, pool->v[i]->sha256, 32, NULL);
	xe2e_buf_adds(&b, "|", NULL);
	for (i = 0; i < t->crls.n; i++)
		xe2e_buf_add(&b, t->crls.v[i]->sha256, 32, NULL);
	xe2e_digest(d, b.data ? b.data : (unsigned char *)"", b.len, key);
	xe2e_buf_release(&b);
}

static const struct xe2e_crl *crl_by_hash(const struct xe2e_crls *crls, const unsigned char *h)
{
	size_t i;

	for (i = 0; i < crls->n; i++)
		if (!memcmp(crls->v[i]->sha256, h, 32))
			return crls->v[i];
	return NULL;
}

static const struct xe2e_cert *cert_in(const struct xe2e_trust *t, const struct xe2e_certs *pool,
				       const struct xe2e_cert *leaf, const struct xe2e_cert *c)
{
	size_t i;

	if (xe2e_cert_same(leaf, c))
		return leaf;
	for (i = 0; i < pool->n; i++)
		if (xe2e_cert_same(pool->v[i], c))
			return pool->v[i];
	for (i = 0; i < t->anchors.n; i++)
		if (xe2e_cert_same(t->anchors.v[i], c))
			return t->anchors.v[i];
	return NULL;
}

/* A remembered outcome, its path rebuilt from the current inputs. */
static int recall(struct xe2e_chains *m, const unsigned char *key, struct xe2e_path *path,
		  const struct xe2e_trust *t, const struct xe2e_certs *pool,
		  const struct xe2e_cert *leaf, int *rc, struct xe2e_err *err)
{
	const struct chain *ch = NULL;
	size_t i;

	for (i = 0; i < m->n && !ch; i++)
		if (!memcmp(m->v[i]->key, key, 32))
			ch = m->v[i];
	if (!ch)
		return 0;
	if (ch->rc) {
		if (err)
			*err = ch->err;
		*rc = ch->rc;
		m->hits++;
		return 1;
	}
	memset(path, 0, sizeof(*path));
	for (i = 0; i < ch->n; i++) {
		path->chain[i] = cert_in(t, pool, leaf, ch->chain[i]);
		path->crl[i] = crl_by_hash(&t->crls, ch->crl[i]);
		if (!path->chain[i])
			return 0;
	}
	path->n = ch->n;
	memcpy(path->warning, ch->warning, sizeof(path->warning));
	path->policies = ch->policies;
	*rc = 0;
	m->hits++;
	return 1;
}

static void remember(struct xe2e_chains *m, const unsigned char *key, int rc,
		     const struct xe2e_err *err, const struct xe2e_path *path)
{
	struct chain *ch = calloc(1, sizeof(*ch));
	size_t i;

	if (!ch)
		return;                      /* memory is an optimisation only */
	memcpy(ch->key, key, 32);
	ch->rc = rc;
	if (rc && err)
		ch->err = *err;
	else if (rc)
		xe2e_err_set(&ch->err, (enum xe2e_code)-rc, "certificate not valid");
	for (i = 0; !rc && i < path->n; i++) {
		ch->chain[i] = xe2e_cert_ref((struct xe2e_cert *)path->chain[i]);
		if (path->crl[i])
			memcpy(ch->crl[i], path->crl[i]->sha256, 32);
	}
	ch->n = rc ? 0 : path->n;
	memcpy(ch->warning, path->warning, sizeof(ch->warning));
	ch->policies = path->policies;
	if (m->n < CHAINS_MAX) {
		m->v[m->n++] = ch;
		return;
	}
	chain_free(m->v[m->next]);
	m->v[m->next] = ch;
	m->next = (m->next + 1) % CHAINS_MAX;
}

/* Validate leaf with trust t and untrusted certificates u, plus what the
 * message brought (xe2e_ctx_validate). */
static int validate_in(struct xe2e_ctx *c, const struct xe2e_trust *t,
		       const struct xe2e_certs *u, struct xe2e_path *path,
		       const struct xe2e_cert *leaf, const struct xe2e_certs *msg_certs,
		       const struct xe2e_crls *msg_crls, enum xe2e_purpose purpose,
		       struct xe2e_err *err)
{
	struct xe2e_validate_opts o = xe2e_ctx_validate_opts(c, purpose);
	struct xe2e_certs pool;
	struct xe2e_trust view;
	unsigned char key[32];
	struct xe2e_err e;
	size_t i;
	int rc = 0;

	/* borrowed views: the context's anchors and CRLs plus the message's
	 * CRLs; the message's certificates, then the context's */
	memset(&view, 0, sizeof(view));
	memset(&pool, 0, sizeof(pool));
	view.anchors = t->anchors;
	view.crls.v = calloc(t->crls.n + (msg_crls ? msg_crls->n : 0) + 1, sizeof(*view.crls.v));
	pool.v = calloc(u->n + (msg_certs ? msg_certs->n : 0) + 1, sizeof(*pool.v));
	if (!view.crls.v || !pool.v) {
		rc = xe2e_err_oom(err);
		goto out;
	}
	for (i = 0; i < t->crls.n; i++)
		view.crls.v[view.crls.n++] = t->crls.v[i];
	for (i = 0; msg_crls && i < msg_crls->n; i++)
		view.crls.v[view.crls.n++] = msg_crls->v[i];
	for (i = 0; msg_certs && i < msg_certs->n; i++)
		pool.v[pool.n++] = msg_certs->v[i];
	for (i = 0; i < u->n; i++)
		pool.v[pool.n++] = u->v[i];
	if (c->chains) {
		chain_key(key, leaf, &o, &view, &pool);
		if (recall(c->chains, key, path, &view, &pool, leaf, &rc, err))
			goto out;
	}
	xe2e_err_clear(&e);
	rc = xe2e_pki_validate(path, &view, leaf, &pool, &o, &e);
	if (c->chains)
		remember(c->chains, key, rc, &e, path);
	if (rc && err)
		*err = e;
out:
	free(view.crls.v);
	free(pool.v);
	return rc;
}

int xe2e_ctx_validate(struct xe2e_ctx *c, struct xe2e_path *path, const struct xe2e_cert *leaf,
		      const struct xe2e_certs *msg_certs, const struct xe2e_crls *msg_crls,
		      enum xe2e_purpose purpose, struct xe2e_err *err)
{
	return validate_in(c, &c->trust, &c->untrusted, path, leaf, msg_certs, msg_crls, purpose,
			   err);
}

int xe2e_ctx_validate_by_store(struct xe2e_ctx *c, struct xe2e_path *path,
			       const struct xe2e_cert *leaf, const struct xe2e_certs *msg_certs,
			       const struct xe2e_crls *msg_crls, enum xe2e_purpose purpose,
			       struct xe2e_err *err)
{
	int rc;

	if (!c->store)
		return xe2e_err_set(err, XE2E_EUSAGE, "no certificate store");
	if (!c->store_loaded) {
		rc = xe2e_store_load(c->store, &c->store_trust, &c->store_certs, err);
		if (rc)
			return rc;
		c->store_loaded = 1;
	}
	return validate_in(c, &c->store_trust, &c->store_certs, path, leaf, msg_certs, msg_crls,
			   purpose, err);
}
