#!/bin/bash
# t0102-sign-outform: --outform der|pem|smime; bare CMS is detached unless
# --opaque; verify takes DER and PEM (with --content for detached ones).
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

V=(--ca "$PKI/ca.pem")
sample_message

# DER, detached
sign_msg "$SCRATCH/d.der" --outform der
[ "$(first_byte_hex "$SCRATCH/d.der")" = 30 ] || fail "--outform der does not start with 0x30"
cms_print "$SCRATCH/d.der" | grep -q 'contentType: pkcs7-signedData' || fail "DER is not a SignedData ContentInfo"
cms_has_econtent "$SCRATCH/d.der" && fail "--outform der without --opaque is not detached"
expect_exit 0 "$XE2E" verify "${V[@]}" --in "$SCRATCH/d.der" --content "$SCRATCH/msg.crlf"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify of detached DER"
expect_exit 0 "$XE2E" verify "${V[@]}" --content "$SCRATCH/msg.crlf" <"$SCRATCH/d.der"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify of detached DER from stdin"
openssl cms -verify -binary -inform DER -in "$SCRATCH/d.der" -content "$SCRATCH/msg.crlf" \
	-CAfile "$PKI/ca.pem" -out /dev/null 2>"$SCRATCH/ossl.err" ||
	fail "openssl rejects the detached DER: $(cat "$SCRATCH/ossl.err")"
# detached DER with other content: forged
printf 'Content-Type: text/plain\r\n\r\nhello World\r\nsecond line\r\n' >"$SCRATCH/other.crlf"
expect_fail 4 "$XE2E" verify "${V[@]}" --in "$SCRATCH/d.der" --content "$SCRATCH/other.crlf"
# detached DER without its content cannot verify
expect_fail '!0' "$XE2E" verify "${V[@]}" --in "$SCRATCH/d.der"

# PEM, detached
sign_msg "$SCRATCH/d.pem" --outform pem
[ "$(head -n 1 "$SCRATCH/d.pem" | tr -d '\r')" = "-----BEGIN CMS-----" ] ||
	fail "--outform pem does not start with -----BEGIN CMS-----: $(head -n 1 "$SCRATCH/d.pem")"
tr -d '\r' <"$SCRATCH/d.pem" | grep -q '^-----END CMS-----$' || fail "no -----END CMS----- line"
openssl cms -cmsout -inform PEM -in "$SCRATCH/d.pem" -outform DER -out "$SCRATCH/d2.der" 2>/dev/null ||
	fail "openssl cannot read the PEM"
cms_has_econtent "$SCRATCH/d2.der" && fail "--outform pem without --opaque is not detached"
expect_exit 0 "$XE2E" verify "${V[@]}" --in "$SCRATCH/d.pem" --content "$SCRATCH/msg.crlf"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify of detached PEM"
# a PKCS7 armour label is accepted too
sed -e 's/BEGIN CMS/BEGIN PKCS7/' -e 's/END CMS/END PKCS7/' "$SCRATCH/d.pem" >"$SCRATCH/d7.pem"
expect_exit 0 "$XE2E" verify "${V[@]}" --in "$SCRATCH/d7.pem" --content "$SCRATCH/msg.crlf"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify of BEGIN PKCS7 PEM"

# opaque DER and PEM verify on their own
sign_msg "$SCRATCH/o.der" --outform der --opaque
[ "$(first_byte_hex "$SCRATCH/o.der")" = 30 ] || fail "--opaque --outform der is not DER"
cms_has_econtent "$SCRATCH/o.der" || fail "--opaque --outform der has no eContent"
expect_exit 0 "$XE2E" verify "${V[@]}" --in "$SCRATCH/o.der"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify of opaque DER"
sign_msg "$SCRATCH/o.pem" --outform pem --opaque
expect_exit 0 "$XE2E" verify "${V[@]}" <"$SCRATCH/o.pem"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify of opaque PEM"

# --outform smime is the default
sign_msg "$SCRATCH/s.eml" --outform smime
mime_header "$SCRATCH/s.eml" Content-Type | grep -qi '^multipart/signed' ||
	fail "--outform smime is not multipart/signed"
exit 0
