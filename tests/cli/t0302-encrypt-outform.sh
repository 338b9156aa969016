#!/bin/bash
# t0302-encrypt-outform: --outform smime|der|pem; decrypt detects each form
# (S/MIME with CRLF or LF line ends, PEM "BEGIN CMS", DER).
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

sample_message
R=(--recip "$PKI/direct.pem")
D=(--key "$PKI/direct.key")

# smime (explicit = default)
expect_exit 0 "$XE2E" encrypt "${R[@]}" --outform smime --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/e.eml"
mime_header "$SCRATCH/e.eml" Content-Type | grep -qi '^application/pkcs7-mime' ||
	fail "--outform smime: not application/pkcs7-mime"
expect_exit 0 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/e.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "smime round trip"
to_lf <"$SCRATCH/e.eml" >"$SCRATCH/e-lf.eml"
expect_exit 0 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/e-lf.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "smime with LF line ends"

# der
expect_exit 0 "$XE2E" encrypt "${R[@]}" --outform der --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/e.der"
[ "$(first_byte_hex "$SCRATCH/e.der")" = 30 ] || fail "--outform der does not start with SEQUENCE"
cms_print "$SCRATCH/e.der" | grep -q 'pkcs7-envelopedData' || fail "--outform der: not EnvelopedData"
expect_exit 0 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/e.der"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "der round trip"
expect_exit 0 "$XE2E" decrypt "${D[@]}" <"$SCRATCH/e.der"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "der round trip on stdin"

# pem
expect_exit 0 "$XE2E" encrypt "${R[@]}" --outform pem --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/e.pem"
[ "$(head -n 1 "$SCRATCH/e.pem" | tr -d '\r')" = "-----BEGIN CMS-----" ] ||
	fail "--outform pem: first line is '$(head -n 1 "$SCRATCH/e.pem")'"
[ "$(tail -n 1 "$SCRATCH/e.pem" | tr -d '\r')" = "-----END CMS-----" ] ||
	fail "--outform pem: last line is '$(tail -n 1 "$SCRATCH/e.pem")'"
openssl cms -cmsout -inform PEM -in "$SCRATCH/e.pem" -outform DER -out "$SCRATCH/pem.der" 2>/dev/null ||
	fail "openssl cannot read the PEM"
cms_print "$SCRATCH/pem.der" | grep -q 'pkcs7-envelopedData' || fail "--outform pem: not EnvelopedData"
expect_exit 0 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/e.pem"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "pem round trip"
# PEM with "PKCS7" armour is accepted too
sed -e 's/BEGIN CMS/BEGIN PKCS7/; s/END CMS/END PKCS7/' "$SCRATCH/e.pem" >"$SCRATCH/e7.pem"
expect_exit 0 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/e7.pem"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "BEGIN PKCS7 round trip"

# the S/MIME body, the DER and the PEM carry the same kind of structure:
# each decodes with openssl
mime_body "$SCRATCH/e.eml" | b64_decode >"$SCRATCH/smime.der" 2>/dev/null
cms_print "$SCRATCH/smime.der" | grep -q 'pkcs7-envelopedData' || fail "S/MIME body is not EnvelopedData"

# openssl-made S/MIME and PEM decrypt too
openssl cms -encrypt -aes128 -in "$SCRATCH/msg.crlf" -binary -out "$SCRATCH/o.eml" \
	"$PKI/direct.pem" 2>/dev/null || hard_error "openssl cms -encrypt"
expect_exit 0 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/o.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "openssl S/MIME"
openssl cms -encrypt -aes256 -in "$SCRATCH/msg.crlf" -binary -outform PEM -out "$SCRATCH/o.pem" \
	"$PKI/direct.pem" 2>/dev/null || hard_error "openssl cms -encrypt"
expect_exit 0 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/o.pem"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "openssl PEM"
exit 0
