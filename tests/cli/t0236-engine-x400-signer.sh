#!/bin/bash
# t0236: one certificate view: a signer whose certificate carries an
# x400Address (which GnuTLS cannot import) verifies in verify as in
# cert-check, its O/R address among the names; as a recipient it works too.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

# GeneralNames { x400Address [3] { C=GB, ADMD=" ", PRMD=Acme, O=Acme,
#   personal-name { S=Smith, G=John } } }
SAN=30:2c:a3:2a:30:28:61:04:13:02:47:42:62:03:13:01:20:a2:06:13:04:41:63:6d:65:83:04:41:63:6d:65:a5:0d:80:05:53:6d:69:74:68:81:04:4a:6f:68:6e
printf '[x]\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=emailProtection\n2.5.29.17=DER:%s\n' \
	"$SAN" >"$SCRATCH/x.cnf"
openssl req -new -newkey rsa:2048 -nodes -keyout "$SCRATCH/x.key" -subj "/O=Acme/CN=John Smith" \
	-out "$SCRATCH/x.csr" 2>/dev/null &&
openssl x509 -req -in "$SCRATCH/x.csr" -CA "$PKI/inter.pem" -CAkey "$PKI/inter.key" -set_serial 0x$RANDOM \
	-days 30 -extfile "$SCRATCH/x.cnf" -extensions x -out "$SCRATCH/x.pem" 2>/dev/null ||
	hard_error "openssl could not make the certificate"
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
