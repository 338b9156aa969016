/*
 * unwrap.c - `xe2e unwrap`: receive XMPP stanzas protected per RFC 3923:
 * decrypt, verify, check the sender against the certificate and the
 * timestamp, and give back the plain stanza (or the RFC 3923 §7 error
 * stanza).  Options and keys here; the protocol is lib/xmpp.c.
 */
#include "common.h"
#include "stanzas.h"
#include "../lib/datetime.h"
#include "../lib/recv.h"
#include "../lib/report.h"
#include "../lib/text.h"
#include "../lib/xmpp.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const usage[] = {
	"usage: xe2e unwrap [--key FILE [--cert FILE]] [--in FILE] [--out FILE] [--stream]",
	"                   [--require signed|encrypted|both] [--now TIME] [--state DIR]",
	"                   [--reply FILE] [--payload] [--passthrough] [--drop-failed]",
	"                   [--ca FILE|DIR]... [--crl FILE]... [--untrusted FILE]...",
	"                   [--store DIR [--cache]] [--at TIME] [--crl-check MODE]",
	"                   [--policy P] [--max-depth N] [--lf] [--pass-fd N | --pass-file FILE]",
	"                   [--json] [--quiet]",
	"",
	"Unwrap an XMPP stanza protected per RFC 3923 (stdin or --in; with --stream a",
	"sequence of stanzas or a whole <stream:stream>): decrypt, verify the signature",
	"and the signer's certificate, check that it names the stanza's sender, check",
	"the timestamp (within 5 minutes, later than the last one accepted from that",
	"sender), and write the plain stanza.",
	"",
	"      --key FILE       the recipient's private key (for encrypted stanzas)",
	"      --cert FILE      its certificate: selects the RecipientInfo",
	"      --require WHAT   refuse stanzas that are not signed, encrypted or both",
	"                       (default: accept what came, and report it)",
	"      --now TIME       the time the timestamp is checked against (RFC 3339)",
	"      --state DIR      state directory for the replay memory (default",
	"                       $XE2E_STATE_DIR, else $XDG_STATE_HOME/xe2e, else",
	"                       ~/.local/state/xe2e)",
	"      --reply FILE     on failure, write the RFC 3923 §7 error stanza to FILE",
	"      --payload        write the protected MIME object, not the stanza",
	"      --lf             write that object with LF line ends, not CRLF",
	"      --passthrough    a stanza without <e2e/> is written unchanged",
	"      --drop-failed    in a stream, drop a failing stanza (default: its error",
	"                       stanza takes its place)",
	"      --stream         many stanzas, each written as soon as it is done",
	"  -i, --in FILE        input (default: standard input)",
	"  -o, --out FILE       output, written atomically (default: standard output)",
	"      --ca FILE|DIR    trust anchors (certificate file or directory)",
	"      --crl FILE       CRLs (repeatable)",
	"      --untrusted FILE more certificates for paths (repeatable; or --certfile)",
	"      --store DIR      certificate store: its anchors, certificates and CRLs",
	"      --cache          keep in the store the certificates and CRLs a valid",
	"                       stanza brought (RFC 3850 §4; with wrap's certs auto a",
	"                       sender includes them once every 5 minutes)",
	"      --at TIME        validate certificates at TIME (RFC 3339), not now",
	"      --crl-check MODE auto (default), require or if-present",
	"      --policy P       modern (default), rfc3850 or strict",
	CMD_USAGE_POLICY_INPUTS,
	"      --max-depth N    nested layers to peel at most (default 8)",
	"      --pass-fd N      read the key's passphrase from descriptor N",
	"      --pass-file FILE read the key's passphrase from FILE",
	"      --json           report as one JSON object per stanza on standard error",
	"  -q, --quiet          no summary, no warnings",
	"  -h, --help           show this help",
	"  -V, --version        show the version",
	NULL
};

enum { O_KEY = CMD_O_FIRST_OWN, O_CERT, O_REQUIRE, O_NOW, O_STATE, O_REPLY, O_PAYLOAD,
       O_PASSTHROUGH, O_DROP, O_STREAM };

static const struct option options[] = {
	CMD_OPTS_BASIC,
	CMD_OPTS_TRUST,
	CMD_OPTS_PASS,
	CMD_OPT_CACHE,
	{ "max-depth", required_argument, NULL, CMD_O_MAXDEPTH },
	{ "lf", no_argument, NULL, CMD_O_LF },
	{ "key", required_argument, NULL, O_KEY },
	{ "cert", required_argument, NULL, O_CERT },
	{ "require", required_argument, NULL, O_REQUIRE },
	{ "now", required_argument, NULL, O_NOW },
	{ "state", required_argument, NULL, O_STATE },
	{ "reply", required_argument, NULL, O_REPLY },
	{ "payload", no_argument, NULL, O_PAYLOAD },
	{ "passthrough", no_argument, NULL, O_PASSTHROUGH },
	{ "drop-failed", no_argument, NULL, O_DROP },
	{ "stream", no_argument, NULL, O_STREAM },
	{ NULL, 0, NULL, 0 }
};

struct unwrap_opts {
	const char *key, *cert, *state, *reply;
	enum xe2e_require require;
	int have_now, payload, passthrough, drop, stream;
	int64_t now_ms;
};

static int own(int c, const char *arg, void *data)
{
	struct unwrap_opts *o = data;

	switch (c) {
	case O_KEY: o->key = arg; return 0;
	case O_CERT: o->cert = arg; return 0;
	case O_REQUIRE:
		if (!strcmp(arg, "signed"))
			o->require = XE2E_REQUIRE_SIGNED;
		else if (!strcmp(arg, "encrypted"))
			o->require = XE2E_REQUIRE_ENCRYPTED;
		else if (!strcmp(arg, "both"))
			o->require = XE2E_REQUIRE_BOTH;
		else
			return cmd_usage_error("unwrap", "--require takes signed, encrypted or both, not '%s'",
					       arg);
		return 0;
	case O_NOW:
		if (xe2e_time_parse_ms(&o->now_ms, arg, strlen(arg), NULL))
			return cmd_usage_error("unwrap", "invalid --now '%s' (want RFC 3339, e.g. "
					       "2026-01-02T03:04:05Z)", arg);
		o->have_now = 1;
		return 0;
	case O_STATE: o->state = arg; return 0;
	case O_REPLY: o->reply = arg; return 0;
	case O_PAYLOAD: o->payload = 1; return 0;
	case O_PASSTHROUGH: o->passthrough = 1; return 0;
	case O_DROP: o->drop = 1; return 0;
	case O_STREAM: o->stream = 1; return 0;
	}
	return -1;
}

struct run {
	const struct cmd_common *cc;
	const struct unwrap_opts *o;
	struct xe2e_ctx *ctx;
	struct xe2e_unwrap_opts u;
	const struct xe2e_unwrap_result *res;
	size_t n;
};

static void json_extra(struct xe2e_json *j, void *data)
{
	const struct run *r = data;
	const struct xe2e_unwrap_result *res = r->res;
	char t[40] = "";

	if (r->o->stream) {
		xe2e_json_key(j, "stanza");
		xe2e_json_int(j, (long long)r->n);
	}
	xe2e_json_key(j, "kind");
	xe2e_json_str(j, xe2e_stanza_kind_name(res->kind));
	xe2e_json_key(j, "payload");
	xe2e_json_str(j, res->have_payload ? xe2e_payload_kind_name(res->payload_kind) : NULL);
	xe2e_json_key(j, "signed");
	xe2e_json_bool(j, res->is_signed);
	xe2e_json_key(j, "encrypted");
	xe2e_json_bool(j, res->is_encrypted);
	xe2e_json_key(j, "chains_remembered");
	xe2e_json_int(j, (long long)res->chains_remembered);
	xe2e_json_key(j, "dropped");
	xe2e_json_lines(j, res->dropped.len ? (char *)res->dropped.data : "");
	xe2e_json_key(j, "from");
	xe2e_json_str(j, res->jid.len ? (char *)res->jid.data : NULL);
	xe2e_json_key(j, "timestamp");
	xe2e_json_object(j);
	xe2e_json_key(j, "value");
	if (res->has_timestamp) {
		xe2e_time_format_ms(t, sizeof(t), res->timestamp_ms);
		xe2e_json_str(j, t);
	} else {
		xe2e_json_null(j);
	}
	xe2e_json_key(j, "verdict");
	xe2e_json_str(j, res->timestamp);
	xe2e_json_close(j);
}

/* "xe2e unwrap: message from 'juliet@example.com': signed by 'CN=...',
 * encrypted (aes128), timestamp 2026-...Z ok" */
static int summary(struct xe2e_buf *b, const struct xe2e_unwrap_result *res,
		   const struct xe2e_report *rep, size_t n, int stream)
{
	const char *cipher = NULL, *signer = NULL;
	char t[40] = "";
	size_t i;
	int rc;

	for (i = 0; i < rep->n; i++) {
		if (rep->layers[i]->type == XE2E_LAYER_ENVELOPED && !cipher)
			cipher = rep->layers[i]->cipher;
		if (rep->layers[i]->type == XE2E_LAYER_SIGNED && rep->layers[i]->n_signers && !signer)
			signer = (char *)rep->layers[i]->signers[0].subject.data;
	}
	rc = stream ? xe2e_buf_addf(b, NULL, "xe2e unwrap: stanza %zu: ", n)
		    : xe2e_buf_adds(b, "xe2e unwrap: ", NULL);
	if (!rc)
		rc = xe2e_buf_addf(b, NULL, "%s from '", xe2e_stanza_kind_name(res->kind));
	if (!rc)
		rc = xe2e_text_escape_buf(b, res->jid.data, res->jid.len, NULL);
	if (!rc && signer) {
		rc = xe2e_buf_adds(b, "': signed by '", NULL);
		if (!rc)
			rc = xe2e_text_escape_buf(b, signer, strlen(signer), NULL);
		if (!rc)
			rc = xe2e_buf_addc(b, '\'', NULL);
	} else if (!rc) {
		rc = xe2e_buf_adds(b, "': not signed", NULL);
	}
	if (!rc)
		rc = cipher ? xe2e_buf_addf(b, NULL, ", encrypted (%s)", cipher)
			    : xe2e_buf_adds(b, ", not encrypted", NULL);
	if (!rc && res->has_timestamp) {
		xe2e_time_format_ms(t, sizeof(t), res->timestamp_ms);
		rc = xe2e_buf_addf(b, NULL, ", timestamp %s %s\n", t, res->timestamp);
	} else if (!rc) {
		rc = xe2e_buf_adds(b, ", no timestamp\n", NULL);
	}
	return rc;
}

static int one(void *data, struct xe2e_xml_node *stanza, const struct xe2e_xml_node *header,
	       size_t n, struct xe2e_buf *out)
{
	struct run *r = data;
	const struct unwrap_opts *o = r->o;
	struct xe2e_unwrap_result res;
	struct xe2e_report rep;
	struct xe2e_buf text = XE2E_BUF_INIT, reply = XE2E_BUF_INIT;
	struct xe2e_xml_node *es = NULL;
	struct xe2e_err err;
	int rc, status;

	xe2e_err_clear(&err);
	xe2e_report_init(&rep);
	xe2e_unwrap_result_init(&res);
	r->n = n;
	r->res = &res;
	r->u.header = header;
	rc = xe2e_xmpp_unwrap(r->ctx, &r->u, stanza, &res, &rep, &err);
	if (!rc && r->cc->cache)
		rc = xe2e_receive_cache(r->ctx, &rep, &err);
	if (rc && res.no_e2e && o->passthrough) {
		/* not ours: as it came */
		rc = xe2e_stanza_write(out, stanza, header, &err);
		status = rc ? cmd_report(r->cc, rc, &err, NULL, NULL, stderr, NULL, NULL, NULL) : 0;
		goto done;
	}
	if (!rc && o->payload && r->cc->lf) {
		rc = xe2e_buf_add_lf(out, res.payload.data, res.payload.len, &err);
	} else if (!rc && o->payload) {
		rc = xe2e_buf_add(out, res.payload.data, res.payload.len, &err);
	} else if (!rc) {
		rc = xe2e_buf_add(out, res.stanza.data, res.stanza.len, &err);
	}
	if (rc && !res.no_e2e && (o->reply || (o->stream && !o->drop))) {
		/* RFC 3923 §7: the error stanza, addressed back to the sender */
		struct xe2e_err e2;

		xe2e_err_clear(&e2);
		if (xe2e_stanza_error(&es, stanza, xe2e_stanza_condition(err.code), &e2) ||
		    (es && xe2e_stanza_write(o->stream ? out : &reply, es, header, &e2)))
			cmd_warn(r->cc, e2.msg);
		if (o->reply && es &&
		    xe2e_io_write_atomic(o->reply, reply.data, reply.len, XE2E_IO_PUBLIC, &e2))
			cmd_warn(r->cc, e2.msg);
	}
	if (rc && o->stream)
		xe2e_err_set(&err, err.code, "stanza %zu: %s", n, err.msg);
	if (!rc && !r->cc->quiet)
		summary(&text, &res, &rep, n, o->stream);
	if (!rc)
		cmd_warn_report(r->cc, &rep);
	if (!rc && res.dropped.len) {
		char w[XE2E_ERR_MSG_MAX];
		struct xe2e_buf list = XE2E_BUF_INIT;

		xe2e_text_join(&list, (char *)res.dropped.data, ", ", NULL);
		snprintf(w, sizeof(w), "not protected, so not kept: %s", list.len ? (char *)list.data : "");
		cmd_warn(r->cc, w);
		xe2e_buf_release(&list);
	}
	if (!rc && res.timestamp && !strcmp(res.timestamp, "none"))
		cmd_warn(r->cc, "the object has no timestamp: a replay of it cannot be detected");
	status = cmd_report(r->cc, rc, &err, &rep, &text, stderr, NULL, json_extra, r);
done:
	xe2e_xml_free(es);
	xe2e_buf_release(&text);
	xe2e_buf_release(&reply);
	xe2e_unwrap_result_release(&res);
	xe2e_report_release(&rep);
	return status;
}

int cmd_unwrap(int argc, char **argv)
{
	struct cmd_common cc;
	struct unwrap_opts o;
	struct xe2e_ctx ctx;
	struct xe2e_store st;
	struct xe2e_state state;
	struct xe2e_certs cert;
	struct xe2e_err err;
	struct run r;
	gnutls_privkey_t key = NULL;
	int rc, status = 0;

	cmd_common_init(&cc, "unwrap", usage);
	memset(&o, 0, sizeof(o));
	rc = cmd_parse(&cc, argc, argv, options, own, &o);
	if (rc || cc.done)
		return rc ? rc : (fflush(stdout) ? XE2E_EIO : 0);
	if (o.cert && !o.key)
		return cmd_usage_error("unwrap", "'--cert' selects the key's recipient: it needs '--key'");
	if (o.stream && (o.reply || o.payload))
		return cmd_usage_error("unwrap", "'--%s' takes one stanza, not '--stream' (there the error "
				       "stanzas are in the output)", o.reply ? "reply" : "payload");
	if (o.drop && !o.stream)
		return cmd_usage_error("unwrap", "'--drop-failed' is for '--stream'");
	if (cc.lf && !o.payload)
		return cmd_usage_error("unwrap", "'--lf' is for '--payload' (a stanza is XML: its line ends are LF)");
	if (cc.n_in > 1)
		return cmd_usage_error("unwrap", "one input (with --stream it may hold many stanzas)");
	xe2e_err_clear(&err);
	xe2e_certs_init(&cert);
	rc = cmd_ctx(&cc, &ctx, &st, 0, &err);
	if (!rc && o.key)
		rc = cmd_load_key(&key, o.key, &cc, &err);
	if (!rc && o.cert)
		rc = xe2e_certs_load(&cert, o.cert, &err);
	if (!rc && o.cert)
		rc = xe2e_pki_key_matches(key, cert.v[0], o.key, &err);
	if (rc) {
		status = cmd_report(&cc, rc, &err, NULL, NULL, stderr, NULL, NULL, NULL);
	} else {
		memset(&r, 0, sizeof(r));
		r.cc = &cc;
		r.o = &o;
		r.ctx = &ctx;
		r.u.key = key;
		r.u.key_cert = o.cert ? cert.v[0] : NULL;
		r.u.require = o.require;
		r.u.have_now = o.have_now;
		r.u.now_ms = o.now_ms;
		r.u.state = &state;
		status = cmd_stanza_run(&cc, &ctx, &state, o.state, o.stream, 1, one, &r);
	}
	if (key)
		gnutls_privkey_deinit(key);
	xe2e_certs_release(&cert);
	cmd_ctx_release(&ctx, &st);
	return status;
}
