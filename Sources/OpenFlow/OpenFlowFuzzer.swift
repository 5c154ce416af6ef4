import NIOCore

/// A seeded, deterministic generator of hostile OpenFlow inputs: random bytes, and mutations
/// (bit flips, byte overwrites, length-field edits, truncations, splices, insertions) of seed
/// messages. Used by the bounded fuzz test in CI and by the unbounded `vnm fuzz codec`.
public struct OpenFlowFuzzer: Sendable {
    /// xorshift64*: small, fast and reproducible on every platform.
    public struct Random: Sendable {
        var state: UInt64
        public init(seed: UInt64) { state = seed == 0 ? 0x9E37_79B9_7F4A_7C15 : seed }
        public mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 0x2545_F491_4F6C_DD1D
        }
        public mutating func below(_ bound: Int) -> Int {
            bound <= 0 ? 0 : Int(truncatingIfNeeded: next() % UInt64(bound))
        }
    }

    public var random: Random
    public let seeds: [[UInt8]]

    public init(seed: UInt64, seeds: [[UInt8]]) {
        self.random = Random(seed: seed)
        self.seeds = seeds.filter { !$0.isEmpty }
    }

    /// The next input to try.
    public mutating func nextInput() -> [UInt8] {
        if seeds.isEmpty || random.below(10) == 0 { return randomMessage() }
        var bytes = seeds[random.below(seeds.count)]
        let mutations = 1 + random.below(4)
        for _ in 0..<mutations { mutate(&bytes) }
        return bytes
    }

    /// Random bytes behind a plausible header (right version, any type, consistent length).
    mutating func randomMessage() -> [UInt8] {
        let length = 8 + random.below(120)
        var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
        bytes[0] = [OpenFlowVersion.v10, OpenFlowVersion.v13, UInt8(truncatingIfNeeded: random.next())][random.below(3)]
        bytes[1] = UInt8(random.below(32))
        bytes[2] = UInt8(truncatingIfNeeded: length >> 8)
        bytes[3] = UInt8(truncatingIfNeeded: length)
        return bytes
    }

    mutating func mutate(_ bytes: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        let at = random.below(bytes.count)
        switch random.below(8) {
        case 0: bytes[at] ^= UInt8(1) << UInt8(random.below(8))
        case 1: bytes[at] = UInt8(truncatingIfNeeded: random.next())
        case 2:
            // Interesting 16-bit values at an even offset: most length fields are 16 bits.
            let even = at & ~1
            guard even + 1 < bytes.count else { return }
            let values: [UInt16] = [0, 1, 4, 7, 8, 9, 15, 16, 0x7FFF, 0x8000, 0xFFFF, UInt16(truncatingIfNeeded: bytes.count)]
            let value = values[random.below(values.count)]
            bytes[even] = UInt8(value >> 8)
            bytes[even + 1] = UInt8(value & 0xFF)
        case 3: bytes.removeLast(random.below(bytes.count))
        case 4:
            let count = 1 + random.below(16)
            bytes.insert(contentsOf: (0..<count).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
        case 5:
            if let other = seeds.isEmpty ? nil : seeds[random.below(seeds.count)], !other.isEmpty {
                let from = random.below(other.count)
                bytes.replaceSubrange(at..<bytes.count, with: other[from...])
            }
        case 6:
            let count = min(bytes.count - at, 1 + random.below(8))
            bytes.removeSubrange(at..<(at + count))
        default:
            break
        }
        // Usually keep the header's length consistent, so that mutations reach the body decoders.
        if random.below(4) != 0 && bytes.count >= 4 && bytes.count <= 0xFFFF {
            bytes[2] = UInt8(truncatingIfNeeded: bytes.count >> 8)
            bytes[3] = UInt8(truncatingIfNeeded: bytes.count)
        }
    }

    /// What one input did.
    public enum Outcome: Equatable, Sendable {
        case incomplete
        case rejected(OpenFlowError)
        case decoded
    }

    /// A violated property: a message that decodes, but whose re-encoding decodes differently.
    public struct PropertyViolation: Error, CustomStringConvertible {
        public var input: [UInt8]
        public var description: String
    }

    /// Decodes `input`; when it decodes, checks that encoding the value and decoding that again
    /// gives the same value (and the same bytes when encoded a second time).
    public static func check(_ input: [UInt8]) throws(PropertyViolation) -> Outcome {
        var buffer = ByteBuffer(bytes: input)
        let message: OpenFlowMessage
        do {
            guard let decoded = try buffer.readOpenFlowMessage() else { return .incomplete }
            message = decoded
        } catch {
            return .rejected(error)
        }
        let encoded = message.encoded
        do {
            let again = try OpenFlowMessage(decoding: encoded)
            guard again == message else {
                throw PropertyViolation(input: input, description: "re-encoded message decodes to a different value")
            }
            guard again.encoded == encoded else {
                throw PropertyViolation(input: input, description: "encoding is not stable")
            }
        } catch let error as OpenFlowError {
            throw PropertyViolation(input: input, description: "re-encoded message does not decode: \(error)")
        } catch let violation as PropertyViolation {
            throw violation
        } catch {
            throw PropertyViolation(input: input, description: "\(error)")
        }
        return .decoded
    }
}
