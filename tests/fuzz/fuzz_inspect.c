/*
 * fuzz_inspect.c - libFuzzer harness for `xe2e inspect`'s walk: the receive
 * walk with recv_opts.inspect and der (lib/recv.c) over any bytes -- S/MIME
 * recognition, MIME, PEM, BER/DER ContentInfo, SignedData and its
 * certificates, CRLs and SignerInfos decoded into the info tree
 * (lib/inspect.c), the EnvelopedData described without a key (lib/cms_env.c),
 * the ASN.1 outline (lib/asn1dump.c) -- then both renderings of the records
 * (lib/info.c, lib/report.c).
 *
 * Properties: the walk ends with 0 or a clean refusal (a known code, a
 * one-line message); every layer has its tree; the text outline has no
 * line break that does not end a line of it (every string escaped) and the
 * JSON is made without error.  Any broken property aborts.
 *
 * Build and run: make fuzz-build, make fuzz-run (tests/fuzz/run-fuzz.sh).
 * Seeds: tests/fuzz/corpus/inspect/ (CMS objects of the test suite).
 */
#include "fuzz.h"

#include "ctx.h"
#include "info.h"
#include "json.h"
#include "recv.h"
#include "report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xe2e_recv_opts o;
	struct xe2e_report rep;
	struct xe2e_source *src;
	struct xe2e_sink_buf sink;
	struct xe2e_buf content = XE2E_BUF_INIT, text = XE2E_BUF_INIT, js = XE2E_BUF_INIT;
	struct xe2e_json j;
	struct xe2e_ctx ctx;
	struct xe2e_err err;
	size_t i;
	int rc;

	if (size > 256 * 1024)
		return 0;
	src = malloc(sizeof(*src));
	REQUIRE(src != NULL);
	xe2e_ctx_init(&ctx);
	xe2e_report_init(&rep);
	xe2e_err_clear(&err);
	memset(&o, 0, sizeof(o));
	o.first = XE2E_RECV_ANY;
	o.inspect = 1;
	o.der = 1;
	xe2e_source_init_mem(src, data, size);
	xe2e_sink_buf_init(&sink, &content);
	rc = xe2e_receive(&ctx, &o, src, &sink.base, &rep, &err);
	if (rc)
		fuzz_refused(rc, &err, FUZZ_CODE(XE2E_EMALFORMED) | FUZZ_CODE(XE2E_EUNSUPPORTED));
	for (i = 0; i < rep.n; i++) {
		REQUIRE(rep.layers[i]->info != NULL);
		REQUIRE(xe2e_info_status(rep.layers[i]->info, NULL) == 0 ||
			xe2e_info_status(rep.layers[i]->info, NULL) == -XE2E_EMALFORMED);
		REQUIRE(xe2e_info_text(&text, rep.layers[i]->info, 1, NULL) == 0);
	}
	/* every line of the outline starts with its indentation: nothing from
	 * the input broke a line */
	for (i = 0; i < text.len; i++) {
		REQUIRE(text.data[i] != '\r');
		if (text.data[i] == '\n' && i + 1 < text.len)
			REQUIRE(text.data[i + 1] == ' ');
	}
	xe2e_json_init(&j, &js);
	xe2e_json_object(&j);
	xe2e_report_json(&j, &rep);
	xe2e_json_close(&j);
	REQUIRE(xe2e_json_end(&j, NULL) == 0);
	xe2e_report_release(&rep);
	xe2e_source_wipe(src);
	free(src);
	xe2e_buf_release(&content);
	xe2e_buf_release(&text);
	xe2e_buf_release(&js);
	xe2e_ctx_release(&ctx);
	return 0;
}
