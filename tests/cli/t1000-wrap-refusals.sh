#!/bin/bash
# t1000: what wrap refuses, each with one line and nothing on stdout: no
# protection asked for, a stanza without 'to' (RFC 3923 §2: broadcast
# presence is out of scope), no sender, a signer certificate that does not
# name the sender (exit 7 before signing, RFC 3923 §6.3), not a stanza, a
# stanza already wrapped, hostile XML.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
cd "$SCRATCH" || hard_error "cd"
m() { printf '%s' "$1" >in.xml; }

m "<message to='romeo@example.net' from='juliet@example.com/balcony'><body>hi</body></message>"
expect_fail 1 "$XE2E" wrap -i in.xml
assert_stderr_matches "nothing to do"
expect_fail 1 "$XE2E" wrap --sign --cert "$PKI/signer.pem" -i in.xml
assert_stderr_matches "signing needs --cert and --key"
expect_fail 1 "$XE2E" wrap --encrypt -i in.xml
expect_fail 1 "$XE2E" wrap --recip "$PKI/romeo.pem" --no-self -i in.xml
expect_fail 1 "$XE2E" wrap "${JULIET[@]}" --certs sometimes -i in.xml
expect_fail 1 "$XE2E" wrap "${JULIET[@]}" --compat rfc5751 -i in.xml

# broadcast presence, and any stanza without one recipient
m "<presence from='juliet@example.com/balcony'><show>away</show></presence>"
expect_fail 2 "$XE2E" wrap "${JULIET[@]}" -i in.xml
assert_stderr_matches "broadcast presence.*RFC 3923"
m "<message from='juliet@example.com/balcony'><body>hi</body></message>"
expect_fail 2 "$XE2E" wrap "${JULIET[@]}" -i in.xml
assert_stderr_matches "has no 'to'"

# the sender: from the stanza, else --from; they must agree
m "<message to='romeo@example.net'><body>hi</body></message>"
expect_fail 1 "$XE2E" wrap "${JULIET[@]}" -i in.xml
assert_stderr_matches "no 'from'"
expect_exit 0 "$XE2E" wrap "${JULIET[@]}" --from juliet@example.com/balcony -i in.xml
grep -q "<e2e xmlns='urn:ietf:params:xml:ns:xmpp-e2e'><!\[CDATA\[" "$OUT" || fail "no <e2e/>: $(cat "$OUT")"
grep -q "from=" "$OUT" && fail "wrap added a from: $(cat "$OUT")"
m "<message to='romeo@example.net' from='juliet@example.com/balcony'><body>hi</body></message>"
expect_exit 0 "$XE2E" wrap "${JULIET[@]}" --from JULIET@example.com/other -i in.xml
expect_fail 1 "$XE2E" wrap "${JULIET[@]}" --from romeo@example.net -i in.xml
assert_stderr_matches "is from 'juliet@example.com/balcony', not 'romeo@example.net'"

# RFC 3923 §6.3: the signer certificate names the sender, else nothing is signed
m "<message to='romeo@example.net' from='mallory@example.org/x'><body>hi</body></message>"
expect_fail 7 "$XE2E" wrap "${JULIET[@]}" -i in.xml
assert_stderr_matches "JID 'mallory@example.org' is not a name of certificate 'CN=Juliet Capulet,O=Example' \(names: email:juliet@example.com, uri:im:juliet@example.com, xmpp:juliet@example.com\)"
# a certificate with no JID at all
m "<message to='romeo@example.net' from='direct@example.com'><body>hi</body></message>"
expect_fail 7 "$XE2E" wrap --cert "$PKI/direct.pem" --key "$PKI/direct.key" -i in.xml
# encrypting only needs no signer JID
expect_exit 0 "$XE2E" wrap --recip "$PKI/romeo.pem" -i in.xml

# not a stanza; already wrapped; two stanzas; a stream without --stream
m "<body>hi</body>"
expect_fail 2 "$XE2E" wrap "${JULIET[@]}" -i in.xml
m "<message to='romeo@example.net' from='juliet@example.com'><body>hi</body></message>"
expect_exit 0 "$XE2E" wrap "${JULIET[@]}" -i in.xml -o w.xml
expect_fail 2 "$XE2E" wrap "${JULIET[@]}" -i w.xml
assert_stderr_matches "already carries <e2e/>"
cat in.xml in.xml >two.xml
expect_fail 1 "$XE2E" wrap "${JULIET[@]}" -i two.xml
assert_stderr_matches "more than one stanza: use --stream"
printf "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>" >s.xml
cat in.xml >>s.xml
expect_fail 1 "$XE2E" wrap "${JULIET[@]}" -i s.xml
assert_stderr_matches "use --stream"
: >empty.xml
expect_fail 2 "$XE2E" wrap "${JULIET[@]}" -i empty.xml

# hostile XML: DOCTYPE (entity expansion), comments and PIs (RFC 6120 §11.1),
# another encoding, depth, not well-formed
m "<!DOCTYPE message [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]><message to='romeo@example.net' from='juliet@example.com'><body>&b;</body></message>"
expect_fail 2 "$XE2E" wrap "${JULIET[@]}" -i in.xml
assert_stderr_matches "DOCTYPE"
m "<message to='romeo@example.net' from='juliet@example.com'><!-- x --><body>hi</body></message>"
expect_fail 2 "$XE2E" wrap "${JULIET[@]}" -i in.xml
assert_stderr_matches "comments"
m "<message to='romeo@example.net' from='juliet@example.com'><?pi x?><body>hi</body></message>"
expect_fail 2 "$XE2E" wrap "${JULIET[@]}" -i in.xml
m "<?xml version='1.0' encoding='ISO-8859-1'?><message to='romeo@example.net' from='juliet@example.com'><body>hi</body></message>"
expect_fail 2 "$XE2E" wrap "${JULIET[@]}" -i in.xml
assert_stderr_matches "not (version 1.0, )?UTF-8"
{ printf "<message to='romeo@example.net' from='juliet@example.com'>"
  for i in $(seq 70); do printf '<x>'; done; for i in $(seq 70); do printf '</x>'; done
  printf '</message>'; } >in.xml
expect_fail 2 "$XE2E" wrap "${JULIET[@]}" -i in.xml
assert_stderr_matches "deeper than the limit"
m "<message to='romeo@example.net' from='juliet@example.com'><body>hi</message>"
expect_fail 2 "$XE2E" wrap "${JULIET[@]}" -i in.xml
assert_stderr_matches "not well-formed"
m "<message to='romeo@example.net' from='juliet@example.com'><body>a"$'\x01'"</body></message>"
expect_fail 2 "$XE2E" wrap "${JULIET[@]}" -i in.xml
# a JID that does not parse
m "<message to='romeo@example.net' from='ju liet@example.com'><body>hi</body></message>"
expect_fail 2 "$XE2E" wrap "${JULIET[@]}" -i in.xml
# a digest one cannot sign with is a usage error, as in sign (not exit 9
# after the stanza was read)
m "<message to='romeo@example.net' from='juliet@example.com'><body>hi</body></message>"
for c in wrap sign; do
	expect_fail 1 "$XE2E" $c "${JULIET[@]}" --digest md5 -i in.xml
	grep -q "unknown --digest 'md5'" "$ERR" || fail "$c --digest md5: $(cat "$ERR")"
done
exit 0
