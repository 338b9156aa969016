#!/bin/bash
# t0203-verify-crl: --crl (PEM or DER, repeatable) revokes: a signer listed
# in the CRL fails with 6, an empty CRL of the same issuer changes nothing.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

sign_msg "$SCRATCH/r.eml" --cert "$PKI/revoked.pem" --key "$PKI/revoked.key"
V=(--ca "$PKI/ca.pem" --in "$SCRATCH/r.eml")

# without a CRL the revoked certificate is (as far as verify knows) fine
expect_exit 0 "$XE2E" verify "${V[@]}"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify without --crl"
# with the CRL: revoked
expect_fail 6 "$XE2E" verify "${V[@]}" --crl "$PKI/crl.pem"
expect_fail 6 "$XE2E" verify "${V[@]}" --crl "$PKI/crl.der"
expect_fail 6 "$XE2E" verify "${V[@]}" --crl "$PKI/crl-empty.pem" --crl "$PKI/crl.pem"
# an empty CRL from the same issuer
expect_exit 0 "$XE2E" verify "${V[@]}" --crl "$PKI/crl-empty.pem"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify with an empty CRL"
# a different signer is not affected by the CRL
sign_msg "$SCRATCH/d.eml"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --crl "$PKI/crl.pem" --in "$SCRATCH/d.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify of a non-revoked signer with --crl"
# an opaque message from the revoked signer
sign_msg "$SCRATCH/r.der" --cert "$PKI/revoked.pem" --key "$PKI/revoked.key" --outform der --opaque
expect_fail 6 "$XE2E" verify --ca "$PKI/ca.pem" --crl "$PKI/crl.pem" --in "$SCRATCH/r.der"
# a CRL file that does not exist is an I/O error, a garbage CRL is not accepted
expect_fail 8 "$XE2E" verify "${V[@]}" --crl "$SCRATCH/missing.crl"
echo garbage >"$SCRATCH/bad.crl"
expect_fail '!0' "$XE2E" verify "${V[@]}" --crl "$SCRATCH/bad.crl"
exit 0
