/*
 * layer.h - the record of one protection layer: what it was, how it was
 * framed, what protected it and what was checked.  The receive walk
 * (recv.h) leaves one per layer it peels, the send list (send.h) one per
 * layer it applies; every command's summary, --json and inspect print
 * these records (report.h) and nothing else.
 *
 * Not here: how layers are found or made.
 */
#ifndef XE2E_LAYER_H
#define XE2E_LAYER_H

#include <time.h>
#include "buf.h"
#include "crypto.h"
#include "info.h"
#include "limits.h"
#include "pki.h"

enum xe2e_layer_type {
	XE2E_LAYER_SIGNED,       /* SignedData with signers */
	XE2E_LAYER_CERTS_ONLY,   /* SignedData without signers (RFC 3851 §3.6) */
	XE2E_LAYER_ENVELOPED,    /* EnvelopedData */
	XE2E_LAYER_UNOPENED      /* a layer left as it is (no key, no trust anchor) */
};

/* One SignerInfo and its verdict. */
struct xe2e_signer {
	struct xe2e_buf subject;       /* RFC 4514 subject of the signer certificate */
	struct xe2e_buf names;         /* its names, "kind:value" lines (cert.h) */
	struct xe2e_path path;         /* that path (borrowed from the layer's certs
					  and crls and the context) */
	struct xe2e_buf unknown_attrs; /* OIDs of signed attributes not understood */
	int has_signing_time;
	time_t signing_time;           /* claimed; never used for validation */
	const struct xe2e_digest *digest;
	char sigalg[64];
};

/* One RecipientInfo (RFC 5652 §6.2), whatever its kind. */
struct xe2e_recipient {
	char kind[8];                  /* ktri, kari, kekri, pwri, ori */
	char id[200];                  /* "issuer 'DN' serial HEX", "key id HEX", or "" */
	char alg[64];                  /* key encryption (or agreement) algorithm */
	int usable;                    /* a kind and algorithm we can open */
	int used;                      /* the one the content key came from */
};

struct xe2e_layer {
	enum xe2e_layer_type type;
	char framing[80];              /* "multipart/signed", "application/pkcs7-mime;
					  smime-type=signed-data", "PEM", "DER", "BER" */
	char content_type[64];         /* the protected content's type (OID) */
	int detached;                  /* signed: the content came beside it */
	int also_detached;             /* encapsulated and also given beside it */
	size_t n_signers;
	struct xe2e_signer signers[XE2E_MAX_SIGNERS];
	struct xe2e_certs certs;       /* certificates the layer brought */
	struct xe2e_crls crls;         /* its current CRLs */
	char cipher[32];               /* enveloped: content encryption algorithm */
	size_t n_recipients;
	struct xe2e_recipient *recipients;
	char note[XE2E_ERR_MSG_MAX];   /* unopened: why */
	/* enveloped: the content encryption parameters (RFC 3370 §5.2, RFC
	 * 3565 §4.1) and the size of the encrypted content when only
	 * described (no key: inspect) */
	unsigned char iv[16];
	size_t iv_len;
	unsigned rc2_bits;             /* RC2 effective key bits, or 0 */
	unsigned long long enc_len;
	int version;                   /* the CMS structure's version */
	struct xe2e_info *info;        /* inspect: what it shows (info.h), or NULL */
};

/* A new empty layer record (caller frees with xe2e_layer_free). */
struct xe2e_layer *xe2e_layer_new(enum xe2e_layer_type type);
void xe2e_layer_free(struct xe2e_layer *l);

/* The records of one run, outermost layer first. */
struct xe2e_report {
	size_t n;
	struct xe2e_layer *layers[XE2E_MAX_LAYERS];
};

void xe2e_report_init(struct xe2e_report *r);
void xe2e_report_release(struct xe2e_report *r);
/* Take over l (freed on failure too). */
int xe2e_report_add(struct xe2e_report *r, struct xe2e_layer *l, struct xe2e_err *err);

#endif
