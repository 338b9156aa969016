#!/bin/bash
# t1300-inspect-objects: `xe2e inspect` trees of objects made by xe2e and by
# openssl cms -- detached, opaque, BER -stream, PEM, several signers,
# several recipients, -keyid, certs-only, RC2 -- checked field by field in
# the JSON form; the text form shows the same; --der outlines the object;
# --content shows the content, never without it; --ca gives verify's
# verdict without changing the exit status.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
have_python || hard_error "python3 is needed for the JSON checks"

S=$SCRATCH
printf 'Content-Type: text/plain; charset=utf-8\r\n\r\nWherefore art thou, Romeo?\r\n' > "$S/m.eml"
J=$PKI/signer R=$PKI/romeo
SHA=$(sha256sum < "$S/m.eml" | cut -c1-64 | tr a-f A-F)
# ins FILE [options], jc EXPR: lib.sh

# --- xe2e sign, multipart/signed (detached in the MIME sense) -------------------
expect_exit 0 "$XE2E" sign "${JULIET[@]}" --signing-time 2026-02-03T04:05:06Z -i "$S/m.eml" -o "$S/x-det.eml"
ins "$S/x-det.eml"
jc 'j["command"] == "inspect" and j["kind"] == "object" and j["status"] == "ok" and j["exit"] == 0'
jc 'len(j["layers"]) == 1 and j["layers"][0]["type"] == "signed" and j["layers"][0]["framing"] == "multipart/signed"'
jc 'j["layers"][0]["info"]["mime"]["micalg"] == "sha-256" and j["layers"][0]["info"]["mime"]["boundary"].startswith("----=_xe2e_")'
jc 'j["layers"][0]["info"]["mime"]["content_part_length"] == '"$(wc -c < "$S/m.eml")"
jc '(lambda s: s["version"] == 1 and s["digest_algorithms"] == ["sha256"] and s["econtent_type"] == {"oid": "1.2.840.113549.1.7.1", "name": "id-data"} and s["detached"] is True and s["crls"] == [])(j["layers"][0]["info"]["signed_data"])'
# the certificates: signer and intermediate, with every field
jc '(lambda c: len(c) == 2 and any(x["subject"] == "CN=Juliet Capulet,O=Example" and "email:juliet@example.com" in x["names"] and "xmpp:juliet@example.com" in x["names"] and "uri:im:juliet@example.com" in x["names"] and x["key"] == {"algorithm": "RSA", "bits": 2048} and x["key_usage"] == ["digitalSignature", "nonRepudiation", "keyEncipherment"] and x["key_usage_critical"] is True and x["extended_key_usage"] == ["emailProtection"] and x["basic_constraints"] == {"ca": False} and len(x["sha256"]) == 95 and x["not_before"].endswith("Z") for x in c) and any(x["basic_constraints"].get("ca") is True for x in c))(j["layers"][0]["info"]["signed_data"]["certificates"])'
serial=$(openssl x509 -in "$J.pem" -noout -serial | cut -d= -f2)
issuer=$(openssl x509 -in "$J.pem" -noout -issuer -nameopt RFC2253 | sed 's/^issuer=//')
jc '(lambda si: si["version"] == 1 and si["sid"] == {"form": "issuerAndSerialNumber", "issuer": "'"$issuer"'", "serial": "'"$serial"'"} and si["digest_algorithm"]["name"] == "sha256" and si["signature_algorithm"]["name"] == "rsaEncryption" and si["signature_length"] == 256)(j["layers"][0]["info"]["signed_data"]["signer_infos"][0])'
# every signed attribute decoded
jc '(lambda a: a["contentType"]["value"]["name"] == "id-data" and a["messageDigest"]["value"] == "'"$SHA"'" and a["signingTime"]["value"] == "2026-02-03T04:05:06Z" and a["sMIMECapabilities"]["value"][:3] == ["aes256-CBC", "aes192-CBC", "aes128-CBC"] and a["sMIMEEncryptionKeyPreference"]["value"]["form"] == "issuerAndSerialNumber" and a["signingCertificateV2"]["value"][0]["hash"] == "sha256")({x["type"]["name"]: x for x in j["layers"][0]["info"]["signed_data"]["signer_infos"][0]["signed_attributes"]})'
jc 'j["layers"][0]["info"]["verification"]["result"].startswith("not verified")'
jc 'j["content"]["length"] == '"$(wc -c < "$S/m.eml")"' and j["content"]["sha256"] == "'"$SHA"'" and j["content"]["mime"]["content_type"] == "text/plain; charset=utf-8" and "content" not in j["content"]'
# the text form: the same tree, the content only with --content
expect_exit 0 "$XE2E" inspect "$S/x-det.eml"
grep -q '^layer 1: signed, multipart/signed$' "$OUT" || fail "text: no layer line: $(head -3 "$OUT")"
grep -q '      name: signingTime' "$OUT" || fail "text: attributes not shown"
grep -q 'Wherefore' "$OUT" && fail "text: the content shown without --content"
expect_exit 0 "$XE2E" inspect --content "$S/x-det.eml"
grep -q '^  content: Content-Type: text/plain; charset=utf-8\\r\\n\\r\\nWherefore art thou, Romeo?\\r\\n$' "$OUT" ||
	fail "--content: not shown escaped: $(grep -n 'content:' "$OUT")"
# with --ca: verify's verdict, and each signer's chain
ins "$S/x-det.eml" --ca "$PKI/ca.pem"
jc 'j["layers"][0]["info"]["verification"] == {"result": "ok"} and len(j["layers"][0]["info"]["verified_signers"][0]["chain"]) == 3 and j["signers"][0]["subject"] == "CN=Juliet Capulet,O=Example"'
sed 's/Romeo?/Tybalt?/' "$S/x-det.eml" > "$S/x-bad.eml"
ins "$S/x-bad.eml" --ca "$PKI/ca.pem"
jc 'j["exit"] == 0 and j["layers"][0]["info"]["verification"]["result"] == "failed" and j["layers"][0]["info"]["verification"]["exit"] == 4 and "digest" in j["layers"][0]["info"]["verification"]["error"]'
ins "$S/x-det.eml" --ca "$PKI/other-ca.pem"
jc 'j["layers"][0]["info"]["verification"]["exit"] == 6'

# --- openssl cms: detached DER, opaque, BER -stream, PEM, two signers, -keyid --
O=(openssl cms -sign -signer "$J.pem" -inkey "$J.key" -certfile "$PKI/inter.pem" -in "$S/m.eml" -binary)
"${O[@]}" -outform DER -out "$S/o-det.der" || hard_error "openssl cms -sign"
"${O[@]}" -nodetach -outform DER -out "$S/o-opq.der" || hard_error "openssl cms -sign -nodetach"
"${O[@]}" -nodetach -stream -outform DER -out "$S/o-ber.der" || hard_error "openssl cms -sign -stream"
"${O[@]}" -nodetach -outform PEM -signer "$PKI/romeo.pem" -inkey "$PKI/romeo.key" -out "$S/o-two.pem" ||
	hard_error "openssl cms -sign (two signers)"
"${O[@]}" -nodetach -keyid -outform DER -out "$S/o-keyid.der" || hard_error "openssl cms -sign -keyid"
ins "$S/o-det.der"
jc 'j["layers"][0]["framing"] == "DER" and j["layers"][0]["info"]["signed_data"]["detached"] is True and j["layers"][0]["info"]["content"].startswith("detached, not given") and "content" not in j'
ins "$S/o-det.der" --detached "$S/m.eml" --ca "$PKI/ca.pem"
jc 'j["layers"][0]["info"]["verification"]["result"] == "ok" and j["content"]["sha256"] == "'"$SHA"'"'
ins "$S/o-opq.der"
jc 'j["layers"][0]["framing"] == "DER" and j["layers"][0]["info"]["signed_data"]["detached"] is False and j["content"]["sha256"] == "'"$SHA"'"'
ins "$S/o-ber.der"
jc 'j["layers"][0]["framing"] == "BER" and j["content"]["sha256"] == "'"$SHA"'"'
ins "$S/o-two.pem"
jc 'j["layers"][0]["framing"] == "PEM" and len(j["layers"][0]["info"]["signed_data"]["signer_infos"]) == 2 and len(j["layers"][0]["info"]["signed_data"]["certificates"]) == 3'
ins "$S/o-two.pem" --ca "$PKI/ca.pem"
jc 'len(j["signers"]) == 2 and j["layers"][0]["info"]["verification"]["result"] == "ok"'
ski=$(openssl x509 -in "$J.pem" -noout -ext subjectKeyIdentifier | tail -1 | tr -d ' ')
ins "$S/o-keyid.der"
jc 'j["layers"][0]["info"]["signed_data"]["signer_infos"][0]["sid"] == {"form": "subjectKeyIdentifier", "key_id": "'"$ski"'"} and j["layers"][0]["info"]["signed_data"]["signer_infos"][0]["version"] == 3'
# certs-only (RFC 3851 §3.6)
openssl crl2pkcs7 -nocrl -certfile "$J.pem" -certfile "$PKI/inter.pem" -outform DER -out "$S/certs.p7c" 2>/dev/null ||
	hard_error "openssl crl2pkcs7"
ins "$S/certs.p7c"
jc 'j["layers"][0]["type"] == "certs-only" and j["layers"][0]["info"]["signed_data"]["signer_infos"] == [] and len(j["layers"][0]["info"]["signed_data"]["certificates"]) == 2'
openssl crl2pkcs7 -in "$PKI/crl.pem" -certfile "$PKI/inter.pem" -outform DER -out "$S/crl.p7c" 2>/dev/null ||
	hard_error "openssl crl2pkcs7 -crl"
ins "$S/crl.p7c"
jc '(lambda c: c["issuer"].startswith("CN=") and c["entries"] == 1 and c["this_update"].endswith("Z") and c["delta"] is False and len(c["crl_number"]) >= 2)(j["layers"][0]["info"]["signed_data"]["crls"][0])'

# --- EnvelopedData: two recipients, -keyid, AES-256, RC2 ------------------------
openssl cms -encrypt -aes128 -in "$S/m.eml" -outform DER -out "$S/o-enc.der" "$J.pem" "$R.pem" ||
	hard_error "openssl cms -encrypt"
ins "$S/o-enc.der"
jc '(lambda e: e["version"] == 0 and len(e["recipient_infos"]) == 2 and all(r["type"] == "ktri" and r["key_encryption_algorithm"] == "rsaEncryption" and r["rid"].startswith("issuer ") for r in e["recipient_infos"]) and e["content_encryption"]["algorithm"] == "aes128" and len(e["content_encryption"]["iv"]) == 32 and e["encrypted_content_length"] == 80)(j["layers"][0]["info"]["enveloped_data"])'
jc 'j["layers"][0]["info"]["decryption"]["result"].startswith("not decrypted") and "content" not in j'
iv=$(openssl cms -cmsout -print -inform DER -in "$S/o-enc.der" | awk '/contentEncryptionAlgorithm/{f=1} f&&/0000 -/{print; exit}' | sed 's/.*- //; s/   .*//' | tr -d ' -' | tr a-f A-F)
jc 'j["layers"][0]["info"]["enveloped_data"]["content_encryption"]["iv"].startswith("'"${iv:0:16}"'")'
ins "$S/o-enc.der" --key "$R.key"
jc 'j["layers"][0]["info"]["decryption"] == {"result": "ok"} and j["content"]["sha256"] == "'"$SHA"'" and [r["used"] for r in j["layers"][0]["recipients"]].count(True) == 1'
openssl cms -encrypt -keyid -aes256 -in "$S/m.eml" -out "$S/o-enck.eml" "$R.pem" || hard_error "openssl -keyid"
ins "$S/o-enck.eml"
rski=$(openssl x509 -in "$R.pem" -noout -ext subjectKeyIdentifier | tail -1 | tr -d ' ')
jc 'j["layers"][0]["framing"] == "application/pkcs7-mime; smime-type=enveloped-data" and j["layers"][0]["info"]["enveloped_data"]["version"] == 2 and j["layers"][0]["info"]["enveloped_data"]["recipient_infos"][0]["rid"] == "key id '"$rski"'" and j["layers"][0]["info"]["enveloped_data"]["content_encryption"]["algorithm"] == "aes256" and j["layers"][0]["info"]["mime"]["transfer_encoding"] == "base64"'
if openssl cms -encrypt -rc2-40 -provider legacy -provider default -in "$S/m.eml" -outform DER \
	-out "$S/o-rc2.der" "$R.pem" 2>/dev/null; then
	ins "$S/o-rc2.der"
	jc 'j["layers"][0]["info"]["enveloped_data"]["content_encryption"]["rc2_effective_key_bits"] == 40 and len(j["layers"][0]["info"]["enveloped_data"]["content_encryption"]["iv"]) == 16'
else
	hard_error "openssl cannot write RC2 (legacy provider missing)"
fi
# an xe2e encryption: a key never shown
expect_exit 0 "$XE2E" encrypt --recip "$R.pem" -i "$S/m.eml" -o "$S/x-enc.eml"
expect_exit 0 "$XE2E" inspect --key "$R.key" --der --content "$S/x-enc.eml"
grep -qi 'PRIVATE\|cek' "$OUT" && fail "inspect printed key material"

# --- --der: the outline of the decoded object ------------------------------------
ins "$S/o-ber.der" --der
jc '(lambda d: d[0].startswith("     0: d=0") and "l=inf  cons: SEQUENCE" in d[0] and "OBJECT IDENTIFIER 1.2.840.113549.1.7.2 (id-signedData)" in d[1] and any("(sha256)" in x for x in d) and any("UTCTime" in x for x in d))(j["layers"][0]["info"]["der"])'
ins "$S/x-det.eml" --der
jc 'j["layers"][0]["info"]["der"][0].startswith("     0: d=0  hl=4 l=") and len(j["layers"][0]["info"]["der"]) > 100'
n_openssl=$(openssl asn1parse -inform DER -in "$S/o-opq.der" | grep -c '^ *[0-9]*:d=')
ins "$S/o-opq.der" --der
jc 'len(j["layers"][0]["info"]["der"]) == '"$n_openssl"

# --- several inputs, --out --------------------------------------------------------
expect_exit 0 "$XE2E" inspect "$S/o-opq.der" "$S/o-enc.der"
[ "$(grep -c '^== ' "$OUT")" = 2 ] || fail "two inputs: not two trees"
expect_exit 0 "$XE2E" inspect -q "$S/o-opq.der" -o "$S/one.txt"
assert_empty_stdout
grep -q '^layer 1: signed, DER$' "$S/one.txt" || fail "--out: no tree in the file"
exit 0
