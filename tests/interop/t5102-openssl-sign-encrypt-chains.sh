#!/bin/bash
# Sign-then-encrypt across tools, in both orders, each as one pipeline (RFC 3851 §3.4:
# the signed S/MIME message is the entity that gets encrypted):
#   xe2e sign | openssl cms -encrypt      -> openssl cms -decrypt | xe2e verify
#   openssl cms -sign | xe2e encrypt      -> xe2e decrypt | openssl cms -verify
#   xe2e sign | xe2e encrypt              -> openssl cms -decrypt | openssl cms -verify
#   openssl cms -sign | openssl -encrypt  -> xe2e decrypt | xe2e verify
# for detached (multipart/signed) and opaque signing, text and -binary modes. The content
# at the end of each chain must be the canonical (CRLF) entity. A tampered ciphertext and
# a wrong decryption key must break the chain (so the chain checks can fail).
here=$(cd "$(dirname "$0")" && pwd)
. "$here/interop.sh"

make_entity

# chain NAME PIPELINE: run PIPELINE (a bash string, pipefail) with the final content in
# $W/NAME.out; every stage must succeed and the content must be the CRLF entity.
chain() {
	_n=$1
	ncheck=$((ncheck + 1))
	if ! bash -o pipefail -c "$2" >"$W/$_n.out" 2>"$W/$_n.err" </dev/null; then
		check_fail "$_n: chain failed: $2: $(grep -v 'Verification successful' "$W/$_n.err" | head -c 400)"
		return 1
	fi
	ncheck=$((ncheck + 1))
	if ! cmp -s "$W/$_n.out" "$W/entity.crlf"; then
		check_fail "$_n: content at the end of the chain differs from the entity: $(cmp "$W/$_n.out" "$W/entity.crlf" 2>&1 | head -n 1)"
		return 1
	fi
	return 0
}
# chain_fails NAME PIPELINE: the pipeline must fail and give no content.
chain_fails() {
	_n=$1
	ncheck=$((ncheck + 1))
	if bash -o pipefail -c "$2" >"$W/$_n.out" 2>"$W/$_n.err" </dev/null; then
		check_fail "$_n: chain succeeded, want a failure: $2"
		return 1
	fi
	return 0
}

X=$(printf '%q' "$XE2E")
E=$(printf '%q' "$W/entity.lf")
P=$PKI
XSIGN="$X sign --cert $P/signer.pem --key $P/signer.key --chain $P/chain.pem"
OSIGN="openssl cms -sign -signer $P/signer.pem -inkey $P/signer.key -certfile $P/chain.pem"
XVER="$X verify --ca $P/ca.pem"
OVER="openssl cms -verify -CAfile $P/ca.pem -purpose smimesign"
XENC="$X encrypt --recip $P/direct.pem"
OENC="openssl cms -encrypt"
XDEC="$X decrypt --key $P/direct.key"
ODEC="openssl cms -decrypt -inkey $P/direct.key"

# 1. xe2e sign | openssl encrypt -> openssl decrypt | xe2e verify
for mode in det opq; do
	[ $mode = opq ] && o=--opaque || o=
	chain "xs-oe-$mode" "$XSIGN $o --in $E | $OENC -aes256 $P/direct.pem | $ODEC | $XVER"
	chain "xs-oe-$mode-bin" "$XSIGN $o --in $E | $OENC -binary -aes128 -stream $P/direct.pem | $ODEC -binary | $XVER"
done

# 2. openssl sign | xe2e encrypt -> xe2e decrypt | openssl verify
for mode in det opq; do
	[ $mode = opq ] && o=-nodetach || o=
	chain "os-xe-$mode" "$OSIGN $o -in $E | $XENC --cipher aes192 | $XDEC | $OVER"
	chain "os-xe-$mode-der" "$OSIGN $o -in $E | $XENC --outform der --keyid | $XDEC --cert $P/direct.pem | $OVER"
	chain "os-xe-$mode-stream" "$OSIGN $o -stream -in $E | $XENC --stream --cipher des3 | $XDEC --stream | $OVER"
done

# 3. xe2e sign | xe2e encrypt -> openssl decrypt -> openssl verify
for mode in det opq; do
	[ $mode = opq ] && o=--opaque || o=
	chain "xs-xe-$mode" "$XSIGN $o --in $E | $XENC | $ODEC | $OVER"
	chain "xs-xe-$mode-der" "$XSIGN $o --in $E | $XENC --outform der --cipher aes256 | $ODEC -inform DER -binary | $OVER"
done
# ...with the sender's own copy (--cert): the sender decrypts with openssl too
chain xs-xe-self "$XSIGN --in $E | $XENC --cert $P/signer.pem | openssl cms -decrypt -inkey $P/signer.key -recip $P/signer.pem | $OVER"

# 4. openssl sign + openssl encrypt -> xe2e decrypt | xe2e verify
for mode in det opq; do
	[ $mode = opq ] && o=-nodetach || o=
	chain "os-oe-$mode" "$OSIGN $o -in $E | $OENC -aes128 $P/direct.pem $P/signer.pem | $XDEC | $XVER"
	chain "os-oe-$mode-der" "$OSIGN $o -in $E | $OENC -des3 -outform DER $P/direct.pem | $XDEC | $XVER"
	chain "os-oe-$mode-stream" "$OSIGN $o -stream -in $E | $OENC -aes256 -stream -outform DER $P/direct.pem | $XDEC | $XVER"
done
# The signed message written to a file with LF line ends everywhere before encryption
# (how a Unix tool might hand it over): still verifies after the round trip.
bash -o pipefail -c "$OSIGN -in $E" 2>/dev/null | tr -d '\r' >"$W/signed-lf.msg" || exit 99
chain os-lf-xe "$XENC --in $W/signed-lf.msg | $XDEC | $XVER"

# 5. Negative: the chain must break on a wrong key and on a tampered ciphertext.
chain_fails wrong-key "$XSIGN --in $E | $XENC | $X decrypt --key $P/signer.key | $XVER"
bash -o pipefail -c "$XSIGN --in $E | $OENC -aes128 -outform DER $P/direct.pem" >"$W/t.der" 2>/dev/null || exit 99
perl -e 'open F, "+<", $ARGV[0] or die; seek F, -40, 2; read F, $b, 1; seek F, -40, 2; print F chr(ord($b) ^ 1)' "$W/t.der"
chain_fails tampered "$XDEC --in $W/t.der | $XVER"
# ...and the untampered one goes through (the tamper check is not vacuous)
bash -o pipefail -c "$XSIGN --in $E | $OENC -aes128 -outform DER $P/direct.pem" >"$W/u.der" 2>/dev/null || exit 99
chain untampered "$XDEC --in $W/u.der | $XVER"

finish
