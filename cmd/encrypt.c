/*
 * encrypt.c - `xe2e encrypt`: encrypt a MIME entity for one or more
 * recipients (S/MIME enveloped-data).  Options and recipient loading; the
 * checks are lib/pki, the work the send list (lib/send.c).
 */
#include "common.h"
#include "../lib/cipher.h"
#include "../lib/report.h"
#include "../lib/send.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const usage[] = {
	"usage: xe2e encrypt --recip FILE... [--in FILE | FILE...] [--out FILE]",
	"                    [--content-type TYPE] [--cipher aes128|aes192|aes256|des3]",
	"                    [--keyid] [--cert FILE] [--no-self] [--outform smime|der|pem]",
	"                    [--ca FILE|DIR]... [--crl FILE]... [--untrusted FILE]...",
	"                    [--store DIR] [--at TIME] [--crl-check MODE] [--policy P]",
	"                    [--stream | --no-stream] [--x400-type T] [--inner cms|none|auto] [--mime]",
	"                    [--fixture-seed HEX] [--json] [--quiet]",
	"",
	"Encrypt a MIME entity (stdin, --in or FILEs in turn) for the recipients",
	"and write an S/MIME enveloped-data message (stdout or --out).",
	"",
	"      --recip FILE     recipient certificate(s), PEM or DER (repeatable; a file",
	"                       may hold several)",
	"      --cert FILE      the sender's own certificate: a copy of the key is",
	"                       encrypted for it too (RFC 3854 §3.3)",
	"      --no-self        do not encrypt for --cert",
	"      --keyid          identify recipients by subjectKeyIdentifier",
	"      --cipher ALG     aes128 (default), aes192, aes256 or des3; OpenSSL's",
	"                       names (aes-256-cbc, des-ede3-cbc) too",
	"  -i, --in FILE        input entity (default: standard input)",
	"  -o, --out FILE       output, written atomically (default: standard output)",
	"      --content-type T input is raw content of media type T, not an entity",
	"      --outform FORM   smime (default), der or pem",
	"      --ca FILE|DIR    validate recipient certificates against these anchors",
	"                       (without any, validity and key usage are still checked)",
	"      --crl FILE       CRLs for that validation (repeatable)",
	"      --untrusted FILE intermediate certificates (repeatable; or --certfile)",
	"      --store DIR      certificate store: its anchors, certificates and CRLs",
	"      --at TIME        validate at TIME (RFC 3339), not now",
	"      --crl-check MODE auto (default), require or if-present",
	"      --policy P       modern (default), rfc3850 or strict",
	CMD_USAGE_POLICY_INPUTS,
	"      --stream         write indefinite-length BER in constant memory (default",
	"                       when the input is not a regular file or is over 16 MiB)",
	"      --no-stream      hold the message in memory and write DER",
	"      --x400-type T        the input is binary X.400 content of type T (RFC 3854):",
	"                           a built-in integer (2, 22, 35) or a dotted OID; it goes",
	"                           as it is in eContent; output bare DER unless --mime",
	"      --inner cms|none|auto  the input is a CMS SignedData/EnvelopedData ContentInfo",
	"                           to nest directly (RFC 3854 §3.4; auto: when it is one)",
	"      --mime               X.400: application/pkcs7-mime signed-x400 or",
	"                           enveloped-x400 (after the innermost layer), base64",
	"      --fixture-seed HEX  tests only: the content key, IV and RSA padding from a",
	"                       generator seeded by HEX (the same bytes every run)",
	"      --json           report as one JSON object on standard error",
	"  -q, --quiet          no warnings",
	"  -h, --help           show this help",
	"  -V, --version        show the version",
	NULL
};

enum { O_RECIP = CMD_O_FIRST_OWN, O_CERT, O_NOSELF, O_KEYID, O_CIPHER, O_CTYPE, O_OUTFORM,
       O_STREAM, O_NOSTREAM };

static const struct option options[] = {
	CMD_OPTS_BASIC,
	CMD_OPTS_X400,
	CMD_OPTS_TRUST,
	CMD_OPT_FIXTURE,
	{ "recip", required_argument, NULL, O_RECIP },
	{ "cert", required_argument, NULL, O_CERT },
	{ "no-self", no_argument, NULL, O_NOSELF },
	{ "keyid", no_argument, NULL, O_KEYID },
	{ "cipher", required_argument, NULL, O_CIPHER },
	{ "content-type", required_argument, NULL, O_CTYPE },
	{ "outform", required_argument, NULL, O_OUTFORM },
	{ "stream", no_argument, NULL, O_STREAM },
	{ "no-stream", no_argument, NULL, O_NOSTREAM },
	{ NULL, 0, NULL, 0 }
};

struct encrypt_opts {
	const char *recip[CMD_MAX_FILES];
	int n_recip;
	const char *cert, *ctype;
	enum xe2e_send_form form;
	int form_given;
	struct cmd_x400 x400;
	const struct xe2e_cipher_alg *alg;
	int no_self, keyid, stream;
};

static int own(int c, const char *arg, void *data)
{
	struct encrypt_opts *o = data;
	int x = cmd_x400_option(&o->x400, "encrypt", c, arg);

	if (x != -1)
		return x;
	switch (c) {
	case O_RECIP: return cmd_add_file("encrypt", o->recip, &o->n_recip, "--recip", arg);
	case O_CERT: o->cert = arg; return 0;
	case O_NOSELF: o->no_self = 1; return 0;
	case O_KEYID: o->keyid = 1; return 0;
	case O_CIPHER: return cmd_cipher_option(&o->alg, "encrypt", arg);
	case O_CTYPE: o->ctype = arg; return 0;
	case O_OUTFORM:
		o->form_given = 1;
		return cmd_outform(&o->form, "encrypt", arg);
	case O_STREAM: o->stream = 1; return 0;
	case O_NOSTREAM: o->stream = 0; return 0;
	}
	return -1;
}

struct encrypt_run {
	const struct xe2e_ctx *ctx;
	const struct cmd_common *cc;
	const struct encrypt_opts *o;
	struct xe2e_send_opts so;          /* the same for every input but stream */
};

static int run(const char *path, struct xe2e_report *rep, struct xe2e_err *err, void *data)
{
	const struct encrypt_run *r = data;
	struct xe2e_send_opts so = r->so;
	struct cmd_in in = { -1, NULL };
	struct xe2e_output out;
	int rc;

	xe2e_output_init(&out);
	rc = cmd_in_open(&in, path, err);
	if (rc)
		goto out;
	so.stream = cmd_want_stream(r->o->stream, in.fd);
	/* encrypting cannot fail late except on I/O: stream straight to stdout */
	rc = xe2e_output_open(&out, r->cc->out, STDOUT_FILENO,
			      so.stream ? XE2E_OUTPUT_STREAM : XE2E_OUTPUT_MEMORY, XE2E_IO_PUBLIC, err);
	if (!rc)
		rc = xe2e_send(r->ctx, &so, in.src, xe2e_output_sink(&out), rep, err);
	if (rc == -XE2E_EMALFORMED && !r->o->ctype && err && err->what == XE2E_WHAT_NOT_ENTITY)
		xe2e_err_set(err, XE2E_EMALFORMED, "%s (use --content-type for raw content)", err->msg);
	if (!rc)
		rc = xe2e_output_commit(&out, err);
out:
	xe2e_output_abort(&out);
	cmd_in_close(&in);
	return rc;
}

int cmd_encrypt(int argc, char **argv)
{
	struct cmd_common cc;
	struct encrypt_opts o;
	struct encrypt_run r;
	struct xe2e_send_layer layer;
	struct xe2e_ctx ctx;
	struct xe2e_store st;
	struct xe2e_certs recips;
	struct xe2e_err err;
	int rc, status;

	cmd_common_init(&cc, "encrypt", usage);
	memset(&o, 0, sizeof(o));
	o.alg = xe2e_cipher_by_name("aes128");
	o.stream = -1;
	rc = cmd_parse(&cc, argc, argv, options, own, &o);
	if (rc || cc.done)
		return rc ? rc : (fflush(stdout) ? XE2E_EIO : 0);
	memset(&r, 0, sizeof(r));
	r.so.layers = &layer;
	r.so.n = 1;
	r.so.form = o.form;
	r.so.ctype = o.ctype;
	rc = cmd_x400_apply(&o.x400, "encrypt", o.form_given, o.ctype, &r.so);
	if (rc)
		return rc;
	if (o.n_recip == 0)
		return cmd_usage_error("encrypt", "at least one --recip is required");
	if (o.no_self && !o.cert)
		return cmd_usage_error("encrypt", "'--no-self' needs '--cert'");
	xe2e_err_clear(&err);
	xe2e_certs_init(&recips);
	rc = cmd_ctx(&cc, &ctx, &st, 0, &err);
	if (!rc)
		rc = cmd_load_recipients(&recips, &ctx, &cc, o.recip, o.n_recip, o.no_self ? NULL : o.cert, &err);
	memset(&layer, 0, sizeof(layer));
	layer.kind = XE2E_SEND_ENCRYPT;
	layer.enc.recips = recips.v;
	layer.enc.n_recips = recips.n;
	layer.enc.use_ski = o.keyid;
	layer.enc.alg = o.alg;
	r.ctx = &ctx;
	r.cc = &cc;
	r.o = &o;
	status = rc ? cmd_report(&cc, rc, &err, NULL, NULL, stderr, NULL, NULL, NULL)
		    : cmd_each_input(&cc, 0, run, &r);
	xe2e_certs_release(&recips);
	cmd_ctx_release(&ctx, &st);
	return status;
}
