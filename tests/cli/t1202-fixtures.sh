#!/bin/bash
# t1202-fixtures: the fixture corpus (`make fixtures`, tests/make-fixtures.sh)
# is byte-reproducible -- generated twice, the two directories are identical
# -- and every object in its manifest gets the verdict the manifest says
# when its check command runs; openssl cms opens the signed and encrypted
# ones too.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
have_python || hard_error "python3 is needed to read the manifest"

A=$SCRATCH/a B=$SCRATCH/b
XE2E=$XE2E bash "$TESTS_SRCDIR/make-fixtures.sh" "$A" 2> "$ERR" || fail "make-fixtures.sh: $(cat "$ERR")"
[ -s "$ERR" ] && fail "make-fixtures.sh printed: $(cat "$ERR")"
XE2E=$XE2E bash "$TESTS_SRCDIR/make-fixtures.sh" "$B" 2> "$ERR" || fail "make-fixtures.sh (2): $(cat "$ERR")"
diff -r "$A" "$B" > "$SCRATCH/d" || fail "two runs differ: $(head -20 "$SCRATCH/d")"
# a non-empty directory is refused
bash "$TESTS_SRCDIR/make-fixtures.sh" "$A" 2> "$ERR" && fail "make-fixtures.sh wrote into a full directory"

# the manifest: every object listed exists, and every file is listed or an input
python3 - "$A" > "$SCRATCH/checks" <<'PY' || fail "manifest: $(cat "$SCRATCH/checks")"
import json, os, sys
d = sys.argv[1]
m = json.load(open(os.path.join(d, "manifest.json"), encoding="utf-8"))
assert m["version"] == 1 and m["count"] == len(m["objects"]) >= 15, m["count"]
names = set()
for o in m["objects"]:
    assert set(o) == {"file", "what", "verdict", "exit", "keys", "fresh_state", "check"}, o
    assert o["verdict"] == {0: "ok", 4: "bad signature", 6: "invalid certificate"}[o["exit"]], o
    assert o["keys"] and all(os.path.isfile(os.path.join(d, k)) and k in o["check"].split()
                             for k in o["keys"]), o
    assert "pki/ca.pem" in o["keys"] or o["file"].startswith("encrypted"), o
    assert os.path.isfile(os.path.join(d, o["file"])), o["file"]
    assert o["check"].startswith("xe2e "), o["check"]
    names.add(o["file"])
    print("%s\t%d\t%d\t%s" % (o["file"], o["exit"], o["fresh_state"], o["check"][5:]))
inputs = {"manifest.json", "message.eml", "stanza-message.xml", "stanza-presence.xml",
          "stanza-iq.xml", "ipm.ber", "pki"}
extra = set(os.listdir(d)) - names - inputs
assert not extra, extra
verdicts = {o["exit"] for o in m["objects"]}
assert {0, 4, 6} <= verdicts, verdicts
PY

cd "$A" || hard_error "cd $A"
n=0
while IFS=$'\t' read -r file code fresh check; do
	n=$((n + 1))
	[ "$fresh" = 1 ] && export XE2E_STATE_DIR=$SCRATCH/state$n
	# shellcheck disable=SC2086
	expect_exit "$code" "$XE2E" $check < "$file"
	[ "$code" = 0 ] && [ ! -s "$OUT" ] && fail "$file: the check wrote no content"
	case $file in
	stanza-*|wrapped-*) [ "$code" = 0 ] && ! grep -q "juliet@example.com" "$OUT" &&
		fail "$file: unwrapped stanza lost its sender" ;;
	x400-*) [ "$code" = 0 ] && ! cmp -s "$OUT" ipm.ber && fail "$file: not the IPM" ;;
	*) [ "$code" = 0 ] && ! grep -q 'Wherefore art thou' "$OUT" && fail "$file: content lost" ;;
	esac
	# a forged or invalid object gives nothing on stdout
	[ "$code" != 0 ] && assert_empty_stdout
done < "$SCRATCH/checks"
[ "$n" -ge 15 ] || fail "only $n checks ran"
# the unwrapped stanzas are the originals
for k in message presence iq; do
	export XE2E_STATE_DIR=$SCRATCH/st-$k
	expect_exit 0 "$XE2E" unwrap --cert pki/romeo@example.net.pem --key pki/romeo@example.net.key \
		--ca pki/ca.pem --at 2026-01-01T01:02:00Z --now 2026-01-01T01:02:00Z -i wrapped-$k.xml
	xml_equal "$OUT" stanza-$k.xml || fail "wrapped-$k.xml: not stanza-$k.xml: $(cat "$OUT")"
done

# the peer opens them too
ATS=$(date -d 2026-01-01T01:02:00Z +%s)
for f in signed.eml signed-opaque.eml signed-dsa.eml signed-sha1.eml; do
	expect_exit 0 openssl cms -verify -CAfile pki/ca.pem -attime "$ATS" -purpose any -in "$f" \
		-out "$SCRATCH/o"
	grep -q 'Wherefore art thou' "$SCRATCH/o" || fail "openssl: $f content lost"
done
expect_exit 0 openssl cms -verify -binary -inform DER -CAfile pki/ca.pem -attime "$ATS" -purpose any \
	-in x400-signed.der -out "$SCRATCH/o"
cmp -s "$SCRATCH/o" ipm.ber || fail "openssl: x400-signed.der does not hold the IPM"
expect_exit 4 openssl cms -verify -CAfile pki/ca.pem -attime "$ATS" -purpose any -in signed-tampered.eml
for f in encrypted.eml encrypted-des3.eml signed-encrypted.eml; do
	expect_exit 0 openssl cms -decrypt -recip pki/romeo@example.net.pem \
		-inkey pki/romeo@example.net.key -in "$f" -out "$SCRATCH/o"
done
# the triple wrap, layer by layer
expect_exit 0 openssl cms -verify -CAfile pki/ca.pem -attime "$ATS" -purpose any -in triple.eml \
	-out "$SCRATCH/t1"
expect_exit 0 openssl cms -decrypt -recip pki/romeo@example.net.pem \
	-inkey pki/romeo@example.net.key -in "$SCRATCH/t1" -out "$SCRATCH/t2"
expect_exit 0 openssl cms -verify -CAfile pki/ca.pem -attime "$ATS" -purpose any -in "$SCRATCH/t2" \
	-out "$SCRATCH/o"
grep -q 'Wherefore art thou' "$SCRATCH/o" || fail "openssl: triple.eml content lost"
exit 0
