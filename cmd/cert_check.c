/*
 * cert_check.c - `xe2e cert-check`: may this certificate be trusted for a
 * purpose and a name?  Options and reporting; the rules are lib/path.c and
 * lib/pki.c (RFC 3850 §4, RFC 5280 §6), the same code every command uses.
 */
#include "common.h"
#include "../lib/datetime.h"
#include "../lib/cms.h"
#include "../lib/pki.h"
#include "../lib/smime.h"
#include "../lib/store.h"
#include "../lib/x400.h"
#include "../lib/x509.h"
#include "../lib/text.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char *const usage[] = {
	"usage: xe2e cert-check CERT [--untrusted FILE]... [--ca FILE|DIR]...",
	"                       [--crl FILE]... [--store DIR] [--at TIME]",
	"                       [--purpose sign|encrypt|any] [--policy modern|rfc3850|strict]",
	"                       [--crl-check auto|require|if-present]",
	"                       [--jid JID] [--email ADDR] [--x400 ORADDR] [--json]",
	"       xe2e cert-check --store DIR [--import FILE]... [--trust FILE]... [--list]",
	"       xe2e cert-check --store DIR --export NAME [--out FILE] [--outform der|pem|smime]",
	"",
	"Build and validate the certification path of CERT (the first certificate",
	"of the file) and report the verdict, the path, the CRL used for each",
	"certificate, and the certificate's names and key usages.  Or manage a",
	"certificate store.",
	"",
	"  --untrusted FILE  intermediate certificates, any order (repeatable)",
	"  --ca FILE|DIR     trust anchors (repeatable; required unless the store",
	"                    holds anchors)",
	"  --store DIR       certificate store: its anchors, certificates and CRLs",
	"                    are used too",
	"  --import FILE     store the certificates and CRLs of FILE: PEM, DER, or a",
	"                    certs-only message (.p7c) (repeatable)",
	"  --trust FILE      store the certificates of FILE as trust anchors",
	"  --list            list what the store holds",
	"  --export NAME     write a certs-only message with the stored certificate",
	"                    NAME (fingerprint, e-mail, JID or part of the subject)",
	"                    and its chain",
	"  --out FILE        where --export writes (default: standard output)",
	"  --outform FORM    der (default, .p7c), pem or smime for --export",
	"  --crl FILE        CRLs, PEM or DER (repeatable)",
	"  --at TIME         validate at TIME (RFC 3339), not now",
	"  --purpose P       sign (digitalSignature or nonRepudiation), encrypt",
	"                    (keyEncipherment) or any (default)",
	"  --policy P        modern (default: refuses MD5 signatures and RSA keys",
	"                    under 1024 bits; warns about a CA certificate as an end",
	"                    entity), rfc3850 (RFC 3850 §4.3: allows them) or strict",
	"                    (modern, and refuses what it warns about)",
	"  --crl-check M     auto (default: a usable CRL is required for a CA with",
	"                    a known CRL), require (for every CA), if-present",
	"  --jid JID         the certificate must name this JID (xmppAddr, im:, pres:)",
	"  --email ADDR      the certificate must name this e-mail address",
	"  --x400 ORADDR     the certificate must name this O/R address, e.g.",
	"                    'C=GB;ADMD= ;PRMD=Acme;O=Acme;S=Smith;G=John'",
	"  --json            report as one JSON object",
	"  -h, --help        show this help",
	"      --version     show the version",
	NULL
};

enum { O_UNTRUSTED = 256, O_CA, O_CRL, O_AT, O_PURPOSE, O_POLICY, O_CRLCHECK,
       O_JID, O_EMAIL, O_JSON, O_STORE, O_IMPORT, O_TRUST, O_LIST,
       O_EXPORT, O_OUT, O_OUTFORM, O_X400 };

static const struct option options[] = {
	{ "untrusted", required_argument, NULL, O_UNTRUSTED },
	{ "ca", required_argument, NULL, O_CA },
	{ "crl", required_argument, NULL, O_CRL },
	{ "at", required_argument, NULL, O_AT },
	{ "purpose", required_argument, NULL, O_PURPOSE },
	{ "policy", required_argument, NULL, O_POLICY },
	{ "crl-check", required_argument, NULL, O_CRLCHECK },
	{ "jid", required_argument, NULL, O_JID },
	{ "email", required_argument, NULL, O_EMAIL },
	{ "x400", required_argument, NULL, O_X400 },
	{ "json", no_argument, NULL, O_JSON },
	{ "store", required_argument, NULL, O_STORE },
	{ "import", required_argument, NULL, O_IMPORT },
	{ "trust", required_argument, NULL, O_TRUST },
	{ "list", no_argument, NULL, O_LIST },
	{ "export", required_argument, NULL, O_EXPORT },
	{ "out", required_argument, NULL, O_OUT },
	{ "outform", required_argument, NULL, O_OUTFORM },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, CMD_O_VERSION },
	{ NULL, 0, NULL, 0 }
};

#define MAX_FILES 256

struct cc_opts {
	const char *cert, *jid, *email, *x400, *store, *export, *out, *outform;
	const char *untrusted[MAX_FILES], *ca[MAX_FILES], *crl[MAX_FILES];
	const char *import[MAX_FILES], *trust[MAX_FILES];
	int n_untrusted, n_ca, n_crl, n_import, n_trust, json, have_at, list;
	time_t at;
	struct xe2e_validate_opts v;
};

static int parse(struct cc_opts *o, int argc, char **argv, int *done)
{
	struct xe2e_buf xb = XE2E_BUF_INIT;
	struct xe2e_err e;
	int c, rc = 0;

	memset(o, 0, sizeof(*o));
	o->v.purpose = XE2E_PURPOSE_ANY;
	o->v.policy = XE2E_POLICY_MODERN;
	o->v.crl = XE2E_CRL_AUTO;
	*done = 0;
	optind = 1;
	opterr = 0;
	while (!rc && (c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case O_UNTRUSTED: rc = cmd_add_file("cert-check", o->untrusted, &o->n_untrusted, MAX_FILES, "--untrusted", optarg); break;
		case O_CA: rc = cmd_add_file("cert-check", o->ca, &o->n_ca, MAX_FILES, "--ca", optarg); break;
		case O_CRL: rc = cmd_add_file("cert-check", o->crl, &o->n_crl, MAX_FILES, "--crl", optarg); break;
		case O_AT:
			if (cmd_parse_time("cert-check", optarg, &o->at, &o->have_at))
				return XE2E_EUSAGE;
			break;
		case O_PURPOSE:
			if (!strcmp(optarg, "sign"))
				o->v.purpose = XE2E_PURPOSE_SIGN;
			else if (!strcmp(optarg, "encrypt"))
				o->v.purpose = XE2E_PURPOSE_ENCRYPT;
			else if (!strcmp(optarg, "any"))
				o->v.purpose = XE2E_PURPOSE_ANY;
			else
				return cmd_usage_error("cert-check", "--purpose takes sign, encrypt or any, not '%s'", optarg);
			break;
		case O_POLICY:
			if (!strcmp(optarg, "modern"))
				o->v.policy = XE2E_POLICY_MODERN;
			else if (!strcmp(optarg, "rfc3850"))
				o->v.policy = XE2E_POLICY_RFC3850;
			else if (!strcmp(optarg, "strict"))
				o->v.policy = XE2E_POLICY_STRICT;
			else
				return cmd_usage_error("cert-check", "--policy takes modern, rfc3850 or strict, not '%s'",
						       optarg);
			break;
		case O_CRLCHECK:
			if (!strcmp(optarg, "auto"))
				o->v.crl = XE2E_CRL_AUTO;
			else if (!strcmp(optarg, "require"))
				o->v.crl = XE2E_CRL_REQUIRE;
			else if (!strcmp(optarg, "if-present"))
				o->v.crl = XE2E_CRL_IF_PRESENT;
			else
				return cmd_usage_error("cert-check", "--crl-check takes auto, require or if-present, not '%s'",
						       optarg);
			break;
		case O_JID: o->jid = optarg; break;
		case O_EMAIL: o->email = optarg; break;
		case O_X400:
			if (xe2e_x400_canon(&xb, optarg, &e)) {
				xe2e_buf_release(&xb);
				return cmd_usage_error("cert-check", "%s", e.msg);
			}
			xe2e_buf_release(&xb);
			o->x400 = optarg;
			break;
		case O_JSON: o->json = 1; break;
		case O_STORE: o->store = optarg; break;
		case O_IMPORT: rc = cmd_add_file("cert-check", o->import, &o->n_import, MAX_FILES, "--import", optarg); break;
		case O_TRUST: rc = cmd_add_file("cert-check", o->trust, &o->n_trust, MAX_FILES, "--trust", optarg); break;
		case O_LIST: o->list = 1; break;
		case O_EXPORT: o->export = optarg; break;
		case O_OUT: o->out = optarg; break;
		case O_OUTFORM:
			if (strcmp(optarg, "der") && strcmp(optarg, "pem") && strcmp(optarg, "smime"))
				return cmd_usage_error("cert-check", "--outform takes der, pem or smime, not '%s'",
						       optarg);
			o->outform = optarg;
			break;
		case 'h':
		case CMD_O_VERSION:
			return cmd_help_version(c, usage, done);
		default:
			return cmd_bad_option("cert-check", c, argv);
		}
	}
	if (rc)
		return rc;
	if (o->n_import || o->n_trust || o->list || o->export) {
		if (!o->store)
			return cmd_usage_error("cert-check", "--import, --trust, --list and --export need --store");
		if (optind < argc)
			return cmd_usage_error("cert-check", "no CERT with store management ('%s')", argv[optind]);
		if (o->export && (o->n_import || o->n_trust || o->list))
			return cmd_usage_error("cert-check", "'--export' goes alone");
		return 0;
	}
	if (o->out || o->outform)
		return cmd_usage_error("cert-check", "'--out' and '--outform' are for --export");
	if (!o->n_ca && !o->store)
		return cmd_usage_error("cert-check", "trust anchors are needed: give --ca or --store");
	if (optind + 1 != argc)
		return cmd_usage_error("cert-check", optind < argc ? "one CERT only, not '%s'"
							     : "a CERT is needed%s", optind < argc ? argv[optind + 1] : "");
	o->cert = argv[optind];
	return 0;
}

/* --import/--trust, --list, --export (RFC 3850 §4: store, protect, export) */
static int manage(const struct cc_opts *o, struct xe2e_buf *out, struct xe2e_err *err)
{
	struct xe2e_store st;
	struct xe2e_certs certs, pool;
	struct xe2e_crls crls;
	struct xe2e_trust t;
	const struct xe2e_cert *found, *chain[XE2E_MAX_CHAIN];
	struct xe2e_buf der = XE2E_BUF_INIT, d = XE2E_BUF_INIT;
	size_t i, n, added_c = 0, added_l = 0, seen_c = 0, seen_l = 0;
	int k, rc, added, anchor;

	xe2e_certs_init(&certs);
	xe2e_certs_init(&pool);
	xe2e_crls_init(&crls);
	xe2e_trust_init(&t);
	rc = xe2e_store_open(&st, o->store, o->n_import || o->n_trust, err);
	if (rc)
		return rc;
	for (k = 0; !rc && k < o->n_import + o->n_trust; k++) {
		anchor = k >= o->n_import;
		xe2e_certs_release(&certs);
		xe2e_crls_release(&crls);
		rc = xe2e_store_read_any(&certs, &crls, anchor ? o->trust[k - o->n_import] : o->import[k], err);
		for (i = 0; !rc && i < certs.n; i++, seen_c++) {
			rc = xe2e_store_add_cert(&st, certs.v[i], anchor, &added, err);
			added_c += added;
		}
		for (i = 0; !rc && !anchor && i < crls.n; i++, seen_l++) {
			rc = xe2e_store_add_crl(&st, crls.v[i]->der.data, crls.v[i]->der.len, &added, err);
			added_l += added;
		}
	}
	if (!rc && (o->n_import || o->n_trust))
		rc = xe2e_buf_addf(out, err, "stored %zu certificates (%zu new) and %zu CRLs (%zu new) in '%s'\n",
				   seen_c, added_c, seen_l, added_l, o->store);
	if (!rc && (o->list || o->export))
		rc = xe2e_store_load(&st, &t, &pool, err);
	for (k = 0; !rc && o->list && k < 2; k++) {
		const struct xe2e_certs *l = k ? &pool : &t.anchors;

		for (i = 0; !rc && i < l->n; i++) {
			char nb[32], na[32];

			xe2e_time_format_rfc3339(nb, sizeof(nb), l->v[i]->not_before);
			xe2e_time_format_rfc3339(na, sizeof(na), l->v[i]->not_after);
			xe2e_buf_reset(&d);
			rc = xe2e_text_escape_buf(&d, l->v[i]->dn.data, l->v[i]->dn.len, err);
			if (!rc)
				rc = xe2e_buf_addf(out, err, "%s '%s' valid %s .. %s\n", k ? "cert  " : "anchor",
						   d.len ? (char *)d.data : "", nb, na);
			xe2e_buf_reset(&der);
			if (!rc)
				rc = xe2e_buf_add(&der, l->v[i]->names.data, l->v[i]->names.len, err);
			for (n = 0; !rc && n < der.len; n++)
				if (der.data[n] == '\n')
					der.data[n] = n + 1 < der.len ? ' ' : '\0';
			if (!rc && der.len)
				rc = xe2e_buf_addf(out, err, "        names: %s\n", (char *)der.data);
		}
	}
	for (i = 0; !rc && o->list && i < t.crls.n; i++) {
		char tu[32];

		xe2e_time_format_rfc3339(tu, sizeof(tu), t.crls.v[i]->this_update);
		rc = xe2e_crl_issuer_dn(&der, t.crls.v[i], err);
		xe2e_buf_reset(&d);
		if (!rc)
			rc = xe2e_text_escape_buf(&d, der.data, der.len, err);
		if (!rc)
			rc = xe2e_buf_addf(out, err, "crl    '%s' of %s, %d revoked\n",
					   d.len ? (char *)d.data : "", tu, t.crls.v[i]->n_revoked);
	}
	if (!rc && o->export) {
		rc = xe2e_store_find(&found, &t.anchors, &pool, o->export, err);
		if (!rc)
			rc = xe2e_store_chain(chain, &n, found, &t.anchors, &pool);
		xe2e_buf_reset(&der);
		if (!rc)
			rc = xe2e_cms_certs_only(&der, chain, n, err);
		if (!rc && o->outform && !strcmp(o->outform, "pem"))
			rc = xe2e_pem_write(out, der.data, der.len, "PKCS7", err);
		else if (!rc && o->outform && !strcmp(o->outform, "smime"))
			rc = xe2e_smime_write_certs_only(out, der.data, der.len, err);
		else if (!rc)
			rc = xe2e_buf_add(out, der.data, der.len, err);
	}
	xe2e_store_close(&st);
	xe2e_certs_release(&certs);
	xe2e_certs_release(&pool);
	xe2e_crls_release(&crls);
	xe2e_trust_release(&t);
	xe2e_buf_release(&der);
	xe2e_buf_release(&d);
	return rc;
}

static const char *const ku_names[] = {
	"digitalSignature", "nonRepudiation", "keyEncipherment", "dataEncipherment",
	"keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"
};
static const unsigned ku_bits[] = {
	GNUTLS_KEY_DIGITAL_SIGNATURE, GNUTLS_KEY_NON_REPUDIATION, GNUTLS_KEY_KEY_ENCIPHERMENT,
	GNUTLS_KEY_DATA_ENCIPHERMENT, GNUTLS_KEY_KEY_AGREEMENT, GNUTLS_KEY_KEY_CERT_SIGN,
	GNUTLS_KEY_CRL_SIGN, GNUTLS_KEY_ENCIPHER_ONLY, GNUTLS_KEY_DECIPHER_ONLY
};

static const char *eku_name(const char *oid)
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

/* Append s: a JSON string, or text with control characters escaped. */
static int str(struct xe2e_buf *r, int json, const char *s, struct xe2e_err *err)
{
	return json ? cmd_json_str(r, s, err) : xe2e_text_escape_buf(r, s, strlen(s), err);
}

/* Append items (JSON strings or ", "-separated text). */
static int item(struct xe2e_buf *r, int json, int *first, const char *s, struct xe2e_err *err)
{
	int rc = *first ? 0 : xe2e_buf_adds(r, json ? "," : ", ", err);

	*first = 0;
	return rc ? rc : str(r, json, s, err);
}

/* Items of a "one per line" list, EKU OIDs named. */
static int lines(struct xe2e_buf *r, int json, const char *list, int eku, struct xe2e_err *err)
{
	struct xe2e_buf s = XE2E_BUF_INIT;
	const char *q, *nl;
	int rc = 0, first = 1;

	for (q = list ? list : ""; !rc && (nl = strchr(q, '\n')) != NULL; q = nl + 1) {
		xe2e_buf_reset(&s);
		rc = xe2e_buf_add(&s, q, (size_t)(nl - q), err);
		if (!rc)
			rc = item(r, json, &first, eku ? eku_name((char *)s.data) : (char *)s.data, err);
	}
	xe2e_buf_release(&s);
	return rc ? rc : first;   /* 1: nothing listed */
}

static int report(struct xe2e_buf *r, const struct xe2e_cert *leaf, const struct xe2e_path *p,
		  const struct cc_opts *o, struct xe2e_err *err)
{
	static const char *const purposes[] = { "any purpose", "signing", "encryption",
						"CRL signing", "certificate signing" };
	static const char *const pols[] = { "modern", "rfc3850", "strict" };
	const char *pol = pols[o->v.policy];
	struct xe2e_buf s = XE2E_BUF_INIT;
	char t[32];
	size_t k;
	int rc, first, json = o->json, i;

	rc = xe2e_buf_adds(r, json ? "{\"status\":\"ok\",\"exit\":0,\"valid\":true,\"subject\":"
				   : "valid: '", err);
	if (!rc)
		rc = str(r, json, xe2e_cert_name(leaf), err);
	if (!rc && json)
		rc = xe2e_buf_addf(r, err, ",\"purpose\":\"%s\",\"policy\":\"%s\",\"chain\":[",
				   purposes[o->v.purpose], pol);
	else if (!rc)
		rc = xe2e_buf_addf(r, err, "' for %s (policy %s)\nchain:\n", purposes[o->v.purpose], pol);
	for (k = 0; !rc && k < p->n; k++) {
		const struct xe2e_crl *crl = p->crl[k];

		rc = xe2e_buf_adds(r, json ? (k ? ",{\"subject\":" : "{\"subject\":") : "  ", err);
		if (!rc)
			rc = str(r, json, xe2e_cert_name(p->chain[k]), err);
		if (!rc && json)
			rc = xe2e_buf_addf(r, err, ",\"anchor\":%s,\"crl\":", k + 1 == p->n ? "true" : "false");
		else if (!rc && k + 1 == p->n)
			rc = xe2e_buf_adds(r, " (trust anchor)", err);
		if (!rc && k + 1 < p->n && crl) {
			xe2e_time_format_rfc3339(t, sizeof(t), crl->this_update);
			rc = xe2e_crl_issuer_dn(&s, crl, err);
			if (!rc)
				rc = xe2e_buf_adds(r, json ? "{\"issuer\":" : "\n    CRL of '", err);
			if (!rc)
				rc = str(r, json, (char *)s.data, err);
			if (!rc)
				rc = json ? xe2e_buf_addf(r, err, ",\"this_update\":\"%s\"}", t)
					  : xe2e_buf_addf(r, err, "' of %s: not revoked", t);
		} else if (!rc && k + 1 < p->n) {
			rc = xe2e_buf_adds(r, json ? "null" : "\n    no CRL known for its issuer", err);
		} else if (!rc && json) {
			rc = xe2e_buf_adds(r, "null", err);
		}
		if (!rc)
			rc = xe2e_buf_adds(r, json ? "}" : "\n", err);
	}
	if (!rc)
		rc = xe2e_buf_adds(r, json ? "],\"names\":[" : "names: ", err);
	if (!rc && (i = lines(r, json, (char *)leaf->names.data, 0, err)) != 0)
		rc = i < 0 ? i : (json ? 0 : xe2e_buf_adds(r, "(none)", err));
	if (!rc)
		rc = xe2e_buf_adds(r, json ? "],\"key_usage\":" : "\nkey usage: ", err);
	if (!rc && leaf->has_ku) {
		rc = xe2e_buf_adds(r, json ? "[" : "", err);
		for (first = 1, i = 0; !rc && i < 9; i++)
			if (leaf->ku & ku_bits[i])
				rc = item(r, json, &first, ku_names[i], err);
		if (!rc)
			rc = xe2e_buf_adds(r, json ? "]" : (leaf->ku_critical ? " (critical)" : ""), err);
	} else if (!rc) {
		rc = xe2e_buf_adds(r, json ? "null" : "(no extension: any)", err);
	}
	if (!rc)
		rc = xe2e_buf_adds(r, json ? ",\"extended_key_usage\":" : "\nextended key usage: ", err);
	if (!rc && leaf->has_eku) {
		rc = json ? xe2e_buf_addc(r, '[', err) : 0;
		if (!rc && (i = lines(r, json, (char *)leaf->eku.data, 1, err)) < 0)
			rc = i;
		if (!rc && json)
			rc = xe2e_buf_addc(r, ']', err);
	} else if (!rc) {
		rc = xe2e_buf_adds(r, json ? "null" : "(no extension: any)", err);
	}
	if (!rc && (json || p->warning[0]))
		rc = xe2e_buf_adds(r, json ? ",\"warnings\":[" : "\nwarning: ", err);
	if (!rc && p->warning[0])
		rc = str(r, json, p->warning, err);
	if (!rc && json)
		rc = xe2e_buf_adds(r, "]", err);
	if (!rc)
		rc = xe2e_buf_adds(r, json ? "}\n" : "\n", err);
	xe2e_buf_release(&s);
	return rc;
}

static int run(const struct cc_opts *o, struct xe2e_buf *out, struct xe2e_err *err)
{
	struct xe2e_certs leaf, pool;
	struct xe2e_trust t;
	struct xe2e_path path;
	const char *names;
	int i, rc;

	xe2e_certs_init(&leaf);
	xe2e_certs_init(&pool);
	xe2e_trust_init(&t);
	if (o->have_at)
		xe2e_pki_set_time(o->at);
	if (!o->cert)
		return manage(o, out, err);
	rc = xe2e_certs_load(&leaf, o->cert, err);
	if (!rc && o->store) {
		struct xe2e_store st;

		rc = xe2e_store_open(&st, o->store, 0, err);
		if (!rc) {
			rc = xe2e_store_load(&st, &t, &pool, err);
			xe2e_store_close(&st);
		}
	}
	for (i = 0; !rc && i < o->n_untrusted; i++)
		rc = xe2e_certs_load(&pool, o->untrusted[i], err);
	for (i = 0; !rc && i < o->n_ca; i++)
		rc = xe2e_certs_load_path(&t.anchors, o->ca[i], err);
	for (i = 0; !rc && i < o->n_crl; i++)
		rc = xe2e_crls_load(&t.crls, o->crl[i], err);
	if (!rc)
		rc = xe2e_pki_validate(&path, &t, leaf.v[0], &pool, &o->v, err);
	names = rc ? "" : (char *)leaf.v[0]->names.data;
	if (!rc && o->jid)
		rc = xe2e_pki_match_names(names, xe2e_cert_name(leaf.v[0]), XE2E_NAME_JID, o->jid, err);
	if (!rc && o->email)
		rc = xe2e_pki_match_names(names, xe2e_cert_name(leaf.v[0]), XE2E_NAME_EMAIL, o->email, err);
	if (!rc && o->x400)
		rc = xe2e_pki_match_names(names, xe2e_cert_name(leaf.v[0]), XE2E_NAME_X400, o->x400, err);
	if (!rc)
		rc = report(out, leaf.v[0], &path, o, err);
	xe2e_certs_release(&leaf);
	xe2e_certs_release(&pool);
	xe2e_trust_release(&t);
	return rc;
}

int cmd_cert_check(int argc, char **argv)
{
	struct xe2e_buf out = XE2E_BUF_INIT;
	struct xe2e_err err;
	struct cc_opts o;
	int rc, done;

	xe2e_err_clear(&err);
	rc = parse(&o, argc, argv, &done);
	if (rc || done)
		return rc ? rc : (fflush(stdout) ? XE2E_EIO : 0);
	rc = run(&o, &out, &err);
	if (!rc)
		rc = cmd_output(o.export ? o.out : NULL, &out, XE2E_IO_PUBLIC, &err);
	xe2e_buf_release(&out);
	return rc ? cmd_fail("cert-check", &err, o.json) : 0;
}
