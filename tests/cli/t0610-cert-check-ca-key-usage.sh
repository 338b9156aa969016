#!/bin/bash
# t0610-cert-check-ca-key-usage: a CA certificate whose keyUsage lacks
# keyCertSign cannot issue certificates (6); one whose keyUsage lacks cRLSign
# can issue certificates, but a CRL it signed is not usable (6 with that CRL,
# the CA having a known CRL; valid without it).
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

expect_fail 6 "$XE2E" cert-check "$PKI/cc-nokcs-ee.pem" --ca "$PKI/ca.pem" \
	--untrusted "$PKI/cc-nokcs.pem"
assert_stderr_matches 'No keyCertSign CA'
# the CA certificate itself is valid
expect_exit 0 "$XE2E" cert-check "$PKI/cc-nokcs.pem" --ca "$PKI/ca.pem"

N=("$XE2E" cert-check "$PKI/cc-nocrls-ee.pem" --ca "$PKI/ca.pem" --untrusted "$PKI/cc-nocrls.pem")
openssl crl -in "$PKI/cc-nocrls-crl.pem" -noout -verify -CAfile "$PKI/cc-nocrls.pem" 2>&1 |
	grep -q 'verify OK' || hard_error "cc-nocrls-crl.pem does not verify with cc-nocrls's key"
expect_exit 0 "${N[@]}"
expect_fail 6 "${N[@]}" --crl "$PKI/cc-nocrls-crl.pem"
assert_stderr_matches 'No cRLSign CA'
expect_fail 6 "${N[@]}" --crl "$PKI/cc-nocrls-crl.pem" --crl-check require
exit 0
