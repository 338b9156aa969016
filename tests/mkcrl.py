#!/usr/bin/env python3
"""Make a v2 CRL with the extensions openssl ca cannot write (tests only).

usage: mkcrl.py --issuer CERT.pem --key KEY.pem --out FILE.crl
                [--number N] [--delta BASE] [--this-days D] [--next-days D]
                [--idp-indirect] [--idp-reasons R,R...] [--idp-dn CERT.pem CN]
                [--revoke SERIAL[:REASON[:ISSUER.pem]]]... [--unknown-critical]
                [--entry-unknown-critical] [--number-critical] [--dup-reason] [--dup-number]

Writes DER (RFC 5280 §5): cRLNumber (§5.2.3), deltaCRLIndicator (§5.2.4,
critical), issuingDistributionPoint (§5.2.5: indirectCRL, onlySomeReasons,
a fullName directoryName of the issuer's subject plus CN), entries with
reasonCode (§5.3.1) and certificateIssuer (§5.3.3, critical; given by a
certificate whose subject it names, for that entry and those after it).
--dup-reason puts a reasonCode unspecified before each entry's reason,
--dup-number a second cRLNumber (both malformed).  Signed
sha256WithRSAEncryption with `openssl dgst`.  SERIAL is decimal.
"""
import base64, datetime, os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from der import enc, integer, length, oid, parse, seq  # noqa: E402  (tests/der.py)

REASONS = {"unspecified": 0, "keyCompromise": 1, "cACompromise": 2, "affiliationChanged": 3,
           "superseded": 4, "cessationOfOperation": 5, "certificateHold": 6,
           "removeFromCRL": 8, "privilegeWithdrawn": 9, "aACompromise": 10}
FLAGS = ["unused", "keyCompromise", "cACompromise", "affiliationChanged", "superseded",
         "cessationOfOperation", "certificateHold", "privilegeWithdrawn", "aACompromise"]


def utctime(t):
    return (0x17, t.strftime("%y%m%d%H%M%SZ").encode())


def ext(o, value, critical=False):
    """Extension { oid, [critical TRUE], OCTET STRING { the DER of value } }"""
    return seq(oid(o), *([(0x01, b"\xff")] if critical else []), (0x04, enc(value)))


def subject_of(pem_path):
    """The subject Name node of a PEM certificate."""
    pem = open(pem_path).read()
    b64 = pem.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
    tbs = parse(base64.b64decode(b64))[0][1][0][1]
    return tbs[5 if tbs[0][0] == 0xa0 else 4]      # serial, signature, issuer, validity, subject


def bits(names):
    """A ReasonFlags BIT STRING node."""
    v = 0
    for nm in names:
        v |= 1 << (15 - FLAGS.index(nm))
    b = v.to_bytes(2, "big").rstrip(b"\0") or b"\0"
    last = b[-1]
    unused = (last & -last).bit_length() - 1 if last else 0
    return (0x03, bytes([unused]) + b)


def main():
    a = sys.argv[1:]
    opt = {"revoke": []}
    i = 0
    while i < len(a):
        k = a[i][2:]
        if k in ("idp-indirect", "unknown-critical", "entry-unknown-critical", "number-critical",
                 "dup-reason", "dup-number"):
            opt[k] = True
            i += 1
        elif k == "idp-dn":
            opt[k] = (a[i + 1], a[i + 2])
            i += 3
        elif k == "revoke":
            opt["revoke"].append(a[i + 1])
            i += 2
        else:
            opt[k] = a[i + 1]
            i += 2
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    this = now + datetime.timedelta(days=float(opt.get("this-days", "-1")))
    nxt = now + datetime.timedelta(days=float(opt.get("next-days", "30")))
    sigalg = seq(oid("1.2.840.113549.1.1.11"), (0x05, b""))
    entries = []
    for r in opt["revoke"]:
        f = r.split(":")
        exts = []
        if len(f) > 1 and f[1]:
            exts.append(ext("2.5.29.21", (0x0a, bytes([REASONS[f[1]]]))))
            if opt.get("dup-reason"):
                exts.insert(0, ext("2.5.29.21", (0x0a, b"\0")))
        if len(f) > 2 and f[2]:
            exts.append(ext("2.5.29.29", seq((0xa4, [subject_of(f[2])])), True))
        if opt.get("entry-unknown-critical"):
            exts.append(ext("1.3.6.1.4.1.32473.9.1", (0x05, b""), True))
        entries.append(seq(integer(int(f[0])), utctime(now - datetime.timedelta(days=1)),
                           *([seq(*exts)] if exts else [])))
    exts = []
    if "number" in opt:
        exts.append(ext("2.5.29.20", integer(int(opt["number"])), opt.get("number-critical", False)))
        if opt.get("dup-number"):
            exts.append(ext("2.5.29.20", integer(int(opt["number"]) + 1)))
    if "delta" in opt:
        exts.append(ext("2.5.29.27", integer(int(opt["delta"])), True))
    if opt.get("idp-indirect") or "idp-reasons" in opt or "idp-dn" in opt:
        idp = []
        if "idp-dn" in opt:
            base, cn = opt["idp-dn"]
            rdn = (0x31, [seq(oid("2.5.4.3"), (0x0c, cn.encode()))])
            name = (0x30, subject_of(base)[1] + [rdn])
            # distributionPoint [0] { fullName [0] { directoryName [4] } }
            idp.append((0xa0, [(0xa0, [(0xa4, [name])])]))
        if "idp-reasons" in opt:
            t, v = bits(opt["idp-reasons"].split(","))
            idp.append((0x83, v))
        if opt.get("idp-indirect"):
            idp.append((0x84, b"\xff"))
        exts.append(ext("2.5.29.28", seq(*idp), True))
    if opt.get("unknown-critical"):
        exts.append(ext("1.3.6.1.4.1.32473.9.2", (0x05, b""), True))
    tbs = enc(seq(integer(1), sigalg, subject_of(opt["issuer"]), utctime(this), utctime(nxt),
                  *([seq(*entries)] if entries else []),
                  *([(0xa0, [seq(*exts)])] if exts else [])))
    sig = subprocess.run(["openssl", "dgst", "-sha256", "-sign", opt["key"]], input=tbs,
                         capture_output=True, check=True).stdout
    body = tbs + enc(sigalg) + enc((0x03, b"\0" + sig))
    with open(opt["out"], "wb") as f:
        f.write(b"\x30" + length(len(body)) + body)


if __name__ == "__main__":
    main()
