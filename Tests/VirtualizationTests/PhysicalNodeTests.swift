import NIOCore
import Packets
import Testing

@testable import Virtualization

/// Two routers on one node; r1 on ports 1 (clients) and 2 (servers), r2 on ports 3 and 4.
private func twoRouterNode() throws -> PhysicalNode {
    var node = PhysicalNode(name: "A")
    try node.boot(routerConfiguration("r1", macSuffix: 1), bindings: [0: .physical(port: 1), 1: .physical(port: 2)], now: at(0))
    try node.boot(routerConfiguration("r2", macSuffix: 2), bindings: [0: .physical(port: 3), 1: .physical(port: 4)], now: at(0))
    return node
}

private func transmitted(_ outputs: [NodeOutput]) -> [UInt32] { outputs.compactMap { $0.transmitted?.port } }

@Suite struct PhysicalNodeTests {
    @Test func theDataPlaneForwardsWithEachRoutersOwnTable() throws {
        var node = try twoRouterNode()
        let hop1 = ip("10.0.2.254")
        let hop2 = ip("10.0.2.253")
        let added1 = node.applyRouteUpdate(.add(FIBEntry(prefix: ip("10.9.0.0"), prefixLength: 16, nextHop: hop1, interface: 1)), router: "r1", now: at(0))
        #expect(added1)
        let added2 = node.applyRouteUpdate(.add(FIBEntry(prefix: ip("10.9.0.0"), prefixLength: 16, nextHop: hop2, interface: 1)), router: "r2", now: at(0))
        #expect(added2)
        try node.dataPlane.setNeighbor("r1", hop1, at: mac("02:00:00:00:fe:01"))
        try node.dataPlane.setNeighbor("r2", hop2, at: mac("02:00:00:00:fe:02"))
        let r1 = node.machine("r1")!.interfaces[0].mac
        let r2 = node.machine("r2")!.interfaces[0].mac

        let out1 = node.receive(udpFrame(to: r1, destination: ip("10.9.1.1")), on: 1, now: at(1))
        let out2 = node.receive(udpFrame(to: r2, destination: ip("10.9.1.1")), on: 3, now: at(1))
        #expect(transmitted(out1) == [2] && transmitted(out2) == [4])
        #expect(try EthernetFrame(parsing: out1[0].transmitted!.frame).destination == mac("02:00:00:00:fe:01"))
        #expect(try EthernetFrame(parsing: out2[0].transmitted!.frame).destination == mac("02:00:00:00:fe:02"))
        #expect(parsedIPv4(out1[0].transmitted!.frame)?.1.timeToLive == 63)
        #expect(node.dataPlane["r1"]?.counters.forwarded == 1 && node.dataPlane["r2"]?.counters.forwarded == 1)
        // No route in r1's table: dropped there.
        #expect(node.receive(udpFrame(to: r1, destination: ip("172.16.0.1")), on: 1, now: at(1)).isEmpty)
        #expect(node.dataPlane["r1"]?.counters.droppedNoRoute == 1)
        // The VM's memory saw none of it: plane separation.
        #expect(node.machine("r1")!.counter(.dataRefused) == 0 && node.machine("r1")!.interfaceCounters(0).rxPackets == 0)
    }

    @Test func controlPacketsGoToTheRoutersVM() throws {
        var node = try twoRouterNode()
        let hello = ospfFrame(from: clientIP, sourceMAC: clientMAC, sequence: 1)
        let delivered = node.receive(hello, on: 3, now: at(1))
        #expect(delivered == [.deliver(hello, router: "r2", interface: 0)])
        // ARP for r1's address on port 1: r1's guest answers, and Domain 0 learns the asker.
        let request = arpFrame(.request, from: clientMAC, clientIP, asking: ip("10.0.1.1"))
        let replies = node.receive(request, on: 1, now: at(1))
        #expect(transmitted(replies) == [1])
        let reply = try ARPPacket(parsing: EthernetFrame(parsing: replies[0].transmitted!.frame).payload)
        #expect(reply.operation == .reply && reply.senderHardwareAddress == node.machine("r1")!.interfaces[0].mac)
        #expect(node.dataPlane["r1"]?.neighbors[clientIP] == clientMAC)
        #expect(node.machine("r1")!.counter(.arpRepliesSent) == 1)
        // ARP for an address nobody here has: nobody answers.
        #expect(node.receive(arpFrame(.request, from: clientMAC, clientIP, asking: ip("10.0.1.77")), on: 1, now: at(1)).isEmpty)
        // A packet addressed to the router itself.
        let ping = udpFrame(to: node.machine("r1")!.interfaces[0].mac, destination: ip("10.0.1.1"))
        #expect(node.receive(ping, on: 1, now: at(1)) == [.deliver(ping, router: "r1", interface: 0)])
        #expect(node.dataPlane["r1"]?.counters.controlToVM == 2)
        // The daemon answers through its node.
        let out = node.sendControl(hello, router: "r1", interface: 1, now: at(1))
        #expect(transmitted(out) == [2])
    }

    @Test func rebindingMovesTraffic() throws {
        var node = try twoRouterNode()
        node.applyRouteUpdate(.add(serverSubnet), router: "r1", now: at(0))
        try node.dataPlane.setNeighbor("r1", serverIP, at: serverMAC)
        let r1 = node.machine("r1")!.interfaces[0].mac
        #expect(transmitted(node.receive(udpFrame(to: r1), on: 1, now: at(1))) == [2])
        try node.dataPlane.bind(VirtualInterfaceID(router: "r1", index: 1), to: .physical(port: 7))
        #expect(transmitted(node.receive(udpFrame(to: r1), on: 1, now: at(2))) == [7])
        try node.dataPlane.unbind(VirtualInterfaceID(router: "r1", index: 1))
        #expect(node.receive(udpFrame(to: r1), on: 1, now: at(3)).isEmpty)
        #expect(node.dataPlane["r1"]?.counters.droppedUnbound == 1)
        #expect(throws: VirtualizationError.unknownInterface(VirtualInterfaceID(router: "r1", index: 5), node: "A")) {
            try node.dataPlane.bind(VirtualInterfaceID(router: "r1", index: 5), to: .physical(port: 1))
        }
    }

    @Test func unknownNextHopsAreAskedFor() throws {
        var node = try twoRouterNode()
        node.applyRouteUpdate(.add(serverSubnet), router: "r1", now: at(0))
        let outputs = node.receive(udpFrame(to: node.machine("r1")!.interfaces[0].mac), on: 1, now: at(1))
        #expect(transmitted(outputs) == [2])
        let arp = try ARPPacket(parsing: EthernetFrame(parsing: outputs[0].transmitted!.frame).payload)
        #expect(arp.operation == .request && arp.targetProtocolAddress == serverIP)
        #expect(node.dataPlane["r1"]?.counters.droppedUnresolved == 1)
        // The server's answer reaches the VM and Domain 0 learns from it.
        _ = node.receive(arpFrame(.reply, from: serverMAC, serverIP, asking: ip("10.0.2.1"), to: node.machine("r1")!.interfaces[1].mac), on: 2, now: at(1.1))
        #expect(transmitted(node.receive(udpFrame(to: node.machine("r1")!.interfaces[0].mac), on: 1, now: at(1.2))) == [2])
    }

    @Test func standardModeHandsDataToTheVMWhichStopsWhenPaused() throws {
        var node = PhysicalNode(name: "A")
        try node.boot(routerConfiguration(forwarding: .standard), bindings: [0: .physical(port: 1), 1: .physical(port: 2)], now: at(0))
        node.applyRouteUpdate(.add(serverSubnet), router: "r1", now: at(0))
        let r1 = node.machine("r1")!.interfaces
        _ = node.receive(arpFrame(.reply, from: serverMAC, serverIP, asking: ip("10.0.2.1"), to: r1[1].mac), on: 2, now: at(0.5))
        #expect(transmitted(node.receive(udpFrame(to: r1[0].mac), on: 1, now: at(1))) == [2])
        #expect(node.machine("r1")!.counter(.forwarded) == 1)
        #expect(node.dataPlane["r1"]?.counters.dataToVM == 1)
        try node.pause("r1", now: at(2))
        #expect(node.receive(udpFrame(to: r1[0].mac), on: 1, now: at(2.1)).isEmpty)
        #expect(node.dataPlane["r1"]?.counters.dataLost == 1)
        try node.resume("r1", now: at(3))
        #expect(transmitted(node.receive(udpFrame(to: r1[0].mac), on: 1, now: at(3.1))) == [2])
    }

    @Test func bufferedControlPacketsReachTheNewNodeInOrderThroughTheTunnel() throws {
        let aAddress = ip("192.168.100.1"), bAddress = ip("192.168.100.2")
        let aMAC = mac("02:aa:00:00:00:01"), bMAC = mac("02:bb:00:00:00:01")
        var a = PhysicalNode(name: "A")
        var b = PhysicalNode(name: "B")
        a.dataPlane.addTunnel(.init(id: "AB", localAddress: aAddress, localMAC: aMAC, remoteAddress: bAddress, remoteMAC: bMAC, port: 9))
        b.dataPlane.addTunnel(.init(id: "BA", localAddress: bAddress, localMAC: bMAC, remoteAddress: aAddress, remoteMAC: aMAC, port: 9))
        try a.boot(routerConfiguration(), bindings: [0: .physical(port: 1), 1: .physical(port: 2)], now: at(0))

        // The VM is paused for stop-and-copy: its control packets wait in A's buffer.
        try a.pause("r1", now: at(1))
        try a.startBufferingControl("r1")
        for sequence in 0..<4 {
            #expect(a.receive(ospfFrame(from: clientIP, sourceMAC: clientMAC, sequence: UInt32(sequence)), on: 1, now: at(1.1)).isEmpty)
        }
        #expect(a.dataPlane["r1"]?.buffer.count == 4)

        // The VM resumes on B; A sends the buffer through the tunnel, then whatever still arrives.
        var vm = a.evict("r1")!
        vm.resume(now: at(2))
        try b.admit(vm, bindings: [0: .physical(port: 1), 1: .physical(port: 2)])
        var outer = try a.redirectControl("r1", to: "AB", now: at(2)).compactMap(\.transmitted?.frame)
        #expect(try a.redirectControl("r1", to: "AB", now: at(2)).isEmpty)  // drained once
        outer += a.receive(ospfFrame(from: clientIP, sourceMAC: clientMAC, sequence: 4), on: 1, now: at(2.1))
            .compactMap(\.transmitted?.frame)
        #expect(outer.count == 5)
        #expect(a.dataPlane["r1"]?.counters.controlTunneled == 5)
        let delivered = outer.flatMap { b.receive($0, on: 9, now: at(2.2)) }.compactMap { $0.delivered.flatMap { ospfSequence($0.frame) } }
        #expect(delivered == [0, 1, 2, 3, 4])
    }

    @Test func theTunnelDeliversInOrderWhateverTheArrivalOrder() throws {
        let aAddress = ip("192.168.100.1"), bAddress = ip("192.168.100.2")
        let aMAC = mac("02:aa:00:00:00:01"), bMAC = mac("02:bb:00:00:00:01")
        var a = PhysicalNode(name: "A")
        var b = PhysicalNode(name: "B")
        a.dataPlane.addTunnel(.init(id: "AB", localAddress: aAddress, localMAC: aMAC, remoteAddress: bAddress, remoteMAC: bMAC, port: 9))
        b.dataPlane.addTunnel(.init(id: "BA", localAddress: bAddress, localMAC: bMAC, remoteAddress: aAddress, remoteMAC: aMAC, port: 9))
        try a.boot(routerConfiguration(), bindings: [0: .physical(port: 1)], now: at(0))
        try a.startBufferingControl("r1")
        for sequence in 0..<6 {
            _ = a.receive(ospfFrame(from: clientIP, sourceMAC: clientMAC, sequence: UInt32(sequence)), on: 1, now: at(1))
        }
        var vm = a.evict("r1")!
        vm.resume(now: at(2))
        try b.admit(vm, bindings: [0: .physical(port: 1)])
        let encapsulated = try a.redirectControl("r1", to: "AB", now: at(2)).compactMap(\.transmitted)
        #expect(encapsulated.count == 6 && encapsulated.allSatisfy { $0.port == 9 })
        // The underlay reorders and duplicates; B still hands the daemon 0, 1, ..., 5 once each.
        var delivered: [UInt32] = []
        for i in [2, 0, 1, 1, 5, 3, 4, 0] {
            for output in b.receive(encapsulated[i].frame, on: 9, now: at(2.1)) {
                guard let (frame, router, interface) = output.delivered else { continue }
                #expect(router == "r1" && interface == 0)
                delivered.append(ospfSequence(frame)!)
            }
        }
        #expect(delivered == [0, 1, 2, 3, 4, 5])
        #expect(b.dataPlane.tunnels["BA"]?.duplicates == 2)
        #expect(b.machine("r1")!.counter(.controlReceived) == 6)
    }

    @Test func rollbackDeliversTheBufferLocallyInOrder() throws {
        var a = try twoRouterNode()
        try a.pause("r1", now: at(1))
        try a.startBufferingControl("r1")
        for sequence in 0..<3 {
            _ = a.receive(ospfFrame(from: clientIP, sourceMAC: clientMAC, sequence: UInt32(sequence)), on: 1, now: at(1))
        }
        try a.resume("r1", now: at(2))
        let outputs = try a.deliverBufferedControl("r1", now: at(2))
        #expect(outputs.compactMap { $0.delivered.flatMap { ospfSequence($0.frame) } } == [0, 1, 2])
    }

    @Test func aVirtualLinkOverATunnelIsRelayedByTheOldNode() throws {
        let aAddress = ip("192.168.100.1"), bAddress = ip("192.168.100.2")
        let aMAC = mac("02:aa:00:00:00:01"), bMAC = mac("02:bb:00:00:00:01")
        var a = PhysicalNode(name: "A")
        var b = PhysicalNode(name: "B")
        a.dataPlane.addTunnel(.init(id: "AB", localAddress: aAddress, localMAC: aMAC, remoteAddress: bAddress, remoteMAC: bMAC, port: 9))
        b.dataPlane.addTunnel(.init(id: "BA", localAddress: bAddress, localMAC: bMAC, remoteAddress: aAddress, remoteMAC: aMAC, port: 9))
        try a.boot(routerConfiguration(), bindings: [0: .physical(port: 1)], now: at(0))
        var vm = a.evict("r1")!
        vm.resume(now: at(1))
        // On B, interface 0's neighbour is not one hop away: it is bound to the tunnel to A.
        try b.admit(vm, bindings: [0: .tunnel("BA")])
        let hello = ospfFrame(from: ip("10.0.1.1"), sourceMAC: vm.interfaces[0].mac, sequence: 1)
        let sent = b.sendControl(hello, router: "r1", interface: 0, now: at(1))
        #expect(transmitted(sent) == [9])
        let relayed = a.receive(sent[0].transmitted!.frame, on: 9, now: at(1))
        #expect(relayed == [.transmit(hello, port: 1)])
        #expect(a.dataPlane["r1"]?.counters.relayed == 1)
    }

    @Test func linksMoveWithGratuitousARPAndTheOldDataPlaneGoes() throws {
        var node = try twoRouterNode()
        let announcements = try node.announce("r1")
        #expect(transmitted(announcements) == [1, 2])
        let arp = try ARPPacket(parsing: EthernetFrame(parsing: announcements[0].transmitted!.frame).payload)
        #expect(arp.operation == .reply && arp.senderProtocolAddress == ip("10.0.1.1") && arp.targetProtocolAddress == ip("10.0.1.1"))
        let r1 = node.machine("r1")!.interfaces[0].mac
        #expect(node.removeDataPlane("r1") != nil)
        #expect(node.receive(udpFrame(to: r1), on: 1, now: at(1)).isEmpty)
        #expect(node.counters.unclaimed == 1)
        #expect(throws: VirtualizationError.unknownRouter("r1", node: "A")) { try node.announce("r1") }
    }
}
