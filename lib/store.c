/*
 * store.c - the certificate store (see store.h).  RFC 3850 §4.
 */
#include "store.h"
#include "crypto.h"
#include "io.h"
#include "smime.h"
#include "x509.h"
#include "cms.h"
#include "pem.h"
#include "datetime.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const subdirs[] = { "anchors", "certs", "crls" };

int xe2e_store_open(struct xe2e_store *s, const char *dir, int writable,
		    struct xe2e_err *err)
{
	struct xe2e_buf p = XE2E_BUF_INIT;
	size_t i;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	s->lockfd = -1;
	s->writable = writable;
	s->dir = strdup(dir);
	if (!s->dir)
		return xe2e_err_oom(err);
	if (writable && mkdir(dir, 0700) < 0 && errno != EEXIST)
		rc = xe2e_err_set(err, XE2E_EIO, "cannot create store '%s': %s", dir, strerror(errno));
	for (i = 0; !rc && writable && i < 3; i++) {
		xe2e_buf_reset(&p);
		rc = xe2e_buf_addf(&p, err, "%s/%s", dir, subdirs[i]);
		if (!rc && mkdir((char *)p.data, 0700) < 0 && errno != EEXIST)
			rc = xe2e_err_set(err, XE2E_EIO, "cannot create '%s': %s", (char *)p.data,
					  strerror(errno));
	}
	xe2e_buf_reset(&p);
	if (!rc)
		rc = xe2e_buf_addf(&p, err, "%s/.lock", dir);
	if (!rc) {
		s->lockfd = open((char *)p.data, (writable ? O_RDWR | O_CREAT : O_RDONLY) | O_CLOEXEC, 0600);
		if (s->lockfd < 0)
			rc = xe2e_err_set(err, XE2E_EIO, "cannot open store '%s': %s", dir,
					  errno == ENOENT ? "no such store" : strerror(errno));
		else if (flock(s->lockfd, writable ? LOCK_EX : LOCK_SH) < 0)
			rc = xe2e_err_set(err, XE2E_EIO, "cannot lock store '%s': %s", dir, strerror(errno));
	}
	xe2e_buf_release(&p);
	if (rc)
		xe2e_store_close(s);
	return rc;
}

void xe2e_store_close(struct xe2e_store *s)
{
	if (s->lockfd >= 0)
		close(s->lockfd);   /* releases the flock */
	s->lockfd = -1;
	free(s->dir);
	s->dir = NULL;
}

static int load_dir(const struct xe2e_store *s, const char *sub, struct xe2e_certs *certs,
		    struct xe2e_crls *crls, struct xe2e_err *err)
{
	struct xe2e_buf p = XE2E_BUF_INIT, f = XE2E_BUF_INIT;
	struct dirent *de;
	DIR *d;
	size_t n;
	int rc = 0, files = 0;

	rc = xe2e_buf_addf(&p, err, "%s/%s", s->dir, sub);
	if (rc)
		return rc;
	d = opendir((char *)p.data);
	if (!d) {
		xe2e_buf_release(&p);
		return errno == ENOENT ? 0 : xe2e_err_set(err, XE2E_EIO, "cannot read store: %s",
							   strerror(errno));
	}
	while (!rc && (de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n < 5 || strcmp(de->d_name + n - 4, ".der"))
			continue;
		if (++files > XE2E_MAX_CA_FILES * 4) {
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "store '%s' holds too many files", s->dir);
			break;
		}
		xe2e_buf_reset(&f);
		rc = xe2e_buf_addf(&f, err, "%s/%s", (char *)p.data, de->d_name);
		if (!rc)
			rc = certs ? xe2e_certs_load(certs, (char *)f.data, err)
				   : xe2e_crls_load(crls, (char *)f.data, err);
	}
	closedir(d);
	xe2e_buf_release(&p);
	xe2e_buf_release(&f);
	return rc;
}

int xe2e_store_load(const struct xe2e_store *s, struct xe2e_trust *t,
		    struct xe2e_certs *untrusted, struct xe2e_err *err)
{
	int rc = load_dir(s, "anchors", &t->anchors, NULL, err);

	if (!rc)
		rc = load_dir(s, "certs", untrusted, NULL, err);
	if (!rc)
		rc = load_dir(s, "crls", NULL, &t->crls, err);
	return rc;
}

/* Write der as DIR/sub/<sha256>.der unless it is there. */
static int save(const struct xe2e_store *s, const char *sub, const unsigned char *der,
		size_t len, int *added, struct xe2e_err *err)
{
	const struct xe2e_digest *d = xe2e_digest_by_name("sha256");
	unsigned char h[XE2E_MAX_DIGEST];
	struct xe2e_buf p = XE2E_BUF_INIT;
	struct stat st;
	size_t i;
	int rc;

	*added = 0;
	if (!s->writable)
		return xe2e_err_set(err, XE2E_EIO, "store '%s' is open read-only", s->dir);
	xe2e_digest(d, der, len, h);
	rc = xe2e_buf_addf(&p, err, "%s/%s/", s->dir, sub);
	for (i = 0; !rc && i < d->hash->digest_size; i++)
		rc = xe2e_buf_addf(&p, err, "%02x", h[i]);
	if (!rc)
		rc = xe2e_buf_adds(&p, ".der", err);
	if (!rc && stat((char *)p.data, &st) < 0) {
		rc = xe2e_io_write_atomic((char *)p.data, der, len, XE2E_IO_PUBLIC, err);
		*added = !rc;
	}
	xe2e_buf_release(&p);
	return rc;
}

int xe2e_store_add_cert(const struct xe2e_store *s, const struct xe2e_cert *crt,
			int anchor, int *added, struct xe2e_err *err)
{
	return save(s, anchor ? "anchors" : "certs", crt->der.data, crt->der.len, added, err);
}

int xe2e_store_add_crl(const struct xe2e_store *s, const unsigned char *der,
		       size_t len, int *added, struct xe2e_err *err)
{
	return save(s, "crls", der, len, added, err);
}

int xe2e_store_add_path(const struct xe2e_store *s, const struct xe2e_path *path,
			size_t *left, struct xe2e_err *err)
{
	size_t i;
	int rc = 0, added;

	for (i = 0; !rc && *left && i + 1 < path->n; i++) {
		rc = xe2e_store_add_cert(s, path->chain[i], 0, &added, err);
		*left -= (size_t)added;
	}
	for (i = 0; !rc && *left && i < path->n; i++) {
		if (!path->crl[i])
			continue;
		rc = xe2e_store_add_crl(s, path->crl[i]->der.data, path->crl[i]->der.len, &added, err);
		*left -= (size_t)added;
	}
	return rc;
}

int xe2e_store_read_any(struct xe2e_certs *certs, struct xe2e_crls *crls,
			const char *path, struct xe2e_err *err)
{
	struct xe2e_buf b = XE2E_BUF_INIT, der = XE2E_BUF_INIT;
	char label[XE2E_PEM_LABEL_MAX];
	struct xe2e_smime_msg m;
	size_t before = certs->n + crls->n, pos = 0;
	int rc;

	xe2e_smime_msg_init(&m);
	rc = xe2e_io_read(&b, path, 0, err);
	if (rc)
		goto out;
	if (b.len && b.data[0] == 0x30) {
		/* a certificate, a CRL, or a certs-only ContentInfo */
		if (xe2e_certs_add_der(certs, b.data, b.len, NULL) &&
		    xe2e_crls_add_der(crls, b.data, b.len, NULL))
			rc = xe2e_cms_read_certs(certs, crls, b.data, b.len, err);
	} else if (xe2e_pem_is(b.data, b.len)) {
		while (!rc && (rc = xe2e_pem_next(&der, label, b.data, b.len, &pos, err)) == 1) {
			if (!strcmp(label, "CERTIFICATE") || !strcmp(label, "X509 CERTIFICATE"))
				rc = xe2e_certs_add_der(certs, der.data, der.len, err);
			else if (!strcmp(label, "X509 CRL"))
				rc = xe2e_crls_add_der(crls, der.data, der.len, err);
			else if (xe2e_pem_label_is_cms(label))
				rc = xe2e_cms_read_certs(certs, crls, der.data, der.len, err);
			else
				rc = 0;
		}
	} else {
		rc = xe2e_smime_parse(&m, b.data, b.len, err);
		if (!rc)
			rc = xe2e_cms_read_certs(certs, crls, m.der.data, m.der.len, err);
	}
	if (!rc && certs->n + crls->n == before)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "no certificate or CRL in '%s'", path);
out:
	if (rc && err && err->code == XE2E_EMALFORMED && !strstr(err->msg, path))
		xe2e_err_set(err, XE2E_EMALFORMED, "'%s': %s", path, err->msg);
	xe2e_smime_msg_release(&m);
	xe2e_buf_release(&b);
	xe2e_buf_release(&der);
	return rc;
}

/* Does crt answer to NAME: a SHA-256 fingerprint prefix (8+ hex digits), one
 * of its names (email:/xmpp:/uri: value), or a part of its subject? */
static int answers(const struct xe2e_cert *crt, const char *name)
{
	char hex[65];
	size_t i, n = strlen(name);
	const char *p, *nl, *v;
	int hit = 0;

	if (n >= 8 && n <= 64) {
		for (i = 0; i < sizeof(crt->sha256); i++)
			snprintf(hex + 2 * i, 3, "%02x", crt->sha256[i]);
		hit = !strncasecmp(hex, name, n);
	}
	for (p = crt->names.data ? (char *)crt->names.data : ""; !hit && (nl = strchr(p, '\n'));
	     p = nl + 1) {
		v = strchr(p, ':');
		hit = v && v < nl && (size_t)(nl - v - 1) == n && !strncasecmp(v + 1, name, n);
	}
	if (!hit && crt->dn.len)
		hit = strcasestr((char *)crt->dn.data, name) != NULL;
	return hit;
}

int xe2e_store_find(const struct xe2e_cert **out, const struct xe2e_certs *a,
		    const struct xe2e_certs *b, const char *name, struct xe2e_err *err)
{
	const struct xe2e_certs *lists[2] = { a, b };
	size_t l, i, hits = 0;

	*out = NULL;
	for (l = 0; l < 2; l++)
		for (i = 0; lists[l] && i < lists[l]->n; i++)
			if (answers(lists[l]->v[i], name) &&
			    (!*out || !xe2e_cert_same(*out, lists[l]->v[i]))) {
				hits++;
				*out = lists[l]->v[i];
			}
	if (hits == 1)
		return 0;
	*out = NULL;
	if (hits)
		return xe2e_err_set(err, XE2E_EUSAGE,
				    "'%s' names %zu certificates in the store (give more of the subject, or the fingerprint)",
				    name, hits);
	return xe2e_err_set(err, XE2E_EUSAGE, "no certificate in the store answers to '%s'", name);
}

int xe2e_store_chain(const struct xe2e_cert **chain, size_t *n, const struct xe2e_cert *crt,
		     const struct xe2e_certs *a, const struct xe2e_certs *b)
{
	const struct xe2e_certs *lists[2] = { a, b };
	size_t l, i, k;
	int found;

	chain[0] = crt;
	*n = 1;
	/* issuers by name (RFC 5280 §7.1), to a self-issued certificate or as
	 * far as the store goes; no validation: this only exports */
	while (*n < XE2E_MAX_CHAIN && !chain[*n - 1]->self_issued) {
		for (found = 0, l = 0; !found && l < 2; l++)
			for (i = 0; !found && lists[l] && i < lists[l]->n; i++) {
				const struct xe2e_cert *c = lists[l]->v[i];

				for (k = 0; k < *n && !xe2e_cert_same(chain[k], c); k++)
					;
				if (k == *n && xe2e_cert_issued_by(chain[*n - 1], c)) {
					chain[(*n)++] = c;
					found = 1;
				}
			}
		if (!found)
			break;
	}
	return 0;
}

int xe2e_store_import(const struct xe2e_store *s, const char *path, int anchor,
		      size_t counts[4], struct xe2e_err *err)
{
	struct xe2e_certs certs;
	struct xe2e_crls crls;
	size_t i;
	int rc, added;

	xe2e_certs_init(&certs);
	xe2e_crls_init(&crls);
	rc = xe2e_store_read_any(&certs, &crls, path, err);
	for (i = 0; !rc && i < certs.n; i++, counts[0]++) {
		rc = xe2e_store_add_cert(s, certs.v[i], anchor, &added, err);
		counts[1] += (size_t)added;
	}
	for (i = 0; !rc && !anchor && i < crls.n; i++, counts[2]++) {
		rc = xe2e_store_add_crl(s, crls.v[i]->der.data, crls.v[i]->der.len, &added, err);
		counts[3] += (size_t)added;
	}
	xe2e_certs_release(&certs);
	xe2e_crls_release(&crls);
	return rc;
}

int xe2e_store_list(const struct xe2e_store *s, struct xe2e_buf *out, struct xe2e_err *err)
{
	struct xe2e_certs pool;
	struct xe2e_trust t;
	struct xe2e_buf d = XE2E_BUF_INIT;
	char nb[32], na[32];
	size_t i;
	int k, rc;

	xe2e_certs_init(&pool);
	xe2e_trust_init(&t);
	rc = xe2e_store_load(s, &t, &pool, err);
	for (k = 0; !rc && k < 2; k++) {
		const struct xe2e_certs *l = k ? &pool : &t.anchors;

		for (i = 0; !rc && i < l->n; i++) {
			const struct xe2e_cert *c = l->v[i];

			xe2e_time_format_rfc3339(nb, sizeof(nb), c->not_before);
			xe2e_time_format_rfc3339(na, sizeof(na), c->not_after);
			rc = xe2e_buf_addf(out, err, "%s '", k ? "cert  " : "anchor");
			if (!rc)
				rc = xe2e_text_escape_buf(out, c->dn.data, c->dn.len, err);
			if (!rc)
				rc = xe2e_buf_addf(out, err, "' valid %s .. %s\n", nb, na);
			if (!rc && c->names.len) {
				rc = xe2e_buf_adds(out, "        names: ", err);
				rc = xe2e_text_join(out, (char *)c->names.data, " ", err);
				if (rc >= 0)
					rc = xe2e_buf_addc(out, '\n', err);
			}
		}
	}
	for (i = 0; !rc && i < t.crls.n; i++) {
		xe2e_time_format_rfc3339(nb, sizeof(nb), t.crls.v[i]->this_update);
		rc = xe2e_crl_issuer_dn(&d, t.crls.v[i], err);
		if (!rc)
			rc = xe2e_buf_adds(out, "crl    '", err);
		if (!rc)
			rc = xe2e_text_escape_buf(out, d.data, d.len, err);
		if (!rc)
			rc = xe2e_buf_addf(out, err, "' of %s, %d revoked\n", nb, t.crls.v[i]->n_revoked);
	}
	xe2e_certs_release(&pool);
	xe2e_trust_release(&t);
	xe2e_buf_release(&d);
	return rc;
}

int xe2e_store_export(const struct xe2e_store *s, const char *name, enum xe2e_export_form form,
		      struct xe2e_buf *out, struct xe2e_err *err)
{
	const struct xe2e_cert *found, *chain[XE2E_MAX_CHAIN];
	struct xe2e_buf der = XE2E_BUF_INIT;
	struct xe2e_certs pool;
	struct xe2e_trust t;
	size_t n;
	int rc;

	xe2e_certs_init(&pool);
	xe2e_trust_init(&t);
	rc = xe2e_store_load(s, &t, &pool, err);
	if (!rc)
		rc = xe2e_store_find(&found, &t.anchors, &pool, name, err);
	if (!rc)
		rc = xe2e_store_chain(chain, &n, found, &t.anchors, &pool);
	if (!rc)
		rc = xe2e_cms_certs_only(&der, chain, n, err);
	if (!rc && form == XE2E_EXPORT_PEM)
		rc = xe2e_pem_write(out, der.data, der.len, "PKCS7", err);
	else if (!rc && form == XE2E_EXPORT_SMIME)
		rc = xe2e_smime_write_certs_only(out, der.data, der.len, err);
	else if (!rc)
		rc = xe2e_buf_add(out, der.data, der.len, err);
	xe2e_certs_release(&pool);
	xe2e_trust_release(&t);
	xe2e_buf_release(&der);
	return rc;
}
