import Foundation
import Testing

@testable import VNMCommands

@Suite struct SliceCommandTests {
    @Test func optionsParseAndTheConfigIsRequired() throws {
        let command = try SliceCommand.parse(["--listen", "127.0.0.1:6700", "--config", "x.json"])
        #expect(command.listen == "127.0.0.1:6700" && command.config == "x.json")
        #expect(throws: (any Error).self) { try SliceCommand.parse([]) }
        #expect(VNM.configuration.subcommands.contains { $0 == SliceCommand.self })
    }

    @Test func aBadConfigFileIsNamedWithTheField() throws {
        let path = NSTemporaryDirectory() + "slicing-\(UUID().uuidString).json"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(#"{"networks": [{"name": "a", "flowspace": {"vlan": 0}, "controller": "h:1", "nodes": []}]}"#.utf8)
            .write(to: URL(fileURLWithPath: path))
        do {
            _ = try SliceCommand.load(path)
            Issue.record("a bad file was accepted")
        } catch {
            #expect("\(error)".contains(path) && "\(error)".contains("networks[0].flowspace.vlan"), "\(error)")
        }
        #expect(throws: (any Error).self) { try SliceCommand.load(path + ".missing") }
    }
}
