#!/bin/bash
# t1302-inspect-malformed: truncated and garbage input -- exit 2, the tree as
# far as it got on stdout (JSON too: status error, exit 2, the layers read),
# one line on stderr naming the byte offset where the encoding stops; every
# prefix of a nested object and every hostile input of the security
# regressions ends in 0 or 2, never a crash; no key or CEK is ever printed.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
have_python || hard_error "python3 is needed for the JSON checks"

S=$SCRATCH
printf 'Content-Type: text/plain\r\n\r\nhello\r\n' > "$S/m.eml"
expect_exit 0 "$XE2E" encrypt --recip "$PKI/romeo.pem" --outform der -i "$S/m.eml" -o "$S/e.der"
expect_exit 0 "$XE2E" sign "${JULIET[@]}" --outform der --opaque -i "$S/m.eml" -o "$S/s.der"
len=$(wc -c < "$S/e.der")

# --- a truncated DER EnvelopedData ---------------------------------------------------
head -c $((len - 20)) "$S/e.der" > "$S/t.der"
expect_exit 2 "$XE2E" inspect "$S/t.der"
assert_one_line_stderr
assert_stderr_matches "the encoding stops at byte 0: the element at byte 0 claims $((len - 4)) bytes, $((len - 24)) remain"
grep -q '^layer 1: ' "$OUT" || fail "no partial tree on stdout"
grep -q '^error: ' "$OUT" || fail "the tree does not end with the error"
expect_exit 2 "$XE2E" inspect --json "$S/t.der"
[ -s "$ERR" ] && fail "--json: an error line on stderr besides the JSON: $(cat "$ERR")"
json_check "$OUT" 'j["status"] == "error" and j["exit"] == 2 and "byte 0" in j["error"] and len(j["layers"]) == 1'
# truncated inside: the offset of the element that does not fit
python3 - "$S/s.der" "$S/t2.der" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
# cut in the middle of the certificates, then fix the outer lengths so that
# only the inner element is short: find the [0] certificates tag
i = d.index(b"\xa0\x82", 40)
open(sys.argv[2], "wb").write(d[:i + 300])
PY
expect_exit 2 "$XE2E" inspect "$S/t2.der"
assert_stderr_matches 'the encoding stops at byte [0-9]+'
# a truncated S/MIME entity: base64 cut short
expect_exit 0 "$XE2E" encrypt --recip "$PKI/romeo.pem" -i "$S/m.eml" -o "$S/e.eml"
head -c 700 "$S/e.eml" > "$S/t.eml"
expect_exit 2 "$XE2E" inspect "$S/t.eml"
assert_one_line_stderr
assert_stderr_matches 'byte [0-9]+'
grep -q '^  mime:$' "$OUT" || fail "the MIME framing of the truncated entity is not shown"

# --- garbage ----------------------------------------------------------------------------
head -c 400 /dev/urandom | tr '\0-\377' '\200-\377\0-\177' > "$S/g.bin"
printf 'x' | cat - "$S/g.bin" > "$S/g2.bin"
expect_exit 2 "$XE2E" inspect "$S/g2.bin"
assert_one_line_stderr
assert_stderr_matches 'byte 0'
printf '0\202\020\000\006\011*' > "$S/g3.bin"
expect_exit 2 "$XE2E" inspect "$S/g3.bin"
assert_stderr_matches 'the element at byte 0 claims 4096 bytes, 3 remain'
# an 8-octet length (fuzzing found the claimed size overflowing a long)
printf '0\210\377\377\377\377\377\377\377\377' > "$S/g4.bin"
expect_exit 2 "$XE2E" inspect "$S/g4.bin"
assert_stderr_matches 'claims 18446744073709551615 bytes, 0 remain'
: > "$S/empty"
expect_exit 2 "$XE2E" inspect "$S/empty"
assert_one_line_stderr
# stanzas: bad XML, no <e2e/>, garbage inside <e2e/>
printf "<message xmlns='jabber:client' to='a@b'><body>x</body>" > "$S/x1.xml"
expect_exit 2 "$XE2E" inspect "$S/x1.xml"
assert_one_line_stderr
printf "<message xmlns='jabber:client' to='a@b'><body>x</body></message>" > "$S/x2.xml"
expect_exit 2 "$XE2E" inspect --json "$S/x2.xml"
json_check "$OUT" 'j["exit"] == 2 and "no <e2e/>" in j["stanzas"][0]["error"] and j["stanzas"][0]["stanza"]["kind"] == "message"'
printf "<message xmlns='jabber:client' to='a@b'><e2e xmlns='urn:ietf:params:xml:ns:xmpp-e2e'><![CDATA[Content-Type: application/pkcs7-mime; smime-type=enveloped-data\r\nContent-Transfer-Encoding: base64\r\n\r\nMIIB\r\n]]></e2e></message>" > "$S/x3.xml"
expect_exit 2 "$XE2E" inspect "$S/x3.xml"
assert_one_line_stderr

# --- every prefix of a nested object: 0 or 2, never a crash ------------------------------
expect_exit 0 "$XE2E" sign "${JULIET[@]}" --outform der -i "$S/m.eml" -o "$S/d.der"
expect_exit 0 "$XE2E" encrypt --recip "$PKI/romeo.pem" --outform der -i "$S/s.der" -o "$S/n.der"
n=$(wc -c < "$S/n.der")
step=$(( n / 60 + 1 ))
for ((i = 0; i < n; i += step)); do
	head -c "$i" "$S/n.der" > "$S/p.der"
	"$XE2E" inspect --der --key "$PKI/romeo.key" "$S/p.der" > "$S/p.out" 2> "$S/p.err"
	rc=$?
	[ "$rc" = 2 ] || fail "prefix of $i bytes: exit $rc, not 2: $(cat "$S/p.err")"
	[ "$(wc -l < "$S/p.err")" = 1 ] || fail "prefix of $i bytes: stderr not one line"
done
"$XE2E" inspect --der --key "$PKI/romeo.key" "$S/n.der" > /dev/null || fail "the whole object does not inspect"
# every byte flipped in the first 200: 0 or 2
for ((i = 0; i < 200 && i < n; i += 3)); do
	python3 -c "import sys; d=bytearray(open(sys.argv[1],'rb').read()); d[$i]^=0x5a; open(sys.argv[2],'wb').write(d)" \
		"$S/n.der" "$S/f.der"
	"$XE2E" inspect --json --der --key "$PKI/romeo.key" "$S/f.der" > "$S/f.out" 2> /dev/null
	rc=$?
	case $rc in 0|2) ;; *) fail "byte $i flipped: exit $rc" ;; esac
	python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$S/f.out" ||
		fail "byte $i flipped: the JSON does not parse"
done

# --- the hostile inputs of the security regressions -----------------------------------
for f in "$TESTS_SRCDIR"/data/security-repro/*.der "$TESTS_SRCDIR"/data/security-repro/*/*.der \
	"$TESTS_SRCDIR"/data/security-repro/*/*.eml; do
	[ -f "$f" ] || continue
	timeout 20 "$XE2E" inspect --der --ca "$PKI/ca.pem" --key "$PKI/romeo.key" "$f" > "$S/h.out" 2> "$S/h.err"
	rc=$?
	case $rc in 0|2) ;; *) fail "$(basename "$f"): exit $rc: $(cat "$S/h.err")" ;; esac
	[ "$(wc -l < "$S/h.err")" -le 1 ] || fail "$(basename "$f"): stderr is not one line"
done

# --- never a key ----------------------------------------------------------------------------
expect_exit 0 "$XE2E" inspect --json --der --content --key "$PKI/romeo.key" "$S/n.der"
key_hex=$(openssl pkey -in "$PKI/romeo.key" -outform DER | od -An -tx1 -v | tr -d ' \n' | cut -c200-240 | tr a-f A-F)
grep -q "$key_hex" "$OUT" && fail "private key bytes in the output"
grep -qi 'BEGIN PRIVATE' "$OUT" && fail "a private key in the output"
exit 0
