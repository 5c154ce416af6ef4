#!/usr/bin/env bash
# Captures OSPFv2 packets made by BIRD 2 as fixtures for Tests/PacketsTests/Fixtures (bird-ospf-*.hex).
#
# Two namespaces ospffx-a (router ID 10.98.0.1, veth 10.98.0.1/30, stubnet 10.98.11.0/24) and
# ospffx-b (10.98.0.2, stubnet 10.98.12.0/24), each running BIRD with `type ptp; hello 1; dead 4`
# on the veth; `tcpdump -w` in ospffx-b captures the adjacency coming up (Hello, Database
# Description, Link State Request/Update/Acknowledgment). `Scripts/ospf_fixtures.py` then writes the
# first packet of each kind as annotated hex.
#
# Needs root, iproute2, tcpdump, bird (2.x) and /usr/bin/python3 with scapy. Everything started
# here is stopped by pid and the namespaces are deleted on exit.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
fixtures="$here/../Tests/PacketsTests/Fixtures"
A=ospffx-a
B=ospffx-b
work="$(mktemp -d)"
pids=()

cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for f in "$work"/*.pid; do [[ -f "$f" ]] && kill "$(cat "$f")" 2>/dev/null || true; done
    ip netns del "$A" 2>/dev/null || true
    ip netns del "$B" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$A"
ip netns add "$B"
for ns in "$A" "$B"; do
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.disable_ipv6=1
    ip -n "$ns" link set lo up
done
ip link add ospffx-a0 netns "$A" type veth peer name ospffx-b0 netns "$B"
ip -n "$A" link set ospffx-a0 address 02:00:0a:62:00:01
ip -n "$B" link set ospffx-b0 address 02:00:0a:62:00:02
ip -n "$A" addr add 10.98.0.1/30 dev ospffx-a0
ip -n "$B" addr add 10.98.0.2/30 dev ospffx-b0
ip -n "$A" link set ospffx-a0 up
ip -n "$B" link set ospffx-b0 up

config() { # ns id stubnet ifname
    cat >"$work/$1.conf" <<CONF
router id $2;
protocol device { scan time 1; }
protocol ospf v2 o {
    ipv4 { import all; export none; };
    area 0 {
        stubnet $3;
        interface "$4" { type ptp; hello 1; dead 4; retransmit 2; };
    };
}
CONF
}
config "$A" 10.98.0.1 10.98.11.0/24 ospffx-a0
config "$B" 10.98.0.2 10.98.12.0/24 ospffx-b0

ip netns exec "$B" tcpdump -q -i ospffx-b0 -U -w "$work/bird.pcap" ip proto 89 2>/dev/null &
pids+=($!)
sleep 1
ip netns exec "$B" bird -c "$work/$B.conf" -s "$work/$B.ctl" -P "$work/$B.pid"
sleep 2
ip netns exec "$A" bird -c "$work/$A.conf" -s "$work/$A.ctl" -P "$work/$A.pid"
for _ in $(seq 1 20); do
    sleep 1
    if birdc -s "$work/$B.ctl" show ospf neighbors | grep -q Full; then break; fi
done
birdc -s "$work/$B.ctl" show ospf neighbors
sleep 3
kill -INT "${pids[0]}"
wait "${pids[0]}" || true
pids=()

/usr/bin/python3 "$here/ospf_fixtures.py" "$work/bird.pcap" "$fixtures"
