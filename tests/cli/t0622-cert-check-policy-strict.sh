#!/bin/bash
# t0622-cert-check-policy-strict: --policy strict applies the RFC 5280
# certificate-profile MUSTs -- basicConstraints critical with cA TRUE and a
# subjectKeyIdentifier in CA certificates, no keyCertSign and no
# nameConstraints in end entities, a non-critical authorityKeyIdentifier
# in every certificate not self-issued, a positive serial of at most 20
# octets, no empty extendedKeyUsage, nameConstraints critical -- each
# refused by strict and accepted by modern (the default, for real-world
# PKIs); what `xe2e pki` writes passes strict; verify agrees.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

S=$SCRATCH
cd "$S" || hard_error "cd"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out k.pem 2>/dev/null || hard_error "genpkey"
: > x.cnf
cnf_section root ca authorityKeyIdentifier=-
cnf_section inter ca
cnf_section inter_bc_soft ca basicConstraints=CA:TRUE
cnf_section inter_noski ca subjectKeyIdentifier=none
cnf_section inter_nc_soft ca "nameConstraints=permitted;email:example.com"
cnf_section ee ee
cnf_section ee_certsign ee keyUsage=critical,digitalSignature,keyCertSign subjectKeyIdentifier=-
cnf_section ee_noaki ee subjectKeyIdentifier=- authorityKeyIdentifier=none
cnf_section ee_akicrit ee subjectKeyIdentifier=- authorityKeyIdentifier=critical,keyid
cnf_section ee_nc ee subjectKeyIdentifier=- "nameConstraints=critical,permitted;email:example.com"
cnf_section ee_emptyeku ee extendedKeyUsage=- subjectKeyIdentifier=- 2.5.29.37=DER:30:00
ossl_cert root "/O=Example/CN=Strict Root" - root 1
# issue NAME ISSUER EXT [SERIAL] -- subject CN=NAME (none is self-issued)
issue() { ossl_cert "$1" "/O=Example/CN=$1" "$2" "$3" "${4:-}"; }
issue inter root inter
issue ee inter ee
for t in bc_soft noski nc_soft; do
	issue "inter-$t" root "inter_$t"
	# (below an issuer without a key identifier the leaf can have no AKI;
	# strict refuses the issuer first: the path is checked from the top)
	if [ "$t" = noski ]; then issue "ee-$t" "inter-$t" ee_noaki; else issue "ee-$t" "inter-$t" ee; fi
done
for t in certsign noaki akicrit nc emptyeku; do
	issue "ee-$t" inter "ee_$t"
done
issue ee-serial0 inter ee 0
issue ee-serialneg inter ee -5
issue ee-serial21 inter ee 0x0102030405060708090a0b0c0d0e0f101112131415

CC=("$XE2E" cert-check --ca root.pem --crl-check if-present)
expect_exit 0 "${CC[@]}" ee.pem --untrusted inter.pem --policy strict
# strict refuses, modern accepts
both() {   # both LEAF INTER MESSAGE
	expect_exit 0 "${CC[@]}" "$1.pem" --untrusted "$2.pem"
	expect_fail 6 "${CC[@]}" "$1.pem" --untrusted "$2.pem" --policy strict
	assert_stderr_matches "$3 \\(policy strict\\)"
}
both ee-bc_soft inter-bc_soft "without a critical basicConstraints cA TRUE"
both ee-noski inter-noski "without a subjectKeyIdentifier"
both ee-nc_soft inter-nc_soft "a non-critical nameConstraints"
both ee-certsign inter "keyCertSign in an end-entity certificate"
both ee-noaki inter "no non-critical authorityKeyIdentifier"
both ee-akicrit inter "no non-critical authorityKeyIdentifier"
both ee-nc inter "nameConstraints in an end-entity certificate"
both ee-emptyeku inter "an empty extendedKeyUsage"
both ee-serial0 inter "a serial number that is not positive"
both ee-serial21 inter "a serial number longer than 20 octets"
if openssl x509 -in ee-serialneg.pem -noout -serial | grep -q '=-'; then
	both ee-serialneg inter "a serial number that is not positive"
fi
# the CA certificate itself checked as the target: a CA, not an end entity
expect_exit 0 "${CC[@]}" inter.pem --policy strict
# xe2e pki writes strict PKIs
expect_exit 0 "$XE2E" pki init p --user a@example.com --split --dsa --x400 'C=GB;S=Smith' -q
for f in p/a@example.com p/a@example.com-sign p/a@example.com-enc p/a@example.com-dsa p/x400-1; do
	expect_exit 0 "$XE2E" cert-check "$f.pem" --ca p/ca.pem --untrusted p/chain.pem \
		--crl p/crl.pem --crl-check require --policy strict
done
# verify agrees with cert-check under strict
printf 'Content-Type: text/plain\r\n\r\nhello\r\n' > m.eml
expect_exit 0 "$XE2E" sign --cert ee-noaki.pem --key k.pem --chain inter.pem -i m.eml -o s.eml
expect_exit 0 "$XE2E" verify --ca root.pem -i s.eml
expect_exit 6 "$XE2E" verify --ca root.pem --policy strict -i s.eml
exit 0
