/*
 * fuzz_cpim.c - libFuzzer harness for lib/cpim.c (RFC 3862 Message/CPIM).
 *
 * Parse the input.  A refusal must be clean: a known code, a one-line
 * message, nothing left in the result.  When parsing succeeds, build an
 * object from the parsed fields, parse that again and require every field
 * build takes to survive, and a second build to write the same bytes.
 * Any broken property aborts, so libFuzzer reports it.
 *
 * Build and run: make fuzz-build, make fuzz-run (tests/fuzz/run-fuzz.sh: the
 * seeds are read, new inputs go to build-fuzz/new/cpim, so the seeds stay few).
 * Seeds: tests/fuzz/corpus/cpim/ (bin-*: made with tests/fuzz/make-seeds.sh).
 */
#include "fuzz.h"

#include "cpim.h"

static void is_empty(const struct xe2e_cpim *c)
{
	REQUIRE(c->from_uri.len == 0 && c->from_name.len == 0 && c->to_uri.len == 0 &&
		c->to_name.len == 0 && c->datetime.len == 0 && c->subject.len == 0 &&
		c->subject_lang.len == 0 && c->n_to == 0 && !c->has_datetime &&
		!c->has_subject && c->entity == NULL && c->entity_len == 0);
}

/* Build from c into out; the object must be buildable. */
static void build_from(struct xe2e_buf *out, const struct xe2e_cpim *c)
{
	struct xe2e_cpim_build b;
	struct xe2e_err err;

	memset(&b, 0, sizeof(b));
	b.from_uri = (const char *)c->from_uri.data;
	b.to_uri = (const char *)c->to_uri.data;
	b.datetime_ms = c->has_datetime ? c->datetime_ms : 0;
	if (c->has_subject) {
		b.subject = (const char *)c->subject.data;
		b.subject_len = c->subject.len;
		if (c->subject_lang.len)
			b.subject_lang = (const char *)c->subject_lang.data;
	}
	b.entity = c->entity;
	b.entity_len = c->entity_len;
	REQUIRE(xe2e_cpim_build(out, &b, &err) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xe2e_buf out = XE2E_BUF_INIT, again = XE2E_BUF_INIT;
	struct xe2e_cpim c, d;
	struct xe2e_err err;
	int rc;

	xe2e_cpim_init(&c);
	xe2e_cpim_init(&d);
	memset(&err, 0, sizeof(err));
	rc = xe2e_cpim_parse(&c, data, size, &err);
	if (rc) {
		fuzz_refused(rc, &err, FUZZ_CODE(XE2E_EMALFORMED) | FUZZ_CODE(XE2E_EUNSUPPORTED));
		is_empty(&c);
		goto done;
	}
	/* what a success promises */
	REQUIRE(c.from_uri.len > 0 && c.to_uri.len > 0 && c.n_to >= 1);
	REQUIRE(c.entity >= data && c.entity + c.entity_len == data + size);
	REQUIRE(c.entity_len > 0);
	REQUIRE(c.has_datetime == (c.datetime.len > 0));
	REQUIRE(c.subject.data && c.subject_lang.data && c.from_name.data && c.to_name.data);

	build_from(&out, &c);
	REQUIRE(xe2e_cpim_parse(&d, out.data, out.len, &err) == 0);
	fuzz_same(&c.from_uri, &d.from_uri);
	fuzz_same(&c.to_uri, &d.to_uri);
	REQUIRE(d.from_name.len == 0 && d.to_name.len == 0 && d.n_to == 1);
	REQUIRE(d.has_datetime);
	if (c.has_datetime)
		REQUIRE(d.datetime_ms == c.datetime_ms);
	REQUIRE(d.has_subject == c.has_subject);
	fuzz_same(&c.subject, &d.subject);
	fuzz_same(&c.subject_lang, &d.subject_lang);
	REQUIRE(d.entity_len == c.entity_len && !memcmp(d.entity, c.entity, c.entity_len));

	build_from(&again, &d);
	fuzz_same(&out, &again);
done:
	xe2e_cpim_release(&c);
	xe2e_cpim_release(&d);
	xe2e_buf_release(&out);
	xe2e_buf_release(&again);
	return 0;
}
