#!/bin/bash
# Options of `xe2e sign`, each checked by `openssl cms -verify`: every --digest (and the
# micalg it implies, modern and --compat rfc3923), --chain, --certs always|never (openssl
# then given the signer with -certfile), the DSA signer, the direct signer, and every key
# form: PKCS#8 PEM/DER, PKCS#1 PEM/DER, encrypted PKCS#8 PEM/DER with --pass-file and
# --pass-fd. A wrong passphrase must fail with nothing on stdout.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/interop.sh"

make_entity
K="--cert $PKI/signer.pem --key $PKI/signer.key --chain $PKI/chain.pem"

# ncerts NAME FILE [inform]: number of certificates openssl finds in the SignedData.
ncerts() {
	openssl cms -cmsout -print -noout -in "$2" ${3:+-inform "$3"} 2>/dev/null |
		grep -c '^ *cert_info:'
}

# 1. Digests: openssl verifies; micalg and digestAlgorithm are the ones asked for.
for md in sha1 sha256 sha384 sha512; do
	case $md in
	sha1) oid=1.3.14.3.2.26 mic=sha-1 ;;
	sha256) oid=2.16.840.1.101.3.4.2.1 mic=sha-256 ;;
	sha384) oid=2.16.840.1.101.3.4.2.2 mic=sha-384 ;;
	sha512) oid=2.16.840.1.101.3.4.2.3 mic=sha-512 ;;
	esac
	if xs "md-$md" 0 $K --digest "$md" --in "$W/entity.crlf"; then
		ov "md-$md" -in "$W/md-$md.msg" && same "md-$md" "$W/md-$md.ov" "$W/entity.crlf"
		got=$(mime_param "$(mime_header "$W/md-$md.msg" Content-Type)" micalg | tr 'A-Z' 'a-z')
		ncheck=$((ncheck + 1))
		[ "$got" = "$mic" ] || check_fail "md-$md: micalg is '$got', want $mic"
		if print_cms "md-$md" -in "$W/md-$md.msg"; then
			has "md-$md" "$W/md-$md.print" "^ *algorithm: .*\\($oid\\)" "digestAlgorithm is not $md"
		fi
	fi
	# --compat rfc3923: RFC 3851 micalg spelling
	if xs "compat-$md" 0 $K --digest "$md" --compat rfc3923 --in "$W/entity.crlf"; then
		ov "compat-$md" -in "$W/compat-$md.msg" &&
			same "compat-$md" "$W/compat-$md.ov" "$W/entity.crlf"
		got=$(mime_param "$(mime_header "$W/compat-$md.msg" Content-Type)" micalg | tr 'A-Z' 'a-z')
		ncheck=$((ncheck + 1))
		[ "$got" = "${mic/-/}" ] || check_fail "compat-$md: micalg is '$got', want ${mic/-/}"
	fi
	# DER, embedded
	if xs "mdd-$md" 0 $K --digest "$md" --outform der --opaque --in "$W/entity.crlf"; then
		ov "mdd-$md" -inform DER -in "$W/mdd-$md.msg" && same "mdd-$md" "$W/mdd-$md.ov" "$W/entity.crlf"
		ncheck=$((ncheck + 1))
		d=$(cms_digest "$W/mdd-$md.msg")
		[ "$d" = "$md" ] || check_fail "mdd-$md: openssl reads digestAlgorithm '$d', want $md"
	fi
done

# 2. --chain: the intermediate travels in the message; openssl gets only the root.
if xs chain 0 $K --outform der --opaque --in "$W/entity.crlf"; then
	ov chain -inform DER -in "$W/chain.msg" && same chain "$W/chain.ov" "$W/entity.crlf"
	n=$(ncerts chain "$W/chain.msg" DER)
	ncheck=$((ncheck + 1))
	[ "$n" = 2 ] || check_fail "chain: $n certificates in the message, want 2 (signer, inter)"
fi
# without --chain the message holds the signer only; openssl must be given the
# intermediate (as a trusted certificate: see OV_CAFILE in interop.sh)
cat "$PKI/ca.pem" "$PKI/inter.pem" >"$W/ca+inter.pem"
if xs nochain 0 --cert "$PKI/signer.pem" --key "$PKI/signer.key" --outform der --opaque --in "$W/entity.crlf"; then
	n=$(ncerts nochain "$W/nochain.msg" DER)
	ncheck=$((ncheck + 1))
	[ "$n" = 1 ] || check_fail "nochain: $n certificates in the message, want 1 (the signer)"
	OV_CAFILE=$W/ca+inter.pem ov nochain -inform DER -in "$W/nochain.msg" &&
		same nochain "$W/nochain.ov" "$W/entity.crlf"
fi

# 3. --certs never: no certificate at all; openssl is given the signer (and inter).
if xs never 0 --cert "$PKI/signer.pem" --key "$PKI/signer.key" --certs never --in "$W/entity.crlf"; then
	n=$(ncerts never "$W/never.msg")
	ncheck=$((ncheck + 1))
	[ "$n" = 0 ] || check_fail "never: $n certificates in the message, want 0"
	OV_CAFILE=$W/ca+inter.pem ov never -in "$W/never.msg" -certfile "$PKI/signer.pem" &&
		same never "$W/never.ov" "$W/entity.crlf"
	# and without the signer's certificate openssl cannot verify it (really no certs)
	ncheck=$((ncheck + 1))
	openssl cms -verify -CAfile "$W/ca+inter.pem" -in "$W/never.msg" -out /dev/null 2>/dev/null &&
		check_fail "never: openssl verified a --certs never message without the signer certificate"
fi
if xs never-d 0 --cert "$PKI/direct.pem" --key "$PKI/direct.key" --certs never --outform der --opaque --in "$W/entity.crlf"; then
	ov never-d -inform DER -in "$W/never-d.msg" -certfile "$PKI/direct.pem" &&
		same never-d "$W/never-d.ov" "$W/entity.crlf"
fi

# 4. --certs always: at least the signer's certificate.
if xs always 0 --cert "$PKI/direct.pem" --key "$PKI/direct.key" --certs always --in "$W/entity.crlf"; then
	n=$(ncerts always "$W/always.msg")
	ncheck=$((ncheck + 1))
	[ "$n" -ge 1 ] || check_fail "always: $n certificates in the message, want >= 1"
	ov always -in "$W/always.msg" && same always "$W/always.ov" "$W/entity.crlf"
fi

# 5. DSA-2048 signer, default digest and sha256/sha1 explicitly, S/MIME and DER.
for md in "" sha256 sha1; do
	n=dsa${md:+-$md}
	if xs "$n" 0 --cert "$PKI/dsa.pem" --key "$PKI/dsa.key" ${md:+--digest "$md"} --in "$W/entity.crlf"; then
		ov "$n" -in "$W/$n.msg" && same "$n" "$W/$n.ov" "$W/entity.crlf"
		if print_cms "$n" -in "$W/$n.msg"; then
			# the SignerInfo's signatureAlgorithm: id-dsa or id-dsa-with-sha1/sha2
			awk '/^ *signerInfos:/ { s = 1 } s && /signatureAlgorithm:/ { getline; print; exit }' \
				"$W/$n.print" >"$W/$n.sigalg"
			has "$n" "$W/$n.sigalg" '\((1\.2\.840\.10040\.4\.[13]|2\.16\.840\.1\.101\.3\.4\.3\.[1-4])\)' \
				"SignerInfo signatureAlgorithm is not DSA: $(cat "$W/$n.sigalg")"
		fi
	fi
done
if xs dsa-der 0 --cert "$PKI/dsa.pem" --key "$PKI/dsa.key" --outform der --in "$W/entity.crlf"; then
	ov dsa-der -inform DER -in "$W/dsa-der.msg" -binary -content "$W/entity.crlf" &&
		same dsa-der "$W/dsa-der.ov" "$W/entity.crlf"
fi

# 6. Key forms.
for k in signer.key signer-key.der signer-pkcs1.key signer-pkcs1-key.der; do
	[ -f "$PKI/$k" ] || { echo "test PKI lacks $k" >&2; exit 99; }
	if xs "key-$k" 0 --cert "$PKI/signer.pem" --key "$PKI/$k" --chain "$PKI/chain.pem" --in "$W/entity.crlf"; then
		ov "key-$k" -in "$W/key-$k.msg" && same "key-$k" "$W/key-$k.ov" "$W/entity.crlf"
	fi
done
# encrypted PKCS#8 (PEM and DER), passphrase from a file and from a descriptor
for k in signer.p8 signer-p8.der; do
	[ -f "$PKI/$k" ] || { echo "test PKI lacks $k" >&2; exit 99; }
	if xs "pf-$k" 0 --cert "$PKI/signer.pem" --key "$PKI/$k" --pass-file "$PKI/signer.pass" \
		--chain "$PKI/chain.pem" --in "$W/entity.crlf"; then
		ov "pf-$k" -in "$W/pf-$k.msg" && same "pf-$k" "$W/pf-$k.ov" "$W/entity.crlf"
	fi
	ncheck=$((ncheck + 1))
	"$XE2E" sign --cert "$PKI/signer.pem" --key "$PKI/$k" --pass-fd 3 --chain "$PKI/chain.pem" \
		--in "$W/entity.crlf" 3<"$PKI/signer.pass" >"$W/pd-$k.msg" 2>"$W/pd-$k.err"
	rc=$?
	if [ "$rc" != 0 ]; then
		check_fail "pd-$k: 'xe2e sign --pass-fd 3' exited $rc: $(head -c 300 "$W/pd-$k.err")"
	else
		ov "pd-$k" -in "$W/pd-$k.msg" && same "pd-$k" "$W/pd-$k.ov" "$W/entity.crlf"
	fi
done
# the same key made here by openssl with other PBES2 parameters (aes-128-cbc, sha1 PRF)
printf 'another secret' >"$W/other.pass"
openssl pkcs8 -topk8 -in "$PKI/signer.key" -v2 aes-128-cbc -v2prf hmacWithSHA1 \
	-passout file:"$W/other.pass" -out "$W/other.p8" 2>/dev/null || exit 99
if xs pf-other 0 --cert "$PKI/signer.pem" --key "$W/other.p8" --pass-file "$W/other.pass" \
	--chain "$PKI/chain.pem" --in "$W/entity.crlf"; then
	ov pf-other -in "$W/pf-other.msg" && same pf-other "$W/pf-other.ov" "$W/entity.crlf"
fi
# wrong passphrase: a failure, nothing on stdout
printf 'not the pass' >"$W/wrong.pass"
ncheck=$((ncheck + 1))
"$XE2E" sign --cert "$PKI/signer.pem" --key "$PKI/signer.p8" --pass-file "$W/wrong.pass" \
	--in "$W/entity.crlf" >"$W/wrong.msg" 2>"$W/wrong.err"
rc=$?
if [ "$rc" = 0 ]; then
	check_fail "wrong-pass: xe2e sign succeeded with a wrong passphrase"
elif [ -s "$W/wrong.msg" ]; then
	check_fail "wrong-pass: exit $rc but stdout not empty"
fi
# key that does not belong to the certificate
ncheck=$((ncheck + 1))
"$XE2E" sign --cert "$PKI/signer.pem" --key "$PKI/direct.key" --in "$W/entity.crlf" \
	>"$W/mismatch.msg" 2>"$W/mismatch.err"
rc=$?
if [ "$rc" = 0 ]; then
	if openssl cms -verify -CAfile "$W/ca+inter.pem" -in "$W/mismatch.msg" \
		-out /dev/null 2>/dev/null; then
		check_fail "mismatch: a signature by direct.key verified as signer.pem"
	else
		check_fail "mismatch: xe2e sign accepted a key that does not match --cert (output unverifiable)"
	fi
elif [ -s "$W/mismatch.msg" ]; then
	check_fail "mismatch: exit $rc but stdout not empty"
fi

finish
