import NetworkAddresses
import Substrate
import Testing

@Suite struct EmbeddedNetworkTests {
    @Test func portsAndIdentifiersAreAssignedInOrder() throws {
        let network = EmbeddedNetwork(clock: EventSimulator())
        let s1 = try network.addSwitch("s1")
        let s2 = try network.addSwitch("s2", datapathID: 0x10)
        let s3 = try network.addSwitch("s3")
        #expect([s1.datapathID, s2.datapathID, s3.datapathID] == [1, 0x10, 3])
        try network.addLink("s1", "s2")
        try network.addLink("s1", "s3", portA: 7)
        try network.addLink("s1", "s2", name: "second")
        #expect(s1.pluggedPorts == [1, 7, 8])
        #expect(s2.pluggedPorts == [1, 2])
        #expect(network.links(between: "s2", and: "s1").map(\.name) == ["s1-s2", "second"])
        #expect(s1.datapath.portList.map(\.portNumber) == [1, 7, 8])
    }

    @Test func badInputNamesTheElement() throws {
        let network = EmbeddedNetwork(clock: EventSimulator())
        try network.addSwitch("s1")
        try network.addHost("h1", ip: IPv4Address("10.0.0.1")!)
        #expect(throws: EmbeddedNetworkError.duplicateName("s1")) { try network.addHost("s1", ip: .any) }
        #expect(throws: EmbeddedNetworkError.unknownNode("s9")) { try network.addLink("s1", "s9") }
        #expect(throws: EmbeddedNetworkError.duplicateDatapathID(1, name: "s2")) {
            try network.addSwitch("s2", datapathID: 1)
        }
        try network.addLink("h1", "s1", portB: 3)
        #expect(throws: EmbeddedNetworkError.hostAlreadyLinked("h1")) { try network.addLink("h1", "s1", name: "again") }
        #expect(throws: EmbeddedNetworkError.portInUse(node: "s1", port: 3)) {
            try network.addLink("s1", "s1", portA: 3, name: "loop")
        }
        #expect(throws: EmbeddedNetworkError.invalidOption(element: "s1-s1", "loss must be between 0 and 1, not 2.0")) {
            try network.addLink("s1", "s1", options: .init(loss: 2))
        }
        #expect("\(EmbeddedNetworkError.unknownNode("x"))" == "no switch or host is called 'x'")
    }
}
