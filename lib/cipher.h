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

/* The largest content-encryption key of the table in cipher.c: every
 * buffer that holds a CEK has this size, and xe2e_cipher_init refuses an
 * algorithm whose key would not fit. */
#define XE2E_CIPHER_MAX_KEY 32
#define XE2E_CIPHER_MAX_BLOCK 16

struct xe2e_cipher_alg {
	const char *name;      /* option value: "aes128" */
	const char *oid;
	size_t key_size;       /* bytes, <= XE2E_CIPHER_MAX_KEY */
	size_t block_size;     /* <= XE2E_CIPHER_MAX_BLOCK */
	int encrypt_ok;        /* offered for encryption */
	unsigned rc2_bits;     /* RC2 effective key bits, else 0 */
};

const struct xe2e_cipher_alg *xe2e_cipher_by_name(const char *name);
/* By OID; RC2 is not found here (its key size is in its parameters). */
const struct xe2e_cipher_alg *xe2e_cipher_by_oid(const char *oid);
/* RFC 3370 §5.2: RC2 with 40, 64 or 128 effective key bits; NULL for any
 * other size. */
const struct xe2e_cipher_alg *xe2e_cipher_rc2(unsigned bits);

enum xe2e_cipher_kind {
	XE2E_CIPHER_AES128, XE2E_CIPHER_AES192, XE2E_CIPHER_AES256, XE2E_CIPHER_DES3,
	XE2E_CIPHER_RC2
};

/* A CBC encryptor or decryptor that writes its output to `next`. */
struct xe2e_cipher {
	struct xe2e_sink base;           /* write = encrypt/decrypt more */
	struct xe2e_sink *next;
	const struct xe2e_cipher_alg *alg;
	enum xe2e_cipher_kind kind;
	int decrypt;
	union {
		struct aes128_ctx a128;
		struct aes192_ctx a192;
		struct aes256_ctx a256;
		struct des3_ctx d3;
		struct arctwo_ctx rc2;
	} k;
	nettle_cipher_func *dec_fn;
	uint8_t iv[XE2E_CIPHER_MAX_BLOCK];
	uint8_t pend[XE2E_CIPHER_MAX_BLOCK];   /* partial (or held-back last) block */
	size_t npend;
	int pad_ok;                      /* decrypt: result of the padding check */
	size_t work_used;                /* bytes of work[] ever written (to wipe) */
	unsigned char work[XE2E_STREAM_CHUNK];
};

/*
 * Set up for key[alg->key_size] and iv[alg->block_size].  Does not keep
 * key.  An algorithm whose sizes exceed the maximums: -XE2E_EUNSUPPORTED.
 */
int xe2e_cipher_init(struct xe2e_cipher *c, const struct xe2e_cipher_alg *alg,
		     const uint8_t *key, const uint8_t *iv, int decrypt,
		     struct xe2e_sink *next, struct xe2e_err *err);

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
