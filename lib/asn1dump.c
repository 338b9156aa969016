/*
 * asn1dump.c - BER outline and well-formedness walk (see asn1dump.h).
 * X.690 §8.1 (identifier and length octets, indefinite form, end of
 * contents).
 */
#include "asn1dump.h"
#include "cms.h"
#include "crypto.h"
#include "err.h"

#include <libtasn1.h>
#include <stdio.h>
#include <string.h>

static const char *const universal[] = {
	"EOC", "BOOLEAN", "INTEGER", "BIT STRING", "OCTET STRING", "NULL", "OBJECT IDENTIFIER",
	"ObjectDescriptor", "EXTERNAL", "REAL", "ENUMERATED", "EMBEDDED PDV", "UTF8String",
	"RELATIVE-OID", "14", "15", "SEQUENCE", "SET", "NumericString", "PrintableString",
	"TeletexString", "VideotexString", "IA5String", "UTCTime", "GeneralizedTime",
	"GraphicString", "VisibleString", "GeneralString", "UniversalString", "29", "BMPString",
};

static void tag_name(char *out, size_t size, unsigned char cls, unsigned long num)
{
	switch (cls & 0xc0) {
	case 0x00:
		if (num < sizeof(universal) / sizeof(universal[0]))
			snprintf(out, size, "%s", universal[num]);
		else
			snprintf(out, size, "[UNIVERSAL %lu]", num);
		break;
	case 0x40: snprintf(out, size, "[APPLICATION %lu]", num); break;
	case 0x80: snprintf(out, size, "[%lu]", num); break;
	default: snprintf(out, size, "[PRIVATE %lu]", num); break;
	}
}

/* The line for one element into b (replaced): offset, depth, lengths,
 * tag, and for a primitive its value -- an OBJECT IDENTIFIER dotted and
 * named, a string as its bytes (the renderer escapes them; at most 60,
 * then "..."), anything else its first 20 octets in hex. */
static int line_of(struct xe2e_buf *b, size_t pos, size_t depth, int hl, long l, int cons,
		   unsigned char cls, unsigned long num, const unsigned char *c, int ll)
{
	char tag[40];
	int text = (cls & 0xc0) == 0 && (num == 12 || num == 18 || num == 19 || num == 20 ||
					  num == 22 || num == 23 || num == 24 || num == 26);
	size_t n = l > 0 ? (size_t)l : 0, i;
	int rc;

	xe2e_buf_reset(b);
	tag_name(tag, sizeof(tag), cls, num);
	if (l < 0)
		return xe2e_buf_addf(b, NULL, "%6zu: d=%-2zu hl=%d l=inf  %s %s", pos, depth, hl,
				     cons ? "cons:" : "prim:", tag);
	rc = xe2e_buf_addf(b, NULL, "%6zu: d=%-2zu hl=%d l=%4ld %s %s", pos, depth, hl, l,
			   cons ? "cons:" : "prim:", tag);
	if (rc || cons || !n)
		return rc;
	if ((cls & 0xc0) == 0 && num == 6) {
		char oid[160];
		int used;

		/* libtasn1 reads it from its length octets on */
		if (asn1_get_object_id_der(c - ll, (int)n + ll, &used, oid, sizeof(oid)) == ASN1_SUCCESS)
			return xe2e_buf_addf(b, NULL, " %s (%s)", oid, xe2e_cms_type_name(oid));
		return xe2e_buf_adds(b, " (bad OBJECT IDENTIFIER)", NULL);
	}
	if (text) {
		rc = xe2e_buf_adds(b, " '", NULL);
		if (!rc)
			rc = xe2e_buf_add(b, c, n > 60 ? 60 : n, NULL);
		return rc ? rc : xe2e_buf_adds(b, n > 60 ? "'..." : "'", NULL);
	}
	rc = xe2e_buf_addc(b, ' ', NULL);
	for (i = 0; !rc && i < n && i < 20; i++)
		rc = xe2e_buf_addf(b, NULL, "%02X", c[i]);
	return rc || n <= 20 ? rc : xe2e_buf_adds(b, "...", NULL);
}

/* an open constructed element: where it ends (definite) and what its
 * content must stay within */
struct frame {
	size_t end;          /* (size_t)-1: indefinite */
	size_t lim;          /* its end, or (indefinite) its parent's limit */
};

int xe2e_asn1_dump(struct xe2e_info *lines, const unsigned char *p, size_t len, size_t *bad,
		   struct xe2e_err *err)
{
	struct frame st[XE2E_ASN1DUMP_DEPTH];
	struct xe2e_buf line = XE2E_BUF_INIT;
	size_t depth = 0, pos = 0, shown = 0;
	int rc = 0;

	*bad = 0;
	if (len > (size_t)1 << 30)
		return xe2e_err_set(err, XE2E_EMALFORMED, "too large to outline");
	while (!rc && (pos < len || depth)) {
		size_t limit = depth ? st[depth - 1].lim : len;
		int indef = depth && st[depth - 1].end == (size_t)-1;
		unsigned char cls;
		unsigned long num;
		int tl, ll, cons;
		long l;

		if (depth && !indef && pos == st[depth - 1].end) {
			depth--;
			continue;
		}
		if (pos >= limit) {
			*bad = pos;
			rc = xe2e_err_set(err, XE2E_EMALFORMED,
					  "an indefinite-length element is not closed before byte %zu", limit);
			break;
		}
		if (pos + 1 < limit && !p[pos] && !p[pos + 1]) {
			if (!indef) {       /* X.690 §8.1.5: only an indefinite length ends so */
				*bad = pos;
				rc = xe2e_err_set(err, XE2E_EMALFORMED,
						  "end-of-contents outside an indefinite-length element at byte %zu",
						  pos);
				break;
			}
			depth--;
			pos += 2;
			continue;
		}
		if (asn1_get_tag_der(p + pos, (int)(limit - pos), &cls, &tl, &num) != ASN1_SUCCESS) {
			*bad = pos;
			rc = xe2e_err_set(err, XE2E_EMALFORMED, "bad tag at byte %zu", pos);
			break;
		}
		cons = cls & 0x20;
		/* the length octets must be there; what they claim is checked
		 * against what remains (libtasn1 would only say "too long") */
		{
			size_t at = pos + (size_t)tl, k;

			if (at >= limit) {
				*bad = pos;
				rc = xe2e_err_set(err, XE2E_EMALFORMED,
						  "no length octets for the element at byte %zu", pos);
				break;
			}
			k = p[at] & 0x80 ? (size_t)(p[at] & 0x7f) : 0;
			if (k > limit - at - 1 || k > 8) {
				*bad = pos;
				rc = xe2e_err_set(err, XE2E_EMALFORMED,
						  "bad or missing length octets at byte %zu", at);
				break;
			}
			l = asn1_get_length_der(p + at, (int)(limit - at), &ll);
			if (l < -1 || (l == -1 && !cons)) {   /* -4: longer than what remains */
				unsigned long long claimed = 0;     /* k <= 8 octets */
				size_t m;

				for (m = 0; m < k; m++)
					claimed = claimed << 8 | p[at + 1 + m];
				if (!k)
					claimed = p[at];
				*bad = pos;
				rc = l == -1 ? xe2e_err_set(err, XE2E_EMALFORMED,
							    "a primitive element with an indefinite length at byte %zu",
							    pos)
					     : xe2e_err_set(err, XE2E_EMALFORMED,
							    "the element at byte %zu claims %llu bytes, %zu remain",
							    pos, claimed, limit - at - 1 - k);
				break;
			}
		}
		if (lines && shown < XE2E_ASN1DUMP_LINES) {
			rc = line_of(&line, pos, depth, tl + ll, l, cons, cls, num, p + pos + tl + ll, ll);
			if (rc) {
				rc = xe2e_err_oom(err);
				break;
			}
			xe2e_info_strn(lines, NULL, line.data, line.len);
		} else if (lines && shown == XE2E_ASN1DUMP_LINES) {
			xe2e_info_str(lines, NULL, "... (more elements not shown)");
		}
		shown++;
		if (cons) {
			if (depth == XE2E_ASN1DUMP_DEPTH) {
				*bad = pos;
				rc = xe2e_err_set(err, XE2E_EMALFORMED, "nested deeper than %d at byte %zu",
						  XE2E_ASN1DUMP_DEPTH, pos);
				break;
			}
			st[depth].end = l < 0 ? (size_t)-1 : pos + (size_t)tl + (size_t)ll + (size_t)l;
			st[depth].lim = l < 0 ? limit : st[depth].end;
			depth++;
			pos += (size_t)tl + (size_t)ll;
		} else {
			pos += (size_t)tl + (size_t)ll + (size_t)l;
		}
	}
	xe2e_buf_release(&line);
	return rc;
}
