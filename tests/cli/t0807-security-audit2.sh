#!/bin/bash
# t0807: the second read of the parsing code (tests/data/security-repro/audit2):
# an empty quoted MIME parameter, a NUL inside an rfc822Name, injected or
# NUL-cut X.400 attributes, and a forged CRL from an unauthenticated
# originatorInfo that once poisoned the certificate store.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

A=$TESTS_SRCDIR/data/security-repro/audit2
# protocol="" was a NULL dereference
expect_fail 9 "$XE2E" verify --ca "$A/pki/ca.pem" --in "$A/empty-protocol.eml"
assert_stderr_matches "multipart/signed protocol '' is not S/MIME"
expect_fail 9 "$XE2E" cert-check --store "$SCRATCH/st0" --import "$A/empty-protocol.eml"
# alice@example.com\0.evil.test is a malformed name, not alice@example.com
expect_fail 2 "$XE2E" cert-check "$A/nul-san.pem" --ca "$A/pki/ca.pem" --email alice@example.com
assert_stderr_matches 'malformed email name'
# DDA value "123;O=Acme;S=Smith" would forge O and S; "Acme\0Evil" was cut
expect_fail 2 "$XE2E" cert-check "$A/x400-dda-inject.pem" --ca "$A/pki/ca.pem" \
	--x400 'C=GB;O=Acme;S=Smith;DDA:id=123'
assert_stderr_matches 'ORAddress: bad character in DDA value'
expect_fail 2 "$XE2E" cert-check "$A/x400-nul.pem" --ca "$A/pki/ca.pem" --x400 'C=GB;O=Acme;DDA:id=123'
assert_stderr_matches 'ORAddress: bad character in O'
expect_fail 7 "$XE2E" cert-check "$A/x400-control.pem" --ca "$A/pki/ca.pem" --x400 'C=GB;O=Acme;DDA:id=123'
# a CRL claiming the root's name, signed by another key, came in an
# originatorInfo: it must not be stored, and must not block the root's paths
expect_exit 0 "$XE2E" decrypt --key "$A/pki/direct.key" --store "$SCRATCH/st" --cache --in "$A/crl-poison.p7m"
[ -z "$(find "$SCRATCH/st/crls" -type f)" ] || fail "the forged CRL was stored"
expect_exit 0 "$XE2E" cert-check "$A/pki/signer.pem" --untrusted "$A/pki/inter.pem" --ca "$A/pki/ca.pem" \
	--store "$SCRATCH/st"
exit 0
