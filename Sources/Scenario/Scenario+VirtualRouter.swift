import NetworkAddresses

extension Scenario {
    /// A virtual router: its control plane (OSPF) runs in a VM on a physical node, its forwarding
    /// table in that node's shared data plane (paper §2.2).
    public struct VirtualRouter: Codable, Sendable, Equatable {
        public struct Interface: Codable, Sendable, Equatable {
            /// `eth0`, `eth1`, ... unless named in the file.
            public var name: String
            public var address: Prefix
            /// Derived unless given: `02:52:00` + router number (2 bytes) + interface number.
            public var mac: MACAddress
            /// The physical element (switch, node or host) this interface reaches. On whatever node
            /// the router runs, the interface is bound to that node's interface linked to `attach`,
            /// which is what makes the binding survive a migration.
            public var attach: String
            /// OSPF cost of the interface (default 10).
            public var cost: Int

            public init(name: String, address: Prefix, mac: MACAddress, attach: String, cost: Int = 10) {
                self.name = name
                self.address = address
                self.mac = mac
                self.attach = attach
                self.cost = cost
            }
        }

        public var name: String
        /// The physical node whose hypervisor runs the VM at the start.
        public var on: String
        /// Default: the highest interface address.
        public var routerID: IPv4Address
        public var interfaces: [Interface]
        public var ospf: OSPFTimers
        public var vm: VMSpec

        public init(
            name: String, on: String, routerID: IPv4Address, interfaces: [Interface], ospf: OSPFTimers = OSPFTimers(),
            vm: VMSpec = VMSpec()
        ) {
            self.name = name
            self.on = on
            self.routerID = routerID
            self.interfaces = interfaces
            self.ospf = ospf
            self.vm = vm
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, on
            case routerID = "router_id"
            case interfaces, ospf, vm
        }
    }

    /// OSPFv2 settings of a router (RFC 2328 Appendix C.3), the same on all its interfaces.
    public struct OSPFTimers: Codable, Sendable, Equatable {
        /// The area of every interface (default 0.0.0.0, the backbone).
        public var area: IPv4Address
        /// HelloInterval (default 1s; RFC 2328 suggests 10s, experiments want faster).
        public var hello: TimeSpan
        /// RouterDeadInterval (default 4 × hello).
        public var dead: TimeSpan
        /// RxmtInterval (default 1s).
        public var retransmit: TimeSpan
        /// InfTransDelay (default 1s, RFC 2328's).
        public var transmitDelay: TimeSpan

        public init(
            area: IPv4Address = .any, hello: TimeSpan = .seconds(1), dead: TimeSpan? = nil,
            retransmit: TimeSpan = .seconds(1), transmitDelay: TimeSpan = .seconds(1)
        ) {
            self.area = area
            self.hello = hello
            self.dead = dead ?? TimeSpan(nanoseconds: hello.nanoseconds * 4)
            self.retransmit = retransmit
            self.transmitDelay = transmitDelay
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case area, hello, dead, retransmit
            case transmitDelay = "transmit_delay"
        }
    }

    /// The VM that holds a router's control plane: what pre-copy migration has to move.
    public struct VMSpec: Codable, Sendable, Equatable {
        /// Guest memory (default 128MiB), in 4 KiB pages.
        public var memory: ByteCount
        /// Pages the routing software dirties per second, spread over the whole memory (default 200).
        public var dirtyRate: Int
        /// The writable working set: memory rewritten so often that pre-copy holds it back for the
        /// stop-and-copy phase (default 256KiB).
        public var hotSet: ByteCount

        public static let pageSize = 4096

        public init(memory: ByteCount = .mebibytes(128), dirtyRate: Int = 200, hotSet: ByteCount = .kibibytes(256)) {
            self.memory = memory
            self.dirtyRate = dirtyRate
            self.hotSet = hotSet
        }

        public var pages: Int { Int(memory.bytes) / Self.pageSize }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case memory
            case dirtyRate = "dirty_rate"
            case hotSet = "hot_set"
        }
    }
}
