#!/bin/bash
# t0606-cert-check-at: --at TIME validates at TIME instead of now (validity
# periods of every certificate, and of the CRLs).  cc-old-ca is valid
# 2000..2040, cc-old-expired 2010..2011, cc-old-current from PKI generation.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

X=("$XE2E" cert-check "$PKI/cc-old-expired.pem" --ca "$PKI/cc-old-ca.pem")
N=("$XE2E" cert-check "$PKI/cc-old-current.pem" --ca "$PKI/cc-old-ca.pem")

# valid now, but not before its notBefore (the root was valid then)
expect_exit 0 "${N[@]}"
expect_fail 6 "${N[@]}" --at 2015-06-01T00:00:00Z
assert_stderr_matches 'CC Old Current'
# after the root's notAfter
expect_fail 6 "${N[@]}" --at 2041-01-01T00:00:00Z
# an expired certificate, inside and outside its validity
expect_fail 6 "${X[@]}"
expect_exit 0 "${X[@]}" --at 2010-06-01T00:00:00Z
expect_exit 0 "${X[@]}" --at 2010-06-01T02:00:00+02:00
expect_fail 6 "${X[@]}" --at 2011-06-01T00:00:00Z
expect_fail 6 "${X[@]}" --at 2009-06-01T00:00:00Z
# the boundaries are inclusive (RFC 5280 §4.1.2.5)
expect_exit 0 "${X[@]}" --at 2010-01-01T00:00:00Z
expect_exit 0 "${X[@]}" --at 2011-01-01T00:00:00Z
expect_fail 6 "${X[@]}" --at 2011-01-01T00:00:01Z
expect_fail 6 "${X[@]}" --at 2009-12-31T23:59:59Z
# not a time
expect_fail 1 "${X[@]}" --at yesterday

# CRLs are judged at --at too
CA=("$PKI/cc-old-ca.pem" "$PKI/cc-old.key")
crl_ca ok "${CA[@]}"
crl_ca rev "${CA[@]}"
crl_revoke rev "$PKI/cc-old-expired.pem"
crl_gen ok "$SCRATCH/2010.crl" 20100301000000Z 20100901000000Z
crl_gen ok "$SCRATCH/2010-short.crl" 20100301000000Z 20100501000000Z
crl_gen rev "$SCRATCH/2010-rev.crl" 20100301000000Z 20100901000000Z
A=(--at 2010-06-01T00:00:00Z)
expect_exit 0 "${X[@]}" "${A[@]}" --crl "$SCRATCH/2010.crl"
grep -q 'of 2010-03-01T00:00:00Z: not revoked' "$OUT" || fail "CRL not shown: $(cat "$OUT")"
expect_fail 6 "${X[@]}" "${A[@]}" --crl "$SCRATCH/2010-rev.crl"
assert_stderr_matches 'revoked'
# expired at --at (but the same CRL is fine earlier)
expect_fail 6 "${X[@]}" "${A[@]}" --crl "$SCRATCH/2010-short.crl"
expect_exit 0 "${X[@]}" --at 2010-04-01T00:00:00Z --crl "$SCRATCH/2010-short.crl"
expect_exit 0 "${X[@]}" "${A[@]}" --crl "$SCRATCH/2010-short.crl" --crl-check if-present
exit 0
