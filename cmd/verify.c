/*
 * verify.c - `xe2e verify`: check an S/MIME or CMS signed message and give
 * back the signed content.  Options and reporting only; the work is
 * lib/smime (framing), lib/cms (SignedData), lib/pki (certificates).
 */
#include "common.h"
#include "../lib/cms.h"
#include "../lib/datetime.h"
#include "../lib/io.h"
#include "../lib/limits.h"
#include "../lib/mime.h"
#include "../lib/smime.h"
#include "../lib/store.h"
#include "../lib/text.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char *const usage[] = {
	"usage: xe2e verify [--in FILE] [--out FILE] [--content FILE] [--binary]",
	"                   [--ca FILE|DIR]... [--crl FILE]... [--certfile FILE]...",
	"                   [--store DIR [--cache]] [--at TIME] [--json]",
	"",
	"Verify a signed message (multipart/signed, application/pkcs7-mime",
	"signed-data, or a PEM/DER CMS object) and write the signed content.",
	"",
	"  --in FILE        input message (default: standard input)",
	"  --out FILE       signed content, written atomically (default: standard output)",
	"  --content FILE   content of a detached DER/PEM signature",
	"  --binary         --content is exactly the signed bytes (default: try them,",
	"                   then their canonical CRLF form)",
	"  --ca FILE|DIR    trust anchors: PEM/DER file(s), or a directory of",
	"                   *.pem/*.crt/*.cer/*.der files (repeatable; required)",
	"  --crl FILE       CRLs (PEM or DER, repeatable)",
	"  --certfile FILE  more (untrusted) certificates for finding the signer",
	"                   and building the path (repeatable)",
	"  --store DIR      certificate store (xe2e cert-check --store): its anchors,",
	"                   certificates and CRLs are used too",
	"  --cache          save there the certificates and CRLs the validation used",
	"  --at TIME        validate certificates at TIME (RFC 3339), not now",
	"  --json           report as one JSON object on stderr",
	"  -h, --help       show this help",
	"      --version    show the version",
	NULL
};

enum { O_IN = 256, O_OUT, O_CONTENT, O_BINARY, O_CA, O_CRL, O_CERTFILE,
       O_AT, O_JSON, O_STORE, O_CACHE };

static const struct option options[] = {
	{ "in", required_argument, NULL, O_IN },
	{ "out", required_argument, NULL, O_OUT },
	{ "content", required_argument, NULL, O_CONTENT },
	{ "binary", no_argument, NULL, O_BINARY },
	{ "ca", required_argument, NULL, O_CA },
	{ "crl", required_argument, NULL, O_CRL },
	{ "certfile", required_argument, NULL, O_CERTFILE },
	{ "at", required_argument, NULL, O_AT },
	{ "json", no_argument, NULL, O_JSON },
	{ "store", required_argument, NULL, O_STORE },
	{ "cache", no_argument, NULL, O_CACHE },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, CMD_O_VERSION },
	{ NULL, 0, NULL, 0 }
};

#define MAX_FILES 64

struct verify_opts {
	const char *in, *out, *content, *store;
	int cache;
	const char *ca[MAX_FILES], *crl[MAX_FILES], *certfile[MAX_FILES];
	int n_ca, n_crl, n_certfile, binary, json, have_at;
	time_t at;
};

static int parse(struct verify_opts *o, int argc, char **argv, int *done)
{
	int c, rc = 0;

	memset(o, 0, sizeof(*o));
	*done = 0;
	optind = 1;
	opterr = 0;
	while (!rc && (c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (c) {
		case O_IN: o->in = optarg; break;
		case O_OUT: o->out = optarg; break;
		case O_CONTENT: o->content = optarg; break;
		case O_BINARY: o->binary = 1; break;
		case O_CA: rc = cmd_add_file("verify", o->ca, &o->n_ca, MAX_FILES, "--ca", optarg); break;
		case O_CRL: rc = cmd_add_file("verify", o->crl, &o->n_crl, MAX_FILES, "--crl", optarg); break;
		case O_CERTFILE:
			rc = cmd_add_file("verify", o->certfile, &o->n_certfile, MAX_FILES, "--certfile", optarg);
			break;
		case O_AT:
			if (cmd_parse_time("verify", optarg, &o->at, &o->have_at))
				return XE2E_EUSAGE;
			break;
		case O_JSON: o->json = 1; break;
		case O_STORE: o->store = optarg; break;
		case O_CACHE: o->cache = 1; break;
		case 'h':
		case CMD_O_VERSION:
			return cmd_help_version(c, usage, done);
		default:
			return cmd_bad_option("verify", c, argv);
		}
	}
	if (rc)
		return rc;
	if (optind < argc)
		return cmd_usage_error("verify", "unexpected argument '%s'", argv[optind]);
	if (o->binary && !o->content)
		return cmd_usage_error("verify", "'--binary' needs '--content'");
	if (o->cache && !o->store)
		return cmd_usage_error("verify", "'--cache' needs '--store'");
	return 0;
}

static int load_inputs(struct xe2e_trust *t, struct xe2e_certs *extra,
		       const struct verify_opts *o, struct xe2e_err *err)
{
	int i, rc = 0;

	for (i = 0; !rc && i < o->n_ca; i++)
		rc = xe2e_certs_load_path(&t->anchors, o->ca[i], err);
	for (i = 0; !rc && i < o->n_crl; i++)
		rc = xe2e_crls_load(&t->crls, o->crl[i], err);
	for (i = 0; !rc && i < o->n_certfile; i++)
		rc = xe2e_certs_load(extra, o->certfile[i], err);
	return rc;
}

/* Human summary on stderr, or one JSON object. */
/* The signers of every layer, outermost first. */
static int report(const struct xe2e_verified *layers, size_t n_layers, int json,
		  struct xe2e_err *err)
{
	struct xe2e_buf r = XE2E_BUF_INIT;
	char t[40];
	size_t i, l, count = 0;
	int rc = 0;

	if (json)
		rc = xe2e_buf_addf(&r, err, "{\"status\":\"ok\",\"exit\":0,\"layers\":%zu,\"signers\":[",
				   n_layers);
	for (l = 0; l < n_layers; l++)
	for (i = 0; !rc && i < layers[l].n_signers; i++, count++) {
		const struct xe2e_signer *s = &layers[l].signers[i];
		char warn[XE2E_ERR_MSG_MAX + 1];
		const char *lists[4] = { (char *)s->names.data, (char *)s->chain.data,
					 (char *)s->unknown_attrs.data, warn };
		static const char *const keys[4] = { "names", "chain", "unknown_attributes",
						     "warnings" };
		static const char *const labels[4] = { "names", "chain", "unknown signed attributes",
						       "warning" };
		int k;

		snprintf(warn, sizeof(warn), "%s%s", s->path.warning, s->path.warning[0] ? "\n" : "");
		if (s->has_signing_time)
			xe2e_time_format_rfc3339(t, sizeof(t), s->signing_time);
		if (json) {
			rc = xe2e_buf_addf(&r, err, "%s{\"layer\":%zu,\"subject\":", count ? "," : "",
					   l + 1);
			if (!rc)
				rc = cmd_json_str(&r, (char *)s->subject.data, err);
			if (!rc)
				rc = xe2e_buf_addf(&r, err,
						   ",\"digest\":\"%s\",\"signature\":\"%s\",\"signing_time\":",
						   s->digest->name, s->sigalg);
			if (!rc)
				rc = s->has_signing_time ? cmd_json_str(&r, t, err)
							 : xe2e_buf_adds(&r, "null", err);
		} else {
			rc = xe2e_buf_adds(&r, "xe2e verify: signature ok, signer '", err);
			if (!rc)
				rc = xe2e_text_escape_buf(&r, s->subject.data, s->subject.len, err);
			if (!rc && n_layers > 1)
				rc = xe2e_buf_addf(&r, err, "' (layer %zu of %zu)", l + 1, n_layers);
			else if (!rc)
				rc = xe2e_buf_addc(&r, '\'', err);
			if (!rc)
				rc = xe2e_buf_addf(&r, err, "\n  signing time: %s\n  algorithms: %s, %s\n",
						   s->has_signing_time ? t : "(none)",
						   s->digest->name, s->sigalg);
		}
		for (k = 0; !rc && k < 4; k++) {
			const char *p = lists[k] ? lists[k] : "", *nl;
			int first = 1;

			if (!json && !*p)
				continue;
			rc = json ? xe2e_buf_addf(&r, err, ",\"%s\":[", keys[k])
				  : xe2e_buf_addf(&r, err, "  %s: ", labels[k]);
			for (; !rc && *p; p = nl + 1, first = 0) {
				char item[1100];
				size_t n;

				nl = strchr(p, '\n');
				if (!nl)
					break;
				n = (size_t)(nl - p) < sizeof(item) - 1 ? (size_t)(nl - p)
									: sizeof(item) - 1;
				memcpy(item, p, n);
				item[n] = '\0';
				if (json) {
					if (!first)
						rc = xe2e_buf_addc(&r, ',', err);
					if (!rc)
						rc = cmd_json_str(&r, item, err);
				} else {
					rc = xe2e_buf_adds(&r, first ? "" : (k == 1 ? " <- " : ", "), err);
					if (!rc)
						rc = xe2e_text_escape_buf(&r, item, n, err);
				}
			}
			if (!rc)
				rc = xe2e_buf_adds(&r, json ? "]" : "\n", err);
		}
		if (!rc && json)
			rc = xe2e_buf_addc(&r, '}', err);
	}
	if (!rc && json)
		rc = xe2e_buf_adds(&r, "]}\n", err);
	if (!rc && r.len)
		fputs((char *)r.data, stderr);
	xe2e_buf_release(&r);
	return rc;
}

/* RFC 3850 §4: keep what the validations used (no anchors), nothing else
 * from the message, and not more than XE2E_MAX_CACHE_ADD objects. */
static int cache_paths(const struct xe2e_store *st, const struct xe2e_verified *v, size_t n,
		       struct xe2e_err *err)
{
	size_t l, i, left = XE2E_MAX_CACHE_ADD;
	int rc = 0;

	for (l = 0; !rc && l < n; l++)
		for (i = 0; !rc && i < v[l].n_signers; i++)
			rc = xe2e_store_add_path(st, &v[l].signers[i].path, &left, err);
	return rc;
}

static int run(const struct verify_opts *o, struct xe2e_verified *v, size_t *n_layers,
	       struct xe2e_err *err)
{
	struct xe2e_buf in = XE2E_BUF_INIT, content = XE2E_BUF_INIT;
	struct xe2e_smime_msg m;
	struct xe2e_verify_params p;
	struct xe2e_trust trust;
	struct xe2e_certs extra;
	struct xe2e_store st;
	int rc;

	memset(&st, 0, sizeof(st));
	st.lockfd = -1;
	xe2e_smime_msg_init(&m);
	xe2e_trust_init(&trust);
	xe2e_certs_init(&extra);
	memset(&p, 0, sizeof(p));
	if (o->have_at)
		xe2e_pki_set_time(o->at);
	rc = xe2e_io_read(&in, o->in, 0, err);
	if (!rc)
		rc = xe2e_smime_parse(&m, in.data, in.len, err);
	if (!rc && o->content) {
		if (m.form == XE2E_FORM_MULTIPART) {
			rc = xe2e_err_set(err, XE2E_EUSAGE,
					  "'--content' given but the message carries its content");
			goto out;
		}
		rc = xe2e_io_read(&content, o->content, 0, err);
		p.detached = content.data;
		p.detached_len = content.len;
		p.canon_fallback = !o->binary;
	} else if (!rc && m.form == XE2E_FORM_MULTIPART) {
		p.detached = m.content.data;
		p.detached_len = m.content.len;
	}
	if (!rc)
		rc = load_inputs(&trust, &extra, o, err);
	if (!rc && o->store)
		rc = xe2e_store_open(&st, o->store, o->cache, err);
	if (!rc && o->store)
		rc = xe2e_store_load(&st, &trust, &extra, err);
	if (rc)
		goto out;
	p.trust = &trust;
	p.extra = &extra;
	rc = xe2e_cms_verify_nested(v, XE2E_MAX_CMS_NESTING, n_layers, m.der.data, m.der.len,
				    &p, err);
	if (rc == -XE2E_EMALFORMED && !p.detached && err && strstr(err->msg, "without the signed content"))
		xe2e_err_set(err, XE2E_EMALFORMED, "%s (give it with --content)", err->msg);
	if (!rc && o->cache)
		rc = cache_paths(&st, v, *n_layers, err);
out:
	if (o->store)
		xe2e_store_close(&st);
	xe2e_smime_msg_release(&m);
	xe2e_trust_release(&trust);
	xe2e_certs_release(&extra);
	xe2e_buf_release(&in);
	xe2e_buf_wipe(&content);
	return rc;
}

int cmd_verify(int argc, char **argv)
{
	struct xe2e_verified *v;
	struct xe2e_err err;
	struct verify_opts o;
	size_t n = 0, i;
	int rc, done;

	xe2e_err_clear(&err);
	rc = parse(&o, argc, argv, &done);
	if (rc || done)
		return rc ? rc : (fflush(stdout) ? XE2E_EIO : 0);
	v = calloc(XE2E_MAX_CMS_NESTING, sizeof(*v));
	if (!v)
		return cmd_fail("verify", (xe2e_err_oom(&err), &err), o.json);
	rc = run(&o, v, &n, &err);
	if (!rc)
		rc = cmd_output(o.out, &v[n - 1].content, XE2E_IO_PUBLIC, &err);
	if (!rc)
		rc = report(v, n, o.json, &err);
	for (i = 0; i < XE2E_MAX_CMS_NESTING; i++)
		xe2e_verified_release(&v[i]);
	free(v);
	return rc ? cmd_fail("verify", &err, o.json) : 0;
}
