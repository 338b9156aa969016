#!/bin/bash
# t0400-decrypt-recipient: a key that is no recipient's gives 5 "decryption
# failed"; --cert of a non-recipient gives 5 naming the recipients present
# (issuer and hex serial, or key id).
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

sample_message
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --recip "$PKI/noku.pem" --outform der \
	--in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/m.der"
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" <"$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/m.eml"

# wrong key, --key only: the generic message, whatever the form
for f in m.der m.eml; do
	for k in signer.key revoked.key selfsigned.key signer-pkcs1.key; do
		expect_fail 5 "$XE2E" decrypt --key "$PKI/$k" --in "$SCRATCH/$f"
		[ "$(cat "$ERR")" = "xe2e decrypt: decryption failed" ] ||
			fail "wrong key $k: message is '$(cat "$ERR")'"
	done
done
expect_fail 5 "$XE2E" decrypt --key "$PKI/signer.p8" --pass-file "$PKI/signer.pass" <"$SCRATCH/m.eml"
[ "$(cat "$ERR")" = "xe2e decrypt: decryption failed" ] || fail "wrong encrypted key: '$(cat "$ERR")'"

# --cert of a non-recipient (with its own key): 5, names what is there
expect_fail 5 "$XE2E" decrypt --key "$PKI/signer.key" --cert "$PKI/signer.pem" --in "$SCRATCH/m.der"
assert_stderr_matches '^xe2e decrypt: '
assert_stderr_matches 'Juliet Capulet'
assert_stderr_matches 'recipients'
assert_stderr_matches 'Example Test Root CA'
for r in direct noku; do
	serial=$(openssl x509 -in "$PKI/$r.pem" -noout -serial | sed 's/^serial=//')
	grep -qi "serial $serial" "$ERR" || grep -qi "serial 0*$serial" "$ERR" ||
		fail "message does not name serial $serial of $r: $(cat "$ERR")"
done
# a recipient under another issuer is named with that issuer
expect_exit 0 "$XE2E" encrypt --recip "$PKI/selfsigned.pem" <"$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/ss.eml"
expect_fail 5 "$XE2E" decrypt --key "$PKI/direct.key" --cert "$PKI/direct.pem" --in "$SCRATCH/ss.eml"
assert_stderr_matches 'Self Signed'
expect_fail 5 "$XE2E" decrypt --key "$PKI/direct.key" --in "$SCRATCH/ss.eml"
[ "$(cat "$ERR")" = "xe2e decrypt: decryption failed" ] || fail "wrong key: '$(cat "$ERR")'"
# the same with the certificate in DER
expect_fail 5 "$XE2E" decrypt --key "$PKI/signer.key" --cert "$PKI/signer.der" --in "$SCRATCH/m.eml"
assert_stderr_matches 'Juliet Capulet'
exit 0
