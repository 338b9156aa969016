#!/bin/bash
# t0101-sign-opaque: --opaque writes application/pkcs7-mime;
# smime-type=signed-data with encapsulated content; it verifies (xe2e and
# openssl) and gives back the canonical entity.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

sign_msg "$SCRATCH/o.eml" --opaque
M=$SCRATCH/o.eml
ct=$(mime_header "$M" Content-Type)
case $(printf '%s' "$ct" | tr 'A-Z' 'a-z') in
application/pkcs7-mime\;*) ;;
*) fail "Content-Type is not application/pkcs7-mime: $ct" ;;
esac
[ "$(mime_param "$ct" smime-type)" = signed-data ] || fail "no smime-type=signed-data: $ct"
[ "$(mime_param "$ct" name)" = smime.p7m ] || note "Content-Type has no name=smime.p7m: $ct"
cte=$(mime_header "$M" Content-Transfer-Encoding)
[ "$(printf '%s' "$cte" | tr 'A-Z' 'a-z')" = base64 ] || fail "CTE is not base64: '$cte'"
grep -q 'hello world' "$M" && fail "opaque output shows the content in clear"

mime_body "$M" | b64_decode >"$SCRATCH/o.der" || fail "body is not base64"
[ "$(first_byte_hex "$SCRATCH/o.der")" = 30 ] || fail "body is not DER"
cms_has_econtent "$SCRATCH/o.der" || fail "opaque SignedData has no eContent"
[ "$(cms_digest "$SCRATCH/o.der")" = sha256 ] || fail "digest is not sha256"

expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" <"$M"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify output of opaque message"

openssl cms -verify -CAfile "$PKI/ca.pem" -in "$M" -out "$SCRATCH/ossl.out" \
	2>"$SCRATCH/ossl.err" || fail "openssl rejects the opaque message: $(cat "$SCRATCH/ossl.err")"
cmp -s "$SCRATCH/ossl.out" "$SCRATCH/msg.crlf" || fail "openssl: encapsulated content is not the CRLF entity"

# with LF line ends (as after a trip through a Unix mailbox) it still verifies
to_lf <"$M" >"$SCRATCH/o-lf.eml"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/o-lf.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify output of LF opaque message"
exit 0
