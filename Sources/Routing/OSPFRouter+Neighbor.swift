import NIOCore
import NetworkAddresses
import Packets

/// Hellos, the neighbour state machine (§10.3) and database exchange (§10.6 to §10.9).
extension OSPFRouter {
    mutating func bringUp(_ name: String) {
        guard let interface = interfaces[name], interface.state == .down else { return }
        interfaces[name]!.state = .pointToPoint
        originationRequested = true
        sendHello(name)
    }

    mutating func sendHello(_ name: String) {
        guard let interface = interfaces[name], interface.state == .pointToPoint else { return }
        let configuration = interface.configuration
        var heard: [IPv4Address] = []
        if let neighbor = interface.neighbor, neighbor.state >= .initial { heard = [neighbor.routerID] }
        let hello = OSPFv2Hello(
            networkMask: configuration.subnet.mask, helloInterval: configuration.helloInterval, options: Self.options,
            routerPriority: 1, routerDeadInterval: configuration.routerDeadInterval, neighbors: heard)
        send(OSPFv2Packet(hello: hello, routerID: routerID, areaID: areaID), on: name)
        interfaces[name]!.helloDeadline = now + interface.helloInterval
    }

    /// §10.5. On point-to-point networks the Network Mask is not checked and the neighbour is
    /// known by its Router ID.
    mutating func receiveHello(_ hello: OSPFv2Hello, from neighborID: IPv4Address, address: IPv4Address, on name: String) {
        let configuration = interfaces[name]!.configuration
        guard hello.helloInterval == configuration.helloInterval else {
            return discard(name, "Hello from \(neighborID): HelloInterval \(hello.helloInterval) is not \(configuration.helloInterval)")
        }
        guard hello.routerDeadInterval == configuration.routerDeadInterval else {
            return discard(
                name, "Hello from \(neighborID): RouterDeadInterval \(hello.routerDeadInterval) is not \(configuration.routerDeadInterval)")
        }
        guard hello.options.contains(.externalRouting) == Self.options.contains(.externalRouting) else {
            return discard(name, "Hello from \(neighborID): E bit differs")
        }
        if let existing = interfaces[name]!.neighbor, existing.routerID != neighborID {
            killNeighbor(name, event: "KillNbr (Router ID changed to \(neighborID))")
        }
        if interfaces[name]!.neighbor == nil {
            interfaces[name]!.neighbor = OSPFNeighbor(routerID: neighborID, address: address, now: now)
        }
        interfaces[name]!.neighbor!.address = address
        interfaces[name]!.neighbor!.options = hello.options
        interfaces[name]!.neighbor!.inactivityDeadline = now + interfaces[name]!.deadInterval
        if interfaces[name]!.neighbor!.state == .down { setState(name, .initial, event: "HelloReceived") }
        if hello.neighbors.contains(routerID) {
            if interfaces[name]!.neighbor!.state == .initial { twoWayReceived(name) }
        } else if interfaces[name]!.neighbor!.state >= .twoWay {
            setState(name, .initial, event: "1-WayReceived")
            interfaces[name]!.neighbor!.clearLists()
        }
    }

    /// 2-WayReceived in Init: on a point-to-point network an adjacency always forms (§10.4).
    mutating func twoWayReceived(_ name: String) {
        setState(name, .exStart, event: "2-WayReceived")
        enterExStart(name)
    }

    /// The ExStart actions (§10.3): a new DD sequence number, this router claims to be master,
    /// and the empty initial DD goes out every RxmtInterval until answered.
    mutating func enterExStart(_ name: String) {
        interfaces[name]!.neighbor!.clearLists()
        interfaces[name]!.neighbor!.isMaster = true
        interfaces[name]!.neighbor!.ddSequenceNumber = nextDDSequenceNumber
        nextDDSequenceNumber &+= 1
        let description = OSPFv2DatabaseDescription(
            interfaceMTU: interfaces[name]!.configuration.mtu, options: Self.options, flags: [.initial, .more, .master],
            sequenceNumber: interfaces[name]!.neighbor!.ddSequenceNumber)
        sendDatabaseDescription(description, on: name)
    }

    mutating func sendDatabaseDescription(_ description: OSPFv2DatabaseDescription, on name: String) {
        interfaces[name]!.neighbor!.lastSentDD = description
        if interfaces[name]!.neighbor!.isMaster {
            interfaces[name]!.neighbor!.ddRetransmitDeadline = now + interfaces[name]!.retransmitInterval
        }
        send(OSPFv2Packet(databaseDescription: description, routerID: routerID, areaID: areaID), on: name)
    }

    /// Changes the neighbour's state, reporting it; a change into or out of Full changes the
    /// router-LSA (§12.4) and so the routes.
    mutating func setState(_ name: String, _ state: OSPFNeighborState, event: String) {
        guard let neighbor = interfaces[name]?.neighbor, neighbor.state != state else { return }
        interfaces[name]!.neighbor!.state = state
        output.append(
            .neighborStateChanged(interface: name, neighbor: neighbor.routerID, from: neighbor.state, to: state, event: event))
        if neighbor.state == .full || state == .full {
            originationRequested = true
            spfPending = true
        }
    }

    /// KillNbr, InactivityTimer, LLDown: the neighbour goes Down and is forgotten.
    mutating func killNeighbor(_ name: String, event: String) {
        guard interfaces[name]?.neighbor != nil else { return }
        setState(name, .down, event: event)
        interfaces[name]!.neighbor = nil
    }

    /// SeqNumberMismatch and BadLSReq (§10.3): back to ExStart.
    mutating func restartExchange(_ name: String, event: String) {
        setState(name, .exStart, event: event)
        enterExStart(name)
    }

    // MARK: Database Description (§10.6)

    mutating func receiveDatabaseDescription(_ description: OSPFv2DatabaseDescription, on name: String) {
        let configuration = interfaces[name]!.configuration
        guard description.interfaceMTU <= configuration.mtu else {
            return discard(name, "DD Interface MTU \(description.interfaceMTU) is above ours (\(configuration.mtu))")
        }
        var state = interfaces[name]!.neighbor!.state
        if state == .initial {
            twoWayReceived(name)
            state = interfaces[name]!.neighbor!.state
        }
        let neighbor = interfaces[name]!.neighbor!
        switch state {
        case .down, .attempt, .initial, .twoWay:
            discard(name, "DD from \(neighbor.routerID) in state \(state)")
        case .exStart:
            let flags = description.flags
            if flags.contains([.initial, .more, .master]), description.lsaHeaders.isEmpty, neighbor.routerID > routerID {
                interfaces[name]!.neighbor!.isMaster = false
                interfaces[name]!.neighbor!.ddRetransmitDeadline = nil
                interfaces[name]!.neighbor!.ddSequenceNumber = description.sequenceNumber
                negotiationDone(name, description)
                acceptDatabaseDescription(description, on: name)
            } else if !flags.contains(.initial), !flags.contains(.master),
                description.sequenceNumber == neighbor.ddSequenceNumber, neighbor.routerID < routerID
            {
                negotiationDone(name, description)
                acceptDatabaseDescription(description, on: name)
            } else {
                discard(name, "DD from \(neighbor.routerID) ignored in ExStart (flags \(flags.rawValue))")
            }
        case .exchange:
            if isDuplicate(description, neighbor) {
                if !neighbor.isMaster, let last = neighbor.lastSentDD {
                    send(OSPFv2Packet(databaseDescription: last, routerID: routerID, areaID: areaID), on: name)
                }
                return
            }
            if description.flags.contains(.master) == neighbor.isMaster {
                return restartExchange(name, event: "SeqNumberMismatch (MS bit)")
            }
            if description.flags.contains(.initial) { return restartExchange(name, event: "SeqNumberMismatch (I bit)") }
            if let last = neighbor.lastReceivedDD, last.options != description.options {
                return restartExchange(name, event: "SeqNumberMismatch (options changed)")
            }
            let expected = neighbor.isMaster ? neighbor.ddSequenceNumber : neighbor.ddSequenceNumber &+ 1
            guard description.sequenceNumber == expected else {
                return restartExchange(
                    name, event: "SeqNumberMismatch (DD sequence number \(description.sequenceNumber), expected \(expected))")
            }
            acceptDatabaseDescription(description, on: name)
        case .loading, .full:
            guard isDuplicate(description, neighbor) else {
                return restartExchange(name, event: "SeqNumberMismatch (DD in \(state))")
            }
            if !neighbor.isMaster, let last = neighbor.lastSentDD {
                send(OSPFv2Packet(databaseDescription: last, routerID: routerID, areaID: areaID), on: name)
            }
        }
    }

    func isDuplicate(_ description: OSPFv2DatabaseDescription, _ neighbor: OSPFNeighbor) -> Bool {
        guard let last = neighbor.lastReceivedDD else { return false }
        return last.flags == description.flags && last.options == description.options
            && last.sequence == description.sequenceNumber
    }

    /// NegotiationDone: Exchange, with the database summary list (MaxAge LSAs go to the
    /// retransmission list instead, §10.3).
    mutating func negotiationDone(_ name: String, _ description: OSPFv2DatabaseDescription) {
        interfaces[name]!.neighbor!.options = description.options
        setState(name, .exchange, event: "NegotiationDone")
        var summary: [OSPFv2LSAHeader] = []
        for lsa in database.lsas(at: now) {
            if lsa.header.age >= OSPFv2LSAHeader.maxAge {
                interfaces[name]!.neighbor!.retransmissionList[lsa.key] = lsa
                if interfaces[name]!.neighbor!.retransmitDeadline == nil {
                    interfaces[name]!.neighbor!.retransmitDeadline = now + interfaces[name]!.retransmitInterval
                }
            } else {
                summary.append(lsa.header)
            }
        }
        interfaces[name]!.neighbor!.summaryList = summary
    }

    /// A DD accepted as the next in sequence: request what is newer, then answer (slave) or
    /// send the next (master).
    mutating func acceptDatabaseDescription(_ description: OSPFv2DatabaseDescription, on name: String) {
        interfaces[name]!.neighbor!.lastReceivedDD = (description.flags, description.options, description.sequenceNumber)
        for header in description.lsaHeaders {
            guard header.type.isStandard else {
                return restartExchange(name, event: "SeqNumberMismatch (unknown LS type \(header.type.rawValue))")
            }
            let ours = database[header.key]?.current(at: now).header
            if ours == nil || header.isNewer(than: ours!) {
                if let index = interfaces[name]!.neighbor!.requestIndex(header.key) {
                    interfaces[name]!.neighbor!.requestList[index] = header
                } else {
                    interfaces[name]!.neighbor!.requestList.append(header)
                }
            }
        }
        let neighbor = interfaces[name]!.neighbor!
        if neighbor.isMaster {
            interfaces[name]!.neighbor!.ddSequenceNumber &+= 1
            let sentAll = !(neighbor.lastSentDD?.flags.contains(.more) ?? true)
            if sentAll, !description.flags.contains(.more) {
                interfaces[name]!.neighbor!.ddRetransmitDeadline = nil
                exchangeDone(name)
            } else {
                sendNextDatabaseDescription(name)
            }
        } else {
            interfaces[name]!.neighbor!.ddSequenceNumber = description.sequenceNumber
            sendNextDatabaseDescription(name)
            let more = interfaces[name]!.neighbor!.lastSentDD!.flags.contains(.more)
            if !description.flags.contains(.more), !more { exchangeDone(name) }
        }
        sendRequestsIfNeeded(name)
    }

    mutating func sendNextDatabaseDescription(_ name: String) {
        let mtu = Int(interfaces[name]!.configuration.mtu)
        let room = max(1, (mtu - 20 - OSPFv2Packet.headerLength - OSPFv2DatabaseDescription.fixedLength) / OSPFv2LSAHeader.length)
        var neighbor = interfaces[name]!.neighbor!
        let headers = Array(neighbor.summaryList.prefix(room))
        neighbor.summaryList.removeFirst(headers.count)
        interfaces[name]!.neighbor = neighbor
        var flags: OSPFv2DatabaseDescription.Flags = []
        if neighbor.isMaster { flags.insert(.master) }
        if !neighbor.summaryList.isEmpty { flags.insert(.more) }
        sendDatabaseDescription(
            OSPFv2DatabaseDescription(
                interfaceMTU: UInt16(mtu), options: Self.options, flags: flags, sequenceNumber: neighbor.ddSequenceNumber,
                lsaHeaders: headers),
            on: name)
    }

    mutating func exchangeDone(_ name: String) {
        interfaces[name]!.neighbor!.ddRetransmitDeadline = nil
        if interfaces[name]!.neighbor!.requestList.isEmpty {
            setState(name, .full, event: "ExchangeDone")
        } else {
            setState(name, .loading, event: "ExchangeDone")
        }
    }

    /// LoadingDone for every neighbour whose request list has emptied.
    mutating func checkLoadingDone() {
        for name in interfaceOrder {
            guard let neighbor = interfaces[name]?.neighbor, neighbor.state == .loading, neighbor.requestList.isEmpty
            else { continue }
            interfaces[name]!.neighbor!.requestRetransmitDeadline = nil
            setState(name, .full, event: "LoadingDone")
        }
    }

    // MARK: Link State Requests (§10.7, §10.9)

    /// Sends the next Link State Request when none is outstanding.
    mutating func sendRequestsIfNeeded(_ name: String) {
        guard let neighbor = interfaces[name]?.neighbor, neighbor.state == .exchange || neighbor.state == .loading,
            neighbor.outstandingRequests.isEmpty, !neighbor.requestList.isEmpty
        else { return }
        let mtu = Int(interfaces[name]!.configuration.mtu)
        let room = max(1, (mtu - 20 - OSPFv2Packet.headerLength) / OSPFv2LinkStateRequest.entryLength)
        let keys = neighbor.requestList.prefix(room).map(\.key)
        interfaces[name]!.neighbor!.outstandingRequests = Set(keys)
        interfaces[name]!.neighbor!.requestRetransmitDeadline = now + interfaces[name]!.retransmitInterval
        send(OSPFv2Packet(linkStateRequest: .init(requests: keys), routerID: routerID, areaID: areaID), on: name)
    }

    mutating func receiveLinkStateRequest(_ request: OSPFv2LinkStateRequest, on name: String) {
        let neighbor = interfaces[name]!.neighbor!
        guard neighbor.state >= .exchange else {
            return discard(name, "LSR from \(neighbor.routerID) in state \(neighbor.state)")
        }
        var lsas: [OSPFv2LSA] = []
        for key in request.requests {
            guard let entry = database[key] else {
                return restartExchange(name, event: "BadLSReq (\(key) not in the database)")
            }
            lsas.append(entry.current(at: now))
        }
        sendUpdate(lsas, on: name)
    }
}
