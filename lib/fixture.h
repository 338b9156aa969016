/*
 * fixture.h - the deterministic random source of --fixture-seed: every
 * draw of a run (ctx.h: boundaries, Content-IDs, PIDF tuple ids, content
 * encryption keys, IVs, RSA PKCS #1 v1.5 padding, key-generation seeds,
 * serial numbers) comes from AES-256 in counter mode keyed with
 * SHA-256("xe2e fixture-seed v1" || 0x00 || seed), the counter starting
 * at zero.  Two runs with the same seed and the same inputs draw the same
 * bytes.  For test fixtures only: the output is predictable by anyone
 * who knows the seed.  The algorithm is fixed (a unit test holds its
 * first bytes): changing it changes every committed fixture.
 *
 * Not here: the normal source (GnuTLS's generator, ctx.c), parsing the
 * option (cmd/).
 */
#ifndef XE2E_FIXTURE_H
#define XE2E_FIXTURE_H

#include <nettle/aes.h>
#include <stdint.h>
#include "ctx.h"

#define XE2E_FIXTURE_SEED_MAX 64       /* octets of seed */

struct xe2e_fixture_rng {
	struct aes256_ctx aes;
	uint8_t ctr[AES_BLOCK_SIZE];
	uint8_t block[AES_BLOCK_SIZE];     /* the current keystream block */
	size_t used;                       /* octets of block already drawn */
};

/* A seed from hex text (1 to XE2E_FIXTURE_SEED_MAX octets, an even number
 * of hex digits, nothing else): 0 or -XE2E_EUSAGE naming the problem. */
int xe2e_fixture_seed_parse(unsigned char *seed, size_t *len, const char *hex,
			    struct xe2e_err *err);

/* Key the generator with seed[0..len). */
void xe2e_fixture_rng_init(struct xe2e_fixture_rng *r, const unsigned char *seed, size_t len);
/* Wipe it. */
void xe2e_fixture_rng_release(struct xe2e_fixture_rng *r);
/* Fill p[0..n) from the generator. */
void xe2e_fixture_rng_fill(struct xe2e_fixture_rng *r, void *p, size_t n);

/* Make r the context's random source (borrowed: r must outlive c's use)
 * and mark the context reproducible (signatures that need a nonce use the
 * deterministic RFC 6979 form). */
void xe2e_fixture_install(struct xe2e_ctx *c, struct xe2e_fixture_rng *r);

#endif
