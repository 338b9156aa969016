#!/bin/bash
# t0617-cert-check-output: on success the text report gives the verdict, the
# path from the certificate to the trust anchor with the CRL used for each
# certificate, the names (email:, xmpp:, uri:), key usage and extended key
# usage; nothing on stderr.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

crl_ca root "$PKI/ca.pem" "$PKI/ca.key"
crl_ca inter "$PKI/inter.pem" "$PKI/inter.key"
crl_gen root "$SCRATCH/root.crl" 20260101000000Z 20390101000000Z
crl_gen inter "$SCRATCH/inter.crl" 20260102000000Z 20390101000000Z
expect_exit 0 "$XE2E" cert-check "$PKI/signer.pem" --ca "$PKI/ca.pem" --untrusted "$PKI/inter.pem" \
	--crl "$SCRATCH/root.crl" --crl "$SCRATCH/inter.crl" --purpose sign
[ -s "$ERR" ] && fail "stderr not empty on success: $(cat "$ERR")"
head -n 1 "$OUT" | grep -q "^valid: .*Juliet Capulet" || fail "no verdict line: $(cat "$OUT")"
head -n 1 "$OUT" | grep -q "sign" || fail "the purpose is not in the verdict: $(head -n 1 "$OUT")"
# the path, in order, each certificate once
awk '/Juliet Capulet/ && !a { a = NR } /Example Test Intermediate CA,O=Example$/ && !b { b = NR }
	/Example Test Root CA,O=Example \(trust anchor\)/ && !c { c = NR }
	END { exit !(a && b && c && a < b && b < c) }' "$OUT" ||
	fail "the path is not leaf, intermediate, root (trust anchor): $(cat "$OUT")"
# the CRL used for each certificate: the intermediate's for the leaf, the root's for the intermediate
grep -q "CRL of 'CN=Example Test Intermediate CA,O=Example' of 2026-01-02T00:00:00Z: not revoked" "$OUT" ||
	fail "the intermediate's CRL is not shown: $(cat "$OUT")"
grep -q "CRL of 'CN=Example Test Root CA,O=Example' of 2026-01-01T00:00:00Z: not revoked" "$OUT" ||
	fail "the root's CRL is not shown: $(cat "$OUT")"
awk '/^ +CN=Juliet Capulet/ { getline; exit !/Intermediate CA.*2026-01-02/ }' "$OUT" ||
	fail "the leaf's CRL is not the intermediate's: $(cat "$OUT")"
grep -E '^names: ' "$OUT" >"$SCRATCH/names" || fail "no names line: $(cat "$OUT")"
for n in email:juliet@example.com xmpp:juliet@example.com uri:im:juliet@example.com; do
	grep -q -- "$n" "$SCRATCH/names" || fail "name $n not shown: $(cat "$SCRATCH/names")"
done
grep -E '^key usage: ' "$OUT" | grep 'digitalSignature' | grep 'nonRepudiation' |
	grep -q 'keyEncipherment' || fail "key usage not shown: $(cat "$OUT")"
grep -E '^extended key usage: ' "$OUT" | grep -q 'emailProtection' ||
	fail "extended key usage not shown: $(cat "$OUT")"

# without CRLs the report says so, and other key usages are shown as they are
expect_exit 0 "$XE2E" cert-check "$PKI/cc-ku-nr.pem" --ca "$PKI/ca.pem"
grep -Eq '^key usage: .*nonRepudiation' "$OUT" || fail "key usage not shown: $(cat "$OUT")"
grep -Eq '^key usage: .*digitalSignature' "$OUT" && fail "key usage invented: $(cat "$OUT")"
grep -q 'no CRL' "$OUT" || fail "the lack of a CRL is not shown: $(cat "$OUT")"
expect_exit 0 "$XE2E" cert-check "$PKI/cc-eku-mixed.pem" --ca "$PKI/ca.pem"
grep -Eq '^extended key usage: .*serverAuth' "$OUT" && grep -Eq '^extended key usage: .*emailProtection' "$OUT" ||
	fail "extended key usage not shown: $(cat "$OUT")"
exit 0
