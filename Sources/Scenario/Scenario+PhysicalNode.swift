import NetworkAddresses

extension Scenario {
    /// A physical node: a hypervisor host whose shared data plane ("Domain 0") forwards for the
    /// virtual routers whose VMs it runs.
    public struct PhysicalNode: Codable, Sendable, Equatable {
        public struct Interface: Codable, Sendable, Equatable {
            /// `eth0`, `eth1`, ... unless named in the file.
            public var name: String
            public var mac: MACAddress
            /// The node's own address on this interface (e.g. on the migration link), if any.
            public var ip: Prefix?

            public init(name: String, mac: MACAddress, ip: Prefix? = nil) {
                self.name = name
                self.mac = mac
                self.ip = ip
            }
        }

        public var name: String
        /// Every interface: those listed in the file, then those that links created, in order.
        public var interfaces: [Interface]

        public init(name: String, interfaces: [Interface] = []) {
            self.name = name
            self.interfaces = interfaces
        }
    }
}
