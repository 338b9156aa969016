/*
 * decrypt.c - `xe2e decrypt`: decrypt an S/MIME enveloped-data message with
 * the recipient's key (and, given trust anchors, verify signed layers
 * inside it).  Options, key loading and output; the work is the receive
 * walk (lib/recv.c).
 */
#include "common.h"
#include "../lib/recv.h"
#include "../lib/report.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const usage[] = {
	"usage: xe2e decrypt --key FILE [--cert FILE] [--in FILE | FILE...] [--out FILE]",
	"                    [--pass-fd N | --pass-file FILE] [--stream | --no-stream]",
	"                    [--ca FILE|DIR]... [--crl FILE]... [--untrusted FILE]...",
	"                    [--store DIR [--cache]] [--at TIME] [--crl-check MODE]",
	"                    [--policy P] [--max-depth N] [--lf] [--x400-originator ORADDR] [--x400-content]",
	"                    [--json] [--quiet]",
	"",
	"Decrypt an enveloped-data message (S/MIME, PEM or DER; stdin, --in or",
	"FILEs in turn) and write the content (stdout or --out).  With --ca or",
	"--store, signed layers inside are verified and peeled too.",
	"",
	"      --key FILE       the recipient's private key (RSA; PEM or DER, PKCS#1 or",
	"                       PKCS#8, encrypted PKCS#8 with a passphrase)",
	"      --cert FILE      the recipient's certificate: selects the RecipientInfo",
	"                       (without it every key transport recipient is tried)",
	"      --pass-fd N      read the key passphrase from file descriptor N",
	"      --pass-file FILE read the key passphrase from the first line of FILE",
	"  -i, --in FILE        input message (default: standard input)",
	"  -o, --out FILE       content, written atomically; a new file is made 0600",
	"                       (default: standard output)",
	"      --stream         constant memory; the content is held in a temporary",
	"                       file until it is complete (default when the input is",
	"                       not a regular file or is over 16 MiB)",
	"      --no-stream      hold the content in memory",
	"      --ca FILE|DIR    trust anchors for signed layers inside (repeatable)",
	"      --crl FILE       CRLs (repeatable)",
	"      --untrusted FILE more certificates for paths (repeatable; or --certfile)",
	"      --store DIR      certificate store (xe2e cert-check --store)",
	"      --cache          save in the store what of the message's certificates",
	"                       and CRLs (originatorInfo) validates against its anchors",
	"      --at TIME        validate certificates at TIME (RFC 3339), not now",
	"      --crl-check MODE auto (default), require or if-present",
	"      --policy P       modern (default), rfc3850 or strict",
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

enum { O_KEY = CMD_O_FIRST_OWN, O_CERT, O_STREAM, O_NOSTREAM };

static const struct option options[] = {
	CMD_OPTS_BASIC,
	CMD_OPTS_TRUST,
	CMD_OPT_CACHE,
	CMD_OPTS_PASS,
	{ "key", required_argument, NULL, O_KEY },
	{ "cert", required_argument, NULL, O_CERT },
	{ "stream", no_argument, NULL, O_STREAM },
	{ "no-stream", no_argument, NULL, O_NOSTREAM },
	{ "max-depth", required_argument, NULL, CMD_O_MAXDEPTH },
	CMD_OPTS_X400_RECV,
	{ "lf", no_argument, NULL, CMD_O_LF },
	{ NULL, 0, NULL, 0 }
};

struct decrypt_opts {
	const char *key, *cert;
	int stream;
};

static int own(int c, const char *arg, void *data)
{
	struct decrypt_opts *o = data;

	switch (c) {
	case O_KEY: o->key = arg; return 0;
	case O_CERT: o->cert = arg; return 0;
	case O_STREAM: o->stream = 1; return 0;
	case O_NOSTREAM: o->stream = 0; return 0;
	}
	return -1;
}

struct decrypt_run {
	struct xe2e_ctx *ctx;
	const struct cmd_common *cc;
	const struct decrypt_opts *o;
	const struct xe2e_recv_opts *ro;
};

static int run(const char *path, struct xe2e_report *rep, struct xe2e_err *err, void *data)
{
	const struct decrypt_run *r = data;
	struct cmd_in in = { -1, NULL };
	struct xe2e_output out;
	int rc;

	xe2e_output_init(&out);
	rc = cmd_in_open(&in, path, err);
	/* the content is only known good at the very end: spool it (DESIGN §4) */
	if (!rc)
		rc = xe2e_output_open(&out, r->cc->out, STDOUT_FILENO,
				      cmd_want_stream(r->o->stream, in.fd) ? XE2E_OUTPUT_SPOOL
									   : XE2E_OUTPUT_MEMORY,
				      XE2E_IO_PRIVATE, err);
	if (!rc)
		rc = cmd_receive(r->ctx, r->cc, r->ro, in.src, &out, rep, err);
	xe2e_output_abort(&out);
	cmd_in_close(&in);
	return rc;
}

int cmd_decrypt(int argc, char **argv)
{
	struct cmd_common cc;
	struct decrypt_opts o;
	struct decrypt_run r;
	struct xe2e_recv_opts ro;
	struct xe2e_ctx ctx;
	struct xe2e_store st;
	struct xe2e_certs certs;
	struct xe2e_err err;
	gnutls_privkey_t key = NULL;
	int rc, status;

	cmd_common_init(&cc, "decrypt", usage);
	memset(&o, 0, sizeof(o));
	o.stream = -1;
	rc = cmd_parse(&cc, argc, argv, options, own, &o);
	if (rc || cc.done)
		return rc ? rc : (fflush(stdout) ? XE2E_EIO : 0);
	if (!o.key)
		return cmd_usage_error("decrypt", "--key is required");
	xe2e_err_clear(&err);
	xe2e_certs_init(&certs);
	cmd_recv_opts(&ro, &cc, XE2E_RECV_ENVELOPED);
	rc = cmd_ctx(&cc, &ctx, &st, 0, &err);
	ro.verify = ctx.trust.anchors.n > 0;
	ro.keep_originator = cc.cache;
	if (!rc)
		rc = cmd_load_key(&key, o.key, &cc, &err);
	if (!rc && o.cert) {
		rc = xe2e_certs_load(&certs, o.cert, &err);
		if (!rc)
			rc = xe2e_pki_key_matches(key, certs.v[0], o.key, &err);
		ro.key_cert = rc ? NULL : certs.v[0];
	}
	ro.key = key;
	r.ctx = &ctx;
	r.cc = &cc;
	r.o = &o;
	r.ro = &ro;
	status = rc ? cmd_report(&cc, rc, &err, NULL, NULL, stderr, NULL, NULL, NULL)
		    : cmd_each_input(&cc, 1, run, &r);
	if (key)
		gnutls_privkey_deinit(key);
	xe2e_certs_release(&certs);
	cmd_ctx_release(&ctx, &st);
	return status;
}
