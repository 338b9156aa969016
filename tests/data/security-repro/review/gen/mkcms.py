# build CMS SignedData by hand (RFC 5652), signed with an RSA key
import sys, os, hashlib
sys.path.insert(0, os.path.dirname(__file__))
from der import *
from mkcert import *
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives import hashes
ID_DATA = '1.2.840.113549.1.7.1'; ID_SIGNED = '1.2.840.113549.1.7.2'
SHA256 = SEQ(OID('2.16.840.1.101.3.4.2.1'))
RSAENC = SEQ(OID('1.2.840.113549.1.1.1'), NULL())

def signer_info(content, cert, key, ctype=ID_DATA, extra_signed=(), unsigned=()):
    c = x509.load_der_x509_certificate(cert) if isinstance(cert, bytes) else cert
    ias = SEQ(c.issuer.public_bytes(), INT(c.serial_number))
    attrs = [SEQ(OID('1.2.840.113549.1.9.3'), SET(OID(ctype))),
             SEQ(OID('1.2.840.113549.1.9.4'), SET(OCT(hashlib.sha256(content).digest())))]
    attrs += list(extra_signed)
    sa = SET(*sorted(attrs))
    sig = key.sign(sa, padding.PKCS1v15(), hashes.SHA256())
    return SEQ(INT(1), ias, SHA256, b'\xa0' + sa[1:], RSAENC, OCT(sig),
               T(0xa1, b''.join(unsigned)) if unsigned else b'')

def signed_data(content, sis, certs=(), crls=(), ctype=ID_DATA, embed=True):
    eci = SEQ(OID(ctype), EXP(0, OCT(content)) if embed else b'')
    sd = SEQ(INT(1), SET(SHA256), eci,
             T(0xa0, b''.join(certs)) if certs else b'',
             T(0xa1, b''.join(crls)) if crls else b'',
             SET(*sis))
    return SEQ(OID(ID_SIGNED), EXP(0, sd))

def cert_der(path):
    return load_cert(path).public_bytes(serialization.Encoding.DER)
