#!/bin/bash
# t0205-verify-malformed: garbage, truncated and empty inputs are malformed
# (exit 2), with nothing on stdout and one line on stderr -- never a crash,
# never "ok".
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

V=(--ca "$PKI/ca.pem")
sign_msg "$SCRATCH/s.eml"
sign_msg "$SCRATCH/o.eml" --opaque
sign_msg "$SCRATCH/d.der" --outform der --opaque
sign_msg "$SCRATCH/d.pem" --outform pem --opaque

# half_of FILE -- the first half of FILE
half_of() {
	head -c $(($(wc -c <"$1") / 2)) "$1"
}
for f in s.eml o.eml d.der d.pem; do
	half_of "$SCRATCH/$f" >"$SCRATCH/half-$f"
	expect_fail 2 "$XE2E" verify "${V[@]}" --in "$SCRATCH/half-$f"
done
# multipart/signed cut before its closing delimiter
b=$(mime_param "$(mime_header "$SCRATCH/s.eml" Content-Type)" boundary)
awk -v b="--$b" '{ l = $0; sub(/\r$/, "", l) } l == b { n++ } n == 2 { exit } { print }' \
	"$SCRATCH/s.eml" >"$SCRATCH/one-part.eml"
expect_fail 2 "$XE2E" verify "${V[@]}" --in "$SCRATCH/one-part.eml"
# DER minus its last byte
head -c $(($(wc -c <"$SCRATCH/d.der") - 1)) "$SCRATCH/d.der" >"$SCRATCH/short.der"
expect_fail 2 "$XE2E" verify "${V[@]}" --in "$SCRATCH/short.der"
# DER with trailing garbage
{ cat "$SCRATCH/d.der"; printf 'trailing'; } >"$SCRATCH/long.der"
expect_fail 2 "$XE2E" verify "${V[@]}" --in "$SCRATCH/long.der"
# signature part that is not base64 / not DER
awk -v b="--$b" '{ l = $0; sub(/\r$/, "", l) } l == b { n++ }
	n == 2 && /^MII/ { printf "!!!!not base64!!!!\r\n"; next } { print }' \
	"$SCRATCH/s.eml" >"$SCRATCH/bad64.eml"
cmp -s "$SCRATCH/s.eml" "$SCRATCH/bad64.eml" && hard_error "could not break base64"
expect_fail 2 "$XE2E" verify "${V[@]}" --in "$SCRATCH/bad64.eml"
awk -v b="--$b" '{ l = $0; sub(/\r$/, "", l) } l == b { n++ }
	n == 2 && /^MII/ { printf "aGVsbG8gd29ybGQ=\r\n"; next } { print }' \
	"$SCRATCH/s.eml" >"$SCRATCH/notder.eml"
expect_fail 2 "$XE2E" verify "${V[@]}" --in "$SCRATCH/notder.eml"

# random bytes (fixed seed-free, several sizes), one with a DER-looking start
for n in 1 17 4096; do
	openssl rand -out "$SCRATCH/rand$n" $n || hard_error "openssl rand"
	expect_fail 2 "$XE2E" verify "${V[@]}" --in "$SCRATCH/rand$n"
done
{ printf '\060\202\020\000'; head -c 100 "$SCRATCH/rand4096"; } >"$SCRATCH/fake.der"
expect_fail 2 "$XE2E" verify "${V[@]}" --in "$SCRATCH/fake.der"
# text files: prose, an unsigned MIME message, a PEM of something else
printf 'Dear Romeo,\nthis is not a signed message.\n' >"$SCRATCH/prose.txt"
expect_fail 2 "$XE2E" verify "${V[@]}" --in "$SCRATCH/prose.txt"
expect_fail 2 "$XE2E" verify "${V[@]}" <"$SCRATCH/prose.txt"
expect_fail '2|9' "$XE2E" verify "${V[@]}" --in "$SCRATCH/msg.txt"
expect_fail 2 "$XE2E" verify "${V[@]}" --in "$PKI/ca.pem"
expect_fail 2 "$XE2E" verify "${V[@]}" --in "$PKI/signer.der"
# a PEM armour with garbage inside
printf -- '-----BEGIN CMS-----\nnot base64 at all\n-----END CMS-----\n' >"$SCRATCH/bad.pem"
expect_fail 2 "$XE2E" verify "${V[@]}" --in "$SCRATCH/bad.pem"
# empty input
: >"$SCRATCH/empty"
expect_fail 2 "$XE2E" verify "${V[@]}" --in "$SCRATCH/empty"
expect_fail 2 "$XE2E" verify "${V[@]}" </dev/null
# multipart/signed with no boundary parameter
sed -e '1,/^\r\{0,1\}$/s/boundary="\{0,1\}[^";]*"\{0,1\}/xboundary=1/' "$SCRATCH/s.eml" >"$SCRATCH/nob.eml"
cmp -s "$SCRATCH/s.eml" "$SCRATCH/nob.eml" && hard_error "could not drop boundary"
expect_fail 2 "$XE2E" verify "${V[@]}" --in "$SCRATCH/nob.eml"
exit 0
