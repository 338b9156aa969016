#!/bin/bash
# t0303-encrypt-io: --in/--out and stdin/stdout in every combination for
# encrypt and decrypt; nothing on stdout with --out; a failed encrypt
# creates no --out and leaves an existing one alone; I/O errors are 8.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

sample_message
R=(--recip "$PKI/direct.pem")
D=(--key "$PKI/direct.key")
cd "$SCRATCH" || hard_error "cd"

# encrypt: stdin -> stdout
expect_exit 0 "$XE2E" encrypt "${R[@]}" <msg.txt
cp "$OUT" a.eml
# encrypt: --in -> --out
expect_exit 0 "$XE2E" encrypt "${R[@]}" --in msg.txt --out b.eml </dev/null
assert_empty_stdout
[ -s b.eml ] || fail "encrypt --out wrote nothing"
# encrypt: --in -> stdout, stdin -> --out
expect_exit 0 "$XE2E" encrypt "${R[@]}" --in msg.txt </dev/null
cp "$OUT" c.eml
expect_exit 0 "$XE2E" encrypt "${R[@]}" --out d.eml <msg.txt
assert_empty_stdout

for f in a b c d; do
	# decrypt: stdin -> stdout
	expect_exit 0 "$XE2E" decrypt "${D[@]}" <$f.eml
	assert_same_file "$OUT" msg.crlf "decrypt stdin->stdout of $f"
	# decrypt: --in -> --out
	rm -f out.txt
	expect_exit 0 "$XE2E" decrypt "${D[@]}" --in $f.eml --out out.txt </dev/null
	assert_empty_stdout
	assert_same_file out.txt msg.crlf "decrypt --in->--out of $f"
done
# decrypt: --in -> stdout; stdin -> --out over an existing file
expect_exit 0 "$XE2E" decrypt "${D[@]}" --in a.eml </dev/null
assert_same_file "$OUT" msg.crlf "decrypt --in->stdout"
echo old >out.txt
expect_exit 0 "$XE2E" decrypt "${D[@]}" --out out.txt <a.eml
assert_empty_stdout
assert_same_file out.txt msg.crlf "decrypt stdin->--out over an existing file"
# encrypt --out over an existing file
echo old >b.eml
expect_exit 0 "$XE2E" encrypt "${R[@]}" --in msg.txt --out b.eml
expect_exit 0 "$XE2E" decrypt "${D[@]}" --in b.eml
assert_same_file "$OUT" msg.crlf "encrypt --out over an existing file"

# a failing encrypt (recipient not valid for encryption) writes nothing
echo keep >keep.eml
expect_fail 6 "$XE2E" encrypt --recip "$PKI/signonly.pem" --in msg.txt --out keep.eml
[ "$(cat keep.eml)" = keep ] || fail "failed encrypt clobbered --out"
expect_fail 6 "$XE2E" encrypt --recip "$PKI/signonly.pem" --in msg.txt --out new.eml
[ -e new.eml ] && fail "failed encrypt created --out"
expect_fail 6 "$XE2E" encrypt --recip "$PKI/direct.pem" --recip "$PKI/signonly.pem" --in msg.txt --out new.eml
[ -e new.eml ] && fail "failed encrypt (second recipient bad) created --out"
ls -A | grep -v -E '^(msg\.txt|msg\.crlf|[abcd]\.eml|out\.txt|keep\.eml|stdout|stderr)$' |
	grep -q . && fail "files left behind: $(ls -A)"

# I/O errors: exit 8
expect_fail 8 "$XE2E" encrypt "${R[@]}" --in does-not-exist
expect_fail 8 "$XE2E" encrypt "${R[@]}" --in msg.txt --out no/such/dir/x.eml
expect_fail 8 "$XE2E" encrypt --recip no-such-cert.pem --in msg.txt
expect_fail 8 "$XE2E" decrypt "${D[@]}" --in does-not-exist
expect_fail 8 "$XE2E" decrypt "${D[@]}" --in a.eml --out no/such/dir/x
expect_fail 8 "$XE2E" decrypt --key no-such-key.pem --in a.eml
if [ -w /dev/full ]; then
	LAST_CMD="xe2e encrypt ... >/dev/full"
	"$XE2E" encrypt "${R[@]}" --in msg.txt >/dev/full 2>"$ERR"
	rc=$?
	[ $rc = 8 ] || fail "$LAST_CMD: exit $rc, expected 8"
	assert_one_line_stderr
	LAST_CMD="xe2e decrypt ... >/dev/full"
	"$XE2E" decrypt "${D[@]}" --in a.eml >/dev/full 2>"$ERR"
	rc=$?
	[ $rc = 8 ] || fail "$LAST_CMD: exit $rc, expected 8"
	assert_one_line_stderr
fi
exit 0
