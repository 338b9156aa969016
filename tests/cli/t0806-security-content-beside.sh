#!/bin/bash
# t0806: a signature that carries its own content (eContent) next to a
# content given beside it -- the first part of a multipart/signed, or a
# --content file -- once verified only the eContent and printed it, while a
# mail client shows the first part.  Now the two must be the same bytes
# (exit 4 otherwise), and then it is accepted.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

A2=$TESTS_SRCDIR/data/security-repro/audit2
expect_fail 4 "$XE2E" verify --ca "$A2/pki/ca.pem" --content "$A2/content-ignored.txt" \
	--in "$A2/content-ignored.p7s" --out /dev/null
assert_stderr_matches 'carries its own content, which differs'

sign_msg "$SCRATCH/op.der" --opaque --outform der
# multipart/signed: first part, then the opaque SignedData as the signature
mp() {	# mp FIRSTPART OUT
	{
		printf 'MIME-Version: 1.0\r\nContent-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="b0"\r\n\r\n'
		printf -- '--b0\r\n'; cat "$1"; printf '\r\n--b0\r\n'
		printf 'Content-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\n'
		base64 <"$SCRATCH/op.der" | sed 's/$/\r/'
		printf -- '--b0--\r\n'
	} >"$2"
}
printf 'Content-Type: text/plain; charset=us-ascii\r\n\r\nhello world\r\nsecond LINE\r\n' >"$SCRATCH/other"
mp "$SCRATCH/other" "$SCRATCH/diff.eml"
expect_fail 4 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/diff.eml"
assert_stderr_matches 'differs from the content given beside it'
mp "$SCRATCH/msg.crlf" "$SCRATCH/same.eml"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/same.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf"
# --content: the same bytes (or their canonical form) pass, others do not
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/op.der" --content "$SCRATCH/msg.crlf"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/op.der" --content "$SCRATCH/msg.txt"
expect_fail 4 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/op.der" --content "$SCRATCH/msg.txt" --binary
expect_fail 4 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/op.der" --content "$SCRATCH/other"
exit 0
