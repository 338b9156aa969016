#!/usr/bin/env python3
# A CRL whose TBSCertList holds 8 TLVs (7 is the most RFC 5280 allows):
# xe2e_crl_parse() then writes at[8] past `const unsigned char *at[8]`.
import sys, os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from mk import *
issuer, _ = name_of(os.path.join(PKI, 'ca.pem'))
tbs = seq(integer(1), SHA256RSA, issuer, utc('260101000000Z'), utc('360101000000Z'),
          seq(seq(integer(0x1003), utc('260101000000Z'))),
          tlv(0xa0, seq(ext('2.5.29.20', integer(1)))),
          tlv(0xa1, b''))                       # the 8th element
write('crl-8.der', sign(tbs))
