#!/bin/bash
# t1005: the replay memory is one file many processes share (DESIGN §5:
# flock, temporary file, rename): 50 unwraps of 50 senders' stanzas at once
# against one state directory lose no entry -- afterwards every one of them
# is a replay -- and the sender's DateTimes increase strictly across runs
# (RFC 3923 §6.9) even when they come within the same millisecond.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
have_python || skip "python3 is needed"
cd "$SCRATCH" || hard_error "cd"

# encrypted only: no signer certificate is needed for 50 senders
for i in $(seq 1 50); do
	printf "<message to='romeo@example.net' from='user%d@example.com/r'><body>%d</body></message>" "$i" "$i" >m$i.xml
	"$XE2E" wrap --recip "$PKI/romeo.pem" -i m$i.xml -o w$i.xml 2>>wrap.err || fail "wrap $i: $(cat wrap.err)"
done
S=$SCRATCH/shared
for i in $(seq 1 50); do
	( "$XE2E" unwrap --key "$PKI/romeo.key" --state "$S" -q -i w$i.xml -o u$i.xml 2>e$i; echo $? >rc$i ) &
done
wait
for i in $(seq 1 50); do
	[ "$(cat rc$i)" = 0 ] || fail "parallel unwrap $i: exit $(cat rc$i): $(cat e$i)"
done
for i in $(seq 1 50); do
	expect_fail 3 "$XE2E" unwrap --key "$PKI/romeo.key" --state "$S" -i w$i.xml
done
[ "$(grep -c '^user[0-9]*@example.com ' "$S/replay")" = 50 ] || fail "replay file: $(cat "$S/replay")"
[ "$(stat -c %a "$S")" = 700 ] || fail "state directory mode $(stat -c %a "$S")"
[ "$(stat -c %a "$S/replay")" = 600 ] || fail "replay file mode $(stat -c %a "$S/replay")"

# a corrupt state file is an error naming it, never silently reset
cp "$S/replay" replay.bak
printf 'garbage\n' >>"$S/replay"
expect_fail 8 "$XE2E" unwrap --key "$PKI/romeo.key" --state "$S" -i w1.xml
assert_stderr_matches "state file '.*/replay' is corrupt"
grep -q garbage "$S/replay" || fail "the corrupt file was changed"

# the sender's DateTimes: strictly increasing, across processes
printf "<message to='romeo@example.net' from='juliet@example.com/b'><body>x</body></message>" >j.xml
for i in 1 2 3 4 5 6; do
	"$XE2E" wrap --recip "$PKI/romeo.pem" -i j.xml -o j$i.xml 2>>wrap.err || fail "wrap j$i"
done
for i in 1 2 3 4 5 6; do
	"$XE2E" unwrap --key "$PKI/romeo.key" --payload --state "$SCRATCH/t$i" -i j$i.xml -q |
		sed -n 's/^DateTime: \(.*\)\r$/\1/p'
done >stamps
[ "$(wc -l <stamps)" = 6 ] || fail "stamps: $(cat stamps)"
sort -u stamps | cmp -s - stamps || fail "DateTimes not strictly increasing: $(cat stamps)"
# and in order they are all accepted by one receiver
for i in 1 2 3 4 5 6; do
	expect_exit 0 "$XE2E" unwrap --key "$PKI/romeo.key" --state "$SCRATCH/inorder" -q -i j$i.xml
done
exit 0
