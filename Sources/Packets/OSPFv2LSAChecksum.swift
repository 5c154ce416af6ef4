import NIOCore

/// The LSA checksum of RFC 2328 §12.1.7: the Fletcher checksum of ISO 8473 (RFC 905 Annex B)
/// over the whole LSA except LS age (which changes in flight), stored at byte 16 of the LSA so
/// that the checksummed bytes sum to zero in both Fletcher accumulators.
public enum OSPFv2LSAChecksum {
    /// Offset of the Checksum field in an LSA.
    public static let fieldOffset = 16
    /// The checksum covers the LSA from this offset (after LS age) to its end.
    public static let coverageStart = 2

    /// The checksum for `lsa` (a whole LSA: header and body), computed as if its Checksum field
    /// were zero. `lsa` must be at least 20 bytes (an LSA header).
    public static func compute(_ lsa: ByteBuffer) -> UInt16 {
        let (c0, c1) = sums(lsa, zeroingChecksum: true)
        let length = lsa.readableBytes - coverageStart
        // The position of the checksum's first byte in the covered bytes, counting from 1.
        let position = fieldOffset - coverageStart + 1
        var x = ((length - position) * c0 - c1) % 255
        if x <= 0 { x += 255 }
        var y = 510 - c0 - x
        if y > 255 { y -= 255 }
        return UInt16(x) << 8 | UInt16(y)
    }

    /// Whether the checksum stored in `lsa` is right: both Fletcher sums of the covered bytes are
    /// zero (RFC 905 Annex B.4). A zero Checksum field never verifies (§12.1.7 forbids it).
    public static func verifies(_ lsa: ByteBuffer) -> Bool {
        guard lsa.readableBytes >= OSPFv2LSAHeader.length,
            lsa.getInteger(at: lsa.readerIndex + fieldOffset, as: UInt16.self) != 0
        else { return false }
        let (c0, c1) = sums(lsa, zeroingChecksum: false)
        return c0 == 0 && c1 == 0
    }

    private static func sums(_ lsa: ByteBuffer, zeroingChecksum: Bool) -> (Int, Int) {
        var c0 = 0
        var c1 = 0
        lsa.withUnsafeReadableBytes { bytes in
            var index = coverageStart
            while index < bytes.count {
                var byte = Int(bytes[index])
                if zeroingChecksum, index == fieldOffset || index == fieldOffset + 1 { byte = 0 }
                c0 += byte
                if c0 >= 255 { c0 -= 255 }
                c1 += c0
                if c1 >= 255 { c1 -= 255 }
                index += 1
            }
        }
        return (c0, c1)
    }
}
