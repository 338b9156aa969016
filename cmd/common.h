/*
 * common.h - what every subcommand shares: the command table entry type,
 * reporting (one line on stderr, or JSON), option errors, output writing.
 * Only cmd/ talks to the user; lib/ returns error values.
 */
#ifndef XE2E_CMD_COMMON_H
#define XE2E_CMD_COMMON_H

#include <stdio.h>
#include <time.h>
#include "../lib/buf.h"
#include "../lib/err.h"
#include "../lib/io.h"
#include "../lib/stream.h"
#include <gnutls/abstract.h>

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
int cmd_verify(int argc, char **argv);

/* Print usage lines (NULL-terminated) to f. */
void cmd_print_usage(FILE *f, const char *const *usage);

/* "xe2e CMD: MESSAGE (see 'xe2e CMD --help')" on stderr; returns 1. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "xe2e CMD: warning: MSG" on stderr (MSG escaped: one line). */
void cmd_warn(const char *cmd, const char *msg);

/* Report err as one line "xe2e CMD: msg" on stderr, or as one JSON line;
 * returns the exit status (DESIGN §4). */
int cmd_fail(const char *cmd, const struct xe2e_err *err, int json);

/* Write b to path atomically (a new file created as mode says), or to
 * stdout (flushed, checked) when path is NULL or "-". */
int cmd_output(const char *path, const struct xe2e_buf *b, enum xe2e_io_mode mode,
	       struct xe2e_err *err);

/* Append s as a JSON string (with quotes) to out. */
int cmd_json_str(struct xe2e_buf *out, const char *s, struct xe2e_err *err);

/* getopt_long error for argv[optind - 1]; returns 1. */
int cmd_bad_option(const char *cmd, int c, char **argv);

/*
 * Where a command's output goes.  In memory (written at the end, atomically
 * to --out or to stdout); or streamed: to a temporary file renamed over
 * --out, to an anonymous spool file copied to stdout at the end (spool), or
 * straight to stdout.  Either way nothing is left behind on failure, except
 * that direct streaming to stdout can be cut short by an I/O error.
 */
struct cmd_out {
	int mode;
	enum xe2e_io_mode file_mode;
	const char *path;
	struct xe2e_buf mem;
	struct xe2e_sink_buf sbuf;
	struct xe2e_sink_fd *sfd;
	struct xe2e_atomic at;
	int spool_fd;
};
int cmd_out_open(struct cmd_out *o, const char *path, int stream, int spool,
		 enum xe2e_io_mode file_mode, struct xe2e_err *err);
struct xe2e_sink *cmd_out_sink(struct cmd_out *o);
int cmd_out_commit(struct cmd_out *o, struct xe2e_err *err);
void cmd_out_abort(struct cmd_out *o);

/* Parse "--stream"/"--no-stream" decisions: 1 stream, 0 in memory. */
int cmd_want_stream(int forced, int fd);

/* Append v to list (at most max entries; usage error naming opt). */
int cmd_add_file(const char *cmd, const char **list, int *n, int max,
		 const char *opt, const char *v);

/* Parse a --pass-fd value (usage error if bad). */
int cmd_parse_fd(const char *cmd, const char *arg, int *fd);

/* Load a private key, its passphrase (wiped after use) from pass_fd (>= 0)
 * or pass_file (non-NULL) if given. */
int cmd_load_key(gnutls_privkey_t *key, const char *path, int pass_fd,
		 const char *pass_file, struct xe2e_err *err);

/* getopt value of --version in every command's option table. */
#define CMD_O_VERSION 255

/* -h/--help (usage to stdout) and --version: sets *done, returns 0. */
int cmd_help_version(int c, const char *const *usage, int *done);

/* Parse an RFC 3339 --at value into *t and set *have (usage error if bad). */
int cmd_parse_time(const char *cmd, const char *arg, time_t *t, int *have);

/* An input file (or stdin for NULL or "-") read as a stream. */
struct cmd_in {
	int fd;
	struct xe2e_source *src;
};
int cmd_in_open(struct cmd_in *in, const char *path, struct xe2e_err *err);
/* Close, and wipe the buffered bytes (they may be plaintext). */
void cmd_in_close(struct cmd_in *in);

/* Standard --version line. */
void cmd_version(void);

#endif
