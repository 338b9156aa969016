/*
 * check_jid.c - Jabber IDs (jid.h): the RFC 6122 §2 split, case and IDNA
 * folding of the comparison key, and every refusal.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/err.h"
#include "../../lib/jid.h"

Suite *suite_jid(void);

/* a JID given with its length (it may hold a NUL) */
#define J(s) s, sizeof(s) - 1

struct split_vec {
	const char *in;
	size_t len;
	const char *local, *domain, *resource;
	int has_resource;
	const char *key;
};

static const struct split_vec splits[] = {
	{ J("juliet@example.com/balcony"), "juliet", "example.com", "balcony", 1, "juliet@example.com" },
	{ J("example.com"), "", "example.com", "", 0, "example.com" },
	{ J("juliet@example.com"), "juliet", "example.com", "", 0, "juliet@example.com" },
	/* the first '/' starts the resource; an '@' after it is resource */
	{ J("example.com/a@b"), "", "example.com", "a@b", 1, "example.com" },
	{ J("a@b/c/d"), "a", "b", "c/d", 1, "a@b" },
	{ J("juliet@example.com/a resource with spaces"), "juliet", "example.com",
	  "a resource with spaces", 1, "juliet@example.com" },
	{ J("juliet@example.com/@@ x@y/z"), "juliet", "example.com", "@@ x@y/z", 1,
	  "juliet@example.com" },
	{ J("example.com/juliet@example.net"), "", "example.com", "juliet@example.net", 1,
	  "example.com" },
	/* case: localpart and domain folded for the key, kept as given */
	{ J("JULIET@Example.COM/Balcony"), "JULIET", "Example.COM", "Balcony", 1,
	  "juliet@example.com" },
	/* non-ASCII localpart: only ASCII is folded (no Nodeprep) */
	{ J("J\xc3\x9cLIET@example.com"), "J\xc3\x9cLIET", "example.com", "", 0,
	  "j\xc3\x9cliet@example.com" },
	/* IDNA2008 A-labels, UTS #46 mapping */
	{ J("x@b\xc3\xbc" "cher.example"), "x", "b\xc3\xbc" "cher.example", "", 0,
	  "x@xn--bcher-kva.example" },
	{ J("x@B\xc3\x9c" "CHER.EXAMPLE"), "x", "B\xc3\x9c" "CHER.EXAMPLE", "", 0,
	  "x@xn--bcher-kva.example" },
	{ J("x@XN--BCHER-KVA.example"), "x", "XN--BCHER-KVA.example", "", 0,
	  "x@xn--bcher-kva.example" },
	{ J("x@bu\xcc\x88" "cher.example"), "x", "bu\xcc\x88" "cher.example", "", 0,
	  "x@xn--bcher-kva.example" },                 /* decomposed: NFC */
	{ J("x@\xef\xbd\x85xample.com"), "x", "\xef\xbd\x85xample.com", "", 0,
	  "x@example.com" },                           /* fullwidth e */
	{ J("x@stra\xc3\x9f" "e.de"), "x", "stra\xc3\x9f" "e.de", "", 0,
	  "x@xn--strae-oqa.de" },                      /* non-transitional */
	/* one trailing dot */
	{ J("juliet@example.com./r"), "juliet", "example.com.", "r", 1, "juliet@example.com" },
	{ J("x@b\xc3\xbc" "cher.example\xe3\x80\x82"), "x", "b\xc3\xbc" "cher.example\xe3\x80\x82",
	  "", 0, "x@xn--bcher-kva.example" },          /* ideographic full stop */
	/* IP literals, as given (lowercased) */
	{ J("juliet@192.0.2.1/r"), "juliet", "192.0.2.1", "r", 1, "juliet@192.0.2.1" },
	{ J("juliet@192.0.2.1."), "juliet", "192.0.2.1.", "", 0, "juliet@192.0.2.1" },
	{ J("juliet@[2001:DB8::1]/r"), "juliet", "[2001:DB8::1]", "r", 1, "juliet@[2001:db8::1]" },
	{ J("[::ffff:192.0.2.1]"), "", "[::ffff:192.0.2.1]", "", 0, "[::ffff:192.0.2.1]" },
	/* characters allowed in a localpart */
	{ J("a.b-c_d+e!#$%*=?^`{|}~@example.com"), "a.b-c_d+e!#$%*=?^`{|}~", "example.com", "", 0,
	  "a.b-c_d+e!#$%*=?^`{|}~@example.com" },
	{ J("x@localhost"), "x", "localhost", "", 0, "x@localhost" },
};

START_TEST(split_vectors)
{
	const struct split_vec *v = &splits[_i];
	struct xe2e_err e = { 0, "" };
	struct xe2e_buf bare = XE2E_BUF_INIT;
	struct xe2e_jid j;
	char want_bare[256];

	xe2e_jid_init(&j);
	ck_assert_msg(xe2e_jid_parse(&j, v->in, v->len, &e) == 0, "%s: %s", v->in, e.msg);
	ck_assert_str_eq((char *)j.local.data, v->local);
	ck_assert_uint_eq(j.local.len, strlen(v->local));
	ck_assert_str_eq((char *)j.domain.data, v->domain);
	ck_assert_str_eq((char *)j.resource.data, v->resource);
	ck_assert_int_eq(j.has_resource, v->has_resource);
	ck_assert_str_eq((char *)j.bare_key.data, v->key);
	ck_assert_int_eq(xe2e_jid_bare(&bare, &j, &e), 0);
	snprintf(want_bare, sizeof(want_bare), "%s%s%s", v->local, *v->local ? "@" : "", v->domain);
	ck_assert_str_eq((char *)bare.data, want_bare);
	/* a JID equals itself, and its bare form */
	ck_assert_int_eq(xe2e_jid_bare_equal(&j, &j), 1);
	ck_assert_int_eq(xe2e_jid_text_bare_equal(v->in, v->len, (char *)bare.data, bare.len), 1);
	xe2e_buf_release(&bare);
	xe2e_jid_release(&j);
}
END_TEST

struct bad_vec {
	const char *in;
	size_t len;
	const char *why;          /* in the message */
};

static const struct bad_vec bads[] = {
	{ J(""), "empty" },
	{ J("@example.com"), "localpart empty" },
	{ J("juliet@"), "domainpart empty" },
	{ J("juliet@/r"), "domainpart empty" },
	{ J("/r"), "domainpart empty" },
	{ J("juliet@example.com/"), "resourcepart empty" },
	/* prohibited in a localpart */
	{ J("a b@example.com"), "localpart a prohibited character" },
	{ J("a\"b@example.com"), "localpart a prohibited character" },
	{ J("a&b@example.com"), "localpart a prohibited character" },
	{ J("a'b@example.com"), "localpart a prohibited character" },
	{ J("a:b@example.com"), "localpart a prohibited character" },
	{ J("a<b@example.com"), "localpart a prohibited character" },
	{ J("a>b@example.com"), "localpart a prohibited character" },
	{ J(" juliet@example.com"), "localpart a prohibited character" },
	/* the second '@' is in the domainpart, which is no host name */
	{ J("a@b@example.com"), "not allowed in a host name" },
	/* control characters, any part */
	{ J("jul\niet@example.com"), "localpart a control character" },
	{ J("jul\x01iet@example.com"), "localpart a control character" },
	{ J("jul\x7fiet@example.com"), "localpart a control character" },
	{ J("jul\xc2\x85iet@example.com"), "localpart a control character" },   /* NEL */
	{ J("juliet@exa\tmple.com"), "domainpart a control character" },
	{ J("juliet@example.com/r\r"), "resourcepart a control character" },
	{ J("juliet@example.com/\xe2\x80\xae" "gnp.exe"), "resourcepart a control character" },
	{ J("juliet@example.com/a\xe2\x80\xa8" "b"), "resourcepart a control character" },
	/* not UTF-8 */
	{ J("\xff@example.com"), "localpart not valid UTF-8" },
	{ J("juliet@ex\xc3" "ample.com"), "domainpart not valid UTF-8" },
	{ J("juliet@example.com/\xc0\xaf"), "resourcepart not valid UTF-8" },       /* overlong */
	{ J("juliet@example.com/\xed\xa0\x80"), "resourcepart not valid UTF-8" },   /* surrogate */
	/* NUL anywhere; the length includes it */
	{ J("juliet\0@example.com"), "a NUL character" },
	{ J("juliet@example.com\0"), "a NUL character" },
	{ J("juliet@exa\0mple.com"), "a NUL character" },
	{ J("juliet@example.com/r\0x"), "a NUL character" },
	{ J("\0"), "a NUL character" },
	/* domains libidn2 refuses */
	{ J("juliet@-example.com"), "domainpart refused" },
	{ J("juliet@xn--zz.com"), "domainpart refused" },
	{ J("juliet@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com"),
	  "domainpart refused" },                      /* 64-byte label */
	/* ...and domains libidn2 passes but which are no host names */
	{ J("juliet@a_b.example"), "not allowed in a host name" },
	{ J("juliet@exa mple.com"), "not allowed in a host name" },
	{ J("juliet@ex!ample.com"), "not allowed in a host name" },
	{ J("juliet@a\xef\xbc\xa0" "b.com"), "not allowed in a host name" },    /* fullwidth @ */
	{ J("juliet@example..com"), "empty label" },
	{ J("juliet@example.com.."), "empty label" },
	{ J("juliet@.example.com"), "empty label" },
	{ J("juliet@."), "empty domainpart" },
	{ J("juliet@example-.com"), "hyphen" },
	{ J("juliet@1.2.3"), "numeric top-level label" },
	{ J("juliet@999.0.2.1"), "numeric top-level label" },
	{ J("juliet@[::1"), "invalid IPv6 literal" },
	{ J("juliet@[::1]x"), "invalid IPv6 literal" },
	{ J("juliet@[]"), "invalid IPv6 literal" },
	{ J("juliet@[zz::1]"), "invalid IPv6 literal" },
	{ J("juliet@[::1%eth0]"), "invalid IPv6 literal" },
	{ J("juliet@[192.0.2.1]"), "invalid IPv6 literal" },
	{ J("juliet@[::1]."), "invalid IPv6 literal" },
};

START_TEST(refusals)
{
	const struct bad_vec *v = &bads[_i];
	struct xe2e_err e = { 0, "" };
	struct xe2e_jid j;

	xe2e_jid_init(&j);
	/* j holds a parsed JID first: an error must leave nothing of it */
	ck_assert_int_eq(xe2e_jid_parse(&j, J("romeo@example.net/orchard"), NULL), 0);
	ck_assert_int_eq(xe2e_jid_parse(&j, v->in, v->len, &e), -XE2E_EMALFORMED);
	ck_assert_int_eq(e.code, XE2E_EMALFORMED);
	ck_assert_msg(strstr(e.msg, v->why) != NULL, "'%s': got '%s'", v->why, e.msg);
	ck_assert_msg(strncmp(e.msg, "invalid jid '", 13) == 0, "%s", e.msg);
	ck_assert_ptr_null(strchr(e.msg, '\n'));
	ck_assert_uint_eq(j.local.len + j.domain.len + j.resource.len + j.bare_key.len, 0);
	ck_assert_int_eq(j.has_resource, 0);
	ck_assert_int_eq(xe2e_jid_bare_equal(&j, &j), 0);
	/* never "equal" on a parse error, not even to itself */
	ck_assert_int_eq(xe2e_jid_text_bare_equal(v->in, v->len, v->in, v->len), 0);
	ck_assert_int_eq(xe2e_jid_text_bare_equal(v->in, v->len, J("romeo@example.net")), 0);
	ck_assert_int_eq(xe2e_jid_text_bare_equal(J("romeo@example.net"), v->in, v->len), 0);
	xe2e_jid_release(&j);
}
END_TEST

struct eq_vec {
	const char *a, *b;
	int eq;
};

static const struct eq_vec eqs[] = {
	{ "juliet@EXAMPLE.com", "juliet@example.com", 1 },
	{ "JULIET@example.com/balcony", "juliet@example.com/orchard", 1 },
	{ "x@b\xc3\xbc" "cher.example", "x@xn--bcher-kva.example", 1 },
	{ "x@B\xc3\x9c" "CHER.example/r", "X@xn--bcher-kva.EXAMPLE.", 1 },
	{ "juliet@example.com.", "juliet@example.com", 1 },
	{ "example.com", "example.com/a@b", 1 },
	{ "juliet@example.com", "romeo@example.com", 0 },
	{ "juliet@example.com", "juliet@example.net", 0 },
	{ "example.com", "juliet@example.com", 0 },
	{ "j\xc3\xbcliet@example.com", "J\xc3\x9cLIET@example.com", 0 },   /* no Nodeprep */
	{ "juliet@example.com/r", "example.com/juliet@example.com", 0 },
	{ "a@b/c/d", "a@b/c", 1 },
	{ "juliet@[2001:db8::1]", "juliet@[2001:DB8::1]", 1 },
	{ "juliet@192.0.2.1", "juliet@192.0.2.1.", 1 },
	/* unparsable on either side: never equal */
	{ "a b@example.com", "a b@example.com", 0 },
	{ "juliet@a_b.example", "juliet@ab.example", 0 },
	{ "", "", 0 },
	{ "juliet@example.com/", "juliet@example.com", 0 },
	{ "juliet@example.com", "juliet@example.com..", 0 },
};

START_TEST(bare_equality)
{
	const struct eq_vec *v = &eqs[_i];

	ck_assert_int_eq(xe2e_jid_text_bare_equal(v->a, strlen(v->a), v->b, strlen(v->b)), v->eq);
	ck_assert_int_eq(xe2e_jid_text_bare_equal(v->b, strlen(v->b), v->a, strlen(v->a)), v->eq);
}
END_TEST

START_TEST(errors_name_the_jid_escaped)
{
	struct xe2e_err e = { 0, "" };
	struct xe2e_jid j;

	xe2e_jid_init(&j);
	ck_assert_int_eq(xe2e_jid_parse(&j, J("jul\niet@example.com"), &e), -XE2E_EMALFORMED);
	ck_assert_str_eq(e.msg, "invalid jid 'jul\\niet@example.com': localpart a control character");
	ck_assert_int_eq(xe2e_jid_parse(&j, J("juliet\0@example.com"), &e), -XE2E_EMALFORMED);
	ck_assert_str_eq(e.msg, "invalid jid 'juliet\\x00@example.com': a NUL character");
	/* NULL err and NULL input are fine */
	ck_assert_int_eq(xe2e_jid_parse(&j, NULL, 0, NULL), -XE2E_EMALFORMED);
	/* a released JID can be parsed again and compares unequal meanwhile */
	ck_assert_int_eq(xe2e_jid_parse(&j, J("juliet@example.com"), NULL), 0);
	xe2e_jid_release(&j);
	ck_assert_int_eq(xe2e_jid_bare_equal(&j, &j), 0);
	ck_assert_int_eq(xe2e_jid_parse(&j, J("juliet@example.com"), NULL), 0);
	xe2e_jid_release(&j);
}
END_TEST

/* ---- limits ------------------------------------------------------------------ */

/* "<local>@<domain>/<resource>" with parts of the given sizes ('a's) */
static char *make_jid(size_t local, const char *domain, size_t resource, size_t *len)
{
	size_t dl = strlen(domain), n = local + 1 + dl + 1 + resource;
	char *s = malloc(n + 1);

	ck_assert_ptr_nonnull(s);
	memset(s, 'a', local);
	s[local] = '@';
	memcpy(s + local + 1, domain, dl);
	s[local + 1 + dl] = '/';
	memset(s + local + 2 + dl, 'r', resource);
	s[n] = '\0';
	*len = n;
	return s;
}

START_TEST(part_sizes)
{
	struct xe2e_err e = { 0, "" };
	struct xe2e_jid j;
	size_t len;
	char *s;

	xe2e_jid_init(&j);
	s = make_jid(XE2E_JID_PART_MAX, "example.com", XE2E_JID_PART_MAX, &len);
	ck_assert_int_eq(xe2e_jid_parse(&j, s, len, &e), 0);
	ck_assert_uint_eq(j.local.len, 1023);
	ck_assert_uint_eq(j.resource.len, 1023);
	ck_assert_uint_eq(j.bare_key.len, 1023 + 1 + 11);
	free(s);

	s = make_jid(XE2E_JID_PART_MAX + 1, "example.com", 1, &len);
	ck_assert_int_eq(xe2e_jid_parse(&j, s, len, &e), -XE2E_EMALFORMED);
	ck_assert_ptr_nonnull(strstr(e.msg, "localpart longer than 1023 bytes"));
	ck_assert_int_eq(xe2e_jid_text_bare_equal(s, len, s, len), 0);
	free(s);

	s = make_jid(1, "example.com", XE2E_JID_PART_MAX + 1, &len);
	ck_assert_int_eq(xe2e_jid_parse(&j, s, len, &e), -XE2E_EMALFORMED);
	ck_assert_ptr_nonnull(strstr(e.msg, "resourcepart longer than 1023 bytes"));
	free(s);
	xe2e_jid_release(&j);
}
END_TEST

START_TEST(domain_sizes)
{
	struct xe2e_err e = { 0, "" };
	char domain[1100];
	struct xe2e_jid j;
	size_t len, i;
	char *s;

	xe2e_jid_init(&j);
	/* 1024 bytes: over the part limit */
	for (i = 0; i < 1024; i++)
		domain[i] = (i % 2) ? '.' : 'a';
	domain[1023] = 'b';
	domain[1024] = '\0';
	s = make_jid(1, domain, 1, &len);
	ck_assert_int_eq(xe2e_jid_parse(&j, s, len, &e), -XE2E_EMALFORMED);
	ck_assert_ptr_nonnull(strstr(e.msg, "domainpart longer than 1023 bytes"));
	free(s);
	/* 1023 bytes: a part, but no host name (DNS: 253) */
	domain[1023] = '\0';
	domain[1022] = 'b';
	s = make_jid(1, domain, 1, &len);
	ck_assert_int_eq(xe2e_jid_parse(&j, s, len, &e), -XE2E_EMALFORMED);
	ck_assert_ptr_null(strstr(e.msg, "longer than 1023"));
	free(s);
	/* 253 bytes is a host name; 254 is not (a trailing dot aside) */
	memset(domain, 0, sizeof(domain));
	for (i = 0; i < 253; i++)
		domain[i] = (i % 2) ? '.' : 'a';
	s = make_jid(1, domain, 1, &len);
	ck_assert_msg(xe2e_jid_parse(&j, s, len, &e) == 0, "%s", e.msg);
	free(s);
	domain[253] = '.';
	s = make_jid(1, domain, 1, &len);
	ck_assert_msg(xe2e_jid_parse(&j, s, len, &e) == 0, "%s", e.msg);
	free(s);
	domain[253] = 'a';
	domain[254] = '\0';
	s = make_jid(1, domain, 1, &len);
	ck_assert_int_eq(xe2e_jid_parse(&j, s, len, &e), -XE2E_EMALFORMED);
	free(s);
	xe2e_jid_release(&j);
}
END_TEST

/* every length of a truncated JID parses or fails cleanly (no read past
 * len: run under ASan) */
START_TEST(every_prefix)
{
	static const char full[] = "JULIET@B\xc3\x9c" "CHER.example/balcony \xc3\xa9@x";
	struct xe2e_jid j;
	char *copy;
	size_t n;

	xe2e_jid_init(&j);
	for (n = 0; n <= sizeof(full) - 1; n++) {
		copy = malloc(n ? n : 1);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, full, n);
		(void)xe2e_jid_parse(&j, copy, n, NULL);
		free(copy);
	}
	xe2e_jid_release(&j);
}
END_TEST

Suite *suite_jid(void)
{
	Suite *s = suite_create("jid");
	TCase *core = tcase_create("core");
	TCase *limits = tcase_create("limits");

	tcase_add_loop_test(core, split_vectors, 0, (int)(sizeof(splits) / sizeof(splits[0])));
	tcase_add_loop_test(core, refusals, 0, (int)(sizeof(bads) / sizeof(bads[0])));
	tcase_add_loop_test(core, bare_equality, 0, (int)(sizeof(eqs) / sizeof(eqs[0])));
	tcase_add_test(core, errors_name_the_jid_escaped);
	suite_add_tcase(s, core);
	tcase_add_test(limits, part_sizes);
	tcase_add_test(limits, domain_sizes);
	tcase_add_test(limits, every_prefix);
	suite_add_tcase(s, limits);
	return s;
}
