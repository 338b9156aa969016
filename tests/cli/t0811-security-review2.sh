#!/bin/bash
# t0811: a line-by-line read of the CRL scanner, CRL scope and list quoting
# of t0810's fixes (tests/data/security-repro/review2/): each finding holds.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

R=$TESTS_SRCDIR/data/security-repro/review2
P=$R/pki
AT=--at=2026-12-10T00:00:00Z

# a TBSCertList of 8 elements wrote past the end of a stack array (ASan in
# the sanitizer lane); from a file and from inside a message
expect_fail 2 "$XE2E" cert-check "$P/direct.pem" --ca "$P/ca.pem" --crl "$R/crl-8.der"
assert_stderr_matches "malformed tbsCertList"
expect_fail 2 "$XE2E" verify --ca "$P/ca.pem" --in "$R/signed-with-crl-8.der" --out /dev/null
assert_stderr_matches "malformed tbsCertList"

# a distribution point served by another CRL issuer, listed first, stopped
# the scan: the matching second point was never compared (if-present let a
# revoked certificate pass)
A=(--ca "$P/ca.pem" --crl "$R/crl-p2.pem" --at 2027-06-01T00:00:00Z)
for mode in if-present auto require; do
	expect_fail 6 "$XE2E" cert-check "$R/leaf-indirect-first.pem" "${A[@]}" --crl-check "$mode"
	assert_stderr_matches "is revoked"
	expect_fail 6 "$XE2E" cert-check "$R/leaf-direct-first.pem" "${A[@]}" --crl-check "$mode"
	assert_stderr_matches "is revoked"
done

# an empty revoked list (certtool writes one): no qsort_r(NULL) (UBSan)
expect_exit 0 "$XE2E" cert-check "$P/direct.pem" --ca "$P/ca.pem" --crl "$R/certtool-empty.crl" "$AT"
grep -q "CRL of 'CN=Example Test Root CA,O=Example'" "$OUT" || fail "the empty CRL was not used: $(cat "$OUT")"

# what the old full decode refused, the scanner refuses too
for f in time-empty time-garbage time-truncated-len list-truncated-len; do
	expect_fail 2 "$XE2E" cert-check "$P/revoked.pem" --ca "$P/ca.pem" --crl "$R/$f.der"
	assert_stderr_matches "CRL: malformed"
done

# a no-break space inside a name made one name read as two
expect_fail 7 "$XE2E" cert-check "$R/eve-nbsp.pem" --ca "$P/ca.pem" --at 2027-06-01T00:00:00Z \
	--email boss@example.com
assert_stderr_matches "'xmpp:eve@evil\\.example,"
expect_exit 0 "$XE2E" cert-check "$R/eve-nbsp.pem" --ca "$P/ca.pem" --at 2027-06-01T00:00:00Z
grep -q "^names: email:eve@evil.example, 'xmpp:eve@evil.example," "$OUT" || fail "names: $(cat "$OUT")"

# a BIT STRING with 8 unused bits (a second encoding of a signature)
expect_fail 2 "$XE2E" cert-check "$R/direct-sig-unused8.der" --ca "$P/ca.pem"
assert_stderr_matches "malformed signature BIT STRING"
expect_fail 2 "$XE2E" cert-check "$P/revoked.pem" --ca "$P/ca.pem" --crl "$R/crl-sig-unused8.der"
assert_stderr_matches "malformed signature BIT STRING"

# the chain of a signer whose path failed is empty, not its own subject
expect_exit 6 "$XE2E" verify --ca "$P/ca.pem" --crl "$P/crl.pem" --json "$R/two-signers.der" --out /dev/null
json_check "$ERR" 'all(s["chain"] == [] for s in j["signers"] if "Revoked" in s["subject"]) and any(len(s["chain"]) == 2 for s in j["signers"])'

# EXT items compare in any order
B='C=GB;ADMD= ;PRMD=Acme;O=Acme;S=Smith'
expect_exit 0 "$XE2E" cert-check "$R/x400-2ext.pem" --ca "$P/ca.pem" "$AT" --x400 "$B;EXT:1=#13074d616c6c6f7279;EXT:2=#130158"
expect_exit 0 "$XE2E" cert-check "$R/x400-2ext.pem" --ca "$P/ca.pem" "$AT" --x400 "$B;EXT:2=#130158;EXT:1=#13074d616c6c6f7279"
expect_fail 7 "$XE2E" cert-check "$R/x400-2ext.pem" --ca "$P/ca.pem" "$AT" --x400 "$B;EXT:2=#130158"
exit 0
