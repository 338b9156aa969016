#!/bin/bash
# t0200-verify-content: verify writes exactly the signed entity (canonical CRLF
# form of what sign read) to stdout; LF-converted messages still verify;
# messages made by openssl verify (multipart, opaque, DER, PEM); an inner
# multipart entity survives untouched.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

V=(--ca "$PKI/ca.pem")

# input with CRLF already, input with LF, input with mixed line ends: the
# signed entity is always the CRLF form
sample_message
printf 'Content-Type: text/plain\r\nX-Mixed: yes\n\r\nline one\nline two\r\n\r\n' >"$SCRATCH/mixed.txt"
to_crlf <"$SCRATCH/mixed.txt" >"$SCRATCH/mixed.crlf"
for in in msg.txt msg.crlf mixed.txt; do
	want=$SCRATCH/${in%.*}.crlf
	expect_exit 0 "$XE2E" sign --cert "$PKI/direct.pem" --key "$PKI/direct.key" --in "$SCRATCH/$in"
	cp "$OUT" "$SCRATCH/s.eml"
	expect_exit 0 "$XE2E" verify "${V[@]}" --in "$SCRATCH/s.eml"
	assert_same_file "$OUT" "$want" "verify output for input $in"
	# the same message with LF line ends
	to_lf <"$SCRATCH/s.eml" >"$SCRATCH/s-lf.eml"
	expect_exit 0 "$XE2E" verify "${V[@]}" <"$SCRATCH/s-lf.eml"
	assert_same_file "$OUT" "$want" "verify output for LF-converted message of $in"
done

# an inner multipart entity, with its own boundary, passes through untouched
cat >"$SCRATCH/mp.txt" <<'MP'
Content-Type: multipart/mixed; boundary="inner-b"

--inner-b
Content-Type: text/plain

part one
--inner-b
Content-Type: application/octet-stream
Content-Transfer-Encoding: base64

AAECAwQFBgcICQ==
--inner-b--
MP
to_crlf <"$SCRATCH/mp.txt" >"$SCRATCH/mp.crlf"
expect_exit 0 "$XE2E" sign --cert "$PKI/direct.pem" --key "$PKI/direct.key" <"$SCRATCH/mp.txt"
cp "$OUT" "$SCRATCH/mp.eml"
expect_exit 0 "$XE2E" verify "${V[@]}" <"$SCRATCH/mp.eml"
assert_same_file "$OUT" "$SCRATCH/mp.crlf" "verify output for multipart/mixed entity"

# messages made by openssl
O=(-signer "$PKI/direct.pem" -inkey "$PKI/direct.key" -binary -in "$SCRATCH/msg.crlf")
openssl cms -sign "${O[@]}" -out "$SCRATCH/o1.eml" 2>/dev/null || hard_error "openssl cms -sign"
expect_exit 0 "$XE2E" verify "${V[@]}" --in "$SCRATCH/o1.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify of openssl multipart/signed"
openssl cms -sign "${O[@]}" -nodetach -out "$SCRATCH/o2.eml" 2>/dev/null || hard_error "openssl cms -sign -nodetach"
expect_exit 0 "$XE2E" verify "${V[@]}" --in "$SCRATCH/o2.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify of openssl opaque"
openssl cms -sign "${O[@]}" -outform DER -out "$SCRATCH/o3.der" 2>/dev/null || hard_error "openssl cms -sign -outform DER"
expect_exit 0 "$XE2E" verify "${V[@]}" --in "$SCRATCH/o3.der" --content "$SCRATCH/msg.crlf"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify of openssl detached DER"
openssl cms -sign "${O[@]}" -nodetach -outform PEM -out "$SCRATCH/o4.pem" 2>/dev/null || hard_error "openssl cms -sign -outform PEM"
expect_exit 0 "$XE2E" verify "${V[@]}" --in "$SCRATCH/o4.pem"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify of openssl opaque PEM"
# openssl smime (PKCS#7 API, "BEGIN PKCS7"), sha512
openssl smime -sign -signer "$PKI/direct.pem" -inkey "$PKI/direct.key" -md sha512 -binary \
	-in "$SCRATCH/msg.crlf" -out "$SCRATCH/o5.eml" 2>/dev/null || hard_error "openssl smime -sign"
expect_exit 0 "$XE2E" verify "${V[@]}" --in "$SCRATCH/o5.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify of openssl smime sha512"
openssl smime -sign -signer "$PKI/direct.pem" -inkey "$PKI/direct.key" -binary -nodetach \
	-outform PEM -in "$SCRATCH/msg.crlf" -out "$SCRATCH/o6.pem" 2>/dev/null || hard_error "openssl smime -sign PEM"
head -n 1 "$SCRATCH/o6.pem" | grep -q 'BEGIN PKCS7' || hard_error "openssl did not write BEGIN PKCS7"
expect_exit 0 "$XE2E" verify "${V[@]}" --in "$SCRATCH/o6.pem"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify of BEGIN PKCS7"
# a signer with an intermediate, openssl including it
openssl cms -sign -signer "$PKI/signer.pem" -inkey "$PKI/signer.key" -certfile "$PKI/inter.pem" \
	-binary -in "$SCRATCH/msg.crlf" -out "$SCRATCH/o7.eml" 2>/dev/null || hard_error "openssl cms -sign -certfile"
expect_exit 0 "$XE2E" verify "${V[@]}" --in "$SCRATCH/o7.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify of openssl message with intermediate"
# a detached signature alone: the error says how to give its content
expect_exit 0 "$XE2E" sign --cert "$PKI/signer.pem" --key "$PKI/signer.key" --outform der \
	-i "$SCRATCH/msg.crlf" -o "$SCRATCH/det.der"
expect_fail 2 "$XE2E" verify "${V[@]}" --in "$SCRATCH/det.der"
assert_stderr_matches "detached signature without the signed content \\(give it with --content\\)"
exit 0
