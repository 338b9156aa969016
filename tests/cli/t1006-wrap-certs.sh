#!/bin/bash
# t1006: RFC 3923 §6.6 / DESIGN §3 rule 7: --certs auto includes the signer's
# certificates once per recipient every 5 minutes (the state remembers);
# the receiver keeps them with --store --cache, so the next stanza without
# them still verifies; always and never do what they say.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
cd "$SCRATCH" || hard_error "cd"
SIGNER=(--cert "$PKI/signer.pem" --key "$PKI/signer.key" --chain "$PKI/inter.pem")
printf "<message to='romeo@example.net' from='juliet@example.com/b'><body>x</body></message>" >m.xml
printf "<message to='tybalt@example.net' from='juliet@example.com/b'><body>x</body></message>" >t.xml
certs_in() {	# certs_in WRAPPED -- number of certificates in the SignedData
	"$XE2E" unwrap --ca "$PKI/ca.pem" --untrusted "$PKI/signer.pem" --untrusted "$PKI/inter.pem" \
		--json --state "$SCRATCH/count" -i "$1" -o /dev/null 2>&1 |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["layers"][0]["certificates"])'
}
expect_exit 0 "$XE2E" wrap "${SIGNER[@]}" -i m.xml -o a1.xml
expect_exit 0 "$XE2E" wrap "${SIGNER[@]}" -i m.xml -o a2.xml
expect_exit 0 "$XE2E" wrap "${SIGNER[@]}" -i t.xml -o a3.xml
[ "$(certs_in a1.xml)" = 2 ] || fail "first stanza: $(certs_in a1.xml) certificates"
[ "$(certs_in a2.xml)" = 0 ] || fail "second stanza to the same recipient carried certificates"
[ "$(certs_in a3.xml)" = 2 ] || fail "another recipient did not get them"
expect_exit 0 "$XE2E" wrap "${SIGNER[@]}" --certs always -i m.xml -o b.xml
[ "$(certs_in b.xml)" = 2 ] || fail "--certs always"
expect_exit 0 "$XE2E" wrap "${SIGNER[@]}" --certs never -i t.xml -o c.xml
[ "$(certs_in c.xml)" = 0 ] || fail "--certs never"

# the receiver: without the certificates the second stanza cannot verify...
expect_fail 6 "$XE2E" unwrap --ca "$PKI/ca.pem" -i a2.xml --state "$SCRATCH/r0"
assert_stderr_matches "signer's certificate is neither in the message nor given"
# ... unless the first one's were kept
mkdir store
expect_exit 0 "$XE2E" cert-check --store store --trust "$PKI/ca.pem"
expect_exit 0 "$XE2E" unwrap --store store --cache -i a1.xml --state "$SCRATCH/r1"
expect_exit 0 "$XE2E" unwrap --store store -i a2.xml --state "$SCRATCH/r1"
exit 0
