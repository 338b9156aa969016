/*
 * check_buf.c - the one buffer type: growth, limits, NUL termination, detach.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/buf.h"

Suite *suite_buf(void);

START_TEST(grows_and_terminates)
{
	struct xe2e_buf b = XE2E_BUF_INIT;
	struct xe2e_err e;
	int i;

	for (i = 0; i < 1000; i++)
		ck_assert_int_eq(xe2e_buf_add(&b, "abc", 3, &e), 0);
	ck_assert_uint_eq(b.len, 3000);
	ck_assert_int_eq(b.data[b.len], 0);
	ck_assert_int_eq(memcmp(b.data + 2997, "abc", 3), 0);
	ck_assert_int_eq(xe2e_buf_addf(&b, &e, "%d-%s", 42, "x"), 0);
	ck_assert_str_eq((char *)b.data + 3000, "42-x");
	xe2e_buf_reset(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_int_eq(b.data[0], 0);
	xe2e_buf_release(&b);
	ck_assert_ptr_null(b.data);
}
END_TEST

START_TEST(holds_nuls)
{
	struct xe2e_buf b = XE2E_BUF_INIT;

	ck_assert_int_eq(xe2e_buf_add(&b, "a\0b", 3, NULL), 0);
	ck_assert_int_eq(xe2e_buf_addc(&b, 0, NULL), 0);
	ck_assert_uint_eq(b.len, 4);
	ck_assert_int_eq(memcmp(b.data, "a\0b\0", 4), 0);
	xe2e_buf_release(&b);
}
END_TEST

START_TEST(limit_is_an_error)
{
	struct xe2e_buf b;
	struct xe2e_err e;
	char big[100];

	memset(big, 'x', sizeof(big));
	xe2e_buf_init(&b, 150);
	ck_assert_int_eq(xe2e_buf_add(&b, big, 100, &e), 0);
	ck_assert_int_eq(xe2e_buf_add(&b, big, 100, &e), -XE2E_EMALFORMED);
	ck_assert_int_eq(e.code, XE2E_EMALFORMED);
	ck_assert_uint_eq(b.len, 100);   /* nothing partial appended */
	xe2e_buf_release(&b);
}
END_TEST

START_TEST(overflow_is_an_error)
{
	struct xe2e_buf b = XE2E_BUF_INIT;
	struct xe2e_err e;

	ck_assert_int_eq(xe2e_buf_add(&b, "a", 1, &e), 0);
	ck_assert_int_lt(xe2e_buf_grow(&b, (size_t)-1, &e), 0);
	ck_assert_int_lt(xe2e_buf_grow(&b, (size_t)-1 - 1, &e), 0);
	xe2e_buf_release(&b);
}
END_TEST

START_TEST(detach_and_wipe)
{
	struct xe2e_buf b = XE2E_BUF_INIT;
	unsigned char *p;
	size_t n;

	ck_assert_int_eq(xe2e_buf_adds(&b, "secret", NULL), 0);
	p = xe2e_buf_detach(&b, &n);
	ck_assert_uint_eq(n, 6);
	ck_assert_str_eq((char *)p, "secret");
	ck_assert_ptr_null(b.data);
	free(p);
	ck_assert_int_eq(xe2e_buf_adds(&b, "secret", NULL), 0);
	xe2e_buf_wipe(&b);
	ck_assert_ptr_null(b.data);
	ck_assert_uint_eq(b.len, 0);
}
END_TEST

Suite *suite_buf(void)
{
	Suite *s = suite_create("buf");
	TCase *core = tcase_create("core"), *limits = tcase_create("limits");

	tcase_add_test(core, grows_and_terminates);
	tcase_add_test(core, holds_nuls);
	tcase_add_test(core, detach_and_wipe);
	tcase_add_test(limits, limit_is_an_error);
	tcase_add_test(limits, overflow_is_an_error);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	return s;
}
