extension Scenario {
    /// A physical OpenFlow switch, with the knobs that real switches have and that break naive
    /// updates.
    public struct Switch: Codable, Sendable, Equatable {
        /// What the switch does without a controller (Open vSwitch's `fail_mode`).
        public enum FailMode: String, Codable, Sendable, CaseIterable {
            /// Drop what no flow matches and wait for the controller (default).
            case secure
            /// Behave as a MAC-learning switch, like a plain Ethernet segment.
            case standalone
        }

        public enum OpenFlowVersion: String, Codable, Sendable, CaseIterable {
            case of10 = "1.0"
            case of13 = "1.3"
        }

        public var name: String
        /// Datapath id (default: 1-based position among the switches).
        public var dpid: UInt64
        /// Number of flow tables of the OF1.3 pipeline (default 8).
        public var tables: Int
        public var openflow: OpenFlowVersion
        public var failMode: FailMode
        /// Time the switch takes to apply one flow-mod (default 0s).
        public var flowModDelay: TimeSpan
        /// A random extra delay, uniform in 0...jitter, added to each flow-mod (default 0s).
        public var flowModJitter: TimeSpan
        /// Probability (0...1) that a flow-mod not yet confirmed by a barrier is applied after
        /// messages sent later (default 0; `true` in the file means 1, `false` 0).
        public var reorderUnconfirmed: Double

        public init(
            name: String, dpid: UInt64, tables: Int = 8, openflow: OpenFlowVersion = .of13,
            failMode: FailMode = .secure, flowModDelay: TimeSpan = .zero, flowModJitter: TimeSpan = .zero,
            reorderUnconfirmed: Double = 0
        ) {
            self.name = name
            self.dpid = dpid
            self.tables = tables
            self.openflow = openflow
            self.failMode = failMode
            self.flowModDelay = flowModDelay
            self.flowModJitter = flowModJitter
            self.reorderUnconfirmed = reorderUnconfirmed
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case name, dpid, tables, openflow
            case failMode = "fail_mode"
            case flowModDelay = "flow_mod_delay"
            case flowModJitter = "flow_mod_jitter"
            case reorderUnconfirmed = "reorder_unconfirmed"
        }
    }
}
