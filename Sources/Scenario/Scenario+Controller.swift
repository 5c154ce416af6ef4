extension Scenario {
    /// The OpenFlow controller that drives the switches.
    public struct Controller: Codable, Sendable, Equatable {
        /// Names of the controller apps a scenario may ask for.
        public static let knownApps = [
            "lldp-discovery",  // LLDP topology discovery (Controller.LLDPDiscovery)
            "host-tracker",  // learns where hosts are (Controller.HostTracker)
            "shortest-paths",  // installs shortest paths between known hosts (Controller.PathInstaller)
            "client-server-flows",  // the paper's app: bidirectional flows on a network's initial path
            "learning-switch",  // plain MAC learning
        ]

        /// `HOST:PORT` where the controller listens for switches over TCP; nil (the default) runs it
        /// in-process, connected to the embedded switches directly.
        public var listen: String?
        /// Apps of the controller itself (default: lldp-discovery, host-tracker).
        public var apps: [String]

        public init(listen: String? = nil, apps: [String] = ["lldp-discovery", "host-tracker"]) {
            self.listen = listen
            self.apps = apps
        }
    }
}
