#!/bin/bash
# t0624-cert-check-policies: RFC 5280 §6.1.2-§6.1.5 with certificates made
# here: a policy mapping (issuer P1 = subject P2) is followed, and not
# under --inhibit-policy-mapping; --policy-oid and --explicit-policy; a
# CA's requireExplicitPolicy and inhibitAnyPolicy; a mapping of anyPolicy
# fails; a policy listed twice is malformed; the policy sets are in the
# report and --json; and verify and unwrap reach cert-check's verdicts with
# the same policy inputs.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

S=$SCRATCH
cd "$S" || hard_error "cd"
P1=1.3.6.1.4.1.32473.1.1
P2=1.3.6.1.4.1.32473.1.2
P3=1.3.6.1.4.1.32473.1.3
# OIDs long enough that a 128-octet line would cut them (review findings):
# LONG (108 characters) and CUT, a different OID that is LONG's first 105;
# LONGI (117); TOOLONG (143) is past what libtasn1 returns whole
LONG=1.3.6.1.4.1.32473.999$(printf '.99%.0s' $(seq 1 29))
CUT=${LONG:0:105}
LONGI=1.3.6.1.4.1.32473$(printf '.999%.0s' $(seq 1 25))
TOOLONG=1.3.6.1.4.1.32473$(printf '.99999%.0s' $(seq 1 22))
[ ${#LONG} = 108 ] && [ ${#LONGI} = 117 ] || hard_error "OID lengths"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out k.pem 2>/dev/null || hard_error "genpkey"
: > x.cnf
cnf_section ca ca authorityKeyIdentifier=-
cnf_section map ca "certificatePolicies=$P1" "policyMappings=$P1:$P2"
cnf_section require ca "certificatePolicies=$P1" "policyConstraints=critical,requireExplicitPolicy:0"
cnf_section noany ca certificatePolicies=2.5.29.32.0 inhibitAnyPolicy=critical,0
cnf_section anymap ca "certificatePolicies=$P1" "policyMappings=$P1:2.5.29.32.0"
cnf_section longmap ca "certificatePolicies=$P1" "policyMappings=$P1:$LONG"
cnf_section longany ca "certificatePolicies=$LONGI" "policyMappings=$LONGI:2.5.29.32.0"
cnf_section ee ee \
	"subjectAltName=email:juliet@example.com,otherName:1.3.6.1.5.5.7.8.5;UTF8:juliet@example.com" \
	'certificatePolicies=$ENV::POL'
cnf_section ee_nopol ee
cert() { POL=${5:-$P2} ossl_cert "$1" "$2" "$3" "$4"; }
cert root "/O=Example/CN=Policy Root" - ca
cert map "/O=Example/CN=Mapping CA" root map
cert ee "/O=Example/CN=Juliet" map ee
CC=("$XE2E" cert-check ee.pem --ca root.pem --untrusted map.pem --crl-check if-present)

# the mapping is followed: P2 below the CA is P1 in the anchor's domain
expect_exit 0 "${CC[@]}"
assert_stdout_matches "authority-constrained policies: $P1\$"
assert_stdout_matches "user-constrained policies: $P1\$"
expect_exit 0 "${CC[@]}" --policy-oid "$P1" --explicit-policy --json
json_check "$OUT" "j['certificate_policies'] == {'authority_constrained': ['$P1'], 'user_constrained': ['$P1']}"
# a policy the user does not accept: valid without --explicit-policy (with
# an empty user-constrained set), not valid with it
expect_exit 0 "${CC[@]}" --policy-oid "$P3"
assert_stdout_matches "user-constrained policies: \\(none\\)"
expect_fail 6 "${CC[@]}" --policy-oid "$P3" --explicit-policy
assert_stderr_matches "no acceptable certificate policy for 'CN=Juliet,O=Example' and an explicit policy is required"
# P2 is not P1's own name: only through the mapping
expect_fail 6 "${CC[@]}" --policy-oid "$P2" --explicit-policy
# with mapping inhibited, P2 matches nothing
expect_fail 6 "${CC[@]}" --inhibit-policy-mapping --explicit-policy
assert_stderr_matches "leaves no valid certificate policy and an explicit policy is required"
expect_exit 0 "${CC[@]}" --inhibit-policy-mapping
assert_stdout_matches "authority-constrained policies: \\(none\\)"
# an end entity that asserts P1 itself is not covered below the mapping CA
cert ee1 "/O=Example/CN=Juliet" map ee "$P1"
expect_fail 6 "$XE2E" cert-check ee1.pem --ca root.pem --untrusted map.pem --explicit-policy
# two --policy-oid: either is acceptable; a bad OID is a usage error
expect_exit 0 "${CC[@]}" --policy-oid "$P3" --policy-oid "$P1" --explicit-policy
expect_fail 1 "${CC[@]}" --policy-oid "1.2.x"
assert_stderr_matches "not a dotted object identifier"
expect_fail 1 "${CC[@]}" --policy-oid "01.2"
expect_exit 0 "${CC[@]}" --policy-oid anyPolicy --explicit-policy

# requireExplicitPolicy 0 in a CA: its end entity must assert a policy
cert req "/O=Example/CN=Require CA" root require
cert req-ee "/O=Example/CN=Juliet" req ee "$P1"
expect_exit 0 "$XE2E" cert-check req-ee.pem --ca root.pem --untrusted req.pem
cert req-none "/O=Example/CN=Juliet" req ee_nopol
expect_fail 6 "$XE2E" cert-check req-none.pem --ca root.pem --untrusted req.pem
assert_stderr_matches "'CN=Juliet,O=Example' leaves no valid certificate policy"
# without it, a missing policy is fine unless asked
cert map-none "/O=Example/CN=Juliet" map ee_nopol
expect_exit 0 "$XE2E" cert-check map-none.pem --ca root.pem --untrusted map.pem
expect_fail 6 "$XE2E" cert-check map-none.pem --ca root.pem --untrusted map.pem --explicit-policy

# inhibitAnyPolicy 0: anyPolicy in the end entity no longer matches
cert noany "/O=Example/CN=No Any CA" root noany
cert noany-ee "/O=Example/CN=Juliet" noany ee 2.5.29.32.0
expect_exit 0 "$XE2E" cert-check noany-ee.pem --ca root.pem --untrusted noany.pem
expect_fail 6 "$XE2E" cert-check noany-ee.pem --ca root.pem --untrusted noany.pem --explicit-policy
# ... while --inhibit-any-policy inhibits it from the start
cert noany-p1 "/O=Example/CN=Juliet" noany ee "$P1"
expect_exit 0 "$XE2E" cert-check noany-p1.pem --ca root.pem --untrusted noany.pem --explicit-policy
expect_fail 6 "$XE2E" cert-check noany-p1.pem --ca root.pem --untrusted noany.pem --explicit-policy \
	--inhibit-any-policy

# a mapping to anyPolicy fails the path (RFC 5280 §6.1.4 (a))
cert anymap "/O=Example/CN=Any Map CA" root anymap
cert anymap-ee "/O=Example/CN=Juliet" anymap ee "$P1"
expect_fail 6 "$XE2E" cert-check anymap-ee.pem --ca root.pem --untrusted anymap.pem
assert_stderr_matches "maps anyPolicy"

# a policy listed twice is malformed (§4.2.1.4), whichever command reads it
cert twice "/O=Example/CN=Juliet" map ee "$P2,$P2"
expect_fail 2 "$XE2E" cert-check twice.pem --ca root.pem --untrusted map.pem
assert_stderr_matches "policy $P2 appears twice"

# long OIDs are never cut into other OIDs: a mapping to a 108-character
# policy maps to that policy, not to its prefix; a mapping of anyPolicy
# after a long issuer policy is still one; an OID libtasn1 would cut is
# malformed
cert longmap "/O=Example/CN=Long Map CA" root longmap
cert long-ee "/O=Example/CN=Juliet" longmap ee "$LONG"
expect_exit 0 "$XE2E" cert-check long-ee.pem --ca root.pem --untrusted longmap.pem --policy-oid "$P1" \
	--explicit-policy
cert cut-ee "/O=Example/CN=Juliet" longmap ee "$CUT"
expect_fail 6 "$XE2E" cert-check cut-ee.pem --ca root.pem --untrusted longmap.pem --policy-oid "$P1" \
	--explicit-policy
cert longany "/O=Example/CN=Long Any CA" root longany
cert longany-ee "/O=Example/CN=Juliet" longany ee 2.5.29.32
expect_fail 6 "$XE2E" cert-check longany-ee.pem --ca root.pem --untrusted longany.pem --policy-oid "$LONGI" \
	--explicit-policy
assert_stderr_matches "maps anyPolicy"
cert toolong "/O=Example/CN=Juliet" map ee "$TOOLONG"
expect_fail 2 "$XE2E" cert-check toolong.pem --ca root.pem --untrusted map.pem
assert_stderr_matches "object identifier too long"
expect_fail 1 "${CC[@]}" --policy-oid "$TOOLONG"

# verify and unwrap: the same inputs, the same verdicts, the sets in --json
printf 'Content-Type: text/plain\r\n\r\nhello\r\n' > m.eml
expect_exit 0 "$XE2E" sign --cert ee.pem --key k.pem --chain map.pem -i m.eml -o s.eml
expect_exit 0 "$XE2E" verify --ca root.pem -i s.eml --policy-oid "$P1" --explicit-policy --json
json_check "$ERR" "j['signers'][0]['certificate_policies']['user_constrained'] == ['$P1']"
expect_fail 6 "$XE2E" verify --ca root.pem -i s.eml --policy-oid "$P3" --explicit-policy
assert_stderr_matches "no acceptable certificate policy"
printf "<message xmlns='jabber:client' from='juliet@example.com/a' to='romeo@example.net'><body>hi</body></message>" > j.xml
expect_exit 0 "$XE2E" wrap --cert ee.pem --key k.pem --chain map.pem --state st -i j.xml -o j.w
expect_exit 0 "$XE2E" unwrap --ca root.pem --state su1 -i j.w --policy-oid "$P1" --explicit-policy
expect_fail 6 "$XE2E" unwrap --ca root.pem --state su2 -i j.w --inhibit-policy-mapping --explicit-policy
exit 0
