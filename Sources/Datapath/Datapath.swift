import NIOCore
import NetworkAddresses
import OpenFlow

/// The software OpenFlow 1.3 switch core (spec 1.3.5): flow tables with tuple-space lookup,
/// the instruction pipeline, actions that rewrite packets, groups, ports, counters and
/// timeouts. Sans-I/O: OpenFlow messages, frames and the time come in, and messages,
/// frames and (through ``nextDeadline``) the next timer go out. No clock, socket or thread.
///
/// A value type: a simulator can snapshot or fork a whole switch, a test can compare two,
/// and it is `Sendable` with no lock. The tables live in arrays the struct owns alone, so
/// mutating it in place (as a `var` in an actor, an event loop or a test) never copies them.
///
/// The datapath applies every message fully, in the order given; a BARRIER_REPLY is
/// therefore produced after the outputs of every earlier message. A switch that is slow or
/// reorders between barriers is modelled outside, by ``FlowModScheduler``.
public struct Datapath: Sendable {
    public struct Configuration: Sendable {
        public var datapathID: UInt64
        /// The number of flow tables (1 to 254).
        public var tableCount: Int
        public var switchDescription: OF13.SwitchDescription
        /// Send packets whose TTL a dec-nw-ttl action would make 0 to the controller
        /// (`OFPR_INVALID_TTL`) instead of dropping them. SET_CONFIG's flag
        /// `OFPC_INVALID_TTL_TO_CONTROLLER` (1 << 2, from OpenFlow 1.2) sets it too.
        public var invalidTTLToController: Bool
        /// Entries of each table's exact-match cache (0 turns the cache off).
        public var exactMatchCacheSize: Int

        public init(
            datapathID: UInt64 = 1, tableCount: Int = 8,
            switchDescription: OF13.SwitchDescription = OF13.SwitchDescription(
                manufacturer: "vnm", hardware: "vnm software datapath", software: "vnm Datapath",
                serialNumber: "0", datapath: "vnm"),
            invalidTTLToController: Bool = false, exactMatchCacheSize: Int = 4096
        ) {
            self.datapathID = datapathID
            self.tableCount = tableCount
            self.switchDescription = switchDescription
            self.invalidTTLToController = invalidTTLToController
            self.exactMatchCacheSize = exactMatchCacheSize
        }
    }

    struct Meter: Sendable {
        var mod: OF13.MeterMod
        var packetCount: UInt64 = 0
        var byteCount: UInt64 = 0
        var created: NIODeadline
    }

    public let configuration: Configuration
    var tables: [FlowTable]
    var groups: [UInt32: Group] = [:]
    var meters: [UInt32: Meter] = [:]
    var ports: [UInt32: DatapathPort] = [:]
    /// Port numbers in ascending order: FLOOD and ALL send in this order.
    var portNumbers: [UInt32] = []
    var timers = TimerHeap()
    var nextFlowID: UInt64 = 1
    /// `flags` and `miss_send_len` of SET_CONFIG (spec 1.3.5 §7.3.2).
    public internal(set) var switchConfig = OF13.SwitchConfig(flags: 0, missSendLength: 128)
    /// Which asynchronous messages the controller wants (SET_ASYNC, spec 1.3.5 §7.3.10);
    /// element 0 applies to the master or equal role, element 1 to slave.
    public internal(set) var asyncConfig = OF13.AsyncConfig(
        packetInMask: [0b111, 0], portStatusMask: [0b111, 0b111], flowRemovedMask: [0b1111, 0])
    public internal(set) var role = OF13.RoleMessage.Role.equal
    var generationID: UInt64?

    public init(configuration: Configuration = Configuration()) {
        precondition((1...254).contains(configuration.tableCount), "1 to 254 tables")
        self.configuration = configuration
        self.tables = (0..<configuration.tableCount).map {
            FlowTable(id: UInt8($0), cacheCapacity: configuration.exactMatchCacheSize)
        }
    }

    public var tableCount: Int { tables.count }

    /// The number of flows in table `tableID`.
    public func flowCount(table tableID: UInt8) -> Int {
        Int(tableID) < tables.count ? tables[Int(tableID)].count : 0
    }

    /// The total number of flows.
    public var flowCount: Int { tables.reduce(0) { $0 + $1.count } }

    // MARK: messages

    /// Applies one message from the controller and returns the replies, errors and
    /// packets it causes, in order.
    public mutating func handle(_ message: OF13.Message, xid: UInt32, now: NIODeadline) -> [DatapathOutput] {
        do {
            return try apply(message, xid: xid, now: now)
        } catch {
            return [Self.errorReply(error, to: message, xid: xid)]
        }
    }

    /// `OFPT_ERROR` with the first 64 bytes of the offending message (spec 1.3.5 §7.4.4).
    static func errorReply(_ error: DatapathError, to message: OF13.Message, xid: UInt32) -> DatapathOutput {
        let bytes = OpenFlowMessage.of13(message, xid: xid).encoded
        let data = bytes.getSlice(at: bytes.readerIndex, length: min(64, bytes.readableBytes)) ?? ByteBuffer()
        return .message(.error(OF13.ErrorMessage(type: error.type, code: error.code, data: data)), xid: xid)
    }

    private mutating func apply(_ message: OF13.Message, xid: UInt32, now: NIODeadline) throws(DatapathError)
        -> [DatapathOutput]
    {
        switch message {
        case .flowMod, .groupMod, .portMod, .tableMod, .meterMod, .packetOut:
            guard role != .slave else { throw DatapathError(.badRequest, 10, "the controller is a slave") }
        default: break
        }
        switch message {
        case .echoRequest(let data):
            return [.message(.echoReply(data), xid: xid)]
        case .featuresRequest:
            return [.message(.featuresReply(featuresReply), xid: xid)]
        case .getConfigRequest:
            return [.message(.getConfigReply(switchConfig), xid: xid)]
        case .setConfig(let config):
            switchConfig = config
            return []
        case .barrierRequest:
            return [.message(.barrierReply, xid: xid)]
        case .flowMod(let mod):
            return try flowMod(mod, now: now)
        case .groupMod(let mod):
            return try groupMod(mod, now: now)
        case .packetOut(let packetOut):
            return try self.packetOut(packetOut, now: now)
        case .portMod(let mod):
            return try portMod(mod, now: now)
        case .tableMod(let mod):
            // Table-miss behaviour in 1.3 is the table-miss flow; the config bits are
            // deprecated (spec 1.3.5 §7.3.3), so only the table id is checked.
            guard Int(mod.tableID) < tables.count || mod.tableID == OF13.TableNumber.all else {
                throw .tableModBadTable("table \(mod.tableID)")
            }
            return []
        case .meterMod(let mod):
            try meterMod(mod, now: now)
            return []
        case .multipartRequest(let request):
            return try multipart(request, xid: xid, now: now)
        case .roleRequest(let request):
            return [.message(.roleReply(try roleRequest(request)), xid: xid)]
        case .getAsyncRequest:
            return [.message(.getAsyncReply(asyncConfig), xid: xid)]
        case .setAsync(let config):
            asyncConfig = config
            return []
        case .queueGetConfigRequest(let request):
            guard request.port == OF13.PortNumber.any || ports[request.port] != nil else {
                throw DatapathError(.queueOpFailed, 0, "port \(request.port)")  // OFPQOFC_BAD_PORT
            }
            return [.message(.queueGetConfigReply(OF13.QueueGetConfigReply(port: request.port)), xid: xid)]
        case .experimenter:
            throw .badExperimenter("no experimenter messages")
        case .error, .echoReply, .featuresReply, .getConfigReply, .packetIn, .flowRemoved, .portStatus,
            .multipartReply, .barrierReply, .queueGetConfigReply, .roleReply, .getAsyncReply:
            throw .badType("\(message.typeName) is sent by switches, not to them")
        }
    }

    var featuresReply: OF13.FeaturesReply {
        OF13.FeaturesReply(
            datapathID: configuration.datapathID, bufferCount: 0, tableCount: UInt8(tables.count),
            capabilities: [.flowStats, .tableStats, .portStats, .groupStats])
    }

    private mutating func roleRequest(_ request: OF13.RoleMessage) throws(DatapathError) -> OF13.RoleMessage {
        if request.role == .master || request.role == .slave {
            if let current = generationID, Int64(bitPattern: request.generationID &- current) < 0 {
                throw DatapathError(.roleRequestFailed, 0, "stale generation id")  // OFPRRFC_STALE
            }
            generationID = request.generationID
        }
        switch request.role {
        case .noChange: break
        case .equal, .master, .slave: role = request.role
        default: throw DatapathError(.roleRequestFailed, 2, "role \(request.role.rawValue)")  // OFPRRFC_BAD_ROLE
        }
        return OF13.RoleMessage(role: role, generationID: generationID ?? 0)
    }

    private mutating func meterMod(_ mod: OF13.MeterMod, now: NIODeadline) throws(DatapathError) {
        switch mod.command {
        case .add:
            guard mod.meterID >= 1, mod.meterID <= OF13.MeterNumber.max else { throw .invalidMeter("\(mod.meterID)") }
            guard meters[mod.meterID] == nil else { throw .meterExists("\(mod.meterID)") }
            meters[mod.meterID] = Meter(mod: mod, created: now)
        case .modify:
            guard meters[mod.meterID] != nil else { throw .unknownMeter("\(mod.meterID)") }
            meters[mod.meterID]!.mod = mod
        case .delete:
            if mod.meterID == OF13.MeterNumber.all {
                meters.removeAll()
            } else {
                meters[mod.meterID] = nil
            }
        default:
            throw .badMeterCommand("command \(mod.command.rawValue)")
        }
    }

    /// Whether the controller asked for this asynchronous message (`mask` of SET_ASYNC).
    func wants(_ masks: [UInt32], reason: UInt8) -> Bool {
        let index = role == .slave ? 1 : 0
        guard index < masks.count else { return true }
        return masks[index] & (1 << UInt32(reason)) != 0
    }
}
