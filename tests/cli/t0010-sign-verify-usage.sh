#!/bin/bash
# t0010-sign-verify-usage: bad or missing option values are usage errors
# (exit 1, nothing on stdout, one line on stderr) and are found before any
# input is read or output written.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

sample_message
C=$PKI/direct.pem
K=$PKI/direct.key
S=(--cert "$C" --key "$K")

# sign: required options
expect_fail 1 "$XE2E" sign --key "$K" <"$SCRATCH/msg.txt"
expect_fail 1 "$XE2E" sign --cert "$C" <"$SCRATCH/msg.txt"
expect_fail 1 "$XE2E" sign "${S[@]}" --cert <"$SCRATCH/msg.txt"
# sign: bad enumerated values
expect_fail 1 "$XE2E" sign "${S[@]}" --digest sha-257 <"$SCRATCH/msg.txt"
expect_fail 1 "$XE2E" sign "${S[@]}" --outform xml <"$SCRATCH/msg.txt"
expect_fail 1 "$XE2E" sign "${S[@]}" --certs sometimes <"$SCRATCH/msg.txt"
expect_fail "1|9" "$XE2E" sign "${S[@]}" --compat rfc0000 <"$SCRATCH/msg.txt"
expect_fail "1|9" "$XE2E" sign "${S[@]}" --digest md5 <"$SCRATCH/msg.txt"
# sign: bad times
for t in yesterday 2026-13-01T00:00:00Z \
	2026-01-02T25:00:00Z 2026-01-02T03:04:05+2:00 ''; do
	expect_fail 1 "$XE2E" sign "${S[@]}" --signing-time "$t" <"$SCRATCH/msg.txt"
done
# sign: --pass-fd and --pass-file are exclusive; --pass-fd takes a number
expect_fail 1 "$XE2E" sign --cert "$PKI/signer.pem" --key "$PKI/signer.p8" \
	--pass-fd 3 --pass-file "$PKI/signer.pass" <"$SCRATCH/msg.txt" 3<"$PKI/signer.pass"
expect_fail 1 "$XE2E" sign --cert "$PKI/signer.pem" --key "$PKI/signer.p8" \
	--pass-fd three <"$SCRATCH/msg.txt"
# a usage error must not create --out
expect_fail 1 "$XE2E" sign "${S[@]}" --digest bogus --out "$SCRATCH/o.eml" <"$SCRATCH/msg.txt"
[ -e "$SCRATCH/o.eml" ] && fail "usage error created the --out file"

# verify: bad values
expect_fail 1 "$XE2E" verify --ca "$PKI/ca.pem" --at tomorrow <"$SCRATCH/msg.txt"
expect_fail 1 "$XE2E" verify --ca "$PKI/ca.pem" --at 2026-02-30T00:00:00Z <"$SCRATCH/msg.txt"
expect_fail 1 "$XE2E" verify --ca <"$SCRATCH/msg.txt"
# a positional argument is an input file (several are verified in turn)
expect_fail 8 "$XE2E" verify --ca "$PKI/ca.pem" extra-operand <"$SCRATCH/msg.txt"
assert_stderr_matches "cannot open 'extra-operand'"
# without a trust anchor there is nothing to verify against: a usage error
expect_fail 1 "$XE2E" verify <"$SCRATCH/msg.txt"
assert_stderr_matches 'no trust anchor: give --ca or --store'
expect_fail 1 "$XE2E" verify --ca "$PKI/ca.pem" -o "$SCRATCH/o" a b
assert_stderr_matches "'--out' takes one input"
exit 0
