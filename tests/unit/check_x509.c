/*
 * check_x509.c - RFC 5280 §7.1 name comparison (multi-valued RDNs as sets
 * of equal size, string types and case folded, unreadable = unequal) and
 * INTEGER comparison by value (CRL serials).
 */
#include <check.h>
#include <string.h>
#include "../../lib/der.h"
#include "../../lib/x509.h"

Suite *suite_x509(void);

/* AttributeTypeAndValue CN=A (UTF8String), cn=a (PrintableString), O=B */
#define CN_A 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x0c, 0x01, 'A'
#define CN_a 0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x03, 0x13, 0x01, 'a'
#define O_B  0x30, 0x08, 0x06, 0x03, 0x55, 0x04, 0x0a, 0x0c, 0x01, 'B'

static const unsigned char cna_cna[] = { 0x30, 0x16, 0x31, 0x14, CN_A, CN_A };
static const unsigned char cna_ob[] = { 0x30, 0x16, 0x31, 0x14, CN_A, O_B };
static const unsigned char ob_cna[] = { 0x30, 0x16, 0x31, 0x14, O_B, CN_A };
static const unsigned char ob_cnlower[] = { 0x30, 0x16, 0x31, 0x14, O_B, CN_a };
static const unsigned char cna_then_ob[] = { 0x30, 0x18, 0x31, 0x0a, CN_A, 0x31, 0x0a, O_B };
static const unsigned char ob_then_cna[] = { 0x30, 0x18, 0x31, 0x0a, O_B, 0x31, 0x0a, CN_A };
static const unsigned char spaced[] = { 0x30, 0x0f, 0x31, 0x0d, 0x30, 0x0b, 0x06, 0x03, 0x55,
					0x04, 0x03, 0x0c, 0x04, ' ', 'a', ' ', ' ' };
static const unsigned char cn_a_only[] = { 0x30, 0x0c, 0x31, 0x0a, CN_A };
static const unsigned char broken[] = { 0x30, 0x0c, 0x31, 0x0a, 0x30, 0x08, 0x06, 0x03 };

#define EQ(a, b) xe2e_x509_name_equal(a, sizeof(a), b, sizeof(b))

START_TEST(multi_valued_rdns_are_sets)
{
	/* every value of one side appears on the other, yet they differ */
	ck_assert_int_eq(EQ(cna_cna, cna_ob), 0);
	ck_assert_int_eq(EQ(cna_ob, cna_cna), 0);
	/* the order inside an RDN does not matter; string type and case do not */
	ck_assert_int_eq(EQ(cna_ob, ob_cna), 1);
	ck_assert_int_eq(EQ(cna_ob, ob_cnlower), 1);
	/* the order of RDNs does */
	ck_assert_int_eq(EQ(cna_then_ob, ob_then_cna), 0);
	ck_assert_int_eq(EQ(cna_then_ob, cna_then_ob), 1);
	/* white space is trimmed and collapsed */
	ck_assert_int_eq(EQ(spaced, cn_a_only), 1);
	ck_assert_int_eq(EQ(cna_cna, cn_a_only), 0);
}
END_TEST

START_TEST(unreadable_names_are_unequal)
{
	struct xe2e_buf c = XE2E_BUF_INIT;

	ck_assert_int_eq(EQ(broken, cn_a_only), 0);
	ck_assert_int_eq(EQ(broken, broken), 1);    /* byte for byte only */
	ck_assert_int_eq(xe2e_x509_name_canon(&c, broken, sizeof(broken)), -XE2E_EMALFORMED);
	xe2e_buf_release(&c);
}
END_TEST

START_TEST(integers_by_value)
{
	static const unsigned char one[] = { 0x01 }, one_padded[] = { 0x00, 0x00, 0x01 };
	static const unsigned char pos128[] = { 0x00, 0x80 }, neg128[] = { 0x80 };
	static const unsigned char neg128_padded[] = { 0xff, 0x80 }, two[] = { 0x02 };

	ck_assert_int_eq(xe2e_der_int_equal(one, 1, one_padded, 3), 1);
	ck_assert_int_eq(xe2e_der_int_equal(pos128, 2, neg128, 1), 0);
	ck_assert_int_eq(xe2e_der_int_equal(neg128_padded, 2, neg128, 1), 1);
	ck_assert_int_eq(xe2e_der_int_equal(one, 1, two, 1), 0);
	ck_assert_int_eq(xe2e_der_int_equal(one, 0, one, 0), 0);
}
END_TEST

Suite *suite_x509(void)
{
	Suite *s = suite_create("x509");
	TCase *core = tcase_create("core");

	tcase_add_test(core, multi_valued_rdns_are_sets);
	tcase_add_test(core, unreadable_names_are_unequal);
	tcase_add_test(core, integers_by_value);
	suite_add_tcase(s, core);
	return s;
}
