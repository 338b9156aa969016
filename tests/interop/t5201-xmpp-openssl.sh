#!/bin/bash
# t5201: the S/MIME inside RFC 3923 <e2e/> against openssl cms, both ways.
# (a) What `xe2e wrap` puts into a stanza is ordinary S/MIME: taken out of the
#     stanza with a plain XML parser (python3 xml.etree, which joins the CDATA
#     sections wrap split at ']]>') and canonicalised to CRLF, it decrypts
#     with `openssl cms -decrypt` (romeo's key) to a multipart/signed that
#     `openssl cms -verify` accepts against the CA (the intermediate comes
#     from the message: openssl cms has no -untrusted), and the signed content
#     is byte for byte what `xe2e unwrap --payload` gives: Message/CPIM for a
#     message and an iq, PIDF for a directed presence.  Signed-only stanzas
#     verify directly.  micalg and the algorithms openssl sees follow --digest,
#     --cipher and --compat rfc3923 (micalg=sha1, SHA-1, AES-128).
# (b) What openssl makes, put into a stanza by hand, unwraps: a Message/CPIM
#     object written here (From, To, DateTime of now in UTC with milliseconds,
#     a text/plain body with '&', '<' and a line break), signed with
#     `openssl cms -sign` (multipart/signed, -md sha1 and sha256), encrypted
#     with `openssl cms -encrypt -aes128` for romeo, placed as CDATA with LF
#     line ends into a <message/>, gives that body; so does the same object as
#     escaped text.  Also signed-only (a body with ']]>', the CDATA split by
#     hand), a PIDF document signed by openssl inside a <presence/>, and a bare
#     application/xmpp+xml object inside an <iq/> (accepted, "no timestamp").
here=$(cd "$(dirname "$0")" && pwd)
. "$here/interop.sh"
have_python || hard_error "python3 not installed (sh .ci/deps installs it)"
cd "$W" || exit 99

JID_J=juliet@example.com/balcony
JID_R=romeo@example.net/orchard
E2E_NS=urn:ietf:params:xml:ns:xmpp-e2e

# xw NAME WANT WRAP-ARGS...: `xe2e wrap -i NAME.xml`, stanza in $W/NAME.w.xml
xw() { _n=$1 _w=$2; shift 2; _x wrap "$_n.wrap" "$W/$_n.w.xml" "$_w" -i "$W/$_n.xml" --state "$W/juliet-state" "$@"; }
# xu NAME WANT FILE [UNWRAP-ARGS...]: `xe2e unwrap` as romeo, stdout in $W/NAME.u;
# each case has its own replay memory (the variants of one object share a DateTime)
xu() { _n=$1 _w=$2 _f=$3; shift 3; _x unwrap "$_n" "$W/$_n.u" "$_w" "${ROMEO[@]}" --state "$W/state-$_n" -i "$_f" "$@"; }

# obj STANZA OUT: the text of the stanza's <e2e/>, read by xml.etree, in CRLF form
obj() {
	ncheck=$((ncheck + 1))
	python3 - "$1" "$E2E_NS" >"$2.lf" <<'PY' || { check_fail "no <e2e/> text in $1"; return 1; }
import sys, xml.etree.ElementTree as ET
s = ET.fromstring(b"<r xmlns='jabber:client'>" + open(sys.argv[1], 'rb').read() + b"</r>")[0]
e = s.find('{%s}e2e' % sys.argv[2])
if e is None or not (e.text or '').strip() or len(e):
    sys.exit(1)
sys.stdout.write(e.text)
PY
	crlf "$2.lf" "$2"
}

# odec NAME IN: openssl cms -decrypt as romeo, content in $W/NAME.dec
odec() {
	ncheck=$((ncheck + 1))
	openssl cms -decrypt -recip "$PKI/romeo.pem" -inkey "$PKI/romeo.key" -in "$2" \
		-out "$W/$1.dec" 2>"$W/$1.decerr" ||
		{ check_fail "$1: openssl cms -decrypt failed: $(head -c 400 "$W/$1.decerr")"; return 1; }
}

# xmleq NAME GOT WANT: equal as XML (tests/xmlcmp.py); a difference is a failed check
xmleq() {
	ncheck=$((ncheck + 1))
	python3 "$TESTS_SRCDIR/xmlcmp.py" "$2" "$3" 2>"$W/$1.cmp" ||
		{ check_fail "$1: not the stanza wanted: $(cat "$W/$1.cmp")"; return 1; }
}

# jcheck NAME EXPR: unwrap's --json report (NAME.err) satisfies the python EXPR on j
jcheck() {
	ncheck=$((ncheck + 1))
	python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); sys.exit(not eval(sys.argv[2]))' \
		"$W/$1.err" "$2" 2>/dev/null ||
		{ check_fail "$1: report is not $2: $(head -c 400 "$W/$1.err")"; return 1; }
}

# first NAME FILE LINE: FILE's first line is LINE (CRLF)
first() {
	ncheck=$((ncheck + 1))
	[ "$(head -n 1 "$2")" = "$3"$'\r' ] || { check_fail "$1: begins '$(head -n 1 "$2" | cat -v)', not '$3'"; return 1; }
}

# micalg NAME FILE WANT: the micalg parameter of the multipart/signed in FILE
micalg() {
	ncheck=$((ncheck + 1))
	_m=$(mime_param "$(mime_header "$2" Content-Type)" micalg)
	[ "$_m" = "$3" ] || { check_fail "$1: micalg is '$_m', want '$3'"; return 1; }
}

# --- (a) xe2e wrap -> openssl --------------------------------------------------------
cat >msg.xml <<X
<message from='$JID_J' to='romeo@example.net' type='chat' id='m1'>
  <subject>Imploring</subject>
  <body>Wherefore art thou, Romeo?
Deny thy father and refuse thy name.</body>
</message>
X
cat >pres.xml <<X
<presence from='$JID_J' to='$JID_R'><show>xa</show><status xml:lang='en'>asleep</status></presence>
X
cat >iq.xml <<X
<iq from='$JID_J' to='$JID_R' type='get' id='q1'><query xmlns='jabber:iq:version'/></iq>
X
printf "<message from='%s' to='romeo@example.net' id='m2'><body>a ]]&gt; b &amp; c &lt; d ]]&gt;</body></message>\n" \
	"$JID_J" >cdata.xml

# se_case NAME SRC FIRST-LINE MICALG DIGEST CIPHER [WRAP-ARGS...]: SRC.xml wrapped signed
# and encrypted; openssl decrypts it (seeing CIPHER), verifies the multipart/signed inside
# (micalg=MICALG, DIGEST), and its content begins with FIRST-LINE and is unwrap's --payload
se_case() {
	_c=$1 _src=$2 _type=$3 _mic=$4 _dig=$5 _ciph=$6
	shift 6
	cp "$_src.xml" "$_c.xml"
	xw "$_c" 0 "${JULIET[@]}" --recip "$PKI/romeo.pem" "$@" || return
	obj "$_c.w.xml" "$_c.p7m" || return
	print_cms "$_c.env" -in "$W/$_c.p7m" &&
		has "$_c" "$W/$_c.env.print" "algorithm: $_ciph " "openssl sees no $_ciph content encryption"
	odec "$_c" "$_c.p7m" || return
	has "$_c" "$_c.dec" '^Content-Type: multipart/signed;' "not multipart/signed inside"
	micalg "$_c" "$_c.dec" "$_mic"
	ov "$_c" -in "$W/$_c.dec" || return
	print_cms "$_c.sig" -in "$W/$_c.dec" &&
		has "$_c" "$W/$_c.sig.print" "algorithm: $_dig " "openssl sees no $_dig digest"
	xu "$_c.payload" 0 "$_c.w.xml" --payload &&
		same "$_c: openssl's content vs unwrap --payload" "$_c.ov" "$_c.payload.u"
	first "$_c" "$_c.ov" "$_type"
	xu "$_c" 0 "$_c.w.xml" && xmleq "$_c" "$_c.u" "$_c.xml"
}
se_case se-msg msg 'Content-type: Message/CPIM' sha-256 sha256 aes-128-cbc
se_case se-msg-compat msg 'Content-type: Message/CPIM' sha1 sha1 aes-128-cbc --compat rfc3923
se_case se-msg-512 msg 'Content-type: Message/CPIM' sha-512 sha512 aes-256-cbc --digest sha512 --cipher aes256
se_case se-pres pres 'Content-type: application/pidf+xml; charset=utf-8' sha-256 sha256 aes-128-cbc
se_case se-pres-compat pres 'Content-type: application/pidf+xml; charset=utf-8' sha1 sha1 aes-128-cbc --compat rfc3923
se_case se-iq iq 'Content-type: Message/CPIM' sha-256 sha256 aes-128-cbc
se_case se-iq-compat iq 'Content-type: Message/CPIM' sha1 sha1 aes-128-cbc --compat rfc3923
# the iq's CPIM carries application/xmpp+xml
has se-iq se-iq.ov '^Content-type: application/xmpp\+xml; charset=utf-8' "no application/xmpp+xml in the iq's CPIM"

# s_case NAME SRC MICALG [WRAP-ARGS...]: SRC.xml wrapped signed only; openssl verifies
# the object straight out of the stanza, its content is unwrap's --payload
s_case() {
	_c=$1 _src=$2 _mic=$3
	shift 3
	cp "$_src.xml" "$_c.xml"
	xw "$_c" 0 "${JULIET[@]}" "$@" || return
	obj "$_c.w.xml" "$_c.smime" || return
	micalg "$_c" "$_c.smime" "$_mic"
	ov "$_c" -in "$W/$_c.smime" || return
	xu "$_c.payload" 0 "$_c.w.xml" --payload &&
		same "$_c: openssl's content vs unwrap --payload" "$_c.ov" "$_c.payload.u"
	xu "$_c" 0 "$_c.w.xml" && xmleq "$_c" "$_c.u" "$_c.xml"
}
s_case s-msg msg sha-256
s_case s-msg-compat msg sha1 --compat rfc3923
s_case s-pres-compat pres sha1 --compat rfc3923
s_case s-iq iq sha-384 --digest sha384
s_case s-cdata cdata sha-256
has s-cdata s-cdata.w.xml ']]]]><!\[CDATA\[>' "wrap did not split the CDATA at ']]>'"
has s-cdata s-cdata.ov '^a \]\]> b & c < d \]\]>$' "the signed body is not the clear text"
# a forgery openssl and xe2e both refuse: one changed character of the signed text
ncheck=$((ncheck + 1))
sed 's/Deny thy/Defy thy/' s-msg.smime >forged.smime
cmp -s s-msg.smime forged.smime && exit 99
openssl cms -verify -CAfile "$PKI/ca.pem" -purpose smimesign -in forged.smime -out forged.ov \
	>/dev/null 2>&1 && check_fail "forged: openssl cms -verify accepted a changed text"
sed 's/Deny thy/Defy thy/' s-msg.w.xml >forged.xml
xu forged 4 forged.xml

# --- (b) openssl -> hand-made stanza -> xe2e unwrap ------------------------------------
now() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }
BODY='Good night, good night! Parting is such sweet sorrow & <so> on
That I shall say good night till it be morrow.'
# cpim FILE [BODY]: a Message/CPIM object from juliet to romeo, dated now (LF line ends:
# openssl cms -sign puts it into canonical form)
cpim() {
	printf 'Content-type: Message/CPIM\n\nFrom: Juliet Capulet <im:juliet@example.com>\nTo: <im:romeo@example.net>\nDateTime: %s\n\nContent-type: text/plain; charset=utf-8\n\n%s' \
		"$(now)" "${2:-$BODY}" >"$1"
}
# stanza KIND ATTRS OBJECT OUT [escaped]: <KIND ATTRS><e2e>OBJECT</e2e></KIND> written
# by hand: OBJECT with LF line ends as CDATA (split at ']]>'), or as escaped text
stanza() {
	python3 - "$@" "$E2E_NS" <<'PY' || exit 99
import sys
kind, attrs, src, out = sys.argv[1:5]
mode = sys.argv[5] if len(sys.argv) > 6 else 'cdata'
o = open(src, 'rb').read().replace(b'\r\n', b'\n').decode('utf-8')
if mode == 'escaped':
    text = o.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')
else:
    text = '<![CDATA[' + o.replace(']]>', ']]]]><![CDATA[>') + ']]>'
open(out, 'w', encoding='utf-8').write("<%s %s><e2e xmlns='%s'>%s</e2e></%s>\n"
                                       % (kind, attrs, sys.argv[-1], text, kind))
PY
}
esc_body=$(printf '%s' "$BODY" | sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g')
printf "<message from='%s' to='romeo@example.net'><body>%s</body></message>\n" "$JID_J" "$esc_body" >want-msg.xml
MSG_ATTRS="from='$JID_J' to='romeo@example.net'"

for md in sha1 sha256; do
	c=o-$md
	cpim "$c.cpim"
	osign "$W/$c.smime" -signer "$PKI/signer.pem" -inkey "$PKI/signer.key" -certfile "$PKI/inter.pem" \
		-md $md -in "$W/$c.cpim"
	case $md in sha1) m=sha1 ;; sha256) m=sha-256 ;; esac
	micalg "$c" "$c.smime" "$m"
	openssl cms -encrypt -aes128 -in "$c.smime" -out "$c.p7m" "$PKI/romeo.pem" 2>"$c.encerr" ||
		{ echo "openssl cms -encrypt failed: $(cat "$c.encerr")" >&2; exit 99; }
	for form in cdata escaped; do
		stanza message "$MSG_ATTRS" "$c.p7m" "$c-$form.xml" $form
		xu "$c-$form" 0 "$c-$form.xml" --json && xmleq "$c-$form" "$c-$form.u" want-msg.xml &&
			jcheck "$c-$form" "j['signed'] and j['encrypted'] and j['payload'] == 'cpim' and j['signers'][0]['digest'] == '$md' and j['layers'][0]['cipher'] == 'aes128' and j['timestamp']['verdict'] == 'ok'"
	done
	# signed only
	for form in cdata escaped; do
		stanza message "$MSG_ATTRS" "$c.smime" "$c-s-$form.xml" $form
		xu "$c-s-$form" 0 "$c-s-$form.xml" && xmleq "$c-s-$form" "$c-s-$form.u" want-msg.xml
	done
done
grep -q CDATA o-sha1-escaped.xml && exit 99

# signed only, a body with ']]>' (the hand-made CDATA is split there)
c=o-cdata
B2='x ]]> y && z <3 ]]>'
cpim "$c.cpim" "$B2"
osign "$W/$c.smime" -signer "$PKI/signer.pem" -inkey "$PKI/signer.key" -certfile "$PKI/inter.pem" \
	-md sha256 -in "$W/$c.cpim"
printf "<message from='%s' to='romeo@example.net'><body>x ]]&gt; y &amp;&amp; z &lt;3 ]]&gt;</body></message>\n" "$JID_J" >want-cdata.xml
for form in cdata escaped; do
	stanza message "$MSG_ATTRS" "$c.smime" "$c-$form.xml" $form
	xu "$c-$form" 0 "$c-$form.xml" && xmleq "$c-$form" "$c-$form.u" want-cdata.xml
done
has o-cdata o-cdata-cdata.xml ']]]]><!\[CDATA\[>' "the hand-made CDATA is not split"

# PIDF, signed by openssl, inside a directed presence
c=o-pidf
cat >"$c.pidf" <<X
Content-type: application/pidf+xml; charset=utf-8

<?xml version='1.0' encoding='UTF-8'?>
<presence xmlns='urn:ietf:params:xml:ns:pidf'
    xmlns:im='urn:ietf:params:xml:ns:pidf:im' entity='pres:juliet@example.com'>
  <tuple id='balcony'>
    <status><basic>open</basic><im:im>dnd</im:im></status>
    <note xml:lang='en'>at the window &amp; &lt;sighing&gt;</note>
    <timestamp>$(now)</timestamp>
  </tuple>
</presence>
X
osign "$W/$c.smime" -signer "$PKI/signer.pem" -inkey "$PKI/signer.key" -certfile "$PKI/inter.pem" \
	-md sha256 -in "$W/$c.pidf"
printf "<presence from='%s' to='%s'><show>dnd</show><status xml:lang='en'>at the window &amp; &lt;sighing&gt;</status></presence>\n" \
	"$JID_J" "$JID_R" >want-pidf.xml
for form in cdata escaped; do
	stanza presence "from='$JID_J' to='$JID_R'" "$c.smime" "$c-$form.xml" $form
	xu "$c-$form" 0 "$c-$form.xml" --json && xmleq "$c-$form" "$c-$form.u" want-pidf.xml &&
		jcheck "$c-$form" "j['kind'] == 'presence' and j['payload'] == 'pidf' and j['signed'] and not j['encrypted']"
done

# application/xmpp+xml signed by openssl, bare (not inside Message/CPIM) in an <iq/>:
# accepted, with no timestamp to check (DESIGN §2), and reported so
c=o-xmpp
printf "<iq from='%s' to='%s' type='get' id='q9'><query xmlns='jabber:iq:version'/></iq>\n" "$JID_J" "$JID_R" >want-xmpp.xml
{ printf 'Content-type: application/xmpp+xml; charset=utf-8\n\n'
  printf "<xmpp xmlns='jabber:client'>%s</xmpp>" "$(cat want-xmpp.xml)"; } >"$c.obj"
osign "$W/$c.smime" -signer "$PKI/signer.pem" -inkey "$PKI/signer.key" -certfile "$PKI/inter.pem" \
	-md sha256 -in "$W/$c.obj"
stanza iq "from='$JID_J' to='$JID_R' type='get' id='q9'" "$c.smime" "$c.xml" cdata
xu "$c" 0 "$c.xml" --json && xmleq "$c" "$c.u" want-xmpp.xml &&
	jcheck "$c" "j['kind'] == 'iq' and j['payload'] == 'xmpp' and j['signed'] and j['timestamp']['verdict'] == 'none'"
finish
