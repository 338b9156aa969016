/* jid.c - see jid.h (being written) */
#include "jid.h"
