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

set -u
export LC_ALL=C

ITER=${ITER:-200}
XE2E=${XE2E:-./xe2e}
case $XE2E in /*) ;; *) XE2E=$(pwd)/$XE2E ;; esac

die() { echo "bench-sign-verify: $*" >&2; exit 1; }
[ -x "$XE2E" ] || die "no executable xe2e at '$XE2E' (build it, or set XE2E)"
command -v openssl >/dev/null 2>&1 || die "openssl not found"
case $ITER in '' | *[!0-9]*) die "ITER must be a positive integer" ;; esac
[ "$ITER" -ge 1 ] || die "ITER must be a positive integer"

T=$(mktemp -d "${TMPDIR:-/tmp}/xe2e-bench.XXXXXX") || die "mktemp failed"
trap 'rm -rf -- "$T"' EXIT
cd "$T" || die "cannot enter $T"

# --- key material: RSA-2048 root, RSA-2048 end entity for S/MIME signing ---------------
cat >ext.cnf <<'EOF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ee]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = emailProtection
subjectAltName = email:bench@example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
{
	openssl req -new -newkey rsa:2048 -nodes -keyout ca.key -out ca.csr -subj "/CN=Bench Root" &&
		openssl x509 -req -in ca.csr -signkey ca.key -days 30 -sha256 -out ca.pem \
			-extfile ext.cnf -extensions ca &&
		openssl req -new -newkey rsa:2048 -nodes -keyout ee.key -out ee.csr -subj "/CN=Bench Signer" &&
		openssl x509 -req -in ee.csr -CA ca.pem -CAkey ca.key -set_serial 2 -days 30 -sha256 \
			-out ee.pem -extfile ext.cnf -extensions ee
} >gen.log 2>&1 || { cat gen.log >&2; die "openssl could not make the test key and certificates"; }

# --- a 1 KiB MIME entity (CRLF) ---------------------------------------------------------
# header (46 octets), lines of 64 octets, one short line: exactly 1024, CRLF-terminated
awk 'BEGIN {
	printf "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
	for (i = 0; i < 15; i++)
		printf "line %02d: the quick brown fox jumps over the lazy dog 012345678\r\n", i
	printf "the end, padding\r\n"
}' >msg.txt
[ "$(wc -c <msg.txt)" -eq 1024 ] || die "message is not 1 KiB"

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

# now: microseconds since the epoch, without a fork when bash has EPOCHREALTIME
if [ -n "${EPOCHREALTIME:-}" ]; then
	now() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }
	NOW_FORKS=no
else
	now() { echo $(($(date +%s%N) / 1000)); }
	NOW_FORKS=yes
fi

# time_one FN: elapsed microseconds of one call, in $dt
time_one() {
	local a b
	a=$(now)
	"$1" >/dev/null 2>&1 || { echo "bench-sign-verify: $1 failed during the run" >&2; exit 1; }
	b=$(now)
	dt=$((b - a))
}

: >x_sign.t; : >o_sign.t; : >x_verify.t; : >o_verify.t; : >floor.t
echo "xe2e:    $XE2E"
echo "openssl: $(openssl version)"
echo "message: 1024 bytes, RSA-2048 signer, SHA-256, detached multipart/signed"
echo "iterations: $ITER per command, interleaved (order alternates each iteration)"
[ "$NOW_FORKS" = yes ] && echo "note: no EPOCHREALTIME, timing forks date(1) (adds a constant)"
i=0
while [ "$i" -lt "$ITER" ]; do
	if [ $((i % 2)) -eq 0 ]; then
		order="x_sign o_sign x_verify o_verify floor"
	else
		order="o_sign x_sign o_verify x_verify floor"
	fi
	for f in $order; do
		time_one "$f"
		echo "$dt" >>"$f.t"
	done
	i=$((i + 1))
done

# --- statistics -------------------------------------------------------------------------
# q FILE P: the P-quantile (0..1) of the numbers in FILE (nearest rank)
q() {
	sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END {
		r = int(p * NR + 0.5); if (r < 1) r = 1; if (r > NR) r = NR; print v[r] }'
}
# pratio A B: median over iterations of A[i]/B[i]
pratio() {
	paste "$1" "$2" | awk '$2 > 0 { print $1 / $2 }' | sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "nan"; exit }
		if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ms() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1000 }'; }

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
	r=$(awk -v a="$mx" -v b="$mo" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "nan" }')
	pr=$(awk -v r="$(pratio "x_$op.t" "o_$op.t")" 'BEGIN { printf "%.2f", r }')
	printf 'ratio xe2e/openssl %-6s  median-of-times %s   median-of-paired-ratios %s\n' "$op" "$r" "$pr"
done
exit 0
