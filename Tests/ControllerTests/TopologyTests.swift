import OpenFlow
import Testing

@testable import Controller

@Suite("Topology and paths")
struct TopologyTests {
    var diamond: Topology { discoveredDiamond().topology }

    @Test func shortestPathOnTheDiamondFollowsTheWeights() {
        var topology = diamond
        let viaS2 = [Link(src: (1, 2), dst: (2, 1)), Link(src: (2, 2), dst: (4, 2))]
        let viaS3 = [Link(src: (1, 3), dst: (3, 1)), Link(src: (3, 2), dst: (4, 3))]
        #expect(topology.shortestPath(from: 1, to: 4) == viaS2, "equal cost: the tie resolves the same way every time")
        topology.weights[Link(src: (2, 2), dst: (4, 2))] = 5
        #expect(topology.shortestPath(from: 1, to: 4) == viaS3)
        #expect(topology.shortestPath(from: 4, to: 1) == viaS2.map(\.reversed).reversed(), "weights are per direction")
        topology.weights[Link(src: (3, 2), dst: (4, 3))] = 10
        #expect(topology.shortestPath(from: 1, to: 4) == viaS2, "5 + 1 < 1 + 10")
        #expect(topology.shortestPath(from: 2, to: 2) == [])
        #expect(topology.shortestPath(from: 1, to: 9) == nil)
    }

    @Test func aCutDiamondHasNoPath() {
        var topology = diamond
        topology.removeSwitch(2)
        topology.removeLinks(at: Endpoint(datapathID: 3, port: 2))
        #expect(topology.shortestPath(from: 1, to: 4) == nil)
        #expect(topology.shortestPath(from: 1, to: 3) == [Link(src: (1, 3), dst: (3, 1))])
    }

    @Test func hopsRunFromHostPortToHostPort() {
        let hops = diamond.hops(from: Endpoint(datapathID: 1, port: 1), to: Endpoint(datapathID: 4, port: 1))
        #expect(
            hops == [
                PathHop(datapathID: 1, inPort: 1, outPort: 2), PathHop(datapathID: 2, inPort: 1, outPort: 2),
                PathHop(datapathID: 4, inPort: 2, outPort: 1),
            ])
        #expect(
            diamond.hops(from: Endpoint(datapathID: 1, port: 1), to: Endpoint(datapathID: 1, port: 4))
                == [PathHop(datapathID: 1, inPort: 1, outPort: 4)])
    }
}

@Suite("Path installation")
struct PathInstallerTests {
    let path = [
        PathHop(datapathID: 1, inPort: 1, outPort: 2), PathHop(datapathID: 2, inPort: 1, outPort: 2),
        PathHop(datapathID: 4, inPort: 2, outPort: 1),
    ]
    let match: [OXMField] = [.ipv4Dst(.init(10, 0, 0, 2)), .ethType(0x0800)]

    @Test func oneFlowPerHopEgressFirst() {
        let flows = PathInstaller.flowMods(match: match, path: path, priority: 100, cookie: 7)
        #expect(flows.map(\.datapathID) == [4, 2, 1])
        #expect(flows.allSatisfy { $0.flowMods.count == 1 })
        let s2 = flows[1].flowMods[0]
        #expect(s2.command == .add && s2.priority == 100 && s2.cookie == 7 && s2.tableID == 0)
        #expect(s2.match == .ordered([.inPort(1), .ethType(0x0800), .ipv4Dst(.init(10, 0, 0, 2))]))
        #expect(
            Array(s2.match.fields) == [.inPort(1), .ethType(0x0800), .ipv4Dst(.init(10, 0, 0, 2))],
            "prerequisites first, as Open vSwitch requires")
        #expect(s2.instructions == [.applyActions([.output(port: 2, maxLength: 0)])])
    }

    @Test func packetsFollowTheInstalledFlowsFromHostToHost() {
        // faucet style: ask "where does this packet go?" instead of comparing flow-mods.
        let topology = discoveredDiamond().topology
        let flows = PathInstaller.flowMods(match: match, path: path)
        var at = Endpoint(datapathID: 1, port: 1)
        var visited: [UInt64] = []
        while visited.count < 10 {
            visited.append(at.datapathID)
            let table = flows.filter { $0.datapathID == at.datapathID }.flatMap(\.flowMods)
            let hit = table.first { Array($0.match.fields).contains(.inPort(at.port)) }
            guard let hit, case .applyActions(let actions)? = Array(hit.instructions).first,
                case .output(let port, _)? = Array(actions).first
            else { break }
            let out = Endpoint(datapathID: at.datapathID, port: port)
            guard let link = topology.links.first(where: { $0.source == out }) else {
                at = out
                break
            }
            at = link.destination
        }
        #expect(visited == [1, 2, 4])
        #expect(at == Endpoint(datapathID: 4, port: 1))
    }

    @Test func hairpinOutputsToInPortAndRepeatedSwitchesGetOneFlowPerHop() {
        let hairpin = PathInstaller.flowMods(match: [], path: [PathHop(datapathID: 1, inPort: 3, outPort: 3)])
        #expect(hairpin[0].flowMods[0].instructions == [.applyActions([.output(port: OF13.PortNumber.inPort, maxLength: 0)])])
        let twice = PathInstaller.flowMods(
            match: [.inPort(99), .ethType(0x0806)],
            path: [PathHop(datapathID: 1, inPort: 1, outPort: 2), PathHop(datapathID: 1, inPort: 3, outPort: 4)])
        #expect(twice.count == 1 && twice[0].flowMods.count == 2)
        #expect(twice[0].flowMods.map { Array($0.match.fields) } == [[.inPort(3), .ethType(0x0806)], [.inPort(1), .ethType(0x0806)]])
    }
}
