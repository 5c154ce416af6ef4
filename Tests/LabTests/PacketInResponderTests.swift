import NIOCore
import NIOPosix
import NetworkAddresses
import OpenFlow
import OpenFlowNIO
import Testing

@testable import Lab

@Suite struct PacketInResponderTests {
    @Test func answersAPacketInWithAFlowModForItsPortAndDestination() throws {
        let answer = try #require(PacketInResponder().handle(OpenFlowExamples.packetIn, datapathID: 1))
        #expect(answer.count == 1)
        guard case .of13(.flowMod(let flowMod), _) = answer[0] else {
            Issue.record("not a flow mod: \(answer[0])")
            return
        }
        #expect(flowMod.match.fields.elements == [.inPort(1), .ethDst(MACAddress(0x02, 0, 0, 0, 0, 0x02))])
        #expect(flowMod.instructions.elements == [.applyActions([.output(port: 2)])])
    }

    @Test func ignoresEverythingElse() {
        #expect(PacketInResponder().handle(.of13(.barrierReply, xid: 1), datapathID: 1) == nil)
    }
}

/// The benchmark's machinery works end to end on loopback (its speed is measured by
/// `vnm bench controller`, not here).
@Suite struct ControllerBenchmarkTests {
    @Test func emulatedSwitchesGetAnswersFromVNMsController() async throws {
        let server = OpenFlowServer(logger: PrintOpenFlowLogger(minimumLevel: .warning), inlineApp: PacketInResponder())
        let port = try await server.bind(host: "127.0.0.1", port: 0)
        let result = try await ControllerBenchmark.run(
            controller: "vnm", host: "127.0.0.1", port: port,
            configuration: .init(switches: 2, mode: .latency, window: 1, warmupSeconds: 0.2, seconds: 0.3),
            group: MultiThreadedEventLoopGroup.singleton)
        await server.close()
        #expect(result.responses > 0)
        #expect(result.latencyP50Microseconds != nil)
    }
}
