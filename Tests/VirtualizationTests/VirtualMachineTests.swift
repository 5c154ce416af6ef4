import NIOCore
import NetworkAddresses
import Packets
import Testing

@testable import Virtualization

@Suite struct VirtualMachineTests {
    @Test func backgroundWorkDirtiesPagesAtTheConfiguredRate() throws {
        let workload = GuestWorkload(dirtyRate: 1000, workingSetPages: 4000, refreshInterval: nil)
        var vm = try VirtualMachine(configuration: routerConfiguration(memoryPages: 4400, workload: workload), now: at(0))
        vm.enableDirtyLog()
        vm.run(until: at(1))
        #expect(vm.vcpu.slices == 1000)
        let snapshot = vm.cleanDirtyLog()
        #expect(snapshot.totalWrites == 1000)
        // 1000 uniform writes over 4000 pages touch about 4000 * (1 - e^-0.25) ≈ 885 pages.
        #expect((840...960).contains(snapshot.dirty.count))
        let heap = vm.layout.heapPage..<(vm.layout.heapPage + vm.layout.heapPages)
        #expect(snapshot.dirty.pages.allSatisfy { heap.contains($0) })
        // Twice the rate, twice the writes.
        var fast = try VirtualMachine(
            configuration: routerConfiguration(
                memoryPages: 4400, workload: GuestWorkload(dirtyRate: 2000, workingSetPages: 4000, refreshInterval: nil)),
            now: at(0))
        fast.enableDirtyLog()
        fast.run(until: at(0.5))
        #expect(fast.cleanDirtyLog().totalWrites == 1000)
    }

    @Test func routeChangesAndRefreshesWriteTheTableInGuestPages() throws {
        let workload = GuestWorkload(dirtyRate: 0, refreshInterval: .seconds(1))
        var vm = try VirtualMachine(configuration: routerConfiguration(workload: workload), now: at(0))
        vm.enableDirtyLog()
        let addedSubnet = vm.apply(.add(serverSubnet), now: at(0.1))
        #expect(addedSubnet)
        let addedDefault = vm.apply(.add(defaultRoute), now: at(0.1))
        #expect(addedDefault)
        #expect(vm.routes == [serverSubnet, defaultRoute])
        let routePage = vm.layout.routeTablePage
        #expect(vm.cleanDirtyLog().dirty.pages == [vm.layout.superblockPage, routePage])
        // 300 routes fill three table pages; a refresh rewrites all of them.
        let many = (0..<300).map {
            FIBEntry(prefix: IPv4Address(rawValue: 0x0B00_0000 | UInt32($0) << 8), prefixLength: 24,
                nextHop: ip("10.0.2.254"), interface: 1)
        }
        let replaced = vm.apply(.replaceAll(many), now: at(0.2))
        #expect(replaced)
        _ = vm.cleanDirtyLog()
        vm.run(until: at(1.0005))
        #expect(vm.refreshCount == 1)
        #expect(vm.cleanDirtyLog().dirty.pages == [vm.layout.superblockPage, routePage, routePage + 1, routePage + 2])
        #expect(vm.lookup(ip("11.0.42.7"))?.prefix == ip("11.0.42.0"))
        vm.apply(.withdraw(prefix: ip("11.0.0.0"), prefixLength: 24), now: at(1.1))
        #expect(vm.routeCount == 299)
        #expect(Set(vm.routes) == Set(many.dropFirst()))
        #expect(vm.lookup(ip("11.0.0.1")) == nil)
    }

    @Test func anImageRebuildsTheSameMachine() throws {
        var vm = try VirtualMachine(
            configuration: routerConfiguration(forwarding: .standard, workload: GuestWorkload(dirtyRate: 500)),
            now: at(0))
        vm.apply(.add(serverSubnet), now: at(0.01))
        _ = vm.receive(arpFrame(.request, from: clientMAC, clientIP, asking: ip("10.0.1.1")), on: 0, now: at(0.02))
        vm.run(until: at(0.5))
        var copy = try VirtualMachine(image: vm.image(), now: at(0.5))
        #expect(copy.memory.hasSameContent(as: vm.memory))
        #expect(copy.memory.contentHash == vm.memory.contentHash)
        #expect(copy.vcpu == vm.vcpu)
        #expect(copy.routes == vm.routes)
        #expect(copy.neighbor(clientIP) == clientMAC)
        // Same state, same inputs, same future.
        vm.run(until: at(1.5))
        copy.run(until: at(1.5))
        #expect(copy.memory.contentHash == vm.memory.contentHash)
    }

    @Test func aBadImageIsRefusedWithTheReason() throws {
        let vm = try VirtualMachine(configuration: routerConfiguration(), now: at(0))
        var image = vm.image()
        image.memory = GuestMemory(pageCount: image.memory.pageCount)
        #expect(throws: VirtualizationError.badImage(router: "r1", reason: "the superblock has no guest magic")) {
            try VirtualMachine(image: image, now: at(1))
        }
    }

    @Test func aBadConfigurationNamesTheField() {
        #expect(throws: VirtualizationError.self) { try VirtualMachine(configuration: routerConfiguration(memoryPages: 10), now: at(0)) }
        do {
            _ = try VirtualMachine(configuration: routerConfiguration(memoryPages: 10), now: at(0))
        } catch {
            #expect(String(describing: error).contains("memoryPages"))
        }
    }

    @Test func standardModeForwardingCopiesPacketsIntoGuestPages() throws {
        var vm = try VirtualMachine(configuration: routerConfiguration(forwarding: .standard), now: at(0))
        vm.apply(.add(serverSubnet), now: at(0))
        let routerMAC = vm.interfaces[0].mac
        // Unknown server: the guest asks for it and drops the packet.
        let first = vm.receive(udpFrame(to: routerMAC), on: 0, now: at(0.001))
        #expect(vm.counter(.droppedUnresolved) == 1)
        guard case .transmit(let request, interface: 1) = first.first,
            let arp = try? ARPPacket(parsing: EthernetFrame(parsing: request).payload)
        else {
            Issue.record("expected an ARP request on interface 1, got \(first)")
            return
        }
        #expect(arp.targetProtocolAddress == serverIP)
        _ = vm.receive(arpFrame(.reply, from: serverMAC, serverIP, asking: ip("10.0.2.1"), to: vm.interfaces[1].mac),
            on: 1, now: at(0.002))
        vm.enableDirtyLog()
        let outputs = vm.receive(udpFrame(to: routerMAC, sequence: 9), on: 0, now: at(0.003))
        guard case .transmit(let frame, interface: 1) = outputs.first, let (ethernet, packet) = parsedIPv4(frame) else {
            Issue.record("expected a forwarded frame, got \(outputs)")
            return
        }
        #expect(ethernet.destination == serverMAC && ethernet.source == vm.interfaces[1].mac)
        #expect(packet.timeToLive == 63)
        #expect(vm.counter(.forwarded) == 1)
        #expect(vm.interfaceCounters(1).txPackets == 2)  // the ARP request and the packet
        let dirty = vm.peekDirtyLog()
        #expect(dirty.contains(vm.layout.countersPage) && dirty.contains(vm.layout.packetRingPage + 1))  // the second packet, the second buffer
    }

    @Test func planeSeparatedGuestRefusesDataAndPassesControlToTheDaemon() throws {
        var vm = try VirtualMachine(configuration: routerConfiguration(), now: at(0))
        vm.apply(.add(serverSubnet), now: at(0))
        #expect(vm.receive(udpFrame(to: vm.interfaces[0].mac), on: 0, now: at(0.1)).isEmpty)
        #expect(vm.counter(.dataRefused) == 1)
        let hello = ospfFrame(from: clientIP, sourceMAC: clientMAC, sequence: 3)
        #expect(vm.receive(hello, on: 0, now: at(0.2)) == [.toDaemon(hello, interface: 0)])
        #expect(vm.counter(.controlReceived) == 1)
    }

    @Test func aPausedMachineDoesNothing() throws {
        var vm = try VirtualMachine(configuration: routerConfiguration(workload: GuestWorkload(dirtyRate: 1000)), now: at(0))
        vm.enableDirtyLog()
        vm.pause(now: at(0.1))
        _ = vm.cleanDirtyLog()
        #expect(vm.state == .paused && vm.nextDeadline == nil)
        vm.run(until: at(2))
        let appliedWhilePaused = vm.apply(.add(serverSubnet), now: at(2))
        #expect(!appliedWhilePaused)
        #expect(vm.receive(ospfFrame(from: clientIP, sourceMAC: clientMAC, sequence: 1), on: 0, now: at(2)).isEmpty)
        #expect(vm.peekDirtyLog().isEmpty)
        vm.resume(now: at(3))
        #expect(vm.state == .running && vm.nextDeadline == at(3.001))
        vm.run(until: at(3.1))
        #expect(!vm.peekDirtyLog().isEmpty)
    }
}
