/*
 * fuzz_stanza.c - libFuzzer harness for lib/stanza.c and lib/xml.c: the
 * incremental stanza reader (RFC 6120 §4, §8), <e2e/> (RFC 3923 §9) and the
 * error stanzas of RFC 3923 §7.
 *
 * Input: four control bytes, then the stream or sequence of stanzas.
 *   byte 0, low 2 bits: the reader's cap on one stanza (1 MiB, 1 MiB, 4096,
 *           512 bytes); the rest: which §7 condition the first stanza gets
 *   bytes 1-3: chunk sizes, used in turn (0: all that is left), so that the
 *           split points are fuzzed as well as the bytes
 * For each stanza: xe2e_stanza_e2e_get; xe2e_stanza_write in the reader's
 * context, then that output parsed again in the same context must be one
 * stanza that writes the same bytes (idempotence); xe2e_stanza_error and the
 * error stanza written (and checked the same way).  A refusal must be
 * clean: a known code, a one-line message.  Any broken property aborts.
 *
 * Build and run: make fuzz-build, make fuzz-run (tests/fuzz/run-fuzz.sh).
 * Seeds: tests/fuzz/corpus/stanza/ (made with tests/fuzz/make-seeds.sh).
 */
#include "fuzz.h"

#include "stanza.h"

#define N_CTRL 4
#define REPARSE_CAP ((size_t)64 << 20)   /* writing may add declarations */
/* the first element of a re-parsed sequence, so that a stanza written
 * first is never taken for a stream header (a '<stream:stream' element
 * in a sequence is legal) */
#define LEAD "<xe2e-fuzz-lead/>"

static void clean_refusal(int rc, const struct xe2e_err *err)
{
	fuzz_refused(rc, err, FUZZ_CODE(XE2E_EMALFORMED) | FUZZ_CODE(XE2E_EUNSUPPORTED) |
			      FUZZ_CODE(XE2E_EIO));
}

static int space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * `first` is a stanza as xe2e_stanza_write wrote it in header's context:
 * put it back in that context, read it, and require one stanza that writes
 * the same bytes.
 */
static void same_again(const struct xe2e_buf *first, const struct xe2e_xml_node *header,
		       int had_decl)
{
	struct xe2e_buf doc = XE2E_BUF_INIT, again = XE2E_BUF_INIT;
	struct xe2e_stanza_reader *r;
	struct xe2e_xml_node *n, *got = NULL;
	enum xe2e_stanza_event ev;
	struct xe2e_err err;
	int headers = 0, stanzas = 0, ended = 0, lead = !header;

	REQUIRE(!header || xe2e_stanza_write_header(&doc, header, had_decl, &err) == 0);
	REQUIRE(header || xe2e_buf_adds(&doc, LEAD, &err) == 0);
	REQUIRE(xe2e_buf_add(&doc, first->data, first->len, &err) == 0);
	REQUIRE(!header || xe2e_stanza_write_end(&doc, header, &err) == 0);
	REQUIRE(xe2e_stanza_reader_new(&r, REPARSE_CAP, &err) == 0);
	REQUIRE(xe2e_stanza_reader_feed(r, doc.data, doc.len, 1, &err) == 0);
	while (!ended && (ev = xe2e_stanza_reader_next(r, &n)) != XE2E_STANZA_EV_NONE) {
		if (ev == XE2E_STANZA_EV_HEADER) {
			headers++;
		} else if (ev == XE2E_STANZA_EV_END) {
			ended = 1;
		} else if (lead) {
			REQUIRE(xe2e_xml_is(n, XE2E_NS_CLIENT, "xe2e-fuzz-lead"));
			lead = 0;
			xe2e_xml_free(n);
		} else {
			stanzas++;
			xe2e_xml_free(got);
			got = n;
		}
	}
	REQUIRE(ended && stanzas == 1 && headers == (header != NULL));
	REQUIRE(xe2e_stanza_write(&again, got, xe2e_stanza_reader_header(r), &err) == 0);
	REQUIRE(again.len == first->len && !memcmp(again.data, first->data, first->len));
	xe2e_xml_free(got);
	xe2e_stanza_reader_free(r);
	xe2e_buf_release(&doc);
	xe2e_buf_release(&again);
}

/* Write s in header's context; a parsed stanza must always be writable
 * (but for the documented cap on generated attribute prefixes). */
static void write_checked(const struct xe2e_xml_node *s, const struct xe2e_xml_node *header,
			  int had_decl)
{
	struct xe2e_buf out = XE2E_BUF_INIT;
	struct xe2e_err err;
	int rc = xe2e_stanza_write(&out, s, header, &err);

	if (rc) {
		REQUIRE(rc == -XE2E_EUNSUPPORTED);
		clean_refusal(rc, &err);
	} else {
		REQUIRE(out.len > 0);
		same_again(&out, header, had_decl);
	}
	xe2e_buf_release(&out);
}

static void e2e_checked(const struct xe2e_xml_node *s)
{
	struct xe2e_buf obj = XE2E_BUF_INIT;
	const struct xe2e_xml_node *e2e = (const void *)1;
	struct xe2e_err err;
	int rc = xe2e_stanza_e2e_get(&obj, s, &e2e, &err);

	if (rc == 1) {
		REQUIRE(e2e && e2e->parent == s && obj.len > 0);
		REQUIRE(!space(obj.data[0]) && !space(obj.data[obj.len - 1]));
		REQUIRE(obj.data[obj.len] == '\0');
	} else if (rc == 0) {
		REQUIRE(!e2e && obj.len == 0);
	} else {
		REQUIRE(rc == -XE2E_EMALFORMED && !e2e && obj.len == 0);
		clean_refusal(rc, &err);
	}
	xe2e_buf_release(&obj);
}

static void error_checked(const struct xe2e_xml_node *s, const struct xe2e_xml_node *header,
			  int had_decl, unsigned cond)
{
	struct xe2e_xml_node *es = (void *)1, *again = (void *)1;
	const char *type = xe2e_stanza_attr(s, "type");
	enum xe2e_stanza_kind k = xe2e_stanza_kind(s);
	struct xe2e_err err;
	int rc = xe2e_stanza_error(&es, s, (enum xe2e_e2e_condition)cond, &err);

	if (rc) {
		REQUIRE(!es);
		REQUIRE(rc == -XE2E_EIO);
		return;
	}
	if (k == XE2E_STANZA_OTHER || (type && !strcmp(type, "error")) ||
	    (k == XE2E_STANZA_IQ && (!type || !strcmp(type, "result")))) {
		REQUIRE(!es);       /* RFC 6120 §8.3.1, §8.2.3: never answered */
		return;
	}
	REQUIRE(es && xe2e_stanza_kind(es) == k);
	REQUIRE(!strcmp(xe2e_stanza_attr(es, "type"), "error"));
	REQUIRE(xe2e_stanza_error_condition(es) ==
		(cond <= XE2E_E2E_DECRYPTION_FAILED ? (int)cond : -1));
	/* an error is never answered with an error */
	REQUIRE(xe2e_stanza_error(&again, es, (enum xe2e_e2e_condition)cond, &err) == 0 && !again);
	write_checked(es, header, had_decl);
	xe2e_xml_free(es);
}

static void stanza_checked(const struct xe2e_xml_node *s, const struct xe2e_xml_node *header,
			   int had_decl, unsigned cond)
{
	enum xe2e_stanza_kind k = xe2e_stanza_kind(s);

	REQUIRE(s->kind == XE2E_XML_ELEM && !s->parent);
	REQUIRE(xe2e_stanza_kind_name(k) != NULL);
	(void)xe2e_stanza_attr(s, "to");
	(void)xe2e_stanza_lang(s);
	e2e_checked(s);
	write_checked(s, header, had_decl);
	error_checked(s, header, had_decl, cond);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t caps[] = { (size_t)1 << 20, (size_t)1 << 20, 4096, 512 };
	struct xe2e_stanza_reader *r;
	struct xe2e_xml_node *n;
	enum xe2e_stanza_event ev;
	struct xe2e_err err;
	unsigned char ctrl[N_CTRL] = { 0 };
	size_t off = 0, chunk, i = 0, stanzas = 0;
	int rc = 0, ended = 0, headers = 0;

	memcpy(ctrl, data, size < N_CTRL ? size : N_CTRL);
	data += size < N_CTRL ? size : N_CTRL;
	size -= size < N_CTRL ? size : N_CTRL;
	memset(&err, 0, sizeof(err));
	REQUIRE(xe2e_stanza_reader_new(&r, caps[ctrl[0] & 3], &err) == 0);
	for (;;) {
		chunk = ctrl[1 + i++ % 3];
		if (!chunk || chunk > size - off)
			chunk = size - off;
		rc = xe2e_stanza_reader_feed(r, data + off, chunk, off + chunk == size, &err);
		off += chunk;
		if (rc) {
			clean_refusal(rc, &err);
			/* a reader that failed stays failed */
			REQUIRE(xe2e_stanza_reader_feed(r, "", 0, 1, &err) == rc);
			REQUIRE(xe2e_stanza_reader_next(r, &n) == XE2E_STANZA_EV_NONE && !n);
			break;
		}
		while (!ended && (ev = xe2e_stanza_reader_next(r, &n)) != XE2E_STANZA_EV_NONE) {
			if (ev == XE2E_STANZA_EV_HEADER) {
				/* a stanza still being parsed may hang below it
				 * (regress/stanza/header-children) */
				REQUIRE(n && n == xe2e_stanza_reader_header(r));
				REQUIRE(!n->first || n->first->kind == XE2E_XML_ELEM ||
					n->first->kind == XE2E_XML_TEXT);
				REQUIRE(++headers == 1 && stanzas == 0);
			} else if (ev == XE2E_STANZA_EV_END) {
				REQUIRE(!n);
				ended = 1;
			} else {
				REQUIRE(n);
				stanza_checked(n, xe2e_stanza_reader_header(r),
					       xe2e_stanza_reader_had_decl(r),
					       (unsigned)(((size_t)(ctrl[0] >> 2) + stanzas) % 6));
				stanzas++;
				xe2e_xml_free(n);
			}
		}
		if (off == size)
			break;
	}
	/* the end stays the end */
	if (ended && !rc)
		REQUIRE(xe2e_stanza_reader_next(r, &n) == XE2E_STANZA_EV_END && !n);
	/* the whole input read without an error: it ended */
	REQUIRE(rc || ended);
	xe2e_stanza_reader_free(r);
	return 0;
}
