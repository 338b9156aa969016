#!/bin/bash
# t0402-decrypt-unsupported: an unknown content-encryption algorithm OID
# (aes128-CBC 2.16.840.1.101.3.4.1.2 patched to .1.3, aes128-OFB) is exit 9,
# with --key only and with --cert, for DER and BER; nothing on stdout.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

have_python || command -v perl >/dev/null 2>&1 || skip "needs perl or python3"
sample_message
D=(--key "$PKI/direct.key")

# patch IN OUT -- replace the aes128-CBC OID (06 09 60 86 48 01 65 03 04 01 02)
# by 2.16.840.1.101.3.4.1.3; exactly one occurrence expected
patch_oid() {
	perl -0777 -e '
		local $/; open(my $f, "<:raw", $ARGV[0]) or exit 3; my $d = <$f>;
		my $n = () = $d =~ /\x06\x09\x60\x86\x48\x01\x65\x03\x04\x01\x02/g;
		exit 4 unless $n == 1;
		$d =~ s/\x06\x09\x60\x86\x48\x01\x65\x03\x04\x01\x02/\x06\x09\x60\x86\x48\x01\x65\x03\x04\x01\x03/;
		open(my $o, ">:raw", $ARGV[1]) or exit 3; print $o $d; close $o or exit 3;' "$1" "$2"
}
for mode in --no-stream --stream; do
	expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --outform der $mode --in "$SCRATCH/msg.txt"
	cp "$OUT" "$SCRATCH/e.der"
	patch_oid "$SCRATCH/e.der" "$SCRATCH/p.der" || hard_error "aes128-CBC OID not found exactly once ($mode)"
	[ "$(wc -c <"$SCRATCH/p.der")" = "$(wc -c <"$SCRATCH/e.der")" ] || hard_error "patch changed the length"
	cmp -s "$SCRATCH/e.der" "$SCRATCH/p.der" && hard_error "patch changed nothing"
	cms_print "$SCRATCH/p.der" | grep -q '2.16.840.1.101.3.4.1.3' ||
		hard_error "patched message does not carry 2.16.840.1.101.3.4.1.3"
	expect_exit 0 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/e.der"
	expect_fail 9 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/p.der"
	expect_fail 9 "$XE2E" decrypt "${D[@]}" --cert "$PKI/direct.pem" --in "$SCRATCH/p.der"
	expect_fail 9 "$XE2E" decrypt "${D[@]}" <"$SCRATCH/p.der"
	# a wrong key does not turn it into a decryption failure: the algorithm
	# is checked first (either order would be defensible; 9 is what the
	# contract names for an unknown OID)
	expect_fail '5|9' "$XE2E" decrypt --key "$PKI/signer.key" --in "$SCRATCH/p.der"
done
# the same inside S/MIME
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --outform der --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/e2.der"
patch_oid "$SCRATCH/e2.der" "$SCRATCH/p2.der" || hard_error "OID not found"
{
	printf 'MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n'
	printf 'Content-Transfer-Encoding: base64\r\n\r\n'
	base64 -w 64 "$SCRATCH/p2.der" | to_crlf
} >"$SCRATCH/p2.eml"
expect_fail 9 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/p2.eml"
# sanity of that construction with the unpatched DER
{
	printf 'MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\n'
	printf 'Content-Transfer-Encoding: base64\r\n\r\n'
	base64 -w 64 "$SCRATCH/e2.der" | to_crlf
} >"$SCRATCH/e2.eml"
expect_exit 0 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/e2.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "hand-made S/MIME wrapper"

# an RC2 message made by openssl decrypts (legacy provider needed to make it)
if openssl cms -encrypt -rc2 -provider legacy -provider default -binary -outform DER \
	-in "$SCRATCH/msg.crlf" -out "$SCRATCH/rc2.der" "$PKI/direct.pem" 2>/dev/null; then
	expect_exit 0 "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/rc2.der"
	assert_same_file "$OUT" "$SCRATCH/msg.crlf" "openssl RC2 message"
else
	note "openssl cannot make RC2 messages here; RC2 decrypt not checked"
fi
# an AES-GCM AuthEnvelopedData from openssl is not EnvelopedData: 2 or 9
if openssl cms -encrypt -aes-128-gcm -binary -outform DER -in "$SCRATCH/msg.crlf" \
	-out "$SCRATCH/gcm.der" "$PKI/direct.pem" 2>/dev/null; then
	expect_fail '2|9' "$XE2E" decrypt "${D[@]}" --in "$SCRATCH/gcm.der"
fi
exit 0
