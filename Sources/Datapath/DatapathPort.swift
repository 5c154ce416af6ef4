import NIOCore
import OpenFlow

/// A port of the datapath: its description (as PORT_DESC and PORT_STATUS report it) and
/// its counters (spec 1.3.5 §7.2.1, §7.3.5.6).
struct DatapathPort: Sendable {
    var description: OF13.Port
    var stats: OF13.PortStats
    var added: NIODeadline

    init(_ description: OF13.Port, now: NIODeadline) {
        self.description = description
        self.stats = OF13.PortStats(portNumber: description.portNumber)
        self.added = now
    }

    /// Whether the port forwards: not administratively down, link up, not blocked.
    var isLive: Bool {
        !description.config.contains(.portDown) && !description.state.contains(.linkDown)
            && !description.state.contains(.blocked)
    }

    var canReceive: Bool { isLive && !description.config.contains(.noRecv) }
    var canForward: Bool { isLive && !description.config.contains(.noFwd) }
}
