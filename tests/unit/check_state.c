#include <check.h>
Suite *suite_state(void);
Suite *suite_state(void)
{
	return suite_create("state");
}
