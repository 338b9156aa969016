#!/bin/bash
# t0241: every command answers --json with one parseable object, on success
# and on failure (the layer records of what was done or tried).
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
have_python || skip "python3 is needed to read JSON"

sample_message
ok='j["status"] == "ok" and j["exit"] == 0'
bad() { echo 'j["status"] == "error" and j["exit"] == '"$1"' and len(j["error"]) > 0'; }
expect_exit 0 "$XE2E" sign --json --cert "$PKI/direct.pem" --key "$PKI/direct.key" -i "$SCRATCH/msg.txt" \
	-o "$SCRATCH/s.eml"
json_check "$ERR" "$ok and j['layers'][0]['type'] == 'signed' and j['layers'][0]['framing'] == 'multipart/signed'"
json_check "$ERR" 'j["signers"][0]["digest"] == "sha256" and "Direct" in j["signers"][0]["subject"]'
expect_exit 1 "$XE2E" sign --json --cert "$PKI/direct.pem" --key "$PKI/signer.key" -i "$SCRATCH/msg.txt"
json_check "$ERR" "$(bad 1)"
expect_exit 0 "$XE2E" encrypt --json --recip "$PKI/direct.pem" --recip "$PKI/signer.pem" \
	-i "$SCRATCH/msg.txt" -o "$SCRATCH/e.eml"
json_check "$ERR" "$ok and j['layers'][0]['type'] == 'enveloped' and j['layers'][0]['cipher'] == 'aes128'"
json_check "$ERR" 'len(j["layers"][0]["recipients"]) == 2'
expect_exit 6 "$XE2E" encrypt --json --recip "$PKI/expired.pem" -i "$SCRATCH/msg.txt"
json_check "$ERR" "$(bad 6)"
expect_exit 0 "$XE2E" decrypt --json --key "$PKI/direct.key" "$SCRATCH/e.eml"
json_check "$ERR" "$ok and j['layers'][0]['type'] == 'enveloped' and any(r['used'] for r in j['layers'][0]['recipients'])"
expect_exit 5 "$XE2E" decrypt --json --key "$PKI/other-ca.key" "$SCRATCH/e.eml"
json_check "$ERR" "$(bad 5) and j['layers'][0]['type'] == 'enveloped'"
expect_exit 0 "$XE2E" verify --json --ca "$PKI/ca.pem" "$SCRATCH/s.eml"
json_check "$ERR" "$ok and j['layers'][0]['type'] == 'signed' and j['layers'][0]['detached']"
sed 's/^hello world/hello World/' "$SCRATCH/s.eml" >"$SCRATCH/t.eml"
expect_exit 4 "$XE2E" verify --json --ca "$PKI/ca.pem" "$SCRATCH/t.eml"
json_check "$ERR" "$(bad 4) and j['layers'][0]['signers'][0]['subject'].startswith('CN=Direct')"
expect_exit 2 "$XE2E" verify --json --ca "$PKI/ca.pem" "$SCRATCH/e.eml"
json_check "$ERR" "$(bad 2)"
expect_exit 0 "$XE2E" cert-check --json "$PKI/direct.pem" --ca "$PKI/ca.pem"
json_check "$OUT" "$ok and j['valid'] is True"
expect_exit 6 "$XE2E" cert-check --json "$PKI/expired.pem" --ca "$PKI/ca.pem"
json_check "$ERR" "$(bad 6)"
printf "<message to='romeo@example.net' from='juliet@example.com/b'><body>x</body></message>" >"$SCRATCH/m.xml"
expect_exit 0 "$XE2E" wrap --json "${JULIET[@]}" --recip "$PKI/romeo.pem" -i "$SCRATCH/m.xml" -o "$SCRATCH/w.xml"
json_check "$ERR" "$ok and [l['type'] for l in j['layers']] == ['signed', 'enveloped']"
expect_exit 7 "$XE2E" wrap --json --cert "$PKI/direct.pem" --key "$PKI/direct.key" -i "$SCRATCH/m.xml"
json_check "$ERR" "$(bad 7)"
expect_exit 0 "$XE2E" unwrap --json "${ROMEO[@]}" -i "$SCRATCH/w.xml"
json_check "$ERR" "$ok and j['signed'] and j['encrypted'] and j['kind'] == 'message' and j['timestamp']['verdict'] == 'ok'"
expect_exit 3 "$XE2E" unwrap --json "${ROMEO[@]}" -i "$SCRATCH/w.xml"
json_check "$ERR" "$(bad 3) and j['timestamp']['verdict'] == 'decreasing'"
assert_empty_stdout
# stdout stays empty on failure, for all of them
expect_exit 5 "$XE2E" decrypt --json --key "$PKI/other-ca.key" "$SCRATCH/e.eml"
assert_empty_stdout
exit 0
