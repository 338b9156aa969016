/*
 * encrypt.c - `xe2e encrypt`: encrypt a MIME entity for one or more
 * recipients (S/MIME enveloped-data).  Options, recipient loading and
 * output; the work is lib/cms_env, lib/pki and lib/mime.
 */
#include "common.h"
#include "../lib/cms_env.h"
#include "../lib/datetime.h"
#include "../lib/mime.h"
#include "../lib/smime.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const usage[] = {
	"usage: xe2e encrypt --recip FILE... [--in FILE] [--out FILE]",
	"                    [--content-type TYPE] [--cipher aes128|aes192|aes256|des3]",
	"                    [--keyid] [--cert FILE] [--no-self] [--outform smime|der|pem]",
	"                    [--ca FILE|DIR]... [--crl FILE]... [--at TIME]",
	"                    [--stream | --no-stream]",
	"",
	"Encrypt a MIME entity (stdin or --in) for the recipients and write an",
	"S/MIME enveloped-data message (stdout or --out).",
	"",
	"  --recip FILE      recipient certificate(s), PEM or DER (repeatable; a file",
	"                    may hold several)",
	"  --cert FILE       the sender's own certificate: a copy of the key is",
	"                    encrypted for it too (RFC 3854 §3.3)",
	"  --no-self         do not encrypt for --cert",
	"  --keyid           identify recipients by subjectKeyIdentifier",
	"  --cipher ALG      aes128 (default), aes192, aes256 or des3",
	"  --in FILE         input entity (default: standard input)",
	"  --out FILE        output, written atomically (default: standard output)",
	"  --content-type T  input is raw content of media type T, not an entity",
	"  --outform FORM    smime (default), der or pem",
	"  --ca FILE|DIR     validate recipient certificates against these anchors",
	"  --crl FILE        CRLs for that validation (repeatable)",
	"  --at TIME         validate at TIME (RFC 3339), not now",
	"  --stream          write indefinite-length BER in constant memory (default",
	"                    when the input is not a regular file or is over 16 MiB)",
	"  --no-stream       hold the message in memory and write DER",
	"  -h, --help        show this help",
	"      --version     show the version",
	NULL
};

enum { O_RECIP = 256, O_CERT, O_NOSELF, O_KEYID, O_CIPHER, O_IN, O_OUT, O_CTYPE,
       O_OUTFORM, O_CA, O_CRL, O_AT, O_STREAM, O_NOSTREAM };

static const struct option options[] = {
	{ "recip", required_argument, NULL, O_RECIP },
	{ "cert", required_argument, NULL, O_CERT },
	{ "no-self", no_argument, NULL, O_NOSELF },
	{ "keyid", no_argument, NULL, O_KEYID },
	{ "cipher", required_argument, NULL, O_CIPHER },
	{ "in", required_argument, NULL, O_IN },
	{ "out", required_argument, NULL, O_OUT },
	{ "content-type", required_argument, NULL, O_CTYPE },
	{ "outform", required_argument, NULL, O_OUTFORM },
	{ "ca", required_argument, NULL, O_CA },
	{ "crl", required_argument, NULL, O_CRL },
	{ "at", required_argument, NULL, O_AT },
	{ "stream", no_argument, NULL, O_STREAM },
	{ "no-stream", no_argument, NULL, O_NOSTREAM },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, CMD_O_VERSION },
	{ NULL, 0, NULL, 0 }
};

#define MAX_FILES 64

struct encrypt_opts {
	const char *recip[MAX_FILES], *ca[MAX_FILES], *crl[MAX_FILES];
	int n_recip, n_ca, n_crl;
	const char *cert, *in, *out, *ctype, *outform;
	const struct xe2e_cipher_alg *alg;
	int no_self, keyid, stream, have_at;
	time_t at;
};

static int parse(struct encrypt_opts *o, int argc, char **argv, int *done)
{
	int c, rc = 0;

	memset(o, 0, sizeof(*o));
	o->alg = xe2e_cipher_by_name("aes128");
	o->outform = "smime";
	o->stream = -1;
	*done = 0;
	optind = 1;
	opterr = 0;
	while (!rc && (c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case O_RECIP: rc = cmd_add_file("encrypt", o->recip, &o->n_recip, MAX_FILES, "--recip", optarg); break;
		case O_CERT: o->cert = optarg; break;
		case O_NOSELF: o->no_self = 1; break;
		case O_KEYID: o->keyid = 1; break;
		case O_CIPHER:
			o->alg = xe2e_cipher_by_name(optarg);
			if (!o->alg)
				return cmd_usage_error("encrypt", "unknown --cipher '%s' (aes128, aes192, aes256, des3)",
						       optarg);
			break;
		case O_IN: o->in = optarg; break;
		case O_OUT: o->out = optarg; break;
		case O_CTYPE: o->ctype = optarg; break;
		case O_OUTFORM:
			if (strcmp(optarg, "smime") && strcmp(optarg, "der") && strcmp(optarg, "pem"))
				return cmd_usage_error("encrypt", "--outform takes smime, der or pem, not '%s'",
						       optarg);
			o->outform = optarg;
			break;
		case O_CA: rc = cmd_add_file("encrypt", o->ca, &o->n_ca, MAX_FILES, "--ca", optarg); break;
		case O_CRL: rc = cmd_add_file("encrypt", o->crl, &o->n_crl, MAX_FILES, "--crl", optarg); break;
		case O_AT:
			if (cmd_parse_time("encrypt", optarg, &o->at, &o->have_at))
				return XE2E_EUSAGE;
			break;
		case O_STREAM: o->stream = 1; break;
		case O_NOSTREAM: o->stream = 0; break;
		case 'h':
		case CMD_O_VERSION:
			return cmd_help_version(c, usage, done);
		default:
			return cmd_bad_option("encrypt", c, argv);
		}
	}
	if (rc)
		return rc;
	if (optind < argc)
		return cmd_usage_error("encrypt", "unexpected argument '%s'", argv[optind]);
	if (o->n_recip == 0)
		return cmd_usage_error("encrypt", "at least one --recip is required");
	if (o->no_self && !o->cert)
		return cmd_usage_error("encrypt", "'--no-self' needs '--cert'");
	return 0;
}

/* RFC 3850 §4.2-§4.4: every recipient certificate is checked before use. */
static int load_recipients(struct xe2e_certs *r, struct xe2e_trust *t,
			   const struct encrypt_opts *o, struct xe2e_err *err)
{
	struct xe2e_validate_opts vo = xe2e_validate_defaults(XE2E_PURPOSE_ENCRYPT);
	struct xe2e_path path;
	struct xe2e_certs self;
	size_t i;
	int k, rc = 0;

	xe2e_certs_init(&self);
	for (k = 0; !rc && k < o->n_recip; k++)
		rc = xe2e_certs_load(r, o->recip[k], err);
	if (!rc && o->cert && !o->no_self) {
		rc = xe2e_certs_load(&self, o->cert, err);
		if (!rc) {
			rc = xe2e_certs_push(r, self.v[0], err);
			self.v[0] = NULL;
		}
	}
	xe2e_certs_release(&self);
	if (!rc && r->n > XE2E_MAX_RECIPIENTS)
		rc = xe2e_err_set(err, XE2E_EUSAGE, "more than %d recipients", XE2E_MAX_RECIPIENTS);
	for (k = 0; !rc && k < o->n_ca; k++)
		rc = xe2e_certs_load_path(&t->anchors, o->ca[k], err);
	for (k = 0; !rc && k < o->n_crl; k++)
		rc = xe2e_crls_load(&t->crls, o->crl[k], err);
	/* without anchors, what needs no path is still checked: validity,
	 * key usage, critical extensions (RFC 3850 §4.4) */
	for (i = 0; !rc && i < r->n; i++) {
		memset(&path, 0, sizeof(path));
		rc = o->n_ca ? xe2e_pki_validate(&path, t, r->v[i], r, &vo, err)
			     : xe2e_pki_check_leaf(r->v[i], &vo, path.warning, sizeof(path.warning), err);
		if (!rc && path.warning[0])
			cmd_warn("encrypt", path.warning);
	}
	return rc;
}

static int run(const struct encrypt_opts *o, struct xe2e_err *err)
{
	struct xe2e_certs recips;
	struct xe2e_trust trust;
	struct xe2e_encrypt_params p;
	struct xe2e_encryptor *enc = NULL;
	struct xe2e_sink_b64 b64;
	struct xe2e_sink *frame, *sink;
	struct cmd_in in = { -1, NULL };
	struct xe2e_buf hdr = XE2E_BUF_INIT;
	struct cmd_out out;
	int rc, armour = strcmp(o->outform, "der") != 0;

	memset(&out, 0, sizeof(out));
	out.spool_fd = out.at.fd = -1;
	xe2e_certs_init(&recips);
	xe2e_trust_init(&trust);
	if (o->have_at)
		xe2e_pki_set_time(o->at);
	rc = load_recipients(&recips, &trust, o, err);
	if (rc)
		goto out;
	rc = cmd_in_open(&in, o->in, err);
	if (rc)
		goto out;
	memset(&p, 0, sizeof(p));
	p.recips = recips.v;
	p.n_recips = recips.n;
	p.use_ski = o->keyid;
	p.alg = o->alg;
	p.stream = cmd_want_stream(o->stream, in.fd);
	/* encrypting cannot fail late except on I/O: stream straight to stdout */
	rc = cmd_out_open(&out, o->out, p.stream, 0, XE2E_IO_PUBLIC, err);
	if (rc)
		goto out;
	sink = cmd_out_sink(&out);
	if (!strcmp(o->outform, "smime"))
		rc = xe2e_smime_p7m_header(&hdr, "enveloped-data", err);
	else if (!strcmp(o->outform, "pem"))
		rc = xe2e_buf_adds(&hdr, "-----BEGIN CMS-----\n", err);
	if (!rc)
		rc = xe2e_sink_write(sink, hdr.data, hdr.len, err);
	xe2e_sink_b64_init(&b64, sink);
	frame = armour ? &b64.base : sink;
	if (!rc)
		rc = xe2e_encrypt_begin(&enc, &p, frame, err);
	if (!rc)
		rc = xe2e_mime_stream_entity(in.src, o->ctype, xe2e_encryptor_sink(enc), err);
	if (!rc)
		rc = xe2e_encrypt_end(enc, err);
	if (!rc && armour)
		rc = xe2e_sink_finish(&b64.base, err);
	if (!rc && !strcmp(o->outform, "pem"))
		rc = xe2e_sink_write(sink, "-----END CMS-----\n", 18, err);
	if (!rc)
		rc = cmd_out_commit(&out, err);
out:
	cmd_out_abort(&out);
	xe2e_encryptor_free(enc);
	cmd_in_close(&in);
	xe2e_buf_release(&hdr);
	xe2e_certs_release(&recips);
	xe2e_trust_release(&trust);
	return rc;
}

int cmd_encrypt(int argc, char **argv)
{
	struct xe2e_err err;
	struct encrypt_opts o;
	int rc, done;

	xe2e_err_clear(&err);
	rc = parse(&o, argc, argv, &done);
	if (rc || done)
		return rc ? rc : (fflush(stdout) ? XE2E_EIO : 0);
	rc = run(&o, &err);
	return rc ? cmd_fail("encrypt", &err, 0) : 0;
}
