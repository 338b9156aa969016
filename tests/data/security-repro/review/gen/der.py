# minimal DER encoder for building hostile inputs
def L(n):
    if n < 0x80: return bytes([n])
    b = n.to_bytes((n.bit_length()+7)//8, 'big')
    return bytes([0x80|len(b)]) + b
def T(tag, content): return bytes([tag]) + L(len(content)) + content
def SEQ(*xs): return T(0x30, b''.join(xs))
def SET(*xs): return T(0x31, b''.join(xs))
def INT(v):
    if isinstance(v, bytes): return T(0x02, v)
    n = (v.bit_length()+8)//8 or 1
    return T(0x02, v.to_bytes(n, 'big', signed=True))
def OID(s):
    p = [int(x) for x in s.split('.')]
    out = bytes([40*p[0]+p[1]])
    for x in p[2:]:
        enc = [x & 0x7f]; x >>= 7
        while x: enc.append(0x80 | (x & 0x7f)); x >>= 7
        out += bytes(reversed(enc))
    return T(0x06, out)
def OCT(b): return T(0x04, b)
def BIT(b, unused=0): return T(0x03, bytes([unused]) + b)
def UTF8(s): return T(0x0c, s if isinstance(s, bytes) else s.encode())
def PRINT(s): return T(0x13, s if isinstance(s, bytes) else s.encode())
def IA5(s): return T(0x16, s if isinstance(s, bytes) else s.encode())
def UTC(s): return T(0x17, s.encode())
def NULL(): return b'\x05\x00'
def BOOL(v): return T(0x01, b'\xff' if v else b'\x00')
def EXP(n, x): return T(0xa0 | n, x)          # [n] EXPLICIT / constructed context
def IMP(n, x): return T(0x80 | n, x)          # [n] IMPLICIT primitive
def NAME(*rdns):  # rdns: list of (oid, der-value)
    return SEQ(*[SET(SEQ(OID(o), v)) for o, v in rdns])
CN='2.5.4.3'; O='2.5.4.10'; C='2.5.4.6'
