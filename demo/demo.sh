#!/bin/bash
# demo/demo.sh - the README's demo round trip: make a throw-away test PKI
# with `xe2e pki init`, sign a message as juliet, verify it, encrypt it for
# romeo, decrypt and verify it as romeo, and show that a tampered copy
# fails.  Nothing is kept.
set -eu
XE2E=${XE2E:-$(pwd)/xe2e}
d=$(mktemp -d "${TMPDIR:-/tmp}/xe2e-demo.XXXXXX")
trap 'rm -rf "$d"' EXIT
cd "$d"
echo "== xe2e pki init pki   (throw-away test PKI, in $d)"
"$XE2E" pki init pki --user juliet@example.com --user romeo@example.net | sed 's/^/   /'
J=pki/juliet@example.com R=pki/romeo@example.net
printf 'Content-Type: text/plain; charset=utf-8\n\nWherefore art thou, Romeo?\n' > msg.eml
echo "== xe2e sign --cert $J.pem --key $J.key --chain pki/chain.pem < msg.eml"
"$XE2E" sign --cert $J.pem --key $J.key --chain pki/chain.pem < msg.eml > signed.eml
sed -n '1,12p' signed.eml | tr -d '\r'
echo "   [... $(wc -c < signed.eml) bytes]"
echo "== xe2e verify --ca pki/ca.pem --crl pki/crl.pem < signed.eml"
"$XE2E" verify --ca pki/ca.pem --crl pki/crl.pem < signed.eml > content.eml
echo "== verified content:"
tr -d '\r' < content.eml
echo "== xe2e encrypt --recip $R.pem < signed.eml | xe2e decrypt --key $R.key --ca pki/ca.pem"
"$XE2E" encrypt --recip $R.pem < signed.eml > encrypted.eml
"$XE2E" decrypt --cert $R.pem --key $R.key --ca pki/ca.pem --crl pki/crl.pem < encrypted.eml |
	tr -d '\r'
echo "== a tampered copy must fail:"
sed 's/Romeo/Tybalt/' signed.eml > tampered.eml
if "$XE2E" verify --ca pki/ca.pem < tampered.eml > /dev/null; then
	echo "tampered message verified: demo FAILED" >&2
	exit 1
else
	echo "   (exit status $?, as expected)"
fi
echo "== demo ok"
