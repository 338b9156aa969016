#!/bin/bash
# t0809: an extension we process that does not decode is an error, never
# "absent": a keyUsage or extendedKeyUsage that GnuTLS could not parse was
# once treated as missing, which allows everything.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

printf '[ku]\nbasicConstraints=CA:FALSE\n2.5.29.15=critical,DER:04:01:00\n' >"$SCRATCH/x.cnf"
printf '[eku]\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n2.5.29.37=DER:30:03:02:01:01\n' >>"$SCRATCH/x.cnf"
openssl req -new -newkey rsa:2048 -nodes -keyout "$SCRATCH/k.pem" -subj /CN=Broken \
	-out "$SCRATCH/r.pem" 2>/dev/null || hard_error "openssl req failed"
for e in ku eku; do
	openssl x509 -req -in "$SCRATCH/r.pem" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" -set_serial 0x$RANDOM \
		-days 30 -extfile "$SCRATCH/x.cnf" -extensions $e -out "$SCRATCH/$e.pem" 2>/dev/null ||
		hard_error "openssl x509 -req failed"
done
expect_fail 2 "$XE2E" cert-check "$SCRATCH/ku.pem" --ca "$PKI/ca.pem"
assert_stderr_matches "certificate 'CN=Broken': keyUsage: not valid"
expect_fail 2 "$XE2E" cert-check "$SCRATCH/eku.pem" --ca "$PKI/ca.pem" --purpose sign
assert_stderr_matches "certificate 'CN=Broken': extKeyUsage: not valid"
# the same signer certificate in a message
sample_message
openssl cms -sign -binary -nodetach -outform DER -signer "$SCRATCH/ku.pem" -inkey "$SCRATCH/k.pem" \
	-in "$SCRATCH/msg.crlf" -out "$SCRATCH/s.der" 2>/dev/null || hard_error "openssl cms -sign failed"
expect_fail 2 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/s.der"
assert_stderr_matches 'keyUsage: not valid'
# and as a recipient
expect_fail 2 "$XE2E" encrypt --recip "$SCRATCH/ku.pem" --in "$SCRATCH/msg.txt"
exit 0
