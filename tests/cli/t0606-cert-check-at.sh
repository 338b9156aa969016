#!/bin/bash
# t0606-cert-check-at: --at TIME validates at TIME instead of now (validity
# periods of every certificate, and of the CRLs).  cc-old-ca is valid
# 2000..2040, cc-old-expired 2010..2011, cc-old-current from PKI generation.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

# crl_ca NAME CACERT CAKEY [v1] -- an `openssl ca` set-up in $SCRATCH/NAME
# (v2 CRLs with AKI and CRL number unless v1: no extensions at all)
crl_ca() {
	local d=$SCRATCH/$1
	mkdir -p "$d" || hard_error "mkdir"
	: >"$d/index.txt"
	echo 01 >"$d/crlnumber"
	{
		printf '[ca]\ndefault_ca = c\n[c]\ndatabase = %s\nnew_certs_dir = %s\n' "$d/index.txt" "$d"
		printf 'certificate = %s\nprivate_key = %s\ndefault_md = sha256\n' "$2" "$3"
		[ "${4:-}" = v1 ] ||
			printf 'crlnumber = %s\ncrl_extensions = e\n[e]\nauthorityKeyIdentifier = keyid:always\n' "$d/crlnumber"
	} >"$d.cnf"
}
# crl_revoke NAME CERT [openssl ca options...]
crl_revoke() {
	local n=$1
	shift
	openssl ca -config "$SCRATCH/$n.cnf" -batch -revoke "$@" >>"$SCRATCH/openssl.log" 2>&1 ||
		hard_error "openssl ca -revoke failed: $(tail -3 "$SCRATCH/openssl.log")"
}
# crl_gen NAME OUT [THISUPDATE NEXTUPDATE] (YYYYMMDDHHMMSSZ; default now, +30 days)
crl_gen() {
	local n=$1 out=$2
	shift 2
	if [ $# -eq 2 ]; then
		set -- -crl_lastupdate "$1" -crl_nextupdate "$2"
	else
		set -- -crldays 30
	fi
	openssl ca -config "$SCRATCH/$n.cnf" -batch -gencrl "$@" -out "$out" >>"$SCRATCH/openssl.log" 2>&1 ||
		hard_error "openssl ca -gencrl failed: $(tail -3 "$SCRATCH/openssl.log")"
}

X=("$XE2E" cert-check "$PKI/cc-old-expired.pem" --ca "$PKI/cc-old-ca.pem")
N=("$XE2E" cert-check "$PKI/cc-old-current.pem" --ca "$PKI/cc-old-ca.pem")

# valid now, but not before its notBefore (the root was valid then)
expect_exit 0 "${N[@]}"
expect_fail 6 "${N[@]}" --at 2015-06-01T00:00:00Z
assert_stderr_matches 'CC Old Current'
# after the root's notAfter
expect_fail 6 "${N[@]}" --at 2041-01-01T00:00:00Z
# an expired certificate, inside and outside its validity
expect_fail 6 "${X[@]}"
expect_exit 0 "${X[@]}" --at 2010-06-01T00:00:00Z
expect_exit 0 "${X[@]}" --at 2010-06-01T02:00:00+02:00
expect_fail 6 "${X[@]}" --at 2011-06-01T00:00:00Z
expect_fail 6 "${X[@]}" --at 2009-06-01T00:00:00Z
# the boundaries are inclusive (RFC 5280 §4.1.2.5)
expect_exit 0 "${X[@]}" --at 2010-01-01T00:00:00Z
expect_exit 0 "${X[@]}" --at 2011-01-01T00:00:00Z
expect_fail 6 "${X[@]}" --at 2011-01-01T00:00:01Z
expect_fail 6 "${X[@]}" --at 2009-12-31T23:59:59Z
# not a time
expect_fail 1 "${X[@]}" --at yesterday

# CRLs are judged at --at too
CA=("$PKI/cc-old-ca.pem" "$PKI/cc-old.key")
crl_ca ok "${CA[@]}"
crl_ca rev "${CA[@]}"
crl_revoke rev "$PKI/cc-old-expired.pem"
crl_gen ok "$SCRATCH/2010.crl" 20100301000000Z 20100901000000Z
crl_gen ok "$SCRATCH/2010-short.crl" 20100301000000Z 20100501000000Z
crl_gen rev "$SCRATCH/2010-rev.crl" 20100301000000Z 20100901000000Z
A=(--at 2010-06-01T00:00:00Z)
expect_exit 0 "${X[@]}" "${A[@]}" --crl "$SCRATCH/2010.crl"
grep -q 'of 2010-03-01T00:00:00Z: not revoked' "$OUT" || fail "CRL not shown: $(cat "$OUT")"
expect_fail 6 "${X[@]}" "${A[@]}" --crl "$SCRATCH/2010-rev.crl"
assert_stderr_matches 'revoked'
# expired at --at (but the same CRL is fine earlier)
expect_fail 6 "${X[@]}" "${A[@]}" --crl "$SCRATCH/2010-short.crl"
expect_exit 0 "${X[@]}" --at 2010-04-01T00:00:00Z --crl "$SCRATCH/2010-short.crl"
expect_exit 0 "${X[@]}" "${A[@]}" --crl "$SCRATCH/2010-short.crl" --crl-check if-present
exit 0
