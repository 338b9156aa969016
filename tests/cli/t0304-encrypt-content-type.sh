#!/bin/bash
# t0304-encrypt-content-type: with --content-type TYPE the input is raw
# bytes; decrypt gives back an entity of media type TYPE whose decoded body
# is the input -- text (CRLF line ends) and binary (byte for byte).
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

R=(--recip "$PKI/direct.pem")
D=(--key "$PKI/direct.key")

# body_bytes FILE -- the bytes after the first empty line, exactly (mime_body
# adds a line end to a last line that has none)
body_bytes() {
	perl -0777 -ne 's/\A.*?\r?\n\r?\n//s or exit 1; print' "$1"
}

# check_type ENTITY TYPE -- Content-Type of ENTITY starts with TYPE
check_type() {
	local ct
	ct=$(mime_header "$1" Content-Type | tr 'A-Z' 'a-z')
	case $ct in
	"$2"|"$2;"*|"$2 "*) ;;
	*) fail "entity Content-Type '$ct', expected $2" ;;
	esac
}

# text: LF input comes back with CRLF line ends, otherwise unchanged
printf 'hello\nworld\n\nlast line without newline' >"$SCRATCH/raw.txt"
to_crlf <"$SCRATCH/raw.txt" >"$SCRATCH/raw.crlf"
# to_crlf adds a line end to the last line; the input has none
head -c $(($(wc -c <"$SCRATCH/raw.crlf") - 2)) "$SCRATCH/raw.crlf" >"$SCRATCH/raw.want"
expect_exit 0 "$XE2E" encrypt "${R[@]}" --content-type text/plain --in "$SCRATCH/raw.txt"
cp "$OUT" "$SCRATCH/t.eml"
expect_exit 0 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/t.eml"
cp "$OUT" "$SCRATCH/t.out"
check_type "$SCRATCH/t.out" text/plain
has_bare_lf "$SCRATCH/t.out" && fail "decrypted text entity is not CRLF"
body_bytes "$SCRATCH/t.out" >"$SCRATCH/t.body"
assert_same_file "$SCRATCH/t.body" "$SCRATCH/raw.want" "text body after decrypt"

# text with a parameter, from stdin
printf 'h\303\251llo\n' >"$SCRATCH/u.txt"
expect_exit 0 "$XE2E" encrypt "${R[@]}" --content-type 'text/plain; charset=utf-8' <"$SCRATCH/u.txt"
cp "$OUT" "$SCRATCH/u.eml"
expect_exit 0 "$XE2E" decrypt "${D[@]}" <"$SCRATCH/u.eml"
cp "$OUT" "$SCRATCH/u.out"
check_type "$SCRATCH/u.out" text/plain
mime_header "$SCRATCH/u.out" Content-Type | grep -qi 'charset="\{0,1\}utf-8' ||
	fail "charset parameter lost: $(mime_header "$SCRATCH/u.out" Content-Type)"
mime_body "$SCRATCH/u.out" | to_lf | cmp -s - "$SCRATCH/u.txt" || fail "utf-8 text body differs"

# binary: every byte value, CR/LF/NUL mixtures, survives byte for byte
openssl rand -out "$SCRATCH/raw.bin" 3000 || hard_error "openssl rand"
printf '\000\r\n\n\r.\nFrom x\n\r' >>"$SCRATCH/raw.bin"
perl -e 'print map { chr } 0 .. 255' >>"$SCRATCH/raw.bin" || hard_error "perl"
for form in smime der pem; do
	expect_exit 0 "$XE2E" encrypt "${R[@]}" --content-type application/octet-stream \
		--outform $form --in "$SCRATCH/raw.bin"
	cp "$OUT" "$SCRATCH/b.$form"
	expect_exit 0 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/b.$form"
	cp "$OUT" "$SCRATCH/b.out"
	check_type "$SCRATCH/b.out" application/octet-stream
	cte=$(mime_header "$SCRATCH/b.out" Content-Transfer-Encoding | tr 'A-Z' 'a-z')
	case $cte in
	base64)
		mime_body "$SCRATCH/b.out" | b64_decode >"$SCRATCH/b.dec" 2>/dev/null ;;
	binary)
		body_bytes "$SCRATCH/b.out" >"$SCRATCH/b.dec" ;;
	*) fail "binary entity has Content-Transfer-Encoding '$cte'" ;;
	esac
	assert_same_file "$SCRATCH/b.dec" "$SCRATCH/raw.bin" "binary body after decrypt ($form)"
done
# binary from a pipe (streamed)
cat "$SCRATCH/raw.bin" | "$XE2E" encrypt "${R[@]}" --content-type application/octet-stream \
	>"$SCRATCH/bp.eml" 2>"$ERR" || fail "encrypt from a pipe failed: $(cat "$ERR")"
"$XE2E" decrypt "${D[@]}" <"$SCRATCH/bp.eml" >"$SCRATCH/bp.out" 2>"$ERR" ||
	fail "decrypt of piped encryption failed: $(cat "$ERR")"
mime_body "$SCRATCH/bp.out" | b64_decode >"$SCRATCH/bp.dec" 2>/dev/null
assert_same_file "$SCRATCH/bp.dec" "$SCRATCH/raw.bin" "binary body through pipes"

# empty raw input
: >"$SCRATCH/empty"
expect_exit 0 "$XE2E" encrypt "${R[@]}" --content-type text/plain --in "$SCRATCH/empty"
cp "$OUT" "$SCRATCH/e.eml"
expect_exit 0 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/e.eml"
cp "$OUT" "$SCRATCH/e.out"
check_type "$SCRATCH/e.out" text/plain
body_bytes "$SCRATCH/e.out" | cmp -s - /dev/null || fail "empty input did not give an empty body"

# a malformed TYPE is refused
expect_fail '1|2' "$XE2E" encrypt "${R[@]}" --content-type 'no slash' --in "$SCRATCH/raw.txt"
exit 0
