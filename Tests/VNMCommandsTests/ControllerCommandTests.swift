import Testing

@testable import VNMCommands

@Suite struct ControllerCommandTests {
    @Test(arguments: [
        ("127.0.0.1:6653", "127.0.0.1", 6653),
        ("0.0.0.0:6633", "0.0.0.0", 6633),
        ("[::1]:6653", "::1", 6653),
        ("localhost:0", "localhost", 0),
    ])
    func listenAddressesParse(text: String, host: String, port: Int) throws {
        let parsed = try ControllerCommand.parse(listen: text)
        #expect(parsed.host == host)
        #expect(parsed.port == port)
    }

    @Test(arguments: ["6653", ":6653", "127.0.0.1:", "127.0.0.1:70000", "127.0.0.1:http"])
    func badListenAddressesSayWhatIsExpected(text: String) {
        #expect(throws: ControllerCommand.AddressError.self) { try ControllerCommand.parse(listen: text) }
        do {
            _ = try ControllerCommand.parse(listen: text)
        } catch {
            #expect("\(error)".contains("HOST:PORT"))
        }
    }
}
