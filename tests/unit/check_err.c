/*
 * check_err.c - the one error type: every code has a description and maps
 * to its DESIGN §4 exit status; messages truncate, never overflow.
 */
#include <check.h>
#include <string.h>
#include "../../lib/err.h"

Suite *suite_err(void);

START_TEST(every_code)
{
	int c;

	for (c = 0; c <= XE2E_CODE_MAX; c++) {
		ck_assert_str_ne(xe2e_strerror(c), "unknown error");
		ck_assert_str_eq(xe2e_strerror(c), xe2e_strerror(-c));
		ck_assert_int_eq(xe2e_exit_status(-c), c);
	}
	ck_assert_str_eq(xe2e_strerror(XE2E_CODE_MAX + 1), "unknown error");
	ck_assert_int_eq(xe2e_exit_status(1000), XE2E_EIO);
	ck_assert_int_eq(XE2E_ESIGNATURE, 4);
	ck_assert_int_eq(XE2E_ECERT, 6);
	ck_assert_int_eq(XE2E_EUNSUPPORTED, 9);
}
END_TEST

START_TEST(set_and_truncate)
{
	struct xe2e_err e;
	char big[1000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	ck_assert_int_eq(xe2e_err_set(&e, XE2E_ECERT, "x %s", big), -XE2E_ECERT);
	ck_assert_int_eq(e.code, XE2E_ECERT);
	ck_assert_uint_eq(strlen(e.msg), XE2E_ERR_MSG_MAX - 1);
	ck_assert_int_eq(xe2e_err_set(NULL, XE2E_EIO, "nothing"), -XE2E_EIO);
	/* context added around the message itself (no overlapping format) */
	xe2e_err_set(&e, XE2E_ECERT, "signature does not verify");
	xe2e_err_set(&e, XE2E_ECERT, "certificate '%s': %s", "CN=x", e.msg);
	ck_assert_str_eq(e.msg, "certificate 'CN=x': signature does not verify");
	ck_assert_int_eq(xe2e_err_oom(&e), -XE2E_EIO);
	ck_assert_str_eq(e.msg, "out of memory");
	xe2e_err_clear(&e);
	ck_assert_int_eq(e.code, XE2E_OK);
}
END_TEST

Suite *suite_err(void)
{
	Suite *s = suite_create("err");
	TCase *core = tcase_create("core");

	tcase_add_test(core, every_code);
	tcase_add_test(core, set_and_truncate);
	suite_add_tcase(s, core);
	return s;
}
