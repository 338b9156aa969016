#!/bin/bash
# t0625-cert-check-crls: RFC 5280 §6.3.3 with CRLs made here (tests/mkcrl.py):
# a delta CRL (§5.2.4) revoking what its base CRL does not, and a
# removeFromCRL releasing a hold; a delta for a newer base is not used; a
# stale delta still revokes; an indirect CRL (§5.2.5 indirectCRL, §5.3.3
# certificateIssuer) from a separate CRL issuer serving a distribution
# point's cRLIssuer; onlySomeReasons CRLs that must be put together; unknown
# critical CRL and entry extensions (a critical cRLNumber is fine); and
# verify reaching cert-check's verdicts with the same CRLs.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
have_python || hard_error "python3 is needed (installed by .ci/deps)"

S=$SCRATCH
cd "$S" || hard_error "cd"
MKCRL=("$XE2E_PYTHON" "$TESTS_SRCDIR/mkcrl.py" --key k.pem)
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out k.pem 2>/dev/null || hard_error "genpkey"
: > x.cnf
cnf_section ca ca
cnf_section crlsigner ca basicConstraints=- keyUsage=critical,cRLSign
cnf_section ee ee
cnf_section ee_indirect ee crlDistributionPoints=dp
cat >> x.cnf <<'EOF'
[ dp ]
fullname = URI:http://crl.example.com/indirect.crl
CRLissuer = dirName:crl_issuer
[ crl_issuer ]
O = Example
CN = CRL Issuer
EOF
ossl_cert root "/O=Example/CN=CRL Root" - ca
ossl_cert inter "/O=Example/CN=CRL Inter" root ca 100
for n in 1001 1002 1003 1004; do ossl_cert "ee$n" "/O=Example/CN=Juliet $n" inter ee "$n"; done
"${MKCRL[@]}" --issuer root.pem --out root.crl --number 1 || hard_error "mkcrl"
CC=("$XE2E" cert-check --ca root.pem --untrusted inter.pem --crl root.crl --crl-check require)

# a base CRL (number 5) and its delta (number 6, base 5)
"${MKCRL[@]}" --issuer inter.pem --out base.crl --number 5 \
	--revoke 1001:keyCompromise --revoke 1003:certificateHold || hard_error "mkcrl"
"${MKCRL[@]}" --issuer inter.pem --out delta.crl --number 6 --delta 5 \
	--revoke 1002:keyCompromise --revoke 1003:removeFromCRL || hard_error "mkcrl"
expect_fail 6 "${CC[@]}" ee1001.pem --crl base.crl --crl delta.crl
assert_stderr_matches "is revoked \(keyCompromise; CRL of 'CN=CRL Inter,O=Example'"
# revoked by the delta only
expect_exit 0 "${CC[@]}" ee1002.pem --crl base.crl
expect_fail 6 "${CC[@]}" ee1002.pem --crl base.crl --crl delta.crl
assert_stderr_matches "is revoked \(keyCompromise; delta CRL of"
# on hold in the base, released by the delta's removeFromCRL
expect_fail 6 "${CC[@]}" ee1003.pem --crl base.crl
assert_stderr_matches "certificateHold"
expect_exit 0 "${CC[@]}" ee1003.pem --crl base.crl --crl delta.crl
expect_exit 0 "${CC[@]}" ee1004.pem --crl base.crl --crl delta.crl
# a delta alone is no complete CRL
expect_fail 6 "${CC[@]}" ee1004.pem --crl delta.crl
assert_stderr_matches "no usable CRL for 'CN=CRL Inter,O=Example': only delta CRLs"
# a delta for a newer base (7 > 5) does not complete this one: its
# removeFromCRL releases nothing -- but a final reason in any authentic CRL
# of the issuer still revokes
"${MKCRL[@]}" --issuer inter.pem --out delta7.crl --number 8 --delta 7 \
	--revoke 1002:keyCompromise --revoke 1003:removeFromCRL || hard_error "mkcrl"
expect_fail 6 "${CC[@]}" ee1002.pem --crl base.crl --crl delta7.crl
expect_fail 6 "${CC[@]}" ee1003.pem --crl base.crl --crl delta7.crl
assert_stderr_matches "certificateHold"
expect_exit 0 "${CC[@]}" ee1004.pem --crl base.crl --crl delta7.crl
# ... nor does an older delta (number 4 < 5), nor one without a cRLNumber
"${MKCRL[@]}" --issuer inter.pem --out delta4.crl --number 4 --delta 3 \
	--revoke 1003:removeFromCRL || hard_error "mkcrl"
expect_fail 6 "${CC[@]}" ee1003.pem --crl base.crl --crl delta4.crl
"${MKCRL[@]}" --issuer inter.pem --out deltan.crl --delta 5 --revoke 1003:removeFromCRL || hard_error "mkcrl"
expect_fail 6 "${CC[@]}" ee1003.pem --crl base.crl --crl deltan.crl
# removeFromCRL in a complete CRL is a revocation (§5.3.1: deltas only)
"${MKCRL[@]}" --issuer inter.pem --out rm.crl --number 5 --revoke 1004:removeFromCRL || hard_error "mkcrl"
expect_fail 6 "${CC[@]}" ee1004.pem --crl rm.crl
assert_stderr_matches "removeFromCRL in a complete CRL"
# an older CRL does not mask a revocation in a newer one that has expired
"${MKCRL[@]}" --issuer inter.pem --out old.crl --number 3 --this-days -5 || hard_error "mkcrl"
"${MKCRL[@]}" --issuer inter.pem --out newstale.crl --number 4 --this-days -3 --next-days -1 \
	--revoke 1004:keyCompromise || hard_error "mkcrl"
expect_exit 0 "${CC[@]}" ee1004.pem --crl old.crl
expect_fail 6 "${CC[@]}" ee1004.pem --crl old.crl --crl newstale.crl
# a stale delta still revokes (a stale CRL never masks a revocation), but
# its removeFromCRL releases nothing
"${MKCRL[@]}" --issuer inter.pem --out stale.crl --number 6 --delta 5 --this-days -3 --next-days -1 \
	--revoke 1002:keyCompromise --revoke 1003:removeFromCRL || hard_error "mkcrl"
expect_fail 6 "${CC[@]}" ee1002.pem --crl base.crl --crl stale.crl
expect_fail 6 "${CC[@]}" ee1003.pem --crl base.crl --crl stale.crl
expect_exit 0 "${CC[@]}" ee1004.pem --crl base.crl --crl stale.crl
# a delta signed by another key of another name is not authentic
"${MKCRL[@]}" --issuer root.pem --out rdelta.crl --number 6 --delta 5 --revoke 1002:keyCompromise ||
	hard_error "mkcrl"
expect_exit 0 "${CC[@]}" ee1002.pem --crl base.crl --crl rdelta.crl

# unknown critical extensions make a CRL unusable; a critical cRLNumber does not
"${MKCRL[@]}" --issuer inter.pem --out crit.crl --number 5 --unknown-critical || hard_error "mkcrl"
expect_fail 6 "${CC[@]}" ee1004.pem --crl crit.crl
assert_stderr_matches "it has an unknown critical extension"
"${MKCRL[@]}" --issuer inter.pem --out ecrit.crl --number 5 --entry-unknown-critical --revoke 9 ||
	hard_error "mkcrl"
expect_fail 6 "${CC[@]}" ee1004.pem --crl ecrit.crl
assert_stderr_matches "an entry has an unknown critical extension"
"${MKCRL[@]}" --issuer inter.pem --out ncrit.crl --number 5 --number-critical --revoke 1001 ||
	hard_error "mkcrl"
expect_exit 0 "${CC[@]}" ee1004.pem --crl ncrit.crl
expect_fail 6 "${CC[@]}" ee1001.pem --crl ncrit.crl

# an extension twice is malformed, in the CRL or in an entry (§4.2, §5.3)
"${MKCRL[@]}" --issuer inter.pem --out dupr.crl --number 5 --dup-reason --revoke 1004:removeFromCRL ||
	hard_error "mkcrl"
expect_fail 2 "${CC[@]}" ee1004.pem --crl dupr.crl
assert_stderr_matches "malformed revoked certificate entry 1"
"${MKCRL[@]}" --issuer inter.pem --out dupn.crl --number 5 --dup-number || hard_error "mkcrl"
expect_fail 2 "${CC[@]}" ee1004.pem --crl dupn.crl
assert_stderr_matches "duplicate or unreadable extension"
# more CRLs in scope than are kept: refused, never some of them ignored
for i in $(seq 1 65); do
	"${MKCRL[@]}" --issuer inter.pem --out "many$i.crl" --number "$i" || hard_error "mkcrl"
done
expect_fail 6 "${CC[@]}" ee1004.pem $(printf -- '--crl many%d.crl ' $(seq 1 65))
assert_stderr_matches "more than 64 CRLs for 'CN=Juliet 1004,O=Example'"

# onlySomeReasons: two CRLs that together cover every reason
"${MKCRL[@]}" --issuer inter.pem --out some1.crl --number 5 --idp-reasons keyCompromise,cACompromise \
	--revoke 1001:keyCompromise || hard_error "mkcrl"
"${MKCRL[@]}" --issuer inter.pem --out some2.crl --number 5 \
	--idp-reasons unused,affiliationChanged,superseded,cessationOfOperation,certificateHold,privilegeWithdrawn,aACompromise \
	--revoke 1002:affiliationChanged || hard_error "mkcrl"
expect_fail 6 "${CC[@]}" ee1004.pem --crl some1.crl
assert_stderr_matches "do not cover every revocation reason"
expect_exit 0 "${CC[@]}" ee1004.pem --crl some1.crl --crl some2.crl
expect_fail 6 "${CC[@]}" ee1001.pem --crl some1.crl --crl some2.crl
expect_fail 6 "${CC[@]}" ee1002.pem --crl some1.crl --crl some2.crl
assert_stderr_matches "revoked \(affiliationChanged"
# "unused" (bit 0) is no reason: bits 1-8 are every reason
"${MKCRL[@]}" --issuer inter.pem --out some3.crl --number 5 \
	--idp-reasons affiliationChanged,superseded,cessationOfOperation,certificateHold,privilegeWithdrawn,aACompromise ||
	hard_error "mkcrl"
expect_exit 0 "${CC[@]}" ee1004.pem --crl some1.crl --crl some3.crl

# an indirect CRL: a separate CRL issuer serves inter2's distribution point
ossl_cert crliss "/O=Example/CN=CRL Issuer" root crlsigner 300
ossl_cert inter2 "/O=Example/CN=CRL Inter 2" root ca 200
for n in 2001 2002 2003; do ossl_cert "ind$n" "/O=Example/CN=Juliet $n" inter2 ee_indirect "$n"; done
# 2003 is listed for the CRL issuer itself (before any certificateIssuer),
# 2001 for inter2
"${MKCRL[@]}" --issuer crliss.pem --out indirect.crl --number 1 --idp-indirect \
	--revoke 2003:keyCompromise --revoke 2001:keyCompromise:inter2.pem || hard_error "mkcrl"
CI=("$XE2E" cert-check --ca root.pem --untrusted inter2.pem --untrusted crliss.pem --crl root.crl
    --crl-check require)
expect_fail 6 "${CI[@]}" ind2001.pem --crl indirect.crl
assert_stderr_matches "revoked \(keyCompromise; CRL of 'CN=CRL Issuer,O=Example'"
expect_exit 0 "${CI[@]}" ind2002.pem --crl indirect.crl
expect_exit 0 "${CI[@]}" ind2003.pem --crl indirect.crl
# the same CRL without indirectCRL is no CRL for inter2's certificates...
"${MKCRL[@]}" --issuer crliss.pem --out direct.crl --number 1 \
	--revoke 2001:keyCompromise || hard_error "mkcrl"
expect_fail 6 "${CI[@]}" ind2002.pem --crl direct.crl
assert_stderr_matches "no CRL for 'CN=CRL Inter 2,O=Example'"
# ... nor is inter2's own CRL, for a point served by the CRL issuer
"${MKCRL[@]}" --issuer inter2.pem --out inter2.crl --number 1 || hard_error "mkcrl"
expect_fail 6 "${CI[@]}" ind2002.pem --crl inter2.crl
# and a certificateIssuer in a CRL that is not indirect makes it unusable
"${MKCRL[@]}" --issuer inter.pem --out notind.crl --number 5 --revoke 7:keyCompromise:inter2.pem ||
	hard_error "mkcrl"
expect_fail 6 "${CC[@]}" ee1004.pem --crl notind.crl
assert_stderr_matches "names a certificate issuer but the CRL is not indirect"

# verify reaches cert-check's verdicts with the same CRLs
printf 'Content-Type: text/plain\r\n\r\nhello\r\n' > m.eml
expect_exit 0 "$XE2E" sign --cert ee1002.pem --key k.pem --chain inter.pem -i m.eml -o s.eml
expect_exit 0 "$XE2E" verify --ca root.pem --crl root.crl --crl base.crl --crl-check require -i s.eml
expect_fail 6 "$XE2E" verify --ca root.pem --crl root.crl --crl base.crl --crl delta.crl \
	--crl-check require -i s.eml
assert_stderr_matches "delta CRL"
expect_exit 0 "$XE2E" sign --cert ind2001.pem --key k.pem --chain inter2.pem -i m.eml -o i.eml
expect_fail 6 "$XE2E" verify --ca root.pem --untrusted crliss.pem --crl root.crl --crl indirect.crl \
	--crl-check require -i i.eml
exit 0
