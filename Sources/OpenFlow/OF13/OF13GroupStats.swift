import NIOCore

extension OF13 {
    /// `struct ofp_group_stats` (spec 1.3.5 §7.3.5.9): one group of an `OFPMP_GROUP` reply,
    /// with a counter per bucket. `length` counts the 40-byte fixed part and 16 bytes per bucket.
    public struct GroupStats: Hashable, Sendable, Codable, WireListElement {
        public var groupID: UInt32
        /// Flows or groups that forward to this group.
        public var refCount: UInt32
        public var packetCount: UInt64
        public var byteCount: UInt64
        public var durationSeconds: UInt32
        public var durationNanoseconds: UInt32
        public var bucketStats: WireList<BucketCounter>

        public static let headerSize = 40

        public init(
            groupID: UInt32, refCount: UInt32 = 0, packetCount: UInt64 = 0, byteCount: UInt64 = 0,
            durationSeconds: UInt32 = 0, durationNanoseconds: UInt32 = 0, bucketStats: WireList<BucketCounter> = []
        ) {
            self.groupID = groupID
            self.refCount = refCount
            self.packetCount = packetCount
            self.byteCount = byteCount
            self.durationSeconds = durationSeconds
            self.durationNanoseconds = durationNanoseconds
            self.bucketStats = bucketStats
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> GroupStats {
            let length = Int(try reader.readU16("group_stats.length"))
            guard length >= headerSize, (length - headerSize) % BucketCounter.size == 0 else {
                throw reader.error(
                    .badLength, "group_stats.length", "\(length) is not \(headerSize) + 16 × buckets")
            }
            var body = try reader.subReader(length - 2, "group_stats")
            try body.skip(2, "group_stats.pad")
            let groupID = try body.readU32("group_stats.group_id")
            let refCount = try body.readU32("group_stats.ref_count")
            try body.skip(4, "group_stats.pad2")
            let packetCount = try body.readU64("group_stats.packet_count")
            let byteCount = try body.readU64("group_stats.byte_count")
            let durationSeconds = try body.readU32("group_stats.duration_sec")
            let durationNanoseconds = try body.readU32("group_stats.duration_nsec")
            let bucketStats = try WireList<BucketCounter>(validating: body)
            return GroupStats(
                groupID: groupID, refCount: refCount, packetCount: packetCount, byteCount: byteCount,
                durationSeconds: durationSeconds, durationNanoseconds: durationNanoseconds, bucketStats: bucketStats)
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            let start = buffer.writerIndex
            buffer.writeInteger(UInt16(0))  // length, set below
            buffer.writeZeros(2)
            buffer.writeInteger(groupID)
            buffer.writeInteger(refCount)
            buffer.writeZeros(4)
            buffer.writeInteger(packetCount)
            buffer.writeInteger(byteCount)
            buffer.writeInteger(durationSeconds)
            buffer.writeInteger(durationNanoseconds)
            bucketStats.write(to: &buffer)
            let length = buffer.writerIndex - start
            buffer.setInteger(UInt16(truncatingIfNeeded: length), at: start)
            return length
        }
    }

    /// `struct ofp_bucket_counter` (spec 1.3.5 §7.3.5.9): what one bucket of a group processed.
    public struct BucketCounter: Hashable, Sendable, Codable, WireListElement {
        public var packetCount: UInt64
        public var byteCount: UInt64

        public static let size = 16

        public init(packetCount: UInt64 = 0, byteCount: UInt64 = 0) {
            self.packetCount = packetCount
            self.byteCount = byteCount
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> BucketCounter {
            BucketCounter(
                packetCount: try reader.readU64("bucket_stats.packet_count"),
                byteCount: try reader.readU64("bucket_stats.byte_count"))
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            buffer.writeInteger(packetCount) + buffer.writeInteger(byteCount)
        }
    }

    /// `struct ofp_group_desc` (spec 1.3.5 §7.3.5.10): one group of an `OFPMP_GROUP_DESC`
    /// reply. `length` counts the 8-byte fixed part and the buckets.
    public struct GroupDescription: Hashable, Sendable, Codable, WireListElement {
        public var type: GroupType
        public var groupID: UInt32
        public var buckets: WireList<Bucket>

        public static let headerSize = 8

        public init(type: GroupType, groupID: UInt32, buckets: WireList<Bucket> = []) {
            self.type = type
            self.groupID = groupID
            self.buckets = buckets
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> GroupDescription {
            let length = Int(try reader.readU16("group_desc.length"))
            guard length >= headerSize else {
                throw reader.error(.badLength, "group_desc.length", "\(length) < \(headerSize)")
            }
            var body = try reader.subReader(length - 2, "group_desc")
            let type = GroupType(rawValue: try body.readU8("group_desc.type"))
            try body.skip(1, "group_desc.pad")
            let groupID = try body.readU32("group_desc.group_id")
            return GroupDescription(type: type, groupID: groupID, buckets: try WireList<Bucket>(validating: body))
        }

        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            let start = buffer.writerIndex
            buffer.writeInteger(UInt16(0))  // length, set below
            buffer.writeInteger(type.rawValue)
            buffer.writeZeros(1)
            buffer.writeInteger(groupID)
            buckets.write(to: &buffer)
            let length = buffer.writerIndex - start
            buffer.setInteger(UInt16(truncatingIfNeeded: length), at: start)
            return length
        }
    }

    /// `struct ofp_group_features` (spec 1.3.5 §7.3.5.11), the body of an
    /// `OFPMP_GROUP_FEATURES` reply. The arrays are indexed by group type (all, select,
    /// indirect, fast failover).
    public struct GroupFeatures: Hashable, Sendable, Codable {
        /// Supported group types: bit `1 << type` for each.
        public var types: UInt32
        public var capabilities: Capabilities
        /// Maximum number of groups of each type.
        public var maxGroups: [UInt32]
        /// Supported actions for each type: bit `1 << OFPAT_*` for each.
        public var actions: [UInt32]

        public static let size = 40

        public init(types: UInt32 = 0, capabilities: Capabilities = [], maxGroups: [UInt32] = [], actions: [UInt32] = []) {
            self.types = types
            self.capabilities = capabilities
            self.maxGroups = maxGroups
            self.actions = actions
        }

        /// Whether `types` lists `type`.
        public func supports(_ type: GroupType) -> Bool {
            type.rawValue < 32 && types & (1 << UInt32(type.rawValue)) != 0
        }

        /// `enum ofp_group_capabilities`.
        public struct Capabilities: OptionSet, Hashable, Sendable, Codable {
            public var rawValue: UInt32
            public init(rawValue: UInt32) { self.rawValue = rawValue }
            public static let selectWeight = Capabilities(rawValue: 1 << 0)
            public static let selectLiveness = Capabilities(rawValue: 1 << 1)
            public static let chaining = Capabilities(rawValue: 1 << 2)
            public static let chainingChecks = Capabilities(rawValue: 1 << 3)
        }

        public static func read(from reader: inout WireReader) throws(OpenFlowError) -> GroupFeatures {
            let types = try reader.readU32("types")
            let capabilities = Capabilities(rawValue: try reader.readU32("capabilities"))
            var maxGroups: [UInt32] = []
            for _ in 0..<4 { maxGroups.append(try reader.readU32("max_groups")) }
            var actions: [UInt32] = []
            for _ in 0..<4 { actions.append(try reader.readU32("actions")) }
            return GroupFeatures(types: types, capabilities: capabilities, maxGroups: maxGroups, actions: actions)
        }

        /// Writes the arrays as exactly four entries each (missing ones as 0).
        @discardableResult
        public func write(to buffer: inout ByteBuffer) -> Int {
            var written = buffer.writeInteger(types) + buffer.writeInteger(capabilities.rawValue)
            for array in [maxGroups, actions] {
                for index in 0..<4 { written += buffer.writeInteger(index < array.count ? array[index] : 0) }
            }
            return written
        }
    }
}

extension OF13.GroupStats: CustomStringConvertible {
    public var description: String {
        "group_id=\(groupID),ref_count=\(refCount),packet_count=\(packetCount),byte_count=\(byteCount),"
            + "buckets=\(bucketStats)"
    }
}

extension OF13.BucketCounter: CustomStringConvertible {
    public var description: String { "packet_count=\(packetCount),byte_count=\(byteCount)" }
}

extension OF13.GroupDescription: CustomStringConvertible {
    public var description: String { "group_id=\(groupID),type=\(type),buckets=\(buckets)" }
}

extension OF13.GroupFeatures: CustomStringConvertible {
    public var description: String {
        "types=0x\(String(types, radix: 16)),capabilities=0x\(String(capabilities.rawValue, radix: 16)),"
            + "max_groups=\(maxGroups),actions=\(actions.map { "0x" + String($0, radix: 16) })"
    }
}
