#!/bin/bash
# t0301-encrypt-cipher: every --cipher round-trips through xe2e decrypt, the
# message names the right content-encryption algorithm, and openssl decrypts
# it too.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

sample_message
for c in aes128:aes-128-cbc aes192:aes-192-cbc aes256:aes-256-cbc des3:des-ede3-cbc; do
	opt=${c%%:*}
	name=${c#*:}
	expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --cipher "$opt" --outform der \
		--in "$SCRATCH/msg.txt"
	cp "$OUT" "$SCRATCH/$opt.der"
	cms_print "$SCRATCH/$opt.der" >"$SCRATCH/$opt.print" || fail "openssl cannot parse --cipher $opt output"
	grep -q "contentEncryptionAlgorithm:" "$SCRATCH/$opt.print" || fail "no contentEncryptionAlgorithm ($opt)"
	awk '/contentEncryptionAlgorithm:/ { f = 1; next } f && /algorithm:/ { print $2; exit }' \
		"$SCRATCH/$opt.print" >"$SCRATCH/$opt.alg"
	[ "$(cat "$SCRATCH/$opt.alg")" = "$name" ] ||
		fail "--cipher $opt: algorithm is '$(cat "$SCRATCH/$opt.alg")', expected $name"
	expect_exit 0 "$XE2E" decrypt --key "$PKI/direct.key" --in "$SCRATCH/$opt.der"
	assert_same_file "$OUT" "$SCRATCH/msg.crlf" "round trip with --cipher $opt"
	# S/MIME form too
	expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --cipher "$opt" <"$SCRATCH/msg.txt"
	cp "$OUT" "$SCRATCH/$opt.eml"
	expect_exit 0 "$XE2E" decrypt --key "$PKI/direct.key" --cert "$PKI/direct.pem" <"$SCRATCH/$opt.eml"
	assert_same_file "$OUT" "$SCRATCH/msg.crlf" "S/MIME round trip with --cipher $opt"
	openssl cms -decrypt -binary -inform DER -in "$SCRATCH/$opt.der" -inkey "$PKI/direct.key" \
		-recip "$PKI/direct.pem" -out "$SCRATCH/$opt.ossl" 2>/dev/null ||
		fail "openssl cannot decrypt --cipher $opt"
	assert_same_file "$SCRATCH/$opt.ossl" "$SCRATCH/msg.crlf" "openssl decrypt of --cipher $opt"
done
# the default is aes128
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --outform der --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/default.der"
cms_print "$SCRATCH/default.der" | grep -q 'algorithm: aes-128-cbc' || fail "default cipher is not aes-128-cbc"
# a longer input (several blocks, not a multiple of the block size)
openssl rand -out "$SCRATCH/rnd" 5000 || hard_error "openssl rand"
for opt in aes256 des3; do
	expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --cipher "$opt" \
		--content-type application/octet-stream --outform der --in "$SCRATCH/rnd"
	cp "$OUT" "$SCRATCH/rnd-$opt.der"
	expect_exit 0 "$XE2E" decrypt --key "$PKI/direct.key" --in "$SCRATCH/rnd-$opt.der"
	cp "$OUT" "$SCRATCH/rnd-$opt.out"
	mime_body "$SCRATCH/rnd-$opt.out" | b64_decode >"$SCRATCH/rnd-$opt.dec" 2>/dev/null
	assert_same_file "$SCRATCH/rnd-$opt.dec" "$SCRATCH/rnd" "5000 random bytes with --cipher $opt"
done
expect_fail 1 "$XE2E" encrypt --recip "$PKI/direct.pem" --cipher aes512 --in "$SCRATCH/msg.txt"
expect_fail 1 "$XE2E" encrypt --recip "$PKI/direct.pem" --cipher rc2 --in "$SCRATCH/msg.txt"
exit 0
