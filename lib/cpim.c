/*
 * cpim.c - Message/CPIM objects (see cpim.h).
 *
 * RFC 3862 §2 (structure: MIME header block, empty line, message headers,
 * empty line, encapsulated MIME entity), §3.1-§3.4 (header syntax, names,
 * parameters, namespaces), §3.5 (escapes), §3.6 (ABNF), §4 (From, To, cc,
 * DateTime, Subject, NS, Require); RFC 3339 §5.6 (date-time); RFC 3066
 * (language tags); RFC 5322 §2.1.1 (998-octet lines); RFC 3923 §3 and
 * DESIGN §2 (the form built).
 *
 * Choices where RFC 3862 leaves room (all fail closed):
 * - the encapsulated entity must be a MIME entity with a header block and
 *   exactly one valid Content-Type (RFC 3862 §2.4 "MUST"); its body may be
 *   empty.  The object's own header block needs exactly one Content-Type
 *   message/cpim and no transfer encoding other than 7bit/8bit/binary.
 * - a header whose name differs from a processed one only in case ("from")
 *   is refused, not ignored: another reader might take it for From.
 * - NS may declare prefixes for other namespaces; one that rebinds the
 *   default namespace, or binds a prefix to the CPIM header namespace, is
 *   -XE2E_EUNSUPPORTED (we would read the headers differently from what the
 *   sender meant).  A prefix must be declared before use.  cc is checked
 *   but not returned, so "Require: cc" is -XE2E_EUNSUPPORTED.
 * - of several Subjects (each with its own lang) the first is returned;
 *   the others are still checked.
 * - a malformed \u escape (not four hex digits, or a surrogate) is refused;
 *   other unknown escapes stand for the character after the backslash, and
 *   a lone backslash ending the Subject is dropped (§3.5).
 * - DateTime: RFC 3339 date-time, 'T'/'t', 'Z'/'z' or a numeric offset, any
 *   number of fraction digits (truncated to milliseconds), second 60 read as
 *   59; the UTC instant must lie in years 0001-9999 (what can be built):
 *   datetime.h's millisecond parser and formatter.
 * - build refuses whatever parse would refuse (URI without a scheme, a line
 *   over 998 octets, text that is not UTF-8, an entity that is not one), so
 *   every object it writes parses back to the same fields.
 */
#include "cpim.h"
#include "datetime.h"
#include "limits.h"
#include "mime.h"
#include "text.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define CPIM_NS_URN "urn:ietf:params:cpim-headers:"

struct span {
	const unsigned char *p;
	size_t n;
};

/* ---- characters (RFC 3862 §3.6) ---------------------------------------- */

static int is_alpha(unsigned c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int is_digit(unsigned c)
{
	return c >= '0' && c <= '9';
}

static int hexval(unsigned c)
{
	if (is_digit(c))
		return (int)(c - '0');
	if (c >= 'a' && c <= 'f')
		return (int)(c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (int)(c - 'A' + 10);
	return -1;
}

/* NAMECHAR = %x21 / %x23-27 / %x2a-2b / %x2d / %x5e-60 / %x7c / %x7e / ALPHA / DIGIT */
static int is_namechar(unsigned c)
{
	return c == 0x21 || (c >= 0x23 && c <= 0x27) || c == 0x2a || c == 0x2b ||
	       c == 0x2d || (c >= 0x5e && c <= 0x60) || c == 0x7c || c == 0x7e ||
	       is_alpha(c) || is_digit(c);
}

/* TOKENCHAR = NAMECHAR / "." / UCS-high (the line is known to be UTF-8) */
static int is_tokenchar(unsigned c)
{
	return is_namechar(c) || c == '.' || c >= 0x80;
}

static int is_ctl(unsigned cp)
{
	return cp < 0x20 || cp == 0x7f;
}

/* 0 if p[0..n) is UTF-8 without control characters; else 1 (not UTF-8) or
 * 2 (control character). */
static int text_problem(const unsigned char *p, size_t n)
{
	size_t i = 0, k;
	unsigned cp;

	while (i < n) {
		k = xe2e_utf8_char(p + i, n - i, &cp);
		if (k == 0)
			return 1;
		if (is_ctl(cp))
			return 2;
		i += k;
	}
	return 0;
}

/* Language-tag (RFC 3066): 1*8ALPHA *( "-" 1*8(ALPHA / DIGIT) ) */
static int lang_valid(const unsigned char *p, size_t n)
{
	size_t i = 0, k;

	for (k = 0; i < n && k < 8 && is_alpha(p[i]); k++)
		i++;
	if (k == 0)
		return 0;
	while (i < n) {
		if (p[i] != '-')
			return 0;
		i++;
		for (k = 0; i < n && k < 8 && (is_alpha(p[i]) || is_digit(p[i])); k++)
			i++;
		if (k == 0)
			return 0;
	}
	return 1;
}

/* NULL if p[0..n) is a URI we accept inside "<" ">": a scheme, then no
 * space, '<', '>', backslash (an escape to some readers, RFC 3862 §3.5),
 * control character or invalid UTF-8.  Else why not. */
static const char *uri_problem(const unsigned char *p, size_t n)
{
	size_t i;
	int t;

	if (n == 0)
		return "empty URI";
	if (!is_alpha(p[0]))
		return "no scheme in the URI";
	for (i = 1; i < n && (is_alpha(p[i]) || is_digit(p[i]) || p[i] == '+' ||
			      p[i] == '-' || p[i] == '.'); i++)
		;
	if (i >= n || p[i] != ':')
		return "no scheme in the URI";
	t = text_problem(p, n);
	if (t == 1)
		return "invalid UTF-8 in the URI";
	if (t == 2)
		return "control character in the URI";
	for (i = 0; i < n; i++)
		if (p[i] == ' ' || p[i] == '<' || p[i] == '>' || p[i] == '\\')
			return "space, '<', '>' or backslash in the URI";
	return NULL;
}

/* ---- MIME header blocks (the object's and the entity's) ---------------- */

/* Number of header fields called `name` in e's header block. */
static unsigned count_fields(const struct xe2e_mime_part *e, const char *name)
{
	size_t pos = 0, nlen = strlen(name), n;
	const unsigned char *h = e->hdr, *nl;
	unsigned count = 0;

	while (pos < e->hdr_len) {
		nl = memchr(h + pos, '\n', e->hdr_len - pos);
		n = nl ? (size_t)(nl - (h + pos)) : e->hdr_len - pos;
		if (n > nlen && h[pos + nlen] == ':' &&
		    !strncasecmp((const char *)h + pos, name, nlen))
			count++;
		pos += n + 1;
	}
	return count;
}

/* The one field `name` of e into val: 1 found, 0 absent, <0 error (two of
 * them, or a NUL in the value). */
static int one_field(struct xe2e_buf *val, const struct xe2e_mime_part *e,
		     const char *name, const char *what, struct xe2e_err *err)
{
	int rc;

	if (count_fields(e, name) > 1)
		return xe2e_err_set(err, XE2E_EMALFORMED, "two %s fields in %s", name, what);
	rc = xe2e_mime_header(val, e, name, err);
	if (rc == 1 && memchr(val->data, '\0', val->len))
		return xe2e_err_set(err, XE2E_EMALFORMED, "embedded NUL in the %s field of %s", name, what);
	return rc;
}

/* The media type of e's one Content-Type (lowercased) into type[size]. */
static int content_type(char *type, size_t size, const struct xe2e_mime_part *e,
			const char *what, struct xe2e_err *err)
{
	struct xe2e_buf v = XE2E_BUF_INIT;
	const char *s;
	int rc;

	rc = one_field(&v, e, "Content-Type", what, err);
	if (rc == 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "no Content-Type in %s", what);
	if (rc < 0)
		goto out;
	rc = xe2e_mime_ctype(type, size, (const char *)v.data, err);
	if (rc)
		goto out;
	/* type/subtype, then nothing but parameters */
	for (s = (const char *)v.data; *s == ' ' || *s == '\t'; s++)
		;
	s += strlen(type);
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s != '\0' && *s != ';')
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "bad Content-Type '%.60s' in %s",
				  (const char *)v.data, what);
out:
	xe2e_buf_release(&v);
	return rc;
}

static int split_entity(struct xe2e_mime_part *e, const unsigned char *p, size_t len,
			const char *what, struct xe2e_err *err)
{
	int rc = xe2e_mime_split(e, p, len, err);

	if (rc) {
		if (err)
			xe2e_err_set(err, err->code, "%s (%s)", err->msg, what);
		return rc;
	}
	return 0;
}

/* RFC 3862 §2.4: the encapsulated entity is a MIME entity with a
 * Content-Type.  Its body may be empty. */
static int check_entity(const unsigned char *p, size_t len, struct xe2e_err *err)
{
	static const char what[] = "the entity inside Message/CPIM";
	struct xe2e_mime_part e;
	char type[256];
	int rc;

	if (!p)
		return xe2e_err_set(err, XE2E_EMALFORMED, "no entity inside Message/CPIM");
	rc = split_entity(&e, p, len, what, err);
	if (rc)
		return rc;
	if (e.hdr_len == 0)
		return xe2e_err_set(err, XE2E_EMALFORMED, "no header fields in %s", what);
	return content_type(type, sizeof(type), &e, what, err);
}

/* The object's own header block: Content-Type message/cpim, and no
 * transfer encoding we would have to undo first. */
static int check_object_header(const struct xe2e_mime_part *o, struct xe2e_err *err)
{
	static const char what[] = "the Message/CPIM object's header";
	struct xe2e_buf v = XE2E_BUF_INIT;
	char type[256];
	int rc;

	if (o->hdr_len == 0)
		return xe2e_err_set(err, XE2E_EMALFORMED,
				    "no Content-Type in %s (it starts with an empty line)", what);
	rc = content_type(type, sizeof(type), o, what, err);
	if (rc)
		return rc;
	if (strcmp(type, "message/cpim"))
		return xe2e_err_set(err, XE2E_EMALFORMED,
				    "not a Message/CPIM object (Content-Type '%s')", type);
	rc = one_field(&v, o, "Content-Transfer-Encoding", what, err);
	if (rc == 1) {
		const char *cte = (const char *)v.data;

		if (strcasecmp(cte, "7bit") && strcasecmp(cte, "8bit") &&
		    strcasecmp(cte, "binary"))
			rc = xe2e_err_set(err, XE2E_EUNSUPPORTED,
					  "unsupported Content-Transfer-Encoding '%.40s' on the Message/CPIM object",
					  cte);
		else
			rc = 0;
	}
	xe2e_buf_release(&v);
	return rc < 0 ? rc : 0;
}

/* ---- escapes (RFC 3862 §3.5) ------------------------------------------- */

static int add_utf8(struct xe2e_buf *out, unsigned cp, struct xe2e_err *err)
{
	unsigned char u[3];
	size_t n;

	if (cp < 0x80) {
		u[0] = (unsigned char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (unsigned char)(0xc0 | (cp >> 6));
		u[1] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 2;
	} else {
		u[0] = (unsigned char)(0xe0 | (cp >> 12));
		u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (unsigned char)(0x80 | (cp & 0x3f));
		n = 3;
	}
	return xe2e_buf_add(out, u, n, err);
}

/*
 * Unescape v[0..n) (UTF-8 without control characters) into out (appended):
 * \\ \" \' \b \t \n \r and \uXXXX; any other escaped character stands for
 * itself; a lone trailing backslash is dropped.  A \u not followed by four
 * hex digits, or naming a surrogate, is refused (-1 with *why).
 */
static int unescape(struct xe2e_buf *out, const unsigned char *v, size_t n,
		    const char **why, struct xe2e_err *err)
{
	size_t i = 0, run = 0, k;
	unsigned cp;
	int rc, h, j;

	while (i < n) {
		if (v[i] != '\\') {
			i++;
			continue;
		}
		rc = xe2e_buf_add(out, v + run, i - run, err);
		if (rc)
			return rc;
		if (i + 1 == n) { /* lone trailing backslash: ignored */
			i++;
			run = i;
			break;
		}
		switch (v[i + 1]) {
		case 'b': rc = xe2e_buf_addc(out, '\b', err); k = 2; break;
		case 't': rc = xe2e_buf_addc(out, '\t', err); k = 2; break;
		case 'n': rc = xe2e_buf_addc(out, '\n', err); k = 2; break;
		case 'r': rc = xe2e_buf_addc(out, '\r', err); k = 2; break;
		case 'u':
			if (n - i < 6) {
				*why = "bad \\u escape";
				return -1;
			}
			for (cp = 0, j = 2; j < 6; j++) {
				h = hexval(v[i + (size_t)j]);
				if (h < 0) {
					*why = "bad \\u escape";
					return -1;
				}
				cp = cp * 16 + (unsigned)h;
			}
			if (cp >= 0xd800 && cp <= 0xdfff) {
				*why = "\\u escape of a surrogate";
				return -1;
			}
			rc = add_utf8(out, cp, err);
			k = 6;
			break;
		default: /* \\ \" \' and unknown escapes: the character itself */
			k = xe2e_utf8_char(v + i + 1, n - i - 1, &cp);
			if (k == 0) {
				*why = "invalid UTF-8";
				return -1;
			}
			rc = xe2e_buf_add(out, v + i + 1, k, err);
			k++;
			break;
		}
		if (rc)
			return rc;
		i += k;
		run = i;
	}
	return xe2e_buf_add(out, v + run, n - run, err);
}

/* Index just past the closing quote of the String at v[0] == '"', or 0. */
static size_t scan_string(const unsigned char *v, size_t n)
{
	size_t i = 1;

	while (i < n) {
		if (v[i] == '\\')
			i += 2;
		else if (v[i] == '"')
			return i + 1;
		else
			i++;
	}
	return 0;
}

/* Length of the escaped form of subject s[0..n) (0 ok, -1 not UTF-8). */
static int subject_escaped_len(const unsigned char *s, size_t n, size_t *out)
{
	size_t i = 0, k, total = 0;
	unsigned cp;

	while (i < n) {
		k = xe2e_utf8_char(s + i, n - i, &cp);
		if (k == 0)
			return -1;
		if (cp == '\\' || cp == '\b' || cp == '\t' || cp == '\n' || cp == '\r')
			total += 2;
		else if (is_ctl(cp))
			total += 6;
		else
			total += k;
		i += k;
	}
	*out = total;
	return 0;
}

static int add_subject(struct xe2e_buf *out, const unsigned char *s, size_t n,
		       struct xe2e_err *err)
{
	size_t i = 0, k, run = 0;
	unsigned cp;
	char e[8];
	int rc;

	while (i < n) {
		k = xe2e_utf8_char(s + i, n - i, &cp); /* checked before */
		if (k == 0)
			return xe2e_err_set(err, XE2E_EMALFORMED, "invalid UTF-8 in the Subject");
		if (cp == '\\' || is_ctl(cp)) {
			rc = xe2e_buf_add(out, s + run, i - run, err);
			if (rc)
				return rc;
			switch (cp) {
			case '\\': rc = xe2e_buf_add(out, "\\\\", 2, err); break;
			case '\b': rc = xe2e_buf_add(out, "\\b", 2, err); break;
			case '\t': rc = xe2e_buf_add(out, "\\t", 2, err); break;
			case '\n': rc = xe2e_buf_add(out, "\\n", 2, err); break;
			case '\r': rc = xe2e_buf_add(out, "\\r", 2, err); break;
			default:
				snprintf(e, sizeof(e), "\\u%04X", cp);
				rc = xe2e_buf_add(out, e, 6, err);
				break;
			}
			if (rc)
				return rc;
			run = i + k;
		}
		i += k;
	}
	return xe2e_buf_add(out, s + run, n - run, err);
}

/* ---- build ------------------------------------------------------------- */

static int check_uri(const char *uri, const char *hname, struct xe2e_err *err)
{
	const char *why;
	size_t n;

	if (!uri)
		return xe2e_err_set(err, XE2E_EMALFORMED, "no %s URI", hname);
	n = strlen(uri);
	why = uri_problem((const unsigned char *)uri, n);
	if (why)
		return xe2e_err_set(err, XE2E_EMALFORMED, "bad %s URI '%.80s': %s", hname,
				    uri, why);
	/* "From: <" uri ">" within one line */
	if (n > XE2E_CPIM_MAX_LINE - strlen(hname) - 4)
		return xe2e_err_set(err, XE2E_EMALFORMED,
				    "line too long for the %s URI (%zu bytes)",
				    hname, n);
	return 0;
}

int xe2e_cpim_build(struct xe2e_buf *out, const struct xe2e_cpim_build *b,
		    struct xe2e_err *err)
{
	const unsigned char *subj;
	size_t start = out->len, elen = 0, llen = 0;
	char dt[40];
	int rc;

	if (!b)
		return xe2e_err_set(err, XE2E_EMALFORMED, "nothing to build a Message/CPIM object from");
	/* check everything first: nothing is written unless all is well */
	rc = check_uri(b->from_uri, "From", err);
	if (!rc)
		rc = check_uri(b->to_uri, "To", err);
	if (rc)
		return rc;
	if (xe2e_time_format_ms(dt, sizeof(dt), b->datetime_ms))
		return xe2e_err_set(err, XE2E_EMALFORMED,
				    "date-time out of range for DateTime (%lld ms since 1970)",
				    (long long)b->datetime_ms);
	subj = (const unsigned char *)b->subject;
	if (!subj && b->subject_lang)
		return xe2e_err_set(err, XE2E_EMALFORMED, "lang given without a Subject");
	if (subj) {
		if (b->subject_lang) {
			llen = strlen(b->subject_lang);
			if (!lang_valid((const unsigned char *)b->subject_lang, llen))
				return xe2e_err_set(err, XE2E_EMALFORMED,
						    "bad Subject lang '%.40s' (want a language tag)",
						    b->subject_lang);
		}
		if (subject_escaped_len(subj, b->subject_len, &elen))
			return xe2e_err_set(err, XE2E_EMALFORMED, "invalid UTF-8 in the Subject");
		/* "Subject:" [";lang=" tag] " " text */
		if (elen > XE2E_CPIM_MAX_LINE || llen > XE2E_CPIM_MAX_LINE ||
		    9 + elen + (b->subject_lang ? 6 + llen : 0) > XE2E_CPIM_MAX_LINE)
			return xe2e_err_set(err, XE2E_EMALFORMED,
					    "line too long for the Subject (%zu bytes escaped, at most 998 octets a line)",
					    elen);
	}
	rc = check_entity(b->entity, b->entity_len, err);
	if (rc)
		return rc;

	rc = xe2e_buf_grow(out, 128 + strlen(b->from_uri) + strlen(b->to_uri) + elen + llen +
				     b->entity_len, err);
	if (!rc)
		rc = xe2e_buf_addf(out, err,
				   "Content-type: Message/CPIM\r\n\r\n"
				   "From: <%s>\r\nTo: <%s>\r\nDateTime: %s\r\n",
				   b->from_uri, b->to_uri, dt);
	if (!rc && subj) {
		rc = xe2e_buf_adds(out, "Subject:", err);
		if (!rc && b->subject_lang)
			rc = xe2e_buf_addf(out, err, ";lang=%s", b->subject_lang);
		if (!rc)
			rc = xe2e_buf_addc(out, ' ', err);
		if (!rc)
			rc = add_subject(out, subj, b->subject_len, err);
		if (!rc)
			rc = xe2e_buf_add(out, "\r\n", 2, err);
	}
	if (!rc)
		rc = xe2e_buf_add(out, "\r\n", 2, err);
	if (!rc)
		rc = xe2e_buf_add(out, b->entity, b->entity_len, err);
	if (rc && out->data) { /* fail closed: no half-written object */
		out->len = start;
		out->data[start] = '\0';
	}
	return rc;
}

/* ---- parse ------------------------------------------------------------- */

void xe2e_cpim_init(struct xe2e_cpim *c)
{
	memset(c, 0, sizeof(*c));
}

void xe2e_cpim_release(struct xe2e_cpim *c)
{
	xe2e_buf_release(&c->from_uri);
	xe2e_buf_release(&c->from_name);
	xe2e_buf_release(&c->to_uri);
	xe2e_buf_release(&c->to_name);
	xe2e_buf_release(&c->datetime);
	xe2e_buf_release(&c->subject);
	xe2e_buf_release(&c->subject_lang);
	xe2e_cpim_init(c);
}

/* The headers this module reads; all but cc may be named by Require. */
static const char *const known_headers[] = {
	"From", "To", "DateTime", "Subject", "NS", "Require", "cc"
};
#define N_REQUIRABLE 6

struct parser {
	struct xe2e_cpim *c;
	struct xe2e_err *err;
	unsigned line;                 /* 1-based, within the CPIM headers */
	int has_from;
	struct span prefixes[XE2E_CPIM_MAX_HEADERS]; /* declared by NS */
	size_t n_prefixes;
	struct span langs[XE2E_CPIM_MAX_HEADERS];    /* Subject langs seen */
	size_t n_langs;
	struct xe2e_buf scratch;       /* values checked but not kept */
};

static int bad(struct parser *ps, const char *what, const char *hname)
{
	return xe2e_err_set(ps->err, XE2E_EMALFORMED, "%s%s%s (Message/CPIM header line %u)",
			    what, hname ? " in " : "", hname ? hname : "", ps->line);
}

/* [ Formal-name ] "<" URI ">" (RFC 3862 §4.1-4.3), with an optional SP
 * between a quoted Formal-name and "<".  name/uri NULL: check only. */
static int parse_addr(struct parser *ps, struct xe2e_buf *name, struct xe2e_buf *uri,
		      const unsigned char *v, size_t n, const char *hname)
{
	const unsigned char *close;
	const char *why = NULL;
	size_t i = 0, q, s, name_end = 0;
	int rc;

	if (!name) {
		xe2e_buf_reset(&ps->scratch);
		name = &ps->scratch;
	}
	if (n && v[0] == '"') {
		q = scan_string(v, n);
		if (!q)
			return bad(ps, "unterminated quoted name", hname);
		rc = unescape(name, v + 1, q - 2, &why, ps->err);
		if (rc < 0 && why)
			return bad(ps, why, hname);
		if (rc)
			return rc;
		i = q;
		if (i < n && v[i] == ' ')
			i++;
	} else {
		while (i < n && v[i] != '<') {
			for (s = i; i < n && is_tokenchar(v[i]); i++)
				;
			if (i == s || i >= n || v[i] != ' ')
				return bad(ps, "bad name (want tokens or a quoted string, then \"<URI>\")",
					   hname);
			name_end = i++;
		}
		rc = xe2e_buf_add(name, v, name_end, ps->err);
		if (rc)
			return rc;
	}
	if (i >= n || v[i] != '<')
		return bad(ps, "no \"<URI>\"", hname);
	i++;
	close = memchr(v + i, '>', n - i);
	if (!close || close != v + n - 1)
		return bad(ps, "bad \"<URI>\" (want nothing after '>')", hname);
	why = uri_problem(v + i, (size_t)(close - (v + i)));
	if (why)
		return bad(ps, why, hname);
	if (uri)
		return xe2e_buf_add(uri, v + i, (size_t)(close - (v + i)), ps->err);
	return 0;
}

/* *( ";" Parameter ) from l[i] up to the SP before the value (RFC 3862
 * §3.2): *sp its index, *lang the lang= value (p NULL if none), *n_other
 * how many other parameters. */
static int parse_params(struct parser *ps, const unsigned char *l, size_t n, size_t i,
			size_t *sp, struct span *lang, unsigned *n_other)
{
	size_t s, k, vs, q;

	lang->p = NULL;
	lang->n = 0;
	*n_other = 0;
	while (i < n && l[i] == ';') {
		for (s = ++i; i < n && is_namechar(l[i]); i++)
			;
		if (i == s || i >= n || l[i] != '=')
			return bad(ps, "bad header parameter", NULL);
		k = i - s;
		vs = ++i;
		if (i < n && l[i] == '"') {
			q = scan_string(l + i, n - i);
			if (!q)
				return bad(ps, "unterminated quoted parameter", NULL);
			i += q;
		} else {
			while (i < n && is_tokenchar(l[i]))
				i++;
			if (i == vs)
				return bad(ps, "empty header parameter", NULL);
		}
		if (k == 4 && !strncasecmp((const char *)l + s, "lang", 4)) {
			if (lang->p)
				return bad(ps, "two lang parameters", NULL);
			if (!lang_valid(l + vs, i - vs))
				return bad(ps, "bad lang parameter (want a language tag)", NULL);
			lang->p = l + vs;
			lang->n = i - vs;
		} else {
			(*n_other)++;
		}
	}
	if (i >= n || l[i] != ' ')
		return bad(ps, "no space after the header name", NULL);
	*sp = i;
	return 0;
}

static int span_eq(const unsigned char *a, size_t an, const char *b)
{
	return an == strlen(b) && !memcmp(a, b, an);
}

/* Header-name = [ Name-prefix "." ] Name; *dot its '.' or SIZE_MAX. */
static size_t header_name(const unsigned char *l, size_t n, size_t *dot)
{
	size_t i = 0, s;

	*dot = SIZE_MAX;
	for (; i < n && is_namechar(l[i]); i++)
		;
	if (i == 0)
		return 0;
	if (i < n && l[i] == '.') {
		*dot = i;
		for (s = ++i; i < n && is_namechar(l[i]); i++)
			;
		if (i == s)
			return 0;
	}
	return i;
}

static int parse_ns(struct parser *ps, const unsigned char *v, size_t n)
{
	const unsigned char *uri;
	const char *why;
	size_t i = 0, un;

	for (; i < n && is_namechar(v[i]); i++)
		;
	if (i > 0 && (i >= n || v[i] != ' '))
		return bad(ps, "bad prefix", "NS");
	if (i > 0)
		i++;
	if (i >= n || v[i] != '<' || v[n - 1] != '>' || n - i < 2)
		return bad(ps, "no \"<URI>\"", "NS");
	uri = v + i + 1;
	un = n - i - 2;
	why = uri_problem(uri, un);
	if (why)
		return bad(ps, why, "NS");
	if (un == strlen(CPIM_NS_URN) && !strncasecmp((const char *)uri, CPIM_NS_URN, un)) {
		if (i > 0)
			return xe2e_err_set(ps->err, XE2E_EUNSUPPORTED,
					    "prefix '%.*s' for the CPIM header namespace is not supported (Message/CPIM header line %u)",
					    (int)(i - 1), (const char *)v, ps->line);
		return 0; /* the default namespace, declared again */
	}
	if (i == 0)
		return xe2e_err_set(ps->err, XE2E_EUNSUPPORTED,
				    "default header namespace '%.*s' is not supported (Message/CPIM header line %u)",
				    (int)(un > 80 ? 80 : un), (const char *)uri, ps->line);
	ps->prefixes[ps->n_prefixes].p = v;
	ps->prefixes[ps->n_prefixes].n = i - 1;
	ps->n_prefixes++;
	return 0;
}

static int parse_require(struct parser *ps, const unsigned char *v, size_t n)
{
	size_t i = 0, s, k, dot, j;

	for (;;) {
		s = i;
		while (i < n && v[i] != ',')
			i++;
		k = header_name(v + s, i - s, &dot);
		if (k == 0 || k != i - s)
			return bad(ps, "bad header name", "Require");
		for (j = 0; dot == SIZE_MAX && j < N_REQUIRABLE; j++)
			if (span_eq(v + s, k, known_headers[j]))
				break;
		if (dot != SIZE_MAX || j == N_REQUIRABLE)
			return xe2e_err_set(ps->err, XE2E_EUNSUPPORTED,
					    "required header '%.*s' is not supported (Message/CPIM header line %u)",
					    (int)(k > 80 ? 80 : k), (const char *)v + s, ps->line);
		if (i >= n)
			return 0;
		i++;
	}
}

static int parse_subject(struct parser *ps, const struct span *lang,
			 const unsigned char *v, size_t n)
{
	struct xe2e_cpim *c = ps->c;
	struct xe2e_buf *out;
	const char *why = NULL;
	size_t j;
	int rc;

	for (j = 0; j < ps->n_langs; j++)
		if (ps->langs[j].n == lang->n &&
		    (lang->n == 0 ||
		     !strncasecmp((const char *)ps->langs[j].p, (const char *)lang->p, lang->n)))
			return bad(ps, "two Subject headers with the same lang", NULL);
	ps->langs[ps->n_langs++] = *lang;
	if (c->has_subject) { /* only the first is kept; the rest are checked */
		xe2e_buf_reset(&ps->scratch);
		out = &ps->scratch;
	} else {
		out = &c->subject;
		c->has_subject = 1;
		rc = xe2e_buf_add(&c->subject_lang, lang->p ? lang->p : (const unsigned char *)"",
				  lang->n, ps->err);
		if (rc)
			return rc;
	}
	rc = unescape(out, v, n, &why, ps->err);
	if (rc < 0 && why)
		return bad(ps, why, "Subject");
	return rc;
}

/* One header line l[0..n) (no line break). */
static int parse_line(struct parser *ps, const unsigned char *l, size_t n)
{
	struct xe2e_cpim *c = ps->c;
	struct span lang;
	const unsigned char *v;
	size_t k, dot, sp = 0, vn, j;
	unsigned n_other;
	int t, rc, first;

	t = text_problem(l, n);
	if (t)
		return bad(ps, t == 1 ? "invalid UTF-8" : "control character", NULL);
	k = header_name(l, n, &dot);
	if (k == 0 || k >= n || l[k] != ':')
		return bad(ps, l[0] == ' ' ? "folded or indented header" : "bad header name", NULL);
	rc = parse_params(ps, l, n, k + 1, &sp, &lang, &n_other);
	if (rc)
		return rc;
	v = l + sp + 1;
	vn = n - sp - 1;
	if (dot != SIZE_MAX) { /* another namespace: ignored, once declared */
		for (j = 0; j < ps->n_prefixes; j++)
			if (ps->prefixes[j].n == dot && !memcmp(ps->prefixes[j].p, l, dot))
				return 0;
		return xe2e_err_set(ps->err, XE2E_EMALFORMED,
				    "header '%.*s' uses a prefix no NS header declared (Message/CPIM header line %u)",
				    (int)(k > 80 ? 80 : k), (const char *)l, ps->line);
	}
	for (j = 0; j < sizeof(known_headers) / sizeof(known_headers[0]); j++)
		if (k == strlen(known_headers[j]) &&
		    !strncasecmp((const char *)l, known_headers[j], k))
			break;
	if (j == sizeof(known_headers) / sizeof(known_headers[0]))
		return 0; /* unknown header: ignored (Require decides) */
	if (!span_eq(l, k, known_headers[j]))
		return xe2e_err_set(ps->err, XE2E_EMALFORMED,
				    "header '%.*s' is not '%s' (names are case-sensitive; Message/CPIM header line %u)",
				    (int)k, (const char *)l, known_headers[j], ps->line);
	if (strcmp(known_headers[j], "Subject") ? (lang.p || n_other) : n_other > 0)
		return bad(ps, "parameter not allowed", known_headers[j]);

	switch (l[0]) {
	case 'F':
		if (ps->has_from)
			return bad(ps, "two From headers", NULL);
		ps->has_from = 1;
		return parse_addr(ps, &c->from_name, &c->from_uri, v, vn, "From");
	case 'T':
		first = c->n_to++ == 0; /* the first To is kept, the rest checked */
		return parse_addr(ps, first ? &c->to_name : NULL, first ? &c->to_uri : NULL,
				  v, vn, "To");
	case 'c':
		return parse_addr(ps, NULL, NULL, v, vn, "cc");
	case 'D':
		if (c->has_datetime)
			return bad(ps, "two DateTime headers", NULL);
		c->has_datetime = 1;
		if (xe2e_time_parse_ms(&c->datetime_ms, (const char *)v, vn, NULL))
			return xe2e_err_set(ps->err, XE2E_EMALFORMED,
					    "bad DateTime '%.*s' (want RFC 3339; Message/CPIM header line %u)",
					    (int)(vn > 60 ? 60 : vn), (const char *)v, ps->line);
		return xe2e_buf_add(&c->datetime, v, vn, ps->err);
	case 'S':
		return parse_subject(ps, &lang, v, vn);
	case 'N':
		return parse_ns(ps, v, vn);
	default: /* 'R' */
		return parse_require(ps, v, vn);
	}
}

/* The CPIM headers at b[0..len) up to their empty line; *used: bytes
 * consumed, the empty line included. */
static int parse_headers(struct parser *ps, const unsigned char *b, size_t len, size_t *used)
{
	const unsigned char *nl;
	size_t pos = 0, n, brk, scan;
	unsigned count = 0;
	int rc;

	for (;;) {
		ps->line = count + 1;
		if (pos >= len)
			return xe2e_err_set(ps->err, XE2E_EMALFORMED,
					    "no empty line after the Message/CPIM headers");
		scan = len - pos;
		if (scan > XE2E_CPIM_MAX_LINE + 2)
			scan = XE2E_CPIM_MAX_LINE + 2;
		nl = memchr(b + pos, '\n', scan);
		if (!nl) {
			if (len - pos > XE2E_CPIM_MAX_LINE)
				return bad(ps, "header line longer than 998 octets", NULL);
			return xe2e_err_set(ps->err, XE2E_EMALFORMED,
					    "no empty line after the Message/CPIM headers");
		}
		n = (size_t)(nl - (b + pos));
		brk = 1;
		if (n > 0 && b[pos + n - 1] == '\r') {
			n--;
			brk = 2;
		}
		if (n == 0) {
			*used = pos + brk;
			return 0;
		}
		if (++count > XE2E_CPIM_MAX_HEADERS)
			return xe2e_err_set(ps->err, XE2E_EMALFORMED,
					    "more than %d Message/CPIM headers",
					    XE2E_CPIM_MAX_HEADERS);
		if (n > XE2E_CPIM_MAX_LINE)
			return bad(ps, "header line longer than 998 octets", NULL);
		rc = parse_line(ps, b + pos, n);
		if (rc)
			return rc;
		pos += n + brk;
	}
}

static int parse(struct parser *ps, const unsigned char *p, size_t len)
{
	struct xe2e_cpim *c = ps->c;
	struct xe2e_mime_part o;
	size_t used = 0;
	int rc;

	if (!p)
		return xe2e_err_set(ps->err, XE2E_EMALFORMED, "no Message/CPIM object");
	if (len > XE2E_MAX_INPUT)
		return xe2e_err_set(ps->err, XE2E_EMALFORMED,
				    "input larger than %zu bytes (Message/CPIM object)", XE2E_MAX_INPUT);
	rc = split_entity(&o, p, len, "the Message/CPIM object", ps->err);
	if (!rc)
		rc = check_object_header(&o, ps->err);
	if (!rc)
		rc = parse_headers(ps, o.body, o.body_len, &used);
	if (rc)
		return rc;
	if (!ps->has_from)
		return xe2e_err_set(ps->err, XE2E_EMALFORMED, "no From header in Message/CPIM object");
	if (!c->n_to)
		return xe2e_err_set(ps->err, XE2E_EMALFORMED, "no To header in Message/CPIM object");
	c->entity = o.body + used;
	c->entity_len = o.body_len - used;
	rc = check_entity(c->entity, c->entity_len, ps->err);
	if (rc)
		return rc;
	/* every buffer allocated and NUL-terminated, even when empty */
	rc = xe2e_buf_add(&c->from_name, "", 0, ps->err);
	if (!rc)
		rc = xe2e_buf_add(&c->to_name, "", 0, ps->err);
	if (!rc)
		rc = xe2e_buf_add(&c->datetime, "", 0, ps->err);
	if (!rc)
		rc = xe2e_buf_add(&c->subject, "", 0, ps->err);
	if (!rc)
		rc = xe2e_buf_add(&c->subject_lang, "", 0, ps->err);
	return rc;
}

int xe2e_cpim_parse(struct xe2e_cpim *c, const unsigned char *p, size_t len,
		    struct xe2e_err *err)
{
	struct parser ps;
	int rc;

	xe2e_cpim_release(c);
	memset(&ps, 0, sizeof(ps));
	ps.c = c;
	ps.err = err;
	rc = parse(&ps, p, len);
	xe2e_buf_release(&ps.scratch);
	if (rc) /* fail closed: nothing half-parsed is left behind */
		xe2e_cpim_release(c);
	return rc;
}
