/*
 * cert_check.c - `xe2e cert-check`: may this certificate be trusted for a
 * purpose and a name?  And the certificate store's management.  Options and
 * output only; the rules are lib/path.c (RFC 3850 §4, RFC 5280 §6), the same
 * code every command uses, the report lib/report.c.
 */
#include "common.h"
#include "../lib/pki.h"
#include "../lib/report.h"
#include "../lib/store.h"
#include "../lib/text.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const usage[] = {
	"usage: xe2e cert-check CERT... [--untrusted FILE]... [--ca FILE|DIR]...",
	"                       [--crl FILE]... [--store DIR] [--at TIME]",
	"                       [--purpose sign|encrypt|any] [--policy modern|rfc3850|strict]",
	"                       [--crl-check auto|require|if-present] [--policy-oid OID]...",
	"                       [--explicit-policy] [--inhibit-policy-mapping] [--inhibit-any-policy]",
	"                       [--jid JID] [--email ADDR] [--x400 ORADDR] [--json] [--quiet]",
	"       xe2e cert-check --store DIR [--import FILE]... [--trust FILE]... [--list]",
	"       xe2e cert-check --store DIR --export NAME [--out FILE] [--outform der|pem|smime]",
	"",
	"Build and validate the certification path of CERT (the first certificate",
	"of the file; several CERTs are checked in turn) and report the verdict,",
	"the path, the CRL used for each certificate, and the certificate's names",
	"and key usages.  Or manage a certificate store.",
	"",
	"      --untrusted FILE intermediate certificates, any order (repeatable;",
	"                       --certfile is the same)",
	"      --ca FILE|DIR    trust anchors (repeatable; --ca or --store is needed)",
	"      --store DIR      certificate store: its anchors, certificates and CRLs",
	"                       are used too",
	"      --import FILE    store the certificates and CRLs of FILE: PEM, DER, or a",
	"                       certs-only message (.p7c) (repeatable)",
	"      --trust FILE     store the certificates of FILE as trust anchors",
	"      --list           list what the store holds",
	"      --export NAME    write a certs-only message with the stored certificate",
	"                       NAME (fingerprint, e-mail, JID or part of the subject)",
	"                       and its chain",
	"  -o, --out FILE       where --export writes (default: standard output)",
	"      --outform FORM   der (default, .p7c), pem or smime for --export",
	"      --crl FILE       CRLs, PEM or DER (repeatable)",
	"      --at TIME        validate at TIME (RFC 3339), not now",
	"      --purpose P      sign (digitalSignature or nonRepudiation), encrypt",
	"                       (keyEncipherment) or any (default)",
	"      --policy P       modern (default: refuses MD5 signatures and RSA keys",
	"                       under 1024 bits; warns about a CA certificate as an end",
	"                       entity), rfc3850 (RFC 3850 §4.3: allows them) or strict",
	"                       (modern, refuses what it warns about, and checks the RFC 5280",
	"                       profile: see man xe2e-cert-check)",
	CMD_USAGE_POLICY_INPUTS,
	"      --crl-check M    auto (default: a usable CRL is required for a CA with",
	"                       a known authentic CRL), require (for every CA), if-present",
	"      --jid JID        the certificate must name this JID (xmppAddr, im:, pres:)",
	"      --email ADDR     the certificate must name this e-mail address",
	"      --x400 ORADDR    the certificate must name this O/R address, e.g.",
	"                       'C=GB;ADMD= ;PRMD=Acme;O=Acme;S=Smith;G=John'",
	"      --json           report as one JSON object",
	"  -q, --quiet          no report on success (the exit status tells)",
	"  -i, --in FILE        CERT, as a file to read (same as a CERT argument)",
	"  -h, --help           show this help",
	"  -V, --version        show the version",
	NULL
};

enum { O_PURPOSE = CMD_O_FIRST_OWN, O_JID, O_EMAIL, O_X400, O_IMPORT, O_TRUST, O_LIST,
       O_EXPORT, O_OUTFORM };

static const struct option options[] = {
	CMD_OPTS_BASIC,
	CMD_OPTS_TRUST,
	{ "purpose", required_argument, NULL, O_PURPOSE },
	{ "jid", required_argument, NULL, O_JID },
	{ "email", required_argument, NULL, O_EMAIL },
	{ "x400", required_argument, NULL, O_X400 },
	{ "import", required_argument, NULL, O_IMPORT },
	{ "trust", required_argument, NULL, O_TRUST },
	{ "list", no_argument, NULL, O_LIST },
	{ "export", required_argument, NULL, O_EXPORT },
	{ "outform", required_argument, NULL, O_OUTFORM },
	{ NULL, 0, NULL, 0 }
};

struct cc_opts {
	const char *jid, *email, *x400, *export, *outform;
	const char *import[CMD_MAX_FILES], *trust[CMD_MAX_FILES];
	int n_import, n_trust, list;
	enum xe2e_purpose purpose;
};

static const char *const purposes[] = { "any purpose", "signing", "encryption",
					"CRL signing", "certificate signing" };
static const char *const policies[] = { "modern", "rfc3850", "strict" };

static int own(int c, const char *arg, void *data)
{
	struct cc_opts *o = data;

	switch (c) {
	case O_PURPOSE:
		if (!strcmp(arg, "sign"))
			o->purpose = XE2E_PURPOSE_SIGN;
		else if (!strcmp(arg, "encrypt"))
			o->purpose = XE2E_PURPOSE_ENCRYPT;
		else if (!strcmp(arg, "any"))
			o->purpose = XE2E_PURPOSE_ANY;
		else
			return cmd_usage_error("cert-check", "--purpose takes sign, encrypt or any, not '%s'",
					       arg);
		return 0;
	case O_JID: o->jid = arg; return 0;
	case O_EMAIL: o->email = arg; return 0;
	case O_X400:
		o->x400 = arg;
		return cmd_x400_address("cert-check", "--x400", arg);
	case O_IMPORT:
	case O_TRUST:
		if ((c == O_IMPORT ? o->n_import : o->n_trust) == CMD_MAX_FILES)
			return cmd_usage_error("cert-check", "too many files");
		if (c == O_IMPORT)
			o->import[o->n_import++] = arg;
		else
			o->trust[o->n_trust++] = arg;
		return 0;
	case O_LIST: o->list = 1; return 0;
	case O_EXPORT: o->export = arg; return 0;
	case O_OUTFORM:
		if (strcmp(arg, "der") && strcmp(arg, "pem") && strcmp(arg, "smime"))
			return cmd_usage_error("cert-check", "--outform takes der, pem or smime, not '%s'",
					       arg);
		o->outform = arg;
		return 0;
	}
	return -1;
}

/* --import/--trust, --list, --export (RFC 3850 §4: store, protect, export) */
static int manage(const struct cmd_common *cc, const struct cc_opts *o, struct xe2e_buf *out,
		  struct xe2e_err *err)
{
	struct xe2e_store st;
	size_t counts[4] = { 0, 0, 0, 0 };
	int k, rc;

	rc = xe2e_store_open(&st, cc->store, o->n_import || o->n_trust, err);
	if (rc)
		return rc;
	for (k = 0; !rc && k < o->n_import; k++)
		rc = xe2e_store_import(&st, o->import[k], 0, counts, err);
	for (k = 0; !rc && k < o->n_trust; k++)
		rc = xe2e_store_import(&st, o->trust[k], 1, counts, err);
	if (!rc && (o->n_import || o->n_trust))
		rc = xe2e_buf_addf(out, err, "stored %zu certificates (%zu new) and %zu CRLs (%zu new) in '",
				   counts[0], counts[1], counts[2], counts[3]);
	if (!rc && (o->n_import || o->n_trust))
		rc = xe2e_text_escape_buf(out, cc->store, strlen(cc->store), err) ||
		     xe2e_buf_adds(out, "'\n", err);
	if (!rc && o->list)
		rc = xe2e_store_list(&st, out, err);
	if (!rc && o->export)
		rc = xe2e_store_export(&st, o->export,
				       !o->outform || !strcmp(o->outform, "der") ? XE2E_EXPORT_DER :
				       !strcmp(o->outform, "pem") ? XE2E_EXPORT_PEM : XE2E_EXPORT_SMIME,
				       out, err);
	xe2e_store_close(&st);
	return rc;
}

struct one {
	const struct xe2e_cert *c;
	const struct xe2e_path *p;
	const struct cc_opts *o;
	const struct cmd_common *cc;
};

static void cert_json(struct xe2e_json *j, void *data)
{
	struct one *x = data;

	if (x->c)
		xe2e_report_cert_json(j, x->c, x->p, purposes[x->o->purpose],
				      policies[x->cc->policy]);
}

/* Validate one CERT file and check the names asked for. */
static int check(struct xe2e_ctx *ctx, const struct cc_opts *o, const char *file,
		 struct xe2e_certs *leaf, struct xe2e_path *path, struct xe2e_err *err)
{
	const char *names, *dn;
	int rc;

	rc = xe2e_certs_load(leaf, file, err);
	if (!rc)
		rc = xe2e_ctx_validate(ctx, path, leaf->v[0], NULL, NULL, o->purpose, err);
	if (rc)
		return rc;
	names = leaf->v[0]->names.data ? (const char *)leaf->v[0]->names.data : "";
	dn = xe2e_cert_name(leaf->v[0]);
	if (o->jid)
		rc = xe2e_pki_match_names(names, dn, XE2E_NAME_JID, o->jid, err);
	if (!rc && o->email)
		rc = xe2e_pki_match_names(names, dn, XE2E_NAME_EMAIL, o->email, err);
	if (!rc && o->x400)
		rc = xe2e_pki_match_names(names, dn, XE2E_NAME_X400, o->x400, err);
	return rc;
}

int cmd_cert_check(int argc, char **argv)
{
	struct cmd_common cc;
	struct cc_opts o;
	struct xe2e_ctx ctx;
	struct xe2e_store st;
	struct xe2e_certs leaf;
	struct xe2e_path path;
	struct xe2e_buf out = XE2E_BUF_INIT;
	struct xe2e_err err;
	struct one x;
	int rc, i, s, status = 0;

	cmd_common_init(&cc, "cert-check", usage);
	memset(&o, 0, sizeof(o));
	rc = cmd_parse(&cc, argc, argv, options, own, &o);
	if (rc || cc.done)
		return rc ? rc : (fflush(stdout) ? XE2E_EIO : 0);
	xe2e_err_clear(&err);
	if (o.n_import || o.n_trust || o.list || o.export) {
		if (!cc.store)
			return cmd_usage_error("cert-check", "--import, --trust, --list and --export need --store");
		if (cc.n_in)
			return cmd_usage_error("cert-check", "no CERT with store management ('%s')", cc.in[0]);
		if (o.export && (o.n_import || o.n_trust || o.list))
			return cmd_usage_error("cert-check", "'--export' goes alone");
		rc = manage(&cc, &o, &out, &err);
		if (!rc) {
			struct xe2e_output w;

			rc = xe2e_output_open(&w, o.export ? cc.out : NULL, STDOUT_FILENO,
					      XE2E_OUTPUT_MEMORY, XE2E_IO_PUBLIC, &err);
			if (!rc)
				rc = xe2e_sink_write(xe2e_output_sink(&w), out.data, out.len, &err);
			if (!rc)
				rc = xe2e_output_commit(&w, &err);
			xe2e_output_abort(&w);
		}
		if (!rc && fflush(stdout))
			rc = xe2e_err_set(&err, XE2E_EIO, "cannot write to standard output");
		xe2e_buf_release(&out);
		return rc ? cmd_report(&cc, rc, &err, NULL, NULL, stdout, NULL, NULL, NULL) : 0;
	}
	if (cc.out || o.outform)
		return cmd_usage_error("cert-check", "'--out' and '--outform' are for --export");
	if (!cc.n_in)
		return cmd_usage_error("cert-check", "a CERT is needed");
	rc = cmd_ctx(&cc, &ctx, &st, 1, &err);
	if (rc) {
		cmd_ctx_release(&ctx, &st);
		if (rc == -XE2E_EUSAGE && !cc.json)
			return cmd_usage_error("cert-check", "trust anchors are needed: give --ca or --store");
		return cmd_report(&cc, rc, &err, NULL, NULL, stdout, NULL, NULL, NULL);
	}
	for (i = 0; i < cc.n_in; i++) {
		xe2e_certs_init(&leaf);
		xe2e_err_clear(&err);
		xe2e_buf_reset(&out);
		memset(&path, 0, sizeof(path));
		rc = check(&ctx, &o, cc.in[i], &leaf, &path, &err);
		if (!rc && !cc.json && !cc.quiet)
			rc = xe2e_report_cert_text(&out, leaf.v[0], &path, purposes[o.purpose],
						   policies[cc.policy], &err);
		if (!rc && out.len && fwrite(out.data, 1, out.len, stdout) != out.len)
			rc = xe2e_err_set(&err, XE2E_EIO, "cannot write to standard output");
		x.c = rc ? NULL : leaf.v[0];
		x.p = &path;
		x.o = &o;
		x.cc = &cc;
		s = cmd_report(&cc, rc, &err, NULL, NULL, stdout, cc.in[i], cert_json, &x);
		if (s && !status)
			status = s;
		xe2e_certs_release(&leaf);
	}
	if (fflush(stdout) && !status)
		status = XE2E_EIO;
	xe2e_buf_release(&out);
	cmd_ctx_release(&ctx, &st);
	return status;
}
