/// OpenFlow 1.3 (wire version 0x04), as specified in OpenFlow Switch Specification 1.3.5.
public enum OF13 {
    public static let version: UInt8 = 0x04
}
