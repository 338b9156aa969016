# tests/lib.sh -- shared helpers for tests/cli/*.sh; source it, do not run it.
#
# A test starts with
#     . "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
# and then has:
#   $XE2E      absolute path of the binary under test (env XE2E, else
#              $XE2E_BUILDDIR/xe2e, else ./xe2e); not executable -> exit 99
#   $SCRATCH   private scratch directory, removed on exit
#   $PKI       test PKI made by tests/gen-pki.sh (see there for the file list),
#              generated once per build tree and shared by parallel tests
#   $OUT $ERR  stdout / stderr of the last expect_* command
# Exit statuses follow automake: 0 pass, 1 fail, 77 skip, 99 hard error.
# Runs under automake's parallel harness (srcdir, XE2E, XE2E_BUILDDIR set by
# AM_TESTS_ENVIRONMENT) and by hand:
#     XE2E=/path/to/xe2e bash tests/cli/t0100-sign-basic.sh
# Tests use `set -u`, not `set -e`: every check is explicit.

set -u
export LC_ALL=C
unset XE2E_STATE_DIR XDG_STATE_HOME 2>/dev/null

TESTS_SRCDIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd) || exit 99
TEST_NAME=$(basename -- "$0" .sh)

# --- result helpers -------------------------------------------------------------
fail() {
	echo "FAIL: $TEST_NAME: $*" >&2
	exit 1
}
skip() {
	echo "SKIP: $TEST_NAME: $*" >&2
	exit 77
}
hard_error() {
	echo "ERROR: $TEST_NAME: $*" >&2
	exit 99
}
note() {
	echo "# $*" >&2
}

# --- binary under test ----------------------------------------------------------
if [ -z "${XE2E:-}" ]; then
	if [ -n "${XE2E_BUILDDIR:-}" ]; then
		XE2E=$XE2E_BUILDDIR/xe2e
	else
		XE2E=$(pwd)/xe2e
	fi
fi
case $XE2E in
/*) ;;
*) XE2E=$(pwd)/$XE2E ;;
esac
[ -f "$XE2E" ] && [ -x "$XE2E" ] || hard_error "binary '$XE2E' is missing or not executable (set XE2E)"
export XE2E

command -v openssl >/dev/null 2>&1 || hard_error "openssl not found"

# --- scratch directory ----------------------------------------------------------
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/xe2e-$TEST_NAME.XXXXXX") || hard_error "mktemp failed"
trap 'rm -rf -- "$SCRATCH"' EXIT
trap 'exit 99' HUP INT TERM
OUT=$SCRATCH/stdout
ERR=$SCRATCH/stderr
# xe2e's state (replay memory, DESIGN §5) stays in the test's scratch space
export XE2E_STATE_DIR=$SCRATCH/state

# --- shared test PKI ------------------------------------------------------------
# Generated once into a cache directory, under flock, via a temporary directory
# renamed into place; regenerated when gen-pki.sh changes.
if [ -n "${XE2E_BUILDDIR:-}" ]; then
	PKI_PARENT=$XE2E_BUILDDIR/tests
else
	PKI_PARENT=${TMPDIR:-/tmp}/xe2e-pki-$(id -u)
fi
PKI=$PKI_PARENT/pki
mkdir -p -- "$PKI_PARENT" || hard_error "cannot create $PKI_PARENT"
PKI_STAMP=$(cksum <"$TESTS_SRCDIR/gen-pki.sh" | awk '{print $1 "-" $2}')

pki_ready() {
	[ -f "$PKI/.stamp" ] && [ "$(cat "$PKI/.stamp")" = "$PKI_STAMP" ]
}
if ! pki_ready; then
	command -v flock >/dev/null 2>&1 || hard_error "flock not found"
	(
		flock -w 120 9 || exit 99
		pki_ready && exit 0
		tmp=$(mktemp -d "$PKI_PARENT/pki.tmp.XXXXXX") || exit 99
		if ! bash "$TESTS_SRCDIR/gen-pki.sh" "$tmp" >"$tmp.log" 2>&1; then
			cat "$tmp.log" >&2
			rm -rf -- "$tmp" "$tmp.log"
			exit 99
		fi
		# gen-pki.sh wrote absolute paths into openssl.cnf; they are only
		# needed while generating, so the directory can be renamed.
		echo "$PKI_STAMP" >"$tmp/.stamp"
		rm -f -- "$tmp.log"
		if [ -e "$PKI" ]; then
			mv -- "$PKI" "$PKI.old.$$" && rm -rf -- "$PKI.old.$$"
		fi
		mv -- "$tmp" "$PKI" || exit 99
	) 9>"$PKI_PARENT/pki.lock" || hard_error "test PKI generation failed"
	pki_ready || hard_error "test PKI not ready in $PKI"
fi
export PKI

# --- running the binary ---------------------------------------------------------
# expect_exit N CMD... -- run CMD (stdin inherited), stdout to $OUT, stderr to
# $ERR; fail unless it exits with N.  N may be a list "2|4|6", or "!0" for any
# failure status other than 0 (a crash by signal still fails).
LAST_CMD=
LAST_RC=
expect_exit() {
	local want=$1 rc ok=
	shift
	LAST_CMD="$*"
	"$@" >"$OUT" 2>"$ERR"
	rc=$?
	LAST_RC=$rc
	case $want in
	'!0')
		[ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] && ok=1 ;;
	*)
		local w
		local IFS='|'
		for w in $want; do
			[ "$rc" = "$w" ] && ok=1
		done ;;
	esac
	if [ -z "$ok" ]; then
		echo "--- stderr of: $LAST_CMD" >&2
		head -c 2000 "$ERR" >&2
		echo "--- stdout (first 500 bytes)" >&2
		head -c 500 "$OUT" | cat -v >&2
		echo >&2
		fail "'$LAST_CMD': exit status $rc, expected $want"
	fi
	return 0
}

# expect_fail N CMD... -- expect_exit N, then nothing on stdout and exactly one
# line "xe2e CMD: problem" on stderr (the contract for every failure).
expect_fail() {
	expect_exit "$@"
	assert_empty_stdout
	assert_one_line_stderr
	grep -Eq '^xe2e( [a-z][a-z0-9-]*)?: .' "$ERR" ||
		fail "'$LAST_CMD': stderr is not 'xe2e CMD: problem': $(cat "$ERR")"
}

assert_empty_stdout() {
	[ -s "$OUT" ] && fail "'$LAST_CMD': stdout not empty: $(head -c 200 "$OUT" | cat -v)"
	return 0
}

# exactly one newline-terminated, non-empty line on stderr
assert_one_line_stderr() {
	local n
	n=$(wc -l <"$ERR")
	[ -s "$ERR" ] || fail "'$LAST_CMD': stderr is empty"
	[ "$n" -eq 1 ] && [ -z "$(tail -c 1 "$ERR")" ] ||
		fail "'$LAST_CMD': stderr is not exactly one line: $(cat -v "$ERR")"
	return 0
}

assert_stderr_matches() {	# ERE
	grep -Eq -- "$1" "$ERR" || fail "'$LAST_CMD': stderr does not match /$1/: $(cat "$ERR")"
}

assert_stdout_matches() {	# ERE, a line of stdout
	grep -Eq -- "$1" "$OUT" || fail "'$LAST_CMD': stdout does not match /$1/: $(cat "$OUT")"
}

# assert_same_file A B [what] -- byte-for-byte equality
assert_same_file() {
	cmp -s -- "$1" "$2" && return 0
	echo "--- $1" >&2; head -c 600 "$1" | cat -v >&2; echo >&2
	echo "--- $2" >&2; head -c 600 "$2" | cat -v >&2; echo >&2
	fail "${3:-files differ}: $1 vs $2"
}

# --- data helpers ---------------------------------------------------------------
# to_crlf: LF -> CRLF (lines already ending in CRLF are left alone)
to_crlf() {
	awk '{ sub(/\r$/, ""); printf "%s\r\n", $0 }'
}
to_lf() {
	tr -d '\r'
}
# has_bare_lf FILE -- true when FILE has a line end that is not CRLF (a last
# line without any line end is fine)
has_bare_lf() {
	if [ -z "$(tail -c 1 "$1")" ]; then
		awk '!/\r$/ { b = 1 } END { exit !b }' "$1"
	else
		sed '$d' "$1" | awk '!/\r$/ { b = 1 } END { exit !b }'
	fi
}

# mime_headers FILE -- the top-level header block of a MIME entity, folded
# lines unfolded, CRs removed, one header per line.
mime_headers() {
	tr -d '\r' <"$1" | awk '
		/^$/ { exit }
		/^[ \t]/ { sub(/^[ \t]+/, " "); cur = cur $0; next }
		{ if (cur != "") print cur; cur = $0 }
		END { if (cur != "") print cur }'
}

# mime_header FILE NAME -- value of one top-level header (case-insensitive name)
mime_header() {
	mime_headers "$1" | awk -v n="$2" '
		{ i = index($0, ":"); if (i && tolower(substr($0, 1, i - 1)) == tolower(n)) {
			v = substr($0, i + 1); sub(/^[ \t]+/, "", v); print v; exit } }'
}

# mime_param VALUE NAME -- a parameter of a structured header value, unquoted
mime_param() {
	printf '%s\n' "$1" | awk -v n="$2" '
		{
			s = $0
			while ((i = index(s, ";")) > 0) {
				s = substr(s, i + 1); sub(/^[ \t]+/, "", s)
				j = index(s, "=")
				if (j == 0) continue
				k = tolower(substr(s, 1, j - 1)); sub(/[ \t]+$/, "", k)
				v = substr(s, j + 1); sub(/^[ \t]+/, "", v)
				if (substr(v, 1, 1) == "\"") {
					v = substr(v, 2); e = index(v, "\""); v = substr(v, 1, e - 1)
				} else {
					e = index(v, ";"); if (e) v = substr(v, 1, e - 1)
					sub(/[ \t]+$/, "", v)
				}
				if (k == tolower(n)) { print v; exit }
			}
		}'
}

# mime_body FILE -- bytes after the top-level header block (CRLF kept)
mime_body() {
	awk 'f { print; next } /^\r?$/ { f = 1 }' "$1"
}

# mime_part FILE N -- the Nth body part of a multipart entity, byte for byte
# (headers and body, without the CRLF that belongs to the next delimiter).
mime_part() {
	local b
	b=$(mime_param "$(mime_header "$1" Content-Type)" boundary)
	[ -n "$b" ] || return 1
	awk -v b="--$b" -v want="$2" '
		BEGIN { n = 0; inb = 0; have = 0 }
		{
			line = $0; bare = line; sub(/\r$/, "", bare); sub(/[ \t]+$/, "", bare)
			if (bare == b || bare == b "--") {
				if (inb && n == want) { done = 1; exit }
				n++; inb = 1
				if (bare == b "--") exit
				next
			}
			if (inb && n == want) {
				if (have) printf "%s\n", prev
				prev = line; have = 1
			}
		}
		END { if (have) { sub(/\r$/, "", prev); printf "%s", prev } }
		' "$1"
}

# b64_decode -- decode base64 on stdin, tolerating CRs and line breaks
b64_decode() {
	tr -d '\r\n \t' | base64 -d
}

# cms_print FILE -- openssl's dump of a DER CMS ContentInfo
cms_print() {
	openssl cms -cmsout -print -inform DER -in "$1" -noout 2>/dev/null ||
		openssl cms -cmsout -print -inform DER -in "$1" 2>/dev/null
}

# first_byte_hex FILE
first_byte_hex() {
	od -An -tx1 -N1 "$1" | tr -d ' \n'
}

# --- time bounds -----------------------------------------------------------------
# now_ms: the clock in milliseconds.  SLOW: the factor a wall-clock bound
# is multiplied by (10 in the sanitizer lane, which relaxes resource
# bounds, never what is checked).
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# ins FILE [OPTION]... -- `xe2e inspect --json` of FILE exits 0 with nothing
# on stderr; its JSON into $SCRATCH/j, which jc EXPR checks (json_check)
ins() {
	local f=$1
	shift
	expect_exit 0 "$XE2E" inspect --json "$@" "$f"
	cp "$OUT" "$SCRATCH/j"
	[ -s "$ERR" ] && fail "inspect $f wrote on stderr: $(cat "$ERR")"
	return 0
}
jc() { json_check "$SCRATCH/j" "$1"; }

# cnf_section NAME BASE [KEY=VALUE]... -- append to x.cnf (current directory)
# the openssl extension section NAME: BASE's lines -- ca (a CA: critical
# basicConstraints cA, critical keyCertSign+cRLSign, SKI, AKI), ee (an
# S/MIME end entity of juliet@example.com with SKI and AKI) or none -- with
# each KEY=VALUE replacing the line of KEY in place, or added at the end;
# KEY=- drops it.  So a section says only how it differs from the base.
cnf_section() {
	local name=$1 base=$2 kv k v i found
	local -a keys=() vals=()
	shift 2
	case $base in
	ca) keys=(basicConstraints keyUsage subjectKeyIdentifier authorityKeyIdentifier)
	    vals=("critical,CA:TRUE" "critical,keyCertSign,cRLSign" hash keyid) ;;
	ee) keys=(basicConstraints keyUsage extendedKeyUsage subjectKeyIdentifier
		  authorityKeyIdentifier subjectAltName)
	    vals=(CA:FALSE "critical,digitalSignature,nonRepudiation,keyEncipherment"
		  emailProtection hash keyid email:juliet@example.com) ;;
	none) ;;
	*) hard_error "cnf_section: no base '$base'" ;;
	esac
	for kv; do
		k=${kv%%=*} v=${kv#*=} found=
		for i in "${!keys[@]}"; do
			[ "${keys[i]}" = "$k" ] && vals[i]=$v found=1
		done
		[ -n "$found" ] || { keys+=("$k"); vals+=("$v"); }
	done
	{
		echo "[ $name ]"
		for i in "${!keys[@]}"; do
			[ "${vals[i]}" = - ] || echo "${keys[i]} = ${vals[i]}"
		done
	} >>x.cnf
}

# ossl_cert NAME SUBJECT ISSUER SECTION [SERIAL] -- in the current directory,
# with the one key k.pem and the openssl config x.cnf: NAME.pem, valid 30
# days, extensions from SECTION, self-signed when ISSUER is -, else signed
# by ISSUER.pem (a random serial unless given).  The caller's environment
# (SAN=...) reaches $ENV:: references of x.cnf.
ossl_cert() {
	local n=$1 subj=$2 iss=$3 ext=$4 serial=${5:-$((RANDOM * 32768 + RANDOM + 1))}
	if [ "$iss" = - ]; then
		openssl req -x509 -new -key k.pem -subj "$subj" -days 30 -set_serial "$serial" \
			-config x.cnf -extensions "$ext" -out "$n.pem" 2>/dev/null
	else
		openssl req -new -key k.pem -subj "$subj" -config x.cnf -out "$n.csr" 2>/dev/null &&
		openssl x509 -req -in "$n.csr" -CA "$iss.pem" -CAkey k.pem -set_serial "$serial" \
			-days 30 -extfile x.cnf -extensions "$ext" -out "$n.pem" 2>/dev/null
	fi || hard_error "cannot make $n"
}
SLOW=1
[ -n "${XE2E_SANITIZE:-}" ] && SLOW=10

have_python() {
	command -v python3 >/dev/null 2>&1
}

# python3 is resolved once to the interpreter itself: a version-manager shim
# in PATH (pyenv) costs ~0.1 s per start, and the suite starts it hundreds
# of times.  Every `python3` in a test then runs the resolved one.
if have_python; then
	XE2E_PYTHON=$(command python3 -c 'import sys; print(sys.executable)' 2>/dev/null) || XE2E_PYTHON=
	[ -x "$XE2E_PYTHON" ] || XE2E_PYTHON=$(command -v python3)
	python3() { "$XE2E_PYTHON" "$@"; }
fi

# json_check FILE PYTHON-EXPR -- FILE holds one JSON value; j is the parsed
# value; fail unless EXPR is true.  Skips the check (with a note) without python3.
json_check() {
	if ! have_python; then
		note "python3 missing: JSON check '$2' not run"
		return 0
	fi
	python3 - "$1" "$2" <<'EOF' || fail "'$LAST_CMD': JSON check failed: $2: $(cat "$1")"
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    text = f.read()
lines = text.split("\n")
if not (len(lines) == 2 and lines[1] == ""):
    sys.exit("not exactly one line")
j = json.loads(lines[0])
if not eval(sys.argv[2], {"j": j}):
    sys.exit(1)
EOF
}

# sign_msg OUTFILE [xe2e sign options...] -- sign $SCRATCH/msg.txt (made on
# first use) with the direct signer unless --cert is given; fails the test
# when signing fails.
sample_message() {
	if [ ! -f "$SCRATCH/msg.txt" ]; then
		printf 'Content-Type: text/plain; charset=us-ascii\n\nhello world\nsecond line\n' \
			>"$SCRATCH/msg.txt"
		to_crlf <"$SCRATCH/msg.txt" >"$SCRATCH/msg.crlf"
	fi
}
sign_msg() {
	local out=$1
	shift
	sample_message
	case " $* " in
	*" --cert "*) ;;
	*) set -- --cert "$PKI/direct.pem" --key "$PKI/direct.key" "$@" ;;
	esac
	expect_exit 0 "$XE2E" sign "$@" <"$SCRATCH/msg.txt"
	cp -- "$OUT" "$out"
	[ -s "$out" ] || fail "sign produced no output"
}

# cms_digest DERFILE -- short name of the first SignerInfo's digestAlgorithm
cms_digest() {
	cms_print "$1" | awk '/^ *digestAlgorithm: *$/ { f = 1; next }
		f && /algorithm:/ { print $2; exit }'
}
# cms_has_certs DERFILE -- true when SignedData.certificates is present
cms_has_certs() {
	cms_print "$1" | awk '/^ *certificates:/ { getline; exit ($0 ~ /<ABSENT>/) }'
}
# cms_has_econtent DERFILE -- true when the content is encapsulated
cms_has_econtent() {
	! cms_print "$1" | grep -q 'eContent: <ABSENT>'
}
# cms_signing_time DERFILE -- openssl's rendering of the signingTime value
cms_signing_time() {
	cms_print "$1" | awk '/object: signingTime/ { f = 1; next }
		f && /(UTCTIME|GENERALIZEDTIME):/ { sub(/^ *[A-Z]+:/, ""); print; exit }'
}
# smime_sig_der SMIMEFILE OUTFILE -- decode the signature part of multipart/signed
smime_sig_der() {
	mime_part "$1" 2 >"$SCRATCH/.sigpart" || fail "no second part in $1"
	mime_body "$SCRATCH/.sigpart" | b64_decode >"$2" || fail "signature part of $1 is not base64"
	[ "$(first_byte_hex "$2")" = 30 ] || fail "signature part of $1 is not DER"
}

# --- a throw-away openssl CA for CRL tests (cert-check t06xx) ---------------
# crl_ca NAME CACERT CAKEY [v1] -- an `openssl ca` set-up in $SCRATCH/NAME
# (v2 CRLs with AKI and CRL number unless v1: no extensions at all)
crl_ca() {
	local d=$SCRATCH/$1
	mkdir -p "$d" || hard_error "mkdir"
	: >"$d/index.txt"
	echo 01 >"$d/crlnumber"
	{
		printf '[ca]\ndefault_ca = c\n[c]\ndatabase = %s\nnew_certs_dir = %s\n' "$d/index.txt" "$d"
		printf 'certificate = %s\nprivate_key = %s\ndefault_md = sha256\n' "$2" "$3"
		[ "${4:-}" = v1 ] ||
			printf 'crlnumber = %s\ncrl_extensions = e\n[e]\nauthorityKeyIdentifier = keyid:always\n' "$d/crlnumber"
	} >"$d.cnf"
}
# crl_revoke NAME CERT [openssl ca options...]
crl_revoke() {
	local n=$1
	shift
	openssl ca -config "$SCRATCH/$n.cnf" -batch -revoke "$@" >>"$SCRATCH/openssl.log" 2>&1 ||
		hard_error "openssl ca -revoke failed: $(tail -3 "$SCRATCH/openssl.log")"
}
# crl_gen NAME OUT [THISUPDATE NEXTUPDATE] (YYYYMMDDHHMMSSZ; default now, +30 days)
crl_gen() {
	local n=$1 out=$2
	shift 2
	if [ $# -eq 2 ]; then
		set -- -crl_lastupdate "$1" -crl_nextupdate "$2"
	else
		set -- -crldays 30
	fi
	openssl ca -config "$SCRATCH/$n.cnf" -batch -gencrl "$@" -out "$out" >>"$SCRATCH/openssl.log" 2>&1 ||
		hard_error "openssl ca -gencrl failed: $(tail -3 "$SCRATCH/openssl.log")"
}

# --- XMPP (wrap/unwrap, t10xx) ---------------------------------------------------
# The sender juliet (signer.pem, under inter.pem) and the recipient romeo.
JULIET=(--cert "$PKI/signer.pem" --key "$PKI/signer.key" --chain "$PKI/inter.pem" --certs always)
ROMEO=(--key "$PKI/romeo.key" --ca "$PKI/ca.pem")
# juliet signs and encrypts for romeo; H: the addresses of a stanza between them
BOTH=("${JULIET[@]}" --recip "$PKI/romeo.pem")
H="to='romeo@example.net/orchard' from='juliet@example.com/balcony'"
# xml_equal A B [--ignore-attr NAME]... -- equal as XML (tests/xmlcmp.py)
xml_equal() {
	have_python || skip "python3 is needed to compare XML"
	python3 "$TESTS_SRCDIR/xmlcmp.py" "$@" 2>"$SCRATCH/.xmlcmp" ||
		fail "'$1' and '$2' differ as XML: $(cat "$SCRATCH/.xmlcmp")"
}
# e2e_text FILE -- the character data of the <e2e/> of the stanza in FILE
e2e_text() {
	python3 - "$1" <<'PY'
import sys, xml.etree.ElementTree as ET
s = open(sys.argv[1], 'rb').read()
r = ET.fromstring(b"<r xmlns='jabber:client'>" + s + b"</r>")
for e in r.iter('{urn:ietf:params:xml:ns:xmpp-e2e}e2e'):
    sys.stdout.write(e.text or '')
    break
PY
}
# roundtrip NAME [wrap options] -- wrap $SCRATCH/NAME.xml as juliet, unwrap it
# as romeo, compare; leaves NAME.w.xml (wrapped), NAME.u.xml (unwrapped)
roundtrip() {
	local n=$1
	shift
	expect_exit 0 "$XE2E" wrap "$@" -i "$SCRATCH/$n.xml" -o "$SCRATCH/$n.w.xml"
	expect_exit 0 "$XE2E" unwrap "${ROMEO[@]}" -i "$SCRATCH/$n.w.xml" -o "$SCRATCH/$n.u.xml"
	xml_equal "$SCRATCH/$n.xml" "$SCRATCH/$n.u.xml"
}
