#!/bin/bash
# t0620-cert-check-name-constraints: RFC 5280 §4.2.1.10 / §6.1.3 (b)-(c)
# with certificates made here: an intermediate constrained to example.com
# (rfc822Name host and domain forms, dNSName, URI host, iPAddress v4 and
# v6, directoryName) with excluded subtrees accepts what is inside and
# refuses what is outside or excluded -- SAN names, the subject, the
# subject's emailAddress when there is no SAN; a constrained trust anchor
# constrains (RFC 5937); a non-critical extension constrains too; a
# critical constraint of a form xe2e does not process (otherName) refuses
# a certificate with a name of that form and only that; and verify and
# unwrap reach cert-check's verdicts on the same chains.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

S=$SCRATCH
cd "$S" || hard_error "cd"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out k.pem 2>/dev/null || hard_error "genpkey"
: > x.cnf
cnf_section ca ca authorityKeyIdentifier=-
cnf_section nc_inter ca "nameConstraints=critical,permitted;email:example.com,permitted;email:.example.com,permitted;DNS:example.com,permitted;URI:.example.com,permitted;IP:10.0.0.0/255.0.0.0,permitted;IP:2001:db8::/ffff:ffff::,permitted;dirName:dir_ok,excluded;email:.bad.example.com,excluded;DNS:bad.example.com,excluded;dirName:dir_bad"
cnf_section nc_soft ca "nameConstraints=permitted;email:example.com"
cnf_section nc_anchor ca authorityKeyIdentifier=- "nameConstraints=critical,permitted;email:.example.net"
cnf_section nc_other ca "nameConstraints=critical,permitted;otherName:1.3.6.1.5.5.7.8.5;UTF8:example.com"
cnf_section nc_other_soft ca "nameConstraints=permitted;otherName:1.3.6.1.5.5.7.8.5;UTF8:example.com"
cnf_section ee ee 'subjectAltName=$ENV::SAN'
cnf_section ee_nosan ee subjectAltName=-
cat >> x.cnf <<'EOF'
[ dir_ok ]
O = Example
[ dir_bad ]
O = Example
OU = Bad
EOF
# cert NAME SUBJECT ISSUER EXT [SAN] (lib.sh ossl_cert; x.cnf's ee reads SAN)
cert() { SAN=${5:-email:x@example.com} ossl_cert "$1" "$2" "$3" "$4"; }
cert root "/O=Example/CN=NC Root" - ca
cert inter "/O=Example/CN=NC Inter" root nc_inter
CC=("$XE2E" cert-check --ca root.pem --untrusted inter.pem --crl-check if-present)

ok() { cert "$1" "$2" inter ee "$3"; expect_exit 0 "${CC[@]}" "$1.pem"; }
no() {
	cert "$1" "$2" inter ee "$3"
	expect_fail 6 "${CC[@]}" "$1.pem"
	assert_stderr_matches "$4"
}
ok good "/O=Example/CN=Juliet" "email:juliet@example.com,email:j@mail.example.com,DNS:mail.example.com,DNS:example.com,URI:https://www.example.com/x,IP:10.1.2.3,IP:2001:db8::5"
no mail-out "/O=Example/CN=Iago" "email:iago@evil.example" "the name 'iago@evil.example' is not within the permitted"
# "example.com" is that host only; ".example.com" its subdomains: not a look-alike
no mail-alike "/O=Example/CN=Iago" "email:iago@notexample.com" "not within the permitted"
no mail-excluded "/O=Example/CN=Iago" "email:iago@x.bad.example.com" "'iago@x.bad.example.com' is excluded"
no dns-out "/O=Example/CN=Iago" "DNS:evil.example" "'evil.example' is not within"
no dns-alike "/O=Example/CN=Iago" "DNS:badexample.com" "not within"
no dns-excluded "/O=Example/CN=Iago" "DNS:www.bad.example.com" "excluded"
no uri-out "/O=Example/CN=Iago" "URI:https://evil.example/x" "not within"
no uri-nohost "/O=Example/CN=Iago" "URI:urn:isbn:0451450523" "cannot be checked .*no host"
no ip-out "/O=Example/CN=Iago" "IP:192.168.1.1" "an iPAddress is not within"
no ip6-out "/O=Example/CN=Iago" "IP:2001:db9::1" "an iPAddress is not within"
no dir-out "/O=Evil/CN=Iago" "email:iago@example.com" "a directoryName .or the subject. is not within"
no dir-excluded "/O=Example/OU=Bad/CN=Iago" "email:iago@example.com" "a directoryName .or the subject. is excluded"
# the subject's emailAddress counts when there is no subjectAltName
cert nosan-out "/O=Example/CN=Iago/emailAddress=iago@evil.example" inter ee_nosan
expect_fail 6 "${CC[@]}" nosan-out.pem
assert_stderr_matches "'iago@evil.example' is not within"
cert nosan-in "/O=Example/CN=Juliet/emailAddress=juliet@example.com" inter ee_nosan
expect_exit 0 "${CC[@]}" nosan-in.pem
# ... and also when there is a SAN: xe2e matches the emailAddress as a
# name (cert-check --email), so it is checked whatever (as OpenSSL does)
no san-email "/O=Example/CN=Iago/emailAddress=iago@evil.example" "email:iago@example.com" \
	"'iago@evil.example' is not within"
no san-dns "/O=Example/CN=Iago/emailAddress=iago@evil.example" "DNS:mail.example.com" \
	"'iago@evil.example' is not within"
# names a constraint cannot be applied to fail closed; a trailing dot, an
# IPv4-mapped address or an XMPP URI's domain are what they are
no mail-noat "/O=Example/CN=Iago" "email:evil.example" "cannot be checked .*no mailbox"
no dns-dot "/O=Example/CN=Iago" "DNS:www.bad.example.com." "excluded"
no ip-mapped "/O=Example/CN=Iago" "IP:::ffff:192.168.1.1" "an iPAddress is not within"
ok ip-mapped-in "/O=Example/CN=Juliet" "IP:::ffff:10.9.9.9"
no uri-im-out "/O=Example/CN=Iago" "URI:im:iago@evil.example" "not within"
ok uri-im-in "/O=Example/CN=Juliet" "URI:im:juliet@www.example.com,email:juliet@example.com"
no uri-pct "/O=Example/CN=Iago" "URI:http://%65vil.example/" "cannot be checked .*no host"

# a non-critical extension constrains as well
cert soft "/O=Example/CN=NC Soft" root nc_soft
cert soft-out "/O=Example/CN=Iago" soft ee "email:iago@evil.example"
expect_fail 6 "$XE2E" cert-check soft-out.pem --ca root.pem --untrusted soft.pem
cert soft-in "/O=Example/CN=Juliet" soft ee "email:juliet@example.com"
expect_exit 0 "$XE2E" cert-check soft-in.pem --ca root.pem --untrusted soft.pem

# a constrained trust anchor constrains (RFC 5937)
cert ta "/O=Example/CN=NC Anchor" - nc_anchor
cert ta-in "/O=Example/CN=Romeo" ta ee "email:romeo@x.example.net"
expect_exit 0 "$XE2E" cert-check ta-in.pem --ca ta.pem
cert ta-out "/O=Example/CN=Romeo" ta ee "email:romeo@example.com"
expect_fail 6 "$XE2E" cert-check ta-out.pem --ca ta.pem
assert_stderr_matches "not within the permitted name constraints of 'CN=NC Anchor,O=Example'"

# a form xe2e does not process (otherName): refused only when critical and
# the certificate has such a name
cert other "/O=Example/CN=NC Other" root nc_other
cert other-xmpp "/O=Example/CN=Juliet" other ee "otherName:1.3.6.1.5.5.7.8.5;UTF8:juliet@example.com"
expect_fail 6 "$XE2E" cert-check other-xmpp.pem --ca root.pem --untrusted other.pem
assert_stderr_matches "a name of a form .* that the critical name constraints"
cert other-mail "/O=Example/CN=Juliet" other ee "email:juliet@example.com"
expect_exit 0 "$XE2E" cert-check other-mail.pem --ca root.pem --untrusted other.pem
cert osoft "/O=Example/CN=NC Other Soft" root nc_other_soft
cert osoft-xmpp "/O=Example/CN=Juliet" osoft ee "otherName:1.3.6.1.5.5.7.8.5;UTF8:juliet@example.com"
expect_exit 0 "$XE2E" cert-check osoft-xmpp.pem --ca root.pem --untrusted osoft.pem

# verify and unwrap reach the same verdicts on the same chains
printf 'Content-Type: text/plain\r\n\r\nhello\r\n' > m.eml
for c in good mail-out; do
	want=0
	[ "$c" = good ] || want=6
	expect_exit 0 "$XE2E" sign --cert "$c.pem" --key k.pem --chain inter.pem -i m.eml -o "$c.eml"
	expect_exit $want "$XE2E" verify --ca root.pem -i "$c.eml"
done
cert xj "/O=Example/CN=Juliet" inter ee "email:juliet@example.com,otherName:1.3.6.1.5.5.7.8.5;UTF8:juliet@example.com"
cert xi "/O=Example/CN=Iago" inter ee "email:iago@evil.example,otherName:1.3.6.1.5.5.7.8.5;UTF8:iago@evil.example"
expect_exit 0 "${CC[@]}" xj.pem
expect_fail 6 "${CC[@]}" xi.pem
printf "<message xmlns='jabber:client' from='juliet@example.com/a' to='romeo@example.net'><body>hi</body></message>" > j.xml
printf "<message xmlns='jabber:client' from='iago@evil.example/a' to='romeo@example.net'><body>hi</body></message>" > i.xml
expect_exit 0 "$XE2E" wrap --cert xj.pem --key k.pem --chain inter.pem --state st1 -i j.xml -o j.w
expect_exit 0 "$XE2E" wrap --cert xi.pem --key k.pem --chain inter.pem --state st2 -i i.xml -o i.w
expect_exit 0 "$XE2E" unwrap --ca root.pem --state su1 -i j.w
expect_exit 6 "$XE2E" unwrap --ca root.pem --state su2 -i i.w
exit 0
