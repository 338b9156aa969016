/*
 * pkigen.c - the test PKI of `xe2e pki init` (see pkigen.h).
 * RFC 5280 §4.1 (serial numbers: positive, at most 20 octets), §4.2.1.1-2
 * (key identifiers), §4.2.1.3 (key usage), §4.2.1.6 (subjectAltName),
 * §4.2.1.9 (basicConstraints), §4.2.1.12 (EKU), §5 (v2 CRLs with
 * authorityKeyIdentifier and cRLNumber); RFC 3923 §6.3 / RFC 6120
 * §13.7.1.4 (XMPP names); RFC 3850 §4.4.2 (S/MIME key usage).
 */
#include "pkigen.h"
#include "der.h"
#include "err.h"
#include "io.h"
#include "x400.h"

#include <errno.h>
#include <gnutls/abstract.h>
#include <gnutls/x509.h>
#include <nettle/bignum.h>
#include <nettle/dsa.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define ORG "xe2e test PKI"
#define OID_XMPPADDR "1.3.6.1.5.5.7.8.5"     /* RFC 6120 §13.7.1.4 */
#define OID_SAN "2.5.29.17"
#define SKEW 3600                             /* notBefore an hour back */

enum kind { ROOT, INTER, EE };

/* What one certificate is. */
struct spec {
	enum kind kind;
	const char *cn;
	const char *addr;                  /* XMPP / e-mail names, or NULL */
	const struct xe2e_buf *x400;       /* x400Address GeneralName, or NULL */
	unsigned ku;
	time_t not_before, not_after;
};

/* A made certificate and its key. */
struct made {
	gnutls_x509_crt_t crt;
	gnutls_privkey_t key;
	unsigned char ski[20];
	size_t ski_len;
};

static void made_release(struct made *m)
{
	if (m->crt)
		gnutls_x509_crt_deinit(m->crt);
	if (m->key)
		gnutls_privkey_deinit(m->key);
	memset(m, 0, sizeof(*m));
}

static int gt(int rc, const char *what, struct xe2e_err *err)
{
	return rc < 0 ? xe2e_err_set(err, XE2E_EIO, "%s: %s", what, gnutls_strerror(rc)) : 0;
}

int xe2e_pkigen_user_ok(const char *addr)
{
	const char *at = strchr(addr, '@'), *p;
	size_t label = 0;

	/* the whole address is the subject's CN: RFC 5280 ub-common-name 64
	 * (which also keeps every derived file name well under NAME_MAX) */
	if (!at || at == addr || strlen(addr) > XE2E_PKIGEN_MAX_ADDR || strchr(at + 1, '@'))
		return 0;
	for (p = addr; p < at; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("._+-", *p)))
			return 0;
	if (addr[0] == '.' || at[-1] == '.')
		return 0;
	for (p = at + 1;; p++) {
		if (*p == '.' || *p == '\0') {
			/* an LDH label of 1..63, not starting or ending with '-' */
			if (label == 0 || label > 63 || p[-1] == '-' || p[-(long)label] == '-')
				return 0;
			if (*p == '\0')
				return 1;
			label = 0;
		} else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			   (*p >= '0' && *p <= '9') || *p == '-')
			label++;
		else
			return 0;
	}
}

/* ------------------------------------------------------------ keys */

struct draw {
	const struct xe2e_ctx *ctx;
	int failed;
};

/* Nettle's random callback, through the context */
static void draw(void *p, size_t n, uint8_t *dst)
{
	struct draw *d = p;

	if (xe2e_ctx_random(d->ctx, dst, n, XE2E_RND_KEY, NULL))
		d->failed = 1;
}

static int mpz_datum(gnutls_datum_t *d, unsigned char *buf, size_t size, const mpz_t z)
{
	size_t n = nettle_mpz_sizeinbase_256_u(z);

	if (n > size)
		return -1;
	nettle_mpz_get_str_256(n, buf, z);
	d->data = buf;
	d->size = (unsigned)n;
	return 0;
}

/*
 * A reproducible DSA key: GnuTLS's seeded (provable) DSA generation fixes
 * only the domain parameters and draws x from its own generator, so both
 * the parameters and the key pair come from Nettle (dsa_generate_params,
 * dsa_generate_keypair) with the context's source as the random function.
 */
static int gen_dsa_seeded(gnutls_privkey_t k, const struct xe2e_ctx *ctx, unsigned bits,
			  struct xe2e_err *err)
{
	unsigned char buf[5][512];
	struct dsa_params params;
	struct draw d = { ctx, 0 };
	gnutls_datum_t p, q, g, y, x;
	mpz_t pub, key;
	int rc;

	dsa_params_init(&params);
	mpz_init(pub);
	mpz_init(key);
	rc = dsa_generate_params(&params, &d, draw, NULL, NULL, bits, 256) && !d.failed ? 0
	     : xe2e_err_set(err, XE2E_EIO, "DSA parameter generation failed");
	if (!rc) {
		dsa_generate_keypair(&params, pub, key, &d, draw);
		if (d.failed)
			rc = xe2e_err_set(err, XE2E_EIO, "DSA key generation failed");
	}
	if (!rc && (mpz_datum(&p, buf[0], sizeof(buf[0]), params.p) ||
		    mpz_datum(&q, buf[1], sizeof(buf[1]), params.q) ||
		    mpz_datum(&g, buf[2], sizeof(buf[2]), params.g) ||
		    mpz_datum(&y, buf[3], sizeof(buf[3]), pub) ||
		    mpz_datum(&x, buf[4], sizeof(buf[4]), key)))
		rc = xe2e_err_set(err, XE2E_EIO, "DSA key too large");
	if (!rc)
		rc = gt(gnutls_privkey_import_dsa_raw(k, &p, &q, &g, &y, &x), "DSA key import", err);
	gnutls_memset(buf, 0, sizeof(buf));
	if (mpz_size(key))      /* GMP frees without wiping */
		gnutls_memset(mpz_limbs_modify(key, (mp_size_t)mpz_size(key)), 0,
			      mpz_size(key) * sizeof(mp_limb_t));
	mpz_clear(pub);
	mpz_clear(key);
	dsa_params_clear(&params);
	return rc;
}

static int gen_key(gnutls_privkey_t *k, const struct xe2e_ctx *ctx, gnutls_pk_algorithm_t pk,
		   unsigned bits, struct xe2e_err *err)
{
	unsigned char seed[48];
	size_t sl;
	int rc;

	rc = gt(gnutls_privkey_init(k), "key", err);
	if (rc)
		return rc;
	if (!ctx->rng.reproducible)
		return gt(gnutls_privkey_generate2(*k, pk, bits, 0, NULL, 0), "key generation", err);
	if (pk == GNUTLS_PK_DSA)
		return gen_dsa_seeded(*k, ctx, bits, err);
	/* FIPS 186-4 B.3.2 (GnuTLS's provable RSA generation): a seed of
	 * twice the security strength (2048: 112 bits, 3072: 128) */
	sl = bits <= 2048 ? 28 : bits <= 3072 ? 32 : 48;
	rc = xe2e_ctx_random(ctx, seed, sl, XE2E_RND_KEY, err);
	if (!rc) {
		gnutls_keygen_data_st kd = { GNUTLS_KEYGEN_SEED, seed, (unsigned)sl };

		rc = gt(gnutls_privkey_generate2(*k, pk, bits, GNUTLS_PRIVKEY_FLAG_PROVABLE, &kd, 1),
			"seeded key generation", err);
	}
	gnutls_memset(seed, 0, sizeof(seed));
	return rc;
}

static int key_pem(struct xe2e_buf *out, gnutls_privkey_t k, struct xe2e_err *err)
{
	gnutls_x509_privkey_t x = NULL;
	gnutls_datum_t d = { NULL, 0 };
	int rc = gt(gnutls_privkey_export_x509(k, &x), "key export", err);

	if (!rc)
		rc = gt(gnutls_x509_privkey_export2_pkcs8(x, GNUTLS_X509_FMT_PEM, NULL,
							  GNUTLS_PKCS_PLAIN, &d), "key export", err);
	if (!rc)
		rc = xe2e_buf_add(out, d.data, d.size, err);
	if (d.data) {
		gnutls_memset(d.data, 0, d.size);
		gnutls_free(d.data);
	}
	if (x)
		gnutls_x509_privkey_deinit(x);
	return rc;
}

/* ------------------------------------------------------------ certificates */

/* RFC 5280 §4.1.2.2: positive, at most 20 octets; 16 random octets with
 * the top bit clear and the next set (never a leading zero octet) */
static int set_serial(gnutls_x509_crt_t crt, const struct xe2e_ctx *ctx, struct xe2e_err *err)
{
	unsigned char s[16];
	int rc = xe2e_ctx_random(ctx, s, sizeof(s), XE2E_RND_NONCE, err);

	if (rc)
		return rc;
	s[0] = (unsigned char)((s[0] & 0x7f) | 0x40);
	return gt(gnutls_x509_crt_set_serial(crt, s, sizeof(s)), "serial", err);
}

/* subjectAltName = GeneralNames { x400Address } (SEQUENCE OF ANY) */
static int set_x400_san(gnutls_x509_crt_t crt, const struct xe2e_buf *gn, struct xe2e_err *err)
{
	struct xe2e_buf der = XE2E_BUF_INIT;
	asn1_node n = NULL;
	int rc = xe2e_der_new(&n, "XE2E.GeneralNames", err);

	if (!rc)
		rc = xe2e_der_write(n, "", "NEW", 1, err);
	if (!rc)
		rc = xe2e_der_write(n, "?1", gn->data, gn->len, err);
	if (!rc)
		rc = xe2e_der_encode(&der, n, "", err);
	if (!rc)
		rc = gt(gnutls_x509_crt_set_extension_by_oid(crt, OID_SAN, der.data, der.len, 0),
			"subjectAltName", err);
	asn1_delete_structure(&n);
	xe2e_buf_release(&der);
	return rc;
}

static int set_names(gnutls_x509_crt_t crt, const struct spec *s, struct xe2e_err *err)
{
	char uri[300];
	int rc;

	rc = gt(gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_ORGANIZATION_NAME, 0, ORG,
					      sizeof(ORG) - 1), "subject", err);
	if (!rc)
		rc = gt(gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, s->cn,
						      (unsigned)strlen(s->cn)), "subject", err);
	if (rc)
		return rc;
	if (s->x400)
		return set_x400_san(crt, s->x400, err);
	if (!s->addr)
		return 0;
	/* RFC 3850 §3: rfc822Name; RFC 3923 §6.3: xmppAddr, im:, pres: */
	rc = gt(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_RFC822NAME, s->addr,
						     (unsigned)strlen(s->addr), GNUTLS_FSAN_APPEND),
		"subjectAltName", err);
	if (!rc)
		rc = gt(gnutls_x509_crt_set_subject_alt_othername(crt, OID_XMPPADDR, s->addr,
								  (unsigned)strlen(s->addr),
								  GNUTLS_FSAN_APPEND |
								  GNUTLS_FSAN_ENCODE_UTF8_STRING),
			"subjectAltName", err);
	snprintf(uri, sizeof(uri), "im:%s", s->addr);
	if (!rc)
		rc = gt(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_URI, uri,
							     (unsigned)strlen(uri), GNUTLS_FSAN_APPEND),
			"subjectAltName", err);
	snprintf(uri, sizeof(uri), "pres:%s", s->addr);
	if (!rc)
		rc = gt(gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_URI, uri,
							     (unsigned)strlen(uri), GNUTLS_FSAN_APPEND),
			"subjectAltName", err);
	return rc;
}

/* Make m (key already in m->key) as s says, signed by issuer (NULL: itself). */
static int make_cert(struct made *m, const struct xe2e_ctx *ctx, const struct spec *s,
		     const struct made *issuer, struct xe2e_err *err)
{
	gnutls_pubkey_t pub = NULL;
	size_t len = sizeof(m->ski);
	int rc;

	rc = gt(gnutls_x509_crt_init(&m->crt), "certificate", err);
	if (!rc)
		rc = gt(gnutls_pubkey_init(&pub), "certificate", err);
	if (!rc)
		rc = gt(gnutls_pubkey_import_privkey(pub, m->key, 0, 0), "public key", err);
	if (!rc)
		rc = gt(gnutls_x509_crt_set_pubkey(m->crt, pub), "public key", err);
	if (!rc)
		rc = gt(gnutls_pubkey_get_key_id(pub, GNUTLS_KEYID_USE_SHA1, m->ski, &len),
			"key identifier", err);
	if (!rc)
		m->ski_len = len;
	if (!rc)
		rc = gt(gnutls_x509_crt_set_version(m->crt, 3), "version", err);
	if (!rc)
		rc = set_serial(m->crt, ctx, err);
	if (!rc)
		rc = gt(gnutls_x509_crt_set_activation_time(m->crt, s->not_before), "validity", err);
	if (!rc)
		rc = gt(gnutls_x509_crt_set_expiration_time(m->crt, s->not_after), "validity", err);
	if (!rc)
		rc = set_names(m->crt, s, err);
	/* §4.2.1.9: critical; the intermediate may issue end entities only */
	if (!rc)
		rc = gt(gnutls_x509_crt_set_basic_constraints(m->crt, s->kind != EE,
							       s->kind == INTER ? 0 : -1),
			"basicConstraints", err);
	if (!rc)
		rc = gt(gnutls_x509_crt_set_key_usage(m->crt, s->ku), "keyUsage", err);
	if (!rc && s->kind == EE)
		rc = gt(gnutls_x509_crt_set_key_purpose_oid(m->crt, GNUTLS_KP_EMAIL_PROTECTION, 0),
			"extendedKeyUsage", err);
	if (!rc)
		rc = gt(gnutls_x509_crt_set_subject_key_id(m->crt, m->ski, m->ski_len),
			"subjectKeyIdentifier", err);
	if (!rc && issuer)
		rc = gt(gnutls_x509_crt_set_authority_key_id(m->crt, issuer->ski, issuer->ski_len),
			"authorityKeyIdentifier", err);
	if (!rc)
		rc = gt(gnutls_x509_crt_privkey_sign(m->crt, issuer ? issuer->crt : m->crt,
						     issuer ? issuer->key : m->key,
						     GNUTLS_DIG_SHA256, 0), "signing", err);
	if (pub)
		gnutls_pubkey_deinit(pub);
	return rc;
}

/* ------------------------------------------------------------ the set */

struct gen {
	const struct xe2e_ctx *ctx;
	const struct xe2e_pkigen_opts *o;
	struct xe2e_pkigen *out;
	struct made root, inter;
	gnutls_x509_crt_t revoked;         /* borrowed from the revoked entity */
	time_t now;
};

static struct xe2e_pkigen_file *add_file(struct gen *g, const char *name, const char *what,
					 int secret, struct xe2e_err *err)
{
	struct xe2e_pkigen_file *f, *v;
	size_t i;

	/* --user a@b.c and --user a@b.c-sign --split would both write
	 * a@b.c-sign.pem: never two files of one name (the file system may
	 * fold case) */
	for (i = 0; i < g->out->n; i++)
		if (!strcasecmp(g->out->v[i].name, name)) {
			xe2e_err_set(err, XE2E_EUSAGE, "two files would be named '%s' (%s; %s)", name,
				     g->out->v[i].what, what);
			return NULL;
		}
	v = realloc(g->out->v, (g->out->n + 1) * sizeof(*v));
	if (!v) {
		xe2e_err_set(err, XE2E_EIO, "out of memory");
		return NULL;
	}
	g->out->v = v;
	f = &v[g->out->n++];
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	snprintf(f->what, sizeof(f->what), "%s", what);
	f->secret = secret;
	xe2e_buf_init(&f->data, 0);
	return f;
}

static int add_crt(struct gen *g, const char *name, const char *what, gnutls_x509_crt_t crt,
		   struct xe2e_err *err)
{
	struct xe2e_pkigen_file *f = add_file(g, name, what, 0, err);
	gnutls_datum_t d = { NULL, 0 };
	int rc;

	if (!f)
		return err ? -(int)err->code : -XE2E_EIO;
	rc = gt(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &d), "certificate export", err);
	if (!rc)
		rc = xe2e_buf_add(&f->data, d.data, d.size, err);
	gnutls_free(d.data);
	return rc;
}

/* NAME.pem (certificate) and NAME.key (its key) */
static int add_pair(struct gen *g, const char *base, const char *what, const struct made *m,
		    struct xe2e_err *err)
{
	char name[300], w[200];
	struct xe2e_pkigen_file *f;
	int rc;

	snprintf(name, sizeof(name), "%s.pem", base);
	rc = add_crt(g, name, what, m->crt, err);
	if (rc)
		return rc;
	snprintf(name, sizeof(name), "%s.key", base);
	snprintf(w, sizeof(w), "private key of %s.pem (PKCS #8, unencrypted)", base);
	f = add_file(g, name, w, 1, err);
	return f ? key_pem(&f->data, m->key, err) : err ? -(int)err->code : -XE2E_EIO;
}

static int entity(struct gen *g, const char *base, const char *what, const struct spec *s,
		  gnutls_pk_algorithm_t pk, unsigned bits, int keep_revoked, struct xe2e_err *err)
{
	struct made m;
	int rc;

	memset(&m, 0, sizeof(m));
	rc = gen_key(&m.key, g->ctx, pk, bits, err);
	if (!rc)
		rc = make_cert(&m, g->ctx, s, &g->inter, err);
	if (!rc)
		rc = add_pair(g, base, what, &m, err);
	if (!rc && keep_revoked) {
		g->revoked = m.crt;     /* kept for the CRL, freed in make */
		m.crt = NULL;
	}
	made_release(&m);
	return rc;
}

static int crl_pem(struct gen *g, struct xe2e_buf *out, const struct made *issuer,
		   gnutls_x509_crt_t revoked, unsigned char number, struct xe2e_err *err)
{
	gnutls_x509_crl_t crl = NULL;
	gnutls_datum_t d = { NULL, 0 };
	time_t next = g->now + (time_t)g->o->days * 86400;
	int rc = gt(gnutls_x509_crl_init(&crl), "CRL", err);

	/* RFC 5280 §5.1.2: v2, thisUpdate, nextUpdate; §5.2.1, §5.2.3 */
	if (!rc)
		rc = gt(gnutls_x509_crl_set_version(crl, 2), "CRL", err);
	if (!rc)
		rc = gt(gnutls_x509_crl_set_this_update(crl, g->now - SKEW), "CRL", err);
	if (!rc)
		rc = gt(gnutls_x509_crl_set_next_update(crl, next), "CRL", err);
	if (!rc && revoked)
		rc = gt(gnutls_x509_crl_set_crt(crl, revoked, g->now - SKEW), "CRL entry", err);
	if (!rc)
		rc = gt(gnutls_x509_crl_set_authority_key_id(crl, issuer->ski, issuer->ski_len),
			"CRL", err);
	if (!rc)
		rc = gt(gnutls_x509_crl_set_number(crl, &number, 1), "CRL", err);
	if (!rc)
		rc = gt(gnutls_x509_crl_privkey_sign(crl, issuer->crt, issuer->key, GNUTLS_DIG_SHA256,
						     0), "CRL signing", err);
	if (!rc)
		rc = gt(gnutls_x509_crl_export2(crl, GNUTLS_X509_FMT_PEM, &d), "CRL export", err);
	if (!rc)
		rc = xe2e_buf_add(out, d.data, d.size, err);
	gnutls_free(d.data);
	if (crl)
		gnutls_x509_crl_deinit(crl);
	return rc;
}

static int options_ok(const struct xe2e_pkigen_opts *o, time_t now, struct xe2e_err *err)
{
	size_t i, j;

	if (o->bits != 2048 && o->bits != 3072 && o->bits != 4096)
		return xe2e_err_set(err, XE2E_EUSAGE, "RSA key size %u: 2048, 3072 or 4096", o->bits);
	if (o->days < 1 || o->days > XE2E_PKIGEN_MAX_DAYS)
		return xe2e_err_set(err, XE2E_EUSAGE, "validity of %u days: 1 to %d", o->days,
				    XE2E_PKIGEN_MAX_DAYS);
	/* RFC 5280 §4.1.2.5: GeneralizedTime ends with 9999; GnuTLS would
	 * clamp silently.  The expired certificate starts 400 days back. */
	if (now < 400 * 86400 || now > XE2E_PKIGEN_LAST_TIME - (time_t)o->days * 86400)
		return xe2e_err_set(err, XE2E_EUSAGE,
				    "now plus %u days is past 9999-12-31 (or now is before 1971)", o->days);
	if (o->n_users > XE2E_PKIGEN_MAX_IDS || o->n_x400 > XE2E_PKIGEN_MAX_IDS)
		return xe2e_err_set(err, XE2E_EUSAGE, "more than %d identities", XE2E_PKIGEN_MAX_IDS);
	if (o->n_users == 0 && (o->expired || o->revoked || o->split || o->dsa))
		return xe2e_err_set(err, XE2E_EUSAGE,
				    "--split, --dsa, --expired and --revoked need a --user");
	for (i = 0; i < o->n_users; i++) {
		if (!xe2e_pkigen_user_ok(o->users[i]))
			return xe2e_err_set(err, XE2E_EUSAGE,
					    "'%s' is not an identity pki takes (ASCII local@domain, at "
					    "most %d characters: letters, digits, . _ + - before the @)",
					    o->users[i], XE2E_PKIGEN_MAX_ADDR);
		for (j = 0; j < i; j++)
			if (!strcasecmp(o->users[i], o->users[j]))
				return xe2e_err_set(err, XE2E_EUSAGE, "--user '%s' given twice",
						    o->users[i]);
	}
	return 0;
}

int xe2e_pkigen_make(struct xe2e_pkigen *out, const struct xe2e_ctx *ctx,
		     const struct xe2e_pkigen_opts *o, struct xe2e_err *err)
{
	static const unsigned ku_ca = GNUTLS_KEY_KEY_CERT_SIGN | GNUTLS_KEY_CRL_SIGN;
	static const unsigned ku_sign = GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_NON_REPUDIATION;
	static const unsigned ku_both = GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_NON_REPUDIATION |
					GNUTLS_KEY_KEY_ENCIPHERMENT;
	struct xe2e_buf gn = XE2E_BUF_INIT;
	struct xe2e_pkigen_file *f;
	struct gen g;
	struct spec s;
	char base[300], what[200], cn[64];
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&g, 0, sizeof(g));
	g.ctx = ctx;
	g.o = o;
	g.out = out;
	g.now = o->now ? o->now : xe2e_ctx_clock(ctx);
	rc = options_ok(o, g.now, err);
	for (i = 0; !rc && i < o->n_x400; i++)      /* every address encodes */
		rc = xe2e_x400_general_name(&gn, o->x400[i], err);

	memset(&s, 0, sizeof(s));
	s.not_before = g.now - SKEW;
	s.not_after = g.now + (time_t)o->days * 86400;
	s.kind = ROOT;
	s.cn = "xe2e Test Root CA";
	s.ku = ku_ca;
	if (!rc)
		rc = gen_key(&g.root.key, ctx, GNUTLS_PK_RSA, o->bits, err);
	if (!rc)
		rc = make_cert(&g.root, ctx, &s, NULL, err);
	if (!rc)
		rc = add_pair(&g, "ca", "root CA (trust anchor: --ca)", &g.root, err);
	s.kind = INTER;
	s.cn = "xe2e Test Intermediate CA";
	if (!rc)
		rc = gen_key(&g.inter.key, ctx, GNUTLS_PK_RSA, o->bits, err);
	if (!rc)
		rc = make_cert(&g.inter, ctx, &s, &g.root, err);
	if (!rc)
		rc = add_pair(&g, "inter", "intermediate CA (pathLen 0), issuer of every end entity",
			      &g.inter, err);
	if (!rc)
		rc = add_crt(&g, "chain.pem", "= inter.pem (sign --chain, --untrusted)", g.inter.crt,
			     err);

	s.kind = EE;
	for (i = 0; !rc && i < o->n_users; i++) {
		s.cn = s.addr = o->users[i];
		s.ku = ku_both;
		snprintf(what, sizeof(what), "%s: sign and encrypt (RSA-%u)", o->users[i], o->bits);
		rc = entity(&g, o->users[i], what, &s, GNUTLS_PK_RSA, o->bits, 0, err);
		if (!rc && o->split) {
			s.ku = ku_sign;
			snprintf(base, sizeof(base), "%s-sign", o->users[i]);
			snprintf(what, sizeof(what), "%s: signing only", o->users[i]);
			rc = entity(&g, base, what, &s, GNUTLS_PK_RSA, o->bits, 0, err);
			s.ku = GNUTLS_KEY_KEY_ENCIPHERMENT;
			snprintf(base, sizeof(base), "%s-enc", o->users[i]);
			snprintf(what, sizeof(what), "%s: encryption only", o->users[i]);
			if (!rc)
				rc = entity(&g, base, what, &s, GNUTLS_PK_RSA, o->bits, 0, err);
		}
		if (!rc && o->dsa) {
			s.ku = ku_sign;
			snprintf(base, sizeof(base), "%s-dsa", o->users[i]);
			snprintf(what, sizeof(what), "%s: signing only (DSA-2048)", o->users[i]);
			rc = entity(&g, base, what, &s, GNUTLS_PK_DSA, 2048, 0, err);
		}
	}
	s.addr = NULL;
	for (i = 0; !rc && i < o->n_x400; i++) {
		rc = xe2e_x400_general_name(&gn, o->x400[i], err);
		s.x400 = &gn;
		s.ku = ku_both;
		snprintf(cn, sizeof(cn), "xe2e X.400 user %zu", i + 1);
		s.cn = cn;
		snprintf(base, sizeof(base), "x400-%zu", i + 1);
		snprintf(what, sizeof(what), "x400Address %.150s: sign and encrypt", o->x400[i]);
		if (!rc)
			rc = entity(&g, base, what, &s, GNUTLS_PK_RSA, o->bits, 0, err);
	}
	s.x400 = NULL;
	if (o->n_users) {
		s.cn = s.addr = o->users[0];
		s.ku = ku_both;
	}
	if (!rc && o->expired) {
		struct spec e = s;

		e.not_before = g.now - 400 * 86400;
		e.not_after = g.now - 30 * 86400;
		snprintf(what, sizeof(what), "%s: expired 30 days ago", o->users[0]);
		rc = entity(&g, "expired", what, &e, GNUTLS_PK_RSA, o->bits, 0, err);
	}
	if (!rc && o->revoked) {
		snprintf(what, sizeof(what), "%s: revoked (listed in crl.pem)", o->users[0]);
		rc = entity(&g, "revoked", what, &s, GNUTLS_PK_RSA, o->bits, 1, err);
	}
	/* the intermediate's CRL (the revoked entity, if any) and the root's
	 * (empty): what --crl-check require and openssl -crl_check_all need */
	f = rc ? NULL : add_file(&g, "crl.pem", "v2 CRLs of inter and ca (--crl)", 0, err);
	if (!rc && !f)
		rc = err ? -(int)err->code : -XE2E_EIO;
	if (!rc)
		rc = crl_pem(&g, &f->data, &g.inter, g.revoked, 1, err);
	if (!rc)
		rc = crl_pem(&g, &f->data, &g.root, NULL, 1, err);

	if (g.revoked)
		gnutls_x509_crt_deinit(g.revoked);
	made_release(&g.root);
	made_release(&g.inter);
	xe2e_buf_release(&gn);
	return rc;
}

int xe2e_pkigen_write(const struct xe2e_pkigen *g, const char *dir, int force,
		      struct xe2e_err *err)
{
	struct xe2e_buf path = XE2E_BUF_INIT;
	struct stat st;
	size_t i;
	int rc = 0;

	if (mkdir(dir, 0755) && errno != EEXIST)
		return xe2e_err_set(err, XE2E_EIO, "cannot create '%s': %s", dir, strerror(errno));
	if (lstat(dir, &st) || !S_ISDIR(st.st_mode))
		return xe2e_err_set(err, XE2E_EIO, "'%s' is not a directory", dir);
	/* private keys go nowhere another user could swap files */
	if (st.st_mode & 0022 || st.st_uid != geteuid())
		return xe2e_err_set(err, XE2E_EUSAGE,
				    "'%s' is writable by others or not ours: not a place for keys", dir);
	rc = xe2e_buf_addf(&path, err, "%s/ca.key", dir);
	/* anything named ca.key, a dangling link included, is a PKI */
	if (!rc && !force && lstat((char *)path.data, &st) == 0)
		rc = xe2e_err_set(err, XE2E_EUSAGE, "'%s' already holds a PKI (ca.key); --force replaces it",
				  dir);
	for (i = 0; !rc && i < g->n; i++) {
		xe2e_buf_reset(&path);
		rc = xe2e_buf_addf(&path, err, "%s/%s", dir, g->v[i].name);
		if (!rc)
			rc = xe2e_io_write_atomic((char *)path.data, g->v[i].data.data, g->v[i].data.len,
						  g->v[i].secret ? XE2E_IO_SECRET : XE2E_IO_PUBLIC,
						  err);
	}
	xe2e_buf_release(&path);
	return rc;
}

void xe2e_pkigen_release(struct xe2e_pkigen *g)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		if (g->v[i].secret)
			xe2e_buf_wipe(&g->v[i].data);
		else
			xe2e_buf_release(&g->v[i].data);
	}
	free(g->v);
	memset(g, 0, sizeof(*g));
}
