import NIOCore
import NetworkAddresses
import Packets

/// An OSPFv2 router (RFC 2328) for one area of point-to-point interfaces, without I/O.
///
/// Feed it received OSPF packets (`receive`), interface changes (`interfaceUp`, `interfaceDown`)
/// and the passing of time (`tick` at or after `nextDeadline`); each call returns what to do:
/// packets to send, RIB changes for the data plane, neighbour state changes, and discarded
/// input with the reason. Time is only what the caller passes in; nothing is random, so two
/// runs given the same inputs produce the same outputs.
///
/// Implemented: the point-to-point interface state machine (§9.3), the neighbour state machine
/// (§10.3) with all its events (HelloReceived, 2-WayReceived, NegotiationDone, ExchangeDone,
/// LoadingDone, SeqNumberMismatch, BadLSReq, 1-WayReceived, KillNbr, InactivityTimer),
/// database exchange (§10.6 to §10.9), flooding with retransmission lists and delayed or direct
/// acknowledgments (§13), router-LSA origination with refresh, MinLSInterval and MinLSArrival
/// (§12.4), aging and MaxAge flushing (§14), and the routing table (§16.1, §16.2).
public struct OSPFRouter: Sendable {
    public let configuration: OSPFConfiguration
    var interfaces: [String: OSPFInterface] = [:]
    let interfaceOrder: [String]
    var database = LinkStateDatabase()
    var rib: [OSPFPrefix: OSPFRoute] = [:]
    var spfPending = false
    var originationRequested = false
    /// A deferred origination that must produce a new instance even if the contents are the
    /// same (a refresh, or a newer self-originated instance came back, §13.4).
    var originationForced = false
    var originationDeadline: NIODeadline?
    var lastOrigination: NIODeadline?
    var nextDDSequenceNumber: UInt32
    var now: NIODeadline
    var output: [OSPFOutput] = []

    /// The Options this router sets: E, for a normal (non-stub) area.
    static let options: OSPFv2Options = .externalRouting
    /// InfTransDelay (§C.3), in seconds: added to LS age on every transmission.
    static let infTransDelay: UInt16 = 1

    /// A router with every interface Down; bring them up with `start(now:)` or `interfaceUp`.
    public init(configuration: OSPFConfiguration, now: NIODeadline) {
        self.configuration = configuration
        interfaceOrder = configuration.interfaces.map(\.name)
        for interface in configuration.interfaces {
            interfaces[interface.name] = OSPFInterface(configuration: interface)
        }
        nextDDSequenceNumber = configuration.initialDDSequenceNumber
        self.now = now
    }

    public var routerID: IPv4Address { configuration.routerID }
    var areaID: IPv4Address { configuration.areaID }
    var ownRouterLSAKey: OSPFv2LSAHeader.Key {
        .init(type: .router, linkStateID: routerID, advertisingRouter: routerID)
    }

    // MARK: - Inspection

    /// The RIB, sorted by prefix.
    public var routes: [OSPFRoute] { rib.keys.sorted().compactMap { rib[$0] } }

    /// Every neighbour, in interface order.
    public var neighbors: [OSPFNeighborSummary] {
        interfaceOrder.compactMap { name in
            interfaces[name]?.neighbor.map {
                OSPFNeighborSummary(interface: name, routerID: $0.routerID, address: $0.address, state: $0.state)
            }
        }
    }

    /// The state of the interface called `name`, nil if there is none.
    public func interfaceState(_ name: String) -> OSPFInterfaceState? { interfaces[name]?.state }

    /// The link-state database with ages as at `now`, sorted by LS type, Link State ID and
    /// Advertising Router.
    public func database(at now: NIODeadline) -> [OSPFv2LSA] { database.lsas(at: now) }

    // MARK: - Inputs

    /// Brings every configured interface up at once (one router-LSA for all of them).
    public mutating func start(now: NIODeadline) -> [OSPFOutput] {
        self.now = now
        for name in interfaceOrder { bringUp(name) }
        return finish()
    }

    /// InterfaceUp (§9.3): the interface enters Point-to-point and starts sending Hellos.
    public mutating func interfaceUp(_ name: String, now: NIODeadline) -> [OSPFOutput] {
        self.now = now
        bringUp(name)
        return finish()
    }

    /// InterfaceDown (§9.3): the neighbour is killed (KillNbr) and the interface leaves the router-LSA.
    public mutating func interfaceDown(_ name: String, now: NIODeadline) -> [OSPFOutput] {
        self.now = now
        guard let interface = interfaces[name], interface.state != .down else { return finish() }
        killNeighbor(name, event: "KillNbr (InterfaceDown)")
        interfaces[name] = OSPFInterface(configuration: interface.configuration)
        originationRequested = true
        return finish()
    }

    /// Handles an OSPF packet (an IPv4 payload with protocol 89) that arrived on `interface`
    /// from `source`. Throws if the OSPF header does not parse or its checksum is wrong; bad
    /// bodies and packets the protocol rejects come back as `.discarded`.
    public mutating func receive(
        _ bytes: ByteBuffer, on interface: String, from source: IPv4Address, now: NIODeadline
    ) throws(PacketError) -> [OSPFOutput] {
        let packet = try OSPFv2Packet(parsing: bytes)
        return receive(packet, on: interface, from: source, now: now)
    }

    /// Handles a parsed OSPF packet that arrived on `interface` from `source` (§8.2).
    public mutating func receive(
        _ packet: OSPFv2Packet, on interface: String, from source: IPv4Address, now: NIODeadline
    ) -> [OSPFOutput] {
        self.now = now
        dispatch(packet, on: interface, from: source)
        return finish()
    }

    /// Runs every timer due at `now`.
    public mutating func tick(now: NIODeadline) -> [OSPFOutput] {
        self.now = now
        runTimers()
        return finish()
    }

    /// The earliest time `tick` has something to do; nil when nothing is scheduled.
    public var nextDeadline: NIODeadline? {
        var deadlines: [NIODeadline?] = [originationDeadline]
        for interface in interfaces.values where interface.state != .down {
            deadlines.append(interface.helloDeadline)
            deadlines.append(interface.delayedAcknowledgmentDeadline)
            if let neighbor = interface.neighbor {
                deadlines.append(neighbor.inactivityDeadline)
                deadlines.append(neighbor.ddRetransmitDeadline)
                deadlines.append(neighbor.requestRetransmitDeadline)
                deadlines.append(neighbor.retransmitDeadline)
            }
        }
        for (key, entry) in database.entries {
            if key == ownRouterLSAKey {
                let refreshAge = configuration.lsRefreshTime - .seconds(Int64(entry.lsa.header.age))
                deadlines.append(entry.installedAt + refreshAge)
            } else if !entry.maxAgeFlooded {
                deadlines.append(entry.maxAgeDeadline)
            }
        }
        return deadlines.compactMap { $0 }.min()
    }

    // MARK: - Dispatch

    mutating func discard(_ interface: String, _ reason: String) {
        output.append(.discarded(interface: interface, reason: reason))
    }

    mutating func dispatch(_ packet: OSPFv2Packet, on name: String, from source: IPv4Address) {
        guard let interface = interfaces[name] else { return discard(name, "no such interface") }
        guard interface.state == .pointToPoint else { return discard(name, "interface is down") }
        guard packet.areaID == areaID else { return discard(name, "area \(packet.areaID) is not \(areaID)") }
        guard packet.routerID != routerID else { return discard(name, "packet carries our own Router ID") }
        guard packet.authenticationType == .null else {
            return discard(name, "AuType \(packet.authenticationType.rawValue) is not null authentication")
        }
        do {
            if packet.type == .hello {
                return receiveHello(try OSPFv2Hello(parsing: packet), from: packet.routerID, address: source, on: name)
            }
            guard let neighbor = interface.neighbor, neighbor.routerID == packet.routerID else {
                return discard(name, "\(packet.type) from \(packet.routerID), which is not a neighbour")
            }
            switch packet.type {
            case .hello:
                break
            case .databaseDescription:
                receiveDatabaseDescription(try OSPFv2DatabaseDescription(parsing: packet), on: name)
            case .linkStateRequest:
                receiveLinkStateRequest(try OSPFv2LinkStateRequest(parsing: packet), on: name)
            case .linkStateUpdate:
                receiveLinkStateUpdate(try OSPFv2LinkStateUpdate(parsing: packet), on: name)
            case .linkStateAcknowledgment:
                receiveLinkStateAcknowledgment(try OSPFv2LinkStateAcknowledgment(parsing: packet), on: name)
            }
        } catch {
            discard(name, "\(packet.type) from \(packet.routerID): \(error)")
        }
    }

    // MARK: - Sending

    mutating func send(_ packet: OSPFv2Packet, on name: String) {
        guard let interface = interfaces[name] else { return }
        output.append(
            .send(
                OSPFTransmission(
                    interface: name, source: interface.configuration.address, destination: OSPFv2Packet.allSPFRouters,
                    packet: packet)))
    }

    /// Sends `lsas` in as many Link State Updates as the MTU needs, LS age advanced by
    /// InfTransDelay (§13.3).
    mutating func sendUpdate(_ lsas: [OSPFv2LSA], on name: String) {
        guard let interface = interfaces[name], !lsas.isEmpty else { return }
        let room = Int(interface.configuration.mtu) - 20 - OSPFv2Packet.headerLength - 4
        var batch: [OSPFv2LSA] = []
        var size = 0
        for lsa in lsas {
            let aged = lsa.withAge(min(OSPFv2LSAHeader.maxAge, lsa.header.age + Self.infTransDelay))
            let length = Int(lsa.header.length)
            if !batch.isEmpty, size + length > room {
                send(OSPFv2Packet(linkStateUpdate: .init(lsas: batch), routerID: routerID, areaID: areaID), on: name)
                batch = []
                size = 0
            }
            batch.append(aged)
            size += length
        }
        send(OSPFv2Packet(linkStateUpdate: .init(lsas: batch), routerID: routerID, areaID: areaID), on: name)
    }

    mutating func sendAcknowledgment(_ headers: [OSPFv2LSAHeader], on name: String) {
        guard let interface = interfaces[name], !headers.isEmpty else { return }
        let perPacket = max(1, (Int(interface.configuration.mtu) - 20 - OSPFv2Packet.headerLength) / OSPFv2LSAHeader.length)
        var start = 0
        while start < headers.count {
            let slice = Array(headers[start..<min(headers.count, start + perPacket)])
            send(
                OSPFv2Packet(linkStateAcknowledgment: .init(lsaHeaders: slice), routerID: routerID, areaID: areaID),
                on: name)
            start += perPacket
        }
    }

    // MARK: - Timers and the end of every input

    mutating func runTimers() {
        for name in interfaceOrder {
            guard let interface = interfaces[name], interface.state == .pointToPoint else { continue }
            if let deadline = interface.helloDeadline, deadline <= now { sendHello(name) }
            if let neighbor = interface.neighbor {
                if neighbor.inactivityDeadline <= now {
                    killNeighbor(name, event: "InactivityTimer")
                    continue
                }
                if let deadline = neighbor.ddRetransmitDeadline, deadline <= now, let last = neighbor.lastSentDD {
                    send(OSPFv2Packet(databaseDescription: last, routerID: routerID, areaID: areaID), on: name)
                    interfaces[name]!.neighbor!.ddRetransmitDeadline = now + interface.retransmitInterval
                }
                if let deadline = neighbor.requestRetransmitDeadline, deadline <= now {
                    interfaces[name]!.neighbor!.outstandingRequests = []
                    interfaces[name]!.neighbor!.requestRetransmitDeadline = nil
                    sendRequestsIfNeeded(name)
                }
                if let deadline = neighbor.retransmitDeadline, deadline <= now {
                    retransmitUpdates(name)
                }
            }
            if let deadline = interfaces[name]!.delayedAcknowledgmentDeadline, deadline <= now {
                let headers = interfaces[name]!.delayedAcknowledgments
                interfaces[name]!.delayedAcknowledgments = []
                interfaces[name]!.delayedAcknowledgmentDeadline = nil
                sendAcknowledgment(headers, on: name)
            }
        }
        if let deadline = originationDeadline, deadline <= now {
            originationDeadline = nil
            originationRequested = true
        }
        if let own = database[ownRouterLSAKey],
            own.installedAt + configuration.lsRefreshTime - .seconds(Int64(own.lsa.header.age)) <= now
        {
            originateRouterLSA(force: true)
        }
        ageDatabase()
    }

    /// Collects the outputs of one input: pending origination, flushing, SPF and RIB changes.
    mutating func finish() -> [OSPFOutput] {
        if originationRequested {
            originationRequested = false
            originateRouterLSA(force: originationForced)
        }
        removeFlushedLSAs()
        checkLoadingDone()
        if spfPending {
            spfPending = false
            updateRoutingTable()
        }
        defer { output = [] }
        return output
    }

    mutating func updateRoutingTable() {
        var adjacencies: [ShortestPathFirst.Adjacency] = []
        for name in interfaceOrder {
            guard let interface = interfaces[name], interface.state == .pointToPoint,
                let neighbor = interface.neighbor, neighbor.state == .full
            else { continue }
            adjacencies.append(
                .init(
                    interface: name, interfaceAddress: interface.configuration.address, routerID: neighbor.routerID,
                    address: neighbor.address))
        }
        let spf = ShortestPathFirst(root: routerID, adjacencies: adjacencies)
        let new = spf.routes(lsas: database.lsas(at: now))
        for prefix in Set(rib.keys).union(new.keys).sorted() {
            switch (rib[prefix], new[prefix]) {
            case (nil, let added?): output.append(.routeAdded(added))
            case (let removed?, nil): output.append(.routeRemoved(removed))
            case (let old?, let route?) where old != route: output.append(.routeChanged(old: old, new: route))
            default: break
            }
        }
        rib = new
    }
}
