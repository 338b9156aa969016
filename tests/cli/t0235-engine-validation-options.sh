#!/bin/bash
# t0235: every receiving command takes the validation options cert-check
# takes: --crl-check, --policy, --untrusted.  verify --crl-check require
# was an unknown option.  Under require a CA without a current CRL fails
# (exit 6 naming the CA); a stale CRL never satisfies it.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

sample_message
sign_msg "$SCRATCH/d.eml"                                # direct.pem, under the root
sign_msg "$SCRATCH/s.eml" --cert "$PKI/signer.pem" --key "$PKI/signer.key" \
	--pass-file "$PKI/signer.pass" --chain "$PKI/inter.pem"   # under the intermediate
V=("$XE2E" verify --ca "$PKI/ca.pem")
expect_exit 0 "${V[@]}" "$SCRATCH/d.eml"
expect_fail 6 "${V[@]}" --crl-check require "$SCRATCH/d.eml"
assert_stderr_matches "no CRL for 'CN=Example Test Root CA,O=Example'"
expect_exit 0 "${V[@]}" --crl-check require --crl "$PKI/crl-empty.pem" "$SCRATCH/d.eml"
# the intermediate has no CRL: require fails at it, auto does not
expect_exit 0 "${V[@]}" --crl "$PKI/crl-empty.pem" "$SCRATCH/s.eml"
expect_fail 6 "${V[@]}" --crl "$PKI/crl-empty.pem" --crl-check require "$SCRATCH/s.eml"
assert_stderr_matches "no CRL for 'CN=Example Test Intermediate CA,O=Example'"
# a stale CRL: never evidence
crl_ca old "$PKI/ca.pem" "$PKI/ca.key"
crl_gen old "$SCRATCH/stale.crl" 20200101000000Z 20200201000000Z
expect_fail 6 "${V[@]}" --crl-check require --crl "$SCRATCH/stale.crl" "$SCRATCH/d.eml"
assert_stderr_matches 'expired'
expect_exit 0 "${V[@]}" --crl-check if-present --crl "$SCRATCH/stale.crl" "$SCRATCH/d.eml"
# --untrusted (or --certfile) supplies what the message lacks
sign_msg "$SCRATCH/n.eml" --cert "$PKI/signer.pem" --key "$PKI/signer.key" \
	--pass-file "$PKI/signer.pass" --certs never
expect_fail 6 "${V[@]}" "$SCRATCH/n.eml"
expect_exit 0 "${V[@]}" --untrusted "$PKI/signer.pem" --untrusted "$PKI/inter.pem" "$SCRATCH/n.eml"
expect_exit 0 "${V[@]}" --certfile "$PKI/signer.pem" --certfile "$PKI/inter.pem" "$SCRATCH/n.eml"
# --policy strict refuses a CA certificate as signer; modern warns
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$SCRATCH/ca-ee.key" -out "$SCRATCH/ca-ee.pem" \
	-subj /CN=CA-as-signer -days 2 -addext keyUsage=critical,digitalSignature,keyCertSign 2>/dev/null ||
	hard_error "openssl req"
sign_msg "$SCRATCH/c.eml" --cert "$SCRATCH/ca-ee.pem" --key "$SCRATCH/ca-ee.key"
expect_exit 0 "$XE2E" verify --ca "$SCRATCH/ca-ee.pem" "$SCRATCH/c.eml"
assert_stderr_matches "warning: certificate 'CN=CA-as-signer' is a CA certificate used as an end entity"
expect_fail 6 "$XE2E" verify --ca "$SCRATCH/ca-ee.pem" --policy strict "$SCRATCH/c.eml"
assert_stderr_matches 'a CA certificate is not an S/MIME end entity'

# decrypt: the same options apply to the signed layer inside
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" -i "$SCRATCH/s.eml" -o "$SCRATCH/e.eml"
expect_exit 0 "$XE2E" decrypt --key "$PKI/direct.key" "$SCRATCH/e.eml"
assert_same_file "$OUT" "$SCRATCH/s.eml" "without --ca the signed layer is the content"
expect_exit 0 "$XE2E" decrypt --key "$PKI/direct.key" --ca "$PKI/ca.pem" "$SCRATCH/e.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "with --ca the signed layer is peeled"
assert_stderr_matches "^xe2e decrypt: signature ok, signer 'CN=Juliet Capulet,O=Example' \(layer 2 of 2\)"
expect_fail 6 "$XE2E" decrypt --key "$PKI/direct.key" --ca "$PKI/ca.pem" --crl-check require "$SCRATCH/e.eml"
assert_stderr_matches 'layer 2: no CRL for'

# encrypt: recipients are checked under the same options
E=("$XE2E" encrypt --recip "$PKI/direct.pem" --ca "$PKI/ca.pem" -i "$SCRATCH/msg.txt")
expect_exit 0 "${E[@]}"
expect_fail 6 "${E[@]}" --crl-check require
expect_exit 0 "${E[@]}" --crl-check require --crl "$PKI/crl-empty.pem"
expect_fail 6 "$XE2E" encrypt --recip "$SCRATCH/ca-ee.pem" --ca "$SCRATCH/ca-ee.pem" --policy strict \
	-i "$SCRATCH/msg.txt"
exit 0
