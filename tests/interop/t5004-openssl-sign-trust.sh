#!/bin/bash
# Certificate verdicts on messages `openssl cms -sign` made, table-driven: for each
# signer of the test PKI, xe2e's exit status is the expected one AND openssl's own
# `cms -verify -purpose smimesign` agrees (accept/reject), so both tools read the test
# PKI the same way: good signers (RSA under the intermediate, RSA and DSA under the
# root), expired, revoked (with and without the CRL), key usage without
# digitalSignature/nonRepudiation, EKU serverAuth only, a self-signed signer.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/interop.sh"

make_entity
cat "$PKI/ca.pem" "$PKI/crl.pem" >"$W/ca+crl.pem" # openssl cms takes CRLs in -CAfile

# signer    crl  want  (want: xe2e exit status; openssl must accept exactly when 0)
cat >"$W/table" <<'EOF'
signer      no   0
direct      no   0
dsa         no   0
direct      yes  0
expired     no   6
revoked     no   0
revoked     yes  6
noku        no   6
serverauth  no   6
selfsigned  no   6
EOF

while read -r who crl want; do
	n=$who-crl-$crl
	[ -f "$PKI/$who.pem" ] || { echo "test PKI lacks $who.pem" >&2; exit 99; }
	msg=$W/$who.msg
	if [ ! -f "$msg" ]; then
		extra=
		[ "$who" = signer ] && extra="-certfile $PKI/chain.pem"
		osign "$msg" -signer "$PKI/$who.pem" -inkey "$PKI/$who.key" $extra -in "$W/entity.lf"
	fi
	if [ "$crl" = yes ]; then
		xv "$n" "$want" --in "$msg" --ca "$PKI/ca.pem" --crl "$PKI/crl.pem"
		oargs="-CAfile $W/ca+crl.pem -crl_check"
	else
		xv "$n" "$want" --in "$msg" --ca "$PKI/ca.pem"
		oargs="-CAfile $PKI/ca.pem"
	fi
	[ "$want" = 0 ] && same "$n" "$W/$n.out" "$W/entity.crlf"
	# openssl's verdict on the same message must agree (else the table is wrong)
	openssl cms -verify $oargs -purpose smimesign -in "$msg" -out /dev/null 2>"$W/$n.oerr"
	orc=$?
	ncheck=$((ncheck + 1))
	if [ "$want" = 0 ] && [ "$orc" != 0 ]; then
		check_fail "$n: table says accept but openssl rejects: $(grep -i error "$W/$n.oerr" | head -n 1)"
	elif [ "$want" != 0 ] && [ "$orc" = 0 ]; then
		check_fail "$n: table says reject ($want) but openssl accepts"
	fi
done <"$W/table"

finish
