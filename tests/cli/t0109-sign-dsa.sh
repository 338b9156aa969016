#!/bin/bash
# t0109-sign-dsa: a DSA-2048 signer signs (multipart, opaque, DER) and verifies,
# with xe2e and with openssl; a DSA message made by openssl verifies too.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

D=(--cert "$PKI/dsa.pem" --key "$PKI/dsa.key")
sign_msg "$SCRATCH/d.eml" "${D[@]}"
[ "$(mime_param "$(mime_header "$SCRATCH/d.eml" Content-Type)" micalg)" = sha-256 ] ||
	fail "DSA: micalg is not sha-256"
smime_sig_der "$SCRATCH/d.eml" "$SCRATCH/d.der"
cms_print "$SCRATCH/d.der" | grep -A1 'signatureAlgorithm:' | grep -qi 'dsa' ||
	fail "DSA: SignerInfo signatureAlgorithm is not DSA"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/d.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "DSA verify output"
grep -q 'DSA Signer' "$ERR" || fail "summary does not name 'DSA Signer': $(cat "$ERR")"
openssl cms -verify -CAfile "$PKI/ca.pem" -in "$SCRATCH/d.eml" -out /dev/null 2>"$SCRATCH/e" ||
	fail "openssl rejects xe2e's DSA signature: $(cat "$SCRATCH/e")"

sign_msg "$SCRATCH/o.eml" "${D[@]}" --opaque
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/o.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "DSA opaque verify output"

# tampered DSA message
sed -e 's/hello world/hello World/' "$SCRATCH/d.eml" >"$SCRATCH/t.eml"
expect_fail 4 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/t.eml"

# openssl-made DSA signature
openssl cms -sign -signer "$PKI/dsa.pem" -inkey "$PKI/dsa.key" -md sha256 -binary \
	-in "$SCRATCH/msg.crlf" -out "$SCRATCH/ossl.eml" 2>"$SCRATCH/e" || hard_error "openssl cms -sign (DSA): $(cat "$SCRATCH/e")"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/ossl.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify of openssl DSA message"
exit 0
