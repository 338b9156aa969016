#!/usr/bin/env python3
"""x400-ipm.py - write a small X.420 interpersonal message (P22, BER/DER)
for the tests: InformationObject ipm [0] IMPLICIT IPM { heading Heading,
body Body }, the heading with this-IPM, originator (an ORName whose O/R
address is given as the hex DER of a BuiltInStandardAttributes SEQUENCE,
optionally followed by more ORAddress components), and subject; the body
one ia5-text part.  X.420 and X.411 are IMPLICIT TAGS; subject is
[8] EXPLICIT (a CHOICE-free TeletexString, X.420 SubjectField).

usage: x400-ipm.py OUT ORADDR-HEX [SUBJECT] [--no-originator] [--ipn] [--dup]
(--dup: a second originator field, which X.420 does not allow)
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from der import enc  # noqa: E402  (the one DER writer of the tests)


def tlv(tag, content):
    return enc((tag, content))


def main(argv):
    args = [a for a in argv[1:] if not a.startswith('--')]
    flags = [a for a in argv[1:] if a.startswith('--')]
    out, oraddr = args[0], bytes.fromhex(args[1].replace(':', ''))
    subject = args[2] if len(args) > 2 else 'Test IPM'
    if '--ipn' in flags:
        # ipn [1] IMPLICIT IPN (SET): subject-ipm [0]... kept minimal
        obj = tlv(0xa1, tlv(0x6b, tlv(0x13, b'm1')))
    else:
        this_ipm = tlv(0x6b, tlv(0x13, b'm1'))               # [APPLICATION 11] SET
        orname = tlv(0x60, oraddr)                           # [APPLICATION 0] SEQUENCE
        originator = tlv(0xa0, orname)                       # [0] ORDescriptor (SET)
        subj = tlv(0xa8, tlv(0x14, subject.encode()))        # [8] EXPLICIT TeletexString
        fields = [this_ipm] + ([] if '--no-originator' in flags else [originator]) + [subj]
        if '--dup' in flags:
            fields.insert(2, originator)
        heading = tlv(0x31, b''.join(fields))
        text = tlv(0xa0, tlv(0x31, b'') + tlv(0x16, b'Hello from X.400\r\n\x00'))  # ia5-text [0]
        body = tlv(0x30, text)
        obj = tlv(0xa0, heading + body)                      # ipm [0] IMPLICIT IPM
    with open(out, 'wb') as f:
        f.write(obj)


if __name__ == '__main__':
    main(sys.argv)
