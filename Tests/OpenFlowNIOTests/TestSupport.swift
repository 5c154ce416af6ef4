import Foundation
import NIOCore
import NIOPosix
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Testing

/// A thread-safe list, for things recorded on event loops and read by tests.
final class Recorder<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Element] = []

    func append(_ item: Element) { lock.withLock { items.append(item) } }
    var all: [Element] { lock.withLock { items } }

    /// Waits until an element satisfies `predicate`, polling; fails after `timeout`.
    func first(
        timeout: Duration = .seconds(10), _ what: String = "element", sourceLocation: SourceLocation = #_sourceLocation,
        where predicate: (Element) -> Bool
    ) async throws -> Element {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            if let hit = all.first(where: predicate) { return hit }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("timed out after \(timeout) waiting for \(what); have \(all)", sourceLocation: sourceLocation)
        throw TestTimeout(what: what)
    }
}

struct TestTimeout: Error, CustomStringConvertible {
    var what: String
    var description: String { "timed out waiting for \(what)" }
}

/// A logger that keeps its lines, so tests can check that a close reason was logged.
final class RecordingLogger: OpenFlowLogger {
    let lines = Recorder<String>()
    func log(_ level: OpenFlowLogLevel, _ message: String) { lines.append("\(level): \(message)") }
}

/// Collects a server's events as they happen.
func record(_ server: OpenFlowServer) -> Recorder<OpenFlowServer.Event> {
    let recorder = Recorder<OpenFlowServer.Event>()
    Task {
        for await event in server.events { recorder.append(event) }
    }
    return recorder
}

func port(_ number: UInt32, _ name: String) -> SwitchPort {
    SwitchPort(number: number, name: name, hardwareAddress: MACAddress(rawValue: 0x0200_0000_0000 | UInt64(number)))
}

/// A well-behaved switch over TCP, driven by ``OpenFlowSwitchStateMachine``; what the state
/// machine does not answer itself is recorded in ``received``.
final class ScriptedSwitch: Sendable {
    let channel: any Channel
    let received: Recorder<OpenFlowMessage>

    private init(channel: any Channel, received: Recorder<OpenFlowMessage>) {
        self.channel = channel
        self.received = received
    }

    static func connect(
        host: String = "127.0.0.1", port: Int, configuration: OpenFlowSwitchStateMachine.Configuration
    ) async throws -> ScriptedSwitch {
        let received = Recorder<OpenFlowMessage>()
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(OpenFlowFrameDecoder()),
                        MessageToByteHandler(OpenFlowFrameEncoder()),
                        Handler(configuration: configuration, received: received),
                    ])
                }
            }
            .connect(host: host, port: port).get()
        return ScriptedSwitch(channel: channel, received: received)
    }

    func send(_ message: OpenFlowMessage) async throws {
        try await channel.writeAndFlush(message)
    }

    func close() async {
        try? await channel.close()
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = OpenFlowMessage
        typealias OutboundOut = OpenFlowMessage
        var machine: OpenFlowSwitchStateMachine
        let received: Recorder<OpenFlowMessage>

        init(configuration: OpenFlowSwitchStateMachine.Configuration, received: Recorder<OpenFlowMessage>) {
            self.machine = OpenFlowSwitchStateMachine(configuration: configuration)
            self.received = received
        }

        func channelActive(context: ChannelHandlerContext) {
            perform(machine.connected(), context: context)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            perform(machine.received(Self.unwrapInboundIn(data)), context: context)
        }

        func perform(_ action: OpenFlowSwitchStateMachine.Action, context: ChannelHandlerContext) {
            switch action {
            case .none: break
            case .send(let messages):
                for m in messages { context.write(Self.wrapOutboundOut(m), promise: nil) }
                context.flush()
            case .deliver(let message): received.append(message)
            case .close(_, let messages):
                for m in messages { context.write(Self.wrapOutboundOut(m), promise: nil) }
                context.flush()
                context.close(promise: nil)
            }
        }
    }
}

/// A TCP peer that sends raw bytes and records nothing: the misbehaving kind.
func connectRaw(port: Int) async throws -> any Channel {
    try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
}

/// Connects and returns the channel with its local address, read on the event loop as the
/// connection completes: on a loaded machine the server may already have closed the
/// connection (its handshake timeout) by the time the test reads it, and a closed channel has
/// no local address.
func connectRawNamed(port: Int) async throws -> (channel: any Channel, name: String) {
    try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(host: "127.0.0.1", port: port)
        .map { channel in (channel, channel.localAddress.map { "\($0)" } ?? "unknown") }
        .get()
}

/// Waits for `future` at most `timeout`.
func wait(_ future: EventLoopFuture<Void>, timeout: Duration, _ what: String) async throws {
    let done = Recorder<Bool>()
    future.whenComplete { _ in done.append(true) }
    _ = try await done.first(timeout: timeout, what) { $0 }
}

func bytes(_ hex: String) -> ByteBuffer {
    var buffer = ByteBuffer()
    var digits = hex.filter(\.isHexDigit).makeIterator()
    while let high = digits.next(), let low = digits.next() {
        buffer.writeInteger(UInt8(String([high, low]), radix: 16)!)
    }
    return buffer
}
