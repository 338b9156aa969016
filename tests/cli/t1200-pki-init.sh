#!/bin/bash
# t1200-pki-init: `xe2e pki init` makes a test PKI whose every certificate
# passes `xe2e cert-check` (policy strict) for its purpose and names and
# `openssl verify -x509_strict` with the CRLs; the revoked and expired ones
# fail both; the names, key usages, CRLs and serials are as documented; bad
# options are usage errors; an existing PKI is kept unless --force.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

D=$SCRATCH/pki
X400='C=GB;ADMD= ;PRMD=Acme;O=Acme;OU=Sales;S=Smith;G=John'

# --- usage errors: exit 1, one line, nothing written --------------------------
expect_fail 1 "$XE2E" pki
expect_fail 1 "$XE2E" pki frob "$D"
expect_fail 1 "$XE2E" pki init
expect_fail 1 "$XE2E" pki init "$D" "$D.2"
expect_fail 1 "$XE2E" pki init "$D" --user 'juliet example.com'
expect_fail 1 "$XE2E" pki init "$D" --user 'juliet@-bad.example'
expect_fail 1 "$XE2E" pki init "$D" --user 'juliet@example.com/balcony'
expect_fail 1 "$XE2E" pki init "$D" --user '../x@example.com'
expect_fail 1 "$XE2E" pki init "$D" --user a@example.com --user A@example.com
assert_stderr_matches 'given twice'
expect_fail 1 "$XE2E" pki init "$D" --bits 1024
expect_fail 1 "$XE2E" pki init "$D" --bits 2048x
expect_fail 1 "$XE2E" pki init "$D" --days 0
expect_fail 1 "$XE2E" pki init "$D" --now yesterday
expect_fail 1 "$XE2E" pki init "$D" --x400 'Q=1'
expect_fail 1 "$XE2E" pki init "$D" --x400 'C=GB;DDA:x=y'
assert_stderr_matches 'cannot be encoded'
expect_fail 1 "$XE2E" pki init "$D" --x400 'C=GB;G=John'
assert_stderr_matches 'without S'
expect_fail 1 "$XE2E" pki init "$D" --x400 'C=G_B;S=Smith'
expect_fail 1 "$XE2E" pki init "$D" --fixture-seed 0g
expect_fail 1 "$XE2E" pki init "$D" --fixture-seed 012
# the identity is the CN: at most 64 characters (RFC 5280 ub-common-name)
expect_fail 1 "$XE2E" pki init "$D" --user "$(printf 'a%.0s' {1..53})@example.com"
# X.411 upper bounds
expect_fail 1 "$XE2E" pki init "$D" --x400 'C=GBR;S=Smith'
expect_fail 1 "$XE2E" pki init "$D" --x400 "C=GB;ADMD=$(printf 'x%.0s' {1..17});S=Smith"
expect_fail 1 "$XE2E" pki init "$D" --x400 'C=GB;S=Smith;I=ABCDEF'
# GnuTLS cannot write past 9999: refused, not clamped
expect_fail 1 "$XE2E" pki init "$D" --now 9999-12-31T23:59:59Z --days 1
expect_fail 1 "$XE2E" pki init "$D" --now 1970-01-02T00:00:00Z
[ -e "$D" ] && fail "a usage error created $D"
# two files of one name are refused before anything is written
expect_fail 1 "$XE2E" pki init "$D" --user a@b.example --user a@b.example-sign --split
assert_stderr_matches "two files would be named 'a@b.example-sign.pem'"
[ -e "$D/ca.pem" ] && fail "a refused init wrote ca.pem"
rm -rf "$D"
# keys go nowhere others can write
mkdir -m 0777 "$SCRATCH/open"
chmod 0777 "$SCRATCH/open"
expect_fail 1 "$XE2E" pki init "$SCRATCH/open"
assert_stderr_matches 'writable by others'
# a dangling link named ca.key is a PKI: its target is never written
mkdir "$SCRATCH/link"
ln -s "$SCRATCH/target" "$SCRATCH/link/ca.key"
expect_fail 1 "$XE2E" pki init "$SCRATCH/link"
[ -e "$SCRATCH/target" ] && fail "the key went through a dangling link"

# --- a full PKI -----------------------------------------------------------------
expect_exit 0 "$XE2E" pki init "$D" --user juliet@example.com --user romeo@example.net \
	--split --dsa --x400 "$X400" --expired --revoked
for f in ca inter juliet@example.com romeo@example.net juliet@example.com-sign \
	juliet@example.com-enc juliet@example.com-dsa romeo@example.net-dsa x400-1 expired revoked; do
	[ -s "$D/$f.pem" ] && [ -s "$D/$f.key" ] || fail "$f.pem / $f.key missing"
	grep -q "^$f.pem " "$OUT" || fail "listing lacks $f.pem: $(cat "$OUT")"
	[ "$(stat -c %a "$D/$f.key")" = 600 ] || fail "$f.key is not mode 0600"
	grep -q 'BEGIN PRIVATE KEY' "$D/$f.key" || fail "$f.key is not unencrypted PKCS #8"
done
assert_same_file "$D/chain.pem" "$D/inter.pem" "chain.pem is not inter.pem"
[ "$(grep -c 'BEGIN X509 CRL' "$D/crl.pem")" = 2 ] || fail "crl.pem does not hold two CRLs"

CC=("$XE2E" cert-check --untrusted "$D/chain.pem" --ca "$D/ca.pem" --crl "$D/crl.pem"
    --crl-check require --policy strict)
OV=(openssl verify -x509_strict -CAfile "$D/ca.pem" -untrusted "$D/chain.pem"
    -CRLfile "$D/crl.pem" -crl_check_all)
for u in juliet@example.com romeo@example.net; do
	expect_exit 0 "${CC[@]}" "$D/$u.pem" --purpose sign --jid "$u/res" --email "$u"
	expect_exit 0 "${CC[@]}" "$D/$u.pem" --purpose encrypt --jid "$u"
	expect_exit 0 "${OV[@]}" -purpose smimesign "$D/$u.pem"
	expect_exit 0 "${OV[@]}" -purpose smimeencrypt "$D/$u.pem"
	expect_exit 0 "${CC[@]}" "$D/$u-dsa.pem" --purpose sign --jid "$u"
	expect_exit 0 "${OV[@]}" -purpose smimesign "$D/$u-dsa.pem"
	expect_fail 6 "${CC[@]}" "$D/$u-dsa.pem" --purpose encrypt
	openssl x509 -in "$D/$u-dsa.pem" -noout -text | grep -q 'dsaEncryption' ||
		fail "$u-dsa.pem has no DSA key"
	# RFC 3923 §6.3 / RFC 3850 §3: every name form
	san=$(openssl x509 -in "$D/$u.pem" -noout -ext subjectAltName)
	for want in "email:$u" "URI:im:$u" "URI:pres:$u" "othername: XmppAddr::$u"; do
		case $san in *"$want"*) ;; *) fail "$u.pem subjectAltName lacks '$want': $san" ;; esac
	done
	openssl x509 -in "$D/$u.pem" -noout -ext keyUsage,extendedKeyUsage,basicConstraints |
		tr -d '\n' > "$SCRATCH/ext"
	grep -q 'Key Usage: critical *Digital Signature, Non Repudiation, Key Encipherment' \
		"$SCRATCH/ext" || fail "$u.pem key usage: $(cat "$SCRATCH/ext")"
	grep -q 'E-mail Protection' "$SCRATCH/ext" || fail "$u.pem EKU: $(cat "$SCRATCH/ext")"
	grep -q 'Basic Constraints: critical *CA:FALSE' "$SCRATCH/ext" ||
		fail "$u.pem basicConstraints: $(cat "$SCRATCH/ext")"
done
# the separate certificates do one thing each
expect_exit 0 "${CC[@]}" "$D/juliet@example.com-sign.pem" --purpose sign
expect_fail 6 "${CC[@]}" "$D/juliet@example.com-sign.pem" --purpose encrypt
expect_exit 0 "${CC[@]}" "$D/juliet@example.com-enc.pem" --purpose encrypt
expect_fail 6 "${CC[@]}" "$D/juliet@example.com-enc.pem" --purpose sign
expect_exit 0 "${OV[@]}" -purpose smimeencrypt "$D/juliet@example.com-enc.pem"
expect_exit 2 "${OV[@]}" -purpose smimesign "$D/juliet@example.com-enc.pem"
# the x400Address certificate (RFC 3854 §4.3)
expect_exit 0 "${CC[@]}" "$D/x400-1.pem" --x400 "$X400"
expect_fail 7 "${CC[@]}" "$D/x400-1.pem" --x400 'C=GB;ADMD= ;PRMD=Acme;O=Acme;S=Jones'
expect_exit 0 "${OV[@]}" "$D/x400-1.pem"
# the CAs
expect_exit 0 "${CC[@]}" "$D/inter.pem"
openssl x509 -in "$D/inter.pem" -noout -ext basicConstraints,keyUsage | tr -d '\n' > "$SCRATCH/ext"
grep -q 'critical *CA:TRUE, pathlen:0' "$SCRATCH/ext" || fail "inter.pem: $(cat "$SCRATCH/ext")"
grep -q 'Certificate Sign, CRL Sign' "$SCRATCH/ext" || fail "inter.pem: $(cat "$SCRATCH/ext")"

# --- the revoked and the expired certificate fail, in both ----------------------
expect_fail 6 "${CC[@]}" "$D/revoked.pem"
assert_stderr_matches 'revoked'
expect_exit 2 "${OV[@]}" "$D/revoked.pem"
grep -q 'certificate revoked' "$OUT" "$ERR" || fail "openssl: revoked.pem not revoked"
expect_fail 6 "${CC[@]}" "$D/expired.pem"
assert_stderr_matches 'expired'
expect_exit 2 "${OV[@]}" "$D/expired.pem"
grep -q 'certificate has expired' "$OUT" "$ERR" || fail "openssl: expired.pem not expired"

# --- CRLs: v2, cRLNumber, authorityKeyIdentifier (RFC 5280 §5.1.2.1, §5.2) ------
awk '/BEGIN X509 CRL/{n++} {print > ("'"$SCRATCH"'/crl" n ".pem")}' "$D/crl.pem"
for c in "$SCRATCH/crl1.pem" "$SCRATCH/crl2.pem"; do
	openssl crl -in "$c" -noout -text > "$SCRATCH/crl.txt" || fail "openssl cannot read $c"
	grep -q 'Version 2' "$SCRATCH/crl.txt" || fail "CRL is not v2"
	grep -q 'X509v3 CRL Number' "$SCRATCH/crl.txt" || fail "CRL has no cRLNumber"
	grep -q 'X509v3 Authority Key Identifier' "$SCRATCH/crl.txt" || fail "CRL has no AKI"
done
serial=$(openssl x509 -in "$D/revoked.pem" -noout -serial | cut -d= -f2)
openssl crl -in "$SCRATCH/crl1.pem" -noout -text | grep -q "Serial Number: $serial" ||
	fail "the intermediate's CRL does not list revoked.pem ($serial)"

# --- serial numbers: positive, 16 octets, all different (RFC 5280 §4.1.2.2) -----
for f in "$D"/*.pem; do
	case $f in */crl.pem|*/chain.pem) continue ;; esac
	openssl x509 -in "$f" -noout -serial | cut -d= -f2
done > "$SCRATCH/serials"
grep -Ev '^[4-7][0-9A-F]{31}$' "$SCRATCH/serials" && fail "a serial is not 16 positive octets"
[ -z "$(sort "$SCRATCH/serials" | uniq -d)" ] || fail "two certificates share a serial"

# --- an existing PKI is kept unless --force ------------------------------------
cp "$D/ca.pem" "$SCRATCH/ca.before"
chmod 0644 "$D/ca.key" "$D/juliet@example.com.key"   # --force must not keep these bits
expect_fail 1 "$XE2E" pki init "$D"
assert_stderr_matches 'already holds a PKI'
assert_same_file "$D/ca.pem" "$SCRATCH/ca.before" "a refused init changed ca.pem"
expect_exit 0 "$XE2E" pki init "$D" --force -q
assert_empty_stdout
cmp -s "$D/ca.pem" "$SCRATCH/ca.before" && fail "--force kept the old ca.pem"
for f in ca juliet@example.com; do
	[ "$(stat -c %a "$D/$f.key")" = 600 ] || fail "--force kept $f.key's mode $(stat -c %a "$D/$f.key")"
done
# what comes from the command line is listed escaped, one line per file
expect_exit 0 "$XE2E" pki init "$SCRATCH/esc" --x400 $'O=Acme;\nS=Smith'
[ "$(wc -l < "$OUT")" = "$(ls "$SCRATCH/esc" | wc -l)" ] || fail "listing is not one line per file: $(cat -v "$OUT")"
grep -q 'x400Address O=Acme;\\nS=Smith' "$OUT" || fail "--x400 not escaped: $(cat -v "$OUT")"
expect_exit 0 "$XE2E" cert-check "$SCRATCH/esc/x400-1.pem" --untrusted "$SCRATCH/esc/chain.pem" \
	--ca "$SCRATCH/esc/ca.pem" --x400 'O=Acme;S=Smith'
# an all-digit ADMD is a NumericString (X.411 CHOICE)
expect_exit 0 "$XE2E" pki init "$SCRATCH/num" --x400 'C=GB;ADMD=7;S=Smith' -q
openssl x509 -in "$SCRATCH/num/x400-1.pem" -outform DER | od -An -tx1 -v | tr -d ' \n' |
	grep -q 6203120137 || fail "ADMD=7 is not [APPLICATION 2] NumericString"
expect_exit 0 "${CC[@]}" "$D/juliet@example.com.pem"

# --- defaults, --json, --bits, --days, --now -----------------------------------
expect_exit 0 "$XE2E" pki init "$SCRATCH/p2" --json --days 30 --now 2025-06-01T12:00:00Z \
	--bits 3072
json_check "$OUT" '(j["command"] == "pki" and j["reproducible"] is False and
	[f["file"] for f in j["files"]] == ["ca.pem", "ca.key", "inter.pem", "inter.key", "chain.pem",
	"juliet@example.com.pem", "juliet@example.com.key", "romeo@example.net.pem",
	"romeo@example.net.key", "crl.pem"] and
	all(f["secret"] == f["file"].endswith(".key") for f in j["files"]))'
openssl x509 -in "$SCRATCH/p2/ca.pem" -noout -dates -text > "$SCRATCH/ca.txt"
grep -q 'notBefore=Jun  1 11:00:00 2025 GMT' "$SCRATCH/ca.txt" || fail "--now: $(grep not "$SCRATCH/ca.txt")"
grep -q 'notAfter=Jul  1 12:00:00 2025 GMT' "$SCRATCH/ca.txt" || fail "--days: $(grep not "$SCRATCH/ca.txt")"
grep -q 'Public-Key: (3072 bit)' "$SCRATCH/ca.txt" || fail "--bits 3072 not used"
expect_exit 0 "$XE2E" cert-check "$SCRATCH/p2/romeo@example.net.pem" --untrusted "$SCRATCH/p2/chain.pem" \
	--ca "$SCRATCH/p2/ca.pem" --at 2025-06-02T00:00:00Z --jid romeo@example.net
expect_fail 6 "$XE2E" cert-check "$SCRATCH/p2/romeo@example.net.pem" --untrusted "$SCRATCH/p2/chain.pem" \
	--ca "$SCRATCH/p2/ca.pem" --at 2025-07-02T00:00:00Z

# --- the other commands use the layout directly ---------------------------------
printf 'Content-Type: text/plain\r\n\r\nhello\r\n' > "$SCRATCH/m.eml"
J=$D/juliet@example.com R=$D/romeo@example.net
expect_exit 0 "$XE2E" sign --cert "$J.pem" --key "$J.key" --chain "$D/chain.pem" -i "$SCRATCH/m.eml" \
	-o "$SCRATCH/s.eml"
expect_exit 0 "$XE2E" encrypt --recip "$R.pem" -i "$SCRATCH/s.eml" -o "$SCRATCH/e.eml"
expect_exit 0 "$XE2E" decrypt --key "$R.key" --cert "$R.pem" --ca "$D/ca.pem" --crl "$D/crl.pem" \
	-i "$SCRATCH/e.eml"
grep -q hello "$OUT" || fail "sign | encrypt | decrypt lost the content"
exit 0
