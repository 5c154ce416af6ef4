import NIOCore

/// An element of a variable-length OpenFlow list: an OXM TLV, an action, an instruction, a
/// bucket, a multipart body entry.
public protocol WireListElement: Hashable, Sendable {
    /// Reads one element from the front of `reader`, which holds the rest of the list.
    static func read(from reader: inout WireReader) throws(OpenFlowError) -> Self
    /// Writes the element, including its padding; returns the number of bytes written.
    @discardableResult
    func write(to buffer: inout ByteBuffer) -> Int
    /// Checks that one element can be read from the front of `reader` and moves past it,
    /// without building the value. It must accept exactly what ``read(from:)`` accepts; the
    /// default calls it. Hot elements (OXM fields, actions, instructions) skip the value.
    static func validate(_ reader: inout WireReader) throws(OpenFlowError)
    /// A fast check of a whole list's bytes that must agree with ``validate(_:)``: true when
    /// every element is valid, false when one is not, nil when the element has no fast check.
    static func isValidList(_ raw: UnsafeRawBufferPointer) -> Bool?
}

extension WireListElement {
    public static func isValidList(_ raw: UnsafeRawBufferPointer) -> Bool? { nil }

    public static func validate(_ reader: inout WireReader) throws(OpenFlowError) {
        _ = try read(from: &reader)
    }
}

/// A list of OpenFlow TLVs kept in its wire form, validated once on decode and decoded to
/// typed elements as it is iterated.
///
/// Keeping the bytes, rather than an `Array`, is what lets a decoded FLOW_MOD or PACKET_IN cost
/// no allocation (the bytes are a slice of the received buffer), and makes re-encoding a
/// decoded message byte-for-byte exact. Two lists are equal when their bytes are.
public struct WireList<Element: WireListElement>: Hashable, Sendable {
    /// The encoded elements, back to back, as on the wire.
    public let bytes: ByteBuffer

    /// Encodes `elements`. Inlinable so that callers in other modules (apps building matches
    /// and actions per packet) get a specialised loop rather than generic dispatch.
    @inlinable
    public init(_ elements: some Sequence<Element>) {
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        for element in elements { element.write(to: &buffer) }
        self.bytes = buffer
    }

    public init() { self.bytes = ByteBuffer() }

    /// Takes all of `reader`'s bytes as the list, after checking that every element decodes.
    public init(validating reader: WireReader) throws(OpenFlowError) {
        if reader.buffer.withUnsafeReadableBytes({ Element.isValidList($0) }) == true {
            self.bytes = reader.buffer
            return
        }
        // Either no fast check, or it failed: validate element by element, which throws the
        // precise error.
        var cursor = reader
        while !cursor.isEmpty {
            try Element.validate(&cursor)
        }
        self.bytes = reader.buffer
    }

    /// The decoded elements.
    public var elements: [Element] { Array(self) }

    public var isEmpty: Bool { bytes.readableBytes == 0 }

    /// The encoded size in bytes.
    public var byteCount: Int { bytes.readableBytes }

    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        buffer.writeImmutableBuffer(bytes)
    }
}

extension WireList: Sequence {
    public struct Iterator: IteratorProtocol {
        var reader: WireReader

        public mutating func next() -> Element? {
            // The bytes were validated (or written by us), so this never fails; if it ever
            // did, iteration stops rather than trapping.
            guard !reader.isEmpty, let element = try? Element.read(from: &reader) else { return nil }
            return element
        }
    }

    public func makeIterator() -> Iterator {
        Iterator(reader: WireReader(bytes, message: "list"))
    }
}

extension WireList: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: Element...) { self.init(elements) }
}

extension WireList: CustomStringConvertible {
    public var description: String { "[" + map { "\($0)" }.joined(separator: ", ") + "]" }
}

extension WireList: Codable where Element: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try [Element](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try elements.encode(to: encoder)
    }
}
