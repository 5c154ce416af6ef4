import Foundation
import NIOCore
import Testing

@testable import OpenFlow

/// Bounded fuzzing in CI (the unbounded run is `vnm fuzz codec`): no input traps, and every
/// input that decodes re-encodes to a message that decodes to the same value.
@Suite struct OpenFlowFuzzTests {
    static func seeds() throws -> [[UInt8]] {
        var seeds = OpenFlowExamples.all.map { Array($0.encoded.readableBytesView) }
        seeds += try FixtureLoader.all().map(\.bytes)
        return seeds
    }

    @Test(arguments: [1, 2, 3, 4] as [UInt64])
    func mutatedAndRandomInputsNeverBreakTheCodec(seed: UInt64) throws {
        var fuzzer = OpenFlowFuzzer(seed: seed, seeds: try Self.seeds())
        var decoded = 0
        var rejected = 0
        for _ in 0..<25_000 {
            let input = fuzzer.nextInput()
            do {
                switch try OpenFlowFuzzer.check(input) {
                case .decoded: decoded += 1
                case .rejected: rejected += 1
                case .incomplete: break
                }
            } catch {
                Issue.record("\(error.description): \(HexBytes.format(input))")
            }
        }
        // The mutations must reach both outcomes, or the fuzzer is not exploring.
        #expect(decoded > 1000)
        #expect(rejected > 1000)
    }

    /// Inputs that once broke the codec, kept as regression fixtures.
    @Test func regressionInputs() throws {
        let fixtures = try FixtureLoader.load(directory: "fuzz")
        #expect(!fixtures.isEmpty)
        for fixture in fixtures {
            do {
                _ = try OpenFlowFuzzer.check(fixture.bytes)
            } catch {
                Issue.record("\(fixture.name): \(error.description)")
            }
        }
    }
}
