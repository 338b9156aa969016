#!/usr/bin/env python3
"""tests/xmlcmp.py A B [--ignore-attr NAME]... -- are two XMPP inputs equal as XML?

Each file holds one stanza, a sequence of stanzas, or a whole <stream:stream>;
the top-level elements are compared in order (DESIGN §3 rule 11: "equal as
XML, same elements, attributes and text"): names by namespace and local name
(prefixes do not matter), attributes as a set, text exactly, except that
white space between child elements is ignored.  A bare sequence is read in
jabber:client.  --ignore-attr drops a top-level stanza attribute before the
comparison (e.g. xml:lang or from, which a server adds or stamps).
Exit 0 equal, 1 different (the first difference on stderr), 2 error.
"""
import sys
import xml.etree.ElementTree as ET

XML_NS = '{http://www.w3.org/XML/1998/namespace}'


def elements(path):
    data = open(path, 'rb').read()
    s = data.lstrip()
    if s.startswith(b'<?xml'):
        s = s[s.index(b'?>') + 2:].lstrip()
    if s.startswith(b'<stream:stream'):
        if b'</stream:stream>' not in s:
            s += b'</stream:stream>'
        root = ET.fromstring(s)
    else:
        root = ET.fromstring(b"<r xmlns='jabber:client'>" + s + b"</r>")
    return list(root)


def norm_attrs(e, ignore):
    out = {}
    for k, v in e.attrib.items():
        short = k.replace(XML_NS, 'xml:')
        if short in ignore:
            continue
        out[k] = v
    return out


def text_of(t):
    return t or ''


def diff(a, b, path, ignore):
    if a.tag != b.tag:
        return '%s: element %s != %s' % (path, a.tag, b.tag)
    if norm_attrs(a, ignore) != norm_attrs(b, ignore):
        return '%s: attributes %r != %r' % (path, norm_attrs(a, ignore), norm_attrs(b, ignore))
    ca, cb = list(a), list(b)
    ta, tb = text_of(a.text), text_of(b.text)
    if ca or cb:
        # element content: white space between children does not count
        if ta.strip() or tb.strip():
            if ta != tb:
                return '%s: text %r != %r' % (path, ta, tb)
    elif ta != tb:
        return '%s: text %r != %r' % (path, ta, tb)
    if len(ca) != len(cb):
        return '%s: %d children != %d' % (path, len(ca), len(cb))
    for i, (x, y) in enumerate(zip(ca, cb)):
        d = diff(x, y, '%s/%s[%d]' % (path, x.tag, i), set())
        if d:
            return d
        tx, ty = text_of(x.tail), text_of(y.tail)
        if (tx.strip() or ty.strip()) and tx != ty:
            return '%s: tail %r != %r' % (path, tx, ty)
    return None


def main(argv):
    ignore = set()
    files = []
    i = 0
    while i < len(argv):
        if argv[i] == '--ignore-attr':
            ignore.add(argv[i + 1])
            i += 2
        else:
            files.append(argv[i])
            i += 1
    if len(files) != 2:
        sys.stderr.write(__doc__)
        return 2
    try:
        a, b = elements(files[0]), elements(files[1])
    except (ET.ParseError, OSError, ValueError) as e:
        sys.stderr.write('xmlcmp: %s\n' % e)
        return 2
    if len(a) != len(b):
        sys.stderr.write('xmlcmp: %d top-level elements != %d\n' % (len(a), len(b)))
        return 1
    for k, (x, y) in enumerate(zip(a, b)):
        d = diff(x, y, '[%d]' % k, ignore)
        if d:
            sys.stderr.write('xmlcmp: %s\n' % d)
            return 1
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
