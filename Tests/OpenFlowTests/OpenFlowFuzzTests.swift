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

/// The one-pass raw validation of OXM, action and instruction lists must accept exactly what
/// element-wise validation accepts, or iteration of a "valid" list could stop early.
@Suite struct RawValidationAgreementTests {
    static func elementWise<E: WireListElement>(_: E.Type, _ bytes: [UInt8]) -> Bool {
        var reader = WireReader(ByteBuffer(bytes: bytes), message: "test")
        do {
            while !reader.isEmpty { try E.validate(&reader) }
            return true
        } catch {
            return false
        }
    }

    static func agree<E: WireListElement>(_ type: E.Type, seeds: [[UInt8]], seed: UInt64) {
        var random = OpenFlowFuzzer.Random(seed: seed)
        var accepted = 0
        for round in 0..<20_000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0..<(1 + random.below(3)) where !bytes.isEmpty {
                let at = random.below(bytes.count)
                switch random.below(3) {
                case 0: bytes[at] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes[at] = [0, 4, 8, 16, 24, 0xFF][random.below(6)]
                default: bytes.removeLast(random.below(min(9, bytes.count)))
                }
            }
            let raw = ByteBuffer(bytes: bytes).withUnsafeReadableBytes { E.isValidList($0) }
            let slow = elementWise(type, bytes)
            #expect(raw == slow, "\(E.self): raw \(String(describing: raw)), element-wise \(slow): \(HexBytes.format(bytes))")
            if slow { accepted += 1 }
            if raw != slow { return }
        }
        #expect(accepted > 100)
    }

    static var flowMods: [OF13.FlowMod] {
        OpenFlowExamples.all.compactMap {
            if case .of13(.flowMod(let fm), _) = $0 { return fm }
            return nil
        }
    }

    @Test func oxmLists() {
        Self.agree(OXMField.self, seeds: Self.flowMods.map { Array($0.match.fields.bytes.readableBytesView) }.filter { !$0.isEmpty }, seed: 11)
    }

    @Test func instructionLists() {
        Self.agree(OF13.Instruction.self, seeds: Self.flowMods.map { Array($0.instructions.bytes.readableBytesView) }.filter { !$0.isEmpty }, seed: 12)
    }

    @Test func actionLists() {
        let seeds: [[UInt8]] = Self.flowMods.flatMap { fm in
            fm.instructions.compactMap { instruction -> [UInt8]? in
                switch instruction {
                case .applyActions(let a), .writeActions(let a): return Array(a.bytes.readableBytesView)
                default: return nil
                }
            }
        }
        Self.agree(OF13.Action.self, seeds: seeds, seed: 13)
    }
}
