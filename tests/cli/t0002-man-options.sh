#!/bin/bash
# t0002: for every command, the long options in `xe2e CMD --help` and in
# man/xe2e-CMD.1 are the same set (the usage text is the source of truth).
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

mandir=$TESTS_SRCDIR/../man
cmds=$("$XE2E" --help | awk '/^commands:/{f=1;next} f&&/^  [a-z]/{print $1} f&&/^$/{f=0}')
[ -n "$cmds" ] || fail "no commands listed by xe2e --help"
for c in $cmds; do
	page=$mandir/xe2e-$c.1
	[ -f "$page" ] || fail "no man page for '$c' ($page)"
	"$XE2E" "$c" --help > "$SCRATCH/help" || fail "xe2e $c --help failed"
	grep -o -- '--[a-z0-9][a-z0-9-]*' "$SCRATCH/help" | sort -u > "$SCRATCH/h"
	# options named in SYNOPSIS and OPTIONS (roff writes \-\-name); the
	# other sections may quote other commands
	sed -n '/^\.SH SYNOPSIS/,/^\.SH DESCRIPTION/p; /^\.SH OPTIONS/,/^\.SH EXIT STATUS/p' "$page" |
		sed 's/\\-/-/g' | grep -o -- '--[a-z0-9][a-z0-9-]*' | sort -u > "$SCRATCH/m"
	if ! diff -u "$SCRATCH/h" "$SCRATCH/m" > "$SCRATCH/d"; then
		cat "$SCRATCH/d" >&2
		fail "options of 'xe2e $c --help' and $page differ"
	fi
	# every option of the usage appears in the man page SYNOPSIS too
	sed -n '/^\.SH SYNOPSIS/,/^\.SH DESCRIPTION/p' "$page" | sed 's/\\-/-/g' |
		grep -o -- '--[a-z0-9][a-z0-9-]*' | sort -u > "$SCRATCH/s"
	grep -v -x -e '--help' -e '--version' "$SCRATCH/h" > "$SCRATCH/h2"
	comm -23 "$SCRATCH/h2" "$SCRATCH/s" > "$SCRATCH/missing"
	[ -s "$SCRATCH/missing" ] && fail "SYNOPSIS of $page lacks: $(tr '\n' ' ' < "$SCRATCH/missing")"
done
exit 0
