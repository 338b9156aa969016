#!/bin/bash
# Everything `xe2e encrypt` writes decrypts with `openssl cms -decrypt`, to the canonical
# (CRLF) form of the input entity: each --cipher (and openssl sees that algorithm), each
# --outform (S/MIME, -inform DER, -inform PEM), --keyid (openssl sees a subjectKeyIdentifier
# rid), several recipients from several --recip and from one file holding two certificates,
# --cert (the sender's copy) and --no-self, --stream (indefinite-length BER, S/MIME and DER)
# and --no-stream, input on a pipe, a 20 MiB entity, a binary-CTE entity kept byte for
# byte, and --content-type (raw text and raw binary content).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/interop.sh"

make_entity

# xe NAME WANT ARGS...: `xe2e encrypt ARGS`, output in $W/NAME.msg, status must be WANT.
xe() { _n=$1; shift; _x encrypt "$_n" "$W/$_n.msg" "$@"; }

# od_ NAME MSG KEY [openssl options...]: openssl cms -decrypt -inkey KEY -in MSG,
# content to $W/NAME.od; a failure is a failed check.
od_() {
	_n=$1 _m=$2 _k=$3
	shift 3
	ncheck=$((ncheck + 1))
	if ! openssl cms -decrypt -inkey "$_k" -in "$_m" "$@" -out "$W/$_n.od" 2>"$W/$_n.oderr"; then
		check_fail "$_n: openssl cms -decrypt -inkey $(basename "$_k") $* failed: $(head -c 400 "$W/$_n.oderr")"
		return 1
	fi
	return 0
}

# od_fails NAME MSG KEY [openssl options...]: openssl must NOT decrypt it.
od_fails() {
	_n=$1 _m=$2 _k=$3
	shift 3
	ncheck=$((ncheck + 1))
	if openssl cms -decrypt -inkey "$_k" -in "$_m" "$@" -out "$W/$_n.od" 2>/dev/null; then
		check_fail "$_n: openssl cms -decrypt with $(basename "$_k") succeeded, want a failure"
		return 1
	fi
	return 0
}

# got NAME FILE WANT: decrypted content must equal WANT byte for byte.
got() {
	ncheck=$((ncheck + 1))
	if ! cmp -s "$2" "$3"; then
		check_fail "$1: openssl's content differs from the entity: $(cmp "$2" "$3" 2>&1 | head -n 1)"
		return 1
	fi
	return 0
}

first2() { od -An -tx1 -N2 "$1" | tr -d ' \n'; }
smime_der() { mime_body "$1" | b64_decode >"$2"; }

S=$PKI/signer
D=$PKI/direct
# openssl -binary: take the content as it is (xe2e already wrote it in canonical form;
# without -binary openssl would convert it again, which is harmless for CRLF text but
# not what we want to check).
B=-binary

# 1. Each --cipher, S/MIME output; openssl names the same algorithm and decrypts.
for c in aes128:aes-128-cbc aes192:aes-192-cbc aes256:aes-256-cbc des3:des-ede3-cbc; do
	x=${c%%:*} oid=${c#*:}
	if xe "c-$x" 0 --recip "$S.pem" --cipher "$x" --in "$W/entity.lf"; then
		has "c-$x" "$W/c-$x.msg" 'application/pkcs7-mime' "no application/pkcs7-mime" &&
			has "c-$x" "$W/c-$x.msg" 'smime-type=enveloped-data' "no smime-type=enveloped-data"
		smime_der "$W/c-$x.msg" "$W/c-$x.der"
		print_cms "c-$x" -inform DER -in "$W/c-$x.der" &&
			has "c-$x" "$W/c-$x.print" "algorithm: $oid " "openssl does not see $oid"
		od_ "c-$x" "$W/c-$x.msg" "$S.key" -recip "$S.pem" $B && got "c-$x" "$W/c-$x.od" "$W/entity.crlf"
		# openssl's S/MIME reader in text mode too
		od_ "c-$x-t" "$W/c-$x.msg" "$S.key" && got "c-$x-t" "$W/c-$x-t.od" "$W/entity.crlf"
	fi
done
# the default is AES-128
xe default 0 --recip "$S.pem" --in "$W/entity.lf" --outform der &&
	print_cms default -inform DER -in "$W/default.msg" &&
	has default "$W/default.print" 'algorithm: aes-128-cbc ' "the default cipher is not AES-128-CBC"

# 2. Each --outform: der (definite DER), pem (BEGIN CMS).
for c in aes128 des3; do
	if xe "der-$c" 0 --recip "$S.pem" --cipher "$c" --outform der --no-stream --in "$W/entity.lf"; then
		ncheck=$((ncheck + 1))
		[ "$(first2 "$W/der-$c.msg")" = 3082 ] ||
			check_fail "der-$c: --outform der --no-stream starts $(first2 "$W/der-$c.msg"), want 3082"
		od_ "der-$c" "$W/der-$c.msg" "$S.key" -inform DER $B && got "der-$c" "$W/der-$c.od" "$W/entity.crlf"
	fi
	if xe "pem-$c" 0 --recip "$S.pem" --cipher "$c" --outform pem --in "$W/entity.lf"; then
		has "pem-$c" "$W/pem-$c.msg" '^-----BEGIN CMS-----' "no BEGIN CMS armour"
		od_ "pem-$c" "$W/pem-$c.msg" "$S.key" -inform PEM $B && got "pem-$c" "$W/pem-$c.od" "$W/entity.crlf"
	fi
done

# 3. --keyid: subjectKeyIdentifier rid; openssl finds it by -recip and by key alone.
if xe keyid 0 --recip "$S.pem" --recip "$D.pem" --keyid --outform der --in "$W/entity.lf"; then
	print_cms keyid -inform DER -in "$W/keyid.msg" &&
		has keyid "$W/keyid.print" 'd.subjectKeyIdentifier' "openssl sees no subjectKeyIdentifier rid" &&
		has keyid "$W/keyid.print" 'version: 2' "KeyTransRecipientInfo is not version 2"
	ncheck=$((ncheck + 1))
	grep -q 'd.issuerAndSerialNumber' "$W/keyid.print" &&
		check_fail "keyid: --keyid still wrote an issuerAndSerialNumber rid"
	for r in signer direct; do
		od_ "keyid-$r" "$W/keyid.msg" "$PKI/$r.key" -recip "$PKI/$r.pem" -inform DER $B &&
			got "keyid-$r" "$W/keyid-$r.od" "$W/entity.crlf"
		od_ "keyid-$r-key" "$W/keyid.msg" "$PKI/$r.key" -inform DER $B &&
			got "keyid-$r-key" "$W/keyid-$r-key.od" "$W/entity.crlf"
	done
fi

# 4. Several recipients: three --recip plus one file holding two certificates.
cat "$PKI/noku.pem" "$PKI/selfsigned.pem" >"$W/two.pem"
if xe multi 0 --recip "$S.pem" --recip "$D.pem" --recip "$W/two.pem" --cipher aes256 --in "$W/entity.lf"; then
	smime_der "$W/multi.msg" "$W/multi.der"
	print_cms multi -inform DER -in "$W/multi.der"
	ncheck=$((ncheck + 1))
	n=$(grep -c 'd.ktri:' "$W/multi.print")
	[ "$n" = 4 ] || check_fail "multi: $n KeyTransRecipientInfos, want 4"
	for r in signer direct noku selfsigned; do
		od_ "multi-$r" "$W/multi.msg" "$PKI/$r.key" -recip "$PKI/$r.pem" $B &&
			got "multi-$r" "$W/multi-$r.od" "$W/entity.crlf"
	done
	# someone else cannot (so the checks above could fail)
	od_fails multi-not "$W/multi.msg" "$PKI/expired.key" -recip "$PKI/expired.pem"
fi

# 5. --cert: the sender gets a copy of the key; --no-self: it does not.
if xe self 0 --recip "$D.pem" --cert "$S.pem" --in "$W/entity.lf"; then
	od_ self-sender "$W/self.msg" "$S.key" -recip "$S.pem" $B && got self-sender "$W/self-sender.od" "$W/entity.crlf"
	od_ self-recip "$W/self.msg" "$D.key" -recip "$D.pem" $B && got self-recip "$W/self-recip.od" "$W/entity.crlf"
fi
if xe noself 0 --recip "$D.pem" --cert "$S.pem" --no-self --in "$W/entity.lf"; then
	od_fails noself-sender "$W/noself.msg" "$S.key" -recip "$S.pem"
	od_ noself-recip "$W/noself.msg" "$D.key" $B && got noself-recip "$W/noself-recip.od" "$W/entity.crlf"
fi

# 6. --stream: indefinite-length BER (30 80), S/MIME and DER; --no-stream DER; a pipe.
if xe st-der 0 --recip "$S.pem" --stream --outform der --in "$W/entity.lf"; then
	ncheck=$((ncheck + 1))
	[ "$(first2 "$W/st-der.msg")" = 3080 ] ||
		check_fail "st-der: --stream --outform der starts $(first2 "$W/st-der.msg"), want 3080"
	od_ st-der "$W/st-der.msg" "$S.key" -inform DER $B && got st-der "$W/st-der.od" "$W/entity.crlf"
fi
if xe st-smime 0 --recip "$S.pem" --stream --cipher aes192 --in "$W/entity.lf"; then
	smime_der "$W/st-smime.msg" "$W/st-smime.der"
	ncheck=$((ncheck + 1))
	[ "$(first2 "$W/st-smime.der")" = 3080 ] ||
		check_fail "st-smime: --stream S/MIME body starts $(first2 "$W/st-smime.der"), want 3080"
	od_ st-smime "$W/st-smime.msg" "$S.key" $B && got st-smime "$W/st-smime.od" "$W/entity.crlf"
fi
if xe st-pem 0 --recip "$S.pem" --stream --cipher des3 --outform pem --in "$W/entity.lf"; then
	od_ st-pem "$W/st-pem.msg" "$S.key" -inform PEM $B && got st-pem "$W/st-pem.od" "$W/entity.crlf"
fi
# input on a pipe: streams by default (30 80)
ncheck=$((ncheck + 1))
if cat "$W/entity.lf" | "$XE2E" encrypt --recip "$S.pem" --outform der >"$W/pipe.msg" 2>"$W/pipe.err"; then
	if [ "$(first2 "$W/pipe.msg")" != 3080 ]; then
		check_fail "pipe: input on a pipe did not stream (starts $(first2 "$W/pipe.msg"), want 3080)"
	fi
	od_ pipe "$W/pipe.msg" "$S.key" -inform DER $B && got pipe "$W/pipe.od" "$W/entity.crlf"
else
	check_fail "pipe: 'xe2e encrypt --recip signer.pem --outform der < pipe' failed: $(head -c 300 "$W/pipe.err")"
fi

# 7. A 20 MiB text entity with LF lines (over the 16 MiB streaming threshold): streamed,
#    and every line comes back CRLF; and a binary-CTE entity kept byte for byte.
{
	printf 'Content-Type: text/plain; charset=us-ascii\n\n'
	perl -e 'my $l = ("0123456789abcdef" x 4) . "\n"; print $l x (20 * 1024 * 1024 / 65)'
} >"$W/big.lf"
crlf "$W/big.lf" "$W/big.crlf"
if xe big 0 --recip "$S.pem" --outform der --in "$W/big.lf"; then
	ncheck=$((ncheck + 1))
	[ "$(first2 "$W/big.msg")" = 3080 ] ||
		check_fail "big: a 20 MiB input did not stream (starts $(first2 "$W/big.msg"), want 3080)"
	od_ big "$W/big.msg" "$S.key" -inform DER $B && got big "$W/big.od" "$W/big.crlf"
fi
{
	printf 'Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n'
	perl -e 'print map { chr } 0 .. 255; print "\n\r\r\n\n"; print map { chr } reverse 0 .. 255'
} >"$W/bin.ent"
if xe bin 0 --recip "$S.pem" --outform der --in "$W/bin.ent"; then
	od_ bin "$W/bin.msg" "$S.key" -inform DER $B && got bin "$W/bin.od" "$W/bin.ent"
fi
if xe bin-st 0 --recip "$S.pem" --stream --in "$W/bin.ent"; then
	od_ bin-st "$W/bin-st.msg" "$S.key" $B && got bin-st "$W/bin-st.od" "$W/bin.ent"
fi

# 8. --content-type: raw content made into an entity. Text: carried as CRLF lines.
printf 'line one\nline two\n' >"$W/raw.txt"
if xe raw-text 0 --recip "$S.pem" --content-type text/plain --in "$W/raw.txt"; then
	if od_ raw-text "$W/raw-text.msg" "$S.key" $B; then
		ncheck=$((ncheck + 1))
		ct=$(mime_header "$W/raw-text.od" Content-Type)
		case $ct in
		text/plain*) ;;
		*) check_fail "raw-text: the entity's Content-Type is '$ct', want text/plain" ;;
		esac
		mime_body "$W/raw-text.od" >"$W/raw-text.body"
		crlf "$W/raw.txt" "$W/raw.crlf"
		got raw-text-body "$W/raw-text.body" "$W/raw.crlf"
	fi
fi
#    Anything else: base64 of exactly the raw octets.
perl -e 'srand(7); print map { chr(int(rand(256))) } 1 .. 3000' >"$W/raw.bin"
if xe raw-bin 0 --recip "$S.pem" --content-type application/octet-stream --outform der --in "$W/raw.bin"; then
	if od_ raw-bin "$W/raw-bin.msg" "$S.key" -inform DER $B; then
		ncheck=$((ncheck + 1))
		ct=$(mime_header "$W/raw-bin.od" Content-Type)
		cte=$(mime_header "$W/raw-bin.od" Content-Transfer-Encoding)
		case $ct in
		application/octet-stream*) ;;
		*) check_fail "raw-bin: the entity's Content-Type is '$ct', want application/octet-stream" ;;
		esac
		ncheck=$((ncheck + 1))
		[ "$(printf '%s' "$cte" | tr A-Z a-z)" = base64 ] ||
			check_fail "raw-bin: Content-Transfer-Encoding is '$cte', want base64"
		mime_body "$W/raw-bin.od" | b64_decode >"$W/raw-bin.body" 2>/dev/null
		got raw-bin-body "$W/raw-bin.body" "$W/raw.bin"
	fi
fi

finish
