#!/usr/bin/env python3
"""xmpp.py -- a minimal XMPP client for tests (plain TCP, no TLS, stdlib only).

Used by tests/interop/t5200 with the server of prosody.sh beside it: it sends
stanzas exactly as given and saves what a client receives byte for byte, so
that a test sees what a real server does to them.

    xmpp.py send --port P --jid juliet@example.com/balcony --password PW FILE...
    xmpp.py recv --port P --jid romeo@example.net/orchard --password PW \
                 --count N --out DIR [--timeout S] [--ready-file F]

Both log in with SASL PLAIN over an unencrypted stream (the server must allow
it: Prosody's allow_unencrypted_plain_auth), restart the stream, bind the
resource and, when the server requires it, open a session.

send   writes each FILE's bytes verbatim as one stanza, then waits for the
       reply to every iq get/set among them (matched by id) and for an iq ping
       round trip to its own server, so that everything sent has been routed
       before the stream is closed.  With --out DIR the stanzas it receives
       meanwhile (iq replies, errors, ...) are saved like recv does.
recv   sends initial presence (not with --no-presence), makes a ping round
       trip, then prints "ready" on stdout (and creates --ready-file) and
       writes the next N stanzas from other entities to DIR/1.xml, DIR/2.xml,
       ... exactly as the bytes came from the server.  Ignored (unless --all):
       stanzas without 'from', from its own account (its presence echo, roster
       pushes, other resources) or from its own server's domain.  An iq
       get/set addressed to it is saved and answered (--iq-reply result by
       default, or error = service-unavailable, or none).  Roster pushes and
       server iqs are always answered and never saved.

Exit status: 0 done; 1 connection, stream, authentication or bind failure;
2 usage; 3 timeout (recv: fewer than N stanzas; send: replies missing).
-v logs the raw traffic to stderr.
"""

import argparse
import base64
import os
import select
import socket
import sys
import time
import xml.parsers.expat

NS_STREAM = "http://etherx.jabber.org/streams"
NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl"
NS_BIND = "urn:ietf:params:xml:ns:xmpp-bind"
NS_SESSION = "urn:ietf:params:xml:ns:xmpp-session"
NS_ROSTER = "jabber:iq:roster"
NS_PING = "urn:xmpp:ping"
NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas"
NS_CLIENT = "jabber:client"
STANZAS = ("message", "presence", "iq")


class Fail(Exception):
    """A connection, stream or protocol failure (exit status 1)."""


class Timeout(Exception):
    """A bounded wait ran out (exit status 3)."""


def xml_attr(value):
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("'", "&apos;").replace('"', "&quot;"))


def xml_text(value):
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def split_jid(jid):
    """'u@d/r' -> ('u', 'd', 'r'); missing parts are None."""
    resource = None
    if "/" in jid:
        jid, resource = jid.split("/", 1)
    node = None
    if "@" in jid:
        node, jid = jid.split("@", 1)
    return node, jid, resource


def bare(jid):
    node, domain, _ = split_jid(jid)
    return domain if node is None else node + "@" + domain


class Elem:
    """A parsed element: ns, name, attrs (unprefixed names; xml:lang as
    'xml:lang'), children, text; raw = the bytes as received (top level only)."""

    def __init__(self, ns, name, attrs):
        self.ns, self.name, self.attrs = ns, name, attrs
        self.children = []
        self.text = ""
        self.raw = None

    def find(self, ns, name):
        for c in self.children:
            if c.ns == ns and c.name == name:
                return c
        return None

    def get(self, key, default=None):
        return self.attrs.get(key, default)

    def __repr__(self):
        return "<%s xmlns=%r %r>" % (self.name, self.ns, self.attrs)


def qname(name):
    """expat 'uri name' (namespace_separator ' ') -> (uri, local)."""
    if " " in name:
        uri, local = name.split(" ", 1)
        return uri, local
    return "", name


def scan_gt(data, pos):
    """Index just past the first '>' at or after pos that is outside a quoted
    attribute value (a '>' may stand unescaped in an attribute value)."""
    quote = None
    n = len(data)
    while pos < n:
        c = data[pos]
        if quote is not None:
            if c == quote:
                quote = None
        elif c in (0x27, 0x22):
            quote = c
        elif c == 0x3E:
            return pos + 1
        pos += 1
    raise Fail("internal error: tag end not in buffer")


class Stream:
    """The server-to-client half of the XML stream: an incremental expat
    parser over a byte buffer that yields top-level elements with their raw
    bytes.  Stanza boundaries come from expat's CurrentByteIndex: at a start
    tag it is the position of '<'; at an end tag the position of '</'; for an
    empty-element tag expat reports the end event just past the '/>'."""

    def __init__(self, sock, verbose=False):
        self.sock = sock
        self.verbose = verbose
        self.buf = bytearray()      # received bytes not yet discarded
        self.buf_base = 0           # absolute offset of buf[0]
        self.total = 0              # absolute number of bytes received
        self.queue = []             # complete top-level elements
        self.closed = False         # server's </stream:stream> seen
        self.eof = False            # TCP connection closed by the server
        self.stream_attrs = None
        self.gen = 0
        self._new_parser(0)

    # --- parser -------------------------------------------------------------
    def _new_parser(self, start):
        self.gen += 1
        self.parser_base = start    # absolute offset of this parser's byte 0
        self.depth = 0
        self.stack = []
        self.top_start = None
        self.last_end = start       # end of the last complete top-level element
        self.stream_attrs = None
        self.closed = False
        p = xml.parsers.expat.ParserCreate(namespace_separator=" ")
        p.StartElementHandler = self._start
        p.EndElementHandler = self._end
        p.CharacterDataHandler = self._chars
        self.parser = p

    def _abs(self):
        return self.parser_base + self.parser.CurrentByteIndex

    def _bytes(self, start, end):
        return bytes(self.buf[start - self.buf_base:end - self.buf_base])

    def _start(self, name, attrs):
        ns, local = qname(name)
        fixed = {}
        for k, v in attrs.items():
            kns, klocal = qname(k)
            if kns == "http://www.w3.org/XML/1998/namespace":
                fixed["xml:" + klocal] = v
            elif kns:
                fixed["{%s}%s" % (kns, klocal)] = v
            else:
                fixed[klocal] = v
        if self.depth == 0:
            if (ns, local) != (NS_STREAM, "stream"):
                raise Fail("server did not open a stream: %s" % name)
            self.stream_attrs = fixed
        else:
            e = Elem(ns, local, fixed)
            if self.depth == 1:
                self.top_start = self._abs()
                self.top_gen = self.gen
            else:
                self.stack[-1].children.append(e)
            self.stack.append(e)
        self.depth += 1

    def _end(self, name):
        self.depth -= 1
        if self.depth == 0:
            self.closed = True
            return
        e = self.stack.pop()
        if self.depth == 1:
            start = self.top_start
            pos = self._abs()
            tag_end = scan_gt(self.buf, start - self.buf_base) + self.buf_base
            if self._bytes(tag_end - 2, tag_end) == b"/>":
                end = tag_end               # <x .../>: reported past the tag
            else:
                end = scan_gt(self.buf, pos - self.buf_base) + self.buf_base
            e.raw = self._bytes(start, end)
            e.end = end
            self.last_end = end
            e.gen = self.gen
            self.queue.append(e)

    def _chars(self, data):
        if self.depth >= 2:
            self.stack[-1].text += data

    def restart(self, after):
        """Start a new parser for the stream the server opens after SASL
        success; bytes after absolute offset `after` are fed to it."""
        old_gen = self.gen
        rest = bytes(self.buf[after - self.buf_base:])
        self.queue = [e for e in self.queue if e.gen != old_gen]
        self._new_parser(after)
        if rest:
            self._feed_parser(rest)

    def _feed_parser(self, data):
        try:
            self.parser.Parse(data, False)
        except xml.parsers.expat.ExpatError as ex:
            raise Fail("server sent malformed XML: %s" % ex)

    # --- I/O ------------------------------------------------------------------
    def read_some(self, deadline):
        """Wait (until deadline) for data and parse it."""
        if self.eof:
            raise Fail("connection closed by server")
        left = deadline - time.monotonic()
        if left <= 0:
            raise Timeout()
        r, _, _ = select.select([self.sock], [], [], left)
        if not r:
            raise Timeout()
        try:
            data = self.sock.recv(65536)
        except OSError as ex:
            raise Fail("recv: %s" % ex)
        if not data:
            self.eof = True
            raise Fail("connection closed by server")
        if self.verbose:
            log("S: " + data.decode("utf-8", "replace"))
        self.buf += data
        self.total += len(data)
        self._feed_parser(data)
        # discard bytes before the current top-level element (or, between
        # elements, before the end of the last one: a tag may be incomplete)
        keep = self.top_start if self.depth >= 2 else self.last_end
        if self.queue:
            keep = min(keep, min(e.end for e in self.queue))
        keep = max(keep, self.buf_base)
        cut = keep - self.buf_base
        if cut > 65536:
            del self.buf[:cut]
            self.buf_base = keep

    def next(self, deadline):
        """The next top-level element (stanza, features, ...)."""
        while not self.queue:
            if self.closed:
                raise Fail("server closed the stream")
            self.read_some(deadline)
        e = self.queue.pop(0)
        if e.ns == NS_STREAM and e.name == "error":
            cond = ",".join(c.name for c in e.children) or "?"
            raise Fail("stream error from server: %s" % cond)
        return e


def log(msg):
    sys.stderr.write("xmpp.py: %s\n" % msg)
    sys.stderr.flush()


class Client:
    def __init__(self, args):
        self.args = args
        self.verbose = args.verbose
        node, domain, resource = split_jid(args.jid)
        if not node or not domain:
            raise Fail("--jid must be user@domain[/resource]")
        self.node, self.domain, self.resource = node, domain, resource
        self.jid = None
        self.ids = 0
        try:
            self.sock = socket.create_connection((args.host, args.port), timeout=args.connect_timeout)
        except OSError as ex:
            raise Fail("cannot connect to %s:%s: %s" % (args.host, args.port, ex))
        self.sock.settimeout(None)
        self.stream = Stream(self.sock, self.verbose)

    def new_id(self, prefix="x"):
        self.ids += 1
        return "%s%d-%d" % (prefix, os.getpid(), self.ids)

    def send(self, data):
        if isinstance(data, str):
            data = data.encode("utf-8")
        if self.verbose:
            log("C: " + data.decode("utf-8", "replace"))
        try:
            self.sock.sendall(data)
        except OSError as ex:
            raise Fail("send: %s" % ex)

    def open_stream(self):
        lang = " xml:lang='%s'" % xml_attr(self.args.lang) if self.args.lang else ""
        self.send("<?xml version='1.0'?><stream:stream to='%s' version='1.0'%s "
                  "xmlns='jabber:client' xmlns:stream='%s'>" % (xml_attr(self.domain), lang, NS_STREAM))

    def expect(self, deadline, what):
        try:
            return self.stream.next(deadline)
        except Timeout:
            raise Fail("timed out waiting for %s" % what)

    def features(self, deadline):
        e = self.expect(deadline, "stream features")
        if (e.ns, e.name) != (NS_STREAM, "features"):
            raise Fail("expected stream features, got %s" % e.name)
        return e

    def iq_wait(self, iq_id, deadline, what, on_other=None):
        """Wait for the iq result/error with this id; other stanzas go to
        on_other (or are dropped)."""
        while True:
            e = self.expect(deadline, what)
            if e.name == "iq" and e.get("id") == iq_id and e.get("type") in ("result", "error"):
                return e
            if on_other:
                on_other(e)

    def login(self):
        deadline = time.monotonic() + self.args.login_timeout
        self.open_stream()
        feats = self.features(deadline)
        mechs = feats.find(NS_SASL, "mechanisms")
        names = [m.text.strip() for m in mechs.children] if mechs else []
        if "PLAIN" not in names:
            raise Fail("server offers no SASL PLAIN (mechanisms: %s)" % (",".join(names) or "none"))
        cred = base64.b64encode(b"\0" + self.node.encode() + b"\0" + self.args.password.encode()).decode()
        self.send("<auth xmlns='%s' mechanism='PLAIN'>%s</auth>" % (NS_SASL, cred))
        e = self.expect(deadline, "SASL result")
        if e.ns == NS_SASL and e.name == "failure":
            raise Fail("authentication failed: %s" % (",".join(c.name for c in e.children if c.name != "text") or "?"))
        if (e.ns, e.name) != (NS_SASL, "success"):
            raise Fail("unexpected SASL answer: %s" % e.name)
        self.stream.restart(e.end)
        self.open_stream()
        feats = self.features(deadline)
        if not feats.find(NS_BIND, "bind"):
            raise Fail("server offers no resource binding")
        bid = self.new_id("bind")
        res = "<resource>%s</resource>" % xml_text(self.resource) if self.resource else ""
        self.send("<iq type='set' id='%s'><bind xmlns='%s'>%s</bind></iq>" % (bid, NS_BIND, res))
        e = self.iq_wait(bid, deadline, "bind result")
        if e.get("type") != "result":
            raise Fail("resource binding failed")
        b = e.find(NS_BIND, "bind")
        j = b.find(NS_BIND, "jid") if b else None
        if not j:
            raise Fail("bind result without jid")
        self.jid = j.text.strip()
        if self.resource and self.jid != "%s@%s/%s" % (self.node, self.domain, self.resource):
            log("warning: bound %s, not the requested resource" % self.jid)
        sess = feats.find(NS_SESSION, "session")
        if sess and not sess.find(NS_SESSION, "optional"):
            sid = self.new_id("sess")
            self.send("<iq type='set' id='%s'><session xmlns='%s'/></iq>" % (sid, NS_SESSION))
            e = self.iq_wait(sid, deadline, "session result")
            if e.get("type") != "result":
                raise Fail("session establishment failed")

    def ping(self, deadline, on_other=None):
        pid = self.new_id("ping")
        self.send("<iq type='get' id='%s' to='%s'><ping xmlns='%s'/></iq>"
                  % (pid, xml_attr(self.domain), NS_PING))
        return self.iq_wait(pid, deadline, "ping reply", on_other)

    def close(self):
        """Close the stream and wait (briefly) for the server's close."""
        try:
            self.send("</stream:stream>")
            deadline = time.monotonic() + 5
            while not self.stream.closed and not self.stream.eof:
                self.stream.queue.clear()
                self.stream.read_some(deadline)
        except (Fail, Timeout):
            pass
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()

    # --- classification ---------------------------------------------------
    def is_foreign(self, e):
        """From another entity (not own account, not own server, not absent)?"""
        frm = e.get("from")
        if not frm:
            return False
        if bare(frm) == "%s@%s" % (self.node, self.domain):
            return False
        if frm == self.domain:
            return False
        return True

    def answer_iq(self, e, mode):
        if e.name != "iq" or e.get("type") not in ("get", "set"):
            return
        to = " to='%s'" % xml_attr(e.get("from")) if e.get("from") else ""
        iq_id = xml_attr(e.get("id", ""))
        if mode == "result":
            self.send("<iq type='result' id='%s'%s/>" % (iq_id, to))
        elif mode == "error":
            self.send("<iq type='error' id='%s'%s><error type='cancel'><service-unavailable xmlns='%s'/>"
                      "</error></iq>" % (iq_id, to, NS_STANZAS))

    def answer_own_iq(self, e):
        """Roster pushes, server pings and other iqs from own server/account."""
        if e.name != "iq" or e.get("type") not in ("get", "set"):
            return
        child = e.children[0] if e.children else None
        if child is not None and (child.ns, child.name) in ((NS_ROSTER, "query"), (NS_PING, "ping")):
            self.answer_iq(e, "result")
        else:
            self.answer_iq(e, "error")


class Saver:
    def __init__(self, outdir):
        self.outdir = outdir
        self.n = 0

    def save(self, e):
        self.n += 1
        if self.outdir is None:
            return
        path = os.path.join(self.outdir, "%d.xml" % self.n)
        tmp = os.path.join(self.outdir, ".%d.xml.tmp" % self.n)
        with open(tmp, "wb") as f:
            f.write(e.raw)
        os.replace(tmp, path)


def stanza_info(data):
    """(name, type, id) of a stanza given as bytes, or None if not parsable."""
    p = xml.parsers.expat.ParserCreate(namespace_separator=" ")
    info = []
    depth = [0]

    def start(name, attrs):
        if depth[0] == 1 and not info:
            info.append((qname(name)[1], attrs.get("type"), attrs.get("id")))
        depth[0] += 1

    def end(name):
        depth[0] -= 1
    p.StartElementHandler = start
    p.EndElementHandler = end
    try:
        # the stanza is parsed inside a wrapper declaring the stream's namespaces
        p.Parse(b"<w xmlns='jabber:client' xmlns:stream='" + NS_STREAM.encode() + b"'>", False)
        p.Parse(data, False)
        p.Parse(b"</w>", True)
    except xml.parsers.expat.ExpatError:
        return None
    return info[0] if info else None


def cmd_send(args):
    files = []
    for fn in args.files:
        try:
            with open(fn, "rb") as f:
                files.append((fn, f.read()))
        except OSError as ex:
            raise Fail("cannot read %s: %s" % (fn, ex))
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    saver = Saver(args.out)
    c = Client(args)
    c.login()
    if args.presence:
        c.send("<presence/>")
    pending = set()
    for fn, data in files:
        info = stanza_info(data)
        if info is None:
            log("warning: %s is not a well-formed stanza; sent anyway" % fn)
        elif info[0] == "iq" and info[1] in ("get", "set") and info[2] is not None and not args.no_wait_iq:
            pending.add(info[2])
        c.send(data)
    deadline = time.monotonic() + args.timeout
    replies = {}

    def other(e):
        if e.name == "iq" and e.get("type") in ("result", "error") and e.get("id") in pending:
            pending.discard(e.get("id"))
            replies[e.get("id")] = e
            saver.save(e)
            return
        if c.is_foreign(e) or args.all:
            saver.save(e)
            if e.name == "iq":
                c.answer_iq(e, args.iq_reply)
        else:
            c.answer_own_iq(e)
    try:
        c.ping(deadline, other)
        while pending:
            other(c.stream.next(deadline))
    except Timeout:
        c.close()
        log("timeout: no reply to iq %s" % ", ".join(sorted(pending)))
        return 3
    for iq_id, e in replies.items():
        if e.get("type") == "error":
            log("note: iq %s was answered with an error" % iq_id)
    c.close()
    return 0


def cmd_recv(args):
    os.makedirs(args.out, exist_ok=True)
    saver = Saver(args.out)
    c = Client(args)
    c.login()
    deadline = time.monotonic() + args.login_timeout
    early = []
    if not args.no_presence:
        c.send("<presence/>")

    def hold(e):
        early.append(e)
    try:
        c.ping(deadline, hold)
    except Timeout:
        raise Fail("timed out waiting for ping reply")
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    if args.ready_file:
        with open(args.ready_file, "w") as f:
            f.write("%s\n" % c.jid)
    deadline = time.monotonic() + args.timeout
    try:
        while saver.n < args.count:
            e = early.pop(0) if early else c.stream.next(deadline)
            if c.is_foreign(e) or (args.all and e.name in STANZAS):
                saver.save(e)
                if args.verbose:
                    log("saved %d: %s" % (saver.n, e.raw.decode("utf-8", "replace")))
                if e.name == "iq":
                    c.answer_iq(e, args.iq_reply)
            else:
                if args.verbose:
                    log("ignored: %s" % e.raw.decode("utf-8", "replace"))
                c.answer_own_iq(e)
    except Timeout:
        c.close()
        log("timeout: received %d of %d stanzas" % (saver.n, args.count))
        return 3
    c.close()
    return 0


def main(argv):
    ap = argparse.ArgumentParser(prog="xmpp.py", description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--host", default="127.0.0.1")
    common.add_argument("--port", type=int, required=True)
    common.add_argument("--jid", required=True, help="user@domain/resource")
    common.add_argument("--password", required=True)
    common.add_argument("--lang", default=None, help="xml:lang of the client's stream header (default: none)")
    common.add_argument("--connect-timeout", type=float, default=10)
    common.add_argument("--login-timeout", type=float, default=10)
    common.add_argument("--iq-reply", choices=("result", "error", "none"), default="result",
                        help="answer to iq get/set from others (default result)")
    common.add_argument("--all", action="store_true",
                        help="save every stanza, also from own account/server (not own iq replies)")
    common.add_argument("-v", "--verbose", action="store_true", help="log raw traffic to stderr")
    s = sub.add_parser("send", parents=[common], help="send stanzas from files")
    s.add_argument("--timeout", type=float, default=10, help="wait for replies (default 10 s)")
    s.add_argument("--out", default=None, help="save received stanzas here")
    s.add_argument("--presence", action="store_true", help="send initial presence first")
    s.add_argument("--no-wait-iq", action="store_true", help="do not wait for replies to sent iqs")
    s.add_argument("files", nargs="+", metavar="FILE")
    r = sub.add_parser("recv", parents=[common], help="receive N stanzas into DIR")
    r.add_argument("--count", type=int, required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--timeout", type=float, default=30, help="after ready (default 30 s)")
    r.add_argument("--ready-file", default=None)
    r.add_argument("--no-presence", action="store_true", help="do not send initial presence")
    args = ap.parse_args(argv)
    try:
        return cmd_send(args) if args.cmd == "send" else cmd_recv(args)
    except Fail as ex:
        log("%s: %s" % (args.cmd, ex))
        return 1
    except KeyboardInterrupt:
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
