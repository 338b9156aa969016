/*
 * check_stream.c - streaming layers: CBC cipher filters across arbitrary
 * write boundaries and RFC 5652 §6.3 padding, the canonicalising and base64
 * sinks, base64 sources, and the incremental BER framer.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/ber.h"
#include "../../lib/cipher.h"
#include "../../lib/mime.h"

Suite *suite_stream(void);

static const char *const names[] = { "aes128", "aes192", "aes256", "des3" };

/* encrypt n bytes writing in pieces of `step`, decrypt in pieces of step2 */
static void round_trip(const char *alg_name, size_t n, size_t step, size_t step2)
{
	const struct xe2e_cipher_alg *alg = xe2e_cipher_by_name(alg_name);
	static struct xe2e_cipher enc, dec;
	struct xe2e_buf ct = XE2E_BUF_INIT, pt = XE2E_BUF_INIT;
	struct xe2e_sink_buf sct, spt;
	unsigned char key[32], iv[16], data[5000];
	size_t i, k;

	ck_assert_ptr_nonnull(alg);
	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)(i * 3 + 1);
	for (i = 0; i < sizeof(iv); i++)
		iv[i] = (unsigned char)(i + 7);
	for (i = 0; i < n; i++)
		data[i] = (unsigned char)(i * 31 + 5);
	xe2e_sink_buf_init(&sct, &ct);
	xe2e_sink_buf_init(&spt, &pt);
	ck_assert_int_eq(xe2e_cipher_init(&enc, alg, key, iv, 0, &sct.base, NULL), 0);
	for (i = 0; i < n; i += k) {
		k = n - i < step ? n - i : step;
		ck_assert_int_eq(xe2e_sink_write(&enc.base, data + i, k, NULL), 0);
	}
	ck_assert_int_eq(xe2e_cipher_final(&enc, NULL), 0);
	ck_assert_uint_eq(ct.len, (n / alg->block_size + 1) * alg->block_size);
	ck_assert_int_eq(xe2e_cipher_init(&dec, alg, key, iv, 1, &spt.base, NULL), 0);
	for (i = 0; i < ct.len; i += k) {
		k = ct.len - i < step2 ? ct.len - i : step2;
		ck_assert_int_eq(xe2e_sink_write(&dec.base, ct.data + i, k, NULL), 0);
	}
	ck_assert_int_eq(xe2e_cipher_final(&dec, NULL), 0);
	ck_assert_int_eq(dec.pad_ok, 1);
	ck_assert_uint_eq(pt.len, n);
	ck_assert(n == 0 || !memcmp(pt.data, data, n));
	xe2e_buf_release(&ct);
	xe2e_buf_release(&pt);
}

START_TEST(cipher_round_trips)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 31, 32, 33, 100, 4999 };
	static const size_t steps[] = { 1, 3, 16, 17, 64, 5000 };
	size_t s, a, b;

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (a = 0; a < sizeof(steps) / sizeof(steps[0]); a++)
			for (b = 0; b < sizeof(steps) / sizeof(steps[0]); b += 2)
				round_trip(names[_i], sizes[s], steps[a], steps[b]);
}
END_TEST

START_TEST(cipher_vector)
{
	/* NIST SP 800-38A F.2.1 CBC-AES128.Encrypt, first block */
	static const unsigned char key[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
					       0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c };
	static const unsigned char iv[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
	static const unsigned char pt[16] = { 0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96,
					      0xe9, 0x3d, 0x7e, 0x11, 0x73, 0x93, 0x17, 0x2a };
	static const unsigned char ct[16] = { 0x76, 0x49, 0xab, 0xac, 0x81, 0x19, 0xb2, 0x46,
					      0xce, 0xe9, 0x8e, 0x9b, 0x12, 0xe9, 0x19, 0x7d };
	static struct xe2e_cipher c;
	struct xe2e_buf out = XE2E_BUF_INIT;
	struct xe2e_sink_buf s;

	xe2e_sink_buf_init(&s, &out);
	ck_assert_int_eq(xe2e_cipher_init(&c, xe2e_cipher_by_name("aes128"), key, iv, 0,
					  &s.base, NULL), 0);
	ck_assert_int_eq(xe2e_sink_write(&c.base, pt, 16, NULL), 0);
	ck_assert_uint_eq(out.len, 16);
	ck_assert_int_eq(memcmp(out.data, ct, 16), 0);
	xe2e_buf_release(&out);
}
END_TEST

START_TEST(bad_padding)
{
	const struct xe2e_cipher_alg *alg = xe2e_cipher_by_name("aes128");
	static struct xe2e_cipher c;
	struct xe2e_buf out = XE2E_BUF_INIT;
	struct xe2e_sink_buf s;
	unsigned char key[16] = { 1 }, iv[16] = { 2 }, junk[32];

	memset(junk, 0x5a, sizeof(junk));
	xe2e_sink_buf_init(&s, &out);
	/* not a whole number of blocks */
	ck_assert_int_eq(xe2e_cipher_init(&c, alg, key, iv, 1, &s.base, NULL), 0);
	ck_assert_int_eq(xe2e_sink_write(&c.base, junk, 20, NULL), 0);
	ck_assert_int_eq(xe2e_cipher_final(&c, NULL), 0);
	ck_assert_int_eq(c.pad_ok, 0);
	/* empty */
	ck_assert_int_eq(xe2e_cipher_init(&c, alg, key, iv, 1, &s.base, NULL), 0);
	ck_assert_int_eq(xe2e_cipher_final(&c, NULL), 0);
	ck_assert_int_eq(c.pad_ok, 0);
	ck_assert_ptr_null(xe2e_cipher_by_name("rc2"));   /* never offered */
	/* RC2: by its parameters only, 40/64/128 bits (RFC 3370 §5.2) */
	ck_assert_ptr_null(xe2e_cipher_by_oid("1.2.840.113549.3.2"));
	ck_assert_uint_eq(xe2e_cipher_rc2(40)->key_size, 5);
	ck_assert_uint_eq(xe2e_cipher_rc2(128)->key_size, 16);
	ck_assert_ptr_null(xe2e_cipher_rc2(1024));
	ck_assert_ptr_null(xe2e_cipher_rc2(264));
	ck_assert_ptr_null(xe2e_cipher_by_name("rc2-128"));   /* never offered */
	xe2e_buf_release(&out);
}
END_TEST

START_TEST(canon_sink_split_crlf)
{
	struct xe2e_buf out = XE2E_BUF_INIT;
	struct xe2e_sink_buf s;
	struct xe2e_sink_canon c;
	static const char in[] = "a\r\nb\nc\rd\r\n\r\ne";
	size_t i;

	xe2e_sink_buf_init(&s, &out);
	xe2e_sink_canon_init(&c, &s.base);
	for (i = 0; i < sizeof(in) - 1; i++)   /* one byte at a time: CR|LF split */
		ck_assert_int_eq(xe2e_sink_write(&c.base, in + i, 1, NULL), 0);
	ck_assert_str_eq((char *)out.data, "a\r\nb\r\nc\r\nd\r\n\r\ne");
	xe2e_buf_reset(&out);
	xe2e_sink_canon_init(&c, &s.base);
	ck_assert_int_eq(xe2e_sink_write(&c.base, in, sizeof(in) - 1, NULL), 0);
	ck_assert_str_eq((char *)out.data, "a\r\nb\r\nc\r\nd\r\n\r\ne");
	xe2e_buf_release(&out);
}
END_TEST

START_TEST(b64_sink_and_source)
{
	struct xe2e_buf out = XE2E_BUF_INIT, ref = XE2E_BUF_INIT;
	struct xe2e_sink_buf s;
	struct xe2e_sink_b64 b;
	struct xe2e_source *src = malloc(sizeof(*src));
	unsigned char data[1000], back[1100];
	size_t i, got;

	for (i = 0; i < sizeof(data); i++)
		data[i] = (unsigned char)(i * 7);
	xe2e_sink_buf_init(&s, &out);
	xe2e_sink_b64_init(&b, &s.base);
	for (i = 0; i < sizeof(data); i += 13)
		ck_assert_int_eq(xe2e_sink_write(&b.base, data + i,
						 sizeof(data) - i < 13 ? sizeof(data) - i : 13, NULL), 0);
	ck_assert_int_eq(xe2e_sink_finish(&b.base, NULL), 0);
	ck_assert_int_eq(xe2e_base64_encode(&ref, data, sizeof(data), 64, NULL), 0);
	ck_assert_str_eq((char *)out.data, (char *)ref.data);
	/* and back, through a base64 source stopping at a PEM footer */
	xe2e_buf_adds(&out, "-----END CMS-----\n", NULL);
	xe2e_source_init_mem(src, out.data, out.len);
	xe2e_source_base64(src, 1);
	ck_assert_int_eq(xe2e_source_read(src, back, sizeof(back), &got, NULL), 0);
	ck_assert_uint_eq(got, sizeof(data));
	ck_assert_int_eq(memcmp(back, data, got), 0);
	free(src);
	xe2e_buf_release(&out);
	xe2e_buf_release(&ref);
}
END_TEST

START_TEST(ber_reader)
{
	/* 30 80 { 04 02 'a' 'b', 24 80 { 04 01 'c' 00 00 } } 00 00, then 02 01 05 */
	static const unsigned char ber[] = { 0x30, 0x80, 0x04, 0x02, 'a', 'b', 0x24, 0x80,
					     0x04, 0x01, 'c', 0x00, 0x00, 0x00, 0x00,
					     0x02, 0x01, 0x05 };
	struct xe2e_source *src = malloc(sizeof(*src));
	struct xe2e_buf out = XE2E_BUF_INIT;
	struct xe2e_ber_hdr h;

	xe2e_source_init_mem(src, ber, sizeof(ber));
	ck_assert_int_eq(xe2e_ber_read_tlv(src, &out, 100, NULL), 0);
	ck_assert_uint_eq(out.len, 15);
	ck_assert_int_eq(xe2e_ber_read_hdr(src, &h, NULL), 0);
	ck_assert_int_eq(h.tag, 0x02);
	ck_assert_uint_eq(h.len, 1);
	/* limits: element too long for max, truncated input, primitive indefinite */
	xe2e_source_init_mem(src, ber, sizeof(ber));
	ck_assert_int_eq(xe2e_ber_read_tlv(src, &out, 8, NULL), -XE2E_EMALFORMED);
	xe2e_source_init_mem(src, ber, 9);
	ck_assert_int_eq(xe2e_ber_read_tlv(src, &out, 100, NULL), -XE2E_EMALFORMED);
	xe2e_source_init_mem(src, (const unsigned char *)"\x04\x80", 2);
	ck_assert_int_eq(xe2e_ber_read_hdr(src, &h, NULL), -XE2E_EMALFORMED);
	xe2e_source_init_mem(src, (const unsigned char *)"\x04\x89\x01\x02\x03\x04\x05\x06\x07\x08\x09", 11);
	ck_assert_int_eq(xe2e_ber_read_hdr(src, &h, NULL), -XE2E_EMALFORMED);
	free(src);
	xe2e_buf_release(&out);
}
END_TEST

START_TEST(ber_depth_limit)
{
	unsigned char deep[2 * 40 + 2 * 40];
	struct xe2e_source *src = malloc(sizeof(*src));
	struct xe2e_buf out = XE2E_BUF_INIT;
	size_t i;

	for (i = 0; i < 40; i++) {
		deep[2 * i] = 0x30;
		deep[2 * i + 1] = 0x80;
	}
	memset(deep + 80, 0, 80);
	xe2e_source_init_mem(src, deep, sizeof(deep));
	ck_assert_int_eq(xe2e_ber_read_tlv(src, &out, sizeof(deep) + 10, NULL), -XE2E_EMALFORMED);
	free(src);
	xe2e_buf_release(&out);
}
END_TEST

Suite *suite_stream(void)
{
	Suite *s = suite_create("stream");
	TCase *core = tcase_create("core"), *limits = tcase_create("limits");

	tcase_add_loop_test(core, cipher_round_trips, 0, sizeof(names) / sizeof(names[0]));
	tcase_add_test(core, cipher_vector);
	tcase_add_test(core, canon_sink_split_crlf);
	tcase_add_test(core, b64_sink_and_source);
	tcase_add_test(core, ber_reader);
	tcase_add_test(limits, bad_padding);
	tcase_add_test(limits, ber_depth_limit);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	return s;
}
