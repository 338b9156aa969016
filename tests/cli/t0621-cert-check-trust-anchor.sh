#!/bin/bash
# t0621-cert-check-trust-anchor: the trust anchor's own certificate is read
# (RFC 5937 as OpenSSL applies it): an anchor that issues a certificate
# must be a CA when it says what it is (basicConstraints cA, keyUsage
# keyCertSign), may not carry a critical extension xe2e does not process
# or a critical authorityKeyIdentifier, and must have a subject; openssl
# verify refuses the same paths.  An anchor trusted for itself alone is
# still valid.  verify reaches cert-check's verdict.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

S=$SCRATCH
cd "$S" || hard_error "cd"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out k.pem 2>/dev/null || hard_error "genpkey"
: > x.cnf
cnf_section ok ca authorityKeyIdentifier=-
cnf_section notca ca basicConstraints=critical,CA:FALSE authorityKeyIdentifier=-
cnf_section noku ca keyUsage=critical,digitalSignature authorityKeyIdentifier=-
cnf_section unk ca authorityKeyIdentifier=- 1.2.3.4=critical,DER:05:00
cnf_section aki ca authorityKeyIdentifier=critical,keyid:always
cnf_section empty ca authorityKeyIdentifier=- subjectAltName=critical,email:ca@example.com
cnf_section ee ee subjectKeyIdentifier=- authorityKeyIdentifier=-
n=10
for t in ok notca noku unk aki empty; do
	n=$((n + 1))
	subj="/O=Example/CN=Anchor $t"
	[ "$t" = empty ] && subj=/
	ossl_cert "ta-$t" "$subj" - "$t" $n
	ossl_cert "ee-$t" "/O=Example/CN=Juliet" "ta-$t" ee $((n + 100))
done
expect_exit 0 "$XE2E" cert-check ee-ok.pem --ca ta-ok.pem
expect_exit 0 openssl verify -CAfile ta-ok.pem ee-ok.pem
check() {   # check TYPE MESSAGE
	expect_fail 6 "$XE2E" cert-check "ee-$1.pem" --ca "ta-$1.pem"
	assert_stderr_matches "$2"
	# openssl refuses the same path (exit 2)
	expect_exit 2 openssl verify -CAfile "ta-$1.pem" "ee-$1.pem"
}
check notca "trust anchor 'CN=Anchor notca,O=Example' is not a CA"
check noku "may not sign certificates"
check unk "has a critical extension 1.2.3.4 that is not supported"
check aki "critical authorityKeyIdentifier"
expect_fail 6 "$XE2E" cert-check ee-empty.pem --ca ta-empty.pem
assert_stderr_matches "empty subject"
# trusted for itself only: valid (nothing is issued by it)
expect_exit 0 "$XE2E" cert-check ta-notca.pem --ca ta-notca.pem
# verify agrees with cert-check
printf 'Content-Type: text/plain\r\n\r\nhello\r\n' > m.eml
for t in ok notca unk; do
	expect_exit 0 "$XE2E" sign --cert "ee-$t.pem" --key k.pem -i m.eml -o "s-$t.eml"
done
expect_exit 0 "$XE2E" verify --ca ta-ok.pem -i s-ok.eml
expect_exit 6 "$XE2E" verify --ca ta-notca.pem -i s-notca.eml
expect_exit 6 "$XE2E" verify --ca ta-unk.pem -i s-unk.eml
exit 0
