/*
 * common.h - what every subcommand shares: the command table entry type,
 * reporting (one line on stderr, or JSON), option errors, output writing.
 * Only cmd/ talks to the user; lib/ returns error values.
 */
#ifndef XE2E_CMD_COMMON_H
#define XE2E_CMD_COMMON_H

#include <stdio.h>
#include "../lib/buf.h"
#include "../lib/err.h"

struct xe2e_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/* The sorted command table (cmd/xe2e.c). */
extern const struct xe2e_cmd xe2e_commands[];
extern const size_t xe2e_n_commands;

int cmd_sign(int argc, char **argv);
int cmd_verify(int argc, char **argv);

/* Print usage lines (NULL-terminated) to f. */
void cmd_print_usage(FILE *f, const char *const *usage);

/* "xe2e CMD: MESSAGE (see 'xe2e CMD --help')" on stderr; returns 1. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Report err as one line "xe2e CMD: msg" on stderr, or as one JSON line;
 * returns the exit status (DESIGN §4). */
int cmd_fail(const char *cmd, const struct xe2e_err *err, int json);

/* Write b to path atomically, or to stdout (flushed, checked) when path is
 * NULL or "-". */
int cmd_output(const char *path, const struct xe2e_buf *b, struct xe2e_err *err);

/* Append s as a JSON string (with quotes) to out. */
int cmd_json_str(struct xe2e_buf *out, const char *s, struct xe2e_err *err);

/* getopt_long error for argv[optind - 1]; returns 1. */
int cmd_bad_option(const char *cmd, int c, char **argv);

/* Standard --version line. */
void cmd_version(void);

#endif
