#!/bin/bash
# t0602-cert-check-crl-versions: v1 CRLs (no extensions, as openssl ca makes
# them without crlnumber and crl_extensions) and v2 CRLs (AKI, CRL number,
# reason codes) both revoke, PEM or DER; an empty one of either version does not.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

CA=("$PKI/cc-old-ca.pem" "$PKI/cc-old.key")
L=("$XE2E" cert-check "$PKI/cc-old-long.pem" --ca "$PKI/cc-old-ca.pem")
crl_ca v1rev "${CA[@]}" v1
crl_ca v1empty "${CA[@]}" v1
crl_ca v2rev "${CA[@]}"
crl_ca v2empty "${CA[@]}"
crl_revoke v1rev "$PKI/cc-old-long.pem"
crl_revoke v2rev "$PKI/cc-old-long.pem" -crl_reason keyCompromise
for n in v1rev v1empty v2rev v2empty; do
	crl_gen $n "$SCRATCH/$n.crl" 20250101000000Z 20390101000000Z
	openssl crl -in "$SCRATCH/$n.crl" -outform DER -out "$SCRATCH/$n.der" ||
		hard_error "openssl crl failed"
done
# make sure openssl made what this test is about
openssl crl -in "$SCRATCH/v1rev.crl" -noout -text | grep -q 'Version 1 (0x0)' ||
	hard_error "openssl did not make a v1 CRL"
openssl crl -in "$SCRATCH/v1rev.crl" -noout -text | grep -q 'extensions' &&
	hard_error "the v1 CRL has extensions"
openssl crl -in "$SCRATCH/v2rev.crl" -noout -text | grep -q 'Version 2 (0x1)' ||
	hard_error "openssl did not make a v2 CRL"

for f in v1rev.crl v1rev.der v2rev.crl v2rev.der; do
	expect_fail 6 "${L[@]}" --crl "$SCRATCH/$f"
	assert_stderr_matches 'revoked'
done
for f in v1empty.crl v1empty.der v2empty.crl v2empty.der; do
	expect_exit 0 "${L[@]}" --crl "$SCRATCH/$f"
	grep -q "CRL of 'CN=CC Old Root CA,O=Example' of 2025-01-01T00:00:00Z" "$OUT" ||
		fail "$f: the CRL used is not shown: $(cat "$OUT")"
done
# a v1 and a v2 CRL of the same issuer together
expect_exit 0 "${L[@]}" --crl "$SCRATCH/v1empty.der" --crl "$SCRATCH/v2empty.der" --crl-check require
exit 0
