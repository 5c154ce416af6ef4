import NIOCore

extension OF13 {
    /// `OFPT_METER_MOD`, `struct ofp_meter_mod` (spec 1.3.5 §7.3.4.4): a command, flags, a
    /// meter id and the meter's bands.
    public struct MeterMod: OF13MessageBody {
        public var command: Command
        public var flags: MeterFlags
        public var meterID: UInt32
        public var bands: WireList<MeterBand>

        public init(command: Command = .add, flags: MeterFlags = [.kbps], meterID: UInt32, bands: WireList<MeterBand> = []) {
            self.command = command
            self.flags = flags
            self.meterID = meterID
            self.bands = bands
        }

        /// `enum ofp_meter_mod_command`. An open set: unknown values decode and are kept.
        public struct Command: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
            public var rawValue: UInt16
            public init(rawValue: UInt16) { self.rawValue = rawValue }
            public static let add = Command(rawValue: 0)
            public static let modify = Command(rawValue: 1)
            public static let delete = Command(rawValue: 2)
            public var description: String {
                switch rawValue {
                case 0: "ADD"
                case 1: "MODIFY"
                case 2: "DELETE"
                default: "command(\(rawValue))"
                }
            }
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> MeterMod {
            let command = Command(rawValue: try reader.readU16("command"))
            let flags = MeterFlags(rawValue: try reader.readU16("flags"))
            let meterID = try reader.readU32("meter_id")
            let bands = try WireList<MeterBand>(validating: reader.subReader(reader.remaining, "bands"))
            return MeterMod(command: command, flags: flags, meterID: meterID, bands: bands)
        }

        public func write(to buffer: inout ByteBuffer) {
            buffer.writeInteger(command.rawValue)
            buffer.writeInteger(flags.rawValue)
            buffer.writeInteger(meterID)
            bands.write(to: &buffer)
        }
    }

    /// `enum ofp_meter_flags` (spec 1.3.5 §7.3.4.4).
    public struct MeterFlags: OptionSet, Hashable, Sendable, Codable {
        public var rawValue: UInt16
        public init(rawValue: UInt16) { self.rawValue = rawValue }
        /// Rates in kilobits per second.
        public static let kbps = MeterFlags(rawValue: 1 << 0)
        /// Rates in packets per second.
        public static let pktps = MeterFlags(rawValue: 1 << 1)
        /// Use the bands' burst sizes.
        public static let burst = MeterFlags(rawValue: 1 << 2)
        /// Collect statistics.
        public static let stats = MeterFlags(rawValue: 1 << 3)
    }

    /// `enum ofp_meter`: reserved meter numbers (spec 1.3.5 §7.3.4.4).
    public enum MeterNumber {
        public static let max: UInt32 = 0xFFFF_0000
        public static let slowPath: UInt32 = 0xFFFF_FFFD
        public static let controller: UInt32 = 0xFFFF_FFFE
        public static let all: UInt32 = 0xFFFF_FFFF
    }

    /// A meter band, `struct ofp_meter_band_*` (spec 1.3.5 §7.3.4.4): `type`, `len`, `rate`,
    /// `burst_size`, then the type's fields. `len` counts the whole band.
    public enum MeterBand: Hashable, Sendable, Codable {
        /// `OFPMBT_DROP`: drop packets above `rate`.
        case drop(rate: UInt32, burstSize: UInt32 = 0)
        /// `OFPMBT_DSCP_REMARK`: raise the drop precedence of the DSCP by `precedenceLevel`.
        case dscpRemark(rate: UInt32, burstSize: UInt32 = 0, precedenceLevel: UInt8)
        /// `OFPMBT_EXPERIMENTER`: the bytes after the experimenter id are kept.
        case experimenter(rate: UInt32, burstSize: UInt32 = 0, experimenter: UInt32, data: ByteBuffer = ByteBuffer())
        /// A band type this codec does not know: the bytes after `burst_size` are kept.
        case unknown(type: UInt16, rate: UInt32, burstSize: UInt32, body: ByteBuffer)

        /// `enum ofp_meter_band_type`.
        public var type: UInt16 {
            switch self {
            case .drop: 1
            case .dscpRemark: 2
            case .experimenter: 0xFFFF
            case .unknown(let type, _, _, _): type
            }
        }

        public var rate: UInt32 {
            switch self {
            case .drop(let rate, _), .dscpRemark(let rate, _, _), .experimenter(let rate, _, _, _),
                .unknown(_, let rate, _, _):
                rate
            }
        }

        public var burstSize: UInt32 {
            switch self {
            case .drop(_, let burst), .dscpRemark(_, let burst, _), .experimenter(_, let burst, _, _),
                .unknown(_, _, let burst, _):
                burst
            }
        }

        /// `type`, `len`, `rate` and `burst_size`.
        public static let headerSize = 12
    }
}

extension OF13.MeterBand: WireListElement {
    public static func read(from reader: inout WireReader) throws(OpenFlowError) -> OF13.MeterBand {
        let type = try reader.readU16("band.type")
        let length = Int(try reader.readU16("band.len"))
        guard length >= headerSize else {
            throw reader.error(.badLength, "band.len", "\(length) < \(headerSize)")
        }
        var body = try reader.subReader(length - 4, "band")
        let rate = try body.readU32("band.rate")
        let burstSize = try body.readU32("band.burst_size")
        func expect(_ size: Int) throws(OpenFlowError) {
            guard length == size else { throw body.error(.badLength, "band.len", "\(length), expected \(size)") }
        }
        switch type {
        case 1:
            try expect(16)
            return .drop(rate: rate, burstSize: burstSize)
        case 2:
            try expect(16)
            let level = try body.readU8("band.prec_level")
            return .dscpRemark(rate: rate, burstSize: burstSize, precedenceLevel: level)
        case 0xFFFF:
            let experimenter = try body.readU32("band.experimenter")
            return .experimenter(rate: rate, burstSize: burstSize, experimenter: experimenter, data: body.readRest())
        default:
            return .unknown(type: type, rate: rate, burstSize: burstSize, body: body.readRest())
        }
    }

    @discardableResult
    public func write(to buffer: inout ByteBuffer) -> Int {
        let start = buffer.writerIndex
        buffer.writeInteger(type)
        buffer.writeInteger(UInt16(0))  // len, set below
        buffer.writeInteger(rate)
        buffer.writeInteger(burstSize)
        switch self {
        case .drop:
            buffer.writeZeros(4)
        case .dscpRemark(_, _, let level):
            buffer.writeInteger(level)
            buffer.writeZeros(3)
        case .experimenter(_, _, let experimenter, let data):
            buffer.writeInteger(experimenter)
            buffer.writeImmutableBuffer(data)
        case .unknown(_, _, _, let body):
            buffer.writeImmutableBuffer(body)
        }
        let length = buffer.writerIndex - start
        buffer.setInteger(UInt16(truncatingIfNeeded: length), at: start + 2)
        return length
    }
}

extension OF13.MeterBand: CustomStringConvertible {
    public var description: String {
        let burst = burstSize == 0 ? "" : ",burst_size=\(burstSize)"
        switch self {
        case .drop: return "drop(rate=\(rate)\(burst))"
        case .dscpRemark(_, _, let level): return "dscp_remark(rate=\(rate)\(burst),prec_level=\(level))"
        case .experimenter(_, _, let id, let data):
            return "experimenter(0x\(String(id, radix: 16)),rate=\(rate)\(burst),\(HexBytes.format(data.readableBytesView)))"
        case .unknown(let type, _, _, let body):
            return "band(type=\(type),rate=\(rate)\(burst),\(HexBytes.format(body.readableBytesView)))"
        }
    }
}

extension OF13.MeterMod: CustomStringConvertible {
    public var description: String {
        "meter_mod(\(command),meter=\(meterID),flags=0x\(String(flags.rawValue, radix: 16)),bands=\(bands))"
    }
}
