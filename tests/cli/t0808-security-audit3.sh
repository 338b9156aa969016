#!/bin/bash
# t0808: the third read (tests/data/security-repro/audit3): an x400Address
# leaf bypassed a pathLenConstraint; an unsupported RecipientInfo ended
# decryption without --cert; CA certificates were accepted as end entities;
# encrypt without --ca checked no validity period.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

A=$TESTS_SRCDIR/data/security-repro/audit3
# Root > CA1 (pathLen 0) > CA2 > leaf: refused for both kinds of leaf
expect_fail 6 "$XE2E" cert-check "$A/pki/l2.pem" --ca "$A/pki/root.pem" --untrusted "$A/pki/chain12.pem" --purpose sign
assert_stderr_matches "path too long for a pathLenConstraint \(at 'CN=CA2'\)"
expect_fail 6 "$XE2E" cert-check "$A/pki/x400_under_ca2.pem" --ca "$A/pki/root.pem" \
	--untrusted "$A/pki/chain12.pem" --purpose sign
assert_stderr_matches "path too long for a pathLenConstraint \(at 'CN=CA2'\)"
# an RSAES-OAEP RecipientInfo first: skipped without --cert, as with it
expect_exit 0 "$XE2E" decrypt --key "$A/pki/ee.key" --in "$A/ktri_oaep_first.der"
cp "$OUT" "$SCRATCH/a"
expect_exit 0 "$XE2E" decrypt --key "$A/pki/ee.key" --cert "$A/pki/ee.pem" --in "$A/ktri_oaep_first.der"
assert_same_file "$OUT" "$SCRATCH/a"
# a CA certificate as an end entity: warned about by default, refused by strict
for p in sign encrypt; do
	expect_exit 0 "$XE2E" cert-check "$A/pki/ca.pem" --ca "$A/pki/root.pem" --purpose $p
	grep -q "^warning: certificate 'CN=SubCA' is a CA certificate used as an end entity" "$OUT" ||
		fail "no CA warning for --purpose $p: $(cat "$OUT")"
	expect_fail 6 "$XE2E" cert-check "$A/pki/ca.pem" --ca "$A/pki/root.pem" --purpose $p --policy strict
	assert_stderr_matches 'a CA certificate is not an S/MIME end entity'
done
expect_exit 0 "$XE2E" cert-check "$A/pki/ee.pem" --ca "$A/pki/root.pem" --purpose sign --policy strict
expect_exit 0 "$XE2E" encrypt --recip "$A/pki/ca.pem" --ca "$A/pki/root.pem" --content-type text/plain \
	--in "$A/msg.txt"
grep -q "^xe2e encrypt: warning: certificate 'CN=SubCA' is a CA certificate used as an end entity$" "$ERR" ||
	fail "encrypt gave no CA warning: $(cat "$ERR")"
# without --ca, the validity window is still checked (and --at moves it)
expect_fail 6 "$XE2E" encrypt --recip "$PKI/expired.pem" --content-type text/plain --in "$A/msg.txt"
assert_stderr_matches "has expired"
nb=$(openssl x509 -in "$PKI/expired.pem" -noout -startdate | cut -d= -f2)
at=$(date -u -d "$nb + 1 hour" +%Y-%m-%dT%H:%M:%SZ)
expect_exit 0 "$XE2E" encrypt --recip "$PKI/expired.pem" --content-type text/plain --in "$A/msg.txt" --at "$at"
exit 0
