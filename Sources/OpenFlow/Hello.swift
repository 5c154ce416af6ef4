import NIOCore

/// `OFPT_HELLO` (spec 1.3.5 §7.5.1), in the form shared by every version: a list of hello
/// elements, of which the version bitmap is the only one defined. An OpenFlow 1.0 HELLO has
/// no elements.
public struct Hello: Hashable, Sendable, Codable {
    public var elements: WireList<Element>

    public init(elements: WireList<Element> = []) { self.elements = elements }

    /// A HELLO that announces `versions` in an `OFPHET_VERSIONBITMAP` element.
    public init(versions: Set<UInt8>) {
        var bitmaps: [UInt32] = []
        for version in versions {
            let word = Int(version) / 32
            while bitmaps.count <= word { bitmaps.append(0) }
            bitmaps[word] |= 1 << (UInt32(version) % 32)
        }
        self.elements = [.versionBitmap(bitmaps)]
    }

    /// The versions of the first version-bitmap element, or nil if there is none.
    public var versionBitmap: Set<UInt8>? {
        for element in elements {
            if case .versionBitmap(let bitmaps) = element {
                var versions: Set<UInt8> = []
                for (word, bits) in bitmaps.enumerated() where word < 8 {
                    for bit in 0..<32 where bits & (1 << UInt32(bit)) != 0 {
                        versions.insert(UInt8(word * 32 + bit))
                    }
                }
                return versions
            }
        }
        return nil
    }

    /// `struct ofp_hello_elem_header`: type, length (without padding), body, padding to 8.
    public enum Element: Hashable, Sendable, Codable, WireListElement {
        /// `OFPHET_VERSIONBITMAP`: bit `n` of the bitmaps set means version `n` is supported.
        case versionBitmap([UInt32])
        case unknown(type: UInt16, body: ByteBuffer)

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> Element {
            let type = try reader.readU16("hello_elem.type")
            let length = Int(try reader.readU16("hello_elem.length"))
            guard length >= 4 else { throw reader.error(.badLength, "hello_elem.length", "\(length) < 4") }
            var body = try reader.subReader(length - 4, "hello_elem")
            try reader.skip((length + 7) / 8 * 8 - length, "hello_elem.pad")
            if type == 1 {
                guard (length - 4) % 4 == 0 else {
                    throw body.error(.badLength, "hello_elem.length", "bitmap of \(length - 4) bytes")
                }
                var bitmaps: [UInt32] = []
                while !body.isEmpty { bitmaps.append(try body.readU32("hello_elem.bitmaps")) }
                return .versionBitmap(bitmaps)
            }
            return .unknown(type: type, body: body.readRest())
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            let length: Int
            switch self {
            case .versionBitmap(let bitmaps):
                length = 4 + 4 * bitmaps.count
                buffer.writeInteger(UInt16(1))
                buffer.writeInteger(UInt16(truncatingIfNeeded: length))
                for bitmap in bitmaps { buffer.writeInteger(bitmap) }
            case .unknown(let type, let body):
                length = 4 + body.readableBytes
                buffer.writeInteger(type)
                buffer.writeInteger(UInt16(truncatingIfNeeded: length))
                buffer.writeImmutableBuffer(body)
            }
            let padded = (length + 7) / 8 * 8
            buffer.writeZeros(padded - length)
            return padded
        }
    }
}

extension Hello: CustomStringConvertible {
    public var description: String {
        guard let versions = versionBitmap else { return "no version bitmap" }
        return "version bitmap: " + versions.sorted().map(OpenFlowVersion.name).joined(separator: ", ")
    }
}
