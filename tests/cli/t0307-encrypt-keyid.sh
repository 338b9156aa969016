#!/bin/bash
# t0307-encrypt-keyid: --keyid identifies recipients by subjectKeyIdentifier
# (KeyTransRecipientInfo version 2); decrypt finds them with --cert and
# with --key only.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

sample_message
# ski CERT -- subjectKeyIdentifier as lower-case hex without separators
ski() {
	openssl x509 -in "$1" -noout -ext subjectKeyIdentifier 2>/dev/null |
		awk 'NR == 2 { gsub(/[: ]/, ""); print tolower($0) }'
}
expect_exit 0 "$XE2E" encrypt --keyid --recip "$PKI/direct.pem" --recip "$PKI/signer.pem" \
	--outform der --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/k.der"
cms_print "$SCRATCH/k.der" >"$SCRATCH/k.print" || fail "openssl cannot parse the message"
[ "$(grep -c 'd.ktri:' "$SCRATCH/k.print")" = 2 ] || fail "expected 2 ktri"
[ "$(grep -c 'd.subjectKeyIdentifier:' "$SCRATCH/k.print")" = 2 ] ||
	fail "rid is not subjectKeyIdentifier: $(grep -A3 d.ktri "$SCRATCH/k.print")"
grep -q 'd.issuerAndSerialNumber' "$SCRATCH/k.print" && fail "issuerAndSerialNumber used with --keyid"
awk '/d.ktri:/ { getline; print }' "$SCRATCH/k.print" | grep -qv 'version: 2' &&
	fail "ktri version is not 2 with --keyid"
# the key identifiers are the certificates' SKIs: [0] IMPLICIT OCTET STRING
# (80 14 + 20 bytes) in the DER
hex=$(od -An -tx1 -v "$SCRATCH/k.der" | tr -d ' \n')
for r in direct signer; do
	id=$(ski "$PKI/$r.pem")
	[ ${#id} = 40 ] || hard_error "SKI of $r is not 20 bytes: '$id'"
	case $hex in
	*"8014$id"*) ;;
	*) fail "subjectKeyIdentifier of $r ($id) is not a rid in the message" ;;
	esac
done

for r in direct signer; do
	expect_exit 0 "$XE2E" decrypt --key "$PKI/$r.key" --cert "$PKI/$r.pem" --in "$SCRATCH/k.der"
	assert_same_file "$OUT" "$SCRATCH/msg.crlf" "--keyid: $r with --cert"
	expect_exit 0 "$XE2E" decrypt --key "$PKI/$r.key" --in "$SCRATCH/k.der"
	assert_same_file "$OUT" "$SCRATCH/msg.crlf" "--keyid: $r with --key only"
done
openssl cms -decrypt -binary -inform DER -in "$SCRATCH/k.der" -recip "$PKI/signer.pem" \
	-inkey "$PKI/signer.key" -out "$SCRATCH/ossl.out" 2>/dev/null || fail "openssl cannot decrypt --keyid message"
assert_same_file "$SCRATCH/ossl.out" "$SCRATCH/msg.crlf" "openssl decrypt of --keyid message"

# without --keyid: issuerAndSerialNumber, version 0
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --outform der --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/i.der"
cms_print "$SCRATCH/i.der" | grep -q 'd.issuerAndSerialNumber' || fail "default rid is not issuerAndSerialNumber"
cms_print "$SCRATCH/i.der" | grep -q 'd.subjectKeyIdentifier' && fail "default rid uses subjectKeyIdentifier"

# a non-recipient with --cert is told the key ids present
expect_fail 5 "$XE2E" decrypt --key "$PKI/noku.key" --cert "$PKI/noku.pem" --in "$SCRATCH/k.der"
for r in direct signer; do
	id=$(openssl x509 -in "$PKI/$r.pem" -noout -ext subjectKeyIdentifier | awk 'NR == 2 { gsub(/ /, ""); print }')
	grep -qi -- "$id" "$ERR" || fail "message does not name key id $id: $(cat "$ERR")"
done
# --keyid and --cert self copy
expect_exit 0 "$XE2E" encrypt --keyid --recip "$PKI/direct.pem" --cert "$PKI/signer.pem" \
	--outform der --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/ks.der"
expect_exit 0 "$XE2E" decrypt --key "$PKI/signer.key" --cert "$PKI/signer.pem" --in "$SCRATCH/ks.der"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "--keyid self copy"
# the recipient identifiers read the same in what encrypt reports and in
# what decrypt reports (both forms)
for k in --keyid ""; do
	expect_exit 0 "$XE2E" encrypt $k --recip "$PKI/direct.pem" --outform der --json \
		--in "$SCRATCH/msg.txt" -o "$SCRATCH/id.der"
	cp "$ERR" "$SCRATCH/enc.json"
	expect_exit 0 "$XE2E" decrypt --key "$PKI/direct.key" --json --in "$SCRATCH/id.der"
	python3 - "$SCRATCH/enc.json" "$ERR" <<'PY' || fail "encrypt $k and decrypt name the recipient differently"
import json, sys
a, b = (json.load(open(f))["layers"][0]["recipients"][0]["id"] for f in sys.argv[1:])
sys.exit(0 if a == b else print(a, "|", b) or 1)
PY
done
exit 0
