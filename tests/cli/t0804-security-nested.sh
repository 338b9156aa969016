#!/bin/bash
# t0804: a SignedData whose eContentType is id-signedData carries another
# signed layer (RFC 5652 §5.2, RFC 3854 §3.4).  (The nesting walk is the
# layer engine's: lib/recv.c.)  Every layer is verified,
# up to the nesting limit of 8; a deeper one is exit 2 naming the limit
# (the 100-deep reproducer once exited 0 after peeling one layer).
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

R=$TESTS_SRCDIR/data/security-repro
expect_fail 2 "$XE2E" verify --ca "$R/pki/ca.pem" --in "$R/T5-signed-nested-100.der"
assert_stderr_matches 'more than 8 nested layers \(the nesting limit\)'

# wrap DEPTH: sign the message opaquely, then sign that DEPTH-1 more times
# with openssl, each layer's eContent the previous ContentInfo
wrap() {
	local i
	sign_msg "$SCRATCH/l1.der" --opaque --outform der
	for i in $(seq 2 "$1"); do
		openssl cms -sign -binary -nodetach -outform DER -econtent_type 1.2.840.113549.1.7.2 \
			-signer "$PKI/signer.pem" -certfile "$PKI/inter.pem" -inkey "$PKI/signer.key" \
			-in "$SCRATCH/l$((i - 1)).der" -out "$SCRATCH/l$i.der" 2>/dev/null ||
			hard_error "openssl cms -sign (layer $i) failed"
	done
}
wrap 8
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/l8.der" --json
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "innermost content"
json_check "$ERR" 'len(j["layers"]) == 8 and len(j["signers"]) == 8 and j["signers"][7]["layer"] == 8 and all(l["type"] == "signed" for l in j["layers"])'
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/l8.der"
[ "$(grep -c '^xe2e verify: signature ok' "$ERR")" = 8 ] || fail "not every layer reported: $(cat "$ERR")"
openssl cms -sign -binary -nodetach -outform DER -econtent_type 1.2.840.113549.1.7.2 \
	-signer "$PKI/signer.pem" -certfile "$PKI/inter.pem" -inkey "$PKI/signer.key" \
	-in "$SCRATCH/l8.der" -out "$SCRATCH/l9.der" 2>/dev/null || hard_error "openssl cms -sign failed"
expect_fail 2 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/l9.der"
assert_stderr_matches 'the nesting limit'

# an inner layer whose signature is broken fails, naming its layer, though
# the outer signature over it is good
wrap 1
python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read()); b[-1] ^= 1
open(sys.argv[1], "wb").write(b)' "$SCRATCH/l1.der" || hard_error "python3"
openssl cms -sign -binary -nodetach -outform DER -econtent_type 1.2.840.113549.1.7.2 \
	-signer "$PKI/signer.pem" -certfile "$PKI/inter.pem" -inkey "$PKI/signer.key" \
	-in "$SCRATCH/l1.der" -out "$SCRATCH/bad.der" 2>/dev/null || hard_error "openssl cms -sign failed"
expect_fail 4 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/bad.der"
assert_stderr_matches '^xe2e verify: layer 2: signature does not match content'
exit 0
