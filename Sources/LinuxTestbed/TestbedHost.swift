import Foundation

/// A host of a testbed: its own network namespace with one interface (`eth0`) cabled to a
/// bridge port. Commands run inside its namespace with `ip netns exec`.
public struct TestbedHost: Sendable, CustomStringConvertible {
    public let name: String
    public let namespace: String
    public let interface: String
    /// The IPv4 address, without prefix length ("10.0.0.1").
    public let ip: String
    public let prefixLength: Int
    public let mac: String
    /// The bridge and port it is attached to.
    public let bridge: String
    public let port: UInt16
    let context: Context

    init(
        name: String, namespace: String, interface: String, ip: String, prefixLength: Int, mac: String,
        bridge: String, port: UInt16, context: Context
    ) {
        self.name = name
        self.namespace = namespace
        self.interface = interface
        self.ip = ip
        self.prefixLength = prefixLength
        self.mac = mac
        self.bridge = bridge
        self.port = port
        self.context = context
    }

    public var description: String { "\(name) (\(ip), \(mac), on \(bridge):\(port))" }

    /// Runs a command inside the host's namespace (`command[0]` is looked up on PATH) and
    /// returns its status and output whatever the status; kills it after `timeout` seconds.
    public func run(_ command: [String], timeout: Double = 30) throws -> CommandResult {
        try context.run(wrap(command), timeout: timeout)
    }

    /// Runs a command inside the host's namespace and returns its stdout; throws
    /// `TestbedError.commandFailed` (command line, status, stderr) unless it exits with 0.
    @discardableResult
    public func exec(_ command: [String], timeout: Double = 30) throws -> String {
        try run(command, timeout: timeout).check().stdout
    }

    /// `exec` with variadic arguments.
    @discardableResult
    public func exec(_ command: String...) throws -> String { try exec(command) }

    /// Starts a command inside the host's namespace in the background; the testbed stops it
    /// on tear-down if it still runs.
    public func spawn(_ command: [String]) throws -> BackgroundProcess {
        try context.spawn(wrap(command))
    }

    /// Sends `count` ICMP echo requests to `destination`, one every `interval` seconds, each
    /// waiting up to `wait` seconds for its reply (python3's raw socket; no `ping` needed).
    public func ping(_ destination: String, count: Int = 3, interval: Double = 0.2, wait: Double = 2) throws -> PingResult {
        guard count > 0 else { throw TestbedError.invalidArgument("ping count must be positive") }
        let python = try Tools.python3()
        let line = try exec(
            [python, "-c", Scripts.ping, destination, String(count), String(interval), String(wait)],
            timeout: Double(count) * (interval + wait) + 10)
        let fields = line.split(whereSeparator: \.isWhitespace)
        guard fields.count >= 4, fields[0] == "transmitted", let sent = Int(fields[1]), let got = Int(fields[3]) else {
            throw TestbedError.invalidArgument("unexpected ping helper output: \(line)")
        }
        let rtts = fields.count >= 6 ? fields[5].split(separator: ",").compactMap { Double($0) } : []
        return PingResult(transmitted: sent, received: got, roundTripMilliseconds: rtts)
    }

    /// Starts a UDP receiver on `port` (bound to `address`, by default all) and returns once
    /// it is bound. It stops after `count` datagrams (0: no limit) or `idleTimeout` seconds
    /// without one.
    public func startUDPReceiver(port: Int, count: Int = 1, idleTimeout: Double = 5, address: String = "0.0.0.0") throws
        -> UDPReceiver
    {
        let python = try Tools.python3()
        let process = try spawn([python, "-c", Scripts.udpReceive, address, String(port), String(count), String(idleTimeout)])
        try process.waitForOutput(containing: "ready\n", timeout: 10)
        return UDPReceiver(process: process)
    }

    /// Sends `count` UDP datagrams with `payload` to `destination`:`port`, `interval` seconds
    /// apart, from `sourcePort` (0: any).
    public func sendUDP(
        to destination: String, port: Int, payload: [UInt8], count: Int = 1, interval: Double = 0, sourcePort: Int = 0
    ) throws {
        let python = try Tools.python3()
        let hex = payload.map { String(format: "%02x", $0) }.joined()
        try exec(
            [python, "-c", Scripts.udpSend, destination, String(port), hex, String(count), String(interval), String(sourcePort)],
            timeout: Double(count) * interval + 30)
    }

    /// `sendUDP` with a text payload.
    public func sendUDP(to destination: String, port: Int, text: String, count: Int = 1, interval: Double = 0) throws {
        try sendUDP(to: destination, port: port, payload: Array(text.utf8), count: count, interval: interval)
    }

    private func wrap(_ command: [String]) -> [String] {
        [context.tools.ip, "netns", "exec", namespace] + command
    }
}

/// A UDP receiver running in a host (see `TestbedHost.startUDPReceiver`).
public struct UDPReceiver: Sendable {
    public let process: BackgroundProcess

    /// The datagrams received so far.
    public func received() -> [UDPDatagram] { Self.parse(process.output()) }

    /// Waits until the receiver has stopped (its count reached, or its idle timeout) and
    /// returns what it got.
    public func wait(timeout: Double = 60) throws -> [UDPDatagram] {
        let result = try process.waitForExit(timeout: timeout).check()
        return Self.parse(result.stdout)
    }

    /// Stops the receiver now and returns what it got.
    public func stop() -> [UDPDatagram] {
        process.terminate(grace: 0.2)
        return received()
    }

    static func parse(_ text: String) -> [UDPDatagram] {
        text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 4, fields[0] == "from", let port = Int(fields[2]) else { return nil }
            var bytes: [UInt8] = []
            var index = fields[3].startIndex
            while index < fields[3].endIndex {
                let next = fields[3].index(index, offsetBy: 2, limitedBy: fields[3].endIndex) ?? fields[3].endIndex
                guard let byte = UInt8(fields[3][index..<next], radix: 16) else { return nil }
                bytes.append(byte)
                index = next
            }
            return UDPDatagram(sourceAddress: String(fields[1]), sourcePort: port, payload: bytes)
        }
    }
}
