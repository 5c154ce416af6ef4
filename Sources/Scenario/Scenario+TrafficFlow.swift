extension Scenario {
    /// A constant-rate UDP flow from one host to another; every packet carries a sequence number and
    /// its send time, and a receiver probe at the destination measures it.
    public struct TrafficFlow: Codable, Sendable, Equatable {
        /// `flowN` (1-based) unless named in the file.
        public var name: String
        public var from: String
        public var to: String
        public var rate: PacketRate
        /// Ethernet frame size without FCS, headers included (64...9018, default 64B).
        public var size: ByteCount
        /// When the sender starts (default 0s).
        public var start: TimeSpan
        /// How long it sends (default: until the end of the scenario).
        public var duration: TimeSpan
        /// UDP destination port (default 5001); the source port is 5000.
        public var port: Int
        /// The virtual network whose flowspace carries the flow: given, or the only network that
        /// holds both hosts; nil if none does.
        public var network: String?

        public init(
            name: String, from: String, to: String, rate: PacketRate, size: ByteCount = ByteCount(bytes: 64),
            start: TimeSpan = .zero, duration: TimeSpan, port: Int = 5001, network: String? = nil
        ) {
            self.name = name
            self.from = from
            self.to = to
            self.rate = rate
            self.size = size
            self.start = start
            self.duration = duration
            self.port = port
            self.network = network
        }

        /// Packets the flow sends in all.
        public var packetCount: Int64 {
            Int64((duration.seconds * rate.packetsPerSecond).rounded(.down))
        }

        public static let sourcePort = 5000
        public static let sizes = 64...9018
    }
}
