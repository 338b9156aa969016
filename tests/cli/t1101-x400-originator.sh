#!/bin/bash
# t1101: RFC 3854 §4.3: the signer of X.400 content must carry the
# originator's O/R address (x400Address subjectAltName, the only name of
# these certificates): taken from an IPM heading (X.420 originator) by
# itself, or given with --x400-originator; a mismatch is exit 7 naming the
# certificate's addresses; cert-check --x400 agrees.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
cd "$SCRATCH" || hard_error "cd"

# BuiltInStandardAttributes { C=GB, ADMD=" ", PRMD=Acme, O=Acme,
#   personal-name { S=Smith, G=John } } (the originator of the IPMs)
SMITH=30:28:61:04:13:02:47:42:62:03:13:01:20:a2:06:13:04:41:63:6d:65:83:04:41:63:6d:65:a5:0d:80:05:53:6d:69:74:68:81:04:4a:6f:68:6e
ADDR='C=GB;ADMD= ;PRMD=Acme;O=Acme;S=Smith;G=John'
# the certificates (gen-pki.sh): their only subjectAltName an x400Address
for n in smith jones; do
	cp "$PKI/x400-$n.pem" $n.pem && cp "$PKI/x400-$n.key" $n.key || hard_error "no x400-$n in the PKI"
done
python3 "$TESTS_SRCDIR/x400-ipm.py" ipm.ber "$SMITH" || hard_error "x400-ipm.py"
python3 "$TESTS_SRCDIR/x400-ipm.py" anon.ber "$SMITH" --no-originator || hard_error "x400-ipm.py"
V=(verify --ca "$PKI/ca.pem")

# the heading's originator and the signer's address agree
expect_exit 0 "$XE2E" sign --cert smith.pem --key smith.key --chain "$PKI/inter.pem" --x400-type 22 -i ipm.ber -o ok.der
expect_exit 0 "$XE2E" "${V[@]}" --json -i ok.der -o v.out
assert_same_file v.out ipm.ber
json_check "$ERR" '"x400:'"$ADDR"'" in j["signers"][0]["names"]'
expect_exit 0 "$XE2E" "${V[@]}" --x400-originator "$ADDR" -i ok.der -o v.out
# another signer: exit 7, its addresses named, nothing written
expect_exit 0 "$XE2E" sign --cert jones.pem --key jones.key --chain "$PKI/inter.pem" --x400-type 22 -i ipm.ber -o bad.der
rm -f v.out
expect_exit 7 "$XE2E" "${V[@]}" -i bad.der -o v.out
grep -q 'S=Jones' "$ERR" || fail "mismatch: the certificate's address is not named: $(cat "$ERR")"
[ "$(wc -l <"$ERR")" -le 2 ] || fail "mismatch: more than the error line"
[ -e v.out ] && fail "mismatch: output written"
expect_exit 7 "$XE2E" "${V[@]}" --x400-originator "$ADDR" -i bad.der -o v.out
# the check follows the content through encryption (decrypt with trust)
expect_exit 0 "$XE2E" encrypt --recip smith.pem --ca "$PKI/ca.pem" --untrusted "$PKI/inter.pem" -i bad.der -o bad.env
expect_exit 7 "$XE2E" decrypt --key smith.key --cert smith.pem --ca "$PKI/ca.pem" -i bad.env -o d.out
expect_exit 0 "$XE2E" encrypt --recip smith.pem --ca "$PKI/ca.pem" --untrusted "$PKI/inter.pem" -i ok.der -o ok.env
expect_exit 0 "$XE2E" decrypt --key smith.key --cert smith.pem --ca "$PKI/ca.pem" -i ok.env -o d.out
assert_same_file d.out ipm.ber
# no originator in the heading: nothing to compare, unless asked for
expect_exit 0 "$XE2E" sign --cert jones.pem --key jones.key --chain "$PKI/inter.pem" --x400-type 22 -i anon.ber -o anon.der
expect_exit 0 "$XE2E" "${V[@]}" -i anon.der -o v.out
expect_exit 7 "$XE2E" "${V[@]}" --x400-originator "$ADDR" -i anon.der -o v.out
# an extended content type: only the explicit originator
expect_exit 0 "$XE2E" sign --cert smith.pem --key smith.key --chain "$PKI/inter.pem" --x400-type 1.3.6.1.4.1.99999.1 -i anon.ber -o ext.der
expect_exit 0 "$XE2E" "${V[@]}" --x400-originator "c=gb; admd= ; prmd=acme; o=acme; s=smith; g=john" -i ext.der -o v.out
expect_exit 7 "$XE2E" "${V[@]}" --x400-originator "C=GB;ADMD= ;PRMD=Acme;O=Acme;S=Smith;G=Jim" -i ext.der -o v.out
# content labelled IPM that is not one: refused, not "no originator"
printf 'not an IPM' >junk
expect_exit 0 "$XE2E" sign --cert smith.pem --key smith.key --chain "$PKI/inter.pem" --x400-type 22 -i junk -o junk.der
expect_exit 2 "$XE2E" "${V[@]}" -i junk.der -o v.out
grep -q 'IPM' "$ERR" || fail "bad IPM: $(cat "$ERR")"
# X.420 allows one originator field: a second one (a name the signer
# does not carry hidden behind its own) is malformed, not ignored
python3 "$TESTS_SRCDIR/x400-ipm.py" dup.ber "$SMITH" --dup || hard_error "x400-ipm.py"
expect_exit 0 "$XE2E" sign --cert smith.pem --key smith.key --chain "$PKI/inter.pem" --x400-type 22 -i dup.ber -o dup.der
expect_exit 2 "$XE2E" "${V[@]}" -i dup.der -o v.out
grep -q 'more than one originator' "$ERR" || fail "two originators: $(cat "$ERR")"
# decrypt of content that is not X.400 with an originator asked for
printf 'plain\n' >plain.txt
expect_exit 0 "$XE2E" encrypt --content-type text/plain --recip smith.pem --ca "$PKI/ca.pem" --untrusted "$PKI/inter.pem" -i plain.txt -o p.env
expect_exit 7 "$XE2E" decrypt --key smith.key --cert smith.pem --x400-originator "$ADDR" -i p.env -o d.out
# CMS content types are not X.400 content types
expect_exit 1 "$XE2E" sign --cert smith.pem --key smith.key --x400-type 1.2.840.113549.1.7.2 -i ipm.ber
printf 'Content-Type: application/x400-content; content-type=1.2.840.113549.1.7.2\r\n\r\nMAA=\r\n' >cms.eml
expect_exit 2 "$XE2E" sign --cert smith.pem --key smith.key -i cms.eml
# MIME content has no X.400 originator: asking for one fails closed
sample_message
sign_msg m.eml --cert smith.pem --key smith.key --chain "$PKI/inter.pem"
expect_exit 7 "$XE2E" "${V[@]}" --x400-originator "$ADDR" -i m.eml -o v.out
expect_exit 1 "$XE2E" "${V[@]}" --x400-originator "Q=1" -i ok.der
# cert-check gives the same verdicts
expect_exit 0 "$XE2E" cert-check --ca "$PKI/ca.pem" --untrusted "$PKI/inter.pem" --x400 "$ADDR" smith.pem
expect_exit 7 "$XE2E" cert-check --ca "$PKI/ca.pem" --untrusted "$PKI/inter.pem" --x400 "$ADDR" jones.pem
exit 0
