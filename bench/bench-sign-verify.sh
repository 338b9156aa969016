#!/bin/bash
# bench/bench-sign-verify.sh - per-process cost of `xe2e sign` / `xe2e verify` next to
# `openssl cms -sign` / `-verify`, in the same run, interleaved, on a 1 KiB message.
#
# Usage:  [XE2E=path/to/xe2e] [ITER=200] bash bench/bench-sign-verify.sh
#
# Prints the median (and p10/p90) wall time per process for each tool and operation, the
# ratio of the medians xe2e/openssl, and the median of the per-iteration ratios. Also
# the median cost of starting /bin/true, the floor every process pays.
# Not a test and never a pass/fail gate: exits 0 after printing, non-zero only when it
# cannot run (no xe2e binary, no openssl, a tool fails on the first try).
# See bench/README.md.

. "$(cd -- "$(dirname -- "$0")" && pwd)/lib.sh" || exit 1
bench_init bench-sign-verify
[ "$ITER" -ge 1 ] || die "ITER must be a positive integer"
bench_pki "digitalSignature, nonRepudiation" "Bench Signer"
bench_message

# --- the four commands --------------------------------------------------------------------
x_sign() { "$XE2E" sign --cert ee.pem --key ee.key --in msg.txt --out x.msg; }
o_sign() { openssl cms -sign -signer ee.pem -inkey ee.key -md sha256 -in msg.txt -out o.msg; }
# both verify the same message (the one xe2e wrote, checked by openssl below)
x_verify() { "$XE2E" verify --ca ca.pem --in v.msg --out /dev/null 2>/dev/null; }
o_verify() { openssl cms -verify -CAfile ca.pem -purpose smimesign -in v.msg -out /dev/null 2>/dev/null; }
floor() { /bin/true; }

# first run of each: must work, else there is nothing to measure
x_sign 2>err.log || { cat err.log >&2; die "xe2e sign failed"; }
o_sign 2>err.log || { cat err.log >&2; die "openssl cms -sign failed"; }
cp x.msg v.msg
o_verify || die "openssl cannot verify the message xe2e signed (run tests/interop)"
x_verify || die "xe2e verify failed on its own message"

echo "xe2e:    $XE2E"
echo "openssl: $(openssl version)"
echo "message: 1024 bytes, RSA-2048 signer, SHA-256, detached multipart/signed"
echo "iterations: $ITER per command, interleaved (order alternates each iteration)"
[ "$NOW_FORKS" = yes ] && echo "note: no EPOCHREALTIME, timing forks date(1) (adds a constant)"
bench_loop "x_sign o_sign x_verify o_verify floor" "o_sign x_sign o_verify x_verify floor"

# --- statistics -------------------------------------------------------------------------
printf '\n%-16s %10s %10s %10s\n' "per process" "median ms" "p10 ms" "p90 ms"
for f in x_sign o_sign x_verify o_verify floor; do
	case $f in
	x_sign) label="xe2e sign" ;; o_sign) label="openssl sign" ;;
	x_verify) label="xe2e verify" ;; o_verify) label="openssl verify" ;;
	floor) label="/bin/true" ;;
	esac
	printf '%-16s %10s %10s %10s\n' "$label" "$(ms "$(q "$f.t" 0.5)")" \
		"$(ms "$(q "$f.t" 0.1)")" "$(ms "$(q "$f.t" 0.9)")"
done

echo
for op in sign verify; do
	mx=$(q "x_$op.t" 0.5)
	mo=$(q "o_$op.t" 0.5)
	r=$(div "$mx" "$mo")
	pr=$(awk -v r="$(pratio "x_$op.t" "o_$op.t")" 'BEGIN { printf "%.2f", r }')
	printf 'ratio xe2e/openssl %-6s  median-of-times %s   median-of-paired-ratios %s\n' "$op" "$r" "$pr"
done
exit 0
