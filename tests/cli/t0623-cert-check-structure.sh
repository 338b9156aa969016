#!/bin/bash
# t0623-cert-check-structure: one certificate decoder for every command --
# an authorityInfoAccess or subjectInfoAccess that does not decode
# (critical or not) makes the certificate malformed (exit 2) for cert-check
# and for verify alike; well-formed ones are accepted, a critical one is
# refused as not processed (§4.2.2.1: MUST be non-critical).  A signature
# algorithm that cannot be checked is exit 9.
# A duplicate extension (RFC 5280 §4.2) likewise.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

S=$SCRATCH
cd "$S" || hard_error "cd"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out k.pem 2>/dev/null || hard_error "genpkey"
: > x.cnf
cnf_section r ca authorityKeyIdentifier=-
# end entities without key identifiers, each with one extension under test
ee() { cnf_section "$1" ee subjectKeyIdentifier=- authorityKeyIdentifier=- ${2:+"$2"}; }
ee base
ee aia_bad 1.3.6.1.5.5.7.1.1=critical,DER:04:00
ee aia_bad_soft 1.3.6.1.5.5.7.1.1=DER:30:00
ee sia_bad 1.3.6.1.5.5.7.1.11=DER:30:03:30:01:06
ee dup 2.5.29.99=DER:30:00
ee aia_good "authorityInfoAccess=caIssuers;URI:http://ca.example.com/ca.crt,OCSP;URI:http://ocsp.example.com/"
ee dp_reasons_only 2.5.29.31=DER:30:06:30:04:81:02:05:60
ee aia_crit "authorityInfoAccess=critical,caIssuers;URI:http://ca.example.com/ca.crt"
ossl_cert root "/O=Example/CN=Root" - r 1
n=1
printf 'Content-Type: text/plain\r\n\r\nhello\r\n' > m.eml
for t in aia_good aia_crit aia_bad aia_bad_soft sia_bad dup dp_reasons_only; do
	n=$((n + 1))
	ossl_cert "$t" "/O=Example/CN=$t" root "$t" $n
done
# dup: the unused 2.5.29.99 renamed 2.5.29.19 -- a second basicConstraints
# (the signature no longer matters: parsing refuses it first)
python3 - dup.pem <<'PY' || hard_error "cannot make the duplicate"
import base64, sys
pem = open(sys.argv[1]).read().split("-----")[2]
der = base64.b64decode("".join(pem.split()))
old, new = bytes.fromhex("0603551d63"), bytes.fromhex("0603551d13")
assert der.count(old) == 1
der = der.replace(old, new)
b = base64.encodebytes(der).decode()
open(sys.argv[1], "w").write("-----BEGIN CERTIFICATE-----\n" + b + "-----END CERTIFICATE-----\n")
PY
# a distribution point of reasons only (RFC 5280 §4.2.1.13: MUST NOT) is
# malformed when the certificate is read, not when a CRL is looked for
expect_fail 2 "$XE2E" cert-check dp_reasons_only.pem --ca root.pem --crl-check if-present
assert_stderr_matches "distribution point 1 is malformed"
expect_fail 2 "$XE2E" cert-check dup.pem --ca root.pem
assert_stderr_matches "has two 2.5.29.19 extensions"
openssl cms -sign -signer aia_good.pem -inkey k.pem -certfile dup.pem -in m.eml -out dup.eml 2>/dev/null ||
	hard_error "openssl cms -sign -certfile dup.pem"
expect_fail 2 "$XE2E" verify --ca root.pem -i dup.eml
expect_exit 0 "$XE2E" cert-check aia_good.pem --ca root.pem
expect_exit 0 "$XE2E" sign --cert aia_good.pem --key k.pem -i m.eml -o good.eml
expect_exit 0 "$XE2E" verify --ca root.pem -i good.eml
# a critical one, well-formed: RFC 5280 §4.2.2.1 says MUST NOT, and xe2e
# processes nothing of it -- refused (not valid), by verify too
expect_fail 6 "$XE2E" cert-check aia_crit.pem --ca root.pem
assert_stderr_matches "critical extension 1.3.6.1.5.5.7.1.1 that is not supported"
expect_exit 0 "$XE2E" sign --cert aia_crit.pem --key k.pem -i m.eml -o crit.eml
expect_fail 6 "$XE2E" verify --ca root.pem -i crit.eml
# a signature algorithm xe2e cannot check (ECDSA, RFC 5758) is "unsupported",
# exit 9, not "not valid"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out eck.pem 2>/dev/null || hard_error "ec key"
openssl req -x509 -new -key eck.pem -subj "/O=Example/CN=EC Root" -days 30 -config x.cnf -extensions r \
	-out ecroot.pem 2>/dev/null || hard_error "ec root"
openssl req -new -key k.pem -subj "/O=Example/CN=Juliet" -config x.cnf -out ecee.csr 2>/dev/null &&
	openssl x509 -req -in ecee.csr -CA ecroot.pem -CAkey eck.pem -set_serial 99 -days 30 \
		-extfile x.cnf -extensions base -out ecee.pem 2>/dev/null || hard_error "ec-signed certificate"
expect_fail 9 "$XE2E" cert-check ecee.pem --ca ecroot.pem
assert_stderr_matches "unsupported signature algorithm"
for t in aia_bad aia_bad_soft sia_bad; do
	expect_fail 2 "$XE2E" cert-check "$t.pem" --ca root.pem
	# the same certificate in a message: the same verdict from verify
	openssl cms -sign -signer "$t.pem" -inkey k.pem -in m.eml -out "$t.eml" 2>/dev/null ||
		hard_error "openssl cms -sign with $t"
	expect_fail 2 "$XE2E" verify --ca root.pem -i "$t.eml"
done
exit 0
