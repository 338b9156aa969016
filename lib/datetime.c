/*
 * datetime.c - RFC 3339 (§5.6) and X.680 UTCTime/GeneralizedTime as
 * restricted by RFC 5652 §11.3 / RFC 5280 §4.1.2.5.
 */
#include "datetime.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int valid_fields(int y, int mo, int d, int h, int mi, int se)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1])
		return 0;
	if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 0;
	return h <= 23 && mi <= 59 && se <= 60;
}

static time_t to_time(int y, int mo, int d, int h, int mi, int se)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se > 59 ? 59 : se;
	return timegm(&tm);
}

int xe2e_time_parse_rfc3339(time_t *out, const char *s, struct xe2e_err *err)
{
	int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0;
	const char *p = s;

	if (strlen(s) < 20 || digits(p, 4, &y) || p[4] != '-' ||
	    digits(p + 5, 2, &mo) || p[7] != '-' || digits(p + 8, 2, &d) ||
	    (p[10] != 'T' && p[10] != 't' && p[10] != ' ') ||
	    digits(p + 11, 2, &h) || p[13] != ':' || digits(p + 14, 2, &mi) ||
	    p[16] != ':' || digits(p + 17, 2, &se))
		goto bad;
	p += 19;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			goto bad;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
		sign = 0;
	} else if ((*p == '+' || *p == '-') && strlen(p) == 6 &&
		   !digits(p + 1, 2, &oh) && p[3] == ':' && !digits(p + 4, 2, &om) &&
		   oh <= 23 && om <= 59) {
		sign = *p == '+' ? 1 : -1;
	} else {
		goto bad;
	}
	if (!valid_fields(y, mo, d, h, mi, se))
		goto bad;
	*out = to_time(y, mo, d, h, mi, se) - (time_t)sign * (oh * 3600 + om * 60);
	return 0;
bad:
	return xe2e_err_set(err, XE2E_EUSAGE,
			    "invalid time '%s' (want RFC 3339, e.g. 2026-01-02T03:04:05Z)",
			    s);
}

int xe2e_time_parse_ms(int64_t *out, const char *s, size_t len, int *utc_z,
		       struct xe2e_err *err)
{
	char t[64];
	const char *p;
	time_t secs;
	int64_t ms = 0;
	int k = 0;
	size_t i;

	/* RFC 3339 §5.6 date-time; the fraction to milliseconds (truncated) */
	if (len < 20 || len >= sizeof(t) || memchr(s, '\0', len))
		goto bad;
	memcpy(t, s, len);
	t[len] = '\0';
	for (i = 0; i < len; i++)
		if (t[i] == ' ' && i != 10)
			goto bad;
	if (t[10] == ' ')       /* RFC 3339 allows it, §5.6 note; not here */
		goto bad;
	if (xe2e_time_parse_rfc3339(&secs, t, NULL))
		goto bad;
	p = t + 19;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++, k++)
			if (k < 3)
				ms = ms * 10 + (*p - '0');
	for (; k < 3; k++)
		ms *= 10;
	if (utc_z)
		*utc_z = (*p == 'Z') && p[1] == '\0';
	*out = (int64_t)secs * 1000 + ms;
	return 0;
bad:
	return xe2e_err_set(err, XE2E_EMALFORMED, "invalid date-time '%.*s' (RFC 3339)",
			    (int)(len > 40 ? 40 : len), s);
}

void xe2e_time_format_ms(char *out, size_t size, int64_t ms)
{
	time_t t = (time_t)(ms / 1000);
	struct tm tm;
	char b[32];

	gmtime_r(&t, &tm);
	strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, size, "%s.%03dZ", b, (int)(ms % 1000));
}

void xe2e_time_format_rfc3339(char *out, size_t size, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void xe2e_time_format_asn1(char *out, size_t size, time_t t, int *generalized)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	*generalized = tm.tm_year < 50 || tm.tm_year >= 150;
	if (*generalized)
		strftime(out, size, "%Y%m%d%H%M%SZ", &tm);
	else /* UTCTime: two-digit year, 1950-2049 only */
		snprintf(out, size, "%02d%02d%02d%02d%02d%02dZ", tm.tm_year % 100,
			 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

int xe2e_time_parse_asn1(time_t *out, const char *s, int generalized,
			 struct xe2e_err *err)
{
	int y, mo, d, h, mi, se, yl = generalized ? 4 : 2;
	size_t want = (size_t)yl + 11;

	if (strlen(s) != want || s[want - 1] != 'Z' || digits(s, yl, &y) ||
	    digits(s + yl, 2, &mo) || digits(s + yl + 2, 2, &d) ||
	    digits(s + yl + 4, 2, &h) || digits(s + yl + 6, 2, &mi) ||
	    digits(s + yl + 8, 2, &se))
		return xe2e_err_set(err, XE2E_EMALFORMED, "invalid %s '%.40s'",
				    generalized ? "GeneralizedTime" : "UTCTime", s);
	if (!generalized)
		y += y < 50 ? 2000 : 1900;
	if (!valid_fields(y, mo, d, h, mi, se))
		return xe2e_err_set(err, XE2E_EMALFORMED, "invalid time '%.40s'", s);
	*out = to_time(y, mo, d, h, mi, se);
	return 0;
}
