import NIOCore
import NetworkAddresses
import Packets
import Testing

@testable import Routing

/// One router, driven packet by packet by a scripted neighbour.
struct ScriptedNeighbor {
    var router: OSPFRouter
    var now = TestNetwork.start
    let id: IPv4Address
    let address = IPv4Address(10, 0, 0, 2)
    var outputs: [OSPFOutput] = []

    static let routerID = IPv4Address(5, 5, 5, 5)

    /// A router 5.5.5.5 on interface e0 (10.0.0.1/30), and a neighbour with Router ID `id`.
    init(neighbor id: IPv4Address) {
        self.id = id
        router = OSPFRouter(
            configuration: OSPFConfiguration(
                routerID: Self.routerID, interfaces: [.fast("e0", "10.0.0.1/30")],
                stubNetworks: [OSPFStubNetwork(OSPFPrefix("192.168.5.0/24")!)]),
            now: now)
        outputs = router.start(now: now)
    }

    var state: OSPFNeighborState? { router.neighbors.first?.state }

    mutating func receive(_ packet: OSPFv2Packet) {
        outputs = try! router.receive(packet.encoded(), on: "e0", from: address, now: now)
    }

    mutating func hello(seeing: Bool = true, helloInterval: UInt16 = 1) {
        receive(
            OSPFv2Packet(
                hello: OSPFv2Hello(
                    networkMask: .mask(prefixLength: 30), helloInterval: helloInterval, routerDeadInterval: 4,
                    neighbors: seeing ? [Self.routerID] : []),
                routerID: id, areaID: .any))
    }

    mutating func dd(_ flags: OSPFv2DatabaseDescription.Flags, _ sequence: UInt32, mtu: UInt16 = 1500, headers: [OSPFv2LSAHeader] = []) {
        receive(
            OSPFv2Packet(
                databaseDescription: .init(interfaceMTU: mtu, flags: flags, sequenceNumber: sequence, lsaHeaders: headers),
                routerID: id, areaID: .any))
    }

    mutating func advance(_ amount: TimeAmount) {
        now = now + amount
        outputs = router.tick(now: now)
    }

    var sentDDs: [OSPFv2DatabaseDescription] {
        outputs.compactMap { $0.transmission }.filter { $0.packet.type == .databaseDescription }.map {
            try! OSPFv2DatabaseDescription(parsing: $0.packet)
        }
    }

    var events: [String] {
        outputs.compactMap {
            if case .neighborStateChanged(_, _, _, _, let event) = $0 { return event }
            return nil
        }
    }

    var discards: [String] {
        outputs.compactMap {
            if case .discarded(_, let reason) = $0 { return reason }
            return nil
        }
    }

    /// Hello, then the neighbour (higher Router ID) takes the master role and ends the exchange.
    mutating func becomeFullAsSlave() {
        hello()
        dd([.initial, .more, .master], 1000)
        dd([.master], 1001)
    }
}

@Suite struct OSPFRouterNeighborTests {
    @Test func helloParametersMustMatch() {
        var script = ScriptedNeighbor(neighbor: IPv4Address(9, 9, 9, 9))
        script.hello(helloInterval: 10)
        #expect(script.state == nil)
        #expect(script.discards.first?.contains("HelloInterval 10 is not 1") == true)
    }

    @Test func oneWayHelloIsInitTwoWayStartsExStartAsMaster() throws {
        var script = ScriptedNeighbor(neighbor: IPv4Address(9, 9, 9, 9))
        script.hello(seeing: false)
        #expect(script.state == .initial)
        #expect(script.sentDDs.isEmpty)
        script.hello()
        #expect(script.state == .exStart)
        let initial = try #require(script.sentDDs.first)
        #expect(initial.flags == [.initial, .more, .master])
        // Unanswered, the initial DD goes again every RxmtInterval.
        script.advance(.seconds(2))
        #expect(script.sentDDs.first?.sequenceNumber == initial.sequenceNumber)
    }

    @Test func higherRouterIDIsMasterAndTheExchangeEndsInFull() throws {
        var script = ScriptedNeighbor(neighbor: IPv4Address(9, 9, 9, 9))
        script.hello()
        script.dd([.initial, .more, .master], 1000)
        #expect(script.state == .exchange)
        let reply = try #require(script.sentDDs.first)
        #expect(reply.sequenceNumber == 1000)
        #expect(reply.flags == [])  // slave, nothing more to describe
        #expect(reply.lsaHeaders.map(\.advertisingRouter) == [ScriptedNeighbor.routerID])
        script.dd([.master], 1001)
        #expect(script.state == .full)
        #expect(script.sentDDs.first?.sequenceNumber == 1001)
        // A duplicate of the master's last DD is answered again, even in Full.
        script.dd([.master], 1001)
        #expect(script.state == .full)
        #expect(script.sentDDs.first?.sequenceNumber == 1001)
    }

    @Test func lowerRouterIDIsSlave() throws {
        var script = ScriptedNeighbor(neighbor: IPv4Address(1, 1, 1, 1))
        script.hello()
        let initial = try #require(script.sentDDs.first)
        // The neighbour's own initial DD loses the negotiation and is ignored.
        script.dd([.initial, .more, .master], 77)
        #expect(script.state == .exStart)
        script.dd([], initial.sequenceNumber)
        #expect(script.state == .exchange)
        #expect(script.events == ["NegotiationDone"])
        // The master describes its database in the next DD, one sequence number on.
        let next = try #require(script.sentDDs.first)
        #expect(next.flags == [.master])
        #expect(next.sequenceNumber == initial.sequenceNumber + 1)
        #expect(next.lsaHeaders.map(\.advertisingRouter) == [ScriptedNeighbor.routerID])
        script.dd([], initial.sequenceNumber + 1)
        #expect(script.state == .full)
        #expect(script.events == ["ExchangeDone"])
    }

    @Test func seqNumberMismatchRestartsTheExchange() throws {
        var script = ScriptedNeighbor(neighbor: IPv4Address(9, 9, 9, 9))
        script.hello()
        script.dd([.initial, .more, .master], 1000)
        script.dd([.master, .more], 1005)
        #expect(script.state == .exStart)
        #expect(script.events.first?.hasPrefix("SeqNumberMismatch") == true)
        #expect(script.sentDDs.first?.flags == [.initial, .more, .master])
    }

    @Test func badLSReqRestartsTheExchange() {
        var script = ScriptedNeighbor(neighbor: IPv4Address(9, 9, 9, 9))
        script.becomeFullAsSlave()
        #expect(script.state == .full)
        script.receive(
            OSPFv2Packet(
                linkStateRequest: .init(requests: [.init(type: .router, linkStateID: .broadcast, advertisingRouter: .broadcast)]),
                routerID: script.id, areaID: .any))
        #expect(script.state == .exStart)
        #expect(script.events.first?.hasPrefix("BadLSReq") == true)
    }

    @Test func largerMTUIsRefused() {
        var script = ScriptedNeighbor(neighbor: IPv4Address(9, 9, 9, 9))
        script.hello()
        script.dd([.initial, .more, .master], 1000, mtu: 9000)
        #expect(script.state == .exStart)
        #expect(script.discards.first?.contains("MTU 9000") == true)
    }

    @Test func requestsWhatTheNeighbourHasAndLoads() throws {
        var script = ScriptedNeighbor(neighbor: IPv4Address(9, 9, 9, 9))
        let theirs = OSPFv2LSA(
            advertisingRouter: script.id, sequenceNumber: 7,
            router: .init(links: [.stub(network: IPv4Address(172, 16, 0, 0), mask: .mask(prefixLength: 16), metric: 1)]))
        script.hello()
        script.dd([.initial, .more, .master], 1000)
        script.dd([.master], 1001, headers: [theirs.header])
        #expect(script.state == .loading)
        let request = try #require(script.outputs.compactMap(\.transmission).first { $0.packet.type == .linkStateRequest })
        #expect(try OSPFv2LinkStateRequest(parsing: request.packet).requests == [theirs.key])
        // No answer: the request goes again after RxmtInterval.
        script.advance(.seconds(2))
        #expect(script.outputs.compactMap(\.transmission).contains { $0.packet.type == .linkStateRequest })
        script.receive(OSPFv2Packet(linkStateUpdate: .init(lsas: [theirs]), routerID: script.id, areaID: .any))
        #expect(script.state == .full)
        #expect(script.events.contains("LoadingDone"))
        // Acknowledged after the delay, not at once.
        #expect(!script.outputs.compactMap(\.transmission).contains { $0.packet.type == .linkStateAcknowledgment })
        script.advance(.seconds(1))
        let ack = try #require(script.outputs.compactMap(\.transmission).first { $0.packet.type == .linkStateAcknowledgment })
        #expect(try OSPFv2LinkStateAcknowledgment(parsing: ack.packet).lsaHeaders.map(\.key) == [theirs.key])
    }

    @Test func sameInstanceAgainIsAcknowledgedDirectly() throws {
        var script = ScriptedNeighbor(neighbor: IPv4Address(9, 9, 9, 9))
        script.becomeFullAsSlave()
        let theirs = OSPFv2LSA(advertisingRouter: script.id, sequenceNumber: 7, router: .init(links: []))
        let update = OSPFv2Packet(linkStateUpdate: .init(lsas: [theirs]), routerID: script.id, areaID: .any)
        script.receive(update)
        script.advance(.seconds(2))
        script.receive(update)
        #expect(script.outputs.compactMap(\.transmission).contains { $0.packet.type == .linkStateAcknowledgment })
    }

    @Test func newerInstanceWithinMinLSArrivalIsIgnored() {
        var script = ScriptedNeighbor(neighbor: IPv4Address(9, 9, 9, 9))
        script.becomeFullAsSlave()
        func update(_ sequence: Int32) -> OSPFv2Packet {
            OSPFv2Packet(
                linkStateUpdate: .init(lsas: [OSPFv2LSA(advertisingRouter: IPv4Address(9, 9, 9, 9), sequenceNumber: sequence, router: .init(links: []))]),
                routerID: IPv4Address(9, 9, 9, 9), areaID: .any)
        }
        script.receive(update(7))
        script.receive(update(8))
        #expect(script.discards.first?.contains("MinLSArrival") == true)
        script.now = script.now + .seconds(1)
        script.receive(update(9))
        #expect(script.discards.isEmpty)
    }

    @Test func badLSAChecksumIsDiscarded() {
        var script = ScriptedNeighbor(neighbor: IPv4Address(9, 9, 9, 9))
        script.becomeFullAsSlave()
        var lsa = OSPFv2LSA(advertisingRouter: script.id, sequenceNumber: 7, router: .init(links: []))
        lsa.header.checksum ^= 0x0101
        script.receive(OSPFv2Packet(linkStateUpdate: .init(lsas: [lsa]), routerID: script.id, areaID: .any))
        #expect(script.discards.first?.contains("bad LS checksum") == true)
        #expect(script.router.database(at: script.now).count == 1)
    }

    @Test func lsasOfADeadRouterAgeOutAndAreFlushed() {
        var script = ScriptedNeighbor(neighbor: IPv4Address(9, 9, 9, 9))
        script.becomeFullAsSlave()
        let old = OSPFv2LSA(age: 3590, advertisingRouter: IPv4Address(7, 7, 7, 7), sequenceNumber: 1, router: .init(links: []))
        script.receive(OSPFv2Packet(linkStateUpdate: .init(lsas: [old]), routerID: script.id, areaID: .any))
        #expect(script.router.database(at: script.now).count == 2)
        // Keep the neighbour alive while the LSA ages; at MaxAge it is flooded and, once
        // acknowledged, removed.
        var flooded: OSPFv2LSAHeader?
        for _ in 0..<12 {
            script.hello()
            script.advance(.seconds(1))
            for transmission in script.outputs.compactMap(\.transmission) where transmission.packet.type == .linkStateUpdate {
                let lsas = try! OSPFv2LinkStateUpdate(parsing: transmission.packet).lsas
                if let lsa = lsas.first(where: { $0.key == old.key }) { flooded = lsa.header }
            }
        }
        #expect(flooded?.age == OSPFv2LSAHeader.maxAge)
        script.receive(
            OSPFv2Packet(linkStateAcknowledgment: .init(lsaHeaders: [flooded!]), routerID: script.id, areaID: .any))
        #expect(script.router.database(at: script.now).count == 1)
    }

    @Test func ownLSAIsRefreshedAtLSRefreshTime() throws {
        var script = ScriptedNeighbor(neighbor: IPv4Address(9, 9, 9, 9))
        let first = try #require(script.router.database(at: script.now).first)
        var time = TimeAmount.seconds(0)
        while time < .seconds(1800) {
            let next = script.router.nextDeadline!
            time = next - TestNetwork.start
            script.now = next
            script.outputs = script.router.tick(now: next)
        }
        let refreshed = try #require(script.router.database(at: script.now).first)
        #expect(refreshed.header.sequenceNumber == first.header.sequenceNumber + 1)
        #expect(refreshed.header.age == 0)
        #expect(refreshed.body == first.body)
    }

    @Test func minLSIntervalDelaysOrigination() {
        var script = ScriptedNeighbor(neighbor: IPv4Address(9, 9, 9, 9))
        script.becomeFullAsSlave()
        // Full a moment after the first origination: the router-LSA with the link waits for MinLSInterval.
        let own = { (script: ScriptedNeighbor) in
            script.router.database(at: script.now).first { $0.header.advertisingRouter == ScriptedNeighbor.routerID }!
        }
        #expect(try! own(script).routerLSA.links.count == 2)
        script.advance(.seconds(3))
        #expect(try! own(script).routerLSA.links.count == 2)
        script.hello()
        script.advance(.seconds(2))
        #expect(try! own(script).routerLSA.links.count == 3)
    }

    @Test func interfaceDownKillsTheNeighbour() {
        var script = ScriptedNeighbor(neighbor: IPv4Address(9, 9, 9, 9))
        script.becomeFullAsSlave()
        script.outputs = script.router.interfaceDown("e0", now: script.now)
        #expect(script.state == nil)
        #expect(script.router.interfaceState("e0") == .down)
        #expect(script.events == ["KillNbr (InterfaceDown)"])
        script.hello()
        #expect(script.discards == ["interface is down"])
    }
}
