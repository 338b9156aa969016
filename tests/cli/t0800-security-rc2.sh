#!/bin/bash
# t0800: RC2 parameters with a version between 264 and 1024 once set a key
# length of up to 128 bytes for 32-byte CEK buffers (a stack overflow that
# anyone with the recipient's certificate could trigger, issue 7).  Only
# 40, 64 and 128 effective bits exist (RFC 3370 §5.2): anything else is
# exit 9, one line, nothing on stdout -- with or without --cert.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

R=$TESTS_SRCDIR/data/security-repro
for f in decrypt-rc2-ver264.der decrypt-rc2-ver512.der decrypt-rc2-ver1024.der \
	decrypt-rc2-ver1024-wrapped-128-byte-key.der; do
	expect_fail 9 "$XE2E" decrypt --cert "$R/pki/bob.pem" --key "$R/pki/bob.key" --in "$R/$f"
	assert_stderr_matches 'unsupported RC2 effective key size'
	expect_fail 9 "$XE2E" decrypt --key "$R/pki/bob.key" --in "$R/$f"
	expect_fail 9 "$XE2E" decrypt --key "$R/pki/bob.key" --in "$R/$f" --stream
done
exit 0
