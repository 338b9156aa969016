#!/bin/bash
# gpgsm as a second peer (DESIGN §7): `gpgsm --verify` accepts what `xe2e sign` writes
# (detached DER with the content file, opaque DER with --output, each digest), and
# `xe2e verify` accepts what `gpgsm --sign` / `--detach-sign` writes.
# RSA only: gpgsm 2.2 cannot verify CMS DSA signatures ("no signature value available").
# Skips (77) without gpgsm. Throw-away GNUPGHOME; its gpg-agent is stopped on exit.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/interop.sh"

make_entity
gpgsm_home "$PKI/ca.pem" "$PKI/inter.pem"

# gv NAME GPGSM-ARGS...: gpgsm --verify must report GOODSIG and VALIDSIG and no BADSIG.
gv() {
	_n=$1
	shift
	ncheck=$((ncheck + 1))
	$G --status-fd 1 "$@" >"$W/$_n.gstatus" 2>"$W/$_n.glog"
	_rc=$?
	if [ "$_rc" != 0 ] || ! grep -q '^\[GNUPG:\] GOODSIG' "$W/$_n.gstatus" ||
		! grep -q '^\[GNUPG:\] VALIDSIG' "$W/$_n.gstatus" || grep -q '^\[GNUPG:\] BADSIG' "$W/$_n.gstatus"; then
		check_fail "$_n: gpgsm $* (exit $_rc): $(tr '\n' ' ' <"$W/$_n.glog" | head -c 400)"
		return 1
	fi
	return 0
}

K="--cert $PKI/signer.pem --key $PKI/signer.key --chain $PKI/chain.pem"

# 1. xe2e → gpgsm, detached DER and opaque DER, each digest.
for md in sha256 sha1 sha384 sha512; do
	if xs "det-$md" 0 $K --digest "$md" --outform der --in "$W/entity.crlf"; then
		gv "det-$md" --verify "$W/det-$md.msg" "$W/entity.crlf"
	fi
	if xs "opq-$md" 0 $K --digest "$md" --outform der --opaque --in "$W/entity.crlf"; then
		gv "opq-$md" --output "$W/opq-$md.gout" --verify "$W/opq-$md.msg" &&
			same "opq-$md" "$W/opq-$md.gout" "$W/entity.crlf"
	fi
done
# the signer directly under the root, LF input (xe2e signs the CRLF form)
if xs direct 0 --cert "$PKI/direct.pem" --key "$PKI/direct.key" --outform der --in "$W/entity.lf"; then
	gv direct --verify "$W/direct.msg" "$W/entity.crlf"
fi

# 2. The forgery check: gpgsm must reject changed content (so step 1 can fail).
ncheck=$((ncheck + 1))
if [ -f "$W/det-sha256.msg" ]; then
	perl -pe 's/Romeo/Romea/' "$W/entity.crlf" >"$W/entity-t.crlf"
	$G --status-fd 1 --verify "$W/det-sha256.msg" "$W/entity-t.crlf" >"$W/forged.gstatus" 2>/dev/null
	grep -q '^\[GNUPG:\] GOODSIG' "$W/forged.gstatus" &&
		check_fail "forged: gpgsm accepted changed content (the gpgsm checks above prove nothing)"
fi

# 3. gpgsm → xe2e: import the signer's key from PKCS#12, sign, verify with xe2e.
gpgsm_import_p12 "$PKI/signer.pem" "$PKI/signer.key" "$W/signer.p12"
fpr=$(openssl x509 -in "$PKI/signer.pem" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g')
GS="$G --pinentry-mode loopback --passphrase-fd 0 -u $fpr --include-certs -1"

echo p12pass | $GS --detach-sign --output "$W/g-det.der" "$W/entity.crlf" >"$W/gsign.log" 2>&1 ||
	{ cat "$W/gsign.log" >&2; echo "gpgsm --detach-sign failed" >&2; exit 99; }
xv g-det 0 --in "$W/g-det.der" --content "$W/entity.crlf" --ca "$PKI/ca.pem" &&
	same g-det "$W/g-det.out" "$W/entity.crlf"
xv g-det-forged 4 --in "$W/g-det.der" --content "$W/entity-t.crlf" --ca "$PKI/ca.pem"

echo p12pass | $GS --sign --output "$W/g-opq.der" "$W/entity.crlf" >"$W/gsign2.log" 2>&1 ||
	{ cat "$W/gsign2.log" >&2; echo "gpgsm --sign failed" >&2; exit 99; }
xv g-opq 0 --in "$W/g-opq.der" --ca "$PKI/ca.pem" && same g-opq "$W/g-opq.out" "$W/entity.crlf"

# gpgsm's signer alone in the message (--include-certs 1): the intermediate via --certfile
echo p12pass | $G --pinentry-mode loopback --passphrase-fd 0 -u "$fpr" --include-certs 1 \
	--sign --output "$W/g-one.der" "$W/entity.crlf" >"$W/gsign3.log" 2>&1 ||
	{ cat "$W/gsign3.log" >&2; echo "gpgsm --sign --include-certs 1 failed" >&2; exit 99; }
xv g-one 0 --in "$W/g-one.der" --ca "$PKI/ca.pem" --certfile "$PKI/inter.pem" &&
	same g-one "$W/g-one.out" "$W/entity.crlf"

finish
