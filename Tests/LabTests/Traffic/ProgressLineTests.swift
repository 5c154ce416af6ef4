import Lab
import NIOCore
import Testing

@Suite struct ProgressLineTests {
    @Test func rendersInPlaceOrAsLogLines() {
        let progress = TrafficGenerator.Progress(elapsed: .milliseconds(12_345), sent: 1200, behind: 0)
        #expect(
            ProgressLine(inPlace: false).render(progress, received: 1190)
                == "  12.3 s  sent 1200  received 1190  missing 10\n")
        let behind = TrafficGenerator.Progress(elapsed: .seconds(2), sent: 5, behind: 3)
        #expect(ProgressLine(inPlace: true).render(behind, received: nil) == "\r   2.0 s  sent 5  (behind 3)\u{1B}[K")
    }
}
