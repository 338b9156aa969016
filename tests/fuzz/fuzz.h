/*
 * fuzz.h - what every libFuzzer harness of tests/fuzz/ shares: the entry
 * point's prototype, REQUIRE (a broken property aborts, so libFuzzer keeps
 * the input and says which line), byte equality of buffers, and what a
 * clean refusal is (a known code, the same in err, a one-line message).
 */
#ifndef XE2E_FUZZ_H
#define XE2E_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define REQUIRE(x) do { if (!(x)) fuzz_fail(__FILE__, __LINE__, #x); } while (0)

/* The set of codes a refusal may have, for fuzz_refused. */
#define FUZZ_CODE(c) (1u << (c))

static inline void fuzz_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "%s:%d: property failed: %s\n", file, line, what);
	abort();
}

static inline void fuzz_same(const struct xe2e_buf *a, const struct xe2e_buf *b)
{
	REQUIRE(a->len == b->len);
	REQUIRE(a->len == 0 || !memcmp(a->data, b->data, a->len));
}

/* rc is a refusal with one of codes (FUZZ_CODE(...) | ...), as err says. */
static inline void fuzz_refused(int rc, const struct xe2e_err *err, unsigned codes)
{
	REQUIRE(rc < 0 && -rc < 32 && (codes & FUZZ_CODE(-rc)));
	REQUIRE((int)err->code == -rc);
	REQUIRE(err->msg[0] != '\0' && !strchr(err->msg, '\n') && !strchr(err->msg, '\r'));
}

#endif
