#!/bin/bash
# t0609-cert-check-eku: an extended key usage, if present, must include
# emailProtection or anyExtendedKeyUsage, whatever the purpose; without the
# extension any use is fine.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

for p in sign encrypt any; do
	C=(--ca "$PKI/ca.pem" --purpose $p)
	expect_exit 0 "$XE2E" cert-check "$PKI/direct.pem" "${C[@]}"        # emailProtection
	expect_exit 0 "$XE2E" cert-check "$PKI/cc-eku-any.pem" "${C[@]}"    # anyExtendedKeyUsage
	expect_exit 0 "$XE2E" cert-check "$PKI/cc-eku-mixed.pem" "${C[@]}"  # serverAuth, emailProtection
	expect_exit 0 "$XE2E" cert-check "$PKI/cc-ku-none.pem" "${C[@]}"    # no EKU
	expect_fail 6 "$XE2E" cert-check "$PKI/serverauth.pem" "${C[@]}"    # serverAuth only
	assert_stderr_matches 'Server Auth Only'
	assert_stderr_matches 'emailProtection|extended key usage'
done
exit 0
