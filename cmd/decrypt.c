/*
 * decrypt.c - `xe2e decrypt`: decrypt an S/MIME enveloped-data message with
 * the recipient's key.  Options, key loading and output; the work is
 * lib/cms_env and lib/smime.
 */
#include "common.h"
#include "../lib/cms_env.h"
#include "../lib/smime.h"
#include "../lib/store.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const usage[] = {
	"usage: xe2e decrypt --key FILE [--cert FILE] [--in FILE] [--out FILE]",
	"                    [--pass-fd N | --pass-file FILE] [--stream | --no-stream]",
	"                    [--store DIR --cache]",
	"",
	"Decrypt an enveloped-data message (S/MIME, PEM or DER; stdin or --in) and",
	"write the content (stdout or --out).",
	"",
	"  --key FILE        the recipient's private key (RSA; PEM or DER, PKCS#1 or",
	"                    PKCS#8, encrypted PKCS#8 with a passphrase)",
	"  --cert FILE       the recipient's certificate: selects the RecipientInfo",
	"                    (without it every key transport recipient is tried)",
	"  --pass-fd N       read the key passphrase from file descriptor N",
	"  --pass-file FILE  read the key passphrase from the first line of FILE",
	"  --in FILE         input message (default: standard input)",
	"  --out FILE        content, written atomically (default: standard output)",
	"  --stream          constant memory; the content is held in a temporary",
	"                    file until it is complete (default when the input is",
	"                    not a regular file or is over 16 MiB)",
	"  --no-stream       hold the content in memory",
	"  --store DIR       certificate store (xe2e cert-check --store)",
	"  --cache           save in the store what of the message's certificates",
	"                    and CRLs (originatorInfo) validates against its anchors",
	"  -h, --help        show this help",
	"      --version     show the version",
	NULL
};

enum { O_KEY = 256, O_CERT, O_PASS_FD, O_PASS_FILE, O_IN, O_OUT, O_STREAM,
       O_NOSTREAM, O_STORE, O_CACHE };

static const struct option options[] = {
	{ "key", required_argument, NULL, O_KEY },
	{ "cert", required_argument, NULL, O_CERT },
	{ "pass-fd", required_argument, NULL, O_PASS_FD },
	{ "pass-file", required_argument, NULL, O_PASS_FILE },
	{ "in", required_argument, NULL, O_IN },
	{ "out", required_argument, NULL, O_OUT },
	{ "stream", no_argument, NULL, O_STREAM },
	{ "no-stream", no_argument, NULL, O_NOSTREAM },
	{ "store", required_argument, NULL, O_STORE },
	{ "cache", no_argument, NULL, O_CACHE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, CMD_O_VERSION },
	{ NULL, 0, NULL, 0 }
};

struct decrypt_opts {
	const char *key, *cert, *pass_file, *in, *out, *store;
	int pass_fd, stream, cache;
};

static int parse(struct decrypt_opts *o, int argc, char **argv, int *done)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->pass_fd = -1;
	o->stream = -1;
	*done = 0;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case O_KEY: o->key = optarg; break;
		case O_CERT: o->cert = optarg; break;
		case O_PASS_FD:
			if (cmd_parse_fd("decrypt", optarg, &o->pass_fd))
				return XE2E_EUSAGE;
			break;
		case O_PASS_FILE: o->pass_file = optarg; break;
		case O_IN: o->in = optarg; break;
		case O_OUT: o->out = optarg; break;
		case O_STREAM: o->stream = 1; break;
		case O_NOSTREAM: o->stream = 0; break;
		case O_STORE: o->store = optarg; break;
		case O_CACHE: o->cache = 1; break;
		case 'h':
		case CMD_O_VERSION:
			return cmd_help_version(c, usage, done);
		default:
			return cmd_bad_option("decrypt", c, argv);
		}
	}
	if (optind < argc)
		return cmd_usage_error("decrypt", "unexpected argument '%s'", argv[optind]);
	if (!o->key)
		return cmd_usage_error("decrypt", "--key is required");
	if (o->pass_fd >= 0 && o->pass_file)
		return cmd_usage_error("decrypt", "'--pass-fd' and '--pass-file' conflict");
	if (!o->store != !o->cache)
		return cmd_usage_error("decrypt", "'--store' and '--cache' go together");
	return 0;
}

static int run(const struct decrypt_opts *o, struct xe2e_err *err)
{
	struct xe2e_certs certs, ocerts;
	struct xe2e_crls ocrls;
	struct xe2e_decrypt_params p;
	struct cmd_in in = { -1, NULL };
	gnutls_privkey_t key = NULL;
	struct cmd_out out;
	int rc = 0;

	memset(&out, 0, sizeof(out));
	out.spool_fd = out.at.fd = -1;
	xe2e_certs_init(&certs);
	xe2e_certs_init(&ocerts);
	xe2e_crls_init(&ocrls);
	memset(&p, 0, sizeof(p));
	rc = cmd_load_key(&key, o->key, o->pass_fd, o->pass_file, err);
	if (!rc && o->cert) {
		rc = xe2e_certs_load(&certs, o->cert, err);
		if (!rc)
			rc = xe2e_pki_key_matches(key, certs.v[0], o->key, err);
		p.cert = rc ? NULL : certs.v[0];
	}
	if (rc)
		goto out;
	p.key = key;
	rc = cmd_in_open(&in, o->in, err);
	if (rc)
		goto out;
	/* the content is only known good at the very end: spool it (DESIGN §4) */
	rc = cmd_out_open(&out, o->out, cmd_want_stream(o->stream, in.fd), 1,
			  XE2E_IO_PRIVATE, err);
	if (!rc)
		rc = xe2e_smime_open_source(in.src, "enveloped-data", err);
	if (o->cache) {
		p.orig_certs = &ocerts;
		p.orig_crls = &ocrls;
	}
	if (!rc)
		rc = xe2e_cms_decrypt(in.src, &p, cmd_out_sink(&out), err);
	if (!rc)
		rc = cmd_out_commit(&out, err);
	if (!rc && o->cache) {
		struct xe2e_store st;

		rc = xe2e_store_open(&st, o->store, 1, err);
		if (!rc)
			rc = xe2e_store_cache_validated(&st, &ocerts, &ocrls, err);
		xe2e_store_close(&st);   /* safe after a failed open too */
	}
out:
	cmd_out_abort(&out);
	if (key)
		gnutls_privkey_deinit(key);
	cmd_in_close(&in);
	xe2e_certs_release(&certs);
	xe2e_certs_release(&ocerts);
	xe2e_crls_release(&ocrls);
	return rc;
}

int cmd_decrypt(int argc, char **argv)
{
	struct xe2e_err err;
	struct decrypt_opts o;
	int rc, done;

	xe2e_err_clear(&err);
	rc = parse(&o, argc, argv, &done);
	if (rc || done)
		return rc ? rc : (fflush(stdout) ? XE2E_EIO : 0);
	rc = run(&o, &err);
	return rc ? cmd_fail("decrypt", &err, 0) : 0;
}
