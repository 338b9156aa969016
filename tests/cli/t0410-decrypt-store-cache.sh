#!/bin/bash
# t0410: decrypt --store DIR --cache saves, of the certificates and CRLs the
# sender put in originatorInfo (RFC 5652 §6.1), only what validates against
# the store's anchors (the path and the CRLs it used): nothing from an
# unauthenticated message is trusted blindly.  The options go together.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
have_python || skip "python3 is needed to build the test message"

printf 'Content-Type: text/plain\r\n\r\ncached\r\n' >"$SCRATCH/m.eml"
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --stream --outform der --in "$SCRATCH/m.eml"
cp "$OUT" "$SCRATCH/e.der"
openssl x509 -in "$PKI/signer.pem" -outform DER -out "$SCRATCH/s.der" 2>/dev/null || hard_error "openssl x509"
openssl crl -in "$PKI/crl.pem" -outform DER -out "$SCRATCH/c.der" 2>/dev/null || hard_error "openssl crl"
# The streamed EnvelopedData has indefinite lengths: originatorInfo
# [0] { certs [0] { cert }, crls [1] { crl } } goes in after "02 01 00".
python3 - "$SCRATCH/e.der" "$SCRATCH/s.der" "$SCRATCH/c.der" "$SCRATCH/o.der" <<'PY' || hard_error "python"
import sys
def tlv(tag, body):
    n = len(body)
    l = bytes([n]) if n < 128 else (bytes([0x81, n]) if n < 256 else bytes([0x82, n >> 8, n & 255]))
    return bytes([tag]) + l + body
e, cert, crl = (open(f, 'rb').read() for f in sys.argv[1:4])
hdr = bytes.fromhex('308006092a864886f70d010703a0803080020100')
assert e.startswith(hdr), e[:24].hex()
orig = tlv(0xa0, tlv(0xa0, cert) + tlv(0xa1, crl))
open(sys.argv[4], 'wb').write(hdr + orig + e[len(hdr):])
PY
# a store without anchors validates nothing: nothing is cached
S0=$SCRATCH/store0
expect_exit 0 "$XE2E" decrypt --key "$PKI/direct.key" --in "$SCRATCH/o.der" --store "$S0" --cache
grep -q "^cached" "$OUT" || fail "content not decrypted"
[ -z "$(find "$S0/certs" "$S0/crls" -type f)" ] || fail "unvalidated originator data cached: $(ls -R "$S0")"
# with the root trusted and the intermediate known, the signer's path
# validates: its certificate and the root's CRL (which that path used) are kept
S=$SCRATCH/store
expect_exit 0 "$XE2E" cert-check --store "$S" --trust "$PKI/ca.pem" --import "$PKI/inter.pem"
expect_exit 0 "$XE2E" decrypt --key "$PKI/direct.key" --in "$SCRATCH/o.der" --store "$S" --cache
grep -q "^cached" "$OUT" || fail "content not decrypted"
[ "$(ls "$S/certs" | wc -l)" = 2 ] || fail "originator certificate not cached"
[ "$(ls "$S/crls" | wc -l)" = 1 ] || fail "originator CRL not cached"
expect_exit 0 "$XE2E" cert-check --store "$S" --list
grep -q "CN=Juliet Capulet" "$OUT" || fail "cached certificate not listed"
# without --cache a store is only read (it must exist) and nothing is stored;
# --cache needs --store
expect_fail 8 "$XE2E" decrypt --key "$PKI/direct.key" --in "$SCRATCH/o.der" --store "$SCRATCH/s2"
expect_fail 1 "$XE2E" decrypt --key "$PKI/direct.key" --in "$SCRATCH/o.der" --cache
[ -e "$SCRATCH/s2" ] && fail "a store was created without --cache"
# a failed decryption caches nothing
expect_fail 5 "$XE2E" decrypt --key "$PKI/signer.key" --in "$SCRATCH/o.der" --store "$SCRATCH/s3" --cache
[ -n "$(ls "$SCRATCH/s3/certs" 2>/dev/null)" ] && fail "a failed decryption cached certificates"
exit 0
