#!/bin/bash
# t0232: contentType, messageDigest and signingTime "MUST NOT be an unsigned
# attribute" (RFC 5652 §11.1-§11.3): a signingTime placed there was
# accepted; now exit 4.  Other unsigned attributes stay fine.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
have_python || skip "python3 is needed to build the message"

sign_msg "$SCRATCH/s.der" --opaque --outform der
D=$TESTS_SRCDIR/der.py
# signingTime = UTCTime 260101000000Z
python3 "$D" add-unsigned "$SCRATCH/s.der" "$SCRATCH/st.der" 1.2.840.113549.1.9.5 \
	170d3236303130313030303030305a || hard_error "der.py"
expect_fail 4 "$XE2E" verify --ca "$PKI/ca.pem" "$SCRATCH/st.der"
assert_stderr_matches 'signingTime is an unsigned attribute'
python3 "$D" add-unsigned "$SCRATCH/s.der" "$SCRATCH/ct.der" 1.2.840.113549.1.9.3 \
	06092a864886f70d010701 || hard_error "der.py"
expect_fail 4 "$XE2E" verify --ca "$PKI/ca.pem" "$SCRATCH/ct.der"
assert_stderr_matches 'contentType is an unsigned attribute'
# an unsigned attribute of another kind is not a reason to fail
python3 "$D" add-unsigned "$SCRATCH/s.der" "$SCRATCH/ok.der" 1.3.6.1.4.1.99999.1 0500 ||
	hard_error "der.py"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" "$SCRATCH/ok.der"
exit 0
