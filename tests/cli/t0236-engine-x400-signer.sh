#!/bin/bash
# t0236: one certificate view: a signer whose certificate carries an
# x400Address (which GnuTLS cannot import) verifies in verify as in
# cert-check, its O/R address among the names; as a recipient it works too.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

# the certificate (gen-pki.sh): GeneralNames { x400Address [3] { C=GB,
# ADMD=" ", PRMD=Acme, O=Acme, personal-name { S=Smith, G=John } } }
cp "$PKI/x400-smith.pem" "$SCRATCH/x.pem" && cp "$PKI/x400-smith.key" "$SCRATCH/x.key" ||
	hard_error "no x400-smith in the PKI"
sample_message
openssl cms -sign -signer "$SCRATCH/x.pem" -inkey "$SCRATCH/x.key" -certfile "$PKI/inter.pem" \
	-in "$SCRATCH/msg.crlf" -out "$SCRATCH/o.eml" 2>/dev/null || hard_error "openssl cms -sign"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --json "$SCRATCH/o.eml"
json_check "$ERR" '"x400:C=GB;ADMD= ;PRMD=Acme;O=Acme;S=Smith;G=John" in j["signers"][0]["names"]'
json_check "$ERR" 'len(j["signers"][0]["chain"]) == 3'
# xe2e signs with it too, and encrypts for it
sign_msg "$SCRATCH/x.eml" --cert "$SCRATCH/x.pem" --key "$SCRATCH/x.key" --chain "$PKI/inter.pem"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" "$SCRATCH/x.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf"
expect_exit 0 "$XE2E" encrypt --recip "$SCRATCH/x.pem" --ca "$PKI/ca.pem" --untrusted "$PKI/inter.pem" \
	-i "$SCRATCH/msg.txt" -o "$SCRATCH/e.eml"
expect_exit 0 "$XE2E" decrypt --key "$SCRATCH/x.key" --cert "$SCRATCH/x.pem" "$SCRATCH/e.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf"
exit 0
