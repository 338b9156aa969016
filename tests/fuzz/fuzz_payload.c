/*
 * fuzz_payload.c - libFuzzer harness for lib/payload.c: opening the object
 * an RFC 3923 stanza protects (DESIGN §3 rule 11: Message/CPIM around
 * text/plain or application/xmpp+xml, PIDF, bare xmpp+xml) and the MIME,
 * CPIM, PIDF and XML parsers under it.
 *
 * Input: one byte choosing the outer stanza (message, presence or iq, in
 * jabber:client or jabber:server, with or without type and xml:lang), then
 * the MIME entity.  A refusal must be clean: a known code, a one-line
 * message, no stanza.  When it opens, the rebuilt stanza must be of the
 * outer's kind and writable; then the way back: the object
 * xe2e_payload_make gives for it, put in the stanza as wrap does and opened
 * again, must give a stanza equal as XML (white space between the
 * stanza's child elements aside, payload.h).  When make refuses the stanza
 * (a subject too long for a CPIM header line...) that is its right.
 * Any broken property aborts, so libFuzzer reports it.
 *
 * Build and run: make fuzz-build, make fuzz-run (tests/fuzz/run-fuzz.sh).
 * Seeds: tests/fuzz/corpus/payload/ (made with tests/fuzz/make-seeds.sh).
 */
#include "fuzz.h"

#include "ctx.h"
#include "payload.h"
#include "stanza.h"

#define N_OUTER 6
#define STAMP_MS INT64_C(1071013536660)        /* 2003-12-09T23:45:36.660Z */

static const char *const outer_xml[N_OUTER] = {
	"<message xmlns='jabber:client' to='romeo@example.net/orchard' "
	"from='juliet@example.com/balcony' type='chat' id='m1'/>",
	"<presence xmlns='jabber:client' to='romeo@example.net/orchard' "
	"from='juliet@example.com/balcony'/>",
	"<iq xmlns='jabber:client' to='romeo@example.net/orchard' "
	"from='juliet@example.com/balcony' type='result' id='i1'/>",
	"<message xmlns='jabber:server' to='romeo@example.net' from='juliet@example.com/balcony' "
	"xml:lang='en'/>",
	"<presence xmlns='jabber:client' to='romeo@example.net' from='juliet@example.com/my phone' "
	"type='unavailable' xml:lang='fr'/>",
	"<iq xmlns='jabber:server' to='romeo@example.net/orchard' from='juliet@example.com' "
	"type='set' id='i2' xml:lang='en'/>",
};

static struct xe2e_xml_node *outers[N_OUTER];

static void clean_refusal(int rc, const struct xe2e_err *err)
{
	/* ESIGNATURE: the protected stanza contradicts the outer one (its
	 * type, id or xml:lang: DESIGN §3, the protected values win) */
	fuzz_refused(rc, err, FUZZ_CODE(XE2E_EMALFORMED) | FUZZ_CODE(XE2E_EUNSUPPORTED) |
			      FUZZ_CODE(XE2E_ESIGNATURE));
}

/* Content-IDs and tuple ids from a counter: runs repeat exactly. */
static int fill(void *state, void *p, size_t n, enum xe2e_rnd_level level)
{
	unsigned char *q = p;
	size_t i;

	(void)state;
	(void)level;
	for (i = 0; i < n; i++)
		q[i] = (unsigned char)(0x5a ^ i);
	return 0;
}

/* ---- equal as XML: a canonical form (names with their namespace, the
 * attributes sorted, adjacent text merged, CDATA or not alike) ---- */

static int attr_cmp(const struct xe2e_xml_attr *a, const struct xe2e_xml_attr *b)
{
	int c = strcmp(a->ns, b->ns);

	return c ? c : strcmp(a->local, b->local);
}

static int all_space(const struct xe2e_buf *t)
{
	size_t i;

	for (i = 0; i < t->len; i++)
		if (!strchr(" \t\r\n", t->data[i]))
			return 0;
	return 1;
}

static void canon_text(struct xe2e_buf *out, struct xe2e_buf *t, int drop_space)
{
	if (t->len && !(drop_space && all_space(t))) {
		REQUIRE(xe2e_buf_addf(out, NULL, "T%zu:", t->len) == 0);
		REQUIRE(xe2e_buf_add(out, t->data, t->len, NULL) == 0);
	}
	xe2e_buf_reset(t);
}

static void canon(struct xe2e_buf *out, const struct xe2e_xml_node *e, int top)
{
	const struct xe2e_xml_attr *sorted[64];
	const struct xe2e_xml_node *c;
	struct xe2e_buf t = XE2E_BUF_INIT;
	size_t i, k, n = e->n_attrs;

	REQUIRE(e->kind == XE2E_XML_ELEM && n <= 64);
	REQUIRE(xe2e_buf_addf(out, NULL, "E{%s}%s", e->ns, e->local) == 0);
	for (i = 0; i < n; i++) {
		for (k = i; k > 0 && attr_cmp(sorted[k - 1], &e->attrs[i]) > 0; k--)
			sorted[k] = sorted[k - 1];
		sorted[k] = &e->attrs[i];
	}
	for (i = 0; i < n; i++) {
		REQUIRE(xe2e_buf_addf(out, NULL, " {%s}%s=%zu:", sorted[i]->ns, sorted[i]->local,
				      sorted[i]->value.len) == 0);
		REQUIRE(xe2e_buf_add(out, sorted[i]->value.data, sorted[i]->value.len, NULL) == 0);
	}
	REQUIRE(xe2e_buf_addc(out, '(', NULL) == 0);
	for (c = e->first; c; c = c->next) {
		if (c->kind == XE2E_XML_TEXT) {
			REQUIRE(xe2e_buf_add(&t, c->text.data, c->text.len, NULL) == 0);
			continue;
		}
		canon_text(out, &t, top);
		canon(out, c, 0);
	}
	canon_text(out, &t, top);
	REQUIRE(xe2e_buf_addc(out, ')', NULL) == 0);
	xe2e_buf_release(&t);
}

static void equal_as_xml(const struct xe2e_xml_node *a, const struct xe2e_xml_node *b)
{
	struct xe2e_buf ca = XE2E_BUF_INIT, cb = XE2E_BUF_INIT;

	canon(&ca, a, 1);
	canon(&cb, b, 1);
	if (getenv("FUZZ_DEBUG"))     /* for triage: the two canonical forms */
		fprintf(stderr, "opened:  %.*s\nreopened: %.*s\n", (int)ca.len, (const char *)ca.data,
			(int)cb.len, (const char *)cb.data);
	REQUIRE(ca.len == cb.len && !memcmp(ca.data, cb.data, ca.len));
	xe2e_buf_release(&ca);
	xe2e_buf_release(&cb);
}

/* ---- the way back: make, put in <e2e/> as wrap does, open ---- */

static void round_trip(const struct xe2e_payload *p)
{
	struct xe2e_buf entity = XE2E_BUF_INIT;
	struct xe2e_payload_make m;
	struct xe2e_payload q;
	struct xe2e_xml_node *sent;
	enum xe2e_payload_kind kind;
	struct xe2e_ctx ctx;
	struct xe2e_err err;
	struct xe2e_jid from, to;
	const char *f = xe2e_stanza_attr(p->stanza, "from"), *t = xe2e_stanza_attr(p->stanza, "to");
	int rc;

	xe2e_ctx_init(&ctx);
	ctx.rng.fill = fill;
	xe2e_payload_init(&q);
	xe2e_jid_init(&from);
	xe2e_jid_init(&to);
	REQUIRE(f && t);                  /* the outer's, which wins */
	REQUIRE(xe2e_jid_parse(&from, f, strlen(f), NULL) == 0);
	REQUIRE(xe2e_jid_parse(&to, t, strlen(t), NULL) == 0);
	memset(&m, 0, sizeof(m));
	m.from = &from;
	m.to = &to;
	m.stamp_ms = p->has_timestamp ? p->timestamp_ms : STAMP_MS;
	m.ctx = &ctx;
	rc = xe2e_payload_make(&entity, &kind, p->stanza, &m, &err);
	if (rc) {
		clean_refusal(rc, &err);
		goto out;
	}
	REQUIRE(kind <= XE2E_PAYLOAD_CPIM_XMPP);
	sent = xe2e_xml_copy(p->stanza);
	REQUIRE(sent);
	REQUIRE(xe2e_stanza_e2e_put(sent, entity.data, entity.len, &err) == 0);
	rc = xe2e_payload_open(&q, entity.data, entity.len, sent, &err);
	xe2e_xml_free(sent);
	REQUIRE(rc == 0);
	REQUIRE(q.kind == kind);
	REQUIRE(q.has_timestamp && q.timestamp_ms == m.stamp_ms);
	equal_as_xml(p->stanza, q.stanza);
out:
	xe2e_payload_release(&q);
	xe2e_buf_release(&entity);
	xe2e_jid_release(&from);
	xe2e_jid_release(&to);
	xe2e_ctx_release(&ctx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xe2e_xml_limits lim = xe2e_xml_default_limits(4096);
	struct xe2e_buf out = XE2E_BUF_INIT;
	const struct xe2e_xml_node *outer;
	struct xe2e_payload p;
	struct xe2e_err err;
	int rc, i;

	if (!outers[0])
		for (i = 0; i < N_OUTER; i++)
			REQUIRE(xe2e_xml_parse(&outers[i], (const unsigned char *)outer_xml[i],
					       strlen(outer_xml[i]), &lim, NULL) == 0);
	if (size < 1)
		return 0;
	outer = outers[data[0] % N_OUTER];
	xe2e_payload_init(&p);
	memset(&err, 0, sizeof(err));
	rc = xe2e_payload_open(&p, data + 1, size - 1, outer, &err);
	if (rc) {
		clean_refusal(rc, &err);
		REQUIRE(!p.stanza && !p.sender.len && !p.recipient.len && !p.inner_from.len &&
			!p.inner_to.len);
		goto done;
	}
	REQUIRE(p.stanza && xe2e_stanza_kind(p.stanza) == xe2e_stanza_kind(outer));
	REQUIRE(p.kind <= XE2E_PAYLOAD_XMPP);
	REQUIRE(!p.sender.data || p.sender.data[p.sender.len] == '\0');
	REQUIRE(!p.recipient.data || p.recipient.data[p.recipient.len] == '\0');
	/* the stanza unwrap writes */
	rc = xe2e_stanza_write(&out, p.stanza, NULL, &err);
	REQUIRE(rc == 0 && out.len > 0);
	round_trip(&p);
done:
	xe2e_payload_release(&p);
	xe2e_buf_release(&out);
	return 0;
}
