#!/bin/bash
# t1100: RFC 3854 X.400 content: sign/encrypt --x400-type put the binary
# content as it is in eContent with the content type's OID (§3.2, §3.3),
# bare DER by default, --mime signed-x400 / enveloped-x400 (§3.2.1,
# §3.3.1); sign | encrypt | sign is the triple wrap of §3.4.1 exactly (the
# inner structures directly as eContent / encryptedContent, MIME only
# outside, smime-type from the innermost layer); verify and decrypt peel
# every layer, to the depth limit; application/x400-content (§3.5) out and in.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
cd "$SCRATCH" || hard_error "cd"
S=(--cert "$PKI/signer.pem" --key "$PKI/signer.key" --chain "$PKI/inter.pem")
R=(--key "$PKI/signer.key" --cert "$PKI/signer.pem")
# an IPM without an originator (no name to check: t1101 does that), its
# body with CRLF and NUL
python3 "$TESTS_SRCDIR/x400-ipm.py" c.ber 30:00 --no-originator || hard_error "x400-ipm.py"
grep -q "$(printf '\r')" c.ber || hard_error "no CR in the IPM"

# the built-in integer table and dotted OIDs; refusals are usage errors
expect_exit 0 "$XE2E" sign "${S[@]}" --x400-type 22 -i c.ber -o s22.der
expect_exit 0 "$XE2E" sign "${S[@]}" --x400-type 2 -i c.ber -o s2.der
expect_exit 0 "$XE2E" sign "${S[@]}" --x400-type 35 -i c.ber -o s35.der
expect_exit 0 "$XE2E" sign "${S[@]}" --x400-type 1.3.6.1.4.1.99999.7 -i c.ber -o so.der
for t in 0 40 abc 3.1 1.40 1..2 2. 01.2; do
	expect_exit 1 "$XE2E" sign "${S[@]}" --x400-type "$t" -i c.ber
	grep -q "x400\|X.400\|content type" "$ERR" || fail "--x400-type $t: $(cat "$ERR")"
	[ -s "$OUT" ] && fail "--x400-type $t: output"
done
expect_exit 1 "$XE2E" sign "${S[@]}" --x400-type 22 --content-type text/plain -i c.ber
expect_exit 1 "$XE2E" sign "${S[@]}" --x400-type 22 --inner cms -i c.ber
expect_exit 1 "$XE2E" sign "${S[@]}" --x400-type 22 --mime --outform der -i c.ber
# eContentType is the OID, eContent the bytes as they are (no MIME, no CRLF)
for p in "s22 2.6.1.10.1" "s2 2.6.1.10.0" "s35 2.6.7.10.0" "so 1.3.6.1.4.1.99999.7"; do
	set -- $p
	[ "$(first_byte_hex $1.der)" = 30 ] || fail "$1: not bare DER"
	cms_print $1.der | grep -A1 'eContentType' | grep -q "$2" || fail "$1: eContentType is not $2"
done
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --json -i s22.der -o v.out
assert_same_file v.out c.ber
json_check "$ERR" 'j["layers"][0]["content_type"] == "2.6.1.10.1" and j["layers"][0]["content_type_name"] == "id-mct-p2-1988"'
# §2.5 signed attributes: one each of signingTime, sMIMECapabilities,
# sMIMEEncryptionKeyPreference, signingCertificate (SHA-1: the v1 attribute)
expect_exit 0 "$XE2E" sign "${S[@]}" --digest sha1 --x400-type 22 -i c.ber -o s1.der
cms_print s1.der >s1.txt
for a in signingTime 'S/MIME Capabilities' 'id-smime-aa-encrypKeyPref\|1.2.840.113549.1.9.16.2.11' \
	'id-smime-aa-signingCertificate\|1.2.840.113549.1.9.16.2.12'; do
	[ "$(grep -c "object: \($a\)" s1.txt)" = 1 ] || fail "signed attribute $a: not exactly once"
done
# §2.2: DSA with SHA-1, its parameters absent (not NULL)
expect_exit 0 "$XE2E" sign --cert "$PKI/dsa.pem" --key "$PKI/dsa.key" --digest sha1 --x400-type 22 -i c.ber -o dsa.der
cms_print dsa.der | grep -A2 'signatureAlgorithm:' >dsa.txt
grep -q 'dsaWithSHA1' dsa.txt && grep -q 'parameter: <ABSENT>' dsa.txt || fail "DSA: $(cat dsa.txt)"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" -i dsa.der -o v.out
assert_same_file v.out c.ber
# the encrypted form: encryptedContentInfo.contentType is the OID, and a
# copy of the key for the originator (--cert, §3.3.1 step 2)
expect_exit 0 "$XE2E" encrypt --recip "$PKI/romeo.pem" --cert "$PKI/signer.pem" --cipher des3 \
	--x400-type 22 -i c.ber -o e22.der
cms_print e22.der >e22.txt
grep -A1 'encryptedContentInfo:' e22.txt | grep -q 'contentType: .*(2.6.1.10.1)' || fail "enveloped: contentType"
grep -q 'des-ede3-cbc' e22.txt || fail "enveloped: not 3DES"
[ "$(grep -c 'algorithm: rsaEncryption' e22.txt)" = 2 ] || fail "enveloped: not two key transport recipients (romeo and the originator)"
expect_exit 0 "$XE2E" decrypt "${R[@]}" -i e22.der -o d.out
assert_same_file d.out c.ber
for c in aes128 aes192 aes256; do
	expect_exit 0 "$XE2E" encrypt --recip "$PKI/signer.pem" --cipher $c --x400-type 22 -i c.ber -o e.der
	expect_exit 0 "$XE2E" decrypt "${R[@]}" -i e.der -o d.out
	assert_same_file d.out c.ber
done

# --mime: the RFC 3854 headers, base64
expect_exit 0 "$XE2E" sign "${S[@]}" --x400-type 22 --mime -i c.ber -o sm.eml
grep -q '^Content-Type: application/pkcs7-mime; smime-type=signed-x400' sm.eml || fail "signed-x400 header"
grep -q '^Content-Transfer-Encoding: base64' sm.eml || fail "signed-x400: not base64"
expect_exit 0 "$XE2E" encrypt --recip "$PKI/signer.pem" --x400-type 22 --mime -i c.ber -o em.eml
grep -q '^Content-Type: application/pkcs7-mime; smime-type=enveloped-x400' em.eml || fail "enveloped-x400 header"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" -i sm.eml -o v.out
assert_same_file v.out c.ber
expect_exit 0 "$XE2E" decrypt "${R[@]}" -i em.eml -o d.out
assert_same_file d.out c.ber

# the triple wrap of §3.4.1 through a pipe (the inner objects detected)
"$XE2E" sign "${S[@]}" --x400-type 22 -i c.ber | "$XE2E" encrypt --recip "$PKI/signer.pem" |
	"$XE2E" sign "${S[@]}" >t.der || fail "triple wrap pipeline"
[ "$(first_byte_hex t.der)" = 30 ] || fail "triple wrap: not bare DER"
python3 - t.der <<'PY' || fail "triple wrap: structure"
import subprocess, sys
def parse(path, off=None):
    a = ['openssl', 'asn1parse', '-inform', 'DER', '-in', path] + (['-strparse', str(off)] if off else [])
    return subprocess.run(a, capture_output=True, text=True, check=True).stdout.splitlines()
outer = parse(sys.argv[1])
objs = [l.split(':')[-1] for l in outer if 'OBJECT' in l]
# ContentInfo signedData; eContentType envelopedData (RFC 3854 §3.4.1 step 5)
assert objs[0] == 'pkcs7-signedData', objs[:3]
assert objs[2] == 'pkcs7-envelopedData', objs[:3]
# the eContent OCTET STRING holds the EnvelopedData itself, not a ContentInfo
octet = [l for l in outer if 'OCTET STRING' in l and 'HEX DUMP' in l or ('OCTET STRING' in l and 'prim' in l)][0]
off = int(octet.split(':')[0])
env = parse(sys.argv[1], off)
assert 'SEQUENCE' in env[0] and 'INTEGER' in env[1], env[:3]
eobjs = [l.split(':')[-1] for l in env if 'OBJECT' in l]
# step 4: encryptedContentInfo.contentType id-signedData
assert 'pkcs7-signedData' in eobjs, eobjs
PY
expect_exit 0 "$XE2E" sign "${S[@]}" --x400-type 22 -i c.ber -o i.der
expect_exit 0 "$XE2E" encrypt --recip "$PKI/signer.pem" -i i.der -o ie.der
expect_exit 0 "$XE2E" sign "${S[@]}" --mime -i ie.der -o t.eml
# smime-type from the innermost layer: signed inside the encryption
grep -q 'smime-type=signed-x400' t.eml || fail "triple wrap: smime-type not signed-x400"
# encrypt then sign: the innermost protection is the encryption
expect_exit 0 "$XE2E" encrypt --recip "$PKI/signer.pem" --x400-type 22 -i c.ber -o en.der
expect_exit 0 "$XE2E" sign "${S[@]}" --mime -i en.der -o es.eml
grep -q 'smime-type=enveloped-x400' es.eml || fail "encrypt+sign: smime-type not enveloped-x400"
expect_exit 0 "$XE2E" sign "${S[@]}" --inner none --content-type application/octet-stream -i i.der -o plain.eml
grep -q 'smime-type=signed-x400' plain.eml && fail "--inner none: still X.400 framing"
# verify peels the outer signature and reports the encryption; decrypt
# (with trust for the signatures) gives the X.400 content, three layers
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --json -i t.eml -o /dev/null
json_check "$ERR" 'len(j["layers"]) == 2 and j["layers"][1]["type"] in ("unopened", "enveloped")'
expect_exit 0 "$XE2E" decrypt "${R[@]}" --ca "$PKI/ca.pem" --json -i t.eml -o d.out
assert_same_file d.out c.ber
json_check "$ERR" '[l["type"] for l in j["layers"]] == ["signed", "enveloped", "signed"]'
json_check "$ERR" '[l["content_type"] for l in j["layers"]] == ["1.2.840.113549.1.7.3", "1.2.840.113549.1.7.2", "2.6.1.10.1"]'
expect_exit 2 "$XE2E" decrypt "${R[@]}" -i t.eml -o d.out
grep -q 'give --ca' "$ERR" || fail "decrypt of a signed outer layer without trust: $(cat "$ERR")"
expect_exit 0 "$XE2E" decrypt "${R[@]}" --ca "$PKI/ca.pem" -i t.der -o d.out
assert_same_file d.out c.ber
# a signed-only message is not something to decrypt
expect_exit 2 "$XE2E" decrypt "${R[@]}" --ca "$PKI/ca.pem" -i s22.der -o d.out
grep -q 'no layer is an EnvelopedData' "$ERR" || fail "decrypt of signed-only: $(cat "$ERR")"
# the depth limit: refused, and nothing written
rm -f d.out
expect_exit 2 "$XE2E" decrypt "${R[@]}" --ca "$PKI/ca.pem" --max-depth 2 -i t.eml -o d.out
grep -q 'nested layers' "$ERR" || fail "depth limit: $(cat "$ERR")"
[ -e d.out ] && fail "depth limit: output written"
cp s22.der deep.der
for n in 1 2 3 4 5 6 7 8; do
	expect_exit 0 "$XE2E" sign "${S[@]}" -i deep.der -o deep2.der
	mv deep2.der deep.der
done
expect_exit 2 "$XE2E" verify --ca "$PKI/ca.pem" -i deep.der -o v.out
grep -q 'more than 8 nested layers' "$ERR" || fail "9 layers: $(cat "$ERR")"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --max-depth 9 -i deep.der -o v.out
assert_same_file v.out c.ber

# §3.5: the content out as application/x400-content, and read back in
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --x400-content -i s22.der -o x.eml
grep -q '^Content-Type: application/x400-content; content-type=22' x.eml || fail "x400-content header"
expect_exit 0 "$XE2E" sign "${S[@]}" -i x.eml -o back.der
cms_print back.der | grep -A1 'eContentType' | grep -q 2.6.1.10.1 || fail "x400-content in: eContentType"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" -i back.der -o v.out
assert_same_file v.out c.ber
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --x400-content -i so.der -o x.eml
grep -q 'content-type=1.3.6.1.4.1.99999.7' x.eml || fail "x400-content: dotted OID"
printf 'Content-Type: application/x400-content\r\n\r\nAAAA\r\n' >bad.eml
expect_exit 2 "$XE2E" sign "${S[@]}" -i bad.eml
grep -q 'content-type parameter' "$ERR" || fail "x400-content without type: $(cat "$ERR")"
exit 0
