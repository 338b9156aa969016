#!/bin/bash
# t1301-inspect-nested: nested objects are shown to their innermost layer
# with keys given and to the EnvelopedData without; verdicts (wrong key,
# untrusted signer) are shown and do not change the exit status; a wrapped
# stanza (message, presence, iq; a stream of two; <e2e/> as escaped text)
# is shown with its stanza, layers and protected payload; RFC 3854 triple
# wraps name the X.400 content type; --max-depth bounds the walk.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
have_python || hard_error "python3 is needed for the JSON checks"

S=$SCRATCH
printf 'Content-Type: text/plain; charset=utf-8\r\n\r\nWherefore art thou, Romeo?\r\n' > "$S/m.eml"
SHA=$(sha256sum < "$S/m.eml" | cut -c1-64 | tr a-f A-F)
# ins FILE [options], jc EXPR: lib.sh

# --- signed, encrypted, signed --------------------------------------------------
expect_exit 0 "$XE2E" sign "${JULIET[@]}" -i "$S/m.eml" -o "$S/s.eml"
expect_exit 0 "$XE2E" encrypt --recip "$PKI/romeo.pem" -i "$S/s.eml" -o "$S/se.eml"
expect_exit 0 "$XE2E" sign "${JULIET[@]}" --opaque -i "$S/se.eml" -o "$S/ses.eml"
ins "$S/ses.eml"
jc '[l["type"] for l in j["layers"]] == ["signed", "enveloped"] and j["status"] == "ok"'
jc 'j["layers"][1]["info"]["decryption"]["result"].startswith("not decrypted") and "content" not in j'
jc 'j["layers"][0]["framing"] == "application/pkcs7-mime; smime-type=signed-data"'
ins "$S/ses.eml" --key "$PKI/romeo.key" --ca "$PKI/ca.pem"
jc '[l["type"] for l in j["layers"]] == ["signed", "enveloped", "signed"]'
jc 'all(j["layers"][i]["info"]["verification"]["result"] == "ok" for i in (0, 2)) and j["layers"][1]["info"]["decryption"] == {"result": "ok"}'
jc 'j["content"]["sha256"] == "'"$SHA"'" and len(j["signers"]) == 2 and [s["layer"] for s in j["signers"]] == [1, 3]'
ins "$S/ses.eml" --key "$PKI/romeo.key" --cert "$PKI/romeo.pem"
jc 'len(j["layers"]) == 3 and j["layers"][2]["info"]["verification"]["result"].startswith("not verified")'
# the wrong key: the verdict, exit 0, nothing inside
ins "$S/ses.eml" --key "$PKI/noku.key"
jc 'len(j["layers"]) == 2 and j["layers"][1]["info"]["decryption"]["result"] == "failed" and j["layers"][1]["info"]["decryption"]["exit"] == 5 and "content" not in j and j["exit"] == 0'
# the text form says the same
expect_exit 0 "$XE2E" inspect --key "$PKI/romeo.key" "$S/ses.eml"
[ "$(grep -c '^layer [123]: ' "$OUT")" = 3 ] || fail "text: not three layers: $(grep '^layer' "$OUT")"
grep -q '^content:$' "$OUT" || fail "text: no content"
# --max-depth: more layers than that is an error, with the layers shown
expect_exit 2 "$XE2E" inspect --json --max-depth 2 --key "$PKI/romeo.key" "$S/ses.eml"
json_check "$OUT" 'j["status"] == "error" and j["exit"] == 2 and "nesting limit" in j["error"] and len(j["layers"]) == 2'
expect_exit 2 "$XE2E" inspect --max-depth 2 --key "$PKI/romeo.key" "$S/ses.eml"
assert_one_line_stderr
grep -q '^error: .*nesting limit' "$OUT" || fail "text: the tree does not end with the error"

# --- RFC 3854 triple wrap of X.400 content --------------------------------------
python3 "$TESTS_SRCDIR/x400-ipm.py" "$S/ipm.ber" \
	30286104130247426203130120a206130441636d65830441636d65a50d8005536d69746881044a6f686e
X4=(--cert "$PKI/x400-smith.pem" --key "$PKI/x400-smith.key" --chain "$PKI/inter.pem")
expect_exit 0 "$XE2E" sign "${X4[@]}" --x400-type 22 -i "$S/ipm.ber" -o "$S/x1.der"
expect_exit 0 "$XE2E" encrypt --recip "$PKI/romeo.pem" -i "$S/x1.der" -o "$S/x2.der"
expect_exit 0 "$XE2E" sign "${X4[@]}" --mime -i "$S/x2.der" -o "$S/x3.eml"
ins "$S/x3.eml" --key "$PKI/romeo.key"
jc '[l["framing"] for l in j["layers"]] == ["application/pkcs7-mime; smime-type=signed-x400", "DER", "DER"]'
jc 'j["layers"][2]["info"]["signed_data"]["econtent_type"] == {"oid": "2.6.1.10.1", "name": "id-mct-p2-1988"} and j["content"]["content_type"]["name"] == "id-mct-p2-1988" and "mime" not in j["content"]'
jc 'j["layers"][0]["info"]["signed_data"]["econtent_type"]["name"] == "id-envelopedData"'
jc '"x400:C=GB;ADMD= ;PRMD=Acme;O=Acme;S=Smith;G=John" in j["layers"][2]["info"]["signed_data"]["certificates"][0]["names"] or "x400:C=GB;ADMD= ;PRMD=Acme;O=Acme;S=Smith;G=John" in j["layers"][2]["info"]["signed_data"]["certificates"][1]["names"]'
# application/x400-content is content, shown with its type
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --x400-content -i "$S/x1.der" -o "$S/x.eml"
ins "$S/x.eml"
jc 'j["layers"][0]["framing"] == "application/x400-content" and j["content"]["content_type"]["oid"] == "2.6.1.10.1" and j["content"]["length"] == '"$(wc -c < "$S/ipm.ber")"

# --- wrapped stanzas ----------------------------------------------------------------
printf "<message xmlns='jabber:client' $H type='chat' id='m1'><body>Wherefore?</body></message>" > "$S/msg.xml"
printf "<presence xmlns='jabber:client' $H><show>away</show></presence>" > "$S/pres.xml"
printf "<iq xmlns='jabber:client' $H type='get' id='q1'><query xmlns='jabber:iq:version'/></iq>" > "$S/iq.xml"
for k in msg pres iq; do
	expect_exit 0 "$XE2E" wrap "${BOTH[@]}" -i "$S/$k.xml" -o "$S/$k.w"
done
ins "$S/msg.w"
jc 'j["kind"] == "stanzas" and len(j["stanzas"]) == 1 and j["exit"] == 0'
jc '(lambda s: s["stanza"]["kind"] == "message" and s["stanza"]["from"] == "juliet@example.com/balcony" and s["stanza"]["to"] == "romeo@example.net/orchard" and s["stanza"]["children"] == [{"element": "e2e", "namespace": "urn:ietf:params:xml:ns:xmpp-e2e", "e2e": True}] and [l["type"] for l in s["layers"]] == ["enveloped"] and "payload" not in s)(j["stanzas"][0])'
ins "$S/msg.w" "${ROMEO[@]}"
jc '(lambda s: [l["type"] for l in s["layers"]] == ["enveloped", "signed"] and s["layers"][1]["info"]["verification"]["result"] == "ok" and s["payload"]["kind"] == "cpim" and s["payload"]["sender"] == "juliet@example.com" and s["payload"]["recipient"] == "romeo@example.net" and s["payload"]["timestamp"].endswith("Z") and {"element": "body", "namespace": "jabber:client", "text": "Wherefore?"} in s["payload"]["stanza"]["children"] and s["content"]["mime"]["content_type"].lower().startswith("message/cpim"))(j["stanzas"][0])'
jc '(lambda c: c["from"] == "im:juliet@example.com" and c["to"] == "im:romeo@example.net" and c["to_count"] == 1 and c["datetime"].endswith("Z"))(j["stanzas"][0]["content"]["cpim"])'
ins "$S/pres.w" "${ROMEO[@]}"
jc '(lambda s: s["payload"]["kind"] == "pidf" and s["payload"]["stanza"]["kind"] == "presence" and s["content"]["mime"]["content_type"].startswith("application/pidf+xml"))(j["stanzas"][0])'
ins "$S/iq.w" "${ROMEO[@]}"
jc '(lambda s: s["payload"]["kind"] == "cpim+xmpp" and s["payload"]["stanza"]["kind"] == "iq" and s["payload"]["stanza"]["children"][0]["element"] == "query")(j["stanzas"][0])'
# a stream of two stanzas: two trees
{ printf "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
  cat "$S/msg.w" "$S/pres.w"; printf '</stream:stream>'; } > "$S/stream.xml"
ins "$S/stream.xml" --key "$PKI/romeo.key"
jc 'len(j["stanzas"]) == 2 and [s["payload"]["kind"] for s in j["stanzas"]] == ["cpim", "pidf"]'
# <e2e/> re-serialised by a server as escaped text (RFC 3923 §7)
python3 - "$S/msg.w" "$S/esc.w" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
m = re.search(r"<!\[CDATA\[(.*)\]\]>", t, re.S)
body = m.group(1).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
open(sys.argv[2], "w").write(t[:m.start()] + body + t[m.end():])
PY
ins "$S/esc.w" --key "$PKI/romeo.key"
jc 'j["stanzas"][0]["payload"]["kind"] == "cpim"'
# the text form shows the stanza first, then the layers, then the payload
expect_exit 0 "$XE2E" inspect --key "$PKI/romeo.key" "$S/msg.w"
sed -n '1,3p' "$OUT" | grep -q '^stanza:$' || fail "text: the stanza is not first: $(head -3 "$OUT")"
awk '/^stanza:$/{a=NR} /^layer 1:/{b=NR} /^payload:$/{c=NR} END{exit !(a < b && b < c)}' "$OUT" ||
	fail "text: not stanza, layers, payload in order"
exit 0
