import NIOCore
import NetworkAddresses

extension LLDPDU {
    /// A TLV type (IEEE 802.1AB-2016 §8.4.1, Table 8-1): 7 bits on the wire.
    public struct TLVType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }

        public static let end = TLVType(rawValue: 0)
        public static let chassisID = TLVType(rawValue: 1)
        public static let portID = TLVType(rawValue: 2)
        public static let timeToLive = TLVType(rawValue: 3)
        public static let portDescription = TLVType(rawValue: 4)
        public static let systemName = TLVType(rawValue: 5)
        public static let systemDescription = TLVType(rawValue: 6)
        public static let systemCapabilities = TLVType(rawValue: 7)
        public static let managementAddress = TLVType(rawValue: 8)
        public static let organizationallySpecific = TLVType(rawValue: 127)

        public var description: String {
            switch self {
            case .end: "End of LLDPDU"
            case .chassisID: "Chassis ID"
            case .portID: "Port ID"
            case .timeToLive: "Time To Live"
            default: "type \(rawValue)"
            }
        }
    }

    /// An optional TLV kept as type and value bytes (the value excludes the 2-byte header).
    public struct TLV: Hashable, Sendable {
        public var type: TLVType
        public var value: ByteBuffer

        public init(type: TLVType, value: ByteBuffer) {
            self.type = type
            self.value = value
        }

        /// A TLV holding UTF-8 text, as System Name (§8.5.6) and Port Description (§8.5.5) do.
        public init(type: TLVType, text: String) {
            self.init(type: type, value: ByteBuffer(string: text))
        }
    }

    /// The Chassis ID TLV's value (§8.5.2): a subtype saying what the ID is, and the ID bytes.
    public struct ChassisID: Hashable, Sendable {
        /// §8.5.2.2, Table 8-2.
        public struct Subtype: RawRepresentable, Hashable, Sendable {
            public var rawValue: UInt8
            public init(rawValue: UInt8) { self.rawValue = rawValue }
            public static let chassisComponent = Subtype(rawValue: 1)
            public static let interfaceAlias = Subtype(rawValue: 2)
            public static let portComponent = Subtype(rawValue: 3)
            public static let macAddress = Subtype(rawValue: 4)
            public static let networkAddress = Subtype(rawValue: 5)
            public static let interfaceName = Subtype(rawValue: 6)
            public static let locallyAssigned = Subtype(rawValue: 7)
        }

        public var subtype: Subtype
        public var id: ByteBuffer

        public init(subtype: Subtype, id: ByteBuffer) {
            self.subtype = subtype
            self.id = id
        }

        public static func macAddress(_ address: MACAddress) -> ChassisID {
            var id = ByteBuffer()
            id.writeMAC(address)
            return ChassisID(subtype: .macAddress, id: id)
        }

        /// A locally assigned text ID, such as the `dpid:<16 hex digits>` that OpenFlow
        /// controllers put here.
        public static func locallyAssigned(_ text: String) -> ChassisID {
            ChassisID(subtype: .locallyAssigned, id: ByteBuffer(string: text))
        }

        /// The address, when the subtype is MAC address and the ID is six bytes.
        public var macAddress: MACAddress? { subtype == .macAddress ? id.macAddressIfSixBytes : nil }

        /// The ID as UTF-8 text, when it is valid UTF-8.
        public var text: String? { id.utf8TextIfValid }
    }

    /// The Port ID TLV's value (§8.5.3): a subtype saying what the ID is, and the ID bytes.
    public struct PortID: Hashable, Sendable {
        /// §8.5.3.2, Table 8-3.
        public struct Subtype: RawRepresentable, Hashable, Sendable {
            public var rawValue: UInt8
            public init(rawValue: UInt8) { self.rawValue = rawValue }
            public static let interfaceAlias = Subtype(rawValue: 1)
            public static let portComponent = Subtype(rawValue: 2)
            public static let macAddress = Subtype(rawValue: 3)
            public static let networkAddress = Subtype(rawValue: 4)
            public static let interfaceName = Subtype(rawValue: 5)
            public static let agentCircuitID = Subtype(rawValue: 6)
            public static let locallyAssigned = Subtype(rawValue: 7)
        }

        public var subtype: Subtype
        public var id: ByteBuffer

        public init(subtype: Subtype, id: ByteBuffer) {
            self.subtype = subtype
            self.id = id
        }

        public static func macAddress(_ address: MACAddress) -> PortID {
            var id = ByteBuffer()
            id.writeMAC(address)
            return PortID(subtype: .macAddress, id: id)
        }

        public static func interfaceName(_ name: String) -> PortID {
            PortID(subtype: .interfaceName, id: ByteBuffer(string: name))
        }

        public static func locallyAssigned(_ text: String) -> PortID {
            PortID(subtype: .locallyAssigned, id: ByteBuffer(string: text))
        }

        /// A port number as four big-endian bytes with subtype port component, as Ryu and
        /// other OpenFlow controllers send it.
        public static func portNumber(_ number: UInt32) -> PortID {
            var id = ByteBuffer()
            id.writeInteger(number)
            return PortID(subtype: .portComponent, id: id)
        }

        /// The port number, when the subtype is port component and the ID is 4 bytes.
        public var portNumber: UInt32? {
            guard subtype == .portComponent, id.readableBytes == 4 else { return nil }
            return id.getInteger(at: id.readerIndex)
        }

        public var macAddress: MACAddress? { subtype == .macAddress ? id.macAddressIfSixBytes : nil }

        public var text: String? { id.utf8TextIfValid }
    }
}

extension ByteBuffer {
    fileprivate var macAddressIfSixBytes: MACAddress? {
        guard readableBytes == 6 else { return nil }
        return try? WireReader(self, layer: "LLDP").mac(at: 0, "ID")
    }

    fileprivate var utf8TextIfValid: String? {
        guard let bytes = getBytes(at: readerIndex, length: readableBytes) else { return nil }
        // String(decoding:) repairs invalid UTF-8; the text is valid if nothing was repaired.
        let text = String(decoding: bytes, as: UTF8.self)
        return text.utf8.elementsEqual(bytes) ? text : nil
    }
}
