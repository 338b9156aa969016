import sys; sys.path.insert(0, '/work/review-findings/lib')
from mkcert import *
PKI='/work/review2-findings/pki'
ca, cakey = load_cert(PKI + '/ca.pem'), load_key(PKI + '/ca.key')
k = load_key(PKI + '/direct.key')
bisa = SEQ(T(0x61, PRINT('GB')), T(0x62, PRINT(' ')), T(0xa2, PRINT('Acme')), IMP(3, b'Acme'), T(0xa5, IMP(0, b'Smith')))
extattr = SET(SEQ(IMP(0, b'\x01'), T(0xa1, PRINT('Mallory'))), SEQ(IMP(0, b'\x02'), T(0xa1, PRINT('X'))))
subj = NAME((O, UTF8('Acme')), (CN, UTF8('X400 two ext')))
d = issue(subj, [KU_SIGN, EKU_EMAIL, BC_FALSE, san(T(0xa3, bisa + extattr))], spki(k), ca, cakey, 0x71)
open('x400-2ext.pem', 'w').write(pem(d))
