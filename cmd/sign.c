/*
 * sign.c - `xe2e sign`: make an S/MIME signed message from a MIME entity.
 * Options only; the work is lib/cms (SignedData), lib/smime (framing).
 */
#include "common.h"
#include "../lib/cms.h"
#include "../lib/datetime.h"
#include "../lib/io.h"
#include "../lib/mime.h"
#include "../lib/smime.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char *const usage[] = {
	"usage: xe2e sign --cert FILE --key FILE [--in FILE] [--out FILE]",
	"                 [--content-type TYPE] [--pass-fd N | --pass-file FILE]",
	"                 [--chain FILE]... [--certs always|never]",
	"                 [--digest sha1|sha256|sha384|sha512] [--opaque]",
	"                 [--outform smime|der|pem] [--signing-time TIME]",
	"                 [--compat rfc3923]",
	"",
	"Sign a MIME entity (stdin or --in) and write an S/MIME message (stdout or --out).",
	"",
	"  --cert FILE          signer certificate (PEM or DER; further certificates in",
	"                       the file are included like --chain)",
	"  --key FILE           signer private key (PEM or DER, PKCS#1 or PKCS#8)",
	"  --pass-fd N          read the key passphrase from file descriptor N",
	"  --pass-file FILE     read the key passphrase from the first line of FILE",
	"  --in FILE            input entity (default: standard input)",
	"  --out FILE           output, written atomically (default: standard output)",
	"  --content-type TYPE  input is raw content of media type TYPE, not an entity",
	"  --chain FILE         intermediate certificates to include (repeatable)",
	"  --certs always|never include the signer's certificates (default: always)",
	"  --digest ALG         sha1, sha256 (default), sha384 or sha512",
	"  --opaque             application/pkcs7-mime signed-data instead of",
	"                       multipart/signed (with der/pem: encapsulate content)",
	"  --outform FORM       smime (default), der or pem (bare CMS ContentInfo)",
	"  --signing-time TIME  signingTime attribute (RFC 3339), default now",
	"  --compat rfc3923     write micalg in the RFC 3851 form (sha1, not sha-1)",
	"  -h, --help           show this help",
	"      --version        show the version",
	NULL
};

enum { O_CERT = 256, O_KEY, O_PASS_FD, O_PASS_FILE, O_IN, O_OUT, O_CTYPE,
       O_CHAIN, O_CERTS, O_DIGEST, O_OPAQUE, O_OUTFORM, O_STIME, O_COMPAT };

static const struct option options[] = {
	{ "cert", required_argument, NULL, O_CERT },
	{ "key", required_argument, NULL, O_KEY },
	{ "pass-fd", required_argument, NULL, O_PASS_FD },
	{ "pass-file", required_argument, NULL, O_PASS_FILE },
	{ "in", required_argument, NULL, O_IN },
	{ "out", required_argument, NULL, O_OUT },
	{ "content-type", required_argument, NULL, O_CTYPE },
	{ "chain", required_argument, NULL, O_CHAIN },
	{ "certs", required_argument, NULL, O_CERTS },
	{ "digest", required_argument, NULL, O_DIGEST },
	{ "opaque", no_argument, NULL, O_OPAQUE },
	{ "outform", required_argument, NULL, O_OUTFORM },
	{ "signing-time", required_argument, NULL, O_STIME },
	{ "compat", required_argument, NULL, O_COMPAT },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, CMD_O_VERSION },
	{ NULL, 0, NULL, 0 }
};

#define MAX_CHAIN_FILES 16

struct sign_opts {
	const char *cert, *key, *pass_file, *in, *out, *ctype, *outform;
	const char *chain[MAX_CHAIN_FILES];
	int n_chain, pass_fd, certs, opaque, compat;
	const struct xe2e_digest *digest;
	time_t signing_time;
};

static int parse(struct sign_opts *o, int argc, char **argv, int *done)
{
	struct xe2e_err e;
	int c;

	memset(o, 0, sizeof(*o));
	o->pass_fd = -1;
	o->certs = 1;
	o->outform = "smime";
	o->digest = xe2e_digest_by_name("sha256");
	o->signing_time = time(NULL);
	*done = 0;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case O_CERT: o->cert = optarg; break;
		case O_KEY: o->key = optarg; break;
		case O_PASS_FD:
			if (cmd_parse_fd("sign", optarg, &o->pass_fd))
				return XE2E_EUSAGE;
			break;
		case O_PASS_FILE: o->pass_file = optarg; break;
		case O_IN: o->in = optarg; break;
		case O_OUT: o->out = optarg; break;
		case O_CTYPE: o->ctype = optarg; break;
		case O_CHAIN:
			if (o->n_chain == MAX_CHAIN_FILES)
				return cmd_usage_error("sign", "more than %d --chain files",
						       MAX_CHAIN_FILES);
			o->chain[o->n_chain++] = optarg;
			break;
		case O_CERTS:
			if (!strcmp(optarg, "always"))
				o->certs = 1;
			else if (!strcmp(optarg, "never"))
				o->certs = 0;
			else
				return cmd_usage_error("sign", "--certs takes always or never, not '%s'",
						       optarg);
			break;
		case O_DIGEST:
			o->digest = xe2e_digest_by_name(optarg);
			if (!o->digest || !o->digest->sign_ok)
				return cmd_usage_error("sign", "unknown --digest '%s' (sha1, sha256, sha384, sha512)",
						       optarg);
			break;
		case O_OPAQUE: o->opaque = 1; break;
		case O_OUTFORM:
			if (strcmp(optarg, "smime") && strcmp(optarg, "der") &&
			    strcmp(optarg, "pem"))
				return cmd_usage_error("sign", "--outform takes smime, der or pem, not '%s'",
						       optarg);
			o->outform = optarg;
			break;
		case O_STIME:
			if (xe2e_time_parse_rfc3339(&o->signing_time, optarg, &e))
				return cmd_usage_error("sign", "%s", e.msg);
			break;
		case O_COMPAT:
			if (strcmp(optarg, "rfc3923"))
				return cmd_usage_error("sign", "--compat takes rfc3923, not '%s'", optarg);
			o->compat = 1;
			break;
		case 'h':
		case CMD_O_VERSION:
			return cmd_help_version(c, usage, done);
		default:
			return cmd_bad_option("sign", c, argv);
		}
	}
	if (optind < argc)
		return cmd_usage_error("sign", "unexpected argument '%s'", argv[optind]);
	if (!o->cert || !o->key)
		return cmd_usage_error("sign", "--cert and --key are required");
	if (o->pass_fd >= 0 && o->pass_file)
		return cmd_usage_error("sign", "'--pass-fd' and '--pass-file' conflict");
	return 0;
}

/* The entity to sign, in canonical form (RFC 3851 §3.1.1). */
static int make_entity(struct xe2e_buf *ent, const struct sign_opts *o,
		       struct xe2e_err *err)
{
	struct xe2e_buf raw = XE2E_BUF_INIT;
	int rc;

	rc = xe2e_io_read(&raw, o->in, 0, err);
	if (!rc && o->ctype)
		rc = xe2e_mime_make_entity(ent, o->ctype, raw.data, raw.len, err);
	else if (!rc && raw.len == 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "empty input");
	else if (!rc) {
		rc = xe2e_mime_canon_entity(ent, raw.data, raw.len, err);
		if (rc == -XE2E_EMALFORMED)
			rc = xe2e_err_set(err, XE2E_EMALFORMED,
					  "%s (use --content-type for raw content)", err->msg);
	}
	xe2e_buf_wipe(&raw);
	return rc;
}

static int run(const struct sign_opts *o, struct xe2e_buf *out, struct xe2e_err *err)
{
	struct xe2e_buf ent = XE2E_BUF_INIT, der = XE2E_BUF_INIT;
	struct xe2e_certs certs, chain;
	struct xe2e_sign_params p;
	gnutls_privkey_t key = NULL;
	size_t i;
	int rc;

	xe2e_certs_init(&certs);
	xe2e_certs_init(&chain);
	rc = xe2e_certs_load(&certs, o->cert, err);
	/* further certificates in the --cert file travel like --chain */
	for (i = 1; !rc && i < certs.n; i++) {
		rc = xe2e_certs_push(&chain, certs.v[i], err);
		certs.v[i] = NULL;
	}
	if (!rc)
		certs.n = 1;
	for (i = 0; !rc && i < (size_t)o->n_chain; i++)
		rc = xe2e_certs_load(&chain, o->chain[i], err);
	if (!rc)
		rc = cmd_load_key(&key, o->key, o->pass_fd, o->pass_file, err);
	if (!rc)
		rc = xe2e_pki_key_matches(key, certs.v[0], o->key, err);
	if (!rc)
		rc = make_entity(&ent, o, err);
	if (rc)
		goto out;
	memset(&p, 0, sizeof(p));
	p.cert = certs.v[0];
	p.key = key;
	p.chain = &chain;
	p.include_certs = o->certs;
	p.digest = o->digest;
	p.embed = o->opaque;
	p.signing_time = o->signing_time;
	rc = xe2e_cms_sign(&der, ent.data, ent.len, &p, err);
	if (rc)
		goto out;
	if (!strcmp(o->outform, "der"))
		rc = xe2e_buf_add(out, der.data, der.len, err);
	else if (!strcmp(o->outform, "pem"))
		rc = xe2e_pem_write(out, der.data, der.len, "CMS", err);
	else if (o->opaque)
		rc = xe2e_smime_write_p7m(out, der.data, der.len, "signed-data", err);
	else
		rc = xe2e_smime_write_multipart(out, ent.data, ent.len, der.data, der.len,
						o->compat ? o->digest->micalg_old
							  : o->digest->micalg,
						err);
out:
	if (key)
		gnutls_privkey_deinit(key);
	xe2e_certs_release(&certs);
	xe2e_certs_release(&chain);
	xe2e_buf_wipe(&ent);
	xe2e_buf_release(&der);
	return rc;
}

int cmd_sign(int argc, char **argv)
{
	struct xe2e_buf out = XE2E_BUF_INIT;
	struct xe2e_err err;
	struct sign_opts o;
	int rc, done;

	xe2e_err_clear(&err);
	rc = parse(&o, argc, argv, &done);
	if (rc || done)
		return rc ? rc : (fflush(stdout) ? XE2E_EIO : 0);
	rc = run(&o, &out, &err);
	if (!rc)
		rc = cmd_output(o.out, &out, XE2E_IO_PUBLIC, &err);
	xe2e_buf_release(&out);
	return rc ? cmd_fail("sign", &err, 0) : 0;
}
