#!/bin/bash
# t0206-verify-json: --json puts exactly one line of JSON on stderr, on success
# (status ok, exit 0, signers with subject, names, signing_time, digest,
# signature) and on failure (status error, exit N, error), and stdout is as
# without --json.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

have_python || skip "python3 is needed to check JSON"

sign_msg "$SCRATCH/j.eml" --cert "$PKI/signer.pem" --key "$PKI/signer.key" \
	--chain "$PKI/chain.pem" --signing-time 2026-01-02T03:04:05Z --digest sha384
V=(--ca "$PKI/ca.pem" --json)

expect_exit 0 "$XE2E" verify "${V[@]}" --in "$SCRATCH/j.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify --json stdout"
assert_one_line_stderr
json_check "$ERR" 'j["status"] == "ok" and j["exit"] == 0'
json_check "$ERR" 'isinstance(j["signers"], list) and len(j["signers"]) == 1'
json_check "$ERR" '"Juliet Capulet" in j["signers"][0]["subject"]'
json_check "$ERR" 'any("juliet@example.com" in n for n in j["signers"][0]["names"])'
json_check "$ERR" 'j["signers"][0]["signing_time"].startswith("2026-01-02T03:04:05")'
json_check "$ERR" 'j["signers"][0]["digest"].lower().replace("-", "") == "sha384"'
json_check "$ERR" '"rsa" in j["signers"][0]["signature"].lower()'
json_check "$ERR" '"error" not in j or not j["error"]'

# DSA signer
sign_msg "$SCRATCH/d.eml" --cert "$PKI/dsa.pem" --key "$PKI/dsa.key"
expect_exit 0 "$XE2E" verify "${V[@]}" --in "$SCRATCH/d.eml"
json_check "$ERR" '"dsa" in j["signers"][0]["signature"].lower()'
json_check "$ERR" 'j["signers"][0]["digest"].lower().replace("-", "") == "sha256"'

# failures: one JSON line, nothing on stdout
# json_fail N ARGS... -- expect exit N with an error JSON line
json_fail() {
	local n=$1
	shift
	expect_exit "$n" "$XE2E" verify --json "$@"
	assert_empty_stdout
	assert_one_line_stderr
	json_check "$ERR" 'j["status"] == "error" and j["exit"] == '"$n"
	json_check "$ERR" 'isinstance(j["error"], str) and len(j["error"]) > 0'
}
sed -e 's/^hello world/hello wOrld/' "$SCRATCH/j.eml" >"$SCRATCH/t.eml"
json_fail 4 --ca "$PKI/ca.pem" --in "$SCRATCH/t.eml"
json_fail 6 --ca "$PKI/other-ca.pem" --in "$SCRATCH/j.eml"
json_fail 1 --in "$SCRATCH/j.eml"
json_fail 6 --ca "$PKI/ca.pem" --in "$SCRATCH/j.eml" --at 2099-01-01T00:00:00Z
printf 'garbage\n' >"$SCRATCH/g"
json_fail 2 --ca "$PKI/ca.pem" --in "$SCRATCH/g"
json_fail 8 --ca "$PKI/ca.pem" --in "$SCRATCH/missing"
exit 0
