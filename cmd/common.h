/*
 * common.h - what every subcommand shares: the command table entry type,
 * the options every command takes in the same way (input, output, --json,
 * --quiet, the trust and validation options, the passphrase), building the
 * context from them, and reporting (one line on stderr, the summary, or
 * JSON -- all from the layer records).
 * Only cmd/ talks to the user; lib/ returns error values and records.
 */
#ifndef XE2E_CMD_COMMON_H
#define XE2E_CMD_COMMON_H

#include <getopt.h>
#include <stdio.h>
#include <time.h>
#include <gnutls/abstract.h>
#include "../lib/buf.h"
#include "../lib/ctx.h"
#include "../lib/err.h"
#include "../lib/fixture.h"
#include "../lib/io.h"
#include "../lib/json.h"
#include "../lib/layer.h"
#include "../lib/output.h"
#include "../lib/send.h"
#include "../lib/stream.h"
#include "../lib/store.h"

struct xe2e_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/* The sorted command table (cmd/xe2e.c). */
extern const struct xe2e_cmd xe2e_commands[];
extern const size_t xe2e_n_commands;

int cmd_cert_check(int argc, char **argv);
int cmd_decrypt(int argc, char **argv);
int cmd_encrypt(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_unwrap(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_inspect(int argc, char **argv);
int cmd_pki(int argc, char **argv);
int cmd_wrap(int argc, char **argv);

/* Codes of the shared options (a command's table lists the ones it takes,
 * with the CMD_OPTS_* macros, and its usage text documents them). */
enum {
	CMD_O_VERSION = 'V', CMD_O_QUIET = 'q', CMD_O_IN = 'i', CMD_O_OUT = 'o',
	CMD_O_JSON = 1000, CMD_O_CA, CMD_O_CRL, CMD_O_UNTRUSTED, CMD_O_STORE, CMD_O_CACHE,
	CMD_O_AT, CMD_O_CRLCHECK, CMD_O_POLICY, CMD_O_PASS_FD, CMD_O_PASS_FILE, CMD_O_LF,
	CMD_O_MAXDEPTH, CMD_O_X400_TYPE, CMD_O_INNER, CMD_O_MIME, CMD_O_X400_ORIG,
	CMD_O_X400_CONTENT, CMD_O_SEED, CMD_O_POLICY_OID, CMD_O_EXPLICIT_POLICY,
	CMD_O_INHIBIT_MAPPING, CMD_O_INHIBIT_ANY,
	CMD_O_FIRST_OWN = 1100      /* a command's own codes start here */
};

#define CMD_SHORTOPTS ":hVqi:o:"

#define CMD_OPTS_BASIC \
	{ "in", required_argument, NULL, CMD_O_IN }, \
	{ "out", required_argument, NULL, CMD_O_OUT }, \
	{ "json", no_argument, NULL, CMD_O_JSON }, \
	{ "quiet", no_argument, NULL, CMD_O_QUIET }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, CMD_O_VERSION }

#define CMD_OPTS_TRUST \
	{ "ca", required_argument, NULL, CMD_O_CA }, \
	{ "crl", required_argument, NULL, CMD_O_CRL }, \
	{ "untrusted", required_argument, NULL, CMD_O_UNTRUSTED }, \
	{ "certfile", required_argument, NULL, CMD_O_UNTRUSTED }, \
	{ "store", required_argument, NULL, CMD_O_STORE }, \
	{ "at", required_argument, NULL, CMD_O_AT }, \
	{ "crl-check", required_argument, NULL, CMD_O_CRLCHECK }, \
	{ "policy", required_argument, NULL, CMD_O_POLICY }, \
	{ "policy-oid", required_argument, NULL, CMD_O_POLICY_OID }, \
	{ "explicit-policy", no_argument, NULL, CMD_O_EXPLICIT_POLICY }, \
	{ "inhibit-policy-mapping", no_argument, NULL, CMD_O_INHIBIT_MAPPING }, \
	{ "inhibit-any-policy", no_argument, NULL, CMD_O_INHIBIT_ANY }

/* --help lines for the certificate policy options of CMD_OPTS_TRUST */
#define CMD_USAGE_POLICY_INPUTS \
	"      --policy-oid OID a certificate policy the path must allow (repeatable;", \
	"                       default anyPolicy; RFC 5280 user-initial-policy-set)", \
	"      --explicit-policy          the path must assert an acceptable policy", \
	"      --inhibit-policy-mapping   policy mappings in the path are not followed", \
	"      --inhibit-any-policy       anyPolicy in a certificate matches nothing"

#define CMD_OPT_CACHE { "cache", no_argument, NULL, CMD_O_CACHE }

/* RFC 3854 X.400 content: verify and decrypt */
#define CMD_OPTS_X400_RECV \
	{ "x400-originator", required_argument, NULL, CMD_O_X400_ORIG }, \
	{ "x400-content", no_argument, NULL, CMD_O_X400_CONTENT }

/* RFC 3854 X.400 content: sign and encrypt */
#define CMD_OPTS_X400 \
	{ "x400-type", required_argument, NULL, CMD_O_X400_TYPE }, \
	{ "inner", required_argument, NULL, CMD_O_INNER }, \
	{ "mime", no_argument, NULL, CMD_O_MIME }

struct cmd_x400 {
	const char *type;                  /* --x400-type as given */
	char oid[64];                      /* ... as an OID */
	enum { CMD_INNER_AUTO, CMD_INNER_CMS, CMD_INNER_NONE } inner;   /* --inner */
	int mime;                          /* --mime */
};

/* An O/R address option (x400.h text form): 0, or the usage exit. */
int cmd_x400_address(const char *cmd, const char *opt, const char *arg);

/* --digest (a signing digest), --cipher, --compat rfc3923: 0, or the usage
 * exit naming what is accepted. */
int cmd_digest_option(const struct xe2e_digest **d, const char *cmd, const char *arg);
int cmd_cipher_option(const struct xe2e_cipher_alg **alg, const char *cmd, const char *arg);
int cmd_compat_option(int *compat, const char *cmd, const char *arg);

/* --outform smime|der|pem into *form: 0, or the usage exit. */
int cmd_outform(enum xe2e_send_form *form, const char *cmd, const char *arg);

/* Handle a CMD_OPTS_X400 option: 0 done, -1 not one, else the usage exit. */
int cmd_x400_option(struct cmd_x400 *x, const char *cmd, int c, const char *arg);

/* After parsing, once: the send options from x (so->form stays --outform's
 * when given; else MIME with --mime, else XE2E_OUT_AUTO).  A usage exit on
 * conflicting options, else 0. */
int cmd_x400_apply(const struct cmd_x400 *x, const char *cmd, int outform_given,
		   const char *ctype, struct xe2e_send_opts *so);

#define CMD_OPTS_PASS \
	{ "pass-fd", required_argument, NULL, CMD_O_PASS_FD }, \
	{ "pass-file", required_argument, NULL, CMD_O_PASS_FILE }

/* --fixture-seed HEX: every random draw from a generator seeded by it
 * (lib/fixture.h) -- for test fixtures only */
#define CMD_OPT_FIXTURE { "fixture-seed", required_argument, NULL, CMD_O_SEED }
#define CMD_FIXTURE_WARNING "--fixture-seed: every random value comes from the seed; " \
	"the output is predictable, for tests only"

#define CMD_MAX_FILES 256

/* The shared options, as parsed. */
struct cmd_common {
	const char *name;                    /* "verify" */
	const char *const *usage;
	const char *in[CMD_MAX_FILES];       /* --in and positional arguments */
	int n_in;
	const char *out;
	int json, quiet, lf;
	const char *x400_originator;       /* --x400-originator */
	int x400_entity;                   /* --x400-content */
	const char *ca[CMD_MAX_FILES], *crl[CMD_MAX_FILES], *untrusted[CMD_MAX_FILES];
	int n_ca, n_crl, n_untrusted;
	const char *store;
	int cache, have_at;
	time_t at;
	enum xe2e_crl_mode crl_mode;
	enum xe2e_policy policy;
	/* --policy-oid (one per line), --explicit-policy,
	 * --inhibit-policy-mapping, --inhibit-any-policy */
	char policy_oids[XE2E_MAX_USER_POLICIES * 128 + 1];
	int n_policy_oids;
	struct xe2e_policy_inputs pol;
	size_t max_depth;
	const char *pass_file;
	int pass_fd;
	unsigned char seed[XE2E_FIXTURE_SEED_MAX];   /* --fixture-seed */
	size_t seed_len;
	int have_seed;
	struct xe2e_fixture_rng frng;        /* its generator, when installed */
	int done;                            /* --help or --version was answered */
};

/* An option naming a file that may be repeated (CMD_MAX_FILES at most). */
int cmd_add_file(const char *cmd, const char **list, int *n, const char *opt, const char *v);


void cmd_common_init(struct cmd_common *cc, const char *name, const char *const *usage);

/*
 * Run getopt_long over argv with the command's table, handing every code
 * the shared parser does not know to own(c, optarg, data) (which returns
 * 0 or a usage status).  Positional arguments become inputs.  Returns 0 or
 * the usage status (the message printed).
 */
int cmd_parse(struct cmd_common *cc, int argc, char **argv, const struct option *options,
	      int (*own)(int c, const char *arg, void *data), void *data);

/* Usage error "xe2e CMD: MESSAGE (see 'xe2e CMD --help')"; returns 1. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The context from the shared options: validation time, policy, CRL mode,
 * limits, anchors (--ca), CRLs (--crl), certificates (--untrusted), and the
 * store (opened into st, locked for writing with --cache).  need_anchor:
 * without --ca or --store that is a usage error.
 */
int cmd_ctx(struct cmd_common *cc, struct xe2e_ctx *ctx, struct xe2e_store *st,
	    int need_anchor, struct xe2e_err *err);
void cmd_ctx_release(struct xe2e_ctx *ctx, struct xe2e_store *st);

/* With --fixture-seed: make the seeded generator ctx's random source
 * (cmd_ctx does this) and print the tests-only warning; else nothing.
 * cmd_fixture_release wipes the generator (cmd_ctx_release does this). */
void cmd_fixture(struct cmd_common *cc, struct xe2e_ctx *ctx);
void cmd_fixture_release(struct xe2e_ctx *ctx);

/* Load a private key, its passphrase (wiped after use) from --pass-fd or
 * --pass-file if given. */
int cmd_load_key(gnutls_privkey_t *key, const char *path, const struct cmd_common *cc,
		 struct xe2e_err *err);

/* The signer: certificate (further ones in its file are chain), more chain
 * files, the key; the key must belong to the certificate. */
int cmd_load_signer(struct xe2e_certs *certs, struct xe2e_certs *chain, gnutls_privkey_t *key,
		    const struct cmd_common *cc, const char *cert, const char *keypath,
		    const char *const *chain_files, int n_chain, struct xe2e_err *err);

/* Recipient certificates from the files (and the first of self, unless
 * NULL), each checked for encryption (a path with anchors, else the leaf
 * alone); warnings printed. */
int cmd_load_recipients(struct xe2e_certs *r, struct xe2e_ctx *ctx, const struct cmd_common *cc,
			const char *const *recip, int n_recip, const char *self,
			struct xe2e_err *err);

/* Open input number i (or standard input) as a stream. */
struct cmd_in {
	int fd;
	struct xe2e_source *src;
};
int cmd_in_open(struct cmd_in *in, const char *path, struct xe2e_err *err);
/* Close, and wipe the buffered bytes (they may be plaintext). */
void cmd_in_close(struct cmd_in *in);
/* Read a whole input (at most max bytes). */
int cmd_read(struct xe2e_buf *out, const char *path, size_t max, struct xe2e_err *err);

/* 1 stream, 0 in memory: forced (>= 0), or by DESIGN §6 for this input. */
int cmd_want_stream(int forced, int fd);

/*
 * Report the outcome of one run: on success the summary on stderr (unless
 * --quiet; text is what the command made of rep, may be NULL) or with
 * --json one object with the records on json_out (stderr for commands whose
 * standard output carries content); on failure one line "xe2e CMD: msg"
 * (prefixed with the input's name when there are several) or the JSON
 * error object, with the records so far.  Returns the exit status.
 */
int cmd_report(const struct cmd_common *cc, int rc, const struct xe2e_err *err,
	       const struct xe2e_report *rep, const struct xe2e_buf *text, FILE *json_out,
	       const char *input, void (*extra)(struct xe2e_json *j, void *data), void *data);

/* Receive options from the shared options (--x400-originator,
 * --x400-content), the outermost layer being `first`. */
struct xe2e_recv_opts;
void cmd_recv_opts(struct xe2e_recv_opts *ro, const struct cmd_common *cc, int first);

/*
 * The receive walk from src into out (through an LF converter with --lf),
 * then --cache; out is committed only when all of it passed.
 */
int cmd_receive(struct xe2e_ctx *ctx, const struct cmd_common *cc,
		const struct xe2e_recv_opts *ro, struct xe2e_source *src, struct xe2e_output *out,
		struct xe2e_report *rep, struct xe2e_err *err);

/*
 * Run fn once per input (the FILE arguments, or standard input when there
 * are none), each outcome reported as it ends (cmd_report; with summary,
 * the human summary xe2e_report_text makes of the records).  Returns the
 * first failure's exit status, or 0.
 */
typedef int (*cmd_input_fn)(const char *path, struct xe2e_report *rep, struct xe2e_err *err,
			    void *data);
int cmd_each_input(const struct cmd_common *cc, int summary, cmd_input_fn fn, void *data);

/* "xe2e CMD: warning: MSG" on stderr (MSG escaped: one line), unless quiet. */
void cmd_warn(const struct cmd_common *cc, const char *msg);

/* The warnings of every validation in rep, on stderr. */
void cmd_warn_report(const struct cmd_common *cc, const struct xe2e_report *rep);

/* Standard --version line. */
void cmd_version(void);

#endif
