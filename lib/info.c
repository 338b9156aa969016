/*
 * info.c - the inspect tree (see info.h).
 */
#include "info.h"
#include "datetime.h"
#include "err.h"
#include "text.h"

#include <stdlib.h>
#include <string.h>

enum kind { OBJ, ARR, STR, INT, BOOL };

struct xe2e_info {
	enum kind kind;
	char *key;
	struct xe2e_buf s;               /* STR */
	long long v;                     /* INT, BOOL */
	struct xe2e_info *first, *last, *next, *parent;
	struct xe2e_info_acct *acct;     /* the root's */
	int depth;
};

/* the root's accounting: node count and the sticky error */
struct xe2e_info_acct {
	size_t nodes;
	int rc;
	struct xe2e_err err;
};

static struct xe2e_info *node(struct xe2e_info *parent, const char *key, enum kind k)
{
	struct xe2e_info *n;
	struct xe2e_info_acct *a;

	if (!parent)
		return NULL;
	a = parent->acct;
	if (a->rc)
		return NULL;
	if ((parent->kind == OBJ) != (key != NULL) || (parent->kind != OBJ && parent->kind != ARR)) {
		a->rc = xe2e_err_set(&a->err, XE2E_EIO, "inspect tree: bad use");
		return NULL;
	}
	if (a->nodes >= XE2E_INFO_MAX_NODES || parent->depth + 1 > XE2E_INFO_MAX_DEPTH) {
		a->rc = xe2e_err_set(&a->err, XE2E_EMALFORMED,
				     "too much to show (more than %d items or %d levels)",
				     XE2E_INFO_MAX_NODES, XE2E_INFO_MAX_DEPTH);
		return NULL;
	}
	n = calloc(1, sizeof(*n));
	if (n && key && !(n->key = strdup(key))) {
		free(n);
		n = NULL;
	}
	if (!n) {
		a->rc = xe2e_err_oom(&a->err);
		return NULL;
	}
	n->kind = k;
	n->acct = a;
	n->parent = parent;
	n->depth = parent->depth + 1;
	xe2e_buf_init(&n->s, 0);
	if (parent->last)
		parent->last->next = n;
	else
		parent->first = n;
	parent->last = n;
	a->nodes++;
	return n;
}

struct xe2e_info *xe2e_info_new(void)
{
	struct xe2e_info *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->acct = calloc(1, sizeof(*r->acct));
	if (!r->acct) {
		free(r);
		return NULL;
	}
	r->kind = OBJ;
	xe2e_buf_init(&r->s, 0);
	return r;
}

static void free_children(struct xe2e_info *n)
{
	struct xe2e_info *c = n->first, *next;

	/* iterative over siblings; depth is bounded by XE2E_INFO_MAX_DEPTH */
	while (c) {
		next = c->next;
		free_children(c);
		xe2e_buf_release(&c->s);
		free(c->key);
		free(c);
		c = next;
	}
}

void xe2e_info_free(struct xe2e_info *root)
{
	if (!root)
		return;
	free_children(root);
	xe2e_buf_release(&root->s);
	free(root->key);
	free(root->acct);
	free(root);
}

struct xe2e_info *xe2e_info_obj(struct xe2e_info *parent, const char *key)
{
	return node(parent, key, OBJ);
}

struct xe2e_info *xe2e_info_arr(struct xe2e_info *parent, const char *key)
{
	return node(parent, key, ARR);
}

void xe2e_info_strn(struct xe2e_info *parent, const char *key, const void *p, size_t n)
{
	struct xe2e_info *x = node(parent, key, STR);

	if (x && xe2e_buf_add(&x->s, p, n, &x->acct->err))
		x->acct->rc = -XE2E_EIO;
}

void xe2e_info_str(struct xe2e_info *parent, const char *key, const char *s)
{
	xe2e_info_strn(parent, key, s ? s : "", s ? strlen(s) : 0);
}

void xe2e_info_int(struct xe2e_info *parent, const char *key, long long v)
{
	struct xe2e_info *x = node(parent, key, INT);

	if (x)
		x->v = v;
}

void xe2e_info_bool(struct xe2e_info *parent, const char *key, int v)
{
	struct xe2e_info *x = node(parent, key, BOOL);

	if (x)
		x->v = !!v;
}

void xe2e_info_hex(struct xe2e_info *parent, const char *key, const unsigned char *p, size_t n,
		   size_t max, int sep)
{
	struct xe2e_buf b = XE2E_BUF_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; !rc && i < n && i < max; i++)
		rc = xe2e_buf_addf(&b, NULL, "%s%02X", sep && i ? ":" : "", p[i]);
	if (!rc && n > max)
		rc = xe2e_buf_addf(&b, NULL, "...(%zu octets)", n);
	if (rc) {
		if (parent && !parent->acct->rc)
			parent->acct->rc = xe2e_err_oom(&parent->acct->err);
	} else {
		xe2e_info_strn(parent, key, b.data ? b.data : (const unsigned char *)"", b.len);
	}
	xe2e_buf_release(&b);
}

void xe2e_info_time(struct xe2e_info *parent, const char *key, long long t)
{
	char s[40];

	xe2e_time_format_rfc3339(s, sizeof(s), (time_t)t);
	xe2e_info_str(parent, key, s);
}

void xe2e_info_lines(struct xe2e_info *parent, const char *key, const char *lines)
{
	struct xe2e_info *a = xe2e_info_arr(parent, key);
	const char *p = lines ? lines : "", *e;

	while (a && *p) {
		e = strchr(p, '\n');
		if (!e)
			e = p + strlen(p);
		if (e > p)
			xe2e_info_strn(a, NULL, p, (size_t)(e - p));
		p = *e ? e + 1 : e;
	}
}

int xe2e_info_status(const struct xe2e_info *root, struct xe2e_err *err)
{
	if (!root)
		return xe2e_err_oom(err);
	if (root->acct->rc && err)
		*err = root->acct->err;
	return root->acct->rc;
}

/* Render n: `lead` spaces before its first line (0 right after "- "),
 * later lines at `indent` levels of two spaces; item: n is an array's
 * element ("- "). */
static int text_node(struct xe2e_buf *out, const struct xe2e_info *n, int lead, int indent,
		     int item, struct xe2e_err *err)
{
	const struct xe2e_info *c;
	int rc = xe2e_buf_addf(out, err, "%*s%s", lead, "", item ? "- " : "");

	if (!rc && item && (n->kind == OBJ || n->kind == ARR) && n->first) {
		/* "- first: ..." and the rest aligned under it */
		for (c = n->first; !rc && c; c = c->next)
			rc = text_node(out, c, c == n->first ? 0 : (indent + 1) * 2, indent + 1,
				       n->kind == ARR, err);
		return rc;
	}
	if (!rc && n->key) {
		rc = xe2e_text_escape_buf(out, n->key, strlen(n->key), err);
		if (!rc)
			rc = xe2e_buf_adds(out, ":", err);
		if (!rc && n->kind != OBJ && n->kind != ARR)
			rc = xe2e_buf_addc(out, ' ', err);
	}
	switch (n->kind) {
	case STR:
		if (!rc)
			rc = xe2e_text_escape_buf(out, n->s.data, n->s.len, err);
		break;
	case INT:
		if (!rc)
			rc = xe2e_buf_addf(out, err, "%lld", n->v);
		break;
	case BOOL:
		if (!rc)
			rc = xe2e_buf_adds(out, n->v ? "yes" : "no", err);
		break;
	default:
		if (!rc && !n->first)
			rc = xe2e_buf_adds(out, n->kind == OBJ ? " {}" : " (none)", err);
		break;
	}
	if (!rc)
		rc = xe2e_buf_addc(out, '\n', err);
	for (c = n->first; !rc && c; c = c->next)
		rc = text_node(out, c, (indent + 1) * 2, indent + 1, n->kind == ARR, err);
	return rc;
}

int xe2e_info_text(struct xe2e_buf *out, const struct xe2e_info *node, int indent,
		   struct xe2e_err *err)
{
	const struct xe2e_info *c;
	int rc = 0;

	for (c = node ? node->first : NULL; !rc && c; c = c->next)
		rc = text_node(out, c, indent * 2, indent, node->kind == ARR, err);
	return rc;
}

static void json_value(struct xe2e_json *j, const struct xe2e_info *n)
{
	const struct xe2e_info *c;

	switch (n->kind) {
	case STR: xe2e_json_strn(j, n->s.data, n->s.len); return;
	case INT: xe2e_json_int(j, n->v); return;
	case BOOL: xe2e_json_bool(j, (int)n->v); return;
	case OBJ:
		xe2e_json_object(j);
		xe2e_info_json_members(j, n);
		xe2e_json_close(j);
		return;
	case ARR:
		xe2e_json_array(j);
		for (c = n->first; c; c = c->next)
			json_value(j, c);
		xe2e_json_close(j);
		return;
	}
}

void xe2e_info_json_members(struct xe2e_json *j, const struct xe2e_info *obj)
{
	const struct xe2e_info *c;

	for (c = obj ? obj->first : NULL; c; c = c->next) {
		xe2e_json_key(j, c->key ? c->key : "");
		json_value(j, c);
	}
}
