/*
 * pki.c - certificates, keys, CRLs, path validation, names (see pki.h).
 * RFC 3850 §4.2-§4.4 (certificate processing, key usage, EKU), RFC 5280 §6
 * (path validation, via GnuTLS) and §6.3 (CRL processing, our own checks).
 */
#include "pki.h"
#include "io.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define OID_EKU_EMAIL "1.3.6.1.5.5.7.3.4"
#define OID_EKU_ANY   "2.5.29.37.0"

static time_t fixed_time;

static time_t pki_time_fn(time_t *t)
{
	if (t)
		*t = fixed_time;
	return fixed_time;
}

void xe2e_pki_set_time(time_t t)
{
	fixed_time = t;
	gnutls_global_set_time_function(pki_time_fn);
}

time_t xe2e_pki_now(void)
{
	return fixed_time ? fixed_time : time(NULL);
}

void xe2e_certs_init(struct xe2e_certs *c)
{
	memset(c, 0, sizeof(*c));
}

void xe2e_certs_release(struct xe2e_certs *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i])
			gnutls_x509_crt_deinit(c->v[i]);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

int xe2e_certs_push(struct xe2e_certs *c, gnutls_x509_crt_t crt,
		    struct xe2e_err *err)
{
	gnutls_x509_crt_t *nv;

	if (c->n >= XE2E_MAX_CA_FILES * 4) {
		gnutls_x509_crt_deinit(crt);
		return xe2e_err_set(err, XE2E_EMALFORMED, "too many certificates");
	}
	if (c->n == c->alloc) {
		nv = realloc(c->v, (c->alloc ? c->alloc * 2 : 8) * sizeof(*nv));
		if (!nv) {
			gnutls_x509_crt_deinit(crt);
			return xe2e_err_oom(err);
		}
		c->v = nv;
		c->alloc = c->alloc ? c->alloc * 2 : 8;
	}
	c->v[c->n++] = crt;
	return 0;
}

int xe2e_certs_add_der(struct xe2e_certs *c, const unsigned char *der,
		       size_t len, struct xe2e_err *err)
{
	gnutls_x509_crt_t crt;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	int rc;

	if (gnutls_x509_crt_init(&crt) < 0)
		return xe2e_err_oom(err);
	rc = gnutls_x509_crt_import(crt, &d, GNUTLS_X509_FMT_DER);
	if (rc < 0) {
		gnutls_x509_crt_deinit(crt);
		return xe2e_err_set(err, XE2E_EMALFORMED, "bad certificate: %s",
				    gnutls_strerror(rc));
	}
	return xe2e_certs_push(c, crt, err);
}

static int is_pem(const struct xe2e_buf *b)
{
	return b->len > 11 && memmem(b->data, b->len, "-----BEGIN ", 11);
}

int xe2e_certs_load(struct xe2e_certs *c, const char *path, struct xe2e_err *err)
{
	struct xe2e_buf b = XE2E_BUF_INIT;
	gnutls_x509_crt_t *list = NULL;
	unsigned n = 0, i;
	gnutls_datum_t d;
	int rc;

	rc = xe2e_io_read(&b, path, 0, err);
	if (rc)
		goto out;
	d.data = b.data;
	d.size = (unsigned)b.len;
	rc = gnutls_x509_crt_list_import2(&list, &n, &d,
					  is_pem(&b) ? GNUTLS_X509_FMT_PEM
						     : GNUTLS_X509_FMT_DER, 0);
	if (rc < 0 || n == 0) {
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "no certificate in '%s'%s%s",
				  path, rc < 0 ? ": " : "",
				  rc < 0 ? gnutls_strerror(rc) : "");
		goto out;
	}
	rc = 0;
	for (i = 0; i < n; i++) {
		if (!rc)
			rc = xe2e_certs_push(c, list[i], err);
		else
			gnutls_x509_crt_deinit(list[i]);
	}
	gnutls_free(list);
out:
	xe2e_buf_release(&b);
	return rc;
}

static int has_cert_suffix(const char *name)
{
	static const char *const sfx[] = { ".pem", ".crt", ".cer", ".der" };
	size_t n = strlen(name), i;

	for (i = 0; i < 4; i++)
		if (n > 4 && !strcmp(name + n - 4, sfx[i]))
			return 1;
	return 0;
}

int xe2e_certs_load_path(struct xe2e_certs *c, const char *path,
			 struct xe2e_err *err)
{
	struct xe2e_buf f = XE2E_BUF_INIT;
	struct dirent *de;
	DIR *dir;
	unsigned files = 0;
	size_t before = c->n;
	int rc = 0;

	dir = opendir(path);
	if (!dir) {
		if (errno == ENOTDIR)
			return xe2e_certs_load(c, path, err);
		if (errno == ENOENT)
			return xe2e_err_set(err, XE2E_EIO, "cannot open '%s': %s", path,
					    strerror(errno));
		return xe2e_certs_load(c, path, err);
	}
	while ((de = readdir(dir)) != NULL && !rc) {
		if (de->d_name[0] == '.' || !has_cert_suffix(de->d_name))
			continue;
		if (++files > XE2E_MAX_CA_FILES) {
			rc = xe2e_err_set(err, XE2E_EMALFORMED,
					  "more than %d files in '%s'",
					  XE2E_MAX_CA_FILES, path);
			break;
		}
		xe2e_buf_reset(&f);
		rc = xe2e_buf_addf(&f, err, "%s/%s", path, de->d_name);
		if (!rc)
			rc = xe2e_certs_load(c, (char *)f.data, err);
	}
	closedir(dir);
	xe2e_buf_release(&f);
	if (!rc && c->n == before)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "no certificate in '%s'", path);
	return rc;
}

void xe2e_crls_init(struct xe2e_crls *c)
{
	memset(c, 0, sizeof(*c));
}

void xe2e_crls_release(struct xe2e_crls *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		gnutls_x509_crl_deinit(c->v[i]);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static int crls_push(struct xe2e_crls *c, gnutls_x509_crl_t crl,
		     struct xe2e_err *err)
{
	gnutls_x509_crl_t *nv;

	if (c->n >= XE2E_MAX_CA_FILES) {
		gnutls_x509_crl_deinit(crl);
		return xe2e_err_set(err, XE2E_EMALFORMED, "too many CRLs");
	}
	if (c->n == c->alloc) {
		nv = realloc(c->v, (c->alloc ? c->alloc * 2 : 4) * sizeof(*nv));
		if (!nv) {
			gnutls_x509_crl_deinit(crl);
			return xe2e_err_oom(err);
		}
		c->v = nv;
		c->alloc = c->alloc ? c->alloc * 2 : 4;
	}
	c->v[c->n++] = crl;
	return 0;
}

int xe2e_crls_add_der(struct xe2e_crls *c, const unsigned char *der, size_t len,
		      struct xe2e_err *err)
{
	gnutls_x509_crl_t crl;
	gnutls_datum_t d = { (unsigned char *)der, (unsigned)len };
	int rc;

	if (gnutls_x509_crl_init(&crl) < 0)
		return xe2e_err_oom(err);
	rc = gnutls_x509_crl_import(crl, &d, GNUTLS_X509_FMT_DER);
	if (rc < 0) {
		gnutls_x509_crl_deinit(crl);
		return xe2e_err_set(err, XE2E_EMALFORMED, "bad CRL: %s",
				    gnutls_strerror(rc));
	}
	return crls_push(c, crl, err);
}

int xe2e_crls_load(struct xe2e_crls *c, const char *path, struct xe2e_err *err)
{
	struct xe2e_buf b = XE2E_BUF_INIT;
	gnutls_x509_crl_t *list = NULL;
	unsigned n = 0, i;
	gnutls_datum_t d;
	int rc;

	rc = xe2e_io_read(&b, path, 0, err);
	if (rc)
		goto out;
	d.data = b.data;
	d.size = (unsigned)b.len;
	rc = gnutls_x509_crl_list_import2(&list, &n, &d,
					  is_pem(&b) ? GNUTLS_X509_FMT_PEM
						     : GNUTLS_X509_FMT_DER, 0);
	if (rc < 0 || n == 0) {
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "no CRL in '%s'%s%s", path,
				  rc < 0 ? ": " : "", rc < 0 ? gnutls_strerror(rc) : "");
		goto out;
	}
	rc = 0;
	for (i = 0; i < n; i++) {
		if (!rc)
			rc = crls_push(c, list[i], err);
		else
			gnutls_x509_crl_deinit(list[i]);
	}
	gnutls_free(list);
out:
	xe2e_buf_release(&b);
	return rc;
}

int xe2e_pki_load_key(gnutls_privkey_t *out, const char *path, const char *pass,
		      struct xe2e_err *err)
{
	struct xe2e_buf b = XE2E_BUF_INIT;
	gnutls_datum_t d;
	int rc;

	*out = NULL;
	rc = xe2e_io_read(&b, path, 1 << 20, err);
	if (rc)
		goto out;
	if (gnutls_privkey_init(out) < 0) {
		rc = xe2e_err_oom(err);
		goto out;
	}
	d.data = b.data;
	d.size = (unsigned)b.len;
	rc = gnutls_privkey_import_x509_raw(*out, &d,
					    is_pem(&b) ? GNUTLS_X509_FMT_PEM
						       : GNUTLS_X509_FMT_DER,
					    pass, 0);
	if (rc == GNUTLS_E_DECRYPTION_FAILED)
		rc = xe2e_err_set(err, XE2E_EUSAGE, pass
				  ? "cannot decrypt key '%s': wrong passphrase"
				  : "key '%s' is encrypted: give --pass-fd or --pass-file",
				  path);
	else if (rc < 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "cannot load key '%s': %s",
				  path, gnutls_strerror(rc));
	if (rc < 0) {
		gnutls_privkey_deinit(*out);
		*out = NULL;
	}
out:
	xe2e_buf_wipe(&b);
	return rc < 0 ? rc : 0;
}

int xe2e_pki_key_matches(gnutls_privkey_t key, gnutls_x509_crt_t crt,
			 const char *key_path, struct xe2e_err *err)
{
	unsigned char a[64], b[64];
	size_t al = sizeof(a), bl = sizeof(b);
	gnutls_pubkey_t pub;
	int rc;

	if (gnutls_pubkey_init(&pub) < 0)
		return xe2e_err_oom(err);
	rc = gnutls_pubkey_import_privkey(pub, key, 0, 0);
	if (rc >= 0)
		rc = gnutls_pubkey_get_key_id(pub, GNUTLS_KEYID_USE_SHA256, a, &al);
	gnutls_pubkey_deinit(pub);
	if (rc >= 0)
		rc = gnutls_x509_crt_get_key_id(crt, GNUTLS_KEYID_USE_SHA256, b, &bl);
	if (rc < 0)
		return xe2e_err_set(err, XE2E_EMALFORMED, "cannot read key '%s': %s",
				    key_path, gnutls_strerror(rc));
	if (al != bl || memcmp(a, b, al))
		return xe2e_err_set(err, XE2E_EUSAGE,
				    "key '%s' does not belong to the certificate",
				    key_path);
	return 0;
}

void xe2e_trust_init(struct xe2e_trust *t)
{
	xe2e_certs_init(&t->anchors);
	xe2e_crls_init(&t->crls);
	t->tl = NULL;
}

void xe2e_trust_release(struct xe2e_trust *t)
{
	if (t->tl)
		gnutls_x509_trust_list_deinit(t->tl, 0);
	xe2e_certs_release(&t->anchors);
	xe2e_crls_release(&t->crls);
	t->tl = NULL;
}

int xe2e_trust_finish(struct xe2e_trust *t, struct xe2e_err *err)
{
	int rc;

	if (gnutls_x509_trust_list_init(&t->tl, 0) < 0)
		return xe2e_err_oom(err);
	if (t->anchors.n == 0)
		return 0;
	/* the list borrows the certificates: we keep ownership (deinit(tl, 0)) */
	rc = gnutls_x509_trust_list_add_cas(t->tl, t->anchors.v,
					    (unsigned)t->anchors.n, 0);
	if (rc < 0)
		return xe2e_err_set(err, XE2E_EIO, "cannot build trust list: %s",
				    gnutls_strerror(rc));
	return 0;
}

int xe2e_pki_dn(struct xe2e_buf *out, gnutls_x509_crt_t crt, int issuer,
		struct xe2e_err *err)
{
	gnutls_datum_t d = { NULL, 0 };
	int rc;

	xe2e_buf_reset(out);
	rc = issuer ? gnutls_x509_crt_get_issuer_dn3(crt, &d, 0)
		    : gnutls_x509_crt_get_dn3(crt, &d, 0);
	if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
		return xe2e_buf_grow(out, 0, err);
	if (rc < 0)
		return xe2e_err_set(err, XE2E_EMALFORMED, "bad distinguished name: %s",
				    gnutls_strerror(rc));
	rc = xe2e_buf_add(out, d.data, d.size, err);
	gnutls_free(d.data);
	return rc;
}

/* Subject DN for messages; never fails (falls back to a placeholder). */
static const char *dn_for_msg(struct xe2e_buf *tmp, gnutls_x509_crt_t crt)
{
	if (xe2e_pki_dn(tmp, crt, 0, NULL) < 0 || tmp->len == 0)
		return "(empty subject)";
	return (const char *)tmp->data;
}

int xe2e_pki_crt_der(struct xe2e_buf *out, gnutls_x509_crt_t crt,
		     struct xe2e_err *err)
{
	gnutls_datum_t d = { NULL, 0 };
	int rc;

	xe2e_buf_reset(out);
	rc = gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_DER, &d);
	if (rc < 0)
		return xe2e_err_set(err, XE2E_EIO, "cannot encode certificate: %s",
				    gnutls_strerror(rc));
	rc = xe2e_buf_add(out, d.data, d.size, err);
	gnutls_free(d.data);
	return rc;
}

int xe2e_pki_names(struct xe2e_buf *out, gnutls_x509_crt_t crt,
		   struct xe2e_err *err)
{
	char v[1024];
	size_t size;
	unsigned type, i, critical;
	const char *kind;
	int rc;

	xe2e_buf_reset(out);
	for (i = 0; i < 64; i++) {
		size = sizeof(v) - 1;
		rc = gnutls_x509_crt_get_subject_alt_name2(crt, i, v, &size, &type,
							   &critical);
		if (rc == GNUTLS_E_REQUESTED_DATA_NOT_AVAILABLE)
			break;
		if (rc < 0)
			continue;
		v[size < sizeof(v) ? size : sizeof(v) - 1] = '\0';
		switch (type) {
		case GNUTLS_SAN_RFC822NAME: kind = "email"; break;
		case GNUTLS_SAN_OTHERNAME_XMPP: kind = "xmpp"; break;
		case GNUTLS_SAN_URI: kind = "uri"; break;
		case GNUTLS_SAN_DNSNAME: kind = "dns"; break;
		default: kind = NULL;
		}
		if (!kind || memchr(v, '\n', strlen(v)))
			continue;
		rc = xe2e_buf_addf(out, err, "%s:%s\n", kind, v);
		if (rc)
			return rc;
	}
	/* RFC 3850 §3: PKCS #9 emailAddress in the subject DN */
	for (i = 0; i < 16; i++) {
		size = sizeof(v) - 1;
		rc = gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_PKCS9_EMAIL, i, 0,
						   v, &size);
		if (rc < 0)
			break;
		v[size < sizeof(v) ? size : sizeof(v) - 1] = '\0';
		if (memchr(v, '\n', strlen(v)))
			continue;
		rc = xe2e_buf_addf(out, err, "email:%s\n", v);
		if (rc)
			return rc;
	}
	return 0;
}

/* RFC 3850 §4.4.2 (key usage) and §4.4.4 (extended key usage). */
int xe2e_pki_check_usage(gnutls_x509_crt_t crt, enum xe2e_purpose purpose,
			 struct xe2e_err *err)
{
	struct xe2e_buf dn = XE2E_BUF_INIT;
	unsigned ku = 0, crit = 0, i;
	char oid[128];
	size_t size;
	int rc, have_eku = 0, ok_eku = 0;

	rc = gnutls_x509_crt_get_key_usage(crt, &ku, &crit);
	if (rc >= 0) {
		if (purpose == XE2E_PURPOSE_SIGN &&
		    !(ku & (GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_NON_REPUDIATION))) {
			rc = xe2e_err_set(err, XE2E_ECERT,
					  "certificate '%s' key usage allows neither digitalSignature nor nonRepudiation",
					  dn_for_msg(&dn, crt));
			goto out;
		}
		if (purpose == XE2E_PURPOSE_ENCRYPT && !(ku & GNUTLS_KEY_KEY_ENCIPHERMENT)) {
			rc = xe2e_err_set(err, XE2E_ECERT,
					  "certificate '%s' key usage lacks keyEncipherment",
					  dn_for_msg(&dn, crt));
			goto out;
		}
	}
	for (i = 0; i < 64; i++) {
		size = sizeof(oid);
		rc = gnutls_x509_crt_get_key_purpose_oid(crt, i, oid, &size, &crit);
		if (rc < 0)
			break;
		have_eku = 1;
		if (!strcmp(oid, OID_EKU_EMAIL) || !strcmp(oid, OID_EKU_ANY))
			ok_eku = 1;
	}
	rc = 0;
	if (have_eku && !ok_eku)
		rc = xe2e_err_set(err, XE2E_ECERT,
				  "certificate '%s' extended key usage lacks emailProtection",
				  dn_for_msg(&dn, crt));
out:
	xe2e_buf_release(&dn);
	return rc;
}

/* RFC 5280 §6.3.3 (simplified, fails closed): every CRL known for the issuer
 * of crt must be signed by that issuer and be current; crt must not be on any. */
static int check_crls(gnutls_x509_crt_t crt, gnutls_x509_crt_t issuer,
		      const struct xe2e_crls *crls, struct xe2e_err *err)
{
	struct xe2e_buf dn = XE2E_BUF_INIT;
	unsigned status = 0;
	time_t now = xe2e_pki_now(), next;
	size_t i;
	int rc = 0;

	for (i = 0; i < crls->n && !rc; i++) {
		gnutls_x509_crl_t crl = crls->v[i];

		if (!gnutls_x509_crl_check_issuer(crl, issuer))
			continue;
		if (gnutls_x509_crl_verify(crl, &issuer, 1,
					   GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1, &status) < 0 ||
		    status) {
			rc = xe2e_err_set(err, XE2E_ECERT,
					  "CRL of '%s' does not verify",
					  dn_for_msg(&dn, issuer));
			break;
		}
		next = gnutls_x509_crl_get_next_update(crl);
		if (gnutls_x509_crl_get_this_update(crl) > now) {
			rc = xe2e_err_set(err, XE2E_ECERT, "CRL of '%s' is not yet valid",
					  dn_for_msg(&dn, issuer));
			break;
		}
		if (next != (time_t)-1 && next < now) {
			rc = xe2e_err_set(err, XE2E_ECERT,
					  "CRL of '%s' has expired: revocation cannot be checked",
					  dn_for_msg(&dn, issuer));
			break;
		}
		if (gnutls_x509_crt_check_revocation(crt, &crl, 1) == 1)
			rc = xe2e_err_set(err, XE2E_ECERT, "certificate '%s' is revoked",
					  dn_for_msg(&dn, crt));
	}
	xe2e_buf_release(&dn);
	return rc;
}

static int in_chain(const struct xe2e_path *p, gnutls_x509_crt_t c)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->chain[i] == c || gnutls_x509_crt_equals(p->chain[i], c))
			return 1;
	return 0;
}

static int status_error(unsigned status, const struct xe2e_path *p,
			struct xe2e_err *err)
{
	struct xe2e_buf dn = XE2E_BUF_INIT;
	time_t now = xe2e_pki_now();
	const char *why = "does not validate";
	size_t i, who = 0;
	int rc;

	if (status & (GNUTLS_CERT_EXPIRED | GNUTLS_CERT_NOT_ACTIVATED)) {
		for (i = 0; i < p->n; i++) {
			if (gnutls_x509_crt_get_expiration_time(p->chain[i]) < now) {
				who = i;
				why = "has expired";
				break;
			}
			if (gnutls_x509_crt_get_activation_time(p->chain[i]) > now) {
				who = i;
				why = "is not yet valid";
				break;
			}
		}
	} else if (status & GNUTLS_CERT_SIGNER_NOT_FOUND) {
		who = p->n - 1;
		why = "does not chain to a trusted CA";
	} else if (status & GNUTLS_CERT_REVOKED) {
		why = "is revoked";
	} else if (status & GNUTLS_CERT_INSECURE_ALGORITHM) {
		why = "is signed with an insecure algorithm";
	} else if (status & GNUTLS_CERT_SIGNER_NOT_CA) {
		why = "is issued by a certificate that is not a CA";
	} else if (status & GNUTLS_CERT_SIGNATURE_FAILURE) {
		why = "has a signature that does not verify";
	} else if (status & GNUTLS_CERT_SIGNER_CONSTRAINTS_FAILURE) {
		why = "violates its issuer's constraints";
	} else if (status & GNUTLS_CERT_UNEXPECTED_OWNER) {
		why = "has an unexpected owner";
	}
	rc = xe2e_err_set(err, XE2E_ECERT, "certificate '%s' %s",
			  dn_for_msg(&dn, p->chain[who]), why);
	xe2e_buf_release(&dn);
	return rc;
}

int xe2e_pki_validate(struct xe2e_path *path, const struct xe2e_trust *t,
		      gnutls_x509_crt_t leaf, const struct xe2e_certs *untrusted,
		      enum xe2e_purpose purpose, struct xe2e_err *err)
{
	struct xe2e_buf dn = XE2E_BUF_INIT;
	gnutls_x509_crt_t cur, anchor = NULL;
	unsigned status = 0;
	size_t i;
	int rc, found;

	path->n = 0;
	path->chain[path->n++] = leaf;
	if (!t->tl || t->anchors.n == 0) {
		rc = xe2e_err_set(err, XE2E_ECERT,
				  "no trust anchor to validate '%s' (give --ca)",
				  dn_for_msg(&dn, leaf));
		goto out;
	}
	/* RFC 3850 §2.3: certificates may come in any order; build the path */
	for (;;) {
		cur = path->chain[path->n - 1];
		if (gnutls_x509_trust_list_get_issuer(t->tl, cur, &anchor, 0) >= 0)
			break;
		anchor = NULL;
		found = 0;
		for (i = 0; untrusted && i < untrusted->n && !found; i++) {
			gnutls_x509_crt_t c = untrusted->v[i];

			if (!gnutls_x509_crt_check_issuer(cur, c) || in_chain(path, c))
				continue;
			if (path->n >= XE2E_MAX_CHAIN) {
				rc = xe2e_err_set(err, XE2E_ECERT,
						  "certificate path longer than %d",
						  XE2E_MAX_CHAIN);
				goto out;
			}
			path->chain[path->n++] = c;
			found = 1;
		}
		if (!found)
			break;
	}
	rc = gnutls_x509_trust_list_verify_crt2(t->tl, path->chain,
						(unsigned)path->n, NULL, 0,
						GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1,
						&status, NULL);
	if (rc < 0) {
		rc = xe2e_err_set(err, XE2E_ECERT, "certificate '%s' does not validate: %s",
				  dn_for_msg(&dn, leaf), gnutls_strerror(rc));
		goto out;
	}
	if (status) {
		rc = status_error(status, path, err);
		goto out;
	}
	if (!anchor) {
		rc = xe2e_err_set(err, XE2E_ECERT,
				  "certificate '%s' does not chain to a trusted CA",
				  dn_for_msg(&dn, leaf));
		goto out;
	}
	/* revocation: each certificate against its issuer's CRLs */
	for (i = 0; i < path->n; i++) {
		gnutls_x509_crt_t iss = i + 1 < path->n ? path->chain[i + 1] : anchor;

		if (path->chain[i] == iss || gnutls_x509_crt_equals(path->chain[i], iss))
			break; /* the anchor itself */
		rc = check_crls(path->chain[i], iss, &t->crls, err);
		if (rc)
			goto out;
	}
	if (!in_chain(path, anchor) && path->n <= XE2E_MAX_CHAIN)
		path->chain[path->n++] = anchor;
	rc = xe2e_pki_check_usage(leaf, purpose, err);
out:
	xe2e_buf_release(&dn);
	return rc;
}
