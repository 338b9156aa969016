#include <check.h>
Suite *suite_cpim(void);
Suite *suite_cpim(void)
{
	return suite_create("cpim");
}
