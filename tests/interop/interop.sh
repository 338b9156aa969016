# tests/interop/interop.sh - shared helpers for the interop tests (openssl cms, gpgsm).
#
# Sourced by tests/interop/tNNNN-*.sh after they set `here` to their own directory.
# Builds on tests/lib.sh ($XE2E, $PKI, $SCRATCH, skip) and adds:
#   W            = $SCRATCH, private work directory of this test (removed on exit)
#   check_fail   record one failed check, keep going; `finish` exits 1 if any failed
#   xv NAME WANT ARGS...   run `xe2e verify ARGS` (stdout NAME.out, stderr NAME.err in $W)
#                          and check the exit status; on failure stdout must be empty
#   xs NAME WANT ARGS...   the same for `xe2e sign` (stdout NAME.msg)
#   ov NAME ARGS...        `openssl cms -verify -CAfile ca.pem -purpose smimesign ARGS`,
#                          content to $W/NAME.ov; returns openssl's status. OV_CAFILE
#                          replaces ca.pem (openssl cms has no -untrusted: its -certfile
#                          only finds signers, so a missing intermediate must be trusted)
#   same NAME GOT WANT     byte comparison with a short report
#   crlf IN OUT / lf IN OUT  line-end conversion (every line, last one included)
# A check failure does not stop the script: every case is reported, then `finish`.

set -u

# openssl is the peer under test here: without it these tests skip (lib.sh would call
# its absence a hard error, which is right for tests/cli but not for interop).
if ! command -v openssl >/dev/null 2>&1; then
	echo "SKIP: $(basename "$0" .sh): openssl not installed" >&2
	exit 77
fi

# shellcheck disable=SC2154 # here: set by the test that sources this file
. "$here/../lib.sh" || exit 99

# lib.sh already exits 99 when $XE2E is not executable; keep the guarantee here too.
[ -x "${XE2E:-}" ] || { echo "interop: XE2E='${XE2E:-}' is not executable" >&2; exit 99; }
[ -f "${PKI:-}/ca.pem" ] || { echo "interop: PKI='${PKI:-}' holds no ca.pem" >&2; exit 99; }
command -v perl >/dev/null 2>&1 || skip "perl not installed"

# lib.sh's $SCRATCH is private to this test and removed on exit
# (kept, and named on stderr, with XE2E_KEEP=1: for looking at a failure).
W=$SCRATCH
keep_or_clean() {
	if [ -n "${XE2E_KEEP:-}" ]; then
		echo "# kept $SCRATCH" >&2
	else
		rm -rf -- "$SCRATCH"
	fi
}
trap keep_or_clean EXIT

nfail=0
ncheck=0

check_fail() {
	printf 'FAIL: %s\n' "$*" >&2
	nfail=$((nfail + 1))
}

finish() {
	if [ "$nfail" -ne 0 ]; then
		echo "$nfail of $ncheck checks failed" >&2
		exit 1
	fi
	echo "all $ncheck checks passed"
	exit 0
}

# crlf IN OUT: every line ends in CRLF.  lf IN OUT: every line ends in LF.
crlf() { perl -pe 's/\r?\n\z/\r\n/' <"$1" >"$2"; }
lf() { perl -pe 's/\r\n\z/\n/' <"$1" >"$2"; }

# same NAME GOT WANT
same() {
	ncheck=$((ncheck + 1))
	if [ ! -f "$2" ]; then
		check_fail "$1: no output file $2"
		return 1
	fi
	if ! cmp -s "$2" "$3"; then
		check_fail "$1: content differs from what was signed: $(cmp "$2" "$3" 2>&1 | head -n 1)"
		return 1
	fi
	return 0
}

# _x CMD NAME OUTFILE WANT ARGS...: run xe2e CMD, check exit status and failure hygiene.
_x() {
	_cmd=$1 _name=$2 _out=$3 _want=$4
	shift 4
	ncheck=$((ncheck + 1))
	"$XE2E" "$_cmd" "$@" >"$_out" 2>"$W/$_name.err" </dev/null
	_rc=$?
	if [ "$_rc" != "$_want" ]; then
		check_fail "$_name: 'xe2e $_cmd $*' exited $_rc, want $_want; stderr: $(head -c 400 "$W/$_name.err")"
		return 1
	fi
	if [ "$_rc" != 0 ]; then
		ncheck=$((ncheck + 1))
		if [ -s "$_out" ]; then
			check_fail "$_name: exit $_rc but stdout is not empty ($(wc -c <"$_out") bytes)"
			return 1
		fi
	fi
	return 0
}

xv() { _n=$1; shift; _x verify "$_n" "$W/$_n.out" "$@"; }
xs() { _n=$1; shift; _x sign "$_n" "$W/$_n.msg" "$@"; }

# xv_fails NAME ARGS...: xe2e verify must fail (any status but 0) with empty stdout.
xv_fails() {
	_name=$1
	shift
	ncheck=$((ncheck + 1))
	"$XE2E" verify "$@" >"$W/$_name.out" 2>"$W/$_name.err" </dev/null
	_rc=$?
	if [ "$_rc" = 0 ]; then
		check_fail "$_name: 'xe2e verify $*' succeeded, want a failure"
		return 1
	fi
	if [ -s "$W/$_name.out" ]; then
		check_fail "$_name: exit $_rc but stdout is not empty"
		return 1
	fi
	return 0
}

# ov NAME ARGS...: openssl cms -verify against the test CA for S/MIME signing.
ov() {
	_name=$1
	shift
	ncheck=$((ncheck + 1))
	if ! openssl cms -verify -CAfile "${OV_CAFILE:-$PKI/ca.pem}" -purpose smimesign "$@" \
		-out "$W/$_name.ov" >/dev/null 2>"$W/$_name.overr"; then
		check_fail "$_name: openssl cms -verify $* failed: $(grep -v '^CMS Verification' "$W/$_name.overr" | head -c 400)"
		return 1
	fi
	return 0
}

# osign OUT ARGS...: openssl cms -sign; a failure here is a broken test (99).
osign() {
	_o=$1
	shift
	if ! openssl cms -sign "$@" -out "$_o" 2>"$W/osign.err"; then
		echo "interop: openssl cms -sign $* failed: $(head -c 400 "$W/osign.err")" >&2
		exit 99
	fi
}

# print_cms NAME [openssl input options]: openssl's dump of the SignedData in $W/NAME.print.
print_cms() {
	_p=$1
	shift
	openssl cms -cmsout -print -noout "$@" >"$W/$_p.print" 2>"$W/$_p.printerr" || {
		ncheck=$((ncheck + 1))
		check_fail "$_p: openssl cms -cmsout -print $* failed: $(head -c 300 "$W/$_p.printerr")"
		return 1
	}
	return 0
}

# has NAME FILE REGEX WHAT: FILE must match the (extended) REGEX.
has() {
	ncheck=$((ncheck + 1))
	if ! grep -Eq -- "$3" "$2"; then
		check_fail "$1: $4 (no match for /$3/ in $(basename "$2"))"
		return 1
	fi
	return 0
}

# A MIME entity with LF line ends (sample text, UTF-8, a line that looks like a boundary,
# a trailing blank, a "From " line) and its canonical CRLF form.
make_entity() {
	printf '%s\n' \
		'Content-Type: text/plain; charset=utf-8' \
		'Content-Transfer-Encoding: 8bit' \
		'' \
		'But soft, what light through yonder window breaks?' \
		"It is the east, and Juliet is the sun. $(printf '\342\230\200')" \
		'--not-a-boundary' \
		'From the balcony, with love ' \
		'' \
		'-- ' \
		'Romeo' >"$W/entity.lf"
	crlf "$W/entity.lf" "$W/entity.crlf"
}

# gpgsm_home CERT...: skip (77) without gpgsm; otherwise a throw-away
# GNUPGHOME set up as DESIGN §7 says (no CRL checks, no dirmngr, loopback
# pinentry, the test CA trusted), its gpg-agent stopped on exit, CERTs
# imported; $G is the gpgsm command to use.
gpgsm_home() {
	local fp
	command -v gpgsm >/dev/null 2>&1 || skip "gpgsm not installed"
	command -v gpgconf >/dev/null 2>&1 || skip "gpgconf not installed"
	command -v timeout >/dev/null 2>&1 || skip "timeout not installed"
	export GNUPGHOME=$W/gnupg
	mkdir -m 700 "$GNUPGHOME" || exit 99
	trap 'gpgconf --kill gpg-agent >/dev/null 2>&1; keep_or_clean' EXIT
	printf 'disable-crl-checks\ndisable-dirmngr\n' >"$GNUPGHOME/gpgsm.conf"
	printf 'allow-loopback-pinentry\n' >"$GNUPGHOME/gpg-agent.conf"
	fp=$(openssl x509 -in "$PKI/ca.pem" -noout -fingerprint -sha1 | sed 's/.*=//')
	printf '%s S relax\n' "$fp" >"$GNUPGHOME/trustlist.txt"
	G="timeout 20 gpgsm --batch --no-tty"
	$G --import "$@" >"$W/import.log" 2>&1 ||
		{ cat "$W/import.log" >&2; echo "gpgsm cannot import the test certificates" >&2; exit 99; }
}

# gpgsm_import_p12 CERT KEY P12: import CERT and its KEY into $GNUPGHOME
# through a PKCS#12 file P12 (PBE-SHA1-3DES, empty password: gpgsm reads
# it), made afresh -- with a new random salt -- for each of up to six
# tries, each with a fresh gpg-agent.  gpgsm (2.2.40) cannot decrypt the
# shrouded key bag of about 2% of the files openssl makes ("decryption
# failed; trying charset ...": 3 of 150 in a quiet loop, each failing on
# every retry) -- it goes with the file (its random salt), not with the
# passphrase or the load; a new file imports.  Not what the tests check.
gpgsm_import_p12() {
	local try
	printf '\n' >"$W/p12.pass" || exit 99
	for try in 1 2 3 4 5 6; do
		openssl pkcs12 -export -in "$1" -inkey "$2" \
			-keypbe PBE-SHA1-3DES -certpbe PBE-SHA1-3DES -macalg sha1 \
			-passout pass: -out "$3" 2>/dev/null || exit 99
		$G --pinentry-mode loopback --passphrase-fd 0 --import "$3" <"$W/p12.pass" \
			>"$W/p12.log" 2>&1 && grep -q 'secret keys imported: *1\|secret keys unchanged: *1' "$W/p12.log" && return 0
		gpgconf --kill gpg-agent >/dev/null 2>&1
		sleep "$try"
	done
	cat "$W/p12.log" >&2
	echo "gpgsm cannot import $3 (6 tries, each a new PKCS#12 file)" >&2
	exit 99
}
