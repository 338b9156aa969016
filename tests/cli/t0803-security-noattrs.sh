#!/bin/bash
# t0803: RFC 5652 §5.3: a SignerInfo without signed attributes is allowed
# only over id-data; over any other eContentType the type could be
# relabelled: exit 4.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

R=$TESTS_SRCDIR/data/security-repro
expect_fail 4 "$XE2E" verify --ca "$R/pki/ca.pem" --in "$R/noattrs-econtenttype-not-data.der"
assert_stderr_matches 'without signed attributes over content type id-signedData'
# without attributes over id-data is fine (openssl cms -noattr)
sample_message
openssl cms -sign -noattr -binary -nodetach -outform DER -signer "$PKI/direct.pem" \
	-inkey "$PKI/direct.key" -in "$SCRATCH/msg.crlf" -out "$SCRATCH/na.der" 2>/dev/null ||
	hard_error "openssl cms -sign -noattr failed"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/na.der"
assert_same_file "$OUT" "$SCRATCH/msg.crlf"
exit 0
