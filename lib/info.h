/*
 * info.h - what `xe2e inspect` shows of a layer: a small tree of named
 * values (objects, arrays, strings, integers, booleans), built by
 * inspect.c from the same decoded structures the receive walk uses, and
 * rendered one way for people (an indented outline, every string escaped:
 * text.h) and one way for programs (JSON members: json.h).
 *
 * Bounded: at most XE2E_INFO_MAX_NODES nodes per tree and
 * XE2E_INFO_MAX_DEPTH levels (past them adding fails with
 * -XE2E_EMALFORMED), so hostile input cannot make it large.
 * Errors are sticky (as in json.h): the first is kept and returned by
 * xe2e_info_status; a failed add returns NULL and is a no-op after.
 *
 * Not here: what the values mean (inspect.c), parsing.
 */
#ifndef XE2E_INFO_H
#define XE2E_INFO_H

#include <stddef.h>
#include "buf.h"
#include "json.h"

#define XE2E_INFO_MAX_NODES 20000
#define XE2E_INFO_MAX_DEPTH 24       /* JSON adds up to 6 levels around a tree */

struct xe2e_info;          /* one node */
struct xe2e_info_tree;     /* its root and accounting */

/* A new tree with an empty object at its root (NULL: out of memory). */
struct xe2e_info *xe2e_info_new(void);
/* Free a whole tree (given its root). */
void xe2e_info_free(struct xe2e_info *root);

/* Add to parent (an object: key needed; an array: key NULL). */
struct xe2e_info *xe2e_info_obj(struct xe2e_info *parent, const char *key);
struct xe2e_info *xe2e_info_arr(struct xe2e_info *parent, const char *key);
void xe2e_info_str(struct xe2e_info *parent, const char *key, const char *s);
void xe2e_info_strn(struct xe2e_info *parent, const char *key, const void *p, size_t n);
void xe2e_info_int(struct xe2e_info *parent, const char *key, long long v);
void xe2e_info_bool(struct xe2e_info *parent, const char *key, int v);
/* p[0..n) as upper-case hex (colon-separated when sep), at most max
 * octets shown, then "...(N octets)". */
void xe2e_info_hex(struct xe2e_info *parent, const char *key, const unsigned char *p, size_t n,
		   size_t max, int sep);
/* A time as RFC 3339 UTC. */
void xe2e_info_time(struct xe2e_info *parent, const char *key, long long t);
/* "kind:value" lines (cert.h names) as an array of strings. */
void xe2e_info_lines(struct xe2e_info *parent, const char *key, const char *lines);

/* 0, or the first error of the tree (with its message in err). */
int xe2e_info_status(const struct xe2e_info *root, struct xe2e_err *err);

/* The outline: "key: value" per line, objects and arrays indented by
 * two spaces per level below indent; appended to out. */
int xe2e_info_text(struct xe2e_buf *out, const struct xe2e_info *node, int indent,
		   struct xe2e_err *err);
/* The members of an object node into the open JSON object j. */
void xe2e_info_json_members(struct xe2e_json *j, const struct xe2e_info *obj);

#endif
