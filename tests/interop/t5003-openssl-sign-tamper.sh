#!/bin/bash
# Known forgeries of openssl-signed messages must fail with exit 4 and an empty stdout:
# a changed content octet (detached S/MIME, opaque S/MIME, embedded DER, detached DER with
# changed --content), a changed messageDigest attribute, a changed signingTime attribute
# (the signature over the attributes breaks), and a changed signature octet.
# Each untampered original is verified first, so the test cannot pass by failing everything.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/interop.sh"

make_entity
S="-signer $PKI/signer.pem -inkey $PKI/signer.key -certfile $PKI/chain.pem"
CA="--ca $PKI/ca.pem"

# edit IN OUT PERL-SUBST: binary-safe substitution that must change something.
edit() {
	perl -0777 -pe "$3 or die 'no match'" <"$1" >"$2" 2>/dev/null ||
		{ echo "tamper edit '$3' did not apply to $1" >&2; exit 99; }
	cmp -s "$1" "$2" && { echo "tamper edit '$3' changed nothing" >&2; exit 99; }
}

# 1. Detached S/MIME: one letter of the signed text.
osign "$W/det.msg" $S -in "$W/entity.lf"
xv det-ok 0 --in "$W/det.msg" $CA
edit "$W/det.msg" "$W/det-t.msg" 's/yonder window/yonder windoW/'
xv det-content 4 --in "$W/det-t.msg" $CA
# a header line of the signed entity is content too
edit "$W/det.msg" "$W/det-h.msg" 's/charset=utf-8/charset=UTF-8/'
xv det-header 4 --in "$W/det-h.msg" $CA
# an added line at the end of the signed part
edit "$W/det.msg" "$W/det-a.msg" 's/(Romeo\r?\n)/$1PS: sent by Tybalt\r\n/'
xv det-append 4 --in "$W/det-a.msg" $CA

# 2. Embedded DER: one octet of eContent.
osign "$W/emb.der" $S -outform DER -nodetach -in "$W/entity.lf"
xv emb-ok 0 --in "$W/emb.der" $CA
edit "$W/emb.der" "$W/emb-t.der" 's/yonder/Yonder/'
xv emb-content 4 --in "$W/emb-t.der" $CA

# 3. Opaque S/MIME made from the tampered DER (same length, so the encoding stays valid).
osign "$W/opq.msg" $S -nodetach -in "$W/entity.lf"
xv opq-ok 0 --in "$W/opq.msg" $CA
{
	printf 'MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=signed-data; name="smime.p7m"\r\n'
	printf 'Content-Transfer-Encoding: base64\r\n\r\n'
	openssl base64 -in "$W/emb-t.der" | perl -pe 's/\n/\r\n/'
} >"$W/opq-t.msg"
xv opq-content 4 --in "$W/opq-t.msg" $CA
# and the untampered DER wrapped the same way verifies (the wrapper itself is right)
{
	printf 'MIME-Version: 1.0\r\nContent-Type: application/pkcs7-mime; smime-type=signed-data; name="smime.p7m"\r\n'
	printf 'Content-Transfer-Encoding: base64\r\n\r\n'
	openssl base64 -in "$W/emb.der" | perl -pe 's/\n/\r\n/'
} >"$W/opq-w.msg"
xv opq-wrapped 0 --in "$W/opq-w.msg" $CA && same opq-wrapped "$W/opq-wrapped.out" "$W/entity.crlf"

# 4. Detached DER, --content changed.
osign "$W/det.der" $S -outform DER -in "$W/entity.lf"
xv detder-ok 0 --in "$W/det.der" --content "$W/entity.crlf" $CA
edit "$W/entity.crlf" "$W/entity-t.crlf" 's/Romeo/Romea/'
xv detder-content 4 --in "$W/det.der" --content "$W/entity-t.crlf" $CA

# 5. messageDigest attribute: OID 1.2.840.113549.1.9.4, SET, OCTET STRING of 32 octets.
edit "$W/emb.der" "$W/md-t.der" \
	's/(\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x09\x04\x31\x22\x04\x20)(.)/$1 . chr(ord($2) ^ 1)/es'
xv attr-digest 4 --in "$W/md-t.der" $CA

# 6. signingTime attribute: OID 1.2.840.113549.1.9.5, SET, UTCTime; change the tens of seconds.
edit "$W/emb.der" "$W/st-t.der" \
	's/(\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x09\x05\x31\x0f\x17\x0d.{10})([0-5])/$1 . (($2 + 1) % 6)/es'
xv attr-time 4 --in "$W/st-t.der" $CA

# 7. The last octet of the signature (last element of the DER when there are no
#    unsigned attributes).
perl -0777 -pe 'substr($_, -1, 1) = chr(ord(substr($_, -1, 1)) ^ 0x55)' <"$W/emb.der" >"$W/sig-t.der"
xv sig-octet 4 --in "$W/sig-t.der" $CA

# 8. DSA signature octet (r and s are inside a SEQUENCE; flip the last octet of s).
osign "$W/dsa.der" -signer "$PKI/dsa.pem" -inkey "$PKI/dsa.key" -outform DER -nodetach -in "$W/entity.lf"
xv dsa-ok 0 --in "$W/dsa.der" $CA
perl -0777 -pe 'substr($_, -1, 1) = chr(ord(substr($_, -1, 1)) ^ 0x01)' <"$W/dsa.der" >"$W/dsa-t.der"
xv dsa-sig 4 --in "$W/dsa-t.der" $CA

finish
