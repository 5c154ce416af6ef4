import NIOCore
import OpenFlow

/// The OpenFlow pipeline (spec 1.3.5 §5.1, §5.7–5.12): a packet enters table 0, each table
/// finds its highest-priority match and runs that flow's instructions, and the action set
/// runs when no goto-table follows.
extension Datapath {
    /// Groups may chain, and packet-out may send to TABLE: this bounds the recursion.
    static let maxDepth = 16

    /// A frame arrives on `inPort`: returns where it goes and what the controller hears.
    public mutating func receive(packet: ByteBuffer, inPort: UInt32, now: NIODeadline) -> [DatapathOutput] {
        var outputs: [DatapathOutput] = []
        receive(packet: packet, inPort: inPort, now: now, into: &outputs)
        return outputs
    }

    /// Like ``receive(packet:inPort:now:)``, appending to `outputs`: a driver that reuses
    /// one array allocates nothing per packet on the plain forwarding path.
    public mutating func receive(
        packet: ByteBuffer, inPort: UInt32, now: NIODeadline, into outputs: inout [DatapathOutput]
    ) {
        guard let index = ports.index(forKey: inPort) else { return }
        let bytes = UInt64(packet.readableBytes)
        guard ports.values[index].canReceive else {
            ports.values[index].stats.rxDropped &+= 1
            return
        }
        ports.values[index].stats.rxPackets &+= 1
        ports.values[index].stats.rxBytes &+= bytes
        var context = PacketContext(frame: packet, inPort: inPort)
        runPipeline(&context, from: 0, now: now, depth: 0, into: &outputs)
    }

    mutating func runPipeline(
        _ context: inout PacketContext, from first: Int, now: NIODeadline, depth: Int,
        into outputs: inout [DatapathOutput]
    ) {
        var t = first
        while true {
            tables[t].lookupCount &+= 1
            // No match and no table-miss flow: the packet is dropped (spec 1.3.5 §5.4).
            guard let slot = tables[t].lookup(context.key) else { return }
            tables[t].matchedCount &+= 1
            let hit = tables[t].hit(slot, bytes: UInt64(context.data.readableBytes), now: now)
            let box = hit.program
            context.tableID = UInt8(t)
            context.cookie = hit.cookie
            context.fromTableMiss = hit.isTableMiss
            if let meter = box.program.meter, meters[meter] != nil {
                // Meters count; they do not police (no bands are enforced).
                meters[meter]!.packetCount &+= 1
                meters[meter]!.byteCount &+= UInt64(context.data.readableBytes)
            }
            if let actions = box.program.applyActions {
                guard execute(actions, &context, now: now, depth: depth, into: &outputs) else { return }
            }
            if box.program.clearActions { context.actionSet = ActionSet() }
            if let actions = box.program.writeActions { context.actionSet.write(actions) }
            if box.program.metadataMask != 0 {
                context.key.metadata = (context.key.metadata & ~box.program.metadataMask) | box.program.metadata
            }
            guard let next = box.program.gotoTable else { break }
            t = Int(next)
        }
        if !context.actionSet.isEmpty {
            let actions = context.actionSet.orderedActions
            context.actionSet = ActionSet()
            _ = execute(actions, &context, now: now, depth: depth, into: &outputs)
        }
    }

    /// Runs an action list in order (apply-actions, a bucket, a packet-out, the action set).
    /// Returns false if the packet was dropped for an invalid TTL: no later action runs.
    mutating func execute(
        _ actions: [PacketAction], _ context: inout PacketContext, now: NIODeadline, depth: Int,
        into outputs: inout [DatapathOutput]
    ) -> Bool {
        for action in actions {
            switch action {
            case .output(let port, let maxLength):
                output(context, to: port, maxLength: maxLength, now: now, depth: depth, into: &outputs)
            case .group(let group):
                executeGroup(group, context, now: now, depth: depth + 1, into: &outputs)
            case .setQueue(let queue):
                context.queue = queue
            case .pushVLAN(let ethertype):
                context.pushVLAN(ethertype: ethertype)
            case .popVLAN:
                context.popVLAN()
            case .setNwTTL(let ttl):
                context.setNwTTL(ttl)
            case .decNwTTL:
                guard context.decNwTTL() else {
                    if configuration.invalidTTLToController || switchConfig.flags & 0b100 != 0 {
                        packetIn(context, reason: .invalidTTL, maxLength: switchConfig.missSendLength, into: &outputs)
                    }
                    return false
                }
            case .setField(let write):
                context.apply(write)
            }
        }
        return true
    }

    /// Output to a port, physical or reserved (spec 1.3.5 §4.5).
    mutating func output(
        _ context: PacketContext, to port: UInt32, maxLength: UInt16, now: NIODeadline, depth: Int,
        into outputs: inout [DatapathOutput]
    ) {
        switch port {
        case OF13.PortNumber.controller:
            packetIn(context, reason: context.fromTableMiss ? .noMatch : .action, maxLength: maxLength, into: &outputs)
        case OF13.PortNumber.inPort:
            transmit(context, on: context.inPort, into: &outputs)
        case OF13.PortNumber.flood, OF13.PortNumber.all:
            for number in portNumbers where number != context.inPort {
                // FLOOD leaves out ports that spanning tree has blocked; ALL does not.
                if port == OF13.PortNumber.flood, ports[number]?.description.state.contains(.blocked) == true {
                    continue
                }
                transmit(context, on: number, into: &outputs)
            }
        case OF13.PortNumber.table:
            guard depth < Self.maxDepth else { return }
            var copy = context
            copy.actionSet = ActionSet()
            runPipeline(&copy, from: 0, now: now, depth: depth + 1, into: &outputs)
        case OF13.PortNumber.local, OF13.PortNumber.normal, OF13.PortNumber.any:
            // No local port and no traditional forwarding path: dropped.
            return
        default:
            // Sending a packet back where it came from takes OFPP_IN_PORT (spec §5.12).
            guard port != context.inPort else { return }
            transmit(context, on: port, into: &outputs)
        }
    }

    private mutating func transmit(_ context: PacketContext, on port: UInt32, into outputs: inout [DatapathOutput]) {
        guard let index = ports.index(forKey: port) else { return }
        guard ports.values[index].canForward else {
            ports.values[index].stats.txDropped &+= 1
            return
        }
        ports.values[index].stats.txPackets &+= 1
        ports.values[index].stats.txBytes &+= UInt64(context.data.readableBytes)
        outputs.append(.packet(context.data, port: port, queue: context.queue))
    }

    /// PACKET_IN (spec 1.3.5 §7.4.1), unbuffered: the first `maxLength` bytes of the frame
    /// (all of it for `OFPCML_NO_BUFFER`), and the pipeline fields in the match.
    mutating func packetIn(
        _ context: PacketContext, reason: OF13.PacketIn.Reason, maxLength: UInt16,
        into outputs: inout [DatapathOutput]
    ) {
        guard wants(asyncConfig.packetInMask, reason: reason.rawValue) else { return }
        if let port = ports[context.inPort], port.description.config.contains(.noPacketIn) { return }
        let total = context.data.readableBytes
        let kept = maxLength == 0xFFFF ? total : min(total, Int(maxLength))
        let data = context.data.getSlice(at: context.data.readerIndex, length: kept) ?? ByteBuffer()
        var fields: [OXMField] = [.inPort(context.inPort)]
        if context.key.metadata != 0 { fields.append(.metadata(context.key.metadata)) }
        if context.key.tunnelID != 0 { fields.append(.tunnelId(context.key.tunnelID)) }
        let message = OF13.PacketIn(
            bufferID: OF13.noBuffer, totalLength: UInt16(clamping: total), reason: reason,
            tableID: context.tableID, cookie: context.cookie, match: OF13.Match(fields), data: data)
        outputs.append(.message(.packetIn(message), xid: 0))
    }

    /// Runs a group on a copy of the packet (spec 1.3.5 §5.6.1).
    mutating func executeGroup(
        _ id: UInt32, _ context: PacketContext, now: NIODeadline, depth: Int, into outputs: inout [DatapathOutput]
    ) {
        guard depth < Self.maxDepth, let index = groups.index(forKey: id) else { return }
        let bytes = UInt64(context.data.readableBytes)
        groups.values[index].packetCount &+= 1
        groups.values[index].byteCount &+= bytes
        let group = groups.values[index]
        func run(_ b: Int, _ datapath: inout Datapath) {
            datapath.groups.values[index].buckets[b].packetCount &+= 1
            datapath.groups.values[index].buckets[b].byteCount &+= bytes
            var copy = context
            copy.actionSet = ActionSet()
            _ = datapath.execute(group.buckets[b].actions, &copy, now: now, depth: depth, into: &outputs)
        }
        switch group.type {
        case .all:
            for b in group.buckets.indices { run(b, &self) }
        case .indirect:
            if !group.buckets.isEmpty { run(0, &self) }
        case .select:
            if let b = selectBucket(group, context.key) { run(b, &self) }
        case .fastFailover:
            if let b = group.buckets.indices.first(where: { isLive(group.buckets[$0], depth: depth) }) {
                run(b, &self)
            }
        default:
            return
        }
    }

    /// A select group's bucket: a hash of the flow's addresses and ports, spread over the
    /// live buckets in proportion to their weights.
    func selectBucket(_ group: Group, _ key: FlowKey) -> Int? {
        var total: UInt64 = 0
        for bucket in group.buckets where bucket.weight > 0 && isLive(bucket, depth: 0) {
            total += UInt64(bucket.weight)
        }
        guard total > 0 else { return nil }
        let hash = MaskedKey(key.words & selectHashMask).hash
        var pick = (hash ^ (hash >> 32)) % total
        for (b, bucket) in group.buckets.enumerated() where bucket.weight > 0 && isLive(bucket, depth: 0) {
            if pick < UInt64(bucket.weight) { return b }
            pick -= UInt64(bucket.weight)
        }
        return nil
    }

    /// A bucket is live when its watched port is live and its watched group has a live
    /// bucket (spec 1.3.5 §6.5); a bucket that watches nothing is live.
    func isLive(_ bucket: Group.Bucket, depth: Int) -> Bool {
        if bucket.watchPort != OF13.PortNumber.any {
            guard let port = ports[bucket.watchPort], port.isLive else { return false }
        }
        if bucket.watchGroup != OF13.GroupNumber.any {
            guard depth < Self.maxDepth, let group = groups[bucket.watchGroup],
                group.buckets.contains(where: { isLive($0, depth: depth + 1) })
            else { return false }
        }
        return true
    }

    /// PACKET_OUT (spec 1.3.5 §7.3.7): the actions run on the given frame as if it had come
    /// in on `in_port`; output to TABLE sends it through the pipeline.
    mutating func packetOut(_ packetOut: OF13.PacketOut, now: NIODeadline) throws(DatapathError) -> [DatapathOutput] {
        guard packetOut.bufferID == OF13.noBuffer else {
            throw .bufferUnknown("buffer \(packetOut.bufferID): this datapath buffers nothing")
        }
        let inPort = packetOut.inPort
        guard ports[inPort] != nil || inPort == OF13.PortNumber.controller || inPort == OF13.PortNumber.local else {
            throw .badPortRequest("in_port \(OF13.PortNumber.name(inPort))")
        }
        let actions = try PacketAction.compile(packetOut.actions, allowTable: true)
        try checkReferences(actions)
        var context = PacketContext(frame: packetOut.data, inPort: inPort)
        context.tableID = OF13.TableNumber.all
        context.cookie = ~0
        var outputs: [DatapathOutput] = []
        _ = execute(actions, &context, now: now, depth: 0, into: &outputs)
        return outputs
    }

    /// Groups named by actions must exist (`OFPBAC_BAD_OUT_GROUP`).
    func checkReferences(_ actions: [PacketAction]) throws(DatapathError) {
        for action in actions {
            if case .group(let g) = action, groups[g] == nil { throw .badOutGroup("group \(g) does not exist") }
        }
    }
}
