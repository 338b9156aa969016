#!/bin/bash
# t0310-encrypt-stream: --stream (or a pipe as input) writes indefinite-length
# BER (30 80); --no-stream and small regular files give DER (30 82); both
# decrypt, from files and from pipes, with --stream and --no-stream.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

R=(--recip "$PKI/direct.pem" --outform der)
D=(--key "$PKI/direct.key")
# first2 FILE -- the first two bytes in hex
first2() {
	od -An -tx1 -N2 "$1" | tr -d ' \n'
}
openssl rand -out "$SCRATCH/rnd" 70000 || hard_error "openssl rand"
{ printf 'Content-Type: text/plain\n\n'; head -c 70000 /dev/zero | tr '\0' 'a'; printf '\nend\n'; } \
	>"$SCRATCH/msg.txt"
{ printf 'Content-Type: text/plain\r\n\r\n'; head -c 70000 /dev/zero | tr '\0' 'a'; printf '\r\nend\r\n'; } \
	>"$SCRATCH/msg.crlf"

# regular file: DER by default and with --no-stream; BER with --stream
expect_exit 0 "$XE2E" encrypt "${R[@]}" --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/def.der"
[ "$(first2 "$SCRATCH/def.der")" = 3083 ] || [ "$(first2 "$SCRATCH/def.der")" = 3082 ] ||
	fail "regular file input: output starts $(first2 "$SCRATCH/def.der"), expected definite length"
expect_exit 0 "$XE2E" encrypt "${R[@]}" --no-stream --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/ns.der"
expect_exit 0 "$XE2E" encrypt "${R[@]}" --stream --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/s.der"
[ "$(first2 "$SCRATCH/s.der")" = 3080 ] || fail "--stream: output starts $(first2 "$SCRATCH/s.der"), expected 3080"

# small input: 30 82 exactly
printf 'Content-Type: text/plain\n\nsmall\n' >"$SCRATCH/small.txt"
expect_exit 0 "$XE2E" encrypt "${R[@]}" --no-stream --in "$SCRATCH/small.txt"
[ "$(first2 "$OUT")" = 3082 ] || fail "--no-stream small: output starts $(first2 "$OUT"), expected 3082"
expect_exit 0 "$XE2E" encrypt "${R[@]}" --in "$SCRATCH/small.txt"
[ "$(first2 "$OUT")" = 3082 ] || fail "small regular file: output starts $(first2 "$OUT"), expected 3082"
# a pipe streams by default; --no-stream overrides
cat "$SCRATCH/small.txt" | "$XE2E" encrypt "${R[@]}" >"$SCRATCH/p.der" 2>"$ERR" ||
	fail "piped encrypt failed: $(cat "$ERR")"
[ "$(first2 "$SCRATCH/p.der")" = 3080 ] || fail "pipe input: output starts $(first2 "$SCRATCH/p.der"), expected 3080"
cat "$SCRATCH/small.txt" | "$XE2E" encrypt "${R[@]}" --no-stream >"$SCRATCH/pn.der" 2>"$ERR" ||
	fail "piped encrypt --no-stream failed: $(cat "$ERR")"
[ "$(first2 "$SCRATCH/pn.der")" = 3082 ] || fail "pipe --no-stream: output starts $(first2 "$SCRATCH/pn.der"), expected 3082"
# openssl can parse the BER form
cms_print "$SCRATCH/p.der" | grep -q pkcs7-envelopedData || fail "openssl cannot parse the streamed BER"
openssl cms -decrypt -binary -inform DER -in "$SCRATCH/s.der" -inkey "$PKI/direct.key" \
	-out "$SCRATCH/ossl.out" 2>/dev/null || fail "openssl cannot decrypt the streamed BER"
assert_same_file "$SCRATCH/ossl.out" "$SCRATCH/msg.crlf" "openssl decrypt of --stream output"

# every form decrypts, in every decrypt mode, from a file and from a pipe
for f in def ns s; do
	for mode in "" --stream --no-stream; do
		expect_exit 0 "$XE2E" decrypt "${D[@]}" $mode --in "$SCRATCH/$f.der"
		assert_same_file "$OUT" "$SCRATCH/msg.crlf" "decrypt $mode of $f.der"
		cat "$SCRATCH/$f.der" | "$XE2E" decrypt "${D[@]}" $mode >"$SCRATCH/out" 2>"$ERR" ||
			fail "decrypt $mode of $f.der from a pipe failed: $(cat "$ERR")"
		assert_same_file "$SCRATCH/out" "$SCRATCH/msg.crlf" "decrypt $mode of $f.der from a pipe"
	done
done
# S/MIME output streams too (base64 of BER)
cat "$SCRATCH/msg.txt" | "$XE2E" encrypt --recip "$PKI/direct.pem" >"$SCRATCH/p.eml" 2>"$ERR" ||
	fail "piped S/MIME encrypt failed: $(cat "$ERR")"
mime_body "$SCRATCH/p.eml" | b64_decode >"$SCRATCH/p.eml.der" 2>/dev/null
[ "$(first2 "$SCRATCH/p.eml.der")" = 3080 ] || fail "piped S/MIME: body starts $(first2 "$SCRATCH/p.eml.der")"
cat "$SCRATCH/p.eml" | "$XE2E" decrypt "${D[@]}" >"$SCRATCH/out" 2>"$ERR" ||
	fail "decrypt of streamed S/MIME from a pipe failed: $(cat "$ERR")"
assert_same_file "$SCRATCH/out" "$SCRATCH/msg.crlf" "streamed S/MIME round trip"
# binary content streamed
cat "$SCRATCH/rnd" | "$XE2E" encrypt "${R[@]}" --content-type application/octet-stream --cipher aes256 \
	>"$SCRATCH/rnd.der" 2>"$ERR" || fail "piped binary encrypt failed: $(cat "$ERR")"
[ "$(first2 "$SCRATCH/rnd.der")" = 3080 ] || fail "piped binary: output starts $(first2 "$SCRATCH/rnd.der")"
expect_exit 0 "$XE2E" decrypt "${D[@]}" --stream --in "$SCRATCH/rnd.der"
cp "$OUT" "$SCRATCH/rnd.out"
mime_body "$SCRATCH/rnd.out" | b64_decode >"$SCRATCH/rnd.dec" 2>/dev/null
assert_same_file "$SCRATCH/rnd.dec" "$SCRATCH/rnd" "streamed binary round trip"
exit 0
