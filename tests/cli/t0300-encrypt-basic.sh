#!/bin/bash
# t0300-encrypt-basic: default encrypt writes application/pkcs7-mime;
# smime-type=enveloped-data; name=smime.p7m in base64, AES-128-CBC by default,
# one RSA key transport recipient; decrypt --key gives back the canonical
# entity; openssl agrees on the content.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

sample_message
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" <"$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/e.eml"
[ -s "$SCRATCH/e.eml" ] || fail "encrypt wrote nothing"
has_bare_lf "$SCRATCH/e.eml" && fail "S/MIME output is not CRLF"

ct=$(mime_header "$SCRATCH/e.eml" Content-Type)
case $(printf '%s' "$ct" | tr 'A-Z' 'a-z') in
application/pkcs7-mime|application/pkcs7-mime\;*) ;;
*) fail "Content-Type is '$ct'" ;;
esac
[ "$(mime_param "$ct" smime-type | tr 'A-Z' 'a-z')" = enveloped-data ] ||
	fail "smime-type is not enveloped-data: $ct"
[ "$(mime_param "$ct" name)" = smime.p7m ] || fail "name is not smime.p7m: $ct"
cte=$(mime_header "$SCRATCH/e.eml" Content-Transfer-Encoding | tr 'A-Z' 'a-z')
[ "$cte" = base64 ] || fail "Content-Transfer-Encoding is '$cte'"
mime_body "$SCRATCH/e.eml" | b64_decode >"$SCRATCH/e.der" 2>/dev/null ||
	fail "body is not base64"
[ "$(first_byte_hex "$SCRATCH/e.der")" = 30 ] || fail "body is not DER/BER"

cms_print "$SCRATCH/e.der" >"$SCRATCH/print" || fail "openssl cannot parse the EnvelopedData"
grep -q 'contentType: pkcs7-envelopedData' "$SCRATCH/print" || fail "not envelopedData"
grep -q 'algorithm: aes-128-cbc' "$SCRATCH/print" || fail "default cipher is not aes-128-cbc"
grep -q 'algorithm: rsaEncryption' "$SCRATCH/print" || fail "key transport is not rsaEncryption"
[ "$(grep -c 'd.ktri:' "$SCRATCH/print")" = 1 ] || fail "expected exactly one recipient"
grep -q 'Hello\|hello world' "$SCRATCH/e.eml" "$SCRATCH/e.der" && fail "plaintext visible in the output"

# xe2e decrypt gives the canonical (CRLF) entity
expect_exit 0 "$XE2E" decrypt --key "$PKI/direct.key" <"$SCRATCH/e.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "decrypt --key"
expect_exit 0 "$XE2E" decrypt --key "$PKI/direct.key" --cert "$PKI/direct.pem" <"$SCRATCH/e.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "decrypt --key --cert"
[ -s "$ERR" ] && fail "decrypt wrote to stderr on success: $(cat "$ERR")"

# openssl decrypts it to the same bytes
openssl cms -decrypt -binary -inform DER -in "$SCRATCH/e.der" -recip "$PKI/direct.pem" \
	-inkey "$PKI/direct.key" -out "$SCRATCH/ossl.out" 2>"$SCRATCH/ossl.err" ||
	fail "openssl cms -decrypt failed: $(cat "$SCRATCH/ossl.err")"
assert_same_file "$SCRATCH/ossl.out" "$SCRATCH/msg.crlf" "openssl decrypt of xe2e output"

# two encryptions of the same input differ (fresh CEK and IV)
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" <"$SCRATCH/msg.txt"
cmp -s "$OUT" "$SCRATCH/e.eml" && fail "two encryptions gave identical output"

# usage errors
expect_fail 1 "$XE2E" encrypt <"$SCRATCH/msg.txt"
expect_fail 1 "$XE2E" encrypt --recip "$PKI/direct.pem" --cipher rc2 <"$SCRATCH/msg.txt"
expect_fail 1 "$XE2E" encrypt --recip "$PKI/direct.pem" --outform smtp <"$SCRATCH/msg.txt"
expect_fail 1 "$XE2E" decrypt <"$SCRATCH/e.eml"
exit 0
