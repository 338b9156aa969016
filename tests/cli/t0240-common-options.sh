#!/bin/bash
# t0240: habits every command shares: input files as arguments (several in
# turn), -i/-o beside --in/--out, -q, -V, OpenSSL's cipher names, --lf, and
# messages that say a thing once.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

sample_message
sign_msg "$SCRATCH/a.eml"
sign_msg "$SCRATCH/b.eml"
# several inputs in turn; a failure is named and does not stop the rest
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" "$SCRATCH/a.eml" "$SCRATCH/b.eml"
cat "$SCRATCH/msg.crlf" "$SCRATCH/msg.crlf" >"$SCRATCH/two"
assert_same_file "$OUT" "$SCRATCH/two"
[ "$(grep -c 'signature ok' "$ERR")" = 2 ] || fail "two summaries expected: $(cat "$ERR")"
sed 's/^hello world/hello World/' "$SCRATCH/a.eml" >"$SCRATCH/bad.eml"
expect_exit 4 "$XE2E" verify --ca "$PKI/ca.pem" -q "$SCRATCH/bad.eml" "$SCRATCH/b.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "only the good one's content"
[ "$(wc -l <"$ERR")" = 1 ] && grep -q "^xe2e verify: .*bad.eml: signature does not match" "$ERR" ||
	fail "the failing input is not named alone: $(cat "$ERR")"
# -q: nothing on stderr on success; -i and -o
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" -q -i "$SCRATCH/a.eml" -o "$SCRATCH/c.txt"
[ -s "$ERR" ] && fail "-q printed: $(cat "$ERR")"
assert_same_file "$SCRATCH/c.txt" "$SCRATCH/msg.crlf"
# --lf on verify and decrypt
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --lf "$SCRATCH/a.eml"
assert_same_file "$OUT" "$SCRATCH/msg.txt" "--lf"
# -V and the version everywhere
v=$("$XE2E" --version)
for c in cert-check decrypt encrypt sign verify; do
	[ "$("$XE2E" "$c" -V)" = "$v" ] || fail "$c -V"
done
[ "$("$XE2E" -V)" = "$v" ] || fail "xe2e -V"
# OpenSSL's spelling of ciphers
for c in aes-256-cbc AES-128-CBC des-ede3-cbc; do
	expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --cipher "$c" --outform der \
		-i "$SCRATCH/msg.txt" -o "$SCRATCH/e.der"
	openssl cms -decrypt -inform DER -in "$SCRATCH/e.der" -inkey "$PKI/direct.key" \
		-out "$SCRATCH/e.out" 2>/dev/null || fail "openssl cannot decrypt --cipher $c"
	expect_exit 0 "$XE2E" decrypt --key "$PKI/direct.key" --lf "$SCRATCH/e.der"
	assert_same_file "$OUT" "$SCRATCH/msg.txt" "decrypt --lf ($c)"
done
expect_fail 1 "$XE2E" encrypt --recip "$PKI/direct.pem" --cipher aes-128-ecb -i "$SCRATCH/msg.txt"
# several inputs: decrypt and sign too
expect_exit 0 "$XE2E" decrypt --key "$PKI/direct.key" "$SCRATCH/e.der" "$SCRATCH/e.der"
cat "$SCRATCH/msg.crlf" "$SCRATCH/msg.crlf" >"$SCRATCH/two"
assert_same_file "$OUT" "$SCRATCH/two"
# a key file that holds no certificate: said once
expect_fail 2 "$XE2E" sign --cert "$PKI/direct.key" --key "$PKI/direct.key" -i "$SCRATCH/msg.txt"
grep -qi "was found" "$ERR" && fail "a library message is doubled: $(cat "$ERR")"
assert_stderr_matches "no certificate in '.*direct.key'$"
exit 0
