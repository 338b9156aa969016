/*
 * xe2e.c - the multi-call binary: `xe2e NAME ARGS…` or a link named
 * `xe2e-NAME`.  Holds the sorted command table and the dispatch.
 */
#include "common.h"

#include <string.h>

/* Sorted by name (a unit test checks); every entry has man/xe2e-NAME.1. */
const struct xe2e_cmd xe2e_commands[] = {
	{ "cert-check", cmd_cert_check, "check a certificate for a purpose and a name" },
	{ "decrypt", cmd_decrypt, "decrypt an S/MIME enveloped-data message" },
	{ "encrypt", cmd_encrypt, "encrypt a MIME entity for recipients (S/MIME EnvelopedData)" },
	{ "inspect", cmd_inspect, "show what a stanza, MIME entity or CMS object is, layer by layer" },
	{ "pki", cmd_pki, "create a test PKI with XMPP-ready certificates" },
	{ "sign", cmd_sign, "sign a MIME entity (S/MIME SignedData)" },
	{ "unwrap", cmd_unwrap, "decrypt and verify XMPP stanzas protected per RFC 3923" },
	{ "verify", cmd_verify, "verify an S/MIME or CMS signed message" },
	{ "wrap", cmd_wrap, "sign and encrypt XMPP stanzas end to end (RFC 3923)" },
};
const size_t xe2e_n_commands = sizeof(xe2e_commands) / sizeof(xe2e_commands[0]);

static const struct xe2e_cmd *find(const char *name)
{
	size_t i;

	for (i = 0; i < xe2e_n_commands; i++)
		if (!strcmp(name, xe2e_commands[i].name))
			return &xe2e_commands[i];
	return NULL;
}

static void overview(FILE *f)
{
	size_t i;

	fprintf(f, "usage: xe2e COMMAND [OPTIONS]   (or a link named xe2e-COMMAND)\n"
		   "       xe2e COMMAND --help\n"
		   "       xe2e --version | -V\n\n"
		   "S/MIME (CMS) signing and encryption for XMPP stanzas and MIME content.\n\n"
		   "commands:\n");
	for (i = 0; i < xe2e_n_commands; i++)
		fprintf(f, "  %-12s %s\n", xe2e_commands[i].name, xe2e_commands[i].summary);
	fprintf(f, "\nexit status: 0 ok, 1 usage, 2 malformed input, 3 timestamp,"
		   " 4 signature,\n  5 decryption, 6 certificate, 7 name mismatch,"
		   " 8 I/O, 9 unsupported\n");
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/');
	const struct xe2e_cmd *c;

	base = base ? base + 1 : argv[0];
	if (!strncmp(base, "xe2e-", 5)) {
		c = find(base + 5);
		if (!c) {
			fprintf(stderr, "xe2e: unknown command '%s'\n", base + 5);
			return XE2E_EUSAGE;
		}
		return c->fn(argc, argv);
	}
	if (argc < 2) {
		overview(stderr);
		return XE2E_EUSAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		if (argc > 2 && (c = find(argv[2])) != NULL) {
			char help[] = "--help";
			char *av[] = { argv[2], help, NULL };

			return c->fn(2, av);
		}
		overview(stdout);
		return fflush(stdout) ? XE2E_EIO : 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		cmd_version();
		return fflush(stdout) ? XE2E_EIO : 0;
	}
	c = find(argv[1]);
	if (!c) {
		fprintf(stderr, "xe2e: unknown command '%s' (see 'xe2e --help')\n", argv[1]);
		return XE2E_EUSAGE;
	}
	return c->fn(argc - 1, argv + 1);
}
