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

/* the value of a short primitive, for the line */
static void value_of(char *out, size_t size, unsigned char cls, unsigned long num,
		     const unsigned char *c, size_t n, int ll)
{
	size_t i, k = 0;
	int text = (cls & 0xc0) == 0 && (num == 12 || num == 18 || num == 19 || num == 20 ||
					  num == 22 || num == 23 || num == 24 || num == 26);

	out[0] = '\0';
	if ((cls & 0xc0) == 0 && num == 6) {
		char oid[128];
		int used;

		/* libtasn1 reads it from its length octets on */
		if (asn1_get_object_id_der(c - ll, (int)n + ll, &used, oid, sizeof(oid)) == ASN1_SUCCESS)
			snprintf(out, size, "%s (%s)", oid, xe2e_cms_type_name(oid));
		return;
	}
	if (text) {
		/* the renderer escapes what is not printable */
		snprintf(out, size, "'%.*s'", (int)(n > 60 ? 60 : n), (const char *)c);
		return;
	}
	for (i = 0; i < n && i < 20 && k + 3 < size; i++)
		k += (size_t)snprintf(out + k, size - k, "%02X", c[i]);
	if (n > 20 && k + 12 < size)
		snprintf(out + k, size - k, "...");
}

int xe2e_asn1_dump(struct xe2e_info *lines, const unsigned char *p, size_t len, size_t *bad,
		   struct xe2e_err *err)
{
	/* end offset of each open constructed TLV; (size_t)-1: indefinite */
	size_t stack[XE2E_ASN1DUMP_DEPTH], depth = 0, pos = 0, shown = 0;
	char line[400], tag[40], val[200];

	*bad = 0;
	if (len > (size_t)1 << 30)
		return xe2e_err_set(err, XE2E_EMALFORMED, "too large to outline");
	while (pos < len || depth) {
		size_t limit = depth && stack[depth - 1] != (size_t)-1 ? stack[depth - 1] : len;
		unsigned char cls;
		unsigned long num;
		int tl, ll, cons;
		long l;

		if (depth && stack[depth - 1] != (size_t)-1 && pos == stack[depth - 1]) {
			depth--;
			continue;
		}
		if (pos >= len) {
			*bad = len;
			return xe2e_err_set(err, XE2E_EMALFORMED,
					    "an indefinite-length element is not closed by the end (byte %zu)", len);
		}
		if (depth && stack[depth - 1] == (size_t)-1 && pos + 1 < len && !p[pos] && !p[pos + 1]) {
			depth--;                 /* end of contents */
			pos += 2;
			continue;
		}
		if (asn1_get_tag_der(p + pos, (int)(limit - pos), &cls, &tl, &num) != ASN1_SUCCESS) {
			*bad = pos;
			return xe2e_err_set(err, XE2E_EMALFORMED, "bad tag at byte %zu", pos);
		}
		cons = cls & 0x20;
		/* the length octets must be there; what they claim is checked
		 * below, against what remains (libtasn1 would only say "too long") */
		{
			size_t at = pos + (size_t)tl, k;

			if (at >= limit) {
				*bad = pos;
				return xe2e_err_set(err, XE2E_EMALFORMED,
						    "no length octets for the element at byte %zu", pos);
			}
			k = p[at] & 0x80 ? (size_t)(p[at] & 0x7f) : 0;
			if (k > limit - at - 1 || k > 8) {
				*bad = pos;
				return xe2e_err_set(err, XE2E_EMALFORMED,
						    "bad or missing length octets at byte %zu", at);
			}
			l = asn1_get_length_der(p + at, (int)(limit - at), &ll);
			if (l < -1) {       /* -4: longer than what remains */
				/* how much it claims, for the message */
				unsigned long long claimed = 0;     /* k <= 8 octets */
				size_t m;

				for (m = 0; m < k; m++)
					claimed = claimed << 8 | p[at + 1 + m];
				if (!k)
					claimed = p[at];
				*bad = pos;
				return xe2e_err_set(err, XE2E_EMALFORMED,
						    "the element at byte %zu claims %llu bytes, %zu remain",
						    pos, claimed, limit - at - 1 - k);
			}
		}
		if (l < -1 || (l == -1 && !cons)) {
			*bad = pos;
			return xe2e_err_set(err, XE2E_EMALFORMED, "bad length at byte %zu", pos + (size_t)tl);
		}
		if (l >= 0 && (size_t)l > limit - pos - (size_t)tl - (size_t)ll) {
			*bad = pos;
			return xe2e_err_set(err, XE2E_EMALFORMED,
					    "the element at byte %zu claims %ld bytes, %zu remain",
					    pos, l, limit - pos - (size_t)tl - (size_t)ll);
		}
		if (lines && shown < XE2E_ASN1DUMP_LINES) {
			tag_name(tag, sizeof(tag), cls, num);
			val[0] = '\0';
			if (!cons)
				value_of(val, sizeof(val), cls, num, p + pos + tl + ll, (size_t)l, ll);
			if (l < 0)
				snprintf(line, sizeof(line), "%6zu: d=%-2zu hl=%d l=inf  %s %s", pos, depth,
					 tl + ll, cons ? "cons:" : "prim:", tag);
			else
				snprintf(line, sizeof(line), "%6zu: d=%-2zu hl=%d l=%4ld %s %s%s%s", pos, depth,
					 tl + ll, l, cons ? "cons:" : "prim:", tag, val[0] ? " " : "", val);
			xe2e_info_str(lines, NULL, line);
		} else if (lines && shown == XE2E_ASN1DUMP_LINES) {
			xe2e_info_str(lines, NULL, "... (more elements not shown)");
		}
		shown++;
		if (cons) {
			if (depth == XE2E_ASN1DUMP_DEPTH) {
				*bad = pos;
				return xe2e_err_set(err, XE2E_EMALFORMED, "nested deeper than %d at byte %zu",
						    XE2E_ASN1DUMP_DEPTH, pos);
			}
			stack[depth++] = l < 0 ? (size_t)-1 : pos + (size_t)tl + (size_t)ll + (size_t)l;
			pos += (size_t)tl + (size_t)ll;
		} else {
			pos += (size_t)tl + (size_t)ll + (size_t)l;
		}
	}
	return 0;
}
