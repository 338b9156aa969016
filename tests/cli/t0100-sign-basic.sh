#!/bin/bash
# t0100-sign-basic: default output is RFC 5751 multipart/signed: exact
# top-level and signature-part headers, first part = canonical (CRLF) input,
# detached SignedData with sha256, signer certificate and signingTime; it
# verifies with xe2e and with openssl.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

sign_msg "$SCRATCH/s.eml"
M=$SCRATCH/s.eml

# top-level headers
mime_header "$M" MIME-Version | grep -q '^1\.0' || fail "no 'MIME-Version: 1.0'"
ct=$(mime_header "$M" Content-Type)
case $(printf '%s' "$ct" | tr 'A-Z' 'a-z') in
multipart/signed\;*) ;;
*) fail "Content-Type is not multipart/signed: $ct" ;;
esac
printf '%s' "$ct" | grep -q 'protocol="application/pkcs7-signature"' ||
	fail "protocol parameter not exactly \"application/pkcs7-signature\": $ct"
[ "$(mime_param "$ct" micalg)" = sha-256 ] || fail "micalg is not sha-256: $ct"
b=$(mime_param "$ct" boundary)
[ -n "$b" ] || fail "no boundary: $ct"
grep -q -- "--$b--" "$M" || fail "no closing delimiter --$b--"
# bare MIME output uses CRLF throughout
if tr -d '\r' <"$M" | cmp -s - "$M"; then fail "output has no CRLF line ends"; fi
has_bare_lf "$M" && fail "output has bare LF line ends"

# first part is the canonical signed entity
mime_part "$M" 1 >"$SCRATCH/part1" || fail "cannot split multipart"
assert_same_file "$SCRATCH/part1" "$SCRATCH/msg.crlf" "first part is not the CRLF input"

# signature part headers
mime_part "$M" 2 >"$SCRATCH/part2"
p2ct=$(mime_header "$SCRATCH/part2" Content-Type)
case $(printf '%s' "$p2ct" | tr 'A-Z' 'a-z') in
application/pkcs7-signature*) ;;
*) fail "signature part Content-Type: $p2ct" ;;
esac
[ "$(mime_param "$p2ct" name)" = smime.p7s ] || fail "signature part has no name=smime.p7s: $p2ct"
cte=$(mime_header "$SCRATCH/part2" Content-Transfer-Encoding)
[ "$(printf '%s' "$cte" | tr 'A-Z' 'a-z')" = base64 ] || fail "signature part CTE: '$cte'"
cd_=$(mime_header "$SCRATCH/part2" Content-Disposition)
case $(printf '%s' "$cd_" | tr 'A-Z' 'a-z') in
attachment\;*) ;;
*) fail "Content-Disposition is not attachment: '$cd_'" ;;
esac
[ "$(mime_param "$cd_" handling)" = required ] || fail "Content-Disposition lacks handling=required: $cd_"
[ "$(mime_param "$cd_" filename)" = smime.p7s ] || fail "Content-Disposition lacks filename=smime.p7s: $cd_"
# base64 lines at most 76 characters
mime_body "$SCRATCH/part2" | tr -d '\r' | awk 'length($0) > 76 { exit 1 }' ||
	fail "base64 lines longer than 76 characters"

# the CMS object
smime_sig_der "$M" "$SCRATCH/sig.der"
cms_print "$SCRATCH/sig.der" | grep -q 'contentType: pkcs7-signedData' || fail "not SignedData"
cms_has_econtent "$SCRATCH/sig.der" && fail "multipart/signed carries encapsulated content"
[ "$(cms_digest "$SCRATCH/sig.der")" = sha256 ] || fail "digest is not sha256: $(cms_digest "$SCRATCH/sig.der")"
cms_has_certs "$SCRATCH/sig.der" || fail "no certificates in the message (default --certs always)"
[ -n "$(cms_signing_time "$SCRATCH/sig.der")" ] || fail "no signingTime attribute"
cms_print "$SCRATCH/sig.der" | grep -q 'messageDigest' || fail "no messageDigest attribute"

# round trip through xe2e
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" <"$M"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify output"
[ -s "$ERR" ] || fail "verify printed no summary on stderr"
grep -q 'Direct Signer' "$ERR" || fail "verify summary does not name the signer: $(cat "$ERR")"

# and through openssl (the reference implementation)
openssl cms -verify -CAfile "$PKI/ca.pem" -purpose smimesign -in "$M" \
	-out "$SCRATCH/ossl.out" 2>"$SCRATCH/ossl.err" ||
	fail "openssl cms -verify rejects xe2e's output: $(cat "$SCRATCH/ossl.err")"
cmp -s "$SCRATCH/ossl.out" "$SCRATCH/msg.crlf" ||
	to_lf <"$SCRATCH/ossl.out" | cmp -s - "$SCRATCH/msg.txt" ||
	fail "openssl's verified content differs from the input"

exit 0
