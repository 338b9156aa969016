#!/bin/bash
# t0106-sign-chain-certs: --chain puts the intermediate into the message so that
# verify needs only the root; --certs never leaves every certificate out, so
# verify needs --certfile; --certfile also supplies a missing intermediate.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

J=(--cert "$PKI/signer.pem" --key "$PKI/signer.key")
CA=(--ca "$PKI/ca.pem")

# signer under inter, no --chain: root alone is not enough, --certfile inter helps
sign_msg "$SCRATCH/nochain.eml" "${J[@]}"
smime_sig_der "$SCRATCH/nochain.eml" "$SCRATCH/nochain.der"
expect_fail 6 "$XE2E" verify "${CA[@]}" --in "$SCRATCH/nochain.eml"
expect_exit 0 "$XE2E" verify "${CA[@]}" --certfile "$PKI/inter.pem" --in "$SCRATCH/nochain.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify with --certfile inter"
grep -q 'Juliet Capulet' "$ERR" || fail "summary does not name Juliet Capulet: $(cat "$ERR")"

# --chain: verify with only the root
sign_msg "$SCRATCH/chain.eml" "${J[@]}" --chain "$PKI/chain.pem"
smime_sig_der "$SCRATCH/chain.eml" "$SCRATCH/chain.der"
openssl cms -cmsout -inform DER -in "$SCRATCH/chain.der" -print 2>/dev/null |
	grep -q 'Example Test Intermediate CA' || fail "--chain: intermediate not in the message"
expect_exit 0 "$XE2E" verify "${CA[@]}" --in "$SCRATCH/chain.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify of --chain message"
openssl cms -verify -CAfile "$PKI/ca.pem" -in "$SCRATCH/chain.eml" -out /dev/null 2>"$SCRATCH/e" ||
	fail "openssl rejects the --chain message: $(cat "$SCRATCH/e")"
# the root is not a substitute for the intermediate, and another root is no anchor
expect_fail 6 "$XE2E" verify --ca "$PKI/other-ca.pem" --in "$SCRATCH/chain.eml"

# --chain is repeatable (a second, unrelated certificate does no harm)
sign_msg "$SCRATCH/chain2.eml" "${J[@]}" --chain "$PKI/chain.pem" --chain "$PKI/other-ca.pem"
expect_exit 0 "$XE2E" verify "${CA[@]}" --in "$SCRATCH/chain2.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify of two --chain message"

# --certs always (explicit) includes the signer
sign_msg "$SCRATCH/always.eml" --certs always
smime_sig_der "$SCRATCH/always.eml" "$SCRATCH/always.der"
cms_has_certs "$SCRATCH/always.der" || fail "--certs always: no certificates"

# --certs never: no certificates at all, verify needs --certfile
sign_msg "$SCRATCH/never.eml" --certs never
smime_sig_der "$SCRATCH/never.eml" "$SCRATCH/never.der"
cms_has_certs "$SCRATCH/never.der" && fail "--certs never: certificates present"
expect_fail '!0' "$XE2E" verify "${CA[@]}" --in "$SCRATCH/never.eml"
case $LAST_RC in
2|4|6) ;;
*) fail "verify of --certs never message without --certfile: exit $LAST_RC, expected 2, 4 or 6" ;;
esac
expect_exit 0 "$XE2E" verify "${CA[@]}" --certfile "$PKI/direct.pem" --in "$SCRATCH/never.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify of --certs never with --certfile"
# the wrong extra certificate does not help
expect_fail '!0' "$XE2E" verify "${CA[@]}" --certfile "$PKI/revoked.pem" --in "$SCRATCH/never.eml"
# --certfile repeatable, DER accepted for signer+inter of Juliet
sign_msg "$SCRATCH/jnever.der" "${J[@]}" --certs never --outform der --opaque
expect_exit 0 "$XE2E" verify "${CA[@]}" --certfile "$PKI/inter.pem" --certfile "$PKI/signer.der" \
	--in "$SCRATCH/jnever.der"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify with two --certfile"
exit 0
