import NIOCore

/// Allocation- and retain-free validation of the hot TLV lists (OXM fields, actions,
/// instructions) straight over the received bytes.
///
/// Each function answers only "would ``WireListElement/read(from:)`` accept every element of
/// this list?". When the answer is no, ``WireList/init(validating:)`` runs the element-wise
/// validation again to throw the precise error, so these stay simple and never build a value.
enum RawValidation {
    @inline(__always)
    static func u16(_ raw: UnsafeRawBufferPointer, _ at: Int) -> Int {
        Int(UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt16.self)))
    }

    @inline(__always)
    static func u32(_ raw: UnsafeRawBufferPointer, _ at: Int) -> UInt32 {
        UInt32(bigEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }

    /// A list of OXM TLVs in `raw[start..<end]`.
    static func oxmList(_ raw: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Bool {
        var at = start
        while at < end {
            guard end - at >= 4 else { return false }
            let header = u32(raw, at)
            let length = Int(header & 0xFF)
            if header >> 16 == UInt32(OXMField.basicClass) {
                let field = Int((header >> 9) & 0x7F)
                if let width = OXMField.basicWidth(field) {
                    guard length == (header & 0x100 != 0 ? 2 * width : width) else { return false }
                }
            }
            at += 4 + length
        }
        return at == end
    }

    /// A list of OF1.3 actions in `raw[start..<end]`.
    static func actionList(_ raw: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Bool {
        var at = start
        while at < end {
            guard end - at >= 4 else { return false }
            let type = u16(raw, at)
            let length = u16(raw, at + 2)
            guard length >= 8, length & 7 == 0, length <= end - at else { return false }
            switch type {
            case 0:
                guard length == 16 else { return false }
            case 11, 12, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 26, 27:
                guard length == 8 else { return false }
            case 25:
                let oxmLength = Int(u32(raw, at + 4) & 0xFF)
                guard length == (8 + oxmLength + 7) / 8 * 8, oxmList(raw, from: at + 4, to: at + 8 + oxmLength)
                else { return false }
            default:
                break
            }
            at += length
        }
        return true
    }

    /// A list of OF1.3 instructions in `raw[start..<end]`.
    static func instructionList(_ raw: UnsafeRawBufferPointer, from start: Int, to end: Int) -> Bool {
        var at = start
        while at < end {
            guard end - at >= 4 else { return false }
            let type = u16(raw, at)
            let length = u16(raw, at + 2)
            guard length >= 8, length & 7 == 0, length <= end - at else { return false }
            switch type {
            case 1, 5, 6:
                guard length == 8 else { return false }
            case 2:
                guard length == 24 else { return false }
            case 3, 4:
                guard actionList(raw, from: at + 8, to: at + length) else { return false }
            default:
                break
            }
            at += length
        }
        return true
    }
}

extension OXMField {
    public static func isValidList(_ raw: UnsafeRawBufferPointer) -> Bool? {
        RawValidation.oxmList(raw, from: 0, to: raw.count)
    }
}

extension OF13.Action {
    public static func isValidList(_ raw: UnsafeRawBufferPointer) -> Bool? {
        RawValidation.actionList(raw, from: 0, to: raw.count)
    }
}

extension OF13.Instruction {
    public static func isValidList(_ raw: UnsafeRawBufferPointer) -> Bool? {
        RawValidation.instructionList(raw, from: 0, to: raw.count)
    }
}
