import Foundation
import NIOCore
import Testing

@testable import Lab

@Suite struct ProbeReceiverTests {
    func at(_ milliseconds: Int64) -> NIODeadline { .uptimeNanoseconds(UInt64(milliseconds) * 1_000_000) }

    func probe(_ sequence: UInt64, sentAtMilliseconds: Int64, flow: UInt32 = 1) -> ProbePayload {
        ProbePayload(flow: flow, sequence: sequence, sentAt: UInt64(sentAtMilliseconds) * 1_000_000)
    }

    @Test func aCleanFlowHasNoLossAndTheIntervalAsItsLongestGap() throws {
        var receiver = ProbeReceiver(flow: 1)
        for sequence in 0..<100 as Range<UInt64> {
            receiver.receive(probe(sequence, sentAtMilliseconds: Int64(sequence)), now: at(Int64(sequence) + 2))
        }
        let report = receiver.report(sent: 100)
        #expect(report.received == 100)
        #expect(report.lost == 0)
        #expect(report.duplicates == 0)
        #expect(report.reordered == 0)
        #expect(report.longestGapMilliseconds == 1)
        #expect(report.latencyP50Milliseconds == 2)
        #expect(report.latencyP99Milliseconds == 2)
    }

    @Test func lossDuplicatesReorderingAndTheGapAreEachCounted() throws {
        var receiver = ProbeReceiver(flow: 1)
        // 0..9 arrive; 10..19 are lost; 20 and 21 arrive swapped; 22 twice.
        for sequence in 0..<10 as Range<UInt64> {
            receiver.receive(probe(sequence, sentAtMilliseconds: Int64(sequence)), now: at(Int64(sequence) + 1))
        }
        receiver.receive(probe(21, sentAtMilliseconds: 21), now: at(22))
        receiver.receive(probe(20, sentAtMilliseconds: 20), now: at(23))
        receiver.receive(probe(22, sentAtMilliseconds: 22), now: at(24))
        receiver.receive(probe(22, sentAtMilliseconds: 22), now: at(25))
        receiver.receive(probe(5, sentAtMilliseconds: 0, flow: 2), now: at(26))
        let report = receiver.report(sent: 23)
        #expect(report.received == 13)
        #expect(report.lost == 10)
        #expect(report.duplicates == 1)
        #expect(report.reordered == 1)
        #expect(report.foreign == 1)
        #expect(report.longestGapMilliseconds == 12)  // from 10 ms to 22 ms
        #expect(report.longestGapStartMilliseconds == 9)  // 9 ms after the first arrival (1 ms)
        #expect(report.latencyMaxMilliseconds == 3)
    }

    @Test func packetsNeverSentDoNotHideLoss() {
        var receiver = ProbeReceiver(flow: 1)
        receiver.receive(probe(200, sentAtMilliseconds: 0), now: at(1))
        #expect(receiver.report(sent: 10).lost == 10)
        #expect(ProbeReceiver(flow: 1).report(sent: 0).lost == 0)
    }

    @Test func theReportHasTheDocumentedJSONKeys() throws {
        let report = ProbeReceiver(flow: 1).report(sent: 3)
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        for key in ["sent", "received", "lost", "duplicates", "reordered", "longest_gap_ms", "latency_p50_ms", "latency_p99_ms"] {
            #expect(json.contains("\"\(key)\""), "missing \(key) in \(json)")
        }
    }
}
