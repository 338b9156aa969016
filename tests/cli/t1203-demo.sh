#!/bin/bash
# t1203-demo: the README's demo round trip (`make demo`, demo/demo.sh) runs
# on a PKI made by `xe2e pki init` and ends with "demo ok": sign, verify,
# encrypt, decrypt-and-verify, and a tampered copy refused.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

demo=$TESTS_SRCDIR/../demo/demo.sh
[ -f "$demo" ] || hard_error "no $demo"
grep -q 'xe2e.* pki init\|"\$XE2E" pki init' "$demo" || fail "the demo does not use xe2e pki init"
grep -q 'openssl' "$demo" && fail "the demo still makes its PKI with openssl"
TMPDIR=$SCRATCH XE2E=$XE2E bash "$demo" > "$OUT" 2> "$ERR" || fail "demo failed: $(tail -5 "$ERR")"
grep -q '^== demo ok$' "$OUT" || fail "demo did not end with 'demo ok'"
grep -q 'juliet@example.com.pem' "$OUT" || fail "demo did not list the PKI it made"
[ "$(grep -c '^Wherefore art thou, Romeo?' "$OUT")" -ge 2 ] || fail "demo lost the content"
grep -q '(exit status 4, as expected)' "$OUT" || fail "the tampered copy was not refused with 4"
[ -z "$(ls -A "$SCRATCH" | grep xe2e-demo)" ] || fail "the demo left its directory behind"
exit 0
