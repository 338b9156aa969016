/*
 * pki.c - certificates, keys, CRLs, path validation, names (see pki.h).
 * RFC 3850 §4.2-§4.4 (certificate processing, key usage, EKU), RFC 5280 §6
 * (path validation, via GnuTLS) and §6.3 (CRL processing, our own checks).
 */
#include "pki.h"
#include "io.h"
#include "x400.h"
#include "x509.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	if (!dir)   /* a file (or unreadable: xe2e_certs_load says why) */
		return xe2e_certs_load(c, path, err);
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

	for (i = 0; i < c->n; i++) {
		xe2e_crl_release(c->v[i]);
		free(c->v[i]);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

int xe2e_crls_add_der(struct xe2e_crls *c, const unsigned char *der, size_t len,
		      struct xe2e_err *err)
{
	struct xe2e_crl **nv, *crl;
	int rc;

	if (c->n >= XE2E_MAX_CRLS * 4)
		return xe2e_err_set(err, XE2E_EMALFORMED, "too many CRLs");
	if (c->n == c->alloc) {
		nv = realloc(c->v, (c->alloc ? c->alloc * 2 : 4) * sizeof(*nv));
		if (!nv)
			return xe2e_err_oom(err);
		c->v = nv;
		c->alloc = c->alloc ? c->alloc * 2 : 4;
	}
	crl = calloc(1, sizeof(*crl));
	if (!crl)
		return xe2e_err_oom(err);
	rc = xe2e_crl_parse(crl, der, len, err);
	if (rc) {
		free(crl);
		return rc;
	}
	c->v[c->n++] = crl;
	return 0;
}

void xe2e_crls_keep_current(struct xe2e_crls *c)
{
	time_t now = xe2e_pki_now();
	size_t i, k = 0;

	for (i = 0; i < c->n; i++) {
		struct xe2e_crl *l = c->v[i];

		if (l->this_update <= now && (!l->has_next || l->next_update >= now)) {
			c->v[k++] = l;
		} else {
			xe2e_crl_release(l);
			free(l);
		}
	}
	c->n = k;
}

int xe2e_crls_load(struct xe2e_crls *c, const char *path, struct xe2e_err *err)
{
	static const char begin[] = "-----BEGIN X509 CRL-----";
	struct xe2e_buf b = XE2E_BUF_INIT;
	gnutls_datum_t in, der;
	const unsigned char *p;
	size_t before = c->n;
	int rc;

	rc = xe2e_io_read(&b, path, 0, err);
	if (rc)
		goto out;
	if (!is_pem(&b)) {
		rc = xe2e_crls_add_der(c, b.data, b.len, err);
		goto out;
	}
	for (p = b.data; !rc && (p = memmem(p, b.len - (size_t)(p - b.data), begin,
					    sizeof(begin) - 1)) != NULL; p++) {
		in.data = (unsigned char *)p;
		in.size = (unsigned)(b.len - (size_t)(p - b.data));
		if (gnutls_pem_base64_decode2("X509 CRL", &in, &der) < 0) {
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "bad PEM CRL in '%s'", path);
			break;
		}
		rc = xe2e_crls_add_der(c, der.data, der.size, err);
		gnutls_free(der.data);
	}
	if (!rc && c->n == before)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "no CRL in '%s'", path);
out:
	if (rc && err && err->code == XE2E_EMALFORMED && !strstr(err->msg, path))
		xe2e_err_set(err, XE2E_EMALFORMED, "'%s': %s", path, err->msg);
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
}

void xe2e_trust_release(struct xe2e_trust *t)
{
	xe2e_certs_release(&t->anchors);
	xe2e_crls_release(&t->crls);
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

/* RFC 3850 §3, §4.4.2 (key usage) and §4.4.4 (extended key usage), for
 * certificates GnuTLS parsed and for those we parsed ourselves. */
int xe2e_pki_usage_rules(const struct xe2e_usage *u, enum xe2e_purpose purpose,
			 struct xe2e_err *err)
{
	const char *p, *nl;
	int have_eku = 0, ok_eku = 0;

	/* RFC 3850 §3 (RFC 5280 §4.2.1.6): an empty subject needs a critical SAN */
	if (u->empty_subject && !u->san_critical)
		return xe2e_err_set(err, XE2E_ECERT,
				    "certificate with an empty subject and no critical subjectAltName (RFC 3850 §3)");
	if (u->has_ku) {
		if (purpose == XE2E_PURPOSE_SIGN &&
		    !(u->ku & (GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_NON_REPUDIATION)))
			return xe2e_err_set(err, XE2E_ECERT,
					    "certificate '%s' key usage allows neither digitalSignature nor nonRepudiation",
					    u->dn);
		if (purpose == XE2E_PURPOSE_CRL_SIGN && !(u->ku & GNUTLS_KEY_CRL_SIGN))
			return xe2e_err_set(err, XE2E_ECERT, "certificate '%s' key usage lacks cRLSign", u->dn);
		if (purpose == XE2E_PURPOSE_CERT_SIGN && !(u->ku & GNUTLS_KEY_KEY_CERT_SIGN))
			return xe2e_err_set(err, XE2E_ECERT, "certificate '%s' key usage lacks keyCertSign", u->dn);
		if (purpose == XE2E_PURPOSE_ENCRYPT && !(u->ku & GNUTLS_KEY_KEY_ENCIPHERMENT))
			return xe2e_err_set(err, XE2E_ECERT,
					    "certificate '%s' key usage lacks keyEncipherment", u->dn);
	}
	if (purpose == XE2E_PURPOSE_CERT_SIGN && !u->ca)
		return xe2e_err_set(err, XE2E_ECERT, "certificate '%s' is not a CA (basicConstraints)", u->dn);
	for (p = u->eku ? u->eku : ""; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		have_eku = 1;
		if (!strncmp(p, OID_EKU_EMAIL "\n", (size_t)(nl - p) + 1) ||
		    !strncmp(p, OID_EKU_ANY "\n", (size_t)(nl - p) + 1))
			ok_eku = 1;
	}
	if (have_eku && !ok_eku && purpose != XE2E_PURPOSE_CRL_SIGN &&
	    purpose != XE2E_PURPOSE_CERT_SIGN)
		return xe2e_err_set(err, XE2E_ECERT,
				    "certificate '%s' extended key usage lacks emailProtection", u->dn);
	return 0;
}

int xe2e_pki_check_usage(gnutls_x509_crt_t crt, enum xe2e_purpose purpose,
			 struct xe2e_err *err)
{
	struct xe2e_buf dn = XE2E_BUF_INIT, eku = XE2E_BUF_INIT;
	struct xe2e_usage u;
	gnutls_datum_t raw = { NULL, 0 };
	unsigned crit = 0, i, ca = 0;
	char oid[128];
	size_t size;
	int rc = 0, plen;

	memset(&u, 0, sizeof(u));
	u.dn = dn_for_msg(&dn, crt);
	u.empty_subject = gnutls_x509_crt_get_raw_dn(crt, &raw) >= 0 && raw.size <= 2;
	gnutls_free(raw.data);
	for (i = 0; i < 64; i++) {
		size = sizeof(oid);
		if (gnutls_x509_crt_get_extension_info(crt, i, oid, &size, &crit) < 0)
			break;
		if (!strcmp(oid, "2.5.29.17"))
			u.san_critical = crit;
	}
	u.has_ku = gnutls_x509_crt_get_key_usage(crt, &u.ku, &crit) >= 0;
	u.ca = gnutls_x509_crt_get_basic_constraints(crt, &crit, &ca, &plen) >= 0 && ca;
	for (i = 0; !rc && i < 64; i++) {
		size = sizeof(oid);
		if (gnutls_x509_crt_get_key_purpose_oid(crt, i, oid, &size, &crit) < 0)
			break;
		rc = xe2e_buf_addf(&eku, err, "%s\n", oid);
	}
	u.eku = eku.data ? (char *)eku.data : "";
	if (!rc)
		rc = xe2e_pki_usage_rules(&u, purpose, err);
	xe2e_buf_release(&dn);
	xe2e_buf_release(&eku);
	return rc;
}


/* Split "local@domain/resource" into bare parts; 0 if it has no '@'. */
static int split_addr(const char *s, size_t len, const char **at, size_t *bare)
{
	const char *slash = memchr(s, '/', len);

	*bare = slash ? (size_t)(slash - s) : len;
	*at = memchr(s, '@', *bare);
	return *at != NULL && *at > s && *at + 1 < s + *bare;
}

/* DESIGN §3 rule 5: bare JIDs, ASCII case-insensitive, resource ignored */
static int jid_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	const char *aa, *ba;
	size_t ab, bb;

	if (!split_addr(a, alen, &aa, &ab) || !split_addr(b, blen, &ba, &bb))
		return 0;
	return ab == bb && !strncasecmp(a, b, ab);
}

/* RFC 5321 §2.4: the local part is exact, the domain case-insensitive */
static int email_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	const char *aa = memchr(a, '@', alen), *ba = memchr(b, '@', blen);

	if (!aa || !ba || aa - a != ba - b || alen != blen)
		return 0;
	return !memcmp(a, b, (size_t)(aa - a)) && !strncasecmp(aa, ba, alen - (size_t)(aa - a));
}

int xe2e_pki_match_names(const char *names, const char *dn, enum xe2e_name_kind kind,
			 const char *want, struct xe2e_err *err)
{
	static const char *const what[] = { "JID", "address", "O/R address" };
	struct xe2e_buf list = XE2E_BUF_INIT;
	const char *p, *nl, *v;
	size_t vl, i;
	int found = 0, rc;

	for (p = names ? names : ""; !found && (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		if (kind == XE2E_NAME_JID && !strncmp(p, "xmpp:", 5))
			v = p + 5;
		else if (kind == XE2E_NAME_JID && !strncmp(p, "uri:im:", 7))
			v = p + 7;
		else if (kind == XE2E_NAME_JID && !strncmp(p, "uri:pres:", 9))
			v = p + 9;
		else if (kind == XE2E_NAME_EMAIL && !strncmp(p, "email:", 6))
			v = p + 6;
		else if (kind == XE2E_NAME_X400 && !strncmp(p, "x400:", 5))
			v = p + 5;
		else
			continue;
		vl = (size_t)(nl - v);
		if (kind == XE2E_NAME_X400) {
			char *one = strndup(v, vl);

			found = one && xe2e_x400_equal(one, want);
			free(one);
		} else {
			found = kind == XE2E_NAME_JID ? jid_equal(v, vl, want, strlen(want))
						      : email_equal(v, vl, want, strlen(want));
		}
	}
	if (found)
		return 0;
	rc = xe2e_buf_adds(&list, names && *names ? names : "none", err);
	for (i = 0; !rc && i < list.len; i++)
		if (list.data[i] == '\n')
			list.data[i] = i + 1 < list.len ? ',' : '\0';
	if (!rc)
		rc = xe2e_err_set(err, XE2E_ENAME, "%s '%s' is not a name of certificate '%s' (names: %s)",
				  what[kind], want, dn, (char *)list.data);
	xe2e_buf_release(&list);
	return rc;
}

static size_t strip_zeros(const unsigned char **p, size_t n)
{
	while (n > 1 && (*p)[0] == 0) {
		(*p)++;
		n--;
	}
	return n;
}

int xe2e_pki_crt_is(gnutls_x509_crt_t crt, const unsigned char *issuer, size_t ilen,
		    const unsigned char *serial, size_t slen)
{
	gnutls_datum_t dn = { NULL, 0 };
	unsigned char s[64];
	size_t sl = sizeof(s), al, bl;
	const unsigned char *a = s, *b = serial;
	int ok = 0;

	if (gnutls_x509_crt_get_raw_issuer_dn(crt, &dn) < 0)
		return 0;
	if (dn.size == ilen && !memcmp(dn.data, issuer, ilen) &&
	    gnutls_x509_crt_get_serial(crt, s, &sl) >= 0) {
		al = strip_zeros(&a, sl);
		bl = strip_zeros(&b, slen);
		ok = al == bl && !memcmp(a, b, al);
	}
	gnutls_free(dn.data);
	return ok;
}

int xe2e_pki_crt_has_ski(gnutls_x509_crt_t crt, const unsigned char *ski, size_t len)
{
	unsigned char id[64];
	size_t l = sizeof(id);
	unsigned crit;

	return gnutls_x509_crt_get_subject_key_id(crt, id, &l, &crit) >= 0 &&
	       l == len && !memcmp(id, ski, l);
}
