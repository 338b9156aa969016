#!/usr/bin/env python3
# An end entity of pki/ca whose one xmppAddr is
#   "eve@evil.example,<U+00A0>email:boss@example.com"
# (NO-BREAK SPACE, which utf8_name_ok() and xe2e_text_must_escape() let
# through) and whose one rfc822Name is eve@evil.example.
import sys, os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from mk import *
from cryptography.x509.oid import ObjectIdentifier
v = 'eve@evil.example,\u00a0email:boss@example.com'.encode()
xmpp = X.OtherName(ObjectIdentifier('1.3.6.1.5.5.7.8.5'), tlv(0x0c, v))
ca = load_cert('ca')
k = key('direct')
now = datetime.datetime(2026, 1, 1)
c = (X.CertificateBuilder()
     .subject_name(X.Name([X.NameAttribute(NameOID.ORGANIZATION_NAME, 'Example'),
                           X.NameAttribute(NameOID.COMMON_NAME, 'Eve')]))
     .issuer_name(ca.subject).public_key(k.public_key()).serial_number(0x4001)
     .not_valid_before(now).not_valid_after(now + datetime.timedelta(days=3650))
     .add_extension(X.KeyUsage(True, True, True, False, False, False, False, False, False), True)
     .add_extension(X.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
     .add_extension(X.SubjectAlternativeName([X.RFC822Name('eve@evil.example'), xmpp]), False)
     .sign(key('ca'), hashes.SHA256()))
write('eve-nbsp.pem', pem(c))
