#include <check.h>
Suite *suite_jid(void);
Suite *suite_jid(void)
{
	return suite_create("jid");
}
