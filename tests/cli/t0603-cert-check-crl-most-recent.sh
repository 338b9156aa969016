#!/bin/bash
# t0603-cert-check-crl-most-recent: of several CRLs of one CA the most recent
# is used, in whatever order they are given: a newer CRL no longer listing a
# certificate that an older one had on hold (certificateHold) makes it valid,
# and an older CRL that does not list a certificate cannot mask a newer one
# that does (RFC 5280 §6.3.3; xe2e-cert-check(1)).
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

CA=("$PKI/cc-old-ca.pem" "$PKI/cc-old.key")
L=("$XE2E" cert-check "$PKI/cc-old-long.pem" --ca "$PKI/cc-old-ca.pem")
crl_ca hold "${CA[@]}"
crl_ca empty "${CA[@]}"
crl_ca rev "${CA[@]}"
crl_revoke hold "$PKI/cc-old-long.pem" -crl_hold holdInstructionReject
crl_revoke rev "$PKI/cc-old-long.pem" -crl_reason keyCompromise
crl_gen hold "$SCRATCH/old-hold.crl" 20240101000000Z 20390101000000Z
crl_gen empty "$SCRATCH/new-empty.crl" 20250101000000Z 20390101000000Z
crl_gen empty "$SCRATCH/old-empty.crl" 20240101000000Z 20390101000000Z
crl_gen rev "$SCRATCH/new-rev.crl" 20250101000000Z 20390101000000Z
openssl crl -in "$SCRATCH/old-hold.crl" -noout -text | grep -q 'Certificate Hold' ||
	hard_error "openssl did not put the certificate on hold"

# each alone
expect_fail 6 "${L[@]}" --crl "$SCRATCH/old-hold.crl"
expect_exit 0 "${L[@]}" --crl "$SCRATCH/new-empty.crl"
# released from hold: the newer CRL wins, either order
expect_exit 0 "${L[@]}" --crl "$SCRATCH/old-hold.crl" --crl "$SCRATCH/new-empty.crl"
grep -q "of 2025-01-01T00:00:00Z: not revoked" "$OUT" ||
	fail "the newer CRL is not the one shown: $(cat "$OUT")"
expect_exit 0 "${L[@]}" --crl "$SCRATCH/new-empty.crl" --crl "$SCRATCH/old-hold.crl"
grep -q "of 2025-01-01T00:00:00Z: not revoked" "$OUT" ||
	fail "the newer CRL is not the one shown: $(cat "$OUT")"
# a stale CRL (say, sent along with a message) cannot mask a revocation
expect_fail 6 "${L[@]}" --crl "$SCRATCH/old-empty.crl" --crl "$SCRATCH/new-rev.crl"
assert_stderr_matches 'revoked'
expect_fail 6 "${L[@]}" --crl "$SCRATCH/new-rev.crl" --crl "$SCRATCH/old-empty.crl"
assert_stderr_matches 'revoked'
# whatever --crl-check says
expect_fail 6 "${L[@]}" --crl "$SCRATCH/old-empty.crl" --crl "$SCRATCH/new-rev.crl" --crl-check if-present
expect_fail 6 "${L[@]}" --crl "$SCRATCH/old-empty.crl" --crl "$SCRATCH/new-rev.crl" --crl-check require
exit 0
