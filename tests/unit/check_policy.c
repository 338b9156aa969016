/*
 * check_policy.c - the RFC 5280 §6.1 policy tree (policy.h) on
 * certificates built in memory: the initial inputs as a library caller
 * gives them (an unterminated last line counts, a bad or over-long line is
 * refused, never cut), a mapping followed into the anchor's domain, and the
 * node cap reached by mappings that fan out.
 */
#include <check.h>
#include <string.h>
#include "../../lib/cert.h"
#include "../../lib/err.h"
#include "../../lib/policy.h"

Suite *suite_policy(void);

/* A CA or end entity with policies (one per line) and mappings. */
static void fake(struct xe2e_cert *c, const char *policies, const char *mappings)
{
	memset(c, 0, sizeof(*c));
	c->require_explicit = c->inhibit_mapping = c->inhibit_any = -1;
	c->pathlen = -1;
	if (policies) {
		c->has_policies = 1;
		ck_assert_int_eq(xe2e_buf_adds(&c->policies, policies, NULL), 0);
	}
	if (mappings)
		ck_assert_int_eq(xe2e_buf_adds(&c->mappings, mappings, NULL), 0);
}

static void unfake(struct xe2e_cert *c)
{
	xe2e_buf_release(&c->policies);
	xe2e_buf_release(&c->mappings);
}

START_TEST(oid_args)
{
	static const char *const bad[] = { "", "1", "1..2", "01.2", "1.02", "3.1", "1.2.x", "1.2.",
					   ".1.2", "1.2 3", NULL };
	char out[128];
	size_t i;

	ck_assert_int_eq(xe2e_policy_oid_arg(out, sizeof(out), "anyPolicy", NULL), 0);
	ck_assert_str_eq(out, XE2E_OID_ANY_POLICY);
	ck_assert_int_eq(xe2e_policy_oid_arg(out, sizeof(out), "2.16.840.1.101.3.2.1.48.1", NULL), 0);
	ck_assert_int_eq(xe2e_policy_oid_arg(out, sizeof(out), "0.0", NULL), 0);
	for (i = 0; bad[i]; i++)
		ck_assert_msg(xe2e_policy_oid_arg(out, sizeof(out), bad[i], NULL) == -XE2E_EUSAGE,
			      "accepted '%s'", bad[i]);
}
END_TEST

START_TEST(initial_sets)
{
	struct xe2e_policy_inputs in = { NULL, 0, 0, 0 };
	struct xe2e_policy_tree *t;
	struct xe2e_policy_sets sets;
	struct xe2e_cert ee;
	char text[64], longline[300];

	/* an unterminated last line is a policy, not dropped */
	in.initial = "1.2.3\n1.2.4";
	in.explicit_policy = 1;
	xe2e_policy_user_text(text, sizeof(text), &in);
	ck_assert_str_eq(text, "1.2.3 1.2.4");
	fake(&ee, "1.2.4\n", NULL);
	ck_assert_int_eq(xe2e_policy_start(&t, &in, 1, NULL), 0);
	ck_assert_int_eq(xe2e_policy_cert(t, &ee, NULL), 0);
	ck_assert_int_eq(xe2e_policy_finish(t, &ee, &sets, NULL), 0);
	ck_assert_str_eq(sets.user, "1.2.4");
	xe2e_policy_free(t);
	unfake(&ee);
	in.explicit_policy = 0;
	in.initial = "1.2.3\n2.5.29.32.0\n";
	xe2e_policy_user_text(text, sizeof(text), &in);
	ck_assert_str_eq(text, XE2E_OID_ANY_POLICY);
	in.initial = "";
	xe2e_policy_user_text(text, sizeof(text), &in);
	ck_assert_str_eq(text, XE2E_OID_ANY_POLICY);
	/* a bad line, or one too long to hold, is refused (never cut) */
	in.initial = "1.2.3\n1.2 3\n";
	ck_assert_int_eq(xe2e_policy_start(&t, &in, 1, NULL), -XE2E_EUSAGE);
	memset(longline, '1', sizeof(longline) - 1);
	longline[1] = '.';
	longline[sizeof(longline) - 1] = '\0';
	in.initial = longline;
	ck_assert_int_eq(xe2e_policy_start(&t, &in, 1, NULL), -XE2E_EUSAGE);
}
END_TEST

START_TEST(mapping_followed)
{
	struct xe2e_policy_inputs in = { "1.2.1\n", 1, 0, 0 };
	struct xe2e_policy_tree *t;
	struct xe2e_policy_sets sets;
	struct xe2e_cert ca, ee;
	struct xe2e_err e;

	fake(&ca, "1.2.1\n", "1.2.1 1.2.2\n");
	fake(&ee, "1.2.2\n", NULL);
	ck_assert_int_eq(xe2e_policy_start(&t, &in, 2, NULL), 0);
	ck_assert_int_eq(xe2e_policy_cert(t, &ca, NULL), 0);
	ck_assert_int_eq(xe2e_policy_cert(t, &ee, NULL), 0);
	ck_assert_int_eq(xe2e_policy_finish(t, &ee, &sets, NULL), 0);
	ck_assert_str_eq(sets.authority, "1.2.1");
	ck_assert_str_eq(sets.user, "1.2.1");
	xe2e_policy_free(t);
	/* inhibited, the mapping deletes the node: no policy is left */
	in.inhibit_mapping = 1;
	ck_assert_int_eq(xe2e_policy_start(&t, &in, 2, NULL), 0);
	ck_assert_int_eq(xe2e_policy_cert(t, &ca, NULL), 0);
	xe2e_err_clear(&e);
	ck_assert_int_eq(xe2e_policy_cert(t, &ee, &e), -XE2E_ECERT);
	ck_assert_ptr_nonnull(strstr(e.msg, "explicit policy is required"));
	xe2e_policy_free(t);
	unfake(&ca);
	unfake(&ee);
}
END_TEST

START_TEST(fan_out_capped)
{
	struct xe2e_policy_inputs in = { NULL, 0, 0, 0 };
	struct xe2e_buf pol = XE2E_BUF_INIT, map = XE2E_BUF_INIT;
	struct xe2e_policy_tree *t;
	struct xe2e_cert ca;
	struct xe2e_err e;
	int i, j, rc = 0, k;

	/* 8 policies, each mapped to the 7 others: the tree would grow
	 * sevenfold a level */
	for (i = 1; i <= 8; i++) {
		ck_assert_int_eq(xe2e_buf_addf(&pol, NULL, "1.9.%d\n", i), 0);
		for (j = 1; j <= 8; j++)
			if (i != j)
				ck_assert_int_eq(xe2e_buf_addf(&map, NULL, "1.9.%d 1.9.%d\n", i, j), 0);
	}
	xe2e_buf_addc(&pol, '\0', NULL);
	xe2e_buf_addc(&map, '\0', NULL);
	fake(&ca, (char *)pol.data, (char *)map.data);
	ck_assert_int_eq(xe2e_policy_start(&t, &in, 10, NULL), 0);
	xe2e_err_clear(&e);
	for (k = 0; !rc && k < 9; k++)
		rc = xe2e_policy_cert(t, &ca, &e);
	ck_assert_int_eq(rc, -XE2E_ECERT);
	ck_assert_ptr_nonnull(strstr(e.msg, "would exceed 1024 nodes"));
	ck_assert_int_le(k, 5);
	xe2e_policy_free(t);
	unfake(&ca);
	xe2e_buf_release(&pol);
	xe2e_buf_release(&map);
}
END_TEST

Suite *suite_policy(void)
{
	Suite *s = suite_create("policy");
	TCase *core = tcase_create("core");

	tcase_add_test(core, oid_args);
	tcase_add_test(core, initial_sets);
	tcase_add_test(core, mapping_followed);
	tcase_add_test(core, fan_out_capped);
	suite_add_tcase(s, core);
	return s;
}
