#!/bin/bash
# t0608-cert-check-key-usage: --purpose sign needs digitalSignature or
# nonRepudiation, --purpose encrypt needs keyEncipherment, any needs nothing;
# a certificate without keyUsage is good for every purpose (RFC 3850 §4.4.2).
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

cc() {	# cc STATUS CERT PURPOSE
	local want=$1 cert=$2 p=$3
	if [ "$want" = 0 ]; then
		expect_exit 0 "$XE2E" cert-check "$PKI/$cert" --ca "$PKI/ca.pem" --purpose "$p"
	else
		expect_fail "$want" "$XE2E" cert-check "$PKI/$cert" --ca "$PKI/ca.pem" --purpose "$p"
	fi
}
# digitalSignature, nonRepudiation, keyEncipherment
cc 0 direct.pem sign
cc 0 direct.pem encrypt
cc 0 direct.pem any
# nonRepudiation alone is enough for signing
cc 0 cc-ku-nr.pem sign
cc 6 cc-ku-nr.pem encrypt
cc 0 cc-ku-nr.pem any
# digitalSignature alone
cc 0 signonly.pem sign
cc 6 signonly.pem encrypt
assert_stderr_matches 'keyEncipherment'
# keyEncipherment alone
cc 6 noku.pem sign
assert_stderr_matches 'digitalSignature|nonRepudiation'
cc 0 noku.pem encrypt
cc 0 noku.pem any
# no keyUsage extension
cc 0 cc-ku-none.pem sign
cc 0 cc-ku-none.pem encrypt
cc 0 cc-ku-none.pem any
# the default purpose is any
expect_exit 0 "$XE2E" cert-check "$PKI/noku.pem" --ca "$PKI/ca.pem"
expect_exit 0 "$XE2E" cert-check "$PKI/cc-ku-nr.pem" --ca "$PKI/ca.pem"
# an unknown purpose is a usage error
expect_fail 1 "$XE2E" cert-check "$PKI/direct.pem" --ca "$PKI/ca.pem" --purpose sgin
exit 0
