#!/usr/bin/env python3
"""tests/der.py -- a small DER reader and writer for crafting test inputs.

Tests use it to build what no tool writes (a certificate whose DSA key
inherits its parameters, an unsigned attribute that must be signed): parse
DER into (tag, value) nodes, change them, encode again.  A constructed
node's value is a list of nodes, a primitive node's value is bytes.

    python3 der.py COMMAND ...   (see the functions at the end)
"""
import sys


def parse(b, pos=0, end=None):
    """Nodes of b[pos:end]."""
    end = len(b) if end is None else end
    out = []
    while pos < end:
        tag = b[pos]
        pos += 1
        n = b[pos]
        pos += 1
        if n & 0x80:
            k = n & 0x7f
            n = int.from_bytes(b[pos:pos + k], 'big')
            pos += k
        val = b[pos:pos + n]
        out.append((tag, parse(val) if tag & 0x20 else val))
        pos += n
    return out


def length(n):
    if n < 0x80:
        return bytes([n])
    s = n.to_bytes((n.bit_length() + 7) // 8, 'big')
    return bytes([0x80 | len(s)]) + s


def enc(node):
    tag, val = node
    body = b''.join(enc(x) for x in val) if isinstance(val, list) else val
    return bytes([tag]) + length(len(body)) + body


def oid(dotted):
    a = [int(x) for x in dotted.split('.')]
    out = bytes([40 * a[0] + a[1]])
    for v in a[2:]:
        s = [v & 0x7f]
        v >>= 7
        while v:
            s.append(0x80 | (v & 0x7f))
            v >>= 7
        out += bytes(reversed(s))
    return (0x06, out)


def seq(*items):
    return (0x30, list(items))


def integer(v):
    n = (v.bit_length() + 8) // 8 if v else 1
    return (0x02, v.to_bytes(n, 'big', signed=True))


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def write(path, data):
    with open(path, 'wb') as f:
        f.write(data)


def signer_infos(ci):
    """The signerInfos SET node of a SignedData ContentInfo node."""
    sd = ci[1][1][1][0]          # ContentInfo > [0] > SignedData
    return sd[1][-1]


def cmd_add_unsigned(src, dst, attr_oid, value_hex):
    """Give the first SignerInfo an unsignedAttrs [1] with one attribute."""
    ci = parse(read(src))[0]
    si = signer_infos(ci)[1][0]
    attr = seq(oid(attr_oid), (0x31, [parse(bytes.fromhex(value_hex))[0]]))
    si[1].append((0xa1, [attr]))
    write(dst, enc(ci))


def cmd_tbs_dsa_inherit(cert_path, ee_spki_path, dst, serial):
    """A tbsCertificate like cert_path's (an EE issued by a DSA CA, whose
    issuer, validity, subject and extensions are kept) but with the SPKI of
    ee_spki_path stripped of its DSA parameters (RFC 3279 §2.3.2), a new
    serial, and signature algorithm dsa-with-sha1 without parameters."""
    cert = parse(read(cert_path))[0]
    tbs = cert[1][0]
    spki = parse(read(ee_spki_path))[0]
    alg = spki[1][0]
    spki[1][0] = (alg[0], [alg[1][0]])            # OID only
    fields = tbs[1]
    i = 1 if fields[0][0] == 0xa0 else 0           # after [0] version
    fields[i] = integer(int(serial))
    fields[i + 1] = seq(oid('1.2.840.10040.4.3'))
    fields[i + 5] = spki
    write(dst, enc(tbs))


def cmd_dsa_params(cert_path, dst):
    """The DSA parameters of a DER certificate's key, as a PEM "DSA
    PARAMETERS" file (for openssl genpkey -paramfile)."""
    import base64
    cert = parse(read(cert_path))[0]
    fields = cert[1][0][1]
    i = 1 if fields[0][0] == 0xa0 else 0
    params = fields[i + 5][1][0][1][1]            # SPKI > algorithm > parameters
    b = base64.encodebytes(enc(params)).decode()
    write(dst, ('-----BEGIN DSA PARAMETERS-----\n' + b +
                '-----END DSA PARAMETERS-----\n').encode())


def cmd_cert(tbs_path, sig_path, dst, sigalg):
    """Certificate = SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING }."""
    tbs = parse(read(tbs_path))[0]
    write(dst, enc(seq(tbs, seq(oid(sigalg)), (0x03, b'\x00' + read(sig_path)))))


def cmd_tbs_set_ext(cert_path, dst, ext_oid, value_hex, serial):
    """cert_path's tbsCertificate with a new serial and the extnValue of
    extension ext_oid replaced by the DER value_hex (to be signed again)."""
    cert = parse(read(cert_path))[0]
    tbs = cert[1][0]
    fields = tbs[1]
    i = 1 if fields[0][0] == 0xa0 else 0
    fields[i] = integer(int(serial))
    want = oid(ext_oid)
    for e in fields[-1][1][0][1]:                 # [3] > Extensions > Extension
        if e[1][0] == want:
            e[1][-1] = (0x04, bytes.fromhex(value_hex))
            break
    else:
        raise SystemExit('no extension ' + ext_oid)
    write(dst, enc(tbs))


def cmd_crl_entries(ca_path, n, dst):
    """A certs-only SignedData whose one CRL (issuer: ca_path's subject, a
    junk signature) lists n serials: memory that must stay linear."""
    ca = parse(read(ca_path))[0]
    f = ca[1][0][1]
    i = 1 if f[0][0] == 0xa0 else 0
    issuer = f[i + 4]                               # the CA's subject
    alg = seq(oid('1.2.840.113549.1.1.11'), (0x05, b''))
    t = (0x17, b'250101000000Z')
    entries = b''.join(enc(seq(integer(k + 1), t)) for k in range(int(n)))
    revoked = b'\x30' + length(len(entries)) + entries
    body = (enc(integer(1)) + enc(alg) + enc(issuer) + enc(t) + enc((0x17, b'491231000000Z')) +
            revoked)
    tbs = b'\x30' + length(len(body)) + body
    crl_body = tbs + enc(alg) + enc((0x03, b'\x00' + b'\x01' * 256))
    crl = b'\x30' + length(len(crl_body)) + crl_body
    ci_oid = enc(oid('1.2.840.113549.1.7.1'))
    econ = enc(seq(oid('1.2.840.113549.1.7.1'), (0xa0, [(0x04, b'x')])))
    sd_body = (enc(integer(1)) + enc((0x31, [])) + econ + b'\xa1' + length(len(crl)) + crl +
               enc((0x31, [])))
    sd = b'\x30' + length(len(sd_body)) + sd_body
    ex = b'\xa0' + length(len(sd)) + sd
    ci_body = enc(oid('1.2.840.113549.1.7.2')) + ex
    del ci_oid
    write(dst, b'\x30' + length(len(ci_body)) + ci_body)


def cmd_content_info(oid_dotted, src, dst):
    """ContentInfo { oid, [0] EXPLICIT the DER of src } (src is the inner
    structure itself, as RFC 3854 §3.4.1 nests it)."""
    write(dst, enc(seq(oid(oid_dotted), (0xa0, read(src)))))


if __name__ == '__main__':
    globals()['cmd_' + sys.argv[1].replace('-', '_')](*sys.argv[2:])
