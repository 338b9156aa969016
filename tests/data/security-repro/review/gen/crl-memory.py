import sys; sys.path.insert(0, '/work/review-findings/lib')
from der import *
n = int(sys.argv[1]); out = sys.argv[2]
issuer = NAME((CN, UTF8('Example Test Root CA')), (O, UTF8('Example')))
entry = lambda i: SEQ(INT(i+1), UTC('250101000000Z'))
revoked = SEQ(*[entry(i) for i in range(n)])
alg = SEQ(OID('1.2.840.113549.1.1.11'), NULL())
tbs = SEQ(INT(1), alg, issuer, UTC('250101000000Z'), UTC('491231000000Z'), revoked)
crl = SEQ(tbs, alg, BIT(b'\x00'*256))
sd = SEQ(INT(1), SET(), SEQ(OID('1.2.840.113549.1.7.1'), EXP(0, OCT(b'x'))), T(0xa1, crl), SET())
ci = SEQ(OID('1.2.840.113549.1.7.2'), EXP(0, sd))
open(out, 'wb').write(ci)
open(out + '.crl', 'wb').write(crl)
