#!/bin/bash
# t1303-inspect-review: what a line-by-line review of inspect found, each a
# regression: a tree that hits its caps is an error, never silently cut;
# countersignatures three levels deep are shown whole; an unknown attribute
# is its OID, value count and length; the exit status does not depend on
# --ca or --key (a verdict is a verdict); a layer that is not SignedData
# is not called signed; a failed signer is not listed as verified; input
# cannot put control characters on a line; stanzas past the cap are an
# error; a large stream is shown in bounded memory.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
have_python || hard_error "python3 is needed for the JSON checks"

D=$TESTS_SRCDIR/data/inspect
S=$SCRATCH
# ins_exit EXIT ARG...: inspect --json exits EXIT; its JSON for jc (lib.sh)
ins_exit() { expect_exit "$1" "$XE2E" inspect --json "${@:2}"; cp "$OUT" "$SCRATCH/j"; }

# countersignatures, three levels: every level, status ok
ins_exit 0 "$D/cs3.der"
jc 'j["status"] == "ok" and len(j["layers"][0]["info"]["signed_data"]["signer_infos"]) == 2'
python3 - "$S/j" <<'PY' || fail "countersignatures not shown to level 3"
import json, sys
d = json.load(open(sys.argv[1]))
def depth(s):
    cs = [v for a in s.get("unsigned_attributes", []) if a["type"]["name"] == "countersignature"
          for v in a["value"]]
    assert all(v["sid"] for v in cs), "a countersignature without its sid"
    return 1 + max(map(depth, cs)) if cs else 0
assert max(map(depth, d["layers"][0]["info"]["signed_data"]["signer_infos"])) == 3
PY
expect_exit 0 "$XE2E" inspect "$D/cs3.der"
grep -q '^error:' "$OUT" && fail "cs3.der: an error in the text tree"
# an unknown attribute
ins_exit 0 "$D/unk.der"
jc '{"type": {"oid": "1.2.3.4", "name": "unknown"}, "values": 1, "length": 2} in j["layers"][0]["info"]["signed_data"]["signer_infos"][0]["unsigned_attributes"]'
# the same exit status with and without --ca / --key
for f in sigmis.der cam.der unk.der; do
	"$XE2E" inspect "$D/$f" > /dev/null 2>&1; a=$?
	"$XE2E" inspect --ca "$PKI/ca.pem" --key "$PKI/romeo.key" "$D/$f" > /dev/null 2>&1; b=$?
	[ "$a" = 0 ] && [ "$b" = 0 ] || fail "$f: exit $a without --ca/--key, $b with"
done
ins_exit 0 "$D/sigmis.der" --ca "$PKI/ca.pem"
jc 'j["layers"][0]["info"]["verification"]["result"] == "failed" and "does not match digest" in j["layers"][0]["info"]["verification"]["error"] and j["signers"] == [] and j["layers"][0]["signers"] == []'
ins_exit 0 "$D/cam.der"
jc 'j["layers"][0]["info"]["decryption"]["result"] == "failed" and j["layers"][0]["info"]["decryption"]["exit"] == 9'
# not a SignedData: not "signed"
ins_exit 2 "$D/data.der"
jc 'j["layers"][0]["type"] == "unopened" and "id-data" in j["error"]'
# control characters from the input never reach a line raw
expect_exit 0 "$XE2E" inspect "$D/esc.eml"
LC_ALL=C grep -q "$(printf '\033')" "$OUT" && fail "ESC from the input on stdout"
LC_ALL=C grep -q "$(printf '\r')" "$OUT" && fail "CR from the input on stdout"
grep -q '^layer 1: enveloped, application/pkcs7-mime; smime-type=enveloped-data\\x1b' "$OUT" ||
	fail "the smime-type is not shown escaped: $(head -1 "$OUT" | cat -v)"
# a failed signer is not in "signers"
printf 'Content-Type: text/plain\r\n\r\nhello\r\n' > "$S/m.eml"
expect_exit 0 "$XE2E" sign "${JULIET[@]}" -i "$S/m.eml" -o "$S/s.eml"
sed 's/hello/jello/' "$S/s.eml" > "$S/bad.eml"
ins_exit 0 "$S/bad.eml" --ca "$PKI/ca.pem"
jc 'j["signers"] == [] and j["layers"][0]["info"]["verification"]["result"] == "failed" and j["layers"][0]["info"]["verified_signers"][0]["ok"] is False'
# the stanza's children: a cap, said so
python3 - "$S/many.xml" <<'PY'
import sys
kids = "<x/>" * 30000
open(sys.argv[1], "w").write("<message xmlns='jabber:client' to='a@b'>" + kids +
    "<e2e xmlns='urn:ietf:params:xml:ns:xmpp-e2e'>x</e2e></message>")
PY
# (30000 children: 64 shown, the rest counted; its <e2e/> is garbage: exit 2)
ins_exit 2 "$S/many.xml"
jc 'j["stanzas"][0]["stanza"]["children_not_shown"] == 30001 - 64 and len(j["stanzas"][0]["stanza"]["children"]) == 64'
# more than 4096 stanzas: the rest is an error, not silence
python3 - "$S/st.xml" <<'PY'
import sys
one = "<message xmlns='jabber:client' to='a@b'><body>x</body></message>"
open(sys.argv[1], "w").write(one * 4097)
PY
expect_exit 2 "$XE2E" inspect -q --json "$S/st.xml"
json_check "$OUT" 'len(j["stanzas"]) == 4097 and "more than 4096 stanzas" in j["stanzas"][-1]["error"]'
# bounded memory on a large stream (each stanza shown and freed)
python3 - "$S/big.xml" <<'PY'
import sys
one = "<message xmlns='jabber:client' to='a@b'>" + "<x/>" * 200 + "<body>x</body></message>"
open(sys.argv[1], "w").write("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>" + one * 3000 + "</stream:stream>")
PY
if [ -z "${XE2E_SANITIZE:-}" ]; then
	rss=$(python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$XE2E" inspect -q "$S/big.xml")
	[ "$rss" -lt 200000 ] || fail "inspect of a 2.5 MB stream used $rss KiB"
fi
exit 0
