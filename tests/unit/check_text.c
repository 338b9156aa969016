/*
 * check_text.c - escaping of untrusted text for one-line messages, UTF-8
 * checks, and the one PEM decoder.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include "../../lib/err.h"
#include "../../lib/pem.h"
#include "../../lib/text.h"

Suite *suite_text(void);

static const char *esc(const char *in)
{
	static char out[256];

	xe2e_text_escape(out, sizeof(out), (const unsigned char *)in, strlen(in));
	return out;
}

START_TEST(escapes_what_could_forge_a_line)
{
	char twice[256];

	ck_assert_str_eq(esc("CN=M\nxe2e verify: ok"), "CN=M\\nxe2e verify: ok");
	ck_assert_str_eq(esc("a\rb\tc"), "a\\rb\\tc");
	ck_assert_str_eq(esc("\x1b[31mred"), "\\x1b[31mred");
	ck_assert_str_eq(esc("del\x7f"), "del\\x7f");
	ck_assert_str_eq(esc("c1\xc2\x85."), "c1\\xc2\\x85.");            /* NEL */
	ck_assert_str_eq(esc("bidi\xe2\x80\xae" "gnp.exe"), "bidi\\u202Egnp.exe");
	ck_assert_str_eq(esc("bad\xff\xc3"), "bad\\xff\\xc3");             /* not UTF-8 */
	ck_assert_str_eq(esc("caf\xc3\xa9 \\ ok"), "caf\xc3\xa9 \\ ok");  /* kept */
	/* idempotent: a message can be re-used inside a longer one */
	strcpy(twice, esc("x\ny\x1b"));
	ck_assert_str_eq(esc(twice), twice);
}
END_TEST

static const char *joined(const char *list, const char *sep)
{
	static char out[512];
	struct xe2e_buf b = XE2E_BUF_INIT;
	int rc = xe2e_text_join(&b, list, sep, NULL);

	snprintf(out, sizeof(out), "%d:%s", rc, b.len ? (char *)b.data : "");
	xe2e_buf_release(&b);
	return out;
}

START_TEST(list_items_cannot_pass_for_two)
{
	ck_assert_str_eq(esc("line\xe2\x80\xa8sep\xe2\x80\xa9"), "line\\u2028sep\\u2029");
	ck_assert_str_eq(joined("email:a@b\nxmpp:c@d\n", ", "), "0:email:a@b, xmpp:c@d");
	ck_assert_str_eq(joined("", ", "), "1:");
	ck_assert_str_eq(joined("x400:O=Acme, email:ceo@bank\n", ", "), "0:'x400:O=Acme, email:ceo@bank'");
	ck_assert_str_eq(joined("CN=a <- CN=Root\nCN=Root\n", " <- "), "0:'CN=a <- CN=Root' <- CN=Root");
	ck_assert_str_eq(joined("it's\n", ", "), "0:'it\\'s'");
	ck_assert_str_eq(joined("a\\b\n", ", "), "0:'a\\\\b'");
	ck_assert_str_eq(joined("x400:ADMD= \n", " "), "0:'x400:ADMD= '");
	ck_assert_str_eq(joined("bad\x1b\n", ", "), "0:bad\\x1b");
}
END_TEST

START_TEST(escape_truncates_at_a_character)
{
	char out[5];

	ck_assert_uint_eq(xe2e_text_escape(out, sizeof(out), (const unsigned char *)"ab\ncd", 5), 4);
	ck_assert_str_eq(out, "ab\\n");
	ck_assert_uint_eq(xe2e_text_escape(out, sizeof(out), (const unsigned char *)"\xc3\xa9\xc3\xa9\xc3\xa9", 6), 4);
}
END_TEST

START_TEST(err_messages_are_one_line)
{
	struct xe2e_err e;

	xe2e_err_set(&e, XE2E_ECERT, "certificate '%s' expired", "CN=A\nxe2e: fine");
	ck_assert_str_eq(e.msg, "certificate 'CN=A\\nxe2e: fine' expired");
	xe2e_err_set(&e, XE2E_ECERT, "%s (again)", e.msg);
	ck_assert_str_eq(e.msg, "certificate 'CN=A\\nxe2e: fine' expired (again)");
}
END_TEST

START_TEST(utf8_validity)
{
	ck_assert_int_eq(xe2e_utf8_valid((const unsigned char *)"juliet", 6), 1);
	ck_assert_int_eq(xe2e_utf8_valid((const unsigned char *)"\xc3\xa9", 2), 1);
	ck_assert_int_eq(xe2e_utf8_valid((const unsigned char *)"\xc0\xaf", 2), 0);     /* overlong */
	ck_assert_int_eq(xe2e_utf8_valid((const unsigned char *)"\xed\xa0\x80", 3), 0); /* surrogate */
	ck_assert_int_eq(xe2e_utf8_valid((const unsigned char *)"a\0b", 3), 0);
	ck_assert_int_eq(xe2e_utf8_valid((const unsigned char *)"\xf4\x90\x80\x80", 4), 0);
}
END_TEST

START_TEST(pem_blocks)
{
	static const char in[] = "junk before\n-----BEGIN CERTIFICATE-----\naGVsbG8=\n"
				 "-----END CERTIFICATE-----\ntext -----BEGIN CMS----- not a line start\n"
				 "-----BEGIN PKCS #7 SIGNED DATA-----\nd29y\nbGQ=\n"
				 "-----END PKCS #7 SIGNED DATA-----\n";
	struct xe2e_buf der = XE2E_BUF_INIT;
	char label[XE2E_PEM_LABEL_MAX];
	size_t pos = 0;

	ck_assert_int_eq(xe2e_pem_is((const unsigned char *)" \n-----BEGIN X-----", 19), 1);
	ck_assert_int_eq(xe2e_pem_next(&der, label, (const unsigned char *)in, strlen(in), &pos, NULL), 1);
	ck_assert_str_eq(label, "CERTIFICATE");
	ck_assert_uint_eq(der.len, 5);
	ck_assert_int_eq(memcmp(der.data, "hello", 5), 0);
	ck_assert_int_eq(xe2e_pem_next(&der, label, (const unsigned char *)in, strlen(in), &pos, NULL), 1);
	ck_assert_str_eq(label, "PKCS #7 SIGNED DATA");
	ck_assert_int_eq(xe2e_pem_label_is_cms(label), 1);
	ck_assert_uint_eq(der.len, 5);
	ck_assert_int_eq(xe2e_pem_next(&der, label, (const unsigned char *)in, strlen(in), &pos, NULL), 0);
	xe2e_buf_release(&der);
}
END_TEST

START_TEST(pem_errors)
{
	static const char no_end[] = "-----BEGIN CMS-----\naGVsbG8=\n";
	static const char bad_b64[] = "-----BEGIN CMS-----\nProc-Type: 4\n-----END CMS-----\n";
	struct xe2e_buf der = XE2E_BUF_INIT;
	char label[XE2E_PEM_LABEL_MAX];
	size_t pos = 0;

	ck_assert_int_eq(xe2e_pem_next(&der, label, (const unsigned char *)no_end, strlen(no_end),
				       &pos, NULL), -XE2E_EMALFORMED);
	pos = 0;
	ck_assert_int_eq(xe2e_pem_next(&der, label, (const unsigned char *)bad_b64, strlen(bad_b64),
				       &pos, NULL), -XE2E_EMALFORMED);
	xe2e_buf_release(&der);
}
END_TEST

Suite *suite_text(void)
{
	Suite *s = suite_create("text");
	TCase *core = tcase_create("core");

	tcase_add_test(core, escapes_what_could_forge_a_line);
	tcase_add_test(core, escape_truncates_at_a_character);
	tcase_add_test(core, list_items_cannot_pass_for_two);
	tcase_add_test(core, err_messages_are_one_line);
	tcase_add_test(core, utf8_validity);
	tcase_add_test(core, pem_blocks);
	tcase_add_test(core, pem_errors);
	suite_add_tcase(s, core);
	return s;
}
