import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import OpenFlow

/// An OpenFlow controller's listening side: accepts switch connections on TCP (port 6653 by
/// default, the IANA port of spec 1.3.5 §6.3.1) or on a Unix domain socket (Open vSwitch's
/// `unix:` controller target), runs one ``OpenFlowControllerHandler`` per connection, and
/// reports what happens as ``Event``s in ``events``.
///
/// Each connection is independent: a malformed message, a version mismatch, a flood or a
/// failed TLS handshake closes that one connection with a logged ``OpenFlowCloseReason`` and
/// nothing else. TLS with mutual authentication is chosen per listener (``OpenFlowTLSConfiguration``;
/// Open vSwitch: `set-ssl KEY CERT CA` and a `ssl:HOST:PORT` controller target).
public final class OpenFlowServer: Sendable {
    /// The IANA-assigned OpenFlow port.
    public static let defaultPort = 6653

    public enum Event: Sendable {
        /// A switch completed the handshake.
        case switchConnected(DatapathInfo, OpenFlowConnection)
        /// A message from a connected switch (not consumed as a reply to a request).
        case message(datapathID: UInt64, OpenFlowMessage)
        /// A switch that was up disconnected.
        case switchDisconnected(datapathID: UInt64, reason: OpenFlowCloseReason)
        /// A connection closed before the switch came up (a failed handshake, garbage, ...).
        case connectionRejected(peer: String, reason: OpenFlowCloseReason)
    }

    /// Every event of every connection, in the order each connection produced them.
    public let events: AsyncStream<Event>
    private let continuation: AsyncStream<Event>.Continuation
    private let group: any EventLoopGroup
    private let configuration: OpenFlowConnectionStateMachine.Configuration
    private let logger: any OpenFlowLogger
    private let inlineApp: (any OpenFlowInlineApp)?
    private let channels = NIOLockedValueBox(Channels())

    private struct Channels {
        var listeners: [any Channel] = []
        var connections: [ObjectIdentifier: any Channel] = [:]
    }

    public init(
        configuration: OpenFlowConnectionStateMachine.Configuration = .init(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: any OpenFlowLogger = PrintOpenFlowLogger(),
        inlineApp: (any OpenFlowInlineApp)? = nil
    ) {
        self.configuration = configuration
        self.group = group
        self.logger = logger
        self.inlineApp = inlineApp
        (events, continuation) = AsyncStream.makeStream(of: Event.self)
    }

    /// Listens on `host`:`port`; returns the bound port (useful with port 0). Defaults to
    /// loopback: listening on every interface is a decision for the caller.
    ///
    /// With `tls`, every connection starts with a TLS handshake in which the switch must
    /// present a certificate signed by one of `tls`'s trusted CAs (unless its peer verification
    /// is `.none`); a failed handshake closes that connection only, reported as
    /// ``Event/connectionRejected(peer:reason:)`` with ``OpenFlowCloseReason/tls(_:)``.
    @discardableResult
    public func bind(
        host: String = "127.0.0.1", port: Int = OpenFlowServer.defaultPort, tls: OpenFlowTLSConfiguration? = nil
    ) async throws -> Int {
        let channel = try await bootstrap(tcp: true, tls: tls).bind(host: host, port: port).get()
        channels.withLockedValue { $0.listeners.append(channel) }
        let address = channel.localAddress.map { "\($0)" } ?? "\(host):\(port)"
        logger.log(.info, "OpenFlow server listening on \(address)\(tls == nil ? "" : " (TLS)")")
        return channel.localAddress?.port ?? port
    }

    /// Listens on a Unix domain socket at `path` (Open vSwitch: `set-controller br unix:PATH`),
    /// with `tls` as in ``bind(host:port:tls:)``.
    public func bind(unixDomainSocketPath path: String, tls: OpenFlowTLSConfiguration? = nil) async throws {
        let channel = try await bootstrap(tcp: false, tls: tls)
            .bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
        channels.withLockedValue { $0.listeners.append(channel) }
        logger.log(.info, "OpenFlow server listening on unix:\(path)\(tls == nil ? "" : " (TLS)")")
    }

    /// Stops listening, closes every connection, and finishes ``events``.
    public func close() async {
        let all = channels.withLockedValue { state in
            let all = state.listeners + Array(state.connections.values)
            state.listeners = []
            state.connections = [:]
            return all
        }
        for channel in all {
            try? await channel.close()
        }
        for channel in all {
            try? await channel.closeFuture.get()
        }
        continuation.finish()
    }

    private func bootstrap(tcp: Bool, tls: OpenFlowTLSConfiguration?) -> ServerBootstrap {
        var bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        if tcp {
            // Small control messages must not wait for Nagle's algorithm.
            bootstrap = bootstrap.childChannelOption(.socketOption(.tcp_nodelay), value: 1)
        }
        return bootstrap.childChannelInitializer { [self] channel in
            let id = ObjectIdentifier(channel)
            channels.withLockedValue { $0.connections[id] = channel }
            channel.closeFuture.whenComplete { [self] _ in
                _ = channels.withLockedValue { $0.connections.removeValue(forKey: id) }
            }
            let continuation = self.continuation
            return channel.eventLoop.makeCompletedFuture {
                if let tls { try channel.pipeline.syncOperations.addHandler(tls.makeServerHandler()) }
                try channel.pipeline.syncOperations.addHandlers([
                    OpenFlowControllerHandler(configuration: configuration, logger: logger, inlineApp: inlineApp) { event in
                        switch event {
                        case .connected(let connection):
                            continuation.yield(.switchConnected(connection.datapath, connection))
                        case .message(let datapathID, let message):
                            continuation.yield(.message(datapathID: datapathID, message))
                        case .disconnected(let datapathID?, _, let reason):
                            continuation.yield(.switchDisconnected(datapathID: datapathID, reason: reason))
                        case .disconnected(nil, let peer, let reason):
                            continuation.yield(.connectionRejected(peer: peer, reason: reason))
                        }
                    },
                ])
            }
        }
    }
}
