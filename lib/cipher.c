/*
 * cipher.c - streaming CBC content encryption (see cipher.h).
 * RFC 3370 §5.1 (3DES), §5.2 (RC2 parameters), RFC 3565 §4 (AES),
 * RFC 5652 §6.3 (padding).
 */
#include "cipher.h"
#include "oids.h"

#include <gnutls/gnutls.h>
#include <nettle/cbc.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

/* The one table of content-encryption algorithms and their key sizes. */
static const struct xe2e_cipher_alg algs[] = {
	{ "aes128", XE2E_OID_AES128_CBC, 16, 16, 1, 0 },
	{ "aes192", XE2E_OID_AES192_CBC, 24, 16, 1, 0 },
	{ "aes256", XE2E_OID_AES256_CBC, 32, 16, 1, 0 },
	{ "des3", XE2E_OID_DES_EDE3_CBC, 24, 8, 1, 0 },
	/* RFC 3370 §5.2, S/MIME v2 receive only: the key is bits / 8 bytes */
	{ "rc2-40", XE2E_OID_RC2_CBC, 5, 8, 0, 40 },
	{ "rc2-64", XE2E_OID_RC2_CBC, 8, 8, 0, 64 },
	{ "rc2-128", XE2E_OID_RC2_CBC, 16, 8, 0, 128 },
};
#define N_ALGS (sizeof(algs) / sizeof(algs[0]))

/* OpenSSL's spelling of the same ciphers (enc -ciphers, cms -aes-256-cbc) */
static const char *const aliases[][2] = {
	{ "aes-128-cbc", "aes128" }, { "aes-192-cbc", "aes192" }, { "aes-256-cbc", "aes256" },
	{ "des-ede3-cbc", "des3" }, { "des-ede3", "des3" }, { "3des", "des3" },
};

const struct xe2e_cipher_alg *xe2e_cipher_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (!strcasecmp(name, aliases[i][0]))
			name = aliases[i][1];
	for (i = 0; i < N_ALGS; i++)
		if (algs[i].encrypt_ok && !strcasecmp(name, algs[i].name))
			return &algs[i];
	return NULL;
}

const struct xe2e_cipher_alg *xe2e_cipher_by_oid(const char *oid)
{
	size_t i;

	for (i = 0; i < N_ALGS; i++)
		if (!algs[i].rc2_bits && !strcmp(oid, algs[i].oid))
			return &algs[i];
	return NULL;
}

const struct xe2e_cipher_alg *xe2e_cipher_rc2(unsigned bits)
{
	size_t i;

	for (i = 0; i < N_ALGS; i++)
		if (algs[i].rc2_bits && algs[i].rc2_bits == bits)
			return &algs[i];
	return NULL;
}

/* Encrypt n (a multiple of the block size) bytes from in to out. */
static void enc_blocks(struct xe2e_cipher *c, uint8_t *out, const uint8_t *in, size_t n)
{
	switch (c->kind) {
	case XE2E_CIPHER_AES128: cbc_aes128_encrypt(&c->k.a128, c->iv, n, out, in); break;
	case XE2E_CIPHER_AES192: cbc_aes192_encrypt(&c->k.a192, c->iv, n, out, in); break;
	case XE2E_CIPHER_AES256: cbc_aes256_encrypt(&c->k.a256, c->iv, n, out, in); break;
	default:
		cbc_encrypt(&c->k.d3, (nettle_cipher_func *)des3_encrypt, 8, c->iv, n, out, in);
	}
	if (out == c->work && n > c->work_used)   /* what the final wipe covers */
		c->work_used = n;
}

static int enc_write(struct xe2e_sink *s, const unsigned char *p, size_t n,
		     struct xe2e_err *err)
{
	struct xe2e_cipher *c = (struct xe2e_cipher *)s;
	size_t bs = c->alg->block_size, take;
	int rc;

	if (c->npend) {
		take = bs - c->npend < n ? bs - c->npend : n;
		memcpy(c->pend + c->npend, p, take);
		c->npend += take;
		p += take;
		n -= take;
		if (c->npend < bs)
			return 0;
		enc_blocks(c, c->work, c->pend, bs);
		c->npend = 0;
		rc = xe2e_sink_write(c->next, c->work, bs, err);
		if (rc)
			return rc;
	}
	while (n >= bs) {
		take = n - n % bs;
		if (take > sizeof(c->work))
			take = sizeof(c->work);
		enc_blocks(c, c->work, p, take);
		rc = xe2e_sink_write(c->next, c->work, take, err);
		if (rc)
			return rc;
		p += take;
		n -= take;
	}
	memcpy(c->pend, p, n);
	c->npend = n;
	return 0;
}

static void dec_blocks(struct xe2e_cipher *c, uint8_t *out, const uint8_t *in, size_t n)
{
	cbc_decrypt(&c->k, c->dec_fn, c->alg->block_size, c->iv, n, out, in);
	if (out == c->work && n > c->work_used)   /* what the final wipe covers */
		c->work_used = n;
}

/* Decrypt all but the last block, which final() needs for the padding. */
static int dec_write(struct xe2e_sink *s, const unsigned char *p, size_t n,
		     struct xe2e_err *err)
{
	struct xe2e_cipher *c = (struct xe2e_cipher *)s;
	size_t bs = c->alg->block_size, take;
	uint8_t blk[16];
	int rc;

	while (n) {
		if (c->npend < bs) {
			take = bs - c->npend < n ? bs - c->npend : n;
			memcpy(c->pend + c->npend, p, take);
			c->npend += take;
			p += take;
			n -= take;
			continue;
		}
		/* pend holds a full block and more input follows: decrypt it */
		memcpy(blk, c->pend, bs);
		dec_blocks(c, c->work, blk, bs);
		c->npend = 0;
		rc = xe2e_sink_write(c->next, c->work, bs, err);
		if (rc)
			return rc;
		/* whole blocks straight from the input, keeping the last back */
		while (n > bs) {
			take = (n - 1) - (n - 1) % bs;
			if (take > sizeof(c->work))
				take = sizeof(c->work);
			if (!take)
				break;
			dec_blocks(c, c->work, p, take);
			rc = xe2e_sink_write(c->next, c->work, take, err);
			if (rc)
				return rc;
			p += take;
			n -= take;
		}
	}
	return 0;
}

int xe2e_cipher_init(struct xe2e_cipher *c, const struct xe2e_cipher_alg *alg,
		     const uint8_t *key, const uint8_t *iv, int decrypt,
		     struct xe2e_sink *next, struct xe2e_err *err)
{
	memset(c, 0, offsetof(struct xe2e_cipher, work));
	if (alg->key_size > XE2E_CIPHER_MAX_KEY || alg->block_size > XE2E_CIPHER_MAX_BLOCK ||
	    (alg->block_size != 8 && alg->block_size != 16))
		return xe2e_err_set(err, XE2E_EUNSUPPORTED, "cipher %s: bad key or block size",
				    alg->name);
	c->alg = alg;
	c->decrypt = decrypt;
	c->next = next;
	c->base.write = decrypt ? dec_write : enc_write;
	c->base.finish = NULL;
	memcpy(c->iv, iv, alg->block_size);
	if (alg->rc2_bits) {
		if (!decrypt)
			return xe2e_err_set(err, XE2E_EUNSUPPORTED, "RC2 is receive only");
		/* RFC 3370 §5.2: the key is rc2_bits / 8 bytes long */
		arctwo_set_key_ekb(&c->k.rc2, alg->key_size, key, alg->rc2_bits);
		c->kind = XE2E_CIPHER_RC2;
		c->dec_fn = (nettle_cipher_func *)arctwo_decrypt;
		return 0;
	}
	if (alg->block_size == 8) {
		/* RFC 3370 §5.1: parity bits are ignored */
		if (alg->key_size != DES3_KEY_SIZE)
			return xe2e_err_set(err, XE2E_EUNSUPPORTED, "cipher %s: bad key size", alg->name);
		des3_set_key(&c->k.d3, key);
		c->kind = XE2E_CIPHER_DES3;
		c->dec_fn = (nettle_cipher_func *)des3_decrypt;
		return 0;
	}
	switch (alg->key_size) {
	case 16:
		c->kind = XE2E_CIPHER_AES128;
		if (decrypt)
			aes128_set_decrypt_key(&c->k.a128, key);
		else
			aes128_set_encrypt_key(&c->k.a128, key);
		c->dec_fn = (nettle_cipher_func *)aes128_decrypt;
		break;
	case 24:
		c->kind = XE2E_CIPHER_AES192;
		if (decrypt)
			aes192_set_decrypt_key(&c->k.a192, key);
		else
			aes192_set_encrypt_key(&c->k.a192, key);
		c->dec_fn = (nettle_cipher_func *)aes192_decrypt;
		break;
	case 32:
		c->kind = XE2E_CIPHER_AES256;
		if (decrypt)
			aes256_set_decrypt_key(&c->k.a256, key);
		else
			aes256_set_encrypt_key(&c->k.a256, key);
		c->dec_fn = (nettle_cipher_func *)aes256_decrypt;
		break;
	default:
		return xe2e_err_set(err, XE2E_EUNSUPPORTED, "cipher %s: bad key size", alg->name);
	}
	return 0;
}

int xe2e_cipher_final(struct xe2e_cipher *c, struct xe2e_err *err)
{
	size_t bs = c->alg->block_size, i;
	uint8_t out[16], pad, bad;
	int rc;

	if (!c->decrypt) {
		/* RFC 5652 §6.3: always 1..bs bytes of value k */
		pad = (uint8_t)(bs - c->npend);
		memset(c->pend + c->npend, pad, pad);
		enc_blocks(c, out, c->pend, bs);
		rc = xe2e_sink_write(c->next, out, bs, err);
		gnutls_memset(out, 0, sizeof(out));
		return rc;
	}
	c->pad_ok = 0;
	if (c->npend != bs)
		return 0;
	dec_blocks(c, out, c->pend, bs);
	pad = out[bs - 1];
	bad = (uint8_t)((pad == 0) | (pad > bs));
	for (i = 0; i < bs; i++) {
		/* i >= bs - pad: must equal pad (evaluated for every i) */
		uint8_t in_pad = (uint8_t)(i + pad >= bs);

		bad |= (uint8_t)(in_pad & (out[i] != pad));
	}
	c->pad_ok = !bad;
	rc = c->pad_ok ? xe2e_sink_write(c->next, out, bs - pad, err) : 0;
	gnutls_memset(out, 0, sizeof(out));
	return rc;
}

void xe2e_cipher_wipe(struct xe2e_cipher *c)
{
	gnutls_memset(&c->k, 0, sizeof(c->k));
	gnutls_memset(c->iv, 0, sizeof(c->iv));
	gnutls_memset(c->pend, 0, sizeof(c->pend));
	/* only what was used: work[] is 256 KiB and a stanza uses a few */
	gnutls_memset(c->work, 0, c->work_used < sizeof(c->work) ? c->work_used : sizeof(c->work));
	c->work_used = 0;
}
