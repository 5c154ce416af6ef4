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

@Suite struct ControllerCommandOptionTests {
    @Test func restAddressErrorsNameTheOption() {
        do {
            _ = try ControllerCommand.parse(listen: "8080", option: "--rest")
            Issue.record("8080 alone was accepted")
        } catch {
            #expect("\(error)".contains("--rest expects HOST:PORT"))
        }
    }

    @Test func logLevelsParseAndBadOnesListTheChoices() throws {
        #expect(try ControllerCommand.parse(logLevel: "DEBUG").rawValue == "debug")
        #expect(try ControllerCommand.parse(logLevel: "warning").rawValue == "warning")
        do {
            _ = try ControllerCommand.parse(logLevel: "loud")
            Issue.record("loud was accepted")
        } catch {
            #expect("\(error)".contains("trace, debug, info"))
        }
    }

    @Test func switchesAreAwaitedOnEveryInterfaceByDefaultAndRESTIsOff() throws {
        let command = try ControllerCommand.parse([])
        #expect(command.listen == "0.0.0.0:6653")
        #expect(command.rest == nil)
        #expect(try ControllerCommand.parse(["--port", "6633", "--rest", "127.0.0.1:8080"]).port == 6633)
    }
}
