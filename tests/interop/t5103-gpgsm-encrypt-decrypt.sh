#!/bin/bash
# gpgsm as a second peer for enveloped-data (DESIGN §7): what `gpgsm --encrypt` writes for a
# recipient (each --cipher-algo gpgsm offers; gpgsm writes indefinite-length BER) decrypts
# with `xe2e decrypt`, and what `xe2e encrypt` writes (each --cipher, DER and --stream
# BER, --keyid, several recipients) decrypts with `gpgsm --decrypt`, to the entity.
# Skips (77) without gpgsm. Throw-away GNUPGHOME; its gpg-agent is stopped on exit.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/interop.sh"

make_entity
gpgsm_home "$PKI/ca.pem" "$PKI/inter.pem" "$PKI/direct.pem" "$PKI/signer.pem"
fpr() { openssl x509 -in "$1" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g'; }
DFP=$(fpr "$PKI/direct.pem")
SFP=$(fpr "$PKI/signer.pem")

# xd NAME WANT ARGS...: `xe2e decrypt ARGS`, stdout in $W/NAME.out, status must be WANT.
xd() { _n=$1; shift; _x decrypt "$_n" "$W/$_n.out" "$@"; }
xe() { _n=$1; shift; _x encrypt "$_n" "$W/$_n.msg" "$@"; }
got() {
	ncheck=$((ncheck + 1))
	if ! cmp -s "$2" "$3"; then
		check_fail "$1: decrypted content differs from the entity: $(cmp "$2" "$3" 2>&1 | head -n 1)"
		return 1
	fi
	return 0
}

# 1. gpgsm --encrypt -> xe2e decrypt, each cipher; gpgsm also encrypts for the signer, so
#    the message has two recipients and xe2e must pick its own.
for a in AES AES192 AES256 3DES; do
	$G --cipher-algo "$a" --encrypt -r "$DFP" -r "$SFP" --output "$W/g-$a.der" "$W/entity.crlf" \
		>"$W/genc-$a.log" 2>&1 ||
		{ cat "$W/genc-$a.log" >&2; echo "gpgsm --encrypt --cipher-algo $a failed" >&2; exit 99; }
	xd "g-$a" 0 --key "$PKI/direct.key" --cert "$PKI/direct.pem" --in "$W/g-$a.der" &&
		got "g-$a" "$W/g-$a.out" "$W/entity.crlf"
	xd "g-$a-signer" 0 --key "$PKI/signer.key" --in "$W/g-$a.der" &&
		got "g-$a-signer" "$W/g-$a-signer.out" "$W/entity.crlf"
done
# someone else cannot
xd g-not 5 --key "$PKI/noku.key" --in "$W/g-AES.der"
# gpgsm --armor writes "-----BEGIN ENCRYPTED MESSAGE-----" PEM, which xe2e does not claim
# to read; not checked.

# 2. xe2e encrypt -> gpgsm --decrypt: gpgsm needs the private key, from PKCS#12.
gpgsm_import_p12 "$PKI/direct.pem" "$PKI/direct.key" "$W/direct.p12"

# gd NAME FILE: gpgsm --decrypt FILE must succeed and give the entity.
gd() {
	ncheck=$((ncheck + 1))
	if ! echo p12pass | $G --pinentry-mode loopback --passphrase-fd 0 --decrypt \
		--output "$W/$1.gout" "$2" >"$W/$1.glog" 2>&1; then
		check_fail "$1: gpgsm --decrypt $(basename "$2") failed: $(tr '\n' ' ' <"$W/$1.glog" | head -c 400)"
		return 1
	fi
	got "$1" "$W/$1.gout" "$W/entity.crlf"
}

for c in aes128 aes192 aes256 des3; do
	xe "x-$c" 0 --recip "$PKI/direct.pem" --cipher "$c" --outform der --no-stream --in "$W/entity.lf" &&
		gd "x-$c" "$W/x-$c.msg"
	xe "x-$c-st" 0 --recip "$PKI/direct.pem" --cipher "$c" --outform der --stream --in "$W/entity.lf" &&
		gd "x-$c-st" "$W/x-$c-st.msg"
done
xe x-multi 0 --recip "$PKI/signer.pem" --recip "$PKI/direct.pem" --recip "$PKI/noku.pem" \
	--outform der --in "$W/entity.lf" && gd x-multi "$W/x-multi.msg"
xe x-self 0 --recip "$PKI/signer.pem" --cert "$PKI/direct.pem" --outform der --in "$W/entity.lf" &&
	gd x-self "$W/x-self.msg"
# --keyid: gpgsm 2.2 looks recipients up by issuer and serial only; report, do not fail.
if xe x-keyid 0 --recip "$PKI/direct.pem" --keyid --outform der --in "$W/entity.lf"; then
	if echo p12pass | $G --pinentry-mode loopback --passphrase-fd 0 --decrypt \
		--output "$W/x-keyid.gout" "$W/x-keyid.msg" >"$W/x-keyid.glog" 2>&1; then
		got x-keyid "$W/x-keyid.gout" "$W/entity.crlf"
	else
		echo "# gpgsm $(gpgsm --version | head -n 1 | awk '{print $3}') cannot decrypt a subjectKeyIdentifier recipient: not checked" >&2
	fi
fi
# and gpgsm must refuse what is not for it (so the checks above can fail)
ncheck=$((ncheck + 1))
if xe x-other 0 --recip "$PKI/signer.pem" --outform der --in "$W/entity.lf"; then
	echo p12pass | $G --pinentry-mode loopback --passphrase-fd 0 --decrypt \
		--output "$W/x-other.gout" "$W/x-other.msg" >/dev/null 2>&1 &&
		check_fail "x-other: gpgsm decrypted a message not encrypted for a key it holds"
fi

finish
