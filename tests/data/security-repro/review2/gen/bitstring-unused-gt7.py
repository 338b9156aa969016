#!/usr/bin/env python3
# The signature BIT STRING of pki/direct.pem and of pki/crl.der re-encoded
# with an "unused bits" octet of 8 and one more (zero) octet.  X.690
# 8.6.2.2: that octet is 0..7, so neither is DER (nor BER); libtasn1 reports
# 8*(n+1)-8 bits and xe2e_der_read_bits() takes the first n octets -- the
# original signature -- so both verify.
import sys, os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from mk import *
from cryptography import x509 as X
def pad(der):
    top = parse(der)[0]
    tbs, alg, sig = parse(top[1])
    return seq(tbs[2], alg[2], tlv(0x03, b'\x08' + sig[1][1:] + b'\x00'))
c = X.load_pem_x509_certificate(open(os.path.join(PKI, 'direct.pem'), 'rb').read())
write('direct-sig-unused8.der', pad(c.public_bytes(serialization.Encoding.DER)))
write('crl-sig-unused8.der', pad(open(os.path.join(PKI, 'crl.der'), 'rb').read()))
