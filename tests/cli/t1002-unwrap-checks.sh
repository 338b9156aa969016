#!/bin/bash
# t1002: unwrap's checks (RFC 3923 §6.3, §6.9, §7; DESIGN §3 rules 5-6, §4),
# each failure with its exit status, one line, nothing on stdout, and the
# §7 error stanza from --reply: replay and the 5-minute window (--now), the
# sender's JID against the certificate and against what the object names,
# tampering, the wrong key, --require, stanzas without <e2e/>, and an <e2e/>
# that a server delivered as escaped text instead of CDATA.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
have_python || skip "python3 is needed to edit stanzas"
cd "$SCRATCH" || hard_error "cd"
U=("$XE2E" unwrap "${ROMEO[@]}")
printf "<message to='romeo@example.net/orchard' from='juliet@example.com/balcony' type='chat' id='c1'><body>Wherefore art thou?</body></message>" >m.xml
expect_exit 0 "$XE2E" wrap "${JULIET[@]}" --recip "$PKI/romeo.pem" -i m.xml -o w.xml

# is FILE the §7 error stanza answering w.xml with condition APP?
error_stanza() {
	python3 - "$1" "$2" "$3" <<'PY' || fail "$1 is not the §7 error stanza ($2, $3): $(cat "$1")"
import sys, xml.etree.ElementTree as ET
f, defined, app = sys.argv[1:]
C = '{jabber:client}'
s = ET.fromstring(b"<r xmlns='jabber:client'>" + open(f, 'rb').read() + b"</r>")[0]
ok = (s.tag == C + 'message' and s.get('type') == 'error' and s.get('id') == 'c1'
      and s.get('from') == 'romeo@example.net/orchard' and s.get('to') == 'juliet@example.com/balcony')
e2e = s.find('{urn:ietf:params:xml:ns:xmpp-e2e}e2e')
err = s.find(C + 'error')
ok = ok and e2e is not None and (e2e.text or '').strip() != '' and err is not None
ok = ok and err.get('type') == 'modify'
ok = ok and err.find('{urn:ietf:params:xml:ns:xmpp-stanzas}' + defined) is not None
ok = ok and err.find('{urn:ietf:params:xml:ns:xmpp-e2e}' + app) is not None
sys.exit(0 if ok else 1)
PY
}

# --- rule 6: replay, old and future timestamps ------------------------------------
expect_exit 0 "${U[@]}" -i w.xml
xml_equal m.xml "$OUT"
assert_stderr_matches "^xe2e unwrap: message from 'juliet@example.com': signed by 'CN=Juliet Capulet,O=Example', encrypted \(aes128\), timestamp [0-9T:.-]+Z ok$"
expect_fail 3 "${U[@]}" -i w.xml --reply r.xml
assert_stderr_matches "timestamp .* is not later than one already accepted from 'juliet@example.com'"
error_stanza r.xml not-acceptable bad-timestamp
ts=$("$XE2E" unwrap "${ROMEO[@]}" -i w.xml --payload --state "$SCRATCH/other" | sed -n 's/^DateTime: \(.*\)\r$/\1/p')
[ -n "$ts" ] || fail "no DateTime"
secs=$(date -u -d "$ts" +%s) || hard_error "date"
later=$(date -u -d "@$((secs + 301))" +%Y-%m-%dT%H:%M:%SZ)
earlier=$(date -u -d "@$((secs - 301))" +%Y-%m-%dT%H:%M:%SZ)
edge=$(date -u -d "@$((secs + 299))" +%Y-%m-%dT%H:%M:%SZ)
expect_fail 3 "${U[@]}" -i w.xml --now "$later" --state "$SCRATCH/s1" --reply r.xml
assert_stderr_matches "old timestamp .* \(30[01] s before now\)"
error_stanza r.xml not-acceptable bad-timestamp
expect_fail 3 "${U[@]}" -i w.xml --now "$earlier" --state "$SCRATCH/s1"
assert_stderr_matches "future timestamp"
expect_exit 0 "${U[@]}" -i w.xml --now "$edge" --state "$SCRATCH/s1"
expect_fail 1 "${U[@]}" -i w.xml --now yesterday
# --now is for the timestamp only: certificates are validated now (or --at)
expect_fail 6 "${U[@]}" -i w.xml --state "$SCRATCH/s2" --at 2040-01-01T00:00:00Z
# a newer stanza from the same sender is accepted after an older one, not before
expect_exit 0 "$XE2E" wrap "${JULIET[@]}" --recip "$PKI/romeo.pem" -i m.xml -o w2.xml
expect_exit 0 "${U[@]}" -i w2.xml --state "$SCRATCH/s3"
expect_fail 3 "${U[@]}" -i w.xml --state "$SCRATCH/s3"
assert_stderr_matches "not later than"

# --- rule 5: the sender --------------------------------------------------------------
# another resource of the same JID: accepted
sed "s|from='juliet@example.com/balcony'|from='Juliet@EXAMPLE.com/orchard-wall'|" w2.xml >res.xml
expect_exit 0 "${U[@]}" -i res.xml --state "$SCRATCH/s4"
# another JID in 'from' (a server that lets Mallory send it): exit 7, with the
# certificate's names
sed "s|from='juliet@example.com/balcony'|from='mallory@example.org/x'|" w2.xml >mal.xml
expect_fail 7 "${U[@]}" -i mal.xml --state "$SCRATCH/s5" --reply r.xml
assert_stderr_matches "JID 'mallory@example.org' is not a name of certificate 'CN=Juliet Capulet,O=Example' \(names: .*xmpp:juliet@example.com"
python3 - r.xml <<'PY' || fail "error stanza for exit 7: $(cat r.xml)"
import sys, xml.etree.ElementTree as ET
s = ET.fromstring(b"<r xmlns='jabber:client'>" + open(sys.argv[1], 'rb').read() + b"</r>")[0]
e = s.find('{jabber:client}error')
sys.exit(0 if s.get('to') == 'mallory@example.org/x' and
         e.find('{urn:ietf:params:xml:ns:xmpp-e2e}signature-unverified') is not None else 1)
PY
# re-addressed to someone else: the CPIM To says romeo
sed "s|to='romeo@example.net/orchard'|to='bob@example.net'|" w2.xml >fwd.xml
expect_fail 7 "${U[@]}" -i fwd.xml --state "$SCRATCH/s6"
assert_stderr_matches "the CPIM To is 'romeo@example.net', the stanza's is 'bob@example.net'"
# no 'from' at all (a file, not from a server): the object's sender is checked
python3 -c "
import sys; s=open('w2.xml').read(); print(s.replace(\" from='juliet@example.com/balcony'\", ''), end='')" >nofrom.xml
expect_exit 0 "${U[@]}" -i nofrom.xml --state "$SCRATCH/s7"
# an encrypted-only stanza names its sender in CPIM From; a different 'from' fails
expect_exit 0 "$XE2E" wrap --recip "$PKI/romeo.pem" -i m.xml -o enc.xml
sed "s|from='juliet@example.com/balcony'|from='mallory@example.org/x'|" enc.xml >enc-mal.xml
expect_fail 7 "${U[@]}" -i enc-mal.xml --state "$SCRATCH/s8"
assert_stderr_matches "the CPIM From is 'juliet@example.com'"
expect_exit 0 "${U[@]}" -i enc.xml --state "$SCRATCH/s8"
assert_stderr_matches "not signed, encrypted"

# --- §7 cases 4 and 5: tampering, the wrong key ----------------------------------
expect_exit 0 "$XE2E" wrap "${JULIET[@]}" -i m.xml -o signed.xml
sed 's/Wherefore art/Wherefore ART/' signed.xml >tampered.xml
cmp -s signed.xml tampered.xml && hard_error "nothing was tampered with"
expect_fail 4 "${U[@]}" -i tampered.xml --state "$SCRATCH/s9" --reply r.xml
assert_stderr_matches "signature does not match content"
error_stanza r.xml not-acceptable signature-unverified
expect_fail 5 "$XE2E" unwrap --key "$PKI/direct.key" --ca "$PKI/ca.pem" -i w2.xml --state "$SCRATCH/s10" --reply r.xml
error_stanza r.xml bad-request decryption-failed
# no key for an encrypted stanza; no anchor for a signed one
expect_fail 5 "$XE2E" unwrap --ca "$PKI/ca.pem" -i w2.xml --state "$SCRATCH/s11"
assert_stderr_matches "encrypted and no key"
expect_fail 6 "$XE2E" unwrap --key "$PKI/romeo.key" -i w2.xml --state "$SCRATCH/s12"
assert_stderr_matches "no trust anchor"
# --reply is written atomically, and only on failure
rm -f r.xml
expect_exit 0 "${U[@]}" -i signed.xml --state "$SCRATCH/s13" --reply r.xml
[ -e r.xml ] && fail "--reply written on success"

# --- --require ------------------------------------------------------------------------
expect_fail 4 "${U[@]}" -i enc.xml --require signed --state "$SCRATCH/s14" --reply r.xml
assert_stderr_matches "not signed"
error_stanza r.xml not-acceptable signature-unverified
expect_fail 5 "${U[@]}" -i signed.xml --require encrypted --state "$SCRATCH/s14"
expect_fail 5 "${U[@]}" -i signed.xml --require both --state "$SCRATCH/s14"
expect_exit 0 "${U[@]}" -i w2.xml --require both --state "$SCRATCH/s15"
expect_fail 1 "${U[@]}" -i w2.xml --require always

# --- no <e2e/>; an error stanza --------------------------------------------------------
expect_fail 2 "${U[@]}" -i m.xml
assert_stderr_matches "carries no <e2e/>"
expect_exit 0 "${U[@]}" -i m.xml --passthrough
xml_equal m.xml "$OUT"
expect_fail 2 "${U[@]}" -i r.xml
expect_exit 0 "${U[@]}" -i r.xml --passthrough

# --- servers re-serialise: escaped text instead of CDATA, a prefix, the RFC's
# leading line break, attributes reordered, xml:lang added ------------------------------
python3 - w2.xml esc.xml <<'PY' || hard_error "python"
import sys, re, html
s = open(sys.argv[1]).read()
m = re.search(r"<!\[CDATA\[(.*)\]\]>", s, re.S)
body = '\n  ' + html.escape(m.group(1), quote=False) + '\n'
s = s[:m.start()] + body + s[m.end():]
s = s.replace("<e2e xmlns='urn:ietf:params:xml:ns:xmpp-e2e'>", "<x:e2e xmlns:x='urn:ietf:params:xml:ns:xmpp-e2e'>")
s = s.replace("</e2e>", "</x:e2e>")
s = s.replace("<message to='romeo@example.net/orchard' from='juliet@example.com/balcony' type='chat' id='c1'>",
              "<message xml:lang='en' id='c1' type='chat' from='juliet@example.com/balcony' to='romeo@example.net/orchard'>")
open(sys.argv[2], 'w').write(s)
PY
grep -q CDATA esc.xml && hard_error "still CDATA"
expect_exit 0 "${U[@]}" -i esc.xml --state "$SCRATCH/s16"
xml_equal m.xml "$OUT" --ignore-attr xml:lang
grep -q "xml:lang='en'" "$OUT" || fail "the server's xml:lang was lost"
# what a server adds beside <e2e/> is not protected: dropped, and said so
sed "s|</message>|<delay xmlns='urn:xmpp:delay' stamp='2002-09-10T23:08:25Z'/></message>|" w.xml >delayed.xml
expect_exit 0 "${U[@]}" -i delayed.xml --state "$SCRATCH/s16b" --json
json_check "$ERR" 'j["dropped"] == ["urn:xmpp:delay delay"]'
expect_exit 0 "${U[@]}" -i delayed.xml --state "$SCRATCH/s16c"
grep -q "delay" "$OUT" && fail "the unprotected <delay/> was kept"
assert_stderr_matches "warning: not protected, so not kept: urn:xmpp:delay delay"

# --payload is canonical CRLF; --lf makes it LF (and only for --payload)
expect_exit 0 "${U[@]}" -i w2.xml --payload --state "$SCRATCH/s17"
grep -q $'\r' "$OUT" || fail "the payload is not canonical"
expect_exit 0 "${U[@]}" -i w2.xml --payload --lf --state "$SCRATCH/s18"
grep -q $'\r' "$OUT" && fail "--lf left a CR"
grep -q '^DateTime: ' "$OUT" || fail "--lf payload: $(cat "$OUT")"
expect_fail 1 "${U[@]}" -i w2.xml --lf --state "$SCRATCH/s19"
# the plain stanza is written 0600 (like decrypt's output), whatever the umask
( umask 022; "${U[@]}" -q -i w2.xml -o plain.xml --state "$SCRATCH/s20" ) || fail "unwrap -o"
[ "$(stat -c %a plain.xml)" = 600 ] || fail "unwrap output mode $(stat -c %a plain.xml)"
exit 0
