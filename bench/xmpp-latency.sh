#!/bin/bash
# bench/xmpp-latency.sh - single-stanza latency per process: `xe2e wrap` (sign with
# juliet, encrypt for romeo and herself) of one chat message, next to
# `openssl cms -sign | openssl cms -encrypt` doing the same to the equivalent MIME
# object (the Message/CPIM entity that xe2e signs, taken from `xe2e unwrap --payload`),
# in the same run, interleaved. openssl cms cannot sign and encrypt in one invocation,
# so its row is the two-process pipeline a user would write; `openssl cms -sign` alone
# is shown too (one process, no encryption: a lower bound for openssl).
#
# Usage:  [XE2E=path/to/xe2e] [XE2E_STATIC=path/to/static/xe2e] [ITER=200] [PKI=dir]
#         bash bench/xmpp-latency.sh
# XE2E_STATIC (a binary built with ./configure --enable-static-deps) adds its rows,
# so that shared and static linking are compared in the same run.
# Prints median/p10/p90 ms per command and the ratio of the medians xe2e/openssl
# (target <= 0.5). Not a test and never a pass/fail gate: exits 0 after printing,
# non-zero only when it cannot run. See bench/README.md.

. "$(cd -- "$(dirname -- "$0")" && pwd)/lib.sh" || exit 1
HERE=$(cd -- "$(dirname -- "$0")" && pwd)
PKI_IN=${PKI:-}
[ -n "$PKI_IN" ] && { PKI_IN=$(cd -- "$PKI_IN" && pwd) || exit 1; }
XS=${XE2E_STATIC:-}
if [ -n "$XS" ]; then
	case $XS in /*) ;; *) XS=$(pwd)/$XS ;; esac
	[ -x "$XS" ] || { echo "xmpp-latency: no executable XE2E_STATIC at '$XS'" >&2; exit 1; }
fi
bench_init xmpp-latency
[ "$ITER" -ge 1 ] || die "ITER must be a positive integer"
if [ -n "$PKI_IN" ]; then
	P=$PKI_IN
else
	P=$T/pki
	bash "$HERE/../tests/gen-pki.sh" "$P" >pki.log 2>&1 || { tail -5 pki.log >&2; die "tests/gen-pki.sh failed"; }
fi
export XE2E_STATE_DIR=$T/state
SHM=
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	SHM=$(mktemp -d /dev/shm/xe2e-bench.XXXXXX) || SHM=
	[ -n "$SHM" ] && trap 'rm -rf -- "$T" "$SHM"' EXIT
fi

printf '%s\n' "<message to='romeo@example.net/orchard' from='juliet@example.com/balcony' type='chat' id='m1'><body>but soft, what light through yonder window breaks</body></message>" >one.xml
# --certs always: the chain in every message, as openssl's -certfile puts it there
WRAP=(wrap --cert "$P/signer.pem" --key "$P/signer.key" --chain "$P/inter.pem" --certs always
	--recip "$P/romeo.pem" -i one.xml)
"$XE2E" "${WRAP[@]}" >one.w.xml 2>err.log || { cat err.log >&2; die "xe2e wrap failed"; }
"$XE2E" unwrap --payload --key "$P/romeo.key" --cert "$P/romeo.pem" --ca "$P/ca.pem" -i one.w.xml \
	>cpim.txt 2>err.log || { cat err.log >&2; die "xe2e unwrap --payload failed"; }

x_wrap() { "$XE2E" "${WRAP[@]}"; }
# the same with the state directory on tmpfs: what the one fsync + rename cost
x_shm() { XE2E_STATE_DIR=$SHM "$XE2E" "${WRAP[@]}"; }
s_wrap() { "$XS" "${WRAP[@]}"; }
o_wrap() {
	openssl cms -sign -signer "$P/signer.pem" -inkey "$P/signer.key" -certfile "$P/inter.pem" \
		-md sha256 -in cpim.txt | openssl cms -encrypt -aes128 "$P/romeo.pem" "$P/signer.pem"
}
o_sign() {
	openssl cms -sign -signer "$P/signer.pem" -inkey "$P/signer.key" -certfile "$P/inter.pem" \
		-md sha256 -in cpim.txt
}
x_ver() { "$XE2E" --version; }
s_ver() { "$XS" --version; }
floor() { /bin/true; }

# openssl's object must be what xe2e's is: it decrypts and verifies to the same entity
set -o pipefail
o_wrap >o.msg 2>err.log || { cat err.log >&2; die "openssl cms -sign | -encrypt failed"; }
openssl cms -decrypt -inkey "$P/romeo.key" -recip "$P/romeo.pem" -in o.msg 2>err.log |
	openssl cms -verify -CAfile "$P/ca.pem" -purpose smimesign -out o.dec 2>>err.log ||
	{ cat err.log >&2; die "openssl cannot undo its own sign+encrypt"; }
set +o pipefail
cmp -s o.dec cpim.txt || die "openssl signed and encrypted something else than the CPIM entity"
[ -n "$XS" ] && { s_wrap >/dev/null 2>err.log || { cat err.log >&2; die "XE2E_STATIC wrap failed"; }; }

ROWS="x_wrap o_wrap o_sign x_ver floor"
REV="o_wrap x_wrap floor x_ver o_sign"
if [ -n "$XS" ]; then
	ROWS="x_wrap s_wrap o_wrap o_sign x_ver s_ver floor"
	REV="o_wrap s_wrap x_wrap floor s_ver x_ver o_sign"
fi
[ -n "$SHM" ] && { ROWS="x_shm $ROWS"; REV="$REV x_shm"; }
echo "xe2e:        $XE2E ($(ldd "$XE2E" 2>/dev/null | grep -c '=>') shared libraries)"
[ -n "$XS" ] && echo "xe2e static: $XS ($(ldd "$XS" 2>/dev/null | grep -c '=>') shared libraries)"
echo "openssl:     $(openssl version)"
echo "machine:     $(nproc 2>/dev/null || echo '?') CPUs, load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo "object:      one chat message, Message/CPIM $(wc -c <cpim.txt) octets; RSA-2048 signer with"
echo "             its intermediate, SHA-256, AES-128-CBC for romeo and the signer (xe2e's default)"
echo "iterations:  $ITER per command, interleaved (order reversed every other iteration)"
[ "$NOW_FORKS" = yes ] && echo "note: no EPOCHREALTIME, timing forks date(1) (adds a constant)"
bench_loop "$ROWS" "$REV"

printf '\n%-34s %10s %10s %10s\n' "per process" "median ms" "p10 ms" "p90 ms"
for f in $ROWS; do
	case $f in
	x_wrap) l="xe2e wrap (sign+encrypt)" ;; x_shm) l="xe2e wrap, state on /dev/shm" ;;
	s_wrap) l="xe2e wrap, static deps" ;;
	o_wrap) l="openssl cms -sign | -encrypt" ;; o_sign) l="openssl cms -sign alone" ;;
	x_ver) l="xe2e --version" ;; s_ver) l="xe2e --version, static deps" ;;
	floor) l="/bin/true" ;;
	esac
	printf '%-34s %10s %10s %10s\n' "$l" "$(ms "$(q "$f.t" 0.5)")" "$(ms "$(q "$f.t" 0.1)")" \
		"$(ms "$(q "$f.t" 0.9)")"
done
echo
pr() { awk -v r="$(pratio "$1" "$2")" 'BEGIN { printf "%.2f", r }'; }
for x in x_wrap ${SHM:+x_shm} ${XS:+s_wrap}; do
	case $x in x_wrap) l="shared" ;; x_shm) l="tmpfs state" ;; s_wrap) l="static" ;; esac
	printf 'ratio xe2e(%s)/openssl pipeline   median-of-times %s   median-of-paired-ratios %s\n' \
		"$l" "$(div "$(q "$x.t" 0.5)" "$(q o_wrap.t 0.5)")" "$(pr "$x.t" o_wrap.t)"
	printf 'ratio xe2e(%s)/openssl -sign alone median-of-times %s   median-of-paired-ratios %s\n' \
		"$l" "$(div "$(q "$x.t" 0.5)" "$(q o_sign.t 0.5)")" "$(pr "$x.t" o_sign.t)"
done
[ -n "$XS" ] && printf 'ratio static/shared: wrap %s   --version %s\n' \
	"$(div "$(q s_wrap.t 0.5)" "$(q x_wrap.t 0.5)")" "$(div "$(q s_ver.t 0.5)" "$(q x_ver.t 0.5)")"
echo "(below 1: xe2e faster; target for the pipeline ratio <= 0.5)"
exit 0
