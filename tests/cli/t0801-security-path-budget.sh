#!/bin/bash
# t0801: path building has a work budget.  A leaf issued by "CN=Loop" and n
# distinct self-issued "CN=Loop" CAs without key identifiers once made the
# depth-first search try every ordering (n=8 took 13 s, n=12 did not end).
# Now: exit 6 "path building gave up after N candidates", well under a
# second (ten under a sanitizer build), for verify and cert-check.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

R=$TESTS_SRCDIR/data/security-repro
limit=1
[ -n "${XE2E_SANITIZE:-}" ] && limit=10
timed() {	# timed CMD... -- like expect_fail 6, and no slower than $limit s
	local t0 t1
	t0=$(date +%s%N)
	expect_fail 6 "$@"
	t1=$(date +%s%N)
	assert_stderr_matches 'path building gave up after [0-9]+ candidates'
	[ $(( (t1 - t0) / 1000000 )) -lt $((limit * 1000)) ] ||
		fail "'$*' took $(( (t1 - t0) / 1000000 )) ms"
}
timed "$XE2E" verify --ca "$R/pki/ca.pem" --in "$R/hang-verify-path-dfs-8-loop-certs.der"
timed "$XE2E" verify --ca "$R/pki/ca.pem" --in "$R/hang-verify-path-dfs-12-loop-certs.der"
timed "$XE2E" cert-check "$R/hang-certcheck-leaf.pem" \
	--untrusted "$R/hang-certcheck-untrusted-12-loop-certs.pem" --ca "$R/pki/ca.pem"
# an ordinary chain in any order still validates (the budget is not tight)
expect_exit 0 "$XE2E" cert-check "$PKI/signer.pem" --untrusted "$R/hang-certcheck-untrusted-12-loop-certs.pem" \
	--untrusted "$PKI/inter.pem" --ca "$PKI/ca.pem"
exit 0
