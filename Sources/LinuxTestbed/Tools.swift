import Foundation

/// The programs the testbed runs, by absolute path, found once when a testbed is made.
struct Tools: Sendable {
    var ip: String
    var ethtool: String
    var ovsdbTool: String
    var ovsdbServer: String
    var ovsVswitchd: String
    var ovsVsctl: String
    var ovsOfctl: String
    var sh: String
    /// The Open vSwitch database schema `ovsdb-tool create` needs.
    var schema: String

    static let schemaPaths = ["/usr/share/openvswitch/vswitch.ovsschema", "/usr/local/share/openvswitch/vswitch.ovsschema"]

    static func locateAll() throws -> Tools {
        guard let schema = schemaPaths.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw TestbedError.missingFile(path: schemaPaths[0], package: "openvswitch-switch")
        }
        return Tools(
            ip: try locate("ip", package: "iproute2"),
            ethtool: try locate("ethtool", package: "ethtool"),
            ovsdbTool: try locate("ovsdb-tool", package: "openvswitch-switch"),
            ovsdbServer: try locate("ovsdb-server", package: "openvswitch-switch"),
            ovsVswitchd: try locate("ovs-vswitchd", package: "openvswitch-switch"),
            ovsVsctl: try locate("ovs-vsctl", package: "openvswitch-switch"),
            ovsOfctl: try locate("ovs-ofctl", package: "openvswitch-common"),
            sh: try locate("sh", package: "dash"),
            schema: schema)
    }

    /// Where programs are looked for: PATH, then the sbin directories a non-login PATH can miss.
    static var searchPath: [String] {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        return path.split(separator: ":").map(String.init)
            + ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]
    }

    /// The absolute path of `name`, or `TestbedError.missingTool` saying which package has it.
    static func locate(_ name: String, package: String, candidates: [String]? = nil) throws -> String {
        let paths = candidates ?? searchPath.map { $0 + "/" + name }
        for path in paths where FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw TestbedError.missingTool(tool: name, package: package)
    }

    /// Debian's own python3, which the traffic helpers use (the notes: a pyenv `python3` first
    /// on PATH lacks Debian's modules; the helpers need only the standard library).
    static func python3() throws -> String {
        try locate("python3", package: "python3", candidates: ["/usr/bin/python3"] + searchPath.map { $0 + "/python3" })
    }
}
