/// OpenFlow wire versions (`ofp_header.version`).
public enum OpenFlowVersion {
    public static let v10: UInt8 = 0x01
    public static let v11: UInt8 = 0x02
    public static let v12: UInt8 = 0x03
    public static let v13: UInt8 = 0x04
    public static let v14: UInt8 = 0x05
    public static let v15: UInt8 = 0x06

    /// The versions this codec decodes fully.
    public static let supported: Set<UInt8> = [v10, v13]

    /// "OF1.3" for 0x04.
    public static func name(_ version: UInt8) -> String {
        switch version {
        case 1...7: "OF1.\(version - 1)"
        default: "OF(0x\(String(version, radix: 16)))"
        }
    }

    /// Version negotiation (spec 1.3.5 §6.3.1): if both HELLOs carry a version bitmap, the
    /// highest version in both; otherwise the smaller of the two header versions, if we
    /// support it. Nil means the connection must fail with `OFPET_HELLO_FAILED`.
    public static func negotiate(
        ours: Set<UInt8>, ourHeaderVersion: UInt8, theirs: Hello, theirHeaderVersion: UInt8
    ) -> UInt8? {
        if let theirBitmap = theirs.versionBitmap {
            return ours.intersection(theirBitmap).max()
        }
        let candidate = min(ourHeaderVersion, theirHeaderVersion)
        return ours.contains(candidate) ? candidate : nil
    }
}
