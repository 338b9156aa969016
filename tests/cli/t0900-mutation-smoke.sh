#!/bin/bash
# t0900: hostile input: a short run of tests/fuzz/mutate.py (random byte
# changes and truncations of signed and encrypted messages); every run must
# end with a documented exit status and nothing on stdout on failure.
# `make fuzz` runs the same for longer.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99
have_python || skip "python3 is needed for the mutation driver"
python3 "$TESTS_SRCDIR/fuzz/mutate.py" "$XE2E" "$PKI" "$SCRATCH/bad" "$RANDOM" 60 >&2 ||
	fail "misbehaviour on mutated input (see above)"
exit 0
