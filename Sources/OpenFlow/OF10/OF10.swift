/// OpenFlow 1.0 (wire version 0x01), as specified in OpenFlow Switch Specification 1.0.0.
public enum OF10 {
    public static let version: UInt8 = 0x01
}
