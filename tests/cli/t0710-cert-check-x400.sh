#!/bin/bash
# t0710: certificates whose subjectAltName holds an x400Address (RFC 3854
# §4.3), which GnuTLS cannot import: parsed by xe2e itself, signature checked
# with the issuer's key, validity, revocation, key usage and EKU applied, the
# issuer's path validated; names shown in O/R address text form and --x400
# compared attribute by attribute.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

# GeneralNames { x400Address [3] { C=GB, ADMD=" ", PRMD=Acme, O=Acme,
#   personal-name { S=Smith, G=John } }, rfc822Name john.smith@acme.example }
SAN=30:45:a3:2a:30:28:61:04:13:02:47:42:62:03:13:01:20:a2:06:13:04:41:63:6d:65:83:04:41:63:6d:65:a5:0d:80:05:53:6d:69:74:68:81:04:4a:6f:68:6e:81:17:6a:6f:68:6e:2e:73:6d:69:74:68:40:61:63:6d:65:2e:65:78:61:6d:70:6c:65
ORA='C=GB;ADMD= ;PRMD=Acme;O=Acme;S=Smith;G=John'

# x400_cert NAME CACERT CAKEY KU EKU [openssl x509 options...]
x400_cert() {
	local n=$1 ca=$2 cakey=$3 ku=$4 eku=$5
	shift 5
	printf '[x]\nbasicConstraints=CA:FALSE\nkeyUsage=critical,%s\nextendedKeyUsage=%s\n2.5.29.17=DER:%s\n' \
		"$ku" "$eku" "$SAN" >"$SCRATCH/$n.cnf"
	openssl req -new -newkey rsa:2048 -nodes -keyout "$SCRATCH/$n.key" -subj "/O=Acme/CN=John Smith" \
		-out "$SCRATCH/$n.csr" 2>/dev/null &&
	openssl x509 -req -in "$SCRATCH/$n.csr" -CA "$ca" -CAkey "$cakey" -set_serial "0x$RANDOM$RANDOM" \
		-days 30 -extfile "$SCRATCH/$n.cnf" -extensions x -out "$SCRATCH/$n.pem" "$@" 2>/dev/null ||
		hard_error "openssl could not make $n"
}
x400_cert good "$PKI/ca.pem" "$PKI/ca.key" digitalSignature,nonRepudiation,keyEncipherment emailProtection
x400_cert inter "$PKI/inter.pem" "$PKI/inter.key" digitalSignature emailProtection
x400_cert enconly "$PKI/ca.pem" "$PKI/ca.key" keyEncipherment emailProtection
x400_cert server "$PKI/ca.pem" "$PKI/ca.key" digitalSignature serverAuth
openssl x509 -in "$SCRATCH/good.pem" -noout -ext subjectAltName 2>/dev/null | grep -q X400 ||
	hard_error "openssl did not write an x400Address"

G=("$XE2E" cert-check "$SCRATCH/good.pem" --ca "$PKI/ca.pem")
expect_exit 0 "${G[@]}" --purpose sign
grep -qxF "names: x400:$ORA, email:john.smith@acme.example" "$OUT" || fail "names line: $(grep names "$OUT")"
grep -q "key usage: digitalSignature, nonRepudiation, keyEncipherment (critical)" "$OUT" || fail "key usage"
# --x400: attribute by attribute; order, case and spaces around items do not matter
expect_exit 0 "${G[@]}" --x400 "$ORA"
expect_exit 0 "${G[@]}" --x400 'G=john; S=SMITH; O=acme; PRMD=Acme; ADMD= ; C=gb'
expect_fail 7 "${G[@]}" --x400 'C=GB;ADMD= ;PRMD=Acme;O=Acme;S=Smith;G=Jane'
expect_fail 7 "${G[@]}" --x400 'C=GB;ADMD= ;PRMD=Acme;O=Acme;S=Smith'     # G missing
expect_fail 7 "${G[@]}" --x400 'C=GB;ADMD=BT;PRMD=Acme;O=Acme;S=Smith;G=John'
assert_stderr_matches "x400:C=GB;ADMD= ;PRMD=Acme"
expect_fail 1 "${G[@]}" --x400 'bogus'
expect_exit 0 "${G[@]}" --email john.smith@ACME.example
expect_exit 0 "${G[@]}" --json
json_check "$OUT" "j['valid'] and 'x400:$ORA' in j['names']"
# issuer path: under the intermediate, with and without it
expect_exit 0 "$XE2E" cert-check "$SCRATCH/inter.pem" --ca "$PKI/ca.pem" --untrusted "$PKI/chain.pem"
grep -q "CN=Example Test Intermediate CA" "$OUT" || fail "intermediate not in the path"
expect_fail 6 "$XE2E" cert-check "$SCRATCH/inter.pem" --ca "$PKI/ca.pem"
expect_fail 6 "${G[@]/$PKI\/ca.pem/$PKI/other-ca.pem}"
# usage: key usage and EKU of the x400 certificate itself
expect_fail 6 "$XE2E" cert-check "$SCRATCH/enconly.pem" --ca "$PKI/ca.pem" --purpose sign
expect_exit 0 "$XE2E" cert-check "$SCRATCH/enconly.pem" --ca "$PKI/ca.pem" --purpose encrypt
expect_fail 6 "$XE2E" cert-check "$SCRATCH/server.pem" --ca "$PKI/ca.pem"
# validity and the signature
expect_fail 6 "${G[@]}" --at 2099-01-01T00:00:00Z
openssl x509 -in "$SCRATCH/good.pem" -outform DER -out "$SCRATCH/good.der" 2>/dev/null
size=$(wc -c <"$SCRATCH/good.der")
cp "$SCRATCH/good.der" "$SCRATCH/bad.der"
printf '\x5a' | dd of="$SCRATCH/bad.der" bs=1 seek=$((size - 10)) conv=notrunc 2>/dev/null
cmp -s "$SCRATCH/good.der" "$SCRATCH/bad.der" && { printf '\xa5' | dd of="$SCRATCH/bad.der" bs=1 seek=$((size - 10)) conv=notrunc 2>/dev/null; }
expect_exit 0 "$XE2E" cert-check "$SCRATCH/good.der" --ca "$PKI/ca.pem"
expect_fail 6 "$XE2E" cert-check "$SCRATCH/bad.der" --ca "$PKI/ca.pem"
# revocation through a CRL of its issuer
crl_ca x4ca "$PKI/ca.pem" "$PKI/ca.key"
crl_gen x4ca "$SCRATCH/clean.crl"
expect_exit 0 "${G[@]}" --crl "$SCRATCH/clean.crl"
grep -q "CRL of 'CN=Example Test Root CA" "$OUT" || fail "CRL not consulted for the x400 certificate"
crl_revoke x4ca "$SCRATCH/good.pem"
crl_gen x4ca "$SCRATCH/revoked.crl"
expect_fail 6 "${G[@]}" --crl "$SCRATCH/revoked.crl"
assert_stderr_matches "is revoked"
exit 0
