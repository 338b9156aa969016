/*
 * wrap.c - `xe2e wrap`: protect XMPP stanzas end to end (RFC 3923): the
 * payload becomes Message/CPIM, PIDF or xmpp+xml, is signed and/or
 * encrypted, and travels in <e2e/>.  Options, keys and recipients here;
 * the protocol is lib/xmpp.c.
 */
#include "common.h"
#include "stanzas.h"
#include "../lib/cipher.h"
#include "../lib/datetime.h"
#include "../lib/xmpp.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const usage[] = {
	"usage: xe2e wrap [--sign] [--cert FILE --key FILE] [--encrypt] [--recip FILE]...",
	"                 [--in FILE] [--out FILE] [--stream] [--from JID] [--no-self]",
	"                 [--digest ALG] [--cipher ALG] [--compat rfc3923] [--keyid]",
	"                 [--certs always|auto|never] [--chain FILE]... [--state DIR]",
	"                 [--ca FILE|DIR]... [--crl FILE]... [--untrusted FILE]...",
	"                 [--store DIR] [--at TIME] [--crl-check MODE] [--policy P]",
	"                 [--pass-fd N | --pass-file FILE] [--now TIME] [--fixture-seed HEX]",
	"                 [--json] [--quiet]",
	"",
	"Protect an XMPP stanza (stdin or --in; with --stream a sequence of stanzas or",
	"a whole <stream:stream>) per RFC 3923: message text as Message/CPIM, directed",
	"presence as PIDF, anything else as application/xmpp+xml; signed, then",
	"encrypted; the result in <e2e xmlns='urn:ietf:params:xml:ns:xmpp-e2e'/>.",
	"",
	"      --cert FILE      the sender's certificate (it must name the sender's JID)",
	"      --key FILE       its private key: sign",
	"      --sign           sign (needs --cert and --key; implied by --key)",
	"      --recip FILE     a recipient's certificate(s): encrypt (repeatable)",
	"      --encrypt        encrypt (needs --recip; implied by --recip)",
	"      --no-self        do not encrypt a copy for --cert",
	"      --from JID       the sender, when the stanza has no 'from'",
	"      --digest ALG     sha256 (default), sha1, sha384 or sha512",
	"      --cipher ALG     aes128 (default), aes192, aes256 or des3",
	"      --compat rfc3923 exactly what RFC 3923 mandates: SHA-1, AES-128, micalg=sha1",
	"      --keyid          identify recipients by subjectKeyIdentifier",
	"      --certs WHEN     include the signer's certificates: auto (default: when not",
	"                       sent to that recipient in the last 5 minutes), always, never",
	"      --chain FILE     more certificates to include (repeatable)",
	"      --state DIR      state directory (default $XE2E_STATE_DIR, else",
	"                       $XDG_STATE_HOME/xe2e, else ~/.local/state/xe2e)",
	"      --stream         many stanzas, each written as soon as it is done",
	"  -i, --in FILE        input (default: standard input)",
	"  -o, --out FILE       output, written atomically (default: standard output)",
	"      --ca FILE|DIR    validate recipient certificates against these anchors",
	"      --crl FILE       CRLs for that validation (repeatable)",
	"      --untrusted FILE intermediate certificates (repeatable; or --certfile)",
	"      --store DIR      certificate store: its anchors, certificates and CRLs",
	"      --at TIME        validate at TIME (RFC 3339), not now",
	"      --crl-check MODE auto (default), require or if-present",
	"      --policy P       modern (default), rfc3850 or strict",
	CMD_USAGE_POLICY_INPUTS,
	"      --pass-fd N      read the key's passphrase from descriptor N",
	"      --pass-file FILE read the key's passphrase from FILE",
	"      --now TIME       the time stamped (CPIM DateTime, PIDF timestamp, signingTime),",
	"                       RFC 3339, instead of the clock (needs --state)",
	"      --fixture-seed HEX  tests only: every random value (boundaries, Content-IDs,",
	"                       tuple ids, content keys, IVs, padding) from a generator",
	"                       seeded by HEX; with --now and a fresh --state the same",
	"                       bytes every run",
	"      --json           report as one JSON object per stanza on standard error",
	"  -q, --quiet          no warnings",
	"  -h, --help           show this help",
	"  -V, --version        show the version",
	NULL
};

enum { O_SIGN = CMD_O_FIRST_OWN, O_CERT, O_KEY, O_ENCRYPT, O_RECIP, O_NOSELF, O_FROM, O_DIGEST,
       O_CIPHER, O_COMPAT, O_KEYID, O_CERTS, O_CHAIN, O_STATE, O_STREAM, O_NOW };

static const struct option options[] = {
	CMD_OPTS_BASIC,
	CMD_OPTS_TRUST,
	CMD_OPTS_PASS,
	CMD_OPT_FIXTURE,
	{ "now", required_argument, NULL, O_NOW },
	{ "sign", no_argument, NULL, O_SIGN },
	{ "cert", required_argument, NULL, O_CERT },
	{ "key", required_argument, NULL, O_KEY },
	{ "encrypt", no_argument, NULL, O_ENCRYPT },
	{ "recip", required_argument, NULL, O_RECIP },
	{ "no-self", no_argument, NULL, O_NOSELF },
	{ "from", required_argument, NULL, O_FROM },
	{ "digest", required_argument, NULL, O_DIGEST },
	{ "cipher", required_argument, NULL, O_CIPHER },
	{ "compat", required_argument, NULL, O_COMPAT },
	{ "keyid", no_argument, NULL, O_KEYID },
	{ "certs", required_argument, NULL, O_CERTS },
	{ "chain", required_argument, NULL, O_CHAIN },
	{ "state", required_argument, NULL, O_STATE },
	{ "stream", no_argument, NULL, O_STREAM },
	{ NULL, 0, NULL, 0 }
};

struct wrap_opts {
	int sign, encrypt, no_self, keyid, compat, stream, have_now;
	time_t now;
	const char *cert, *key, *from, *state;
	const char *recip[CMD_MAX_FILES], *chain[CMD_MAX_FILES];
	int n_recip, n_chain;
	const struct xe2e_digest *digest;
	const struct xe2e_cipher_alg *alg;
	enum xe2e_certs_mode certs;
};

static time_t fixed_clock(void *state)
{
	return *(const time_t *)state;
}

static int own(int c, const char *arg, void *data)
{
	struct wrap_opts *o = data;
	struct xe2e_err e;

	switch (c) {
	case O_SIGN: o->sign = 1; return 0;
	case O_CERT: o->cert = arg; return 0;
	case O_KEY: o->key = arg; return 0;
	case O_ENCRYPT: o->encrypt = 1; return 0;
	case O_RECIP: return cmd_add_file("wrap", o->recip, &o->n_recip, "--recip", arg);
	case O_CHAIN: return cmd_add_file("wrap", o->chain, &o->n_chain, "--chain", arg);
	case O_NOSELF: o->no_self = 1; return 0;
	case O_FROM: o->from = arg; return 0;
	case O_DIGEST: return cmd_digest_option(&o->digest, "wrap", arg);
	case O_CIPHER: return cmd_cipher_option(&o->alg, "wrap", arg);
	case O_COMPAT: return cmd_compat_option(&o->compat, "wrap", arg);
	case O_KEYID: o->keyid = 1; return 0;
	case O_CERTS:
		if (!strcmp(arg, "auto"))
			o->certs = XE2E_CERTS_AUTO;
		else if (!strcmp(arg, "always"))
			o->certs = XE2E_CERTS_ALWAYS;
		else if (!strcmp(arg, "never"))
			o->certs = XE2E_CERTS_NEVER;
		else
			return cmd_usage_error("wrap", "--certs takes always, auto or never, not '%s'", arg);
		return 0;
	case O_STATE: o->state = arg; return 0;
	case O_STREAM: o->stream = 1; return 0;
	case O_NOW:
		if (xe2e_time_parse_rfc3339(&o->now, arg, &e))
			return cmd_usage_error("wrap", "%s", e.msg);
		if (o->now < 0)
			return cmd_usage_error("wrap", "--now must be after 1970");
		o->have_now = 1;
		return 0;
	}
	return -1;
}

struct run {
	const struct cmd_common *cc;
	const struct wrap_opts *o;
	struct xe2e_ctx *ctx;
	struct xe2e_wrap_opts w;
};

static void json_extra(struct xe2e_json *j, void *data)
{
	const size_t *n = data;

	if (*n) {
		xe2e_json_key(j, "stanza");
		xe2e_json_int(j, (long long)*n);
	}
}

static int one(void *data, struct xe2e_xml_node *stanza, const struct xe2e_xml_node *header,
	       size_t n, struct xe2e_buf *out)
{
	struct run *r = data;
	struct xe2e_wrap_result res;
	struct xe2e_report rep;
	struct xe2e_err err;
	size_t label = r->o->stream ? n : 0;
	int rc, status;

	xe2e_err_clear(&err);
	xe2e_report_init(&rep);
	rc = xe2e_xmpp_wrap(r->ctx, &r->w, stanza, &res, &rep, &err);
	if (!rc)
		rc = xe2e_stanza_write(out, stanza, header, &err);
	if (rc && r->o->stream)
		xe2e_err_set(&err, err.code, "stanza %zu: %s", n, err.msg);
	status = cmd_report(r->cc, rc, &err, &rep, NULL, stderr, NULL, json_extra, &label);
	xe2e_report_release(&rep);
	return status;
}

int cmd_wrap(int argc, char **argv)
{
	struct cmd_common cc;
	struct wrap_opts o;
	struct xe2e_ctx ctx;
	struct xe2e_store st;
	struct xe2e_state state;
	struct xe2e_certs certs, chain, recips;
	struct xe2e_err err;
	struct run r;
	gnutls_privkey_t key = NULL;
	int rc, status = 0;

	cmd_common_init(&cc, "wrap", usage);
	memset(&o, 0, sizeof(o));
	o.certs = XE2E_CERTS_AUTO;
	rc = cmd_parse(&cc, argc, argv, options, own, &o);
	if (rc || cc.done)
		return rc ? rc : (fflush(stdout) ? XE2E_EIO : 0);
	if (o.key)
		o.sign = 1;
	if (o.n_recip)
		o.encrypt = 1;
	if (!o.sign && !o.encrypt)
		return cmd_usage_error("wrap", "nothing to do: give --key (sign) and/or --recip (encrypt)");
	if (o.sign && (!o.cert || !o.key))
		return cmd_usage_error("wrap", "signing needs --cert and --key");
	/* the state remembers the last stamp per sender: a made-up time must
	 * not reach the real one (every later stamp would follow it) */
	if (o.have_now && !o.state)
		return cmd_usage_error("wrap", "'--now' needs '--state DIR' (a state of its own)");
	if (o.encrypt && !o.n_recip)
		return cmd_usage_error("wrap", "encrypting needs --recip");
	if (o.no_self && !o.cert)
		return cmd_usage_error("wrap", "'--no-self' needs '--cert'");
	if (cc.n_in > 1)
		return cmd_usage_error("wrap", "one input (with --stream it may hold many stanzas)");
	/* RFC 3923 §6.10 (--compat): SHA-1; AES-128-CBC is the default anyway */
	if (!o.digest)
		o.digest = xe2e_digest_by_name(o.compat ? "sha1" : "sha256");
	if (!o.alg)
		o.alg = xe2e_cipher_by_name("aes128");
	xe2e_err_clear(&err);
	xe2e_certs_init(&certs);
	xe2e_certs_init(&chain);
	xe2e_certs_init(&recips);
	rc = cmd_ctx(&cc, &ctx, &st, 0, &err);
	if (o.have_now) {
		ctx.clock = fixed_clock;
		ctx.clock_state = &o.now;
	}
	if (!rc && o.sign)
		rc = cmd_load_signer(&certs, &chain, &key, &cc, o.cert, o.key, o.chain, o.n_chain, &err);
	if (!rc && o.encrypt)
		rc = cmd_load_recipients(&recips, &ctx, &cc, o.recip, o.n_recip,
					 o.no_self ? NULL : o.cert, &err);
	if (rc) {
		status = cmd_report(&cc, rc, &err, NULL, NULL, stderr, NULL, NULL, NULL);
	} else {
		memset(&r, 0, sizeof(r));
		r.cc = &cc;
		r.o = &o;
		r.ctx = &ctx;
		r.w.cert = o.sign ? certs.v[0] : NULL;
		r.w.key = key;
		r.w.chain = &chain;
		r.w.digest = o.digest;
		r.w.certs = o.certs;
		r.w.recips = recips.v;
		r.w.n_recips = o.encrypt ? recips.n : 0;
		r.w.alg = o.alg;
		r.w.use_ski = o.keyid;
		r.w.compat = o.compat;
		r.w.from = o.from;
		r.w.state = &state;
		status = cmd_stanza_run(&cc, &ctx, &state, o.state, o.stream, 0, one, &r);
	}
	if (key)
		gnutls_privkey_deinit(key);
	xe2e_certs_release(&certs);
	xe2e_certs_release(&chain);
	xe2e_certs_release(&recips);
	cmd_ctx_release(&ctx, &st);
	return status;
}
