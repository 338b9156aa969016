# issue hand-built certificates under the test CA (tests/gen-pki.sh output)
import sys, os
sys.path.insert(0, os.path.dirname(__file__))
from der import *
from cryptography import x509
from cryptography.hazmat.primitives import serialization, hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

PKI = os.environ.get('PKI', '/work/review-findings/pki')
SHA256RSA = SEQ(OID('1.2.840.113549.1.1.11'), NULL())

def load_key(path):
    return serialization.load_pem_private_key(open(path, 'rb').read(), None)
def load_cert(path):
    return x509.load_pem_x509_certificate(open(path, 'rb').read())
def spki(key):
    return key.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
def ext(oid, value, critical=False):
    return SEQ(OID(oid), BOOL(True) if critical else b'', OCT(value))

def issue(subject, exts, spki_der, issuer_cert, issuer_key, serial=0x1234567,
          nb='250101000000Z', na='341230000000Z'):
    issuer = issuer_cert.subject.public_bytes()
    tbs = SEQ(EXP(0, INT(2)), INT(serial), SHA256RSA, issuer,
              SEQ(UTC(nb), UTC(na)), subject, spki_der,
              EXP(3, SEQ(*exts)) if exts else b'')
    sig = issuer_key.sign(tbs, padding.PKCS1v15(), hashes.SHA256())
    return SEQ(tbs, SHA256RSA, BIT(sig))

def pem(der, label='CERTIFICATE'):
    import base64
    b = base64.encodebytes(der).decode().replace('\n', '')
    return '-----BEGIN %s-----\n%s\n-----END %s-----\n' % (label, '\n'.join(b[i:i+64] for i in range(0, len(b), 64)), label)

# usual end-entity extensions
KU_SIGN = ext('2.5.29.15', BIT(b'\xe0', 5), True)        # digitalSignature,nonRepudiation,keyEncipherment
EKU_EMAIL = ext('2.5.29.37', SEQ(OID('1.3.6.1.5.5.7.3.4')))
BC_FALSE = ext('2.5.29.19', SEQ())
def san(*gns): return ext('2.5.29.17', SEQ(*gns))
def rfc822(s): return IMP(1, s.encode())
