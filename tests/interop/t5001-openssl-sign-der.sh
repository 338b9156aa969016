#!/bin/bash
# Bare CMS from `openssl cms -sign -outform DER|PEM` verifies with `xe2e verify`:
# detached (content through --content), embedded (-nodetach), -stream (BER, indefinite
# lengths), PEM armour "CMS" and "PKCS7", and -binary content (arbitrary octets, NULs,
# lone CR and LF) that must come back byte for byte.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/interop.sh"

make_entity
S="-signer $PKI/signer.pem -inkey $PKI/signer.key -certfile $PKI/chain.pem"
CA="--ca $PKI/ca.pem"

# first_octets FILE: the first two octets in hex ("3080" = indefinite-length SEQUENCE).
first_octets() { od -An -tx1 -N2 "$1" | tr -d ' \n'; }

# 1. DER, detached; openssl signs the CRLF form of the text.
osign "$W/det.der" $S -outform DER -in "$W/entity.lf"
xv det 0 --in "$W/det.der" --content "$W/entity.crlf" $CA && same det "$W/det.out" "$W/entity.crlf"

# 2. DER, detached, but no --content: there is nothing to check the signature against.
xv_fails det-nocontent --in "$W/det.der" $CA

# 3. DER, embedded content.
osign "$W/emb.der" $S -outform DER -nodetach -in "$W/entity.lf"
xv emb 0 --in "$W/emb.der" $CA && same emb "$W/emb.out" "$W/entity.crlf"

# 4. DER on stdin.
ncheck=$((ncheck + 1))
"$XE2E" verify $CA <"$W/emb.der" >"$W/emb-stdin.out" 2>"$W/emb-stdin.err"
rc=$?
if [ "$rc" != 0 ]; then
	check_fail "emb-stdin: 'xe2e verify < emb.der' exited $rc: $(head -c 300 "$W/emb-stdin.err")"
else
	same emb-stdin "$W/emb-stdin.out" "$W/entity.crlf"
fi

# 5. -stream -nodetach: BER with indefinite lengths and a constructed eContent.
osign "$W/stream.ber" $S -outform DER -stream -nodetach -in "$W/entity.lf"
[ "$(first_octets "$W/stream.ber")" = 3080 ] || { echo "openssl -stream wrote no indefinite length" >&2; exit 99; }
xv stream 0 --in "$W/stream.ber" $CA && same stream "$W/stream.out" "$W/entity.crlf"

# 6. -stream, detached, DER.
osign "$W/sdet.ber" $S -outform DER -stream -in "$W/entity.lf"
xv sdet 0 --in "$W/sdet.ber" --content "$W/entity.crlf" $CA && same sdet "$W/sdet.out" "$W/entity.crlf"

# 7. -stream -nodetach with content larger than one openssl write (several BER chunks).
perl -e 'for my $i (1..3000) { printf "line %05d of a longer body, to make chunks\r\n", $i }' >"$W/big.crlf"
osign "$W/bigs.ber" $S -outform DER -stream -nodetach -binary -in "$W/big.crlf"
xv bigs 0 --in "$W/bigs.ber" $CA && same bigs "$W/bigs.out" "$W/big.crlf"

# 8. PEM ("-----BEGIN CMS-----"), embedded and detached.
osign "$W/emb.pem" $S -outform PEM -nodetach -in "$W/entity.lf"
grep -q -- '-----BEGIN CMS-----' "$W/emb.pem" || { echo "openssl PEM lacks BEGIN CMS" >&2; exit 99; }
xv emb-pem 0 --in "$W/emb.pem" $CA && same emb-pem "$W/emb-pem.out" "$W/entity.crlf"
osign "$W/det.pem" $S -outform PEM -in "$W/entity.lf"
xv det-pem 0 --in "$W/det.pem" --content "$W/entity.crlf" $CA &&
	same det-pem "$W/det-pem.out" "$W/entity.crlf"

# 9. The same PEM with the older "PKCS7" armour.
sed 's/BEGIN CMS/BEGIN PKCS7/; s/END CMS/END PKCS7/' "$W/emb.pem" >"$W/emb-p7.pem"
xv emb-p7 0 --in "$W/emb-p7.pem" $CA && same emb-p7 "$W/emb-p7.out" "$W/entity.crlf"

# 10. -binary: arbitrary octets are signed as they are and must come back unchanged.
{
	printf 'Content-Type: application/octet-stream\r\n\r\n\000\r\r\n\n\200\377'
	perl -e 'srand(3923); print map { chr(int(rand(256))) } 1..4000'
	printf 'lone LF\nlone CR\r'
} >"$W/bin"
osign "$W/bin-emb.der" $S -binary -outform DER -nodetach -in "$W/bin"
xv bin-emb 0 --in "$W/bin-emb.der" $CA && same bin-emb "$W/bin-emb.out" "$W/bin"
osign "$W/bin-det.der" $S -binary -outform DER -in "$W/bin"
xv bin-det 0 --in "$W/bin-det.der" --content "$W/bin" $CA && same bin-det "$W/bin-det.out" "$W/bin"
osign "$W/bin-stream.ber" $S -binary -outform DER -stream -nodetach -in "$W/bin"
xv bin-stream 0 --in "$W/bin-stream.ber" $CA && same bin-stream "$W/bin-stream.out" "$W/bin"

# 11. -binary, opaque S/MIME: base64 carries the octets, they come back unchanged.
osign "$W/bin-opq.msg" $S -binary -nodetach -in "$W/bin"
xv bin-opq 0 --in "$W/bin-opq.msg" $CA && same bin-opq "$W/bin-opq.out" "$W/bin"

# 12. -binary, multipart/signed of a CRLF entity (nothing to canonicalize).
osign "$W/bin-mp.msg" $S -binary -in "$W/entity.crlf"
xv bin-mp 0 --in "$W/bin-mp.msg" $CA && same bin-mp "$W/bin-mp.out" "$W/entity.crlf"

finish
