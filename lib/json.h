/*
 * json.h - the one JSON writer (RFC 8259): objects, arrays, strings,
 * numbers, booleans, into an xe2e_buf.  Commas are placed by the writer;
 * strings are always valid UTF-8 (bytes that are not become U+FFFD) with
 * control characters, DEL, C1 and bidi overrides escaped.
 *
 * Errors are sticky: the first one is kept and xe2e_json_end returns it.
 * Not here: parsing JSON.
 */
#ifndef XE2E_JSON_H
#define XE2E_JSON_H

#include "buf.h"

#define XE2E_JSON_DEPTH 32

struct xe2e_json {
	struct xe2e_buf *out;
	int depth;
	int first[XE2E_JSON_DEPTH];
	char kind[XE2E_JSON_DEPTH];          /* '{' or '[' */
	int after_key;
	int rc;
	struct xe2e_err err;
};

void xe2e_json_init(struct xe2e_json *j, struct xe2e_buf *out);
void xe2e_json_object(struct xe2e_json *j);
void xe2e_json_array(struct xe2e_json *j);
void xe2e_json_close(struct xe2e_json *j);          /* the innermost object or array */
void xe2e_json_key(struct xe2e_json *j, const char *key);
void xe2e_json_str(struct xe2e_json *j, const char *s);          /* NULL: null */
void xe2e_json_strn(struct xe2e_json *j, const void *p, size_t n);
void xe2e_json_int(struct xe2e_json *j, long long v);
void xe2e_json_bool(struct xe2e_json *j, int v);
void xe2e_json_null(struct xe2e_json *j);
/* "kind:value" style lines (one per LF) as an array of strings. */
void xe2e_json_lines(struct xe2e_json *j, const char *lines);
/* Finish (every container must be closed): 0 or the first error. */
int xe2e_json_end(struct xe2e_json *j, struct xe2e_err *err);

/* Append s as one JSON string (with quotes). */
int xe2e_json_string(struct xe2e_buf *out, const void *p, size_t n, struct xe2e_err *err);

#endif
