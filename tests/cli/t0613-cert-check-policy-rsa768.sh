#!/bin/bash
# t0613-cert-check-policy-rsa768: --policy modern refuses an RSA key under
# 1024 bits and says so; rfc3850 accepts RSA keys of 512 bits and more; the
# 1024-bit keys of the cc- CAs are fine under modern.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

openssl x509 -in "$PKI/cc-rsa768.pem" -noout -text | grep -q 'Public-Key: (768 bit)' ||
	skip "this openssl did not make a 768-bit RSA key"
C=("$XE2E" cert-check "$PKI/cc-rsa768.pem" --ca "$PKI/ca.pem")
expect_fail 6 "${C[@]}"
assert_stderr_matches '768'
assert_stderr_matches 'refused by policy modern'
expect_fail 6 "${C[@]}" --policy modern
expect_exit 0 "${C[@]}" --policy rfc3850
expect_exit 0 "${C[@]}" --policy rfc3850 --purpose encrypt
# 1024 bits (cc-ee.key, cc-i1.key, cc-i2.key) is not "under 1024"
openssl x509 -in "$PKI/cc-leaf.pem" -noout -text | grep -q 'Public-Key: (1024 bit)' ||
	hard_error "cc-leaf.pem does not have a 1024-bit key"
expect_exit 0 "$XE2E" cert-check "$PKI/cc-leaf.pem" --ca "$PKI/ca.pem" \
	--untrusted "$PKI/cc-i1.pem" --untrusted "$PKI/cc-i2.pem" --policy modern
exit 0
