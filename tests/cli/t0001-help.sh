#!/bin/bash
# t0001-help: --help / --version, usage errors at the top level, and dispatch
# through an xe2e-NAME link.  Every command must answer --help.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

# top-level help lists the commands under test
expect_exit 0 "$XE2E" --help
[ -s "$OUT" ] || fail "xe2e --help: usage not on stdout"
for c in sign verify; do
	grep -Eq "(^|[^a-z-])$c([^a-z-]|$)" "$OUT" || fail "xe2e --help does not list '$c'"
done
cp "$OUT" "$SCRATCH/top-help"

# each command's help, to stdout, listing every option of the contract
sign_opts="--cert --key --in --out --content-type --pass-fd --pass-file --chain
	--certs --digest --opaque --outform --signing-time --compat"
verify_opts="--in --out --content --ca --crl --certfile --at --json"
for c in sign verify; do
	expect_exit 0 "$XE2E" "$c" --help
	[ -s "$OUT" ] || fail "xe2e $c --help: usage not on stdout"
	cp "$OUT" "$SCRATCH/$c-help"
	eval "opts=\$${c}_opts"
	for o in $opts; do
		grep -Eq -- "$o([^a-z-]|$)" "$OUT" || fail "xe2e $c --help does not mention $o"
	done
done

# --version
expect_exit 0 "$XE2E" --version
[ -s "$OUT" ] || fail "xe2e --version printed nothing on stdout"
grep -q '[0-9]' "$OUT" || fail "xe2e --version has no version number: $(cat "$OUT")"

# unknown command / options: exit 1, nothing on stdout, one line on stderr
expect_fail 1 "$XE2E" no-such-command
expect_fail 1 "$XE2E" --no-such-option
expect_fail 1 "$XE2E" sign --no-such-option
expect_fail 1 "$XE2E" verify --no-such-option

# dispatch by link name: xe2e-sign == xe2e sign, xe2e-verify == xe2e verify
ln -s "$XE2E" "$SCRATCH/xe2e-sign" || hard_error "ln -s"
ln -s "$XE2E" "$SCRATCH/xe2e-verify" || hard_error "ln -s"
expect_exit 0 "$SCRATCH/xe2e-sign" --help
assert_same_file "$OUT" "$SCRATCH/sign-help" "xe2e-sign --help differs from xe2e sign --help"
expect_exit 0 "$SCRATCH/xe2e-verify" --help
assert_same_file "$OUT" "$SCRATCH/verify-help" "xe2e-verify --help differs from xe2e verify --help"
expect_fail 1 "$SCRATCH/xe2e-sign" --no-such-option

sample_message
expect_exit 0 "$SCRATCH/xe2e-sign" --cert "$PKI/direct.pem" --key "$PKI/direct.key" \
	<"$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/signed.eml"
grep -qi '^Content-Type: *multipart/signed' "$SCRATCH/signed.eml" ||
	fail "xe2e-sign did not write multipart/signed"
expect_exit 0 "$SCRATCH/xe2e-verify" --ca "$PKI/ca.pem" <"$SCRATCH/signed.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "xe2e-verify output"
exit 0
