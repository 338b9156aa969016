/*
 * json.c - the JSON writer (see json.h).  RFC 8259 §2 (structure), §7
 * (string escapes), §8.1 (UTF-8).
 */
#include "json.h"
#include "text.h"

#include <string.h>

int xe2e_json_string(struct xe2e_buf *out, const void *v, size_t len, struct xe2e_err *err)
{
	const unsigned char *p = v;
	size_t i = 0, n;
	unsigned cp;
	int rc = xe2e_buf_addc(out, '"', err);

	while (!rc && i < len) {
		n = xe2e_utf8_char(p + i, len - i, &cp);
		if (n == 0) {
			rc = xe2e_buf_adds(out, "\\ufffd", err);
			n = 1;
		} else if (cp == '"' || cp == '\\') {
			rc = xe2e_buf_addf(out, err, "\\%c", (int)cp);
		} else if (cp == '\n') {
			rc = xe2e_buf_adds(out, "\\n", err);
		} else if (xe2e_text_must_escape(cp)) {
			rc = xe2e_buf_addf(out, err, "\\u%04x", cp);
		} else {
			rc = xe2e_buf_add(out, p + i, n, err);
		}
		i += n;
	}
	return rc ? rc : xe2e_buf_addc(out, '"', err);
}

void xe2e_json_init(struct xe2e_json *j, struct xe2e_buf *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
}

/* Before a value: a comma unless it is the first of its container. */
static void value(struct xe2e_json *j)
{
	if (j->rc)
		return;
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (j->depth > 0 && !j->first[j->depth - 1])
		j->rc = xe2e_buf_addc(j->out, ',', &j->err);
	if (j->depth > 0)
		j->first[j->depth - 1] = 0;
}

static void open(struct xe2e_json *j, char c)
{
	value(j);
	if (j->rc)
		return;
	if (j->depth == XE2E_JSON_DEPTH) {
		j->rc = xe2e_err_set(&j->err, XE2E_EIO, "JSON nested too deeply");
		return;
	}
	j->kind[j->depth] = c;
	j->first[j->depth++] = 1;
	j->rc = xe2e_buf_addc(j->out, (unsigned char)c, &j->err);
}

void xe2e_json_object(struct xe2e_json *j)
{
	open(j, '{');
}

void xe2e_json_array(struct xe2e_json *j)
{
	open(j, '[');
}

void xe2e_json_close(struct xe2e_json *j)
{
	if (j->rc)
		return;
	if (j->depth == 0) {
		j->rc = xe2e_err_set(&j->err, XE2E_EIO, "JSON: nothing to close");
		return;
	}
	j->depth--;
	j->rc = xe2e_buf_addc(j->out, j->kind[j->depth] == '[' ? ']' : '}', &j->err);
}

void xe2e_json_key(struct xe2e_json *j, const char *key)
{
	value(j);
	if (!j->rc)
		j->rc = xe2e_json_string(j->out, key, strlen(key), &j->err);
	if (!j->rc)
		j->rc = xe2e_buf_addc(j->out, ':', &j->err);
	j->after_key = 1;
}

void xe2e_json_strn(struct xe2e_json *j, const void *p, size_t n)
{
	value(j);
	if (!j->rc)
		j->rc = xe2e_json_string(j->out, p ? p : "", p ? n : 0, &j->err);
}

void xe2e_json_str(struct xe2e_json *j, const char *s)
{
	if (!s) {
		xe2e_json_null(j);
		return;
	}
	xe2e_json_strn(j, s, strlen(s));
}

void xe2e_json_int(struct xe2e_json *j, long long v)
{
	value(j);
	if (!j->rc)
		j->rc = xe2e_buf_addf(j->out, &j->err, "%lld", v);
}

void xe2e_json_bool(struct xe2e_json *j, int v)
{
	value(j);
	if (!j->rc)
		j->rc = xe2e_buf_adds(j->out, v ? "true" : "false", &j->err);
}

void xe2e_json_null(struct xe2e_json *j)
{
	value(j);
	if (!j->rc)
		j->rc = xe2e_buf_adds(j->out, "null", &j->err);
}

void xe2e_json_lines(struct xe2e_json *j, const char *lines)
{
	const char *p, *nl;

	xe2e_json_array(j);
	for (p = lines ? lines : ""; (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		xe2e_json_strn(j, p, (size_t)(nl - p));
	xe2e_json_close(j);
}

int xe2e_json_end(struct xe2e_json *j, struct xe2e_err *err)
{
	if (!j->rc && j->depth)
		j->rc = xe2e_err_set(&j->err, XE2E_EIO, "JSON: unclosed container");
	if (j->rc && err)
		*err = j->err;
	return j->rc;
}
