/* bench/nettle-aes-cbc.c - raw AES-128-CBC encryption speed of Nettle on this machine:
 * the ceiling for any Nettle-based encryptor (xe2e encrypt uses cbc_aes128_encrypt).
 *
 * Build and run (bench/bench-encrypt-decrypt.sh does this on the fly):
 *     cc -O2 -o nettle-aes-cbc bench/nettle-aes-cbc.c $(pkg-config --cflags --libs nettle)
 *     ./nettle-aes-cbc [MiB [ROUNDS]]      (default 64 MiB, 5 rounds)
 * Encrypts a MiB-sized buffer in place ROUNDS times, chaining the IV, and prints the best
 * and the median round as MB/s (10^6 bytes per second) on one line:
 *     nettle cbc_aes128_encrypt: best N MB/s, median N MB/s (64 MiB x 5)
 * With -m it prints only the median figure (for scripts).
 */
#include <nettle/aes.h>
#include <nettle/cbc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef cbc_aes128_encrypt
#define HAVE_CBC_AES128 0
#else
#define HAVE_CBC_AES128 1
#endif

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int machine = 0, i, rounds = 5;
	size_t mib = 64, len;
	uint8_t key[16], iv[16], *buf;
	struct aes128_ctx ctx;
	double *mbs, t0, t1;

	if (argc > 1 && strcmp(argv[1], "-m") == 0) {
		machine = 1;
		argv++;
		argc--;
	}
	if (argc > 1)
		mib = strtoul(argv[1], NULL, 10);
	if (argc > 2)
		rounds = atoi(argv[2]);
	if (mib < 1 || rounds < 1) {
		fprintf(stderr, "usage: nettle-aes-cbc [-m] [MiB [ROUNDS]]\n");
		return 1;
	}
	len = mib << 20;
	buf = malloc(len);
	mbs = calloc(rounds, sizeof *mbs);
	if (!buf || !mbs) {
		fprintf(stderr, "nettle-aes-cbc: out of memory\n");
		return 1;
	}
	for (i = 0; i < 16; i++)
		key[i] = (uint8_t)(i * 7 + 1), iv[i] = (uint8_t)(i * 13 + 5);
	memset(buf, 'x', len);
	aes128_set_encrypt_key(&ctx, key);
	for (i = 0; i < rounds; i++) {
		t0 = now();
#if HAVE_CBC_AES128
		cbc_aes128_encrypt(&ctx, iv, len, buf, buf);
#else
		cbc_encrypt(&ctx, (nettle_cipher_func *)aes128_encrypt, AES_BLOCK_SIZE, iv, len, buf, buf);
#endif
		t1 = now();
		mbs[i] = len / (t1 - t0) / 1e6;
	}
	qsort(mbs, rounds, sizeof *mbs, cmp_double);
	/* keep the result observable so the work cannot be optimised away */
	if (buf[len - 1] == 0 && buf[0] == 0)
		fputc(' ', stderr);
	if (machine)
		printf("%.0f\n", mbs[rounds / 2]);
	else
		printf("nettle %s: best %.0f MB/s, median %.0f MB/s (%zu MiB x %d)\n",
		       HAVE_CBC_AES128 ? "cbc_aes128_encrypt" : "cbc_encrypt(aes128)",
		       mbs[rounds - 1], mbs[rounds / 2], mib, rounds);
	free(buf);
	free(mbs);
	return 0;
}
