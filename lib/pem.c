/*
 * pem.c - PEM armour (see pem.h).  RFC 7468 §2-§3 (encapsulation
 * boundaries, labels), §9 (CMS), §5 and §6 (certificates, CRLs).
 */
#include "pem.h"
#include "mime.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char begin_mark[] = "-----BEGIN ";
#define BEGIN_LEN (sizeof(begin_mark) - 1)

/* Offset of the next "-----BEGIN " at the start of a line, or len. */
static size_t find_begin(const unsigned char *p, size_t len, size_t from)
{
	const unsigned char *q;

	while (from < len &&
	       (q = memmem(p + from, len - from, begin_mark, BEGIN_LEN)) != NULL) {
		size_t at = (size_t)(q - p);

		if (at == 0 || p[at - 1] == '\n')
			return at;
		from = at + 1;
	}
	return len;
}

int xe2e_pem_next(struct xe2e_buf *der, char *label, const unsigned char *p, size_t len,
		  size_t *pos, struct xe2e_err *err)
{
	char end[XE2E_PEM_LABEL_MAX + 32];
	size_t at, l, body, n;
	const unsigned char *e;

	at = find_begin(p, len, *pos);
	if (at >= len) {
		*pos = len;
		return 0;
	}
	/* RFC 7468 §3: label = printable characters, words separated by one
	 * space or hyphen, then "-----" */
	at += BEGIN_LEN;
	for (l = 0; at + l < len && l < XE2E_PEM_LABEL_MAX && p[at + l] >= 0x20 &&
		    p[at + l] < 0x7f && p[at + l] != '-'; l++)
		;
	if (at + l + 5 > len || memcmp(p + at + l, "-----", 5) || l == XE2E_PEM_LABEL_MAX)
		return xe2e_err_set(err, XE2E_EMALFORMED, "PEM: bad BEGIN line");
	memcpy(label, p + at, l);
	label[l] = '\0';
	body = at + l + 5;
	n = (size_t)snprintf(end, sizeof(end), "-----END %s-----", label);
	for (e = p + body; (e = memmem(e, len - (size_t)(e - p), end, n)) != NULL; e++)
		if (e[-1] == '\n')
			break;
	if (!e)
		return xe2e_err_set(err, XE2E_EMALFORMED, "PEM: '%s' line missing", end);
	xe2e_buf_reset(der);
	if (xe2e_base64_decode(der, p + body, (size_t)(e - p) - body, err))
		return xe2e_err_set(err, XE2E_EMALFORMED, "PEM: bad base64 in the %s block", label);
	*pos = (size_t)(e - p) + n;
	return 1;
}

int xe2e_pem_is(const unsigned char *p, size_t len)
{
	size_t i = 0;

	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	return len - i >= BEGIN_LEN && !memcmp(p + i, begin_mark, BEGIN_LEN);
}

int xe2e_pem_label_is_cms(const char *label)
{
	return !strcmp(label, "CMS") || !strcmp(label, "PKCS7") ||
	       !strcmp(label, "PKCS #7 SIGNED DATA");
}

int xe2e_pem_write(struct xe2e_buf *out, const unsigned char *der, size_t len,
		   const char *label, struct xe2e_err *err)
{
	int rc;

	rc = xe2e_buf_addf(out, err, "-----BEGIN %s-----\n", label);
	if (!rc)
		rc = xe2e_base64_encode(out, der, len, 64, err);
	if (!rc)
		rc = xe2e_buf_addf(out, err, "-----END %s-----\n", label);
	return rc;
}
