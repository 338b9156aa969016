/*
 * fixture.c - the deterministic random source of --fixture-seed (see
 * fixture.h).  Nettle's AES-256 and CTR mode, SHA-256 for the key.
 */
#include "fixture.h"
#include "err.h"

#include <gnutls/gnutls.h>
#include <nettle/ctr.h>
#include <nettle/sha2.h>
#include <string.h>

static const char label[] = "xe2e fixture-seed v1";   /* and its NUL */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int xe2e_fixture_seed_parse(unsigned char *seed, size_t *len, const char *hex,
			    struct xe2e_err *err)
{
	size_t n = strlen(hex), i;

	if (n == 0 || n % 2 || n / 2 > XE2E_FIXTURE_SEED_MAX)
		return xe2e_err_set(err, XE2E_EUSAGE,
				    "--fixture-seed takes 1 to %d octets as an even number of hex digits",
				    XE2E_FIXTURE_SEED_MAX);
	for (i = 0; i < n; i += 2) {
		int hi = hexval((unsigned char)hex[i]), lo = hexval((unsigned char)hex[i + 1]);

		if (hi < 0 || lo < 0)
			return xe2e_err_set(err, XE2E_EUSAGE, "--fixture-seed: not a hex digit at offset %zu",
					    hi < 0 ? i : i + 1);
		seed[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	*len = n / 2;
	return 0;
}

void xe2e_fixture_rng_init(struct xe2e_fixture_rng *r, const unsigned char *seed, size_t len)
{
	struct sha256_ctx h;
	uint8_t key[SHA256_DIGEST_SIZE];

	memset(r, 0, sizeof(*r));
	sha256_init(&h);
	sha256_update(&h, sizeof(label), (const uint8_t *)label);
	sha256_update(&h, len, seed);
	sha256_digest(&h, sizeof(key), key);
	aes256_set_encrypt_key(&r->aes, key);
	gnutls_memset(key, 0, sizeof(key));
	gnutls_memset(&h, 0, sizeof(h));
	r->used = sizeof(r->block);       /* nothing drawn yet */
}

void xe2e_fixture_rng_release(struct xe2e_fixture_rng *r)
{
	gnutls_memset(r, 0, sizeof(*r));
}

void xe2e_fixture_rng_fill(struct xe2e_fixture_rng *r, void *p, size_t n)
{
	static const uint8_t zero[AES_BLOCK_SIZE];
	uint8_t *out = p;

	while (n) {
		size_t k;

		if (r->used == sizeof(r->block)) {
			ctr_crypt(&r->aes, (nettle_cipher_func *)aes256_encrypt, AES_BLOCK_SIZE,
				  r->ctr, sizeof(r->block), r->block, zero);
			r->used = 0;
		}
		k = sizeof(r->block) - r->used;
		if (k > n)
			k = n;
		memcpy(out, r->block + r->used, k);
		gnutls_memset(r->block + r->used, 0, k);
		r->used += k;
		out += k;
		n -= k;
	}
}

static int fill(void *state, void *p, size_t n, enum xe2e_rnd_level level)
{
	(void)level;
	xe2e_fixture_rng_fill(state, p, n);
	return 0;
}

void xe2e_fixture_install(struct xe2e_ctx *c, struct xe2e_fixture_rng *r)
{
	c->rng.fill = fill;
	c->rng.state = r;
	c->rng.reproducible = 1;
}
