#!/bin/bash
# t0234: an EnvelopedData whose RecipientInfos also hold a KEKRecipientInfo
# [2], PasswordRecipientInfo [3] or KeyAgreeRecipientInfo [1] failed with
# "RecipientInfos: not valid BER/DER".  Every RFC 5652 §6.2 choice decodes
# now: the usable one (ktri) decrypts, the others are listed.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

cd "$SCRATCH" || hard_error "cd"
printf 'Content-Type: text/plain\r\n\r\nmany kinds\r\n' >m.txt
openssl cms -encrypt -aes128 -in m.txt -out kek.eml -recip "$PKI/direct.pem" \
	-secretkey 000102030405060708090a0b0c0d0e0f -secretkeyid 0a0b0c 2>/dev/null ||
	hard_error "openssl cms -encrypt -secretkey failed"
expect_exit 0 "$XE2E" decrypt --key "$PKI/direct.key" --json kek.eml
assert_same_file "$OUT" m.txt
json_check "$ERR" '[r["kind"] for r in j["layers"][0]["recipients"]] == ["ktri", "kekri"]'
json_check "$ERR" 'j["layers"][0]["recipients"][1]["id"] == "key id 0A:0B:0C" and j["layers"][0]["recipients"][0]["used"]'
openssl cms -encrypt -aes128 -in m.txt -out pw.eml -recip "$PKI/direct.pem" -pwri_password secret 2>/dev/null ||
	hard_error "openssl cms -encrypt -pwri_password failed"
expect_exit 0 "$XE2E" decrypt --key "$PKI/direct.key" --cert "$PKI/direct.pem" --json pw.eml
json_check "$ERR" '[r["kind"] for r in j["layers"][0]["recipients"]] == ["ktri", "pwri"]'
# an EC recipient gets a KeyAgreeRecipientInfo
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ec.key -out ec.pem \
	-subj /CN=ec -days 30 -addext keyUsage=keyAgreement 2>/dev/null || hard_error "openssl req (EC)"
openssl cms -encrypt -aes128 -in m.txt -out ka.eml ec.pem "$PKI/direct.pem" 2>/dev/null ||
	hard_error "openssl cms -encrypt (EC) failed"
expect_exit 0 "$XE2E" decrypt --key "$PKI/direct.key" --json ka.eml
json_check "$ERR" 'sorted(r["kind"] for r in j["layers"][0]["recipients"]) == ["kari", "ktri"]'
json_check "$ERR" 'all(r["usable"] == (r["kind"] == "ktri") for r in j["layers"][0]["recipients"])'
# only a key agreement recipient for us: unsupported, not malformed
openssl cms -encrypt -aes128 -in m.txt -out ka1.eml ec.pem 2>/dev/null || hard_error "openssl cms -encrypt"
expect_fail 9 "$XE2E" decrypt --key "$PKI/direct.key" ka1.eml
exit 0
