#!/bin/bash
# t0405-decrypt-out-fifo: --out naming something that is not a regular file
# (here a FIFO; think of /dev/null or /dev/stdout) is written into, not
# replaced by a renamed temporary file.  Replacing it would, run as root
# with --out /dev/null, turn /dev/null into a regular file.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

command -v mkfifo >/dev/null 2>&1 || skip "mkfifo is missing"
command -v timeout >/dev/null 2>&1 || skip "timeout is missing"
sample_message
cd "$SCRATCH" || hard_error "cd"
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --in msg.txt
cp "$OUT" e.eml

# through_fifo OUTFILE CMD... -- run CMD (which writes --out fifo) while a
# reader copies the FIFO to OUTFILE; fail if the FIFO was replaced
through_fifo() {
	local got=$1 rc
	shift
	rm -f fifo "$got"
	mkfifo fifo || hard_error "mkfifo"
	timeout 10 cat fifo >"$got" &
	reader=$!
	timeout 10 "$@" >"$OUT" 2>"$ERR"
	rc=$?
	# a reader still waiting for a writer on a replaced FIFO never ends
	[ -p fifo ] || kill $reader 2>/dev/null
	wait $reader
	LAST_CMD="$* (--out FIFO)"
	[ $rc = 0 ] || fail "$LAST_CMD: exit $rc: $(cat "$ERR")"
	[ -p fifo ] || fail "$LAST_CMD replaced the FIFO by a $(stat -c %F fifo 2>/dev/null)"
	rm -f fifo
}
through_fifo got.txt "$XE2E" decrypt --key "$PKI/direct.key" --in e.eml --out fifo
assert_same_file got.txt msg.crlf "decrypt --out FIFO content"
through_fifo got.eml "$XE2E" encrypt --recip "$PKI/direct.pem" --in msg.txt --out fifo
expect_exit 0 "$XE2E" decrypt --key "$PKI/direct.key" --in got.eml
assert_same_file "$OUT" msg.crlf "encrypt --out FIFO content"
exit 0
