#!/bin/bash
# t0600-cert-check-chain-order: the path is built by name chaining with
# AKI/SKI (RFC 3850 §2.3, RFC 5280 §6.1): intermediates may come in any order,
# in one file or several, unrelated certificates are ignored, and a second CA
# certificate with the same subject but another key (cc-i2-imp) does not stop
# the right one from being found.  Without the needed intermediate: 6.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

C=("$XE2E" cert-check "$PKI/cc-leaf.pem" --ca "$PKI/ca.pem")
# root > cc-i1 > cc-i2 > cc-leaf, both orders
expect_exit 0 "${C[@]}" --untrusted "$PKI/cc-i1.pem" --untrusted "$PKI/cc-i2.pem"
expect_exit 0 "${C[@]}" --untrusted "$PKI/cc-i2.pem" --untrusted "$PKI/cc-i1.pem"
# one bundle, wrong order, with an impostor (same subject as cc-i2, other key)
# first and unrelated certificates in between
cat "$PKI/cc-i2-imp.pem" "$PKI/other-ca.pem" "$PKI/cc-i1.pem" "$PKI/direct.pem" \
	"$PKI/inter.pem" "$PKI/cc-i2.pem" >"$SCRATCH/bundle.pem"
expect_exit 0 "${C[@]}" --untrusted "$SCRATCH/bundle.pem"
grep -q 'CN=CC Level 2 CA' "$OUT" && grep -q 'CN=CC Level 1 CA' "$OUT" ||
	fail "the path does not show both intermediates: $(cat "$OUT")"
# separate files, impostor before the real one, unrelated ones around
expect_exit 0 "${C[@]}" --untrusted "$PKI/selfsigned.pem" --untrusted "$PKI/cc-i2-imp.pem" \
	--untrusted "$PKI/cc-i1.pem" --untrusted "$PKI/signer.pem" --untrusted "$PKI/cc-i2.pem"
# the impostor alone cannot stand in for cc-i2 (its key did not sign the leaf)
expect_fail 6 "${C[@]}" --untrusted "$PKI/cc-i2-imp.pem" --untrusted "$PKI/cc-i1.pem"
# a missing link
expect_fail 6 "${C[@]}" --untrusted "$PKI/cc-i1.pem"
expect_fail 6 "${C[@]}" --untrusted "$PKI/cc-i2.pem"
expect_fail 6 "${C[@]}"
# the root given as --untrusted only is no trust anchor
expect_fail 6 "$XE2E" cert-check "$PKI/cc-leaf.pem" --ca "$PKI/other-ca.pem" \
	--untrusted "$PKI/ca.pem" --untrusted "$PKI/cc-i1.pem" --untrusted "$PKI/cc-i2.pem"
exit 0
