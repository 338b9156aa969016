#!/bin/bash
# t5200: RFC 3923 stanzas through a real XMPP server (Prosody 0.12, DESIGN §7).
# The test starts its own Prosody on loopback (config, data and log under
# $SCRATCH, a free port), registers juliet@example.com and romeo@example.net
# with prosodyctl, logs romeo in as romeo@example.net/orchard (receiver) and
# juliet as juliet@example.com/balcony (sender), and sends through it what
# `xe2e wrap` made of these originals:
#   m1  a message (subject + body: Message/CPIM), signed and encrypted
#   p1  a directed presence (show + status: PIDF), signed and encrypted
#   q1  an iq get to romeo's full JID (application/xmpp+xml), signed and
#       encrypted, sent without 'from' (as clients do): the server's stamp is
#       the sender unwrap checks
#   m2  a signed-only message whose body holds ']]>', '&' and '<': wrap
#       splits its CDATA, and the server delivers the clear object as
#       escaped text
#   m3  a signed-only message that juliet's client edits after wrapping
# Each stanza is captured byte for byte as romeo's client received it and
# unwrapped with romeo's key and the CA: m1, p1, q1 and m2 must be equal as
# XML to their originals (xml:lang, which the server adds, ignored; 'from' is
# the server-stamped juliet@example.com/balcony, the same as the original's),
# and m3 must fail with exit 4 (signature does not match content); the five
# read as one stream by `xe2e unwrap --stream --drop-failed` give the four.
#
# What Prosody 0.12 does to a stanza (measured; see tests/interop/xmpp/):
# CDATA becomes escaped text, CR is lost, 'from' is stamped with the sender's
# full JID, xml:lang='en' is added, attributes are reordered.
# The server is stopped at the end, also on failure (prosody.sh's EXIT trap).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/interop.sh"
. "$here/xmpp/prosody.sh" || exit 99

if ! prosody_have; then
	# Debian packages (.ci/deps installs them): missing is a broken set-up
	command -v apt-get >/dev/null 2>&1 &&
		hard_error "prosody, prosodyctl or python3 not installed (sh .ci/deps installs them)"
	skip "prosody cannot be installed here (no apt-get)"
fi

cd "$W" || exit 99
JID_J=juliet@example.com/balcony
JID_R=romeo@example.net/orchard
WRAP=("$XE2E" wrap "${JULIET[@]}" --state "$W/juliet-state")
ENC=(--recip "$PKI/romeo.pem")
UNWRAP=("$XE2E" unwrap "${ROMEO[@]}" --state "$W/romeo-state")

# --- the originals and what juliet sends ----------------------------------------
cat >m1.xml <<X
<message from='$JID_J' to='romeo@example.net' type='chat' id='m1'>
  <subject>Imploring</subject>
  <body>Wherefore art thou, Romeo? — à bientôt ☀</body>
</message>
X
cat >p1.xml <<X
<presence from='$JID_J' to='$JID_R' id='p1'>
  <show>away</show>
  <status xml:lang='en'>retired to the chamber</status>
</presence>
X
cat >q1.xml <<X
<iq from='$JID_J' to='$JID_R' type='get' id='q1'>
  <query xmlns='jabber:iq:version'/>
</iq>
X
cat >m2.xml <<X
<message from='$JID_J' to='romeo@example.net' type='chat' id='m2'>
  <body>if (a ]]&gt; b &amp;&amp; c &lt; d) { &lt;kiss/&gt; }</body>
</message>
X
cat >m3.xml <<X
<message from='$JID_J' to='romeo@example.net' type='chat' id='m3'>
  <body>Meet me at the friar's cell.</body>
</message>
X
expect_exit 0 "${WRAP[@]}" "${ENC[@]}" -i m1.xml -o m1.w.xml
expect_exit 0 "${WRAP[@]}" "${ENC[@]}" -i p1.xml -o p1.w.xml
expect_exit 0 "${WRAP[@]}" "${ENC[@]}" -i q1.xml -o q1.w.xml
expect_exit 0 "${WRAP[@]}" -i m2.xml -o m2.w.xml
expect_exit 0 "${WRAP[@]}" -i m3.xml -o m3.w.xml
# the iq goes out without 'from'
sed "s| from='$JID_J'||" q1.w.xml >q1.send.xml
grep -q "from=" q1.send.xml && hard_error "q1.send.xml still has a from"
# m2: the clear object is in CDATA, split at ']]>'
grep -qF ']]]]><![CDATA[>' m2.w.xml || fail "m2: wrap did not split the CDATA at ']]>'"
# m3: a client-side edit after signing
sed 's/friar/nurse/' m3.w.xml >m3.send.xml
cmp -s m3.w.xml m3.send.xml && hard_error "nothing was edited in m3"

# --- the server, the two clients ------------------------------------------------
S=$W/prosody
prosody_start "$S" || hard_error "prosody did not start"
prosody_user "$S" juliet example.com 'juliet pw' || hard_error "cannot register juliet"
prosody_user "$S" romeo example.net 'romeo pw' || hard_error "cannot register romeo"

python3 "$XMPP_PY" recv --port "$PROSODY_PORT" --jid "$JID_R" --password 'romeo pw' \
	--count 5 --timeout 15 --out "$W/romeo" --ready-file "$W/romeo.ready" \
	>/dev/null 2>"$W/romeo.err" &
rpid=$!
prosody_wait_file "$W/romeo.ready" 15 "$rpid" ||
	hard_error "romeo's client did not log in: $(cat "$W/romeo.err")"
python3 "$XMPP_PY" send --port "$PROSODY_PORT" --jid "$JID_J" --password 'juliet pw' \
	--out "$W/juliet" m1.w.xml p1.w.xml q1.send.xml m2.w.xml m3.send.xml 2>"$W/juliet.err" ||
	fail "juliet's client: $(cat "$W/juliet.err")"
wait "$rpid" || fail "romeo's client (exit $?): $(cat "$W/romeo.err")"
prosody_stop "$S"

# --- what the server did (the reason for this test) --------------------------------
# romeo/N.xml -> got-ID.xml; each stanza's 'from' must be the server's stamp,
# with the xml:lang='en' it adds and no CDATA section left
python3 - romeo "$JID_J" m1 p1 q1 m2 m3 <<'PY' || fail "romeo's stanzas are not what Prosody 0.12 delivers"
import os, sys, xml.etree.ElementTree as ET
d, jid, want = sys.argv[1], sys.argv[2], sys.argv[3:]
LANG = '{http://www.w3.org/XML/1998/namespace}lang'
got = {}
for f in sorted(os.listdir(d)):
    if f.endswith('.xml'):
        raw = open(os.path.join(d, f), 'rb').read()
        s = ET.fromstring(b"<r xmlns='jabber:client'>" + raw + b"</r>")[0]
        got[s.get('id')] = (raw, s)
ok = True
for i in want:
    if i not in got:
        print('%s: not received (got %s)' % (i, sorted(got, key=str)), file=sys.stderr)
        ok = False
        continue
    raw, s = got[i]
    open('got-%s.xml' % i, 'wb').write(raw)
    for what, bad in (("from is not the server's stamp %s" % jid, s.get('from') != jid),
                      ("no xml:lang='en' added", s.get(LANG) != 'en'),
                      ("the CDATA section was kept: escaped text is no longer covered",
                       b'<![CDATA[' in raw)):
        if bad:
            print('%s: %s: %s' % (i, what, raw[:200]), file=sys.stderr)
            ok = False
sys.exit(0 if ok else 1)
PY
for want in ']]&gt;' '&amp;&amp;' '&lt;kiss/&gt;'; do
	grep -qF -- "$want" got-m2.xml || fail "m2: no '$want', not the escaped text expected: $(cat got-m2.xml)"
done
# juliet's iq was answered by romeo's client
grep -qs "type='result'" juliet/1.xml || fail "juliet got no iq result: $(cat juliet/*.xml 2>&1)"

# --- romeo unwraps ----------------------------------------------------------------
for id in m1 p1 q1 m2; do
	expect_exit 0 "${UNWRAP[@]}" -i "got-$id.xml" -o "$id.u.xml"
	xml_equal "$id.xml" "$id.u.xml" --ignore-attr xml:lang
	grep -q "^<[a-z]* [^>]*xml:lang='en'" "$id.u.xml" || fail "$id: the server's xml:lang was lost: $(head -c 200 "$id.u.xml")"
done
expect_exit 0 "${UNWRAP[@]}" -i got-m2.xml --payload --state "$W/payload-state"
grep -qF 'if (a ]]> b && c < d) { <kiss/> }' "$OUT" || fail "m2: the CPIM body is not the clear text: $(cat "$OUT")"
expect_fail 4 "${UNWRAP[@]}" -i got-m3.xml -o m3.u.xml
assert_stderr_matches "signature does not match content"
[ -e m3.u.xml ] && fail "m3: output written for a forged stanza"
# the untouched m3 would have verified: it is the edit that fails
expect_exit 0 "$XE2E" unwrap "${ROMEO[@]}" --state "$W/m3-state" -i m3.w.xml
# the five as one stream (a client's view): the forged one dropped, exit 4
cat got-m1.xml got-p1.xml got-q1.xml got-m2.xml got-m3.xml >stream.xml
cat m1.xml p1.xml q1.xml m2.xml >stream.want.xml
expect_exit 4 "$XE2E" unwrap "${ROMEO[@]}" --state "$W/stream-state" --stream --drop-failed -i stream.xml
xml_equal stream.want.xml "$OUT" --ignore-attr xml:lang
exit 0
