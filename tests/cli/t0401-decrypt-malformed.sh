#!/bin/bash
# t0401-decrypt-malformed: truncated messages (DER cut in half or by one
# byte, base64 S/MIME cut, PEM cut), garbage (random bytes, plain text,
# unrelated PEM), empty input and signed messages are malformed: exit 2,
# nothing on stdout, one line on stderr.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

sample_message
D=(--key "$PKI/direct.key")
R=(--recip "$PKI/direct.pem")
expect_exit 0 "$XE2E" encrypt "${R[@]}" --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/e.eml"
expect_exit 0 "$XE2E" encrypt "${R[@]}" --outform der --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/e.der"
expect_exit 0 "$XE2E" encrypt "${R[@]}" --outform der --stream --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/s.der"
expect_exit 0 "$XE2E" encrypt "${R[@]}" --outform pem --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/e.pem"
# sanity: the intact messages decrypt
for f in e.eml e.der s.der e.pem; do
	expect_exit 0 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/$f"
done

# cut FILE N -- the first N bytes of FILE
cut_to() {
	head -c "$2" "$1"
}
# truncations: half, all but one byte (DER/BER), just the header
for f in e.der s.der; do
	size=$(wc -c <"$SCRATCH/$f")
	for n in $((size / 2)) $((size - 1)) $((size - 20)) 2 10 100; do
		cut_to "$SCRATCH/$f" $n >"$SCRATCH/cut"
		expect_fail 2 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/cut"
		expect_fail 2 "$XE2E" decrypt "${D[@]}" --cert "$PKI/direct.pem" <"$SCRATCH/cut"
		expect_fail 2 "$XE2E" decrypt "${D[@]}" --stream --in "$SCRATCH/cut"
	done
done
# base64 S/MIME cut in half (at a line end and in the middle of a line)
lines=$(wc -l <"$SCRATCH/e.eml")
head -n $((lines / 2 + 3)) "$SCRATCH/e.eml" >"$SCRATCH/cut.eml"
expect_fail 2 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/cut.eml"
cut_to "$SCRATCH/e.eml" $(($(wc -c <"$SCRATCH/e.eml") / 2 + 7)) >"$SCRATCH/cut2.eml"
expect_fail 2 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/cut2.eml"
# S/MIME with the headers only
awk '{ print } /^\r?$/ { exit }' "$SCRATCH/e.eml" >"$SCRATCH/hdr.eml"
expect_fail 2 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/hdr.eml"
# PEM cut (no END line) and PEM body cut
head -n 4 "$SCRATCH/e.pem" >"$SCRATCH/cut.pem"
expect_fail 2 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/cut.pem"
{ head -n 3 "$SCRATCH/e.pem"; tail -n 1 "$SCRATCH/e.pem"; } >"$SCRATCH/cut2.pem"
expect_fail 2 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/cut2.pem"
# DER with trailing garbage
{ cat "$SCRATCH/e.der"; printf 'trailing'; } >"$SCRATCH/long.der"
expect_fail 2 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/long.der"

# garbage: random bytes, a DER-looking start, plain text, other PEM
for n in 1 17 300 4096; do
	openssl rand -out "$SCRATCH/rand$n" $n || hard_error "openssl rand"
	expect_fail 2 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/rand$n"
done
expect_fail 2 "$XE2E" decrypt "${D[@]}" <"$SCRATCH/rand4096"
{ printf '\060\200\006\011\052\206\110\206\367\015\001\007\003'; head -c 200 "$SCRATCH/rand4096"; } \
	>"$SCRATCH/fake.der"
expect_fail 2 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/fake.der"
printf 'Dear Romeo,\nthis is not an encrypted message.\n' >"$SCRATCH/prose.txt"
expect_fail 2 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/prose.txt"
expect_fail 2 "$XE2E" decrypt "${D[@]}" <"$SCRATCH/prose.txt"
expect_fail 2 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/msg.txt"
expect_fail 2 "$XE2E" decrypt "${D[@]}" --in "$PKI/ca.pem"
expect_fail 2 "$XE2E" decrypt "${D[@]}" --in "$PKI/signer.der"
printf -- '-----BEGIN CMS-----\nnot base64 at all\n-----END CMS-----\n' >"$SCRATCH/bad.pem"
expect_fail 2 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/bad.pem"
# S/MIME whose body is not base64 / not DER
awk 'f && /^[A-Za-z0-9+\/]/ && !done { printf "!!!!not base64!!!!\r\n"; done = 1; next }
	/^\r?$/ { f = 1 } { print }' "$SCRATCH/e.eml" >"$SCRATCH/bad64.eml"
cmp -s "$SCRATCH/e.eml" "$SCRATCH/bad64.eml" && hard_error "could not break base64"
expect_fail 2 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/bad64.eml"
{ awk '{ print } /^\r?$/ { exit }' "$SCRATCH/e.eml"; printf 'aGVsbG8gd29ybGQ=\r\n'; } >"$SCRATCH/notder.eml"
expect_fail 2 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/notder.eml"
# empty input
: >"$SCRATCH/empty"
expect_fail 2 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/empty"
expect_fail 2 "$XE2E" decrypt "${D[@]}" </dev/null

# signed messages are not encrypted messages
S=(--cert "$PKI/direct.pem" --key "$PKI/direct.key" --in "$SCRATCH/msg.txt")
expect_exit 0 "$XE2E" sign "${S[@]}"
cp "$OUT" "$SCRATCH/signed.eml"
expect_exit 0 "$XE2E" sign "${S[@]}" --opaque
cp "$OUT" "$SCRATCH/opaque.eml"
expect_exit 0 "$XE2E" sign "${S[@]}" --opaque --outform der
cp "$OUT" "$SCRATCH/signed.der"
expect_exit 0 "$XE2E" sign "${S[@]}" --opaque --outform pem
cp "$OUT" "$SCRATCH/signed.pem"
for f in signed.eml opaque.eml signed.der signed.pem; do
	expect_fail 2 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/$f"
	expect_fail 2 "$XE2E" decrypt "${D[@]}" --cert "$PKI/direct.pem" --in "$SCRATCH/$f"
done
# a CMS SignedData in DER says what it is
expect_fail 2 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/signed.der"
assert_stderr_matches 'not an encrypted message'
exit 0
