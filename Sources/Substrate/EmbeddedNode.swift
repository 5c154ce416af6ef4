import NIOCore

/// Something a link plugs into: a switch (one port per link) or a host (its one interface,
/// port 0). Frames and link state changes arrive on the clock's thread at the clock's `now`.
public protocol EmbeddedNode: AnyObject {
    var name: String { get }
    /// A frame arrives on `port` at the clock's current time.
    func receive(frame: ByteBuffer, port: UInt32)
    /// `link` is plugged into `port`; frames sent out of the port go to `link` from `side`.
    func attach(_ link: EmbeddedLink, side: EmbeddedLink.Side, port: UInt32)
    /// The link on `port` went up or down.
    func linkStateChanged(port: UInt32, isUp: Bool)
}
