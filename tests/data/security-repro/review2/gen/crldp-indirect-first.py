#!/usr/bin/env python3
# Leaf (issued by pki/ca) with two distribution points: DP1 is served by
# another CRL issuer (cRLIssuer = pki/other-ca), DP2 is the CA's own
# partitioned CRL http://crl.example/p2.crl.  crl-p2.pem is that CRL (by pki/ca,
# IDP fullName URI http://crl.example/p2.crl) and lists the leaf's serial.
import sys, os
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'lib'))
from mk import *
URI = 'http://crl.example/p2.crl'
other = load_cert('other-ca')
dp1 = X.DistributionPoint([X.UniformResourceIdentifier('http://other.example/o.crl')], None, None,
                          [X.DirectoryName(other.subject)])
dp2 = X.DistributionPoint([X.UniformResourceIdentifier(URI)], None, None, None)
write('leaf-indirect-first.pem', pem(leaf('Two DPs, indirect first', 0x2001,
      [(X.CRLDistributionPoints([dp1, dp2]), False)])))
write('leaf-direct-first.pem', pem(leaf('Two DPs, direct first', 0x2002,
      [(X.CRLDistributionPoints([dp2, dp1]), False)])))
idp = X.IssuingDistributionPoint([X.UniformResourceIdentifier(URI)], None, False, False, None, False, False)
write('crl-p2.pem', pem(crl_builder(revoked=[0x2001, 0x2002], exts=[(idp, True)])))
