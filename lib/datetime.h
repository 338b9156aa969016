/*
 * datetime.h - RFC 3339 date-times and ASN.1 UTCTime/GeneralizedTime.
 *
 * All times are UTC time_t.  Not here: the monotonic per-sender clock and
 * replay windows (state / cpim modules).
 */
#ifndef XE2E_DATETIME_H
#define XE2E_DATETIME_H

#include <stdint.h>
#include <time.h>
#include "err.h"

/* Parse RFC 3339 "2003-12-09T23:45:36.66Z" or with "+hh:mm"/"-hh:mm" offset
 * (a space for the "T" too), years 0001-9999; fractional seconds are
 * dropped.  -XE2E_EUSAGE naming s if invalid. */
int xe2e_time_parse_rfc3339(time_t *out, const char *s, struct xe2e_err *err);

/* RFC 3339 date-time s[0..len) to milliseconds since the epoch (UTC;
 * more fraction digits are truncated, an offset applied, years 0001-9999,
 * a leap second read as :59).  -XE2E_EMALFORMED naming s (escaped, cut at
 * 40) if invalid. */
int xe2e_time_parse_ms(int64_t *out, const char *s, size_t len, struct xe2e_err *err);

/* Format milliseconds as "YYYY-MM-DDThh:mm:ss.sssZ" (DESIGN §3 rule 6)
 * into out[size >= 25]; -1 for a time outside years 0001-9999. */
int xe2e_time_format_ms(char *out, size_t size, int64_t ms);

/* Format as "YYYY-MM-DDThh:mm:ssZ" into out[size >= 21]. */
void xe2e_time_format_rfc3339(char *out, size_t size, time_t t);

/* RFC 5652 §11.3: UTCTime "YYMMDDhhmmssZ" for 1950-2049, else
 * GeneralizedTime "YYYYMMDDhhmmssZ".  *generalized tells which. */
void xe2e_time_format_asn1(char *out, size_t size, time_t t, int *generalized);

/* Parse an ASN.1 UTCTime (generalized = 0) or GeneralizedTime string as
 * libtasn1 returns it; only the DER "Z" forms are accepted. */
int xe2e_time_parse_asn1(time_t *out, const char *s, int generalized,
			 struct xe2e_err *err);

#endif
