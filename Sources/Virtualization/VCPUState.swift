import NIOCore

/// The vCPU's registers: the small state that is not in guest memory and that the
/// stop-and-copy phase sends after the last pages.
public struct VCPUState: Hashable, Sendable {
    /// The guest generator's state (SplitMix64).
    public var generator: UInt64
    /// The end of the last slice the guest ran.
    public var clock: NIODeadline
    /// When the daemon next refreshes its table.
    public var nextRefresh: NIODeadline?
    /// Fractional background writes carried to the next slice.
    public var writeCarry: Double
    /// Slices run so far.
    public var slices: UInt64

    public init(generator: UInt64, clock: NIODeadline, nextRefresh: NIODeadline?, writeCarry: Double = 0, slices: UInt64 = 0) {
        self.generator = generator
        self.clock = clock
        self.nextRefresh = nextRefresh
        self.writeCarry = writeCarry
        self.slices = slices
    }

    /// The encoded size: what the migration channel carries for the vCPU context.
    public static let encodedSize = 40

    /// Little-endian: generator, clock, next refresh (all ones: none), write carry bits, slices.
    public func encoded() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Self.encodedSize)
        for word in [
            generator, clock.uptimeNanoseconds, nextRefresh?.uptimeNanoseconds ?? .max, writeCarry.bitPattern, slices,
        ] {
            withUnsafeBytes(of: word.littleEndian) { bytes.append(contentsOf: $0) }
        }
        return bytes
    }

    public init(decoding bytes: [UInt8]) throws(VirtualizationError) {
        guard bytes.count == Self.encodedSize else {
            throw .badImage(router: "?", reason: "vCPU state of \(bytes.count) bytes, not \(Self.encodedSize)")
        }
        func word(_ i: Int) -> UInt64 {
            (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[i * 8 + $1]) << (8 * UInt64($1)) }
        }
        generator = word(0)
        clock = .uptimeNanoseconds(word(1))
        nextRefresh = word(2) == .max ? nil : .uptimeNanoseconds(word(2))
        writeCarry = Double(bitPattern: word(3))
        slices = word(4)
    }

    /// SplitMix64's next value.
    mutating func next() -> UInt64 {
        generator &+= 0x9E37_79B9_7F4A_7C15
        var z = generator
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
