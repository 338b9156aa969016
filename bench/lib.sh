# bench/lib.sh -- what the benchmarks share; source it, do not run it.
#   bench_init NAME        checks (XE2E, openssl, ITER), temp dir as cwd, clock
#   bench_pki KU CN        ca.pem/ca.key and an RSA-2048 end entity ee.pem/ee.key
#   bench_message          msg.txt, a 1024-byte MIME entity (CRLF)
#   bench_loop "O1" "O2"   ITER interleaved rounds of the functions in O1/O2
#                          (alternating), microseconds appended to FN.t
#   q FILE P, pratio A B, ms US, div A B: statistics and formatting
# Benchmarks are not tests: they exit 0 after printing (bench/README.md).

set -u
export LC_ALL=C

die() { echo "$BENCH_NAME: $*" >&2; exit 1; }

bench_init() {
	BENCH_NAME=$1
	ITER=${ITER:-200}
	XE2E=${XE2E:-./xe2e}
	case $XE2E in /*) ;; *) XE2E=$(pwd)/$XE2E ;; esac
	[ -x "$XE2E" ] || die "no executable xe2e at '$XE2E' (build it, or set XE2E)"
	command -v openssl >/dev/null 2>&1 || die "openssl not found"
	case $ITER in '' | *[!0-9]*) die "ITER must be a non-negative integer" ;; esac
	T=$(mktemp -d "${TMPDIR:-/tmp}/xe2e-bench.XXXXXX") || die "mktemp failed"
	trap 'rm -rf -- "$T"' EXIT
	cd "$T" || die "cannot enter $T"
	# now: microseconds since the epoch, without a fork when bash has EPOCHREALTIME
	if [ -n "${EPOCHREALTIME:-}" ]; then
		now() { local t=${EPOCHREALTIME/[.,]/}; echo "$t"; }
		NOW_FORKS=no
	else
		now() { echo $(($(date +%s%N) / 1000)); }
		NOW_FORKS=yes
	fi
}

# bench_pki KU CN: RSA-2048 root and an end entity with keyUsage KU
bench_pki() {
	cat >ext.cnf <<CNF
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ee]
basicConstraints = CA:FALSE
keyUsage = critical, $1
extendedKeyUsage = emailProtection
subjectAltName = email:bench@example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
	{
		openssl req -new -newkey rsa:2048 -nodes -keyout ca.key -out ca.csr -subj "/CN=Bench Root" &&
			openssl x509 -req -in ca.csr -signkey ca.key -days 30 -sha256 -out ca.pem \
				-extfile ext.cnf -extensions ca &&
			openssl req -new -newkey rsa:2048 -nodes -keyout ee.key -out ee.csr -subj "/CN=$2" &&
			openssl x509 -req -in ee.csr -CA ca.pem -CAkey ca.key -set_serial 2 -days 30 -sha256 \
				-out ee.pem -extfile ext.cnf -extensions ee
	} >gen.log 2>&1 || { cat gen.log >&2; die "openssl could not make the test key and certificates"; }
}

# header (46 octets), lines of 64 octets, one short line: exactly 1024, CRLF-terminated
bench_message() {
	awk 'BEGIN {
		printf "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
		for (i = 0; i < 15; i++)
			printf "line %02d: the quick brown fox jumps over the lazy dog 012345678\r\n", i
		printf "the end, padding\r\n"
	}' >msg.txt
	[ "$(wc -c <msg.txt)" -eq 1024 ] || die "message is not 1 KiB"
}

# time_one FN: elapsed microseconds of one call, in $dt
time_one() {
	local a b
	a=$(now)
	"$1" >/dev/null 2>"$1.lasterr" || {
		echo "$BENCH_NAME: $1 failed during the run (exit $?): $(head -c 300 "$1.lasterr")" >&2
		exit 1
	}
	b=$(now)
	dt=$((b - a))
}

bench_loop() {
	local i=0 f order
	for f in $1; do : >"$f.t"; done
	while [ "$i" -lt "$ITER" ]; do
		if [ $((i % 2)) -eq 0 ]; then order=$1; else order=$2; fi
		for f in $order; do
			time_one "$f"
			echo "$dt" >>"$f.t"
		done
		i=$((i + 1))
	done
}

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
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
