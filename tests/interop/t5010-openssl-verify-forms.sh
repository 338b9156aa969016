#!/bin/bash
# Every output form of `xe2e sign` verifies with `openssl cms -verify -CAfile ca.pem
# -purpose smimesign`, and the content openssl gives back is the input entity in its
# canonical CRLF form: multipart/signed (default), --opaque, --outform der and pem
# (detached and --opaque), input from stdin and --in, LF and CRLF input, --out FILE,
# --content-type (raw input wrapped by xe2e), and a 1 MiB body; the DER is DER
# (openssl re-encodes it to the same octets).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/interop.sh"

make_entity
K="--cert $PKI/signer.pem --key $PKI/signer.key --chain $PKI/chain.pem"

# 1. Default: multipart/signed, detached, from --in (CRLF input).
if xs mp 0 $K --in "$W/entity.crlf"; then
	ct=$(mime_header "$W/mp.msg" Content-Type)
	ncheck=$((ncheck + 1))
	case $(printf '%s' "$ct" | tr 'A-Z' 'a-z') in
	multipart/signed*) ;;
	*) check_fail "mp: Content-Type is '$ct', want multipart/signed" ;;
	esac
	ncheck=$((ncheck + 1))
	[ "$(mime_param "$ct" protocol | tr 'A-Z' 'a-z')" = application/pkcs7-signature ] ||
		check_fail "mp: protocol is '$(mime_param "$ct" protocol)'"
	ncheck=$((ncheck + 1))
	[ "$(mime_param "$ct" micalg | tr 'A-Z' 'a-z')" = sha-256 ] ||
		check_fail "mp: micalg is '$(mime_param "$ct" micalg)', want sha-256"
	ov mp -in "$W/mp.msg" && same mp "$W/mp.ov" "$W/entity.crlf"
	# The first part, byte for byte, is the CRLF entity, and the signature covers
	# exactly those octets: openssl -binary with the part as detached content.
	# (Not `openssl cms -verify -binary` on the multipart itself: in binary mode
	# openssl strips only the LF of the CRLF before the boundary and keeps the CR.)
	mime_part "$W/mp.msg" 1 >"$W/mp.part1"
	same mp-part1 "$W/mp.part1" "$W/entity.crlf"
	openssl cms -cmsout -in "$W/mp.msg" -outform DER -out "$W/mp.p7s" 2>/dev/null
	ov mp-bin -inform DER -in "$W/mp.p7s" -binary -content "$W/mp.part1" &&
		same mp-bin "$W/mp-bin.ov" "$W/entity.crlf"
fi

# 2. LF input on stdin, output on stdout: xe2e signs the CRLF form.
ncheck=$((ncheck + 1))
"$XE2E" sign $K <"$W/entity.lf" >"$W/mplf.msg" 2>"$W/mplf.err"
rc=$?
if [ "$rc" != 0 ]; then
	check_fail "mplf: 'xe2e sign < entity.lf' exited $rc: $(head -c 300 "$W/mplf.err")"
else
	ov mplf -in "$W/mplf.msg" && same mplf "$W/mplf.ov" "$W/entity.crlf"
	mime_part "$W/mplf.msg" 1 >"$W/mplf.part1"
	same mplf-part1 "$W/mplf.part1" "$W/entity.crlf"
	openssl cms -cmsout -in "$W/mplf.msg" -outform DER -out "$W/mplf.p7s" 2>/dev/null
	ov mplf-bin -inform DER -in "$W/mplf.p7s" -binary -content "$W/mplf.part1" &&
		same mplf-bin "$W/mplf-bin.ov" "$W/entity.crlf"
fi

# 3. --out FILE; nothing on stdout.
if xs outf 0 $K --in "$W/entity.crlf" --out "$W/outf.file"; then
	ncheck=$((ncheck + 1))
	[ -s "$W/outf.msg" ] && check_fail "outf: --out given but stdout not empty"
	ov outf -in "$W/outf.file" && same outf "$W/outf.ov" "$W/entity.crlf"
fi

# 4. --opaque: application/pkcs7-mime; smime-type=signed-data.
if xs opq 0 $K --opaque --in "$W/entity.lf"; then
	ct=$(mime_header "$W/opq.msg" Content-Type | tr 'A-Z' 'a-z')
	ncheck=$((ncheck + 1))
	case $ct in
	application/pkcs7-mime*) ;;
	*) check_fail "opq: Content-Type is '$ct', want application/pkcs7-mime" ;;
	esac
	ncheck=$((ncheck + 1))
	[ "$(mime_param "$ct" smime-type)" = signed-data ] ||
		check_fail "opq: smime-type is '$(mime_param "$ct" smime-type)', want signed-data"
	ov opq -in "$W/opq.msg" && same opq "$W/opq.ov" "$W/entity.crlf"
fi

# 5. --outform der: detached ContentInfo (openssl needs -content).
if xs der 0 $K --outform der --in "$W/entity.lf"; then
	ncheck=$((ncheck + 1))
	[ "$(first_byte_hex "$W/der.msg")" = 30 ] || check_fail "der: output does not start with a SEQUENCE"
	ov der -inform DER -in "$W/der.msg" -binary -content "$W/entity.crlf" &&
		same der "$W/der.ov" "$W/entity.crlf"
	ov der-text -inform DER -in "$W/der.msg" -content "$W/entity.lf" &&
		same der-text "$W/der-text.ov" "$W/entity.crlf"
	ncheck=$((ncheck + 1))
	cms_has_econtent "$W/der.msg" && check_fail "der: content is embedded, want detached"
fi

# 6. --outform der --opaque: content embedded.
if xs dero 0 $K --outform der --opaque --in "$W/entity.crlf"; then
	ncheck=$((ncheck + 1))
	cms_has_econtent "$W/dero.msg" || check_fail "dero: content is not embedded"
	ov dero -inform DER -in "$W/dero.msg" && same dero "$W/dero.ov" "$W/entity.crlf"
fi

# 6a. xe2e writes DER: openssl parses and re-encodes it to the very same octets
#     (openssl re-encodes its own -sign output identically too).
for n in der dero; do
	[ -s "$W/$n.msg" ] || continue
	ncheck=$((ncheck + 1))
	if ! openssl cms -cmsout -inform DER -in "$W/$n.msg" -outform DER -out "$W/$n.reenc" 2>/dev/null; then
		check_fail "$n-reenc: openssl cannot re-encode the DER"
	elif ! cmp -s "$W/$n.msg" "$W/$n.reenc"; then
		check_fail "$n-reenc: openssl re-encodes xe2e's DER differently (not DER?): $(cmp "$W/$n.msg" "$W/$n.reenc" 2>&1 | head -n 1)"
	fi
done

# 7. --outform pem, detached and --opaque; armour "CMS".
if xs pem 0 $K --outform pem --in "$W/entity.crlf"; then
	has pem "$W/pem.msg" '^-----BEGIN CMS-----' "armour is not BEGIN CMS"
	ov pem -inform PEM -in "$W/pem.msg" -binary -content "$W/entity.crlf" &&
		same pem "$W/pem.ov" "$W/entity.crlf"
fi
if xs pemo 0 $K --outform pem --opaque --in "$W/entity.crlf"; then
	has pemo "$W/pemo.msg" '^-----BEGIN CMS-----' "armour is not BEGIN CMS"
	ov pemo -inform PEM -in "$W/pemo.msg" && same pemo "$W/pemo.ov" "$W/entity.crlf"
fi

# 8. --outform smime is the default form.
if xs smime 0 $K --outform smime --in "$W/entity.crlf"; then
	ov smime -in "$W/smime.msg" && same smime "$W/smime.ov" "$W/entity.crlf"
fi

# 9. --content-type: raw text in, xe2e writes the entity; openssl gets that entity back.
printf 'plain words\nsecond line\n' >"$W/raw.txt"
if xs ctype 0 $K --content-type text/plain --in "$W/raw.txt"; then
	if ov ctype -in "$W/ctype.msg"; then
		ncheck=$((ncheck + 1))
		ct=$(mime_header "$W/ctype.ov" Content-Type | tr 'A-Z' 'a-z')
		case $ct in
		text/plain*) ;;
		*) check_fail "ctype: signed entity has Content-Type '$ct', want text/plain" ;;
		esac
		has ctype "$W/ctype.ov" 'plain words' "signed entity lacks the raw text"
	fi
fi
# raw binary octets
perl -e 'srand(3851); print map { chr(int(rand(256))) } 1..3000' >"$W/raw.bin"
if xs cbin 0 $K --content-type application/octet-stream --in "$W/raw.bin"; then
	ov cbin -in "$W/cbin.msg"
fi

# 10. A 1 MiB body, opaque DER.
{
	printf 'Content-Type: text/plain\r\n\r\n'
	perl -e 'for my $i (1..16384) { printf "%063d\r\n", $i }'
} >"$W/big.crlf"
if xs big 0 $K --outform der --opaque --in "$W/big.crlf"; then
	ov big -inform DER -in "$W/big.msg" && same big "$W/big.ov" "$W/big.crlf"
fi

finish
