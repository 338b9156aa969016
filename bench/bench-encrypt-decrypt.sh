#!/bin/bash
# bench/bench-encrypt-decrypt.sh - `xe2e encrypt` / `xe2e decrypt` next to `openssl cms
# -encrypt` / `-decrypt`, in the same run:
#   1. per process, 1 KiB entity: median wall time of each command (ITER interleaved
#      iterations), ratio xe2e/openssl;
#   2. streamed, BENCH_SIZE_MB MiB entity (default 1024 = 1 GiB, binary CTE, zeros) through
#      pipes: throughput (MB/s, 10^6 octets of entity per second) and peak RSS of each tool;
#      xe2e's encryption throughput as a fraction of Nettle's raw cbc_aes128_encrypt speed,
#      measured here by bench/nettle-aes-cbc.c (compiled on the fly).
#
# Usage:  [XE2E=path/to/xe2e] [ITER=200] [BENCH_SIZE_MB=1024] [CC=cc]
#         bash bench/bench-encrypt-decrypt.sh
# ITER=0 skips part 1, BENCH_SIZE_MB=0 skips part 2.
# Not a test and never a pass/fail gate: exits 0 after printing, non-zero only when it
# cannot run (no xe2e binary, no openssl, a tool fails on its first try). Needs about
# 3 x BENCH_SIZE_MB of free space under ${TMPDIR:-/tmp}. See bench/README.md.

. "$(cd -- "$(dirname -- "$0")" && pwd)/lib.sh" || exit 1
SIZE_MB=${BENCH_SIZE_MB:-1024}
CC=${CC:-cc}
HERE=$(cd -- "$(dirname -- "$0")" && pwd)
bench_init bench-encrypt-decrypt
case $SIZE_MB in '' | *[!0-9]*) die "BENCH_SIZE_MB must be a non-negative integer (MiB)" ;; esac
TIME=
if [ -x /usr/bin/time ] && /usr/bin/time -f %M -o /dev/stdout true >/dev/null 2>&1; then
	TIME=/usr/bin/time
fi
bench_pki "keyEncipherment" "Bench Recipient"
bench_message

echo "xe2e:    $XE2E"
echo "openssl: $(openssl version)"
echo "machine: $(nproc 2>/dev/null || echo '?') CPUs, $(uname -m), $(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)"
[ "$NOW_FORKS" = yes ] && echo "note: no EPOCHREALTIME, timing forks date(1) (adds a constant)"

# === 1. per process, 1 KiB ===============================================================
# Both encryptors write to stdout redirected to a file (xe2e's --out would add an fsync).
# Both decryptors read the same message, the one xe2e encrypt wrote (checked first).
x_enc() { "$XE2E" encrypt --recip ee.pem --in msg.txt >x.msg; }
o_enc() { openssl cms -encrypt -aes128 -in msg.txt -out o.msg ee.pem; }
x_dec() { "$XE2E" decrypt --key ee.key --cert ee.pem --in d.msg; }
o_dec() { openssl cms -decrypt -inkey ee.key -recip ee.pem -in d.msg; }
floor() { /bin/true; }

PP_DONE=no
if [ "$ITER" -gt 0 ]; then
	x_enc 2>err.log || { cat err.log >&2; die "xe2e encrypt failed"; }
	o_enc 2>err.log || { cat err.log >&2; die "openssl cms -encrypt failed"; }
	cp x.msg d.msg
	o_dec >dec.o 2>err.log || { cat err.log >&2; die "openssl cannot decrypt what xe2e encrypted (run tests/interop)"; }
	x_dec >dec.x 2>err.log || { cat err.log >&2; die "xe2e decrypt failed on its own message"; }
	cmp -s dec.x msg.txt && cmp -s dec.o msg.txt || die "decrypted content differs from the entity"

	echo
	echo "[1/2] per process: 1024-byte entity, RSA-2048 recipient, AES-128-CBC, S/MIME;"
	echo "      $ITER iterations per command, interleaved (order alternates each iteration)"
	bench_loop "x_enc o_enc x_dec o_dec floor" "o_enc x_enc o_dec x_dec floor"
	PP_DONE=yes
fi

# === 2. streamed, BENCH_SIZE_MB MiB ======================================================
ST_DONE=no
HDR='Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n'
HDR_LEN=$(printf "$HDR" | wc -c)
BODY=$((SIZE_MB * 1024 * 1024))
ENT=$((HDR_LEN + BODY))
gen() { printf "$HDR"; head -c "$BODY" /dev/zero; }

# run_big NAME PIPELINE-FN: time PIPELINE-FN (pipefail), seconds in $secs; the peak
# RSS (KiB, /usr/bin/time -f %M) of the tool goes to the file the FN names.
run_big() {
	local a b
	a=$(now)
	(set -o pipefail; "$2") 2>"$1.err" || { cat "$1.err" >&2; die "$1 failed"; }
	b=$(now)
	secs=$(awk -v d=$((b - a)) 'BEGIN { printf "%.3f", d / 1e6 }')
	echo "$secs" >"$1.secs"
}
timed() {	# timed RSSFILE CMD...: run CMD under /usr/bin/time when it is there
	local f=$1
	shift
	if [ -n "$TIME" ]; then
		"$TIME" -f %M -o "$f" "$@"
	else
		echo "n/a" >"$f"
		"$@"
	fi
}
# Timed runs write into a pipe (counted by wc), not to disk: on a machine with less free
# memory than the output, page-cache writeback would set the pace, not the tool.
big_x_enc() { gen | timed x_enc.rss "$XE2E" encrypt --recip ee.pem --stream --outform der | wc -c >x_enc.n; }
big_o_enc() { gen | timed o_enc.rss openssl cms -encrypt -aes128 -binary -stream -outform DER ee.pem | wc -c >o_enc.n; }
# the input of both decryptors, made once, not timed
make_xber() { gen | "$XE2E" encrypt --recip ee.pem --stream --outform der >x.ber; }
# both decrypt x.ber (what xe2e wrote); the content is counted, not stored
big_x_dec() { cat x.ber | timed x_dec.rss "$XE2E" decrypt --key ee.key --stream | wc -c >x_dec.n; }
big_o_dec() { cat x.ber | timed o_dec.rss openssl cms -decrypt -inform DER -binary -inkey ee.key | wc -c >o_dec.n; }

NETTLE=n/a
if [ "$SIZE_MB" -gt 0 ]; then
	echo
	echo "[2/2] streamed: $SIZE_MB MiB entity (binary CTE, zeros; $ENT octets) through pipes,"
	echo "      AES-128-CBC, indefinite-length BER; both decryptors read xe2e's output"
	[ -n "$TIME" ] || echo "note: no GNU /usr/bin/time: peak RSS not measured"
	# a small round trip first, so a broken tool fails here and not after a minute
	SAVE=$BODY
	BODY=4096
	run_big probe-x make_xber
	run_big probe-dx big_x_dec
	run_big probe-do big_o_dec
	[ "$(tr -d ' ' <x_dec.n)" = $((HDR_LEN + 4096)) ] && [ "$(tr -d ' ' <o_dec.n)" = $((HDR_LEN + 4096)) ] ||
		die "small streamed round trip lost content (xe2e $(cat x_dec.n), openssl $(cat o_dec.n))"
	BODY=$SAVE

	run_big x_enc big_x_enc
	run_big o_enc big_o_enc
	for t in x_enc o_enc; do
		n=$(tr -d ' ' <"$t.n")
		[ "$n" -gt "$ENT" ] || die "$t wrote only $n octets for $ENT octets of content"
	done
	run_big make-xber make_xber
	run_big x_dec big_x_dec
	run_big o_dec big_o_dec
	for t in x_dec o_dec; do
		n=$(tr -d ' ' <"$t.n")
		[ "$n" = "$ENT" ] || die "$t gave $n octets of content, want $ENT"
	done
	rm -f x.ber
	ST_DONE=yes

	# Nettle's raw AES-128-CBC speed, same machine, same run
	if command -v pkg-config >/dev/null 2>&1 &&
		$CC -O2 -o nettle-aes-cbc "$HERE/nettle-aes-cbc.c" $(pkg-config --cflags --libs nettle) \
			>cc.log 2>&1; then
		NETTLE=$(./nettle-aes-cbc -m 64 5) || NETTLE=n/a
	else
		echo "note: cannot compile bench/nettle-aes-cbc.c with $CC and pkg-config nettle: $(head -c 200 cc.log 2>/dev/null)"
	fi
fi

# === summary =============================================================================
echo
echo "================================ summary ================================"
if [ "$PP_DONE" = yes ]; then
	printf '%-18s %10s %10s %10s\n' "per process" "median ms" "p10 ms" "p90 ms"
	for f in x_enc o_enc x_dec o_dec floor; do
		case $f in
		x_enc) label="xe2e encrypt" ;; o_enc) label="openssl encrypt" ;;
		x_dec) label="xe2e decrypt" ;; o_dec) label="openssl decrypt" ;;
		floor) label="/bin/true" ;;
		esac
		printf '%-18s %10s %10s %10s\n' "$label" "$(ms "$(q "$f.t" 0.5)")" \
			"$(ms "$(q "$f.t" 0.1)")" "$(ms "$(q "$f.t" 0.9)")"
	done
	for op in enc dec; do
		[ $op = enc ] && name=encrypt || name=decrypt
		r=$(div "$(q "x_$op.t" 0.5)" "$(q "o_$op.t" 0.5)")
		pr=$(awk -v r="$(pratio "x_$op.t" "o_$op.t")" 'BEGIN { printf "%.2f", r }')
		printf 'ratio xe2e/openssl %-8s  median-of-times %s   median-of-paired-ratios %s\n' "$name" "$r" "$pr"
	done
	echo
fi
if [ "$ST_DONE" = yes ]; then
	printf '%-18s %10s %10s %14s\n' "streamed ${SIZE_MB} MiB" "seconds" "MB/s" "peak RSS MiB"
	for t in x_enc o_enc x_dec o_dec; do
		case $t in
		x_enc) label="xe2e encrypt" ;; o_enc) label="openssl encrypt" ;;
		x_dec) label="xe2e decrypt" ;; o_dec) label="openssl decrypt" ;;
		esac
		s=$(cat "$t.secs")
		mbs=$(awk -v n="$ENT" -v s="$s" 'BEGIN { if (s > 0) printf "%.0f", n / s / 1e6; else print "n/a" }')
		echo "$mbs" >"$t.mbs"
		rss=$(awk '{ v = $1 } END { if (v ~ /^[0-9]+$/) printf "%.1f", v / 1024; else print "n/a" }' "$t.rss")
		printf '%-18s %10s %10s %14s\n' "$label" "$s" "$mbs" "$rss"
	done
	printf '%-18s %10s %10s\n' "nettle raw CBC" "" "$NETTLE"
	echo
	printf 'throughput xe2e/openssl      encrypt %s   decrypt %s\n' \
		"$(div "$(cat x_enc.mbs)" "$(cat o_enc.mbs)")" "$(div "$(cat x_dec.mbs)" "$(cat o_dec.mbs)")"
	printf 'xe2e encrypt / nettle raw cbc_aes128_encrypt   %s   (1.00 = at the cipher'"'"'s speed)\n' \
		"$(div "$(cat x_enc.mbs)" "$NETTLE")"
fi
exit 0
