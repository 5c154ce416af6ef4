import NIOCore
import NetworkAddresses

/// A whole LSA (RFC 2328 §12, §A.4): its header and its body bytes exactly as originated.
///
/// The body is kept as bytes so that an LSA is flooded bit for bit as its originator made it
/// (the checksum covers it); `routerLSA`, `networkLSA` and `summaryLSA` decode it. Only LS age
/// changes in flight, and it is outside the checksum.
public struct OSPFv2LSA: Hashable, Sendable {
    /// Header as on the wire: `length` and `checksum` describe this body.
    public var header: OSPFv2LSAHeader
    /// The bytes after the header, `header.length - 20` of them.
    public var body: ByteBuffer

    /// Originates an LSA: the header's length and Fletcher checksum are computed from `body`.
    public init(
        age: UInt16 = 0, options: OSPFv2Options, type: OSPFv2LSAHeader.LSType, linkStateID: IPv4Address,
        advertisingRouter: IPv4Address, sequenceNumber: Int32, body: ByteBuffer
    ) {
        header = OSPFv2LSAHeader(
            age: age, options: options, type: type, linkStateID: linkStateID, advertisingRouter: advertisingRouter,
            sequenceNumber: sequenceNumber, checksum: 0,
            length: UInt16(truncatingIfNeeded: OSPFv2LSAHeader.length + body.readableBytes))
        self.body = body
        header.checksum = OSPFv2LSAChecksum.compute(encoded())
    }

    /// A router-LSA (§A.4.2) originated with `body`.
    public init(
        age: UInt16 = 0, options: OSPFv2Options = .externalRouting, advertisingRouter: IPv4Address,
        sequenceNumber: Int32, router: OSPFv2RouterLSA
    ) {
        self.init(
            age: age, options: options, type: .router, linkStateID: advertisingRouter,
            advertisingRouter: advertisingRouter, sequenceNumber: sequenceNumber, body: router.encoded())
    }

    /// Parses the LSA at the start of `buffer`; the buffer may go on past it (LSAs follow each
    /// other in a Link State Update). `.badChecksum` if the Fletcher checksum is wrong and
    /// `verifyingChecksum` is set.
    public init(parsing buffer: ByteBuffer, verifyingChecksum: Bool = true) throws(PacketError) {
        header = try OSPFv2LSAHeader(parsing: buffer)
        let reader = WireReader(buffer, layer: "OSPFv2 LSA")
        let length = Int(header.length)
        guard length >= OSPFv2LSAHeader.length else { throw reader.error(.badLength, "length", at: 18) }
        guard length <= reader.count else { throw reader.error(.truncated, "length", at: 18) }
        body = try reader.slice(at: OSPFv2LSAHeader.length, length: length - OSPFv2LSAHeader.length, "body")
        if verifyingChecksum {
            guard OSPFv2LSAChecksum.verifies(try reader.slice(at: 0, length: length, "LSA")) else {
                throw reader.error(.badChecksum, "LS checksum", at: 16)
            }
        }
    }

    public var key: OSPFv2LSAHeader.Key { header.key }

    /// Whether the stored checksum matches header and body.
    public var checksumVerifies: Bool { OSPFv2LSAChecksum.verifies(encoded()) }

    /// The body as a router-LSA; `.badValue` if the LS type is not 1.
    public var routerLSA: OSPFv2RouterLSA {
        get throws(PacketError) {
            guard header.type == .router else {
                throw PacketError(.badValue, layer: "OSPFv2 LSA", field: "LS type", offset: 3)
            }
            return try OSPFv2RouterLSA(parsing: body)
        }
    }

    /// The body as a network-LSA; `.badValue` if the LS type is not 2.
    public var networkLSA: OSPFv2NetworkLSA {
        get throws(PacketError) {
            guard header.type == .network else {
                throw PacketError(.badValue, layer: "OSPFv2 LSA", field: "LS type", offset: 3)
            }
            return try OSPFv2NetworkLSA(parsing: body)
        }
    }

    /// The body as a summary-LSA; `.badValue` if the LS type is not 3 or 4.
    public var summaryLSA: OSPFv2SummaryLSA {
        get throws(PacketError) {
            guard header.type == .summaryNetwork || header.type == .summaryASBR else {
                throw PacketError(.badValue, layer: "OSPFv2 LSA", field: "LS type", offset: 3)
            }
            return try OSPFv2SummaryLSA(parsing: body)
        }
    }

    /// Writes header and body as they are (LS age included).
    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        header.write(to: &buffer) + buffer.writeImmutableBuffer(body)
    }

    public func encoded() -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(OSPFv2LSAHeader.length + body.readableBytes)
        write(to: &buffer)
        return buffer
    }

    /// This LSA with LS age set to `age`, nothing else changed (the checksum does not cover it).
    public func withAge(_ age: UInt16) -> OSPFv2LSA {
        var copy = self
        copy.header.age = age
        return copy
    }
}
