#!/bin/bash
# t0601-cert-check-reissued-ca: a re-issued CA certificate (same subject and
# key, other serial and validity, overlapping) is as good as the original:
# either root as --ca, either intermediate as --untrusted, or both of each.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

S=("$XE2E" cert-check "$PKI/signer.pem")
for root in ca.pem cc-ca-reissued.pem; do
	for inter in inter.pem cc-inter-reissued.pem; do
		expect_exit 0 "${S[@]}" --ca "$PKI/$root" --untrusted "$PKI/$inter"
	done
done
expect_exit 0 "${S[@]}" --ca "$PKI/cc-ca-reissued.pem" --ca "$PKI/ca.pem" \
	--untrusted "$PKI/cc-inter-reissued.pem" --untrusted "$PKI/inter.pem"
# a copy of the other root among the intermediates changes nothing
expect_exit 0 "${S[@]}" --ca "$PKI/cc-ca-reissued.pem" --untrusted "$PKI/ca.pem" \
	--untrusted "$PKI/inter.pem"
# a leaf issued directly by the root key, under the re-issued root
expect_exit 0 "$XE2E" cert-check "$PKI/direct.pem" --ca "$PKI/cc-ca-reissued.pem"
# and a CRL signed by that key covers certificates under either root
expect_fail 6 "$XE2E" cert-check "$PKI/revoked.pem" --ca "$PKI/cc-ca-reissued.pem" \
	--crl "$PKI/crl.pem"
exit 0
