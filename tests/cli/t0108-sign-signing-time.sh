#!/bin/bash
# t0108-sign-signing-time: --signing-time fixes the signingTime attribute
# (RFC 3339, Z or +hh:mm offset); verify reports it; RSA PKCS#1 v1.5 is
# deterministic, so the same input and time give the same signature part.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

T=2026-01-02T03:04:05Z
sign_msg "$SCRATCH/a.eml" --signing-time "$T"
sign_msg "$SCRATCH/b.eml" --signing-time "$T"
sign_msg "$SCRATCH/c.eml" --signing-time 2026-01-02T05:04:05+02:00
sign_msg "$SCRATCH/d.eml" --signing-time 2026-01-01T22:34:05-04:30
sign_msg "$SCRATCH/e.eml" --signing-time 2026-01-02T03:04:06Z

smime_sig_der "$SCRATCH/a.eml" "$SCRATCH/a.der"
st=$(cms_signing_time "$SCRATCH/a.der")
[ "$st" = "Jan  2 03:04:05 2026 GMT" ] || fail "signingTime is '$st', expected Jan  2 03:04:05 2026 GMT"
cms_print "$SCRATCH/a.der" | grep -q 'UTCTIME:Jan  2 03:04:05 2026' ||
	fail "signingTime of 2026 is not a UTCTime"

for x in b c d; do
	mime_part "$SCRATCH/$x.eml" 2 >"$SCRATCH/$x.p2"
done
mime_part "$SCRATCH/a.eml" 2 >"$SCRATCH/a.p2"
assert_same_file "$SCRATCH/a.p2" "$SCRATCH/b.p2" "same input and signing time: signature parts differ"
assert_same_file "$SCRATCH/a.p2" "$SCRATCH/c.p2" "+02:00 offset: signature part differs from Z form"
assert_same_file "$SCRATCH/a.p2" "$SCRATCH/d.p2" "-04:30 offset: signature part differs from Z form"
mime_part "$SCRATCH/e.eml" 2 >"$SCRATCH/e.p2"
cmp -s "$SCRATCH/a.p2" "$SCRATCH/e.p2" && fail "a different signing time gave the same signature"

# the bare DER is deterministic too
sign_msg "$SCRATCH/a1.der" --signing-time "$T" --outform der
sign_msg "$SCRATCH/a2.der" --signing-time "$T" --outform der
assert_same_file "$SCRATCH/a1.der" "$SCRATCH/a2.der" "DER output with fixed signing time"
assert_same_file "$SCRATCH/a1.der" "$SCRATCH/a.der" "DER output vs multipart signature part"

# verify reports the signing time (human and JSON)
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/a.eml"
assert_same_file "$OUT" "$SCRATCH/msg.crlf" "verify output"
grep -Eq '2026-01-02[T ]03:04:05|Jan  ?2 03:04:05 2026' "$ERR" ||
	fail "verify summary does not show the signing time: $(cat "$ERR")"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --json --in "$SCRATCH/a.eml"
json_check "$ERR" 'j["signers"][0]["signing_time"].startswith("2026-01-02T03:04:05")'

# GeneralizedTime from 2050 on (RFC 5652 section 11.3)
sign_msg "$SCRATCH/g.der" --signing-time 2050-06-01T00:00:00Z --outform der
cms_print "$SCRATCH/g.der" | grep -Eq 'GENERALIZEDTIME:.*2050' ||
	fail "signingTime in 2050 is not a GeneralizedTime: $(cms_signing_time "$SCRATCH/g.der")"
# UTCTime down to 1950
sign_msg "$SCRATCH/u.der" --signing-time 1950-01-01T00:00:00Z --outform der
cms_print "$SCRATCH/u.der" | grep -Eq 'UTCTIME:.*1950' ||
	fail "signingTime in 1950 is not a UTCTime: $(cms_signing_time "$SCRATCH/u.der")"
# the validation time is the clock, not signingTime: a message "signed" in
# 2050 still verifies now
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/g.der" --content "$SCRATCH/msg.crlf"
exit 0
