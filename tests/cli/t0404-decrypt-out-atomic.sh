#!/bin/bash
# t0404-decrypt-out-atomic: decrypt --out is written atomically: on any
# failure (wrong key, non-recipient, bad padding found only at the end,
# truncated input, unsupported algorithm) no file is created, an existing
# file is left untouched, and no temporary file is left behind; on success
# the file is replaced.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

command -v perl >/dev/null 2>&1 || skip "perl is missing"
cd "$SCRATCH" || hard_error "cd"
# a content large enough that a non-atomic writer would have written part of
# it before the padding check at the end (and streamed, from a pipe)
{ printf 'Content-Type: text/plain\n\n'; head -c 300000 /dev/zero | tr '\0' 'z'; printf '\n'; } >msg.txt
{ printf 'Content-Type: text/plain\r\n\r\n'; head -c 300000 /dev/zero | tr '\0' 'z'; printf '\r\n'; } >msg.crlf
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --outform der --no-stream --in msg.txt
cp "$OUT" good.der
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --outform der --stream --in msg.txt
cp "$OUT" good-s.der
expect_exit 0 "$XE2E" decrypt --key "$PKI/direct.key" --in good.der
assert_same_file "$OUT" msg.crlf "intact message"

# bad padding: change the last byte of the block before the last one
# (ciphertext ends right before the end of the DER encoding for --no-stream)
cp good.der badpad.der
size=$(wc -c <good.der)
perl -e 'open(my $f, "+<:raw", $ARGV[0]) or die; seek($f, $ARGV[1], 0); read($f, my $b, 1);
	seek($f, $ARGV[1], 0); print $f chr(ord($b) ^ 255); close $f or die' badpad.der $((size - 17)) ||
	hard_error "perl"
# truncated, streamed form cut in the content
head -c $(($(wc -c <good-s.der) - 5000)) good-s.der >cut.der
# unsupported algorithm
perl -0777 -pe 's/\x06\x09\x60\x86\x48\x01\x65\x03\x04\x01\x02/\x06\x09\x60\x86\x48\x01\x65\x03\x04\x01\x03/' \
	good.der >oid.der || hard_error "perl"
cmp -s good.der oid.der && hard_error "OID patch failed"

# case: "want-exit args..." -- run with --out new (must not appear) and
# --out keep (must stay "keep"), from --in and from a pipe
check_fail() {
	local want=$1
	shift
	rm -f new.txt
	echo keep >keep.txt
	expect_fail "$want" "$XE2E" decrypt "$@" --out new.txt
	[ -e new.txt ] && fail "failed decrypt ($*) created --out"
	expect_fail "$want" "$XE2E" decrypt "$@" --out keep.txt
	[ "$(cat keep.txt)" = keep ] || fail "failed decrypt ($*) changed an existing --out"
}
check_fail 5 --key "$PKI/signer.key" --in good.der
check_fail 5 --key "$PKI/signer.key" --in good-s.der
check_fail 5 --key "$PKI/signer.key" --cert "$PKI/signer.pem" --in good.der
check_fail 5 --key "$PKI/direct.key" --in badpad.der
check_fail 5 --key "$PKI/direct.key" --cert "$PKI/direct.pem" --in badpad.der
check_fail 5 --key "$PKI/direct.key" --stream --in badpad.der
check_fail 5 --key "$PKI/direct.key" --no-stream --in badpad.der
check_fail 2 --key "$PKI/direct.key" --in cut.der
check_fail 2 --key "$PKI/direct.key" --stream --in cut.der
check_fail 9 --key "$PKI/direct.key" --in oid.der
# from a pipe (streaming decrypt)
for f in badpad.der cut.der; do
	rm -f new.txt
	echo keep >keep.txt
	cat $f | "$XE2E" decrypt --key "$PKI/direct.key" --out new.txt >"$OUT" 2>"$ERR"
	rc=$?
	LAST_CMD="cat $f | xe2e decrypt --out new.txt"
	[ $rc = 5 ] || [ $rc = 2 ] || fail "$LAST_CMD: exit $rc"
	assert_empty_stdout
	assert_one_line_stderr
	[ -e new.txt ] && fail "$LAST_CMD created --out"
	cat $f | "$XE2E" decrypt --key "$PKI/direct.key" --out keep.txt >"$OUT" 2>"$ERR"
	[ "$(cat keep.txt)" = keep ] || fail "cat $f | xe2e decrypt changed an existing --out"
done
# bad padding to stdout: nothing at all on stdout, even for a large content
LAST_CMD="xe2e decrypt <badpad.der"
cat badpad.der | "$XE2E" decrypt --key "$PKI/direct.key" >"$OUT" 2>"$ERR"
[ $? = 5 ] || fail "$LAST_CMD: exit not 5"
assert_empty_stdout

# no temporary files left behind
ls -A | grep -v -E '^(msg\.txt|msg\.crlf|good\.der|good-s\.der|badpad\.der|cut\.der|oid\.der|keep\.txt|stdout|stderr)$' |
	grep -q . && fail "files left behind: $(ls -A | tr '\n' ' ')"

# success replaces the file
expect_exit 0 "$XE2E" decrypt --key "$PKI/direct.key" --in good-s.der --out keep.txt
assert_empty_stdout
assert_same_file keep.txt msg.crlf "decrypt --out over an existing file"
exit 0
