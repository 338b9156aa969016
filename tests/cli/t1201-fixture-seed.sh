#!/bin/bash
# t1201-fixture-seed: --fixture-seed on pki, sign, encrypt and wrap.  The same
# seed (and fixed times) gives the same bytes -- pki (every key type), sign
# (multipart boundary, DSA nonce), encrypt (CEK, IV, RSA padding), sign then
# encrypt, wrap (message, presence, iq) -- a different seed different bytes,
# no seed different bytes every run; the outputs are ordinary objects that
# xe2e and openssl cms verify and decrypt; a warning says "tests only".
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

NOW=2026-01-01T00:00:00Z
T=2026-01-01T01:00:00Z
AT=2026-01-01T01:01:00Z
ATS=$(date -d "$AT" +%s)
S=$SCRATCH

# --- pki ------------------------------------------------------------------------
PKIOPTS=(--now "$NOW" --user juliet@example.com --user romeo@example.net --split --dsa
	 --expired --revoked --x400 'C=GB;ADMD= ;PRMD=Acme;S=Smith' -q)
expect_exit 0 "$XE2E" pki init "$S/p1" --fixture-seed 5eed "${PKIOPTS[@]}"
grep -q 'warning: --fixture-seed: .*for tests only' "$ERR" || fail "pki: no tests-only warning (even with -q)"
expect_exit 0 "$XE2E" pki init "$S/p2" --fixture-seed 5EED "${PKIOPTS[@]}"
diff -r "$S/p1" "$S/p2" > "$S/d" || fail "pki: the same seed gave different files: $(head -5 "$S/d")"
expect_exit 0 "$XE2E" pki init "$S/p3" --fixture-seed 5eee "${PKIOPTS[@]}"
for f in ca.pem ca.key juliet@example.com.key juliet@example.com-dsa.key revoked.pem crl.pem; do
	cmp -s "$S/p1/$f" "$S/p3/$f" && fail "pki: another seed gave the same $f"
done
expect_exit 0 "$XE2E" pki init "$S/p4" --now "$NOW" -q
assert_empty_stdout
[ -s "$ERR" ] && fail "pki without a seed printed: $(cat "$ERR")"
expect_exit 0 "$XE2E" pki init "$S/p5" --now "$NOW" -q
cmp -s "$S/p4/ca.key" "$S/p5/ca.key" && fail "pki without a seed: two runs gave the same key"
cmp -s "$S/p4/ca.pem" "$S/p5/ca.pem" && fail "pki without a seed: two runs gave the same CA"
# the seeded PKI is an ordinary one
P=$S/p1 J=$S/p1/juliet@example.com R=$S/p1/romeo@example.net
for f in "$J" "$R" "$J-sign" "$J-enc" "$J-dsa" "$P/x400-1"; do
	expect_exit 0 "$XE2E" cert-check "$f.pem" --untrusted "$P/chain.pem" --ca "$P/ca.pem" \
		--crl "$P/crl.pem" --crl-check require --policy strict --at "$AT"
	expect_exit 0 openssl verify -x509_strict -attime "$ATS" -CAfile "$P/ca.pem" \
		-untrusted "$P/chain.pem" -CRLfile "$P/crl.pem" -crl_check_all "$f.pem"
done
expect_fail 6 "$XE2E" cert-check "$P/revoked.pem" --untrusted "$P/chain.pem" --ca "$P/ca.pem" \
	--crl "$P/crl.pem" --at "$AT"
expect_fail 6 "$XE2E" cert-check "$P/expired.pem" --untrusted "$P/chain.pem" --ca "$P/ca.pem" \
	--at "$AT"
# key and private key belong together (the reproducible keys are real keys)
for f in "$J" "$J-dsa"; do
	openssl pkey -in "$f.key" -check -noout > /dev/null 2>&1 || fail "$f.key does not check"
	[ "$(openssl pkey -in "$f.key" -pubout)" = "$(openssl x509 -in "$f.pem" -noout -pubkey)" ] ||
		fail "$f.key is not the key of $f.pem"
done

# --- sign, encrypt, sign+encrypt ------------------------------------------------
printf 'Content-Type: text/plain; charset=utf-8\r\n\r\nWherefore art thou, Romeo?\r\n' > "$S/m.eml"
SIGN=("$XE2E" sign --cert "$J.pem" --key "$J.key" --chain "$P/chain.pem" --signing-time "$T" -i "$S/m.eml")
DSIGN=("$XE2E" sign --cert "$J-dsa.pem" --key "$J-dsa.key" --chain "$P/chain.pem" --signing-time "$T" -i "$S/m.eml")
ENC=("$XE2E" encrypt --recip "$R.pem" --cert "$J.pem")
# same, other, none: run CMD with seed A twice, seed B, and no seed.
# triple NAME [--fixed] CMD...: --fixed when the output draws nothing from
# the seed (an opaque or bare DSA signature: RFC 6979 makes its nonce from
# the key and the digest), so another seed gives the same bytes
triple() {
	local name=$1 fixed=
	shift
	[ "$1" = --fixed ] && { fixed=1; shift; }
	expect_exit 0 "$@" --fixture-seed aa01 -q -o "$S/$name.a1"
	grep -q 'for tests only' "$ERR" || fail "$name: no tests-only warning"
	expect_exit 0 "$@" --fixture-seed aa01 -o "$S/$name.a2"
	expect_exit 0 "$@" --fixture-seed aa02 -o "$S/$name.b"
	expect_exit 0 "$@" -o "$S/$name.n1"
	grep -q 'fixture' "$ERR" && fail "$name: a warning without --fixture-seed"
	expect_exit 0 "$@" -o "$S/$name.n2"
	assert_same_file "$S/$name.a1" "$S/$name.a2" "$name: the same seed gave different bytes"
	if [ -n "$fixed" ]; then
		assert_same_file "$S/$name.a1" "$S/$name.b" "$name: the seed changed a deterministic signature"
	else
		cmp -s "$S/$name.a1" "$S/$name.b" && fail "$name: another seed gave the same bytes"
	fi
	cmp -s "$S/$name.n1" "$S/$name.n2" && fail "$name: no seed, yet two runs gave the same bytes"
	cmp -s "$S/$name.n1" "$S/$name.a1" && fail "$name: no seed gave the seeded bytes"
	return 0
}
triple signed "${SIGN[@]}"
triple dsa --fixed "${DSIGN[@]}" --opaque
triple der --fixed "${DSIGN[@]}" --outform der
triple dsamp "${DSIGN[@]}"
triple enc "${ENC[@]}" -i "$S/m.eml"
triple des3 "${ENC[@]}" --cipher des3 --keyid -i "$S/m.eml"
triple se "${ENC[@]}" -i "$S/signed.a1"
# sign | encrypt as one pipeline, twice
for i in 1 2; do
	"${SIGN[@]}" --fixture-seed 01 2>/dev/null | "${ENC[@]}" --fixture-seed 02 2>/dev/null \
		> "$S/pipe$i" || fail "sign | encrypt failed"
done
assert_same_file "$S/pipe1" "$S/pipe2" "sign | encrypt with seeds: different bytes"
# (dsa and der have no boundary: their seeded runs agree because the DSA
# nonce is RFC 6979's, and unseeded runs differ because it is random)
# ordinary objects: xe2e and openssl open them
for f in signed.a1 dsa.a1; do
	expect_exit 0 "$XE2E" verify --ca "$P/ca.pem" --at "$AT" -i "$S/$f"
	grep -q 'Wherefore' "$OUT" || fail "verify $f: content lost"
	expect_exit 0 openssl cms -verify -CAfile "$P/ca.pem" -attime "$ATS" -purpose any -in "$S/$f"
done
expect_exit 0 "$XE2E" verify --ca "$P/ca.pem" --at "$AT" -i "$S/der.a1" --content "$S/m.eml"
for f in enc.a1 des3.a1 se.a1 pipe1; do
	expect_exit 0 "$XE2E" decrypt --key "$R.key" --cert "$R.pem" -i "$S/$f"
	expect_exit 0 openssl cms -decrypt -recip "$R.pem" -inkey "$R.key" -in "$S/$f" -out "$S/o"
	expect_exit 0 openssl cms -decrypt -recip "$J.pem" -inkey "$J.key" -in "$S/$f" -out "$S/o"
done
expect_exit 0 "$XE2E" decrypt --key "$R.key" --cert "$R.pem" --ca "$P/ca.pem" --at "$AT" -i "$S/pipe1"
grep -q 'Wherefore' "$OUT" || fail "sign | encrypt | decrypt lost the content"

# --- wrap --------------------------------------------------------------------------
printf "<message from='juliet@example.com/balcony' to='romeo@example.net' type='chat'><body>Wherefore?</body></message>" > "$S/msg.xml"
printf "<presence from='juliet@example.com/balcony' to='romeo@example.net'><show>away</show></presence>" > "$S/pres.xml"
printf "<iq from='juliet@example.com/balcony' to='romeo@example.net/orchard' type='get' id='q1'><query xmlns='jabber:iq:version'/></iq>" > "$S/iq.xml"
n=0
wrapped() {   # wrapped OUT SEED|- IN: wrap with a fresh state directory
	n=$((n + 1))
	local seed=()
	[ "$2" = - ] || seed=(--fixture-seed "$2")
	expect_exit 0 "$XE2E" wrap --cert "$J.pem" --key "$J.key" --chain "$P/chain.pem" \
		--recip "$R.pem" --now "$T" --state "$S/st$n" "${seed[@]}" -i "$3" -o "$1"
}
for k in msg pres iq; do
	wrapped "$S/$k.w1" 77 "$S/$k.xml"
	grep -q 'for tests only' "$ERR" || fail "wrap: no tests-only warning"
	wrapped "$S/$k.w2" 77 "$S/$k.xml"
	wrapped "$S/$k.w3" 78 "$S/$k.xml"
	wrapped "$S/$k.w4" - "$S/$k.xml"
	wrapped "$S/$k.w5" - "$S/$k.xml"
	assert_same_file "$S/$k.w1" "$S/$k.w2" "wrap $k: the same seed gave different bytes"
	cmp -s "$S/$k.w1" "$S/$k.w3" && fail "wrap $k: another seed gave the same bytes"
	cmp -s "$S/$k.w4" "$S/$k.w5" && fail "wrap $k: no seed, yet the same bytes"
	expect_exit 0 "$XE2E" unwrap --key "$R.key" --cert "$R.pem" --ca "$P/ca.pem" --at "$AT" \
		--now "$AT" --state "$S/su$k" -i "$S/$k.w1"
	xml_equal "$OUT" "$S/$k.xml" || fail "unwrap $k: not the original stanza: $(cat "$OUT")"
done
# the stamp is --now
expect_exit 0 "$XE2E" unwrap --key "$R.key" --cert "$R.pem" --ca "$P/ca.pem" --at "$AT" \
	--now "$AT" --state "$S/sux" -i "$S/msg.w4"
grep -q 'timestamp 2026-01-01T01:00:00.000Z ok' "$ERR" ||
	fail "wrap --now: the timestamp is not --now: $(cat "$ERR")"

# --- bad seeds are usage errors, for every command --------------------------------
for c in "pki init $S/p9" "sign --cert $J.pem --key $J.key" "encrypt --recip $R.pem" \
	"wrap --recip $R.pem"; do
	for bad in '' 0 xyz 0x00 "$(printf '%0130d' 0)"; do
		# shellcheck disable=SC2086
		expect_fail 1 "$XE2E" $c --fixture-seed "$bad" < "$S/m.eml"
		assert_stderr_matches 'fixture-seed'
	done
done
expect_fail 1 "$XE2E" wrap --recip "$R.pem" --now tomorrow --state "$S/sx" < "$S/msg.xml"
# --now never reaches the real state: it needs a state of its own
expect_fail 1 "$XE2E" wrap --recip "$R.pem" --now "$T" < "$S/msg.xml"
assert_stderr_matches "'--now' needs '--state DIR'"
# with --json the warning is a member of the one JSON object on stderr
expect_exit 0 "$XE2E" sign --cert "$J.pem" --key "$J.key" --fixture-seed 01 --json -i "$S/m.eml"
json_check "$ERR" '"for tests only" in j["fixture_seed"] and j["status"] == "ok"'
expect_exit 0 "$XE2E" sign --cert "$J.pem" --key "$J.key" --json -i "$S/m.eml"
json_check "$ERR" '"fixture_seed" not in j'
expect_exit 0 "$XE2E" pki init "$S/pj" --fixture-seed 01 --json
json_check "$OUT" 'j["reproducible"] is True and "tests only" in j["fixture_seed"]'
[ -s "$ERR" ] && fail "pki --json with a seed printed on stderr: $(cat "$ERR")"
exit 0
