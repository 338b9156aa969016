/*
 * check_der.c - ASN.1 round trips through the xe2e module and libtasn1:
 * attribute values, SignedData skeletons, BER indefinite and constructed
 * OCTET STRINGs (what openssl cms -stream writes), trailing-data rejection.
 */
#include <check.h>
#include <string.h>
#include "../../lib/der.h"
#include "../../lib/oids.h"

Suite *suite_der(void);

START_TEST(signing_time_round_trip)
{
	asn1_node n = NULL, m = NULL;
	struct xe2e_buf der = XE2E_BUF_INIT;
	char v[32], choice[32];
	int l = sizeof(v);

	ck_assert_int_eq(xe2e_der_new(&n, "XE2E.SigningTime", NULL), 0);
	ck_assert_int_eq(xe2e_der_write(n, "", "utcTime", 1, NULL), 0);
	ck_assert_int_eq(xe2e_der_write(n, "utcTime", "261123044700Z", 13, NULL), 0);
	ck_assert_int_eq(xe2e_der_encode(&der, n, "", NULL), 0);
	ck_assert_uint_eq(der.len, 15);
	ck_assert_int_eq(der.data[0], 0x17); /* UTCTime */
	ck_assert_int_eq(xe2e_der_decode(&m, "XE2E.SigningTime", der.data, der.len, "t", NULL), 0);
	ck_assert_int_eq(asn1_read_value(m, "", choice, &l), ASN1_SUCCESS);
	ck_assert_str_eq(choice, "utcTime");
	l = sizeof(v);
	ck_assert_int_eq(asn1_read_value(m, "utcTime", v, &l), ASN1_SUCCESS);
	v[l] = 0;
	ck_assert_str_eq(v, "261123044700Z");
	asn1_delete_structure(&n);
	asn1_delete_structure(&m);
	xe2e_buf_release(&der);
}
END_TEST

START_TEST(content_info_round_trip)
{
	static const unsigned char inner[] = { 0x04, 0x02, 'h', 'i' };
	asn1_node n = NULL, m = NULL;
	struct xe2e_buf der = XE2E_BUF_INIT, v = XE2E_BUF_INIT;
	char oid[64];

	ck_assert_int_eq(xe2e_der_new(&n, "XE2E.ContentInfo", NULL), 0);
	ck_assert_int_eq(xe2e_der_write(n, "contentType", XE2E_OID_DATA, 1, NULL), 0);
	ck_assert_int_eq(xe2e_der_write(n, "content", inner, sizeof(inner), NULL), 0);
	ck_assert_int_eq(xe2e_der_encode(&der, n, "", NULL), 0);
	ck_assert_int_eq(xe2e_der_decode(&m, "XE2E.ContentInfo", der.data, der.len, "ci", NULL), 0);
	ck_assert_int_eq(xe2e_der_read_oid(oid, sizeof(oid), m, "contentType", "ci", NULL), 0);
	ck_assert_str_eq(oid, XE2E_OID_DATA);
	ck_assert_int_eq(xe2e_der_read(&v, m, "content", "ci", NULL), 0);
	ck_assert_uint_eq(v.len, sizeof(inner));
	ck_assert_int_eq(memcmp(v.data, inner, sizeof(inner)), 0);
	/* trailing garbage and truncation are errors */
	xe2e_buf_addc(&der, 0, NULL);
	asn1_delete_structure(&m);
	ck_assert_int_eq(xe2e_der_decode(&m, "XE2E.ContentInfo", der.data, der.len, "ci", NULL),
			 -XE2E_EMALFORMED);
	ck_assert_int_eq(xe2e_der_decode(&m, "XE2E.ContentInfo", der.data, der.len - 3, "ci", NULL),
			 -XE2E_EMALFORMED);
	asn1_delete_structure(&n);
	xe2e_buf_release(&der);
	xe2e_buf_release(&v);
}
END_TEST

START_TEST(indefinite_content_info)
{
	/* 30 80 06 09 <id-data> A0 80 24 80 04 01 'a' 04 02 'b' 'c' 00 00 00 00 00 00 */
	static const unsigned char ber[] = {
		0x30, 0x80, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01,
		0xa0, 0x80, 0x24, 0x80, 0x04, 0x01, 'a', 0x04, 0x02, 'b', 'c', 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00 };
	asn1_node m = NULL;
	struct xe2e_buf v = XE2E_BUF_INIT, oct = XE2E_BUF_INIT;
	size_t used;

	ck_assert_int_eq(xe2e_der_decode(&m, "XE2E.ContentInfo", ber, sizeof(ber), "ci", NULL), 0);
	ck_assert_int_eq(xe2e_der_read(&v, m, "content", "ci", NULL), 0);
	ck_assert_int_eq(v.data[0], 0x24);
	ck_assert_int_eq(xe2e_der_octets_ber(&oct, &used, v.data, v.len, "x", NULL), 0);
	ck_assert_uint_eq(oct.len, 3);
	ck_assert_int_eq(memcmp(oct.data, "abc", 3), 0);
	asn1_delete_structure(&m);
	xe2e_buf_release(&v);
	xe2e_buf_release(&oct);
}
END_TEST

START_TEST(signed_attrs_set_order)
{
	/* DER SET OF sorts its elements; the [0] IMPLICIT encoding of signedAttrs
	 * differs from the signed SET OF only in its first octet (RFC 5652 §5.4) */
	static const unsigned char v1[] = { 0x04, 0x01, 0x02 }, v2[] = { 0x04, 0x01, 0x01 };
	asn1_node n = NULL;
	struct xe2e_buf der = XE2E_BUF_INIT;

	ck_assert_int_eq(xe2e_der_new(&n, "XE2E.SignerInfo", NULL), 0);
	ck_assert_int_eq(xe2e_der_write(n, "signedAttrs", "NEW", 1, NULL), 0);
	ck_assert_int_eq(xe2e_der_write(n, "signedAttrs.?LAST.attrType", "1.2.3.5", 1, NULL), 0);
	ck_assert_int_eq(xe2e_der_write(n, "signedAttrs.?LAST.attrValues", "NEW", 1, NULL), 0);
	ck_assert_int_eq(xe2e_der_write(n, "signedAttrs.?LAST.attrValues.?LAST", v1, 3, NULL), 0);
	ck_assert_int_eq(xe2e_der_write(n, "signedAttrs", "NEW", 1, NULL), 0);
	ck_assert_int_eq(xe2e_der_write(n, "signedAttrs.?LAST.attrType", "1.2.3.4", 1, NULL), 0);
	ck_assert_int_eq(xe2e_der_write(n, "signedAttrs.?LAST.attrValues", "NEW", 1, NULL), 0);
	ck_assert_int_eq(xe2e_der_write(n, "signedAttrs.?LAST.attrValues.?LAST", v2, 3, NULL), 0);
	ck_assert_int_eq(xe2e_der_encode(&der, n, "signedAttrs", NULL), 0);
	ck_assert_int_eq(der.data[0], 0xa0);
	/* A0 len 30 len 06 03 2A 03 xx: 1.2.3.4 sorts before 1.2.3.5 */
	ck_assert_int_eq(der.data[4], 0x06);
	ck_assert_int_eq(der.data[6], 0x2a);
	ck_assert_int_eq(der.data[8], 0x04);
	asn1_delete_structure(&n);
	xe2e_buf_release(&der);
}
END_TEST

START_TEST(octets_ber_rejects)
{
	static const unsigned char bad[] = { 0x04, 0x05, 'a' };
	struct xe2e_buf o = XE2E_BUF_INIT;
	size_t used;

	ck_assert_int_eq(xe2e_der_octets_ber(&o, &used, bad, sizeof(bad), "x", NULL),
			 -XE2E_EMALFORMED);
	ck_assert_int_eq(xe2e_der_octets_ber(&o, &used, (const unsigned char *)"\x02\x01\x01", 3, "x", NULL),
			 -XE2E_EMALFORMED);
	xe2e_buf_release(&o);
}
END_TEST

Suite *suite_der(void)
{
	Suite *s = suite_create("der");
	TCase *core = tcase_create("core"), *limits = tcase_create("limits");

	tcase_add_test(core, signing_time_round_trip);
	tcase_add_test(core, content_info_round_trip);
	tcase_add_test(core, indefinite_content_info);
	tcase_add_test(core, signed_attrs_set_order);
	tcase_add_test(limits, octets_ber_rejects);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	return s;
}
