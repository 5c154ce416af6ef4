import NIOCore

extension OF10 {
    /// `OFPT_ERROR`, `struct ofp_error_msg` (spec 1.0.0 §5.4.4): a type, a code and at least
    /// the first 64 bytes of the request that failed (for `OFPET_HELLO_FAILED`, an ASCII
    /// explanation). OpenFlow 1.0 has no experimenter errors; Open vSwitch's Nicira extended
    /// errors (`type` 0xb0c2) are kept as they came, their header in `data`.
    public struct ErrorMessage: OF10MessageBody {
        public var type: ErrorType
        public var code: UInt16
        public var data: ByteBuffer

        public init(type: ErrorType, code: UInt16, data: ByteBuffer = ByteBuffer()) {
            self.type = type
            self.code = code
            self.data = data
        }

        /// `enum ofp_error_type`.
        public struct ErrorType: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
            public var rawValue: UInt16
            public init(rawValue: UInt16) { self.rawValue = rawValue }
            public static let helloFailed = ErrorType(rawValue: 0)
            public static let badRequest = ErrorType(rawValue: 1)
            public static let badAction = ErrorType(rawValue: 2)
            public static let flowModFailed = ErrorType(rawValue: 3)
            public static let portModFailed = ErrorType(rawValue: 4)
            public static let queueOpFailed = ErrorType(rawValue: 5)

            public var description: String { OF10.errorTable[rawValue]?.name ?? "OFPET_\(rawValue)" }
        }

        /// `enum ofp_hello_failed_code`.
        public enum HelloFailedCode {
            public static let incompatible: UInt16 = 0
            public static let eperm: UInt16 = 1
        }

        /// `enum ofp_bad_request_code`.
        public enum BadRequestCode {
            public static let badVersion: UInt16 = 0
            public static let badType: UInt16 = 1
            public static let badStat: UInt16 = 2
            public static let badVendor: UInt16 = 3
            public static let badSubtype: UInt16 = 4
            public static let eperm: UInt16 = 5
            public static let badLength: UInt16 = 6
            public static let bufferEmpty: UInt16 = 7
            public static let bufferUnknown: UInt16 = 8
        }

        /// `enum ofp_bad_action_code`.
        public enum BadActionCode {
            public static let badType: UInt16 = 0
            public static let badLength: UInt16 = 1
            public static let badVendor: UInt16 = 2
            public static let badVendorType: UInt16 = 3
            public static let badOutPort: UInt16 = 4
            public static let badArgument: UInt16 = 5
            public static let eperm: UInt16 = 6
            public static let tooMany: UInt16 = 7
            public static let badQueue: UInt16 = 8
        }

        /// `enum ofp_flow_mod_failed_code`.
        public enum FlowModFailedCode {
            public static let allTablesFull: UInt16 = 0
            public static let overlap: UInt16 = 1
            public static let eperm: UInt16 = 2
            public static let badEmergencyTimeout: UInt16 = 3
            public static let badCommand: UInt16 = 4
            public static let unsupported: UInt16 = 5
        }

        /// `enum ofp_port_mod_failed_code`.
        public enum PortModFailedCode {
            public static let badPort: UInt16 = 0
            public static let badHardwareAddress: UInt16 = 1
        }

        /// `enum ofp_queue_op_failed_code`.
        public enum QueueOpFailedCode {
            public static let badPort: UInt16 = 0
            public static let badQueue: UInt16 = 1
            public static let eperm: UInt16 = 2
        }

        /// The spec's name of the code (`OFPBRC_BAD_TYPE`), or its number.
        public var codeName: String {
            guard let entry = OF10.errorTable[type.rawValue], Int(code) < entry.codes.count else {
                return String(code)
            }
            return entry.codes[Int(code)]
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> ErrorMessage {
            let type = ErrorType(rawValue: try reader.readU16("type"))
            let code = try reader.readU16("code")
            return ErrorMessage(type: type, code: code, data: reader.readRest())
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(type.rawValue)
            buffer.writeInteger(code)
            buffer.writeImmutableBuffer(data)
        }
    }

    /// Every error type of spec 1.0.0 §5.4.4 with its codes' names, indexed by code.
    static let errorTable: [UInt16: (name: String, codes: [String])] = [
        0: ("OFPET_HELLO_FAILED", ["OFPHFC_INCOMPATIBLE", "OFPHFC_EPERM"]),
        1: (
            "OFPET_BAD_REQUEST",
            [
                "OFPBRC_BAD_VERSION", "OFPBRC_BAD_TYPE", "OFPBRC_BAD_STAT", "OFPBRC_BAD_VENDOR",
                "OFPBRC_BAD_SUBTYPE", "OFPBRC_EPERM", "OFPBRC_BAD_LEN", "OFPBRC_BUFFER_EMPTY",
                "OFPBRC_BUFFER_UNKNOWN",
            ]
        ),
        2: (
            "OFPET_BAD_ACTION",
            [
                "OFPBAC_BAD_TYPE", "OFPBAC_BAD_LEN", "OFPBAC_BAD_VENDOR", "OFPBAC_BAD_VENDOR_TYPE",
                "OFPBAC_BAD_OUT_PORT", "OFPBAC_BAD_ARGUMENT", "OFPBAC_EPERM", "OFPBAC_TOO_MANY",
                "OFPBAC_BAD_QUEUE",
            ]
        ),
        3: (
            "OFPET_FLOW_MOD_FAILED",
            [
                "OFPFMFC_ALL_TABLES_FULL", "OFPFMFC_OVERLAP", "OFPFMFC_EPERM", "OFPFMFC_BAD_EMERG_TIMEOUT",
                "OFPFMFC_BAD_COMMAND", "OFPFMFC_UNSUPPORTED",
            ]
        ),
        4: ("OFPET_PORT_MOD_FAILED", ["OFPPMFC_BAD_PORT", "OFPPMFC_BAD_HW_ADDR"]),
        5: ("OFPET_QUEUE_OP_FAILED", ["OFPQOFC_BAD_PORT", "OFPQOFC_BAD_QUEUE", "OFPQOFC_EPERM"]),
    ]
}
