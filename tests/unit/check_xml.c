/*
 * check_xml.c - the XML tree (xml.h) and stanzas (stanza.h): parsing with
 * caps, incremental reading fed one byte at a time, serialising equal as
 * XML, <e2e/> framing, RFC 3923 §7 error stanzas.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/err.h"
#include "../../lib/pidf.h"
#include "../../lib/stanza.h"
#include "../../lib/xml.h"

Suite *suite_xml(void);

static struct xe2e_xml_node *parse(const char *s, struct xe2e_err *err)
{
	struct xe2e_xml_limits lim = xe2e_xml_default_limits(1 << 20);
	struct xe2e_xml_node *root = NULL;

	if (xe2e_xml_parse(&root, (const unsigned char *)s, strlen(s), &lim, err))
		return NULL;
	return root;
}

/* Write n in no scope. */
static const char *written(const struct xe2e_xml_node *n)
{
	static char out[4096];
	static const struct xe2e_xml_scope none[] = { { "", "" } };
	struct xe2e_buf b = XE2E_BUF_INIT;

	ck_assert_int_eq(xe2e_xml_write(&b, n, none, 1, NULL), 0);
	snprintf(out, sizeof(out), "%s", (char *)b.data);
	xe2e_buf_release(&b);
	return out;
}

START_TEST(writes_what_it_read)
{
	static const char *const same[] = {
		"<a/>",
		"<a xmlns='urn:x'><b>t</b></a>",
		"<p:a xmlns:p='urn:p'><p:b/><c/></p:a>",
		"<a x='1' y='&apos;&quot;&lt;&amp;'>&lt;&amp;&gt;</a>",
		"<a xmlns='urn:x'><b xmlns=''>no namespace</b></a>",
		"<a xml:lang='en'>t</a>",
		"<a><![CDATA[<raw> & ]]]]><![CDATA[>]]></a>",
		"<a>&#13;</a>",
		"<a xmlns:x='urn:x' x:attr='v'/>",
	};
	struct xe2e_xml_node *n;
	size_t i;

	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		n = parse(same[i], NULL);
		ck_assert_msg(n != NULL, "%s", same[i]);
		ck_assert_str_eq(written(n), same[i]);
		xe2e_xml_free(n);
	}
	/* attribute values are written single-quoted with every special escaped */
	n = parse("<a v=\"it's&#9;tab&#10;lf\"/>", NULL);
	ck_assert_str_eq(written(n), "<a v='it&apos;s&#9;tab&#10;lf'/>");
	xe2e_xml_free(n);
}
END_TEST

START_TEST(refuses_what_streams_may_not_hold)
{
	static const char *const bad[] = {
		"<!DOCTYPE a [<!ENTITY e 'x'>]><a>&e;</a>",
		"<a><?pi data?></a>",
		"<?xml version='1.0' encoding='ISO-8859-1'?><a/>",
		"<a>&undefined;</a>",
		"<a><b></a>",
		"<a xmlns:p='urn:p'><q:b/></a>",
		"",
	};
	struct xe2e_err err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		xe2e_err_clear(&err);
		ck_assert_msg(parse(bad[i], &err) == NULL, "accepted %s", bad[i]);
		ck_assert_int_eq(err.code, XE2E_EMALFORMED);
	}
}
END_TEST

START_TEST(caps_depth_attributes_and_size)
{
	struct xe2e_xml_limits lim = xe2e_xml_default_limits(100);
	struct xe2e_xml_node *root = NULL;
	struct xe2e_buf b = XE2E_BUF_INIT;
	struct xe2e_err err;
	int i;

	for (i = 0; i < 66; i++)
		xe2e_buf_adds(&b, "<x>", NULL);
	for (i = 0; i < 66; i++)
		xe2e_buf_adds(&b, "</x>", NULL);
	lim.max_bytes = 1 << 20;
	ck_assert_int_eq(xe2e_xml_parse(&root, b.data, b.len, &lim, &err), -XE2E_EMALFORMED);
	ck_assert_ptr_nonnull(strstr(err.msg, "deeper"));
	xe2e_buf_reset(&b);
	xe2e_buf_adds(&b, "<a", NULL);
	for (i = 0; i < 65; i++)
		xe2e_buf_addf(&b, NULL, " a%d='v'", i);
	xe2e_buf_adds(&b, "/>", NULL);
	ck_assert_int_eq(xe2e_xml_parse(&root, b.data, b.len, &lim, &err), -XE2E_EMALFORMED);
	ck_assert_ptr_nonnull(strstr(err.msg, "attributes"));
	lim.max_bytes = 100;
	xe2e_buf_reset(&b);
	xe2e_buf_adds(&b, "<a>", NULL);
	for (i = 0; i < 200; i++)
		xe2e_buf_addc(&b, 'x', NULL);
	xe2e_buf_adds(&b, "</a>", NULL);
	ck_assert_int_eq(xe2e_xml_parse(&root, b.data, b.len, &lim, &err), -XE2E_EMALFORMED);
	ck_assert_ptr_nonnull(strstr(err.msg, "larger"));
	xe2e_buf_release(&b);
}
END_TEST

START_TEST(text_that_xml_cannot_carry)
{
	struct xe2e_xml_node *e = xe2e_xml_elem_new(NULL, "a", NULL);
	struct xe2e_buf b = XE2E_BUF_INIT;
	struct xe2e_err err;

	xe2e_xml_append(e, xe2e_xml_text_new("a\x01" "b", 3, 0));
	ck_assert_int_eq(xe2e_xml_write(&b, e, NULL, 0, &err), -XE2E_EMALFORMED);
	xe2e_xml_free(e);
	e = xe2e_xml_elem_new(NULL, "a", NULL);
	xe2e_xml_append(e, xe2e_xml_text_new("\xff", 1, 0));
	ck_assert_int_eq(xe2e_xml_write(&b, e, NULL, 0, &err), -XE2E_EMALFORMED);
	xe2e_xml_free(e);
	/* a stanza is appended whole or not at all: what was there stays */
	xe2e_buf_reset(&b);
	ck_assert_int_eq(xe2e_buf_adds(&b, "<before/>", NULL), 0);
	e = xe2e_xml_elem_new(XE2E_NS_CLIENT, "message", NULL);
	xe2e_xml_append(e, xe2e_xml_elem_new(XE2E_NS_CLIENT, "body", NULL));
	xe2e_xml_append(e->first, xe2e_xml_text_new("a\x01", 2, 0));
	ck_assert_int_eq(xe2e_stanza_write(&b, e, NULL, &err), -XE2E_EMALFORMED);
	ck_assert_str_eq((char *)b.data, "<before/>");
	ck_assert_uint_eq(b.len, 9);
	xe2e_xml_free(e);
	xe2e_buf_release(&b);
}
END_TEST

/* Read a stream in pieces of `step` bytes: the stanzas as written. */
static void read_in_steps(const char *in, size_t step, const char *want_stanzas, int want_header)
{
	struct xe2e_stanza_reader *r;
	struct xe2e_xml_node *n;
	struct xe2e_buf got = XE2E_BUF_INIT;
	enum xe2e_stanza_event ev;
	size_t len = strlen(in), off = 0, k;
	int headers = 0, ended = 0;

	ck_assert_int_eq(xe2e_stanza_reader_new(&r, 1 << 20, NULL), 0);
	while (!ended) {
		k = len - off < step ? len - off : step;
		ck_assert_int_eq(xe2e_stanza_reader_feed(r, in + off, k, off + k == len, NULL), 0);
		off += k;
		while ((ev = xe2e_stanza_reader_next(r, &n)) != XE2E_STANZA_EV_NONE) {
			if (ev == XE2E_STANZA_EV_HEADER)
				headers++;
			if (ev == XE2E_STANZA_EV_STANZA) {
				ck_assert_int_eq(xe2e_stanza_write(&got, n, xe2e_stanza_reader_header(r), NULL), 0);
				xe2e_xml_free(n);
			}
			if (ev == XE2E_STANZA_EV_END) {
				ended = 1;
				break;
			}
		}
		if (off == len)
			break;
	}
	ck_assert_int_eq(headers, want_header);
	ck_assert_str_eq(got.len ? (char *)got.data : "", want_stanzas);
	xe2e_buf_release(&got);
	xe2e_stanza_reader_free(r);
}

START_TEST(streams_one_byte_at_a_time)
{
	static const char stream[] =
		"<?xml version='1.0'?><stream:stream xmlns='jabber:client' "
		"xmlns:stream='http://etherx.jabber.org/streams' to='example.com'>"
		"<message to='a@b'><body>x &amp; y</body></message>\n  "
		"<stream:features/><iq type='get' id='1'><q xmlns='urn:q'/></iq></stream:stream>";
	static const char seq[] =
		"<?xml version='1.0' encoding='UTF-8'?>\n<message to='a@b'><body>1</body></message>"
		"<presence to='a@b'/>\n";
	size_t step;

	for (step = 1; step <= 64; step *= 2) {
		read_in_steps(stream, step,
			      "<message to='a@b'><body>x &amp; y</body></message><stream:features/>"
			      "<iq type='get' id='1'><q xmlns='urn:q'/></iq>", 1);
		read_in_steps(seq, step, "<message to='a@b'><body>1</body></message><presence to='a@b'/>", 0);
	}
}
END_TEST

START_TEST(stream_refusals)
{
	static const char *const bad[] = {
		"<message to='a@b'>text</message>junk outside",
		"<!DOCTYPE message><message/>",
		"<message><!-- no comments in streams --></message>",
	};
	struct xe2e_stanza_reader *r;
	struct xe2e_xml_node *n;
	struct xe2e_err err;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(xe2e_stanza_reader_new(&r, 1 << 20, NULL), 0);
		xe2e_err_clear(&err);
		rc = xe2e_stanza_reader_feed(r, bad[i], strlen(bad[i]), 1, &err);
		while (xe2e_stanza_reader_next(r, &n) == XE2E_STANZA_EV_STANZA)
			xe2e_xml_free(n);
		ck_assert_msg(rc == -XE2E_EMALFORMED, "accepted %s", bad[i]);
		xe2e_stanza_reader_free(r);
	}
}
END_TEST

static struct xe2e_xml_node *stanza(const char *s)
{
	struct xe2e_stanza_reader *r;
	struct xe2e_xml_node *n = NULL;

	ck_assert_int_eq(xe2e_stanza_reader_new(&r, 1 << 20, NULL), 0);
	ck_assert_int_eq(xe2e_stanza_reader_feed(r, s, strlen(s), 1, NULL), 0);
	ck_assert_int_eq(xe2e_stanza_reader_next(r, &n), XE2E_STANZA_EV_STANZA);
	xe2e_stanza_reader_free(r);
	return n;
}

START_TEST(e2e_any_character_data)
{
	static const char *const forms[] = {
		"<message><e2e xmlns='urn:ietf:params:xml:ns:xmpp-e2e'><![CDATA[A]]]]><![CDATA[>B\nC]]></e2e></message>",
		"<message><e2e xmlns='urn:ietf:params:xml:ns:xmpp-e2e'>A]]&gt;B\nC</e2e></message>",
		"<message><e2e xmlns='urn:ietf:params:xml:ns:xmpp-e2e'>\n<![CDATA[\nA]]>]]&gt;<![CDATA[B\nC\n]]>\n  </e2e></message>",
		"<message><x:e2e xmlns:x='urn:ietf:params:xml:ns:xmpp-e2e'>A]]&gt;B&#10;C</x:e2e></message>",
		"<message><e2e xmlns='urn:ietf:params:xml:xmpp-e2e'>A]]&gt;B\nC</e2e></message>",
	};
	struct xe2e_buf b = XE2E_BUF_INIT;
	struct xe2e_xml_node *s;
	size_t i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		s = stanza(forms[i]);
		xe2e_buf_reset(&b);
		ck_assert_int_eq(xe2e_stanza_e2e_get(&b, s, NULL, NULL), 1);
		ck_assert_str_eq((char *)b.data, "A]]>B\nC");
		xe2e_xml_free(s);
	}
	s = stanza("<message><body>no e2e</body></message>");
	ck_assert_int_eq(xe2e_stanza_e2e_get(&b, s, NULL, NULL), 0);
	xe2e_xml_free(s);
	s = stanza("<message><e2e xmlns='urn:ietf:params:xml:ns:xmpp-e2e'>a</e2e>"
		   "<e2e xmlns='urn:ietf:params:xml:ns:xmpp-e2e'>b</e2e></message>");
	ck_assert_int_eq(xe2e_stanza_e2e_get(&b, s, NULL, NULL), -XE2E_EMALFORMED);
	xe2e_xml_free(s);
	s = stanza("<message><e2e xmlns='urn:ietf:params:xml:ns:xmpp-e2e'>a<b/></e2e></message>");
	ck_assert_int_eq(xe2e_stanza_e2e_get(&b, s, NULL, NULL), -XE2E_EMALFORMED);
	xe2e_xml_free(s);
	s = stanza("<message><e2e xmlns='urn:ietf:params:xml:ns:xmpp-e2e'>  \n </e2e></message>");
	ck_assert_int_eq(xe2e_stanza_e2e_get(&b, s, NULL, NULL), -XE2E_EMALFORMED);
	xe2e_xml_free(s);
	xe2e_buf_release(&b);
}
END_TEST

START_TEST(e2e_put_is_cdata_with_lf)
{
	struct xe2e_xml_node *s = stanza("<message to='a@b' id='1'><body>secret</body><x xmlns='urn:x'/></message>");
	struct xe2e_buf b = XE2E_BUF_INIT;

	ck_assert_int_eq(xe2e_stanza_e2e_put(s, (const unsigned char *)"L1\r\nL2 ]]> end\r\n", 16, NULL), 0);
	ck_assert_int_eq(xe2e_stanza_write(&b, s, NULL, NULL), 0);
	ck_assert_str_eq((char *)b.data,
			 "<message to='a@b' id='1'><e2e xmlns='urn:ietf:params:xml:ns:xmpp-e2e'>"
			 "<![CDATA[L1\nL2 ]]]]><![CDATA[> end\n]]></e2e></message>");
	xe2e_xml_free(s);
	xe2e_buf_release(&b);
}
END_TEST

START_TEST(error_stanzas)
{
	struct xe2e_xml_node *s = stanza("<message from='j@x/r' to='r@y/o' type='chat' id='m1'>"
					 "<e2e xmlns='urn:ietf:params:xml:ns:xmpp-e2e'>obj</e2e></message>");
	struct xe2e_xml_node *e = NULL;
	struct xe2e_buf b = XE2E_BUF_INIT;

	ck_assert_int_eq(xe2e_stanza_error(&e, s, XE2E_E2E_DECRYPTION_FAILED, NULL), 0);
	ck_assert_int_eq(xe2e_stanza_write(&b, e, NULL, NULL), 0);
	ck_assert_str_eq((char *)b.data,
			 "<message from='r@y/o' to='j@x/r' id='m1' type='error'>"
			 "<e2e xmlns='urn:ietf:params:xml:ns:xmpp-e2e'>obj</e2e><error type='modify'>"
			 "<bad-request xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>"
			 "<decryption-failed xmlns='urn:ietf:params:xml:ns:xmpp-e2e'/></error></message>");
	ck_assert_int_eq(xe2e_stanza_error_condition(e), XE2E_E2E_DECRYPTION_FAILED);
	/* never an error for an error */
	{
		struct xe2e_xml_node *e2 = NULL;

		ck_assert_int_eq(xe2e_stanza_error(&e2, e, XE2E_E2E_BAD_TIMESTAMP, NULL), 0);
		ck_assert_ptr_null(e2);
	}
	ck_assert_int_eq(xe2e_stanza_condition(-XE2E_ETIMESTAMP), XE2E_E2E_BAD_TIMESTAMP);
	ck_assert_int_eq(xe2e_stanza_condition(-XE2E_ENAME), XE2E_E2E_SIGNATURE_UNVERIFIED);
	ck_assert_int_eq(xe2e_stanza_condition(-XE2E_ECERT), XE2E_E2E_SIGNATURE_UNVERIFIED);
	ck_assert_int_eq(xe2e_stanza_condition(-XE2E_EMALFORMED), XE2E_E2E_BAD_REQUEST);
	xe2e_xml_free(e);
	xe2e_xml_free(s);
	/* the RFC's own spellings are understood */
	s = stanza("<message type='error'><error type='modify'>"
		   "<unverified-signature xmlns='urn:ietf:params:xml:xmpp-e2e'/></error></message>");
	ck_assert_int_eq(xe2e_stanza_error_condition(s), XE2E_E2E_SIGNATURE_UNVERIFIED);
	xe2e_xml_free(s);
	xe2e_buf_release(&b);
}
END_TEST

#define PIDF_OPEN "<presence xmlns='urn:ietf:params:xml:ns:pidf' xmlns:im='urn:ietf:params:xml:ns:pidf:im' entity='pres:j@x'>"

START_TEST(pidf_round_trip)
{
	struct xe2e_pidf_build b = { "pres:juliet@example.com", "balcony", 1, "away",
				     "retired\nto the chamber", 22, "en", 1070992391310LL };
	struct xe2e_buf doc = XE2E_BUF_INIT;
	struct xe2e_pidf p;

	xe2e_pidf_init(&p);
	ck_assert_int_eq(xe2e_pidf_build(&doc, &b, NULL), 0);
	ck_assert_ptr_nonnull(strstr((char *)doc.data, "<timestamp>2003-12-09T17:53:11.310Z</timestamp>"));
	ck_assert_int_eq(xe2e_pidf_parse(&p, doc.data, doc.len, NULL), 0);
	ck_assert_str_eq((char *)p.entity.data, "pres:juliet@example.com");
	ck_assert_int_eq(p.open, 1);
	ck_assert_str_eq(p.show, "away");
	ck_assert_str_eq((char *)p.note.data, "retired\nto the chamber");
	ck_assert_str_eq((char *)p.note_lang.data, "en");
	ck_assert_int_eq(p.timestamp_ms, 1070992391310LL);
	xe2e_pidf_release(&p);
	/* RFC 3922 §5.2: busy is dnd; a comment is dropped */
	xe2e_buf_reset(&doc);
	xe2e_buf_adds(&doc, "<?xml version='1.0'?>" PIDF_OPEN "<!-- c --><tuple id='t'><status><basic>closed</basic>"
		      "<im:im>busy</im:im></status></tuple></presence>", NULL);
	ck_assert_int_eq(xe2e_pidf_parse(&p, doc.data, doc.len, NULL), 0);
	ck_assert_int_eq(p.open, 0);
	ck_assert_str_eq(p.show, "dnd");
	ck_assert_int_eq(p.has_timestamp, 0);
	xe2e_pidf_release(&p);
	xe2e_buf_release(&doc);
	b.tuple_id = "1bad";
	ck_assert_int_eq(xe2e_pidf_build(&doc, &b, NULL), -XE2E_EMALFORMED);
	b.tuple_id = "ok";
	b.show = "busy";
	ck_assert_int_eq(xe2e_pidf_build(&doc, &b, NULL), -XE2E_EMALFORMED);
	xe2e_buf_release(&doc);
}
END_TEST

START_TEST(pidf_refusals)
{
	static const struct { const char *doc; int code; } bad[] = {
		{ "<presence entity='pres:j@x'><tuple id='t'><status/></tuple></presence>", XE2E_EMALFORMED },
		{ "<presence xmlns='urn:ietf:params:xml:ns:pidf'><tuple id='t'><status/></tuple></presence>",
		  XE2E_EMALFORMED },
		{ PIDF_OPEN "</presence>", XE2E_EUNSUPPORTED },
		{ PIDF_OPEN "<tuple id='a'><status/></tuple><tuple id='b'><status/></tuple></presence>",
		  XE2E_EUNSUPPORTED },
		{ PIDF_OPEN "<tuple id='a'></tuple></presence>", XE2E_EMALFORMED },
		{ PIDF_OPEN "<tuple id='a'><status><basic>maybe</basic></status></tuple></presence>",
		  XE2E_EMALFORMED },
		{ PIDF_OPEN "<tuple id='a'><status><im:im>sleeping</im:im></status></tuple></presence>",
		  XE2E_EMALFORMED },
		{ PIDF_OPEN "<tuple id='a'><status><x xmlns='urn:x' xmlns:p='urn:ietf:params:xml:ns:pidf' "
		  "p:mustUnderstand='true'/></status></tuple></presence>", XE2E_EUNSUPPORTED },
		{ PIDF_OPEN "<tuple id='a'><status/><timestamp>2003-12-09T23:53:11.31</timestamp></tuple></presence>",
		  XE2E_EMALFORMED },
		{ PIDF_OPEN "<tuple id='a'><status/><note>a<b/></note></tuple></presence>", XE2E_EMALFORMED },
		{ "<!DOCTYPE presence []>" PIDF_OPEN "</presence>", XE2E_EMALFORMED },
	};
	struct xe2e_pidf p;
	size_t i;

	xe2e_pidf_init(&p);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(xe2e_pidf_parse(&p, (const unsigned char *)bad[i].doc, strlen(bad[i].doc), NULL) ==
			      -bad[i].code, "%s", bad[i].doc);
	xe2e_pidf_release(&p);
}
END_TEST

Suite *suite_xml(void)
{
	Suite *s = suite_create("xml");
	TCase *core = tcase_create("core"), *limits = tcase_create("limits");

	tcase_add_test(core, writes_what_it_read);
	tcase_add_test(core, streams_one_byte_at_a_time);
	tcase_add_test(core, e2e_any_character_data);
	tcase_add_test(core, e2e_put_is_cdata_with_lf);
	tcase_add_test(core, error_stanzas);
	tcase_add_test(core, pidf_round_trip);
	tcase_add_test(limits, pidf_refusals);
	tcase_add_test(limits, refuses_what_streams_may_not_hold);
	tcase_add_test(limits, caps_depth_attributes_and_size);
	tcase_add_test(limits, text_that_xml_cannot_carry);
	tcase_add_test(limits, stream_refusals);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	return s;
}
