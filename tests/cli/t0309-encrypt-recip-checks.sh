#!/bin/bash
# t0309-encrypt-recip-checks: recipient certificates are checked before use
# (RFC 3850 4.2-4.4): KU without keyEncipherment -> 6, EKU without
# emailProtection -> 6; with --ca: unknown CA, expired, revoked (--crl) -> 6.
# Every failure names the certificate, writes nothing on stdout and one line
# on stderr.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

sample_message
M=(--in "$SCRATCH/msg.txt")

# key usage / extended key usage (no --ca needed)
expect_fail 6 "$XE2E" encrypt --recip "$PKI/signonly.pem" "${M[@]}"
assert_stderr_matches 'Sign Only'
expect_fail 6 "$XE2E" encrypt --recip "$PKI/serverauth.pem" "${M[@]}"
assert_stderr_matches 'Server Auth Only'
# one bad recipient among good ones spoils the message
expect_fail 6 "$XE2E" encrypt --recip "$PKI/direct.pem" --recip "$PKI/signonly.pem" "${M[@]}"
cat "$PKI/direct.pem" "$PKI/serverauth.pem" >"$SCRATCH/mixed.pem"
expect_fail 6 "$XE2E" encrypt --recip "$SCRATCH/mixed.pem" "${M[@]}"
expect_fail 6 "$XE2E" encrypt --recip "$PKI/signonly.pem" --outform der "${M[@]}"
expect_fail 6 "$XE2E" encrypt --recip "$PKI/signonly.pem" --stream "${M[@]}"
# KU with keyEncipherment only is fine
expect_exit 0 "$XE2E" encrypt --recip "$PKI/noku.pem" "${M[@]}"

# path validation with --ca
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --ca "$PKI/ca.pem" "${M[@]}"
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --ca "$PKI/ca-dir" "${M[@]}"
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --ca "$PKI/cas.pem" --crl "$PKI/crl.pem" "${M[@]}"
# unknown CA
expect_fail 6 "$XE2E" encrypt --recip "$PKI/selfsigned.pem" --ca "$PKI/ca.pem" "${M[@]}"
assert_stderr_matches 'Self Signed'
expect_fail 6 "$XE2E" encrypt --recip "$PKI/direct.pem" --ca "$PKI/other-ca.pem" "${M[@]}"
# expired (checked as part of path validation)
expect_fail 6 "$XE2E" encrypt --recip "$PKI/expired.pem" --ca "$PKI/ca.pem" "${M[@]}"
assert_stderr_matches 'Expired Signer'
# revoked: only with the CRL that lists it
expect_exit 0 "$XE2E" encrypt --recip "$PKI/revoked.pem" --ca "$PKI/ca.pem" "${M[@]}"
expect_exit 0 "$XE2E" encrypt --recip "$PKI/revoked.pem" --ca "$PKI/ca.pem" --crl "$PKI/crl-empty.pem" "${M[@]}"
expect_fail 6 "$XE2E" encrypt --recip "$PKI/revoked.pem" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem" "${M[@]}"
assert_stderr_matches 'Revoked Signer'
expect_fail 6 "$XE2E" encrypt --recip "$PKI/revoked.pem" --ca "$PKI/ca.pem" --crl "$PKI/crl.der" "${M[@]}"
expect_fail 6 "$XE2E" encrypt --recip "$PKI/direct.pem" --recip "$PKI/revoked.pem" \
	--ca "$PKI/ca.pem" --crl "$PKI/crl.pem" "${M[@]}"
# the sender's own --cert is validated too
expect_fail 6 "$XE2E" encrypt --recip "$PKI/direct.pem" --cert "$PKI/revoked.pem" \
	--ca "$PKI/ca.pem" --crl "$PKI/crl.pem" "${M[@]}"
# KU checks still apply with --ca
expect_fail 6 "$XE2E" encrypt --recip "$PKI/signonly.pem" --ca "$PKI/ca.pem" "${M[@]}"
expect_fail 6 "$XE2E" encrypt --recip "$PKI/serverauth.pem" --ca "$PKI/ca.pem" "${M[@]}"

# --out is not created on any of these
expect_fail 6 "$XE2E" encrypt --recip "$PKI/expired.pem" --ca "$PKI/ca.pem" "${M[@]}" --out "$SCRATCH/x.eml"
[ -e "$SCRATCH/x.eml" ] && fail "failed encrypt created --out"

# not a certificate
expect_fail '2|8' "$XE2E" encrypt --recip "$SCRATCH/msg.txt" "${M[@]}"
exit 0
