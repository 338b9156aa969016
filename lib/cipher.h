/*
 * cipher.h - CMS content-encryption algorithms (RFC 3370 §5, RFC 3565 §4):
 * AES-128/192/256-CBC, DES-EDE3-CBC and, for S/MIME v2 receive only,
 * RC2-CBC, all with the RFC 5652 §6.3 padding, as streaming sink filters
 * (Nettle).
 *
 * Not here: key transport (cms_env.c) or any choice of algorithm policy
 * beyond "may this be used to encrypt".
 */
#ifndef XE2E_CIPHER_H
#define XE2E_CIPHER_H

#include <nettle/aes.h>
#include <nettle/arctwo.h>
#include <nettle/des.h>
#include "stream.h"

struct xe2e_cipher_alg {
	const char *name;      /* option value: "aes128" */
	const char *oid;
	size_t key_size;       /* bytes */
	size_t block_size;
	int encrypt_ok;        /* offered for encryption */
};

const struct xe2e_cipher_alg *xe2e_cipher_by_name(const char *name);
const struct xe2e_cipher_alg *xe2e_cipher_by_oid(const char *oid);

/* A CBC encryptor or decryptor that writes its output to `next`. */
struct xe2e_cipher {
	struct xe2e_sink base;           /* write = encrypt/decrypt more */
	struct xe2e_sink *next;
	const struct xe2e_cipher_alg *alg;
	int decrypt;
	union {
		struct aes128_ctx a128;
		struct aes192_ctx a192;
		struct aes256_ctx a256;
		struct des3_ctx d3;
		struct arctwo_ctx rc2;
	} k;
	nettle_cipher_func *dec_fn;
	uint8_t iv[16];
	uint8_t pend[16];                /* partial (or held-back last) block */
	size_t npend;
	int pad_ok;                      /* decrypt: result of the padding check */
	unsigned char work[XE2E_STREAM_CHUNK];
};

/*
 * Set up for key[alg->key_size] and iv[alg->block_size].  rc2_bits is the
 * RC2 effective key size (ignored for others).  Does not keep key.
 */
int xe2e_cipher_init(struct xe2e_cipher *c, const struct xe2e_cipher_alg *alg,
		     const uint8_t *key, const uint8_t *iv, int decrypt,
		     unsigned rc2_bits, struct xe2e_sink *next,
		     struct xe2e_err *err);

/*
 * Finish: encrypt pads and writes the last block; decrypt checks the padding
 * of the held-back last block (without branching on its bytes), writes the
 * plaintext before the padding when valid, and sets c->pad_ok.  A decrypt
 * input that is not a whole number of blocks also gives pad_ok = 0.
 * Does not finish `next`.
 */
int xe2e_cipher_final(struct xe2e_cipher *c, struct xe2e_err *err);

/* Wipe key schedule and state. */
void xe2e_cipher_wipe(struct xe2e_cipher *c);

#endif
