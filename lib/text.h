/*
 * text.h - untrusted text on its way to a person: UTF-8 checks and the one
 * escaping rule for human messages (DESIGN §4: one line names the problem).
 *
 * Names, paths and strings from input may hold line breaks, terminal escape
 * sequences, bidirectional overrides or bytes that are not UTF-8; a message
 * that carries them could print a forged second line.  Every error message
 * (err.c) and every human report line goes through xe2e_text_escape, which
 * is idempotent (its output has nothing left to escape), so a message may be
 * re-used as an argument of a longer one.
 *
 * Not here: JSON strings (json.h escapes by JSON's rules).
 */
#ifndef XE2E_TEXT_H
#define XE2E_TEXT_H

#include <stddef.h>
#include "buf.h"

/*
 * Length (1..4) of the well-formed UTF-8 sequence at p[0..len) and its code
 * point in *cp, or 0 when the bytes there are not well-formed UTF-8
 * (overlong forms, surrogates and code points above U+10FFFF included).
 */
size_t xe2e_utf8_char(const unsigned char *p, size_t len, unsigned *cp);

/* 1 if p[0..len) is well-formed UTF-8 without NUL, else 0. */
int xe2e_utf8_valid(const unsigned char *p, size_t len);

/* 1 if code point cp is shown escaped: C0 controls (tab included), DEL,
 * C1 controls, the line and paragraph separators U+2028/U+2029, and the
 * bidirectional formatting characters. */
int xe2e_text_must_escape(unsigned cp);

/*
 * Escape p[0..len) into out[size] (always NUL-terminated when size > 0):
 * \n \r \t for those, \xHH for any other byte of an escaped character or of
 * invalid UTF-8, \u202E style for escaped code points above U+00FF; all
 * else, backslashes included, unchanged.  Truncates at a character
 * boundary.  Returns the length written.
 */
size_t xe2e_text_escape(char *out, size_t size, const unsigned char *p, size_t len);

/* The same, appended to a buffer. */
int xe2e_text_escape_buf(struct xe2e_buf *out, const void *p, size_t len,
			 struct xe2e_err *err);

/*
 * One item of a list shown to people, items separated by sep: escaped as
 * above, and quoted -- '...', with ' and \ inside as \' and \\ -- when it
 * holds sep, a quote, a backslash or any non-ASCII character (one may look
 * like a separator), or begins or ends with a space, so an item can never
 * pass for two.
 */
int xe2e_text_item(struct xe2e_buf *out, const char *p, size_t len, const char *sep,
		   struct xe2e_err *err);

/* 1 if the list of lines in b ("a\nb\n") has the line s. */
int xe2e_text_has_line(const struct xe2e_buf *b, const char *s);

/* The lines of list ("a\nb\n") as items joined by sep; 1 when there were
 * none (nothing appended). */
int xe2e_text_join(struct xe2e_buf *out, const char *list, const char *sep,
		   struct xe2e_err *err);

#endif
