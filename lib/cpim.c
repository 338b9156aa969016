/* cpim.c - see cpim.h (being written) */
#include "cpim.h"
