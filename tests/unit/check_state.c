/*
 * check_state.c - the state directory (state.h): monotonic sender stamps,
 * the replay memory, certificate inclusion, the strict file parser, the
 * directory, and concurrent processes losing nothing.  Each test works in
 * its own mkdtemp directory.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../../lib/err.h"
#include "../../lib/state.h"

Suite *suite_state(void);

#define T0 ((int64_t)1070000000000)     /* 2003-11-28, a clock time */
#define MIN ((int64_t)60 * 1000)

static char base[4096];

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(base, sizeof(base), "%s/xe2e-state-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(base));
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st; (void)flag; (void)f;
	return remove(path);
}

static void teardown(void)
{
	nftw(base, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void path_in(char *out, size_t size, const char *name)
{
	ck_assert_int_lt(snprintf(out, size, "%s/%s", base, name), (int)size);
}

static void put_file(const char *name, const void *p, size_t len)
{
	char path[4200];
	FILE *f;

	path_in(path, sizeof(path), name);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(p, 1, len, f), len);
	ck_assert_int_eq(fclose(f), 0);
}

/* the file's bytes (malloc'd, NUL-terminated) or NULL when missing */
static char *get_file(const char *name, size_t *len)
{
	char path[4200];
	struct stat st;
	char *p;
	FILE *f;

	path_in(path, sizeof(path), name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	ck_assert_int_eq(fstat(fileno(f), &st), 0);
	p = malloc((size_t)st.st_size + 1);
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(fread(p, 1, (size_t)st.st_size, f), (size_t)st.st_size);
	p[st.st_size] = '\0';
	fclose(f);
	*len = (size_t)st.st_size;
	return p;
}

static void open_state(struct xe2e_state *s)
{
	struct xe2e_err e = { 0, "" };

	ck_assert_msg(xe2e_state_open(s, base, &e) == 0, "%s", e.msg);
}

static int64_t stamp(const char *sender, int64_t now)
{
	struct xe2e_err e = { 0, "" };
	struct xe2e_state s;
	int64_t out = -1;

	/* every call a fresh "run": open, stamp, close */
	open_state(&s);
	ck_assert_msg(xe2e_state_next_stamp(&s, sender, now, &out, &e) == 0, "%s", e.msg);
	xe2e_state_close(&s);
	return out;
}

static int accept_ts(const char *sender, int64_t ts, int64_t now, struct xe2e_err *e)
{
	struct xe2e_state s;
	int rc;

	open_state(&s);
	rc = xe2e_state_accept(&s, sender, ts, now, e);
	xe2e_state_close(&s);
	return rc;
}

static int due(const char *from, const char *to, int64_t now)
{
	struct xe2e_err e = { 0, "" };
	struct xe2e_state s;
	int d = -1;

	open_state(&s);
	ck_assert_msg(xe2e_state_certs_due(&s, from, to, now, &d, &e) == 0, "%s", e.msg);
	xe2e_state_close(&s);
	return d;
}

static void sent(const char *from, const char *to, int64_t now)
{
	struct xe2e_err e = { 0, "" };
	struct xe2e_state s;

	open_state(&s);
	ck_assert_msg(xe2e_state_certs_sent(&s, from, to, now, &e) == 0, "%s", e.msg);
	xe2e_state_close(&s);
}

static int has_line_for(const char *file, const char *key)
{
	size_t len, kl = strlen(key);
	char *p = get_file(file, &len), *l;
	int found = 0;

	if (!p)
		return 0;
	for (l = p; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		if (!strncmp(l, key, kl) && l[kl] == ' ')
			found = 1;
	free(p);
	return found;
}

/* ---- sender stamps ----------------------------------------------------------- */

#define R XE2E_STAMP_RESERVE_MS

/* one process stamps from its reservation */
static int64_t stamp_in(struct xe2e_state *s, const char *sender, int64_t now)
{
	struct xe2e_err e = { 0, "" };
	int64_t out = -1;

	ck_assert_msg(xe2e_state_next_stamp(s, sender, now, &out, &e) == 0, "%s", e.msg);
	return out;
}

START_TEST(stamps_increase_across_runs)
{
	struct xe2e_state s;
	size_t len;
	char *f;

	open_state(&s);
	ck_assert_int_eq(stamp_in(&s, "juliet@example.com", T0), T0);
	ck_assert_int_eq(stamp_in(&s, "juliet@example.com", T0), T0 + 1);       /* same ms */
	ck_assert_int_eq(stamp_in(&s, "juliet@example.com", T0 + 1), T0 + 2);
	ck_assert_int_eq(stamp_in(&s, "juliet@example.com", T0 + 500), T0 + 500);
	ck_assert_int_eq(stamp_in(&s, "romeo@example.net", T0), T0);            /* per sender */
	xe2e_state_close(&s);
	/* the file holds what was reserved, not what was used */
	f = get_file("sent", &len);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f, "xe2e-state 1\n"
			 "juliet@example.com 1070000001000 1070000000000\n"
			 "romeo@example.net 1070000001000 1070000000000\n");
	free(f);
	/* another run starts after the reservation, or at its clock when later */
	ck_assert_int_eq(stamp("juliet@example.com", T0 + 600), T0 + R + 1);
	ck_assert_int_eq(stamp("juliet@example.com", T0 + 5000), T0 + 5000);
	/* a reservation running out is renewed from the file */
	open_state(&s);
	ck_assert_int_eq(stamp_in(&s, "romeo@example.net", T0 + 10), T0 + R + 1);
	ck_assert_int_eq(stamp_in(&s, "romeo@example.net", T0 + 2 * R + 1), T0 + 2 * R + 1);
	ck_assert_int_eq(stamp_in(&s, "romeo@example.net", T0 + 2 * R + 2), T0 + 2 * R + 2);
	xe2e_state_close(&s);
	ck_assert_int_eq(stamp("romeo@example.net", T0), T0 + 3 * R + 3);
}
END_TEST

START_TEST(stamps_survive_a_clock_set_back)
{
	struct xe2e_state s;

	ck_assert_int_eq(stamp("juliet@example.com", T0), T0);
	ck_assert_int_eq(stamp("juliet@example.com", T0 - 60 * MIN), T0 + R + 1);
	open_state(&s);
	ck_assert_int_eq(stamp_in(&s, "juliet@example.com", T0 - 120 * MIN), T0 + 2 * R + 2);
	ck_assert_int_eq(stamp_in(&s, "juliet@example.com", T0 - 1), T0 + 2 * R + 3);
	xe2e_state_close(&s);
	/* another sender's stamps much later do not make juliet's forgotten */
	ck_assert_int_eq(stamp("romeo@example.net", T0 + 600 * MIN), T0 + 600 * MIN);
	ck_assert_int_eq(stamp("juliet@example.com", T0 - 120 * MIN), T0 + 3 * R + 3);
	ck_assert_int_eq(stamp("juliet@example.com", T0 + 10 * R), T0 + 10 * R);
}
END_TEST

/* ---- replay ------------------------------------------------------------------ */

START_TEST(replay_increasing_decreasing_equal)
{
	struct xe2e_err e = { 0, "" };
	size_t l1, l2;
	char *before, *after;

	ck_assert_int_eq(accept_ts("juliet@example.com", 100000, 100000, &e), 0);
	ck_assert_int_eq(accept_ts("juliet@example.com", 100001, 100500, &e), 0);
	ck_assert_int_eq(accept_ts("juliet@example.com", 100500, 100500, &e), 0);
	before = get_file("replay", &l1);
	ck_assert_ptr_nonnull(before);
	/* decreasing */
	ck_assert_int_eq(accept_ts("juliet@example.com", 100001, 101000, &e), -XE2E_ETIMESTAMP);
	ck_assert_int_eq(e.code, XE2E_ETIMESTAMP);
	ck_assert_str_eq(e.msg, "timestamp 1970-01-01T00:01:40.001Z is not later than one already "
			 "accepted from 'juliet@example.com'");
	/* equal is a replay too */
	ck_assert_int_eq(accept_ts("juliet@example.com", 100500, 101000, &e), -XE2E_ETIMESTAMP);
	ck_assert_str_eq(e.msg, "timestamp 1970-01-01T00:01:40.500Z is not later than one already "
			 "accepted from 'juliet@example.com'");
	/* refused: the state unchanged */
	after = get_file("replay", &l2);
	ck_assert_uint_eq(l1, l2);
	ck_assert_int_eq(memcmp(before, after, l1), 0);
	free(before);
	free(after);
	/* per sender */
	ck_assert_int_eq(accept_ts("romeo@example.net", 50, 101000, &e), 0);
	ck_assert_int_eq(accept_ts("juliet@example.com", 100501, 101000, &e), 0);
	ck_assert_int_eq(accept_ts("juliet@example.com", 100501, 101000, &e), -XE2E_ETIMESTAMP);
	ck_assert_int_eq(accept_ts("romeo@example.net", 50, 101000, &e), -XE2E_ETIMESTAMP);
}
END_TEST

START_TEST(replay_window_expires)
{
	struct xe2e_err e = { 0, "" };
	const int64_t W = XE2E_REPLAY_WINDOW_MS;

	ck_assert_int_eq(accept_ts("juliet@example.com", T0, T0, &e), 0);
	/* within the window: an earlier timestamp is a replay */
	ck_assert_int_eq(accept_ts("juliet@example.com", T0 - 5, T0 + W - 1, &e), -XE2E_ETIMESTAMP);
	ck_assert_int_eq(has_line_for("replay", "juliet@example.com"), 1);
	/* a write at T0 + W drops juliet's entry (accepted a window ago) */
	ck_assert_int_eq(accept_ts("romeo@example.net", T0, T0 + W, &e), 0);
	ck_assert_int_eq(has_line_for("replay", "juliet@example.com"), 0);
	ck_assert_int_eq(has_line_for("replay", "romeo@example.net"), 1);
	/* and so an earlier timestamp from juliet is accepted now */
	ck_assert_int_eq(accept_ts("juliet@example.com", T0 - 5, T0 + W, &e), 0);
	ck_assert_int_eq(accept_ts("juliet@example.com", T0 - 5, T0 + W, &e), -XE2E_ETIMESTAMP);
	/* expiry without a write in between: the entry is past its window */
	ck_assert_int_eq(accept_ts("romeo@example.net", T0 - 1, T0 + 2 * W, &e), 0);
}
END_TEST

START_TEST(replay_clock_set_back)
{
	struct xe2e_err e = { 0, "" };

	ck_assert_int_eq(accept_ts("juliet@example.com", T0, T0, &e), 0);
	/* accepted "in the future" as far as this clock knows: still refuses */
	ck_assert_int_eq(accept_ts("juliet@example.com", T0, T0 - 60 * MIN, &e), -XE2E_ETIMESTAMP);
	ck_assert_int_eq(accept_ts("juliet@example.com", T0 - 1, T0 - 600 * MIN, &e),
			 -XE2E_ETIMESTAMP);
	/* ...and is not pruned by a write at that clock */
	ck_assert_int_eq(accept_ts("romeo@example.net", 1, T0 - 600 * MIN, &e), 0);
	ck_assert_int_eq(has_line_for("replay", "juliet@example.com"), 1);
	ck_assert_int_eq(accept_ts("juliet@example.com", T0 + 1, T0 - 600 * MIN, &e), 0);
}
END_TEST

/* ---- certificates ---------------------------------------------------------- */

START_TEST(certs_due_and_sent)
{
	const int64_t W = XE2E_CERTS_WINDOW_MS;

	ck_assert_int_eq(due("juliet@example.com", "romeo@example.net", T0), 1);
	sent("juliet@example.com", "romeo@example.net", T0);
	ck_assert_int_eq(due("juliet@example.com", "romeo@example.net", T0), 0);
	ck_assert_int_eq(due("juliet@example.com", "romeo@example.net", T0 + W - 1), 0);
	ck_assert_int_eq(due("juliet@example.com", "romeo@example.net", T0 + W), 1);
	/* per pair, directed */
	ck_assert_int_eq(due("juliet@example.com", "nurse@example.com", T0), 1);
	ck_assert_int_eq(due("romeo@example.net", "juliet@example.com", T0), 1);
	/* a record from a clock since set back does not count */
	ck_assert_int_eq(due("juliet@example.com", "romeo@example.net", T0 - 1), 1);
	ck_assert_int_eq(has_line_for("certs", "juliet@example.com|romeo@example.net"), 1);
	/* sending again renews; an expired entry is dropped on the next write */
	sent("juliet@example.com", "nurse@example.com", T0 + W);
	ck_assert_int_eq(has_line_for("certs", "juliet@example.com|romeo@example.net"), 0);
	ck_assert_int_eq(has_line_for("certs", "juliet@example.com|nurse@example.com"), 1);
	ck_assert_int_eq(due("juliet@example.com", "nurse@example.com", T0 + W + 1), 0);
	/* the read-only call writes nothing */
	ck_assert_int_eq(due("a@example.com", "b@example.com", T0), 1);
	ck_assert_int_eq(has_line_for("certs", "a@example.com|b@example.com"), 0);
}
END_TEST

/* ---- keys and times ------------------------------------------------------------ */

START_TEST(bad_keys_and_times)
{
	static const char *keys[] = { "", "a b@example.com", "a\nb", "a\tb", "a\x7f", "\xc2\x85",
				      "\xff", "a\xe2\x80\xae" "b", "x\r" };
	struct xe2e_err e = { 0, "" };
	struct xe2e_state s;
	int64_t out = 7;
	size_t i, len;
	int d = 0;

	open_state(&s);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		ck_assert_int_eq(xe2e_state_next_stamp(&s, keys[i], T0, &out, &e), -XE2E_EMALFORMED);
		ck_assert_int_eq(xe2e_state_accept(&s, keys[i], T0, T0, &e), -XE2E_EMALFORMED);
		ck_assert_int_eq(xe2e_state_certs_sent(&s, keys[i], "r@example.net", T0, &e),
				 -XE2E_EMALFORMED);
		ck_assert_int_eq(xe2e_state_certs_sent(&s, "j@example.com", keys[i], T0, &e),
				 -XE2E_EMALFORMED);
		ck_assert_int_eq(xe2e_state_certs_due(&s, "j@example.com", keys[i], T0, &d, &e),
				 -XE2E_EMALFORMED);
		ck_assert_int_eq(d, 1);
		ck_assert_ptr_null(strchr(e.msg, '\n'));
	}
	ck_assert_int_eq(out, 7);
	ck_assert_int_eq(xe2e_state_next_stamp(&s, NULL, T0, &out, &e), -XE2E_EMALFORMED);
	ck_assert_int_eq(xe2e_state_next_stamp(&s, "j@example.com", -1, &out, &e), -XE2E_EMALFORMED);
	ck_assert_int_eq(xe2e_state_accept(&s, "j@example.com", -1, T0, &e), -XE2E_EMALFORMED);
	ck_assert_int_eq(xe2e_state_accept(&s, "j@example.com", XE2E_STATE_TIME_MAX + 1, T0, &e),
			 -XE2E_EMALFORMED);
	ck_assert_int_eq(xe2e_state_accept(&s, "j@example.com", T0, INT64_MIN, &e), -XE2E_EMALFORMED);
	ck_assert_int_eq(xe2e_state_certs_sent(&s, "j@example.com", "r@example.net", INT64_MAX, &e),
			 -XE2E_EMALFORMED);
	/* nothing was written */
	ck_assert_ptr_null(get_file("sent", &len));
	ck_assert_ptr_null(get_file("replay", &len));
	ck_assert_ptr_null(get_file("certs", &len));
	/* the last representable time: stamping past it fails, nothing wraps */
	ck_assert_int_eq(xe2e_state_next_stamp(&s, "j@example.com", XE2E_STATE_TIME_MAX - XE2E_STAMP_RESERVE_MS,
					       &out, &e), 0);
	ck_assert_int_eq(out, XE2E_STATE_TIME_MAX - XE2E_STAMP_RESERVE_MS);
	xe2e_state_close(&s);
	open_state(&s);
	ck_assert_int_eq(xe2e_state_next_stamp(&s, "j@example.com", 0, &out, &e), -XE2E_ETIMESTAMP);
	ck_assert_int_eq(out, XE2E_STATE_TIME_MAX - XE2E_STAMP_RESERVE_MS);
	ck_assert_int_eq(xe2e_state_next_stamp(&s, "k@example.com", XE2E_STATE_TIME_MAX, &out, &e),
			 -XE2E_ETIMESTAMP);
	ck_assert_int_eq(xe2e_state_accept(&s, "j@example.com", XE2E_STATE_TIME_MAX,
					   XE2E_STATE_TIME_MAX, &e), 0);
	xe2e_state_close(&s);
}
END_TEST

/* ---- corrupt files ------------------------------------------------------------- */

struct corrupt_vec {
	const char *content;
	size_t len;
	const char *what;
};

#define C(s, w) { s, sizeof(s) - 1, w }
#define H "xe2e-state 1\n"

static const struct corrupt_vec corrupts[] = {
	C("", "header"),
	C("xe2e-state 2\n", "header"),
	C("xe2e-state 1", "header"),
	C("xe2e-state 1\r\n", "header"),
	C("XE2E-STATE 1\n", "header"),
	C(" xe2e-state 1\n", "header"),
	C("xe2e-state 10\n", "header"),
	C("xe2e-state\0 1\n", "header"),
	C(H "a 1 2", "no newline at the end"),
	C(H "a 1 2\nb 3 4", "no newline at the end"),
	C(H "\n", "line 2: empty key"),
	C(H "a 1\n", "line 2: not KEY"),
	C(H "a\n", "line 2: not KEY"),
	C(H "a 1 2 3\n", "line 2: not KEY"),
	C(H "a  1 2\n", "line 2: not KEY"),
	C(H "a 1  2\n", "line 2: not KEY"),
	C(H "a 1 2 \n", "line 2: not KEY"),
	C(H " 1 2\n", "line 2: empty key"),
	C(H "a 1 2\r\n", "line 2: not KEY"),
	C(H "a 1 2\nb 1 2\0\n", "line 3: not KEY"),
	C(H "a\tb 1 2\n", "line 2: space or control character"),
	C(H "a\rb 1 2\n", "line 2: space or control character"),
	C(H "a\x01 1 2\n", "line 2: space or control character"),
	C(H "a\0b 1 2\n", "line 2: space or control character"),
	C(H "a\xc2\x85 1 2\n", "line 2: space or control character"),
	C(H "a\xe2\x80\xae 1 2\n", "line 2: space or control character"),
	C(H "\xff 1 2\n", "line 2: key not valid UTF-8"),
	C(H "a -1 2\n", "line 2: not KEY"),
	C(H "a +1 2\n", "line 2: not KEY"),
	C(H "a 01 2\n", "line 2: not KEY"),
	C(H "a 1 00\n", "line 2: not KEY"),
	C(H "a 1x 2\n", "line 2: not KEY"),
	C(H "a 0x10 2\n", "line 2: not KEY"),
	C(H "a 1.5 2\n", "line 2: not KEY"),
	C(H "a  2\n", "line 2: not KEY"),
	C(H "a 1 \n", "line 2: not KEY"),
	C(H "a 9223372036854775808 2\n", "line 2: not KEY"),          /* int64 overflow */
	C(H "a 1 99999999999999999999999\n", "line 2: not KEY"),
	C(H "a 253402300800000 2\n", "line 2: not KEY"),               /* past 9999 */
	C(H "a 1 2\na 3 4\n", "duplicate key"),
	C(H "a 1 2\nb 1 2\nc 1 2\nb 3 4\n", "duplicate key"),
	C(H "a 1 2\n" H, "line 3: not KEY"),
	C(H H, "line 2: not KEY"),
};

/* the file is refused by every operation on it, and left byte for byte */
START_TEST(corrupt_files_refused_and_kept)
{
	static const char *files[] = { "sent", "replay", "certs" };
	const struct corrupt_vec *v = &corrupts[_i];
	struct xe2e_err e = { 0, "" };
	struct xe2e_state s;
	char path[4200], want[4400];
	int64_t out = 0;
	size_t i, len;
	char *now;
	int d = 0, rc;

	open_state(&s);
	for (i = 0; i < 3; i++) {
		put_file(files[i], v->content, v->len);
		path_in(path, sizeof(path), files[i]);
		switch (i) {
		case 0:
			rc = xe2e_state_next_stamp(&s, "a", T0, &out, &e);
			break;
		case 1:
			rc = xe2e_state_accept(&s, "a", T0, T0, &e);
			break;
		default:
			rc = xe2e_state_certs_sent(&s, "a", "b", T0, &e);
			ck_assert_int_eq(rc, -XE2E_EIO);
			rc = xe2e_state_certs_due(&s, "a", "b", T0, &d, &e);
			ck_assert_int_eq(d, 1);
			break;
		}
		ck_assert_int_eq(rc, -XE2E_EIO);
		ck_assert_int_eq(e.code, XE2E_EIO);
		snprintf(want, sizeof(want), "state file '%s' is corrupt: ", path);
		ck_assert_msg(strncmp(e.msg, want, strlen(want)) == 0, "%s", e.msg);
		ck_assert_msg(strstr(e.msg, v->what) != NULL, "'%s' not in '%s'", v->what, e.msg);
		now = get_file(files[i], &len);
		ck_assert_ptr_nonnull(now);
		ck_assert_uint_eq(len, v->len);
		ck_assert_int_eq(memcmp(now, v->content, len), 0);
		free(now);
	}
	xe2e_state_close(&s);
}
END_TEST

START_TEST(good_files_parse)
{
	struct xe2e_err e = { 0, "" };
	struct xe2e_state s;
	int64_t out = 0;
	/* unsorted, zeros, the largest time, a key as long as allowed */
	static const char good[] = H "b 0 0\na 5 253402300799999\n";

	put_file("sent", good, sizeof(good) - 1);
	open_state(&s);
	ck_assert_msg(xe2e_state_next_stamp(&s, "a", 1, &out, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(out, 6);
	xe2e_state_close(&s);
	/* header only */
	put_file("replay", H, sizeof(H) - 1);
	ck_assert_int_eq(accept_ts("a", 1, 1, &e), 0);
}
END_TEST

/* ---- the directory --------------------------------------------------------------- */

static mode_t mode_of(const char *p)
{
	struct stat st;

	ck_assert_int_eq(stat(p, &st), 0);
	return st.st_mode & 07777;
}

START_TEST(missing_directory_made_0700)
{
	struct xe2e_err e = { 0, "" };
	struct xe2e_state s;
	char p[4200], q[4300];
	int64_t out;

	umask(0);               /* whatever the umask: 0700 and 0600 */
	path_in(p, sizeof(p), "a/b/xe2e///");
	ck_assert_msg(xe2e_state_open(&s, p, &e) == 0, "%s", e.msg);
	path_in(p, sizeof(p), "a/b/xe2e");
	ck_assert_str_eq((char *)s.dir.data, p);         /* no trailing slash */
	ck_assert_uint_eq(mode_of(p), 0700);
	path_in(p, sizeof(p), "a/b");
	ck_assert_uint_eq(mode_of(p), 0700);
	path_in(p, sizeof(p), "a");
	ck_assert_uint_eq(mode_of(p), 0700);
	ck_assert_int_eq(xe2e_state_next_stamp(&s, "j@example.com", T0, &out, &e), 0);
	snprintf(q, sizeof(q), "%s/a/b/xe2e/sent", base);
	ck_assert_uint_eq(mode_of(q), 0600);
	xe2e_state_close(&s);
	/* an existing directory is used as it is */
	path_in(p, sizeof(p), "a/b/xe2e");
	ck_assert_int_eq(chmod(p, 0750), 0);
	ck_assert_int_eq(xe2e_state_open(&s, p, &e), 0);
	ck_assert_uint_eq(mode_of(p), 0750);
	xe2e_state_close(&s);
}
END_TEST

START_TEST(directory_from_the_environment)
{
	struct xe2e_err e = { 0, "" };
	struct xe2e_state s;
	char p[4200], want[4300];

	path_in(p, sizeof(p), "env");
	setenv("XE2E_STATE_DIR", p, 1);
	setenv("XDG_STATE_HOME", "/nonexistent-xdg", 1);
	ck_assert_int_eq(xe2e_state_open(&s, NULL, &e), 0);
	ck_assert_str_eq((char *)s.dir.data, p);
	xe2e_state_close(&s);

	unsetenv("XE2E_STATE_DIR");
	path_in(p, sizeof(p), "xdg");
	setenv("XDG_STATE_HOME", p, 1);
	ck_assert_int_eq(xe2e_state_open(&s, NULL, &e), 0);
	snprintf(want, sizeof(want), "%s/xe2e", p);
	ck_assert_str_eq((char *)s.dir.data, want);
	ck_assert_uint_eq(mode_of(want), 0700);
	xe2e_state_close(&s);

	/* a relative XDG_STATE_HOME is ignored (XDG base directory spec) */
	setenv("XDG_STATE_HOME", "relative", 1);
	path_in(p, sizeof(p), "home");
	setenv("HOME", p, 1);
	ck_assert_int_eq(xe2e_state_open(&s, NULL, &e), 0);
	snprintf(want, sizeof(want), "%s/.local/state/xe2e", p);
	ck_assert_str_eq((char *)s.dir.data, want);
	ck_assert_uint_eq(mode_of(want) & 0077, 0);
	xe2e_state_close(&s);

	unsetenv("XDG_STATE_HOME");
	unsetenv("HOME");
	ck_assert_int_eq(xe2e_state_open(&s, NULL, &e), -XE2E_EIO);
}
END_TEST

START_TEST(directory_errors)
{
	struct xe2e_err e = { 0, "" };
	struct xe2e_state s;
	char p[4200];

	put_file("file", "x", 1);
	path_in(p, sizeof(p), "file");
	ck_assert_int_eq(xe2e_state_open(&s, p, &e), -XE2E_EIO);
	ck_assert_ptr_nonnull(strstr(e.msg, "cannot use state directory '"));
	path_in(p, sizeof(p), "file/sub");
	ck_assert_int_eq(xe2e_state_open(&s, p, &e), -XE2E_EIO);
	ck_assert_int_eq(xe2e_state_open(&s, "", &e), -XE2E_EIO);
	/* a state "file" that is a directory */
	open_state(&s);
	path_in(p, sizeof(p), "replay");
	ck_assert_int_eq(mkdir(p, 0700), 0);
	ck_assert_int_eq(xe2e_state_accept(&s, "a", 1, 1, &e), -XE2E_EIO);
	xe2e_state_close(&s);
}
END_TEST

START_TEST(no_temporary_files_left)
{
	struct xe2e_err e = { 0, "" };
	struct dirent *d;
	int n = 0;
	DIR *dir;

	ck_assert_int_eq(stamp("j@example.com", T0), T0);
	ck_assert_int_eq(accept_ts("j@example.com", T0, T0, &e), 0);
	ck_assert_int_eq(accept_ts("j@example.com", T0, T0, &e), -XE2E_ETIMESTAMP);
	sent("j@example.com", "r@example.net", T0);
	dir = opendir(base);
	ck_assert_ptr_nonnull(dir);
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		ck_assert_msg(strstr(d->d_name, ".tmp") == NULL, "left: %s", d->d_name);
		n++;
	}
	closedir(dir);
	ck_assert_int_eq(n, 6);        /* sent, replay, certs and their .lock */
}
END_TEST

/* ---- limits ---------------------------------------------------------------------- */

START_TEST(long_keys)
{
	struct xe2e_err e = { 0, "" };
	char a[XE2E_STATE_NAME_MAX + 2], b[XE2E_STATE_NAME_MAX + 2];
	struct xe2e_state s;
	int d = -1;

	memset(a, 'a', sizeof(a));
	memset(b, 'b', sizeof(b));
	a[sizeof(a) - 1] = b[sizeof(b) - 1] = '\0';
	a[XE2E_STATE_NAME_MAX] = b[XE2E_STATE_NAME_MAX] = '\0';
	open_state(&s);
	ck_assert_msg(xe2e_state_certs_sent(&s, a, b, T0, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(xe2e_state_certs_due(&s, a, b, T0, &d, &e), 0);   /* read back */
	ck_assert_int_eq(d, 0);
	ck_assert_int_eq(xe2e_state_accept(&s, a, T0, T0, &e), 0);
	a[XE2E_STATE_NAME_MAX] = 'a';
	ck_assert_int_eq(xe2e_state_accept(&s, a, T0, T0, &e), -XE2E_EMALFORMED);
	ck_assert_int_eq(xe2e_state_certs_sent(&s, a, b, T0, &e), -XE2E_EMALFORMED);
	xe2e_state_close(&s);
}
END_TEST

START_TEST(file_size_limit)
{
	struct xe2e_err e = { 0, "" };
	struct xe2e_state s;
	size_t n = 0, len;
	char *big, *back;
	int d = -1, i = 0;

	big = malloc(XE2E_STATE_MAX_BYTES + 2);
	ck_assert_ptr_nonnull(big);
	memcpy(big, H, sizeof(H) - 1);
	n = sizeof(H) - 1;
	/* valid lines up to exactly the limit: 16 bytes each, then one of
	 * 16..31 to fill */
	while (XE2E_STATE_MAX_BYTES - n >= 32)
		n += (size_t)snprintf(big + n, 17, "k%010d 1 1\n", i++);
	memset(big + n, 'z', XE2E_STATE_MAX_BYTES - n - 5);
	n = XE2E_STATE_MAX_BYTES - 5;
	memcpy(big + n, " 1 1\n", 5);
	n += 5;
	ck_assert_uint_eq(n, XE2E_STATE_MAX_BYTES);
	put_file("certs", big, n);
	open_state(&s);
	ck_assert_msg(xe2e_state_certs_due(&s, "a", "b", T0, &d, &e) == 0, "%s", e.msg);
	/* a write that would make the file too large is refused, not done */
	ck_assert_int_eq(xe2e_state_certs_sent(&s, "a", "b", 1, &e), -XE2E_EIO);
	ck_assert_ptr_nonnull(strstr(e.msg, "over"));
	/* one byte more is corrupt, and kept */
	big[n - 1] = ' ';
	big[n] = '\n';
	put_file("certs", big, n + 1);
	ck_assert_int_eq(xe2e_state_certs_due(&s, "a", "b", T0, &d, &e), -XE2E_EIO);
	ck_assert_ptr_nonnull(strstr(e.msg, "is corrupt: larger than"));
	ck_assert_int_eq(xe2e_state_certs_sent(&s, "a", "b", T0, &e), -XE2E_EIO);
	back = get_file("certs", &len);
	ck_assert_uint_eq(len, n + 1);
	ck_assert_int_eq(memcmp(back, big, len), 0);
	free(back);
	free(big);
	xe2e_state_close(&s);
}
END_TEST

#define KIDS 50
#define ROUNDS 10

/* 50 processes accept at once, each for its own sender: no lost update */
START_TEST(concurrent_accepts_lose_nothing)
{
	struct xe2e_err e = { 0, "" };
	int go[2], status, i, lines = 0;
	char sender[64];
	size_t len, k;
	pid_t pid[KIDS];
	char *f, c;

	ck_assert_int_eq(pipe(go), 0);
	for (i = 0; i < KIDS; i++) {
		pid[i] = fork();
		ck_assert_int_ge(pid[i], 0);
		if (pid[i] == 0) {
			struct xe2e_state s;
			int rc;

			close(go[1]);
			/* wait until all are forked: they start together */
			while (read(go[0], &c, 1) < 0 && errno == EINTR)
				;
			snprintf(sender, sizeof(sender), "kid%02d@example.com", i);
			rc = xe2e_state_open(&s, base, NULL);
			/* a few in a row, so that the processes overlap */
			for (k = 0; k < ROUNDS && !rc; k++)
				rc = xe2e_state_accept(&s, sender, T0 + i * 100 + (int64_t)k, T0 + 1000,
						       NULL);
			_exit(rc ? 1 : 0);
		}
	}
	close(go[0]);
	close(go[1]);                  /* EOF: go */
	for (i = 0; i < KIDS; i++) {
		ck_assert_int_eq(waitpid(pid[i], &status, 0), pid[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child %d failed", i);
	}
	f = get_file("replay", &len);
	ck_assert_ptr_nonnull(f);
	for (k = 0; k < len; k++)
		lines += f[k] == '\n';
	free(f);
	ck_assert_int_eq(lines, KIDS + 1);
	for (i = 0; i < KIDS; i++) {
		snprintf(sender, sizeof(sender), "kid%02d@example.com", i);
		ck_assert_int_eq(has_line_for("replay", sender), 1);
		/* the last of each: present, and the largest */
		ck_assert_int_eq(accept_ts(sender, T0 + i * 100 + ROUNDS - 1, T0 + 2000, &e),
				 -XE2E_ETIMESTAMP);
	}
}
END_TEST

/* 50 processes stamp for one sender at the same clock: 50 distinct stamps */
START_TEST(concurrent_stamps_are_distinct)
{
	int go[2], out[2], status, i;
	int64_t got[KIDS], v;
	int seen[KIDS] = { 0 };
	pid_t pid[KIDS];
	char c;

	ck_assert_int_eq(pipe(go), 0);
	ck_assert_int_eq(pipe(out), 0);
	for (i = 0; i < KIDS; i++) {
		pid[i] = fork();
		ck_assert_int_ge(pid[i], 0);
		if (pid[i] == 0) {
			struct xe2e_state s;
			int rc;

			close(go[1]);
			close(out[0]);
			while (read(go[0], &c, 1) < 0 && errno == EINTR)
				;
			rc = xe2e_state_open(&s, base, NULL);
			if (!rc)
				rc = xe2e_state_next_stamp(&s, "juliet@example.com", T0, &v, NULL);
			if (!rc && write(out[1], &v, sizeof(v)) != (ssize_t)sizeof(v))
				rc = 1;
			_exit(rc ? 1 : 0);
		}
	}
	close(go[0]);
	close(go[1]);
	close(out[1]);
	for (i = 0; i < KIDS; i++) {
		ck_assert_int_eq(waitpid(pid[i], &status, 0), pid[i]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	for (i = 0; i < KIDS; i++)
		ck_assert_int_eq(read(out[0], &got[i], sizeof(got[i])), (ssize_t)sizeof(got[i]));
	close(out[0]);
	/* each process starts after the reservations before it */
	for (i = 0; i < KIDS; i++) {
		ck_assert(got[i] >= T0 && (got[i] - T0) % (XE2E_STAMP_RESERVE_MS + 1) == 0);
		ck_assert(got[i] < T0 + KIDS * (XE2E_STAMP_RESERVE_MS + 1));
		ck_assert_int_eq(seen[(got[i] - T0) / (XE2E_STAMP_RESERVE_MS + 1)]++, 0);
	}
	ck_assert_int_eq(stamp("juliet@example.com", T0), T0 + KIDS * (XE2E_STAMP_RESERVE_MS + 1));
}
END_TEST

/* a batch: one lock, one read, one write; replays inside it are caught */
START_TEST(replay_batches)
{
	struct xe2e_err e = { 0, "" };
	struct xe2e_state s;
	char key[40];
	int i;

	open_state(&s);
	ck_assert_int_eq(xe2e_state_batch_begin(&s, &e), 0);
	ck_assert_int_eq(xe2e_state_batch_begin(&s, &e), -XE2E_EIO);
	for (i = 0; i < 30; i++) {
		snprintf(key, sizeof(key), "u%02d@example.com", 29 - i);
		ck_assert_int_eq(xe2e_state_accept(&s, key, T0 + i, T0 + 10, &e), 0);
	}
	ck_assert_int_eq(xe2e_state_accept(&s, "u05@example.com", T0 + 24, T0 + 10, &e), -XE2E_ETIMESTAMP);
	ck_assert_int_eq(xe2e_state_accept(&s, "u05@example.com", T0 + 25, T0 + 10, &e), 0);
	ck_assert_int_eq(has_line_for("replay", "u05@example.com"), 0);   /* not yet written */
	ck_assert_int_eq(xe2e_state_batch_end(&s, 1, &e), 0);
	ck_assert_int_eq(has_line_for("replay", "u05@example.com"), 1);
	ck_assert_int_eq(has_line_for("replay", "u29@example.com"), 1);
	/* a batch ended without commit changes nothing */
	ck_assert_int_eq(xe2e_state_batch_begin(&s, &e), 0);
	ck_assert_int_eq(xe2e_state_accept(&s, "new@example.com", T0, T0 + 10, &e), 0);
	ck_assert_int_eq(xe2e_state_batch_end(&s, 0, &e), 0);
	ck_assert_int_eq(has_line_for("replay", "new@example.com"), 0);
	xe2e_state_close(&s);
	/* and outside a batch the committed entries hold */
	ck_assert_int_eq(accept_ts("u05@example.com", T0 + 25, T0 + 20, &e), -XE2E_ETIMESTAMP);
	ck_assert_int_eq(accept_ts("new@example.com", T0, T0 + 20, &e), 0);
}
END_TEST

Suite *suite_state(void)
{
	Suite *s = suite_create("state");
	TCase *core = tcase_create("core");

	tcase_add_test(core, replay_batches);
	TCase *limits = tcase_create("limits");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_test(core, stamps_increase_across_runs);
	tcase_add_test(core, stamps_survive_a_clock_set_back);
	tcase_add_test(core, replay_increasing_decreasing_equal);
	tcase_add_test(core, replay_window_expires);
	tcase_add_test(core, replay_clock_set_back);
	tcase_add_test(core, certs_due_and_sent);
	tcase_add_test(core, bad_keys_and_times);
	tcase_add_loop_test(core, corrupt_files_refused_and_kept, 0,
			    (int)(sizeof(corrupts) / sizeof(corrupts[0])));
	tcase_add_test(core, good_files_parse);
	tcase_add_test(core, missing_directory_made_0700);
	tcase_add_test(core, directory_from_the_environment);
	tcase_add_test(core, directory_errors);
	tcase_add_test(core, no_temporary_files_left);
	suite_add_tcase(s, core);

	tcase_add_checked_fixture(limits, setup, teardown);
	tcase_set_timeout(limits, 120);        /* 16 MiB files, 100 processes, sanitizers */
	tcase_add_test(limits, long_keys);
	tcase_add_test(limits, file_size_limit);
	tcase_add_test(limits, concurrent_accepts_lose_nothing);
	tcase_add_test(limits, concurrent_stamps_are_distinct);
	suite_add_tcase(s, limits);
	return s;
}
