/* state.c - see state.h (being written) */
#include "state.h"
