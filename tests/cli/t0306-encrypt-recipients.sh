#!/bin/bash
# t0306-encrypt-recipients: a message for several recipients (repeated
# --recip, and a --recip file holding two certificates) can be decrypted by
# each recipient alone, with --cert+--key and with --key only.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

sample_message
cat "$PKI/noku.pem" "$PKI/selfsigned.pem" >"$SCRATCH/two.pem" || hard_error "cat"
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --recip "$PKI/signer.pem" \
	--recip "$SCRATCH/two.pem" --outform der --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/m.der"
n=$(cms_print "$SCRATCH/m.der" | grep -c 'd.ktri:')
[ "$n" = 4 ] || fail "expected 4 RecipientInfos, found $n"
# every recipient's serial number is in the message (issuerAndSerialNumber)
openssl asn1parse -inform DER -in "$SCRATCH/m.der" >"$SCRATCH/m.asn1" 2>/dev/null ||
	fail "openssl asn1parse failed"
for r in direct signer noku selfsigned; do
	serial=$(openssl x509 -in "$PKI/$r.pem" -noout -serial | sed 's/^serial=//')
	grep -q "prim: INTEGER *:$serial\$" "$SCRATCH/m.asn1" ||
		fail "no RecipientInfo with the serial of $r ($serial)"
done

for r in direct signer noku selfsigned; do
	expect_exit 0 "$XE2E" decrypt --key "$PKI/$r.key" --cert "$PKI/$r.pem" --in "$SCRATCH/m.der"
	assert_same_file "$OUT" "$SCRATCH/msg.crlf" "$r with --cert and --key"
	expect_exit 0 "$XE2E" decrypt --key "$PKI/$r.key" --in "$SCRATCH/m.der"
	assert_same_file "$OUT" "$SCRATCH/msg.crlf" "$r with --key only"
done
# another key format for one recipient: PKCS#1 and encrypted PKCS#8
expect_exit 0 "$XE2E" decrypt --key "$PKI/signer-pkcs1.key" --in "$SCRATCH/m.der"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "signer with a PKCS#1 key"
expect_exit 0 "$XE2E" decrypt --key "$PKI/signer.p8" --pass-file "$PKI/signer.pass" \
	--cert "$PKI/signer.pem" --in "$SCRATCH/m.der"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "signer with an encrypted PKCS#8 key"

# S/MIME form, stdin; openssl agrees for one of the recipients
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --recip "$PKI/signer.pem" <"$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/m.eml"
for r in direct signer; do
	expect_exit 0 "$XE2E" decrypt --key "$PKI/$r.key" <"$SCRATCH/m.eml"
	assert_same_file "$OUT" "$SCRATCH/msg.crlf" "S/MIME, $r with --key only"
done
openssl cms -decrypt -binary -in "$SCRATCH/m.eml" -recip "$PKI/signer.pem" -inkey "$PKI/signer.key" \
	-out "$SCRATCH/ossl.out" 2>/dev/null || fail "openssl cannot decrypt for the second recipient"
assert_same_file "$SCRATCH/ossl.out" "$SCRATCH/msg.crlf" "openssl, second recipient"

# somebody else cannot
expect_fail 5 "$XE2E" decrypt --key "$PKI/revoked.key" --in "$SCRATCH/m.der"
[ "$(cat "$ERR")" = "xe2e decrypt: decryption failed" ] || fail "unexpected message: $(cat "$ERR")"
exit 0
