#!/bin/bash
# Messages made by `openssl cms -encrypt` decrypt with `xe2e decrypt`, and the content xe2e
# gives back is the canonical (CRLF) form of the entity openssl encrypted: each cipher
# (-aes128/-aes192/-aes256/-des3, and RC2 40/64/128 through the legacy provider when it is
# there), several recipients (each alone, by --cert+--key and by --key alone), -keyid,
# -stream (indefinite-length BER inside S/MIME base64 and as -outform DER), DER and PEM
# forms, stdin, a binary entity kept byte for byte, a 20 MiB body (streaming by default),
# an encrypted PKCS#8 key. Negative checks make sure a decryption that should not work
# does not: a key that is not a recipient, a corrupted ciphertext.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/interop.sh"

make_entity

# xd NAME WANT ARGS...: `xe2e decrypt ARGS`, stdout in $W/NAME.out, status must be WANT.
xd() { _n=$1; shift; _x decrypt "$_n" "$W/$_n.out" "$@"; }

# got NAME FILE WANT: decrypted content must equal WANT byte for byte.
got() {
	ncheck=$((ncheck + 1))
	if ! cmp -s "$2" "$3"; then
		check_fail "$1: decrypted content differs from the entity: $(cmp "$2" "$3" 2>&1 | head -n 1)"
		return 1
	fi
	return 0
}

# oenc OUT ARGS...: openssl cms -encrypt; failing here is a broken test (99).
oenc() {
	_o=$1
	shift
	if ! openssl cms -encrypt -out "$_o" "$@" 2>"$W/oenc.err"; then
		echo "interop: openssl cms -encrypt $* failed: $(head -c 400 "$W/oenc.err")" >&2
		exit 99
	fi
}

# first2 FILE: the first two octets in hex
first2() { od -An -tx1 -N2 "$1" | tr -d ' \n'; }
# smime_der MSG OUT: the base64 body of an application/pkcs7-mime message, decoded
smime_der() { mime_body "$1" | b64_decode >"$2"; }

S=$PKI/signer
D=$PKI/direct

# 1. Each cipher openssl offers without the legacy provider, S/MIME, LF input
#    (openssl canonicalizes to CRLF in S/MIME text mode).
for c in aes128 aes192 aes256 des3; do
	oenc "$W/c-$c.msg" -"$c" -in "$W/entity.lf" "$S.pem"
	grep -q 'smime-type=enveloped-data' "$W/c-$c.msg" ||
		{ echo "openssl wrote no enveloped-data for -$c" >&2; exit 99; }
	xd "c-$c" 0 --cert "$S.pem" --key "$S.key" --in "$W/c-$c.msg" &&
		got "c-$c" "$W/c-$c.out" "$W/entity.crlf"
	xd "c-$c-key" 0 --key "$S.key" --in "$W/c-$c.msg" &&
		got "c-$c-key" "$W/c-$c-key.out" "$W/entity.crlf"
done

# 2. Several recipients: each decrypts alone, with --cert+--key and with --key alone
#    (the signer's key is 3rd of 4, so --key alone has to try more than the first).
R="direct noku signer selfsigned"
oenc "$W/multi.msg" -aes256 -in "$W/entity.lf" "$D.pem" "$PKI/noku.pem" "$S.pem" "$PKI/selfsigned.pem"
for r in $R; do
	xd "multi-$r" 0 --cert "$PKI/$r.pem" --key "$PKI/$r.key" --in "$W/multi.msg" &&
		got "multi-$r" "$W/multi-$r.out" "$W/entity.crlf"
	xd "multi-$r-key" 0 --key "$PKI/$r.key" --in "$W/multi.msg" &&
		got "multi-$r-key" "$W/multi-$r-key.out" "$W/entity.crlf"
done
# ...and someone who is not a recipient cannot: exit 5, and with --cert the message names
# the recipients that are there.
# (the list of four must come out whole: cut off mid-name it names nobody usefully)
xd multi-not 5 --cert "$PKI/expired.pem" --key "$PKI/expired.key" --in "$W/multi.msg" &&
	has multi-not "$W/multi-not.err" "recipients:" "the error does not list the recipients" &&
	has multi-not "$W/multi-not.err" '\)$' "the list of recipients is cut off"
xd multi-not-key 5 --key "$PKI/expired.key" --in "$W/multi.msg" &&
	has multi-not-key "$W/multi-not-key.err" '^xe2e decrypt: decryption failed$' "not the one-line failure"
# a key that does not match the --cert given: refused (xe2e checks the pair before it
# decrypts: 1; a decryption failure, 5, would do too), never content.
ncheck=$((ncheck + 1))
"$XE2E" decrypt --cert "$S.pem" --key "$D.key" --in "$W/multi.msg" >"$W/wrongkey.out" 2>"$W/wrongkey.err"
rc=$?
case $rc in
1 | 5) [ -s "$W/wrongkey.out" ] && check_fail "wrongkey: exit $rc but stdout is not empty" ;;
*) check_fail "wrongkey: --cert signer.pem --key direct.key exited $rc, want 1 or 5: $(head -c 300 "$W/wrongkey.err")" ;;
esac

# 3. -keyid: RecipientIdentifier is the subjectKeyIdentifier (KeyTransRecipientInfo v2).
oenc "$W/keyid.msg" -aes128 -keyid -in "$W/entity.lf" "$D.pem" "$S.pem"
smime_der "$W/keyid.msg" "$W/keyid.der"
print_cms keyid -inform DER -in "$W/keyid.der" &&
	has keyid "$W/keyid.print" 'subjectKeyIdentifier' "openssl -keyid wrote no subjectKeyIdentifier rid"
for r in signer direct; do
	xd "keyid-$r" 0 --cert "$PKI/$r.pem" --key "$PKI/$r.key" --in "$W/keyid.msg" &&
		got "keyid-$r" "$W/keyid-$r.out" "$W/entity.crlf"
	xd "keyid-$r-key" 0 --key "$PKI/$r.key" --in "$W/keyid.msg" &&
		got "keyid-$r-key" "$W/keyid-$r-key.out" "$W/entity.crlf"
done
xd keyid-not 5 --cert "$PKI/noku.pem" --key "$PKI/noku.key" --in "$W/keyid.msg" &&
	has keyid-not "$W/keyid-not.err" 'key id' "the error does not name the key id recipients"

# 4. -stream: BER with indefinite lengths, inside S/MIME base64 and as -outform DER.
oenc "$W/st.msg" -aes128 -stream -in "$W/entity.lf" "$S.pem"
smime_der "$W/st.msg" "$W/st.ber"
[ "$(first2 "$W/st.ber")" = 3080 ] || { echo "openssl -stream wrote no indefinite-length BER" >&2; exit 99; }
xd st 0 --key "$S.key" --cert "$S.pem" --in "$W/st.msg" && got st "$W/st.out" "$W/entity.crlf"
oenc "$W/st.der" -aes192 -stream -outform DER -in "$W/entity.lf" "$S.pem"
[ "$(first2 "$W/st.der")" = 3080 ] || { echo "openssl -stream -outform DER is not indefinite" >&2; exit 99; }
xd st-der 0 --key "$S.key" --in "$W/st.der" && got st-der "$W/st-der.out" "$W/entity.crlf"

# 5. DER and PEM forms (definite lengths), and stdin.
oenc "$W/f.der" -aes256 -outform DER -in "$W/entity.lf" "$S.pem"
[ "$(first2 "$W/f.der")" = 3082 ] || { echo "openssl -outform DER wrote $(first2 "$W/f.der")" >&2; exit 99; }
xd f-der 0 --key "$S.key" --cert "$S.pem" --in "$W/f.der" && got f-der "$W/f-der.out" "$W/entity.crlf"
oenc "$W/f.pem" -des3 -outform PEM -in "$W/entity.lf" "$S.pem"
grep -q -- '-----BEGIN CMS-----' "$W/f.pem" || { echo "openssl -outform PEM wrote no BEGIN CMS" >&2; exit 99; }
xd f-pem 0 --key "$S.key" --in "$W/f.pem" && got f-pem "$W/f-pem.out" "$W/entity.crlf"
# the same bytes under the PKCS7 armour older tools write
sed 's/BEGIN CMS/BEGIN PKCS7/; s/END CMS/END PKCS7/' "$W/f.pem" >"$W/f-p7.pem"
xd f-p7 0 --key "$S.key" --in "$W/f-p7.pem" && got f-p7 "$W/f-p7.out" "$W/entity.crlf"
for f in f.der f.pem c-aes128.msg st.msg; do
	ncheck=$((ncheck + 1))
	if "$XE2E" decrypt --key "$S.key" <"$W/$f" >"$W/stdin-$f.out" 2>"$W/stdin-$f.err"; then
		got "stdin-$f" "$W/stdin-$f.out" "$W/entity.crlf"
	else
		check_fail "stdin-$f: 'xe2e decrypt --key signer.key < $f' failed: $(head -c 300 "$W/stdin-$f.err")"
	fi
done
# the S/MIME message kept with LF line ends (a Unix mail store)
lf "$W/c-aes128.msg" "$W/lf.msg"
xd lf 0 --key "$S.key" --in "$W/lf.msg" && got lf "$W/lf.out" "$W/entity.crlf"
# --out FILE
xd outfile 0 --key "$S.key" --in "$W/f.der" --out "$W/outfile.file" &&
	got outfile "$W/outfile.file" "$W/entity.crlf"

# 6. -binary: a binary body (every octet value, bare CR and LF) comes back byte for byte.
{
	printf 'Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n'
	perl -e 'print map { chr } 0 .. 255; print "\n\r\r\n\n"; print map { chr } reverse 0 .. 255'
} >"$W/bin.ent"
oenc "$W/bin.der" -aes128 -binary -outform DER -in "$W/bin.ent" "$S.pem"
xd bin 0 --key "$S.key" --in "$W/bin.der" && got bin "$W/bin.out" "$W/bin.ent"
oenc "$W/bin-st.der" -aes128 -binary -stream -outform DER -in "$W/bin.ent" "$S.pem"
xd bin-st 0 --key "$S.key" --stream --in "$W/bin-st.der" && got bin-st "$W/bin-st.out" "$W/bin.ent"

# 7. A 20 MiB entity (over the 16 MiB streaming threshold), -stream BER from openssl:
#    from a file (auto), forced --no-stream, and through a pipe.
{
	printf 'Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\n\r\n'
	head -c $((20 * 1024 * 1024)) /dev/zero | tr '\0' 'x'
} >"$W/big.ent"
oenc "$W/big.der" -aes256 -binary -stream -outform DER -in "$W/big.ent" "$S.pem"
xd big 0 --key "$S.key" --in "$W/big.der" && got big "$W/big.out" "$W/big.ent"
xd big-nostream 0 --no-stream --key "$S.key" --in "$W/big.der" &&
	got big-nostream "$W/big-nostream.out" "$W/big.ent"
ncheck=$((ncheck + 1))
if cat "$W/big.der" | "$XE2E" decrypt --key "$S.key" >"$W/big-pipe.out" 2>"$W/big-pipe.err"; then
	got big-pipe "$W/big-pipe.out" "$W/big.ent"
else
	check_fail "big-pipe: 'cat big.der | xe2e decrypt --key signer.key' failed: $(head -c 300 "$W/big-pipe.err")"
fi

# 8. The key as encrypted PKCS#8 with its passphrase, and as PKCS#1 DER.
xd p8 0 --key "$S.p8" --pass-file "$S.pass" --in "$W/c-aes192.msg" && got p8 "$W/p8.out" "$W/entity.crlf"
xd pkcs1-der 0 --key "$PKI/signer-pkcs1-key.der" --cert "$PKI/signer.der" --in "$W/c-aes192.msg" &&
	got pkcs1-der "$W/pkcs1-der.out" "$W/entity.crlf"

# 9. A corrupted ciphertext (last block of the DER) must not decrypt: 5, nothing on stdout.
#    (This also proves that the comparisons above are not comparing against nothing.)
cp "$W/f.der" "$W/bad.der"
perl -e 'open F, "+<", $ARGV[0] or die; seek F, -20, 2; read F, $b, 1; seek F, -20, 2; print F chr(ord($b) ^ 0x5a)' "$W/bad.der"
xd bad 5 --key "$S.key" --in "$W/bad.der" &&
	has bad "$W/bad.err" '^xe2e decrypt: decryption failed$' "not the one-line failure"

# 10. RC2 (40, 64, 128 bit) needs openssl's legacy provider to write; skipped without it.
if openssl cms -encrypt -rc2-40 -provider legacy -provider default -in "$W/entity.lf" \
	-out "$W/rc2probe.msg" "$S.pem" >/dev/null 2>&1; then
	for c in rc2-40 rc2-64 rc2-128; do
		oenc "$W/$c.msg" -"$c" -provider legacy -provider default -in "$W/entity.lf" "$S.pem" "$D.pem"
		smime_der "$W/$c.msg" "$W/$c.der"
		print_cms "$c" -inform DER -in "$W/$c.der" &&
			has "$c" "$W/$c.print" 'rc2-cbc' "openssl -$c did not use RC2-CBC"
		xd "$c" 0 --cert "$S.pem" --key "$S.key" --in "$W/$c.msg" &&
			got "$c" "$W/$c.out" "$W/entity.crlf"
		xd "$c-direct" 0 --key "$D.key" --in "$W/$c.der" &&
			got "$c-direct" "$W/$c-direct.out" "$W/entity.crlf"
	done
else
	echo "# openssl legacy provider unavailable: RC2 checks skipped" >&2
fi

finish
