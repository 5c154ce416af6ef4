/// Small programs the testbed runs with `sh` and `python3` (standard library only), so that
/// traffic checks need neither `ping` (iputils is not installed here) nor `nc`.
enum Scripts {
    /// `ping.py DST COUNT INTERVAL WAIT`: ICMP echo over a raw socket. Prints one line:
    /// `transmitted N received M rtt_ms r1,r2,...`.
    static let ping = #"""
import os, select, socket, struct, sys, time
dst, count, interval, wait = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
def checksum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
ident = os.getpid() & 0xffff
rtts = []
for seq in range(count):
    start = time.monotonic()
    payload = struct.pack('!d', start) + bytes(48)
    header = struct.pack('!BBHHH', 8, 0, 0, ident, seq)
    packet = struct.pack('!BBHHH', 8, 0, checksum(header + payload), ident, seq) + payload
    sock.sendto(packet, (dst, 0))
    deadline = start + wait
    while True:
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([sock], [], [], left)[0]:
            break
        data, addr = sock.recvfrom(65535)
        ihl = (data[0] & 0x0f) * 4
        if len(data) < ihl + 8 or addr[0] != dst: continue
        kind, _, _, rid, rseq = struct.unpack('!BBHHH', data[ihl:ihl + 8])
        if kind == 0 and rid == ident and rseq == seq:
            rtts.append((time.monotonic() - start) * 1000)
            break
    pause = interval - (time.monotonic() - start)
    if seq + 1 < count and pause > 0: time.sleep(pause)
print('transmitted %d received %d rtt_ms %s' % (count, len(rtts), ','.join('%.3f' % r for r in rtts)), flush=True)
"""#

    /// `udp_receive.py ADDR PORT COUNT TIMEOUT`: binds, prints `ready`, then one line per
    /// datagram `from IP PORT HEXPAYLOAD`, until COUNT datagrams or TIMEOUT seconds of silence.
    static let udpReceive = #"""
import socket, sys
addr, port, count, timeout = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind((addr, port))
sock.settimeout(timeout)
print('ready', flush=True)
got = 0
while count <= 0 or got < count:
    try:
        data, src = sock.recvfrom(65535)
    except socket.timeout:
        break
    got += 1
    print('from %s %d %s' % (src[0], src[1], data.hex()), flush=True)
"""#

    /// `udp_send.py DST PORT HEXPAYLOAD COUNT INTERVAL SPORT`: sends COUNT datagrams.
    static let udpSend = #"""
import socket, sys, time
dst, port, payload, count, interval, sport = sys.argv[1], int(sys.argv[2]), bytes.fromhex(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
if sport: sock.bind(('0.0.0.0', sport))
for i in range(count):
    sock.sendto(payload, (dst, port))
    if i + 1 < count and interval > 0: time.sleep(interval)
print('sent %d' % count, flush=True)
"""#

    /// `sh -c WATCHDOG watchdog PARENT RUNDIR IP`: waits while the test process PARENT lives
    /// and RUNDIR exists. If PARENT ends first (a crash, a kill, a test that never called
    /// tearDown), it does the testbed's tear-down from the state files in RUNDIR: kills every
    /// process inside the testbed's namespaces and those listed in `pids` (pid and start time,
    /// so a reused pid is never hit), deletes the namespaces in `namespaces` and the
    /// root-namespace links in `links`, removes RUNDIR.
    static let watchdog = #"""
trap '' INT HUP
parent=$1; run=$2; ip=$3
while kill -0 "$parent" 2>/dev/null; do
    [ -d "$run" ] || exit 0
    sleep 1
done
[ -d "$run" ] || exit 0
echo "vnm LinuxTestbed: process $parent ended without tearDown(); cleaning up $run" >&2
for sig in TERM KILL; do
    while read -r pid start; do
        [ "$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f20)" = "$start" ] && kill -$sig "$pid" 2>/dev/null
    done < "$run/pids"
    for ns in $(cat "$run/namespaces" 2>/dev/null); do
        for pid in $("$ip" netns pids "$ns" 2>/dev/null); do kill -$sig "$pid" 2>/dev/null; done
    done
    [ $sig = TERM ] && sleep 1
done
for ns in $(cat "$run/namespaces" 2>/dev/null); do "$ip" netns del "$ns" 2>/dev/null; done
for link in $(cat "$run/links" 2>/dev/null); do "$ip" link del "$link" 2>/dev/null; done
rm -rf "$run"
"""#
}
