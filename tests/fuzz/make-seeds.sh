#!/bin/bash
# tests/fuzz/make-seeds.sh - make the seed corpora of the libFuzzer harnesses
# with the real binary, from stanzas of the shell tests (t1001 RFC 3923
# examples, t1003 texts, t1004 streams):
#   stanza/   raw stanzas, streams and sequences, the same wrapped (signed,
#             encrypted, both) and an RFC 3923 §7 error stanza (--reply),
#             behind fuzz_stanza's four control bytes
#   payload/  `xe2e unwrap --payload` outputs behind fuzz_payload's outer
#             stanza byte (0 message, 1 presence, 2 iq)
#   cpim/     the Message/CPIM ones among them
#   pidf/     the PIDF documents inside the presence ones
# Usage (from a build tree):  XE2E=./xe2e bash tests/fuzz/make-seeds.sh DIR
# DIR/NAME/ gets files named after the stanzas; existing files are replaced.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
have_python || skip "python3 is needed"
[ $# = 1 ] || hard_error "usage: make-seeds.sh DIR"
DIR=$(cd "$1" && pwd) || hard_error "no directory $1"
mkdir -p "$DIR/stanza" "$DIR/payload" "$DIR/cpim" "$DIR/pidf" || hard_error "mkdir"
cd "$SCRATCH" || hard_error "cd"
SIGN=("${JULIET[@]}" --certs never)
SIGN_CERTS=("${JULIET[@]}")
ENC=(--recip "$PKI/romeo.pem")
UNWRAP=("${ROMEO[@]}" --untrusted "$PKI/signer.pem" --untrusted "$PKI/inter.pem")

# put PREFIX-BYTES (printf format) FILE OUT: OUT = the bytes, then FILE
put() {
	{ printf "$1"; cat "$2"; } >"$3" || hard_error "writing $3"
}

# stanza NAME XML: a raw stanza (t1001, t1003)
stanza() {
	printf '%s' "$2" >"$1.xml"
	put '\0\0\0\0' "$1.xml" "$DIR/stanza/raw-$1"
}
stanza ex1 "<message $H type='chat' id='m1'>
  <subject>Imploring</subject>
  <body>Wherefore art thou, Romeo?</body>
</message>"
stanza ex7 "<presence $H>
  <show>away</show>
  <status xml:lang='en'>retired to the chamber</status>
</presence>"
stanza ex7u "<presence to='romeo@example.net' from='juliet@example.com/balcony' type='unavailable'><status>gone</status></presence>"
stanza ex13 "<message $H>
    <body>
      I told him what I thought, and told no more
      Than what he found himself was apt and true.
    </body>
    <evil xmlns='http://jabber.org/protocol/evil'/>
</message>"
stanza ex14 "<presence $H>
    <show>dnd</show>
    <status>Fomenting dissension</status>
    <evil xmlns='http://jabber.org/protocol/evil'/>
</presence>"
stanza ex15 "<iq type='result' $H id='evil1'>
    <query xmlns='jabber:iq:version'>
      <name>Stabber</name>
      <version>666</version>
      <os>FiendOS</os>
    </query>
    <evil xmlns='http://jabber.org/protocol/evil'/>
</iq>"
stanza cdata "<message $H><body>a ]]&gt; b ]]]]&gt; c ]]&gt;</body></message>"
stanza amp "<message $H><body>&amp; &lt;tag&gt; &quot;q&quot; &apos;a&apos;</body></message>"
stanza utf8 "<message $H><body>Ünïcödé текст 中文 🎭</body></message>"
stanza cr "<message $H><body>a bare CR&#13;inside and CRLF&#13;
end</body></message>"
stanza long "<message $H><body>$(head -c 1200 /dev/zero | tr '\0' x)</body></message>"
stanza lang "<message $H xml:lang='en'><subject xml:lang='en'>s</subject><body xml:lang='en'>b</body></message>"
stanza langfr "<message $H><body xml:lang='fr'>bonjour</body></message>"
stanza thread "<message $H><thread>t1</thread><body>b</body></message>"
stanza nsattr "<message $H><x:y xmlns:x='urn:example:x' x:attr='v' plain='p'>t</x:y></message>"
stanza empty "<message $H/>"
stanza pres "<presence $H><show>chat</show></presence>"
stanza subscribe "<presence $H type='subscribe'/>"
stanza roster "<iq $H type='set' id='i1'><query xmlns='jabber:iq:roster'><item jid='a@b'/></query></iq>"
stanza phone "<presence to='romeo@example.net' from='juliet@example.com/my phone'><show>xa</show></presence>"
stanza server "<message xmlns='jabber:server' $H><body>s2s</body></message>"
# t1004: a stream with a header, and a bare sequence
printf "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' from='example.com' id='s1' version='1.0'>
<stream:features><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></stream:features>
<message $H id='1'><body>one</body></message>
<presence $H><show>away</show></presence>
<iq $H type='get' id='2'><ping xmlns='urn:xmpp:ping'/></iq>
</stream:stream>
" >stream.xml
put '\0\0\0\0' stream.xml "$DIR/stanza/raw-stream"
put '\4\1\7\0' stream.xml "$DIR/stanza/raw-stream-split"
printf "<message $H id='a'><body>one</body></message>\n \n<message $H id='b'><body>two</body></message>" >seq.xml
put '\0\3\0\0' seq.xml "$DIR/stanza/raw-seq"

# wrapped: signed (no certificates), with certificates, encrypted, both
wrap() {   # NAME KIND-ARGS...
	local name=$1
	shift
	expect_exit 0 "$XE2E" wrap "$@" -i "$name.xml" -o "$name.w.xml"
}
wrap ex1 "${SIGN[@]}" --compat rfc3923
wrap ex7 "${SIGN[@]}"
wrap ex15 "${SIGN[@]}"
wrap cdata "${SIGN[@]}"
wrap amp "${ENC[@]}"
wrap lang "${SIGN[@]}"
wrap ex7u "${SIGN_CERTS[@]}" "${ENC[@]}"
for s in ex1 ex7 ex15 cdata lang; do put '\0\0\0\0' $s.w.xml "$DIR/stanza/signed-$s"; done
put '\10\5\100\0' amp.w.xml "$DIR/stanza/encrypted-amp"
expect_exit 0 "$XE2E" wrap "${ENC[@]}" --stream -i stream.xml -o stream.w.xml
put '\0\0\0\0' stream.w.xml "$DIR/stanza/encrypted-stream"
# RFC 3923 §7: the error stanza answering a stanza that fails to verify
sed 's/Wherefore/Whyfore/' ex1.w.xml >bad.w.xml
expect_exit '!0' "$XE2E" unwrap "${UNWRAP[@]}" -i bad.w.xml --reply reply.xml --state "$SCRATCH/r"
[ -s reply.xml ] || hard_error "no error stanza: $(cat "$ERR")"
put '\0\0\0\0' reply.xml "$DIR/stanza/error-reply"

# payloads: every kind (text, PIDF, xmpp+xml inside CPIM), the outer byte
payload() {   # NAME OUTER-BYTE [WRAP-ARGS]
	local name=$1 byte=$2
	shift 2
	[ -f "$name.w.xml" ] || wrap "$name" "${SIGN[@]}"
	expect_exit 0 "$XE2E" unwrap "${UNWRAP[@]}" -i "$name.w.xml" --payload --state "$SCRATCH/p-$name"
	cp "$OUT" "$name.obj"
	put "$byte" "$name.obj" "$DIR/payload/$name"
}
for s in ex1 cdata amp utf8 cr long lang; do payload $s '\0'; done
for s in ex13 langfr thread nsattr empty server; do payload $s '\0'; done
for s in ex7 ex7u pres phone; do payload $s '\1'; done
for s in ex14 subscribe; do payload $s '\1'; done
for s in ex15 roster; do payload $s '\2'; done
for s in ex1 ex13 long nsattr ex15; do cp $s.obj "$DIR/cpim/bin-$s"; done
# the PIDF document: the body after the MIME header, LF line ends (as the
# payload code hands it to the parser)
for s in ex7 ex7u pres phone; do
	python3 - "$s.obj" "$DIR/pidf/$s" <<'PY' || hard_error "pidf $s"
import sys
b = open(sys.argv[1], 'rb').read()
body = b[b.index(b'\r\n\r\n') + 4:].replace(b'\r\n', b'\n')
open(sys.argv[2], 'wb').write(body)
PY
done
for d in stanza payload cpim pidf; do
	echo "$d: $(ls "$DIR/$d" | wc -l) files, $(cat "$DIR/$d"/* | wc -c) bytes"
done
exit 0
