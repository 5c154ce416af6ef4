import NIOCore

extension OF13 {
    /// `struct ofp_meter_multipart_request` (spec 1.3.5 §7.3.5.12, §7.3.5.13): the body of
    /// `OFPMP_METER` and `OFPMP_METER_CONFIG` requests.
    public struct MeterRequest: Hashable, Sendable, Codable {
        /// `OFPM_ALL`: every meter.
        public var meterID: UInt32

        public static let size = 8

        public init(meterID: UInt32 = MeterNumber.all) { self.meterID = meterID }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> MeterRequest {
            let meterID = try reader.readU32("meter_id")
            try reader.skip(4, "pad")
            return MeterRequest(meterID: meterID)
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            buffer.writeInteger(meterID) + buffer.writeZeros(4)
        }
    }

    /// `struct ofp_meter_stats` (spec 1.3.5 §7.3.5.12): one meter of an `OFPMP_METER` reply,
    /// with a counter per band. `len` counts the 40-byte fixed part and 16 bytes per band.
    public struct MeterStats: Hashable, Sendable, Codable, WireListElement {
        public var meterID: UInt32
        /// Flows bound to the meter.
        public var flowCount: UInt32
        public var packetInCount: UInt64
        public var byteInCount: UInt64
        public var durationSeconds: UInt32
        public var durationNanoseconds: UInt32
        public var bandStats: WireList<MeterBandStats>

        public static let headerSize = 40

        public init(
            meterID: UInt32, flowCount: UInt32 = 0, packetInCount: UInt64 = 0, byteInCount: UInt64 = 0,
            durationSeconds: UInt32 = 0, durationNanoseconds: UInt32 = 0, bandStats: WireList<MeterBandStats> = []
        ) {
            self.meterID = meterID
            self.flowCount = flowCount
            self.packetInCount = packetInCount
            self.byteInCount = byteInCount
            self.durationSeconds = durationSeconds
            self.durationNanoseconds = durationNanoseconds
            self.bandStats = bandStats
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> MeterStats {
            let meterID = try reader.readU32("meter_stats.meter_id")
            let length = Int(try reader.readU16("meter_stats.len"))
            guard length >= headerSize, (length - headerSize) % MeterBandStats.size == 0 else {
                throw reader.error(.badLength, "meter_stats.len", "\(length) is not \(headerSize) + 16 × bands")
            }
            var body = try reader.subReader(length - 6, "meter_stats")
            try body.skip(6, "meter_stats.pad")
            let flowCount = try body.readU32("meter_stats.flow_count")
            let packetInCount = try body.readU64("meter_stats.packet_in_count")
            let byteInCount = try body.readU64("meter_stats.byte_in_count")
            let durationSeconds = try body.readU32("meter_stats.duration_sec")
            let durationNanoseconds = try body.readU32("meter_stats.duration_nsec")
            let bandStats = try WireList<MeterBandStats>(validating: body)
            return MeterStats(
                meterID: meterID, flowCount: flowCount, packetInCount: packetInCount, byteInCount: byteInCount,
                durationSeconds: durationSeconds, durationNanoseconds: durationNanoseconds, bandStats: bandStats)
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            let start = buffer.writerIndex
            buffer.writeInteger(meterID)
            buffer.writeInteger(UInt16(0))  // len, set below
            buffer.writeZeros(6)
            buffer.writeInteger(flowCount)
            buffer.writeInteger(packetInCount)
            buffer.writeInteger(byteInCount)
            buffer.writeInteger(durationSeconds)
            buffer.writeInteger(durationNanoseconds)
            bandStats.write(to: &buffer)
            let length = buffer.writerIndex - start
            buffer.setInteger(UInt16(truncatingIfNeeded: length), at: start + 4)
            return length
        }
    }

    /// `struct ofp_meter_band_stats` (spec 1.3.5 §7.3.5.12): what one band of a meter processed.
    public struct MeterBandStats: Hashable, Sendable, Codable, WireListElement {
        public var packetBandCount: UInt64
        public var byteBandCount: UInt64

        public static let size = 16

        public init(packetBandCount: UInt64 = 0, byteBandCount: UInt64 = 0) {
            self.packetBandCount = packetBandCount
            self.byteBandCount = byteBandCount
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> MeterBandStats {
            MeterBandStats(
                packetBandCount: try reader.readU64("band_stats.packet_band_count"),
                byteBandCount: try reader.readU64("band_stats.byte_band_count"))
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            buffer.writeInteger(packetBandCount) + buffer.writeInteger(byteBandCount)
        }
    }

    /// `struct ofp_meter_config` (spec 1.3.5 §7.3.5.13): one meter of an `OFPMP_METER_CONFIG`
    /// reply. `length` counts the 8-byte fixed part and the bands.
    public struct MeterConfig: Hashable, Sendable, Codable, WireListElement {
        public var flags: MeterFlags
        public var meterID: UInt32
        public var bands: WireList<MeterBand>

        public static let headerSize = 8

        public init(flags: MeterFlags = [.kbps], meterID: UInt32, bands: WireList<MeterBand> = []) {
            self.flags = flags
            self.meterID = meterID
            self.bands = bands
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> MeterConfig {
            let length = Int(try reader.readU16("meter_config.length"))
            guard length >= headerSize else {
                throw reader.error(.badLength, "meter_config.length", "\(length) < \(headerSize)")
            }
            var body = try reader.subReader(length - 2, "meter_config")
            let flags = MeterFlags(rawValue: try body.readU16("meter_config.flags"))
            let meterID = try body.readU32("meter_config.meter_id")
            return MeterConfig(flags: flags, meterID: meterID, bands: try WireList<MeterBand>(validating: body))
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            let start = buffer.writerIndex
            buffer.writeInteger(UInt16(0))  // length, set below
            buffer.writeInteger(flags.rawValue)
            buffer.writeInteger(meterID)
            bands.write(to: &buffer)
            let length = buffer.writerIndex - start
            buffer.setInteger(UInt16(truncatingIfNeeded: length), at: start)
            return length
        }
    }

    /// `struct ofp_meter_features` (spec 1.3.5 §7.3.5.14), the body of an
    /// `OFPMP_METER_FEATURES` reply.
    public struct MeterFeatures: Hashable, Sendable, Codable {
        /// Maximum number of meters.
        public var maxMeter: UInt32
        /// Supported band types: bit `1 << OFPMBT_*` for each.
        public var bandTypes: UInt32
        /// Supported `OFPMF_*` flags, as bits of 32.
        public var capabilities: UInt32
        /// Maximum bands per meter.
        public var maxBands: UInt8
        /// Maximum color value.
        public var maxColor: UInt8

        public static let size = 16

        public init(maxMeter: UInt32 = 0, bandTypes: UInt32 = 0, capabilities: UInt32 = 0, maxBands: UInt8 = 0, maxColor: UInt8 = 0) {
            self.maxMeter = maxMeter
            self.bandTypes = bandTypes
            self.capabilities = capabilities
            self.maxBands = maxBands
            self.maxColor = maxColor
        }

        /// `capabilities` as meter flags (the bits defined for 1.3 fit in 16).
        public var flags: MeterFlags { MeterFlags(rawValue: UInt16(truncatingIfNeeded: capabilities)) }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> MeterFeatures {
            let maxMeter = try reader.readU32("max_meter")
            let bandTypes = try reader.readU32("band_types")
            let capabilities = try reader.readU32("capabilities")
            let maxBands = try reader.readU8("max_bands")
            let maxColor = try reader.readU8("max_color")
            try reader.skip(2, "pad")
            return MeterFeatures(
                maxMeter: maxMeter, bandTypes: bandTypes, capabilities: capabilities, maxBands: maxBands,
                maxColor: maxColor)
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            buffer.writeInteger(maxMeter) + buffer.writeInteger(bandTypes) + buffer.writeInteger(capabilities)
                + buffer.writeInteger(maxBands) + buffer.writeInteger(maxColor) + buffer.writeZeros(2)
        }
    }
}

extension OF13.MeterStats: CustomStringConvertible {
    public var description: String {
        "meter=\(meterID),flow_count=\(flowCount),packet_in_count=\(packetInCount),byte_in_count=\(byteInCount),"
            + "bands=\(bandStats)"
    }
}

extension OF13.MeterBandStats: CustomStringConvertible {
    public var description: String { "packet_count=\(packetBandCount),byte_count=\(byteBandCount)" }
}

extension OF13.MeterConfig: CustomStringConvertible {
    public var description: String {
        "meter=\(meterID),flags=0x\(String(flags.rawValue, radix: 16)),bands=\(bands)"
    }
}

extension OF13.MeterFeatures: CustomStringConvertible {
    public var description: String {
        "max_meter=\(maxMeter),band_types=0x\(String(bandTypes, radix: 16)),"
            + "capabilities=0x\(String(capabilities, radix: 16)),max_bands=\(maxBands),max_color=\(maxColor)"
    }
}
