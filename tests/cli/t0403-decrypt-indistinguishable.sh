#!/bin/bash
# t0403-decrypt-indistinguishable: RFC 3218 -- a wrong key, a corrupted
# encryptedKey and a corrupted ciphertext/padding all fail the same way:
# exit 5, stdout empty, stderr exactly "xe2e decrypt: decryption failed",
# with --cert+--key and with --key only.
#
# CBC has no integrity: a changed byte in the middle of the ciphertext that
# leaves the padding intact cannot be detected (only a signature can); that
# case must exit 0 with different output, or fail exactly like the others.
# The padding is broken deterministically by changing the block before the
# last one, and for the last block itself the test recovers the CEK with
# openssl and picks a change that is known to give invalid padding.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

command -v perl >/dev/null 2>&1 || skip "perl is missing"
WANT="xe2e decrypt: decryption failed"
printf '%s\n' "$WANT" >"$SCRATCH/want.err"
{ printf 'Content-Type: text/plain\n\n'; i=0; while [ $i -lt 40 ]; do
	printf 'line %02d of a message that spans many cipher blocks\n' $i; i=$((i + 1)); done; } \
	>"$SCRATCH/msg.txt"
to_crlf <"$SCRATCH/msg.txt" >"$SCRATCH/msg.crlf"

# asn1 FILE -- openssl asn1parse of FILE, one line per element as
# "offset header-length length rest"
asn1() {
	openssl asn1parse -inform DER -in "$1" 2>/dev/null |
		perl -ne 'print "$1 $2 $3 $4\n" if /^\s*(\d+):d=\d+\s+hl=(\d+)\s+l=\s*(\d+|inf)\s+(.*)$/'
}
# enckey_span FILE [N] -- "start length" of the value of the Nth encryptedKey
# (the OCTET STRING after the Nth rsaEncryption AlgorithmIdentifier)
enckey_span() {
	asn1 "$1" | awk -v want="${2:-1}" '
		/:rsaEncryption/ { n++; f = (n == want); next }
		f && /prim: OCTET STRING/ { print $1 + $2, $3; exit }'
}
# content_span FILE -- "start length" of the encryptedContent ([0] IMPLICIT,
# primitive, as in DER)
content_span() {
	asn1 "$1" | awk '/prim: cont \[ 0 \]/ { print $1 + $2, $3; exit }'
}
# iv_hex FILE -- the CBC IV (the OCTET STRING after the cipher OID)
iv_hex() {
	openssl asn1parse -inform DER -in "$1" 2>/dev/null |
		awk '/:(aes-[0-9]+-cbc|des-ede3-cbc)/ { f = 1; next }
			f && /prim: OCTET STRING/ { sub(/.*\[HEX DUMP\]:/, ""); print tolower($0); exit }'
}
# xor_byte FILE OFFSET MASK -- FILE[OFFSET] ^= MASK, in place
xor_byte() {
	perl -e 'open(my $f, "+<:raw", $ARGV[0]) or die; seek($f, $ARGV[1], 0) or die;
		read($f, my $b, 1) == 1 or die; seek($f, $ARGV[1], 0) or die;
		print $f chr(ord($b) ^ $ARGV[2]); close $f or die' "$1" "$2" "$3" ||
		hard_error "xor_byte $*"
}
# hex_at FILE OFFSET LEN -- bytes as lower-case hex
hex_at() {
	od -An -tx1 -v -j "$2" -N "$3" "$1" | tr -d ' \n'
}

# must_fail_same FILE WHAT -- decrypt FILE as direct, with --key and with
# --cert+--key: both exit 5 with exactly $WANT
must_fail_same() {
	expect_fail 5 "$XE2E" decrypt --key "$PKI/direct.key" --in "$1"
	cmp -s "$ERR" "$SCRATCH/want.err" || fail "$2 (--key): stderr '$(cat "$ERR")', expected '$WANT'"
	expect_fail 5 "$XE2E" decrypt --key "$PKI/direct.key" --cert "$PKI/direct.pem" --in "$1"
	cmp -s "$ERR" "$SCRATCH/want.err" || fail "$2 (--cert --key): stderr '$(cat "$ERR")', expected '$WANT'"
	expect_fail 5 "$XE2E" decrypt --key "$PKI/direct.key" --stream <"$1"
	cmp -s "$ERR" "$SCRATCH/want.err" || fail "$2 (--stream, stdin): stderr '$(cat "$ERR")', expected '$WANT'"
}

for cipher in aes128:16 des3:8 aes256:16; do
	bs=${cipher#*:}
	cipher=${cipher%%:*}
	expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --cipher $cipher --no-stream --outform der \
		--in "$SCRATCH/msg.txt"
	M=$SCRATCH/$cipher.der
	cp "$OUT" "$M"
	expect_exit 0 "$XE2E" decrypt --key "$PKI/direct.key" --in "$M"
	assert_same_file "$OUT" "$SCRATCH/msg.crlf" "intact $cipher message"

	set -- $(enckey_span "$M")
	[ $# = 2 ] && [ "$2" -ge 128 ] || hard_error "encryptedKey not found in $M"
	ek_start=$1 ek_len=$2
	set -- $(content_span "$M")
	[ $# = 2 ] && [ "$2" -ge $((3 * bs)) ] && [ $(($2 % bs)) = 0 ] ||
		hard_error "encryptedContent not found in $M ($*)"
	ct_start=$1 ct_len=$2
	[ "$(hex_at "$M" $((ek_start - 4)) 4)" = 04820100 ] ||
		hard_error "encryptedKey at $ek_start is not a 256-byte OCTET STRING"

	# wrong key
	expect_fail 5 "$XE2E" decrypt --key "$PKI/signer.key" --in "$M"
	cmp -s "$ERR" "$SCRATCH/want.err" || fail "wrong key: stderr '$(cat "$ERR")'"

	# one byte of the encryptedKey (middle, first, last)
	for pos in $((ek_start + ek_len / 2)) $ek_start $((ek_start + ek_len - 1)); do
		cp "$M" "$SCRATCH/ek.der"
		xor_byte "$SCRATCH/ek.der" $pos 1
		must_fail_same "$SCRATCH/ek.der" "$cipher: encryptedKey byte $((pos - ek_start)) changed"
	done

	# the padding: change the last plaintext byte through the block before
	# the last one (p ^ 0xff is never a valid pad length)
	cp "$M" "$SCRATCH/pad.der"
	xor_byte "$SCRATCH/pad.der" $((ct_start + ct_len - bs - 1)) 255
	must_fail_same "$SCRATCH/pad.der" "$cipher: padding byte changed"

	# the last ciphertext block: with the CEK, find a change that makes the
	# padding invalid (almost every change does)
	if [ $cipher = aes128 ]; then
		head -c $((ek_start + ek_len)) "$M" | tail -c $ek_len >"$SCRATCH/ek.bin"
		openssl pkeyutl -decrypt -inkey "$PKI/direct.key" -in "$SCRATCH/ek.bin" \
			-out "$SCRATCH/cek.bin" 2>/dev/null || hard_error "openssl pkeyutl cannot unwrap the CEK"
		[ "$(wc -c <"$SCRATCH/cek.bin")" = 16 ] || hard_error "CEK is not 16 bytes"
		cek=$(od -An -tx1 -v "$SCRATCH/cek.bin" | tr -d ' \n')
		prev=$(hex_at "$M" $((ct_start + ct_len - 2 * bs)) $bs)
		last_off=$((ct_start + ct_len - bs))
		found=
		for mask in 1 2 4 8 16 32 64 128 3 5 7 9; do
			cp "$M" "$SCRATCH/last.der"
			xor_byte "$SCRATCH/last.der" $((last_off + 5)) $mask
			tail -c +$((last_off + 1)) "$SCRATCH/last.der" | head -c $bs >"$SCRATCH/lastblk"
			openssl enc -d -aes-128-cbc -nopad -K "$cek" -iv "$prev" -in "$SCRATCH/lastblk" \
				-out "$SCRATCH/lastpt" 2>/dev/null || hard_error "openssl enc -d"
			if ! perl -0777 -ne '$p = ord(substr($_, -1)); exit(($p >= 1 && $p <= 16 &&
				substr($_, -$p) eq chr($p) x $p) ? 0 : 1)' "$SCRATCH/lastpt"; then
				found=1
				break
			fi
		done
		[ -n "$found" ] || hard_error "no change of the last block gave invalid padding"
		must_fail_same "$SCRATCH/last.der" "$cipher: last ciphertext block changed"
		# sanity: the unchanged last block has valid padding under that CEK
		tail -c +$((last_off + 1)) "$M" | head -c $bs >"$SCRATCH/lastblk"
		openssl enc -d -aes-128-cbc -K "$cek" -iv "$prev" -in "$SCRATCH/lastblk" \
			-out /dev/null 2>/dev/null || hard_error "recovered CEK does not decrypt the message"
	fi

	# a byte in the middle of the ciphertext: undetectable by CBC; either the
	# content comes out different (exit 0) or it fails exactly as above
	cp "$M" "$SCRATCH/mid.der"
	xor_byte "$SCRATCH/mid.der" $((ct_start + ct_len / 2)) 1
	for c in "" "--cert $PKI/direct.pem"; do
		LAST_CMD="xe2e decrypt --key direct.key $c (middle byte changed)"
		"$XE2E" decrypt --key "$PKI/direct.key" $c --in "$SCRATCH/mid.der" >"$OUT" 2>"$ERR"
		rc=$?
		case $rc in
		0)	cmp -s "$OUT" "$SCRATCH/msg.crlf" && fail "$cipher: changed ciphertext gave the original content"
			[ -s "$ERR" ] && fail "$LAST_CMD: exit 0 with stderr '$(cat "$ERR")'" ;;
		5)	assert_empty_stdout
			cmp -s "$ERR" "$SCRATCH/want.err" || fail "$cipher: middle byte: stderr '$(cat "$ERR")'" ;;
		*)	fail "$LAST_CMD: exit $rc ($(cat "$ERR")), expected 0 (undetectable) or 5" ;;
		esac
	done
done

# several recipients: a corrupted encryptedKey of one recipient does not
# stop the other; for the one whose key is broken it is the same failure
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --recip "$PKI/signer.pem" --no-stream \
	--outform der --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/two.der"
set -- $(enckey_span "$SCRATCH/two.der" 1)
[ $# = 2 ] || hard_error "first encryptedKey not found"
cp "$SCRATCH/two.der" "$SCRATCH/two-ek.der"
xor_byte "$SCRATCH/two-ek.der" $(($1 + $2 / 2)) 128
# which recipient is first? try both keys; exactly one must be broken
ok=0 bad=0
for r in direct signer; do
	"$XE2E" decrypt --key "$PKI/$r.key" --in "$SCRATCH/two-ek.der" >"$OUT" 2>"$ERR"
	rc=$?
	if [ $rc = 0 ]; then
		assert_same_file "$OUT" "$SCRATCH/msg.crlf" "intact recipient $r"
		ok=$((ok + 1))
	else
		[ $rc = 5 ] || fail "broken recipient $r: exit $rc"
		LAST_CMD="decrypt --key $r.key (its encryptedKey broken)"
		assert_empty_stdout
		cmp -s "$ERR" "$SCRATCH/want.err" || fail "broken recipient $r: stderr '$(cat "$ERR")'"
		"$XE2E" decrypt --key "$PKI/$r.key" --cert "$PKI/$r.pem" --in "$SCRATCH/two-ek.der" \
			>"$OUT" 2>"$ERR"
		[ $? = 5 ] && [ ! -s "$OUT" ] && cmp -s "$ERR" "$SCRATCH/want.err" ||
			fail "broken recipient $r with --cert: not the same failure: $(cat "$ERR")"
		bad=$((bad + 1))
	fi
done
[ $ok = 1 ] && [ $bad = 1 ] || fail "expected one working and one broken recipient ($ok/$bad)"
exit 0
