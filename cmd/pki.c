/*
 * pki.c - `xe2e pki init DIR`: a test PKI with XMPP-ready certificates.
 * Options here; the certificates are lib/pkigen.c.
 */
#include "common.h"
#include "../lib/datetime.h"
#include "../lib/pkigen.h"
#include "../lib/text.h"
#include "../lib/x400.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const usage[] = {
	"usage: xe2e pki init DIR [--user ADDR]... [--split] [--dsa] [--x400 ORADDR]...",
	"                [--expired] [--revoked] [--bits 2048|3072|4096] [--days N]",
	"                [--now TIME] [--fixture-seed HEX] [--force] [--json] [--quiet]",
	"",
	"Create a throw-away test PKI in DIR: a root CA, an intermediate, and for every",
	"--user an end entity naming it as id-on-xmppAddr, im: and pres: URIs and",
	"rfc822Name (keyUsage digitalSignature, nonRepudiation, keyEncipherment; EKU",
	"emailProtection), plus the CRLs.  Lists the files written on standard output.",
	"Without --user: juliet@example.com and romeo@example.net.",
	"",
	"      --user ADDR      an identity (e-mail address and bare JID; repeatable)",
	"      --split          also ADDR-sign (signing only) and ADDR-enc (encryption only)",
	"      --dsa            also ADDR-dsa, a DSA-2048 signing certificate",
	"      --x400 ORADDR    also x400-N, whose subjectAltName is this x400Address,",
	"                       e.g. 'C=GB;ADMD= ;PRMD=Acme;O=Acme;S=Smith;G=John'",
	"                       (repeatable)",
	"      --expired        also expired, for the first --user, expired 30 days ago",
	"      --revoked        also revoked, for the first --user, listed in crl.pem",
	"      --bits N         RSA key size: 2048 (default), 3072 or 4096",
	"      --days N         validity in days from now (default 3650)",
	"      --now TIME       \"now\" for validity and CRL times (RFC 3339), not the clock",
	"      --fixture-seed HEX  tests only: keys and serial numbers from a generator",
	"                       seeded by HEX; with --now the same bytes every run",
	"      --force          replace a PKI already in DIR",
	"      --json           list the files as one JSON object",
	"  -q, --quiet          no listing",
	"  -h, --help           show this help",
	"  -V, --version        show the version",
	NULL
};

enum { O_USER = CMD_O_FIRST_OWN, O_SPLIT, O_DSA, O_X400, O_EXPIRED, O_REVOKED, O_BITS, O_DAYS,
       O_NOW, O_FORCE };

static const struct option options[] = {
	{ "json", no_argument, NULL, CMD_O_JSON },
	{ "quiet", no_argument, NULL, CMD_O_QUIET },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, CMD_O_VERSION },
	CMD_OPT_FIXTURE,
	{ "user", required_argument, NULL, O_USER },
	{ "split", no_argument, NULL, O_SPLIT },
	{ "dsa", no_argument, NULL, O_DSA },
	{ "x400", required_argument, NULL, O_X400 },
	{ "expired", no_argument, NULL, O_EXPIRED },
	{ "revoked", no_argument, NULL, O_REVOKED },
	{ "bits", required_argument, NULL, O_BITS },
	{ "days", required_argument, NULL, O_DAYS },
	{ "now", required_argument, NULL, O_NOW },
	{ "force", no_argument, NULL, O_FORCE },
	{ NULL, 0, NULL, 0 }
};

struct pki_opts {
	const char *users[XE2E_PKIGEN_MAX_IDS], *x400[XE2E_PKIGEN_MAX_IDS];
	int n_users, n_x400, force;
	struct xe2e_pkigen_opts g;
};

static int number(unsigned *out, const char *opt, const char *arg, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || *end || errno || v < 1 || v > max)
		return cmd_usage_error("pki", "%s takes a number from 1 to %ld, not '%s'", opt, max, arg);
	*out = (unsigned)v;
	return 0;
}

static int own(int c, const char *arg, void *data)
{
	struct pki_opts *o = data;
	struct xe2e_err e;

	switch (c) {
	case O_USER:
		if (o->n_users == XE2E_PKIGEN_MAX_IDS)
			return cmd_usage_error("pki", "more than %d --user", XE2E_PKIGEN_MAX_IDS);
		o->users[o->n_users++] = arg;
		return 0;
	case O_X400:
		if (o->n_x400 == XE2E_PKIGEN_MAX_IDS)
			return cmd_usage_error("pki", "more than %d --x400", XE2E_PKIGEN_MAX_IDS);
		o->x400[o->n_x400++] = arg;
		return cmd_x400_address("pki", "--x400", arg);
	case O_SPLIT: o->g.split = 1; return 0;
	case O_DSA: o->g.dsa = 1; return 0;
	case O_EXPIRED: o->g.expired = 1; return 0;
	case O_REVOKED: o->g.revoked = 1; return 0;
	case O_FORCE: o->force = 1; return 0;
	case O_BITS:
		if (number(&o->g.bits, "--bits", arg, 4096))
			return XE2E_EUSAGE;
		if (o->g.bits != 2048 && o->g.bits != 3072 && o->g.bits != 4096)
			return cmd_usage_error("pki", "--bits takes 2048, 3072 or 4096, not '%s'", arg);
		return 0;
	case O_DAYS: return number(&o->g.days, "--days", arg, XE2E_PKIGEN_MAX_DAYS);
	case O_NOW:
		if (xe2e_time_parse_rfc3339(&o->g.now, arg, &e))
			return cmd_usage_error("pki", "%s", e.msg);
		if (o->g.now <= 0)
			return cmd_usage_error("pki", "--now must be after 1970");
		return 0;
	}
	return -1;
}

static int listing(const struct cmd_common *cc, const char *dir, const struct xe2e_pkigen *g,
		   int seeded, struct xe2e_err *err)
{
	struct xe2e_buf out = XE2E_BUF_INIT;
	struct xe2e_json j;
	size_t i;
	int rc = 0;

	if (cc->json) {
		xe2e_json_init(&j, &out);
		xe2e_json_object(&j);
		xe2e_json_key(&j, "command");
		xe2e_json_str(&j, "pki");
		xe2e_json_key(&j, "dir");
		xe2e_json_str(&j, dir);
		xe2e_json_key(&j, "reproducible");
		xe2e_json_bool(&j, seeded);
		if (seeded) {
			xe2e_json_key(&j, "fixture_seed");
			xe2e_json_str(&j, CMD_FIXTURE_WARNING);
		}
		xe2e_json_key(&j, "files");
		xe2e_json_array(&j);
		for (i = 0; i < g->n; i++) {
			xe2e_json_object(&j);
			xe2e_json_key(&j, "file");
			xe2e_json_str(&j, g->v[i].name);
			xe2e_json_key(&j, "what");
			xe2e_json_str(&j, g->v[i].what);
			xe2e_json_key(&j, "secret");
			xe2e_json_bool(&j, g->v[i].secret);
			xe2e_json_close(&j);
		}
		xe2e_json_close(&j);
		xe2e_json_close(&j);
		rc = xe2e_json_end(&j, err);
		if (!rc)
			rc = xe2e_buf_addc(&out, '\n', err);
	} else if (!cc->quiet) {
		char what[sizeof(g->v[0].what) * 4];

		/* --x400 text is in `what`: escaped, one line per file */
		for (i = 0; !rc && i < g->n; i++) {
			xe2e_text_escape(what, sizeof(what), (const unsigned char *)g->v[i].what,
					 strlen(g->v[i].what));
			rc = xe2e_buf_addf(&out, err, "%-28s %s\n", g->v[i].name, what);
		}
	}
	if (!rc && out.len)
		rc = xe2e_io_write_fd(STDOUT_FILENO, out.data, out.len, err);
	xe2e_buf_release(&out);
	return rc;
}

int cmd_pki(int argc, char **argv)
{
	static const char *const default_users[] = { "juliet@example.com", "romeo@example.net" };
	struct cmd_common cc;
	struct pki_opts o;
	struct xe2e_pkigen g;
	struct xe2e_ctx ctx;
	struct xe2e_err err;
	int rc;

	cmd_common_init(&cc, "pki", usage);
	memset(&o, 0, sizeof(o));
	o.g.bits = 2048;
	o.g.days = 3650;
	rc = cmd_parse(&cc, argc, argv, options, own, &o);
	if (rc || cc.done)
		return rc ? rc : (fflush(stdout) ? XE2E_EIO : 0);
	if (cc.n_in == 0)
		return cmd_usage_error("pki", "an action is needed: init DIR");
	if (strcmp(cc.in[0], "init"))
		return cmd_usage_error("pki", "unknown action '%s' (there is: init)", cc.in[0]);
	if (cc.n_in != 2)
		return cmd_usage_error("pki", "init takes one directory");
	o.g.users = o.n_users ? o.users : default_users;
	o.g.n_users = o.n_users ? (size_t)o.n_users : 2;
	o.g.x400 = o.x400;
	o.g.n_x400 = (size_t)o.n_x400;
	if (!o.n_users && (o.g.expired || o.g.revoked || o.g.split || o.g.dsa))
		o.g.users = default_users;   /* they apply to the default users too */
	xe2e_err_clear(&err);
	xe2e_ctx_init(&ctx);
	cmd_fixture(&cc, &ctx);
	rc = xe2e_pkigen_make(&g, &ctx, &o.g, &err);
	if (!rc)
		rc = xe2e_pkigen_write(&g, cc.in[1], o.force, &err);
	if (!rc)
		rc = listing(&cc, cc.in[1], &g, cc.have_seed, &err);
	xe2e_pkigen_release(&g);
	cmd_fixture_release(&ctx);
	xe2e_ctx_release(&ctx);
	if (rc) {
		cc.json = 0;   /* the error goes to stderr as one line */
		return cmd_report(&cc, rc, &err, NULL, NULL, stderr, NULL, NULL, NULL);
	}
	return fflush(stdout) ? XE2E_EIO : 0;
}
