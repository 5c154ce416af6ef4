import NIOCore
import NetworkAddresses
import Packets

/// Link State Updates and Acknowledgments (§13), aging and flushing (§14), and the
/// origination of this router's router-LSA (§12.4).
extension OSPFRouter {
    var anyNeighborExchanging: Bool {
        interfaces.values.contains { $0.neighbor.map { $0.state == .exchange || $0.state == .loading } ?? false }
    }

    /// §13, steps 1 to 8, for each LSA of the update.
    mutating func receiveLinkStateUpdate(_ update: OSPFv2LinkStateUpdate, on name: String) {
        let sender = interfaces[name]!.neighbor!
        guard sender.state >= .exchange else {
            return discard(name, "LSU from \(sender.routerID) in state \(sender.state)")
        }
        var directAcknowledgments: [OSPFv2LSAHeader] = []
        for lsa in update.lsas {
            let key = lsa.key
            guard lsa.checksumVerifies else {
                discard(name, "LSA \(key) from \(sender.routerID): bad LS checksum")
                continue
            }
            guard key.type.isStandard else {
                discard(name, "LSA \(key) from \(sender.routerID): unknown LS type")
                continue
            }
            let entry = database[key]
            let ours = entry?.current(at: now)
            if lsa.header.age >= OSPFv2LSAHeader.maxAge, entry == nil, !anyNeighborExchanging {
                directAcknowledgments.append(lsa.header)
                continue
            }
            if ours == nil || lsa.header.isNewer(than: ours!.header) {
                if let entry, now - entry.installedAt < configuration.minLSArrival {
                    discard(name, "LSA \(key) from \(sender.routerID): arrived within MinLSArrival")
                    continue
                }
                flood(lsa, receivedOn: name)
                removeFromRetransmissionLists(key)
                if database.install(lsa, now: now) { spfPending = true }
                interfaces[name]!.delayedAcknowledgments.append(lsa.header)
                if interfaces[name]!.delayedAcknowledgmentDeadline == nil {
                    interfaces[name]!.delayedAcknowledgmentDeadline = now + configuration.acknowledgmentDelay
                }
                if key.advertisingRouter == routerID { receivedSelfOriginated(lsa) }
                continue
            }
            guard let neighbor = interfaces[name]?.neighbor else { return }
            if neighbor.requestIndex(key) != nil {
                return restartExchange(name, event: "BadLSReq (\(key) received while requested and not newer)")
            }
            guard let ours else { continue }
            if ours.header.isSameInstance(as: lsa.header) {
                if neighbor.retransmissionList[key] != nil {
                    interfaces[name]!.neighbor!.retransmissionList[key] = nil  // implied acknowledgment
                } else {
                    directAcknowledgments.append(lsa.header)
                }
                continue
            }
            // Our copy is newer.
            if ours.header.age >= OSPFv2LSAHeader.maxAge, ours.header.sequenceNumber == OSPFv2LSAHeader.maxSequenceNumber {
                continue
            }
            if let sent = entry?.lastSentBackAt, now - sent < configuration.minLSArrival { continue }
            database[key]?.lastSentBackAt = now
            sendUpdate([ours], on: name)
        }
        sendAcknowledgment(directAcknowledgments, on: name)
        for name in interfaceOrder { sendRequestsIfNeeded(name) }
    }

    mutating func receiveLinkStateAcknowledgment(_ acknowledgment: OSPFv2LinkStateAcknowledgment, on name: String) {
        let neighbor = interfaces[name]!.neighbor!
        guard neighbor.state >= .exchange else {
            return discard(name, "LSAck from \(neighbor.routerID) in state \(neighbor.state)")
        }
        for header in acknowledgment.lsaHeaders {
            guard let pending = interfaces[name]!.neighbor!.retransmissionList[header.key] else { continue }
            if pending.header.isSameInstance(as: header) || database[header.key].map({ $0.current(at: now).header.isSameInstance(as: header) }) == true {
                interfaces[name]!.neighbor!.retransmissionList[header.key] = nil
            }
        }
        if interfaces[name]!.neighbor!.retransmissionList.isEmpty {
            interfaces[name]!.neighbor!.retransmitDeadline = nil
        }
    }

    /// §13.3: puts `lsa` on the retransmission list of every adjacent neighbour that may not
    /// have it, and sends it to them. Point-to-point: the neighbour it came from never gets it back.
    mutating func flood(_ lsa: OSPFv2LSA, receivedOn source: String?) {
        let key = lsa.key
        for name in interfaceOrder {
            guard let interface = interfaces[name], interface.state == .pointToPoint,
                var neighbor = interface.neighbor, neighbor.state >= .exchange
            else { continue }
            if neighbor.state < .full, let index = neighbor.requestIndex(key) {
                let requested = neighbor.requestList[index]
                if requested.isNewer(than: lsa.header) { continue }
                neighbor.requestList.remove(at: index)
                neighbor.outstandingRequests.remove(key)
                if requested.isSameInstance(as: lsa.header) {
                    interfaces[name]!.neighbor = neighbor
                    continue
                }
            }
            if name == source {
                interfaces[name]!.neighbor = neighbor
                continue
            }
            neighbor.retransmissionList[key] = lsa
            if neighbor.retransmitDeadline == nil { neighbor.retransmitDeadline = now + interface.retransmitInterval }
            interfaces[name]!.neighbor = neighbor
            sendUpdate([lsa], on: name)
        }
    }

    mutating func removeFromRetransmissionLists(_ key: OSPFv2LSAHeader.Key) {
        for name in interfaceOrder where interfaces[name]?.neighbor?.retransmissionList[key] != nil {
            interfaces[name]!.neighbor!.retransmissionList[key] = nil
        }
    }

    /// Resends everything on the neighbour's retransmission list (§13.6), current ages.
    mutating func retransmitUpdates(_ name: String) {
        let list = interfaces[name]!.neighbor!.retransmissionList
        guard !list.isEmpty else {
            interfaces[name]!.neighbor!.retransmitDeadline = nil
            return
        }
        let lsas = list.keys.sorted().map { key in database[key]?.current(at: now) ?? list[key]! }
        interfaces[name]!.neighbor!.retransmitDeadline = now + interfaces[name]!.retransmitInterval
        sendUpdate(lsas, on: name)
    }

    /// §13.4: a newer instance of an LSA this router originated. Its own router-LSA is
    /// re-originated past the received sequence number; anything else it no longer originates
    /// is flushed.
    mutating func receivedSelfOriginated(_ lsa: OSPFv2LSA) {
        if lsa.key == ownRouterLSAKey {
            originateRouterLSA(force: true, after: lsa.header.sequenceNumber)
        } else if lsa.header.age < OSPFv2LSAHeader.maxAge {
            let flushed = lsa.withAge(OSPFv2LSAHeader.maxAge)
            database.install(flushed, now: now)
            flood(flushed, receivedOn: nil)
        }
    }

    /// §14: LSAs reaching MaxAge are flooded once.
    mutating func ageDatabase() {
        for key in database.sortedKeys {
            guard key != ownRouterLSAKey, let entry = database[key], !entry.maxAgeFlooded,
                entry.age(at: now) >= OSPFv2LSAHeader.maxAge
            else { continue }
            database[key]!.maxAgeFlooded = true
            spfPending = true
            flood(entry.current(at: now), receivedOn: nil)
        }
    }

    /// §14: a MaxAge LSA leaves the database once no retransmission list holds it and no
    /// neighbour is in Exchange or Loading.
    mutating func removeFlushedLSAs() {
        guard !anyNeighborExchanging else { return }
        for key in database.sortedKeys {
            guard let entry = database[key], entry.age(at: now) >= OSPFv2LSAHeader.maxAge,
                !interfaces.values.contains(where: { $0.neighbor?.retransmissionList[key] != nil })
            else { continue }
            database.remove(key)
            spfPending = true
        }
    }

    /// The router-LSA this router would originate now (§12.4.1): for each interface in state
    /// Point-to-point, a point-to-point link to a Full neighbour and a stub link for the
    /// interface's subnet; then the configured stub networks.
    var routerLSABody: OSPFv2RouterLSA {
        var links: [OSPFv2RouterLSA.Link] = []
        for name in interfaceOrder {
            guard let interface = interfaces[name], interface.state == .pointToPoint else { continue }
            let configuration = interface.configuration
            if let neighbor = interface.neighbor, neighbor.state == .full {
                links.append(
                    .pointToPoint(neighbor: neighbor.routerID, interfaceAddress: configuration.address, metric: configuration.cost))
            }
            let subnet = configuration.subnet
            links.append(.stub(network: subnet.address, mask: subnet.mask, metric: configuration.cost))
        }
        for stub in configuration.stubNetworks {
            links.append(.stub(network: stub.prefix.address, mask: stub.prefix.mask, metric: stub.cost))
        }
        return OSPFv2RouterLSA(links: links)
    }

    /// Originates a new instance of the router-LSA if its contents changed (or `force`), no
    /// sooner than MinLSInterval after the last (§12.4); a refused origination is retried then.
    mutating func originateRouterLSA(force: Bool = false, after sequence: Int32? = nil) {
        let body = routerLSABody
        let existing = database[ownRouterLSAKey]
        if !force, let existing, existing.age(at: now) < OSPFv2LSAHeader.maxAge, existing.lsa.body == body.encoded() {
            return
        }
        if let last = lastOrigination, now < last + configuration.minLSInterval {
            originationDeadline = last + configuration.minLSInterval
            if force { originationForced = true }
            return
        }
        originationForced = false
        var sequenceNumber = OSPFv2LSAHeader.initialSequenceNumber
        if let existing { sequenceNumber = max(sequenceNumber, existing.lsa.header.sequenceNumber &+ 1) }
        if let sequence, sequence >= sequenceNumber { sequenceNumber = sequence &+ 1 }
        let lsa = OSPFv2LSA(options: Self.options, advertisingRouter: routerID, sequenceNumber: sequenceNumber, router: body)
        removeFromRetransmissionLists(ownRouterLSAKey)
        database.install(lsa, now: now)
        lastOrigination = now
        originationDeadline = nil
        spfPending = true
        flood(lsa, receivedOn: nil)
    }
}
