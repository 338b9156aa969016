#!/bin/bash
# t0801: path building has a work budget.  A leaf issued by "CN=Loop" and n
# distinct self-issued "CN=Loop" CAs without key identifiers once made the
# depth-first search try every ordering (n=8 took 13 s, n=12 did not end).
# Now: exit 6, well under a second (ten under a sanitizer build), for verify
# and cert-check: "path building gave up after N candidates" where the loop
# certificates sign each other, "does not chain" where a branch whose
# signature does not verify is cut before it is searched (n=8).
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

R=$TESTS_SRCDIR/data/security-repro
timed() {	# timed RE CMD... -- like expect_fail 6, and no slower than $SLOW s
	local t0 t1 re=$1
	shift
	t0=$(now_ms)
	expect_fail 6 "$@"
	t1=$(now_ms)
	assert_stderr_matches "$re"
	[ $((t1 - t0)) -lt $((SLOW * 1000)) ] || fail "'$*' took $((t1 - t0)) ms"
}
gave='path building gave up after [0-9]+ candidates'
timed "does not chain to a trusted CA" \
	"$XE2E" verify --ca "$R/pki/ca.pem" --in "$R/hang-verify-path-dfs-8-loop-certs.der"
timed "does not chain to a trusted CA" \
	"$XE2E" verify --ca "$R/pki/ca.pem" --in "$R/hang-verify-path-dfs-12-loop-certs.der"
timed "does not chain to a trusted CA" "$XE2E" cert-check "$R/hang-certcheck-leaf.pem" \
	--untrusted "$R/hang-certcheck-untrusted-12-loop-certs.pem" --ca "$R/pki/ca.pem"
# n "CN=Loop" CAs that all carry one key, so every one verifies every
# other's signature: no branch can be cut, every ordering is a candidate
# path, and only the budget ends the search
L=$SCRATCH/loop
mkdir -p "$L"
openssl genrsa -out "$L/k.pem" 2048 2>/dev/null || hard_error "openssl genrsa"
printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n' >"$L/ca.ext"
printf 'keyUsage=critical,digitalSignature\n' >"$L/ee.ext"
openssl req -new -key "$L/k.pem" -subj "/CN=Loop" -out "$L/req.csr" 2>/dev/null || hard_error "openssl req"
: >"$L/loops.pem"
for i in $(seq 1 12); do
	openssl x509 -req -in "$L/req.csr" -signkey "$L/k.pem" -set_serial "$i" -days 30 \
		-extfile "$L/ca.ext" -out "$L/c$i.pem" 2>/dev/null || hard_error "openssl x509"
	cat "$L/c$i.pem" >>"$L/loops.pem"
done
openssl req -new -key "$L/k.pem" -subj "/CN=Loop Leaf" -out "$L/leaf.csr" 2>/dev/null || hard_error "openssl req"
openssl x509 -req -in "$L/leaf.csr" -CA "$L/c1.pem" -CAkey "$L/k.pem" -set_serial 100 -days 30 \
	-extfile "$L/ee.ext" -out "$L/leaf.pem" 2>/dev/null || hard_error "openssl x509"
timed "$gave" "$XE2E" cert-check "$L/leaf.pem" --untrusted "$L/loops.pem" --ca "$PKI/ca.pem"
# an ordinary chain in any order still validates (the budget is not tight)
expect_exit 0 "$XE2E" cert-check "$PKI/signer.pem" --untrusted "$R/hang-certcheck-untrusted-12-loop-certs.pem" \
	--untrusted "$PKI/inter.pem" --ca "$PKI/ca.pem"
exit 0
