/*
 * common.c - the command plumbing every subcommand shares (see common.h).
 */
#include "common.h"
#include "../lib/datetime.h"
#include "../lib/limits.h"
#include "../lib/pki.h"
#include "../lib/report.h"
#include "../lib/text.h"
#include "../lib/recv.h"
#include "../lib/send.h"
#include "../lib/x400.h"
#include "../lib/x400ct.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <gnutls/gnutls.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

void cmd_version(void)
{
	printf("xe2e %s\n", PACKAGE_VERSION);
}

int cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	char msg[XE2E_ERR_MSG_MAX], e[XE2E_ERR_MSG_MAX * 4];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	xe2e_text_escape(e, sizeof(e), (const unsigned char *)msg, strlen(msg));
	fprintf(stderr, "xe2e %s: %s (see 'xe2e %s --help')\n", cmd, e, cmd);
	return XE2E_EUSAGE;
}

void cmd_common_init(struct cmd_common *cc, const char *name, const char *const *usage)
{
	memset(cc, 0, sizeof(*cc));
	cc->name = name;
	cc->usage = usage;
	cc->crl_mode = XE2E_CRL_AUTO;
	cc->policy = XE2E_POLICY_MODERN;
	cc->max_depth = XE2E_MAX_CMS_NESTING;
	cc->pass_fd = -1;
}

int cmd_add_file(const char *cmd, const char **list, int *n, const char *opt, const char *v)
{
	if (*n == CMD_MAX_FILES)
		return cmd_usage_error(cmd, "more than %d '%s' options", CMD_MAX_FILES, opt);
	list[(*n)++] = v;
	return 0;
}

static int shared(struct cmd_common *cc, int c, const char *arg)
{
	struct xe2e_err e;
	char *end;
	long v;

	switch (c) {
	case 'h':
		for (const char *const *u = cc->usage; *u; u++)
			printf("%s\n", *u);
		cc->done = 1;
		return 0;
	case CMD_O_VERSION:
		cmd_version();
		cc->done = 1;
		return 0;
	case CMD_O_IN: return cmd_add_file(cc->name, cc->in, &cc->n_in, "--in", arg);
	case CMD_O_OUT: cc->out = arg; return 0;
	case CMD_O_JSON: cc->json = 1; return 0;
	case CMD_O_QUIET: cc->quiet = 1; return 0;
	case CMD_O_LF: cc->lf = 1; return 0;
	case CMD_O_X400_CONTENT: cc->x400_entity = 1; return 0;
	case CMD_O_X400_ORIG:
		cc->x400_originator = arg;
		return cmd_x400_address(cc->name, "--x400-originator", arg);
	case CMD_O_CA: return cmd_add_file(cc->name, cc->ca, &cc->n_ca, "--ca", arg);
	case CMD_O_CRL: return cmd_add_file(cc->name, cc->crl, &cc->n_crl, "--crl", arg);
	case CMD_O_UNTRUSTED: return cmd_add_file(cc->name, cc->untrusted, &cc->n_untrusted, "--untrusted", arg);
	case CMD_O_STORE: cc->store = arg; return 0;
	case CMD_O_CACHE: cc->cache = 1; return 0;
	case CMD_O_AT:
		if (xe2e_time_parse_rfc3339(&cc->at, arg, &e))
			return cmd_usage_error(cc->name, "%s", e.msg);
		cc->have_at = 1;
		return 0;
	case CMD_O_CRLCHECK:
		if (!strcmp(arg, "auto"))
			cc->crl_mode = XE2E_CRL_AUTO;
		else if (!strcmp(arg, "require"))
			cc->crl_mode = XE2E_CRL_REQUIRE;
		else if (!strcmp(arg, "if-present"))
			cc->crl_mode = XE2E_CRL_IF_PRESENT;
		else
			return cmd_usage_error(cc->name, "--crl-check takes auto, require or if-present, not '%s'",
					       arg);
		return 0;
	case CMD_O_POLICY:
		if (!strcmp(arg, "modern"))
			cc->policy = XE2E_POLICY_MODERN;
		else if (!strcmp(arg, "rfc3850"))
			cc->policy = XE2E_POLICY_RFC3850;
		else if (!strcmp(arg, "strict"))
			cc->policy = XE2E_POLICY_STRICT;
		else
			return cmd_usage_error(cc->name, "--policy takes modern, rfc3850 or strict, not '%s'",
					       arg);
		return 0;
	case CMD_O_POLICY_OID: {
		char oid[128];
		size_t l = strlen(cc->policy_oids);

		if (xe2e_policy_oid_arg(oid, sizeof(oid), arg, &e))
			return cmd_usage_error(cc->name, "%s", e.msg);
		if (cc->n_policy_oids == XE2E_MAX_USER_POLICIES)
			return cmd_usage_error(cc->name, "more than %d '--policy-oid' options",
					       XE2E_MAX_USER_POLICIES);
		snprintf(cc->policy_oids + l, sizeof(cc->policy_oids) - l, "%s\n", oid);
		cc->n_policy_oids++;
		return 0;
	}
	case CMD_O_EXPLICIT_POLICY: cc->pol.explicit_policy = 1; return 0;
	case CMD_O_INHIBIT_MAPPING: cc->pol.inhibit_mapping = 1; return 0;
	case CMD_O_INHIBIT_ANY: cc->pol.inhibit_any = 1; return 0;
	case CMD_O_PASS_FILE: cc->pass_file = arg; return 0;
	case CMD_O_SEED:
		if (xe2e_fixture_seed_parse(cc->seed, &cc->seed_len, arg, &e))
			return cmd_usage_error(cc->name, "%s", e.msg);
		cc->have_seed = 1;
		return 0;
	case CMD_O_PASS_FD:
	case CMD_O_MAXDEPTH:
		errno = 0;
		v = strtol(arg, &end, 10);
		if (*arg == '\0' || *end || errno || v < 0 || v > INT_MAX ||
		    (c == CMD_O_MAXDEPTH && (v < 1 || v > XE2E_MAX_LAYERS)))
			return c == CMD_O_PASS_FD
			       ? cmd_usage_error(cc->name, "bad --pass-fd '%s'", arg)
			       : cmd_usage_error(cc->name, "--max-depth takes 1 to %d, not '%s'",
						 XE2E_MAX_LAYERS, arg);
		if (c == CMD_O_PASS_FD)
			cc->pass_fd = (int)v;
		else
			cc->max_depth = (size_t)v;
		return 0;
	}
	return -1;
}

int cmd_parse(struct cmd_common *cc, int argc, char **argv, const struct option *options,
	      int (*own)(int c, const char *arg, void *data), void *data)
{
	const char *arg;
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, CMD_SHORTOPTS, options, NULL)) != -1) {
		if (c == ':' || c == '?') {
			arg = argv[optind - 1];
			if (c == ':')
				return cmd_usage_error(cc->name, "option '%s' needs a value", arg);
			if (optopt && optopt != '?')
				return cmd_usage_error(cc->name, "unknown option '-%c'", optopt);
			return cmd_usage_error(cc->name, "unknown option '%s'", arg);
		}
		rc = shared(cc, c, optarg);
		if (rc < 0)
			rc = own ? own(c, optarg, data) : cmd_usage_error(cc->name, "unknown option");
		if (rc)
			return rc;
		if (cc->done)
			return 0;
	}
	for (; optind < argc; optind++)
		if ((rc = cmd_add_file(cc->name, cc->in, &cc->n_in, "input", argv[optind])))
			return rc;
	if (cc->out && cc->n_in > 1)
		return cmd_usage_error(cc->name, "'--out' takes one input, not %d", cc->n_in);
	if (cc->pass_fd >= 0 && cc->pass_file)
		return cmd_usage_error(cc->name, "'--pass-fd' and '--pass-file' conflict");
	if (cc->cache && !cc->store)
		return cmd_usage_error(cc->name, "'--cache' needs '--store'");
	return 0;
}

int cmd_ctx(struct cmd_common *cc, struct xe2e_ctx *ctx, struct xe2e_store *st,
	    int need_anchor, struct xe2e_err *err)
{
	int i, rc = 0;

	xe2e_ctx_init(ctx);
	cmd_fixture(cc, ctx);
	memset(st, 0, sizeof(*st));
	st->lockfd = -1;
	if (need_anchor && !cc->n_ca && !cc->store)
		return xe2e_err_set(err, XE2E_EUSAGE, "no trust anchor: give --ca or --store");
	if (cc->have_at)
		ctx->at = cc->at;
	ctx->policy = cc->policy;
	ctx->crl = cc->crl_mode;
	ctx->pol = cc->pol;
	ctx->pol.initial = cc->policy_oids;   /* "" is {anyPolicy} */
	ctx->max_depth = cc->max_depth;
	ctx->cache = cc->cache;
	for (i = 0; !rc && i < cc->n_ca; i++)
		rc = xe2e_certs_load_path(&ctx->trust.anchors, cc->ca[i], err);
	for (i = 0; !rc && i < cc->n_crl; i++)
		rc = xe2e_crls_load(&ctx->trust.crls, cc->crl[i], err);
	for (i = 0; !rc && i < cc->n_untrusted; i++)
		rc = xe2e_certs_load(&ctx->untrusted, cc->untrusted[i], err);
	if (!rc && cc->store) {
		rc = xe2e_store_open(st, cc->store, cc->cache, err);
		if (!rc)
			rc = xe2e_store_load(st, &ctx->trust, &ctx->untrusted, err);
		if (!rc)
			ctx->store = st;
	}
	return rc;
}

void cmd_ctx_release(struct xe2e_ctx *ctx, struct xe2e_store *st)
{
	if (ctx->store)
		xe2e_store_close(st);
	ctx->store = NULL;
	cmd_fixture_release(ctx);
	xe2e_ctx_release(ctx);
}

void cmd_fixture(struct cmd_common *cc, struct xe2e_ctx *ctx)
{
	if (!cc->have_seed)
		return;
	xe2e_fixture_rng_init(&cc->frng, cc->seed, cc->seed_len);
	gnutls_memset(cc->seed, 0, sizeof(cc->seed));   /* the generator holds it now */
	xe2e_fixture_install(ctx, &cc->frng);
	/* printed even with --quiet: nobody should ship such output; with
	 * --json it is a member of the JSON object (cmd_report) */
	if (!cc->json)
		fprintf(stderr, "xe2e %s: warning: %s\n", cc->name, CMD_FIXTURE_WARNING);
}

void cmd_fixture_release(struct xe2e_ctx *ctx)
{
	if (ctx->rng.reproducible && ctx->rng.state)
		xe2e_fixture_rng_release(ctx->rng.state);
}

int cmd_load_key(gnutls_privkey_t *key, const char *path, const struct cmd_common *cc,
		 struct xe2e_err *err)
{
	struct xe2e_buf pass = XE2E_BUF_INIT;
	int rc = 0;

	*key = NULL;
	if (cc->pass_fd >= 0)
		rc = xe2e_io_read_secret_fd(&pass, cc->pass_fd, err);
	else if (cc->pass_file)
		rc = xe2e_io_read_secret_file(&pass, cc->pass_file, err);
	if (!rc)
		rc = xe2e_pki_load_key(key, path, pass.len ? (char *)pass.data : NULL, err);
	if (rc == -XE2E_EUSAGE && !pass.len && err)
		xe2e_err_set(err, XE2E_EUSAGE, "%s (give --pass-fd or --pass-file)", err->msg);
	xe2e_buf_wipe(&pass);
	return rc;
}

int cmd_in_open(struct cmd_in *in, const char *path, struct xe2e_err *err)
{
	in->fd = STDIN_FILENO;
	in->src = NULL;
	if (path && strcmp(path, "-")) {
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0)
			return xe2e_err_set(err, XE2E_EIO, "cannot open '%s': %s", path,
					    strerror(errno));
	}
	fcntl(in->fd, F_SETPIPE_SZ, 1 << 20);   /* fewer, larger pipe transfers */
	in->src = malloc(sizeof(*in->src));
	if (!in->src)
		return xe2e_err_oom(err);
	xe2e_source_init_fd(in->src, in->fd);
	return 0;
}

void cmd_in_close(struct cmd_in *in)
{
	if (in->fd != STDIN_FILENO && in->fd >= 0)
		close(in->fd);
	in->fd = -1;
	if (in->src) {
		gnutls_memset(in->src, 0, sizeof(*in->src));
		free(in->src);
	}
	in->src = NULL;
}

int cmd_read(struct xe2e_buf *out, const char *path, size_t max, struct xe2e_err *err)
{
	return xe2e_io_read(out, path, max, err);
}

int cmd_want_stream(int forced, int fd)
{
	long long size;

	if (forced >= 0)
		return forced;
	/* DESIGN §6: stream when the input is not a regular file or is large */
	return !xe2e_io_size_hint(fd, &size) || size > XE2E_STREAM_THRESHOLD;
}

void cmd_warn(const struct cmd_common *cc, const char *msg)
{
	char e[XE2E_ERR_MSG_MAX * 4];

	if (cc->quiet || cc->json)
		return;
	xe2e_text_escape(e, sizeof(e), (const unsigned char *)msg, strlen(msg));
	fprintf(stderr, "xe2e %s: warning: %s\n", cc->name, e);
}

void cmd_warn_report(const struct cmd_common *cc, const struct xe2e_report *rep)
{
	size_t l, i;

	for (l = 0; l < rep->n; l++)
		for (i = 0; i < rep->layers[l]->n_signers; i++)
			if (rep->layers[l]->signers[i].path.warning[0])
				cmd_warn(cc, rep->layers[l]->signers[i].path.warning);
}

int cmd_report(const struct cmd_common *cc, int rc, const struct xe2e_err *err,
	       const struct xe2e_report *rep, const struct xe2e_buf *text, FILE *json_out,
	       const char *input, void (*extra)(struct xe2e_json *j, void *data), void *data)
{
	struct xe2e_buf b = XE2E_BUF_INIT;
	struct xe2e_json j;
	const char *msg;
	int status = rc ? xe2e_exit_status(err->code) : 0;

	if (rc && status == 0)
		status = XE2E_EIO;
	msg = rc ? (err->msg[0] ? err->msg : xe2e_strerror(err->code)) : NULL;
	if (cc->json) {
		xe2e_json_init(&j, &b);
		xe2e_json_object(&j);
		xe2e_json_key(&j, "status");
		xe2e_json_str(&j, rc ? "error" : "ok");
		xe2e_json_key(&j, "exit");
		xe2e_json_int(&j, status);
		if (input && cc->n_in > 1) {
			xe2e_json_key(&j, "input");
			xe2e_json_str(&j, input);
		}
		if (rc) {
			xe2e_json_key(&j, "error");
			xe2e_json_str(&j, msg);
		}
		if (rep)
			xe2e_report_json(&j, rep);
		if (cc->have_seed) {
			xe2e_json_key(&j, "fixture_seed");
			xe2e_json_str(&j, CMD_FIXTURE_WARNING);
		}
		if (extra)
			extra(&j, data);
		xe2e_json_close(&j);
		if (!xe2e_json_end(&j, NULL) && !xe2e_buf_addc(&b, '\n', NULL))
			fputs((char *)b.data, rc ? stderr : json_out);
		else
			fprintf(stderr, "{\"status\":\"error\",\"exit\":%d,\"error\":\"out of memory\"}\n",
				status ? status : XE2E_EIO);
	} else if (rc && input && cc->n_in > 1) {
		char e[XE2E_ERR_MSG_MAX * 4];

		xe2e_text_escape(e, sizeof(e), (const unsigned char *)input, strlen(input));
		fprintf(stderr, "xe2e %s: %s: %s\n", cc->name, e, msg);
	} else if (rc) {
		fprintf(stderr, "xe2e %s: %s\n", cc->name, msg);
	} else if (!cc->quiet && text && text->len) {
		fwrite(text->data, 1, text->len, stderr);
	}
	xe2e_buf_release(&b);
	return status;
}

int cmd_load_signer(struct xe2e_certs *certs, struct xe2e_certs *chain, gnutls_privkey_t *key,
		    const struct cmd_common *cc, const char *cert, const char *keypath,
		    const char *const *chain_files, int n_chain, struct xe2e_err *err)
{
	size_t i;
	int k, rc;

	rc = xe2e_certs_load(certs, cert, err);
	for (i = 1; !rc && i < certs->n; i++)
		rc = xe2e_certs_add(chain, certs->v[i], err);
	for (k = 0; !rc && k < n_chain; k++)
		rc = xe2e_certs_load(chain, chain_files[k], err);
	if (!rc)
		rc = cmd_load_key(key, keypath, cc, err);
	if (!rc)
		rc = xe2e_pki_key_matches(*key, certs->v[0], keypath, err);
	return rc;
}

/* RFC 3850 §4.2-§4.4: every recipient certificate is checked before use;
 * without anchors, what needs no path still is (validity, key usage,
 * critical extensions). */
int cmd_load_recipients(struct xe2e_certs *r, struct xe2e_ctx *ctx, const struct cmd_common *cc,
			const char *const *recip, int n_recip, const char *self,
			struct xe2e_err *err)
{
	struct xe2e_validate_opts vo = xe2e_ctx_validate_opts(ctx, XE2E_PURPOSE_ENCRYPT);
	struct xe2e_path path;
	struct xe2e_certs mine;
	size_t i;
	int k, rc = 0;

	xe2e_certs_init(&mine);
	for (k = 0; !rc && k < n_recip; k++)
		rc = xe2e_certs_load(r, recip[k], err);
	if (!rc && self) {
		rc = xe2e_certs_load(&mine, self, err);
		if (!rc)
			rc = xe2e_certs_add(r, mine.v[0], err);
	}
	xe2e_certs_release(&mine);
	if (!rc && r->n > XE2E_MAX_RECIPIENTS)
		rc = xe2e_err_set(err, XE2E_EUSAGE, "more than %d recipients", XE2E_MAX_RECIPIENTS);
	for (i = 0; !rc && i < r->n; i++) {
		memset(&path, 0, sizeof(path));
		rc = ctx->trust.anchors.n
		     ? xe2e_ctx_validate(ctx, &path, r->v[i], r, NULL, XE2E_PURPOSE_ENCRYPT, err)
		     : xe2e_pki_check_leaf(r->v[i], &vo, path.warning, sizeof(path.warning), err);
		if (!rc && path.warning[0])
			cmd_warn(cc, path.warning);
	}
	return rc;
}

int cmd_x400_address(const char *cmd, const char *opt, const char *arg)
{
	struct xe2e_buf canon = XE2E_BUF_INIT;
	struct xe2e_err e;
	int bad = xe2e_x400_canon(&canon, arg, &e);

	xe2e_buf_release(&canon);
	return bad ? cmd_usage_error(cmd, "%s: %s", opt, e.msg) : 0;
}

int cmd_digest_option(const struct xe2e_digest **d, const char *cmd, const char *arg)
{
	*d = xe2e_digest_by_name(arg);
	if (!*d || !(*d)->sign_ok)
		return cmd_usage_error(cmd, "unknown --digest '%s' (sha1, sha256, sha384, sha512)", arg);
	return 0;
}

int cmd_cipher_option(const struct xe2e_cipher_alg **alg, const char *cmd, const char *arg)
{
	*alg = xe2e_cipher_by_name(arg);
	if (!*alg)
		return cmd_usage_error(cmd, "unknown --cipher '%s' (aes128, aes192, aes256, des3)", arg);
	return 0;
}

int cmd_compat_option(int *compat, const char *cmd, const char *arg)
{
	if (strcmp(arg, "rfc3923"))
		return cmd_usage_error(cmd, "--compat takes rfc3923, not '%s'", arg);
	*compat = 1;
	return 0;
}

int cmd_outform(enum xe2e_send_form *form, const char *cmd, const char *arg)
{
	if (!strcmp(arg, "smime"))
		*form = XE2E_OUT_SMIME;
	else if (!strcmp(arg, "der"))
		*form = XE2E_OUT_DER;
	else if (!strcmp(arg, "pem"))
		*form = XE2E_OUT_PEM;
	else
		return cmd_usage_error(cmd, "--outform takes smime, der or pem, not '%s'", arg);
	return 0;
}

int cmd_x400_option(struct cmd_x400 *x, const char *cmd, int c, const char *arg)
{
	struct xe2e_err e;

	switch (c) {
	case CMD_O_X400_TYPE:
		if (xe2e_x400_content_type(x->oid, arg, &e))
			return cmd_usage_error(cmd, "%s", e.msg);
		x->type = arg;
		return 0;
	case CMD_O_INNER:
		if (!strcmp(arg, "cms"))
			x->inner = CMD_INNER_CMS;
		else if (!strcmp(arg, "none"))
			x->inner = CMD_INNER_NONE;
		else if (!strcmp(arg, "auto"))
			x->inner = CMD_INNER_AUTO;
		else
			return cmd_usage_error(cmd, "--inner takes cms, none or auto, not '%s'", arg);
		return 0;
	case CMD_O_MIME:
		x->mime = 1;
		return 0;
	}
	return -1;
}

int cmd_x400_apply(const struct cmd_x400 *x, const char *cmd, int outform_given,
		   const char *ctype, struct xe2e_send_opts *so)
{
	if (x->type && x->inner == CMD_INNER_CMS)
		return cmd_usage_error(cmd, "--x400-type is for X.400 content, --inner cms for a CMS object: not both");
	if ((x->type || x->inner == CMD_INNER_CMS) && ctype)
		return cmd_usage_error(cmd, "--content-type is for MIME content, not with --x400-type or --inner cms");
	if (x->mime && outform_given)
		return cmd_usage_error(cmd, "--mime and --outform: one or the other");
	so->econtent_type = x->type ? x->oid : NULL;
	so->inner_cms = x->type || x->inner == CMD_INNER_NONE ? 0 : x->inner == CMD_INNER_CMS ? 1 : -1;
	/* RFC 3854 §3.2: binary transports carry the bare ContentInfo; MIME
	 * (§3.2.1, §3.3.1) only when asked */
	if (x->mime)
		so->form = XE2E_OUT_SMIME;
	else if (!outform_given)
		so->form = XE2E_OUT_AUTO;
	return 0;
}

int cmd_each_input(const struct cmd_common *cc, int summary, cmd_input_fn fn, void *data)
{
	struct xe2e_buf text = XE2E_BUF_INIT;
	struct xe2e_report rep;
	struct xe2e_err err;
	int i, n = cc->n_in ? cc->n_in : 1, s, status = 0;

	for (i = 0; i < n; i++) {
		const char *path = cc->n_in ? cc->in[i] : NULL;

		xe2e_report_init(&rep);
		xe2e_err_clear(&err);
		xe2e_buf_reset(&text);
		s = fn(path, &rep, &err, data);
		if (!s && summary)
			s = xe2e_report_text(&text, cc->name, &rep, &err);
		if (!s && fflush(stdout))
			s = xe2e_err_set(&err, XE2E_EIO, "cannot write to standard output");
		s = cmd_report(cc, s, &err, &rep, summary ? &text : NULL, stderr, path, NULL, NULL);
		if (s && !status)
			status = s;
		xe2e_report_release(&rep);
	}
	xe2e_buf_release(&text);
	return status;
}

void cmd_recv_opts(struct xe2e_recv_opts *ro, const struct cmd_common *cc, int first)
{
	memset(ro, 0, sizeof(*ro));
	ro->first = (enum xe2e_recv_first)first;
	ro->x400_originator = cc->x400_originator;
	ro->x400_entity = cc->x400_entity;
}

int cmd_receive(struct xe2e_ctx *ctx, const struct cmd_common *cc,
		const struct xe2e_recv_opts *ro, struct xe2e_source *src, struct xe2e_output *out,
		struct xe2e_report *rep, struct xe2e_err *err)
{
	struct xe2e_sink *sink = xe2e_output_sink(out);
	struct xe2e_sink_lf lf;
	int rc;

	if (cc->lf) {
		xe2e_sink_lf_init(&lf, sink);
		sink = &lf.base;
	}
	rc = xe2e_receive(ctx, ro, src, sink, rep, err);
	if (!rc && cc->lf)
		rc = xe2e_sink_finish(&lf.base, err);
	if (!rc && cc->cache)
		rc = xe2e_receive_cache(ctx, rep, err);
	if (!rc)
		rc = xe2e_output_commit(out, err);
	return rc;
}
