#!/bin/bash
# t0805: a decrypted --out once left an existing 0640 file 0644 (the
# temporary file's mode won).  Now an existing file keeps its permission
# bits, owner and group; a new file from decrypt is 0600 whatever the umask,
# set before any plaintext is written; other commands' new files follow the
# umask.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

mode() { stat -c %a "$1"; }
sample_message
expect_exit 0 "$XE2E" encrypt --recip "$PKI/direct.pem" --in "$SCRATCH/msg.txt"
cp "$OUT" "$SCRATCH/e.eml"
for s in --no-stream --stream; do
	rm -f "$SCRATCH/new"
	( umask 000 && "$XE2E" decrypt --key "$PKI/direct.key" --in "$SCRATCH/e.eml" $s --out "$SCRATCH/new" ) ||
		fail "decrypt $s failed"
	[ "$(mode "$SCRATCH/new")" = 600 ] || fail "new decrypt output ($s) is $(mode "$SCRATCH/new")"
	: >"$SCRATCH/old" && chmod 640 "$SCRATCH/old"
	if [ "$(id -u)" = 0 ] && getent passwd nobody >/dev/null && getent group nogroup >/dev/null; then
		chown nobody:nogroup "$SCRATCH/old"
	fi
	owner=$(stat -c %u:%g "$SCRATCH/old")
	( umask 000 && "$XE2E" decrypt --key "$PKI/direct.key" --in "$SCRATCH/e.eml" $s --out "$SCRATCH/old" ) ||
		fail "decrypt $s onto a 0640 file failed"
	[ "$(mode "$SCRATCH/old")" = 640 ] || fail "existing 0640 output ($s) became $(mode "$SCRATCH/old")"
	[ "$(stat -c %u:%g "$SCRATCH/old")" = "$owner" ] || fail "owner of the output ($s) changed"
	grep -q 'hello world' "$SCRATCH/old" || fail "output ($s) not written"
done
# other commands: the umask decides for new files
rm -f "$SCRATCH/s.eml" "$SCRATCH/v.txt"
( umask 022 && "$XE2E" sign --cert "$PKI/direct.pem" --key "$PKI/direct.key" --in "$SCRATCH/msg.txt" \
	--out "$SCRATCH/s.eml" ) || fail "sign failed"
[ "$(mode "$SCRATCH/s.eml")" = 644 ] || fail "new sign output is $(mode "$SCRATCH/s.eml")"
( umask 027 && "$XE2E" verify --ca "$PKI/ca.pem" --in "$SCRATCH/s.eml" --out "$SCRATCH/v.txt" 2>/dev/null ) ||
	fail "verify failed"
[ "$(mode "$SCRATCH/v.txt")" = 640 ] || fail "new verify output is $(mode "$SCRATCH/v.txt")"
exit 0
