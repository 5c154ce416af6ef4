#!/usr/bin/env bash
# Regenerates the packet fixtures in Tests/PacketsTests/Fixtures.
#
# Real kernel traffic: two network namespaces (vnmpk-a 10.99.0.1, vnmpk-b 10.99.0.2) joined
# by a veth pair, `tcpdump -w` in vnmpk-b while vnmpk-a pings through the kernel's ping
# socket (ARP, ICMP echo, IPv4 options, fragments) and sends UDP datagrams. Frames the kernel
# here cannot make (802.1Q: no 8021q module; LLDP; OSPF) are built with scapy. `Scripts/packet_fixtures.py` then writes one
# annotated hex file per packet.
#
# Needs root, iproute2, tcpdump, ethtool and /usr/bin/python3 with scapy.
# Traffic goes only to addresses inside the two namespaces created here; they are removed on
# exit.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
fixtures="$here/../Tests/PacketsTests/Fixtures"
python=/usr/bin/python3
A=vnmpk-a
B=vnmpk-b
work="$(mktemp -d)"
tcpdump_pid=""

cleanup() {
    if [[ -n "$tcpdump_pid" ]]; then kill "$tcpdump_pid" 2>/dev/null || true; fi
    ip netns del "$A" 2>/dev/null || true
    ip netns del "$B" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$A"
ip netns add "$B"
for ns in "$A" "$B"; do
    # No IPv6: keeps router solicitations and MLD reports out of the capture.
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
done
ip link add vnmpk-a0 netns "$A" type veth peer name vnmpk-b0 netns "$B"
# Fixed MACs (02:00 + the IPv4 address) so regenerated fixtures keep their addresses.
ip -n "$A" link set vnmpk-a0 address 02:00:0a:63:00:01 mtu 300
ip -n "$B" link set vnmpk-b0 address 02:00:0a:63:00:02 mtu 300
# veth offloads checksums by default (the capture would show partial checksums); make the
# kernel compute them in software.
ip netns exec "$A" ethtool -K vnmpk-a0 tx off >/dev/null
ip netns exec "$B" ethtool -K vnmpk-b0 tx off >/dev/null
ip -n "$A" addr add 10.99.0.1/24 dev vnmpk-a0
ip -n "$B" addr add 10.99.0.2/24 dev vnmpk-b0
ip -n "$A" link set lo up
ip -n "$B" link set lo up
ip -n "$A" link set vnmpk-a0 up
ip -n "$B" link set vnmpk-b0 up
sleep 1

ip netns exec "$B" tcpdump -q -i vnmpk-b0 -U -w "$work/kernel.pcap" 2>/dev/null &
tcpdump_pid=$!
sleep 2

# ICMP echo through the kernel's ping socket (SOCK_DGRAM/IPPROTO_ICMP, as iputils ping uses;
# ping itself is not installed here): the kernel picks the identifier and computes checksums.
# First ARP request/reply, then two echo requests and their replies; then one with the IPv4
# Record Route option (RFC 791 §3.1, option 7, as `ping -R`); then a 408-byte echo request
# over the 300-byte MTU with DF clear (as `ping -M dont -s 400`), which the kernel fragments.
ip netns exec "$A" sysctl -qw net.ipv4.ping_group_range="0 0"
ip netns exec "$A" "$python" - <<'PY'
import socket, time
IP_MTU_DISCOVER, IP_PMTUDISC_DONT = 10, 0
def ping(payload, options=None, fragment=False, sequence=1):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_ICMP)
    s.settimeout(2)
    if options:
        s.setsockopt(socket.IPPROTO_IP, socket.IP_OPTIONS, options)
    if fragment:
        s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
    s.sendto(bytes([8, 0, 0, 0, 0, 0, 0, sequence]) + payload, ("10.99.0.2", 0))
    s.recv(2048)
    s.close()
data = bytes(range(0x10, 0x40))
for sequence in (1, 2):
    ping(data, sequence=sequence)
    time.sleep(0.2)
record_route = bytes([7, 39, 4]) + bytes(36) + bytes([1])  # RR with 9 slots, then NOP
ping(data, options=record_route)
ping(bytes(i & 0xFF for i in range(400)), fragment=True)
PY
# UDP 10.99.0.1:4000 -> 10.99.0.2:5000, once with a checksum and once without (SO_NO_CHECK).
ip netns exec "$A" "$python" - <<'PY'
import socket
SO_NO_CHECK = 11
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("10.99.0.1", 4000))
s.sendto(b"vnm udp fixture\n", ("10.99.0.2", 5000))
z = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
z.setsockopt(socket.SOL_SOCKET, SO_NO_CHECK, 1)
z.bind(("10.99.0.1", 4001))
z.sendto(b"no checksum", ("10.99.0.2", 5000))
PY
sleep 1
kill -INT "$tcpdump_pid"
wait "$tcpdump_pid" || true
tcpdump_pid=""

"$python" "$here/packet_fixtures.py" "$work/kernel.pcap" "$fixtures"
