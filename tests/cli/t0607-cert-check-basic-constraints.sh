#!/bin/bash
# t0607-cert-check-basic-constraints: every CA certificate in the path needs
# basicConstraints cA TRUE (absent or CA:FALSE -> 6), and pathLenConstraint 0
# on inter (issued by the root) allows no further intermediate below it.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

# controls: pathlen 0 with just an end entity below; two intermediates where
# the upper one has no pathLenConstraint
expect_exit 0 "$XE2E" cert-check "$PKI/signer.pem" --ca "$PKI/ca.pem" --untrusted "$PKI/inter.pem"
expect_exit 0 "$XE2E" cert-check "$PKI/cc-leaf.pem" --ca "$PKI/ca.pem" \
	--untrusted "$PKI/cc-i1.pem" --untrusted "$PKI/cc-i2.pem"

# root > inter (pathlen 0) > cc-sub (CA) > cc-sub-ee
expect_fail 6 "$XE2E" cert-check "$PKI/cc-sub-ee.pem" --ca "$PKI/ca.pem" \
	--untrusted "$PKI/inter.pem" --untrusted "$PKI/cc-sub.pem"
assert_stderr_matches 'pathLenConstraint|path length'
# the CA cert itself is fine (it is the last certificate under inter)
expect_exit 0 "$XE2E" cert-check "$PKI/cc-sub.pem" --ca "$PKI/ca.pem" --untrusted "$PKI/inter.pem"

# no basicConstraints at all on the intermediate
expect_fail 6 "$XE2E" cert-check "$PKI/cc-nobc-ee.pem" --ca "$PKI/ca.pem" \
	--untrusted "$PKI/cc-nobc.pem"
assert_stderr_matches 'No BasicConstraints CA'
# basicConstraints CA:FALSE on the intermediate
expect_fail 6 "$XE2E" cert-check "$PKI/cc-bcfalse-ee.pem" --ca "$PKI/ca.pem" \
	--untrusted "$PKI/cc-bcfalse.pem"
assert_stderr_matches 'BC False CA'
exit 0
