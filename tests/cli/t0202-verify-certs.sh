#!/bin/bash
# t0202-verify-certs: certificate validity decides exit 6 -- no or unknown trust
# anchor, expired signer, KU without digitalSignature/nonRepudiation, EKU
# without emailProtection, self-signed end entity; --ca FILE (bundle), DIR and
# repeated --ca all work.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

sample_message
# signed NAME -- message signed by PKI/NAME.{pem,key} in $SCRATCH/NAME.eml
signed() {
	sign_msg "$SCRATCH/$1.eml" --cert "$PKI/$1.pem" --key "$PKI/$1.key"
}
signed direct

# trust anchors
expect_fail 1 "$XE2E" verify --in "$SCRATCH/direct.eml"
assert_stderr_matches 'no trust anchor: give --ca or --store'
expect_fail 6 "$XE2E" verify --ca "$PKI/other-ca.pem" --in "$SCRATCH/direct.eml"
expect_fail 6 "$XE2E" verify --ca "$PKI/inter.pem" --in "$SCRATCH/direct.eml"
expect_exit 0 "$XE2E" verify --ca "$PKI/cas.pem" --in "$SCRATCH/direct.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify with a --ca bundle"
expect_exit 0 "$XE2E" verify --ca "$PKI/other-ca.pem" --ca "$PKI/ca.pem" --in "$SCRATCH/direct.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify with two --ca"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca-dir" --in "$SCRATCH/direct.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify with --ca DIR"
# a directory with .crt and .der files, and an unrelated file that is skipped
mkdir "$SCRATCH/cadir2"
cp "$PKI/other-ca.pem" "$SCRATCH/cadir2/other.crt"
openssl x509 -in "$PKI/ca.pem" -outform DER -out "$SCRATCH/cadir2/root.der" || hard_error "openssl x509"
echo "not a certificate" >"$SCRATCH/cadir2/README"
expect_exit 0 "$XE2E" verify --ca "$SCRATCH/cadir2" --in "$SCRATCH/direct.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify with --ca DIR of .crt/.der"
mkdir "$SCRATCH/cadir3"
cp "$PKI/other-ca.pem" "$SCRATCH/cadir3/other.pem"
expect_fail 6 "$XE2E" verify --ca "$SCRATCH/cadir3" --in "$SCRATCH/direct.eml"

# expired signer
signed expired
expect_fail 6 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/expired.eml"
# key usage lacking digitalSignature and nonRepudiation
signed noku
expect_fail 6 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/noku.eml"
# EKU without emailProtection
signed serverauth
expect_fail 6 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/serverauth.eml"
# self-signed end entity, not under ca
signed selfsigned
expect_fail 6 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/selfsigned.eml"
# an intermediate that is given as --certfile does not become an anchor
sign_msg "$SCRATCH/j.eml" --cert "$PKI/signer.pem" --key "$PKI/signer.key"
expect_fail 6 "$XE2E" verify --ca "$PKI/other-ca.pem" --certfile "$PKI/inter.pem" --in "$SCRATCH/j.eml"

# the same failures in opaque and DER form
sign_msg "$SCRATCH/exp.der" --cert "$PKI/expired.pem" --key "$PKI/expired.key" --outform der --opaque
expect_fail 6 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/exp.der"
sign_msg "$SCRATCH/noku.p7m" --cert "$PKI/noku.pem" --key "$PKI/noku.key" --opaque
expect_fail 6 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/noku.p7m"
exit 0
