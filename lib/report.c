/*
 * report.c - rendering of records (see report.h).
 */
#include "report.h"
#include "cms.h"
#include "datetime.h"
#include "text.h"
#include "x509.h"

#include <string.h>

static const char *const ku_names[] = {
	"digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
	"keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"
};
static const unsigned ku_bits[] = {
	GNUTLS_KEY_DIGITAL_SIGNATURE, GNUTLS_KEY_NON_REPUDIATION, GNUTLS_KEY_KEY_ENCIPHERMENT,
	GNUTLS_KEY_DATA_ENCIPHERMENT, GNUTLS_KEY_KEY_AGREEMENT, GNUTLS_KEY_KEY_CERT_SIGN,
	GNUTLS_KEY_CRL_SIGN, GNUTLS_KEY_ENCIPHER_ONLY, GNUTLS_KEY_DECIPHER_ONLY
};

const char *xe2e_ku_name(size_t i, unsigned *bit)
{
	if (i >= sizeof(ku_names) / sizeof(ku_names[0]))
		return NULL;
	*bit = ku_bits[i];
	return ku_names[i];
}

const char *xe2e_eku_name(const char *oid)
{
	static const char *const t[][2] = {
		{ "1.3.6.1.5.5.7.3.4", "emailProtection" }, { "2.5.29.37.0", "anyExtendedKeyUsage" },
		{ "1.3.6.1.5.5.7.3.1", "serverAuth" }, { "1.3.6.1.5.5.7.3.2", "clientAuth" },
		{ "1.3.6.1.5.5.7.3.3", "codeSigning" }, { "1.3.6.1.5.5.7.3.8", "timeStamping" },
		{ "1.3.6.1.5.5.7.3.9", "OCSPSigning" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (!strcmp(oid, t[i][0]))
			return t[i][1];
	return oid;
}

static const char *const type_names[] = { "signed", "certs-only", "enveloped", "unopened" };

/* Text: s escaped. */
static int esc(struct xe2e_buf *out, const char *s, struct xe2e_err *err)
{
	return xe2e_text_escape_buf(out, s, strlen(s), err);
}

/* Text: the lines of list as items (text.h) joined by sep, EKU OIDs by
 * name; 1 if there were none. */
static int join(struct xe2e_buf *out, const char *list, const char *sep, int eku,
		struct xe2e_err *err)
{
	struct xe2e_buf item = XE2E_BUF_INIT;
	const char *p, *nl, *v;
	int rc = 0, first = 1;

	if (!eku)
		return xe2e_text_join(out, list, sep, err);
	for (p = list ? list : ""; !rc && (nl = strchr(p, '\n')) != NULL; p = nl + 1, first = 0) {
		xe2e_buf_reset(&item);
		rc = xe2e_buf_add(&item, p, (size_t)(nl - p), err);
		if (!rc && !first)
			rc = xe2e_buf_adds(out, sep, err);
		v = rc ? "" : xe2e_eku_name((char *)item.data);
		if (!rc)
			rc = xe2e_text_item(out, v, strlen(v), sep, err);
	}
	xe2e_buf_release(&item);
	return rc ? rc : first;
}

/* Text: the subjects of a validated path joined by sep. */
static int join_path(struct xe2e_buf *out, const struct xe2e_path *p, const char *sep,
		     struct xe2e_err *err)
{
	size_t k;
	int rc = 0;

	for (k = 0; !rc && k < p->n; k++) {
		const char *dn = xe2e_cert_name(p->chain[k]);

		if (k)
			rc = xe2e_buf_adds(out, sep, err);
		if (!rc)
			rc = xe2e_text_item(out, dn, strlen(dn), sep, err);
	}
	return rc;
}

static int signer_text(struct xe2e_buf *out, const char *cmd, const struct xe2e_signer *s,
		       size_t layer, size_t layers, struct xe2e_err *err)
{
	char t[40];
	int rc;

	if (s->has_signing_time)
		xe2e_time_format_rfc3339(t, sizeof(t), s->signing_time);
	rc = xe2e_buf_addf(out, err, "xe2e %s: signature ok, signer '", cmd);
	if (!rc)
		rc = xe2e_text_escape_buf(out, s->subject.data, s->subject.len, err);
	if (!rc && layers > 1)
		rc = xe2e_buf_addf(out, err, "' (layer %zu of %zu)", layer, layers);
	else if (!rc)
		rc = xe2e_buf_addc(out, '\'', err);
	if (!rc)
		rc = xe2e_buf_addf(out, err, "\n  signing time: %s\n  algorithms: %s, %s\n",
				   s->has_signing_time ? t : "(none)", s->digest ? s->digest->name : "?",
				   s->sigalg);
	if (!rc && s->names.len) {
		rc = xe2e_buf_adds(out, "  names: ", err);
		if (!rc && (rc = join(out, (char *)s->names.data, ", ", 0, err)) >= 0)
			rc = xe2e_buf_addc(out, '\n', err);
	}
	if (!rc && s->path.n) {
		rc = xe2e_buf_adds(out, "  chain: ", err);
		if (!rc)
			rc = join_path(out, &s->path, " <- ", err);
		if (!rc)
			rc = xe2e_buf_addc(out, '\n', err);
	}
	if (!rc && s->unknown_attrs.len) {
		rc = xe2e_buf_adds(out, "  unknown signed attributes: ", err);
		if (!rc && (rc = join(out, (char *)s->unknown_attrs.data, ", ", 0, err)) >= 0)
			rc = xe2e_buf_addc(out, '\n', err);
	}
	if (!rc && s->path.warning[0]) {
		rc = xe2e_buf_adds(out, "  warning: ", err);
		if (!rc)
			rc = esc(out, s->path.warning, err);
		if (!rc)
			rc = xe2e_buf_addc(out, '\n', err);
	}
	return rc;
}

int xe2e_report_text(struct xe2e_buf *out, const char *cmd, const struct xe2e_report *rep,
		     struct xe2e_err *err)
{
	size_t l, i;
	int rc = 0;

	for (l = 0; !rc && l < rep->n; l++) {
		const struct xe2e_layer *y = rep->layers[l];

		for (i = 0; !rc && y->type == XE2E_LAYER_SIGNED && i < y->n_signers; i++)
			rc = signer_text(out, cmd, &y->signers[i], l + 1, rep->n, err);
		if (!rc && y->type == XE2E_LAYER_UNOPENED) {
			rc = xe2e_buf_addf(out, err, "xe2e %s: inner layer %zu: ", cmd, l + 1);
			if (!rc)
				rc = esc(out, y->note, err);
			if (!rc)
				rc = xe2e_buf_addc(out, '\n', err);
		}
	}
	return rc;
}

/* "certificate_policies": the policy sets of a path (RFC 5280 §6.1.6) */
static void policies_json(struct xe2e_json *j, const struct xe2e_policy_sets *ps)
{
	const char *sets[2] = { ps->authority, ps->user }, *p, *sp;
	static const char *const keys[2] = { "authority_constrained", "user_constrained" };
	int k;

	xe2e_json_key(j, "certificate_policies");
	xe2e_json_object(j);
	for (k = 0; k < 2; k++) {
		xe2e_json_key(j, keys[k]);
		xe2e_json_array(j);
		for (p = sets[k]; *p; p = *sp ? sp + 1 : sp) {
			sp = strchr(p, ' ');
			if (!sp)
				sp = p + strlen(p);
			xe2e_json_strn(j, (const unsigned char *)p, (size_t)(sp - p));
		}
		xe2e_json_close(j);
	}
	if (ps->truncated) {
		xe2e_json_key(j, "truncated");
		xe2e_json_bool(j, 1);
	}
	xe2e_json_close(j);
}

static void signer_json(struct xe2e_json *j, const struct xe2e_signer *s, size_t layer)
{
	char t[40];
	size_t k;

	xe2e_json_object(j);
	if (layer) {
		xe2e_json_key(j, "layer");
		xe2e_json_int(j, (long long)layer);
	}
	xe2e_json_key(j, "subject");
	xe2e_json_strn(j, s->subject.data, s->subject.len);
	xe2e_json_key(j, "digest");
	xe2e_json_str(j, s->digest ? s->digest->name : NULL);
	xe2e_json_key(j, "signature");
	xe2e_json_str(j, s->sigalg);
	xe2e_json_key(j, "signing_time");
	if (s->has_signing_time) {
		xe2e_time_format_rfc3339(t, sizeof(t), s->signing_time);
		xe2e_json_str(j, t);
	} else {
		xe2e_json_null(j);
	}
	xe2e_json_key(j, "names");
	xe2e_json_lines(j, (char *)s->names.data);
	xe2e_json_key(j, "chain");
	xe2e_json_array(j);
	for (k = 0; k < s->path.n; k++)
		xe2e_json_str(j, xe2e_cert_name(s->path.chain[k]));
	xe2e_json_close(j);
	if (s->path.n)
		policies_json(j, &s->path.policies);
	xe2e_json_key(j, "unknown_attributes");
	xe2e_json_lines(j, (char *)s->unknown_attrs.data);
	xe2e_json_key(j, "warnings");
	xe2e_json_array(j);
	if (s->path.warning[0])
		xe2e_json_str(j, s->path.warning);
	xe2e_json_close(j);
	xe2e_json_close(j);
}

void xe2e_report_json(struct xe2e_json *j, const struct xe2e_report *rep)
{
	size_t l, i;

	xe2e_json_key(j, "layers");
	xe2e_json_array(j);
	for (l = 0; l < rep->n; l++) {
		const struct xe2e_layer *y = rep->layers[l];

		xe2e_json_object(j);
		xe2e_json_key(j, "type");
		xe2e_json_str(j, type_names[y->type]);
		xe2e_json_key(j, "framing");
		xe2e_json_str(j, y->framing);
		xe2e_json_key(j, "content_type");
		xe2e_json_str(j, y->content_type[0] ? y->content_type : NULL);
		xe2e_json_key(j, "content_type_name");
		xe2e_json_str(j, y->content_type[0] ? xe2e_cms_type_name(y->content_type) : NULL);
		if (y->type == XE2E_LAYER_SIGNED || y->type == XE2E_LAYER_CERTS_ONLY) {
			xe2e_json_key(j, "detached");
			xe2e_json_bool(j, y->detached);
			xe2e_json_key(j, "signers");
			xe2e_json_array(j);
			for (i = 0; i < y->n_signers; i++)
				signer_json(j, &y->signers[i], 0);
			xe2e_json_close(j);
			xe2e_json_key(j, "certificates");
			xe2e_json_int(j, (long long)y->certs.n);
			xe2e_json_key(j, "crls");
			xe2e_json_int(j, (long long)y->crls.n);
		}
		if (y->type == XE2E_LAYER_ENVELOPED) {
			xe2e_json_key(j, "cipher");
			xe2e_json_str(j, y->cipher[0] ? y->cipher : NULL);
			xe2e_json_key(j, "recipients");
			xe2e_json_array(j);
			for (i = 0; i < y->n_recipients; i++) {
				const struct xe2e_recipient *r = &y->recipients[i];

				xe2e_json_object(j);
				xe2e_json_key(j, "kind");
				xe2e_json_str(j, r->kind);
				xe2e_json_key(j, "id");
				xe2e_json_str(j, r->id);
				xe2e_json_key(j, "algorithm");
				xe2e_json_str(j, r->alg);
				xe2e_json_key(j, "usable");
				xe2e_json_bool(j, r->usable);
				xe2e_json_key(j, "used");
				xe2e_json_bool(j, r->used);
				xe2e_json_close(j);
			}
			xe2e_json_close(j);
		}
		if (y->type == XE2E_LAYER_UNOPENED) {
			xe2e_json_key(j, "note");
			xe2e_json_str(j, y->note);
		}
		if (y->info) {         /* inspect (info.h) */
			xe2e_json_key(j, "info");
			xe2e_json_object(j);
			xe2e_info_json_members(j, y->info);
			xe2e_json_close(j);
		}
		xe2e_json_close(j);
	}
	xe2e_json_close(j);
	xe2e_json_key(j, "signers");
	xe2e_json_array(j);
	for (l = 0; l < rep->n; l++)
		for (i = 0; rep->layers[l]->type == XE2E_LAYER_SIGNED && i < rep->layers[l]->n_signers; i++)
			signer_json(j, &rep->layers[l]->signers[i], l + 1);
	xe2e_json_close(j);
}

int xe2e_report_cert_text(struct xe2e_buf *out, const struct xe2e_cert *c,
			  const struct xe2e_path *p, const char *purpose, const char *policy,
			  struct xe2e_err *err)
{
	struct xe2e_buf s = XE2E_BUF_INIT;
	char t[32];
	size_t k;
	int rc, first, i;

	rc = xe2e_buf_adds(out, "valid: '", err);
	if (!rc)
		rc = esc(out, xe2e_cert_name(c), err);
	if (!rc)
		rc = xe2e_buf_addf(out, err, "' for %s (policy %s)\nchain:\n", purpose, policy);
	for (k = 0; !rc && k < p->n; k++) {
		rc = xe2e_buf_adds(out, "  ", err);
		if (!rc)
			rc = esc(out, xe2e_cert_name(p->chain[k]), err);
		if (!rc && k + 1 == p->n)
			rc = xe2e_buf_adds(out, " (trust anchor)", err);
		if (!rc && k + 1 < p->n && p->crl[k]) {
			xe2e_time_format_rfc3339(t, sizeof(t), p->crl[k]->this_update);
			rc = xe2e_crl_issuer_dn(&s, p->crl[k], err);
			if (!rc)
				rc = xe2e_buf_adds(out, "\n    CRL of '", err);
			if (!rc)
				rc = esc(out, (char *)s.data, err);
			if (!rc)
				rc = xe2e_buf_addf(out, err, "' of %s: not revoked", t);
		} else if (!rc && k + 1 < p->n) {
			rc = xe2e_buf_adds(out, "\n    no CRL known for its issuer", err);
		}
		if (!rc)
			rc = xe2e_buf_addc(out, '\n', err);
	}
	if (!rc)
		rc = xe2e_buf_adds(out, "names: ", err);
	if (!rc && (i = join(out, (char *)c->names.data, ", ", 0, err)) != 0)
		rc = i < 0 ? i : xe2e_buf_adds(out, "(none)", err);
	if (!rc)
		rc = xe2e_buf_adds(out, "\nkey usage: ", err);
	for (first = 1, i = 0; !rc && c->has_ku && i < 9; i++)
		if (c->ku & ku_bits[i]) {
			rc = xe2e_buf_addf(out, err, "%s%s", first ? "" : ", ", ku_names[i]);
			first = 0;
		}
	if (!rc)
		rc = xe2e_buf_adds(out, !c->has_ku ? "(no extension: any)" :
				   c->ku_critical ? " (critical)" : "", err);
	if (!rc)
		rc = xe2e_buf_adds(out, "\nextended key usage: ", err);
	if (!rc && (i = c->has_eku ? join(out, (char *)c->eku.data, ", ", 1, err) : 1) != 0)
		rc = i < 0 ? i : xe2e_buf_adds(out, "(no extension: any)", err);
	if (!rc)   /* RFC 5280 §6.1.6 */
		rc = xe2e_buf_addf(out, err, "\nauthority-constrained policies: %s%s"
				   "\nuser-constrained policies: %s%s",
				   p->policies.authority[0] ? p->policies.authority : "(none)",
				   p->policies.truncated ? " (and more)" : "",
				   p->policies.user[0] ? p->policies.user : "(none)",
				   p->policies.truncated ? " (and more)" : "");
	if (!rc && p->warning[0]) {
		rc = xe2e_buf_adds(out, "\nwarning: ", err);
		if (!rc)
			rc = esc(out, p->warning, err);
	}
	if (!rc)
		rc = xe2e_buf_addc(out, '\n', err);
	xe2e_buf_release(&s);
	return rc;
}

void xe2e_report_cert_json(struct xe2e_json *j, const struct xe2e_cert *c,
			   const struct xe2e_path *p, const char *purpose, const char *policy)
{
	struct xe2e_buf s = XE2E_BUF_INIT;
	const char *q, *nl;
	char t[32];
	size_t k;
	int i;

	xe2e_json_key(j, "valid");
	xe2e_json_bool(j, 1);
	xe2e_json_key(j, "subject");
	xe2e_json_str(j, xe2e_cert_name(c));
	xe2e_json_key(j, "purpose");
	xe2e_json_str(j, purpose);
	xe2e_json_key(j, "policy");
	xe2e_json_str(j, policy);
	xe2e_json_key(j, "chain");
	xe2e_json_array(j);
	for (k = 0; k < p->n; k++) {
		xe2e_json_object(j);
		xe2e_json_key(j, "subject");
		xe2e_json_str(j, xe2e_cert_name(p->chain[k]));
		xe2e_json_key(j, "anchor");
		xe2e_json_bool(j, k + 1 == p->n);
		xe2e_json_key(j, "crl");
		if (k + 1 < p->n && p->crl[k] && !xe2e_crl_issuer_dn(&s, p->crl[k], NULL)) {
			xe2e_time_format_rfc3339(t, sizeof(t), p->crl[k]->this_update);
			xe2e_json_object(j);
			xe2e_json_key(j, "issuer");
			xe2e_json_str(j, (char *)s.data);
			xe2e_json_key(j, "this_update");
			xe2e_json_str(j, t);
			xe2e_json_close(j);
		} else {
			xe2e_json_null(j);
		}
		xe2e_json_close(j);
	}
	xe2e_json_close(j);
	xe2e_json_key(j, "names");
	xe2e_json_lines(j, (char *)c->names.data);
	xe2e_json_key(j, "key_usage");
	if (c->has_ku) {
		xe2e_json_array(j);
		for (i = 0; i < 9; i++)
			if (c->ku & ku_bits[i])
				xe2e_json_str(j, ku_names[i]);
		xe2e_json_close(j);
	} else {
		xe2e_json_null(j);
	}
	xe2e_json_key(j, "extended_key_usage");
	if (c->has_eku) {
		xe2e_json_array(j);
		for (q = (char *)c->eku.data; q && (nl = strchr(q, '\n')) != NULL; q = nl + 1) {
			xe2e_buf_reset(&s);
			if (!xe2e_buf_add(&s, q, (size_t)(nl - q), NULL))
				xe2e_json_str(j, xe2e_eku_name((char *)s.data));
		}
		xe2e_json_close(j);
	} else {
		xe2e_json_null(j);
	}
	policies_json(j, &p->policies);
	xe2e_json_key(j, "warnings");
	xe2e_json_array(j);
	if (p->warning[0])
		xe2e_json_str(j, p->warning);
	xe2e_json_close(j);
	xe2e_buf_release(&s);
}
