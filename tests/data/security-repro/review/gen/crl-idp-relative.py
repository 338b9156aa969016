import sys; sys.path.insert(0, '/work/review-findings/lib')
from mkcert import *
ca, cakey = load_cert(PKI + '/ca.pem'), load_key(PKI + '/ca.key')
k = load_key(PKI + '/direct.key')
rdn = SEQ(OID(CN), UTF8('CRL partition 1'))
dpname = T(0xa1, rdn)                      # nameRelativeToCRLIssuer [1] IMPLICIT RDN
uri = IMP(6, b'http://crl.example/p1.crl')
fullname = T(0xa0, uri)                    # fullName [0] IMPLICIT GeneralNames
def crldp(name): return ext('2.5.29.31', SEQ(SEQ(T(0xa0, name))))
def idp(name): return ext('2.5.29.28', SEQ(T(0xa0, name)), True)
def leaf(fn, name, serial):
    subj = NAME((O, UTF8('Example')), (CN, UTF8('Partitioned %d' % serial)))
    d = issue(subj, [KU_SIGN, EKU_EMAIL, BC_FALSE, san(rfc822('p%d@example.com' % serial)), crldp(name)],
              spki(k), ca, cakey, serial)
    open(fn, 'w').write(pem(d))
def crl(fn, name, serials):
    revoked = SEQ(*[SEQ(INT(s), UTC('250601000000Z')) for s in serials])
    tbs = SEQ(INT(1), SHA256RSA, ca.subject.public_bytes(), UTC('260101000000Z'), UTC('360101000000Z'),
              revoked, EXP(0, SEQ(idp(name))))
    sig = cakey.sign(tbs, padding.PKCS1v15(), hashes.SHA256())
    open(fn, 'w').write(pem(SEQ(tbs, SHA256RSA, BIT(sig)), 'X509 CRL'))
leaf('leaf-relative.pem', dpname, 0x81); crl('crl-relative.pem', dpname, [0x81])
leaf('leaf-fullname.pem', fullname, 0x82); crl('crl-fullname.pem', fullname, [0x82])
