#!/bin/bash
# t0615-cert-check-jid: --jid matches an id-on-xmppAddr otherName or an im: /
# pres: URI; a resource on the JID given is ignored; the comparison is ASCII
# case-insensitive.  A mismatch is 7, and the one line on stderr lists the
# certificate's names.  An rfc822Name is not a JID.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

# cc-xmpp / cc-im / cc-pres carry only Romeo@Example.NET in one form each
for c in cc-xmpp cc-im cc-pres; do
	C=("$XE2E" cert-check "$PKI/$c.pem" --ca "$PKI/ca.pem")
	for j in Romeo@Example.NET romeo@example.net ROMEO@EXAMPLE.NET \
		romeo@example.net/balcony Romeo@Example.NET/Orchard/2; do
		expect_exit 0 "${C[@]}" --jid "$j"
	done
	for j in juliet@example.net romeo@example.org romeo@example.net.evil example.net \
		romeo; do
		expect_fail 7 "${C[@]}" --jid "$j"
		assert_stderr_matches 'Romeo@Example\.NET'
	done
done
# the form is shown in the names of the error
expect_fail 7 "$XE2E" cert-check "$PKI/cc-xmpp.pem" --ca "$PKI/ca.pem" --jid nurse@example.net
assert_stderr_matches 'xmpp:Romeo@Example\.NET'
expect_fail 7 "$XE2E" cert-check "$PKI/cc-im.pem" --ca "$PKI/ca.pem" --jid nurse@example.net
assert_stderr_matches 'im:Romeo@Example\.NET'
expect_fail 7 "$XE2E" cert-check "$PKI/cc-pres.pem" --ca "$PKI/ca.pem" --jid nurse@example.net
assert_stderr_matches 'pres:Romeo@Example\.NET'

# signer.pem: rfc822Name, im: URI and xmppAddr juliet@example.com
S=("$XE2E" cert-check "$PKI/signer.pem" --ca "$PKI/ca.pem" --untrusted "$PKI/inter.pem")
expect_exit 0 "${S[@]}" --jid juliet@example.com
expect_exit 0 "${S[@]}" --jid Juliet@Example.com/balcony --purpose sign
expect_fail 7 "${S[@]}" --jid romeo@example.com
assert_stderr_matches 'juliet@example\.com'
# an rfc822Name alone does not name a JID
expect_fail 7 "$XE2E" cert-check "$PKI/direct.pem" --ca "$PKI/ca.pem" --jid direct@example.com
assert_stderr_matches 'direct@example\.com'
# nor does a PKCS#9 emailAddress
expect_fail 7 "$XE2E" cert-check "$PKI/cc-dnemail.pem" --ca "$PKI/ca.pem" --jid Nurse@Example.COM
# an invalid certificate is 6 whatever the name
expect_fail 6 "$XE2E" cert-check "$PKI/cc-xmpp.pem" --ca "$PKI/other-ca.pem" --jid romeo@example.net
exit 0
