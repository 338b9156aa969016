/*
 * check_datetime.c - RFC 3339 parsing, UTCTime/GeneralizedTime (RFC 5652 §11.3).
 */
#include <check.h>
#include "../../lib/datetime.h"

Suite *suite_datetime(void);

static const struct { const char *s; long long t; } good[] = {
	{ "1970-01-01T00:00:00Z", 0 },
	{ "2003-12-09T23:45:36.66Z", 1071013536 },
	{ "2003-12-10T00:45:36+01:00", 1071013536 },
	{ "2003-12-09T22:45:36-01:00", 1071013536 },
	{ "2024-02-29T12:00:00z", 1709208000 },
};
static const char *const bad[] = {
	"2003-12-09", "2003-12-09T23:45:36", "2003-13-09T23:45:36Z",
	"2023-02-29T12:00:00Z", "2003-12-09T24:00:00Z", "2003-12-09T23:45:36.Z",
	"2003-12-09T23:45:36+0100", "x003-12-09T23:45:36Z", "2003-12-09T23:45:36Zjunk",
};

START_TEST(rfc3339_good)
{
	time_t t;

	ck_assert_int_eq(xe2e_time_parse_rfc3339(&t, good[_i].s, NULL), 0);
	ck_assert_int_eq((long long)t, good[_i].t);
}
END_TEST

START_TEST(rfc3339_bad)
{
	time_t t;

	ck_assert_int_eq(xe2e_time_parse_rfc3339(&t, bad[_i], NULL), -XE2E_EUSAGE);
}
END_TEST

START_TEST(asn1_times)
{
	char s[32];
	int gen;
	time_t t;

	xe2e_time_format_asn1(s, sizeof(s), 1071013536, &gen);
	ck_assert_int_eq(gen, 0);
	ck_assert_str_eq(s, "031209234536Z");
	ck_assert_int_eq(xe2e_time_parse_asn1(&t, s, 0, NULL), 0);
	ck_assert_int_eq((long long)t, 1071013536);
	xe2e_time_format_asn1(s, sizeof(s), (time_t)2556144000LL, &gen); /* 2051-01-01 */
	ck_assert_int_eq(gen, 1);
	ck_assert_str_eq(s, "20510101000000Z");
	ck_assert_int_eq(xe2e_time_parse_asn1(&t, "500101000000Z", 0, NULL), 0);
	ck_assert_int_eq((long long)t, -631152000LL);   /* 1950 */
	ck_assert_int_lt(xe2e_time_parse_asn1(&t, "0312092345Z", 0, NULL), 0);
	ck_assert_int_lt(xe2e_time_parse_asn1(&t, "031209234536+0100", 0, NULL), 0);
	xe2e_time_format_rfc3339(s, sizeof(s), 1071013536);
	ck_assert_str_eq(s, "2003-12-09T23:45:36Z");
}
END_TEST

Suite *suite_datetime(void)
{
	Suite *s = suite_create("datetime");
	TCase *core = tcase_create("core");

	tcase_add_loop_test(core, rfc3339_good, 0, sizeof(good) / sizeof(good[0]));
	tcase_add_loop_test(core, rfc3339_bad, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(core, asn1_times);
	suite_add_tcase(s, core);
	return s;
}
