#!/bin/bash
# t0308-encrypt-self: --cert adds a copy of the key for the sender, who can
# then decrypt; --no-self leaves it out (the sender gets 5); --no-self
# without --cert is a usage error.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

sample_message
# --cert: two recipients, both can decrypt
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --cert "$PKI/signer.pem" \
	--outform der --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/s.der"
[ "$(cms_print "$SCRATCH/s.der" | grep -c 'd.ktri:')" = 2 ] || fail "--cert: expected 2 recipients"
for r in direct signer; do
	expect_exit 0 "$XE2E" decrypt --key "$PKI/$r.key" --cert "$PKI/$r.pem" --in "$SCRATCH/s.der"
	assert_same_file "$OUT" "$SCRATCH/msg.crlf" "--cert: $r with --cert"
	expect_exit 0 "$XE2E" decrypt --key "$PKI/$r.key" --in "$SCRATCH/s.der"
	assert_same_file "$OUT" "$SCRATCH/msg.crlf" "--cert: $r with --key only"
done

# --no-self: the sender is not a recipient
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --cert "$PKI/signer.pem" --no-self \
	--outform der --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/n.der"
[ "$(cms_print "$SCRATCH/n.der" | grep -c 'd.ktri:')" = 1 ] || fail "--no-self: expected 1 recipient"
expect_exit 0 "$XE2E" decrypt --key "$PKI/direct.key" --in "$SCRATCH/n.der"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "--no-self: recipient decrypts"
expect_fail 5 "$XE2E" decrypt --key "$PKI/signer.key" --in "$SCRATCH/n.der"
expect_fail 5 "$XE2E" decrypt --key "$PKI/signer.key" --cert "$PKI/signer.pem" --in "$SCRATCH/n.der"
assert_stderr_matches 'Juliet Capulet'
assert_stderr_matches 'Example Test Root CA'

# --cert that is also a --recip: still decryptable (duplicates are harmless)
expect_exit 0 "$XE2E" encrypt --recip "$PKI/signer.pem" --cert "$PKI/signer.pem" --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/d.eml"
expect_exit 0 "$XE2E" decrypt --key "$PKI/signer.key" --in "$SCRATCH/d.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "--cert equal to --recip"

# --no-self without --cert: usage error, nothing written
expect_fail 1 "$XE2E" encrypt --recip "$PKI/direct.pem" --no-self --in "$SCRATCH/msg.txt"
expect_fail 1 "$XE2E" encrypt --recip "$PKI/direct.pem" --no-self --in "$SCRATCH/msg.txt" \
	--out "$SCRATCH/x.eml"
[ -e "$SCRATCH/x.eml" ] && fail "usage error created --out"
# a --cert not valid for encryption is refused like a recipient
expect_fail 6 "$XE2E" encrypt --recip "$PKI/direct.pem" --cert "$PKI/signonly.pem" --in "$SCRATCH/msg.txt"
exit 0
