#!/bin/bash
# t0618-cert-check-json: --json prints one JSON object on one line: on
# success on stdout (status, valid, chain, names, key_usage,
# extended_key_usage), on failure on stderr with stdout empty, the exit status
# unchanged.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
have_python || skip "python3 is needed to check JSON"

S=("$XE2E" cert-check "$PKI/signer.pem" --ca "$PKI/ca.pem" --untrusted "$PKI/inter.pem" --json)
expect_exit 0 "${S[@]}" --crl "$PKI/crl-empty.pem"
[ -s "$ERR" ] && fail "stderr not empty on success: $(cat "$ERR")"
json_check "$OUT" 'isinstance(j, dict)'
json_check "$OUT" 'all(k in j for k in ("status", "valid", "chain", "names", "key_usage", "extended_key_usage"))'
json_check "$OUT" 'j["valid"] is True'
json_check "$OUT" 'isinstance(j["chain"], list) and len(j["chain"]) == 3'
json_check "$OUT" '"Juliet Capulet" in repr(j["chain"][0]) and "Intermediate" in repr(j["chain"][1]) and "Root" in repr(j["chain"][2])'
json_check "$OUT" '"crl" in j["chain"][1] and "Root" in repr(j["chain"][1]["crl"])'
json_check "$OUT" 'set(j["names"]) >= {"email:juliet@example.com", "xmpp:juliet@example.com", "uri:im:juliet@example.com"}'
json_check "$OUT" 'set(j["key_usage"]) == {"digitalSignature", "nonRepudiation", "keyEncipherment"}'
json_check "$OUT" 'j["extended_key_usage"] == ["emailProtection"]'
# with --jid / --email / --purpose matched
expect_exit 0 "${S[@]}" --jid juliet@example.com --email juliet@example.com --purpose encrypt
json_check "$OUT" 'j["valid"] is True'
# no KU / EKU: still the keys (null or a list)
expect_exit 0 "$XE2E" cert-check "$PKI/cc-ku-none.pem" --ca "$PKI/ca.pem" --json
json_check "$OUT" 'j["valid"] is True and all(k in j and (j[k] is None or isinstance(j[k], list)) for k in ("key_usage", "extended_key_usage"))'
# a PKCS#9 emailAddress among the names
expect_exit 0 "$XE2E" cert-check "$PKI/cc-dnemail.pem" --ca "$PKI/ca.pem" --json
json_check "$OUT" '"email:Nurse@Example.COM" in j["names"]'

# failures: JSON on stderr, nothing on stdout
fails() {	# fails STATUS ARGS...
	local want=$1
	shift
	expect_exit "$want" "$XE2E" cert-check "$@" --json
	assert_empty_stdout
	json_check "$ERR" 'isinstance(j, dict) and j.get("valid") is not True and j.get("status") != "ok"'
}
fails 6 "$PKI/serverauth.pem" --ca "$PKI/ca.pem"
fails 6 "$PKI/revoked.pem" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem"
fails 6 "$PKI/signer.pem" --ca "$PKI/other-ca.pem" --untrusted "$PKI/inter.pem"
fails 7 "$PKI/signer.pem" --ca "$PKI/ca.pem" --untrusted "$PKI/inter.pem" --jid romeo@example.com
json_check "$ERR" '"juliet@example.com" in repr(j)'
echo garbage >"$SCRATCH/bad.pem"
fails 2 "$SCRATCH/bad.pem" --ca "$PKI/ca.pem"
fails 2 "$PKI/direct.pem" --ca "$PKI/ca.pem" --crl "$SCRATCH/bad.pem"
fails 8 "$SCRATCH/missing.pem" --ca "$PKI/ca.pem"
exit 0
