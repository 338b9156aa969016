/*
 * verify.c - `xe2e verify`: check an S/MIME or CMS signed message and give
 * back the signed content.  Options and reporting; the work is the receive
 * walk (lib/recv.c).
 */
#include "common.h"
#include "../lib/recv.h"
#include "../lib/report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const usage[] = {
	"usage: xe2e verify [--in FILE | FILE...] [--out FILE] [--content FILE] [--binary]",
	"                   [--ca FILE|DIR]... [--crl FILE]... [--untrusted FILE]...",
	"                   [--store DIR [--cache]] [--at TIME] [--crl-check MODE]",
	"                   [--policy P] [--max-depth N] [--lf] [--x400-originator ORADDR] [--x400-content]",
	"                   [--json] [--quiet]",
	"",
	"Verify a signed message (multipart/signed, application/pkcs7-mime",
	"signed-data, or a PEM/DER CMS object), every nested signed layer in it,",
	"and write the signed content.  Several FILEs are verified in turn.",
	"",
	"  -i, --in FILE        input message (default: standard input)",
	"  -o, --out FILE       signed content, written atomically (default: standard output)",
	"      --content FILE   content of a detached DER/PEM signature",
	"      --binary         --content is exactly the signed bytes (default: try them,",
	"                       then their canonical CRLF form)",
	"      --ca FILE|DIR    trust anchors: PEM/DER file(s), or a directory of",
	"                       *.pem/*.crt/*.cer/*.der files (repeatable)",
	"      --crl FILE       CRLs (PEM or DER, repeatable)",
	"      --untrusted FILE more certificates for finding the signer and building",
	"                       the path (repeatable; --certfile is the same)",
	"      --store DIR      certificate store (xe2e cert-check --store): its anchors,",
	"                       certificates and CRLs are used too; --ca or --store is needed",
	"      --cache          save there the certificates and CRLs the validation used",
	"      --at TIME        validate certificates at TIME (RFC 3339), not now",
	"      --crl-check MODE auto (default: a CRL is required for a CA with a known",
	"                       authentic CRL), require (for every CA), if-present",
	"      --policy P       modern (default), rfc3850 or strict (see xe2e cert-check)",
	CMD_USAGE_POLICY_INPUTS,
	"      --max-depth N    nested layers to peel at most (default 8)",
	"      --lf             write the content with LF line ends, not CRLF",
	"      --x400-originator ORADDR  the signer of X.400 content must carry this O/R",
	"                       address (e.g. \"C=GB;ADMD= ;PRMD=Acme;O=Acme;S=Smith\");",
	"                       an IPM heading's originator is checked without it",
	"      --x400-content   write X.400 content as application/x400-content",
	"      --json           report as one JSON object on standard error",
	"  -q, --quiet          no summary on success",
	"  -h, --help           show this help",
	"  -V, --version        show the version",
	NULL
};

enum { O_CONTENT = CMD_O_FIRST_OWN, O_BINARY };

static const struct option options[] = {
	CMD_OPTS_BASIC,
	CMD_OPTS_TRUST,
	CMD_OPT_CACHE,
	{ "content", required_argument, NULL, O_CONTENT },
	{ "binary", no_argument, NULL, O_BINARY },
	{ "max-depth", required_argument, NULL, CMD_O_MAXDEPTH },
	CMD_OPTS_X400_RECV,
	{ "lf", no_argument, NULL, CMD_O_LF },
	{ NULL, 0, NULL, 0 }
};

struct verify_opts {
	const char *content;
	int binary;
};

static int own(int c, const char *arg, void *data)
{
	struct verify_opts *o = data;

	if (c == O_CONTENT)
		o->content = arg;
	else if (c == O_BINARY)
		o->binary = 1;
	else
		return -1;
	return 0;
}

struct verify_run {
	struct xe2e_ctx *ctx;
	const struct cmd_common *cc;
	const struct verify_opts *o;
};

/* Verify one input: content to the output only when every layer passed. */
static int run(const char *path, struct xe2e_report *rep, struct xe2e_err *err, void *data)
{
	const struct verify_run *r = data;
	const struct verify_opts *o = r->o;
	struct xe2e_buf in = XE2E_BUF_INIT, content = XE2E_BUF_INIT;
	struct xe2e_source *src = malloc(sizeof(*src));
	struct xe2e_recv_opts ro;
	struct xe2e_detached det;
	struct xe2e_output out;
	int rc;

	xe2e_output_init(&out);
	if (!src)
		return xe2e_err_oom(err);
	cmd_recv_opts(&ro, r->cc, XE2E_RECV_SIGNED);
	ro.verify = 1;
	rc = cmd_read(&in, path, r->ctx->max_input, err);
	if (!rc && o->content) {
		rc = cmd_read(&content, o->content, r->ctx->max_input, err);
		det.p = content.data;
		det.len = content.len;
		det.canon_fallback = !o->binary;
		ro.detached = &det;
	}
	if (!rc)
		rc = xe2e_output_open(&out, r->cc->out, STDOUT_FILENO, XE2E_OUTPUT_MEMORY,
				      XE2E_IO_PUBLIC, err);
	if (!rc) {
		xe2e_source_init_mem(src, in.data, in.len);
		rc = cmd_receive(r->ctx, r->cc, &ro, src, &out, rep, err);
	}
	if (rc == -XE2E_EMALFORMED && !o->content && err && err->what == XE2E_WHAT_NO_CONTENT)
		xe2e_err_set(err, XE2E_EMALFORMED, "%s (give it with --content)", err->msg);
	xe2e_output_abort(&out);
	xe2e_buf_release(&in);
	xe2e_buf_wipe(&content);
	free(src);
	return rc;
}

int cmd_verify(int argc, char **argv)
{
	struct cmd_common cc;
	struct verify_opts o;
	struct verify_run r;
	struct xe2e_ctx ctx;
	struct xe2e_store st;
	struct xe2e_err err;
	int rc, status;

	cmd_common_init(&cc, "verify", usage);
	memset(&o, 0, sizeof(o));
	rc = cmd_parse(&cc, argc, argv, options, own, &o);
	if (rc || cc.done)
		return rc ? rc : (fflush(stdout) ? XE2E_EIO : 0);
	if (o.binary && !o.content)
		return cmd_usage_error("verify", "'--binary' needs '--content'");
	if (o.content && cc.n_in > 1)
		return cmd_usage_error("verify", "'--content' takes one input, not %d", cc.n_in);
	xe2e_err_clear(&err);
	rc = cmd_ctx(&cc, &ctx, &st, 1, &err);
	if (rc) {
		cmd_ctx_release(&ctx, &st);
		if (rc == -XE2E_EUSAGE && !cc.json)
			return cmd_usage_error("verify", "%s", err.msg);
		return cmd_report(&cc, rc, &err, NULL, NULL, stderr, NULL, NULL, NULL);
	}
	r.ctx = &ctx;
	r.cc = &cc;
	r.o = &o;
	status = cmd_each_input(&cc, 1, run, &r);
	cmd_ctx_release(&ctx, &st);
	return status;
}
