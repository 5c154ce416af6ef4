/// OpenFlow 1.0 (wire version 0x01), as specified in OpenFlow Switch Specification 1.0.0.
public enum OF10 {
    public static let version: UInt8 = 0x01

    /// `buffer_id` -1: the packet is not buffered at the switch (spec 1.0.0 §5.3.3, 5.4.1).
    public static let noBuffer: UInt32 = 0xFFFF_FFFF
}
