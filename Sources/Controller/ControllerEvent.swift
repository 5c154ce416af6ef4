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
