#!/bin/bash
# t0207-verify-unsupported: a SignedData whose digest or signature algorithm
# is unknown is "unsupported algorithm" (9), not malformed and not forged.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

command -v perl >/dev/null 2>&1 || skip "perl is needed to patch DER"
V=(--ca "$PKI/ca.pem" --certfile "$PKI/direct.pem")

sign_msg "$SCRATCH/d.der" --outform der --opaque --certs never
expect_exit 0 "$XE2E" verify "${V[@]}" --in "$SCRATCH/d.der"

# sha256 (2.16.840.1.101.3.4.2.1) -> 2.16.840.1.101.3.4.2.99 everywhere
perl -0777 -pe 's/\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x01/\x06\x09\x60\x86\x48\x01\x65\x03\x04\x02\x63/g' \
	"$SCRATCH/d.der" >"$SCRATCH/dig.der" || hard_error perl
cmp -s "$SCRATCH/d.der" "$SCRATCH/dig.der" && hard_error "sha256 OID not found"
expect_fail 9 "$XE2E" verify "${V[@]}" --in "$SCRATCH/dig.der"

# signatureAlgorithm rsaEncryption (1.2.840.113549.1.1.1) -> ...1.1.99; with
# --certs never it only occurs in the SignerInfo
# (or sha256WithRSAEncryption ...1.1.11 -> ...1.1.99)
perl -0777 -pe 's/\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01/\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x63/g' \
	"$SCRATCH/d.der" >"$SCRATCH/sig.der" || hard_error perl
if cmp -s "$SCRATCH/d.der" "$SCRATCH/sig.der"; then
	perl -0777 -pe 's/\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b/\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x01\x63/g' \
		"$SCRATCH/d.der" >"$SCRATCH/sig.der" || hard_error perl
fi
cmp -s "$SCRATCH/d.der" "$SCRATCH/sig.der" && hard_error "RSA signature OID not found"
expect_fail 9 "$XE2E" verify "${V[@]}" --in "$SCRATCH/sig.der"
exit 0
