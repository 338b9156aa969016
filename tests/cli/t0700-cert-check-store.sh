#!/bin/bash
# t0700: the certificate store (RFC 3850 §4): import (PEM, DER, certs-only
# from openssl crl2pkcs7), trust, list, export read by openssl and gpgsm,
# validation and verify from the store, --cache, and concurrent writers.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

S=$SCRATCH/store
expect_exit 0 "$XE2E" cert-check --store "$S" --trust "$PKI/ca.pem"
grep -q "1 certificates (1 new)" "$OUT" || fail "trust did not report one new certificate"
[ "$(ls "$S/anchors" | wc -l)" = 1 ] || fail "anchor not stored"
# certs-only message made by openssl, and a DER CRL
openssl crl2pkcs7 -nocrl -certfile "$PKI/chain.pem" -outform DER -out "$SCRATCH/chain.p7c" 2>/dev/null ||
	hard_error "openssl crl2pkcs7"
openssl crl -in "$PKI/crl.pem" -outform DER -out "$SCRATCH/crl.der" 2>/dev/null || hard_error "openssl crl"
expect_exit 0 "$XE2E" cert-check --store "$S" --import "$SCRATCH/chain.p7c" --import "$SCRATCH/crl.der" \
	--import "$PKI/signer.pem"
grep -q "stored 2 certificates (2 new) and 1 CRLs (1 new)" "$OUT" || fail "import counts: $(cat "$OUT")"
# importing again adds nothing
expect_exit 0 "$XE2E" cert-check --store "$S" --import "$SCRATCH/chain.p7c"
grep -q "(0 new)" "$OUT" || fail "re-import stored duplicates"
expect_exit 0 "$XE2E" cert-check --store "$S" --list
grep -q "^anchor 'CN=Example Test Root CA" "$OUT" || fail "list lacks the anchor"
grep -q "^cert   'CN=Juliet Capulet" "$OUT" || fail "list lacks the signer"
grep -q "email:juliet@example.com" "$OUT" || fail "list lacks names"
grep -q "^crl " "$OUT" || fail "list lacks the CRL"
# validation from the store alone (anchor, intermediate and CRL stored)
expect_exit 0 "$XE2E" cert-check "$PKI/signer.pem" --store "$S" --purpose sign
grep -q "CRL of 'CN=Example Test Root CA" "$OUT" || fail "stored CRL not consulted"
expect_fail 6 "$XE2E" cert-check "$PKI/revoked.pem" --store "$S"
# export: the entity and its chain, as a certs-only message others read
expect_exit 0 "$XE2E" cert-check --store "$S" --export juliet@example.com --out "$SCRATCH/j.p7c"
assert_empty_stdout
n=$(openssl pkcs7 -inform DER -in "$SCRATCH/j.p7c" -print_certs -noout 2>/dev/null | grep -c '^subject=')
[ "$n" = 3 ] || fail "export holds $n certificates, expected 3"
if command -v gpgsm >/dev/null 2>&1; then
	export GNUPGHOME=$SCRATCH/gnupg
	mkdir -m 700 "$GNUPGHOME"
	gpgsm --batch --disable-dirmngr --import "$SCRATCH/j.p7c" >/dev/null 2>&1 || true
	g=$(gpgsm --batch --list-keys 2>/dev/null | grep -c 'Subject:')
	gpgconf --kill all >/dev/null 2>&1
	[ "$g" = 3 ] || fail "gpgsm imported $g certificates, expected 3"
fi
expect_exit 0 "$XE2E" cert-check --store "$S" --export "Juliet" --outform smime
grep -q "smime-type=certs-only" "$OUT" || fail "smime export lacks smime-type"
expect_fail 1 "$XE2E" cert-check --store "$S" --export "Example"          # several match
expect_fail 1 "$XE2E" cert-check --store "$S" --export "nobody@example.org"
expect_fail 1 "$XE2E" cert-check --import "$PKI/ca.pem"                    # no --store
expect_fail 2 "$XE2E" cert-check --store "$S" --import /etc/hostname
# verify --store: a message without certificates verifies from the store
expect_exit 0 "$XE2E" sign --cert "$PKI/signer.pem" --key "$PKI/signer.key" --certs never \
	--in "$PKI/../pki/signer.pem" --content-type text/plain
cp "$OUT" "$SCRATCH/nocerts.eml"
expect_exit 0 "$XE2E" verify --store "$S" --in "$SCRATCH/nocerts.eml"
expect_fail 6 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/nocerts.eml"
# --cache: a fresh store with only the anchor learns the chain from a message
C=$SCRATCH/cache
expect_exit 0 "$XE2E" cert-check --store "$C" --trust "$PKI/ca.pem"
expect_exit 0 "$XE2E" sign --cert "$PKI/signer.pem" --key "$PKI/signer.key" --chain "$PKI/chain.pem" \
	--in "$PKI/signer.pem" --content-type text/plain
cp "$OUT" "$SCRATCH/full.eml"
expect_fail 6 "$XE2E" verify --store "$C" --in "$SCRATCH/nocerts.eml"
expect_exit 0 "$XE2E" verify --store "$C" --cache --in "$SCRATCH/full.eml"
expect_exit 0 "$XE2E" verify --store "$C" --in "$SCRATCH/nocerts.eml"
expect_fail 1 "$XE2E" verify --cache --ca "$PKI/ca.pem" --in "$SCRATCH/full.eml"
# concurrent writers never corrupt the store
W=$SCRATCH/w
for i in 1 2 3 4 5 6; do
	"$XE2E" cert-check --store "$W" --import "$PKI/chain.pem" --import "$PKI/signer.pem" \
		--trust "$PKI/ca.pem" >/dev/null 2>&1 &
done
wait
for f in "$W"/anchors/*.der "$W"/certs/*.der; do
	openssl x509 -inform DER -in "$f" -noout 2>/dev/null || fail "corrupt store file $f"
done
[ "$(ls "$W"/certs | wc -l)" = 2 ] || fail "concurrent imports stored $(ls "$W"/certs | wc -l) certificates"
ls "$W"/*/*.tmp* >/dev/null 2>&1 && fail "temporary files left in the store"
exit 0
