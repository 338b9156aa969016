#!/bin/bash
# t0619-cert-check-usage: usage errors are 1 (--ca is required), unreadable
# files 8, files that hold no certificate or CRL 2; always nothing on stdout
# and one line on stderr.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

D=("$XE2E" cert-check "$PKI/direct.pem")
expect_fail 1 "$XE2E" cert-check
expect_fail 1 "$XE2E" cert-check --ca "$PKI/ca.pem"
expect_fail 1 "${D[@]}"
# several CERTs are checked in turn; the exit status is the first failure's
expect_exit 6 "${D[@]}" "$PKI/expired.pem" "$PKI/signer.pem" --ca "$PKI/ca.pem"
grep -q "^valid: 'CN=Direct" "$OUT" || fail "the first CERT was not reported: $(cat "$OUT")"
grep -q "expired.pem: certificate .* has expired" "$ERR" || fail "the failing CERT is not named: $(cat "$ERR")"
expect_fail 1 "${D[@]}" --ca "$PKI/ca.pem" --bogus
expect_fail 1 "${D[@]}" --ca "$PKI/ca.pem" --crl-check maybe
expect_fail 1 "${D[@]}" --ca "$PKI/ca.pem" --purpose verify
expect_fail 1 "${D[@]}" --ca "$PKI/ca.pem" --policy none
expect_fail 1 "${D[@]}" --ca "$PKI/ca.pem" --at
expect_fail 1 "${D[@]}" --ca "$PKI/ca.pem" --at 2026-13-01T00:00:00Z
expect_fail 8 "$XE2E" cert-check "$SCRATCH/missing.pem" --ca "$PKI/ca.pem"
expect_fail 8 "${D[@]}" --ca "$SCRATCH/missing.pem"
expect_fail 8 "${D[@]}" --ca "$PKI/ca.pem" --crl "$SCRATCH/missing.crl"
echo garbage >"$SCRATCH/bad.pem"
expect_fail 2 "$XE2E" cert-check "$SCRATCH/bad.pem" --ca "$PKI/ca.pem"
expect_fail 2 "${D[@]}" --ca "$PKI/ca.pem" --untrusted "$SCRATCH/bad.pem"
expect_fail 2 "${D[@]}" --ca "$PKI/ca.pem" --crl "$SCRATCH/bad.pem"
# the message names the file once, and says what is wrong
[ "$(grep -o "$SCRATCH/bad.pem" "$ERR" | wc -l)" -eq 1 ] ||
	fail "the message does not name the file exactly once: $(cat "$ERR")"
# a directory of anchors
expect_exit 0 "${D[@]}" --ca "$PKI/ca-dir"
exit 0
