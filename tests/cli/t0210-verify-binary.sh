#!/bin/bash
# t0210: --content is tried as given, then in canonical form (openssl's text
# mode); --binary takes it byte for byte only.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

V=(--ca "$PKI/ca.pem")
printf 'Content-Type: text/plain\n\nline one\nline two\n' > "$SCRATCH/msg.lf"
to_crlf < "$SCRATCH/msg.lf" > "$SCRATCH/msg.crlf"
head -c 2000 /dev/urandom | tr -d 'X' > "$SCRATCH/bin"   # no 'X': the flip below always changes a byte

# xe2e signs the canonical form: the LF file verifies by default, not with --binary
expect_exit 0 "$XE2E" sign --cert "$PKI/direct.pem" --key "$PKI/direct.key" \
	--outform der --in "$SCRATCH/msg.lf"
cp "$OUT" "$SCRATCH/text.der"
expect_exit 0 "$XE2E" verify "${V[@]}" --in "$SCRATCH/text.der" --content "$SCRATCH/msg.lf"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "canonical fallback gives the signed (CRLF) bytes"
expect_fail 4 "$XE2E" verify "${V[@]}" --binary --in "$SCRATCH/text.der" --content "$SCRATCH/msg.lf"
expect_exit 0 "$XE2E" verify "${V[@]}" --binary --in "$SCRATCH/text.der" --content "$SCRATCH/msg.crlf"

# binary content signed as is (openssl -binary) verifies with and without --binary
openssl cms -sign -binary -signer "$PKI/direct.pem" -inkey "$PKI/direct.key" -outform DER \
	-in "$SCRATCH/bin" -out "$SCRATCH/bin.der" 2>/dev/null || hard_error "openssl cms -sign"
expect_exit 0 "$XE2E" verify "${V[@]}" --in "$SCRATCH/bin.der" --content "$SCRATCH/bin"
assert_same_file "$OUT" "$SCRATCH/bin" "binary detached content"
expect_exit 0 "$XE2E" verify "${V[@]}" --binary --in "$SCRATCH/bin.der" --content "$SCRATCH/bin"
assert_same_file "$OUT" "$SCRATCH/bin" "binary detached content with --binary"
# a changed byte fails both ways
printf 'X' | dd of="$SCRATCH/bin" bs=1 seek=100 conv=notrunc 2>/dev/null
expect_fail 4 "$XE2E" verify "${V[@]}" --in "$SCRATCH/bin.der" --content "$SCRATCH/bin"
# --binary without --content is a usage error
expect_fail 1 "$XE2E" verify "${V[@]}" --binary --in "$SCRATCH/bin.der"
exit 0
