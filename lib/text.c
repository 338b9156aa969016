/*
 * text.c - UTF-8 checks and escaping for human messages (see text.h).
 * RFC 3629 §3-§4 (well-formed UTF-8), Unicode UAX #9 (bidirectional
 * formatting characters).
 */
#include "text.h"

#include <stdio.h>
#include <string.h>

size_t xe2e_utf8_char(const unsigned char *p, size_t len, unsigned *cp)
{
	unsigned c, min;
	size_t n, i;

	if (len == 0)
		return 0;
	c = p[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	/* RFC 3629 §3: no overlong forms, no surrogates, nothing past U+10FFFF */
	if (c < min || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return n;
}

int xe2e_utf8_valid(const unsigned char *p, size_t len)
{
	size_t i = 0, n;
	unsigned cp;

	while (i < len) {
		n = xe2e_utf8_char(p + i, len - i, &cp);
		if (n == 0 || cp == 0)
			return 0;
		i += n;
	}
	return 1;
}

int xe2e_text_must_escape(unsigned cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ||
	       cp == 0x061c || cp == 0x200e || cp == 0x200f || cp == 0x2028 || cp == 0x2029 ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/* The escaped form of one character (n bytes at p) into e[32]. */
static size_t escape_one(char *e, const unsigned char *p, size_t n, unsigned cp, int valid)
{
	size_t k, o = 0;

	if (valid && cp == '\n')
		return (size_t)snprintf(e, 32, "\\n");
	if (valid && cp == '\r')
		return (size_t)snprintf(e, 32, "\\r");
	if (valid && cp == '\t')
		return (size_t)snprintf(e, 32, "\\t");
	if (valid && cp > 0xff)
		return (size_t)snprintf(e, 32, "\\u%04X", cp);
	for (k = 0; k < n; k++)
		o += (size_t)snprintf(e + o, 32 - o, "\\x%02x", p[k]);
	return o;
}

size_t xe2e_text_escape(char *out, size_t size, const unsigned char *p, size_t len)
{
	size_t i = 0, o = 0, n, el;
	unsigned cp = 0;
	char e[32];
	int valid;

	if (size == 0)
		return 0;
	while (i < len) {
		n = xe2e_utf8_char(p + i, len - i, &cp);
		valid = n != 0;
		if (!valid)
			n = 1;
		if (valid && !xe2e_text_must_escape(cp)) {
			memcpy(e, p + i, n);
			el = n;
		} else {
			el = escape_one(e, p + i, n, cp, valid);
		}
		if (o + el >= size)
			break;
		memcpy(out + o, e, el);
		o += el;
		i += n;
	}
	out[o] = '\0';
	return o;
}

int xe2e_text_escape_buf(struct xe2e_buf *out, const void *p, size_t len,
			 struct xe2e_err *err)
{
	const unsigned char *s = p;
	size_t i = 0, n, el;
	unsigned cp = 0;
	char e[32];
	int rc = xe2e_buf_grow(out, len, err);

	while (!rc && i < len) {
		n = xe2e_utf8_char(s + i, len - i, &cp);
		if (n && !xe2e_text_must_escape(cp)) {
			rc = xe2e_buf_add(out, s + i, n, err);
		} else {
			el = escape_one(e, s + i, n ? n : 1, cp, n != 0);
			rc = xe2e_buf_add(out, e, el, err);
		}
		i += n ? n : 1;
	}
	return rc;
}

static int holds(const char *p, size_t len, const char *s)
{
	size_t n = strlen(s), i;

	for (i = 0; n && i + n <= len; i++)
		if (!memcmp(p + i, s, n))
			return 1;
	return 0;
}

int xe2e_text_item(struct xe2e_buf *out, const char *p, size_t len, const char *sep,
		   struct xe2e_err *err)
{
	size_t i, start;
	int rc;

	size_t k;
	int plain = !(len && (p[0] == ' ' || p[len - 1] == ' ')) && !memchr(p, '\'', len) &&
		    !memchr(p, '\\', len) && !holds(p, len, sep);

	/* a non-ASCII character may look like a separator (U+00A0, U+FF0C...) */
	for (k = 0; plain && k < len; k++)
		plain = (unsigned char)p[k] < 0x80;
	if (plain)
		return xe2e_text_escape_buf(out, p, len, err);
	rc = xe2e_buf_addc(out, '\'', err);
	for (i = start = 0; !rc && i <= len; i++) {
		if (i < len && p[i] != '\'' && p[i] != '\\')
			continue;
		rc = xe2e_text_escape_buf(out, p + start, i - start, err);
		if (!rc && i < len) {
			rc = xe2e_buf_addc(out, '\\', err);
			if (!rc)
				rc = xe2e_buf_addc(out, (unsigned char)p[i], err);
		}
		start = i + 1;
	}
	return rc ? rc : xe2e_buf_addc(out, '\'', err);
}

int xe2e_text_join(struct xe2e_buf *out, const char *list, const char *sep,
		   struct xe2e_err *err)
{
	const char *p, *nl;
	int rc = 0, first = 1;

	for (p = list ? list : ""; !rc && (nl = strchr(p, '\n')) != NULL; p = nl + 1, first = 0) {
		if (!first)
			rc = xe2e_buf_adds(out, sep, err);
		if (!rc)
			rc = xe2e_text_item(out, p, (size_t)(nl - p), sep, err);
	}
	return rc ? rc : first;
}

int xe2e_text_has_line(const struct xe2e_buf *b, const char *s)
{
	const char *p = b->data ? (const char *)b->data : "", *end = p + b->len, *nl;
	size_t l = strlen(s);

	for (; p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL; p = nl + 1)
		if ((size_t)(nl - p) == l && !memcmp(p, s, l))
			return 1;
	return 0;
}
