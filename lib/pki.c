/*
 * pki.c - certificate and CRL lists, keys, names (see pki.h).
 * RFC 3850 §3 (names), RFC 7468 (PEM), RFC 5321 §2.4 (mailbox comparison).
 * Path validation is path.c.
 */
#include "pki.h"
#include "text.h"
#include "io.h"
#include "pem.h"
#include "der.h"
#include "x400.h"
#include "x509.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void xe2e_certs_init(struct xe2e_certs *c)
{
	memset(c, 0, sizeof(*c));
}

void xe2e_certs_release(struct xe2e_certs *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		xe2e_cert_unref(c->v[i]);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

int xe2e_certs_push(struct xe2e_certs *c, struct xe2e_cert *crt, struct xe2e_err *err)
{
	struct xe2e_cert **nv;

	if (c->n >= XE2E_MAX_CA_FILES * 4) {
		xe2e_cert_unref(crt);
		return xe2e_err_set(err, XE2E_EMALFORMED, "too many certificates");
	}
	if (c->n == c->alloc) {
		nv = realloc(c->v, (c->alloc ? c->alloc * 2 : 8) * sizeof(*nv));
		if (!nv) {
			xe2e_cert_unref(crt);
			return xe2e_err_oom(err);
		}
		c->v = nv;
		c->alloc = c->alloc ? c->alloc * 2 : 8;
	}
	c->v[c->n++] = crt;
	return 0;
}

int xe2e_certs_add(struct xe2e_certs *c, struct xe2e_cert *crt, struct xe2e_err *err)
{
	return xe2e_certs_push(c, xe2e_cert_ref(crt), err);
}

int xe2e_certs_add_der(struct xe2e_certs *c, const unsigned char *der,
		       size_t len, struct xe2e_err *err)
{
	struct xe2e_cert *crt;
	int rc = xe2e_cert_parse(&crt, der, len, err);

	return rc ? rc : xe2e_certs_push(c, crt, err);
}

int xe2e_certs_has(const struct xe2e_certs *c, const struct xe2e_cert *crt)
{
	size_t i;

	for (i = 0; c && i < c->n; i++)
		if (xe2e_cert_same(c->v[i], crt))
			return 1;
	return 0;
}

/* Add context to a parse error: which file. */
static int in_file(int rc, const char *path, struct xe2e_err *err)
{
	if (rc && err && err->code == XE2E_EMALFORMED && !strstr(err->msg, path))
		xe2e_err_set(err, XE2E_EMALFORMED, "'%s': %s", path, err->msg);
	return rc;
}

int xe2e_certs_load(struct xe2e_certs *c, const char *path, struct xe2e_err *err)
{
	struct xe2e_buf b = XE2E_BUF_INIT, der = XE2E_BUF_INIT;
	char label[XE2E_PEM_LABEL_MAX];
	size_t before = c->n, pos = 0;
	int rc;

	rc = xe2e_io_read(&b, path, 0, err);
	if (rc)
		goto out;
	if (!xe2e_pem_is(b.data, b.len)) {
		rc = in_file(xe2e_certs_add_der(c, b.data, b.len, err), path, err);
		goto out;
	}
	while (!rc && (rc = xe2e_pem_next(&der, label, b.data, b.len, &pos, err)) == 1) {
		rc = 0;
		if (!strcmp(label, "CERTIFICATE") || !strcmp(label, "X509 CERTIFICATE"))
			rc = xe2e_certs_add_der(c, der.data, der.len, err);
	}
	rc = in_file(rc, path, err);
	if (!rc && c->n == before)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "no certificate in '%s'", path);
out:
	xe2e_buf_release(&b);
	xe2e_buf_release(&der);
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

void xe2e_crls_keep_current(struct xe2e_crls *c, time_t now)
{
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
	struct xe2e_buf b = XE2E_BUF_INIT, der = XE2E_BUF_INIT;
	char label[XE2E_PEM_LABEL_MAX];
	size_t before = c->n, pos = 0;
	int rc;

	rc = xe2e_io_read(&b, path, 0, err);
	if (rc)
		goto out;
	if (!xe2e_pem_is(b.data, b.len)) {
		rc = in_file(xe2e_crls_add_der(c, b.data, b.len, err), path, err);
		goto out;
	}
	while (!rc && (rc = xe2e_pem_next(&der, label, b.data, b.len, &pos, err)) == 1) {
		rc = 0;
		if (!strcmp(label, "X509 CRL"))
			rc = xe2e_crls_add_der(c, der.data, der.len, err);
	}
	rc = in_file(rc, path, err);
	if (!rc && c->n == before)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "no CRL in '%s'", path);
out:
	xe2e_buf_release(&b);
	xe2e_buf_release(&der);
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
					    xe2e_pem_is(b.data, b.len) ? GNUTLS_X509_FMT_PEM
								       : GNUTLS_X509_FMT_DER,
					    pass, 0);
	if (rc == GNUTLS_E_DECRYPTION_FAILED)
		rc = xe2e_err_set(err, XE2E_EUSAGE, pass
				  ? "cannot decrypt key '%s': wrong passphrase"
				  : "key '%s' is encrypted and no passphrase was given",
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

int xe2e_pki_key_matches(gnutls_privkey_t key, const struct xe2e_cert *crt,
			 const char *key_path, struct xe2e_err *err)
{
	unsigned char a[64], b[64];
	size_t al = sizeof(a), bl = sizeof(b);
	gnutls_pubkey_t pub = NULL, cpub = NULL;
	int rc;

	if (crt->dsa_inherits) {
		/* RFC 3279 §2.3.2: the parameters are the issuer's; the public
		 * value y is the certificate's own */
		gnutls_datum_t p = { 0 }, q = { 0 }, g = { 0 }, y = { 0 }, x = { 0 };

		rc = gnutls_privkey_export_dsa_raw(key, &p, &q, &g, &y, &x);
		rc = rc < 0 ? xe2e_err_set(err, XE2E_EUSAGE, "key '%s' does not belong to the certificate",
					   key_path)
			    : xe2e_der_int_equal(y.data, y.size, crt->dsa_y.data, crt->dsa_y.len) ? 0
			    : xe2e_err_set(err, XE2E_EUSAGE, "key '%s' does not belong to the certificate",
					   key_path);
		gnutls_free(p.data);
		gnutls_free(q.data);
		gnutls_free(g.data);
		gnutls_free(y.data);
		if (x.data)
			gnutls_memset(x.data, 0, x.size);
		gnutls_free(x.data);
		return rc;
	}
	rc = xe2e_cert_pubkey(&cpub, crt, NULL, err);
	if (rc)
		return rc;
	if (gnutls_pubkey_init(&pub) < 0) {
		gnutls_pubkey_deinit(cpub);
		return xe2e_err_oom(err);
	}
	rc = gnutls_pubkey_import_privkey(pub, key, 0, 0);
	if (rc >= 0)
		rc = gnutls_pubkey_get_key_id(pub, GNUTLS_KEYID_USE_SHA256, a, &al);
	if (rc >= 0)
		rc = gnutls_pubkey_get_key_id(cpub, GNUTLS_KEYID_USE_SHA256, b, &bl);
	gnutls_pubkey_deinit(pub);
	gnutls_pubkey_deinit(cpub);
	if (rc < 0)
		return xe2e_err_set(err, XE2E_EMALFORMED, "cannot read key '%s'", key_path);
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
	size_t vl;
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
	rc = xe2e_text_join(&list, names, ", ", err);
	if (rc == 1)
		rc = xe2e_buf_adds(&list, "none", err);
	if (!rc)
		rc = xe2e_err_set(err, XE2E_ENAME, "%s '%s' is not a name of certificate '%s' (names: %s)",
				  what[kind], want, dn, (char *)list.data);
	xe2e_buf_release(&list);
	return rc;
}
