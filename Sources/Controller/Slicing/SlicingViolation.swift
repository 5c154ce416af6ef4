import NIOCore
import OpenFlow

/// Why a message of a virtual network's controller was refused, as the `OFPT_ERROR` type and
/// code the controller gets back (spec 1.3.5 §7.4.4), and a sentence for the log.
public struct SlicingViolation: Error, Hashable, Sendable, CustomStringConvertible {
    public var type: OF13.ErrorMessage.ErrorType
    public var code: UInt16
    public var reason: String

    public init(type: OF13.ErrorMessage.ErrorType, code: UInt16, reason: String) {
        self.type = type
        self.code = code
        self.reason = reason
    }

    /// `OFPET_BAD_REQUEST` / `OFPBRC_BAD_TYPE`: a message a controller may not send.
    public static func badType(_ reason: String) -> Self { .init(type: .badRequest, code: 1, reason: reason) }
    /// `OFPET_BAD_REQUEST` / `OFPBRC_EPERM`.
    public static func requestNotPermitted(_ reason: String) -> Self { .init(type: .badRequest, code: 5, reason: reason) }
    /// `OFPET_BAD_REQUEST` / `OFPBRC_BUFFER_UNKNOWN`.
    public static func bufferUnknown(_ reason: String) -> Self { .init(type: .badRequest, code: 8, reason: reason) }
    /// `OFPET_BAD_ACTION` / `OFPBAC_EPERM`.
    public static func actionNotPermitted(_ reason: String) -> Self { .init(type: .badAction, code: 6, reason: reason) }
    /// `OFPET_BAD_INSTRUCTION` / `OFPBIC_EPERM`.
    public static func instructionNotPermitted(_ reason: String) -> Self { .init(type: .badInstruction, code: 8, reason: reason) }
    /// `OFPET_BAD_MATCH` / `OFPBMC_EPERM`.
    public static func matchNotPermitted(_ reason: String) -> Self { .init(type: .badMatch, code: 11, reason: reason) }
    /// `OFPET_BAD_MATCH` / `OFPBMC_DUP_FIELD`.
    public static func duplicateField(_ reason: String) -> Self { .init(type: .badMatch, code: 10, reason: reason) }
    /// `OFPET_FLOW_MOD_FAILED` / `OFPFMFC_EPERM`.
    public static func flowModNotPermitted(_ reason: String) -> Self { .init(type: .flowModFailed, code: 4, reason: reason) }
    /// `OFPET_GROUP_MOD_FAILED` / `OFPGMFC_EPERM`.
    public static func groupModNotPermitted(_ reason: String) -> Self { .init(type: .groupModFailed, code: 14, reason: reason) }
    /// `OFPET_PORT_MOD_FAILED` / `OFPPMFC_EPERM`.
    public static func portModNotPermitted(_ reason: String) -> Self { .init(type: .portModFailed, code: 4, reason: reason) }
    /// `OFPET_TABLE_MOD_FAILED` / `OFPTMFC_EPERM`.
    public static func tableModNotPermitted(_ reason: String) -> Self { .init(type: .tableModFailed, code: 2, reason: reason) }

    /// The `OFPT_ERROR` body about `offending`: its first 64 bytes as data, as the spec asks.
    public func errorMessage(about offending: OpenFlowMessage) -> OF13.ErrorMessage {
        var bytes = ByteBuffer()
        let length = bytes.writeOpenFlowMessage(offending)
        return OF13.ErrorMessage(type: type, code: code, data: bytes.getSlice(at: 0, length: min(64, length)) ?? ByteBuffer())
    }

    public var description: String { "\(type) code \(code): \(reason)" }
}
