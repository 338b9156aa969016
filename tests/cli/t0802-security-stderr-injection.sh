#!/bin/bash
# t0802: a newline in a certificate subject (or in an issuer name inside a
# RecipientInfo) once made the one-line error three lines, one reading
# "xe2e verify: signature ok, signer 'CN=Bank'".  Names from input are
# escaped in every human message: one line, the forgery visible as \n.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

R=$TESTS_SRCDIR/data/security-repro
expect_fail 6 "$XE2E" verify --ca "$R/pki/ca.pem" --in "$R/stderr-newline-injection-untrusted.der"
assert_stderr_matches "CN=M\\\\nxe2e verify: signature ok"
expect_fail 4 "$XE2E" verify --ca "$R/pki/ca.pem" --in "$R/stderr-newline-injection-badsig.der"
assert_stderr_matches '^xe2e verify: signature does not match content'
expect_fail 5 "$XE2E" decrypt --cert "$R/pki/bob.pem" --key "$R/pki/bob.key" \
	--in "$R/stderr-newline-injection-decrypt-rid.der"
assert_stderr_matches "issuer 'CN=X\\\\nxe2e decrypt: ok"
# --json gives one parseable object with the name intact
expect_exit 4 "$XE2E" verify --json --ca "$R/pki/ca.pem" --in "$R/stderr-newline-injection-badsig.der"
json_check "$ERR" 'j["exit"] == 4 and "\n" not in j["error"] and "CN=M\\nxe2e" in j["error"]'
exit 0
