#!/bin/bash
# t0810: what a second line-by-line read of the certificate, CRL, X.400 and
# report code found (tests/data/security-repro/review/, its README): each
# once passed or was shown wrong, each now holds.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
have_python || skip "python3 is needed to build the inputs"

R=$TESTS_SRCDIR/data/security-repro/review
CA=$R/pki/ca.pem
D=$TESTS_SRCDIR/der.py
cd "$SCRATCH" || hard_error "cd"

# --- a CRL scoped by nameRelativeToCRLIssuer was taken as out of scope, so a
# revoked certificate passed (RFC 5280 §5.2.5, §6.3.3 (b)(2)(i))
expect_fail 6 "$XE2E" cert-check "$R/leaf-fullname.pem" --ca "$CA" --crl "$R/crl-fullname.pem" --purpose sign
assert_stderr_matches "'CN=Partitioned 130,O=Example' is revoked"
expect_fail 6 "$XE2E" cert-check "$R/leaf-relative.pem" --ca "$CA" --crl "$R/crl-relative.pem" --purpose sign
assert_stderr_matches "'CN=Partitioned 129,O=Example' is revoked"
expect_fail 6 "$XE2E" verify --ca "$CA" --crl "$R/crl-relative.pem" --in "$R/signed-by-revoked.der" --out /dev/null
assert_stderr_matches "is revoked"
expect_exit 0 "$XE2E" cert-check "$R/leaf-relative.pem" --ca "$CA" --purpose sign
P=${XE2E_PKITS:-$TESTS_SRCDIR/../../shared/pkits}
if [ -d "$P/certs" ]; then	# PKITS 4.14.6 (EE serial 02 in distributionPoint2CACRL)
	expect_fail 6 "$XE2E" cert-check "$P/certs/InvaliddistributionPointTest6EE.crt" \
		--ca "$P/certs/TrustAnchorRootCertificate.crt" --untrusted "$P/certs/distributionPoint2CACert.crt" \
		--crl "$P/crls/TrustAnchorRootCRL.crl" --crl "$P/crls/distributionPoint2CACRL.crl" \
		--at 2020-01-01T00:00:00Z --policy rfc3850
	assert_stderr_matches "is revoked"
fi

# --- 16 certificates with 16384-bit RSA exponents and 64 forged CRLs cost
# 13 CPU-minutes; now the keys are refused and a candidate CRL key is used
# only after its own path validated
t0=$(now_ms)
expect_exit 0 "$XE2E" verify --ca "$CA" --in "$R/rsa-16certs-64crls.der" --out /dev/null
t1=$(now_ms)
assert_stderr_matches "signature ok, signer 'CN=Direct Signer,O=Example'"
assert_stderr_matches "ignored a CRL .* whose signature does not verify"
[ $((t1 - t0)) -lt $((2000 * SLOW)) ] || fail "16 hostile keys, 64 CRLs: $((t1 - t0)) ms"

# --- a CRL listing 256000 serials took 738 MB: entries are no longer a tree
openssl x509 -in "$CA" -outform DER -out ca.der 2>/dev/null || hard_error "openssl x509"
python3 "$D" crl-entries ca.der 256000 big.p7 || hard_error "der.py crl-entries"
size_kb=$(( $(stat -c %s big.p7) / 1024 ))
/usr/bin/time -f '%M' -o rss "$XE2E" verify --ca "$CA" --in big.p7 >/dev/null 2>err.txt
rc=$?
[ "$rc" = 4 ] || fail "verify of a certs-only message with a big CRL: exit $rc: $(cat err.txt)"
grep -q 'no signer' err.txt || fail "big CRL: $(cat err.txt)"
if [ -z "${XE2E_SANITIZE:-}" ]; then
	rss=$(tail -1 rss)
	[ "$rss" -lt $((size_kb * 10 + 20000)) ] || fail "a ${size_kb} KiB CRL took ${rss} KiB"
fi
# an entry that is not an entry fails the CRL, naming it
python3 - big.p7 bad.p7 <<'EOF' || hard_error "python"
import sys
d = bytearray(open(sys.argv[1], 'rb').read())
i = d.find(bytes.fromhex('020203e8'))    # serial 1000
d[i] = 0x04
open(sys.argv[2], 'wb').write(d)
EOF
expect_fail 2 "$XE2E" verify --ca "$CA" --in bad.p7
assert_stderr_matches "malformed revoked certificate entry 1000"

# --- a CRL-signing key of the issuer's name must chain to the anchor of the
# certificate (RFC 5280 §6.3.3 (f)); one issued by another anchor is not
# the issuer's
subj="/O=Example/CN=Example Test Root CA"
openssl genrsa -out k2.pem 2048 2>/dev/null || hard_error "openssl genrsa"
openssl req -new -key k2.pem -subj "$subj" -out k2.csr 2>/dev/null || hard_error "openssl req"
printf 'keyUsage=critical,cRLSign\nsubjectKeyIdentifier=hash\n' >crl.ext
for who in ca other-ca; do
	openssl x509 -req -in k2.csr -CA "$PKI/$who.pem" -CAkey "$PKI/$who.key" -set_serial 4242 -days 30 \
		-extfile crl.ext -out "signer-$who.pem" 2>/dev/null || hard_error "openssl x509"
	crl_ca "crl-$who" "signer-$who.pem" k2.pem
	crl_revoke "crl-$who" "$PKI/direct.pem"
	crl_gen "crl-$who" "$who.crl"
done
cat "$PKI/ca.pem" "$PKI/other-ca.pem" >anchors.pem
expect_fail 6 "$XE2E" cert-check "$PKI/direct.pem" --ca anchors.pem --untrusted signer-ca.pem \
	--crl ca.crl --purpose sign
assert_stderr_matches "'CN=Direct Signer,O=Example' is revoked"
expect_exit 0 "$XE2E" cert-check "$PKI/direct.pem" --ca anchors.pem --untrusted signer-other-ca.pem \
	--crl other-ca.crl --purpose sign
grep -q "ignored a CRL" "$OUT" "$ERR" || fail "the other anchor's CRL signer was not reported: $(cat "$OUT" "$ERR")"

# --- a newline in a subject forged entries of the chain and warning lists
expect_exit 0 "$XE2E" verify --ca "$CA" --in "$R/nl-cn-signed.der" --out /dev/null --json
json_check "$ERR" 'len(j["signers"][0]["chain"]) == 2 and j["signers"][0]["chain"][0].startswith("CN=Mallory\nCN=")'
expect_exit 0 "$XE2E" verify --ca "$CA" --in "$R/nl-cn-ca-signed.der" --out /dev/null --json
json_check "$ERR" 'len(j["signers"][0]["warnings"]) == 1 and len(j["signers"][0]["chain"]) == 2'
expect_exit 0 "$XE2E" verify --ca "$CA" --in "$R/nl-cn-ca-signed.der" --out /dev/null
[ "$(grep -c '' "$ERR")" = 6 ] || fail "human report: $(cat "$ERR")"
assert_stderr_matches "^  chain: CN=Mallory\\\\nCN=Bank Root CA,O=Evil Corp <- CN=Example Test Root CA,O=Example$"

# --- X.400 extension attributes were dropped: an address with CN=Mallory
# equalled one without
expect_fail 7 "$XE2E" cert-check "$R/x400-with-ext-attr.pem" --ca "$CA" --x400 'C=GB;ADMD= ;PRMD=Acme;O=Acme;S=Smith'
assert_stderr_matches 'EXT:1=#13074d616c6c6f7279'
expect_exit 0 "$XE2E" cert-check "$R/x400-with-ext-attr.pem" --ca "$CA" \
	--x400 'C=GB;ADMD= ;PRMD=Acme;O=Acme;S=Smith;EXT:1=#13074D616C6C6F7279'
expect_exit 0 "$XE2E" cert-check "$R/x400-plain.pem" --ca "$CA" --x400 'C=GB;ADMD= ;PRMD=Acme;O=Acme;S=Smith'
expect_fail 7 "$XE2E" cert-check "$R/x400-plain.pem" --ca "$CA" \
	--x400 'C=GB;ADMD= ;PRMD=Acme;O=Acme;S=Smith;EXT:1=#13074d616c6c6f7279'
expect_fail 1 "$XE2E" cert-check "$R/x400-plain.pem" --ca "$CA" --x400 'C=GB;EXT:1=Mallory'

# --- ", " inside an X.400 value forged names in the human lists
expect_exit 0 "$XE2E" verify --ca "$CA" --in "$R/x400-sep-signed.der" --out /dev/null
assert_stderr_matches "^  names: 'x400:C=GB;O=Acme, email:ceo@bank.example, xmpp:ceo@bank.example'$"
expect_fail 7 "$XE2E" cert-check "$R/x400-sep.pem" --ca "$CA" --email ceo@bank.example
assert_stderr_matches "\\(names: 'x400:C=GB;O=Acme, email:ceo@bank.example, xmpp:ceo@bank.example'\\)$"

# --- U+2028 passed raw into names and messages
expect_fail 2 "$XE2E" cert-check "$R/u2028.pem" --ca "$CA" --purpose sign
assert_stderr_matches 'CN=Mallory\\u2028CN=Juliet Capulet'
LC_ALL=C grep -q $'\xe2\x80\xa8' "$ERR" && fail "raw U+2028 in: $(cat "$ERR")"

# --- keyUsage bits in the unused bits of the BIT STRING were granted
openssl x509 -in "$PKI/direct.pem" -outform DER -out direct.der 2>/dev/null || hard_error "openssl x509"
# 03 02 05 a4: three bits (digitalSignature, keyEncipherment), 0x04 unused
python3 "$D" tbs-set-ext direct.der tbs.der 2.5.29.15 030205a4 9001 || hard_error "der.py tbs-set-ext"
openssl dgst -sha256 -sign "$PKI/ca.key" -out sig tbs.der 2>/dev/null || hard_error "openssl dgst"
python3 "$D" cert tbs.der sig ku.der 1.2.840.113549.1.1.11 || hard_error "der.py cert"
expect_exit 0 "$XE2E" cert-check ku.der --ca "$PKI/ca.pem"
grep -q '^key usage: digitalSignature, keyEncipherment (critical)$' "$OUT" ||
	grep -q '^key usage: digitalSignature, keyEncipherment$' "$OUT" || fail "key usage: $(cat "$OUT")"
exit 0
