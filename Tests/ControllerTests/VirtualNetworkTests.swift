import NetworkAddresses
import Testing

@testable import Controller

@Suite struct VirtualNetworkTests {
    @Test func portsAreTheNodesPortsAndTheLinksEnds() {
        let red = Slices.red
        #expect(red.ports == [
            Endpoint(datapathID: 1, port: 1), Endpoint(datapathID: 2, port: 1),
            Endpoint(datapathID: 1, port: 3), Endpoint(datapathID: 2, port: 3),
        ])
        #expect(red.datapathIDs == [1, 2])
        #expect(red.ports(on: 1) == [1, 3])
        #expect(red.ports(on: 5).isEmpty)
    }

    @Test func prefixesParseAndCompare() {
        #expect(IPv4Prefix("10.2.0.0/16")?.length == 16)
        #expect(IPv4Prefix("10.2.0.1/16") == nil, "host bits set")
        #expect(IPv4Prefix("10.2.0.0/33") == nil)
        #expect(IPv4Prefix("10.2.0.0") == nil)
        let prefix = IPv4Prefix("10.2.0.0/16")!
        #expect(prefix.contains(.init(10, 2, 200, 1)) && !prefix.contains(.init(10, 3, 0, 1)))
        #expect(prefix.overlaps(IPv4Prefix("10.0.0.0/8")!) && !prefix.overlaps(IPv4Prefix("10.3.0.0/16")!))
        #expect(IPv4Prefix("0.0.0.0/0")!.contains(.init(1, 2, 3, 4)))
    }
}
