#!/bin/bash
# t0616-cert-check-email: --email matches an rfc822Name or a PKCS#9
# emailAddress in the subject; the domain is compared case-insensitively, the
# local part exactly.  A mismatch is 7 with the certificate's names on stderr.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

# signer.pem: email:juliet@example.com (plus im: and xmppAddr)
S=("$XE2E" cert-check "$PKI/signer.pem" --ca "$PKI/ca.pem" --untrusted "$PKI/inter.pem")
expect_exit 0 "${S[@]}" --email juliet@example.com
expect_exit 0 "${S[@]}" --email juliet@EXAMPLE.COM
expect_exit 0 "${S[@]}" --email juliet@Example.Com --purpose encrypt
expect_fail 7 "${S[@]}" --email Juliet@example.com
assert_stderr_matches 'email:juliet@example\.com'
expect_fail 7 "${S[@]}" --email JULIET@example.com
expect_fail 7 "${S[@]}" --email romeo@example.com
expect_fail 7 "${S[@]}" --email juliet@example.org
expect_fail 7 "${S[@]}" --email juliet@example.com.evil

# cc-dnemail.pem: no subjectAltName, emailAddress=Nurse@Example.COM in the subject
D=("$XE2E" cert-check "$PKI/cc-dnemail.pem" --ca "$PKI/ca.pem")
expect_exit 0 "${D[@]}"
grep -q 'email:Nurse@Example\.COM' "$OUT" || fail "emailAddress not shown: $(cat "$OUT")"
expect_exit 0 "${D[@]}" --email Nurse@Example.COM
expect_exit 0 "${D[@]}" --email Nurse@example.com
expect_fail 7 "${D[@]}" --email nurse@example.com
assert_stderr_matches 'Nurse@Example\.COM'
expect_fail 7 "${D[@]}" --email NURSE@Example.COM

# an xmppAddr or an im: URI is no e-mail address
expect_fail 7 "$XE2E" cert-check "$PKI/cc-xmpp.pem" --ca "$PKI/ca.pem" --email Romeo@Example.NET
expect_fail 7 "$XE2E" cert-check "$PKI/cc-im.pem" --ca "$PKI/ca.pem" --email Romeo@Example.NET
# --jid and --email together: both must match
expect_exit 0 "${S[@]}" --email juliet@example.com --jid juliet@example.com
expect_fail 7 "${S[@]}" --email juliet@example.com --jid romeo@example.com
expect_fail 7 "${S[@]}" --email romeo@example.com --jid juliet@example.com
exit 0
