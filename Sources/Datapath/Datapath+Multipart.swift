import NIOCore
import OpenFlow

/// MULTIPART requests (spec 1.3.5 §7.3.5). A reply larger than one message is split, every
/// part but the last flagged `OFPMPF_REPLY_MORE`.
extension Datapath {
    /// The most body bytes one reply carries: the 16-bit message length less the OpenFlow
    /// and multipart headers.
    static let maxReplyBody = 65535 - 16

    mutating func multipart(_ request: OF13.MultipartRequest, xid: UInt32, now: NIODeadline) throws(DatapathError)
        -> [DatapathOutput]
    {
        func one(_ body: OF13.MultipartReply.Body) -> [DatapathOutput] {
            [.message(.multipartReply(OF13.MultipartReply(body: body)), xid: xid)]
        }
        switch request.body {
        case .desc:
            return one(.desc(configuration.switchDescription))
        case .flow(let filter):
            let stats = try flowStatistics(filter, now: now)
            return Self.split(stats, size: \.length, xid: xid) { .flow(WireList($0)) }
        case .aggregate(let filter):
            let stats = try flowStatistics(filter, now: now)
            return one(
                .aggregate(
                    OF13.AggregateStats(
                        packetCount: stats.reduce(0) { $0 &+ $1.packetCount },
                        byteCount: stats.reduce(0) { $0 &+ $1.byteCount }, flowCount: UInt32(stats.count))))
        case .table:
            let stats = tables.map {
                OF13.TableStats(
                    tableID: $0.id, activeCount: UInt32($0.count), lookupCount: $0.lookupCount,
                    matchedCount: $0.matchedCount)
            }
            return Self.split(stats, size: { _ in OF13.TableStats.size }, xid: xid) { .table(WireList($0)) }
        case .portStats(let number):
            let numbers: [UInt32]
            if number == OF13.PortNumber.any {
                numbers = portNumbers
            } else {
                guard ports[number] != nil else { throw .badPortRequest("port \(number)") }
                numbers = [number]
            }
            let stats = numbers.map { number -> OF13.PortStats in
                let port = ports[number]!
                var stats = port.stats
                let duration = Self.duration(from: port.added, to: now)
                stats.durationSeconds = duration.seconds
                stats.durationNanoseconds = duration.nanoseconds
                return stats
            }
            return Self.split(stats, size: { _ in OF13.PortStats.size }, xid: xid) { .portStats(WireList($0)) }
        case .portDesc:
            return Self.split(portList, size: { _ in OF13.Port.size }, xid: xid) { .portDesc(WireList($0)) }
        case .group(let id):
            let ids = id == OF13.GroupNumber.all ? groups.keys.sorted() : (groups[id] == nil ? [] : [id])
            let stats = ids.map { id -> OF13.GroupStats in
                let group = groups[id]!
                let duration = Self.duration(from: group.created, to: now)
                return OF13.GroupStats(
                    groupID: id, refCount: UInt32(referenceCount(id)), packetCount: group.packetCount,
                    byteCount: group.byteCount, durationSeconds: duration.seconds,
                    durationNanoseconds: duration.nanoseconds,
                    bucketStats: WireList(
                        group.buckets.map { OF13.BucketCounter(packetCount: $0.packetCount, byteCount: $0.byteCount) }))
            }
            return Self.split(stats, size: { OF13.GroupStats.headerSize + $0.bucketStats.byteCount }, xid: xid) {
                .group(WireList($0))
            }
        case .groupDesc:
            let descriptions = groups.keys.sorted().map {
                OF13.GroupDescription(type: groups[$0]!.type, groupID: $0, buckets: groups[$0]!.ofBuckets)
            }
            return Self.split(descriptions, size: { OF13.GroupDescription.headerSize + $0.buckets.byteCount }, xid: xid)
            { .groupDesc(WireList($0)) }
        case .groupFeatures:
            return one(
                .groupFeatures(
                    OF13.GroupFeatures(
                        types: 0b1111, capabilities: [.selectWeight, .selectLiveness, .chaining, .chainingChecks],
                        maxGroups: [0xFFFF_FF00, 0xFFFF_FF00, 0xFFFF_FF00, 0xFFFF_FF00],
                        actions: Array(repeating: Self.supportedActionBits, count: 4))))
        case .meter(let request):
            let ids = request.meterID == OF13.MeterNumber.all
                ? meters.keys.sorted() : (meters[request.meterID] == nil ? [] : [request.meterID])
            let stats = ids.map { id -> OF13.MeterStats in
                let meter = meters[id]!
                let duration = Self.duration(from: meter.created, to: now)
                return OF13.MeterStats(
                    meterID: id, flowCount: UInt32(meterFlowCount(id)), packetInCount: meter.packetCount,
                    byteInCount: meter.byteCount, durationSeconds: duration.seconds,
                    durationNanoseconds: duration.nanoseconds,
                    bandStats: WireList(meter.mod.bands.map { _ in OF13.MeterBandStats() }))
            }
            return Self.split(stats, size: { 40 + $0.bandStats.byteCount }, xid: xid) { .meter(WireList($0)) }
        case .queue, .meterConfig, .meterFeatures, .tableFeatures, .experimenter, .unknown:
            throw .badMultipart("\(request.type) is not supported")
        }
    }

    /// `ofp_action_type` bits of the actions this datapath carries out.
    static let supportedActionBits: UInt32 = [0, 17, 18, 21, 22, 23, 24, 25].reduce(0) { $0 | 1 << UInt32($1) }

    private func meterFlowCount(_ id: UInt32) -> Int {
        tables.reduce(0) { count, table in count + table.slots.filter { table[$0].program.meter == id }.count }
    }

    /// The flows a flow or aggregate request selects, as FLOW_STATS entries.
    func flowStatistics(_ filter: OF13.FlowStatsRequest, now: NIODeadline) throws(DatapathError) -> [OF13.FlowStats] {
        let range: Range<Int>
        if filter.tableID == OF13.TableNumber.all {
            range = 0..<tables.count
        } else {
            guard Int(filter.tableID) < tables.count else { throw .badTableIDRequest("table \(filter.tableID)") }
            range = Int(filter.tableID)..<Int(filter.tableID) + 1
        }
        let match = try FlowMatch(filter.match)
        var stats: [OF13.FlowStats] = []
        for t in range {
            let slots = selectFlows(
                table: t, match: match, strict: false, priority: 0, cookie: filter.cookie,
                cookieMask: filter.cookieMask, outPort: filter.outPort, outGroup: filter.outGroup)
            // Highest priority first, then oldest: the order a lookup ranks them.
            let entries = slots.map { tables[t][$0] }.sorted { $0.ranksBefore($1) }
            for entry in entries {
                let duration = Self.duration(from: entry.installed, to: now)
                stats.append(
                    OF13.FlowStats(
                        tableID: UInt8(t), durationSeconds: duration.seconds, durationNanoseconds: duration.nanoseconds,
                        priority: entry.priority, idleTimeout: entry.idleTimeout, hardTimeout: entry.hardTimeout,
                        flags: entry.flags, cookie: entry.cookie, packetCount: entry.packetCount,
                        byteCount: entry.byteCount, match: entry.ofMatch, instructions: entry.instructions))
            }
        }
        return stats
    }

    /// Splits a reply's entries over as many messages as their size needs.
    static func split<Element>(
        _ elements: [Element], size: (Element) -> Int, xid: UInt32,
        body: ([Element]) -> OF13.MultipartReply.Body
    ) -> [DatapathOutput] {
        var parts: [[Element]] = [[]]
        var bytes = 0
        for element in elements {
            let length = size(element)
            if bytes + length > maxReplyBody, !parts[parts.count - 1].isEmpty {
                parts.append([])
                bytes = 0
            }
            parts[parts.count - 1].append(element)
            bytes += length
        }
        return parts.enumerated().map { index, part in
            .message(
                .multipartReply(
                    OF13.MultipartReply(flags: index < parts.count - 1 ? .replyMore : [], body: body(part))),
                xid: xid)
        }
    }
}
