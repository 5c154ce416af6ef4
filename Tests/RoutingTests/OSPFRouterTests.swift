import NIOCore
import NetworkAddresses
import Packets
import Testing

@testable import Routing

@Suite struct OSPFRouterTests {
    @Test func twoRoutersReachFullAndLearnEachOthersStubs() throws {
        var network = TestNetwork.pair()
        network.startAll()
        network.run(for: .seconds(10))
        #expect(network.state("r1", "r1-r2") == .full)
        #expect(network.state("r2", "r2-r1") == .full)
        // The full walk, as RFC 2328 §10.3 lays it out, on the side that became slave.
        #expect(
            network.transitions("r1").map { "\($0.0)>\($0.1)" }
                == ["Down>Init", "Init>ExStart", "ExStart>Exchange", "Exchange>Loading", "Loading>Full"])
        let route = try #require(network.route("r1", "192.168.2.0/24"))
        #expect(route.cost == 20)
        #expect(route.nextHops == [OSPFNextHop(interface: "r1-r2", address: IPv4Address(10, 0, 12, 2))])
        #expect(route.advertisingRouter == IPv4Address(2, 2, 2, 2))
        #expect(network.route("r2", "192.168.1.0/24")?.nextHops.first?.address == IPv4Address(10, 0, 12, 1))
        // Connected destinations are not routes.
        #expect(network.route("r1", "10.0.12.0/30") == nil)
        #expect(network.route("r1", "192.168.1.0/24") == nil)
        // Both databases hold both router-LSAs, the same instances.
        let a = network.routers["r1"]!.database(at: network.now).map(\.header)
        let b = network.routers["r2"]!.database(at: network.now).map(\.header)
        #expect(a.count == 2)
        #expect(zip(a, b).allSatisfy { $0.isSameInstance(as: $1) })
    }

    @Test func routeAddedIsReportedOnce() {
        var network = TestNetwork.pair()
        network.startAll()
        network.run(for: .seconds(30))
        let added = network.log.filter {
            if $0.router == "r1", case .routeAdded(let route) = $0.output { return route.prefix == OSPFPrefix("192.168.2.0/24")! }
            return false
        }
        #expect(added.count == 1)
    }

    @Test func triangleConvergesOnShortestPathsAndReconvergesAfterACut() throws {
        var network = TestNetwork.triangle()
        network.startAll()
        network.run(for: .seconds(15))
        for (router, interface) in [("r1", "r1-r2"), ("r1", "r1-r3"), ("r2", "r2-r3")] {
            #expect(network.state(router, interface) == .full, "\(router) \(interface)")
        }
        var route = try #require(network.route("r1", "192.168.3.0/24"))
        #expect(route.cost == 30)
        #expect(route.nextHops == [OSPFNextHop(interface: "r1-r2", address: IPv4Address(10, 0, 12, 2))])
        #expect(network.route("r1", "10.0.23.0/30")?.cost == 20)

        // Carrier loss on r1 — r2: both ends see InterfaceDown; r1 now goes the long way.
        network.cut(0, notify: true)
        network.run(for: .seconds(10))
        route = try #require(network.route("r1", "192.168.3.0/24"))
        #expect(route.cost == 40)
        #expect(route.nextHops == [OSPFNextHop(interface: "r1-r3", address: IPv4Address(10, 0, 13, 2))])
        #expect(network.route("r1", "192.168.2.0/24")?.cost == 50)
        #expect(network.log.contains {
            if $0.router == "r1", case .routeChanged(let old, let new) = $0.output {
                return new.prefix == OSPFPrefix("192.168.3.0/24")! && old.cost == 30 && new.cost == 40
            }
            return false
        })

        // Back up: the short path returns.
        network.restore(0)
        network.run(for: .seconds(15))
        #expect(network.route("r1", "192.168.3.0/24")?.cost == 30)
    }

    @Test func silentLinkFailureIsFoundByTheInactivityTimer() throws {
        var network = TestNetwork.triangle()
        network.startAll()
        network.run(for: .seconds(15))
        network.cut(0, notify: false)
        network.run(for: .seconds(3))
        #expect(network.state("r1", "r1-r2") == .full)  // within RouterDeadInterval
        network.run(for: .seconds(7))
        #expect(network.state("r1", "r1-r2") == nil)
        #expect(network.transitions("r1").contains { $0.1 == .down && $0.2 == "InactivityTimer" })
        #expect(network.route("r1", "192.168.3.0/24")?.nextHops.first?.interface == "r1-r3")
        // r2's router-LSA still lists r1, but r1's no longer lists r2: the back-link check drops it.
        #expect(network.route("r1", "192.168.2.0/24")?.cost == 50)
    }

    @Test func restartedRouterAdvancesPastItsOldSequenceNumber() throws {
        var network = TestNetwork.pair()
        network.startAll()
        network.run(for: .seconds(20))
        let r1ID = IPv4Address(1, 1, 1, 1)
        let before = try #require(network.routers["r2"]!.database(at: network.now).first { $0.header.advertisingRouter == r1ID })
        #expect(before.header.sequenceNumber > OSPFv2LSAHeader.initialSequenceNumber)
        // r1 restarts within RouterDeadInterval: r2 hears Hellos without itself (1-Way) and
        // hands r1 its old router-LSA, newer than the one r1 starts with (§13.4).
        network.routers["r1"] = OSPFRouter(configuration: network.routers["r1"]!.configuration, now: network.now)
        let outputs = network.routers["r1"]!.start(now: network.now)
        network.handle("r1", outputs)
        network.run(for: .seconds(20))
        #expect(network.transitions("r2").contains { $0.2 == "1-WayReceived" })
        #expect(network.state("r1", "r1-r2") == .full)
        #expect(network.state("r2", "r2-r1") == .full)
        let own = try #require(network.routers["r1"]!.database(at: network.now).first { $0.header.advertisingRouter == r1ID })
        let copy = try #require(network.routers["r2"]!.database(at: network.now).first { $0.header.advertisingRouter == r1ID })
        #expect(own.header.sequenceNumber > before.header.sequenceNumber)
        #expect(copy.header.isSameInstance(as: own.header))
        #expect(network.route("r2", "192.168.1.0/24") != nil)
    }

    @Test func retransmissionAfterLoss() throws {
        var network = TestNetwork.triangle()
        network.startAll()
        network.run(for: .seconds(15))
        var lost = 0
        network.drop = { router, transmission in
            if router == "r3", transmission.interface == "r3-r2", transmission.packet.type == .linkStateUpdate, lost == 0 {
                lost += 1
                return true
            }
            return false
        }
        let before = network.sent("r3", .linkStateUpdate).filter { $0.interface == "r3-r2" }.count
        // r3 cuts its long link to r1 (InterfaceDown on both ends): its new router-LSA must still reach r2.
        network.cut(2, notify: true)
        network.run(for: .seconds(12))
        #expect(lost == 1)
        let after = network.sent("r3", .linkStateUpdate).filter { $0.interface == "r3-r2" }.count
        #expect(after - before >= 2)  // the lost one and its retransmission
        let r3LSA = network.routers["r3"]!.database(at: network.now).first { $0.header.advertisingRouter == IPv4Address(3, 3, 3, 3) }!
        let r2Copy = network.routers["r2"]!.database(at: network.now).first { $0.header.advertisingRouter == IPv4Address(3, 3, 3, 3) }!
        #expect(r2Copy.header.isSameInstance(as: r3LSA.header))
        #expect(network.route("r1", "192.168.3.0/24")?.nextHops.first?.interface == "r1-r2")
    }

    @Test func deterministic() {
        func run() -> [String] {
            var network = TestNetwork.triangle()
            network.startAll()
            network.run(for: .seconds(20))
            return network.log.map { entry in
                if let transmission = entry.output.transmission {
                    return "\(entry.router) \(transmission.interface) \(Array(transmission.bytes.readableBytesView))"
                }
                return "\(entry.router) \(entry.output)"
            }
        }
        #expect(run() == run())
    }
}
