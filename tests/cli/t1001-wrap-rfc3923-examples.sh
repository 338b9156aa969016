#!/bin/bash
# t1001: RFC 3923's examples in shape, each wrapped and unwrapped back to
# what was given (equal as XML, DESIGN §3 rule 11): a signed and an
# encrypted message (Examples 1-6: Message/CPIM), a signed and an encrypted
# directed presence (7-12: PIDF), message, presence and iq with extended
# data (13-15: application/xmpp+xml inside Message/CPIM); each also signed
# and encrypted.  The objects themselves are checked against the RFC's.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
have_python || skip "python3 is needed to read the stanzas"
cd "$SCRATCH" || hard_error "cd"
SIGN=("${JULIET[@]}")
ENC=(--recip "$PKI/romeo.pem" --no-self --cert "$PKI/signer.pem")
ENC_ONLY=(--recip "$PKI/romeo.pem")

# --- Examples 1-3: a signed message; RFC 3923 §6.10 algorithms ------------------
cat >ex1.xml <<'X'
<message to='romeo@example.net/orchard' from='juliet@example.com/balcony' type='chat' id='m1'>
  <subject>Imploring</subject>
  <body>Wherefore art thou, Romeo?</body>
</message>
X
roundtrip ex1 "${SIGN[@]}" --compat rfc3923
e2e_text ex1.w.xml >ex1.obj
grep -q '^Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha1;' ex1.obj ||
	fail "not multipart/signed with micalg=sha1: $(head -3 ex1.obj)"
grep -q 'Content-Disposition: attachment; handling=required; filename=smime.p7s' ex1.obj ||
	fail "no RFC 3923 §6.7 Content-Disposition"
has_bare_lf ex1.obj || fail "the CDATA should have LF line ends (DESIGN §3 rule 2)"
grep -q $'\r' ex1.obj && fail "a CR inside the CDATA"
expect_exit 0 "$XE2E" unwrap "${ROMEO[@]}" -i ex1.w.xml --payload --state "$SCRATCH/s2"
to_lf <"$OUT" >ex1.cpim
sed -n 1,10p ex1.cpim >head.txt
grep -qx 'Content-type: Message/CPIM' head.txt || fail "CPIM header: $(cat head.txt)"
grep -qx 'From: <im:juliet@example.com>' head.txt || fail "CPIM From: $(cat head.txt)"
grep -qx 'To: <im:romeo@example.net>' head.txt || fail "CPIM To: $(cat head.txt)"
grep -qE '^DateTime: [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z$' head.txt ||
	fail "CPIM DateTime: $(cat head.txt)"
grep -qx 'Subject: Imploring' head.txt || fail "CPIM Subject: $(cat head.txt)"
grep -qx 'Content-type: text/plain; charset=utf-8' ex1.cpim || fail "inner entity: $(cat ex1.cpim)"
grep -qE '^Content-ID: <[0-9a-f]{24}@example.com>$' ex1.cpim || fail "Content-ID: $(cat ex1.cpim)"
[ "$(tail -c 26 ex1.cpim)" = "Wherefore art thou, Romeo?" ] || fail "body: $(tail -2 ex1.cpim)"
expect_exit 0 "$XE2E" unwrap "${ROMEO[@]}" -i ex1.w.xml --json --state "$SCRATCH/s3"
json_check "$ERR" 'j["kind"] == "message" and j["payload"] == "cpim" and j["signed"] and not j["encrypted"] and j["from"] == "juliet@example.com" and j["timestamp"]["verdict"] == "ok" and j["signers"][0]["digest"] == "sha1" and j["signers"][0]["subject"] == "CN=Juliet Capulet,O=Example"'

# --- Examples 4-6: an encrypted message ------------------------------------------
cp ex1.xml ex4.xml
roundtrip ex4 "${ENC_ONLY[@]}" --compat rfc3923
e2e_text ex4.w.xml >ex4.obj
grep -q '^Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m' ex4.obj ||
	fail "not enveloped-data: $(head -2 ex4.obj)"
expect_exit 0 "$XE2E" unwrap "${ROMEO[@]}" -i ex4.w.xml --json --state "$SCRATCH/s4"
json_check "$ERR" 'not j["signed"] and j["encrypted"] and j["layers"][0]["cipher"] == "aes128"'
# Example 6 as printed: the "encrypted object" is `openssl enc` output, not S/MIME
cat >ex6.xml <<'X'
<message to='romeo@example.net/orchard' from='juliet@example.com/balcony' type='chat'>
  <e2e xmlns='urn:ietf:params:xml:ns:xmpp-e2e'>
<![CDATA[
U2FsdGVkX19okeKTlLxa/1n1FE/upwn1D20GhPWqhDWlexKMUKYJInTWzERP+vcQ
/OxFs40uc9Fx81a5/62p/yPb/UWnuG6SR6o3Ed2zwcusDImyyz125HFERdDUMBC9
Pt6Z4cTGKBmJzZBGyuc3Y+TMBTxqFFUAxeWaoxnZrrl+LP72vwbriYc3KCMxDbQL
Igc1Vzs5/5JecegMieNY24SlNyX9HMFRNFpbI64vLxYEk55A+3IYbZsluCFT31+a
+GeAvJkvH64LRV4mPbUhENTQ2wbAwnOTvbLIaQEQrii78xNEh+MK8Bx7TBTvi4yH
Ddzf9Sim6mtWsXaCAvWSyp0X91d7xRJ4JIgKfPzkxNsWJFCLthQS1p734eDxXVd3
i08lEHzyll6htuEr59ZDAw==
]]>
  </e2e>
</message>
X
expect_fail 2 "$XE2E" unwrap "${ROMEO[@]}" -i ex6.xml
# ... and Example 3 as printed ("[signed body part]" is no signature)
{ printf "<message to='romeo@example.net/orchard' type='chat'>\n  <e2e xmlns='urn:ietf:params:xml:ns:xmpp-e2e'>\n<![CDATA[\n"
  printf 'Content-Type: multipart/signed; boundary=next;\n              micalg=sha1;\n              protocol=application/pkcs7-signature\n\n'
  printf -- '--next\nContent-type: Message/CPIM\n\nFrom: Juliet Capulet <im:juliet@example.com>\n'
  printf 'To: Romeo Montague <im:romeo@example.net>\nDateTime: 2003-12-09T23:45:36.66Z\nSubject: Imploring\n\n'
  printf 'Content-type: text/plain; charset=utf-8\nContent-ID: <1234567890@example.com>\n\nWherefore art thou, Romeo?\n'
  printf -- '--next\nContent-Type: application/pkcs7-signature\nContent-Disposition: attachment;handling=required;filename=smime.p7s\n\n'
  printf '[signed body part]\n\n--next--\n]]>\n  </e2e>\n</message>\n'; } >ex3.xml
expect_fail 2 "$XE2E" unwrap "${ROMEO[@]}" -i ex3.xml

# --- Examples 7-12: signed, encrypted directed presence as PIDF -------------------
cat >ex7.xml <<'X'
<presence to='romeo@example.net/orchard' from='juliet@example.com/balcony'>
  <show>away</show>
  <status xml:lang='en'>retired to the chamber</status>
</presence>
X
roundtrip ex7 "${SIGN[@]}"
expect_exit 0 "$XE2E" unwrap "${ROMEO[@]}" -i ex7.w.xml --payload --state "$SCRATCH/s7"
to_lf <"$OUT" >ex7.pidf
grep -qx 'Content-type: application/pidf+xml; charset=utf-8' ex7.pidf || fail "PIDF type: $(cat ex7.pidf)"
grep -qx "<?xml version='1.0' encoding='UTF-8'?>" ex7.pidf || fail "no XML declaration (RFC 3863 §4.1)"
for want in "entity='pres:juliet@example.com'" "<tuple id='balcony'>" "<basic>open</basic>" \
	"<im:im>away</im:im>" "<note xml:lang='en'>retired to the chamber</note>" \
	"xmlns='urn:ietf:params:xml:ns:pidf'" "xmlns:im='urn:ietf:params:xml:ns:pidf:im'"; do
	grep -qF -- "$want" ex7.pidf || fail "PIDF lacks $want: $(cat ex7.pidf)"
done
grep -qE '<timestamp>[0-9-]{10}T[0-9:]{8}\.[0-9]{3}Z</timestamp>' ex7.pidf || fail "PIDF timestamp"
cp ex7.xml ex10.xml
roundtrip ex10 "${ENC_ONLY[@]}"
# unavailable presence: basic closed
printf "<presence to='romeo@example.net' from='juliet@example.com/balcony' type='unavailable'><status>gone</status></presence>" >ex7u.xml
roundtrip ex7u "${SIGN[@]}" "${ENC[@]}"
expect_exit 0 "$XE2E" unwrap "${ROMEO[@]}" -i ex7u.w.xml --payload --state "$SCRATCH/s7u"
grep -q '<basic>closed</basic>' "$OUT" || fail "unavailable is not closed: $(cat "$OUT")"

# --- Examples 13-15: extended data as application/xmpp+xml -----------------------
cat >ex13.xml <<'X'
<message from='iago@example.com/pda' to='emilia@example.com/cell'>
    <body>
      I told him what I thought, and told no more
      Than what he found himself was apt and true.
    </body>
    <evil xmlns='http://jabber.org/protocol/evil'/>
</message>
X
cat >ex14.xml <<'X'
<presence from='iago@example.com/pda' to='emilia@example.com/cell'>
    <show>dnd</show>
    <status>Fomenting dissension</status>
    <evil xmlns='http://jabber.org/protocol/evil'/>
</presence>
X
cat >ex15.xml <<'X'
<iq type='result' from='iago@example.com/pda' to='emilia@example.com/cell' id='evil1'>
    <query xmlns='jabber:iq:version'>
      <name>Stabber</name>
      <version>666</version>
      <os>FiendOS</os>
    </query>
    <evil xmlns='http://jabber.org/protocol/evil'/>
</iq>
X
# iago signs (he has no certificate here: juliet's stands in, so the JIDs
# are juliet's and emilia is romeo)
for n in 13 14 15; do
	sed -e 's/iago@example.com/juliet@example.com/g' -e 's/emilia@example.com/romeo@example.net/g' \
		ex$n.xml >x$n.xml
	roundtrip x$n "${SIGN[@]}" "${ENC[@]}"
	expect_exit 0 "$XE2E" unwrap "${ROMEO[@]}" -i x$n.w.xml --payload --state "$SCRATCH/sx$n"
	to_lf <"$OUT" >x$n.obj
	grep -qx 'Content-type: Message/CPIM' x$n.obj || fail "x$n: not inside CPIM"
	grep -qx 'Content-type: application/xmpp+xml; charset=utf-8' x$n.obj || fail "x$n: not xmpp+xml"
	grep -q "<xmpp xmlns='jabber:client'><" x$n.obj || fail "x$n: no <xmpp/> root: $(cat x$n.obj)"
	# the body's white space is content, kept byte for byte
	python3 - x$n.xml x$n.u.xml <<'PY' || fail "x$n: text changed"
import sys, xml.etree.ElementTree as ET
a, b = (ET.parse(f).getroot() for f in sys.argv[1:])
ta = [e.text for e in a.iter()]; tb = [e.text for e in b.iter()]
sys.exit(0 if ta == tb else 1)
PY
done
expect_exit 0 "$XE2E" unwrap "${ROMEO[@]}" -i x15.w.xml --json --state "$SCRATCH/sj"
json_check "$ERR" 'j["kind"] == "iq" and j["payload"] == "cpim+xmpp" and j["signed"] and j["encrypted"]'

# DESIGN rule 11: a stanza with an attribute beyond the routing ones is not
# "only show and status" / "only subject and body": it goes as xmpp+xml,
# which protects the attribute (fuzz_payload found it dropped from PIDF)
printf '%s' "<presence to='romeo@example.net' from='juliet@example.com/balcony' x='1'><show>dnd</show></presence>" >pa.xml
printf '%s' "<message to='romeo@example.net' from='juliet@example.com/balcony' xmlns:e='urn:e' e:v='2'><body>b</body></message>" >ma.xml
for n in pa ma; do
	roundtrip $n "${SIGN[@]}"
	expect_exit 0 "$XE2E" unwrap "${ROMEO[@]}" -i $n.w.xml --json --state "$SCRATCH/s$n"
	json_check "$ERR" 'j["payload"] == "cpim+xmpp"'
done

# every kind signed and encrypted
for n in ex1 ex7; do
	cp $n.xml b$n.xml
	roundtrip b$n "${SIGN[@]}" "${ENC[@]}"
	e2e_text b$n.w.xml | grep -q 'smime-type=enveloped-data' || fail "b$n: not encrypted outside"
done
exit 0
