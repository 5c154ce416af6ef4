import OpenFlow

/// Why the datapath refused a message: the `OFPT_ERROR` type and code it answers with
/// (spec 1.3.5 §7.4.4), and a line for logs and test failures.
public struct DatapathError: Error, Hashable, Sendable, CustomStringConvertible {
    public var type: OF13.ErrorMessage.ErrorType
    public var code: UInt16
    public var detail: String

    public init(_ type: OF13.ErrorMessage.ErrorType, _ code: UInt16, _ detail: String = "") {
        self.type = type
        self.code = code
        self.detail = detail
    }

    public var description: String {
        let name = OF13.ErrorMessage(type: type, code: code).codeName
        return detail.isEmpty ? "\(type) \(name)" : "\(type) \(name): \(detail)"
    }

    // OFPET_BAD_REQUEST
    static func badType(_ d: String = "") -> Self { Self(.badRequest, 1, d) }
    static func badMultipart(_ d: String = "") -> Self { Self(.badRequest, 2, d) }
    static func badExperimenter(_ d: String = "") -> Self { Self(.badRequest, 3, d) }
    static func bufferUnknown(_ d: String = "") -> Self { Self(.badRequest, 8, d) }
    static func badTableIDRequest(_ d: String = "") -> Self { Self(.badRequest, 9, d) }
    static func badPortRequest(_ d: String = "") -> Self { Self(.badRequest, 11, d) }
    // OFPET_BAD_ACTION
    static func badActionType(_ d: String = "") -> Self { Self(.badAction, 0, d) }
    static func badOutPort(_ d: String = "") -> Self { Self(.badAction, 4, d) }
    static func badArgument(_ d: String = "") -> Self { Self(.badAction, 5, d) }
    static func badOutGroup(_ d: String = "") -> Self { Self(.badAction, 9, d) }
    static func badSetType(_ d: String = "") -> Self { Self(.badAction, 13, d) }
    // OFPET_BAD_INSTRUCTION
    static func unknownInstruction(_ d: String = "") -> Self { Self(.badInstruction, 0, d) }
    static func unsupportedInstruction(_ d: String = "") -> Self { Self(.badInstruction, 1, d) }
    static func badGotoTable(_ d: String = "") -> Self { Self(.badInstruction, 2, d) }
    // OFPET_BAD_MATCH
    static func badMatchField(_ d: String = "") -> Self { Self(.badMatch, 6, d) }
    static func badPrerequisite(_ d: String = "") -> Self { Self(.badMatch, 9, d) }
    static func duplicateField(_ d: String = "") -> Self { Self(.badMatch, 10, d) }
    // OFPET_FLOW_MOD_FAILED
    static func flowModBadTable(_ d: String = "") -> Self { Self(.flowModFailed, 2, d) }
    static func overlap(_ d: String = "") -> Self { Self(.flowModFailed, 3, d) }
    static func badCommand(_ d: String = "") -> Self { Self(.flowModFailed, 6, d) }
    // OFPET_GROUP_MOD_FAILED
    static func groupExists(_ d: String = "") -> Self { Self(.groupModFailed, 0, d) }
    static func invalidGroup(_ d: String = "") -> Self { Self(.groupModFailed, 1, d) }
    static func groupLoop(_ d: String = "") -> Self { Self(.groupModFailed, 7, d) }
    static func unknownGroup(_ d: String = "") -> Self { Self(.groupModFailed, 8, d) }
    static func chainedGroup(_ d: String = "") -> Self { Self(.groupModFailed, 9, d) }
    static func badGroupType(_ d: String = "") -> Self { Self(.groupModFailed, 10, d) }
    static func badGroupCommand(_ d: String = "") -> Self { Self(.groupModFailed, 11, d) }
    static func badBucket(_ d: String = "") -> Self { Self(.groupModFailed, 12, d) }
    // OFPET_PORT_MOD_FAILED
    static func portModBadPort(_ d: String = "") -> Self { Self(.portModFailed, 0, d) }
    static func portModBadHardwareAddress(_ d: String = "") -> Self { Self(.portModFailed, 1, d) }
    // OFPET_TABLE_MOD_FAILED
    static func tableModBadTable(_ d: String = "") -> Self { Self(.tableModFailed, 0, d) }
    // OFPET_METER_MOD_FAILED
    static func meterExists(_ d: String = "") -> Self { Self(.meterModFailed, 1, d) }
    static func invalidMeter(_ d: String = "") -> Self { Self(.meterModFailed, 2, d) }
    static func unknownMeter(_ d: String = "") -> Self { Self(.meterModFailed, 3, d) }
    static func badMeterCommand(_ d: String = "") -> Self { Self(.meterModFailed, 4, d) }
}
