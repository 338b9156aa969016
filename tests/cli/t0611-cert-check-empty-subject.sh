#!/bin/bash
# t0611-cert-check-empty-subject: a certificate with an empty subject DN is
# valid only when its subjectAltName is critical (RFC 3850 §3, RFC 5280
# §4.2.1.6); with a non-critical subjectAltName it is 6.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

# make sure the certificates are what this test is about
for f in cc-empty-crit cc-empty-noncrit; do
	[ -z "$(openssl x509 -in "$PKI/$f.pem" -noout -subject -nameopt RFC2253 | sed 's/^subject=//')" ] ||
		hard_error "$f.pem has a subject"
done
openssl x509 -in "$PKI/cc-empty-crit.pem" -noout -ext subjectAltName | grep -q 'critical' ||
	hard_error "cc-empty-crit.pem: subjectAltName is not critical"
openssl x509 -in "$PKI/cc-empty-noncrit.pem" -noout -ext subjectAltName | grep -q 'critical' &&
	hard_error "cc-empty-noncrit.pem: subjectAltName is critical"

expect_exit 0 "$XE2E" cert-check "$PKI/cc-empty-crit.pem" --ca "$PKI/ca.pem"
grep -q 'email:cc-empty-crit@example.com' "$OUT" || fail "names not shown: $(cat "$OUT")"
expect_exit 0 "$XE2E" cert-check "$PKI/cc-empty-crit.pem" --ca "$PKI/ca.pem" \
	--email cc-empty-crit@example.com --purpose sign
expect_fail 6 "$XE2E" cert-check "$PKI/cc-empty-noncrit.pem" --ca "$PKI/ca.pem"
assert_stderr_matches 'subjectAltName'
exit 0
