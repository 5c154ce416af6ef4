import NIOCore

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
