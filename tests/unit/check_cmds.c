/*
 * check_cmds.c - the command table is sorted, every command has a summary
 * and a man page with a SYNOPSIS (tests/cli/t0002 checks the option lists agree).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../cmd/common.h"

Suite *suite_cmds(void);

START_TEST(table_sorted)
{
	size_t i;

	ck_assert_uint_gt(xe2e_n_commands, 0);
	for (i = 0; i < xe2e_n_commands; i++) {
		ck_assert_ptr_nonnull(xe2e_commands[i].fn);
		ck_assert_uint_gt(strlen(xe2e_commands[i].summary), 0);
		if (i)
			ck_assert_int_lt(strcmp(xe2e_commands[i - 1].name, xe2e_commands[i].name), 0);
	}
}
END_TEST

START_TEST(man_pages)
{
	const char *srcdir = getenv("srcdir");
	char path[512], line[512];
	size_t i;
	FILE *f;
	int found;

	for (i = 0; i < xe2e_n_commands; i++) {
		snprintf(path, sizeof(path), "%s/man/xe2e-%s.1", srcdir ? srcdir : ".",
			 xe2e_commands[i].name);
		f = fopen(path, "r");
		ck_assert_msg(f != NULL, "no man page %s", path);
		found = 0;
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, ".SH SYNOPSIS", 12))
				found = 1;
		fclose(f);
		ck_assert_msg(found, "%s has no SYNOPSIS", path);
	}
}
END_TEST

Suite *suite_cmds(void)
{
	Suite *s = suite_create("cmds");
	TCase *core = tcase_create("core");

	tcase_add_test(core, table_sorted);
	tcase_add_test(core, man_pages);
	suite_add_tcase(s, core);
	return s;
}
