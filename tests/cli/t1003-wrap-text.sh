#!/bin/bash
# t1003: what a stanza's text may hold survives wrap and unwrap exactly
# (DESIGN §3 rules 2, 3, 11): "]]>" (CDATA is split), CRLF in the input,
# a CR as a character reference, non-ASCII text, & and <, lines longer than
# MIME allows, white space kept inside a body; and which object each shape
# becomes (a thread, two bodies, another xml:lang, an extension: xmpp+xml).
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
have_python || skip "python3 is needed to compare XML"
cd "$SCRATCH" || hard_error "cd"
n=0
# case PAYLOAD XML: round trip, and the object is PAYLOAD (cpim, pidf, cpim+xmpp)
case_() {
	local want=$1
	n=$((n + 1))
	printf '%s' "$2" >c$n.xml
	roundtrip c$n "${BOTH[@]}"
	expect_exit 0 "$XE2E" unwrap "${ROMEO[@]}" -i c$n.w.xml --json --state "$SCRATCH/j$n" --out /dev/null
	json_check "$ERR" "j['payload'] == '$want'"
}

case_ cpim "<message $H><body>a ]]&gt; b ]]]]&gt; c ]]&gt;</body></message>"
# signed only, the text is in the clear inside the CDATA, which is split
cp c1.xml cdata.xml
roundtrip cdata "${JULIET[@]}"
[ "$(grep -o "<!\[CDATA\[" cdata.w.xml | wc -l)" -ge 4 ] || fail "the CDATA was not split at ]]>"
e2e_text cdata.w.xml | grep -qF 'a ]]> b ]]]]> c ]]>' || fail "the object lost its text"
case_ cpim "<message $H><body>&amp; &lt;tag&gt; &quot;q&quot; &apos;a&apos;</body></message>"
case_ cpim "<message $H><body>Ünïcödé текст 中文 🎭</body></message>"
printf "<message $H><body>line one\r\nline two\r\n\r\nend</body></message>" >crlf.xml
expect_exit 0 "$XE2E" wrap "${BOTH[@]}" -i crlf.xml -o crlf.w.xml
expect_exit 0 "$XE2E" unwrap "${ROMEO[@]}" -i crlf.w.xml -o crlf.u.xml
xml_equal crlf.xml crlf.u.xml
case_ cpim "<message $H><body>a bare CR&#13;inside and CRLF&#13;
end</body></message>"
grep -q '&#13;' c$n.u.xml || fail "the CR was lost: $(cat c$n.u.xml)"
long=$(head -c 3000 /dev/zero | tr '\0' x)
case_ cpim "<message $H><body>$long</body></message>"
case_ cpim "<message $H><body>  leading and trailing space  </body></message>"
case_ cpim "<message $H><body/></message>"
case_ cpim "<message $H xml:lang='en'><subject xml:lang='en'>s</subject><body xml:lang='en'>b</body></message>"
case_ cpim "<message $H type='normal'>
  <subject>Two words</subject>
  <body>text</body>
</message>"
case_ cpim+xmpp "<message $H><body xml:lang='fr'>bonjour</body></message>"
case_ cpim+xmpp "<message $H><body>b</body><subject>s after the body</subject></message>"
case_ cpim+xmpp "<message $H><body>one</body><body xml:lang='de'>eins</body></message>"
case_ cpim+xmpp "<message $H><thread>t1</thread><body>b</body></message>"
case_ cpim+xmpp "<message $H><body>b</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>"
case_ cpim+xmpp "<message $H><body a='1'>b</body></message>"
case_ cpim+xmpp "<message $H><x:y xmlns:x='urn:example:x' x:attr='v' plain='p'>t</x:y></message>"
case_ cpim+xmpp "<message $H/>"
case_ pidf "<presence $H/>"
case_ pidf "<presence $H type='unavailable'/>"
case_ pidf "<presence $H><show>chat</show></presence>"
case_ pidf "<presence $H><status>only a status</status></presence>"
case_ cpim+xmpp "<presence $H><show>busy</show></presence>"
case_ cpim+xmpp "<presence $H><priority>5</priority></presence>"
case_ cpim+xmpp "<presence $H type='subscribe'/>"
case_ cpim+xmpp "<presence $H><status>s</status><show>away</show></presence>"
case_ cpim+xmpp "<iq $H type='set' id='i1'><query xmlns='jabber:iq:roster'><item jid='a@b'/></query></iq>"
# a resource that is no NCName still makes a PIDF (a generated tuple id)
printf "<presence to='romeo@example.net' from='juliet@example.com/my phone'><show>xa</show></presence>" >p.xml
roundtrip p "${BOTH[@]}"
# jabber:server stanzas keep their namespace
printf "<message xmlns='jabber:server' $H><body>s2s</body></message>" >srv.xml
roundtrip srv "${BOTH[@]}"
grep -q "xmlns='jabber:server'" srv.u.xml || fail "the namespace changed: $(cat srv.u.xml)"
exit 0
