/*
 * check_fixture.c - the --fixture-seed generator (fixture.h): its output is
 * fixed (known answers computed independently with `openssl dgst -sha256`
 * and `openssl enc -aes-256-ctr`: changing the algorithm would silently
 * change every committed fixture), draws in pieces equal one draw, the
 * context hook uses it, and bad seeds are refused.
 */
#include <check.h>
#include <string.h>
#include "../../lib/ctx.h"
#include "../../lib/err.h"
#include "../../lib/fixture.h"

Suite *suite_fixture(void);

static void unhex(unsigned char *out, const char *hex)
{
	size_t i;

	for (i = 0; hex[2 * i]; i++) {
		unsigned v;

		ck_assert(sscanf(hex + 2 * i, "%2x", &v) == 1);
		out[i] = (unsigned char)v;
	}
}

static const struct {
	const char *seed, *first48;
} kat[] = {
	{ "00", "e68ee85f03548c45c3e7a5b35b28f64ba72c0755300f7d953959056d67efe798"
		"6a7548c63a6d67fcb1003301dd4edd29" },
	{ "5eed0001", "632dc1d495a004f53b25a21a6491fb4210e893a8b56fe8f7a0525e7466f85e4d"
		      "fdd0ba530278ff82086c0be0d84714fb" },
};

START_TEST(test_known_answer)
{
	unsigned char seed[XE2E_FIXTURE_SEED_MAX], want[48], got[48];
	struct xe2e_fixture_rng r;
	struct xe2e_err err;
	size_t len;

	ck_assert_int_eq(xe2e_fixture_seed_parse(seed, &len, kat[_i].seed, &err), 0);
	unhex(want, kat[_i].first48);
	xe2e_fixture_rng_init(&r, seed, len);
	xe2e_fixture_rng_fill(&r, got, sizeof(got));
	ck_assert(memcmp(got, want, sizeof(got)) == 0);
	xe2e_fixture_rng_release(&r);
}
END_TEST

START_TEST(test_pieces)
{
	static const size_t sizes[] = { 1, 15, 16, 17, 3, 32, 0, 7, 100 };
	unsigned char a[191], b[191], seed[] = { 0xab, 0xcd };
	struct xe2e_fixture_rng r;
	size_t i, off = 0;

	xe2e_fixture_rng_init(&r, seed, sizeof(seed));
	xe2e_fixture_rng_fill(&r, a, sizeof(a));
	xe2e_fixture_rng_init(&r, seed, sizeof(seed));
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		xe2e_fixture_rng_fill(&r, b + off, sizes[i]);
		off += sizes[i];
	}
	ck_assert_uint_eq(off, sizeof(b));
	ck_assert(memcmp(a, b, sizeof(a)) == 0);
	/* another seed, another stream */
	seed[1] ^= 1;
	xe2e_fixture_rng_init(&r, seed, sizeof(seed));
	xe2e_fixture_rng_fill(&r, b, sizeof(b));
	ck_assert(memcmp(a, b, sizeof(a)) != 0);
	xe2e_fixture_rng_release(&r);
}
END_TEST

START_TEST(test_ctx_hook)
{
	unsigned char seed[] = { 0 }, a[32], b[32];
	struct xe2e_fixture_rng r, r2;
	struct xe2e_ctx c;
	struct xe2e_err err;

	xe2e_ctx_init(&c);
	ck_assert_int_eq(c.rng.reproducible, 0);   /* never without asking */
	ck_assert_int_eq(xe2e_ctx_random(&c, a, sizeof(a), XE2E_RND_KEY, &err), 0);
	ck_assert_int_eq(xe2e_ctx_random(&c, b, sizeof(b), XE2E_RND_KEY, &err), 0);
	ck_assert(memcmp(a, b, sizeof(a)) != 0);
	xe2e_fixture_rng_init(&r, seed, sizeof(seed));
	xe2e_fixture_install(&c, &r);
	ck_assert_int_eq(c.rng.reproducible, 1);
	ck_assert_int_eq(xe2e_ctx_random(&c, a, sizeof(a), XE2E_RND_NONCE, &err), 0);
	xe2e_fixture_rng_init(&r2, seed, sizeof(seed));
	xe2e_fixture_rng_fill(&r2, b, sizeof(b));
	ck_assert(memcmp(a, b, sizeof(a)) == 0);
	unhex(b, "e68ee85f03548c45c3e7a5b35b28f64ba72c0755300f7d953959056d67efe798");
	ck_assert(memcmp(a, b, sizeof(a)) == 0);
	xe2e_fixture_rng_release(&r);
	xe2e_fixture_rng_release(&r2);
	xe2e_ctx_release(&c);
}
END_TEST

static const char *const bad_seeds[] = {
	"", "0", "abc", "0g", "zz", " 00", "00 ", "0x00", "-1",
	/* 65 octets: one too many */
	"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
	"00000000000000000000000000000000000000000000000000",
};

START_TEST(test_bad_seed)
{
	unsigned char seed[XE2E_FIXTURE_SEED_MAX];
	struct xe2e_err err;
	size_t len = 99;

	xe2e_err_clear(&err);
	ck_assert_int_eq(xe2e_fixture_seed_parse(seed, &len, bad_seeds[_i], &err), -XE2E_EUSAGE);
	ck_assert_int_eq(err.code, XE2E_EUSAGE);
	ck_assert_uint_eq(len, 99);
}
END_TEST

START_TEST(test_seed_limits)
{
	unsigned char seed[XE2E_FIXTURE_SEED_MAX];
	char hex[2 * XE2E_FIXTURE_SEED_MAX + 1];
	struct xe2e_err err;
	size_t len;

	memset(hex, 'F', sizeof(hex) - 1);
	hex[sizeof(hex) - 1] = '\0';
	ck_assert_int_eq(xe2e_fixture_seed_parse(seed, &len, hex, &err), 0);
	ck_assert_uint_eq(len, XE2E_FIXTURE_SEED_MAX);
	ck_assert_uint_eq(seed[XE2E_FIXTURE_SEED_MAX - 1], 0xff);
	ck_assert_int_eq(xe2e_fixture_seed_parse(seed, &len, "aB", &err), 0);
	ck_assert_uint_eq(len, 1);
	ck_assert_uint_eq(seed[0], 0xab);
}
END_TEST

Suite *suite_fixture(void)
{
	Suite *s = suite_create("fixture");
	TCase *core = tcase_create("core"), *limits = tcase_create("limits");

	tcase_add_loop_test(core, test_known_answer, 0, sizeof(kat) / sizeof(kat[0]));
	tcase_add_test(core, test_pieces);
	tcase_add_test(core, test_ctx_hook);
	tcase_add_loop_test(limits, test_bad_seed, 0, sizeof(bad_seeds) / sizeof(bad_seeds[0]));
	tcase_add_test(limits, test_seed_limits);
	suite_add_tcase(s, core);
	suite_add_tcase(s, limits);
	return s;
}
