#!/bin/bash
# t0612-cert-check-policy-md5: --policy modern (the default) refuses a
# certificate signed md5WithRSAEncryption and says so (the message names MD5
# and the policy); --policy rfc3850 accepts it (RFC 3850 §4.3).
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

openssl x509 -in "$PKI/cc-md5.pem" -noout -text | grep -q 'md5WithRSAEncryption' ||
	skip "this openssl did not make an md5WithRSA certificate"
C=("$XE2E" cert-check "$PKI/cc-md5.pem" --ca "$PKI/ca.pem")
# says_md5 -- stderr names MD5 outside the certificate's name ("CC MD5")
says_md5() {
	sed 's/CC MD5//g' "$ERR" | grep -Eiq 'md5' ||
		fail "'$LAST_CMD': stderr does not say MD5: $(cat "$ERR")"
}
expect_fail 6 "${C[@]}"
assert_stderr_matches 'CC MD5'
assert_stderr_matches 'refused by policy modern'
says_md5
expect_fail 6 "${C[@]}" --policy modern
says_md5
expect_exit 0 "${C[@]}" --policy rfc3850
grep -q 'policy rfc3850' "$OUT" || fail "the policy is not shown: $(cat "$OUT")"
expect_exit 0 "${C[@]}" --policy rfc3850 --purpose sign --email cc-md5@example.com
# an unknown policy is a usage error
expect_fail 1 "${C[@]}" --policy lax
exit 0
