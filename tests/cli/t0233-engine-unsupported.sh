#!/bin/bash
# t0233: what xe2e does not support is exit 9 with a message naming it --
# a key of a type we cannot use (EC on a binary curve, X9.42 DH) once gave
# exit 2 and an ASN.1 library string; AuthEnvelopedData (RFC 5083) gave
# exit 2 "not enveloped-data".
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

cd "$SCRATCH" || hard_error "cd"
# key_cert NAME GENPKEY-ARGS... -- a certificate from ca.pem for a new key
key_cert() {
	local n=$1
	shift
	openssl genpkey "$@" -out "$n.key" 2>/dev/null || return 1
	openssl pkey -in "$n.key" -pubout -out "$n.pub" 2>/dev/null || return 1
	openssl req -new -key "$PKI/direct.key" -subj "/CN=$n" -out tmp.csr 2>/dev/null &&
	printf '[x]\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n' >x.cnf &&
	openssl x509 -req -in tmp.csr -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" -force_pubkey "$n.pub" \
		-set_serial 0x$RANDOM -extfile x.cnf -extensions x -out "$n.pem" 2>/dev/null
}
printf 'Content-Type: text/plain\r\n\r\nx\r\n' >m.txt
if openssl genpkey -genparam -algorithm DHX -pkeyopt dh_rfc5114:2 -out dhx.par 2>/dev/null &&
   key_cert dhx -paramfile dhx.par; then
	expect_fail 9 "$XE2E" encrypt --recip dhx.pem -i m.txt
	assert_stderr_matches "certificate 'CN=dhx': unsupported public key \\(dhpublicnumber"
	expect_fail 9 "$XE2E" cert-check dhx.pem --ca "$PKI/ca.pem"
	assert_stderr_matches 'unsupported public key \(dhpublicnumber'
else
	note "openssl cannot make an X9.42 DH certificate here"
fi
if key_cert ec2m -algorithm EC -pkeyopt ec_paramgen_curve:sect283k1; then
	expect_fail 9 "$XE2E" cert-check ec2m.pem --ca "$PKI/ca.pem"
	assert_stderr_matches "certificate 'CN=ec2m': unsupported public key \(id-ecPublicKey\)"
	expect_fail 9 "$XE2E" encrypt --recip ec2m.pem -i m.txt
else
	note "openssl cannot make a binary-curve EC certificate here"
fi
# AuthEnvelopedData: the MIME type and the CMS content type
openssl cms -encrypt -aes-128-gcm -in m.txt -out gcm.eml "$PKI/direct.pem" 2>/dev/null ||
	skip "openssl cannot make AuthEnvelopedData"
expect_fail 9 "$XE2E" decrypt --key "$PKI/direct.key" gcm.eml
assert_stderr_matches 'AuthEnvelopedData \(AES-GCM, RFC 5083\) is not supported'
openssl cms -encrypt -aes-128-gcm -outform DER -in m.txt -out gcm.der "$PKI/direct.pem" 2>/dev/null ||
	hard_error "openssl cms -encrypt -outform DER"
expect_fail 9 "$XE2E" decrypt --key "$PKI/direct.key" gcm.der
assert_stderr_matches 'AuthEnvelopedData \(AES-GCM, RFC 5083\) is not supported'
exit 0
