/*
 * state.c - what xe2e remembers between runs (see state.h): the sender's
 * monotonic DateTime (RFC 3923 §6.9, DESIGN §3 rule 6), the receiver's
 * replay memory (rule 6) and certificate inclusion (RFC 3923 §6.6, rule 7),
 * in the state directory of DESIGN §5.
 *
 * Each file is a small sorted table "KEY VALUE AT" (state.h).  An update
 * is: exclusive flock on "<file>.lock", read and strictly parse the file
 * (a missing file is empty; anything else that does not parse is refused
 * and never rewritten), change one entry, drop entries past the file's
 * window, write "<file>.tmp.PID" (0600), fsync, rename over the file,
 * unlock.  Readers need no lock: rename is atomic.
 */
#include "state.h"
#include "datetime.h"
#include "io.h"
#include "text.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static const char header[] = "xe2e-state 1\n";

/* the smallest entry line: "k 0 0\n" */
#define MIN_LINE 6
#define MAX_ENTRIES (XE2E_STATE_MAX_BYTES / MIN_LINE + 1)

struct entry {
	const unsigned char *key;   /* into the file buffer or the caller's key */
	size_t klen;
	int64_t value;              /* stamp, accepted timestamp, or sent time */
	int64_t at;                 /* clock when recorded */
};

/* One file's entries; `raw` holds the file they point into. */
struct table {
	struct xe2e_buf raw;
	struct xe2e_buf ents;       /* struct entry[n], storage only */
	size_t n;
};

/* which file, and how long its entries matter (0: kept) */
struct file {
	const char *name;
	int64_t window;
};
static const struct file f_sent = { "sent", 0 };
static const struct file f_replay = { "replay", XE2E_REPLAY_WINDOW_MS };
static const struct file f_certs = { "certs", XE2E_CERTS_WINDOW_MS };

static struct entry *ent(struct table *t)
{
	return (struct entry *)(void *)t->ents.data;
}

static void table_init(struct table *t)
{
	xe2e_buf_init(&t->raw, XE2E_STATE_MAX_BYTES + 1);
	xe2e_buf_init(&t->ents, (MAX_ENTRIES + 1) * sizeof(struct entry));
	t->n = 0;
}

static void table_release(struct table *t)
{
	xe2e_buf_release(&t->raw);
	xe2e_buf_release(&t->ents);
	t->n = 0;
}

/* ---- directory ------------------------------------------------------------ */

/* mkdir -p with 0700 for every directory made (the XDG base directory
 * specification asks that of $XDG_STATE_HOME too) */
static int make_dirs(char *path)
{
	struct stat st;
	char *p;

	for (p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		if (p[-1] != '/') {
			char c = *p;

			*p = '\0';
			if (mkdir(path, 0700) == 0) {
				/* whatever the umask: ours alone */
				if (chmod(path, 0700) < 0) {
					*p = c;
					return -errno;
				}
			} else if (errno != EEXIST && (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))) {
				int e = errno;

				*p = c;
				return -e;
			}
			*p = c;
		}
		if (*p == '\0')
			break;
	}
	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	return 0;
}

int xe2e_state_open(struct xe2e_state *s, const char *dir, struct xe2e_err *err)
{
	const char *env;
	int rc;

	xe2e_buf_init(&s->dir, PATH_MAX);
	xe2e_buf_init(&s->res_sender, 0);
	s->res_last = s->res_until = 0;
	s->batch = NULL;
	xe2e_buf_init(&s->certs_key, 0);
	s->certs_at = 0;
	if (dir) {
		rc = xe2e_buf_adds(&s->dir, dir, err);
	} else if ((env = getenv("XE2E_STATE_DIR")) && *env) {
		rc = xe2e_buf_adds(&s->dir, env, err);
	} else if ((env = getenv("XDG_STATE_HOME")) && env[0] == '/') {
		/* the XDG specification: a relative path is to be ignored */
		rc = xe2e_buf_addf(&s->dir, err, "%s/xe2e", env);
	} else if ((env = getenv("HOME")) && env[0] == '/') {
		rc = xe2e_buf_addf(&s->dir, err, "%s/.local/state/xe2e", env);
	} else {
		return xe2e_err_set(err, XE2E_EIO,
				    "no state directory: XE2E_STATE_DIR, XDG_STATE_HOME and HOME are unset");
	}
	if (rc) {
		xe2e_buf_release(&s->dir);
		return xe2e_err_set(err, XE2E_EIO, "state directory name is too long");
	}
	while (s->dir.len > 1 && s->dir.data[s->dir.len - 1] == '/')
		s->dir.data[--s->dir.len] = '\0';
	if (s->dir.len == 0) {
		xe2e_buf_release(&s->dir);
		return xe2e_err_set(err, XE2E_EIO, "state directory '' is not a directory");
	}
	rc = make_dirs((char *)s->dir.data);
	if (rc) {
		rc = xe2e_err_set(err, XE2E_EIO, "cannot use state directory '%s': %s",
				  (char *)s->dir.data, strerror(-rc));
		xe2e_buf_release(&s->dir);
	}
	return rc;
}

void xe2e_state_close(struct xe2e_state *s)
{
	if (s->batch)
		xe2e_state_batch_end(s, 0, NULL);
	xe2e_buf_release(&s->res_sender);
	xe2e_buf_release(&s->certs_key);
	xe2e_buf_release(&s->dir);
}

/* ---- keys and numbers ----------------------------------------------------- */

/* NULL if k[0..len) can be a key: 1..max bytes of UTF-8 without a space
 * or anything text.h escapes (controls, line separators, bidi) */
static const char *key_problem(const unsigned char *k, size_t len, size_t max)
{
	size_t i, n;
	unsigned cp;

	if (len == 0)
		return "empty key";
	if (len > max)
		return "key too long";
	for (i = 0; i < len; i += n) {
		n = xe2e_utf8_char(k + i, len - i, &cp);
		if (n == 0)
			return "key not valid UTF-8";
		if (cp == ' ' || xe2e_text_must_escape(cp))
			return "space or control character in a key";
	}
	return NULL;
}

static int check_name(const char *what, const char *k, struct xe2e_err *err)
{
	const char *why;
	size_t len;

	if (!k)
		return xe2e_err_set(err, XE2E_EMALFORMED, "no %s key", what);
	len = strnlen(k, XE2E_STATE_NAME_MAX + 1);
	why = key_problem((const unsigned char *)k, len, XE2E_STATE_NAME_MAX);
	if (why)
		return xe2e_err_set(err, XE2E_EMALFORMED, "invalid %s key '%.80s': %s", what, k, why);
	return 0;
}

static int check_time(int64_t ms, struct xe2e_err *err)
{
	if (ms < 0 || ms > XE2E_STATE_TIME_MAX)
		return xe2e_err_set(err, XE2E_EMALFORMED,
				    "time %lld ms is out of range for the state files", (long long)ms);
	return 0;
}

/* A decimal in 0..XE2E_STATE_TIME_MAX, no sign, no leading zero. */
static int parse_num(const unsigned char **pp, const unsigned char *end, int64_t *out)
{
	const unsigned char *p = *pp;
	int64_t v = 0;

	if (p == end || *p < '0' || *p > '9')
		return -1;
	if (*p == '0' && p + 1 < end && p[1] >= '0' && p[1] <= '9')
		return -1;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (v > (XE2E_STATE_TIME_MAX - (*p - '0')) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	*out = v;
	*pp = p;
	return 0;
}

/* ---- the table ------------------------------------------------------------ */

static int cmp_key(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c)
		return c;
	return alen < blen ? -1 : alen > blen;
}

static int cmp_entry(const void *x, const void *y)
{
	const struct entry *a = x, *b = y;

	return cmp_key(a->key, a->klen, b->key, b->klen);
}

static int add_entry(struct table *t, const unsigned char *k, size_t klen, int64_t value,
		     int64_t at, struct xe2e_err *err)
{
	struct entry e = { k, klen, value, at };
	int rc;

	if (t->n >= MAX_ENTRIES)
		return xe2e_err_set(err, XE2E_EIO, "too many state entries");
	rc = xe2e_buf_add(&t->ents, &e, sizeof(e), err);
	if (rc)
		return rc;
	t->n++;
	return 0;
}

static int corrupt(struct xe2e_err *err, const char *path, size_t line, const char *what)
{
	if (line)
		return xe2e_err_set(err, XE2E_EIO, "state file '%s' is corrupt: line %zu: %s",
				    path, line, what);
	return xe2e_err_set(err, XE2E_EIO, "state file '%s' is corrupt: %s", path, what);
}

/* Strict parse of t->raw (state.h); every deviation is corruption. */
static int parse_table(struct table *t, const char *path, struct xe2e_err *err)
{
	const unsigned char *p = t->raw.data, *end = p + t->raw.len, *eol, *k;
	size_t line = 1, klen, i;
	int64_t v, at;
	const char *why;
	int rc;

	if (t->raw.len > XE2E_STATE_MAX_BYTES)
		return corrupt(err, path, 0, "larger than the state file limit");
	if (t->raw.len < sizeof(header) - 1 || memcmp(p, header, sizeof(header) - 1))
		return corrupt(err, path, 1, "not the header \"xe2e-state 1\"");
	if (end[-1] != '\n')
		return corrupt(err, path, 0, "no newline at the end");
	for (p += sizeof(header) - 1; p < end; p = eol + 1) {
		line++;
		eol = memchr(p, '\n', (size_t)(end - p));   /* found: end[-1] is LF */
		k = p;
		while (p < eol && *p != ' ')
			p++;
		klen = (size_t)(p - k);
		why = key_problem(k, klen, XE2E_STATE_KEY_MAX);
		if (why)
			return corrupt(err, path, line, why);
		if (p == eol || *p++ != ' ' || parse_num(&p, eol, &v) ||
		    p == eol || *p++ != ' ' || parse_num(&p, eol, &at) || p != eol)
			return corrupt(err, path, line, "not KEY SP NUMBER SP NUMBER");
		rc = add_entry(t, k, klen, v, at, err);
		if (rc)
			return rc;
	}
	if (t->n > 1)
		qsort(ent(t), t->n, sizeof(struct entry), cmp_entry);
	for (i = 1; i < t->n; i++)
		if (!cmp_entry(&ent(t)[i - 1], &ent(t)[i]))
			return corrupt(err, path, 0, "duplicate key");
	return 0;
}

/* Read and parse the file at path: a missing file is an empty table. */
static int read_table(struct table *t, const char *path, struct xe2e_err *err)
{
	struct stat st;
	size_t room;
	ssize_t n;
	int fd, rc = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		return xe2e_err_set(err, XE2E_EIO, "cannot open state file '%s': %s", path,
				    strerror(errno));
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return xe2e_err_set(err, XE2E_EIO, "state file '%s' is not a regular file", path);
	}
	for (;;) {
		room = XE2E_STATE_MAX_BYTES + 1 - t->raw.len;
		if (room == 0)
			break;                          /* parse_table says: too large */
		if (room > 65536)
			room = 65536;
		rc = xe2e_buf_grow(&t->raw, room, err);
		if (rc)
			break;
		n = read(fd, t->raw.data + t->raw.len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = xe2e_err_set(err, XE2E_EIO, "cannot read state file '%s': %s", path,
					  strerror(errno));
			break;
		}
		if (n == 0)
			break;
		t->raw.len += (size_t)n;
		t->raw.data[t->raw.len] = '\0';
	}
	close(fd);
	if (!rc)
		rc = parse_table(t, path, err);
	return rc;
}

/*
 * Write the table (sorted, entries past `window` before now_ms dropped)
 * to "<path>.tmp.PID" (0600) and rename it over path.  The caller holds
 * the lock, so the PID names a file no one else writes.  Not
 * xe2e_io_write_atomic: a state file is fsync'd (a crash must not leave it
 * empty), never followed through a symbolic link, never written in place.
 */
static int write_table(struct table *t, const char *path, int64_t window, int64_t now_ms,
		       struct xe2e_err *err)
{
	struct xe2e_buf out = XE2E_BUF_INIT, tmp = XE2E_BUF_INIT;
	const struct entry *e;
	size_t i;
	int fd, rc, e_no;

	xe2e_buf_init(&out, XE2E_STATE_MAX_BYTES);
	if (t->n > 1)
		qsort(ent(t), t->n, sizeof(struct entry), cmp_entry);
	rc = xe2e_buf_add(&out, header, sizeof(header) - 1, err);
	for (i = 0; i < t->n && !rc; i++) {
		e = &ent(t)[i];
		/* past the window: the entry no longer decides anything (an
		 * entry from a clock now set back is kept) */
		if (window && e->at <= now_ms - window)
			continue;
		rc = xe2e_buf_add(&out, e->key, e->klen, err);
		if (!rc)
			rc = xe2e_buf_addf(&out, err, " %lld %lld\n", (long long)e->value,
					   (long long)e->at);
	}
	if (rc == -XE2E_EMALFORMED)
		rc = xe2e_err_set(err, XE2E_EIO, "cannot write state file '%s': over %zu bytes",
				  path, XE2E_STATE_MAX_BYTES);
	if (!rc)
		rc = xe2e_buf_addf(&tmp, err, "%s.tmp.%ld", path, (long)getpid());
	if (rc) {
		xe2e_buf_release(&out);
		return rc;
	}
	fd = open((char *)tmp.data, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = xe2e_err_set(err, XE2E_EIO, "cannot create '%s': %s", (char *)tmp.data,
				  strerror(errno));
		goto done;
	}
	/* fsync: a crash must not leave an empty file, which would then be
	 * refused as corrupt */
	if (fchmod(fd, 0600) < 0 || xe2e_io_write_fd(fd, out.data, out.len, NULL) < 0 || fsync(fd) < 0) {
		e_no = errno;
		close(fd);
		errno = e_no;
		goto fail;
	}
	if (close(fd) < 0 || rename((char *)tmp.data, path) < 0)
		goto fail;
	goto done;
fail:
	rc = xe2e_err_set(err, XE2E_EIO, "cannot write state file '%s': %s", path, strerror(errno));
	unlink((char *)tmp.data);
done:
	xe2e_buf_release(&tmp);
	xe2e_buf_release(&out);
	return rc;
}

/* ---- one operation on one file ------------------------------------------- */

struct op {
	struct xe2e_buf path;
	struct table t;
	int lock;                   /* fd of "<file>.lock", or -1 */
};

/* Lock (when `lock`), read and parse the file `name` of the state dir. */
static int op_begin(struct op *o, const struct xe2e_state *s, const struct file *f, int lock,
		    struct xe2e_err *err)
{
	struct xe2e_buf lp = XE2E_BUF_INIT;
	int rc;

	xe2e_buf_init(&o->path, 0);
	table_init(&o->t);
	o->lock = -1;
	if (!s->dir.len)
		return xe2e_err_set(err, XE2E_EIO, "state directory not open");
	rc = xe2e_buf_addf(&o->path, err, "%s/%s", (const char *)s->dir.data, f->name);
	if (!rc && lock) {
		rc = xe2e_buf_addf(&lp, err, "%s.lock", (const char *)o->path.data);
		if (!rc) {
			o->lock = open((char *)lp.data, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
				       0600);
			if (o->lock < 0)
				rc = xe2e_err_set(err, XE2E_EIO, "cannot open lock file '%s': %s",
						  (char *)lp.data, strerror(errno));
		}
		while (!rc && flock(o->lock, LOCK_EX) < 0)
			if (errno != EINTR)
				rc = xe2e_err_set(err, XE2E_EIO, "cannot lock '%s': %s",
						  (char *)lp.data, strerror(errno));
		xe2e_buf_release(&lp);
	}
	if (!rc)
		rc = read_table(&o->t, (const char *)o->path.data, err);
	return rc;
}

static int op_commit(struct op *o, const struct file *f, int64_t now_ms, struct xe2e_err *err)
{
	return write_table(&o->t, (const char *)o->path.data, f->window, now_ms, err);
}

static void op_end(struct op *o)
{
	if (o->lock >= 0)
		close(o->lock);         /* releases the flock */
	o->lock = -1;
	table_release(&o->t);
	xe2e_buf_release(&o->path);
}

static struct entry *lookup(struct table *t, const unsigned char *k, size_t klen)
{
	struct entry key = { k, klen, 0, 0 };

	/* sorted by op_begin's parse; call before adding */
	if (!t->n)
		return NULL;
	return bsearch(&key, ent(t), t->n, sizeof(struct entry), cmp_entry);
}

/* Set k's entry to (value, at), adding it when missing. */
static int put(struct table *t, const unsigned char *k, size_t klen, int64_t value, int64_t at,
	       struct xe2e_err *err)
{
	struct entry *e = lookup(t, k, klen);

	if (e) {
		e->value = value;
		e->at = at;
		return 0;
	}
	return add_entry(t, k, klen, value, at, err);
}

/* ---- the operations ---------------------------------------------------------- */

int xe2e_state_next_stamp(struct xe2e_state *s, const char *sender, int64_t now_ms,
			  int64_t *out_ms, struct xe2e_err *err)
{
	const struct entry *e;
	struct op o;
	int64_t stamp = now_ms, until;
	int rc;

	rc = check_name("sender", sender, err);
	if (!rc)
		rc = check_time(now_ms, err);
	if (rc)
		return rc;
	/* within this process's reservation: no I/O */
	if (s->res_until && s->res_sender.len == strlen(sender) &&
	    !memcmp(s->res_sender.data, sender, s->res_sender.len)) {
		stamp = now_ms > s->res_last ? now_ms : s->res_last + 1;
		if (stamp <= s->res_until) {
			s->res_last = stamp;
			*out_ms = stamp;
			return 0;
		}
		stamp = now_ms;
	}
	rc = op_begin(&o, s, &f_sent, 1, err);
	if (!rc) {
		e = lookup(&o.t, (const unsigned char *)sender, strlen(sender));
		if (e && e->value >= now_ms)
			stamp = e->value + 1;   /* the clock is behind what was reserved */
		if (stamp > XE2E_STATE_TIME_MAX - XE2E_STAMP_RESERVE_MS)
			rc = xe2e_err_set(err, XE2E_ETIMESTAMP,
					  "no timestamp left after the last one for '%s'", sender);
	}
	until = stamp + XE2E_STAMP_RESERVE_MS;
	if (!rc)
		rc = put(&o.t, (const unsigned char *)sender, strlen(sender), until, now_ms, err);
	if (!rc)
		rc = op_commit(&o, &f_sent, now_ms, err);
	op_end(&o);
	if (rc)
		return rc;
	xe2e_buf_reset(&s->res_sender);
	if (!xe2e_buf_add(&s->res_sender, sender, strlen(sender), NULL)) {
		s->res_last = stamp;
		s->res_until = until;
	} else {
		s->res_until = 0;
	}
	*out_ms = stamp;
	return 0;
}

/* ---- replay batches ---------------------------------------------------------- */

struct xe2e_state_batch {
	struct op o;
	int dirty;
	int64_t now_ms;
	struct xe2e_buf keys;       /* copies of the keys added (NUL-separated) */
	char **owned;
	size_t n_owned;
};

int xe2e_state_batch_begin(struct xe2e_state *s, struct xe2e_err *err)
{
	struct xe2e_state_batch *b;
	int rc;

	if (s->batch)
		return xe2e_err_set(err, XE2E_EIO, "a state batch is already open");
	b = calloc(1, sizeof(*b));
	if (!b)
		return xe2e_err_oom(err);
	rc = op_begin(&b->o, s, &f_replay, 1, err);
	if (rc) {
		op_end(&b->o);
		free(b);
		return rc;
	}
	s->batch = b;
	return 0;
}

int xe2e_state_batch_end(struct xe2e_state *s, int commit, struct xe2e_err *err)
{
	struct xe2e_state_batch *b = s->batch;
	size_t i;
	int rc = 0;

	if (!b)
		return 0;
	if (commit && b->dirty)
		rc = op_commit(&b->o, &f_replay, b->now_ms, err);
	op_end(&b->o);
	for (i = 0; i < b->n_owned; i++)
		free(b->owned[i]);
	free(b->owned);
	free(b);
	s->batch = NULL;
	return rc;
}

/* In a batch, a key added must outlive the call, and the table must stay
 * sorted for the next lookup. */
static int batch_put(struct xe2e_state_batch *b, const char *sender, int64_t value, int64_t at,
		     struct xe2e_err *err)
{
	size_t n = strlen(sender);
	char **v, *k;
	int rc;

	if (lookup(&b->o.t, (const unsigned char *)sender, n))
		return put(&b->o.t, (const unsigned char *)sender, n, value, at, err);
	k = strdup(sender);
	v = k ? realloc(b->owned, (b->n_owned + 1) * sizeof(*v)) : NULL;
	if (!v) {
		free(k);
		return xe2e_err_oom(err);
	}
	b->owned = v;
	b->owned[b->n_owned++] = k;
	rc = add_entry(&b->o.t, (const unsigned char *)k, n, value, at, err);
	if (!rc && b->o.t.n > 1)
		qsort(ent(&b->o.t), b->o.t.n, sizeof(struct entry), cmp_entry);
	return rc;
}

int xe2e_state_accept(struct xe2e_state *s, const char *sender, int64_t ts_ms, int64_t now_ms,
		      struct xe2e_err *err)
{
	const struct entry *e;
	char when[48];
	struct op o;
	int rc;

	rc = check_name("sender", sender, err);
	if (!rc)
		rc = check_time(ts_ms, err);
	if (!rc)
		rc = check_time(now_ms, err);
	if (rc)
		return rc;
	if (s->batch) {
		struct xe2e_state_batch *b = s->batch;

		e = lookup(&b->o.t, (const unsigned char *)sender, strlen(sender));
		if (e && e->value >= ts_ms && e->at > now_ms - XE2E_REPLAY_WINDOW_MS) {
			xe2e_time_format_ms(when, sizeof(when), ts_ms);
			return xe2e_err_set(err, XE2E_ETIMESTAMP,
					    "timestamp %s is not later than one already accepted from '%s'",
					    when, sender);
		}
		rc = batch_put(b, sender, ts_ms, now_ms, err);
		if (!rc) {
			b->dirty = 1;
			if (now_ms > b->now_ms)
				b->now_ms = now_ms;
		}
		return rc;
	}
	rc = op_begin(&o, s, &f_replay, 1, err);
	if (!rc) {
		e = lookup(&o.t, (const unsigned char *)sender, strlen(sender));
		/* the largest timestamp accepted from sender, and when: one
		 * accepted within the window (or "in the future", after the
		 * clock was set back) that is not earlier refuses ts_ms */
		if (e && e->value >= ts_ms && e->at > now_ms - XE2E_REPLAY_WINDOW_MS) {
			xe2e_time_format_ms(when, sizeof(when), ts_ms);
			rc = xe2e_err_set(err, XE2E_ETIMESTAMP,
					  "timestamp %s is not later than one already accepted from '%s'",
					  when, sender);
		}
	}
	if (!rc)
		rc = put(&o.t, (const unsigned char *)sender, strlen(sender), ts_ms, now_ms, err);
	if (!rc)
		rc = op_commit(&o, &f_replay, now_ms, err);
	op_end(&o);
	return rc;
}

/* The rule 7 key of a sender and recipient, checked with the time they
 * are asked about; on failure k is released. */
static int certs_key(struct xe2e_buf *k, const char *sender, const char *recipient,
		     int64_t now_ms, struct xe2e_err *err)
{
	int rc = check_name("sender", sender, err);

	if (!rc)
		rc = check_name("recipient", recipient, err);
	if (!rc)
		rc = check_time(now_ms, err);
	if (!rc)
		rc = xe2e_buf_addf(k, err, "%s|%s", sender, recipient);
	if (rc)
		xe2e_buf_release(k);
	return rc;
}

/* Sent within the window; a time "in the future" (the clock set back
 * since) does not count: sending again costs bytes. */
static int certs_recent(int64_t at, int64_t now_ms)
{
	return at <= now_ms && at > now_ms - XE2E_CERTS_WINDOW_MS;
}

/* Remember that pair k was sent at `at` (a failure only loses the memo). */
static void certs_memo(struct xe2e_state *s, const struct xe2e_buf *k, int64_t at)
{
	xe2e_buf_reset(&s->certs_key);
	if (xe2e_buf_add(&s->certs_key, k->data, k->len, NULL))
		xe2e_buf_release(&s->certs_key);
	s->certs_at = at;
}

int xe2e_state_certs_due(struct xe2e_state *s, const char *sender, const char *recipient,
			 int64_t now_ms, int *due, struct xe2e_err *err)
{
	struct xe2e_buf k = XE2E_BUF_INIT;
	const struct entry *e;
	struct op o;
	int rc;

	*due = 1;       /* on an error too: including them is always safe */
	rc = certs_key(&k, sender, recipient, now_ms, err);
	if (rc)
		return rc;
	/* known sent recently: no need to read the file again */
	if (s->certs_key.len == k.len && !memcmp(s->certs_key.data, k.data, k.len) &&
	    certs_recent(s->certs_at, now_ms)) {
		*due = 0;
		xe2e_buf_release(&k);
		return 0;
	}
	/* read only: rename makes a lock needless */
	rc = op_begin(&o, s, &f_certs, 0, err);
	if (!rc) {
		e = lookup(&o.t, k.data, k.len);
		if (e && certs_recent(e->at, now_ms)) {
			*due = 0;
			certs_memo(s, &k, e->at);
		}
	}
	op_end(&o);
	xe2e_buf_release(&k);
	return rc;
}

int xe2e_state_certs_sent(struct xe2e_state *s, const char *sender, const char *recipient,
			  int64_t now_ms, struct xe2e_err *err)
{
	struct xe2e_buf k = XE2E_BUF_INIT;
	struct op o;
	int rc;

	rc = certs_key(&k, sender, recipient, now_ms, err);
	if (rc)
		return rc;
	rc = op_begin(&o, s, &f_certs, 1, err);
	if (!rc)
		rc = put(&o.t, k.data, k.len, now_ms, now_ms, err);
	if (!rc)
		rc = op_commit(&o, &f_certs, now_ms, err);
	op_end(&o);
	if (!rc)
		certs_memo(s, &k, now_ms);
	xe2e_buf_release(&k);
	return rc;
}
