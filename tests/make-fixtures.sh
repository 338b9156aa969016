#!/bin/bash
# make-fixtures.sh OUTDIR -- the reproducible fixture corpus (`make fixtures`).
#
# Writes into OUTDIR (created; must be empty or missing):
#   pki/            `xe2e pki init` with a fixed seed and time (file names: man xe2e-pki)
#   *.eml *.der *.xml  signed, encrypted, nested and wrapped objects
#   manifest.json   one entry per object: file, what it is, the expected
#                   verdict ("ok", "bad signature", "invalid certificate") and
#                   the exit status that gives (0, 4, 6), the keys and
#                   certificates to use (paths in OUTDIR), the command that
#                   checks it (run in OUTDIR, the object on standard input),
#                   and whether it needs a fresh state directory
#                   (XE2E_STATE_DIR) for the replay memory
# Every random value comes from --fixture-seed and every time is fixed, so two
# runs with the same xe2e write the same bytes (tests/cli/t1202 checks it).
# The objects verify at AT below; the certificates are valid for ten years
# from NOW.
#
# XE2E: the binary (default: xe2e on PATH).  Needs python3 (tests/x400-ipm.py
# writes the X.400 message).
set -eu
XE2E=${XE2E:-xe2e}
here=$(cd "$(dirname -- "$0")" && pwd)
out=${1:?usage: make-fixtures.sh OUTDIR}
NOW=2026-01-01T00:00:00Z          # the PKI's "now"
STIME=2026-01-01T01:00:00Z        # signing times and stanza timestamps
AT=2026-01-01T01:02:00Z           # when the checks validate
if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
	echo "make-fixtures.sh: '$out' is not empty" >&2
	exit 1
fi
mkdir -p "$out"
cd "$out"
state=$(mktemp -d "${TMPDIR:-/tmp}/xe2e-fixtures.XXXXXX")
trap 'rm -rf "$state"' EXIT

# run xe2e; the tests-only warning of --fixture-seed is expected, anything
# else on stderr is shown, and a failure stops the script
x() {
	local rc=0
	"$XE2E" "$@" 2> "$state/err" || rc=$?
	grep -v -e '--fixture-seed: every random value' "$state/err" >&2 || :
	[ $rc = 0 ] || { echo "make-fixtures.sh: xe2e $1 failed ($rc)" >&2; exit 1; }
}

x pki init pki --fixture-seed 5eed0001 --now "$NOW" --user juliet@example.com \
	--user romeo@example.net --dsa --expired --revoked \
	--x400 'C=GB;ADMD= ;PRMD=Acme;O=Acme;S=Smith;G=John' -q
J=pki/juliet@example.com R=pki/romeo@example.net
printf 'Content-Type: text/plain; charset=utf-8\r\n\r\nWherefore art thou, Romeo?\r\n' > message.eml

n=0
entries=
# entry FILE WHAT EXIT FRESH_STATE CHECK...
entry() {
	local file=$1 what=$2 code=$3 fresh=$4 verdict keys
	shift 4
	n=$((n + 1))
	case $code in
	0) verdict=ok ;;
	4) verdict="bad signature" ;;
	6) verdict="invalid certificate" ;;
	*) echo "make-fixtures.sh: no verdict for exit $code" >&2; exit 1 ;;
	esac
	keys=$(printf '%s\n' "$@" | tr ' ' '\n' | grep '^pki/' | sort -u |
		sed 's/.*/"&"/' | paste -sd, - | sed 's/,/, /g')
	entries="$entries${entries:+,}
    {\"file\": \"$file\", \"what\": \"$what\", \"verdict\": \"$verdict\", \"exit\": $code,
     \"keys\": [$keys], \"fresh_state\": $fresh,
     \"check\": \"$*\"}"
}
SIGN="sign --signing-time $STIME"
VERIFY="xe2e verify --ca pki/ca.pem --at $AT"
seed() { printf '5eed%04x' "$1"; }

x $SIGN --cert $J.pem --key $J.key --chain pki/chain.pem --fixture-seed "$(seed 1)" \
	< message.eml > signed.eml
entry signed.eml "multipart/signed, RSA SHA-256, certificates included" 0 false "$VERIFY"
x $SIGN --cert $J.pem --key $J.key --chain pki/chain.pem --opaque --fixture-seed "$(seed 2)" \
	< message.eml > signed-opaque.eml
entry signed-opaque.eml "application/pkcs7-mime signed-data" 0 false "$VERIFY"
x $SIGN --cert $J.pem --key $J.key --chain pki/chain.pem --outform der \
	--fixture-seed "$(seed 3)" < message.eml > signed.der
entry signed.der "bare DER SignedData, detached content (message.eml)" 0 false \
	"$VERIFY --content message.eml"
x $SIGN --cert $J-dsa.pem --key $J-dsa.key --chain pki/chain.pem --digest sha256 \
	--fixture-seed "$(seed 4)" < message.eml > signed-dsa.eml
entry signed-dsa.eml "multipart/signed, DSA-2048 with SHA-256 (RFC 6979 nonce)" 0 false "$VERIFY"
x $SIGN --cert $J.pem --key $J.key --chain pki/chain.pem --digest sha1 --compat rfc3923 \
	--fixture-seed "$(seed 5)" < message.eml > signed-sha1.eml
entry signed-sha1.eml "multipart/signed, SHA-1, micalg=sha1 (RFC 3923 §6.10)" 0 false "$VERIFY"
sed 's/Romeo/Tybalt/' signed.eml > signed-tampered.eml
entry signed-tampered.eml "signed.eml with its content changed" 4 false "$VERIFY"
x $SIGN --cert pki/revoked.pem --key pki/revoked.key --chain pki/chain.pem \
	--fixture-seed "$(seed 6)" < message.eml > signed-revoked.eml
entry signed-revoked.eml "signed by a revoked certificate" 6 false \
	"$VERIFY --crl pki/crl.pem --crl-check require"
x $SIGN --cert pki/expired.pem --key pki/expired.key --chain pki/chain.pem \
	--fixture-seed "$(seed 7)" < message.eml > signed-expired.eml
entry signed-expired.eml "signed by an expired certificate" 6 false "$VERIFY"

DECRYPT="xe2e decrypt --cert $R.pem --key $R.key"
x encrypt --recip $R.pem --cert $J.pem --fixture-seed "$(seed 8)" < message.eml > encrypted.eml
entry encrypted.eml "EnvelopedData, AES-128-CBC, RSA key transport to romeo and juliet" 0 false \
	"$DECRYPT"
x encrypt --recip $R.pem --cipher des3 --keyid --fixture-seed "$(seed 9)" \
	< message.eml > encrypted-des3.eml
entry encrypted-des3.eml "EnvelopedData, 3DES, recipient by subjectKeyIdentifier" 0 false \
	"$DECRYPT"
x encrypt --recip $R.pem --cert $J.pem --fixture-seed "$(seed 10)" < signed.eml \
	> signed-encrypted.eml
entry signed-encrypted.eml "signed.eml encrypted (sign then encrypt)" 0 false \
	"$DECRYPT --ca pki/ca.pem --at $AT"
x $SIGN --cert $J.pem --key $J.key --chain pki/chain.pem --fixture-seed "$(seed 11)" \
	< signed-encrypted.eml > triple.eml
entry triple.eml "signed, encrypted, signed (RFC 2634 triple wrap)" 0 false \
	"$DECRYPT --ca pki/ca.pem --at $AT"

# X.400 content (RFC 3854): an X.420 IPM whose originator is x400-1's
# address (the hex: its BuiltInStandardAttributes, as in the certificate)
ORADDR=30286104130247426203130120a206130441636d65830441636d65a50d8005536d69746881044a6f686e
python3 "$here/x400-ipm.py" ipm.ber "$ORADDR" "Wherefore art thou, Romeo?"
X4=pki/x400-1
x $SIGN --cert $X4.pem --key $X4.key --chain pki/chain.pem --x400-type 22 --digest sha1 \
	--fixture-seed "$(seed 22)" < ipm.ber > x400-signed.der
entry x400-signed.der "signed-x400: SignedData over an IPM (id-mct-p2-1988), originator checked" \
	0 false "$VERIFY"
x encrypt --recip $R.pem --fixture-seed "$(seed 23)" < x400-signed.der > x400-se.der
x $SIGN --cert $X4.pem --key $X4.key --chain pki/chain.pem --mime --fixture-seed "$(seed 24)" \
	< x400-se.der > x400-triple.eml
rm x400-se.der
entry x400-triple.eml "RFC 3854 triple wrap of the IPM: signed, encrypted, signed (MIME)" 0 false \
	"$DECRYPT --ca pki/ca.pem --at $AT"

WRAP="wrap --cert $J.pem --key $J.key --chain pki/chain.pem --recip $R.pem --now $STIME"
UNWRAP="xe2e unwrap --cert $R.pem --key $R.key --ca pki/ca.pem --at $AT --now $AT"
printf "<message from='juliet@example.com/balcony' to='romeo@example.net' type='chat' id='m1'><body>Wherefore art thou, Romeo?</body></message>" \
	> stanza-message.xml
printf "<presence from='juliet@example.com/balcony' to='romeo@example.net'><show>away</show><status>at the window</status></presence>" \
	> stanza-presence.xml
printf "<iq from='juliet@example.com/balcony' to='romeo@example.net/orchard' type='get' id='v1'><query xmlns='jabber:iq:version'/></iq>" \
	> stanza-iq.xml
for k in message presence iq; do
	x $WRAP --state "$state/$k" --fixture-seed "$(seed $((12 + ${#k})))" \
		< stanza-$k.xml > wrapped-$k.xml
done
entry wrapped-message.xml "RFC 3923 <e2e/>: Message/CPIM, signed then encrypted" 0 true "$UNWRAP"
entry wrapped-presence.xml "RFC 3923 <e2e/>: PIDF, signed then encrypted" 0 true "$UNWRAP"
entry wrapped-iq.xml "RFC 3923 <e2e/>: application/xmpp+xml, signed then encrypted" 0 true \
	"$UNWRAP"

cat > manifest.json <<EOF
{
  "version": 1,
  "pki": "pki",
  "now": "$NOW",
  "at": "$AT",
  "count": $n,
  "objects": [$entries
  ]
}
EOF
