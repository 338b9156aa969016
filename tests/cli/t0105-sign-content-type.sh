#!/bin/bash
# t0105-sign-content-type: with --content-type TYPE the input is raw bytes and
# xe2e builds the MIME entity; verify gives back that entity, whose header
# names TYPE and whose decoded body is the input (binary-safe).
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

S=(--cert "$PKI/direct.pem" --key "$PKI/direct.key")

# check_entity ENTITY RAW TYPE TEXT? -- Content-Type starts with TYPE; decoded
# body equals RAW (for text: modulo CRLF/LF)
check_entity() {
	local ent=$1 raw=$2 type=$3 text=$4 ct
	ct=$(mime_header "$ent" Content-Type | tr 'A-Z' 'a-z')
	case $ct in
	"$type"|"$type;"*|"$type "*) ;;
	*) fail "entity Content-Type '$ct', expected $type" ;;
	esac
	has_bare_lf "$ent" && fail "entity from verify is not CRLF"
	if have_python; then
		python3 - "$ent" "$raw" "$text" <<'PY' || fail "decoded body of $ent differs from $raw"
import email, sys
ent = open(sys.argv[1], "rb").read()
raw = open(sys.argv[2], "rb").read()
body = email.message_from_bytes(ent).get_payload(decode=True)
if sys.argv[3] == "text":
    body = body.replace(b"\r\n", b"\n")
sys.exit(0 if body == raw else 1)
PY
	else
		note "python3 missing: body not decoded"
	fi
}

# plain text
printf 'hello\nworld\n' >"$SCRATCH/raw.txt"
expect_exit 0 "$XE2E" sign "${S[@]}" --content-type text/plain --in "$SCRATCH/raw.txt"
cp "$OUT" "$SCRATCH/t.eml"
mime_part "$SCRATCH/t.eml" 1 >"$SCRATCH/t.part1"
mime_header "$SCRATCH/t.part1" Content-Type | grep -qi '^text/plain' ||
	fail "signed entity has no Content-Type: text/plain: $(head -c 300 "$SCRATCH/t.part1")"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/t.eml"
assert_same_file "$OUT" "$SCRATCH/t.part1" "verify output vs signed part"
check_entity "$OUT" "$SCRATCH/raw.txt" text/plain text

# text with parameters, UTF-8, no final newline
printf 'h\303\251llo w\303\266rld' >"$SCRATCH/utf8.txt"
expect_exit 0 "$XE2E" sign "${S[@]}" --content-type 'text/plain; charset=utf-8' <"$SCRATCH/utf8.txt"
cp "$OUT" "$SCRATCH/u.eml"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/u.eml"
mime_header "$OUT" Content-Type | grep -qi 'charset="\{0,1\}utf-8' ||
	fail "charset parameter lost: $(mime_header "$OUT" Content-Type)"
check_entity "$OUT" "$SCRATCH/utf8.txt" text/plain text

# binary data: must survive byte for byte (so it must be transfer-encoded)
openssl rand -out "$SCRATCH/raw.bin" 3001 || hard_error "openssl rand"
printf '\000\r\n\n\r.\nFrom x\n' >>"$SCRATCH/raw.bin"
expect_exit 0 "$XE2E" sign "${S[@]}" --content-type application/octet-stream --in "$SCRATCH/raw.bin"
cp "$OUT" "$SCRATCH/b.eml"
mime_part "$SCRATCH/b.eml" 1 >"$SCRATCH/b.part1"
cte=$(mime_header "$SCRATCH/b.part1" Content-Transfer-Encoding | tr 'A-Z' 'a-z')
[ "$cte" = base64 ] || fail "binary entity CTE is '$cte', expected base64"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/b.eml"
check_entity "$OUT" "$SCRATCH/raw.bin" application/octet-stream binary
# without python: decode ourselves
mime_body "$OUT" | b64_decode >"$SCRATCH/b.dec" 2>/dev/null
assert_same_file "$SCRATCH/b.dec" "$SCRATCH/raw.bin" "binary body after verify"

# opaque form too
expect_exit 0 "$XE2E" sign "${S[@]}" --opaque --content-type application/octet-stream <"$SCRATCH/raw.bin"
cp "$OUT" "$SCRATCH/bo.eml"
expect_exit 0 "$XE2E" verify --ca "$PKI/ca.pem" <"$SCRATCH/bo.eml"
mime_body "$OUT" | b64_decode >"$SCRATCH/bo.dec" 2>/dev/null
assert_same_file "$SCRATCH/bo.dec" "$SCRATCH/raw.bin" "opaque binary body after verify"

# a malformed TYPE is a usage error
expect_fail '1|2' "$XE2E" sign "${S[@]}" --content-type 'no slash' <"$SCRATCH/raw.txt"
# raw bytes given as an entity: the error says how to sign raw content
printf '\001\002 not an entity\n' >"$SCRATCH/bin.dat"
expect_fail 2 "$XE2E" sign "${S[@]}" -i "$SCRATCH/bin.dat"
assert_stderr_matches "not a MIME entity.*use --content-type for raw content"
expect_fail 2 "$XE2E" encrypt --recip "$PKI/romeo.pem" -i "$SCRATCH/bin.dat"
assert_stderr_matches "not a MIME entity.*use --content-type for raw content"
exit 0
