#!/bin/bash
# t0305-encrypt-canonical: an entity with LF line ends is encrypted in
# canonical form (decrypt gives CRLF); CRLF input is unchanged; a body with
# Content-Transfer-Encoding: binary comes back byte for byte.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

R=(--recip "$PKI/direct.pem")
D=(--key "$PKI/direct.key")

# body_bytes FILE -- the bytes after the first empty line, exactly (mime_body
# adds a line end to a last line that has none)
body_bytes() {
	perl -0777 -ne 's/\A.*?\r?\n\r?\n//s or exit 1; print' "$1"
}

printf 'Content-Type: text/plain; charset=us-ascii\nSubject: canon\n\nline 1\n\nline 3 \nend\n' \
	>"$SCRATCH/lf.txt"
to_crlf <"$SCRATCH/lf.txt" >"$SCRATCH/crlf.txt"
for src in lf crlf; do
	expect_exit 0 "$XE2E" encrypt "${R[@]}" --in "$SCRATCH/$src.txt"
	cp "$OUT" "$SCRATCH/$src.eml"
	expect_exit 0 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/$src.eml"
	assert_same_file "$OUT" "$SCRATCH/crlf.txt" "decrypt of $src input"
	# streamed (pipe) too
	cat "$SCRATCH/$src.txt" | "$XE2E" encrypt "${R[@]}" >"$SCRATCH/$src-p.eml" 2>"$ERR" ||
		fail "piped encrypt failed: $(cat "$ERR")"
	"$XE2E" decrypt "${D[@]}" <"$SCRATCH/$src-p.eml" >"$SCRATCH/$src-p.out" 2>"$ERR" ||
		fail "decrypt of piped encrypt failed: $(cat "$ERR")"
	assert_same_file "$SCRATCH/$src-p.out" "$SCRATCH/crlf.txt" "piped encrypt of $src input"
done
# openssl sees the same canonical bytes
expect_exit 0 "$XE2E" encrypt "${R[@]}" --outform der --in "$SCRATCH/lf.txt"
cp "$OUT" "$SCRATCH/lf.der"
openssl cms -decrypt -binary -inform DER -in "$SCRATCH/lf.der" -inkey "$PKI/direct.key" \
	-out "$SCRATCH/ossl.out" 2>/dev/null || fail "openssl cannot decrypt"
assert_same_file "$SCRATCH/ossl.out" "$SCRATCH/crlf.txt" "openssl decrypt of LF input"

# Content-Transfer-Encoding: binary -- the headers are canonicalized, the
# body (bare LF, bare CR, NUL, CRLF, no final line end) is not touched
{
	printf 'Content-Type: application/octet-stream\nContent-Transfer-Encoding: binary\n\n'
	printf 'ab\ncd\r\n\000\rx\n\n\r\r\n'
	openssl rand 1000
	printf 'tail'
} >"$SCRATCH/bin.txt" || hard_error "making the binary entity"
{
	printf 'Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n'
	body_bytes "$SCRATCH/bin.txt"
} >"$SCRATCH/bin.want"
[ "$(tail -c 4 "$SCRATCH/bin.want")" = tail ] || hard_error "body_bytes is not byte exact"
expect_exit 0 "$XE2E" encrypt "${R[@]}" --in "$SCRATCH/bin.txt"
cp "$OUT" "$SCRATCH/bin.eml"
expect_exit 0 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/bin.eml"
assert_same_file "$OUT" "$SCRATCH/bin.want" "binary-CTE entity after decrypt"
cat "$SCRATCH/bin.txt" | "$XE2E" encrypt "${R[@]}" --outform der >"$SCRATCH/binp.der" 2>"$ERR" ||
	fail "piped encrypt of binary entity failed: $(cat "$ERR")"
expect_exit 0 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/binp.der"
assert_same_file "$OUT" "$SCRATCH/bin.want" "piped binary-CTE entity after decrypt"
exit 0
