/*
 * check_engine.c - the layer engine: the context's clock and random hook
 * (every draw goes through it: a fixed generator gives byte-identical
 * messages, the RSA padding included), chain memory, the recogniser, and
 * the receive walk's nesting limit.
 */
#include <check.h>
#include <gnutls/x509.h>
#include <stdlib.h>
#include <string.h>
#include "../../lib/ctx.h"
#include "../../lib/recv.h"
#include "../../lib/send.h"
#include "../../lib/smime.h"

Suite *suite_engine(void);

/* A throw-away signer: RSA-2048 key and a self-signed certificate. */
static gnutls_privkey_t key;
static struct xe2e_cert *cert;

static void make_signer(void)
{
	gnutls_x509_crt_t c;
	gnutls_datum_t der = { NULL, 0 };
	gnutls_pubkey_t pub;
	unsigned char serial[] = { 0x01, 0x02 };
	time_t now = time(NULL);

	if (cert)
		return;
	ck_assert_int_ge(gnutls_privkey_init(&key), 0);
	ck_assert_int_ge(gnutls_privkey_generate(key, GNUTLS_PK_RSA, 2048, 0), 0);
	ck_assert_int_ge(gnutls_pubkey_init(&pub), 0);
	ck_assert_int_ge(gnutls_pubkey_import_privkey(pub, key, 0, 0), 0);
	ck_assert_int_ge(gnutls_x509_crt_init(&c), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_version(c, 3), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_serial(c, serial, sizeof(serial)), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_dn(c, "CN=Engine Test", NULL), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_issuer_dn(c, "CN=Engine Test", NULL), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_activation_time(c, now - 3600), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_expiration_time(c, now + 86400), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_pubkey(c, pub), 0);
	ck_assert_int_ge(gnutls_x509_crt_set_key_usage(c, GNUTLS_KEY_DIGITAL_SIGNATURE |
						       GNUTLS_KEY_KEY_ENCIPHERMENT), 0);
	ck_assert_int_ge(gnutls_x509_crt_privkey_sign(c, c, key, GNUTLS_DIG_SHA256, 0), 0);
	ck_assert_int_ge(gnutls_x509_crt_export2(c, GNUTLS_X509_FMT_DER, &der), 0);
	ck_assert_int_eq(xe2e_cert_parse(&cert, der.data, der.size, NULL), 0);
	gnutls_free(der.data);
	gnutls_x509_crt_deinit(c);
	gnutls_pubkey_deinit(pub);
}

/* A deterministic generator: bytes of a counter stream from a seed. */
struct counter {
	unsigned char next;
	unsigned calls;
};

static int counter_fill(void *state, void *p, size_t n, enum xe2e_rnd_level level)
{
	struct counter *c = state;
	unsigned char *b = p;
	size_t i;

	(void)level;
	c->calls++;
	for (i = 0; i < n; i++)
		b[i] = c->next++;
	return 0;
}

static time_t fixed_clock(void *state)
{
	return *(time_t *)state;
}

START_TEST(clock_and_validation_time)
{
	struct xe2e_ctx ctx;
	time_t t = 1700000000;

	xe2e_ctx_init(&ctx);
	ctx.clock = fixed_clock;
	ctx.clock_state = &t;
	ck_assert_int_eq(xe2e_ctx_clock(&ctx), t);
	ck_assert_int_eq(xe2e_ctx_now(&ctx), t);
	ctx.at = 1500000000;
	ck_assert_int_eq(xe2e_ctx_now(&ctx), 1500000000);
	ck_assert_int_eq(xe2e_ctx_clock(&ctx), t);
	ck_assert_int_eq(xe2e_ctx_validate_opts(&ctx, XE2E_PURPOSE_SIGN).now, 1500000000);
	xe2e_ctx_release(&ctx);
}
END_TEST

/* sign then encrypt "Content-Type: text/plain ..." under generator seed */
static void wrap(struct xe2e_buf *out, unsigned char seed, unsigned *calls)
{
	static const char msg[] = "Content-Type: text/plain\r\n\r\nhello\r\n";
	struct xe2e_send_layer layers[2];
	struct xe2e_send_opts so;
	struct xe2e_report rep;
	struct xe2e_source *src = malloc(sizeof(*src));
	struct xe2e_sink_buf sb;
	struct xe2e_cert *recips[1];
	struct counter c = { seed, 0 };
	struct xe2e_ctx ctx;

	make_signer();
	recips[0] = cert;
	xe2e_ctx_init(&ctx);
	ctx.rng.fill = counter_fill;
	ctx.rng.state = &c;
	memset(layers, 0, sizeof(layers));
	layers[0].kind = XE2E_SEND_SIGN;
	layers[0].sign.cert = cert;
	layers[0].sign.key = key;
	layers[0].sign.include_certs = 1;
	layers[0].sign.digest = xe2e_digest_by_name("sha256");
	layers[0].sign.signing_time = 1700000000;
	layers[1].kind = XE2E_SEND_ENCRYPT;
	layers[1].enc.recips = recips;
	layers[1].enc.n_recips = 1;
	layers[1].enc.alg = xe2e_cipher_by_name("aes128");
	memset(&so, 0, sizeof(so));
	so.layers = layers;
	so.n = 2;
	so.form = XE2E_OUT_SMIME;
	xe2e_source_init_mem(src, (const unsigned char *)msg, strlen(msg));
	xe2e_sink_buf_init(&sb, out);
	xe2e_report_init(&rep);
	ck_assert_int_eq(xe2e_send(&ctx, &so, src, &sb.base, &rep, NULL), 0);
	ck_assert_uint_eq(rep.n, 2);
	xe2e_report_release(&rep);
	xe2e_ctx_release(&ctx);
	free(src);
	*calls = c.calls;
}

START_TEST(every_draw_goes_through_the_hook)
{
	struct xe2e_buf a = XE2E_BUF_INIT, b = XE2E_BUF_INIT, c = XE2E_BUF_INIT;
	unsigned calls;

	wrap(&a, 7, &calls);
	/* boundary, CEK, IV, RSA padding */
	ck_assert_uint_ge(calls, 4);
	wrap(&b, 7, &calls);
	ck_assert_uint_eq(a.len, b.len);
	ck_assert_int_eq(memcmp(a.data, b.data, a.len), 0);
	wrap(&c, 8, &calls);
	ck_assert(c.len != a.len || memcmp(a.data, c.data, a.len));
	xe2e_buf_release(&a);
	xe2e_buf_release(&b);
	xe2e_buf_release(&c);
}
END_TEST

START_TEST(deterministic_message_decrypts_and_verifies)
{
	struct xe2e_buf msg = XE2E_BUF_INIT, out = XE2E_BUF_INIT;
	struct xe2e_source *src = malloc(sizeof(*src));
	struct xe2e_recv_opts ro;
	struct xe2e_report rep;
	struct xe2e_sink_buf sb;
	struct xe2e_ctx ctx;
	unsigned calls;

	wrap(&msg, 42, &calls);
	xe2e_ctx_init(&ctx);
	ck_assert_int_eq(xe2e_certs_add(&ctx.trust.anchors, cert, NULL), 0);
	memset(&ro, 0, sizeof(ro));
	ro.first = XE2E_RECV_ENVELOPED;
	ro.verify = 1;
	ro.key = key;
	xe2e_source_init_mem(src, msg.data, msg.len);
	xe2e_sink_buf_init(&sb, &out);
	xe2e_report_init(&rep);
	ck_assert_int_eq(xe2e_receive(&ctx, &ro, src, &sb.base, &rep, NULL), 0);
	ck_assert_uint_eq(rep.n, 2);
	ck_assert_int_eq(rep.layers[0]->type, XE2E_LAYER_ENVELOPED);
	ck_assert_int_eq(rep.layers[1]->type, XE2E_LAYER_SIGNED);
	ck_assert_str_eq((char *)out.data, "Content-Type: text/plain\r\n\r\nhello\r\n");
	xe2e_report_release(&rep);
	xe2e_ctx_release(&ctx);
	xe2e_buf_release(&msg);
	xe2e_buf_release(&out);
	free(src);
}
END_TEST

START_TEST(chain_memory)
{
	struct xe2e_ctx ctx;
	struct xe2e_path p;

	make_signer();
	xe2e_ctx_init(&ctx);
	ck_assert_int_eq(xe2e_certs_add(&ctx.trust.anchors, cert, NULL), 0);
	ck_assert_int_eq(xe2e_ctx_remember_chains(&ctx, NULL), 0);
	ck_assert_int_eq(xe2e_ctx_validate(&ctx, &p, cert, NULL, NULL, XE2E_PURPOSE_SIGN, NULL), 0);
	ck_assert_uint_eq(xe2e_ctx_chain_hits(&ctx), 0);
	ck_assert_int_eq(xe2e_ctx_validate(&ctx, &p, cert, NULL, NULL, XE2E_PURPOSE_SIGN, NULL), 0);
	ck_assert_uint_eq(xe2e_ctx_chain_hits(&ctx), 1);
	ck_assert_uint_eq(p.n, 1);
	ck_assert(p.chain[0] == cert);
	/* another purpose is another question */
	ck_assert_int_eq(xe2e_ctx_validate(&ctx, &p, cert, NULL, NULL, XE2E_PURPOSE_ENCRYPT, NULL), 0);
	ck_assert_uint_eq(xe2e_ctx_chain_hits(&ctx), 1);
	xe2e_ctx_release(&ctx);
}
END_TEST

static int recognise(const char *in, struct xe2e_smime_form *f)
{
	struct xe2e_source *s = malloc(sizeof(*s));
	int rc;

	xe2e_source_init_mem(s, (const unsigned char *)in, strlen(in));
	rc = xe2e_smime_recognise(s, f, NULL);
	free(s);
	return rc;
}

START_TEST(recogniser)
{
	struct xe2e_smime_form f;

	ck_assert_int_eq(recognise("0\x03\x02\x01\x01", &f), 0);
	ck_assert_int_eq(f.kind, XE2E_FORM_DER);
	ck_assert_int_eq(recognise("\n-----BEGIN PKCS7-----\nMAA=\n-----END PKCS7-----\n", &f), 0);
	ck_assert_int_eq(f.kind, XE2E_FORM_PEM);
	xe2e_smime_form_release(&f);
	ck_assert_int_eq(recognise("-----BEGIN CERTIFICATE-----\nMAA=\n", &f), -XE2E_EMALFORMED);
	xe2e_smime_form_release(&f);
	ck_assert_int_eq(recognise("Content-Type: multipart/signed; micalg=SHA-1;\n boundary=\"b b\";"
				   " protocol=\"application/pkcs7-signature\"\n\n--b b\n", &f), 0);
	ck_assert_int_eq(f.kind, XE2E_FORM_MULTIPART);
	ck_assert_str_eq(f.boundary, "b b");
	ck_assert_str_eq(f.micalg, "SHA-1");
	xe2e_smime_form_release(&f);
	ck_assert_int_eq(recognise("Content-Type: application/x-pkcs7-mime; smime-type=enveloped-data\r\n"
				   "Content-Transfer-Encoding: base64\r\n\r\nMAA=\r\n", &f), 0);
	ck_assert_int_eq(f.kind, XE2E_FORM_P7M);
	ck_assert_str_eq(f.smime_type, "enveloped-data");
	xe2e_smime_form_release(&f);
	ck_assert_int_eq(recognise("Content-Type: application/pkcs7-mime; smime-type=authEnveloped-data\n\n",
				   &f), -XE2E_EUNSUPPORTED);
	xe2e_smime_form_release(&f);
	ck_assert_int_eq(recognise("Content-Type: text/plain\n\nhi\n", &f), 0);
	ck_assert_int_eq(f.kind, XE2E_FORM_OTHER);
	xe2e_smime_form_release(&f);
	ck_assert_int_eq(recognise("  hello", &f), -XE2E_EMALFORMED);
	ck_assert_int_eq(recognise("", &f), -XE2E_EMALFORMED);
}
END_TEST

/* n SignedData layers, each the next one's eContent (RFC 3854 §3.4). */
static void nested(struct xe2e_buf *out, size_t n)
{
	static const char msg[] = "Content-Type: text/plain\r\n\r\ndeep\r\n";
	struct xe2e_send_layer layers[16];
	struct xe2e_send_opts so;
	struct xe2e_report rep;
	struct xe2e_source *src = malloc(sizeof(*src));
	struct xe2e_sink_buf sb;
	struct xe2e_ctx ctx;
	size_t i;

	make_signer();
	xe2e_ctx_init(&ctx);
	memset(layers, 0, sizeof(layers));
	for (i = 0; i < n; i++) {
		layers[i].kind = XE2E_SEND_SIGN;
		layers[i].sign.cert = cert;
		layers[i].sign.key = key;
		layers[i].sign.include_certs = 1;
		layers[i].sign.digest = xe2e_digest_by_name("sha256");
		layers[i].sign.signing_time = 1700000000;
	}
	memset(&so, 0, sizeof(so));
	so.layers = layers;
	so.n = n;
	so.form = XE2E_OUT_DER;
	so.cms_nesting = 1;
	xe2e_source_init_mem(src, (const unsigned char *)msg, strlen(msg));
	xe2e_sink_buf_init(&sb, out);
	xe2e_report_init(&rep);
	ck_assert_int_eq(xe2e_send(&ctx, &so, src, &sb.base, &rep, NULL), 0);
	xe2e_report_release(&rep);
	xe2e_ctx_release(&ctx);
	free(src);
}

static int walk(const struct xe2e_buf *msg, size_t max, size_t *layers, struct xe2e_err *err)
{
	struct xe2e_buf out = XE2E_BUF_INIT;
	struct xe2e_source *src = malloc(sizeof(*src));
	struct xe2e_recv_opts ro;
	struct xe2e_report rep;
	struct xe2e_sink_buf sb;
	struct xe2e_ctx ctx;
	int rc;

	xe2e_ctx_init(&ctx);
	ctx.max_depth = max;
	ck_assert_int_eq(xe2e_certs_add(&ctx.trust.anchors, cert, NULL), 0);
	memset(&ro, 0, sizeof(ro));
	ro.first = XE2E_RECV_SIGNED;
	ro.verify = 1;
	xe2e_source_init_mem(src, msg->data, msg->len);
	xe2e_sink_buf_init(&sb, &out);
	xe2e_report_init(&rep);
	rc = xe2e_receive(&ctx, &ro, src, &sb.base, &rep, err);
	*layers = rep.n;
	if (!rc)
		ck_assert_str_eq((char *)out.data, "Content-Type: text/plain\r\n\r\ndeep\r\n");
	xe2e_report_release(&rep);
	xe2e_ctx_release(&ctx);
	xe2e_buf_release(&out);
	free(src);
	return rc;
}

START_TEST(nesting_to_the_limit)
{
	struct xe2e_buf msg = XE2E_BUF_INIT;
	struct xe2e_err e;
	size_t n;

	nested(&msg, 8);
	ck_assert_int_eq(walk(&msg, 8, &n, &e), 0);
	ck_assert_uint_eq(n, 8);
	ck_assert_int_eq(walk(&msg, 7, &n, &e), -XE2E_EMALFORMED);
	ck_assert_ptr_nonnull(strstr(e.msg, "more than 7 nested layers (the nesting limit)"));
	xe2e_buf_reset(&msg);
	nested(&msg, 9);
	ck_assert_int_eq(walk(&msg, 8, &n, &e), -XE2E_EMALFORMED);
	ck_assert_ptr_nonnull(strstr(e.msg, "more than 8 nested layers (the nesting limit)"));
	ck_assert_uint_eq(n, 8);
	xe2e_buf_release(&msg);
}
END_TEST

Suite *suite_engine(void)
{
	Suite *s = suite_create("engine");
	TCase *core = tcase_create("core"), *limits = tcase_create("limits");

	tcase_set_timeout(core, 60);
	tcase_set_timeout(limits, 60);
	tcase_add_test(core, clock_and_validation_time);
	tcase_add_test(core, every_draw_goes_through_the_hook);
	tcase_add_test(core, deterministic_message_decrypts_and_verifies);
	tcase_add_test(core, chain_memory);
	tcase_add_test(core, recogniser);
	tcase_add_test(limits, nesting_to_the_limit);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	return s;
}
