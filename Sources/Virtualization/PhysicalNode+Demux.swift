import NIOCore
import NetworkAddresses
import Packets

/// Domain 0's demultiplexer: control packets to the router's VM (or its buffer, or the tunnel
/// to its new node); data packets forwarded with the router's table (plane-separated) or handed
/// to the VM to forward (standard).
extension PhysicalNode {
    /// A frame came in on physical interface `port` at `now`.
    public mutating func receive(_ frame: ByteBuffer, on port: UInt32, now: NIODeadline) -> [NodeOutput] {
        guard let ethernet = try? EthernetFrame(parsing: frame) else {
            counters.malformed += 1
            return []
        }
        var packet: IPv4Packet?
        if ethernet.etherType == .ipv4 {
            guard let parsed = try? IPv4Packet(parsing: ethernet.payload) else {
                counters.malformed += 1
                return []
            }
            if let tunnel = dataPlane.tunnel(claiming: parsed) {
                return receiveTunnel(parsed, tunnel: tunnel, now: now)
            }
            packet = parsed
        }
        let group = ethernet.destination.isMulticast
        let targets: [VirtualInterfaceID]
        if group {
            targets = dataPlane.interfaces(boundTo: port)
        } else if let target = dataPlane.interface(forMAC: ethernet.destination) {
            targets = [target]
        } else {
            targets = []
        }
        var outputs: [NodeOutput] = []
        var claimed = false
        for target in targets {
            guard let plane = dataPlane[target.router] else { continue }
            let own = plane.interfaces[target.index]
            switch ethernet.etherType {
            case .arp:
                guard let arp = try? ARPPacket(parsing: ethernet.payload) else {
                    counters.malformed += 1
                    return outputs
                }
                dataPlane.snoop(arp, router: target.router, interface: target.index)
                guard !group || arp.targetProtocolAddress == own.address else { continue }
                claimed = true
                outputs += control(frame, to: target, now: now)
            case .ipv4:
                guard let packet else { continue }
                if VirtualMachine.isControl(packet, for: plane.interfaces) {
                    claimed = true
                    outputs += control(frame, to: target, now: now)
                } else if !group {
                    claimed = true
                    outputs += data(frame, packet, to: target, now: now)
                }
            default:
                continue
            }
        }
        if !claimed { counters.unclaimed += 1 }
        return outputs
    }

    /// A control packet for the router: to its running VM, into its buffer, or through the tunnel.
    mutating func control(_ frame: ByteBuffer, to target: VirtualInterfaceID, now: NIODeadline) -> [NodeOutput] {
        let router = target.router
        guard let plane = dataPlane[router] else {
            counters.unclaimed += 1
            return []
        }
        switch plane.controlPath {
        case .tunnel(let id):
            guard let output = dataPlane.encapsulate(frame, router: router, interface: target.index, through: id) else {
                dataPlane.count(router, \.controlLost)
                return []
            }
            dataPlane.count(router, \.controlTunneled)
            return [output]
        case .buffer:
            dataPlane.buffer(frame, router: router, interface: target.index, now: now)
            return []
        case .vm:
            guard machines[router]?.isRunning == true else {
                dataPlane.count(router, \.controlLost)
                return []
            }
            dataPlane.count(router, \.controlToVM)
            let outputs = machines[router]!.receive(frame, on: target.index, now: now)
            return carryOut(outputs, router: router)
        }
    }

    /// A data packet for the router: Domain 0 forwards it (plane-separated), or the VM does (standard).
    mutating func data(_ frame: ByteBuffer, _ packet: IPv4Packet, to target: VirtualInterfaceID, now: NIODeadline)
        -> [NodeOutput]
    {
        let router = target.router
        switch dataPlane[router]?.mode {
        case .planeSeparated:
            return dataPlane.forward(packet, router: router).map { [$0] } ?? []
        case .standard:
            guard machines[router]?.isRunning == true else {
                dataPlane.count(router, \.dataLost)
                return []
            }
            dataPlane.count(router, \.dataToVM)
            let outputs = machines[router]!.receive(frame, on: target.index, now: now)
            return carryOut(outputs, router: router)
        case nil:
            return []
        }
    }

    /// Frames out of a tunnel, in order: to the router's VM if it runs here (through its control
    /// path), else out of the physical interface its interface is bound to here (relay).
    mutating func receiveTunnel(_ packet: IPv4Packet, tunnel: TunnelID, now: NIODeadline) -> [NodeOutput] {
        var outputs: [NodeOutput] = []
        for inner in dataPlane.decapsulate(packet, tunnel: tunnel) {
            counters.tunnelFrames += 1
            let target = VirtualInterfaceID(router: inner.router, index: inner.interface)
            if machines[inner.router] != nil {
                outputs += control(inner.frame, to: target, now: now)
            } else if case .physical(let port) = dataPlane.binding(of: target) {
                dataPlane.count(inner.router, \.relayed)
                outputs.append(.transmit(inner.frame, port: port))
            } else {
                counters.unclaimed += 1
            }
        }
        return outputs
    }
}
