#!/bin/bash
# t0003: after `make install`, `man xe2e` and `man xe2e-CMD` work (man-db,
# which .ci/deps installs on a minimal system), and the xe2e-NAME links run.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

[ -n "${XE2E_BUILDDIR:-}" ] || skip "needs the build tree (XE2E_BUILDDIR)"
command -v man >/dev/null 2>&1 || fail "man is missing (.ci/deps installs man-db)"
D=$SCRATCH/inst
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$XE2E_BUILDDIR" install DESTDIR="$D" \
	prefix=/usr/local >"$SCRATCH/make.log" 2>&1 || { cat "$SCRATCH/make.log" >&2; fail "make install failed"; }
M=$D/usr/local/share/man
for p in xe2e xe2e-cert-check xe2e-decrypt xe2e-encrypt xe2e-sign xe2e-verify; do
	MANWIDTH=80 man -M "$M" "$p" 2>"$SCRATCH/man.err" | grep -q "^NAME" ||
		fail "man $p: $(cat "$SCRATCH/man.err")"
done
"$D/usr/local/bin/xe2e-verify" --version | grep -q '^xe2e ' || fail "the xe2e-verify link does not run"
exit 0
