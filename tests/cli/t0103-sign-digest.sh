#!/bin/bash
# t0103-sign-digest: --digest sha1|sha256|sha384|sha512 sets the CMS digest and
# the RFC 5751 micalg (sha-1 ...); --compat rfc3923 writes the RFC 3851 form
# (sha1 ...).  Every variant verifies; verify accepts both micalg spellings.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

for d in sha1 sha256 sha384 sha512; do
	modern=sha-${d#sha}
	for compat in no yes; do
		if [ $compat = yes ]; then
			sign_msg "$SCRATCH/$d.eml" --digest $d --compat rfc3923
			want=$d
		else
			sign_msg "$SCRATCH/$d.eml" --digest $d
			want=$modern
		fi
		ct=$(mime_header "$SCRATCH/$d.eml" Content-Type)
		got=$(mime_param "$ct" micalg | tr 'A-Z' 'a-z')
		[ "$got" = "$want" ] || fail "--digest $d (compat $compat): micalg '$got', expected '$want'"
		smime_sig_der "$SCRATCH/$d.eml" "$SCRATCH/$d.der"
		got=$(cms_digest "$SCRATCH/$d.der")
		[ "$got" = "$d" ] || fail "--digest $d: SignerInfo digestAlgorithm is '$got'"
		expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/$d.eml"
		assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify --digest $d output"
	done
done

# the digest is honoured in bare CMS too
sign_msg "$SCRATCH/384.der" --digest sha384 --outform der
[ "$(cms_digest "$SCRATCH/384.der")" = sha384 ] || fail "--digest sha384 --outform der"

# a micalg in the other spelling, or in upper case, still verifies
sign_msg "$SCRATCH/x.eml" --digest sha512
sed -e '1,/^\r\{0,1\}$/s/micalg="\{0,1\}sha-512"\{0,1\}/micalg=SHA512/' "$SCRATCH/x.eml" >"$SCRATCH/y.eml"
cmp -s "$SCRATCH/x.eml" "$SCRATCH/y.eml" && hard_error "could not rewrite micalg"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/y.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify with micalg=SHA512"
exit 0
