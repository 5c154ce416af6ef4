import NIOCore
import NetworkAddresses
import Packets
import Testing

@testable import Routing

@Suite struct ShortestPathFirstTests {
    static let root = IPv4Address(1, 0, 0, 0)
    static let a = IPv4Address(2, 0, 0, 0)
    static let b = IPv4Address(3, 0, 0, 0)
    static let c = IPv4Address(4, 0, 0, 0)

    func router(_ id: IPv4Address, _ links: [OSPFv2RouterLSA.Link]) -> OSPFv2LSA {
        OSPFv2LSA(advertisingRouter: id, sequenceNumber: 1, router: .init(links: links))
    }

    func p2p(_ to: IPv4Address, _ from: IPv4Address, _ metric: UInt16 = 10) -> OSPFv2RouterLSA.Link {
        .pointToPoint(neighbor: to, interfaceAddress: from, metric: metric)
    }

    /// root —(10.0.1.x)— a — c and root —(10.0.2.x)— b — c; c announces 192.168.4.0/24.
    func diamond(bToC: UInt16 = 10, cToA: Bool = true) -> [OSPFv2LSA] {
        [
            router(Self.root, [p2p(Self.a, IPv4Address(10, 0, 1, 1)), p2p(Self.b, IPv4Address(10, 0, 2, 1))]),
            router(Self.a, [p2p(Self.root, IPv4Address(10, 0, 1, 2)), p2p(Self.c, IPv4Address(10, 0, 3, 1))]),
            router(Self.b, [p2p(Self.root, IPv4Address(10, 0, 2, 2)), p2p(Self.c, IPv4Address(10, 0, 4, 1), bToC)]),
            router(
                Self.c,
                (cToA ? [p2p(Self.a, IPv4Address(10, 0, 3, 2))] : []) + [
                    p2p(Self.b, IPv4Address(10, 0, 4, 2)),
                    .stub(network: IPv4Address(192, 168, 4, 0), mask: .mask(prefixLength: 24), metric: 1),
                ]),
        ]
    }

    let spf = ShortestPathFirst(
        root: root,
        adjacencies: [
            .init(interface: "ea", interfaceAddress: IPv4Address(10, 0, 1, 1), routerID: a, address: IPv4Address(10, 0, 1, 2)),
            .init(interface: "eb", interfaceAddress: IPv4Address(10, 0, 2, 1), routerID: b, address: IPv4Address(10, 0, 2, 2)),
        ])

    @Test func equalCostPathsShareTheRoute() throws {
        let route = try #require(spf.routes(lsas: diamond())[OSPFPrefix("192.168.4.0/24")!])
        #expect(route.cost == 21)
        #expect(
            route.nextHops == [
                OSPFNextHop(interface: "ea", address: IPv4Address(10, 0, 1, 2)),
                OSPFNextHop(interface: "eb", address: IPv4Address(10, 0, 2, 2)),
            ])
    }

    @Test func cheaperPathWins() throws {
        let route = try #require(spf.routes(lsas: diamond(bToC: 5))[OSPFPrefix("192.168.4.0/24")!])
        #expect(route.cost == 16)
        #expect(route.nextHops.map(\.interface) == ["eb"])
    }

    @Test func linkWithoutBackLinkIsNotUsed() throws {
        let route = try #require(spf.routes(lsas: diamond(cToA: false))[OSPFPrefix("192.168.4.0/24")!])
        #expect(route.nextHops.map(\.interface) == ["eb"])
    }

    @Test func maxAgeLSAsAreIgnored() {
        let lsas = diamond().map { $0.header.advertisingRouter == Self.c ? $0.withAge(OSPFv2LSAHeader.maxAge) : $0 }
        #expect(spf.routes(lsas: lsas)[OSPFPrefix("192.168.4.0/24")!] == nil)
    }

    @Test func summaryLSAsGiveInterAreaRoutes() throws {
        let summary = OSPFv2LSA(
            options: .externalRouting, type: .summaryNetwork, linkStateID: IPv4Address(10, 50, 0, 0), advertisingRouter: Self.c,
            sequenceNumber: 1, body: OSPFv2SummaryLSA(networkMask: .mask(prefixLength: 16), metric: 100).encoded())
        let route = try #require(spf.routes(lsas: diamond() + [summary])[OSPFPrefix("10.50.0.0/16")!])
        #expect(route.pathType == .interArea)
        #expect(route.cost == 120)
        #expect(route.advertisingRouter == Self.c)
    }
}
