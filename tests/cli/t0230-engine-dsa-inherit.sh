#!/bin/bash
# t0230: a DSA signer key that inherits its parameters from its issuer
# (RFC 3279 §2.3.2, RFC 5280 §6.1.4 (f)): path validation handled it, but
# the message signature check failed with "signer key: ASN1 parser: Element
# was not found".  The signature is now checked with the inherited
# parameters; sign accepts such a certificate too.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
have_python || skip "python3 is needed to build the certificate"

D=$TESTS_SRCDIR/der.py
cd "$SCRATCH" || hard_error "cd"
openssl x509 -in "$PKI/cc-dsa-ca.pem" -outform DER -out ca.der 2>/dev/null || hard_error "openssl x509"
openssl x509 -in "$PKI/cc-dsa-ee.pem" -outform DER -out template.der 2>/dev/null || hard_error "openssl x509"
python3 "$D" dsa-params ca.der par.pem || hard_error "der.py dsa-params"
openssl genpkey -paramfile par.pem -out ee.key 2>/dev/null || hard_error "openssl genpkey"
openssl pkey -in ee.key -pubout -outform DER -out ee.spki 2>/dev/null || hard_error "openssl pkey"
python3 "$D" tbs-dsa-inherit template.der ee.spki tbs.der 77 || hard_error "der.py tbs"
openssl dgst -sha1 -sign "$PKI/cc-dsa-ca.key" -out sig tbs.der 2>/dev/null || hard_error "openssl dgst"
python3 "$D" cert tbs.der sig ee.der 1.2.840.10040.4.3 || hard_error "der.py cert"
openssl asn1parse -inform DER -in ee.der 2>/dev/null | grep -A2 ':dsaEncryption' | grep -q 'NULL\|SEQUENCE' &&
	hard_error "the key still has parameters"

expect_exit 0 "$XE2E" cert-check ee.der --ca "$PKI/cc-dsa-ca.pem" --purpose sign
printf 'Content-Type: text/plain\r\n\r\ninherited parameters\r\n' >m.txt
for opt in --opaque ""; do
	expect_exit 0 "$XE2E" sign --cert ee.der --key ee.key --digest sha1 $opt -i m.txt -o s.eml
	expect_exit 0 "$XE2E" verify --ca "$PKI/cc-dsa-ca.pem" s.eml
	assert_same_file "$OUT" m.txt
	assert_stderr_matches "signature ok, signer 'CN=CC DSA-signed EE,O=Example'"
	assert_stderr_matches 'id-dsa-with-sha1'
done
grep -q 'multipart/signed' s.eml || hard_error "the last message is not multipart/signed"
# without its issuer the key has no parameters: a certificate error, not a crash
expect_fail 6 "$XE2E" verify --ca "$PKI/ca.pem" s.eml
# a tampered message still fails as a signature
sed 's/inherited/inherited!/' s.eml >t.eml
expect_fail 4 "$XE2E" verify --ca "$PKI/cc-dsa-ca.pem" t.eml
# the key must belong to the certificate
expect_fail 1 "$XE2E" sign --cert ee.der --key "$PKI/cc-dsa-ca.key" -i m.txt
exit 0
