/*
 * crypto.c - algorithm tables, digests (Nettle), RNG (GnuTLS).
 * RFC 3370 §2-§3 (MD5, SHA-1, DSA, RSA), RFC 5754 (SHA-2 in CMS),
 * RFC 5751 §3.4.3.2 / RFC 3851 §3.4.3.2 (micalg names).
 */
#include "crypto.h"

#include <nettle/md5.h>
#include <nettle/sha1.h>
#include <nettle/sha2.h>
#include <strings.h>
#include <string.h>

static const struct xe2e_digest digests[] = {
	{ "md5", "md5", "md5", "1.2.840.113549.2.5", &nettle_md5, GNUTLS_DIG_MD5, 0 },
	{ "sha1", "sha-1", "sha1", "1.3.14.3.2.26", &nettle_sha1, GNUTLS_DIG_SHA1, 1 },
	{ "sha224", "sha-224", "sha224", "2.16.840.1.101.3.4.2.4", &nettle_sha224,
	  GNUTLS_DIG_SHA224, 1 },
	{ "sha256", "sha-256", "sha256", "2.16.840.1.101.3.4.2.1", &nettle_sha256,
	  GNUTLS_DIG_SHA256, 1 },
	{ "sha384", "sha-384", "sha384", "2.16.840.1.101.3.4.2.2", &nettle_sha384,
	  GNUTLS_DIG_SHA384, 1 },
	{ "sha512", "sha-512", "sha512", "2.16.840.1.101.3.4.2.3", &nettle_sha512,
	  GNUTLS_DIG_SHA512, 1 },
};
#define N_DIGESTS (sizeof(digests) / sizeof(digests[0]))

const struct xe2e_digest *xe2e_digest_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < N_DIGESTS; i++)
		if (!strcasecmp(name, digests[i].name) ||
		    !strcasecmp(name, digests[i].micalg))
			return &digests[i];
	return NULL;
}

const struct xe2e_digest *xe2e_digest_by_oid(const char *oid)
{
	size_t i;

	for (i = 0; i < N_DIGESTS; i++)
		if (!strcmp(oid, digests[i].oid))
			return &digests[i];
	return NULL;
}

/* RFC 3851 §3.4.3.2 and RFC 5751: accept both spellings, any case. */
const struct xe2e_digest *xe2e_digest_by_micalg(const char *micalg)
{
	size_t i;

	for (i = 0; i < N_DIGESTS; i++)
		if (!strcasecmp(micalg, digests[i].micalg) ||
		    !strcasecmp(micalg, digests[i].micalg_old))
			return &digests[i];
	return NULL;
}

void xe2e_digest(const struct xe2e_digest *d, const void *p, size_t len,
		 unsigned char *out)
{
	union {
		struct md5_ctx md5;
		struct sha1_ctx sha1;
		struct sha256_ctx sha256;
		struct sha512_ctx sha512;
	} ctx;

	d->hash->init(&ctx);
	d->hash->update(&ctx, len, p);
	d->hash->digest(&ctx, d->hash->digest_size, out);
}

struct sigalg {
	const char *oid;
	const char *name;
	gnutls_pk_algorithm_t pk;
	const char *digest;      /* implied digest name, or NULL */
};

static const struct sigalg sigalgs[] = {
	{ "1.2.840.113549.1.1.1", "rsaEncryption", GNUTLS_PK_RSA, NULL },
	{ "1.2.840.113549.1.1.4", "md5WithRSAEncryption", GNUTLS_PK_RSA, "md5" },
	{ "1.2.840.113549.1.1.5", "sha1WithRSAEncryption", GNUTLS_PK_RSA, "sha1" },
	{ "1.2.840.113549.1.1.14", "sha224WithRSAEncryption", GNUTLS_PK_RSA, "sha224" },
	{ "1.2.840.113549.1.1.11", "sha256WithRSAEncryption", GNUTLS_PK_RSA, "sha256" },
	{ "1.2.840.113549.1.1.12", "sha384WithRSAEncryption", GNUTLS_PK_RSA, "sha384" },
	{ "1.2.840.113549.1.1.13", "sha512WithRSAEncryption", GNUTLS_PK_RSA, "sha512" },
	{ "1.2.840.10040.4.1", "id-dsa", GNUTLS_PK_DSA, NULL },
	{ "1.2.840.10040.4.3", "id-dsa-with-sha1", GNUTLS_PK_DSA, "sha1" },
	{ "2.16.840.1.101.3.4.3.1", "dsa-with-sha224", GNUTLS_PK_DSA, "sha224" },
	{ "2.16.840.1.101.3.4.3.2", "dsa-with-sha256", GNUTLS_PK_DSA, "sha256" },
};
#define N_SIGALGS (sizeof(sigalgs) / sizeof(sigalgs[0]))

int xe2e_sigalg_by_oid(const char *oid, gnutls_pk_algorithm_t *pk,
		       const struct xe2e_digest **implied, struct xe2e_err *err)
{
	size_t i;

	for (i = 0; i < N_SIGALGS; i++) {
		if (strcmp(oid, sigalgs[i].oid))
			continue;
		*pk = sigalgs[i].pk;
		*implied = sigalgs[i].digest ? xe2e_digest_by_name(sigalgs[i].digest)
					     : NULL;
		return 0;
	}
	return xe2e_err_set(err, XE2E_EUNSUPPORTED,
			    "unsupported signature algorithm '%s'", oid);
}

const char *xe2e_sigalg_oid(gnutls_pk_algorithm_t pk,
			    const struct xe2e_digest *d, int *null_params)
{
	size_t i;

	*null_params = 0;
	if (pk == GNUTLS_PK_RSA) {
		/* RFC 3370 §3.2: rsaEncryption with NULL parameters, as OpenSSL. */
		*null_params = 1;
		return "1.2.840.113549.1.1.1";
	}
	if (pk != GNUTLS_PK_DSA)
		return NULL;
	for (i = 0; i < N_SIGALGS; i++)
		if (sigalgs[i].pk == GNUTLS_PK_DSA && sigalgs[i].digest &&
		    !strcmp(sigalgs[i].digest, d->name))
			return sigalgs[i].oid;
	return NULL;
}

/* Names of other OIDs that messages and reports show. */
static const char *const names[][2] = {
	{ "1.2.840.113549.1.7.1", "id-data" },
	{ "1.2.840.113549.1.7.2", "id-signedData" },
	{ "1.2.840.113549.1.7.3", "id-envelopedData" },
	{ "1.2.840.113549.1.9.16.1.23", "id-ct-authEnvelopedData" },
	{ "1.2.840.113549.1.9.16.1.9", "id-ct-compressedData" },
	{ "1.2.840.113549.1.9.3", "contentType" },
	{ "1.2.840.113549.1.9.4", "messageDigest" },
	{ "1.2.840.113549.1.9.5", "signingTime" },
	{ "1.2.840.113549.1.9.6", "countersignature" },
	{ "1.2.840.113549.1.9.15", "sMIMECapabilities" },
	{ "1.2.840.113549.1.9.16.2.11", "sMIMEEncryptionKeyPreference" },
	{ "1.2.840.113549.1.9.16.2.12", "signingCertificate" },
	{ "1.2.840.113549.1.9.16.2.47", "signingCertificateV2" },
	{ "1.2.840.113549.1.1.7", "RSAES-OAEP" },
	{ "1.2.840.113549.1.1.10", "RSASSA-PSS" },
	{ "1.2.840.10045.2.1", "id-ecPublicKey" },
	{ "1.2.840.10046.2.1", "dhpublicnumber (X9.42 DH)" },
	{ "1.3.101.110", "X25519" },
	{ "1.3.101.111", "X448" },
	{ "1.3.101.112", "Ed25519" },
	{ "1.3.101.113", "Ed448" },
	{ "2.16.840.1.101.3.4.1.2", "aes128-CBC" },
	{ "2.16.840.1.101.3.4.1.22", "aes192-CBC" },
	{ "2.16.840.1.101.3.4.1.42", "aes256-CBC" },
	{ "2.16.840.1.101.3.4.1.6", "aes128-GCM" },
	{ "2.16.840.1.101.3.4.1.46", "aes256-GCM" },
	{ "1.2.840.113549.3.7", "des-ede3-cbc" },
	{ "1.2.840.113549.3.2", "rc2-cbc" },
};

const char *xe2e_oid_name(const char *oid)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(oid, names[i][0]))
			return names[i][1];

	for (i = 0; i < N_SIGALGS; i++)
		if (!strcmp(oid, sigalgs[i].oid))
			return sigalgs[i].name;
	for (i = 0; i < N_DIGESTS; i++)
		if (!strcmp(oid, digests[i].oid))
			return digests[i].name;
	return oid;
}
