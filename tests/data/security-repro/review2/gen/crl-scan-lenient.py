#!/usr/bin/env python3
# CRLs signed by pki/ca that the old full libtasn1 decode refused and the
# hand scan of 9aec550 (tlv(), crl_entries()) accepts:
#   time-empty.der          revocationDate 17 00 (empty UTCTime)
#   time-garbage.der        revocationDate 17 04 00 ff 7a 7a
#   time-truncated-len.der  revocationDate 17 83 00 00 (3 length octets announced, 2 present)
#   list-truncated-len.der  revokedCertificates, last in the TBS, is 30 84 00 (length octets cut)
import sys, os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from mk import *
issuer, _ = name_of(os.path.join(PKI, 'ca.pem'))
T = utc('260101000000Z'); N = utc('360101000000Z')
EXT = tlv(0xa0, seq(ext('2.5.29.20', integer(1))))
head = integer(1) + SHA256RSA + issuer + T + N
write('time-empty.der', sign(seq(head, seq(seq(integer(0x1003), tlv(0x17, b''))), EXT)))
write('time-garbage.der', sign(seq(head, seq(seq(integer(0x1003), tlv(0x17, b'\x00\xffzz'))), EXT)))
write('time-truncated-len.der', sign(seq(head, seq(seq(integer(0x1003), b'\x17\x83\x00\x00')), EXT)))
write('list-truncated-len.der', sign(tlv(0x30, head + b'\x30\x84\x00')))
