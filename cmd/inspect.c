/*
 * inspect.c - `xe2e inspect`: show what a stanza, MIME entity or CMS
 * object is, layer by layer.  The receive walk (lib/recv.c) with
 * recv_opts.inspect, every layer's record and info tree printed; stanzas
 * through the same reader and payload parser as unwrap.  Options and
 * printing here.
 */
#include "common.h"
#include "../lib/cms.h"
#include "../lib/datetime.h"
#include "../lib/info.h"
#include "../lib/inspect.h"
#include "../lib/mime.h"
#include "../lib/payload.h"
#include "../lib/recv.h"
#include "../lib/report.h"
#include "../lib/stanza.h"
#include "../lib/text.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const usage[] = {
	"usage: xe2e inspect [--in FILE | FILE...] [--out FILE] [--cert FILE] [--key FILE]",
	"                    [--pass-fd N | --pass-file FILE] [--ca FILE|DIR]... [--crl FILE]...",
	"                    [--untrusted FILE]... [--store DIR] [--at TIME] [--crl-check MODE]",
	"                    [--policy P] [--detached FILE] [--max-depth N] [--der] [--content]",
	"                    [--json] [--quiet]",
	"",
	"Show what a stanza or stream with <e2e/>, an S/MIME entity or a CMS object",
	"(DER, BER, PEM) is, layer by layer, outermost first: framing, CMS structure,",
	"certificates, CRLs, SignerInfos and their attributes, RecipientInfos and",
	"algorithm parameters, the protected payload and the innermost content.",
	"Exit 0 when all of it could be read, 2 when not (what was read is still shown,",
	"and the error names the byte offset where the encoding stops).",
	"",
	"      --key FILE       decrypt with this key and show what is inside (RSA)",
	"      --cert FILE      its certificate (selects the RecipientInfo)",
	"      --pass-fd N      read the key's passphrase from descriptor N",
	"      --pass-file FILE read the key's passphrase from FILE",
	"      --ca FILE|DIR    verify signatures and paths against these anchors and show",
	"                       the verdict verify would give (it does not change the exit)",
	"      --crl FILE       CRLs for that (repeatable)",
	"      --untrusted FILE more certificates for paths (repeatable; or --certfile)",
	"      --store DIR      certificate store: its anchors, certificates and CRLs",
	"      --at TIME        validate at TIME (RFC 3339), not now",
	"      --crl-check MODE auto (default), require or if-present",
	"      --policy P       modern (default), rfc3850 or strict",
	CMD_USAGE_POLICY_INPUTS,
	"      --detached FILE  the content of a detached DER/PEM signature",
	"      --max-depth N    nested layers to show at most (default 8)",
	"      --der            add an ASN.1 outline of every CMS object (offsets, tags,",
	"                       lengths, OIDs by name)",
	"      --content        show the innermost content itself (default: its size and",
	"                       SHA-256 only)",
	"  -i, --in FILE        input (default: standard input)",
	"  -o, --out FILE       where the tree goes, written atomically (default: standard",
	"                       output)",
	"      --json           the tree as one JSON object (man xe2e-inspect: schema)",
	"  -q, --quiet          no error line on standard error",
	"  -h, --help           show this help",
	"  -V, --version        show the version",
	NULL
};

enum { O_CERT = CMD_O_FIRST_OWN, O_KEY, O_DER, O_CONTENT, O_DETACHED };

static const struct option options[] = {
	CMD_OPTS_BASIC,
	CMD_OPTS_TRUST,
	CMD_OPTS_PASS,
	{ "max-depth", required_argument, NULL, CMD_O_MAXDEPTH },
	{ "cert", required_argument, NULL, O_CERT },
	{ "key", required_argument, NULL, O_KEY },
	{ "der", no_argument, NULL, O_DER },
	{ "content", no_argument, NULL, O_CONTENT },
	{ "detached", required_argument, NULL, O_DETACHED },
	{ NULL, 0, NULL, 0 }
};

struct inspect_opts {
	const char *cert, *key, *detached;
	int der, content;
};

static int own(int c, const char *arg, void *data)
{
	struct inspect_opts *o = data;

	switch (c) {
	case O_CERT: o->cert = arg; return 0;
	case O_KEY: o->key = arg; return 0;
	case O_DER: o->der = 1; return 0;
	case O_CONTENT: o->content = 1; return 0;
	case O_DETACHED: o->detached = arg; return 0;
	}
	return -1;
}

/* One inspected object: its layers and what came out of them. */
struct seen {
	struct xe2e_report rep;
	struct xe2e_buf content;
	int have_content;
	struct xe2e_info *head;        /* the stanza (outside the layers) */
	struct xe2e_info *extra;       /* content, payload (inside them) */
	int rc;
	struct xe2e_err err;
};

static void seen_init(struct seen *s)
{
	memset(s, 0, sizeof(*s));
	xe2e_report_init(&s->rep);
	xe2e_buf_init(&s->content, 0);
	xe2e_err_clear(&s->err);
}

static void seen_release(struct seen *s)
{
	xe2e_report_release(&s->rep);
	xe2e_buf_wipe(&s->content);
	xe2e_info_free(s->head);
	xe2e_info_free(s->extra);
}

struct run {
	struct xe2e_ctx *ctx;
	const struct cmd_common *cc;
	const struct inspect_opts *o;
	struct xe2e_recv_opts ro;
};

/* the receive walk over p[0..len) into s */
static int walk(struct run *r, struct seen *s, const unsigned char *p, size_t len)
{
	struct xe2e_source *src = malloc(sizeof(*src));
	struct xe2e_sink_buf sink;
	int rc;

	if (!src)
		return xe2e_err_oom(&s->err);
	xe2e_source_init_mem(src, p, len);
	xe2e_sink_buf_init(&sink, &s->content);
	rc = xe2e_receive(r->ctx, &r->ro, src, &sink.base, &s->rep, &s->err);
	xe2e_source_wipe(src);
	free(src);
	/* content exists when the walk reached it (an empty one is not shown) */
	s->have_content = !rc && s->content.len > 0;
	return rc;
}

static void content_info(struct run *r, struct seen *s, struct xe2e_info *parent)
{
	const char *oid = s->rep.n ? s->rep.layers[s->rep.n - 1]->content_type : NULL;

	if (s->have_content)
		xe2e_inspect_content(xe2e_info_obj(parent, "content"), s->content.data, s->content.len,
				     oid, r->o->content);
}

/* A stanza: its <e2e/> walked, the payload opened as unwrap opens it. */
static int one_stanza(struct run *r, struct seen *s, const struct xe2e_xml_node *stanza)
{
	struct xe2e_buf text = XE2E_BUF_INIT, canon = XE2E_BUF_INIT;
	struct xe2e_payload pl;
	struct xe2e_info *p;
	int rc;

	xe2e_payload_init(&pl);
	s->extra = xe2e_info_new();
	s->head = xe2e_info_new();
	if (!s->extra || !s->head)
		return xe2e_err_oom(&s->err);
	xe2e_inspect_stanza(xe2e_info_obj(s->head, "stanza"), stanza);
	rc = xe2e_stanza_e2e_get(&text, stanza, NULL, &s->err);
	if (rc == 0) {
		rc = xe2e_err_set(&s->err, XE2E_EMALFORMED, "the stanza carries no <e2e/>");
		goto out;
	}
	if (rc < 0)
		goto out;
	/* RFC 3923 rule 2: canonical again before anything is digested */
	rc = xe2e_mime_canon(&canon, text.data, text.len, &s->err);
	if (!rc)
		rc = walk(r, s, canon.data, canon.len);
	if (rc || !s->have_content)
		goto out;
	content_info(r, s, s->extra);
	p = xe2e_info_obj(s->extra, "payload");
	{
		struct xe2e_err e;

		xe2e_err_clear(&e);
		if (xe2e_payload_open(&pl, s->content.data, s->content.len, stanza, &e)) {
			xe2e_info_str(p, "error", e.msg);
			if (e.code == XE2E_EMALFORMED) {
				s->err = e;
				rc = -XE2E_EMALFORMED;
			}
			goto out;
		}
	}
	xe2e_info_str(p, "kind", xe2e_payload_kind_name(pl.kind));
	xe2e_info_strn(p, "sender", pl.sender.data, pl.sender.len);
	xe2e_info_strn(p, "recipient", pl.recipient.data, pl.recipient.len);
	if (pl.has_timestamp) {
		char t[40];

		xe2e_time_format_ms(t, sizeof(t), pl.timestamp_ms);
		xe2e_info_str(p, "timestamp", t);
	}
	if (pl.stanza)
		xe2e_inspect_stanza(xe2e_info_obj(p, "stanza"), pl.stanza);
out:
	xe2e_payload_release(&pl);
	xe2e_buf_release(&text);
	xe2e_buf_wipe(&canon);
	return rc;
}

/* ------------------------------------------------------------ printing */

static const char *const type_names[] = { "signed", "certs-only", "enveloped", "unopened" };

static int text_one(struct xe2e_buf *out, const struct seen *s, const char *indent_title,
		    struct xe2e_err *err)
{
	const struct xe2e_info *x = s->extra;
	size_t i;
	int rc = 0;

	(void)indent_title;
	if (s->head)
		rc = xe2e_info_text(out, s->head, 0, err);
	for (i = 0; !rc && i < s->rep.n; i++) {
		const struct xe2e_layer *l = s->rep.layers[i];

		rc = xe2e_buf_addf(out, err, "layer %zu: %s, ", i + 1, type_names[l->type]);
		if (!rc)        /* the smime-type comes from the input */
			rc = xe2e_text_escape_buf(out, l->framing[0] ? l->framing : "?",
						  l->framing[0] ? strlen(l->framing) : 1, err);
		if (!rc && l->note[0]) {
			rc = xe2e_buf_adds(out, " (", err);
			if (!rc)
				rc = xe2e_text_escape_buf(out, l->note, strlen(l->note), err);
			if (!rc)
				rc = xe2e_buf_adds(out, ")", err);
		}
		if (!rc)
			rc = xe2e_buf_addc(out, '\n', err);
		if (!rc && l->info)
			rc = xe2e_info_text(out, l->info, 1, err);
	}
	if (!rc && x)
		rc = xe2e_info_text(out, x, 0, err);
	return rc;
}

static void json_one(struct xe2e_json *j, const struct seen *s)
{
	xe2e_json_key(j, "status");
	xe2e_json_str(j, s->rc ? "error" : "ok");
	xe2e_json_key(j, "exit");
	xe2e_json_int(j, s->rc ? 2 : 0);
	if (s->rc) {
		xe2e_json_key(j, "error");
		xe2e_json_str(j, s->err.msg);
	}
	if (s->head)
		xe2e_info_json_members(j, s->head);
	xe2e_report_json(j, &s->rep);
	if (s->extra)
		xe2e_info_json_members(j, s->extra);
}

/* ------------------------------------------------------------ one input */

#define MAX_STANZAS 4096
#define MAX_SHOWN ((size_t)64 << 20)      /* bytes of tree per input */

static int exit_of(int rc, const struct xe2e_err *err)
{
	if (!rc)
		return 0;
	/* the input could not be read as far as it goes: 2; usage and I/O
	 * keep theirs */
	if (err->code == XE2E_EUSAGE || err->code == XE2E_EIO)
		return xe2e_exit_status(err->code);
	return XE2E_EMALFORMED;
}

/* A tree that hit its caps is not the whole truth: an error (info.h). */
static void trees_ok(struct seen *s)
{
	struct xe2e_err e;
	size_t i;

	if (s->rc)
		return;
	for (i = 0; i < s->rep.n && !s->rc; i++)
		if (s->rep.layers[i]->info && xe2e_info_status(s->rep.layers[i]->info, &e)) {
			s->rc = -(int)e.code;
			xe2e_err_set(&s->err, e.code, "layer %zu: %s", i + 1, e.msg);
		}
	if (!s->rc && s->head && xe2e_info_status(s->head, &e)) {
		s->rc = -(int)e.code;
		s->err = e;
	}
	if (!s->rc && s->extra && xe2e_info_status(s->extra, &e)) {
		s->rc = -(int)e.code;
		s->err = e;
	}
}

/* what one inspected object or stanza adds to the output */
struct shown {
	struct xe2e_buf *out;
	struct xe2e_json j;
	int json, stanza, status;
	size_t n;
	struct xe2e_err first;             /* the first failure */
};

static int show(struct run *r, struct shown *w, struct seen *s, struct xe2e_err *err)
{
	int rc = 0;

	trees_ok(s);
	if (s->rc && !w->status) {
		w->status = exit_of(s->rc, &s->err);
		w->first = s->err;
		if (w->stanza)
			xe2e_err_set(&w->first, s->err.code, "stanza %zu: %s", w->n + 1, s->err.msg);
	}
	if (w->json) {
		xe2e_json_object(&w->j);
		json_one(&w->j, s);
		xe2e_json_close(&w->j);
	} else {
		if (w->stanza)
			rc = xe2e_buf_addf(w->out, err, "stanza %zu:\n", w->n + 1);
		if (!rc)
			rc = text_one(w->out, s, NULL, err);
		if (!rc && s->rc) {
			rc = xe2e_buf_adds(w->out, "error: ", err);
			if (!rc)
				rc = xe2e_text_escape_buf(w->out, s->err.msg, strlen(s->err.msg), err);
			if (!rc)
				rc = xe2e_buf_addc(w->out, '\n', err);
		}
	}
	w->n++;
	(void)r;
	return rc;
}

/* stanzas as the reader gives them, each shown and freed before the next */
static int stanzas(struct run *r, struct shown *w, const struct xe2e_buf *in, struct xe2e_err *err)
{
	struct xe2e_stanza_reader *sr = NULL;
	struct xe2e_xml_node *node;
	struct xe2e_err e;
	struct seen s;
	size_t off = 0, chunk;
	int rc, frc = 0, final, stop = 0;

	xe2e_err_clear(&e);
	rc = xe2e_stanza_reader_new(&sr, r->ctx->max_input, err);
	while (!rc && !stop && !frc) {
		chunk = in->len - off < 65536 ? in->len - off : 65536;
		final = off + chunk == in->len;
		/* what the XML reader refuses ends the input after the stanzas it
		 * gave (exit 2), not as an I/O error */
		frc = xe2e_stanza_reader_feed(sr, in->data + off, chunk, final, &e);
		off += chunk;
		for (;;) {
			enum xe2e_stanza_event ev = xe2e_stanza_reader_next(sr, &node);

			if (ev == XE2E_STANZA_EV_HEADER)
				continue;
			if (ev != XE2E_STANZA_EV_STANZA)
				break;
			seen_init(&s);
			if (w->n == MAX_STANZAS || w->out->len > MAX_SHOWN) {
				if (w->n == MAX_STANZAS)
					s.rc = xe2e_err_set(&s.err, XE2E_EMALFORMED,
							    "more than %d stanzas: the rest is not shown",
							    MAX_STANZAS);
				else
					s.rc = xe2e_err_set(&s.err, XE2E_EMALFORMED,
							    "more than %zu MiB to show: the rest is not shown",
							    MAX_SHOWN >> 20);
				stop = 1;
			} else {
				s.rc = one_stanza(r, &s, node);
			}
			xe2e_xml_free(node);
			rc = show(r, w, &s, err);
			seen_release(&s);
			if (rc || stop)
				break;
		}
		if (final)
			break;
	}
	if (!rc && !stop && (frc || e.code)) {
		seen_init(&s);
		s.rc = -XE2E_EMALFORMED;
		if (e.code)
			s.err = e;
		s.err.code = XE2E_EMALFORMED;
		if (!s.err.msg[0])
			xe2e_err_set(&s.err, XE2E_EMALFORMED, "the XML cannot be read");
		rc = show(r, w, &s, err);
		seen_release(&s);
	}
	if (!rc && w->n == 0) {
		seen_init(&s);
		s.rc = xe2e_err_set(&s.err, XE2E_EMALFORMED, "no stanza in the input");
		rc = show(r, w, &s, err);
		seen_release(&s);
	}
	xe2e_stanza_reader_free(sr);
	return rc;
}

static int inspect_input(struct run *r, const char *path, struct xe2e_buf *out, int *status,
			 struct xe2e_err *err)
{
	struct xe2e_buf in = XE2E_BUF_INIT;
	struct shown w;
	struct seen s;
	size_t k = 0;
	int rc;

	rc = cmd_read(&in, path, r->ctx->max_input, err);
	if (rc)
		return rc;
	while (k < in.len && (in.data[k] == ' ' || in.data[k] == '\t' || in.data[k] == '\r' ||
			      in.data[k] == '\n'))
		k++;
	memset(&w, 0, sizeof(w));
	xe2e_err_clear(&w.first);
	w.out = out;
	w.json = r->cc->json;
	w.stanza = k < in.len && in.data[k] == '<';
	if (w.json) {
		xe2e_json_init(&w.j, out);
		xe2e_json_object(&w.j);
		xe2e_json_key(&w.j, "command");
		xe2e_json_str(&w.j, "inspect");
		if (path && r->cc->n_in > 1) {
			xe2e_json_key(&w.j, "input");
			xe2e_json_str(&w.j, path);
		}
		xe2e_json_key(&w.j, "kind");
		xe2e_json_str(&w.j, w.stanza ? "stanzas" : "object");
		if (w.stanza) {
			xe2e_json_key(&w.j, "stanzas");
			xe2e_json_array(&w.j);
		}
	} else if (path && r->cc->n_in > 1) {
		rc = xe2e_buf_adds(out, "== ", err);
		if (!rc)
			rc = xe2e_text_escape_buf(out, path, strlen(path), err);
		if (!rc)
			rc = xe2e_buf_addc(out, '\n', err);
	}
	if (!rc && !w.stanza) {
		seen_init(&s);
		s.rc = walk(r, &s, in.data, in.len);
		if (!s.rc) {
			s.extra = xe2e_info_new();
			if (!s.extra)
				s.rc = xe2e_err_oom(&s.err);
			else
				content_info(r, &s, s.extra);
		}
		if (w.json) {
			/* the object's members straight into the top object */
			trees_ok(&s);
			w.status = exit_of(s.rc, &s.err);
			w.first = s.err;
			json_one(&w.j, &s);
		} else {
			rc = show(r, &w, &s, err);
		}
		seen_release(&s);
	} else if (!rc) {
		rc = stanzas(r, &w, &in, err);
		if (w.json) {
			xe2e_json_close(&w.j);          /* stanzas */
			xe2e_json_key(&w.j, "status");
			xe2e_json_str(&w.j, w.status ? "error" : "ok");
			xe2e_json_key(&w.j, "exit");
			xe2e_json_int(&w.j, w.status);
		}
	}
	if (w.json) {
		xe2e_json_close(&w.j);
		if (!rc)
			rc = xe2e_json_end(&w.j, err);
		if (!rc)
			rc = xe2e_buf_addc(out, '\n', err);
	}
	*status = w.status;
	if (w.status)
		*err = w.first;
	xe2e_buf_wipe(&in);
	return rc;
}

int cmd_inspect(int argc, char **argv)
{
	struct cmd_common cc;
	struct inspect_opts o;
	struct run r;
	struct xe2e_ctx ctx;
	struct xe2e_store st;
	struct xe2e_certs certs;
	struct xe2e_buf det = XE2E_BUF_INIT, out = XE2E_BUF_INIT;
	struct xe2e_detached d;
	struct xe2e_err err;
	gnutls_privkey_t key = NULL;
	int rc, status = 0, i, first_status = 0;

	cmd_common_init(&cc, "inspect", usage);
	memset(&o, 0, sizeof(o));
	rc = cmd_parse(&cc, argc, argv, options, own, &o);
	if (rc || cc.done)
		return rc ? rc : (fflush(stdout) ? XE2E_EIO : 0);
	if (o.cert && !o.key)
		return cmd_usage_error("inspect", "'--cert' selects the recipient for '--key': give both");
	xe2e_err_clear(&err);
	xe2e_certs_init(&certs);
	memset(&r, 0, sizeof(r));
	rc = cmd_ctx(&cc, &ctx, &st, 0, &err);
	r.ctx = &ctx;
	r.cc = &cc;
	r.o = &o;
	r.ro.first = XE2E_RECV_ANY;
	r.ro.inspect = 1;
	r.ro.der = o.der;
	r.ro.verify = ctx.trust.anchors.n > 0 || ctx.store;
	if (!rc && o.key)
		rc = cmd_load_key(&key, o.key, &cc, &err);
	if (!rc && o.cert) {
		rc = xe2e_certs_load(&certs, o.cert, &err);
		if (!rc)
			rc = xe2e_pki_key_matches(key, certs.v[0], o.key, &err);
		r.ro.key_cert = rc ? NULL : certs.v[0];
	}
	r.ro.key = key;
	if (!rc && o.detached) {
		rc = cmd_read(&det, o.detached, ctx.max_input, &err);
		d.p = det.data;
		d.len = det.len;
		d.canon_fallback = 1;
		r.ro.detached = &d;
	}
	for (i = 0; !rc && i < (cc.n_in ? cc.n_in : 1); i++) {
		struct xe2e_err e;

		xe2e_err_clear(&e);
		rc = inspect_input(&r, cc.n_in ? cc.in[i] : NULL, &out, &status, &e);
		if (rc) {
			err = e;
			break;
		}
		if (status && !first_status) {
			struct cmd_common text = cc;

			/* one line on stderr; with --json the error is in the tree */
			first_status = status;
			text.json = 0;
			if (!cc.quiet && !cc.json)
				cmd_report(&text, -(int)e.code, &e, NULL, NULL, stderr,
					   cc.n_in > 1 ? cc.in[i] : NULL, NULL, NULL);
		}
	}
	/* the tree, also when it stops early (it shows how far it got) */
	if (!rc && out.len) {
		rc = cc.out ? xe2e_io_write_atomic(cc.out, out.data, out.len, XE2E_IO_PUBLIC, &err)
			    : xe2e_io_write_fd(STDOUT_FILENO, out.data, out.len, &err);
	}
	if (rc) {
		struct cmd_common quiet = cc;

		quiet.json = 0;
		status = cmd_report(&quiet, rc, &err, NULL, NULL, stderr, NULL, NULL, NULL);
	} else {
		status = first_status;
	}
	if (key)
		gnutls_privkey_deinit(key);
	xe2e_certs_release(&certs);
	xe2e_buf_release(&det);
	xe2e_buf_release(&out);
	cmd_ctx_release(&ctx, &st);
	return status ? status : (fflush(stdout) ? XE2E_EIO : 0);
}
