/*
 * fuzz_pidf.c - libFuzzer harness for lib/pidf.c (RFC 3863 PIDF as RFC 3923
 * §4 and RFC 3922 §5 use it) and the XML parser under it (lib/xml.c).
 *
 * Parse the input.  A refusal must be clean: a known code, a one-line
 * message, nothing left in the result.  When parsing succeeds, build a
 * document from the parsed fields (tuple id 't'), parse that again and
 * require every field to survive, and a second build to write the same
 * bytes.  Any broken property aborts, so libFuzzer reports it.
 *
 * Build and run: make fuzz-build, make fuzz-run (tests/fuzz/run-fuzz.sh).
 * Seeds: tests/fuzz/corpus/pidf/ (made with tests/fuzz/make-seeds.sh).
 */
#include "fuzz.h"

#include "pidf.h"

static void is_empty(const struct xe2e_pidf *p)
{
	REQUIRE(p->entity.len == 0 && p->note.len == 0 && p->note_lang.len == 0 && !p->open &&
		!p->has_show && !p->has_note && !p->note_has_lang && !p->has_timestamp);
}

static void build_from(struct xe2e_buf *out, const struct xe2e_pidf *p)
{
	struct xe2e_pidf_build b;
	struct xe2e_err err;

	memset(&b, 0, sizeof(b));
	b.entity = (const char *)p->entity.data;
	b.tuple_id = "t";
	b.open = p->open;
	b.show = p->has_show ? p->show : NULL;
	if (p->has_note) {
		b.note = p->note.data ? (const char *)p->note.data : "";
		b.note_len = p->note.len;
		if (p->note_has_lang)
			b.note_lang = p->note_lang.data ? (const char *)p->note_lang.data : "";
	}
	b.timestamp_ms = p->has_timestamp ? p->timestamp_ms : 0;
	REQUIRE(xe2e_pidf_build(out, &b, &err) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xe2e_buf out = XE2E_BUF_INIT, again = XE2E_BUF_INIT;
	struct xe2e_pidf p, q;
	struct xe2e_err err;
	int rc;

	xe2e_pidf_init(&p);
	xe2e_pidf_init(&q);
	memset(&err, 0, sizeof(err));
	rc = xe2e_pidf_parse(&p, data, size, &err);
	if (rc) {
		fuzz_refused(rc, &err, FUZZ_CODE(XE2E_EMALFORMED) | FUZZ_CODE(XE2E_EUNSUPPORTED));
		is_empty(&p);
		goto done;
	}
	/* what a success promises */
	REQUIRE(p.entity.len > 0 && p.entity.data[p.entity.len] == '\0');
	REQUIRE(strlen((const char *)p.entity.data) == p.entity.len);
	REQUIRE(!p.has_show || !strcmp(p.show, "away") || !strcmp(p.show, "chat") ||
		!strcmp(p.show, "dnd") || !strcmp(p.show, "xa"));
	REQUIRE(p.has_note || (!p.note.len && !p.note_has_lang));

	build_from(&out, &p);
	REQUIRE(xe2e_pidf_parse(&q, out.data, out.len, &err) == 0);
	fuzz_same(&p.entity, &q.entity);
	REQUIRE(q.open == p.open);
	REQUIRE(q.has_show == p.has_show && !strcmp(q.show, p.show));
	REQUIRE(q.has_note == p.has_note);
	fuzz_same(&p.note, &q.note);
	REQUIRE(q.note_has_lang == p.note_has_lang);
	fuzz_same(&p.note_lang, &q.note_lang);
	REQUIRE(q.has_timestamp);
	if (p.has_timestamp)
		REQUIRE(q.timestamp_ms == p.timestamp_ms);

	build_from(&again, &q);
	fuzz_same(&out, &again);
done:
	xe2e_pidf_release(&p);
	xe2e_pidf_release(&q);
	xe2e_buf_release(&out);
	xe2e_buf_release(&again);
	return 0;
}
