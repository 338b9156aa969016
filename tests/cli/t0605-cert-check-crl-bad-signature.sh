#!/bin/bash
# t0605-cert-check-crl-bad-signature: a CRL whose signature does not verify is
# no evidence at all: alone it does not make a CRL "known" for the CA (so
# --crl-check auto does not require one: valid, with a warning; require: 6);
# a good CRL beside it is used; a CRL that lists the certificate but carries
# a bad signature does not revoke it.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

# corrupt_sig IN.pem OUT.der -- flip bits in the last byte of the signature
corrupt_sig() {
	openssl crl -in "$1" -outform DER -out "$2" || hard_error "openssl crl failed"
	if have_python; then
		python3 -c 'import sys
b = bytearray(open(sys.argv[1], "rb").read()); b[-1] ^= 0x5a
open(sys.argv[1], "wb").write(b)' "$2" || hard_error "python3 failed"
	else
		local n last
		n=$(wc -c <"$2")
		last=$(od -An -tu1 -j $((n - 1)) "$2" | tr -d ' ')
		head -c $((n - 1)) "$2" >"$2.tmp" &&
			printf "\\$(printf '%03o' $((last ^ 90)))" >>"$2.tmp" && mv "$2.tmp" "$2" ||
			hard_error "corrupting $2 failed"
	fi
	openssl crl -inform DER -in "$2" -noout || hard_error "the corrupted CRL does not parse"
	openssl crl -inform DER -in "$2" -noout -verify -CAfile "$PKI/cc-old-ca.pem" 2>&1 |
		grep -q 'verify OK' && hard_error "the corrupted CRL still verifies"
	return 0
}

CA=("$PKI/cc-old-ca.pem" "$PKI/cc-old.key")
L=("$XE2E" cert-check "$PKI/cc-old-long.pem" --ca "$PKI/cc-old-ca.pem")
crl_ca empty "${CA[@]}"
crl_ca rev "${CA[@]}"
crl_revoke rev "$PKI/cc-old-long.pem"
crl_gen empty "$SCRATCH/old-empty.crl" 20240101000000Z 20390101000000Z
crl_gen empty "$SCRATCH/new-empty.crl" 20250101000000Z 20390101000000Z
crl_gen rev "$SCRATCH/new-rev.crl" 20250101000000Z 20390101000000Z
corrupt_sig "$SCRATCH/new-empty.crl" "$SCRATCH/bad-empty.der"
corrupt_sig "$SCRATCH/new-rev.crl" "$SCRATCH/bad-rev.der"

# the only CRL
expect_exit 0 "${L[@]}" --crl "$SCRATCH/new-empty.crl"
expect_exit 0 "${L[@]}" --crl "$SCRATCH/bad-empty.der"
grep -q "^warning: ignored a CRL for 'CN=CC Old Root CA,O=Example' whose signature does not verify" "$OUT" ||
	fail "no warning about the forged CRL: $(cat "$OUT")"
grep -q 'no CRL known' "$OUT" || fail "the forged CRL is shown as used: $(cat "$OUT")"
expect_fail 6 "${L[@]}" --crl "$SCRATCH/bad-empty.der" --crl-check require
assert_stderr_matches 'its signature does not verify'
expect_exit 0 "${L[@]}" --crl "$SCRATCH/bad-empty.der" --crl-check if-present
grep -q 'no CRL' "$OUT" || fail "the bad CRL is shown as used: $(cat "$OUT")"
# a newer CRL with a bad signature does not displace an older good one
expect_exit 0 "${L[@]}" --crl "$SCRATCH/bad-empty.der" --crl "$SCRATCH/old-empty.crl"
grep -q 'of 2024-01-01T00:00:00Z: not revoked' "$OUT" ||
	fail "the good CRL is not the one used: $(cat "$OUT")"
# a forged listing does not revoke (with a good CRL present it is valid)
expect_exit 0 "${L[@]}" --crl "$SCRATCH/bad-rev.der" --crl "$SCRATCH/old-empty.crl"
exit 0
