#!/bin/bash
# t0231: the signed part of a multipart/signed is bytes (RFC 1847 §2.1), not
# necessarily a MIME entity: what `openssl cms -sign` writes without -text
# has a first part with no header block, and an empty part is legal.  Both
# failed with "not a MIME entity"; they verify now.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

S=(-signer "$PKI/direct.pem" -inkey "$PKI/direct.key")
printf 'just a line of text\n' >"$SCRATCH/raw.txt"
openssl cms -sign "${S[@]}" -in "$SCRATCH/raw.txt" -out "$SCRATCH/raw.eml" 2>/dev/null ||
	hard_error "openssl cms -sign failed"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" -i "$SCRATCH/raw.eml"
printf 'just a line of text\r\n' >"$SCRATCH/want"
assert_same_file "$OUT" "$SCRATCH/want" "headerless first part"
# the same bytes with Unix line ends on request
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --lf "$SCRATCH/raw.eml"
assert_same_file "$OUT" "$SCRATCH/raw.txt" "--lf output"
: >"$SCRATCH/empty"
openssl cms -sign -binary "${S[@]}" -in "$SCRATCH/empty" -out "$SCRATCH/empty.eml" 2>/dev/null ||
	hard_error "openssl cms -sign (empty) failed"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" "$SCRATCH/empty.eml"
[ -s "$OUT" ] && fail "an empty signed part gave output: $(cat -v "$OUT")"
# still a signature: a changed first part fails
sed 's/just a line/just one line/' "$SCRATCH/raw.eml" >"$SCRATCH/bad.eml"
expect_fail 4 "$XE2E" verify --ca "$PKI/ca.pem" "$SCRATCH/bad.eml"
exit 0
