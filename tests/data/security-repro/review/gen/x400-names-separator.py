import sys; sys.path.insert(0, '/work/review-findings/lib')
from mkcert import *
ca, cakey = load_cert(PKI + '/ca.pem'), load_key(PKI + '/ca.key')
k = load_key(PKI + '/direct.key')
bisa = SEQ(T(0x61, PRINT('GB')), IMP(3, b'Acme, email:ceo@bank.example, xmpp:ceo@bank.example'))
subj = NAME((O, UTF8('Acme')), (CN, UTF8('X400 sep')))
d = issue(subj, [KU_SIGN, EKU_EMAIL, BC_FALSE, san(T(0xa3, bisa))], spki(k), ca, cakey, 0x91)
open('x400-sep.pem', 'w').write(pem(d))
