import OpenFlow

/// What an app asks for. Plain data: the runtime carries it out, tests read it.
public enum ControllerCommand: Hashable, Sendable {
    /// Send a message to a switch (ignored if the switch is not connected).
    case send(datapathID: UInt64, OF13.Message)
    /// A barrier to the switch: later commands to it wait until it has processed earlier ones.
    case barrier(datapathID: UInt64)
    /// An event for every app (including the sender), handled before the runtime sends anything.
    case announce(ControllerEvent)
}
