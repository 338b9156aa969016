#!/usr/bin/env python3
"""Run `xe2e cert-check` on NIST PKITS cases and compare with the expected verdicts.

usage: run-pkits.py XE2E PKITS_DIR [--claim 4.1,4.2,...] [--verbose]
Prints a pass count per section; exits 1 if any case of a claimed section differs
(claimed by default: 4.1-4.7 and 4.13, name constraints).
"""
import json, subprocess, sys, collections

def main():
    xe2e, d = sys.argv[1], sys.argv[2]
    claim = {"4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "4.7", "4.13"}
    verbose = "--verbose" in sys.argv
    if "--claim" in sys.argv:
        claim = set(sys.argv[sys.argv.index("--claim") + 1].split(","))
    tests = json.load(open(f"{d}/pkits_tests.json"))["tests"]
    stats = collections.OrderedDict()
    bad = []
    for t in tests:
        sec = ".".join(t["test_number"].split(".")[:2])
        path = t["certs_ta_to_ee"]
        cmd = [xe2e, "cert-check", f"{d}/certs/{path[-1]}.crt",
               "--ca", f"{d}/certs/{path[0]}.crt", "--crl-check", "require"]
        for c in path[1:-1]:
            cmd += ["--untrusted", f"{d}/certs/{c}.crt"]
        for c in t["crls"]:
            cmd += ["--crl", f"{d}/crls/{c}.crl"]
        r = subprocess.run(cmd, capture_output=True, text=True)
        got = r.returncode == 0
        if r.returncode not in (0, 6):
            got = None
        ok = got == t["expected_valid"]
        s = stats.setdefault(sec, [0, 0])
        s[0] += ok
        s[1] += 1
        if not ok:
            line = f"{t['test_number']} {t['title']}: expected {'valid' if t['expected_valid'] else 'invalid'}, exit {r.returncode}: {r.stderr.strip()}"
            if sec in claim:
                bad.append(line)
            elif verbose:
                print("  (not claimed) " + line)
    for sec, (p, n) in stats.items():
        print(f"PKITS {sec}: {p}/{n} {'(claimed)' if sec in claim else '(not claimed)'}")
    for b in bad:
        print("MISMATCH " + b)
    claimed = [stats[s] for s in stats if s in claim]
    print(f"{sum(p for p, n in claimed)} passed, {len(bad)} failed")
    return 1 if bad else 0

sys.exit(main())
