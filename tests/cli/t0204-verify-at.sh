#!/bin/bash
# t0204-verify-at: --at TIME validates the certificates at TIME instead of now
# (RFC 3339, Z or offset): far future and far past fail with 6, now succeeds.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

sign_msg "$SCRATCH/s.eml"
V=(--ca "$PKI/ca.pem" --in "$SCRATCH/s.eml")

expect_fail 6 "$XE2E" verify "${V[@]}" --at 2099-01-01T00:00:00Z
expect_fail 6 "$XE2E" verify "${V[@]}" --at 2000-01-01T00:00:00Z
expect_fail 6 "$XE2E" verify "${V[@]}" --at 2000-01-01T00:00:00+05:00

# a moment after the test PKI was made (the PKI may be cached: use its notBefore)
nb=$(openssl x509 -in "$PKI/direct.pem" -noout -startdate | sed 's/^notBefore=//')
t=$(date -u -d "$nb + 1 hour" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null) ||
	t=$(date -u +%Y-%m-%dT%H:%M:%SZ)
expect_exit 0 "$XE2E" verify "${V[@]}" --at "$t"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify --at $t"
t2=$(date -u -d "$nb + 1 hour" +%Y-%m-%dT%H:%M:%S+00:00 2>/dev/null) || t2=
if [ -n "$t2" ]; then
	expect_exit 0 "$XE2E" verify "${V[@]}" --at "$t2"
	# one minute before notBefore, written as a +01:00 offset
	t3=$(date -u -d "$nb - 1 minute + 1 hour" +%Y-%m-%dT%H:%M:%S+01:00)
	expect_fail 6 "$XE2E" verify "${V[@]}" --at "$t3"
fi
# now, written by date(1)
expect_exit 0 "$XE2E" verify "${V[@]}" --at "$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# the expired signer was valid in 2020, but the root did not exist then
sign_msg "$SCRATCH/e.eml" --cert "$PKI/expired.pem" --key "$PKI/expired.key"
expect_fail 6 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/e.eml" --at 2020-06-01T00:00:00Z

# the revoked signer: a CRL issued now does not revoke it in 2099 either way
# -- the certificate is expired then; this is just 6 again
sign_msg "$SCRATCH/r.eml" --cert "$PKI/revoked.pem" --key "$PKI/revoked.key"
expect_fail 6 "$XE2E" verify --ca "$PKI/ca.pem" --crl "$PKI/crl.pem" --in "$SCRATCH/r.eml" \
	--at 2099-01-01T00:00:00Z
exit 0
