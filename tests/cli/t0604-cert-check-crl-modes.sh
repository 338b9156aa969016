#!/bin/bash
# t0604-cert-check-crl-modes: --crl-check.  auto (default): no CRL known for a
# CA -> revocation not checked (valid); a known CRL that is expired -> 6.
# require: a usable CRL for every CA in the path, else 6.  if-present: an
# expired CRL counts as no CRL (valid).
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

CA=("$PKI/cc-old-ca.pem" "$PKI/cc-old.key")
L=("$XE2E" cert-check "$PKI/cc-old-long.pem" --ca "$PKI/cc-old-ca.pem")
crl_ca old "${CA[@]}"
crl_gen old "$SCRATCH/expired.crl" 20240101000000Z 20240601000000Z
crl_gen old "$SCRATCH/current.crl" 20250101000000Z 20390101000000Z

# no CRL at all
expect_exit 0 "${L[@]}"
expect_exit 0 "${L[@]}" --crl-check auto
expect_exit 0 "${L[@]}" --crl-check if-present
expect_fail 6 "${L[@]}" --crl-check require
# a CRL of another CA tells nothing about this one
expect_exit 0 "${L[@]}" --crl "$PKI/crl-empty.pem"
expect_fail 6 "${L[@]}" --crl "$PKI/crl-empty.pem" --crl-check require
# an expired CRL
expect_fail 6 "${L[@]}" --crl "$SCRATCH/expired.crl"
expect_fail 6 "${L[@]}" --crl "$SCRATCH/expired.crl" --crl-check auto
expect_fail 6 "${L[@]}" --crl "$SCRATCH/expired.crl" --crl-check require
expect_exit 0 "${L[@]}" --crl "$SCRATCH/expired.crl" --crl-check if-present
# an expired CRL beside a current one: the current one is used
for m in auto require if-present; do
	expect_exit 0 "${L[@]}" --crl "$SCRATCH/expired.crl" --crl "$SCRATCH/current.crl" --crl-check $m
done

# require means every CA of the path: root > inter > signer
crl_ca root "$PKI/ca.pem" "$PKI/ca.key"
crl_ca inter "$PKI/inter.pem" "$PKI/inter.key"
crl_gen root "$SCRATCH/root.crl"
crl_gen inter "$SCRATCH/inter.crl"
S=("$XE2E" cert-check "$PKI/signer.pem" --ca "$PKI/ca.pem" --untrusted "$PKI/inter.pem")
expect_exit 0 "${S[@]}" --crl "$SCRATCH/root.crl"
expect_fail 6 "${S[@]}" --crl "$SCRATCH/root.crl" --crl-check require
assert_stderr_matches 'Intermediate'
expect_fail 6 "${S[@]}" --crl "$SCRATCH/inter.crl" --crl-check require
expect_exit 0 "${S[@]}" --crl "$SCRATCH/inter.crl" --crl "$SCRATCH/root.crl" --crl-check require
exit 0
