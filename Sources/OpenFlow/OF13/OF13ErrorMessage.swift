import NIOCore

extension OF13 {
    /// `OFPT_ERROR`, `struct ofp_error_msg` (spec 1.3.5 §7.4.4): a type, a code and at least
    /// the first 64 bytes of the request that failed. `OFPET_EXPERIMENTER` errors carry an
    /// experimenter type and id instead of a code.
    public struct ErrorMessage: OF13MessageBody {
        public var type: ErrorType
        /// The code; for `OFPET_EXPERIMENTER`, the experimenter-defined `exp_type`.
        public var code: UInt16
        /// For `OFPET_EXPERIMENTER` only: the experimenter id.
        public var experimenter: UInt32?
        /// The offending request's bytes (or, for HELLO_FAILED, an ASCII explanation).
        public var data: ByteBuffer

        public init(type: ErrorType, code: UInt16, data: ByteBuffer = ByteBuffer()) {
            self.type = type
            self.code = code
            self.experimenter = nil
            self.data = data
        }

        public init(experimenter: UInt32, experimenterType: UInt16, data: ByteBuffer = ByteBuffer()) {
            self.type = .experimenter
            self.code = experimenterType
            self.experimenter = experimenter
            self.data = data
        }

        /// `enum ofp_error_type`.
        public struct ErrorType: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
            public var rawValue: UInt16
            public init(rawValue: UInt16) { self.rawValue = rawValue }
            public static let helloFailed = ErrorType(rawValue: 0)
            public static let badRequest = ErrorType(rawValue: 1)
            public static let badAction = ErrorType(rawValue: 2)
            public static let badInstruction = ErrorType(rawValue: 3)
            public static let badMatch = ErrorType(rawValue: 4)
            public static let flowModFailed = ErrorType(rawValue: 5)
            public static let groupModFailed = ErrorType(rawValue: 6)
            public static let portModFailed = ErrorType(rawValue: 7)
            public static let tableModFailed = ErrorType(rawValue: 8)
            public static let queueOpFailed = ErrorType(rawValue: 9)
            public static let switchConfigFailed = ErrorType(rawValue: 10)
            public static let roleRequestFailed = ErrorType(rawValue: 11)
            public static let meterModFailed = ErrorType(rawValue: 12)
            public static let tableFeaturesFailed = ErrorType(rawValue: 13)
            public static let experimenter = ErrorType(rawValue: 0xFFFF)

            public var description: String {
                guard let entry = OF13.errorTable[rawValue] else {
                    return rawValue == 0xFFFF ? "OFPET_EXPERIMENTER" : "OFPET_\(rawValue)"
                }
                return entry.name
            }
        }

        /// The spec's name of the code (`OFPBRC_BAD_TYPE`), or its number.
        public var codeName: String {
            guard type != .experimenter, let entry = OF13.errorTable[type.rawValue],
                Int(code) < entry.codes.count
            else { return String(code) }
            return entry.codes[Int(code)]
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> ErrorMessage {
            let type = ErrorType(rawValue: try reader.readU16("type"))
            let code = try reader.readU16("code")
            if type == .experimenter {
                let experimenter = try reader.readU32("experimenter")
                return ErrorMessage(experimenter: experimenter, experimenterType: code, data: reader.readRest())
            }
            return ErrorMessage(type: type, code: code, data: reader.readRest())
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(type.rawValue)
            buffer.writeInteger(code)
            if type == .experimenter { buffer.writeInteger(experimenter ?? 0) }
            buffer.writeImmutableBuffer(data)
        }
    }

    /// Every error type of spec 1.3.5 §7.4.4 with its codes' names, indexed by code.
    static let errorTable: [UInt16: (name: String, codes: [String])] = [
        0: ("OFPET_HELLO_FAILED", ["OFPHFC_INCOMPATIBLE", "OFPHFC_EPERM"]),
        1: (
            "OFPET_BAD_REQUEST",
            [
                "OFPBRC_BAD_VERSION", "OFPBRC_BAD_TYPE", "OFPBRC_BAD_MULTIPART", "OFPBRC_BAD_EXPERIMENTER",
                "OFPBRC_BAD_EXP_TYPE", "OFPBRC_EPERM", "OFPBRC_BAD_LEN", "OFPBRC_BUFFER_EMPTY",
                "OFPBRC_BUFFER_UNKNOWN", "OFPBRC_BAD_TABLE_ID", "OFPBRC_IS_SLAVE", "OFPBRC_BAD_PORT",
                "OFPBRC_BAD_PACKET", "OFPBRC_MULTIPART_BUFFER_OVERFLOW",
            ]
        ),
        2: (
            "OFPET_BAD_ACTION",
            [
                "OFPBAC_BAD_TYPE", "OFPBAC_BAD_LEN", "OFPBAC_BAD_EXPERIMENTER", "OFPBAC_BAD_EXP_TYPE",
                "OFPBAC_BAD_OUT_PORT", "OFPBAC_BAD_ARGUMENT", "OFPBAC_EPERM", "OFPBAC_TOO_MANY",
                "OFPBAC_BAD_QUEUE", "OFPBAC_BAD_OUT_GROUP", "OFPBAC_MATCH_INCONSISTENT",
                "OFPBAC_UNSUPPORTED_ORDER", "OFPBAC_BAD_TAG", "OFPBAC_BAD_SET_TYPE", "OFPBAC_BAD_SET_LEN",
                "OFPBAC_BAD_SET_ARGUMENT",
            ]
        ),
        3: (
            "OFPET_BAD_INSTRUCTION",
            [
                "OFPBIC_UNKNOWN_INST", "OFPBIC_UNSUP_INST", "OFPBIC_BAD_TABLE_ID", "OFPBIC_UNSUP_METADATA",
                "OFPBIC_UNSUP_METADATA_MASK", "OFPBIC_BAD_EXPERIMENTER", "OFPBIC_BAD_EXP_TYPE",
                "OFPBIC_BAD_LEN", "OFPBIC_EPERM",
            ]
        ),
        4: (
            "OFPET_BAD_MATCH",
            [
                "OFPBMC_BAD_TYPE", "OFPBMC_BAD_LEN", "OFPBMC_BAD_TAG", "OFPBMC_BAD_DL_ADDR_MASK",
                "OFPBMC_BAD_NW_ADDR_MASK", "OFPBMC_BAD_WILDCARDS", "OFPBMC_BAD_FIELD", "OFPBMC_BAD_VALUE",
                "OFPBMC_BAD_MASK", "OFPBMC_BAD_PREREQ", "OFPBMC_DUP_FIELD", "OFPBMC_EPERM",
            ]
        ),
        5: (
            "OFPET_FLOW_MOD_FAILED",
            [
                "OFPFMFC_UNKNOWN", "OFPFMFC_TABLE_FULL", "OFPFMFC_BAD_TABLE_ID", "OFPFMFC_OVERLAP",
                "OFPFMFC_EPERM", "OFPFMFC_BAD_TIMEOUT", "OFPFMFC_BAD_COMMAND", "OFPFMFC_BAD_FLAGS",
            ]
        ),
        6: (
            "OFPET_GROUP_MOD_FAILED",
            [
                "OFPGMFC_GROUP_EXISTS", "OFPGMFC_INVALID_GROUP", "OFPGMFC_WEIGHT_UNSUPPORTED",
                "OFPGMFC_OUT_OF_GROUPS", "OFPGMFC_OUT_OF_BUCKETS", "OFPGMFC_CHAINING_UNSUPPORTED",
                "OFPGMFC_WATCH_UNSUPPORTED", "OFPGMFC_LOOP", "OFPGMFC_UNKNOWN_GROUP",
                "OFPGMFC_CHAINED_GROUP", "OFPGMFC_BAD_TYPE", "OFPGMFC_BAD_COMMAND", "OFPGMFC_BAD_BUCKET",
                "OFPGMFC_BAD_WATCH", "OFPGMFC_EPERM",
            ]
        ),
        7: (
            "OFPET_PORT_MOD_FAILED",
            ["OFPPMFC_BAD_PORT", "OFPPMFC_BAD_HW_ADDR", "OFPPMFC_BAD_CONFIG", "OFPPMFC_BAD_ADVERTISE", "OFPPMFC_EPERM"]
        ),
        8: ("OFPET_TABLE_MOD_FAILED", ["OFPTMFC_BAD_TABLE", "OFPTMFC_BAD_CONFIG", "OFPTMFC_EPERM"]),
        9: ("OFPET_QUEUE_OP_FAILED", ["OFPQOFC_BAD_PORT", "OFPQOFC_BAD_QUEUE", "OFPQOFC_EPERM"]),
        10: ("OFPET_SWITCH_CONFIG_FAILED", ["OFPSCFC_BAD_FLAGS", "OFPSCFC_BAD_LEN", "OFPSCFC_EPERM"]),
        11: ("OFPET_ROLE_REQUEST_FAILED", ["OFPRRFC_STALE", "OFPRRFC_UNSUP", "OFPRRFC_BAD_ROLE"]),
        12: (
            "OFPET_METER_MOD_FAILED",
            [
                "OFPMMFC_UNKNOWN", "OFPMMFC_METER_EXISTS", "OFPMMFC_INVALID_METER", "OFPMMFC_UNKNOWN_METER",
                "OFPMMFC_BAD_COMMAND", "OFPMMFC_BAD_FLAGS", "OFPMMFC_BAD_RATE", "OFPMMFC_BAD_BURST",
                "OFPMMFC_BAD_BAND", "OFPMMFC_BAD_BAND_VALUE", "OFPMMFC_OUT_OF_METERS", "OFPMMFC_OUT_OF_BANDS",
            ]
        ),
        13: (
            "OFPET_TABLE_FEATURES_FAILED",
            [
                "OFPTFFC_BAD_TABLE", "OFPTFFC_BAD_METADATA", "OFPTFFC_BAD_TYPE", "OFPTFFC_BAD_LEN",
                "OFPTFFC_BAD_ARGUMENT", "OFPTFFC_EPERM",
            ]
        ),
    ]
}
