#!/bin/bash
# t0614-cert-check-sha1-dsa: sha1WithRSAEncryption and id-dsa-with-sha1
# signatures are valid under both policies (RFC 3850 §4.3: SHA-1 and DSA
# MUST be supported); a chain under a DSA root validates.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

openssl x509 -in "$PKI/cc-sha1.pem" -noout -text | grep -q 'sha1WithRSAEncryption' ||
	hard_error "cc-sha1.pem is not signed sha1WithRSA"
openssl x509 -in "$PKI/cc-dsa-ee.pem" -noout -text | grep -q 'dsaWithSHA1' ||
	hard_error "cc-dsa-ee.pem is not signed id-dsa-with-sha1"
openssl x509 -in "$PKI/cc-dsa-ca.pem" -noout -text | grep -q 'dsaWithSHA1' ||
	hard_error "cc-dsa-ca.pem is not signed id-dsa-with-sha1"
for p in modern rfc3850; do
	expect_exit 0 "$XE2E" cert-check "$PKI/cc-sha1.pem" --ca "$PKI/ca.pem" --policy $p
	expect_exit 0 "$XE2E" cert-check "$PKI/cc-dsa-ee.pem" --ca "$PKI/cc-dsa-ca.pem" --policy $p
	expect_exit 0 "$XE2E" cert-check "$PKI/cc-dsa-ee.pem" --ca "$PKI/cc-dsa-ca.pem" --policy $p \
		--purpose sign
done
# the DSA root's signature really is checked: not under another root
expect_fail 6 "$XE2E" cert-check "$PKI/cc-dsa-ee.pem" --ca "$PKI/ca.pem"
# the existing DSA-2048 end entity (sha256-signed by an RSA root)
expect_exit 0 "$XE2E" cert-check "$PKI/dsa.pem" --ca "$PKI/ca.pem" --purpose sign
exit 0
