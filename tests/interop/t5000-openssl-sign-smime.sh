#!/bin/bash
# S/MIME messages made by `openssl cms -sign` verify with `xe2e verify`, and the content
# xe2e gives back is the canonical (CRLF) form of what openssl signed:
# detached multipart/signed (openssl's default), opaque (-nodetach), -stream (BER
# indefinite inside the base64) for both, CRLF and LF-only input files, and the whole
# message rewritten with LF line ends as a mail store would keep it, and the
# x-pkcs7-* media types of `openssl smime`.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/interop.sh"

make_entity
S="-signer $PKI/signer.pem -inkey $PKI/signer.key -certfile $PKI/chain.pem"
CA="--ca $PKI/ca.pem"

# 1. openssl's default: detached multipart/signed, LF input (openssl canonicalizes).
osign "$W/det.msg" $S -in "$W/entity.lf"
grep -q 'multipart/signed' "$W/det.msg" || { echo "openssl did not write multipart/signed" >&2; exit 99; }
xv det 0 --in "$W/det.msg" $CA && same det "$W/det.out" "$W/entity.crlf"

# 2. The same message on stdin instead of --in.
ncheck=$((ncheck + 1))
"$XE2E" verify $CA <"$W/det.msg" >"$W/stdin.out" 2>"$W/stdin.err"
rc=$?
if [ "$rc" != 0 ]; then
	check_fail "stdin: 'xe2e verify --ca ca.pem < det.msg' exited $rc: $(head -c 300 "$W/stdin.err")"
else
	same stdin "$W/stdin.out" "$W/entity.crlf"
fi

# 3. CRLF input file.
osign "$W/detc.msg" $S -in "$W/entity.crlf"
xv detc 0 --in "$W/detc.msg" $CA && same detc "$W/detc.out" "$W/entity.crlf"

# 4. The message kept with LF line ends everywhere (mbox/Maildir on Unix).
lf "$W/det.msg" "$W/det-lf.msg"
xv det-lf 0 --in "$W/det-lf.msg" $CA && same det-lf "$W/det-lf.out" "$W/entity.crlf"

# 5. ...and with CRLF line ends everywhere (headers and base64 too).
crlf "$W/det.msg" "$W/det-crlf.msg"
xv det-crlf 0 --in "$W/det-crlf.msg" $CA && same det-crlf "$W/det-crlf.out" "$W/entity.crlf"

# 6. Opaque: application/pkcs7-mime; smime-type=signed-data.
osign "$W/opq.msg" $S -nodetach -in "$W/entity.lf"
grep -qi 'application/pkcs7-mime' "$W/opq.msg" || { echo "openssl did not write pkcs7-mime" >&2; exit 99; }
xv opq 0 --in "$W/opq.msg" $CA && same opq "$W/opq.out" "$W/entity.crlf"
lf "$W/opq.msg" "$W/opq-lf.msg"
xv opq-lf 0 --in "$W/opq-lf.msg" $CA && same opq-lf "$W/opq-lf.out" "$W/entity.crlf"

# 7. -stream, detached: same shape, written while streaming.
osign "$W/sdet.msg" $S -stream -in "$W/entity.lf"
xv sdet 0 --in "$W/sdet.msg" $CA && same sdet "$W/sdet.out" "$W/entity.crlf"

# 8. -stream -nodetach: the base64 holds BER with indefinite lengths.
osign "$W/sopq.msg" $S -stream -nodetach -in "$W/entity.lf"
perl -ne 'print if !/:/ && !/^\s*$/ && !/^--/' "$W/sopq.msg" | openssl base64 -d >"$W/sopq.ber" 2>/dev/null
if [ "$(od -An -tx1 -N2 "$W/sopq.ber" | tr -d ' \n')" != 3080 ]; then
	echo "openssl -stream did not write an indefinite-length ContentInfo" >&2
	exit 99
fi
xv sopq 0 --in "$W/sopq.msg" $CA && same sopq "$W/sopq.out" "$W/entity.crlf"

# 9. Signer directly under the root, no -certfile needed.
osign "$W/direct.msg" -signer "$PKI/direct.pem" -inkey "$PKI/direct.key" -in "$W/entity.crlf"
xv direct 0 --in "$W/direct.msg" $CA && same direct "$W/direct.out" "$W/entity.crlf"

# 10. The PKCS#7 v1.5 API (`openssl smime`): application/x-pkcs7-signature and
#     application/x-pkcs7-mime, as older agents write them.
openssl smime -sign -signer "$PKI/direct.pem" -inkey "$PKI/direct.key" -in "$W/entity.lf" \
	-out "$W/x-det.msg" 2>/dev/null || exit 99
grep -q 'application/x-pkcs7-signature' "$W/x-det.msg" || { echo "openssl smime wrote no x-pkcs7-signature" >&2; exit 99; }
xv x-det 0 --in "$W/x-det.msg" $CA && same x-det "$W/x-det.out" "$W/entity.crlf"
openssl smime -sign -nodetach -signer "$PKI/direct.pem" -inkey "$PKI/direct.key" -in "$W/entity.lf" \
	-out "$W/x-opq.msg" 2>/dev/null || exit 99
grep -q 'application/x-pkcs7-mime' "$W/x-opq.msg" || { echo "openssl smime wrote no x-pkcs7-mime" >&2; exit 99; }
xv x-opq 0 --in "$W/x-opq.msg" $CA && same x-opq "$W/x-opq.out" "$W/entity.crlf"

# 11. --out FILE instead of stdout.
xv outfile 0 --in "$W/det.msg" --out "$W/outfile.file" $CA &&
	same outfile "$W/outfile.file" "$W/entity.crlf"

finish
