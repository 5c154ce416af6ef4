import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A network of Open vSwitch userspace bridges and hosts on this machine, made of network
/// namespaces and veth pairs, torn down by pid and by name afterwards.
///
/// Layout (all names carry the testbed's unique `prefix`, e.g. `vt3fa9c1`):
/// - a private run directory `/tmp/vnm-<prefix>-<name>/` with the OVS database, sockets, pid
///   files and logs (`ovsdb.log`, `vswitchd.log`);
/// - one *switch namespace* `<prefix>-ovs` in which `ovsdb-server` and `ovs-vswitchd` run and
///   every bridge-to-bridge veth lives (only one userspace vswitchd works per namespace, so
///   each testbed has its own and testbeds run in parallel without meeting);
/// - one namespace `<prefix>-<host>` per host, joined to its bridge by a veth pair.
/// Nothing is made in the root namespace except, on request, the controller route
/// (`enableControllerRoute()`), whose root end is named `<prefix>c`.
///
/// ```swift
/// let testbed = try Testbed(name: "diamond")
/// defer { testbed.tearDown() }
/// try testbed.startOpenVSwitch()
/// let s1 = try testbed.addBridge("s1", datapathID: 1)
/// let s2 = try testbed.addBridge("s2", datapathID: 2)
/// try testbed.link(s1, port: 2, to: s2, port: 1)
/// let h1 = try testbed.addHost("h1", ip: "10.0.0.1/24", attachedTo: s1, port: 1)
/// try testbed.setController(s1, target: "unix:" + testbed.controllerSocketPath("c0"))
/// try testbed.ofctl(s1, "add-flow", "in_port=1,actions=output:2")
/// ```
///
/// **Tear-down.** Call `tearDown()` when done, normally with `defer` right after making the
/// testbed, or use `withTestbed(name:_:)`, which does it for you. It is idempotent, never
/// throws, and is safe after a half-finished setup: every namespace, link and background
/// process is written to a state file in the run directory *before* it is made. Should the
/// test process die without it (a crash, `fatalError`, a kill), a small watchdog process
/// started with the testbed notices within a second and does the same clean-up from those
/// state files; and a testbed that is released without `tearDown()` tears itself down.
/// Tear-down only ever touches what this testbed made: processes inside its own namespaces or
/// recorded by pid and start time, its own namespaces and links, its own run directory.
///
/// **Controllers.** The switch namespace's `127.0.0.1` is not the test's. Point bridges either
/// at `unix:<path>` with the path inside the run directory (Open vSwitch refuses unix
/// controller sockets elsewhere; `controllerSocketPath(_:)` gives one; the test's controller
/// listens there, e.g. NIO's `ServerBootstrap.bind(unixDomainSocketPath:)`), or at
/// `tcp:<addr>:<port>` over `enableControllerRoute()`. Giving a bridge its first controller
/// flushes its flows: set the controller first, then install flows.
///
/// The methods block (they run programs) and may be called from any thread or task.
public final class Testbed: @unchecked Sendable {
    /// The name given at creation (part of the run directory's name).
    public let name: String
    /// The unique prefix of every namespace and root-namespace interface of this testbed.
    public let prefix: String
    /// The private run directory (database, sockets, pid files, logs).
    public let runDirectory: String
    /// The namespace where `ovs-vswitchd` runs and the bridges' ports live.
    public let switchNamespace: String

    let context: Context
    private let lock = NSRecursiveLock()
    private var watchdog: BackgroundProcess?
    private var started = false
    private var bridges: [String: Bridge] = [:]
    /// Cabling by bridge name: ofport → interface in the switch namespace. Kept when a bridge
    /// is deleted, so re-adding it plugs its cables back in.
    private var ports: [String: [UInt16: String]] = [:]
    private var links: [Link] = []
    private var hosts: [String: TestbedHost] = [:]
    private var route: ControllerRoute?
    private var version: String?
    private var problems: [String] = []

    /// Seconds each step may take before it counts as failed (generous: machines are shared).
    public var timeout: Double {
        get { locked { stepTimeout } }
        set { locked { stepTimeout = newValue } }
    }
    private var stepTimeout: Double = 30

    /// Makes the run directory and the watchdog; checks root and the needed programs.
    /// Throws a `TestbedError` that says what to install when something is missing.
    /// - Parameter name: a short label (letters, digits, `-`, `_`; at most 24).
    public convenience init(name: String = "testbed") throws {
        try self.init(name: name, watchedProcess: getpid())
    }

    /// `watchedProcess`: the process whose end makes the watchdog clean up (tests use a
    /// stand-in to check the watchdog).
    init(name: String, watchedProcess: Int32) throws {
        guard !name.isEmpty, name.count <= 24, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else {
            throw TestbedError.invalidArgument("testbed name \"\(name)\": use 1–24 ASCII letters, digits, - or _")
        }
        guard geteuid() == 0 else { throw TestbedError.notRoot }
        let tools = try Tools.locateAll()

        var prefix = ""
        var runDirectory = ""
        for _ in 0..<100 {
            prefix = "vt" + String(format: "%06x", UInt32.random(in: 0..<0x100_0000))
            runDirectory = "/tmp/vnm-\(prefix)-\(name)"
            if !FileManager.default.fileExists(atPath: "/run/netns/\(prefix)-ovs")
                && !FileManager.default.fileExists(atPath: runDirectory)
                && !FileManager.default.fileExists(atPath: "/sys/class/net/\(prefix)c")
            {
                break
            }
        }
        self.name = name
        self.prefix = prefix
        self.runDirectory = runDirectory
        self.switchNamespace = prefix + "-ovs"
        self.context = Context(prefix: prefix, runDirectory: runDirectory, tools: tools)

        do {
            try FileManager.default.createDirectory(
                atPath: runDirectory + "/out", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            for file in ["namespaces", "links", "pids"] {
                guard FileManager.default.createFile(atPath: runDirectory + "/" + file, contents: nil) else {
                    throw TestbedError.invalidArgument("cannot create \(runDirectory)/\(file)")
                }
            }
            watchdog = try BackgroundProcess.start(
                [tools.sh, "-c", Scripts.watchdog, "vnm-testbed-watchdog", String(watchedProcess), runDirectory, tools.ip],
                environment: context.environment, scratch: context.scratch)
        } catch {
            tearDown()
            throw error
        }
    }

    deinit {
        tearDown()
    }

    /// Runs `body` with a fresh testbed and tears it down afterwards, whether `body` returns or
    /// throws.
    public static func withTestbed<T>(name: String = "testbed", _ body: (Testbed) throws -> T) throws -> T {
        let testbed = try Testbed(name: name)
        defer { testbed.tearDown() }
        return try body(testbed)
    }

    /// The async form of `withTestbed`, for tests that run a controller alongside.
    public static func withTestbed<T>(
        name: String = "testbed", isolation: isolated (any Actor)? = #isolation, _ body: (Testbed) async throws -> T
    ) async throws -> T {
        let testbed = try Testbed(name: name)
        defer { testbed.tearDown() }
        return try await body(testbed)
    }

    // MARK: Open vSwitch

    /// The `ovs-vswitchd --version` number, e.g. "3.1.0", once Open vSwitch is started.
    public var openVSwitchVersion: String? { locked { version } }

    /// The database socket, for `ovs-vsctl --db=unix:<this>` by hand.
    public var databaseSocket: String { runDirectory + "/db.sock" }

    /// Creates the switch namespace and starts `ovsdb-server` and `ovs-vswitchd` in it, then
    /// waits until `ovs-vswitchd` has applied a configuration change (so it is really ready).
    public func startOpenVSwitch() throws {
        try locked {
            try context.ensureLive()
            guard !started else { return }
            let tools = context.tools
            let dir = runDirectory
            try addNamespace(switchNamespace)
            // The switch namespace speaks no IPv6, so no router solicitations or MLD reports
            // leave through its veths into the bridges.
            try quietIPv6(in: switchNamespace)
            try context.check([tools.ovsdbTool, "create", dir + "/conf.db", tools.schema])
            // The daemons run in the foreground as our own children (no --detach), so they
            // are reaped here on tear-down and never linger as orphans or zombies.
            let database = try context.spawn(
                inNamespace(switchNamespace, [
                    tools.ovsdbServer, dir + "/conf.db", "--remote=punix:" + databaseSocket,
                    "--pidfile=" + dir + "/ovsdb-server.pid", "--unixctl=" + dir + "/ovsdb-server.ctl",
                    "--log-file=" + dir + "/ovsdb.log", "-vconsole:off", "--no-chdir",
                ]))
            try waitFor("ovsdb-server's socket \(databaseSocket)", log: "ovsdb.log", daemon: database) {
                FileManager.default.fileExists(atPath: databaseSocket)
            }
            try vsctl(["--no-wait", "init"])
            let switchd = try context.spawn(
                inNamespace(switchNamespace, [
                    tools.ovsVswitchd, "unix:" + databaseSocket,
                    "--pidfile=" + dir + "/ovs-vswitchd.pid", "--unixctl=" + dir + "/ovs-vswitchd.ctl",
                    "--log-file=" + dir + "/vswitchd.log", "-vconsole:off", "--no-chdir",
                ]))
            try waitFor("ovs-vswitchd (ovs-vsctl --timeout=5 show)", log: "vswitchd.log", daemon: switchd) {
                (try? context.run([tools.ovsVsctl, "--db=unix:" + databaseSocket, "--timeout=5", "show"], timeout: 10))?
                    .succeeded ?? false
            }
            try waitFor("ovs-vswitchd's pid file", log: "vswitchd.log", daemon: switchd) {
                readPID("ovs-vswitchd.pid") == switchd.pid && readPID("ovsdb-server.pid") == database.pid
            }
            // A change that vsctl waits for until ovs-vswitchd has applied it.
            try vsctl(["set", "Open_vSwitch", ".", "external_ids:vnm-testbed=" + prefix])
            let line = try context.check([tools.ovsVswitchd, "--version"]).stdout
            version = line.split(separator: "\n").first?.split(separator: " ").last.map(String.init)
            started = true
        }
    }

    /// Runs `ovs-vsctl --db=<this testbed's db> --timeout=<timeout> ARGS`; returns its stdout.
    @discardableResult
    public func vsctl(_ arguments: [String]) throws -> String {
        try context.check(
            [context.tools.ovsVsctl, "--db=unix:" + databaseSocket, "--timeout=\(Int(timeout))"] + arguments,
            timeout: timeout + 5
        ).stdout
    }

    /// `vsctl` with variadic arguments.
    @discardableResult
    public func vsctl(_ arguments: String...) throws -> String { try vsctl(arguments) }

    // MARK: Bridges

    /// Adds a bridge on the userspace datapath (`datapath_type=netdev`), `fail_mode=secure`
    /// (no flows until someone installs them), in-band control off, with the given datapath ID
    /// and OpenFlow versions. `options` are extra `column=value` settings of the Bridge record
    /// (e.g. `["other_config:mac-aging-time": "10"]`). If a bridge of this name was deleted
    /// before, its ports are plugged back in with their old numbers.
    @discardableResult
    public func addBridge(
        _ name: String, datapathID: UInt64, protocols: [OpenFlowProtocol] = [.openFlow13, .openFlow10],
        failMode: String = "secure", options: [String: String] = [:]
    ) throws -> Bridge {
        try locked {
            try requireStarted()
            try Self.validateInterfaceName(name, what: "bridge name")
            guard bridges[name] == nil else { throw TestbedError.invalidArgument("bridge \(name) already exists") }
            guard !protocols.isEmpty else { throw TestbedError.invalidArgument("bridge \(name): no OpenFlow versions given") }
            let bridge = Bridge(
                name: name, datapathID: datapathID, protocols: protocols,
                managementSocket: runDirectory + "/" + name + ".mgmt")
            var settings = [
                "datapath_type=netdev",
                "protocols=" + protocols.map(\.rawValue).joined(separator: ","),
                "fail_mode=" + failMode,
                "other_config:datapath-id=" + bridge.datapathIDHex,
                "other_config:disable-in-band=true",
            ]
            settings += options.sorted(by: { $0.key < $1.key }).map { "\($0.key)=\($0.value)" }
            try vsctl(["--", "add-br", name, "--", "set", "bridge", name] + settings)
            bridges[name] = bridge
            try waitFor("bridge \(name)'s management socket", log: "vswitchd.log") {
                FileManager.default.fileExists(atPath: bridge.managementSocket)
            }
            let id = try vsctl(["get", "bridge", name, "datapath_id"])
                .trimmingCharacters(in: CharacterSet(charactersIn: "\"\n "))
            guard id == bridge.datapathIDHex else {
                throw TestbedError.notReady(
                    what: "bridge \(name) (datapath_id is \"\(id)\", expected \(bridge.datapathIDHex))", seconds: 0,
                    detail: logTail("vswitchd.log"))
            }
            for (port, interface) in (ports[name] ?? [:]).sorted(by: { $0.key < $1.key }) {
                try plug(interface, into: name, port: port)
            }
            return bridge
        }
    }

    /// Deletes a bridge from Open vSwitch (its flows and controller go with it). Its cables
    /// stay: `addBridge` with the same name plugs them back in, like a switch reboot.
    public func deleteBridge(_ bridge: Bridge) throws {
        try locked {
            try requireStarted()
            guard bridges[bridge.name] != nil else { throw TestbedError.invalidArgument("no bridge \(bridge.name)") }
            try vsctl(["del-br", bridge.name])
            bridges[bridge.name] = nil
        }
    }

    /// The bridges that exist now.
    public var allBridges: [Bridge] { locked { bridges.values.sorted { $0.name < $1.name } } }

    /// Connects `a`'s port `port` to `b`'s port `otherPort` with a veth pair in the switch
    /// namespace (interfaces `<a>-<port>` and `<b>-<otherPort>`), both ends up, TX checksum
    /// offload off, each plugged in with `ofport_request`.
    @discardableResult
    public func link(_ a: Bridge, port: UInt16, to b: Bridge, port otherPort: UInt16) throws -> Link {
        try locked {
            try requireStarted()
            let aName = try freePort(a, port)
            let bName = try freePort(b, otherPort)
            guard aName != bName else { throw TestbedError.invalidArgument("cannot link \(aName) to itself") }
            let ip = context.tools.ip
            try context.check([ip, "-n", switchNamespace, "link", "add", aName, "type", "veth", "peer", "name", bName])
            for interface in [aName, bName] {
                try context.check([ip, "-n", switchNamespace, "link", "set", interface, "up"])
                try txOffloadOff(interface, in: switchNamespace)
            }
            ports[a.name, default: [:]][port] = aName
            ports[b.name, default: [:]][otherPort] = bName
            try plug(aName, into: a.name, port: port)
            try plug(bName, into: b.name, port: otherPort)
            let link = Link(a: a.name, aPort: port, b: b.name, bPort: otherPort, aInterface: aName, bInterface: bName)
            links.append(link)
            return link
        }
    }

    /// Sets a bridge port's cable administratively up or down (both veth ends), e.g. to fail
    /// a link.
    public func setPort(_ bridge: Bridge, _ port: UInt16, up: Bool) throws {
        try locked {
            guard let interface = ports[bridge.name]?[port] else {
                throw TestbedError.invalidArgument("bridge \(bridge.name) has no port \(port)")
            }
            try context.check([context.tools.ip, "-n", switchNamespace, "link", "set", interface, up ? "up" : "down"])
        }
    }

    /// The cables made with `link`.
    public var allLinks: [Link] { locked { links } }

    // MARK: Hosts

    /// Adds a host: its own namespace `<prefix>-<name>` with interface `eth0` (address `ip`,
    /// e.g. "10.0.0.1/24", and `mac`, by default 02:00:00:00:NN:NN from the host's number),
    /// TX checksum offload off (else UDP crosses the userspace datapath with a partial checksum
    /// and the receiver drops it), IPv6 off, loopback up; the other end of its veth is
    /// `<bridge>-<port>` in the switch namespace, plugged into `bridge` as `port`.
    @discardableResult
    public func addHost(
        _ name: String, ip: String, mac: String? = nil, attachedTo bridge: Bridge, port: UInt16
    ) throws -> TestbedHost {
        try locked {
            try requireStarted()
            guard !name.isEmpty, name.count <= 32, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            else { throw TestbedError.invalidArgument("host name \"\(name)\": use 1–32 ASCII letters, digits, - or _") }
            guard hosts[name] == nil else { throw TestbedError.invalidArgument("host \(name) already exists") }
            let (address, prefixLength) = try Self.parseCIDR(ip)
            let number = hosts.count + 1
            let mac = mac ?? String(format: "02:00:00:00:%02x:%02x", (number >> 8) & 0xff, number & 0xff)
            guard Self.isMAC(mac) else { throw TestbedError.invalidArgument("host \(name): \"\(mac)\" is not a MAC address") }
            let switchSide = try freePort(bridge, port)
            let namespace = prefix + "-" + name
            let tools = context.tools
            try addNamespace(namespace)
            try quietIPv6(in: namespace)
            try context.check([
                tools.ip, "-n", switchNamespace, "link", "add", switchSide, "type", "veth",
                "peer", "name", "eth0", "netns", namespace,
            ])
            ports[bridge.name, default: [:]][port] = switchSide
            try context.check([tools.ip, "-n", switchNamespace, "link", "set", switchSide, "up"])
            try txOffloadOff(switchSide, in: switchNamespace)
            try context.check([tools.ip, "-n", namespace, "link", "set", "eth0", "address", mac])
            try context.check([tools.ip, "-n", namespace, "addr", "add", "\(address)/\(prefixLength)", "dev", "eth0"])
            try txOffloadOff("eth0", in: namespace)
            try context.check([tools.ip, "-n", namespace, "link", "set", "lo", "up"])
            try context.check([tools.ip, "-n", namespace, "link", "set", "eth0", "up"])
            try plug(switchSide, into: bridge.name, port: port)
            let host = TestbedHost(
                name: name, namespace: namespace, interface: "eth0", ip: address, prefixLength: prefixLength, mac: mac,
                bridge: bridge.name, port: port, context: context)
            hosts[name] = host
            return host
        }
    }

    /// The hosts made with `addHost`.
    public var allHosts: [TestbedHost] { locked { hosts.values.sorted { $0.name < $1.name } } }

    // MARK: Controllers

    /// A path for a unix controller socket inside the run directory (where Open vSwitch
    /// accepts them): a controller listens there, bridges get `"unix:" + path`.
    public func controllerSocketPath(_ name: String = "controller") -> String {
        runDirectory + "/ctl-" + name + ".sock"
    }

    /// Points a bridge at one or more controllers (`unix:<path in the run directory>`,
    /// `tcp:<addr>:<port>`, `ptcp:`...). Start the controller first: Open vSwitch then connects
    /// within a millisecond, otherwise it backs off for seconds. The first controller flushes
    /// the bridge's flows: install flows after this.
    public func setController(_ bridge: Bridge, targets: [String]) throws {
        try locked {
            try requireBridge(bridge)
            for target in targets where target.hasPrefix("unix:") {
                let path = String(target.dropFirst(5))
                if path.contains("/") && !path.hasPrefix(runDirectory + "/") {
                    throw TestbedError.invalidArgument(
                        "controller target \(target): Open vSwitch only connects to unix sockets inside its run directory "
                            + "\(runDirectory)/; use testbed.controllerSocketPath(_:)")
                }
            }
            try vsctl(["set-controller", bridge.name] + targets)
        }
    }

    /// `setController` with one target.
    public func setController(_ bridge: Bridge, target: String) throws {
        try setController(bridge, targets: [target])
    }

    /// Removes a bridge's controllers (this flushes its flows).
    public func removeController(_ bridge: Bridge) throws {
        try locked {
            try requireBridge(bridge)
            try vsctl(["del-controller", bridge.name])
        }
    }

    /// True if Open vSwitch reports every controller of the bridge connected (after the
    /// OpenFlow handshake), false if one is not or there is none. Open vSwitch writes this to
    /// its database only every few seconds (about 5 s here), so it lags the connection: a
    /// controller's own handshake is the faster signal.
    public func isControllerConnected(_ bridge: Bridge) throws -> Bool {
        try requireBridge(bridge)
        let uuids = try vsctl(["get", "bridge", bridge.name, "controller"])
            .trimmingCharacters(in: CharacterSet(charactersIn: "[]\n "))
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !uuids.isEmpty else { return false }
        for uuid in uuids {
            let connected = try vsctl(["get", "controller", uuid, "is_connected"]).trimmingCharacters(in: .whitespacesAndNewlines)
            if connected != "true" { return false }
        }
        return true
    }

    /// Waits until `isControllerConnected(bridge)` (which lags up to about 5 s), or throws
    /// after `timeout` seconds.
    public func waitForController(_ bridge: Bridge, timeout: Double = 10) throws {
        try waitFor("the controller connection of bridge \(bridge.name)", seconds: timeout, log: "vswitchd.log") {
            (try? isControllerConnected(bridge)) ?? false
        }
    }

    /// Makes (once) the veth pair between the root namespace and the switch namespace that
    /// `tcp:` controller targets travel over, with a /30 out of 198.18.0.0/15 not in use in the
    /// root namespace. A controller in the test process listens on `controllerAddress`.
    @discardableResult
    public func enableControllerRoute() throws -> ControllerRoute {
        try locked {
            try requireStarted()
            if let route { return route }
            let ip = context.tools.ip
            let used = try context.check([ip, "-4", "-o", "addr", "show"]).stdout
            var base: UInt32 = 0
            for _ in 0..<1000 {
                let candidate = (198 << 24) | (18 << 16) | (UInt32.random(in: 0..<(1 << 15)) << 2)
                let network = Self.dotted(candidate).split(separator: ".").prefix(3).joined(separator: ".") + "."
                if !used.contains(" " + network) {
                    base = candidate
                    break
                }
            }
            guard base != 0 else { throw TestbedError.invalidArgument("no free /30 in 198.18.0.0/15 for the controller route") }
            let rootSide = prefix + "c"
            let switchSide = "ctl0"
            try context.appendState("links", rootSide)
            try context.check([ip, "link", "add", rootSide, "type", "veth", "peer", "name", switchSide, "netns", switchNamespace])
            try? "1".write(toFile: "/proc/sys/net/ipv6/conf/\(rootSide)/disable_ipv6", atomically: false, encoding: .utf8)
            try context.check([ip, "addr", "add", Self.dotted(base + 1) + "/30", "dev", rootSide])
            try context.check([ip, "link", "set", rootSide, "up"])
            try context.check([ip, "-n", switchNamespace, "addr", "add", Self.dotted(base + 2) + "/30", "dev", switchSide])
            try context.check([ip, "-n", switchNamespace, "link", "set", switchSide, "up"])
            let made = ControllerRoute(controllerAddress: Self.dotted(base + 1), switchAddress: Self.dotted(base + 2), interface: rootSide)
            route = made
            return made
        }
    }

    // MARK: OpenFlow by hand

    /// Runs `ovs-ofctl -O <bridge's highest version> [options] COMMAND <bridge's mgmt socket>
    /// ARGS` and returns its stdout; throws with the command line, status and stderr on failure.
    /// E.g. `ofctl(s1, "add-flow", "in_port=1,actions=output:2")`, or with
    /// `options: ["--bundle"]`.
    @discardableResult
    public func ofctl(_ bridge: Bridge, _ command: String, _ arguments: [String], options: [String] = []) throws -> String {
        try requireBridge(bridge)
        return try context.check(
            [context.tools.ovsOfctl, "-O", bridge.ofctlProtocol.rawValue] + options + [command, bridge.managementSocket]
                + arguments, timeout: timeout
        ).stdout
    }

    /// `ofctl` with variadic arguments.
    @discardableResult
    public func ofctl(_ bridge: Bridge, _ command: String, _ arguments: String...) throws -> String {
        try ofctl(bridge, command, arguments)
    }

    /// The bridge's flows, one `ovs-ofctl dump-flows` line each (without statistics unless
    /// asked), header lines dropped.
    public func dumpFlows(_ bridge: Bridge, statistics: Bool = false) throws -> [String] {
        let text = try ofctl(bridge, "dump-flows", [], options: statistics ? [] : ["--no-stats"])
        return text.split(separator: "\n")
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("OFPST_FLOW") && !$0.hasPrefix("NXST_FLOW") }
    }

    // MARK: Processes

    /// Runs a command in the switch namespace (where the bridges' ports are); any exit status.
    public func runInSwitchNamespace(_ command: [String], timeout: Double = 30) throws -> CommandResult {
        try context.run(inNamespace(switchNamespace, command), timeout: timeout)
    }

    /// Starts a background process in the root namespace (`command[0]` may be a bare name,
    /// looked up on PATH); tear-down stops it if it still runs.
    public func spawn(_ command: [String]) throws -> BackgroundProcess {
        guard let program = command.first else { throw TestbedError.invalidArgument("empty command") }
        let path = program.hasPrefix("/") ? program : try Tools.locate(program, package: program)
        return try context.spawn([path] + command.dropFirst())
    }

    /// The last lines of a log in the run directory (`vswitchd.log`, `ovsdb.log`).
    public func logTail(_ file: String = "vswitchd.log", lines: Int = 20) -> String {
        guard let data = FileManager.default.contents(atPath: runDirectory + "/" + file) else { return "" }
        let all = String(decoding: data, as: UTF8.self).split(separator: "\n")
        return "last lines of \(runDirectory)/\(file):\n" + all.suffix(lines).joined(separator: "\n")
    }

    /// The pids of this testbed's Open vSwitch daemons that are alive now.
    public var daemonPIDs: [Int32] {
        ["ovs-vswitchd.pid", "ovsdb-server.pid"].compactMap(readPID).filter(Context.isAlive)
    }

    // MARK: Tear-down

    /// Stops everything this testbed started and deletes everything it made: background
    /// processes, every process in its namespaces (the Open vSwitch daemons by their pid files
    /// first: SIGTERM, then SIGKILL), its namespaces, its root-namespace links, its run
    /// directory, its watchdog. Idempotent; never throws; what could not be removed is in
    /// `tearDownProblems` and on stderr.
    public func tearDown() {
        guard context.markTornDown() else { return }
        lock.lock()
        defer { lock.unlock() }
        let ip = context.tools.ip
        let namespaces = context.readState("namespaces")

        // Daemons by pid file, then anything else left inside our namespaces.
        var victims = ["ovs-vswitchd.pid", "ovsdb-server.pid"].compactMap(readPID).filter(Context.isAlive)
        for namespace in namespaces {
            if let pids = try? context.runAlways([ip, "netns", "pids", namespace], timeout: 10).stdout {
                victims += pids.split(separator: "\n").compactMap { Int32($0) }
            }
        }
        for line in context.readState("pids") {
            let fields = line.split(separator: " ")
            if fields.count == 2, let pid = Int32(fields[0]), Context.startTime(of: pid) == String(fields[1]) {
                victims.append(pid)
            }
        }
        victims = Array(Set(victims)).filter { $0 != getpid() }
        terminate(victims)
        // Reap our children (the daemons, background processes); SIGKILL any survivor.
        for process in context.takeBackground().reversed() { process.terminate(grace: 0.5) }

        for namespace in namespaces.reversed() where FileManager.default.fileExists(atPath: "/run/netns/" + namespace) {
            if let result = try? context.runAlways([ip, "netns", "del", namespace], timeout: 10), !result.succeeded {
                problems.append("ip netns del \(namespace): \(result.stderr)")
            }
        }
        for link in context.readState("links") where FileManager.default.fileExists(atPath: "/sys/class/net/" + link) {
            if let result = try? context.runAlways([ip, "link", "del", link], timeout: 10), !result.succeeded,
               FileManager.default.fileExists(atPath: "/sys/class/net/" + link)
            {
                problems.append("ip link del \(link): \(result.stderr)")
            }
        }
        do {
            if FileManager.default.fileExists(atPath: runDirectory) {
                try FileManager.default.removeItem(atPath: runDirectory)
            }
        } catch {
            problems.append("removing \(runDirectory): \(error)")
        }
        watchdog?.terminate(grace: 0.5)
        watchdog = nil
        bridges = [:]
        hosts = [:]
        for problem in problems {
            FileHandle.standardError.write(Data("LinuxTestbed \(prefix) tear-down: \(problem)\n".utf8))
        }
    }

    /// What tear-down could not remove (empty when all went well).
    public var tearDownProblems: [String] { locked { problems } }

    /// Whatever of this testbed still exists: namespaces, root-namespace interfaces with its
    /// prefix, live daemons or background processes, the run directory. Empty after a good
    /// tear-down; tests assert that.
    public func leftovers() -> [String] {
        var found: [String] = []
        let netns = (try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? []
        found += netns.filter { $0.hasPrefix(prefix) }.map { "namespace \($0)" }
        let interfaces = (try? FileManager.default.contentsOfDirectory(atPath: "/sys/class/net")) ?? []
        found += interfaces.filter { $0.hasPrefix(prefix) }.map { "interface \($0)" }
        found += context.livePIDs.map { "process \($0)" }
        if let watchdog, watchdog.isRunning { found.append("watchdog process \(watchdog.pid)") }
        if FileManager.default.fileExists(atPath: runDirectory) { found.append("run directory \(runDirectory)") }
        return found
    }

    // MARK: Internals

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private func requireStarted() throws {
        try context.ensureLive()
        guard started else {
            throw TestbedError.invalidArgument("testbed \(prefix): call startOpenVSwitch() first")
        }
    }

    private func requireBridge(_ bridge: Bridge) throws {
        try locked {
            try requireStarted()
            guard bridges[bridge.name] != nil else {
                throw TestbedError.invalidArgument("testbed \(prefix) has no bridge \(bridge.name) (deleted?)")
            }
        }
    }

    private func inNamespace(_ namespace: String, _ command: [String]) -> [String] {
        [context.tools.ip, "netns", "exec", namespace] + command
    }

    private func addNamespace(_ namespace: String) throws {
        try context.appendState("namespaces", namespace)
        try context.check([context.tools.ip, "netns", "add", namespace])
    }

    private func quietIPv6(in namespace: String) throws {
        try context.check(
            inNamespace(namespace, [
                context.tools.sh, "-c",
                "echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6",
            ]))
    }

    private func txOffloadOff(_ interface: String, in namespace: String) throws {
        try context.check(inNamespace(namespace, [context.tools.ethtool, "-K", interface, "tx", "off"]))
    }

    /// The interface name for `bridge`'s port `port`, after checking the port is free.
    private func freePort(_ bridge: Bridge, _ port: UInt16) throws -> String {
        try requireBridge(bridge)
        guard port >= 1, port < 0xff00 else {
            throw TestbedError.invalidArgument("bridge \(bridge.name): port \(port) is not a usable OpenFlow port number")
        }
        guard ports[bridge.name]?[port] == nil else {
            throw TestbedError.invalidArgument("bridge \(bridge.name): port \(port) is already in use")
        }
        let interface = "\(bridge.name)-\(port)"
        try Self.validateInterfaceName(interface, what: "port interface name")
        return interface
    }

    /// Adds `interface` to `bridge` as OpenFlow port `port` and checks it got that number.
    private func plug(_ interface: String, into bridge: String, port: UInt16) throws {
        try vsctl(["--", "add-port", bridge, interface, "--", "set", "interface", interface, "ofport_request=\(port)"])
        let got = try vsctl(["get", "interface", interface, "ofport"]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard got == String(port) else {
            let error = (try? vsctl(["get", "interface", interface, "error"])) ?? ""
            throw TestbedError.notReady(
                what: "port \(interface) of bridge \(bridge) (ofport is \(got), expected \(port); error: \(error.trimmingCharacters(in: .whitespacesAndNewlines)))",
                seconds: 0, detail: logTail("vswitchd.log"))
        }
    }

    private func readPID(_ file: String) -> Int32? {
        guard let data = FileManager.default.contents(atPath: runDirectory + "/" + file) else { return nil }
        guard let pid = Int32(String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        context.remember(pid)
        return pid
    }

    /// SIGTERM, up to 3 s for them to go, then SIGKILL and up to 2 s more.
    private func terminate(_ pids: [Int32]) {
        guard !pids.isEmpty else { return }
        for pid in pids { context.remember(pid) }
        for pid in pids { kill(pid, SIGTERM) }
        let deadline = Date().addingTimeInterval(3)
        while pids.contains(where: Context.isAlive) && Date() < deadline { usleep(10_000) }
        let stubborn = pids.filter(Context.isAlive)
        guard !stubborn.isEmpty else { return }
        for pid in stubborn { kill(pid, SIGKILL) }
        let last = Date().addingTimeInterval(2)
        while stubborn.contains(where: Context.isAlive) && Date() < last { usleep(10_000) }
        for pid in stubborn where Context.isAlive(pid) { problems.append("process \(pid) survived SIGKILL") }
    }

    /// Polls `ready` until it holds; throws after `seconds` (default `timeout`), or at once if
    /// `daemon` has exited, with the end of `log`.
    private func waitFor(
        _ what: String, seconds: Double? = nil, log: String, daemon: BackgroundProcess? = nil, _ ready: () -> Bool
    ) throws {
        let limit = seconds ?? timeout
        let deadline = Date().addingTimeInterval(limit)
        var pause: UInt32 = 2_000
        while !ready() {
            if let daemon, !daemon.isRunning {
                let result = try daemon.waitForExit(timeout: 0)
                throw TestbedError.notReady(
                    what: "\(what): \(TestbedError.shellLine(daemon.command)) exited with status \(result.status)",
                    seconds: limit, detail: result.stderr + "\n" + logTail(log))
            }
            if Date() >= deadline {
                throw TestbedError.notReady(what: what, seconds: limit, detail: logTail(log))
            }
            usleep(pause)
            pause = min(pause * 2, 100_000)
        }
    }

    static func validateInterfaceName(_ name: String, what: String) throws {
        guard !name.isEmpty, name.utf8.count <= 15,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") })
        else {
            throw TestbedError.invalidArgument(
                "\(what) \"\(name)\": Linux interface names are 1–15 ASCII letters, digits, -, _ or .")
        }
    }

    static func parseCIDR(_ text: String) throws -> (String, Int) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let length = Int(parts[1]), (0...32).contains(length), isIPv4(String(parts[0])) else {
            throw TestbedError.invalidArgument("\"\(text)\" is not an IPv4 address with prefix length, like 10.0.0.1/24")
        }
        return (String(parts[0]), length)
    }

    static func isIPv4(_ text: String) -> Bool {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets.allSatisfy { Int($0).map { (0...255).contains($0) } ?? false }
    }

    static func isMAC(_ text: String) -> Bool {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        return parts.count == 6 && parts.allSatisfy { $0.count == 2 && UInt8($0, radix: 16) != nil }
    }

    static func dotted(_ address: UInt32) -> String {
        "\(address >> 24).\((address >> 16) & 0xff).\((address >> 8) & 0xff).\(address & 0xff)"
    }
}
