#!/bin/bash
# t0311-encrypt-stream-large: 100 MiB through
#   head -c ... | xe2e encrypt | xe2e decrypt
# in constant memory: each xe2e process peaks under 32 MiB RSS (measured
# with /usr/bin/time -f %M), and the output has the right length and hash.
# Also 100 MiB through decrypt --out (content held in a temporary file).
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

[ -x /usr/bin/time ] || skip "/usr/bin/time is missing"
/usr/bin/time -f %M -o "$SCRATCH/probe" true 2>/dev/null && [ -s "$SCRATCH/probe" ] ||
	skip "/usr/bin/time does not support -f %M -o"
command -v sha256sum >/dev/null 2>&1 || skip "sha256sum is missing"

SIZE=104857600
LIMIT_KB=32768
HDR='Content-Type: text/plain\r\n\r\n'

# expected output: the entity xe2e makes for --content-type text/plain (no
# line ends in the input, so nothing to canonicalize)
want_len=$(($(printf "$HDR" | wc -c) + SIZE))
want_sum=$({ printf "$HDR"; head -c $SIZE /dev/zero; } | sha256sum | cut -d' ' -f1)
# sanity for the header assumption, on a small input
head -c 100 /dev/zero | "$XE2E" encrypt --recip "$PKI/direct.pem" --content-type text/plain 2>"$ERR" |
	"$XE2E" decrypt --key "$PKI/direct.key" >"$SCRATCH/small" 2>>"$ERR" ||
	fail "small pipeline failed: $(cat "$ERR")"
{ printf "$HDR"; head -c 100 /dev/zero; } | cmp -s - "$SCRATCH/small" ||
	fail "small pipeline output is not '$HDR' + the input: $(head -c 80 "$SCRATCH/small" | cat -v)"

# check_rss FILE WHAT -- FILE holds /usr/bin/time's %M (KB)
check_rss() {
	local kb
	kb=$(tail -n 1 "$1" | tr -d ' ')
	case $kb in
	''|*[!0-9]*) fail "$2: no RSS measurement: $(cat "$1")" ;;
	esac
	note "$2: peak RSS ${kb} KB"
	[ "$kb" -lt $LIMIT_KB ] || fail "$2: peak RSS ${kb} KB, limit $LIMIT_KB KB"
}

LAST_CMD="100 MiB pipeline"
head -c $SIZE /dev/zero |
	/usr/bin/time -f %M -o "$SCRATCH/rss-enc" "$XE2E" encrypt --recip "$PKI/direct.pem" \
		--content-type text/plain 2>"$SCRATCH/err-enc" |
	/usr/bin/time -f %M -o "$SCRATCH/rss-dec" "$XE2E" decrypt --key "$PKI/direct.key" \
		2>"$SCRATCH/err-dec" |
	tee >(wc -c >"$SCRATCH/len") | sha256sum | cut -d' ' -f1 >"$SCRATCH/sum"
rcs=("${PIPESTATUS[@]}")
[ "${rcs[1]}" = 0 ] || fail "encrypt exited ${rcs[1]}: $(cat "$SCRATCH/err-enc")"
[ "${rcs[2]}" = 0 ] || fail "decrypt exited ${rcs[2]}: $(cat "$SCRATCH/err-dec")"
[ -s "$SCRATCH/err-enc" ] && fail "encrypt wrote to stderr: $(cat "$SCRATCH/err-enc")"
[ -s "$SCRATCH/err-dec" ] && fail "decrypt wrote to stderr: $(cat "$SCRATCH/err-dec")"
check_rss "$SCRATCH/rss-enc" "encrypt (pipe)"
check_rss "$SCRATCH/rss-dec" "decrypt (pipe)"
for i in 1 2 3 4 5 6 7 8 9 10; do	# tee's process substitution may lag
	[ -s "$SCRATCH/len" ] && break
	sleep 0.2
done
[ "$(tr -d ' ' <"$SCRATCH/len")" = "$want_len" ] ||
	fail "output length $(cat "$SCRATCH/len"), expected $want_len"
[ "$(cat "$SCRATCH/sum")" = "$want_sum" ] || fail "output hash differs"

# DER with aes256 through a pipe, decrypted to --out (atomic, via a temporary
# file)
head -c $SIZE /dev/zero |
	/usr/bin/time -f %M -o "$SCRATCH/rss-enc2" "$XE2E" encrypt --recip "$PKI/direct.pem" \
		--content-type text/plain --cipher aes256 --outform der 2>"$SCRATCH/err-enc" |
	/usr/bin/time -f %M -o "$SCRATCH/rss-dec2" "$XE2E" decrypt --key "$PKI/direct.key" \
		--cert "$PKI/direct.pem" --out "$SCRATCH/big.out" 2>"$SCRATCH/err-dec"
rcs=("${PIPESTATUS[@]}")
[ "${rcs[1]}" = 0 ] || fail "encrypt (der, aes256) exited ${rcs[1]}: $(cat "$SCRATCH/err-enc")"
[ "${rcs[2]}" = 0 ] || fail "decrypt --out exited ${rcs[2]}: $(cat "$SCRATCH/err-dec")"
check_rss "$SCRATCH/rss-enc2" "encrypt (der, aes256)"
check_rss "$SCRATCH/rss-dec2" "decrypt --out"
[ "$(wc -c <"$SCRATCH/big.out" | tr -d ' ')" = "$want_len" ] ||
	fail "decrypt --out length $(wc -c <"$SCRATCH/big.out"), expected $want_len"
[ "$(sha256sum <"$SCRATCH/big.out" | cut -d' ' -f1)" = "$want_sum" ] || fail "decrypt --out hash differs"
rm -f "$SCRATCH/big.out"

# a regular file over 16 MiB streams by default (BER, constant memory)
head -c $((17 * 1048576)) /dev/zero >"$SCRATCH/17m" || hard_error "making a 17 MiB file"
/usr/bin/time -f %M -o "$SCRATCH/rss-enc3" "$XE2E" encrypt --recip "$PKI/direct.pem" \
	--content-type application/octet-stream --outform der --in "$SCRATCH/17m" \
	--out "$SCRATCH/17m.der" 2>"$SCRATCH/err-enc" ||
	fail "encrypt of a 17 MiB file failed: $(cat "$SCRATCH/err-enc")"
check_rss "$SCRATCH/rss-enc3" "encrypt (17 MiB regular file)"
[ "$(od -An -tx1 -N2 "$SCRATCH/17m.der" | tr -d ' \n')" = 3080 ] ||
	fail "17 MiB regular file: output is not indefinite-length BER"
/usr/bin/time -f %M -o "$SCRATCH/rss-dec3" "$XE2E" decrypt --key "$PKI/direct.key" \
	--in "$SCRATCH/17m.der" 2>"$SCRATCH/err-dec" >"$SCRATCH/17m.out" ||
	fail "decrypt of the 17 MiB message failed: $(cat "$SCRATCH/err-dec")"
check_rss "$SCRATCH/rss-dec3" "decrypt (17 MiB regular file)"
mime_header "$SCRATCH/17m.out" Content-Type | grep -qi '^application/octet-stream' ||
	fail "17 MiB: wrong entity"
[ "$(mime_body "$SCRATCH/17m.out" | b64_decode | sha256sum | cut -d' ' -f1)" = \
	"$(sha256sum <"$SCRATCH/17m" | cut -d' ' -f1)" ] || fail "17 MiB: content differs"
exit 0
