#!/usr/bin/python3
"""Capture golden OpenFlow 1.0 / 1.3 messages made by Open vSwitch.

Writes one annotated hex file per distinct message into --out (plus INDEX.md).

    sudo /usr/bin/python3 Scripts/capture-ovs-fixtures.py --out Tests/OpenFlowTests/Fixtures/ovs

How the bytes are obtained (everything happens inside a private network namespace, so the
userspace ovs-vswitchd started here cannot clash with another one on the machine):

* ovsdb-server + ovs-vswitchd run from a private directory (--ovs-dir).  Two netdev bridges:
  br13 (protocols=OpenFlow10,OpenFlow13) and br10 (protocols=OpenFlow10).
* Each bridge has two controller targets: an active `tcp:` target pointing at a Python
  controller of this script (records what the *switch* sends: HELLO, FEATURES_REPLY,
  PACKET_IN, FLOW_REMOVED, PORT_STATUS, ERROR, replies to requests the script crafts), and
  a passive `ptcp:` target.
* `ovs-ofctl` talks to a recording TCP proxy in front of that passive target.  The proxy
  records both directions: requests made by ovs-ofctl and the replies made by ovs-vswitchd.

Only messages sent by Open vSwitch programs are written as fixtures; the requests this
script crafts itself are never written.  Exact duplicates (equal bytes after zeroing the
xid) are dropped.
"""

import argparse
import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time

NETNS = "vnmfx"
DEFAULT_OVS_DIR = "/tmp/vnm-fixtures-ovs"
MAX_FIXTURE = 16384

P_PROXY13, P_SW13, P_CTL13 = 16653, 16654, 16655
P_PROXY10, P_SW10, P_CTL10 = 16663, 16664, 16665

# ----------------------------------------------------------------------------------------
# OpenFlow helpers

OFPT10 = {0: "OFPT_HELLO", 1: "OFPT_ERROR", 2: "OFPT_ECHO_REQUEST", 3: "OFPT_ECHO_REPLY",
          4: "OFPT_VENDOR", 5: "OFPT_FEATURES_REQUEST", 6: "OFPT_FEATURES_REPLY",
          7: "OFPT_GET_CONFIG_REQUEST", 8: "OFPT_GET_CONFIG_REPLY", 9: "OFPT_SET_CONFIG",
          10: "OFPT_PACKET_IN", 11: "OFPT_FLOW_REMOVED", 12: "OFPT_PORT_STATUS",
          13: "OFPT_PACKET_OUT", 14: "OFPT_FLOW_MOD", 15: "OFPT_PORT_MOD",
          16: "OFPT_STATS_REQUEST", 17: "OFPT_STATS_REPLY", 18: "OFPT_BARRIER_REQUEST",
          19: "OFPT_BARRIER_REPLY", 20: "OFPT_QUEUE_GET_CONFIG_REQUEST",
          21: "OFPT_QUEUE_GET_CONFIG_REPLY"}
OFPT13 = {0: "OFPT_HELLO", 1: "OFPT_ERROR", 2: "OFPT_ECHO_REQUEST", 3: "OFPT_ECHO_REPLY",
          4: "OFPT_EXPERIMENTER", 5: "OFPT_FEATURES_REQUEST", 6: "OFPT_FEATURES_REPLY",
          7: "OFPT_GET_CONFIG_REQUEST", 8: "OFPT_GET_CONFIG_REPLY", 9: "OFPT_SET_CONFIG",
          10: "OFPT_PACKET_IN", 11: "OFPT_FLOW_REMOVED", 12: "OFPT_PORT_STATUS",
          13: "OFPT_PACKET_OUT", 14: "OFPT_FLOW_MOD", 15: "OFPT_GROUP_MOD",
          16: "OFPT_PORT_MOD", 17: "OFPT_TABLE_MOD", 18: "OFPT_MULTIPART_REQUEST",
          19: "OFPT_MULTIPART_REPLY", 20: "OFPT_BARRIER_REQUEST", 21: "OFPT_BARRIER_REPLY",
          22: "OFPT_QUEUE_GET_CONFIG_REQUEST", 23: "OFPT_QUEUE_GET_CONFIG_REPLY",
          24: "OFPT_ROLE_REQUEST", 25: "OFPT_ROLE_REPLY", 26: "OFPT_GET_ASYNC_REQUEST",
          27: "OFPT_GET_ASYNC_REPLY", 28: "OFPT_SET_ASYNC", 29: "OFPT_METER_MOD"}
MP13 = {0: "OFPMP_DESC", 1: "OFPMP_FLOW", 2: "OFPMP_AGGREGATE", 3: "OFPMP_TABLE",
        4: "OFPMP_PORT_STATS", 5: "OFPMP_QUEUE", 6: "OFPMP_GROUP", 7: "OFPMP_GROUP_DESC",
        8: "OFPMP_GROUP_FEATURES", 9: "OFPMP_METER", 10: "OFPMP_METER_CONFIG",
        11: "OFPMP_METER_FEATURES", 12: "OFPMP_TABLE_FEATURES", 13: "OFPMP_PORT_DESC",
        0xffff: "OFPMP_EXPERIMENTER"}
ST10 = {0: "OFPST_DESC", 1: "OFPST_FLOW", 2: "OFPST_AGGREGATE", 3: "OFPST_TABLE",
        4: "OFPST_PORT", 5: "OFPST_QUEUE", 0xffff: "OFPST_VENDOR"}
ACT10 = {0: "output", 1: "set_vlan_vid", 2: "set_vlan_pcp", 3: "strip_vlan", 4: "set_dl_src",
         5: "set_dl_dst", 6: "set_nw_src", 7: "set_nw_dst", 8: "set_nw_tos", 9: "set_tp_src",
         10: "set_tp_dst", 11: "enqueue", 0xffff: "vendor"}
ACT13 = {0: "output", 11: "copy_ttl_out", 12: "copy_ttl_in", 15: "set_mpls_ttl",
         16: "dec_mpls_ttl", 17: "push_vlan", 18: "pop_vlan", 19: "push_mpls", 20: "pop_mpls",
         21: "set_queue", 22: "group", 23: "set_nw_ttl", 24: "dec_nw_ttl", 25: "set_field",
         26: "push_pbb", 27: "pop_pbb", 0xffff: "experimenter"}
INST13 = {1: "goto_table", 2: "write_metadata", 3: "write_actions", 4: "apply_actions",
          5: "clear_actions", 6: "meter", 0xffff: "experimenter"}


def hdr(version, mtype, xid, body=b""):
    return struct.pack("!BBHI", version, mtype, 8 + len(body), xid) + body


def split_frames(buf):
    """Return (messages, rest)."""
    out = []
    while len(buf) >= 8:
        length = struct.unpack_from("!H", buf, 2)[0]
        if length < 8:
            raise ValueError("bad OpenFlow length %d" % length)
        if len(buf) < length:
            break
        out.append(bytes(buf[:length]))
        buf = buf[length:]
    return out, buf


def zero_xid(msg):
    return msg[:4] + b"\0\0\0\0" + msg[8:]


def type_name(msg):
    v, t = msg[0], msg[1]
    table = OFPT10 if v == 1 else OFPT13
    return table.get(t, "type%d" % t)


# ----------------------------------------------------------------------------------------
# Packets for packet-out


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def udp_frame(sport=12345, dport=9999, payload=b"vnm-fixture-udp!!!"):
    src, dst = bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])
    udp_len = 8 + len(payload)
    pseudo = src + dst + struct.pack("!BBH", 0, 17, udp_len)
    udp = struct.pack("!HHHH", sport, dport, udp_len, 0) + payload
    uc = csum(pseudo + udp) or 0xffff
    udp = struct.pack("!HHHH", sport, dport, udp_len, uc) + payload
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_len, 1, 0, 64, 17, 0, src, dst)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    eth = bytes.fromhex("020000000002" "020000000001" "0800")
    return eth + ip + udp


def arp_frame():
    eth = bytes.fromhex("ffffffffffff" "020000000001" "0806")
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, bytes.fromhex("020000000001"),
                      bytes([192, 0, 2, 1]), b"\0" * 6, bytes([192, 0, 2, 2]))
    return eth + arp


# ----------------------------------------------------------------------------------------
# Recording


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.records = []
        self.ctx = {"source": "", "label": "", "query": False}

    def set(self, source, label, query=False):
        """query: replies seen now are the point of the step (not side traffic)."""
        with self.lock:
            self.ctx = {"source": source, "label": label, "query": query}

    def add(self, msg, direction, sender, asynchronous=False):
        with self.lock:
            source = self.ctx["source"]
            if asynchronous and msg[1] == 2:
                source = ("ovs-vswitchd inactivity probe (no message from the controller for 5 s); "
                          "last step: " + source)
            elif asynchronous:
                source = "asynchronous message from ovs-vswitchd, triggered during: " + source
            self.records.append(dict(msg=msg, direction=direction, sender=sender,
                                     source=source, label=self.ctx["label"],
                                     query=self.ctx["query"]))


REC = Recorder()


class Proxy(threading.Thread):
    """TCP proxy recording OpenFlow messages in both directions."""

    def __init__(self, listen_port, upstream_port, bridge):
        super().__init__(daemon=True)
        self.upstream_port = upstream_port
        self.bridge = bridge
        self.srv = socket.socket()
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.srv.bind(("127.0.0.1", listen_port))
        self.srv.listen(8)
        self.active = 0
        self.cv = threading.Condition()

    def run(self):
        while True:
            try:
                c, _ = self.srv.accept()
            except OSError:
                return
            u = socket.create_connection(("127.0.0.1", self.upstream_port))
            with self.cv:
                self.active += 1
            threading.Thread(target=self.pump, args=(c, u), daemon=True).start()

    def pump(self, c, u):
        bufs = {c: b"", u: b""}
        other = {c: u, u: c}
        names = {c: ("ovs-ofctl -> ovs-vswitchd %s (recorded by a proxy)" % self.bridge, "ovs-ofctl"),
                 u: ("ovs-vswitchd %s -> ovs-ofctl (recorded by a proxy)" % self.bridge, "ovs-vswitchd")}
        try:
            while True:
                r, _, _ = select.select([c, u], [], [], 30)
                if not r:
                    break
                done = False
                for s in r:
                    data = s.recv(65536)
                    if not data:
                        done = True
                        break
                    other[s].sendall(data)
                    bufs[s] += data
                    msgs, bufs[s] = split_frames(bufs[s])
                    for m in msgs:
                        REC.add(m, *names[s])
                if done:
                    break
        except OSError:
            pass
        finally:
            for s in (c, u):
                try:
                    s.close()
                except OSError:
                    pass
            with self.cv:
                self.active -= 1
                self.cv.notify_all()

    def wait_idle(self, timeout=10):
        end = time.time() + timeout
        with self.cv:
            while self.active and time.time() < end:
                self.cv.wait(0.1)


class Controller(threading.Thread):
    """A minimal controller that ovs-vswitchd connects to; records all it receives."""

    def __init__(self, port, version, bridge):
        super().__init__(daemon=True)
        self.version = version
        self.bridge = bridge
        self.srv = socket.socket()
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.srv.bind(("127.0.0.1", port))
        self.srv.listen(4)
        self.sock = None
        self.cv = threading.Condition()
        self.inbox = []
        self.xid = 0x1000
        self.connected = threading.Event()

    def run(self):
        while True:
            try:
                c, _ = self.srv.accept()
            except OSError:
                return
            if self.sock is not None:      # keep only the first connection
                c.close()
                continue
            self.sock = c
            self.loop(c)

    def loop(self, c):
        buf = b""
        direction = "ovs-vswitchd %s -> controller (Python listener, OpenFlow 0x%02x)" % (
            self.bridge, self.version)
        try:
            while True:
                data = c.recv(65536)
                if not data:
                    break
                buf += data
                msgs, buf = split_frames(buf)
                for m in msgs:
                    REC.add(m, direction, "ovs-vswitchd", asynchronous=m[1] in (2, 10, 11, 12))
                    if m[1] == 0:   # HELLO
                        c.sendall(hdr(self.version, 0, struct.unpack_from("!I", m, 4)[0]))
                        self.connected.set()
                    elif m[1] == 2:  # ECHO_REQUEST
                        c.sendall(bytes([self.version, 3]) + m[2:])
                    with self.cv:
                        self.inbox.append(m)
                        self.cv.notify_all()
        except OSError:
            pass

    def next_xid(self):
        self.xid += 1
        return self.xid

    def send(self, mtype, body=b"", version=None):
        xid = self.next_xid()
        self.sock.sendall(hdr(version or self.version, mtype, xid, body))
        return xid

    def send_raw(self, msg):
        self.sock.sendall(msg)

    def wait_xid(self, xid, timeout=3.0):
        end = time.time() + timeout
        with self.cv:
            while time.time() < end:
                for m in self.inbox:
                    if struct.unpack_from("!I", m, 4)[0] == xid:
                        return m
                self.cv.wait(0.05)
        return None

    def transact(self, mtype, body=b"", version=None, raw=None):
        """Send one request followed by a barrier; wait for the barrier reply."""
        if raw is not None:
            self.send_raw(raw)
        else:
            self.send(mtype, body, version)
        barrier = 18 if self.version == 1 else 20
        bx = self.send(barrier)
        return self.wait_xid(bx)


# ----------------------------------------------------------------------------------------
# Open vSwitch lifecycle


class OVS:
    def __init__(self, d):
        self.d = d
        self.env = dict(os.environ, OVS_RUNDIR=d, OVS_LOGDIR=d, OVS_DBDIR=d)
        self.db = "unix:%s/db.sock" % d

    def run(self, *args, check=True, timeout=20):
        r = subprocess.run(list(args), env=self.env, capture_output=True, text=True,
                           timeout=timeout)
        if check and r.returncode != 0:
            raise RuntimeError("%s failed: %s" % (" ".join(args), r.stderr.strip()))
        return r

    def vsctl(self, *args, **kw):
        return self.run("ovs-vsctl", "--db=" + self.db, "--timeout=10", *args, **kw)

    def start(self):
        d = self.d
        self.run("ovsdb-tool", "create", d + "/conf.db", "/usr/share/openvswitch/vswitch.ovsschema")
        self.run("ovsdb-server", d + "/conf.db", "--remote=punix:%s/db.sock" % d,
                 "--pidfile=%s/ovsdb-server.pid" % d, "--detach", "--log-file=%s/ovsdb.log" % d)
        self.vsctl("--no-wait", "init")
        self.run("ovs-vswitchd", self.db, "--pidfile=%s/ovs-vswitchd.pid" % d, "--detach",
                 "--log-file=%s/vswitchd.log" % d)


def kill_pidfiles(d):
    for name in ("ovs-vswitchd.pid", "ovsdb-server.pid"):
        p = os.path.join(d, name)
        try:
            pid = int(open(p).read().strip())
        except (OSError, ValueError):
            continue
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        for _ in range(50):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


# ----------------------------------------------------------------------------------------
# The capture scenario (runs inside the namespace)

T13 = "tcp:127.0.0.1:%d" % P_PROXY13
T10 = "tcp:127.0.0.1:%d" % P_PROXY10
LOG = []


QUERY_PREFIXES = ("show", "dump-", "get-", "set-frags", "probe", "ping", "queue-", "meter-",
                  "monitor")


def ofctl(ovs, proxy, label, args, popen_seconds=None):
    cmd = ["ovs-ofctl", "--timeout=5"] + args
    shown = " ".join(a if re.fullmatch(r"[\w:./=,-]+", a) else '"%s"' % a for a in cmd[2:])
    REC.set("ovs-ofctl %s %s" % (OVS_VERSION, shown), label, label.startswith(QUERY_PREFIXES))
    if popen_seconds:
        p = subprocess.Popen(cmd, env=ovs.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        time.sleep(popen_seconds)
        p.terminate()
        out, err = p.communicate(timeout=5)
        rc = p.returncode
    else:
        r = subprocess.run(cmd, env=ovs.env, capture_output=True, text=True, timeout=20)
        out, err, rc = r.stdout, r.stderr, r.returncode
    proxy.wait_idle()
    time.sleep(0.05)
    LOG.append("$ %s\n(rc=%s)\n%s%s" % (shown, rc, out[-2000:], err[-2000:]))
    return rc


def pkt_hex(frame):
    return frame.hex()


def of10_match_all():
    # ofp_match with every wildcard (OFPFW_ALL = 0x3fffff)
    return struct.pack("!IH6s6sHBxHBBxxIIHH", 0x3fffff, 0, b"\0" * 6, b"\0" * 6, 0, 0, 0, 0,
                       0, 0, 0, 0, 0)


def of13_match_empty():
    return struct.pack("!HH", 1, 4) + b"\0" * 4


def capture(ovs):
    global OVS_VERSION
    udp = udp_frame()
    arp = arp_frame()

    # Controllers first, then bridges (a bridge's first controller flushes its table).
    c13 = Controller(P_CTL13, 4, "br13")
    c10 = Controller(P_CTL10, 1, "br10")
    p13 = Proxy(P_PROXY13, P_SW13, "br13")
    p10 = Proxy(P_PROXY10, P_SW10, "br10")
    for t in (c13, c10, p13, p10):
        t.start()

    REC.set("ovs-vswitchd connecting to the controller", "connect")
    ovs.vsctl("add-br", "br13", "--", "set", "bridge", "br13", "datapath_type=netdev",
              "protocols=OpenFlow10,OpenFlow13", "fail_mode=secure",
              "other_config:disable-in-band=true", "other_config:datapath-id=0000000000000d13",
              "--", "add-port", "br13", "vfx13a", "--", "set", "interface", "vfx13a",
              "type=internal", "ofport_request=1",
              "--", "add-port", "br13", "vfx13b", "--", "set", "interface", "vfx13b",
              "type=internal", "ofport_request=2")
    ovs.vsctl("add-br", "br10", "--", "set", "bridge", "br10", "datapath_type=netdev",
              "protocols=OpenFlow10", "fail_mode=secure",
              "other_config:disable-in-band=true", "other_config:datapath-id=0000000000000d10",
              "--", "add-port", "br10", "vfx10a", "--", "set", "interface", "vfx10a",
              "type=internal", "ofport_request=1",
              "--", "add-port", "br10", "vfx10b", "--", "set", "interface", "vfx10b",
              "type=internal", "ofport_request=2")
    time.sleep(0.5)
    ovs.vsctl("set-controller", "br13", "tcp:127.0.0.1:%d" % P_CTL13, "ptcp:%d:127.0.0.1" % P_SW13)
    ovs.vsctl("set-controller", "br10", "tcp:127.0.0.1:%d" % P_CTL10, "ptcp:%d:127.0.0.1" % P_SW10)
    for br in ("br13", "br10"):
        ovs.vsctl("set", "controller", br, "connection-mode=out-of-band", check=False)
    if not c13.connected.wait(15) or not c10.connected.wait(15):
        raise RuntimeError("ovs-vswitchd did not connect to the controllers")
    time.sleep(1.0)

    # ---------------- controller-side requests crafted here, replies made by ovs-vswitchd
    def ctl13(desc, mtype, body=b"", raw=None, label=None):
        REC.set("Python controller sent %s to ovs-vswitchd br13 (OF1.3 connection); "
                "ovs-vswitchd replied" % desc, label or desc.split()[-1], True)
        return c13.transact(mtype, body, raw=raw)

    def ctl10(desc, mtype, body=b"", raw=None, label=None):
        REC.set("Python controller sent %s to ovs-vswitchd br10 (OF1.0 connection); "
                "ovs-vswitchd replied" % desc, label or desc.split()[-1], True)
        return c10.transact(mtype, body, raw=raw)

    ctl13("OFPT_FEATURES_REQUEST", 5, label="features")
    ctl13("OFPT_GET_CONFIG_REQUEST", 7, label="get-config")
    ctl13("OFPT_ECHO_REQUEST with 8 bytes of data", 2, b"vnm-echo", label="echo-with-data")
    ctl13("OFPT_ROLE_REQUEST role=nochange", 24, struct.pack("!I4xQ", 0, 0), label="role-nochange")
    ctl13("OFPT_ROLE_REQUEST role=master generation_id=1", 24, struct.pack("!I4xQ", 2, 1), label="role-master")
    ctl13("OFPT_ROLE_REQUEST role=master generation_id=0 (stale)", 24, struct.pack("!I4xQ", 2, 0), label="role-stale")
    ctl13("OFPT_ROLE_REQUEST role=equal", 24, struct.pack("!I4xQ", 1, 0), label="role-equal")
    ctl13("OFPT_GET_ASYNC_REQUEST", 26, label="get-async")
    ctl13("OFPT_SET_ASYNC (packet-in no_match|action, port-status all, flow-removed all)", 28,
          struct.pack("!6I", 3, 0, 7, 0, 0xf, 0), label="set-async")
    ctl13("OFPT_GET_ASYNC_REQUEST after OFPT_SET_ASYNC", 26, label="get-async-after-set")
    ctl13("OFPT_SET_ASYNC back to the defaults", 28, struct.pack("!6I", 3, 0, 7, 0, 0xf, 0), label="set-async-defaults")
    ctl13("OFPT_QUEUE_GET_CONFIG_REQUEST port=1", 22, struct.pack("!I4x", 1), label="queue-get-config-port-1")
    ctl13("OFPT_QUEUE_GET_CONFIG_REQUEST port=ANY", 22, struct.pack("!I4x", 0xffffffff), label="queue-get-config-port-any")
    mp = lambda t, body=b"": struct.pack("!HH4x", t, 0) + body
    flowreq = struct.pack("!B3xII4xQQ", 0xff, 0xffffffff, 0xffffffff, 0, 0) + of13_match_empty()
    for name, t, body in [("OFPMP_DESC", 0, b""), ("OFPMP_FLOW", 1, flowreq),
                          ("OFPMP_AGGREGATE", 2, flowreq), ("OFPMP_TABLE", 3, b""),
                          ("OFPMP_PORT_STATS port=ANY", 4, struct.pack("!I4x", 0xffffffff)),
                          ("OFPMP_QUEUE port=ANY queue=ALL", 5, struct.pack("!II", 0xffffffff, 0xffffffff)),
                          ("OFPMP_GROUP group=ALL", 6, struct.pack("!I4x", 0xfffffffc)),
                          ("OFPMP_GROUP_DESC", 7, b""), ("OFPMP_GROUP_FEATURES", 8, b""),
                          ("OFPMP_METER meter=ALL", 9, struct.pack("!I4x", 0xffffffff)),
                          ("OFPMP_METER_CONFIG meter=ALL", 10, struct.pack("!I4x", 0xffffffff)),
                          ("OFPMP_METER_FEATURES", 11, b""), ("OFPMP_PORT_DESC", 13, b"")]:
        ctl13("OFPT_MULTIPART_REQUEST %s" % name, 18, mp(t, body), label=slugify(name))
    # Errors (the request is crafted here, the OFPT_ERROR is made by ovs-vswitchd)
    ctl13("a message of unknown type 0x50 (error bad_request/bad_type)", 0x50, b"\x01\x02\x03\x04", label="bad-type")
    ctl13("OFPT_MULTIPART_REQUEST of unknown type 0x63 (error bad_request/bad_multipart)", 18, mp(0x63), label="bad-multipart")
    ctl13("OFPT_EXPERIMENTER with unknown experimenter id 0x00abcdef (error bad_request/bad_experimenter)",
          4, struct.pack("!II", 0x00abcdef, 1) + b"data", label="bad-experimenter")
    fm = lambda table, cmd, match, instr: struct.pack(
        "!QQBBHHHIIIH2x", 0, 0, table, cmd, 0, 0, 0x8000, 0xffffffff, 0xffffffff, 0xffffffff, 0) + match + instr
    out_inst = lambda port: struct.pack("!HH4x", 4, 24) + struct.pack("!HHIH6x", 0, 16, port, 0xffe5)
    ctl13("OFPT_FLOW_MOD add to table 0xfe (error flow_mod_failed/bad_table_id)", 14,
          fm(0xfe, 0, of13_match_empty(), out_inst(1)), label="table-0xfe")
    ctl13("OFPT_FLOW_MOD add with output to port ANY (error bad_action/bad_out_port)", 14,
          fm(0, 0, of13_match_empty(), out_inst(0xffffffff)), label="out-port-any")
    ctl13("OFPT_FLOW_MOD add with goto_table 0 from table 5 (error bad_instruction)", 14,
          fm(5, 0, of13_match_empty(), struct.pack("!HHB3x", 1, 8, 0)), label="goto-backwards")
    bad_prereq = struct.pack("!HH", 1, 9) + struct.pack("!I", 0x80001401) + b"\x06" + b"\0" * 7
    ctl13("OFPT_FLOW_MOD matching ip_proto without eth_type (error bad_match/bad_prereq)", 14,
          fm(0, 0, bad_prereq, out_inst(1)), label="missing-prereq")
    ctl13("OFPT_GROUP_MOD modify of a missing group 77 (error group_mod_failed/unknown_group)", 15,
          struct.pack("!HBxI", 1, 0, 77), label="unknown-group")
    ctl13("OFPT_METER_MOD modify of a missing meter 77 (error meter_mod_failed/unknown_meter)", 29,
          struct.pack("!HHI", 1, 1, 77) + struct.pack("!HHII4x", 1, 16, 1000, 0), label="unknown-meter")
    ctl13("OFPT_PORT_MOD for missing port 99 (error port_mod_failed/bad_port)", 16,
          struct.pack("!I4x6s2xIII4x", 99, b"\x02\0\0\0\0\x63", 1, 1, 0), label="port-99")
    ctl13("OFPT_ROLE_REQUEST with bad role 7 (error role_request_failed/bad_role)", 24,
          struct.pack("!I4xQ", 7, 0), label="bad-role")
    ctl13("a OpenFlow 1.0 FEATURES_REQUEST on the OpenFlow 1.3 connection (error bad_request/bad_version)",
          5, raw=hdr(1, 5, 0x2222), label="wrong-version")

    ctl10("OFPT_FEATURES_REQUEST", 5, label="features")
    ctl10("OFPT_GET_CONFIG_REQUEST", 7, label="get-config")
    ctl10("OFPT_ECHO_REQUEST with 8 bytes of data", 2, b"vnm-echo", label="echo-with-data")
    ctl10("OFPT_QUEUE_GET_CONFIG_REQUEST port=1", 20, struct.pack("!H2x", 1), label="queue-get-config-port-1")
    ctl10("NXT_ROLE_REQUEST role=other", 4, struct.pack("!III", 0x2320, 10, 0), label="nx-role-other")
    ctl10("NXT_ROLE_REQUEST role=master", 4, struct.pack("!III", 0x2320, 10, 1), label="nx-role-master")
    st = lambda t, body=b"": struct.pack("!HH", t, 0) + body
    flow10 = of10_match_all() + struct.pack("!BxH", 0xff, 0xffff)
    for name, t, body in [("OFPST_DESC", 0, b""), ("OFPST_FLOW", 1, flow10),
                          ("OFPST_AGGREGATE", 2, flow10), ("OFPST_TABLE", 3, b""),
                          ("OFPST_PORT port=NONE", 4, struct.pack("!H6x", 0xffff)),
                          ("OFPST_QUEUE port=ALL queue=ALL", 5, struct.pack("!H2xI", 0xfffc, 0xffffffff))]:
        ctl10("OFPT_STATS_REQUEST %s" % name, 16, st(t, body), label=slugify(name))
    ctl10("a message of unknown type 0x50 (error bad_request/bad_type)", 0x50, b"\x01\x02\x03\x04", label="bad-type")
    ctl10("OFPT_STATS_REQUEST of unknown type 0x63 (error bad_request/bad_stat)", 16, st(0x63), label="bad-stat")
    ctl10("OFPT_VENDOR with unknown vendor 0x00abcdef (error bad_request/bad_vendor)", 4,
          struct.pack("!II", 0x00abcdef, 1) + b"data", label="bad-vendor")
    fm10 = lambda match, cmd, actions: match + struct.pack("!QHHHHIHH", 0, cmd, 0, 0, 0x8000,
                                                           0xffffffff, 0xffff, 0) + actions
    ctl10("OFPT_FLOW_MOD add with output to port NONE (error bad_action/bad_out_port)", 14,
          fm10(of10_match_all(), 0, struct.pack("!HHHH", 0, 8, 0xffff, 0)), label="out-port-none")
    ctl10("OFPT_FLOW_MOD add with unknown action type 0x77 (error bad_action/bad_type)", 14,
          fm10(of10_match_all(), 0, struct.pack("!HH4x", 0x77, 8)), label="bad-action-type")
    ctl10("OFPT_PORT_MOD for missing port 99 (error port_mod_failed/bad_port)", 15,
          struct.pack("!H6sIII4x", 99, b"\x02\0\0\0\0\x63", 1, 1, 0), label="port-99")

    # HELLO_FAILED: connect to the passive target and offer only OpenFlow 1.1.
    for hv, bit, what in ((4, 5, "OpenFlow 1.4 (header version 0x04, version bitmap 0x20)"),
                          (2, 2, "OpenFlow 1.1 (header version 0x02, version bitmap 0x04)")):
        hello_failed(hv, bit, what)

    capture_ofctl(ovs, c13, c10, p13, p10)


def hello_failed(hv, bit, what):
    REC.set("Python client connected to ovs-vswitchd br13 ptcp and sent a HELLO offering only "
            "%s; ovs-vswitchd replied" % what, "hello-failed", True)
    s = socket.create_connection(("127.0.0.1", P_SW13))
    s.sendall(hdr(hv, 0, 0x77, struct.pack("!HHI", 1, 8, 1 << bit)))
    buf = b""
    s.settimeout(2)
    try:
        while True:
            d = s.recv(65536)
            if not d:
                break
            buf += d
    except socket.timeout:
        pass
    s.close()
    msgs, _ = split_frames(buf)
    for m in msgs:
        REC.add(m, "ovs-vswitchd br13 -> client (Python, passive connection)", "ovs-vswitchd")


def capture_ofctl(ovs, c13, c10, p13, p10):
    udp = udp_frame()
    arp = arp_frame()

    # ---------------- ovs-ofctl, OpenFlow 1.3, through the proxy to br13
    O13 = ["-O", "OpenFlow13"]

    def split(args):
        args = list(args)
        opts = []
        while args[0].startswith("--"):
            opts.append(args.pop(0))
        return opts, args

    def of13(label, *args, **kw):
        opts, args = split(args)
        return ofctl(ovs, p13, label, O13 + opts + [args[0], T13] + args[1:], **kw)

    def of10(label, *args, **kw):
        opts, args = split(args)
        return ofctl(ovs, p10, label, ["-O", "OpenFlow10"] + opts + [args[0], T10] + args[1:], **kw)

    def of10f(label, *args, **kw):   # force plain OpenFlow 1.0 (no Nicira extensions)
        opts, args = split(args)
        return ofctl(ovs, p10, label, ["-O", "OpenFlow10", "-F", "OpenFlow10"] + opts + [args[0], T10] + args[1:], **kw)

    # ovs-ofctl offering only a version the bridge lacks: ovs-ofctl itself sends HELLO_FAILED
    ofctl(ovs, p13, "hello-failed", ["-O", "OpenFlow14", "probe", T13])
    ofctl(ovs, p10, "hello-failed", ["-O", "OpenFlow13", "probe", T10])

    of13("show", "show")
    of13("dump-desc", "dump-desc")
    of13("dump-tables", "dump-tables")
    of13("get-frags", "get-frags")
    of13("set-frags-drop", "set-frags", "drop")
    of13("set-frags-normal", "set-frags", "normal")
    of13("probe", "probe")
    of13("ping", "ping", "1")
    of13("dump-ports", "dump-ports")
    of13("dump-ports-1", "dump-ports", "1")
    of13("dump-ports-desc", "dump-ports-desc")
    of13("queue-stats", "queue-stats")
    of13("queue-stats-port-1-queue-0", "queue-stats", "1", "0")
    of13("queue-get-config-port-1", "queue-get-config", "1")
    of13("queue-get-config", "queue-get-config")
    of13("mod-table-drop", "mod-table", "0", "drop")
    of13("mod-port-down", "mod-port", "vfx13b", "down")
    of13("mod-port-up", "mod-port", "vfx13b", "up")
    of13("mod-port-no-receive", "mod-port", "vfx13b", "no-receive")
    of13("mod-port-receive", "mod-port", "vfx13b", "receive")
    of13("mod-port-no-packet-in", "mod-port", "vfx13b", "no-packet-in")
    of13("mod-port-packet-in", "mod-port", "vfx13b", "packet-in")
    of13("mod-port-no-forward", "mod-port", "vfx13b", "no-forward")
    of13("mod-port-forward", "mod-port", "vfx13b", "forward")

    # groups and meters before flows that use them
    of13("add-group-all", "add-group", "group_id=1,type=all,bucket=output:1,bucket=output:2")
    of13("add-group-select", "add-group",
         "group_id=2,type=select,bucket=weight:60,actions=output:1,bucket=weight:40,actions=output:2")
    of13("add-group-indirect", "add-group",
         "group_id=3,type=indirect,bucket=actions=set_field:02:00:00:00:00:99->eth_dst,output:2")
    of13("add-group-ff", "add-group",
         "group_id=4,type=ff,bucket=watch_port:1,actions=output:1,bucket=watch_port:2,actions=output:2")
    of13("mod-group-all", "mod-group", "group_id=1,type=all,bucket=output:2,bucket=output:1,bucket=output:LOCAL")
    of13("add-group-exists", "add-group", "group_id=1,type=all,bucket=output:1")
    of13("dump-groups", "dump-groups")
    of13("dump-groups-1", "dump-groups", "1")
    of13("dump-group-stats", "dump-group-stats")
    of13("dump-group-features", "dump-group-features")
    of13("add-meter-kbps-drop", "add-meter", "meter=1,kbps,burst,stats,bands=type=drop,rate=1000,burst_size=100")
    of13("add-meter-pktps-drop", "add-meter", "meter=2,pktps,bands=type=drop,rate=100")
    of13("add-meter-dscp-remark", "add-meter", "meter=3,kbps,bands=type=dscp_remark,rate=500,prec_level=1")
    of13("mod-meter", "mod-meter", "meter=1,kbps,stats,bands=type=drop,rate=2000")
    of13("dump-meters", "dump-meters")
    of13("meter-stats", "meter-stats")
    of13("meter-stats-1", "meter-stats", "meter=1")
    of13("meter-features", "meter-features")

    flows13 = [
        ("in-port-output", "priority=100,in_port=1,actions=output:2"),
        ("eth-addrs", "priority=110,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,actions=output:2"),
        ("eth-dst-masked", "priority=5,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00,actions=drop"),
        ("vlan-pop", "dl_vlan=100,dl_vlan_pcp=3,actions=pop_vlan,output:2"),
        ("vlan-push-set-field", "in_port=1,dl_vlan=0xffff,actions=push_vlan:0x8100,set_field:4196->vlan_vid,output:2"),
        ("ipv4-masked", "priority=100,ip,nw_src=10.0.0.0/8,nw_dst=192.168.1.0/24,actions=output:2"),
        ("tcp-set-field", "tcp,nw_dst=10.0.0.1,tp_dst=80,actions=set_field:10.0.0.2->ip_dst,set_field:8080->tcp_dst,output:2"),
        ("udp-ttl", "udp,udp_src=53,actions=dec_ttl,mod_nw_ttl:9,output:2"),
        ("ipv6-icmp6", "icmp6,ipv6_src=2001:db8::/32,ipv6_dst=2001:db8::1,icmp_type=128,actions=output:2"),
        ("ipv6-tcp6-label", "tcp6,ipv6_label=0x12345,tp_src=443,actions=output:2"),
        ("arp", "arp,arp_op=1,arp_spa=10.0.0.1,arp_tpa=10.0.0.0/24,arp_sha=02:00:00:00:00:01,actions=FLOOD"),
        ("metadata", "table=1,metadata=0x5/0xff,actions=output:2"),
        ("tunnel-id", "tun_id=0x1234,actions=output:2"),
        ("group", "priority=10,ip,nw_src=10.1.0.0/16,actions=group:1"),
        ("set-queue", "in_port=2,actions=set_queue:1,output:1"),
        ("write-metadata-goto", "priority=50,udp,actions=write_metadata:0x1/0xff,goto_table:1"),
        ("write-actions-goto", "table=1,priority=10,ip,actions=write_actions(set_field:10->ip_dscp,output:2),goto_table:2"),
        ("clear-actions", "table=2,priority=1,actions=clear_actions"),
        ("meter", "priority=20,in_port=2,actions=meter:1,output:1"),
        ("controller-max-len", "priority=1,ip,actions=CONTROLLER:128"),
        ("timeouts-cookie-flags", "cookie=0x1234,priority=300,idle_timeout=60,hard_timeout=120,send_flow_rem,check_overlap,ip,nw_dst=10.9.9.9,actions=output:2"),
        ("mpls-pop", "mpls,mpls_label=100,actions=pop_mpls:0x0800,output:2"),
        ("mpls-push", "ip,nw_dst=10.2.2.2,actions=push_mpls:0x8847,set_field:16->mpls_label,dec_mpls_ttl,output:2"),
        ("set-eth-addrs", "ip,nw_dst=10.3.3.3,actions=mod_dl_src:02:00:00:00:00:aa,mod_dl_dst:02:00:00:00:00:bb,output:2"),
        ("icmp", "icmp,icmp_type=8,icmp_code=0,actions=output:in_port"),
        ("ip-dscp-ecn", "ip,ip_dscp=8,ip_ecn=1,actions=set_field:16->ip_dscp,output:2"),
        ("sctp", "sctp,sctp_dst=3868,actions=output:2"),
        ("output-reserved", "priority=2,in_port=2,actions=output:LOCAL,output:ALL,NORMAL"),
        ("nx-resubmit", "priority=3,in_port=LOCAL,actions=resubmit(,1)"),
    ]
    for label, flow in flows13:
        of13("add-flow-" + label, "add-flow", flow)
    of13("add-flow-check-overlap-error", "add-flow",
         "priority=300,check_overlap,ip,actions=drop")
    of13("add-flow-bundle", "--bundle", "add-flow", "priority=7,ip,nw_dst=10.7.7.7,actions=output:2")
    of13("mod-flows", "mod-flows", "in_port=1,actions=output:1")
    of13("mod-flows-strict", "--strict", "mod-flows", "priority=100,in_port=1,actions=drop")
    of13("dump-flows", "dump-flows")
    of13("dump-flows-match", "dump-flows", "table=0,ip,nw_dst=10.0.0.0/8")
    of13("dump-flows-cookie", "dump-flows", "cookie=0x1234/-1")
    of13("dump-aggregate", "dump-aggregate")
    of13("dump-aggregate-match", "dump-aggregate", "table=1")
    of13("dump-table-features", "dump-table-features")
    of13("dump-tlv-map", "dump-tlv-map")
    of13("ct-flush-zone", "ct-flush-zone", "5")
    of13("monitor", "monitor", "128", "watch:", popen_seconds=1.5)

    of13("del-flows-before-packet-in", "del-flows")
    # packet-out: through the pipeline (-> packet-in to the controllers) and direct
    of13("packet-out-table-no-flows", "packet-out", "in_port=1 packet=%s actions=table" % pkt_hex(arp))
    of13("add-flow-table-miss-controller", "add-flow", "priority=0,actions=CONTROLLER:65535")
    of13("packet-out-table-miss-arp", "packet-out", "in_port=1 packet=%s actions=table" % pkt_hex(arp))
    of13("packet-out-output-arp", "packet-out", "in_port=CONTROLLER packet=%s actions=output:2" % pkt_hex(arp))
    of13("add-flow-udp-to-table-1", "add-flow",
         "cookie=0x5,priority=200,udp,tp_dst=9999,actions=write_metadata:0xabc/0xfff,goto_table:1")
    of13("add-flow-table-1-controller-64", "add-flow",
         "cookie=0x6,table=1,priority=200,udp,actions=CONTROLLER:64")
    of13("packet-out-table-udp-metadata", "packet-out", "in_port=2 packet=%s actions=table" % pkt_hex(udp))
    of13("packet-out-set-field", "packet-out",
         "in_port=1 packet=%s actions=set_field:10->ip_dscp,output:CONTROLLER" % pkt_hex(udp))
    of13("packet-out-controller-max-len", "packet-out",
         "in_port=LOCAL packet=%s actions=controller(max_len=40)" % pkt_hex(udp))
    # flow-removed
    of13("add-flow-hard-timeout", "add-flow",
         "cookie=0x77,priority=5,ip,nw_dst=192.0.2.77,hard_timeout=1,send_flow_rem,actions=drop")
    of13("add-flow-idle-timeout", "add-flow",
         "cookie=0x78,priority=5,ip,nw_dst=192.0.2.78,idle_timeout=1,send_flow_rem,actions=drop")
    of13("add-flow-send-flow-rem", "add-flow",
         "cookie=0x79,priority=5,ip,nw_dst=192.0.2.79,send_flow_rem,actions=drop")
    REC.set("flows with hard_timeout=1 / idle_timeout=1 and send_flow_rem expired", "flow-removed-timeout")
    time.sleep(3.5)
    of13("del-flows-strict", "--strict", "del-flows", "priority=5,ip,nw_dst=192.0.2.79")
    of13("del-flows-match", "del-flows", "ip,nw_dst=10.0.0.0/8")
    of13("del-flows-cookie", "del-flows", "cookie=0x1234/-1")
    of13("del-flows-out-port", "del-flows", "out_port=2")
    # port status: add / modify / delete a port while connected
    REC.set("ovs-vsctl add-port br13 vfx13c (type=internal, ofport 3)", "port-add")
    ovs.vsctl("add-port", "br13", "vfx13c", "--", "set", "interface", "vfx13c", "type=internal",
              "ofport_request=3")
    time.sleep(1.5)
    of13("mod-port-down-new-port", "mod-port", "vfx13c", "down")
    time.sleep(0.5)
    REC.set("ovs-vsctl del-port br13 vfx13c", "port-delete")
    ovs.vsctl("del-port", "br13", "vfx13c")
    time.sleep(1.0)
    of13("del-groups-4", "del-groups", "group_id=4")
    of13("del-meter-2", "del-meter", "meter=2")
    of13("del-flows", "del-flows")
    of13("del-groups", "del-groups")
    of13("del-meters", "del-meters")

    # ---------------- ovs-ofctl, OpenFlow 1.0, through the proxy to br10
    of10("show", "show")
    of10("dump-desc", "dump-desc")
    of10("dump-tables", "dump-tables")
    of10("get-frags", "get-frags")
    of10("set-frags-drop", "set-frags", "drop")
    of10("set-frags-normal", "set-frags", "normal")
    of10("probe", "probe")
    of10("dump-ports", "dump-ports")
    of10("dump-ports-1", "dump-ports", "1")
    of10("dump-ports-desc", "dump-ports-desc")
    of10("queue-stats", "queue-stats")
    of10("queue-stats-port-1-queue-0", "queue-stats", "1", "0")
    of10("queue-get-config-port-1", "queue-get-config", "1")
    of10("mod-port-down", "mod-port", "vfx10b", "down")
    of10("mod-port-up", "mod-port", "vfx10b", "up")
    of10("mod-port-no-flood", "mod-port", "vfx10b", "no-flood")
    of10("mod-port-flood", "mod-port", "vfx10b", "flood")
    of10("mod-port-no-stp", "mod-port", "vfx10b", "no-stp")
    flows10 = [
        ("in-port-output", "priority=100,in_port=1,actions=output:2"),
        ("eth-addrs-type", "priority=110,dl_src=02:00:00:00:00:01,dl_dst=02:00:00:00:00:02,dl_type=0x0800,actions=output:2"),
        ("tcp-masked", "tcp,nw_src=10.0.0.0/8,nw_dst=192.168.1.0/24,nw_tos=32,tp_src=1024,tp_dst=80,actions=output:2"),
        ("vlan-strip", "dl_vlan=100,dl_vlan_pcp=3,actions=strip_vlan,output:2"),
        ("set-vlan", "in_port=1,actions=mod_vlan_vid:200,mod_vlan_pcp:5,output:2"),
        ("set-dl", "in_port=2,dl_type=0x0800,actions=mod_dl_src:02:00:00:00:00:aa,mod_dl_dst:02:00:00:00:00:bb,output:1"),
        ("set-nw", "ip,nw_dst=10.1.1.1,actions=mod_nw_src:10.0.0.1,mod_nw_dst:10.0.0.2,mod_nw_tos:32,output:2"),
        ("set-tp", "tcp,tp_dst=22,actions=mod_tp_src:1000,mod_tp_dst:2000,output:2"),
        ("enqueue", "in_port=2,actions=enqueue:1:3"),
        ("controller-max-len", "priority=1,ip,actions=CONTROLLER:128"),
        ("timeouts-cookie-flags", "cookie=0x1234,priority=300,idle_timeout=60,hard_timeout=120,send_flow_rem,check_overlap,ip,nw_dst=10.9.9.9,actions=output:2"),
        ("arp", "arp,nw_src=10.0.0.1,nw_dst=10.0.0.2,nw_proto=1,actions=FLOOD"),
        ("icmp", "icmp,icmp_type=8,icmp_code=0,actions=NORMAL,LOCAL"),
        ("udp-in-port", "udp,in_port=1,tp_src=53,actions=output:in_port"),
        ("drop", "priority=2,dl_type=0x86dd,actions=drop"),
    ]
    for label, flow in flows10:
        of10f("add-flow-" + label, "add-flow", flow)
    of10("add-flow-nxm-ipv6", "add-flow", "ipv6,ipv6_dst=2001:db8::1,actions=output:2")
    of10("add-flow-nxm-tunnel-id", "add-flow", "tun_id=0x1234,actions=output:2")
    of10("add-flow-nxm-reg", "add-flow", "reg0=0x5,actions=load:0x1->NXM_NX_REG1[],resubmit(,1)")
    of10f("mod-flows", "mod-flows", "in_port=1,actions=output:1")
    of10f("mod-flows-strict", "--strict", "mod-flows", "priority=100,in_port=1,actions=drop")
    of10f("dump-flows", "dump-flows")
    of10("dump-flows-nx", "dump-flows")
    of10f("dump-flows-match", "dump-flows", "ip,nw_dst=10.0.0.0/8")
    of10f("dump-aggregate", "dump-aggregate")
    of10f("dump-aggregate-match", "dump-aggregate", "in_port=1")
    of10("monitor", "monitor", "128", popen_seconds=1.5)
    of10f("del-flows-before-packet-in", "del-flows")
    of10f("packet-out-table-no-flows", "packet-out", "in_port=1 packet=%s actions=table" % pkt_hex(arp))
    of10f("add-flow-table-miss-controller", "add-flow", "priority=0,actions=CONTROLLER:65535")
    of10f("packet-out-table-miss-udp", "packet-out", "in_port=1 packet=%s actions=table" % pkt_hex(udp))
    of10f("packet-out-output-arp", "packet-out", "in_port=CONTROLLER packet=%s actions=output:2" % pkt_hex(arp))
    of10f("add-flow-udp-controller-64", "add-flow", "priority=200,udp,actions=CONTROLLER:64")
    of10f("packet-out-table-udp-truncated", "packet-out", "in_port=2 packet=%s actions=table" % pkt_hex(udp))
    of10f("packet-out-set-tos-controller", "packet-out",
          "in_port=1 packet=%s actions=mod_nw_tos:40,output:CONTROLLER" % pkt_hex(udp))
    of10f("add-flow-hard-timeout", "add-flow",
          "cookie=0x77,priority=5,ip,nw_dst=192.0.2.77,hard_timeout=1,send_flow_rem,actions=drop")
    of10f("add-flow-idle-timeout", "add-flow",
          "cookie=0x78,priority=5,ip,nw_dst=192.0.2.78,idle_timeout=1,send_flow_rem,actions=drop")
    of10f("add-flow-send-flow-rem", "add-flow",
          "cookie=0x79,priority=5,ip,nw_dst=192.0.2.79,send_flow_rem,actions=drop")
    REC.set("flows with hard_timeout=1 / idle_timeout=1 and send_flow_rem expired", "flow-removed-timeout")
    time.sleep(3.5)
    of10f("del-flows-strict", "--strict", "del-flows", "priority=5,ip,nw_dst=192.0.2.79")
    of10f("del-flows-match", "del-flows", "ip,nw_dst=10.0.0.0/8")
    of10f("del-flows-out-port", "del-flows", "out_port=2")
    REC.set("ovs-vsctl add-port br10 vfx10c (type=internal, ofport 3)", "port-add")
    ovs.vsctl("add-port", "br10", "vfx10c", "--", "set", "interface", "vfx10c", "type=internal",
              "ofport_request=3")
    time.sleep(1.5)
    of10("mod-port-down-new-port", "mod-port", "vfx10c", "down")
    time.sleep(0.5)
    REC.set("ovs-vsctl del-port br10 vfx10c", "port-delete")
    ovs.vsctl("del-port", "br10", "vfx10c")
    time.sleep(1.0)
    of10f("del-flows", "del-flows")
    # A bridge speaking only OpenFlow 1.3, asked for OpenFlow 1.0: HELLO_FAILED in 1.0 framing.
    REC.set("ovs-vsctl set bridge br10 protocols=OpenFlow13", "reconfigure")
    ovs.vsctl("set", "bridge", "br10", "protocols=OpenFlow13")
    time.sleep(1.0)
    ofctl(ovs, p10, "hello-failed", ["-O", "OpenFlow10", "probe", T10])
    # Let the inactivity probe fire (ovs-vswitchd sends ECHO_REQUEST after 5 s idle).
    REC.set("ovs-vswitchd inactivity probe (controller idle for more than 5 s)", "inactivity-probe")
    time.sleep(6.5)
    REC.set("end", "end")


# ----------------------------------------------------------------------------------------
# Writing fixtures


def ofp_print(msg):
    r = subprocess.run(["ovs-ofctl", "ofp-print", msg.hex()], capture_output=True, text=True)
    return (r.stdout + re.sub(r"(?m)^\S+\|\d+\|", "", r.stderr)).rstrip("\n")


def slugify(s):
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def msg_slug(msg, printed):
    v = msg[0]
    first = printed.splitlines()[0] if printed else ""
    m = re.match(r"(\w+)( request| reply)?", first)
    name = m.group(1) if m else type_name(msg)
    rr = (m.group(2) or "").strip() if m else ""
    if name.startswith("OFPT_"):
        s = slugify(name[5:])
        if name == "OFPT_ERROR":
            em = re.search(r"\):\s*(\w+)", first)
            if em:
                code = em.group(1)
                cm = re.match(r"OFP([A-Z]+)_(\w+)", code)
                if cm and cm.group(1) in ERROR_TYPES:
                    code = ERROR_TYPES[cm.group(1)] + "-" + cm.group(2)
                s += "-" + slugify(code)
    elif name.startswith("OFPST_"):
        s = ("stats-" if v == 1 else "multipart-") + slugify(name[6:])
    elif name.startswith("NXT_"):
        s = "nx-" + slugify(name[4:])
    elif name.startswith("NXST_"):
        s = "nx-stats-" + slugify(name[5:])
    elif name.startswith("ONFT_"):
        s = "onf-" + slugify(name[5:])
    elif name.startswith("ONFST_"):
        s = "onf-stats-" + slugify(name[6:])
    else:
        s = slugify(type_name(msg)[5:] if type_name(msg).startswith("OFPT_") else type_name(msg))
    if rr:
        s += "-" + rr
    return s


ERROR_TYPES = {"HFC": "hello-failed", "BRC": "bad-request", "BAC": "bad-action",
               "BIC": "bad-instruction", "BMC": "bad-match", "FMFC": "flow-mod-failed",
               "GMFC": "group-mod-failed", "PMFC": "port-mod-failed", "TMFC": "table-mod-failed",
               "QOFC": "queue-op-failed", "SCFC": "switch-config-failed",
               "RRFC": "role-request-failed", "MMFC": "meter-mod-failed",
               "TFFC": "table-features-failed"}

# types whose file names always carry the scenario label
LABELLED = ("flow-mod", "group-mod", "meter-mod", "port-mod", "table-mod", "packet-out",
            "packet-in", "flow-removed", "port-status", "set-config", "nx-flow-mod",
            "role-request", "role-reply", "nx-role")


def segments(msg):
    """(start, end, comment) annotations for well-known structures."""
    v, t = msg[0], msg[1]
    n = len(msg)
    segs = [(0, 8, "ofp_header")]

    def actions(off, end, table, indent=""):
        while off + 4 <= end:
            at, al = struct.unpack_from("!HH", msg, off)
            if al < 4 or off + al > end:
                break
            nm = table.get(at, "type %d" % at)
            if at == 0xffff and off + 8 <= end:
                vid = struct.unpack_from("!I", msg, off + 4)[0]
                nm += " 0x%08x" % vid
                if vid == 0x2320 and off + 10 <= end:
                    nm += " subtype %d" % struct.unpack_from("!H", msg, off + 8)[0]
            segs.append((off, off + al, "%saction %s (len %d)" % (indent, nm, al)))
            off += al

    def oxm_match(off):
        mt, ml = struct.unpack_from("!HH", msg, off)
        padded = (ml + 7) // 8 * 8
        segs.append((off, off + padded, "ofp_match type=%d length=%d (+%d pad)" % (mt, ml, padded - ml)))
        return off + padded

    try:
        if v == 1 and t == 14 and n >= 72:
            segs += [(8, 48, "ofp_match (OF1.0, 40 bytes)"),
                     (48, 72, "cookie, command, idle/hard timeout, priority, buffer_id, out_port, flags")]
            actions(72, n, ACT10)
        elif v == 1 and t == 13 and n >= 16:
            alen = struct.unpack_from("!H", msg, 14)[0]
            segs.append((8, 16, "buffer_id, in_port, actions_len=%d" % alen))
            actions(16, 16 + alen, ACT10)
            if 16 + alen < n:
                segs.append((16 + alen, n, "packet data (%d bytes)" % (n - 16 - alen)))
        elif v == 1 and t == 10 and n >= 18:
            segs += [(8, 18, "buffer_id, total_len, in_port, reason, pad")]
            if n > 18:
                segs.append((18, n, "packet data (%d bytes)" % (n - 18)))
        elif v == 1 and t == 11 and n >= 88:
            segs += [(8, 48, "ofp_match (OF1.0, 40 bytes)"),
                     (48, 88, "cookie, priority, reason, pad, duration, idle_timeout, pad, packet/byte count")]
        elif v == 1 and t in (16, 17) and n >= 12:
            st = struct.unpack_from("!H", msg, 8)[0]
            segs.append((8, 12, "%s %s, flags" % (ST10.get(st, "type %d" % st),
                                                   "request" if t == 16 else "reply")))
            if t == 16 and st in (1, 2) and n >= 56:
                segs += [(12, 52, "ofp_match (OF1.0, 40 bytes)"), (52, 56, "table_id, pad, out_port")]
        elif v == 4 and t == 14 and n >= 56:
            segs.append((8, 48, "cookie, cookie_mask, table_id, command, idle/hard timeout, priority, "
                                "buffer_id, out_port, out_group, flags, pad"))
            off = oxm_match(48)
            while off + 4 <= n:
                it, il = struct.unpack_from("!HH", msg, off)
                if il < 4 or off + il > n:
                    break
                if it in (3, 4):
                    segs.append((off, off + 8, "instruction %s (len %d)" % (INST13.get(it), il)))
                    actions(off + 8, off + il, ACT13, "  ")
                else:
                    segs.append((off, off + il, "instruction %s (len %d)" % (INST13.get(it, it), il)))
                off += il
        elif v == 4 and t == 13 and n >= 24:
            alen = struct.unpack_from("!H", msg, 16)[0]
            segs.append((8, 24, "buffer_id, in_port, actions_len=%d, pad" % alen))
            actions(24, 24 + alen, ACT13)
            if 24 + alen < n:
                segs.append((24 + alen, n, "packet data (%d bytes)" % (n - 24 - alen)))
        elif v == 4 and t == 10 and n >= 32:
            segs.append((8, 24, "buffer_id, total_len, reason, table_id, cookie"))
            off = oxm_match(24)
            segs.append((off, off + 2, "pad"))
            if off + 2 < n:
                segs.append((off + 2, n, "packet data (%d bytes)" % (n - off - 2)))
        elif v == 4 and t == 11 and n >= 48:
            segs.append((8, 48, "cookie, priority, reason, table_id, duration, idle/hard timeout, "
                                "packet/byte count"))
            oxm_match(48)
        elif v == 4 and t in (18, 19) and n >= 16:
            mt = struct.unpack_from("!H", msg, 8)[0]
            segs.append((8, 16, "%s %s, flags, pad" % (MP13.get(mt, "type %d" % mt),
                                                        "request" if t == 18 else "reply")))
            if t == 18 and mt in (1, 2) and n >= 48:
                segs.append((16, 48, "table_id, pad, out_port, out_group, pad, cookie, cookie_mask"))
                oxm_match(48)
        elif v == 4 and t == 15 and n >= 16:
            segs.append((8, 16, "command, type, pad, group_id"))
            off = 16
            while off + 16 <= n:
                bl = struct.unpack_from("!H", msg, off)[0]
                if bl < 16 or off + bl > n:
                    break
                segs.append((off, off + 16, "ofp_bucket (len %d, weight, watch_port, watch_group)" % bl))
                actions(off + 16, off + bl, ACT13, "  ")
                off += bl
        elif (v == 1 and t == 4) or (v == 4 and t == 4):
            if n >= 16:
                segs.append((8, 16, "experimenter/vendor id, subtype"))
        elif t == 1 and n >= 12:
            segs.append((8, 12, "error type, code"))
            if n > 12:
                segs.append((12, n, "data (%d bytes)" % (n - 12)))
    except struct.error:
        pass
    # sort, drop overlaps, fill gaps
    segs.sort(key=lambda s: s[0])
    out, pos = [], 0
    for s, e, c in segs:
        e = min(e, n)
        if s < pos or e <= s:
            continue
        if s > pos:
            out.append((pos, s, "body" if pos == 8 else ""))
        out.append((s, e, c))
        pos = e
    if pos < n:
        out.append((pos, n, "body" if pos == 8 else ""))
    return out


def hex_lines(msg):
    lines = []
    for s, e, c in segments(msg):
        chunk = msg[s:e]
        first = True
        for i in range(0, len(chunk), 16):
            line = " ".join("%02x" % b for b in chunk[i:i + 16])
            if first and c:
                line = line.ljust(47) + "  # " + c
            first = False
            lines.append(line)
    return lines


def write_fixtures(out_dir, records, ofctl_version):
    other_dir = os.path.join(out_dir, "other-versions")
    for d in (out_dir, other_dir):
        os.makedirs(d, exist_ok=True)
        for f in os.listdir(d):
            if f.endswith(".hex"):
                os.remove(os.path.join(d, f))
    seen = set()
    names = {}
    index = []
    skipped_big = 0
    kept_big = False
    per_key = {}
    bases = set()
    for r in records:
        msg = r["msg"]
        if msg[0] not in (1, 4):
            # e.g. the HELLO ovs-vswitchd sends carries its highest version in the header
            pass
        key = zero_xid(msg)
        if key in seen:
            continue
        seen.add(key)
        if len(msg) > MAX_FIXTURE:
            if kept_big:
                skipped_big += 1
                print("skipped a %d-byte %s (only one message over %d bytes is kept)"
                      % (len(msg), type_name(msg), MAX_FIXTURE))
                continue
            kept_big = True
        printed = ofp_print(msg)
        vp = {1: "of10", 4: "of13"}.get(msg[0], "of%02x" % msg[0])
        slug = msg_slug(msg, printed)
        base = "%s-%s" % (vp, slug)
        label = slugify(r["label"])
        labelled = any(slug.startswith(p) for p in LABELLED)
        # limit near-identical repeats (e.g. PORT_STATUS during link flaps)
        k = (base, label)
        per_key[k] = per_key.get(k, 0) + 1
        if per_key[k] > 2:
            continue
        # side traffic (e.g. the table stats ovs-ofctl fetches before each OF1.0 flow_mod, or
        # the port list it fetches before mod-port): keep only the first of its kind
        side = not labelled and not slug.startswith(("error", "hello")) and not r["query"]
        if side and base in bases:
            continue
        bases.add(base)
        sender = "ovs-ofctl" if r["sender"] == "ovs-ofctl" else "ovs-vswitchd"
        cands = []
        if labelled:
            cands.append("%s-%s" % (base, label))
        else:
            cands.append(base)
            if slug in ("hello",):
                cands.insert(0, "%s-from-%s" % (base, sender))
            cands.append("%s-%s" % (base, label))
        name = None
        for c in cands:
            if c not in names:
                name = c
                break
        if name is None:
            i = 2
            while "%s-%d" % (cands[-1], i) in names:
                i += 1
            name = "%s-%d" % (cands[-1], i)
        names[name] = True
        xid = struct.unpack_from("!I", msg, 4)[0]
        tn = type_name(msg)
        hdr_len = struct.unpack_from("!H", msg, 2)[0]
        assert hdr_len == len(msg)
        text = ["# source: %s" % r["source"],
                "# direction: %s" % r["direction"],
                "# ofp-print:"]
        text += ["#   " + l if l else "#" for l in printed.splitlines()]
        text.append("# header: version=0x%02x type=%d (%s) length=%d xid=0x%08x"
                    % (msg[0], msg[1], tn, hdr_len, xid))
        text += hex_lines(msg)
        # messages in neither OpenFlow 1.0 nor 1.3 framing (HELLO_FAILED errors answering a
        # HELLO that offered only other versions) go to a subdirectory
        fname = name + ".hex" if msg[0] in (1, 4) else "other-versions/" + name + ".hex"
        with open(os.path.join(out_dir, fname), "w") as f:
            f.write("\n".join(text) + "\n")
        first = printed.splitlines()[0] if printed else tn
        mname = re.match(r"(\w+(?: request| reply)?)", first)
        index.append((fname, mname.group(1) if mname else tn,
                      {1: "1.0", 4: "1.3"}.get(msg[0], hex(msg[0])), len(msg), sender, r["source"]))
    index.sort()
    with open(os.path.join(out_dir, "INDEX.md"), "w") as f:
        f.write("# Golden OpenFlow messages made by Open vSwitch %s\n\n" % ofctl_version)
        f.write("Captured by `Scripts/capture-ovs-fixtures.py`. One message per `.hex` file: `#` "
                "comment lines (source, direction, full `ovs-ofctl ofp-print` output, header "
                "fields), then the exact bytes as hex, 16 per line; a line may end with a "
                "`# comment`. Exact duplicates (equal bytes after zeroing the xid) were dropped.\n\n")
        f.write("| file | message | OpenFlow | bytes | made by | source |\n|---|---|---|---|---|---|\n")
        for row in index:
            src = row[5].replace("|", "\\|")
            if len(src) > 160:
                src = src[:157] + "..."
            f.write("| `%s` | %s | %s | %d | %s | %s |\n" % (row[0], row[1], row[2], row[3], row[4], src))
        f.write("\nNotes\n\n"
                "- Files under `other-versions/` are HELLO_FAILED errors and a HELLO in OpenFlow "
                "1.1/1.4 framing (answers to a HELLO that offered only versions the peer lacks); "
                "they are neither 1.0 nor 1.3.\n"
                "- Where an OFPT_ERROR carries a request that this script crafted to be invalid, "
                "`ofp-print` reports `***decode error***` for that echoed request; the ERROR "
                "message itself (made by ovs-vswitchd) decodes.\n"
                "- Replies carry live values (durations, counters, MAC addresses of the internal "
                "ports): compare them to the `ofp-print` text of the same file, not across files.\n")
    return index, skipped_big


# ----------------------------------------------------------------------------------------


def ofctl_version():
    r = subprocess.run(["ovs-ofctl", "--version"], capture_output=True, text=True)
    m = re.search(r"\) (\S+)", r.stdout)
    return m.group(1) if m else "?"


OVS_VERSION = ofctl_version()


def inner(args):
    ovs = OVS(args.ovs_dir)
    ovs.start()
    try:
        capture(ovs)
    finally:
        with open(os.path.join(args.ovs_dir, "ofctl.log"), "w") as f:
            f.write("\n".join(LOG))
        kill_pidfiles(args.ovs_dir)
    index, skipped = write_fixtures(args.out, REC.records, OVS_VERSION)
    print("wrote %d fixtures to %s (%d large messages skipped)" % (len(index), args.out, skipped))


def outer(args):
    if os.geteuid() != 0:
        sys.exit("run as root (network namespace, OVS daemons)")
    d = args.ovs_dir
    if os.path.exists(d):
        kill_pidfiles(d)
        shutil.rmtree(d)
    os.makedirs(d)
    subprocess.run(["ip", "netns", "del", NETNS], capture_output=True)
    subprocess.run(["ip", "netns", "add", NETNS], check=True)
    rc = 1
    try:
        subprocess.run(["ip", "netns", "exec", NETNS, "ip", "link", "set", "lo", "up"], check=True)
        # no IPv6 autoconfiguration traffic from the internal ports (keeps packet-ins deterministic)
        for k in ("all", "default"):
            subprocess.run(["ip", "netns", "exec", NETNS, "sysctl", "-qw",
                            "net.ipv6.conf.%s.disable_ipv6=1" % k], check=False)
        rc = subprocess.run(["ip", "netns", "exec", NETNS, sys.executable, os.path.abspath(__file__),
                             "--inner", "--out", os.path.abspath(args.out), "--ovs-dir", d]).returncode
    finally:
        kill_pidfiles(d)
        subprocess.run(["ip", "netns", "del", NETNS], capture_output=True)
        if not args.keep:
            shutil.rmtree(d, ignore_errors=True)
    sys.exit(rc)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--ovs-dir", default=DEFAULT_OVS_DIR)
    ap.add_argument("--keep", action="store_true", help="keep the OVS directory (logs)")
    ap.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.inner:
        inner(args)
    else:
        outer(args)


if __name__ == "__main__":
    main()
