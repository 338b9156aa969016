#!/bin/bash
# RFC 3854 X.400 content against `openssl cms`, both directions: openssl
# signs an IPM as arbitrary-type content (-econtent_type 2.6.1.10.1 -binary
# -nodetach -outform DER), xe2e verifies it, reports that eContentType and
# gives the bytes back (also encrypted by openssl around it, which keeps
# id-data: OpenSSL's -encrypt has no content type option); xe2e's
# signed-x400 and enveloped-x400 outputs (DER and --mime) verify and decrypt
# with openssl, which reports the same eContentType / contentType; the
# triple wrap opens layer by layer with openssl.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/interop.sh"
cd "$W" || exit 99
python3 "$here/../x400-ipm.py" ipm.ber 30:00 --no-originator || exit 99
S=(--cert "$PKI/signer.pem" --key "$PKI/signer.key" --chain "$PKI/inter.pem")
OV=(openssl cms -verify -binary -CAfile "$PKI/ca.pem" -certfile "$PKI/inter.pem" -purpose any)
ok() { ncheck=$((ncheck + 1)); "$@" || check_fail "$*"; }

# openssl -> xe2e
openssl cms -sign -signer "$PKI/signer.pem" -inkey "$PKI/signer.key" -certfile "$PKI/inter.pem" \
	-econtent_type 2.6.1.10.1 -binary -nodetach -outform DER -in ipm.ber -out o.der 2>/dev/null || exit 99
ok "$XE2E" verify --ca "$PKI/ca.pem" --json -i o.der -o o.out 2>o.json
same "openssl signed-x400" o.out ipm.ber
ok python3 -c 'import json,sys; j=json.load(open("o.json")); sys.exit(j["layers"][0]["content_type"] != "2.6.1.10.1")'
openssl cms -encrypt -binary -outform DER -aes256 -in o.der -out oe.der "$PKI/signer.pem" 2>/dev/null || exit 99
ok "$XE2E" decrypt --key "$PKI/signer.key" --ca "$PKI/ca.pem" -i oe.der -o oe.out 2>/dev/null
same "openssl encrypted around an xe2e-verified signed-x400" oe.out o.der

# xe2e -> openssl
ok "$XE2E" sign "${S[@]}" --digest sha1 --x400-type 22 -i ipm.ber -o x.der 2>/dev/null
ok "${OV[@]}" -inform DER -in x.der -out x.out 2>/dev/null
same "xe2e signed-x400 (DER) -> openssl" x.out ipm.ber
openssl cms -cmsout -print -inform DER -in x.der 2>/dev/null | grep -A1 eContentType | grep -q '2.6.1.10.1' ||
	check_fail "openssl does not see eContentType 2.6.1.10.1"
ok "$XE2E" sign "${S[@]}" --x400-type 22 --mime -i ipm.ber -o x.eml 2>/dev/null
ok "${OV[@]}" -in x.eml -out xm.out 2>/dev/null
same "xe2e signed-x400 (MIME) -> openssl" xm.out ipm.ber
for c in des3 aes128 aes256; do
	ok "$XE2E" encrypt --recip "$PKI/signer.pem" --cipher $c --x400-type 22 -i ipm.ber -o e.der 2>/dev/null
	ok openssl cms -decrypt -binary -inform DER -in e.der -recip "$PKI/signer.pem" -inkey "$PKI/signer.key" -out e.out
	same "xe2e enveloped-x400 ($c) -> openssl" e.out ipm.ber
	openssl cms -cmsout -print -inform DER -in e.der 2>/dev/null | grep -A1 'encryptedContentInfo:' |
		grep -q '2.6.1.10.1' || check_fail "openssl does not see contentType 2.6.1.10.1 ($c)"
done
ok "$XE2E" encrypt --recip "$PKI/signer.pem" --x400-type 22 --mime -i ipm.ber -o e.eml 2>/dev/null
ok openssl cms -decrypt -binary -in e.eml -recip "$PKI/signer.pem" -inkey "$PKI/signer.key" -out em.out
same "xe2e enveloped-x400 (MIME) -> openssl" em.out ipm.ber

# the triple wrap, opened by openssl one layer at a time: the layers hold
# the inner structures directly, so openssl's output of each is the next
# structure without its ContentInfo; wrap it back to go on
"$XE2E" sign "${S[@]}" --x400-type 22 -i ipm.ber 2>/dev/null | "$XE2E" encrypt --recip "$PKI/signer.pem" 2>/dev/null |
	"$XE2E" sign "${S[@]}" >t.der 2>/dev/null || check_fail "triple wrap"
ok "${OV[@]}" -inform DER -in t.der -out t1.bin 2>/dev/null
wrap_ci() {   # OID IN OUT: a ContentInfo around IN
	python3 "$here/../der.py" content-info "$@"
}
wrap_ci 1.2.840.113549.1.7.3 t1.bin t1.der || exit 99
ok openssl cms -decrypt -binary -inform DER -in t1.der -recip "$PKI/signer.pem" -inkey "$PKI/signer.key" -out t2.bin
wrap_ci 1.2.840.113549.1.7.2 t2.bin t2.der || exit 99
ok "${OV[@]}" -inform DER -in t2.der -out t3.out 2>/dev/null
same "triple wrap opened by openssl" t3.out ipm.ber
finish
