/*
 * check_mime.c - MIME parsing/emitting, canonical form (RFC 3851 §3.1.1),
 * multipart (RFC 2046 §5.1), base64 (Nettle), S/MIME framing round trips.
 */
#include <check.h>
#include <string.h>
#include "../../lib/mime.h"
#include "../../lib/ctx.h"
#include "../../lib/smime.h"

Suite *suite_mime(void);

static const struct { const char *in, *out; } canon_vectors[] = {
	{ "", "" },
	{ "a", "a" },
	{ "a\n", "a\r\n" },
	{ "a\r\n", "a\r\n" },
	{ "a\rb", "a\r\nb" },
	{ "a\n\nb\r\n\r\nc", "a\r\n\r\nb\r\n\r\nc" },
	{ "\r\r\n\n", "\r\n\r\n\r\n" },
};

START_TEST(canon)
{
	struct xe2e_buf b = XE2E_BUF_INIT;
	const char *in = canon_vectors[_i].in;

	ck_assert_int_eq(xe2e_mime_canon(&b, (const unsigned char *)in, strlen(in), NULL), 0);
	ck_assert_uint_eq(b.len, strlen(canon_vectors[_i].out));
	ck_assert_int_eq(memcmp(b.len ? (char *)b.data : "", canon_vectors[_i].out, b.len), 0);
	xe2e_buf_release(&b);
}
END_TEST

START_TEST(split_and_headers)
{
	static const char e[] = "Content-Type: text/plain;\r\n charset=\"utf-8\"\r\n"
				"X-Other:  v  \r\n\r\nbody\r\n";
	struct xe2e_mime_part p;
	struct xe2e_buf v = XE2E_BUF_INIT;
	char type[64];

	ck_assert_int_eq(xe2e_mime_split(&p, (const unsigned char *)e, strlen(e), NULL), 0);
	ck_assert_uint_eq(p.body_len, 6);
	ck_assert_int_eq(memcmp(p.body, "body\r\n", 6), 0);
	ck_assert_int_eq(xe2e_mime_header(&v, &p, "content-type", NULL), 1);
	ck_assert_str_eq((char *)v.data, "text/plain; charset=\"utf-8\"");
	ck_assert_int_eq(xe2e_mime_ctype(type, sizeof(type), (char *)v.data, NULL), 0);
	ck_assert_str_eq(type, "text/plain");
	ck_assert_int_eq(xe2e_mime_header(&v, &p, "x-other", NULL), 1);
	ck_assert_str_eq((char *)v.data, "v");
	ck_assert_int_eq(xe2e_mime_header(&v, &p, "Missing", NULL), 0);
	xe2e_buf_release(&v);
}
END_TEST

START_TEST(split_lf_and_no_headers)
{
	struct xe2e_mime_part p;

	ck_assert_int_eq(xe2e_mime_split(&p, (const unsigned char *)"A: b\n\nx", 7, NULL), 0);
	ck_assert_uint_eq(p.body_len, 1);
	ck_assert_int_eq(xe2e_mime_split(&p, (const unsigned char *)"\r\nx", 3, NULL), 0);
	ck_assert_uint_eq(p.hdr_len, 0);
	ck_assert_uint_eq(p.body_len, 1);
}
END_TEST

static const char *const bad_entities[] = {
	"no header here\r\n\r\nbody",
	"Content-Type: text/plain\r\nbody without empty line",
	" continuation first: x\r\n\r\n",
	": empty name\r\n\r\n",
	"",
};

START_TEST(split_rejects)
{
	struct xe2e_mime_part p;
	struct xe2e_err e;
	const char *s = bad_entities[_i];

	ck_assert_int_eq(xe2e_mime_split(&p, (const unsigned char *)s, strlen(s), &e),
			 -XE2E_EMALFORMED);
	ck_assert_ptr_null(strchr(e.msg, '\n'));
}
END_TEST

START_TEST(params)
{
	struct xe2e_buf v = XE2E_BUF_INIT;
	const char *ct = "multipart/signed; protocol=\"application/pkcs7-signature\";"
			 " MICALG=sha-256; boundary=\"a \\\"q\\\" b\"";

	ck_assert_int_eq(xe2e_mime_param(&v, ct, "protocol", NULL), 1);
	ck_assert_str_eq((char *)v.data, "application/pkcs7-signature");
	ck_assert_int_eq(xe2e_mime_param(&v, ct, "micalg", NULL), 1);
	ck_assert_str_eq((char *)v.data, "sha-256");
	ck_assert_int_eq(xe2e_mime_param(&v, ct, "boundary", NULL), 1);
	ck_assert_str_eq((char *)v.data, "a \"q\" b");
	ck_assert_int_eq(xe2e_mime_param(&v, ct, "none", NULL), 0);
	ck_assert_int_lt(xe2e_mime_param(&v, "a/b; x=\"open", "x", NULL), 0);
	xe2e_buf_release(&v);
}
END_TEST

START_TEST(multipart)
{
	static const char body[] = "preamble\r\n--b1\r\nA: 1\r\n\r\none\r\n--b1  \r\n"
				   "\r\ntwo\r\n\r\n--b1--\r\nepilogue";
	struct xe2e_mime_part parts[4];
	size_t n;

	ck_assert_int_eq(xe2e_mime_multipart(parts, 4, &n, (const unsigned char *)body,
					     strlen(body), "b1", NULL), 0);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(parts[0].len, strlen("A: 1\r\n\r\none"));
	ck_assert_int_eq(memcmp(parts[0].body, "one", 3), 0);
	ck_assert_uint_eq(parts[1].body_len, strlen("two\r\n"));
	/* a longer line starting with the boundary is not a delimiter */
	ck_assert_int_lt(xe2e_mime_multipart(parts, 4, &n, (const unsigned char *)"--b1x\r\n--b1\r\n\r\nz\r\n",
					     19, "b1", NULL), 0);
	/* missing close delimiter */
	ck_assert_int_eq(xe2e_mime_multipart(parts, 4, &n, (const unsigned char *)"--b1\r\n\r\nz\r\n",
					     11, "b1", NULL), -XE2E_EMALFORMED);
	/* too many parts */
	ck_assert_int_lt(xe2e_mime_multipart(parts, 1, &n, (const unsigned char *)body,
					     strlen(body), "b1", NULL), 0);
}
END_TEST

START_TEST(base64_round_trip)
{
	unsigned char data[300];
	struct xe2e_buf enc = XE2E_BUF_INIT, dec = XE2E_BUF_INIT;
	size_t n = (size_t)_i, i;

	for (i = 0; i < n; i++)
		data[i] = (unsigned char)(i * 7 + 3);
	ck_assert_int_eq(xe2e_base64_encode(&enc, data, n, 64, NULL), 0);
	for (i = 0; i < enc.len; i += 66)
		ck_assert(enc.len - i <= 66 || (enc.data[i + 64] == '\r' && enc.data[i + 65] == '\n'));
	ck_assert_int_eq(xe2e_base64_decode(&dec, enc.data, enc.len, NULL), 0);
	ck_assert_uint_eq(dec.len, n);
	ck_assert(n == 0 || !memcmp(dec.data, data, n));
	xe2e_buf_release(&enc);
	xe2e_buf_release(&dec);
}
END_TEST

START_TEST(base64_vectors)
{
	struct xe2e_buf b = XE2E_BUF_INIT;

	/* RFC 4648 §10 */
	ck_assert_int_eq(xe2e_base64_encode(&b, "foobar", 6, 0, NULL), 0);
	ck_assert_str_eq((char *)b.data, "Zm9vYmFy");
	xe2e_buf_reset(&b);
	ck_assert_int_eq(xe2e_base64_encode(&b, "fo", 2, 0, NULL), 0);
	ck_assert_str_eq((char *)b.data, "Zm8=");
	xe2e_buf_reset(&b);
	ck_assert_int_eq(xe2e_base64_decode(&b, (const unsigned char *)"Zm9v\r\n YmE=", 11, NULL), 0);
	ck_assert_str_eq((char *)b.data, "fooba");
	xe2e_buf_reset(&b);
	ck_assert_int_eq(xe2e_base64_decode(&b, (const unsigned char *)"Zm9v!", 5, NULL), -XE2E_EMALFORMED);
	xe2e_buf_reset(&b);
	ck_assert_int_eq(xe2e_base64_decode(&b, (const unsigned char *)"Zm9vY", 5, NULL), -XE2E_EMALFORMED);
	xe2e_buf_release(&b);
}
END_TEST

START_TEST(make_entity)
{
	struct xe2e_buf b = XE2E_BUF_INIT;

	ck_assert_int_eq(xe2e_mime_make_entity(&b, "text/plain; charset=utf-8",
					       (const unsigned char *)"hi\nthere", 8, NULL), 0);
	ck_assert_str_eq((char *)b.data, "Content-Type: text/plain; charset=utf-8\r\n\r\nhi\r\nthere");
	xe2e_buf_reset(&b);
	ck_assert_int_eq(xe2e_mime_make_entity(&b, "application/octet-stream",
					       (const unsigned char *)"\0\1", 2, NULL), 0);
	ck_assert_str_eq((char *)b.data, "Content-Type: application/octet-stream\r\n"
					 "Content-Transfer-Encoding: base64\r\n\r\nAAE=\r\n");
	xe2e_buf_reset(&b);
	ck_assert_int_eq(xe2e_mime_make_entity(&b, "text/plain\r\nX: y",
					       (const unsigned char *)"a", 1, NULL), -XE2E_EUSAGE);
	xe2e_buf_release(&b);
}
END_TEST

START_TEST(smime_multipart_round_trip)
{
	static const char ent[] = "Content-Type: text/plain\r\n\r\nhello\r\n";
	static const unsigned char sig[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };
	struct xe2e_buf out = XE2E_BUF_INIT, lf = XE2E_BUF_INIT;
	struct xe2e_smime_msg m;
	size_t i;
	struct xe2e_ctx ctx;

	xe2e_ctx_init(&ctx);
	ck_assert_int_eq(xe2e_smime_write_multipart(&out, &ctx, (const unsigned char *)ent, strlen(ent),
						    sig, sizeof(sig), "sha-256", NULL), 0);
	ck_assert_ptr_nonnull(strstr((char *)out.data, "micalg=sha-256"));
	ck_assert_ptr_nonnull(strstr((char *)out.data, "filename=smime.p7s"));
	xe2e_smime_msg_init(&m);
	ck_assert_int_eq(xe2e_smime_parse(&m, out.data, out.len, NULL), 0);
	ck_assert_int_eq(m.form, XE2E_FORM_MULTIPART);
	ck_assert_str_eq(m.micalg, "sha-256");
	ck_assert_str_eq((char *)m.content.data, ent);
	ck_assert_uint_eq(m.der.len, sizeof(sig));
	xe2e_smime_msg_release(&m);
	/* the same message with LF line ends gives the same canonical content */
	for (i = 0; i < out.len; i++)
		if (out.data[i] != '\r')
			xe2e_buf_addc(&lf, out.data[i], NULL);
	xe2e_smime_msg_init(&m);
	ck_assert_int_eq(xe2e_smime_parse(&m, lf.data, lf.len, NULL), 0);
	ck_assert_str_eq((char *)m.content.data, ent);
	xe2e_smime_msg_release(&m);
	xe2e_buf_release(&out);
	xe2e_buf_release(&lf);
}
END_TEST

START_TEST(smime_forms)
{
	static const unsigned char der[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };
	struct xe2e_buf out = XE2E_BUF_INIT;
	struct xe2e_smime_msg m;

	ck_assert_int_eq(xe2e_smime_write_p7m(&out, der, sizeof(der), "signed-data", NULL), 0);
	xe2e_smime_msg_init(&m);
	ck_assert_int_eq(xe2e_smime_parse(&m, out.data, out.len, NULL), 0);
	ck_assert_int_eq(m.form, XE2E_FORM_P7M);
	ck_assert_str_eq(m.smime_type, "signed-data");
	ck_assert_int_eq(memcmp(m.der.data, der, sizeof(der)), 0);
	xe2e_smime_msg_release(&m);
	xe2e_buf_reset(&out);
	ck_assert_int_eq(xe2e_pem_write(&out, der, sizeof(der), "CMS", NULL), 0);
	xe2e_smime_msg_init(&m);
	ck_assert_int_eq(xe2e_smime_parse(&m, out.data, out.len, NULL), 0);
	ck_assert_int_eq(m.form, XE2E_FORM_PEM);
	ck_assert_uint_eq(m.der.len, sizeof(der));
	xe2e_smime_msg_release(&m);
	xe2e_smime_msg_init(&m);
	ck_assert_int_eq(xe2e_smime_parse(&m, (const unsigned char *)"Content-Type: text/plain\r\n\r\nx", 29, NULL),
			 -XE2E_EMALFORMED);
	xe2e_smime_msg_release(&m);
	xe2e_buf_release(&out);
}
END_TEST

/* STYLE: feed a parser every prefix of a valid input; none may crash. */
START_TEST(prefixes_never_crash)
{
	static const char ent[] = "Content-Type: text/plain\r\n\r\nhello\r\n";
	static const unsigned char sig[] = { 0x30, 0x03, 0x02, 0x01, 0x05 };
	struct xe2e_buf out = XE2E_BUF_INIT;
	struct xe2e_smime_msg m;
	size_t n;
	struct xe2e_ctx ctx;

	xe2e_ctx_init(&ctx);
	ck_assert_int_eq(xe2e_smime_write_multipart(&out, &ctx, (const unsigned char *)ent, strlen(ent),
						    sig, sizeof(sig), "sha-256", NULL), 0);
	for (n = 0; n < out.len; n++) {
		xe2e_smime_msg_init(&m);
		(void)xe2e_smime_parse(&m, out.data, n, NULL);
		xe2e_smime_msg_release(&m);
	}
	xe2e_buf_release(&out);
}
END_TEST

Suite *suite_mime(void)
{
	Suite *s = suite_create("mime");
	TCase *core = tcase_create("core"), *limits = tcase_create("limits");

	tcase_add_loop_test(core, canon, 0, sizeof(canon_vectors) / sizeof(canon_vectors[0]));
	tcase_add_test(core, split_and_headers);
	tcase_add_test(core, split_lf_and_no_headers);
	tcase_add_loop_test(core, split_rejects, 0, sizeof(bad_entities) / sizeof(bad_entities[0]));
	tcase_add_test(core, params);
	tcase_add_test(core, multipart);
	tcase_add_loop_test(core, base64_round_trip, 0, 200);
	tcase_add_test(core, base64_vectors);
	tcase_add_test(core, make_entity);
	tcase_add_test(core, smime_multipart_round_trip);
	tcase_add_test(core, smime_forms);
	tcase_add_test(limits, prefixes_never_crash);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	return s;
}
