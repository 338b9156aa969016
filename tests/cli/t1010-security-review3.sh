#!/bin/bash
# t1010: what a line-by-line read of the RFC 3923 code found, each now held:
# a use-after-free re-scoping jabber:server content, unprotected outer
# attributes (type, id, anything else) overriding or joining the protected
# stanza, a stanza without 'to' escaping the recipient check, a language
# tag that forged a MIME header inside the signed object, half-written
# stanzas in a stream, a duplicate xmlns, quadratic namespace declarations,
# an unbounded start tag, an error reply to an iq result, white space
# between CDATA sections.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
have_python || skip "python3 is needed"
cd "$SCRATCH" || hard_error "cd"
U=("$XE2E" unwrap "${ROMEO[@]}")
st() { echo "--state=$SCRATCH/st-$(date +%s%N)"; }
well_formed() {
	python3 -c "import sys, xml.dom.minidom as m; m.parseString('<r>' + open(sys.argv[1]).read() + '</r>')" "$1" ||
		fail "$1 is not well-formed: $(head -c 300 "$1")"
}

# a jabber:server xmpp+xml object inside a jabber:client stanza: read after free
printf 'Content-Type: application/xmpp+xml\r\n\r\n<xmpp xmlns="jabber:server"><message to="romeo@example.net"><body>x</body><f xmlns="urn:f"><message xmlns="jabber:server"><body>inner</body></message></f></message></xmpp>' >entity.mime
expect_exit 0 "$XE2E" encrypt --recip "$PKI/romeo.pem" -i entity.mime -o enc.smime
{ printf "<message to='romeo@example.net' from='mallory@evil.example'><e2e xmlns='urn:ietf:params:xml:ns:xmpp-e2e'><![CDATA["
  tr -d '\r' <enc.smime; printf "]]></e2e></message>"; } >uaf.xml
expect_exit 0 "${U[@]}" -i uaf.xml "$(st)"
grep -q "xmlns='jabber:server'" "$OUT" || fail "the nested foreign content was re-scoped too: $(cat "$OUT")"
grep -q "^<message to='romeo@example.net' from='mallory@evil.example'><body>x</body>" "$OUT" ||
	fail "the stanza was not re-scoped: $(cat "$OUT")"

# the protected type and id win; an outer one that contradicts them fails
printf "<presence to='romeo@example.net' from='juliet@example.com/balcony' type='subscribe' id='s1'/>" >sub.xml
expect_exit 0 "$XE2E" wrap "${JULIET[@]}" --recip "$PKI/romeo.pem" -i sub.xml -o sub.w.xml
sed "s/type='subscribe' id='s1'/type='subscribed' id='s1'/" sub.w.xml >t1.xml
expect_fail 4 "${U[@]}" -i t1.xml "$(st)" --require both
assert_stderr_matches "the stanza's type 'subscribed' is not the protected 'subscribe'"
sed "s/ id='s1'/ id='forged'/" sub.w.xml >t2.xml
expect_fail 4 "${U[@]}" -i t2.xml "$(st)"
sed "s/ id='s1'//" sub.w.xml >t3.xml
expect_exit 0 "${U[@]}" -i t3.xml "$(st)"        # a missing outer id: the protected one is used
grep -q "id='s1'" "$OUT" || fail "the protected id was lost: $(cat "$OUT")"
printf "<iq to='romeo@example.net' from='juliet@example.com/balcony' type='get' id='q1'><query xmlns='jabber:iq:roster'/></iq>" >iq.xml
expect_exit 0 "$XE2E" wrap "${JULIET[@]}" -i iq.xml -o iq.w.xml
sed "s/type='get'/type='set'/" iq.w.xml >iq.t.xml
expect_fail 4 "${U[@]}" -i iq.t.xml "$(st)"
# PIDF: the basic status is the type
printf "<presence to='romeo@example.net' from='juliet@example.com/balcony'><show>away</show></presence>" >p.xml
expect_exit 0 "$XE2E" wrap "${JULIET[@]}" -i p.xml -o p.w.xml
sed "1s#^<presence #<presence type='unavailable' #" p.w.xml >p.t.xml
expect_fail 4 "${U[@]}" -i p.t.xml "$(st)"
assert_stderr_matches "not the protected basic status open"

# any other outer attribute is not protected: left out, and said so
printf "<message to='romeo@example.net' from='juliet@example.com/balcony' type='chat'><body>hello</body></message>" >m.xml
expect_exit 0 "$XE2E" wrap "${JULIET[@]}" -i m.xml -o m.w.xml
sed "s/<message /<message xmlns:x='urn:example:flags' x:urgent='true' /" m.w.xml >m.t.xml
expect_exit 0 "${U[@]}" -i m.t.xml "$(st)" --json
json_check "$ERR" 'j["dropped"] == ["@urn:example:flags urgent"]'
expect_exit 0 "${U[@]}" -i m.t.xml "$(st)"
grep -q urgent "$OUT" && fail "the unprotected attribute was kept: $(cat "$OUT")"
xml_equal m.xml "$OUT"

# no 'to': the object names its recipient, so the stanza is nobody else's
sed "s/ to='romeo@example.net'//" m.w.xml >noto.xml
expect_fail 7 "${U[@]}" -i noto.xml "$(st)"
assert_stderr_matches "the stanza has no 'to'; the object is for 'romeo@example.net'"

# a language tag cannot forge a header of the signed entity: such a message
# is carried as xmpp+xml, and a received Content-Language must be a tag
printf "<message to='romeo@example.net' from='juliet@example.com/balcony' xml:lang='en&#10;Content-Transfer-Encoding: base64'><body xml:lang='en&#10;Content-Transfer-Encoding: base64'>SSBvd2UgeW91IDEwMDAgZHVjYXRzLg==</body></message>" >lang.xml
expect_exit 0 "$XE2E" wrap "${JULIET[@]}" -i lang.xml -o lang.w.xml
e2e_text lang.w.xml | grep -q '^Content-Language' && fail "a header was forged"
expect_exit 0 "${U[@]}" -i lang.w.xml "$(st)"
xml_equal lang.xml "$OUT"
grep -q "I owe" "$OUT" && fail "the body was decoded"
now=$(date -u +%Y-%m-%dT%H:%M:%S.000Z)
printf 'Content-type: Message/CPIM\r\n\r\nFrom: <im:juliet@example.com>\r\nTo: <im:romeo@example.net>\r\nDateTime: %s\r\n\r\nContent-type: text/plain; charset=utf-8\r\nContent-Language: en\r\n Content-Transfer-Encoding: base64\r\n\r\nSSBvd2U=\r\n' "$now" >cl.mime
expect_exit 0 "$XE2E" sign --cert "$PKI/signer.pem" --key "$PKI/signer.key" --chain "$PKI/inter.pem" -i cl.mime -o cl.smime
{ printf "<message to='romeo@example.net' from='juliet@example.com/balcony'><e2e xmlns='urn:ietf:params:xml:ns:xmpp-e2e'><![CDATA["
  tr -d '\r' <cl.smime; printf "]]></e2e></message>"; } >cl.xml
expect_fail 2 "${U[@]}" -i cl.xml "$(st)"
assert_stderr_matches "is not a language tag"

# a stanza whose text XML cannot carry: refused before its timestamp is
# recorded, and never half-written into a stream
printf 'Content-type: Message/CPIM\r\n\r\nFrom: <im:juliet@example.com>\r\nTo: <im:romeo@example.net>\r\nDateTime: %s\r\nSubject: hi\\u0001\r\n\r\nContent-type: text/plain; charset=utf-8\r\n\r\nhello\r\n' "$now" >ctl.mime
expect_exit 0 "$XE2E" sign --cert "$PKI/signer.pem" --key "$PKI/signer.key" --chain "$PKI/inter.pem" -i ctl.mime -o ctl.smime
{ printf "<message to='romeo@example.net' from='juliet@example.com/balcony' id='a'><e2e xmlns='urn:ietf:params:xml:ns:xmpp-e2e'><![CDATA["
  tr -d '\r' <ctl.smime; printf "]]></e2e></message>\n"
  printf "<message to='romeo@example.net' from='nurse@example.com/x' id='b'><body>unrelated</body></message>\n"; } >ctl.xml
S=$(st)
expect_exit 2 "${U[@]}" --stream --passthrough -i ctl.xml -o ctl.out "$S"
well_formed ctl.out
grep -q "<body>unrelated</body>" ctl.out || fail "the next stanza is missing"
[ -s "${S#--state=}/replay" ] && grep -q juliet "${S#--state=}/replay" && fail "the failed stanza's timestamp was recorded"
expect_exit 2 "${U[@]}" --stream --passthrough --drop-failed -i ctl.xml -o ctl2.out "$(st)"
well_formed ctl2.out

# jabber:server stanza wrapped, unwrapped in a jabber:client stream: one xmlns
printf "<presence xmlns='jabber:server' to='romeo@example.net' from='juliet@example.com/balcony' type='subscribe'/>" >s2s.xml
expect_exit 0 "$XE2E" wrap "${JULIET[@]}" -i s2s.xml -o s2s.w.xml
sed "1s/^<presence xmlns='jabber:server'/<presence/" s2s.w.xml >c2s.xml
expect_exit 0 "${U[@]}" -i c2s.xml "$(st)"
cp "$OUT" c2s.out
well_formed c2s.out
[ "$(grep -o "xmlns=" c2s.out | wc -l)" = 0 ] || fail "namespace declarations: $(cat c2s.out)"

# namespace declarations count as attributes: no quadratic work
python3 -c "import sys; sys.stdout.write('<message to=\"romeo@example.net\" ' + ' '.join('xmlns:p%d=\"u:%d\"' % (i, i) for i in range(40000)) + '><body>x</body></message>')" >ns.xml
t0=$(now_ms)
expect_fail 2 "${U[@]}" --passthrough -i ns.xml "$(st)"
[ $(($(now_ms) - t0)) -lt $((2000 * SLOW)) ] || fail "40000 declarations: $(($(now_ms) - t0)) ms"
assert_stderr_matches "more attributes than the limit"

# one start tag that never ends: refused after 1 MiB, not buffered for ever
t0=$(now_ms)
( printf "<message a='"; head -c 8000000 /dev/zero | tr '\0' x ) >tag.xml
expect_exit 2 "${U[@]}" --stream -i tag.xml "$(st)" -o /dev/null
[ $(($(now_ms) - t0)) -lt $((3000 * SLOW)) ] || fail "an 8 MB start tag: $(($(now_ms) - t0)) ms"
assert_stderr_matches "tag is larger than the limit"

# RFC 6120 §8.2.3: an iq result is not answered, not even with an error
printf "<iq to='romeo@example.net' from='juliet@example.com/balcony' type='result' id='v1'><query xmlns='jabber:iq:version'><name>x</name></query></iq>" >res.xml
expect_exit 0 "$XE2E" wrap "${JULIET[@]}" -i res.xml -o res.w.xml
sed "s/<name>x<\/name>/<name>y<\/name>/" res.w.xml >res.t.xml
cmp -s res.w.xml res.t.xml && cp res.w.xml res.t.xml && python3 - res.t.xml <<'PY'
import sys; p = sys.argv[1]; s = open(p).read(); i = s.index('MII') + 100
open(p, 'w').write(s[:i] + ('A' if s[i] != 'A' else 'B') + s[i + 1:])
PY
rm -f reply.xml
expect_fail 4 "${U[@]}" -i res.t.xml --reply reply.xml "$(st)"
[ -e reply.xml ] && fail "an iq result was answered: $(cat reply.xml)"

# DESIGN §3 rule 3: white space between CDATA sections is not content
python3 - m.w.xml split.xml <<'PY'
import sys
d = open(sys.argv[1]).read(); i = d.index('Content-type: text/plain')
open(sys.argv[2], 'w').write(d[:i] + ']]>\n  <![CDATA[' + d[i:])
PY
expect_exit 0 "${U[@]}" -i split.xml "$(st)"
xml_equal m.xml "$OUT"

# a byte order mark fed one byte at a time; a strict XML declaration
python3 - "$XE2E" "$PKI" "$SCRATCH/bom-state" <<'PY' || fail "a BOM fed byte by byte"
import os, subprocess, sys, time
xe2e, pki, state = sys.argv[1:]
p = subprocess.Popen([xe2e, 'unwrap', '--stream', '--passthrough', '-q'], stdin=subprocess.PIPE,
                     stdout=subprocess.PIPE, env=dict(os.environ, XE2E_STATE_DIR=state))
for b in b"\xef\xbb\xbf<message to='a@b'><body>x</body></message>":
    p.stdin.write(bytes([b])); p.stdin.flush()
p.stdin.close()
out = p.stdout.read()
sys.exit(0 if p.wait() == 0 and b'<body>x</body>' in out else 1)
PY
for d in "<?xml version='1.1'?>" "<?xml version='1.0' encoding='latin1' x='utf-8'?>" "<?xml encoding='UTF-8' version='1.0'?>"; do
	printf "%s<message to='romeo@example.net' from='juliet@example.com'><body>x</body></message>" "$d" >decl.xml
	expect_fail 2 "$XE2E" wrap "${JULIET[@]}" -i decl.xml
done
printf "<?xml version=\"1.0\" encoding=\"utf-8\" standalone='yes' ?><message to='romeo@example.net' from='juliet@example.com'><body>x</body></message>" >decl.xml
expect_exit 0 "$XE2E" wrap "${JULIET[@]}" -i decl.xml
exit 0
