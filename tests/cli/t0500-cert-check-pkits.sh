#!/bin/bash
# t0500: NIST PKITS through `xe2e cert-check`: every case of sections
# 4.1-4.7 and 4.13 (name constraints) must give the expected verdict (the driver prints a pass count per
# section, claimed or not).  The data is ../shared/pkits beside the clone.
. "$(cd "$(dirname -- "$0")/.." && pwd)/lib.sh" || exit 99

pkits=${XE2E_PKITS:-$TESTS_SRCDIR/../../shared/pkits}
[ -f "$pkits/pkits_tests.json" ] || skip "PKITS data not found (set XE2E_PKITS)"
have_python || skip "python3 is needed for the PKITS driver"
python3 "$TESTS_SRCDIR/pkits/run-pkits.py" "$XE2E" "$pkits" --verbose >&2 ||
	fail "PKITS verdicts differ (see above)"
exit 0
