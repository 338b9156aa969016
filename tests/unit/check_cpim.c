/*
 * check_cpim.c - Message/CPIM objects (RFC 3862) as RFC 3923 §3 carries them:
 * RFC 3923 Example 1, what build writes byte for byte, build -> parse round
 * trips (escapes, non-ASCII), every prefix of a valid object, and every
 * refusal with its code.
 */
#include <check.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/cpim.h"
#include "../../lib/err.h"

Suite *suite_cpim(void);

#define MIME_HDR "Content-type: Message/CPIM\r\n\r\n"
#define ENTITY "Content-type: text/plain; charset=utf-8\r\n" \
	"Content-ID: <1234567890@example.com>\r\n" \
	"\r\n" \
	"Wherefore art thou, Romeo?"
#define BASE_HDRS "From: <im:juliet@example.com>\r\n" \
	"To: <im:romeo@example.net>\r\n" \
	"DateTime: 2003-12-09T23:45:36.660Z\r\n"

/* RFC 3923 §3.2 Example 1, with the DateTime of Examples 2 and 3 (notes §6
 * item 9), in canonical form */
static const char example1[] =
	"Content-type: Message/CPIM\r\n"
	"\r\n"
	"From: Juliet Capulet <im:juliet@example.com>\r\n"
	"To: Romeo Montague <im:romeo@example.net>\r\n"
	"DateTime: 2003-12-09T23:45:36.66Z\r\n"
	"Subject: Imploring\r\n"
	"\r\n"
	ENTITY;

#define EX1_MS INT64_C(1071013536660)

/* the same with every CRLF turned into LF */
static char *lf_form(const char *s, size_t *len)
{
	char *o = malloc(strlen(s) + 1);
	size_t i, n = 0;

	ck_assert_ptr_nonnull(o);
	for (i = 0; s[i]; i++)
		if (!(s[i] == '\r' && s[i + 1] == '\n'))
			o[n++] = s[i];
	o[n] = '\0';
	*len = n;
	return o;
}

/* The object MIME_HDR + hdrs + empty line + ENTITY. */
static char *object(const char *hdrs, size_t hlen, size_t *len)
{
	static const char tail[] = "\r\n" ENTITY;
	size_t a = sizeof(MIME_HDR) - 1, t = sizeof(tail) - 1;
	char *o = malloc(a + hlen + t + 1);

	ck_assert_ptr_nonnull(o);
	memcpy(o, MIME_HDR, a);
	memcpy(o + a, hdrs, hlen);
	memcpy(o + a + hlen, tail, t + 1);
	*len = a + hlen + t;
	return o;
}

static int parse_mem(struct xe2e_cpim *c, const void *p, size_t len, struct xe2e_err *e)
{
	/* an exact-size copy, so that a read past the end is caught (ASan) */
	unsigned char *q = malloc(len ? len : 1);
	int rc;

	ck_assert_ptr_nonnull(q);
	memcpy(q, p, len);
	rc = xe2e_cpim_parse(c, q, len, e);
	if (rc == 0) /* entity points into the input: make it point into p */
		c->entity = (const unsigned char *)p + (c->entity - q);
	free(q);
	return rc;
}

static void assert_buf(const struct xe2e_buf *b, const char *want, size_t wlen)
{
	ck_assert_ptr_nonnull(b->data);
	ck_assert_uint_eq(b->len, wlen);
	ck_assert_int_eq(memcmp(b->data, want, wlen), 0);
	ck_assert_int_eq(b->data[b->len], 0);
}
#define ASSERT_STR(b, s) assert_buf((b), (s), strlen(s))

static void assert_empty(const struct xe2e_cpim *c)
{
	ck_assert_uint_eq(c->from_uri.len, 0);
	ck_assert_uint_eq(c->from_name.len, 0);
	ck_assert_uint_eq(c->to_uri.len, 0);
	ck_assert_uint_eq(c->subject.len, 0);
	ck_assert_uint_eq(c->n_to, 0);
	ck_assert_int_eq(c->has_datetime, 0);
	ck_assert_int_eq(c->has_subject, 0);
	ck_assert_ptr_null(c->entity);
	ck_assert_uint_eq(c->entity_len, 0);
}

/* An error message names the problem on one line, lowercase first. */
static void assert_message(const struct xe2e_err *e)
{
	ck_assert_uint_gt(strlen(e->msg), 0);
	ck_assert_ptr_null(strchr(e->msg, '\n'));
	ck_assert_ptr_null(strchr(e->msg, '\r'));
	ck_assert_msg(!isupper((unsigned char)e->msg[0]), "message '%s' starts uppercase", e->msg);
}

static void check_example1(const char *obj, size_t len)
{
	struct xe2e_cpim c;
	struct xe2e_err e;
	const char *ent = strstr(obj, "Content-type: text/plain");

	xe2e_cpim_init(&c);
	ck_assert_int_eq(parse_mem(&c, obj, len, &e), 0);
	ASSERT_STR(&c.from_uri, "im:juliet@example.com");
	ASSERT_STR(&c.from_name, "Juliet Capulet");
	ASSERT_STR(&c.to_uri, "im:romeo@example.net");
	ASSERT_STR(&c.to_name, "Romeo Montague");
	ck_assert_uint_eq(c.n_to, 1);
	ck_assert_int_eq(c.has_datetime, 1);
	ck_assert_int_eq(c.datetime_ms, EX1_MS);
	ASSERT_STR(&c.datetime, "2003-12-09T23:45:36.66Z");
	ck_assert_int_eq(c.has_subject, 1);
	ASSERT_STR(&c.subject, "Imploring");
	ASSERT_STR(&c.subject_lang, "");
	ck_assert_ptr_eq(c.entity, (const unsigned char *)ent);
	ck_assert_uint_eq(c.entity_len, len - (size_t)(ent - obj));
	xe2e_cpim_release(&c);
}

START_TEST(rfc3923_example1)
{
	char *lf;
	size_t n;

	check_example1(example1, sizeof(example1) - 1);
	lf = lf_form(example1, &n);
	check_example1(lf, n);
	free(lf);
}
END_TEST

/* Bytes a build with from/to/datetime/entity of Example 1 must write. */
static struct xe2e_cpim_build base_build(void)
{
	struct xe2e_cpim_build b;

	memset(&b, 0, sizeof(b));
	b.from_uri = "im:juliet@example.com";
	b.to_uri = "im:romeo@example.net";
	b.datetime_ms = EX1_MS;
	b.entity = (const unsigned char *)ENTITY;
	b.entity_len = sizeof(ENTITY) - 1;
	return b;
}

START_TEST(build_writes_design_form)
{
	static const char want[] = MIME_HDR BASE_HDRS "\r\n" ENTITY;
	static const char want_subj[] = MIME_HDR BASE_HDRS
		"Subject: Imploring\r\n\r\n" ENTITY;
	static const char want_lang[] = MIME_HDR BASE_HDRS
		"Subject:;lang=en-GB Imploring\r\n\r\n" ENTITY;
	struct xe2e_cpim_build b = base_build();
	struct xe2e_buf out = XE2E_BUF_INIT;
	struct xe2e_err e;

	ck_assert_int_eq(xe2e_cpim_build(&out, &b, &e), 0);
	assert_buf(&out, want, sizeof(want) - 1);

	xe2e_buf_reset(&out);
	b.subject = "Imploring";
	b.subject_len = 9;
	ck_assert_int_eq(xe2e_cpim_build(&out, &b, &e), 0);
	assert_buf(&out, want_subj, sizeof(want_subj) - 1);

	/* appended, never replacing what is there */
	xe2e_buf_reset(&out);
	xe2e_buf_adds(&out, "xyz", NULL);
	b.subject_lang = "en-GB";
	ck_assert_int_eq(xe2e_cpim_build(&out, &b, &e), 0);
	ck_assert_uint_eq(out.len, 3 + sizeof(want_lang) - 1);
	ck_assert_int_eq(memcmp(out.data, "xyz", 3), 0);
	ck_assert_int_eq(memcmp(out.data + 3, want_lang, sizeof(want_lang) - 1), 0);
	xe2e_buf_release(&out);
}
END_TEST

START_TEST(build_datetime_forms)
{
	static const struct { int64_t ms; const char *s; } v[] = {
		{ EX1_MS, "2003-12-09T23:45:36.660Z" },
		{ 0, "1970-01-01T00:00:00.000Z" },
		{ -1, "1969-12-31T23:59:59.999Z" },
		{ INT64_C(951782400000), "2000-02-29T00:00:00.000Z" },
		{ INT64_C(-62135596800000), "0001-01-01T00:00:00.000Z" },
		{ INT64_C(253402300799999), "9999-12-31T23:59:59.999Z" },
	};
	struct xe2e_cpim_build b = base_build();
	struct xe2e_buf out = XE2E_BUF_INIT;
	struct xe2e_cpim c;
	char line[64];
	size_t i;

	xe2e_cpim_init(&c);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		xe2e_buf_reset(&out);
		b.datetime_ms = v[i].ms;
		ck_assert_int_eq(xe2e_cpim_build(&out, &b, NULL), 0);
		snprintf(line, sizeof(line), "\r\nDateTime: %s\r\n", v[i].s);
		ck_assert_ptr_nonnull(strstr((char *)out.data, line));
		ck_assert_int_eq(xe2e_cpim_parse(&c, out.data, out.len, NULL), 0);
		ck_assert_int_eq(c.datetime_ms, v[i].ms);
		ASSERT_STR(&c.datetime, v[i].s);
	}
	xe2e_cpim_release(&c);
	xe2e_buf_release(&out);
}
END_TEST

/* Every character RFC 3862 §3.5 makes us escape, with quotes (never
 * escaped outside a quoted string) and non-ASCII text. */
START_TEST(build_escapes_every_escapable_character)
{
	static const char want_line[] =
		"\r\nSubject: \\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007"
		"\\b\\t\\n\\u000B\\u000C\\r\\u000E\\u000F"
		"\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017"
		"\\u0018\\u0019\\u001A\\u001B\\u001C\\u001D\\u001E\\u001F"
		"\\u007F\\\\ \"'  R\xc3\xb3meo \xd0\xa0\xd0\xbe\xd0\xbc\xd0\xb5\xd0\xbe "
		"\xe2\x98\xba \xf0\x9f\x98\x80 \xe2\x80\xae\r\n\r\n";
	unsigned char subj[128];
	static const char tail[] = "\"'  R\xc3\xb3meo \xd0\xa0\xd0\xbe\xd0\xbc\xd0\xb5\xd0\xbe "
		"\xe2\x98\xba \xf0\x9f\x98\x80 \xe2\x80\xae";
	struct xe2e_cpim_build b = base_build();
	struct xe2e_buf out = XE2E_BUF_INIT;
	struct xe2e_cpim c;
	struct xe2e_err e;
	size_t n = 0, k;

	for (k = 0; k < 0x20; k++)
		subj[n++] = (unsigned char)k;
	subj[n++] = 0x7f;
	subj[n++] = '\\';
	subj[n++] = ' ';
	memcpy(subj + n, tail, sizeof(tail) - 1);
	n += sizeof(tail) - 1;
	b.subject = (const char *)subj;
	b.subject_len = n;
	ck_assert_int_eq(xe2e_cpim_build(&out, &b, &e), 0);
	ck_assert_msg(memmem(out.data, out.len, want_line, sizeof(want_line) - 1) != NULL,
		      "escaped Subject line not as expected: %s", out.data);

	xe2e_cpim_init(&c);
	ck_assert_int_eq(xe2e_cpim_parse(&c, out.data, out.len, &e), 0);
	ck_assert_int_eq(c.has_subject, 1);
	assert_buf(&c.subject, (const char *)subj, n);
	ASSERT_STR(&c.subject_lang, "");
	xe2e_cpim_release(&c);
	xe2e_buf_release(&out);
}
END_TEST

/* build -> parse gives back every field build was given */
static const struct {
	const char *from, *to, *subject, *lang;
	size_t subject_len;
	int64_t ms;
} trips[] = {
	{ "im:juliet@example.com", "im:romeo@example.net", NULL, NULL, 0, EX1_MS },
	{ "im:juliet@example.com", "im:romeo@example.net", "", NULL, 0, 0 },
	{ "im:juliet@example.com", "im:romeo@example.net", "Imploring", "en", 9, -1 },
	{ "xmpp:juliet@example.com/balcony", "pres:romeo@example.net", " \\ ", "i-default", 3, 1 },
	{ "im:j%C3%BCliet@example.com", "im:r\xc3\xb6meo@example.net",
	  "Objet de message \xe2\x80\x94 \xc3\xa9t\xc3\xa9", "fr", SIZE_MAX,
	  INT64_C(253402300799999) },
	{ "im:a@b", "im:c@d", "line one\nline two\r\n\tend\\", "x-klingon-tlh", SIZE_MAX,
	  INT64_C(-62135596800000) },
	{ "im:a@b", "im:c@d", "nul\0inside", NULL, 10, 42 },
	{ "im:a@b", "im:c@d", "\\u0041 is not an escape here", NULL, SIZE_MAX, 42 },
};

START_TEST(round_trip)
{
	struct xe2e_cpim_build b = base_build();
	struct xe2e_buf out = XE2E_BUF_INIT, again = XE2E_BUF_INIT;
	struct xe2e_cpim c;
	struct xe2e_err e;

	b.from_uri = trips[_i].from;
	b.to_uri = trips[_i].to;
	b.subject = trips[_i].subject;
	b.subject_len = trips[_i].subject_len == SIZE_MAX ? strlen(trips[_i].subject)
							   : trips[_i].subject_len;
	b.subject_lang = trips[_i].lang;
	b.datetime_ms = trips[_i].ms;
	ck_assert_int_eq(xe2e_cpim_build(&out, &b, &e), 0);
	xe2e_cpim_init(&c);
	ck_assert_msg(xe2e_cpim_parse(&c, out.data, out.len, &e) == 0, "%s", e.msg);
	ASSERT_STR(&c.from_uri, b.from_uri);
	ASSERT_STR(&c.from_name, "");
	ASSERT_STR(&c.to_uri, b.to_uri);
	ASSERT_STR(&c.to_name, "");
	ck_assert_uint_eq(c.n_to, 1);
	ck_assert_int_eq(c.has_datetime, 1);
	ck_assert_int_eq(c.datetime_ms, b.datetime_ms);
	ck_assert_int_eq(c.has_subject, b.subject != NULL);
	if (b.subject)
		assert_buf(&c.subject, b.subject, b.subject_len);
	ASSERT_STR(&c.subject_lang, b.subject_lang ? b.subject_lang : "");
	ck_assert_uint_eq(c.entity_len, sizeof(ENTITY) - 1);
	ck_assert_int_eq(memcmp(c.entity, ENTITY, c.entity_len), 0);

	/* and building from what was parsed writes the same bytes */
	b.subject = c.has_subject ? (const char *)c.subject.data : NULL;
	b.subject_len = c.subject.len;
	b.subject_lang = c.subject_lang.len ? (const char *)c.subject_lang.data : NULL;
	b.from_uri = (const char *)c.from_uri.data;
	b.to_uri = (const char *)c.to_uri.data;
	b.entity = c.entity;
	b.entity_len = c.entity_len;
	ck_assert_int_eq(xe2e_cpim_build(&again, &b, &e), 0);
	assert_buf(&again, (const char *)out.data, out.len);
	xe2e_cpim_release(&c);
	xe2e_buf_release(&out);
	xe2e_buf_release(&again);
}
END_TEST

/* From/To values: [Formal-name SP] "<" URI ">" */
static const struct {
	const char *value, *name, *uri;
	size_t name_len;
} addrs[] = {
	{ "Juliet Capulet <im:juliet@example.com>", "Juliet Capulet", "im:juliet@example.com", 14 },
	{ "<im:juliet@example.com>", "", "im:juliet@example.com", 0 },
	{ "Juliet <im:j@e>", "Juliet", "im:j@e", 6 },
	{ "\"Capulet, Juliet\" <im:j@e>", "Capulet, Juliet", "im:j@e", 15 },
	{ "\"Capulet, Juliet\"<im:j@e>", "Capulet, Juliet", "im:j@e", 15 },
	{ "\"\" <im:j@e>", "", "im:j@e", 0 },
	{ "\"J \\\"the sun\\\" C\" <im:j@e>", "J \"the sun\" C", "im:j@e", 13 },
	{ "\"a\\\\b\\tc\\u00e9\\q\\'\" <im:j@e>", "a\\b\tc\xc3\xa9q'", "im:j@e", 9 },
	{ "\"<im:evil@x> (\\u0000)\" <im:j@e>", "<im:evil@x> (\0)", "im:j@e", 15 },
	{ "J. R. R. Tolkien <im:j@e>", "J. R. R. Tolkien", "im:j@e", 16 },
	{ "!#$%&'*+-^_`|~ <im:j@e>", "!#$%&'*+-^_`|~", "im:j@e", 14 },
	{ "\xd0\x94\xd0\xb6\xd1\x83\xd0\xbb\xd1\x8c\xd0\xb5\xd1\x82\xd1\x82\xd0\xb0 <im:j@e>",
	  "\xd0\x94\xd0\xb6\xd1\x83\xd0\xbb\xd1\x8c\xd0\xb5\xd1\x82\xd1\x82\xd0\xb0", "im:j@e", 18 },
	{ "<xmpp:juliet@example.com/balcony?message;subject=x>", "",
	  "xmpp:juliet@example.com/balcony?message;subject=x", 0 },
	{ "<im:j%C3%BC@example.com>", "", "im:j%C3%BC@example.com", 0 },
	{ "<im:j\xc3\xbc@example.com>", "", "im:j\xc3\xbc@example.com", 0 },
};

START_TEST(from_and_to_values)
{
	char hdrs[512];
	struct xe2e_cpim c;
	struct xe2e_err e;
	size_t len;
	char *o;

	snprintf(hdrs, sizeof(hdrs),
		 "From: %s\r\nTo: %s\r\nDateTime: 2003-12-09T23:45:36.660Z\r\n",
		 addrs[_i].value, addrs[_i].value);
	o = object(hdrs, strlen(hdrs), &len);
	xe2e_cpim_init(&c);
	ck_assert_msg(parse_mem(&c, o, len, &e) == 0, "%s: %s", addrs[_i].value, e.msg);
	assert_buf(&c.from_name, addrs[_i].name, addrs[_i].name_len);
	ASSERT_STR(&c.from_uri, addrs[_i].uri);
	assert_buf(&c.to_name, addrs[_i].name, addrs[_i].name_len);
	ASSERT_STR(&c.to_uri, addrs[_i].uri);
	xe2e_cpim_release(&c);
	free(o);
}
END_TEST

/* DateTime values (RFC 3339 §5.6) and the instant they name */
static const struct {
	const char *value;
	int64_t ms;
} times[] = {
	{ "2003-12-09T23:45:36.66Z", EX1_MS },
	{ "2003-12-09T23:45:36.660Z", EX1_MS },
	{ "2003-12-09T23:45:36Z", EX1_MS - 660 },
	{ "2003-12-09t23:45:36.6z", EX1_MS - 60 },
	{ "2003-12-09T23:45:36.661999999999Z", EX1_MS + 1 },
	{ "2003-12-10T05:15:36.66+05:30", EX1_MS },
	{ "2003-12-09T23:45:36.66-00:00", EX1_MS },
	{ "2003-12-09T22:45:36.66-01:00", EX1_MS },
	{ "2003-12-10T01:45:36.66+01:00", EX1_MS + 3600000 },
	{ "2001-02-01T12:16:49-05:00", INT64_C(981047809000) },
	{ "2000-02-29T00:00:00Z", INT64_C(951782400000) },
	{ "1969-12-31T23:59:59.999Z", -1 },
	{ "1970-01-01T00:00:00+23:59", -(INT64_C(23) * 60 + 59) * 60000 },
	{ "0001-01-01T00:00:00Z", INT64_C(-62135596800000) },
	{ "9999-12-31T23:59:59.999Z", INT64_C(253402300799999) },
	{ "2016-12-31T23:59:60Z", INT64_C(1483228799000) },
};

START_TEST(datetime_values)
{
	char hdrs[256];
	struct xe2e_cpim c;
	struct xe2e_err e;
	size_t len;
	char *o;

	snprintf(hdrs, sizeof(hdrs), "From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: %s\r\n",
		 times[_i].value);
	o = object(hdrs, strlen(hdrs), &len);
	xe2e_cpim_init(&c);
	ck_assert_msg(parse_mem(&c, o, len, &e) == 0, "%s: %s", times[_i].value, e.msg);
	ck_assert_int_eq(c.has_datetime, 1);
	ck_assert_int_eq(c.datetime_ms, times[_i].ms);
	ASSERT_STR(&c.datetime, times[_i].value);
	xe2e_cpim_release(&c);
	free(o);
}
END_TEST

/* Subject values as received (RFC 3862 §3.5) */
static const struct {
	const char *value, *text;
	size_t text_len;
} subjects[] = {
	{ "Imploring", "Imploring", 9 },
	{ "a\\\\b", "a\\b", 3 },
	{ "\\b\\t\\n\\r", "\b\t\n\r", 4 },
	{ "\\\"q\\'", "\"q'", 3 },
	{ "\"q\" 'r'", "\"q\" 'r'", 7 },
	{ "\\u0000x", "\0x", 2 },
	{ "\\u001b\\u007F", "\x1b\x7f", 2 },
	{ "\\u00e9\\u00C9\\u20AC", "\xc3\xa9\xc3\x89\xe2\x82\xac", 7 },
	{ "\\q\\%\\ ", "q% ", 3 },                       /* unknown escapes */
	{ "\\\xc3\xa9!", "\xc3\xa9!", 3 },               /* unknown, non-ASCII */
	{ "end\\", "end", 3 },                           /* lone trailing backslash */
	{ "\\\\", "\\", 1 },
	{ "\\", "", 0 },
	{ "", "", 0 },
	{ "  lead and trail  ", "  lead and trail  ", 18 },
	{ "\xd0\xa0\xd0\xbe\xd0\xbc\xd0\xb5\xd0\xbe, \xf0\x9f\x98\x80",
	  "\xd0\xa0\xd0\xbe\xd0\xbc\xd0\xb5\xd0\xbe, \xf0\x9f\x98\x80", 16 },
};

START_TEST(subject_values)
{
	char hdrs[256];
	struct xe2e_cpim c;
	struct xe2e_err e;
	size_t len;
	char *o;

	snprintf(hdrs, sizeof(hdrs), BASE_HDRS "Subject: %s\r\n", subjects[_i].value);
	o = object(hdrs, strlen(hdrs), &len);
	xe2e_cpim_init(&c);
	ck_assert_msg(parse_mem(&c, o, len, &e) == 0, "%s: %s", subjects[_i].value, e.msg);
	ck_assert_int_eq(c.has_subject, 1);
	assert_buf(&c.subject, subjects[_i].text, subjects[_i].text_len);
	xe2e_cpim_release(&c);
	free(o);
}
END_TEST

static void parse_ok(struct xe2e_cpim *c, const char *hdrs)
{
	struct xe2e_err e;
	size_t len;
	char *o = object(hdrs, strlen(hdrs), &len);

	ck_assert_msg(parse_mem(c, o, len, &e) == 0, "%s: %s", hdrs, e.msg);
	free(o);
}

START_TEST(headers_accepted)
{
	struct xe2e_cpim c;

	xe2e_cpim_init(&c);
	/* several To: counted, the first kept; cc checked, not kept */
	parse_ok(&c, "From: <im:a@b>\r\nTo: First <im:c@d>\r\ncc: <im:x@y>\r\n"
		 "To: \"Second\" <im:e@f>\r\nTo: <im:g@h>\r\n");
	ck_assert_uint_eq(c.n_to, 3);
	ASSERT_STR(&c.to_uri, "im:c@d");
	ASSERT_STR(&c.to_name, "First");
	ck_assert_int_eq(c.has_datetime, 0);   /* DateTime is optional here */
	ck_assert_int_eq(c.has_subject, 0);

	/* several Subjects with different langs: the first is kept */
	parse_ok(&c, BASE_HDRS "Subject:;lang=en Hi\r\nSubject:;lang=fr Salut\r\n"
		 "Subject: Hello\r\n");
	ASSERT_STR(&c.subject, "Hi");
	ASSERT_STR(&c.subject_lang, "en");
	parse_ok(&c, BASE_HDRS "Subject: Hello\r\nSubject:;LANG=fr-CA Salut\r\n");
	ASSERT_STR(&c.subject, "Hello");
	ASSERT_STR(&c.subject_lang, "");

	/* RFC 3862 §3.4 / §5 namespaces, Require of what we process */
	parse_ok(&c, "NS: <urn:ietf:params:cpim-headers:>\r\n"
		 "Require: From,To,DateTime,Subject,NS,Require\r\n" BASE_HDRS
		 "Require: Subject\r\n");
	parse_ok(&c, "NS: MyFeatures <mid:MessageFeatures@id.foo.com>\r\n"
		 "Require: From,To,DateTime,Subject,NS,Require\r\n"
		 "MyFeatures.VitalMessageOption: Confirmation-requested\r\n"
		 "NS: <urn:ietf:params:cpim-headers:>\r\n" BASE_HDRS);
	ASSERT_STR(&c.from_uri, "im:juliet@example.com");

	/* unknown headers (any parameters) are ignored */
	parse_ok(&c, BASE_HDRS "X-Foo:;a=b;c=\"d;e f\";n=12 anything <at> all\r\n"
		 "Message-ID: x\r\nContent-Type: text/html\r\nX-Empty: \r\n");
	ASSERT_STR(&c.to_uri, "im:romeo@example.net");
	xe2e_cpim_release(&c);
}
END_TEST

START_TEST(object_header_forms)
{
	static const char *const v[] = {
		"content-TYPE: MESSAGE/cpim; foo=bar\r\n\r\n",
		"Content-Type:\r\n message/cpim\r\n\r\n",
		("Content-Type: message/cpim\r\nContent-Transfer-Encoding: 8bit\r\n"
		 "Content-ID: <x@y>\r\n\r\n"),
		"Content-Transfer-Encoding: BINARY\r\nContent-Type: Message/CPIM\r\n\r\n",
	};
	static const char rest[] = BASE_HDRS "\r\nContent-Type: text/plain\r\n\r\n";
	struct xe2e_cpim c;
	struct xe2e_err e;
	char buf[512];
	size_t i;

	xe2e_cpim_init(&c);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(buf, sizeof(buf), "%s%s", v[i], rest);
		ck_assert_msg(parse_mem(&c, buf, strlen(buf), &e) == 0, "%s: %s", v[i], e.msg);
		ck_assert_uint_eq(c.entity_len, strlen("Content-Type: text/plain\r\n\r\n"));
	}
	/* mixed line ends */
	snprintf(buf, sizeof(buf), "Content-Type: message/cpim\n\r\nFrom: <im:a@b>\n"
		 "To: <im:c@d>\r\n\nContent-Type: text/plain\n\nhi\r\n");
	ck_assert_int_eq(parse_mem(&c, buf, strlen(buf), &e), 0);
	ASSERT_STR(&c.to_uri, "im:c@d");
	ck_assert_uint_eq(c.entity_len, strlen("Content-Type: text/plain\n\nhi\r\n"));
	xe2e_cpim_release(&c);
}
END_TEST

START_TEST(parse_replaces_and_fails_closed)
{
	struct xe2e_cpim c;
	struct xe2e_err e;

	xe2e_cpim_init(&c);
	ck_assert_int_eq(parse_mem(&c, example1, sizeof(example1) - 1, &e), 0);
	parse_ok(&c, "From: <im:a@b>\r\nTo: <im:c@d>\r\n");
	ASSERT_STR(&c.from_name, "");
	ASSERT_STR(&c.from_uri, "im:a@b");
	ck_assert_int_eq(c.has_subject, 0);
	ck_assert_int_eq(c.has_datetime, 0);
	ASSERT_STR(&c.datetime, "");
	/* a failure leaves nothing behind, not even what parsed before it */
	ck_assert_int_eq(parse_mem(&c, example1, sizeof(example1) - 3, &e), 0);
	ck_assert_int_lt(xe2e_cpim_parse(&c, (const unsigned char *)example1,
					 (size_t)(strstr(example1, "Subject") - example1), &e), 0);
	assert_empty(&c);
	ck_assert_int_eq(xe2e_cpim_parse(&c, NULL, 0, &e), -XE2E_EMALFORMED);
	assert_empty(&c);
	xe2e_cpim_release(&c);
}
END_TEST

/* Every prefix of a valid object fails cleanly or succeeds; only those that
 * end inside the entity's body can succeed. */
static void every_prefix(const char *obj, size_t len)
{
	const char *body = strstr(obj, "Wherefore");
	struct xe2e_cpim c;
	struct xe2e_err e;
	size_t n, min_ok = (size_t)(body - obj);
	int rc;

	xe2e_cpim_init(&c);
	for (n = 0; n <= len; n++) {
		memset(&e, 0, sizeof(e));
		rc = parse_mem(&c, obj, n, &e);
		if (n < min_ok) {
			ck_assert_msg(rc == -XE2E_EMALFORMED, "prefix %zu: %d", n, rc);
			ck_assert_int_eq(e.code, XE2E_EMALFORMED);
			assert_message(&e);
			assert_empty(&c);
		} else {
			ck_assert_msg(rc == 0, "prefix %zu: %s", n, e.msg);
			ck_assert_uint_eq(c.entity_len, n - (size_t)(strstr(obj, "Content-type: text") - obj));
		}
	}
	xe2e_cpim_release(&c);
}

START_TEST(every_prefix_of_a_valid_object)
{
	struct xe2e_cpim_build b = base_build();
	struct xe2e_buf out = XE2E_BUF_INIT;
	char *lf;
	size_t n;

	every_prefix(example1, sizeof(example1) - 1);
	lf = lf_form(example1, &n);
	every_prefix(lf, n);
	free(lf);
	b.subject = "a\tb";
	b.subject_len = 3;
	b.subject_lang = "en";
	ck_assert_int_eq(xe2e_cpim_build(&out, &b, NULL), 0);
	every_prefix((const char *)out.data, out.len);
	xe2e_buf_release(&out);
}
END_TEST

/* Any single byte changed anywhere: a clean answer, never a crash. */
START_TEST(every_byte_changed)
{
	static const unsigned char subst[] = { 0, '\n', '\r', ' ', '\t', '\\', '"', ':',
					       ';', '<', '>', '.', 0x7f, 0x80, 0xc3, 0xff };
	unsigned char *o = malloc(sizeof(example1));
	struct xe2e_cpim c;
	struct xe2e_err e;
	size_t i, k, len = sizeof(example1) - 1;
	int rc;

	ck_assert_ptr_nonnull(o);
	xe2e_cpim_init(&c);
	for (i = 0; i < len; i++) {
		for (k = 0; k < sizeof(subst); k++) {
			memcpy(o, example1, len);
			o[i] = subst[k];
			rc = parse_mem(&c, o, len, &e);
			ck_assert(rc == 0 || rc == -XE2E_EMALFORMED || rc == -XE2E_EUNSUPPORTED);
			if (rc)
				assert_message(&e);
		}
	}
	xe2e_cpim_release(&c);
	free(o);
}
END_TEST

/* ---- refusals ---------------------------------------------------------- */

#define M (-XE2E_EMALFORMED)
#define U (-XE2E_EUNSUPPORTED)
#define V(h) h, sizeof(h) - 1

/* CPIM header blocks, placed between MIME_HDR and the entity */
static const struct {
	const char *hdrs;
	size_t len;
	int code;
} bad_hdrs[] = {
	/* missing and duplicate headers */
	{ V("To: <im:c@d>\r\nDateTime: 2003-12-09T23:45:36.660Z\r\n"), M },
	{ V("From: <im:a@b>\r\nDateTime: 2003-12-09T23:45:36.660Z\r\n"), M },
	{ V(BASE_HDRS "From: <im:a@b>\r\n"), M },
	{ V(BASE_HDRS "DateTime: 2003-12-09T23:45:36.660Z\r\n"), M },
	{ V(BASE_HDRS "Subject: a\r\nSubject: b\r\n"), M },
	{ V(BASE_HDRS "Subject:;lang=en a\r\nSubject:;lang=EN b\r\n"), M },
	/* header syntax (RFC 3862 §3) */
	{ V("From:<im:a@b>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From:  <im:a@b>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From : <im:a@b>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\n <im:e@f>\r\n"), M },
	{ V(" From: <im:a@b>\r\nTo: <im:c@d>\r\n"), M },
	{ V(BASE_HDRS "from: <im:evil@example.org>\r\n"), M },
	{ V(BASE_HDRS "FROM: <im:evil@example.org>\r\n"), M },
	{ V(BASE_HDRS "CC: <im:x@y>\r\n"), M },
	{ V(BASE_HDRS "datetime: 2003-12-09T23:45:36.660Z\r\n"), M },
	{ V(BASE_HDRS "require: From\r\n"), M },
	{ V(BASE_HDRS "SUBJECT: x\r\n"), M },
	{ V(BASE_HDRS "Foo Bar: x\r\n"), M },
	{ V(BASE_HDRS "Fo(o: x\r\n"), M },
	{ V(BASE_HDRS "a.b.c: x\r\n"), M },
	{ V(BASE_HDRS ".Foo: x\r\n"), M },
	{ V(BASE_HDRS "Foo.: x\r\n"), M },
	{ V(BASE_HDRS ": x\r\n"), M },
	{ V(BASE_HDRS "NoColon\r\n"), M },
	{ V(BASE_HDRS "X-Foo:\r\n"), M },
	{ V(BASE_HDRS "Undeclared.Foo: x\r\n"), M },
	{ V("NS: Other <mid:x@y>\r\n" BASE_HDRS "Undeclared.Foo: x\r\n"), M },
	{ V(BASE_HDRS "Mine.Foo: x\r\nNS: Mine <mid:x@y>\r\n"), M },
	/* parameters */
	{ V(BASE_HDRS "Subject:;lang=en;lang=fr x\r\n"), M },
	{ V(BASE_HDRS "Subject:;lang=en_US x\r\n"), M },
	{ V(BASE_HDRS "Subject:;lang=abcdefghi x\r\n"), M },
	{ V(BASE_HDRS "Subject:;lang=en- x\r\n"), M },
	{ V(BASE_HDRS "Subject:;lang=-en x\r\n"), M },
	{ V(BASE_HDRS "Subject:;lang=\"en\" x\r\n"), M },
	{ V(BASE_HDRS "Subject:;x=y z\r\n"), M },
	{ V(BASE_HDRS "Subject:;lang= x\r\n"), M },
	{ V(BASE_HDRS "Subject:;lang x\r\n"), M },
	{ V(BASE_HDRS "Subject:;lang=en\r\n"), M },
	{ V(BASE_HDRS "X-Foo:;a=\"open x\r\n"), M },
	{ V(BASE_HDRS "X-Foo:;a=b=c x\r\n"), M },
	{ V("From:;lang=en <im:a@b>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: <im:a@b>\r\nTo:;x=1 <im:c@d>\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime:;x=1 2003-12-09T23:45:36Z\r\n"), M },
	{ V(BASE_HDRS "Require:;x=1 From\r\n"), M },
	/* control characters and invalid UTF-8 in any header */
	{ V(BASE_HDRS "Subject: a\tb\r\n"), M },
	{ V(BASE_HDRS "Subject: a\x1b[31mred\r\n"), M },
	{ V(BASE_HDRS "Subject: a\x7f\r\n"), M },
	{ V(BASE_HDRS "Subject: a\0b\r\n"), M },
	{ V(BASE_HDRS "Subject: a\rb\r\n"), M },
	{ V(BASE_HDRS "Subject: a\r\r\n"), M },
	{ V(BASE_HDRS "Subject: \xc3\x28\r\n"), M },
	{ V(BASE_HDRS "Subject: \xc0\xaf\r\n"), M },
	{ V(BASE_HDRS "Subject: \xed\xa0\x80\r\n"), M },
	{ V(BASE_HDRS "Subject: \xf4\x90\x80\x80\r\n"), M },
	{ V(BASE_HDRS "Subject: abc\xe2\x82\r\n"), M },
	{ V(BASE_HDRS "Subject: \x80\r\n"), M },
	{ V(BASE_HDRS "X-Foo: \x01\r\n"), M },
	{ V(BASE_HDRS "X-F\xc3\xa9o: x\r\n"), M },
	{ V("From: <im:a@b>\x0c\r\nTo: <im:c@d>\r\n"), M },
	/* Subject escapes */
	{ V(BASE_HDRS "Subject: bad \\u12\r\n"), M },
	{ V(BASE_HDRS "Subject: bad \\uZZZZ\r\n"), M },
	{ V(BASE_HDRS "Subject: bad \\u00G0\r\n"), M },
	{ V(BASE_HDRS "Subject: \\uD83D\\uDE00\r\n"), M },
	{ V(BASE_HDRS "Subject: ok\r\nSubject:;lang=fr \\uDFFF\r\n"), M },
	/* From/To/cc values */
	{ V("From: Juliet<im:a@b>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: Juliet  <im:a@b>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: Juliet\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: im:a@b\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: <im:a@b\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: <im:a@b> \r\nTo: <im:c@d>\r\n"), M },
	{ V("From: <im:a@b> x\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: <im:a@b><im:e@f>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: <>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: \r\nTo: <im:c@d>\r\n"), M },
	{ V("From: <juliet@example.com>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: <1m:a@b>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: <:a@b>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: <im:a b>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: <im:a<b>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: <im:a\\u0040b>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: \"Juliet <im:a@b>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: \"Juliet\\\" <im:a@b>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: \"J\\u12\" <im:a@b>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: \"J\\uD800\" <im:a@b>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: \"J\"x <im:a@b>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: \"J\"  <im:a@b>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: Ju,liet <im:a@b>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: Ju\\liet <im:a@b>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: Ju@liet <im:a@b>\r\nTo: <im:c@d>\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nTo: nope\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\ncc: <nope>\r\n"), M },
	/* DateTime */
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 2003-12-09 23:45:36Z\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 2003-12-09T23:45:36\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 2003-02-30T00:00:00Z\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 2001-02-29T00:00:00Z\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 1900-02-29T00:00:00Z\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 2003-13-09T00:00:00Z\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 2003-00-09T00:00:00Z\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 2003-12-00T00:00:00Z\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 2003-12-09T24:00:00Z\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 2003-12-09T23:60:00Z\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 2003-12-09T23:45:61Z\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 2003-12-09T23:45:36.Z\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 2003-12-09T23:45:36.\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 2003-12-09T23:45:36ZZ\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 2003-12-09T23:45:36Z \r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime:  2003-12-09T23:45:36Z\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 2003-12-09T23:45:36+24:00\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 2003-12-09T23:45:36+05:60\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 2003-12-09T23:45:36+0500\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 2003-12-09T23:45:36+05:00:00\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 2003-1-09T23:45:36Z\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: +2003-12-09T23:45:36Z\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 0000-06-01T00:00:00Z\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 0001-01-01T00:00:00+00:01\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 9999-12-31T23:59:59-00:01\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: 1071013536\r\n"), M },
	{ V("From: <im:a@b>\r\nTo: <im:c@d>\r\nDateTime: \r\n"), M },
	/* Require (RFC 3862 §4.7) */
	{ V(BASE_HDRS "Require: X-Foo\r\nX-Foo: y\r\n"), U },
	{ V(BASE_HDRS "Require: cc\r\n"), U },
	{ V(BASE_HDRS "Require: from\r\n"), U },
	{ V(BASE_HDRS "Require: From,Subject,Confirm\r\n"), U },
	{ V("NS: MyFeatures <mid:x@y>\r\nRequire: MyFeatures.VitalMessageOption\r\n" BASE_HDRS), U },
	{ V(BASE_HDRS "Require: \r\n"), M },
	{ V(BASE_HDRS "Require: From, To\r\n"), M },
	{ V(BASE_HDRS "Require: From,\r\n"), M },
	{ V(BASE_HDRS "Require: ,From\r\n"), M },
	{ V(BASE_HDRS "Require: a.b.c\r\n"), M },
	/* NS (RFC 3862 §4.6) */
	{ V("NS: <urn:example:other>\r\n" BASE_HDRS), U },
	{ V(BASE_HDRS "NS: <urn:example:other>\r\n"), U },
	{ V("NS: cpim <urn:ietf:params:cpim-headers:>\r\n" BASE_HDRS), U },
	{ V("NS: cpim <URN:IETF:PARAMS:CPIM-HEADERS:>\r\n" BASE_HDRS), U },
	{ V("NS: MyFeatures<mid:x@y>\r\n" BASE_HDRS), M },
	{ V("NS: MyFeatures  <mid:x@y>\r\n" BASE_HDRS), M },
	{ V("NS: MyFeatures <>\r\n" BASE_HDRS), M },
	{ V("NS: MyFeatures <nocolon>\r\n" BASE_HDRS), M },
	{ V("NS: My.Features <mid:x@y>\r\n" BASE_HDRS), M },
	{ V("NS: a <mid:x@y> junk\r\n" BASE_HDRS), M },
	{ V("NS: a <mid:x>y>\r\n" BASE_HDRS), M },
	{ V("NS: a\r\n" BASE_HDRS), M },
	{ V("NS: \r\n" BASE_HDRS), M },
	{ V("NS: <\r\n" BASE_HDRS), M },
	{ V("NS:;a=b <mid:x@y>\r\n" BASE_HDRS), M },
};

START_TEST(refuses_bad_headers)
{
	struct xe2e_cpim c;
	struct xe2e_err e;
	size_t len;
	char *o = object(bad_hdrs[_i].hdrs, bad_hdrs[_i].len, &len);
	int rc;

	xe2e_cpim_init(&c);
	memset(&e, 0, sizeof(e));
	rc = parse_mem(&c, o, len, &e);
	ck_assert_msg(rc == bad_hdrs[_i].code, "vector %d: got %d (%s), want %d", _i, rc,
		      e.msg, bad_hdrs[_i].code);
	ck_assert_int_eq(e.code, -bad_hdrs[_i].code);
	assert_message(&e);
	assert_empty(&c);
	/* the LF form is refused alike */
	{
		char *lf;
		size_t n, k;

		lf = malloc(len + 1);
		ck_assert_ptr_nonnull(lf);
		for (k = 0, n = 0; k < len; k++)
			if (!(o[k] == '\r' && k + 1 < len && o[k + 1] == '\n'))
				lf[n++] = o[k];
		if (!memmem(o, len, "\r\r", 2)) /* "a\r\r\n" would become "a\r\n" */
			ck_assert_int_eq(parse_mem(&c, lf, n, &e), bad_hdrs[_i].code);
		free(lf);
	}
	xe2e_cpim_release(&c);
	free(o);
}
END_TEST

/* whole objects */
static const struct {
	const char *obj;
	size_t len;
	int code;
} bad_objects[] = {
	{ V(""), M },
	{ V("\r\n"), M },
	{ V("Content-type: Message/CPIM"), M },
	{ V("Content-type: Message/CPIM\r\n"), M },
	{ V("Content-type: Message/CPIM\r\n\r\n"), M },
	{ V("\r\n" BASE_HDRS "\r\n" ENTITY), M },
	{ V("\r\nContent-type: Message/CPIM\r\n\r\n" BASE_HDRS "\r\n" ENTITY), M },
	{ V("X-Foo: y\r\n\r\n" BASE_HDRS "\r\n" ENTITY), M },
	{ V("Content-Type: text/plain\r\n\r\n" BASE_HDRS "\r\n" ENTITY), M },
	{ V("Content-Type: message/cpimx\r\n\r\n" BASE_HDRS "\r\n" ENTITY), M },
	{ V("Content-Type: message/cpim garbage\r\n\r\n" BASE_HDRS "\r\n" ENTITY), M },
	{ V("Content-Type: message/cpim\x01\r\n\r\n" BASE_HDRS "\r\n" ENTITY), M },
	{ V("Content-Type: message/cpim\0; x=y\r\n\r\n" BASE_HDRS "\r\n" ENTITY), M },
	{ V("Content-Type: message\r\n\r\n" BASE_HDRS "\r\n" ENTITY), M },
	{ V("Content-Type: message/cpim\r\nContent-Type: text/plain\r\n\r\n" BASE_HDRS "\r\n" ENTITY), M },
	{ V("Content-Type: message/cpim\r\ncontent-type: message/cpim\r\n\r\n" BASE_HDRS "\r\n" ENTITY), M },
	{ V("Content-Type: message/cpim\r\nContent-Transfer-Encoding: base64\r\n\r\n" BASE_HDRS "\r\n" ENTITY), U },
	{ V("Content-Type: message/cpim\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" BASE_HDRS "\r\n" ENTITY), U },
	{ V("Content-Type: message/cpim\r\nContent-Transfer-Encoding: 7bit\r\n"
	    "Content-Transfer-Encoding: base64\r\n\r\n" BASE_HDRS "\r\n" ENTITY), M },
	{ V(" Content-Type: message/cpim\r\n\r\n" BASE_HDRS "\r\n" ENTITY), M },
	{ V("Content-Type message/cpim\r\n\r\n" BASE_HDRS "\r\n" ENTITY), M },
	/* no empty line between the MIME header and the CPIM headers */
	{ V("Content-type: Message/CPIM\r\n" BASE_HDRS "\r\n" ENTITY), M },
	/* no empty line after the CPIM headers */
	{ V(MIME_HDR BASE_HDRS), M },
	{ V(MIME_HDR "From: <im:a@b>\r\nTo: <im:c@d>"), M },
	/* the entity (RFC 3862 §2.4) */
	{ V(MIME_HDR BASE_HDRS "\r\n"), M },
	{ V(MIME_HDR BASE_HDRS "\r\n\r\nWherefore art thou, Romeo?"), M },
	{ V(MIME_HDR BASE_HDRS "\r\nWherefore art thou, Romeo?"), M },
	{ V(MIME_HDR BASE_HDRS "\r\nContent-ID: <x@y>\r\n\r\nbody"), M },
	{ V(MIME_HDR BASE_HDRS "\r\nContent-Type: text/plain"), M },
	{ V(MIME_HDR BASE_HDRS "\r\nContent-Type: text/plain\r\n"), M },
	{ V(MIME_HDR BASE_HDRS "\r\nContent-Type: text/plain\r\nbody"), M },
	{ V(MIME_HDR BASE_HDRS "\r\nContent-Type: text\r\n\r\nbody"), M },
	{ V(MIME_HDR BASE_HDRS "\r\nContent-Type: text/plain junk\r\n\r\nbody"), M },
	{ V(MIME_HDR BASE_HDRS "\r\nContent-Type: text/plain\0\r\n\r\nbody"), M },
	{ V(MIME_HDR BASE_HDRS "\r\nContent-Type: text/plain\r\nContent-Type: text/html\r\n\r\nb"), M },
};

START_TEST(refuses_bad_objects)
{
	struct xe2e_cpim c;
	struct xe2e_err e;
	int rc;

	xe2e_cpim_init(&c);
	memset(&e, 0, sizeof(e));
	rc = parse_mem(&c, bad_objects[_i].obj, bad_objects[_i].len, &e);
	ck_assert_msg(rc == bad_objects[_i].code, "vector %d: got %d (%s), want %d", _i, rc,
		      e.msg, bad_objects[_i].code);
	ck_assert_int_eq(e.code, -bad_objects[_i].code);
	assert_message(&e);
	assert_empty(&c);
	xe2e_cpim_release(&c);
}
END_TEST

START_TEST(messages_name_the_problem)
{
	static const char evil[] = "From: <im:a@b>\r\nTo: <im:c@d>\r\n"
		"DateTime: 2003-12-09T23:45:36Z\xe2\x80\xae\r\n";
	struct xe2e_cpim c;
	struct xe2e_err e;
	size_t len;
	char *o;

	xe2e_cpim_init(&c);
	o = object(V(BASE_HDRS "From: <im:a@b>\r\n"), &len);
	ck_assert_int_eq(parse_mem(&c, o, len, &e), M);
	ck_assert_str_eq(e.msg, "two From headers (Message/CPIM header line 4)");
	free(o);
	o = object(V(BASE_HDRS "Require: Confirm\r\n"), &len);
	ck_assert_int_eq(parse_mem(&c, o, len, &e), U);
	ck_assert_str_eq(e.msg, "required header 'Confirm' is not supported (Message/CPIM header line 4)");
	free(o);
	/* input in a message is escaped: a bidi override cannot reorder it */
	o = object(V(evil), &len);
	ck_assert_int_eq(parse_mem(&c, o, len, &e), M);
	ck_assert_ptr_nonnull(strstr(e.msg, "'2003-12-09T23:45:36Z\\u202E'"));
	free(o);
	xe2e_cpim_release(&c);
}
END_TEST

/* build refuses what parse would refuse, and writes nothing then */
static void bad_build(int i, struct xe2e_cpim_build *b)
{
	static char long_uri[XE2E_CPIM_MAX_LINE];
	static char long_subject[XE2E_CPIM_MAX_LINE];
	static const unsigned char not_utf8[] = "caf\xc3";

	memset(long_uri, 'a', sizeof(long_uri) - 1);
	memcpy(long_uri, "im:", 3);
	long_uri[XE2E_CPIM_MAX_LINE - 7 + 1] = '\0'; /* "From: <" + 992 + ">" = 1000 */
	memset(long_subject, '\n', sizeof(long_subject));
	switch (i) {
	case 0: b->from_uri = NULL; break;
	case 1: b->to_uri = NULL; break;
	case 2: b->from_uri = ""; break;
	case 3: b->from_uri = "juliet@example.com"; break;
	case 4: b->from_uri = "im:juliet @example.com"; break;
	case 5: b->to_uri = "im:romeo<@example.net"; break;
	case 6: b->to_uri = "im:romeo>@example.net"; break;
	case 7: b->to_uri = "im:romeo\n@example.net"; break;
	case 8: b->to_uri = "im:romeo\x7f@example.net"; break;
	case 9: b->to_uri = "im:romeo\\@example.net"; break;
	case 10: b->to_uri = "im:r\xc3@example.net"; break;
	case 11: b->from_uri = long_uri; break;
	case 12: b->subject = "x"; b->subject_len = 1; b->subject_lang = ""; break;
	case 13: b->subject = "x"; b->subject_len = 1; b->subject_lang = "en_US"; break;
	case 14: b->subject = "x"; b->subject_len = 1; b->subject_lang = "abcdefghi"; break;
	case 15: b->subject = "x"; b->subject_len = 1; b->subject_lang = "en-"; break;
	case 16: b->subject = "x"; b->subject_len = 1; b->subject_lang = "-en"; break;
	case 17: b->subject_lang = "en"; break;
	case 18: b->subject = (const char *)not_utf8; b->subject_len = 4; break;
	case 19: b->subject = "\xed\xa0\x80"; b->subject_len = 3; break;
	/* 9 + 2 * 495 = 999 octets */
	case 20: b->subject = long_subject; b->subject_len = 495; break;
	case 21: b->datetime_ms = INT64_C(-62135596800000) - 1; break;
	case 22: b->datetime_ms = INT64_C(253402300800000); break;
	case 23: b->datetime_ms = INT64_MIN; break;
	case 24: b->entity = NULL; b->entity_len = 0; break;
	case 25: b->entity = (const unsigned char *)""; b->entity_len = 0; break;
	case 26: b->entity = (const unsigned char *)"\r\nbody"; b->entity_len = 6; break;
	case 27: b->entity = (const unsigned char *)"Content-ID: <x@y>\r\n\r\n"; b->entity_len = 21; break;
	case 28: b->entity = (const unsigned char *)"Content-Type: text/plain"; b->entity_len = 24; break;
	default: b->entity = (const unsigned char *)"just text\r\n"; b->entity_len = 11; break;
	}
}
#define N_BAD_BUILD 30

START_TEST(build_refusals)
{
	struct xe2e_cpim_build b = base_build();
	struct xe2e_buf out = XE2E_BUF_INIT;
	struct xe2e_err e;

	xe2e_buf_adds(&out, "kept", NULL);
	bad_build(_i, &b);
	memset(&e, 0, sizeof(e));
	ck_assert_msg(xe2e_cpim_build(&out, &b, &e) == M, "case %d: %s", _i, e.msg);
	ck_assert_int_eq(e.code, XE2E_EMALFORMED);
	assert_message(&e);
	assert_buf(&out, "kept", 4);
	ck_assert_int_eq(xe2e_cpim_build(&out, NULL, NULL), M);
	xe2e_buf_release(&out);
}
END_TEST

START_TEST(build_line_limits)
{
	static char uri[XE2E_CPIM_MAX_LINE], subj[XE2E_CPIM_MAX_LINE];
	struct xe2e_cpim_build b = base_build();
	struct xe2e_buf out = XE2E_BUF_INIT;
	struct xe2e_cpim c;
	struct xe2e_err e;

	/* "From: <" + 990 + ">" = 998 octets: the longest line */
	memset(uri, 'a', 990);
	memcpy(uri, "im:", 3);
	uri[990] = '\0';
	b.from_uri = uri;
	/* "Subject: " + 2 * 494 + "x" = 998 */
	memset(subj, '\t', 2 * 494);
	subj[494] = 'x';
	b.subject = subj;
	b.subject_len = 495;
	ck_assert_int_eq(xe2e_cpim_build(&out, &b, &e), 0);
	xe2e_cpim_init(&c);
	ck_assert_msg(xe2e_cpim_parse(&c, out.data, out.len, &e) == 0, "%s", e.msg);
	ASSERT_STR(&c.from_uri, uri);
	assert_buf(&c.subject, subj, 495);
	/* one more is one too many */
	xe2e_buf_reset(&out);
	uri[990] = 'a';
	uri[991] = '\0';
	ck_assert_int_eq(xe2e_cpim_build(&out, &b, &e), M);
	uri[990] = '\0';
	b.subject_len = 496;
	ck_assert_int_eq(xe2e_cpim_build(&out, &b, &e), M);
	b.subject_len = 495;
	b.subject_lang = "en";  /* ";lang=en" makes it 1006 */
	ck_assert_int_eq(xe2e_cpim_build(&out, &b, &e), M);
	ck_assert_uint_eq(out.len, 0);
	/* "Subject: " + 164 * "\u0001" + "xxxxx" = 998, "xxxxxx" = 999 */
	b.subject_lang = NULL;
	memset(subj, 1, 164);
	memset(subj + 164, 'x', 6);
	b.subject_len = 169;
	ck_assert_int_eq(xe2e_cpim_build(&out, &b, &e), 0);
	ck_assert_int_eq(xe2e_cpim_parse(&c, out.data, out.len, &e), 0);
	assert_buf(&c.subject, subj, 169);
	xe2e_buf_reset(&out);
	b.subject_len = 170;
	ck_assert_int_eq(xe2e_cpim_build(&out, &b, &e), M);
	ck_assert_uint_eq(out.len, 0);
	xe2e_cpim_release(&c);
	xe2e_buf_release(&out);
}
END_TEST

/* 998 octets a header line (RFC 5322 §2.1.1), CRLF or LF */
START_TEST(header_line_length)
{
	static const char pre[] = BASE_HDRS "Subject: ";
	char hdrs[2048];
	struct xe2e_cpim c;
	struct xe2e_err e;
	size_t len, n, room = XE2E_CPIM_MAX_LINE - strlen("Subject: ");
	const char *eol = _i ? "\n" : "\r\n";
	char *o;

	xe2e_cpim_init(&c);
	for (n = room - 1; n <= room + 2; n++) {
		memcpy(hdrs, pre, sizeof(pre) - 1);
		memset(hdrs + sizeof(pre) - 1, 'x', n);
		memcpy(hdrs + sizeof(pre) - 1 + n, eol, strlen(eol) + 1);
		o = object(hdrs, strlen(hdrs), &len);
		if (n <= room) {
			ck_assert_msg(parse_mem(&c, o, len, &e) == 0, "%zu: %s", n, e.msg);
			ck_assert_uint_eq(c.subject.len, n);
		} else {
			ck_assert_int_eq(parse_mem(&c, o, len, &e), M);
			ck_assert_ptr_nonnull(strstr(e.msg, "998"));
		}
		free(o);
	}
	/* an unterminated long line at the end of the input */
	memcpy(hdrs, MIME_HDR "X: ", sizeof(MIME_HDR) + 2);
	memset(hdrs + sizeof(MIME_HDR) + 2, 'x', 1500);
	ck_assert_int_eq(parse_mem(&c, hdrs, sizeof(MIME_HDR) + 2 + 1500, &e), M);
	ck_assert_ptr_nonnull(strstr(e.msg, "998"));
	xe2e_cpim_release(&c);
}
END_TEST

/* at most 100 headers, ignored ones included */
START_TEST(header_count)
{
	struct xe2e_buf h = XE2E_BUF_INIT;
	struct xe2e_cpim c;
	struct xe2e_err e;
	size_t len;
	int i, total = XE2E_CPIM_MAX_HEADERS + _i; /* 100, then 101 */
	char *o;

	xe2e_buf_adds(&h, BASE_HDRS, NULL);
	for (i = 3; i < total; i++)
		xe2e_buf_addf(&h, NULL, "X-H%d: %d\r\n", i, i);
	o = object((const char *)h.data, h.len, &len);
	xe2e_cpim_init(&c);
	if (_i == 0) {
		ck_assert_msg(parse_mem(&c, o, len, &e) == 0, "%s", e.msg);
	} else {
		ck_assert_int_eq(parse_mem(&c, o, len, &e), M);
		ck_assert_str_eq(e.msg, "more than 100 Message/CPIM headers");
	}
	free(o);
	xe2e_buf_release(&h);
	xe2e_cpim_release(&c);
}
END_TEST

/* NS and Subject bookkeeping stays within its tables at the header cap */
START_TEST(tables_at_the_cap)
{
	struct xe2e_buf h = XE2E_BUF_INIT;
	struct xe2e_cpim c;
	struct xe2e_err e;
	size_t len;
	int i;
	char *o;

	xe2e_buf_adds(&h, "From: <im:a@b>\r\nTo: <im:c@d>\r\n", NULL);
	for (i = 2; i < 51; i++)
		xe2e_buf_addf(&h, NULL, "NS: P%d <mid:%d@x>\r\n", i, i);
	for (i = 51; i < XE2E_CPIM_MAX_HEADERS; i++)
		xe2e_buf_addf(&h, NULL, "Subject:;lang=x-%d s%d\r\n", i, i);
	o = object((const char *)h.data, h.len, &len);
	xe2e_cpim_init(&c);
	ck_assert_msg(parse_mem(&c, o, len, &e) == 0, "%s", e.msg);
	ASSERT_STR(&c.subject, "s51");
	ASSERT_STR(&c.subject_lang, "x-51");
	free(o);
	xe2e_buf_release(&h);
	xe2e_cpim_release(&c);
}
END_TEST

Suite *suite_cpim(void)
{
	Suite *s = suite_create("cpim");
	TCase *core = tcase_create("core");
	TCase *limits = tcase_create("limits");

	tcase_add_test(core, rfc3923_example1);
	tcase_add_test(core, build_writes_design_form);
	tcase_add_test(core, build_datetime_forms);
	tcase_add_test(core, build_escapes_every_escapable_character);
	tcase_add_loop_test(core, round_trip, 0, sizeof(trips) / sizeof(trips[0]));
	tcase_add_loop_test(core, from_and_to_values, 0, sizeof(addrs) / sizeof(addrs[0]));
	tcase_add_loop_test(core, datetime_values, 0, sizeof(times) / sizeof(times[0]));
	tcase_add_loop_test(core, subject_values, 0, sizeof(subjects) / sizeof(subjects[0]));
	tcase_add_test(core, headers_accepted);
	tcase_add_test(core, object_header_forms);
	tcase_add_test(core, parse_replaces_and_fails_closed);
	tcase_add_test(core, messages_name_the_problem);
	suite_add_tcase(s, core);

	tcase_add_test(limits, every_prefix_of_a_valid_object);
	tcase_add_test(limits, every_byte_changed);
	tcase_add_loop_test(limits, refuses_bad_headers, 0, sizeof(bad_hdrs) / sizeof(bad_hdrs[0]));
	tcase_add_loop_test(limits, refuses_bad_objects, 0,
			    sizeof(bad_objects) / sizeof(bad_objects[0]));
	tcase_add_loop_test(limits, build_refusals, 0, N_BAD_BUILD);
	tcase_add_test(limits, build_line_limits);
	tcase_add_loop_test(limits, header_line_length, 0, 2);
	tcase_add_loop_test(limits, header_count, 0, 2);
	tcase_add_test(limits, tables_at_the_cap);
	suite_add_tcase(s, limits);
	return s;
}
