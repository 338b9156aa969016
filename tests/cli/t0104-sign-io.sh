#!/bin/bash
# t0104-sign-io: --in/--out for sign and verify; nothing on stdout with --out;
# --out is atomic (a failed run leaves an existing file alone and creates
# nothing); unreadable input / unwritable output are I/O errors (8).
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

sample_message
S=(--cert "$PKI/direct.pem" --key "$PKI/direct.key")

# sign --in FILE --out FILE
expect_exit 0 "$XE2E" sign "${S[@]}" --in "$SCRATCH/msg.txt" --out "$SCRATCH/s.eml" </dev/null
assert_empty_stdout
[ -s "$SCRATCH/s.eml" ] || fail "sign --out wrote nothing"
mime_part "$SCRATCH/s.eml" 1 | cmp -s - "$SCRATCH/msg.crlf" || fail "sign --in: first part is not the input"

# verify --in FILE --out FILE
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/s.eml" --out "$SCRATCH/v.txt" </dev/null
assert_empty_stdout
assert_same_file "$SCRATCH/v.txt" "$SCRATCH/msg.crlf" "verify --out content"

# --out replaces an existing file
echo old >"$SCRATCH/v2.txt"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/s.eml" --out "$SCRATCH/v2.txt"
assert_same_file "$SCRATCH/v2.txt" "$SCRATCH/msg.crlf" "verify --out over an existing file"

# "-" as stdin/stdout is not in the contract; not tested.

# a failing sign leaves an existing --out untouched and creates no new file
echo keep >"$SCRATCH/keep.eml"
expect_fail '!0' "$XE2E" sign --cert "$PKI/signer.pem" --key "$PKI/signer.p8" \
	--pass-file "$SCRATCH/no-such-pass" --in "$SCRATCH/msg.txt" --out "$SCRATCH/keep.eml"
[ "$(cat "$SCRATCH/keep.eml")" = keep ] || fail "failed sign clobbered --out"
expect_fail '!0' "$XE2E" sign --cert "$PKI/direct.pem" --key "$PKI/noku.key" \
	--in "$SCRATCH/msg.txt" --out "$SCRATCH/new.eml"
[ -e "$SCRATCH/new.eml" ] && fail "failed sign (key does not match cert) created --out"
# a failing verify writes no content
sed -e 's/second line/second lime/' "$SCRATCH/s.eml" >"$SCRATCH/forged.eml"
echo keep >"$SCRATCH/keep.txt"
expect_fail 4 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/forged.eml" --out "$SCRATCH/keep.txt"
[ "$(cat "$SCRATCH/keep.txt")" = keep ] || fail "failed verify clobbered --out"
expect_fail 4 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/forged.eml" --out "$SCRATCH/new.txt"
[ -e "$SCRATCH/new.txt" ] && fail "failed verify created --out"
ls -A "$SCRATCH" | grep -v -E '^(msg\.txt|msg\.crlf|s\.eml|v\.txt|v2\.txt|keep\.eml|keep\.txt|forged\.eml|stdout|stderr)$' |
	grep -q . && fail "temporary files left behind: $(ls -A "$SCRATCH")"

# I/O errors: exit 8
expect_fail 8 "$XE2E" sign "${S[@]}" --in "$SCRATCH/does-not-exist"
expect_fail 8 "$XE2E" sign "${S[@]}" --in "$SCRATCH/msg.txt" --out "$SCRATCH/no/such/dir/x.eml"
expect_fail 8 "$XE2E" sign --cert "$SCRATCH/no-cert.pem" --key "$PKI/direct.key" --in "$SCRATCH/msg.txt"
expect_fail 8 "$XE2E" sign --cert "$PKI/direct.pem" --key "$SCRATCH/no-key.pem" --in "$SCRATCH/msg.txt"
expect_fail 8 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/does-not-exist"
expect_fail 8 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/s.eml" --out "$SCRATCH/no/such/dir/x"
expect_fail 8 "$XE2E" verify --ca "$SCRATCH/no-ca.pem" --in "$SCRATCH/s.eml"
if [ -w /dev/full ]; then
	# a full disk is a failure, not a success
	LAST_CMD="xe2e sign ... >/dev/full"
	"$XE2E" sign "${S[@]}" --in "$SCRATCH/msg.txt" >/dev/full 2>"$ERR"
	rc=$?
	[ $rc = 8 ] || fail "$LAST_CMD: exit $rc, expected 8"
	assert_one_line_stderr
	LAST_CMD="xe2e verify ... >/dev/full"
	"$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/s.eml" >/dev/full 2>"$ERR"
	rc=$?
	[ $rc = 8 ] || fail "$LAST_CMD: exit $rc, expected 8"
	assert_one_line_stderr
fi
exit 0
