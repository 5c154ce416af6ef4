import NIOCore
import OpenFlow

/// The OpenFlow channel between an ``EmbeddedSwitch`` and an ``EmbeddedController``, in
/// process: messages are passed as values (never encoded), each direction in order, after
/// ``latency``. The in-process counterpart of a TCP connection.
public final class ControlChannel {
    public let clock: any SubstrateClock
    /// One-way delay of every message.
    public let latency: TimeAmount
    public let datapathID: UInt64
    unowned let switchEnd: EmbeddedSwitch
    unowned let controllerEnd: EmbeddedController
    public private(set) var isOpen = true
    /// Messages carried, per direction.
    public private(set) var messagesToSwitch: UInt64 = 0
    public private(set) var messagesToController: UInt64 = 0
    var trace: EventTrace?

    init(switch sw: EmbeddedSwitch, controller: EmbeddedController, latency: TimeAmount, clock: any SubstrateClock) {
        self.switchEnd = sw
        self.controllerEnd = controller
        self.latency = latency
        self.clock = clock
        self.datapathID = sw.datapathID
    }

    func sendToSwitch(_ message: OF13.Message, xid: UInt32) {
        guard isOpen else { return }
        messagesToSwitch += 1
        trace?.record(clock.now, "ctl->\(switchEnd.name) \(message.typeName) xid=\(xid)")
        clock.schedule(after: latency) { [self] in
            guard isOpen else { return }
            switchEnd.receiveFromController(message, xid: xid)
        }
    }

    func sendToController(_ message: OF13.Message, xid: UInt32) {
        guard isOpen else { return }
        messagesToController += 1
        trace?.record(clock.now, "\(switchEnd.name)->ctl \(message.typeName) xid=\(xid)")
        clock.schedule(after: latency) { [self] in
            guard isOpen else { return }
            controllerEnd.receive(message, xid: xid, from: self)
        }
    }

    /// Closes the channel: messages in flight are lost and the controller sees the switch go
    /// down.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        if switchEnd.channel === self { switchEnd.channel = nil }
        controllerEnd.closed(self)
    }
}
