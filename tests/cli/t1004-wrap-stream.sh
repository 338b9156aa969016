#!/bin/bash
# t1004: --stream: a whole <stream:stream> (header and end tag copied, stream
# features passed through), a bare sequence, 1000 stanzas signed and
# encrypted and back in one process each, a failing stanza in the middle
# (its §7 error stanza in its place, or dropped; the exit status the first
# failure's), and a live pipe: each answer comes before the next stanza is
# written.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
have_python || skip "python3 is needed to compare XML"
cd "$SCRATCH" || hard_error "cd"

# --- a stream with a header -------------------------------------------------------
{ printf "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='example.com' id='s1' version='1.0'>\n"
  printf "<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>\n"
  printf "<message $H id='1'><body>one</body></message>\n"
  printf "<presence $H><show>away</show></presence>\n"
  printf "<iq $H type='get' id='2'><ping xmlns='urn:xmpp:ping'/></iq>\n"
  printf "</stream:stream>\n"; } >s.xml
expect_exit 0 "$XE2E" wrap "${BOTH[@]}" --stream -i s.xml -o s.w.xml
head -c 200 s.w.xml | grep -q "^<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='example.com' id='s1' version='1.0'>" ||
	fail "stream header: $(head -c 300 s.w.xml)"
grep -q '</stream:stream>$' s.w.xml || fail "no end tag"
[ "$(grep -o '<e2e ' s.w.xml | wc -l)" = 3 ] || fail "not three <e2e/>"
expect_exit 0 "$XE2E" unwrap "${ROMEO[@]}" --stream -i s.w.xml -o s.u.xml
xml_equal s.xml s.u.xml
[ "$(grep -c '^xe2e unwrap: stanza [123]: ' "$ERR")" = 3 ] || fail "summaries: $(cat "$ERR")"

# --- 1000 stanzas, one process each way; chain memory makes it cheap -----------------
python3 - <<PY >many.xml
for i in range(1000):
    print("<message $H id='m%d'><body>message %d</body></message>" % (i, i))
PY
t0=$(date +%s)
expect_exit 0 "$XE2E" wrap "${BOTH[@]}" --stream -q -i many.xml -o many.w.xml
expect_exit 0 "$XE2E" unwrap "${ROMEO[@]}" --stream -q -i many.w.xml -o many.u.xml
xml_equal many.xml many.u.xml
[ "$(grep -o '<e2e ' many.w.xml | wc -l)" = 1000 ] || fail "not 1000 stanzas"
note "1000 stanzas wrapped and unwrapped in $(( $(date +%s) - t0 )) s"
# JSON: one object per stanza, numbered
expect_exit 0 "$XE2E" unwrap "${ROMEO[@]}" --stream --json -i s.w.xml --state "$SCRATCH/j" -o /dev/null
[ "$(wc -l <"$ERR")" = 3 ] || fail "JSON lines: $(cat "$ERR")"
head -1 "$ERR" >j1
json_check j1 'j["stanza"] == 1 and j["kind"] == "message" and j["chains_remembered"] == 0'
# the same signer's path is not validated again in the same run
sed -n 3p "$ERR" >j3
json_check j3 'j["stanza"] == 3 and j["chains_remembered"] == 1'

# --- a failure in the middle -----------------------------------------------------------
python3 - s.w.xml bad.w.xml <<'PY' || hard_error "python"
import sys
s = open(sys.argv[1]).read()
i = s.index('<presence')
j = s.index('</presence>') + len('</presence>')
mid = s[i:j]
k = mid.index('MII') + 200           # inside the base64 of the EnvelopedData
mid = mid[:k] + ('A' if mid[k] != 'A' else 'B') + mid[k + 1:]
open(sys.argv[2], 'w').write(s[:i] + mid + s[j:])
PY
expect_exit 5 "$XE2E" unwrap "${ROMEO[@]}" --stream -i bad.w.xml -o bad.u.xml --state "$SCRATCH/b1"
assert_stderr_matches "^xe2e unwrap: stanza 2: "
grep -q "<decryption-failed xmlns='urn:ietf:params:xml:ns:xmpp-e2e'/>" bad.u.xml || fail "no error stanza: $(cat bad.u.xml)"
grep -q "<presence from='romeo@example.net/orchard' to='juliet@example.com/balcony' type='error'>" bad.u.xml ||
	fail "error stanza not addressed back: $(cat bad.u.xml)"
grep -q "<body>one</body>" bad.u.xml && grep -q "<ping xmlns='urn:xmpp:ping'/>" bad.u.xml || fail "the good stanzas are missing"
expect_exit 5 "$XE2E" unwrap "${ROMEO[@]}" --stream --drop-failed -i bad.w.xml -o drop.u.xml --state "$SCRATCH/b2"
grep -q "<presence" drop.u.xml && fail "the failed stanza was not dropped"
grep -q "<ping" drop.u.xml || fail "processing stopped at the failure"
# a plain stanza in the stream: failure, or as it is with --passthrough
expect_exit 2 "$XE2E" unwrap "${ROMEO[@]}" --stream -i s.xml --state "$SCRATCH/b3" -o /dev/null
expect_exit 0 "$XE2E" unwrap "${ROMEO[@]}" --stream --passthrough -i s.xml --state "$SCRATCH/b4" -o pt.xml
xml_equal s.xml pt.xml
expect_fail 1 "$XE2E" unwrap "${ROMEO[@]}" --stream --reply r.xml -i s.w.xml
expect_fail 1 "$XE2E" unwrap "${ROMEO[@]}" --drop-failed -i s.w.xml
# malformed XML ends the stream (nothing can be resynchronised)
{ head -c 2000 s.w.xml; printf '<<<'; } >broken.xml
expect_exit 2 "$XE2E" unwrap "${ROMEO[@]}" --stream -i broken.xml --state "$SCRATCH/b5" -o /dev/null
assert_stderr_matches "not well-formed"

# --- a live pipe: every answer before the next question -----------------------------------
python3 - "$XE2E" "$PKI" "$SCRATCH/state-pipe" <<'PY' || fail "the stream did not answer stanza by stanza"
import os, subprocess, sys, select, time
xe2e, pki, state = sys.argv[1:]
env = dict(os.environ, XE2E_STATE_DIR=state)
w = subprocess.Popen([xe2e, 'wrap', '--stream', '-q', '--cert', pki + '/signer.pem', '--key',
                      pki + '/signer.key', '--chain', pki + '/inter.pem', '--certs', 'always',
                      '--recip', pki + '/romeo.pem'],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
u = subprocess.Popen([xe2e, 'unwrap', '--stream', '-q', '--key', pki + '/romeo.key', '--ca',
                      pki + '/ca.pem'], stdin=w.stdout, stdout=subprocess.PIPE, env=env)
w.stdout.close()
w.stdin.write(b"<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>")
w.stdin.flush()
got = b''
def wait_for(needle, limit=20):
    global got
    end = time.time() + limit
    while needle not in got:
        left = end - time.time()
        if left <= 0 or not select.select([u.stdout], [], [], left)[0]:
            sys.exit('timed out waiting for %r (have %r)' % (needle, got[-200:]))
        chunk = os.read(u.stdout.fileno(), 65536)
        if not chunk:
            sys.exit('unwrap ended early')
        got += chunk
wait_for(b'<stream:stream')
for i in range(5):
    w.stdin.write(b"<message to='romeo@example.net' from='juliet@example.com/b'><body>live %d</body></message>" % i)
    w.stdin.flush()
    wait_for(b'<body>live %d</body>' % i)
w.stdin.write(b'</stream:stream>')
w.stdin.close()
wait_for(b'</stream:stream>')
sys.exit(0 if u.wait() == 0 and w.wait() == 0 else 1)
PY
exit 0
