/*
 * datetime.c - RFC 3339 (§5.6) and X.680 UTCTime/GeneralizedTime as
 * restricted by RFC 5652 §11.3 / RFC 5280 §4.1.2.5.
 */
#include "datetime.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define MS_PER_DAY INT64_C(86400000)
#define is_digit(c) ((c) >= '0' && (c) <= '9')

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

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* The instants a DateTime may name: 0001-01-01T00:00:00.000Z to
 * 9999-12-31T23:59:59.999Z (four-digit years, RFC 3339 §5.6). */
static int ms_in_range(int64_t ms)
{
	return ms >= days_from_civil(1, 1, 1) * MS_PER_DAY &&
	       ms <= days_from_civil(9999, 12, 31) * MS_PER_DAY + MS_PER_DAY - 1;
}

/*
 * date-time = full-date "T" full-time (RFC 3339 §5.6), into *ms (a space
 * instead of the "T" too when space_ok: the RFC's NOTE allows it, for
 * command lines).
 */
static int parse_ms(int64_t *ms, const char *s, size_t n, int space_ok)
{
	int y, mo, d, h, mi, se, oh = 0, om = 0, frac = 0, k, sign = 0;
	size_t i;
	int64_t v;

	if (n < 20 || memchr(s, '\0', n) || digits(s, 4, &y) || s[4] != '-' ||
	    digits(s + 5, 2, &mo) || s[7] != '-' || digits(s + 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && !(space_ok && s[10] == ' ')) ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    s[16] != ':' || digits(s + 17, 2, &se))
		return -1;
	i = 19;
	if (s[i] == '.') {
		i++;
		if (i >= n || !is_digit(s[i]))
			return -1;
		for (k = 0; i < n && is_digit(s[i]); i++, k++)
			if (k < 3)
				frac = frac * 10 + (s[i] - '0');
		for (; k < 3; k++)
			frac *= 10;
	}
	if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z')) {
		sign = 0;
	} else if (i + 6 == n && (s[i] == '+' || s[i] == '-') &&
		   !digits(s + i + 1, 2, &oh) && s[i + 3] == ':' &&
		   !digits(s + i + 4, 2, &om) && oh <= 23 && om <= 59) {
		sign = s[i] == '+' ? 1 : -1;
	} else {
		return -1;
	}
	if (!valid_fields(y, mo, d, h, mi, se))
		return -1;
	if (se == 60) /* a leap second: as time_t does, read as :59 */
		se = 59;
	v = days_from_civil((int64_t)y, (unsigned)mo, (unsigned)d) * MS_PER_DAY +
	    (int64_t)((h * 60 + mi) * 60 + se) * 1000 + frac -
	    (int64_t)sign * (int64_t)(oh * 60 + om) * 60000;
	if (!ms_in_range(v))
		return -1;
	*ms = v;
	return 0;
}

int xe2e_time_parse_rfc3339(time_t *out, const char *s, struct xe2e_err *err)
{
	int64_t ms;

	if (parse_ms(&ms, s, strlen(s), 1))
		return xe2e_err_set(err, XE2E_EUSAGE,
				    "invalid time '%s' (want RFC 3339, e.g. 2026-01-02T03:04:05Z)", s);
	/* whole seconds, rounded down (before 1970 too) */
	*out = (time_t)(ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000));
	return 0;
}

int xe2e_time_format_ms(char *out, size_t size, int64_t ms)
{
	int64_t days, rem, y;
	unsigned mo, d;

	if (!ms_in_range(ms))
		return -1;
	days = ms / MS_PER_DAY;
	rem = ms % MS_PER_DAY;
	if (rem < 0) {
		rem += MS_PER_DAY;
		days--;
	}
	civil_from_days(days, &y, &mo, &d);
	snprintf(out, size, "%04d-%02u-%02uT%02u:%02u:%02u.%03uZ", (int)y, mo, d,
		 (unsigned)(rem / 3600000), (unsigned)(rem / 60000 % 60),
		 (unsigned)(rem / 1000 % 60), (unsigned)(rem % 1000));
	return 0;
}

int xe2e_time_parse_ms(int64_t *out, const char *s, size_t len, struct xe2e_err *err)
{
	if (!parse_ms(out, s, len, 0))
		return 0;
	return xe2e_err_set(err, XE2E_EMALFORMED, "invalid date-time '%.*s' (RFC 3339)",
			    (int)(len > 40 ? 40 : len), s);
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
