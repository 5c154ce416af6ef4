#if os(Linux)
import Foundation
import Glibc
import NIOCore
import NetworkAddresses
import Packets
import Testing

@testable import Routing

/// OSPFRouter against BIRD 2: BIRD runs in a network namespace of its own, joined by a veth pair
/// to the root namespace, where the router's frames go through an AF_PACKET socket on the veth
/// end (no IP address on it, IPv6 off, so the kernel leaves the traffic alone).
@Suite(.serialized) struct BIRDInteropTests {
    static let bird = "/usr/sbin/bird"
    static let birdc = "/usr/sbin/birdc"

    @Test func birdAndOSPFRouterBecomeFullAndExchangeRoutes() throws {
        for tool in [Self.bird, Self.birdc] {
            guard access(tool, X_OK) == 0 else {
                Issue.record("\(tool) is missing: install BIRD 2 (apt-get install -y bird2)")
                return
            }
        }
        let tag = String(getpid() % 100_000)
        let namespace = "ospf-bird-\(tag)"
        let local = "ospfv\(tag)a"  // root namespace: the Swift router's wire
        let remote = "ospfv\(tag)b"  // BIRD's namespace
        let directory = NSTemporaryDirectory() + "ospf-bird-\(tag)"
        var birdPID: pid_t?
        defer {
            if let birdPID { Subprocess.terminate(birdPID) }
            _ = try? Subprocess.run(["ip", "link", "del", local], check: false)
            _ = try? Subprocess.run(["ip", "netns", "del", namespace], check: false)
            try? FileManager.default.removeItem(atPath: directory)
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Subprocess.run(["ip", "netns", "add", namespace])
        try Subprocess.run(["ip", "link", "add", local, "type", "veth", "peer", "name", remote, "netns", namespace])
        try Subprocess.run(["sysctl", "-qw", "net.ipv6.conf.\(local).disable_ipv6=1"])
        try Subprocess.run(["ip", "link", "set", local, "up"])
        try Subprocess.run(["ip", "-n", namespace, "link", "set", "lo", "up"])
        try Subprocess.run(["ip", "-n", namespace, "addr", "add", "10.97.0.2/30", "dev", remote])
        try Subprocess.run(["ip", "-n", namespace, "link", "set", remote, "up"])
        let mac = try #require(
            MACAddress(try String(contentsOfFile: "/sys/class/net/\(local)/address", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))

        let config = """
            router id 10.97.0.2;
            protocol device { scan time 1; }
            protocol ospf v2 vnm {
                ipv4 { import all; export none; };
                area 0 {
                    stubnet 10.97.2.0/24;
                    interface "\(remote)" { type ptp; hello 1; dead 4; retransmit 2; };
                };
            }
            """
        try config.write(toFile: directory + "/bird.conf", atomically: true, encoding: .utf8)
        let control = directory + "/bird.ctl"
        birdPID = try Subprocess.spawn(
            ["ip", "netns", "exec", namespace, Self.bird, "-f", "-c", directory + "/bird.conf", "-s", control],
            outputPath: directory + "/bird.log")

        let socket = try RawEthernetSocket(interface: local)
        var configuration = OSPFConfiguration(
            routerID: IPv4Address(10, 97, 0, 1),
            interfaces: [
                OSPFInterfaceConfiguration(
                    name: local, address: IPv4Address(10, 97, 0, 1), prefixLength: 30, cost: 10, helloInterval: 1,
                    routerDeadInterval: 4, retransmitInterval: 2)
            ],
            stubNetworks: [OSPFStubNetwork(OSPFPrefix("10.97.1.0/24")!)])
        configuration.minLSInterval = .seconds(5)
        var peer = try OSPFLinuxPeer(
            router: OSPFRouter(configuration: configuration, now: .now()), socket: socket, interface: local, mac: mac)

        var neighbors = ""
        var birdRoutes = ""
        let started = Date()
        let converged = try peer.run(seconds: 40) { peer in
            neighbors = (try? Subprocess.run([Self.birdc, "-s", control, "show", "ospf", "neighbors"], check: false).output) ?? ""
            birdRoutes = (try? Subprocess.run([Self.birdc, "-s", control, "show", "route"], check: false).output) ?? ""
            return neighbors.contains("Full/PtP") && birdRoutes.contains("10.97.1.0/24")
                && peer.router.routes.contains { $0.prefix == OSPFPrefix("10.97.2.0/24")! }
        }
        let seconds = Date().timeIntervalSince(started)
        let trace = peer.log.map { "\($0.1)" }.filter { !$0.hasPrefix("send") }.joined(separator: "\n")
        #expect(converged, "no convergence within 40 s.\nBIRD neighbours:\n\(neighbors)\nBIRD routes:\n\(birdRoutes)\nrouter:\n\(trace)")
        #expect(neighbors.contains("Full/PtP"), "birdc show ospf neighbors:\n\(neighbors)")
        #expect(birdRoutes.contains("10.97.1.0/24"), "birdc show route:\n\(birdRoutes)")
        let route = try #require(peer.router.routes.first { $0.prefix == OSPFPrefix("10.97.2.0/24")! }, "\(peer.router.routes)")
        #expect(route.nextHops == [OSPFNextHop(interface: local, address: IPv4Address(10, 97, 0, 2))])
        #expect(route.cost == 20)
        #expect(peer.router.neighbors.first?.state == .full)
        print("BIRD interop: converged in \(String(format: "%.1f", seconds)) s; frames in \(peer.framesIn), out \(peer.framesOut)")
        print(neighbors)
        print(birdRoutes)
    }
}
#endif
