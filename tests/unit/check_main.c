/*
 * check_main.c - runs every unit suite (Check, forked mode; CK_FORK=no to debug).
 */
#include <check.h>
#include <stdlib.h>

/* the build renames cmd/xe2e.c's main (-Dmain=xe2e_main); this is the real one */
#undef main

Suite *suite_buf(void);
Suite *suite_err(void);
Suite *suite_mime(void);
Suite *suite_der(void);
Suite *suite_datetime(void);
Suite *suite_cmds(void);
Suite *suite_stream(void);
Suite *suite_x509(void);
Suite *suite_text(void);
Suite *suite_engine(void);
Suite *suite_jid(void);
Suite *suite_state(void);
Suite *suite_cpim(void);
Suite *suite_xml(void);
Suite *suite_fixture(void);
Suite *suite_policy(void);

int main(void)
{
	SRunner *sr = srunner_create(suite_buf());
	int failed;

	srunner_add_suite(sr, suite_err());
	srunner_add_suite(sr, suite_mime());
	srunner_add_suite(sr, suite_der());
	srunner_add_suite(sr, suite_datetime());
	srunner_add_suite(sr, suite_cmds());
	srunner_add_suite(sr, suite_stream());
	srunner_add_suite(sr, suite_x509());
	srunner_add_suite(sr, suite_text());
	srunner_add_suite(sr, suite_engine());
	srunner_add_suite(sr, suite_jid());
	srunner_add_suite(sr, suite_state());
	srunner_add_suite(sr, suite_cpim());
	srunner_add_suite(sr, suite_xml());
	srunner_add_suite(sr, suite_fixture());
	srunner_add_suite(sr, suite_policy());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
