/*
 * sign.c - `xe2e sign`: make an S/MIME signed message from a MIME entity.
 * Options and key loading; the work is the send list (lib/send.c).
 */
#include "common.h"
#include "../lib/datetime.h"
#include "../lib/report.h"
#include "../lib/send.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const usage[] = {
	"usage: xe2e sign --cert FILE --key FILE [--in FILE | FILE...] [--out FILE]",
	"                 [--content-type TYPE] [--pass-fd N | --pass-file FILE]",
	"                 [--chain FILE]... [--certs always|never]",
	"                 [--digest sha1|sha256|sha384|sha512] [--opaque]",
	"                 [--outform smime|der|pem] [--signing-time TIME]",
	"                 [--compat rfc3923] [--x400-type T] [--inner cms|none|auto] [--mime]",
	"                 [--fixture-seed HEX] [--json] [--quiet]",
	"",
	"Sign a MIME entity (stdin, --in or FILEs in turn) and write an S/MIME",
	"message (stdout or --out).",
	"",
	"      --cert FILE          signer certificate (PEM or DER; further certificates in",
	"                           the file are included like --chain)",
	"      --key FILE           signer private key (PEM or DER, PKCS#1 or PKCS#8)",
	"      --pass-fd N          read the key passphrase from file descriptor N",
	"      --pass-file FILE     read the key passphrase from the first line of FILE",
	"  -i, --in FILE            input entity (default: standard input)",
	"  -o, --out FILE           output, written atomically (default: standard output)",
	"      --content-type TYPE  input is raw content of media type TYPE, not an entity",
	"      --chain FILE         intermediate certificates to include (repeatable)",
	"      --certs always|never include the signer's certificates (default: always)",
	"      --digest ALG         sha1, sha256 (default), sha384 or sha512",
	"      --opaque             application/pkcs7-mime signed-data instead of",
	"                           multipart/signed (with der/pem: encapsulate content)",
	"      --outform FORM       smime (default), der or pem (bare CMS ContentInfo)",
	"      --signing-time TIME  signingTime attribute (RFC 3339), default now",
	"      --compat rfc3923     write micalg in the RFC 3851 form (sha1, not sha-1)",
	"      --x400-type T        the input is binary X.400 content of type T (RFC 3854):",
	"                           a built-in integer (2, 22, 35) or a dotted OID; it goes",
	"                           as it is in eContent; output bare DER unless --mime",
	"      --inner cms|none|auto  the input is a CMS SignedData/EnvelopedData ContentInfo",
	"                           to nest directly (RFC 3854 §3.4; auto: when it is one)",
	"      --mime               X.400: application/pkcs7-mime signed-x400 or",
	"                           enveloped-x400 (after the innermost layer), base64",
	"      --fixture-seed HEX   tests only: every random value (MIME boundary, DSA",
	"                           nonce) from a generator seeded by HEX; with",
	"                           --signing-time the output is the same bytes every run",
	"      --json               report as one JSON object on standard error",
	"  -q, --quiet              no warnings",
	"  -h, --help               show this help",
	"  -V, --version            show the version",
	NULL
};

enum { O_CERT = CMD_O_FIRST_OWN, O_KEY, O_CTYPE, O_CHAIN, O_CERTS, O_DIGEST, O_OPAQUE,
       O_OUTFORM, O_STIME, O_COMPAT };

static const struct option options[] = {
	CMD_OPTS_BASIC,
	CMD_OPTS_X400,
	CMD_OPTS_PASS,
	CMD_OPT_FIXTURE,
	{ "cert", required_argument, NULL, O_CERT },
	{ "key", required_argument, NULL, O_KEY },
	{ "content-type", required_argument, NULL, O_CTYPE },
	{ "chain", required_argument, NULL, O_CHAIN },
	{ "certs", required_argument, NULL, O_CERTS },
	{ "digest", required_argument, NULL, O_DIGEST },
	{ "opaque", no_argument, NULL, O_OPAQUE },
	{ "outform", required_argument, NULL, O_OUTFORM },
	{ "signing-time", required_argument, NULL, O_STIME },
	{ "compat", required_argument, NULL, O_COMPAT },
	{ NULL, 0, NULL, 0 }
};


struct sign_opts {
	const char *cert, *key, *ctype;
	const char *chain[CMD_MAX_FILES];
	int n_chain, certs, opaque, compat, have_stime;
	enum xe2e_send_form form;
	int form_given;
	struct cmd_x400 x400;
	const struct xe2e_digest *digest;
	time_t signing_time;
};

static int own(int c, const char *arg, void *data)
{
	struct sign_opts *o = data;
	struct xe2e_err e;
	int x = cmd_x400_option(&o->x400, "sign", c, arg);

	if (x != -1)
		return x;
	switch (c) {
	case O_CERT: o->cert = arg; return 0;
	case O_KEY: o->key = arg; return 0;
	case O_CTYPE: o->ctype = arg; return 0;
	case O_CHAIN: return cmd_add_file("sign", o->chain, &o->n_chain, "--chain", arg);
	case O_CERTS:
		if (!strcmp(arg, "always"))
			o->certs = 1;
		else if (!strcmp(arg, "never"))
			o->certs = 0;
		else
			return cmd_usage_error("sign", "--certs takes always or never, not '%s'", arg);
		return 0;
	case O_DIGEST: return cmd_digest_option(&o->digest, "sign", arg);
	case O_OPAQUE: o->opaque = 1; return 0;
	case O_OUTFORM:
		o->form_given = 1;
		return cmd_outform(&o->form, "sign", arg);
	case O_STIME:
		if (xe2e_time_parse_rfc3339(&o->signing_time, arg, &e))
			return cmd_usage_error("sign", "%s", e.msg);
		o->have_stime = 1;
		return 0;
	case O_COMPAT: return cmd_compat_option(&o->compat, "sign", arg);
	}
	return -1;
}

struct sign_run {
	const struct xe2e_ctx *ctx;
	const struct cmd_common *cc;
	const struct sign_opts *o;
	struct xe2e_send_opts so;          /* the same for every input */
};

static int run(const char *path, struct xe2e_report *rep, struct xe2e_err *err, void *data)
{
	const struct sign_run *r = data;
	struct cmd_in in = { -1, NULL };
	struct xe2e_output out;
	int rc;

	xe2e_output_init(&out);
	rc = cmd_in_open(&in, path, err);
	if (!rc)
		rc = xe2e_output_open(&out, r->cc->out, STDOUT_FILENO, XE2E_OUTPUT_MEMORY,
				      XE2E_IO_PUBLIC, err);
	if (!rc)
		rc = xe2e_send(r->ctx, &r->so, in.src, xe2e_output_sink(&out), rep, err);
	if (rc == -XE2E_EMALFORMED && !r->o->ctype && err && err->what == XE2E_WHAT_NOT_ENTITY)
		xe2e_err_set(err, XE2E_EMALFORMED, "%s (use --content-type for raw content)", err->msg);
	if (!rc)
		rc = xe2e_output_commit(&out, err);
	xe2e_output_abort(&out);
	cmd_in_close(&in);
	return rc;
}

int cmd_sign(int argc, char **argv)
{
	struct cmd_common cc;
	struct sign_opts o;
	struct sign_run r;
	struct xe2e_send_layer layer;
	struct xe2e_certs certs, chain;
	struct xe2e_ctx ctx;
	struct xe2e_err err;
	gnutls_privkey_t key = NULL;
	int rc, status;

	cmd_common_init(&cc, "sign", usage);
	memset(&o, 0, sizeof(o));
	o.certs = 1;
	o.digest = xe2e_digest_by_name("sha256");
	rc = cmd_parse(&cc, argc, argv, options, own, &o);
	if (rc || cc.done)
		return rc ? rc : (fflush(stdout) ? XE2E_EIO : 0);
	memset(&r, 0, sizeof(r));
	r.so.layers = &layer;
	r.so.n = 1;
	r.so.form = o.form;
	r.so.opaque = o.opaque;
	r.so.compat_micalg = o.compat;
	r.so.ctype = o.ctype;
	rc = cmd_x400_apply(&o.x400, "sign", o.form_given, o.ctype, &r.so);
	if (rc)
		return rc;
	if (!o.cert || !o.key)
		return cmd_usage_error("sign", "--cert and --key are required");
	xe2e_err_clear(&err);
	xe2e_ctx_init(&ctx);
	cmd_fixture(&cc, &ctx);
	xe2e_certs_init(&certs);
	xe2e_certs_init(&chain);
	rc = cmd_load_signer(&certs, &chain, &key, &cc, o.cert, o.key, o.chain, o.n_chain, &err);
	memset(&layer, 0, sizeof(layer));
	layer.kind = XE2E_SEND_SIGN;
	layer.sign.cert = rc ? NULL : certs.v[0];
	layer.sign.key = key;
	layer.sign.chain = &chain;
	layer.sign.include_certs = o.certs;
	layer.sign.digest = o.digest;
	layer.sign.signing_time = o.have_stime ? o.signing_time : xe2e_ctx_clock(&ctx);
	r.ctx = &ctx;
	r.cc = &cc;
	r.o = &o;
	status = rc ? cmd_report(&cc, rc, &err, NULL, NULL, stderr, NULL, NULL, NULL)
		    : cmd_each_input(&cc, 0, run, &r);
	if (key)
		gnutls_privkey_deinit(key);
	xe2e_certs_release(&certs);
	xe2e_certs_release(&chain);
	cmd_fixture_release(&ctx);
	xe2e_ctx_release(&ctx);
	return status;
}
