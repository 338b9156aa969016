import sys; sys.path.insert(0, '/work/review-findings/lib')
from mkcert import *
ca, cakey = load_cert(PKI + '/ca.pem'), load_key(PKI + '/ca.key')
k = load_key(PKI + '/direct.key')
bisa = SEQ(T(0x61, PRINT('GB')), T(0x62, PRINT(' ')), T(0xa2, PRINT('Acme')),
           IMP(3, b'Acme'), T(0xa5, IMP(0, b'Smith')))
# extension-attribute common-name (type 1) = "Mallory": RFC 5280 App. A.1
extattr = SET(SEQ(IMP(0, b'\x01'), T(0xa1, PRINT('Mallory'))))
def x400(*parts): return T(0xa3, b''.join(parts))
def mk(fn, parts, serial):
    subj = NAME((O, UTF8('Acme')), (CN, UTF8('X400 user %d' % serial)))
    d = issue(subj, [KU_SIGN, EKU_EMAIL, BC_FALSE, san(x400(*parts))], spki(k), ca, cakey, serial)
    open(fn, 'w').write(pem(d))
mk('x400-with-ext-attr.pem', [bisa, extattr], 0x61)
mk('x400-plain.pem', [bisa], 0x62)
