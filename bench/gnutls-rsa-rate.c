/* bench/gnutls-rsa-rate.c - the raw GnuTLS private-key operation rates that
 * bench/xmpp-stream.sh divides by: RSA sign (gnutls_privkey_sign_data, SHA-256,
 * PKCS#1 v1.5, over a 32-octet input) and RSA decrypt (gnutls_privkey_decrypt_data2
 * of a 16-octet key encrypted to the same key pair, as a CMS KeyTransRecipientInfo
 * carries an AES-128 key).
 *
 * Usage: gnutls-rsa-rate sign|decrypt KEY.pem CERT.pem [ROUNDS [MS]]
 * Runs ROUNDS (default 5) rounds of at least MS milliseconds (default 500) each and
 * prints the median rate in operations per second on one line: wall-clock rate, then
 * the rate per second of CPU time this process used ("sign 423.1 431.0"; on a loaded
 * machine the second is the steadier one).
 * Not a test: exit 1 only when it cannot run. */
#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}
#define now_s() clock_s(CLOCK_MONOTONIC)
#define cpu_s() clock_s(CLOCK_PROCESS_CPUTIME_ID)

static int load(const char *path, gnutls_datum_t *d)
{
	return gnutls_load_file(path, d) < 0 ? -1 : 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	gnutls_datum_t kd, cd, in = { 0 }, ct = { 0 }, sig;
	gnutls_privkey_t key;
	gnutls_pubkey_t pub;
	gnutls_x509_crt_t crt;
	unsigned char msg[32], cek[16], out[16];
	int rounds = 5, ms = 500, sign, r, i;
	double rate[64], crate[64];

	if (argc < 4 || (strcmp(argv[1], "sign") && strcmp(argv[1], "decrypt"))) {
		fprintf(stderr, "usage: %s sign|decrypt KEY CERT [ROUNDS [MS]]\n", argv[0]);
		return 1;
	}
	sign = !strcmp(argv[1], "sign");
	if (argc > 4) rounds = atoi(argv[4]);
	if (argc > 5) ms = atoi(argv[5]);
	if (rounds < 1 || rounds > 64 || ms < 1) return 1;
	memset(msg, 0x5a, sizeof msg);
	memset(cek, 0xa5, sizeof cek);
	if (gnutls_global_init() < 0 || load(argv[2], &kd) || load(argv[3], &cd)) {
		fprintf(stderr, "cannot load %s / %s\n", argv[2], argv[3]);
		return 1;
	}
	if (gnutls_privkey_init(&key) < 0 ||
	    gnutls_privkey_import_x509_raw(key, &kd, GNUTLS_X509_FMT_PEM, NULL, 0) < 0 ||
	    gnutls_x509_crt_init(&crt) < 0 ||
	    gnutls_x509_crt_import(crt, &cd, GNUTLS_X509_FMT_PEM) < 0 ||
	    gnutls_pubkey_init(&pub) < 0 || gnutls_pubkey_import_x509(pub, crt, 0) < 0) {
		fprintf(stderr, "cannot import the key or certificate\n");
		return 1;
	}
	in.data = sign ? msg : cek;
	in.size = sign ? sizeof msg : sizeof cek;
	if (!sign && gnutls_pubkey_encrypt_data(pub, 0, &in, &ct) < 0) {
		fprintf(stderr, "cannot encrypt to the certificate\n");
		return 1;
	}
	for (r = 0; r < rounds; r++) {
		double t0 = now_s(), c0 = cpu_s(), t;
		long n = 0;
		do {
			for (i = 0; i < 10; i++, n++) {
				if (sign) {
					if (gnutls_privkey_sign_data(key, GNUTLS_DIG_SHA256, 0, &in, &sig) < 0)
						return fprintf(stderr, "sign failed\n"), 1;
					gnutls_free(sig.data);
				} else if (gnutls_privkey_decrypt_data2(key, 0, &ct, out, sizeof out) < 0 ||
					   memcmp(out, cek, sizeof out))
					return fprintf(stderr, "decrypt failed\n"), 1;
			}
			t = now_s() - t0;
		} while (t * 1000 < ms);
		rate[r] = n / t;
		crate[r] = n / (cpu_s() - c0);
	}
	qsort(rate, rounds, sizeof rate[0], cmp_double);
	qsort(crate, rounds, sizeof crate[0], cmp_double);
	printf("%s %.1f %.1f\n", argv[1],
	       rounds % 2 ? rate[rounds / 2] : (rate[rounds / 2 - 1] + rate[rounds / 2]) / 2,
	       rounds % 2 ? crate[rounds / 2] : (crate[rounds / 2 - 1] + crate[rounds / 2]) / 2);
	return 0;
}
