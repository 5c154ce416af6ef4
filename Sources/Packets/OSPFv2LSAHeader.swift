import NIOCore
import NetworkAddresses

/// The 20-byte LSA header (RFC 2328 §A.4.1), alone in Database Description and Link State
/// Acknowledgment packets and in front of every LSA.
///
///    |            LS age             |    Options    |    LS type    |
///    |                        Link State ID                          |
///    |                     Advertising Router                        |
///    |                     LS sequence number                        |
///    |         LS checksum           |             length            |
///
/// Unlike the packet checksums, LS checksum and length are stored: they identify an LSA
/// instance (§13.1) when only the header travels.
public struct OSPFv2LSAHeader: Hashable, Sendable {
    /// LS type (§A.4.1). A struct so that unknown types survive a parse.
    public struct LSType: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
        public var rawValue: UInt8
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        public static let router = LSType(rawValue: 1)
        public static let network = LSType(rawValue: 2)
        public static let summaryNetwork = LSType(rawValue: 3)
        public static let summaryASBR = LSType(rawValue: 4)
        public static let asExternal = LSType(rawValue: 5)
        /// Types 1 to 5, the ones RFC 2328 defines.
        public var isStandard: Bool { (1...5).contains(rawValue) }
        public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
        public var description: String {
            switch rawValue {
            case 1: "router"
            case 2: "network"
            case 3: "summary-network"
            case 4: "summary-ASBR"
            case 5: "AS-external"
            default: "type-\(rawValue)"
            }
        }
    }

    /// What identifies an LSA in the database, whatever its instance (§12.1).
    public struct Key: Hashable, Sendable, Comparable, CustomStringConvertible {
        public var type: LSType
        public var linkStateID: IPv4Address
        public var advertisingRouter: IPv4Address
        public init(type: LSType, linkStateID: IPv4Address, advertisingRouter: IPv4Address) {
            self.type = type
            self.linkStateID = linkStateID
            self.advertisingRouter = advertisingRouter
        }
        public static func < (a: Self, b: Self) -> Bool {
            (a.type, a.linkStateID, a.advertisingRouter) < (b.type, b.linkStateID, b.advertisingRouter)
        }
        public var description: String { "\(type) \(linkStateID) adv \(advertisingRouter)" }
    }

    /// Seconds since origination.
    public var age: UInt16
    public var options: OSPFv2Options
    public var type: LSType
    public var linkStateID: IPv4Address
    public var advertisingRouter: IPv4Address
    /// LS sequence number, a signed 32-bit value (§12.1.6).
    public var sequenceNumber: Int32
    public var checksum: UInt16
    /// Length of the whole LSA, header included.
    public var length: UInt16

    public static let length = 20
    /// MaxAge (§B): an LSA this old is being flushed.
    public static let maxAge: UInt16 = 3600
    /// InitialSequenceNumber (§12.1.6).
    public static let initialSequenceNumber: Int32 = Int32(bitPattern: 0x8000_0001)
    /// MaxSequenceNumber (§12.1.6).
    public static let maxSequenceNumber: Int32 = 0x7FFF_FFFF

    public init(
        age: UInt16, options: OSPFv2Options, type: LSType, linkStateID: IPv4Address,
        advertisingRouter: IPv4Address, sequenceNumber: Int32, checksum: UInt16, length: UInt16
    ) {
        self.age = age
        self.options = options
        self.type = type
        self.linkStateID = linkStateID
        self.advertisingRouter = advertisingRouter
        self.sequenceNumber = sequenceNumber
        self.checksum = checksum
        self.length = length
    }

    public var key: Key { Key(type: type, linkStateID: linkStateID, advertisingRouter: advertisingRouter) }

    /// Parses the header at the start of `buffer` (further bytes are ignored).
    public init(parsing buffer: ByteBuffer) throws(PacketError) {
        let reader = WireReader(buffer, layer: "OSPFv2 LSA header")
        age = try reader.integer(at: 0, "LS age")
        options = OSPFv2Options(rawValue: try reader.integer(at: 2, "options"))
        type = LSType(rawValue: try reader.integer(at: 3, "LS type"))
        linkStateID = try reader.ipv4(at: 4, "Link State ID")
        advertisingRouter = try reader.ipv4(at: 8, "Advertising Router")
        sequenceNumber = try reader.integer(at: 12, "LS sequence number")
        checksum = try reader.integer(at: 16, "LS checksum")
        length = try reader.integer(at: 18, "length")
    }

    /// Parses a list of headers filling `buffer` exactly (a DD or LSAck body's tail).
    static func parseList(_ buffer: ByteBuffer, layer: String, from start: Int) throws(PacketError) -> [OSPFv2LSAHeader] {
        let reader = WireReader(buffer, layer: layer)
        guard (reader.count - start) % length == 0 else {
            throw reader.error(.badLength, "LSA header list", at: start)
        }
        var headers: [OSPFv2LSAHeader] = []
        headers.reserveCapacity((reader.count - start) / length)
        var offset = start
        while offset < reader.count {
            headers.append(try OSPFv2LSAHeader(parsing: try reader.slice(at: offset, length: length, "LSA header")))
            offset += length
        }
        return headers
    }

    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        var written = buffer.writeInteger(age)
        written += buffer.writeInteger(options.rawValue)
        written += buffer.writeInteger(type.rawValue)
        written += buffer.writeIPv4(linkStateID)
        written += buffer.writeIPv4(advertisingRouter)
        written += buffer.writeInteger(sequenceNumber)
        written += buffer.writeInteger(checksum)
        written += buffer.writeInteger(length)
        return written
    }

    /// Which of two instances of the same LSA is newer (§13.1): higher sequence number, then
    /// higher checksum, then the one at MaxAge, then (if ages differ by more than MaxAgeDiff)
    /// the younger. `nil` when they are the same instance.
    public static func newer(_ a: OSPFv2LSAHeader, _ b: OSPFv2LSAHeader, maxAgeDiff: UInt16 = 900) -> OSPFv2LSAHeader? {
        if a.sequenceNumber != b.sequenceNumber { return a.sequenceNumber > b.sequenceNumber ? a : b }
        if a.checksum != b.checksum { return a.checksum > b.checksum ? a : b }
        let aMax = a.age >= maxAge
        let bMax = b.age >= maxAge
        if aMax != bMax { return aMax ? a : b }
        let difference = a.age > b.age ? a.age - b.age : b.age - a.age
        if difference > maxAgeDiff { return a.age < b.age ? a : b }
        return nil
    }

    /// Whether `self` is a newer instance than `other` (§13.1).
    public func isNewer(than other: OSPFv2LSAHeader) -> Bool {
        guard let newer = Self.newer(self, other) else { return false }
        return newer == self && newer != other
    }

    /// Whether the two headers describe the same instance (§13.1: neither is newer).
    public func isSameInstance(as other: OSPFv2LSAHeader) -> Bool { Self.newer(self, other) == nil }
}
