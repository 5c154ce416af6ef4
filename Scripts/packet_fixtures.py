#!/usr/bin/python3
"""Writes the Packets test fixtures as annotated hex, one file per packet.

Usage: packet_fixtures.py KERNEL_PCAP FIXTURES_DIR
(run by Scripts/capture-packet-fixtures.sh, which makes KERNEL_PCAP in two namespaces).

Kernel frames are picked out of the capture; 802.1Q, LLDP and OSPF frames are built here
with scapy. Each file holds '#' comment lines (origin, then one line per field with its
value) and hex lines; a reader ignores everything from '#' to the end of a line.
"""

import os
import struct
import sys

from scapy.all import ARP, ICMP, IP, UDP, Dot1Q, Ether, rdpcap, raw  # noqa: E402
from scapy.contrib.lldp import (  # noqa: E402
    LLDPDUChassisID,
    LLDPDUEndOfLLDPDU,
    LLDPDUPortDescription,
    LLDPDUPortID,
    LLDPDUSystemName,
    LLDPDUTimeToLive,
)
from scapy.contrib.ospf import OSPF_Hdr, OSPF_Hello, OSPF_LSA_Hdr, OSPF_LSAck  # noqa: E402

MAC_A = "02:00:0a:63:00:01"
MAC_B = "02:00:0a:63:00:02"
IP_A = "10.99.0.1"
IP_B = "10.99.0.2"

CAPTURE = (
    "Linux kernel {kernel}: two namespaces vnmpk-a (10.99.0.1, {a}) and vnmpk-b\n"
    "(10.99.0.2, {b}) joined by veth (MTU 300, `ethtool -K tx off`), captured with\n"
    "`ip netns exec vnmpk-b tcpdump -i vnmpk-b0 -w` by Scripts/capture-packet-fixtures.sh.\n"
).format(kernel=os.uname().release, a=MAC_A, b=MAC_B)


def mac(b):
    return ":".join("%02x" % x for x in b)


def ip4(b):
    return ".".join(str(x) for x in b)


def u16(b, o):
    return struct.unpack_from("!H", b, o)[0]


def u32(b, o):
    return struct.unpack_from("!I", b, o)[0]


def inet_checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


class Annotator:
    """Walks a frame layer by layer, emitting `# field: value` then the field's hex."""

    def __init__(self, data):
        self.data = data
        self.offset = 0
        self.lines = []

    def section(self, title):
        self.lines.append("#")
        self.lines.append("# " + title)

    def field(self, length, text):
        chunk = self.data[self.offset : self.offset + length]
        self.lines.append("# @%d %s" % (self.offset, text))
        for i in range(0, len(chunk), 16):
            self.lines.append(" ".join("%02x" % x for x in chunk[i : i + 16]))
        self.offset += length

    def rest(self, text):
        if self.offset < len(self.data):
            self.field(len(self.data) - self.offset, text)

    # Layers -----------------------------------------------------------------------------

    def ethernet(self):
        d, o = self.data, self.offset
        self.section("Ethernet II (IEEE 802.3 clause 3.2)")
        self.field(6, "destination %s" % mac(d[o : o + 6]))
        self.field(6, "source %s" % mac(d[o + 6 : o + 12]))
        ethertype = u16(d, self.offset)
        if ethertype == 0x8100:
            tci = u16(d, self.offset + 2)
            self.section("IEEE 802.1Q tag (802.1Q-2018 §9.6)")
            self.field(2, "TPID 0x8100")
            self.field(2, "TCI 0x%04x: PCP %d, DEI %d, VID %d" % (tci, tci >> 13, (tci >> 12) & 1, tci & 0xFFF))
            ethertype = u16(d, self.offset)
        names = {0x0800: "IPv4", 0x0806: "ARP", 0x88CC: "LLDP"}
        self.field(2, "ethertype 0x%04x (%s)" % (ethertype, names.get(ethertype, "?")))
        if ethertype == 0x0806:
            self.arp()
        elif ethertype == 0x0800:
            self.ipv4()
        elif ethertype == 0x88CC:
            self.lldp()
        self.rest("Ethernet padding to the 60-byte minimum (not part of the payload)")

    def arp(self):
        d, o = self.data, self.offset
        self.section("ARP (RFC 826)")
        self.field(2, "hardware type %d (Ethernet)" % u16(d, o))
        self.field(2, "protocol type 0x%04x (IPv4)" % u16(d, o + 2))
        self.field(1, "hardware length %d" % d[o + 4])
        self.field(1, "protocol length %d" % d[o + 5])
        op = u16(d, o + 6)
        self.field(2, "operation %d (%s)" % (op, {1: "request", 2: "reply"}.get(op, "?")))
        self.field(6, "sender hardware address %s" % mac(d[o + 8 : o + 14]))
        self.field(4, "sender protocol address %s" % ip4(d[o + 14 : o + 18]))
        self.field(6, "target hardware address %s" % mac(d[o + 18 : o + 24]))
        self.field(4, "target protocol address %s" % ip4(d[o + 24 : o + 28]))

    def ipv4(self):
        d, o = self.data, self.offset
        ihl = (d[o] & 0xF) * 4
        total = u16(d, o + 2)
        self.section("IPv4 (RFC 791 §3.1)")
        self.field(1, "version %d, IHL %d (%d bytes)" % (d[o] >> 4, d[o] & 0xF, ihl))
        self.field(1, "DSCP %d, ECN %d" % (d[o + 1] >> 2, d[o + 1] & 3))
        self.field(2, "total length %d" % total)
        self.field(2, "identification 0x%04x" % u16(d, o + 4))
        ff = u16(d, o + 6)
        self.field(2, "flags: DF %d, MF %d; fragment offset %d (x8 = %d bytes)"
                   % ((ff >> 14) & 1, (ff >> 13) & 1, ff & 0x1FFF, (ff & 0x1FFF) * 8))
        self.field(1, "TTL %d" % d[o + 8])
        proto = d[o + 9]
        self.field(1, "protocol %d (%s)" % (proto, {1: "ICMP", 17: "UDP", 89: "OSPF"}.get(proto, "?")))
        ok = inet_checksum(bytes(d[o : o + ihl])) == 0xFFFF
        self.field(2, "header checksum 0x%04x (%s)" % (u16(d, o + 10), "verifies" if ok else "BAD"))
        self.field(4, "source %s" % ip4(d[o + 12 : o + 16]))
        self.field(4, "destination %s" % ip4(d[o + 16 : o + 20]))
        if ihl > 20:
            self.field(ihl - 20, "options (%d bytes; first is type %d)" % (ihl - 20, d[o + 20]))
        end = o + total
        if ff & 0x1FFF:
            self.field(total - ihl, "fragment data (%d bytes, continues the ICMP message)" % (total - ihl))
        elif proto == 1:
            self.icmp(end, more=bool(ff & 0x2000))
        elif proto == 17:
            self.udp(end, d[o + 12 : o + 20])
        elif proto == 89:
            self.ospf(end)

    def icmp(self, end, more):
        d, o = self.data, self.offset
        kind = {0: "echo reply", 8: "echo request", 3: "destination unreachable"}.get(d[o], "?")
        self.section("ICMP (RFC 792)")
        self.field(1, "type %d (%s)" % (d[o], kind))
        self.field(1, "code %d" % d[o + 1])
        note = "covers the whole message, reassembled" if more else (
            "verifies" if inet_checksum(bytes(d[o:end])) == 0xFFFF else "BAD")
        self.field(2, "checksum 0x%04x (%s)" % (u16(d, o + 2), note))
        self.field(2, "identifier 0x%04x" % u16(d, o + 4))
        self.field(2, "sequence number %d" % u16(d, o + 6))
        self.field(end - o - 8, "data (%d bytes%s)" % (end - o - 8, ", first fragment" if more else ""))

    def udp(self, end, addresses):
        d, o = self.data, self.offset
        length = u16(d, o + 4)
        cs = u16(d, o + 6)
        pseudo = bytes(addresses) + struct.pack("!BBH", 0, 17, length)
        if cs == 0:
            note = "none: RFC 768 zero means not computed"
        else:
            note = "verifies over the pseudo-header" if inet_checksum(pseudo + bytes(d[o:end])) == 0xFFFF else "BAD"
        self.section("UDP (RFC 768)")
        self.field(2, "source port %d" % u16(d, o))
        self.field(2, "destination port %d" % u16(d, o + 2))
        self.field(2, "length %d" % length)
        self.field(2, "checksum 0x%04x (%s)" % (cs, note))
        self.field(end - o - 8, "data %r" % bytes(d[o + 8 : end]))

    def ospf(self, end):
        d, o = self.data, self.offset
        length = u16(d, o + 2)
        autype = u16(d, o + 14)
        types = {1: "Hello", 2: "Database Description", 3: "Link State Request",
                 4: "Link State Update", 5: "Link State Acknowledgment"}
        ok = inet_checksum(bytes(d[o : o + 16]) + bytes(d[o + 24 : o + length])) == 0xFFFF
        self.section("OSPFv2 packet header (RFC 2328 §A.3.1)")
        self.field(1, "version %d" % d[o])
        self.field(1, "type %d (%s)" % (d[o + 1], types.get(d[o + 1], "?")))
        self.field(2, "packet length %d" % length)
        self.field(4, "router ID %s" % ip4(d[o + 4 : o + 8]))
        self.field(4, "area ID %s" % ip4(d[o + 8 : o + 12]))
        self.field(2, "checksum 0x%04x (%s; excludes the authentication field)"
                   % (u16(d, o + 12), "verifies" if ok else "BAD"))
        self.field(2, "AuType %d (%s)" % (autype, {0: "null", 1: "simple password", 2: "cryptographic"}.get(autype, "?")))
        self.field(8, "authentication %r" % bytes(d[o + 16 : o + 24]))
        if d[o + 1] == 1:
            self.ospf_hello(o + length)
        else:
            self.field(o + length - self.offset, "body (%d bytes)" % (o + length - self.offset))

    def ospf_hello(self, end):
        d, o = self.data, self.offset
        self.section("OSPFv2 Hello (RFC 2328 §A.3.2)")
        self.field(4, "network mask %s" % ip4(d[o : o + 4]))
        self.field(2, "HelloInterval %d" % u16(d, o + 4))
        self.field(1, "options 0x%02x" % d[o + 6])
        self.field(1, "Rtr Pri %d" % d[o + 7])
        self.field(4, "RouterDeadInterval %d" % u32(d, o + 8))
        self.field(4, "Designated Router %s" % ip4(d[o + 12 : o + 16]))
        self.field(4, "Backup Designated Router %s" % ip4(d[o + 16 : o + 20]))
        p = o + 20
        while p + 4 <= end:
            self.field(4, "Neighbor %s" % ip4(d[p : p + 4]))
            p += 4

    def lldp(self):
        d = self.data
        self.section("LLDPDU (IEEE 802.1AB-2016 §8)")
        names = {0: "End of LLDPDU", 1: "Chassis ID", 2: "Port ID", 3: "Time To Live",
                 4: "Port Description", 5: "System Name", 127: "Organizationally Specific"}
        while self.offset + 2 <= len(d):
            o = self.offset
            header = u16(d, o)
            tlv_type, length = header >> 9, header & 0x1FF
            value = bytes(d[o + 2 : o + 2 + length])
            self.field(2, "TLV header 0x%04x: type %d (%s), length %d"
                       % (header, tlv_type, names.get(tlv_type, "?"), length))
            if tlv_type in (1, 2) and length:
                self.field(1, "subtype %d" % value[0])
                self.field(length - 1, "id %r" % value[1:])
            elif tlv_type == 3 and length == 2:
                self.field(2, "TTL %d seconds" % u16(value, 0))
            elif length:
                self.field(length, "value %r" % value)
            if tlv_type == 0:
                break


def write(directory, name, origin, frame):
    data = raw(frame) if not isinstance(frame, (bytes, bytearray)) else bytes(frame)
    a = Annotator(data)
    a.ethernet()
    header = ["# %s.hex: %d bytes" % (name, len(data))]
    header += ["# " + line for line in origin.strip().split("\n")]
    header.append("# Format: '#' starts a comment; the rest is hex, whitespace ignored.")
    header.append("# '@N' is the byte offset of the field in the frame.")
    with open(os.path.join(directory, name + ".hex"), "w") as f:
        f.write("\n".join(header + a.lines) + "\n")
    print("wrote %s (%d bytes)" % (name, len(data)))


def pick(frames, predicate, what):
    for f in frames:
        if predicate(f):
            return f
    sys.exit("capture has no %s" % what)


def kernel_fixtures(pcap, directory):
    frames = rdpcap(pcap)

    def icmp(f, t):
        return ICMP in f and f[ICMP].type == t and not f[IP].options and f[IP].frag == 0 and not f[IP].flags.MF

    wanted = [
        ("kernel-arp-request", "ARP request from vnmpk-a, resolving 10.99.0.2 for the first echo request",
         lambda f: ARP in f and f[ARP].op == 1 and f[ARP].psrc == IP_A),
        ("kernel-arp-reply", "ARP reply from vnmpk-b to that request",
         lambda f: ARP in f and f[ARP].op == 2 and f[ARP].psrc == IP_B),
        ("kernel-icmp-echo-request", "ICMP echo request (sequence 1) from a ping socket in vnmpk-a, as `ping 10.99.0.2`",
         lambda f: icmp(f, 8)),
        ("kernel-icmp-echo-reply", "ICMP echo reply from vnmpk-b's kernel to that request",
         lambda f: icmp(f, 0)),
        ("kernel-ipv4-options-record-route",
         "ICMP echo request with the IPv4 Record Route option (IP_OPTIONS), as `ping -R`;\n"
         "the kernel filled in the first slot and the pointer",
         lambda f: ICMP in f and f[ICMP].type == 8 and f[IP].options and f[IP].src == IP_A),
        ("kernel-ipv4-first-fragment",
         "first fragment of a 408-byte echo request over MTU 300 with DF clear,\n"
         "as `ping -M dont -s 400 10.99.0.2`",
         lambda f: IP in f and f[IP].proto == 1 and f[IP].flags.MF and f[IP].frag == 0 and f[IP].src == IP_A),
        ("kernel-ipv4-last-fragment", "last fragment of that echo request",
         lambda f: IP in f and f[IP].proto == 1 and not f[IP].flags.MF and f[IP].frag > 0 and f[IP].src == IP_A),
        ("kernel-udp", "UDP 10.99.0.1:4000 -> 10.99.0.2:5000 from a Python socket's sendto in vnmpk-a",
         lambda f: UDP in f and f[UDP].sport == 4000),
        ("kernel-udp-no-checksum",
         "UDP 10.99.0.1:4001 -> 10.99.0.2:5000 from a socket with SO_NO_CHECK (checksum left 0)",
         lambda f: UDP in f and f[UDP].sport == 4001),
    ]
    for name, what, predicate in wanted:
        frame = pick(frames, predicate, name)
        write(directory, name, CAPTURE + what, raw(frame))


def scapy_fixtures(directory):
    import scapy

    origin = "Built with scapy %s (Scripts/packet_fixtures.py):\n" % scapy.__version__
    write(directory, "scapy-vlan-udp",
          origin + "802.1Q-tagged UDP (the kernel here has no 8021q module)\n"
          "Ether(src=a, dst=b)/Dot1Q(prio=5, id=1, vlan=100)/IP(10.99.0.1 -> 10.99.0.2, id=1)/"
          "UDP(4000 -> 5000)/b'vlan fixture'",
          Ether(src=MAC_A, dst=MAC_B) / Dot1Q(prio=5, id=1, vlan=100)
          / IP(src=IP_A, dst=IP_B, id=1) / UDP(sport=4000, dport=5000) / b"vlan fixture")
    write(directory, "scapy-vlan-arp",
          origin + "802.1Q-tagged ARP request, unpadded (46 bytes)\n"
          "Ether(src=a, dst=ff..ff)/Dot1Q(vlan=42)/ARP(who-has 10.99.0.2 tell 10.99.0.1)",
          Ether(src=MAC_A, dst="ff:ff:ff:ff:ff:ff") / Dot1Q(vlan=42)
          / ARP(op=1, hwsrc=MAC_A, psrc=IP_A, hwdst="00:00:00:00:00:00", pdst=IP_B))
    write(directory, "scapy-lldp",
          origin + "LLDPDU with a MAC chassis ID, interface-name port ID, TTL 120, port\n"
          "description and system name (kept as unknown TLVs by vnm), End",
          Ether(src=MAC_A, dst="01:80:c2:00:00:0e")
          / LLDPDUChassisID(subtype=4, id=MAC_A)
          / LLDPDUPortID(subtype=5, id=b"vnmpk-a0")
          / LLDPDUTimeToLive(ttl=120)
          / LLDPDUPortDescription(description=b"veth to vnmpk-b")
          / LLDPDUSystemName(system_name=b"vnm-switch-1")
          / LLDPDUEndOfLLDPDU())
    write(directory, "scapy-lldp-openflow",
          origin + "LLDPDU as an OpenFlow controller's topology discovery sends it:\n"
          "chassis ID locally assigned 'dpid:0000000000000001', port ID port component\n"
          "(port number 3 as 4 bytes), TTL 120, End",
          Ether(src="02:00:00:00:01:03", dst="01:80:c2:00:00:0e")
          / LLDPDUChassisID(subtype=7, id=b"dpid:0000000000000001")
          / LLDPDUPortID(subtype=2, id=b"\x00\x00\x00\x03")
          / LLDPDUTimeToLive(ttl=120)
          / LLDPDUEndOfLLDPDU())
    write(directory, "scapy-ospf-hello",
          origin + "OSPFv2 Hello to AllSPFRouters, null authentication\n"
          "IP(10.99.0.1 -> 224.0.0.5, tos=0xc0, ttl=1, id=7)/OSPF_Hdr(src=1.1.1.1, area=0.0.0.0)/\n"
          "OSPF_Hello(mask=255.255.255.0, hellointerval=10, options=E, prio=1, deadinterval=40,\n"
          "router=10.99.0.1, backup=0.0.0.0, neighbors=[2.2.2.2])",
          Ether(src=MAC_A, dst="01:00:5e:00:00:05")
          / IP(src=IP_A, dst="224.0.0.5", tos=0xC0, ttl=1, id=7)
          / OSPF_Hdr(src="1.1.1.1", area="0.0.0.0")
          / OSPF_Hello(mask="255.255.255.0", hellointerval=10, options=0x02, prio=1,
                       deadinterval=40, router=IP_A, backup="0.0.0.0", neighbors=["2.2.2.2"]))
    password = struct.unpack("!Q", b"vnmpass\0")[0]
    write(directory, "scapy-ospf-lsack-password",
          origin + "OSPFv2 Link State Acknowledgment in area 0.0.0.1 with simple password\n"
          "authentication 'vnmpass' and one router-LSA header\n"
          "IP(10.99.0.2 -> 224.0.0.5, tos=0xc0, ttl=1, id=8)/OSPF_Hdr(type=5, src=2.2.2.2,\n"
          "area=0.0.0.1, authtype=1, authdata='vnmpass\\0')/OSPF_LSAck(lsaheaders=[router-LSA\n"
          "header id=adrouter=2.2.2.2, seq=0x80000001, age=1])",
          Ether(src=MAC_B, dst="01:00:5e:00:00:05")
          / IP(src=IP_B, dst="224.0.0.5", tos=0xC0, ttl=1, id=8)
          / OSPF_Hdr(type=5, src="2.2.2.2", area="0.0.0.1", authtype=1, authdata=password)
          / OSPF_LSAck(lsaheaders=[OSPF_LSA_Hdr(age=1, options=0x02, type=1, id="2.2.2.2",
                                                adrouter="2.2.2.2", seq=0x80000001, len=36)]))


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    pcap, directory = sys.argv[1], sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    kernel_fixtures(pcap, directory)
    scapy_fixtures(directory)


if __name__ == "__main__":
    main()
