#!/bin/bash
# What openssl reads in the SignedData that `xe2e sign` writes: the signed attributes
# contentType (id-data), messageDigest, signingTime (UTCTime up to 2049, GeneralizedTime
# from 2050; --signing-time with Z and with an offset), sMIMECapabilities and an ESS
# signing-certificate attribute (id-smime-aa-signingCertificate or V2); the signer
# openssl resolves is the --cert given; RSA and DSA signers.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/interop.sh"

make_entity

# attrs NAME FILE: the five attributes, by OID, in openssl's dump of FILE (DER).
attrs() {
	print_cms "$1" -inform DER -in "$2" || return 1
	has "$1" "$W/$1.print" 'object: .*\(1\.2\.840\.113549\.1\.9\.3\)' "no contentType attribute"
	has "$1" "$W/$1.print" 'OBJECT:.*\(1\.2\.840\.113549\.1\.7\.1\)' "contentType is not id-data"
	has "$1" "$W/$1.print" 'object: .*\(1\.2\.840\.113549\.1\.9\.4\)' "no messageDigest attribute"
	has "$1" "$W/$1.print" 'object: .*\(1\.2\.840\.113549\.1\.9\.5\)' "no signingTime attribute"
	has "$1" "$W/$1.print" 'object: .*\(1\.2\.840\.113549\.1\.9\.15\)' "no sMIMECapabilities attribute"
	has "$1" "$W/$1.print" 'object: .*\(1\.2\.840\.113549\.1\.9\.16\.2\.(12|47)\)' \
		"no ESS signingCertificate / signingCertificateV2 attribute"
	has "$1" "$W/$1.print" '^ *signedAttrs:' "no signedAttrs"
}

# signer_is NAME MSG CERT [openssl options]: openssl -signer writes the certificate it
# verified with; it must be CERT.
signer_is() {
	ncheck=$((ncheck + 1))
	if ! openssl cms -verify -CAfile "$PKI/ca.pem" -purpose smimesign "${@:4}" -in "$2" \
		-signer "$W/$1.signer" -out /dev/null 2>"$W/$1.sigerr"; then
		check_fail "$1: openssl cms -verify failed: $(head -c 300 "$W/$1.sigerr")"
		return 1
	fi
	a=$(openssl x509 -in "$W/$1.signer" -outform DER 2>/dev/null | od -An -tx1 | tr -d ' \n')
	b=$(openssl x509 -in "$3" -outform DER 2>/dev/null | od -An -tx1 | tr -d ' \n')
	[ -n "$a" ] && [ "$a" = "$b" ] || check_fail "$1: openssl resolved another signer than $(basename "$3")"
}

# 1. RSA signer under the intermediate.
if xs rsa 0 --cert "$PKI/signer.pem" --key "$PKI/signer.key" --chain "$PKI/chain.pem" \
	--outform der --opaque --in "$W/entity.crlf"; then
	attrs rsa "$W/rsa.msg"
	signer_is rsa "$W/rsa.msg" "$PKI/signer.pem" -inform DER
	# the messageDigest is the SHA-256 of the content
	want=$(openssl dgst -sha256 -binary "$W/entity.crlf" | od -An -tx1 | tr -d ' \n')
	got=$(perl -0777 -ne 'print unpack("H*", $1) if /\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x09\x04\x31\x22\x04\x20(.{32})/s' "$W/rsa.msg")
	ncheck=$((ncheck + 1))
	[ "$got" = "$want" ] || check_fail "rsa: messageDigest is '$got', want SHA-256 of the content $want"
fi

# 2. Default multipart/signed: the same attributes in the detached signature.
if xs mp 0 --cert "$PKI/direct.pem" --key "$PKI/direct.key" --in "$W/entity.lf"; then
	openssl cms -cmsout -in "$W/mp.msg" -outform DER -out "$W/mp.der" 2>/dev/null ||
		{ ncheck=$((ncheck + 1)); check_fail "mp: openssl cannot read the multipart/signed"; }
	[ -s "$W/mp.der" ] && attrs mp "$W/mp.der"
	signer_is mp "$W/mp.msg" "$PKI/direct.pem"
fi

# 3. DSA signer.
if xs dsa 0 --cert "$PKI/dsa.pem" --key "$PKI/dsa.key" --outform der --opaque --in "$W/entity.crlf"; then
	attrs dsa "$W/dsa.msg"
	signer_is dsa "$W/dsa.msg" "$PKI/dsa.pem" -inform DER
fi

# 4. --signing-time: UTCTime for 2026, the same instant given with an offset,
#    GeneralizedTime for 2051 (RFC 5652 §11.3).
st() {
	n=$1 t=$2 want=$3
	if xs "$n" 0 --cert "$PKI/direct.pem" --key "$PKI/direct.key" --signing-time "$t" \
		--outform der --opaque --in "$W/entity.crlf"; then
		ov "$n" -inform DER -in "$W/$n.msg" && same "$n" "$W/$n.ov" "$W/entity.crlf"
		got=$(cms_signing_time "$W/$n.msg")
		ncheck=$((ncheck + 1))
		[ "$got" = "$want" ] || check_fail "$n: --signing-time $t: openssl reads '$got', want '$want'"
		print_cms "$n" -inform DER -in "$W/$n.msg" &&
			case $t in
			2051*) has "$n" "$W/$n.print" 'GENERALIZEDTIME:' "signingTime in 2051 is not GeneralizedTime" ;;
			*) has "$n" "$W/$n.print" 'UTCTIME:' "signingTime before 2050 is not UTCTime" ;;
			esac
	fi
}
st st-z 2026-01-02T03:04:05Z 'Jan  2 03:04:05 2026 GMT'
st st-off 2026-01-02T05:04:05+02:00 'Jan  2 03:04:05 2026 GMT'
st st-neg 2026-01-01T22:34:05-04:30 'Jan  2 03:04:05 2026 GMT'
st st-2049 2049-12-31T23:59:59Z 'Dec 31 23:59:59 2049 GMT'
st st-2051 2051-06-07T08:09:10Z 'Jun  7 08:09:10 2051 GMT'

# 5. Without --signing-time the time is now (within ten minutes).
if xs now 0 --cert "$PKI/direct.pem" --key "$PKI/direct.key" --outform der --opaque --in "$W/entity.crlf"; then
	got=$(cms_signing_time "$W/now.msg")
	ncheck=$((ncheck + 1))
	gs=$(date -u -d "$got" +%s 2>/dev/null)
	ns=$(date -u +%s)
	if [ -z "$gs" ]; then
		check_fail "now: cannot read signingTime '$got'"
	elif [ $((ns - gs)) -gt 600 ] || [ $((gs - ns)) -gt 600 ]; then
		check_fail "now: signingTime '$got' is more than 10 minutes from the clock"
	fi
fi

finish
