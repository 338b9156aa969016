#!/bin/bash
# t0201-verify-tamper: known forgeries must fail with 4 (signature not
# verified), nothing on stdout, one line on stderr: a changed content byte,
# swapped signatures, a flipped signature bit, changed signed attributes.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

V=(--ca "$PKI/ca.pem")
sign_msg "$SCRATCH/s.eml"
M=$SCRATCH/s.eml

# one byte of the signed entity changed (body, then header)
sed -e 's/^hello world/hello wOrld/' "$M" >"$SCRATCH/t1.eml"
cmp -s "$M" "$SCRATCH/t1.eml" && hard_error "tampering failed"
expect_fail 4 "$XE2E" verify "${V[@]}" --in "$SCRATCH/t1.eml"
sed -e 's/charset=us-ascii/charset=US-ascii/' "$M" >"$SCRATCH/t2.eml"
expect_fail 4 "$XE2E" verify "${V[@]}" --in "$SCRATCH/t2.eml"
# a line added to the signed entity
awk '{ print } /^second line/ { printf "third line\r\n" }' "$M" >"$SCRATCH/t3.eml"
expect_fail 4 "$XE2E" verify "${V[@]}" --in "$SCRATCH/t3.eml"
# a changed byte with LF line ends too
to_lf <"$SCRATCH/t1.eml" >"$SCRATCH/t1-lf.eml"
expect_fail 4 "$XE2E" verify "${V[@]}" --in "$SCRATCH/t1-lf.eml"

# signature of message B pasted under content of message A
printf 'Content-Type: text/plain\n\nattack at dawn\n' >"$SCRATCH/b.txt"
expect_exit 0 "$XE2E" sign --cert "$PKI/direct.pem" --key "$PKI/direct.key" --in "$SCRATCH/b.txt"
cp "$OUT" "$SCRATCH/b.eml"
ba=$(mime_param "$(mime_header "$M" Content-Type)" boundary)
bb=$(mime_param "$(mime_header "$SCRATCH/b.eml" Content-Type)" boundary)
{
	mime_headers "$M" | awk '{ printf "%s\r\n", $0 }'
	printf '\r\n--%s\r\n' "$ba"
	mime_part "$M" 1
	printf '\r\n--%s\r\n' "$ba"
	mime_part "$SCRATCH/b.eml" 2
	printf '\r\n--%s--\r\n' "$ba"
} >"$SCRATCH/swap.eml"
# sanity: the same construction with A's own signature verifies
{
	mime_headers "$M" | awk '{ printf "%s\r\n", $0 }'
	printf '\r\n--%s\r\n' "$ba"
	mime_part "$M" 1
	printf '\r\n--%s\r\n' "$ba"
	mime_part "$M" 2
	printf '\r\n--%s--\r\n' "$ba"
} >"$SCRATCH/rebuilt.eml"
expect_exit 0 "$XE2E" verify "${V[@]}" --in "$SCRATCH/rebuilt.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify of re-assembled message"
expect_fail 4 "$XE2E" verify "${V[@]}" --in "$SCRATCH/swap.eml"

# bare DER: flip a byte near the end (inside the RSA signature value, even if
# the encoding ends in a few end-of-contents octets)
sign_msg "$SCRATCH/d.der" --outform der
cp "$SCRATCH/d.der" "$SCRATCH/f.der"
size=$(wc -c <"$SCRATCH/f.der")
pos=$((size - 20))
byte=$(od -An -tu1 -j "$pos" -N1 "$SCRATCH/f.der" | tr -d ' ')
printf "$(printf '\\%03o' $((byte ^ 1)))" |
	dd of="$SCRATCH/f.der" bs=1 seek="$pos" conv=notrunc 2>/dev/null
cmp -s "$SCRATCH/d.der" "$SCRATCH/f.der" && hard_error "byte flip failed"
expect_exit 0 "$XE2E" verify "${V[@]}" --in "$SCRATCH/d.der" --content "$SCRATCH/msg.crlf"
expect_fail 4 "$XE2E" verify "${V[@]}" --in "$SCRATCH/f.der" --content "$SCRATCH/msg.crlf"

# opaque DER: change one byte of the encapsulated content
sign_msg "$SCRATCH/o.der" --outform der --opaque
off=$(grep -abo 'hello world' "$SCRATCH/o.der" | head -n 1 | cut -d: -f1)
[ -n "$off" ] || hard_error "content not found in opaque DER"
cp "$SCRATCH/o.der" "$SCRATCH/of.der"
printf 'J' | dd of="$SCRATCH/of.der" bs=1 seek="$off" conv=notrunc 2>/dev/null
expect_fail 4 "$XE2E" verify "${V[@]}" --in "$SCRATCH/of.der"

# signed attributes: change the signing time inside the DER (UTCTime digits)
sign_msg "$SCRATCH/st.der" --outform der --signing-time 2026-01-02T03:04:05Z
off=$(grep -abo '260102030405Z' "$SCRATCH/st.der" | head -n 1 | cut -d: -f1)
[ -n "$off" ] || hard_error "signingTime not found in DER"
cp "$SCRATCH/st.der" "$SCRATCH/stf.der"
printf '7' | dd of="$SCRATCH/stf.der" bs=1 seek="$((off + 1))" conv=notrunc 2>/dev/null
expect_exit 0 "$XE2E" verify "${V[@]}" --in "$SCRATCH/st.der" --content "$SCRATCH/msg.crlf"
expect_fail 4 "$XE2E" verify "${V[@]}" --in "$SCRATCH/stf.der" --content "$SCRATCH/msg.crlf"
exit 0
