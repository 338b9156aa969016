#!/bin/bash
# bench/xmpp-stream.sh - BENCH_STANZAS (default 1000) message stanzas through
# `xe2e wrap --stream` (sign + encrypt) and `xe2e unwrap --stream` (decrypt + verify),
# each direction in one process, as a ratio to the raw GnuTLS RSA-2048 private-key
# operation rate measured in the same run by bench/gnutls-rsa-rate.c (compiled on the
# fly): stanzas/s of wrap / raw sign ops/s, stanzas/s of unwrap / raw decrypt ops/s.
# 1.00 = every stanza costs exactly one private-key operation and nothing else.
#
# Usage:  [XE2E=path/to/xe2e] [BENCH_STANZAS=1000] [REPS=5] [PKI=dir] [CC=cc]
#         bash bench/xmpp-stream.sh
# REPS rounds, each: raw sign rate, wrap, raw decrypt rate, unwrap, then the same two
# stream runs with the state directory on /dev/shm (tmpfs: fsync and rename cost
# nothing there), so that the share of the per-stanza state update shows. Medians.
# PKI: a directory made by tests/gen-pki.sh (default: made here, ~15 s).
# Not a test and never a pass/fail gate: exits 0 after printing, non-zero only when it
# cannot run. See bench/README.md.

. "$(cd -- "$(dirname -- "$0")" && pwd)/lib.sh" || exit 1
HERE=$(cd -- "$(dirname -- "$0")" && pwd)
CC=${CC:-cc}
N=${BENCH_STANZAS:-1000}
REPS=${REPS:-5}
case $N in '' | *[!0-9]* | 0) echo "BENCH_STANZAS must be a positive integer" >&2; exit 1 ;; esac
case $REPS in '' | *[!0-9]* | 0) echo "REPS must be a positive integer" >&2; exit 1 ;; esac
PKI_IN=${PKI:-}
[ -n "$PKI_IN" ] && { PKI_IN=$(cd -- "$PKI_IN" && pwd) || exit 1; }
bench_init xmpp-stream

if [ -n "$PKI_IN" ]; then
	P=$PKI_IN
else
	P=$T/pki
	bash "$HERE/../tests/gen-pki.sh" "$P" >pki.log 2>&1 || { tail -5 pki.log >&2; die "tests/gen-pki.sh failed"; }
fi
for f in signer.pem signer.key inter.pem romeo.pem romeo.key ca.pem; do
	[ -r "$P/$f" ] || die "no $P/$f (make it with tests/gen-pki.sh)"
done
command -v pkg-config >/dev/null 2>&1 || die "pkg-config not found (needed for the raw GnuTLS probe)"
$CC -O2 -o rsa-rate "$HERE/gnutls-rsa-rate.c" $(pkg-config --cflags --libs gnutls) >cc.log 2>&1 ||
	{ cat cc.log >&2; die "cannot compile bench/gnutls-rsa-rate.c"; }

# N chat messages from juliet to romeo, ~60-octet bodies, one stanza a line
awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++)
	printf "<message to=\"romeo@example.net/orchard\" from=\"juliet@example.com/balcony\" type=\"chat\" id=\"m%d\"><body>message %d: but soft, what light through yonder window breaks</body></message>\n", i, i }' >in.xml

# What a careful user passes: the signer's chain once (--chain), every stanza carrying
# it (--certs always: each stanza verifies on its own, the receiver's worst case);
# the receiver names its certificate (--cert) so that only its RecipientInfo is tried.
WRAP=(wrap --stream -q --cert "$P/signer.pem" --key "$P/signer.key" --chain "$P/inter.pem"
	--certs always --recip "$P/romeo.pem")
UNWRAP=(unwrap --stream -q --key "$P/romeo.key" --cert "$P/romeo.pem" --ca "$P/ca.pem")
# per-process CPU time, when /usr/bin/time can write it to a file
TIME=
if [ -x /usr/bin/time ] && /usr/bin/time -f '%U %S' -o /dev/null true 2>/dev/null; then
	TIME=/usr/bin/time
fi
SHM=
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	SHM=$(mktemp -d /dev/shm/xe2e-bench.XXXXXX) || SHM=
	[ -n "$SHM" ] && trap 'rm -rf -- "$T" "$SHM"' EXIT
fi

# run_stream NAME STATEDIR IN OUT ARGS...: one process over the whole input; the
# stanzas per second go to NAME.r (one line per round)
run_stream() {
	local name=$1 st=$2 in=$3 out=$4 a b
	shift 4
	rm -rf -- "$st"
	a=$(now)
	if [ -n "$TIME" ]; then
		XE2E_STATE_DIR=$st "$TIME" -f '%U %S' -o "$name.cpu" "$XE2E" "$@" -i "$in" >"$out" 2>"$name.err"
	else
		XE2E_STATE_DIR=$st "$XE2E" "$@" -i "$in" >"$out" 2>"$name.err"
	fi || { head -c 600 "$name.err" >&2; die "$name failed (exit $?)"; }
	b=$(now)
	awk -v n="$N" -v d=$((b - a)) 'BEGIN { printf "%.1f\n", n / (d / 1e6) }' >>"$name.r"
	# stanzas per second of the process's own CPU time (user + sys)
	[ -n "$TIME" ] && awk -v n="$N" '{ c = $1 + $2 } END { printf "%.1f\n", (c > 0 ? n / c : 0) }' \
		"$name.cpu" >>"$name.c"
}
raw() {	# raw sign|decrypt: the median of 3 rounds of 300 ms
	local k=signer v
	[ "$1" = decrypt ] && k=romeo
	v=$(./rsa-rate "$1" "$P/$k.key" "$P/$k.pem" 3 300) || die "the raw GnuTLS probe failed"
	set -- $v
	echo "$2" >>"raw_$1.r"
	echo "$3" >>"raw_$1.c"
}
med() { sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "xe2e:      $XE2E"
echo "gnutls:    $(pkg-config --modversion gnutls), nettle $(pkg-config --modversion nettle)"
echo "machine:   $(nproc 2>/dev/null || echo '?') CPUs, $(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null), load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo "stanzas:   $N chat messages (~60-octet body) per process, $REPS rounds, medians"
echo "wrap:      xe2e ${WRAP[*]##*/}"
echo "unwrap:    xe2e ${UNWRAP[*]##*/}"
[ "$NOW_FORKS" = yes ] && echo "note: no EPOCHREALTIME, timing forks date(1)"

for f in raw_sign raw_decrypt wrap unwrap wrap_shm unwrap_shm; do : >"$f.r"; : >"$f.c"; done
r=0
while [ "$r" -lt "$REPS" ]; do
	raw sign
	run_stream wrap "$T/state-w" in.xml w.xml "${WRAP[@]}"
	raw decrypt
	run_stream unwrap "$T/state-u" w.xml u.xml "${UNWRAP[@]}"
	if [ -n "$SHM" ]; then
		run_stream wrap_shm "$SHM/w" in.xml w2.xml "${WRAP[@]}"
		run_stream unwrap_shm "$SHM/u" w2.xml u2.xml "${UNWRAP[@]}"
	fi
	r=$((r + 1))
done
# the last round's output: every stanza wrapped, and back as it was
[ "$(grep -o "<e2e xmlns=" w.xml | wc -l)" -eq "$N" ] || die "wrap did not write $N <e2e/> stanzas"
[ "$(grep -o "<body>message [0-9]*: but soft" u.xml | wc -l)" -eq "$N" ] || die "unwrap did not give back $N bodies"

printf '\n%-34s %12s %12s %12s\n' "per second (median of $REPS)" median min max
for f in raw_sign raw_decrypt wrap unwrap wrap_shm unwrap_shm; do
	[ -s "$f.r" ] || continue
	case $f in
	raw_sign) l="GnuTLS RSA-2048 sign (raw)" ;; raw_decrypt) l="GnuTLS RSA-2048 decrypt (raw)" ;;
	wrap) l="wrap --stream, stanzas" ;; unwrap) l="unwrap --stream, stanzas" ;;
	wrap_shm) l="wrap, state on /dev/shm" ;; unwrap_shm) l="unwrap, state on /dev/shm" ;;
	esac
	printf '%-34s %12s %12s %12s\n' "$l" "$(med "$f.r")" "$(sort -g "$f.r" | head -1)" "$(sort -g "$f.r" | tail -1)"
done
echo
# ratio of the medians, and the median of the per-round ratios (each stream run next
# to the raw rate measured just before it)
ratio() {	# ratio LABEL A B [r|c]: wall-clock (r, default) or CPU-time (c) rates
	local x=${4:-r}
	paste "$2.$x" "$3.$x" | awk '$2 > 0 { print $1 / $2 }' >p.r
	printf '%-30s median-of-rates %s   median-of-paired-ratios %.2f\n' "$1" \
		"$(div "$(med "$2.$x")" "$(med "$3.$x")")" "$(med p.r)"
}
ratio "wrap / raw sign" wrap raw_sign
ratio "unwrap / raw decrypt" unwrap raw_decrypt
if [ -s wrap_shm.r ]; then
	ratio "wrap (tmpfs state) / sign" wrap_shm raw_sign
	ratio "unwrap (tmpfs state) / decrypt" unwrap_shm raw_decrypt
fi
if [ -n "$TIME" ]; then
	# the same per second of the process's own CPU time: steadier on a loaded machine
	echo "per second of CPU time (user+sys):"
	ratio "  wrap / raw sign" wrap raw_sign c
	ratio "  unwrap / raw decrypt" unwrap raw_decrypt c
	if [ -s wrap_shm.c ]; then
		ratio "  wrap (tmpfs state) / sign" wrap_shm raw_sign c
		ratio "  unwrap (tmpfs state) / decr." unwrap_shm raw_decrypt c
	fi
fi
echo "(1.00 = one private-key operation per stanza and nothing else; target >= 0.9)"
exit 0
