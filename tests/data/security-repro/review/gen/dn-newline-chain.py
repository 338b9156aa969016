import sys; sys.path.insert(0, '/work/review-findings/lib')
from mkcert import *
ca, cakey = load_cert(PKI + '/ca.pem'), load_key(PKI + '/ca.key')
k = load_key(PKI + '/direct.key')
def mk(fn, cn, serial):
    subj = NAME((O, UTF8('Evil Corp')), (CN, UTF8(cn)))
    d = issue(subj, [KU_SIGN, EKU_EMAIL, BC_FALSE, san(rfc822('mallory@evil.test'))], spki(k), ca, cakey, serial)
    open(fn, 'w').write(pem(d))
mk('nul-cn.pem', b'Juliet Capulet\x00', 0x51)
mk('nl-cn.pem', b'Mallory\nCN=Example Test Root CA', 0x52)
# a CA:TRUE end entity: its warning carries the subject too
subj = NAME((O, UTF8('Evil Corp')), (CN, UTF8(b'Mallory\nCN=Bank Root CA')))
d = issue(subj, [KU_SIGN, EKU_EMAIL, ext('2.5.29.19', SEQ(BOOL(True)), True), san(rfc822('mallory@evil.test'))], spki(k), ca, cakey, 0x53)
open('nl-cn-ca.pem', 'w').write(pem(d))
