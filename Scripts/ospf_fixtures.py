#!/usr/bin/python3
"""Writes BIRD-made OSPFv2 frames as annotated hex fixtures, the first of each kind.

Usage: ospf_fixtures.py BIRD_PCAP FIXTURES_DIR (run by Scripts/capture-ospf-fixtures.sh).
"""

import struct
import subprocess
import sys

from scapy.all import rdpcap, raw  # noqa: E402

TYPES = {1: "hello", 2: "dd", 3: "lsr", 4: "lsu", 5: "lsack"}
VERSION = subprocess.run(["bird", "--version"], capture_output=True, text=True).stderr.strip()


def kind(frame):
    ospf = frame[14 + (frame[14] & 0x0F) * 4:]
    name = TYPES.get(ospf[1], "unknown")
    if ospf[1] == 2:
        flags = ospf[24 + 3]
        if flags & 0x04:
            name = "dd-initial"  # I, M, MS: the empty DD that opens ExStart
        elif flags & 0x01:
            name = "dd-master"  # from the master during Exchange
        else:
            name = "dd-slave"  # the slave's answer, echoing the master's sequence number
    return name


def main():
    pcap, out = sys.argv[1], sys.argv[2]
    seen = {}
    for packet in rdpcap(pcap):
        frame = raw(packet)
        if len(frame) < 14 + 20 + 24 or frame[12:14] != b"\x08\x00" or frame[23] != 89:
            continue
        name = kind(frame)
        if name in seen:
            continue
        seen[name] = frame
    for name, frame in sorted(seen.items()):
        src = ".".join(str(b) for b in frame[26:30])
        dst = ".".join(str(b) for b in frame[30:34])
        path = "%s/bird-ospf-%s.hex" % (out, name)
        with open(path, "w") as f:
            f.write("# bird-ospf-%s.hex: %d bytes\n" % (name, len(frame)))
            f.write("# Made by %s on a point-to-point veth (`type ptp; hello 1; dead 4`),\n" % VERSION)
            f.write("# IPv4 %s -> %s, captured with tcpdump by Scripts/capture-ospf-fixtures.sh.\n" % (src, dst))
            f.write("# Format: '#' starts a comment; the rest is hex, whitespace ignored.\n")
            f.write("# @0 Ethernet, @14 IPv4, @34 OSPFv2 header, @58 OSPFv2 body\n")
            for i in range(0, len(frame), 16):
                f.write(" ".join("%02x" % b for b in frame[i:i + 16]) + "\n")
        print("wrote", path)


main()
