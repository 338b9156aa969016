/*
 * x400.c - O/R address text form (see x400.h).  RFC 5280 Appendix A.1
 * (ORAddress), RFC 3854 §4.3 (x400Address in certificates); the text form
 * follows the usual RFC 1685 abbreviations.
 */
#include "x400.h"
#include "der.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const order[] = {
	"C", "ADMD", "PRMD", "O", "OU", "S", "G", "I", "GQ", "X121", "T-ID", "UA-ID", "DDA"
};
#define N_ORDER (sizeof(order) / sizeof(order[0]))

/*
 * One check for every component of the text form: printable ASCII
 * (X.411 PrintableString and NumericString are subsets), no ';' (the
 * separator), and for a domain-defined attribute type no '=' either -- so
 * a value can never forge another attribute -- and no NUL (the value's
 * length is its C string length).
 */
static int component_ok(const struct xe2e_buf *v, int is_type)
{
	size_t i;

	for (i = 0; i < v->len; i++)
		if (v->data[i] < 0x20 || v->data[i] > 0x7e || v->data[i] == ';' ||
		    (is_type && v->data[i] == '='))
			return 0;
	return 1;
}

static int read_component(struct xe2e_buf *v, const char *k, int is_type, asn1_node n,
			  const char *name, struct xe2e_err *err)
{
	int rc = xe2e_der_read(v, n, name, "ORAddress", err);

	if (!rc && !component_ok(v, is_type))
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "ORAddress: bad character in %s", k);
	return rc;
}

static int add_attr(struct xe2e_buf *out, const char *k, asn1_node n, const char *name,
		    struct xe2e_err *err)
{
	struct xe2e_buf v = XE2E_BUF_INIT;
	int rc;

	if (!xe2e_der_present(n, name))
		return 0;
	rc = read_component(&v, k, 0, n, name, err);
	if (!rc)
		rc = xe2e_buf_addf(out, err, "%s%s=%.*s", out->len ? ";" : "", k,
				   (int)v.len, v.len ? (char *)v.data : "");
	xe2e_buf_release(&v);
	return rc;
}

/* a CHOICE { numeric, printable }: read whichever is there */
static int add_choice(struct xe2e_buf *out, const char *k, asn1_node n, const char *name,
		      struct xe2e_err *err)
{
	char choice[32], path[128];
	int l = sizeof(choice);

	if (!xe2e_der_present(n, name))
		return 0;
	if (asn1_read_value(n, name, choice, &l) != ASN1_SUCCESS)
		return xe2e_err_set(err, XE2E_EMALFORMED, "ORAddress: bad %s", k);
	snprintf(path, sizeof(path), "%s.%s", name, choice);
	return add_attr(out, k, n, path, err);
}

struct ext_item {
	int type;
	struct xe2e_buf hex;
};

static int ext_cmp(const void *a, const void *b)
{
	const struct ext_item *x = a, *y = b;
	size_t n = x->hex.len < y->hex.len ? x->hex.len : y->hex.len;
	int c;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	c = memcmp(x->hex.data, y->hex.data, n);
	return c ? c : x->hex.len < y->hex.len ? -1 : x->hex.len > y->hex.len;
}

/*
 * RFC 5280 A.1 extensionAttributes: each "EXT:type=#hex" (the DER of the
 * value), sorted by type, then value.  Never dropped: an address with
 * extension attributes must not equal one without them.
 */
static int add_extensions(struct xe2e_buf *out, asn1_node n, struct xe2e_err *err)
{
	static const char hexd[] = "0123456789abcdef";
	struct ext_item items[XE2E_X400_MAX_EXT];
	struct xe2e_buf v = XE2E_BUF_INIT;
	char name[96];
	int rc, count = 0, i, k = 0;
	size_t j;

	rc = xe2e_der_count(n, "extensionAttributes", &count, err);
	if (!rc && count > XE2E_X400_MAX_EXT)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "ORAddress: more than %d extension attributes",
				  XE2E_X400_MAX_EXT);
	for (i = 1; !rc && i <= count; i++) {
		struct ext_item *it = &items[k++];

		xe2e_buf_init(&it->hex, 0);
		snprintf(name, sizeof(name), "extensionAttributes.?%d.extension-attribute-type", i);
		rc = xe2e_der_read_uint(&it->type, n, name, "ORAddress", err);
		/* X.411 ub-extension-attributes */
		if (!rc && (it->type < 0 || it->type > 256))
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "ORAddress: bad extension attribute type");
		snprintf(name, sizeof(name), "extensionAttributes.?%d.extension-attribute-value", i);
		if (!rc)
			rc = xe2e_der_read(&v, n, name, "ORAddress", err);
		if (!rc && v.len == 0)
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "ORAddress: empty extension attribute");
		for (j = 0; !rc && j < v.len; j++) {
			rc = xe2e_buf_addc(&it->hex, (unsigned char)hexd[v.data[j] >> 4], err);
			if (!rc)
				rc = xe2e_buf_addc(&it->hex, (unsigned char)hexd[v.data[j] & 15], err);
		}
	}
	if (!rc)
		qsort(items, (size_t)k, sizeof(items[0]), ext_cmp);
	for (i = 0; !rc && i < k; i++)
		rc = xe2e_buf_addf(out, err, "%sEXT:%d=#%.*s", out->len ? ";" : "", items[i].type,
				   (int)items[i].hex.len, (char *)items[i].hex.data);
	for (i = 0; i < k; i++)
		xe2e_buf_release(&items[i].hex);
	xe2e_buf_release(&v);
	return rc;
}

int xe2e_x400_to_text(struct xe2e_buf *out, const unsigned char *der, size_t len,
		      struct xe2e_err *err)
{
	static const char b[] = "builtInStandardAttributes.";
	struct xe2e_buf t = XE2E_BUF_INIT, v = XE2E_BUF_INIT;
	asn1_node n = NULL;
	char name[160];
	int rc, count = 0, i;

	xe2e_buf_reset(out);
	rc = xe2e_der_decode(&n, "XE2E.ORAddress", der, len, "ORAddress", err);
#define P(x) (snprintf(name, sizeof(name), "%s%s", b, x), name)
	if (!rc)
		rc = add_choice(out, "C", n, P("countryName"), err);
	if (!rc)
		rc = add_choice(out, "ADMD", n, P("administrationDomainName"), err);
	if (!rc)
		rc = add_choice(out, "PRMD", n, P("privateDomainName"), err);
	if (!rc)
		rc = add_attr(out, "O", n, P("organizationName"), err);
	if (!rc)
		rc = xe2e_der_count(n, P("organizationalUnitNames"), &count, err);
	if (!rc && count > 4)   /* X.411 ub-organizational-units */
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "ORAddress: more than 4 organizational units");
	for (i = 1; !rc && i <= count; i++) {
		snprintf(name, sizeof(name), "%sorganizationalUnitNames.?%d", b, i);
		rc = add_attr(out, "OU", n, name, err);
	}
	if (!rc)
		rc = add_attr(out, "S", n, P("personalName.surname"), err);
	if (!rc)
		rc = add_attr(out, "G", n, P("personalName.givenName"), err);
	if (!rc)
		rc = add_attr(out, "I", n, P("personalName.initials"), err);
	if (!rc)
		rc = add_attr(out, "GQ", n, P("personalName.generationQualifier"), err);
	if (!rc)
		rc = add_attr(out, "X121", n, P("networkAddress"), err);
	if (!rc)
		rc = add_attr(out, "T-ID", n, P("terminalIdentifier"), err);
	if (!rc)
		rc = add_attr(out, "UA-ID", n, P("numericUserIdentifier"), err);
#undef P
	count = 0;
	if (!rc)
		rc = xe2e_der_count(n, "builtInDomainDefinedAttributes", &count, err);
	if (!rc && count > 4)   /* X.411 ub-domain-defined-attributes */
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "ORAddress: more than 4 domain-defined attributes");
	for (i = 1; !rc && i <= count; i++) {
		snprintf(name, sizeof(name), "builtInDomainDefinedAttributes.?%d.type", i);
		rc = read_component(&t, "DDA type", 1, n, name, err);
		snprintf(name, sizeof(name), "builtInDomainDefinedAttributes.?%d.value", i);
		if (!rc)
			rc = read_component(&v, "DDA value", 0, n, name, err);
		if (!rc && t.len == 0)
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "ORAddress: empty DDA type");
		if (!rc)
			rc = xe2e_buf_addf(out, err, "%sDDA:%.*s=%.*s", out->len ? ";" : "",
					   (int)t.len, (char *)t.data, (int)v.len,
					   v.len ? (char *)v.data : "");
	}
	if (!rc)
		rc = add_extensions(out, n, err);
	if (!rc && out->len == 0)
		rc = xe2e_err_set(err, XE2E_EMALFORMED, "ORAddress without attributes");
	asn1_delete_structure(&n);
	xe2e_buf_release(&t);
	xe2e_buf_release(&v);
	return rc;
}

#define RANK_EXT ((int)N_ORDER)     /* EXT:type after everything else */

static int ext_type_ok(const char *k, size_t n)
{
	size_t i;

	if (n < 5 || n > 7)
		return 0;
	for (i = 4; i < n; i++)
		if (!isdigit((unsigned char)k[i]))
			return 0;
	return 1;
}

static int key_rank(const char *k, size_t n)
{
	size_t i;

	if (n > 4 && !strncasecmp(k, "EXT:", 4))
		return ext_type_ok(k, n) ? RANK_EXT : -1;
	if (n > 4 && !strncasecmp(k, "DDA:", 4))
		return (int)N_ORDER - 1;
	for (i = 0; i < N_ORDER - 1; i++)
		if (strlen(order[i]) == n && !strncasecmp(k, order[i], n))
			return (int)i;
	return -1;
}

static int ext_item_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	long tx = strtol(x + 4, NULL, 10), ty = strtol(y + 4, NULL, 10);      /* "EXT:n=..." */

	if (tx != ty)
		return tx < ty ? -1 : 1;
	return strcmp(strchr(x, '='), strchr(y, '='));
}

/* ";EXT:n=#hex" items sorted as xe2e_x400_to_text writes them. */
static int sort_ext(struct xe2e_buf *b, struct xe2e_err *err)
{
	struct xe2e_buf sorted = XE2E_BUF_INIT;
	char *items[XE2E_X400_MAX_EXT + 1], *p, *q;
	size_t n = 0, i;
	int rc = 0;

	if (!b->len)
		return 0;
	/* b is ";EXT:n=#hex;EXT:m=#hex...": cut it at each ';' */
	for (p = (char *)b->data + 1; p; p = q) {
		q = strchr(p, ';');
		if (q)
			*q++ = '\0';
		if (n == XE2E_X400_MAX_EXT)
			return xe2e_err_set(err, XE2E_EUSAGE, "more than %d EXT items", XE2E_X400_MAX_EXT);
		items[n++] = p;
	}
	qsort(items, n, sizeof(items[0]), ext_item_cmp);
	for (i = 0; !rc && i < n; i++)
		rc = xe2e_buf_addf(&sorted, err, ";%s", items[i]);
	if (!rc) {
		xe2e_buf_reset(b);
		rc = xe2e_buf_add(b, sorted.data, sorted.len, err);
	}
	xe2e_buf_release(&sorted);
	return rc;
}

/* One item "KEY=VALUE" of the text form: p..end the item (leading space
 * skipped), kl the key's length (trailing space trimmed, 0 without '='),
 * p[vs..ve) the value trimmed -- a lone space ("ADMD= ") means any and is
 * kept. */
struct item {
	const char *p, *end;
	size_t kl, vs, ve;
	int eq;
};

/* The next non-empty item at *text (moved past it): 1, or 0 at the end. */
static int next_item(const char **text, struct item *it)
{
	const char *p = *text, *eq;

	while (*p) {
		it->end = strchr(p, ';');
		if (!it->end)
			it->end = p + strlen(p);
		eq = memchr(p, '=', (size_t)(it->end - p));
		while (p < it->end && isspace((unsigned char)*p))
			p++;
		if (p == it->end) {       /* empty item */
			p = *it->end ? it->end + 1 : it->end;
			continue;
		}
		it->p = p;
		it->eq = eq != NULL;
		it->kl = eq ? (size_t)(eq - p) : 0;
		while (it->kl && isspace((unsigned char)p[it->kl - 1]))
			it->kl--;
		it->vs = eq ? (size_t)(eq + 1 - p) : 0;
		it->ve = (size_t)(it->end - p);
		if (!(it->ve - it->vs == 1 && p[it->vs] == ' ')) {
			while (it->vs < it->ve && isspace((unsigned char)p[it->vs]))
				it->vs++;
			while (it->ve > it->vs && isspace((unsigned char)p[it->ve - 1]))
				it->ve--;
		}
		*text = *it->end ? it->end + 1 : it->end;
		return 1;
	}
	*text = p;
	return 0;
}

int xe2e_x400_canon(struct xe2e_buf *out, const char *text, struct xe2e_err *err)
{
	struct xe2e_buf parts[N_ORDER + 1];
	const char *t = text;
	struct item it;
	size_t i;
	int r, rc = 0;

	for (i = 0; i <= N_ORDER; i++)
		xe2e_buf_init(&parts[i], 0);
	xe2e_buf_reset(out);
	while (!rc && next_item(&t, &it)) {
		r = it.eq ? key_rank(it.p, it.kl) : -1;
		if (r < 0) {
			rc = xe2e_err_set(err, XE2E_EUSAGE, "bad O/R address item '%.*s'",
					  (int)(it.end - it.p), it.p);
			break;
		}
		if (r == RANK_EXT) {        /* EXT:type=#hex, the type as a number */
			rc = xe2e_buf_addf(&parts[r], err, ";EXT:%ld=", strtol(it.p + 4, NULL, 10));
			if (!rc && (it.ve - it.vs < 3 || it.p[it.vs] != '#' || (it.ve - it.vs - 1) % 2 ||
				    strspn(it.p + it.vs + 1, "0123456789abcdefABCDEF") < it.ve - it.vs - 1))
				rc = xe2e_err_set(err, XE2E_EUSAGE,
						  "bad O/R address item '%.*s': an EXT value is #hex",
						  (int)(it.end - it.p), it.p);
		} else if (r == (int)N_ORDER - 1)  /* DDA:type=value: keep the type */
			rc = xe2e_buf_addf(&parts[r], err, ";DDA:%.*s=", (int)(it.kl - 4), it.p + 4);
		else
			rc = xe2e_buf_addf(&parts[r], err, ";%s=", order[r]);
		for (i = it.vs; !rc && i < it.ve; i++)
			rc = xe2e_buf_addc(&parts[r], (unsigned char)tolower((unsigned char)it.p[i]), err);
	}
	if (!rc)
		rc = sort_ext(&parts[RANK_EXT], err);
	for (i = 0; !rc && i <= N_ORDER; i++)
		if (parts[i].len)
			rc = xe2e_buf_add(out, parts[i].data, parts[i].len, err);
	for (i = 0; i <= N_ORDER; i++)
		xe2e_buf_release(&parts[i]);
	if (!rc && out->len == 0)
		rc = xe2e_err_set(err, XE2E_EUSAGE, "empty O/R address");
	return rc;
}

int xe2e_x400_equal(const char *a, const char *b)
{
	struct xe2e_buf ca = XE2E_BUF_INIT, cb = XE2E_BUF_INIT;
	int eq = !xe2e_x400_canon(&ca, a, NULL) && !xe2e_x400_canon(&cb, b, NULL) &&
		 xe2e_buf_eq(&ca, &cb);

	xe2e_buf_release(&ca);
	xe2e_buf_release(&cb);
	return eq;
}

/* ------------------------------------------------------------ encoding */

/* X.680 PrintableString, or NumericString (digits and space) */
static int printable_ok(const char *v, size_t n, int numeric)
{
	static const char extra[] = " '()+,-./:=?";
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];

		if (numeric ? !(isdigit(c) || c == ' ')
			    : !(isalnum(c) || (c && strchr(extra, c))))
			return 0;
	}
	return n > 0;
}

/* where each text attribute goes; CHOICE { numeric, printable } fields
 * take numeric when the value is all digits */
static const struct {
	const char *key, *node;
	int choice, numeric;
	size_t max;                    /* X.411 upper bound (RFC 5280 App. A.1) */
} enc_attrs[] = {
	{ "C", "countryName", 1, 0, 3 },   /* 2 letters or 3 digits: below */
	{ "ADMD", "administrationDomainName", 1, 0, 16 },
	{ "PRMD", "privateDomainName", 1, 0, 16 },
	{ "O", "organizationName", 0, 0, 64 },
	{ "S", "personalName.surname", 0, 0, 40 },
	{ "G", "personalName.givenName", 0, 0, 16 },
	{ "I", "personalName.initials", 0, 0, 5 },
	{ "GQ", "personalName.generationQualifier", 0, 0, 3 },
	{ "X121", "networkAddress", 0, 1, 16 },
	{ "T-ID", "terminalIdentifier", 0, 0, 24 },
	{ "UA-ID", "numericUserIdentifier", 0, 1, 32 },
};

static int all_digits(const char *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)v[i]))
			return 0;
	return n > 0;
}
#define N_ENC (sizeof(enc_attrs) / sizeof(enc_attrs[0]))

static int enc_value(asn1_node n, size_t a, const char *v, size_t vl, struct xe2e_err *err)
{
	char path[128];
	int numeric = enc_attrs[a].numeric, rc;

	if (enc_attrs[a].choice)           /* digits only: NumericString */
		numeric = all_digits(v, vl);
	if (!printable_ok(v, vl, numeric))
		return xe2e_err_set(err, XE2E_EUSAGE, "O/R address %s: '%.*s' is not a %s string",
				    enc_attrs[a].key, (int)vl, v, numeric ? "numeric" : "printable");
	if (vl > enc_attrs[a].max || (a == 0 && vl != (numeric ? 3u : 2u)))
		return xe2e_err_set(err, XE2E_EUSAGE, "O/R address %s: '%.*s' is too long (X.411: %s)",
				    enc_attrs[a].key, (int)vl, v,
				    a == 0 ? "2 letters or 3 digits" : "upper bound exceeded");
	snprintf(path, sizeof(path), "builtInStandardAttributes.%s", enc_attrs[a].node);
	if (enc_attrs[a].choice) {
		const char *c = numeric ? "numeric" : "printable";

		rc = xe2e_der_write(n, path, c, 1, err);
		if (rc)
			return rc;
		snprintf(path, sizeof(path), "builtInStandardAttributes.%s.%s", enc_attrs[a].node, c);
	}
	return xe2e_der_write(n, path, v, vl, err);
}

int xe2e_x400_general_name(struct xe2e_buf *out, const char *text, struct xe2e_err *err)
{
	unsigned seen = 0;
	int n_ou = 0, rc;
	asn1_node n = NULL;
	const char *t = text;
	struct item it;
	size_t i;
	struct xe2e_buf der = XE2E_BUF_INIT;

	xe2e_buf_reset(out);
	rc = xe2e_der_new(&n, "XE2E.ORAddress", err);
	while (!rc && next_item(&t, &it)) {
		if (it.eq && it.kl == 2 && !strncasecmp(it.p, "OU", 2)) {
			char path[96];

			if (++n_ou > 4)   /* X.411 ub-organizational-units */
				rc = xe2e_err_set(err, XE2E_EUSAGE, "O/R address: more than 4 OU");
			else if (it.ve - it.vs > 32)   /* ub-organizational-unit-name-length */
				rc = xe2e_err_set(err, XE2E_EUSAGE, "O/R address OU: longer than 32");
			else if (!printable_ok(it.p + it.vs, it.ve - it.vs, 0))
				rc = xe2e_err_set(err, XE2E_EUSAGE,
						  "O/R address OU: '%.*s' is not a printable string",
						  (int)(it.ve - it.vs), it.p + it.vs);
			if (!rc)
				rc = xe2e_der_write(n, "builtInStandardAttributes.organizationalUnitNames",
						    "NEW", 1, err);
			snprintf(path, sizeof(path), "builtInStandardAttributes.organizationalUnitNames.?%d",
				 n_ou);
			if (!rc)
				rc = xe2e_der_write(n, path, it.p + it.vs, it.ve - it.vs, err);
		} else {
			for (i = 0; it.eq && i < N_ENC; i++)
				if (strlen(enc_attrs[i].key) == it.kl && !strncasecmp(it.p, enc_attrs[i].key, it.kl))
					break;
			if (!it.eq || i == N_ENC)
				rc = xe2e_err_set(err, XE2E_EUSAGE,
						  "O/R address item '%.*s' cannot be encoded (C, ADMD, PRMD, "
						  "O, OU, S, G, I, GQ, X121, T-ID, UA-ID)", (int)(it.end - it.p), it.p);
			else if (seen & (1u << i))
				rc = xe2e_err_set(err, XE2E_EUSAGE, "O/R address: %s given twice",
						  enc_attrs[i].key);
			else {
				seen |= 1u << i;
				rc = enc_value(n, i, it.p + it.vs, it.ve - it.vs, err);
			}
		}
	}
	/* personal-name needs a surname (X.411) */
	if (!rc && !(seen & (1u << 4)) && (seen & (0xeu << 4)))
		rc = xe2e_err_set(err, XE2E_EUSAGE, "O/R address: G, I or GQ without S");
	/* what was not given is absent (after the writes: libtasn1 removes an
	 * OPTIONAL element for good) */
	for (i = 0; !rc && i < N_ENC; i++) {
		char path[128];

		if (seen & (1u << i) || (i >= 5 && i <= 7 && !(seen & (1u << 4))))
			continue;
		snprintf(path, sizeof(path), "builtInStandardAttributes.%s",
			 i == 4 ? "personalName" : enc_attrs[i].node);
		rc = xe2e_der_write(n, path, NULL, 0, err);
	}
	if (!rc && !n_ou)
		rc = xe2e_der_write(n, "builtInStandardAttributes.organizationalUnitNames", NULL, 0, err);
	if (!rc)
		rc = xe2e_der_write(n, "builtInDomainDefinedAttributes", NULL, 0, err);
	if (!rc)
		rc = xe2e_der_write(n, "extensionAttributes", NULL, 0, err);
	if (!rc && !seen && !n_ou)
		rc = xe2e_err_set(err, XE2E_EUSAGE, "empty O/R address");
	if (!rc)
		rc = xe2e_der_encode(&der, n, "", err);
	/* RFC 5280 §4.2.1.6: x400Address [3] IMPLICIT ORAddress */
	if (!rc && (der.len < 2 || der.data[0] != 0x30))
		rc = xe2e_err_set(err, XE2E_EIO, "ORAddress: unexpected encoding");
	if (!rc) {
		der.data[0] = 0xA3;
		rc = xe2e_buf_add(out, der.data, der.len, err);
	}
	xe2e_buf_release(&der);
	asn1_delete_structure(&n);
	return rc;
}
