#!/bin/bash
# demo/demo.sh - the README's demo round trip: make a throw-away demo PKI,
# sign a message with xe2e, verify it, show the result.  Nothing is kept.
set -eu
XE2E=${XE2E:-$(pwd)/xe2e}
d=$(mktemp -d "${TMPDIR:-/tmp}/xe2e-demo.XXXXXX")
trap 'rm -rf "$d"' EXIT
cd "$d"
echo "== demo PKI (throw-away, in $d)"
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 \
	-subj "/O=xe2e demo/CN=Demo CA" -addext basicConstraints=critical,CA:TRUE \
	-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout juliet.key -out juliet.csr \
	-subj "/O=xe2e demo/CN=Juliet Capulet" 2>/dev/null
cat > ext.cnf <<'X'
keyUsage = critical, digitalSignature, nonRepudiation, keyEncipherment
extendedKeyUsage = emailProtection
subjectAltName = email:juliet@example.com, otherName:1.3.6.1.5.5.7.8.5;UTF8:juliet@example.com, URI:im:juliet@example.com
X
openssl x509 -req -in juliet.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
	-extfile ext.cnf -out juliet.pem 2>/dev/null
printf 'Content-Type: text/plain; charset=utf-8\n\nWherefore art thou, Romeo?\n' > msg.eml
echo "== xe2e sign --cert juliet.pem --key juliet.key < msg.eml"
"$XE2E" sign --cert juliet.pem --key juliet.key < msg.eml > signed.eml
sed -n '1,12p' signed.eml | tr -d '\r'
echo "   [... $(wc -c < signed.eml) bytes]"
echo "== xe2e verify --ca ca.pem < signed.eml"
"$XE2E" verify --ca ca.pem < signed.eml > content.eml
echo "== verified content:"
tr -d '\r' < content.eml
echo "== a tampered copy must fail:"
sed 's/Romeo/Tybalt/' signed.eml > tampered.eml
if "$XE2E" verify --ca ca.pem < tampered.eml > /dev/null; then
	echo "tampered message verified: demo FAILED" >&2
	exit 1
else
	echo "   (exit status $?, as expected)"
fi
echo "== demo ok"
