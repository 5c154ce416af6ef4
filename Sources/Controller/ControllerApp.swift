import NIOCore
import OpenFlow
import OpenFlowNIO

/// What a controller app is told. Switch events come from the switches; `linkUp`/`linkDown`
/// come from another app (topology discovery) through ``ControllerCommand/announce(_:)``;
/// `tick` comes from the runtime's timer.
public enum ControllerEvent: Hashable, Sendable {
    /// A switch completed the handshake (features and port list known).
    case switchUp(DatapathInfo)
    /// A switch's connection closed.
    case switchDown(datapathID: UInt64)
    case packetIn(datapathID: UInt64, OF13.PacketIn)
    case portStatus(datapathID: UInt64, OF13.PortStatus)
    case flowRemoved(datapathID: UInt64, OF13.FlowRemoved)
    case linkUp(Link)
    case linkDown(Link)
    /// Time passed; apps with timers look at `now`.
    case tick
}

/// What an app asks for. Plain data: the runtime carries it out, tests read it.
public enum ControllerCommand: Hashable, Sendable {
    /// Send a message to a switch (ignored if the switch is not connected).
    case send(datapathID: UInt64, OF13.Message)
    /// A barrier to the switch: later commands to it wait until it has processed earlier ones.
    case barrier(datapathID: UInt64)
    /// An event for every app (including the sender), handled before the runtime sends anything.
    case announce(ControllerEvent)
}

/// A controller app in the faucet style: a value that takes an event and the current time and
/// returns commands. It never touches a socket or a clock, so tests drive it with made-up
/// events and explicit times, and the same app runs under a virtual clock.
public protocol ControllerApp: Sendable {
    mutating func handle(_ event: ControllerEvent, now: NIODeadline) -> [ControllerCommand]
}

extension ControllerApp {
    /// Feeds `events` in order (all at `now`); returns every command.
    public mutating func handle(_ events: [ControllerEvent], now: NIODeadline) -> [ControllerCommand] {
        events.flatMap { handle($0, now: now) }
    }
}
