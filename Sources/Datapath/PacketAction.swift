import OpenFlow

/// An action compiled for execution: the subset of `ofp_action_*` this datapath carries out
/// (spec 1.3.5 §5.12), with its argument checked once, when the flow or group is installed.
enum PacketAction: Hashable, Sendable {
    case output(port: UInt32, maxLength: UInt16)
    case group(UInt32)
    case setQueue(UInt32)
    case pushVLAN(ethertype: UInt16)
    case popVLAN
    case setNwTTL(UInt8)
    case decNwTTL
    case setField(FieldWrite)

    /// Compiles `actions`. `allowTable` admits output to `OFPP_TABLE` (packet-out only).
    static func compile(_ actions: WireList<OF13.Action>, allowTable: Bool) throws(DatapathError) -> [PacketAction] {
        var result: [PacketAction] = []
        for action in actions { result.append(try compile(action, allowTable: allowTable)) }
        return result
    }

    static func compile(_ action: OF13.Action, allowTable: Bool) throws(DatapathError) -> PacketAction {
        switch action {
        case .output(let port, let maxLength):
            try checkOutputPort(port, allowTable: allowTable)
            return .output(port: port, maxLength: maxLength)
        case .group(let id):
            guard id <= OF13.GroupNumber.max else { throw .badOutGroup("group \(id) is reserved") }
            return .group(id)
        case .setQueue(let q): return .setQueue(q)
        case .pushVLAN(let ethertype):
            guard ethertype == 0x8100 || ethertype == 0x88A8 else {
                throw .badArgument("push_vlan ethertype 0x\(String(ethertype, radix: 16))")
            }
            return .pushVLAN(ethertype: ethertype)
        case .popVLAN: return .popVLAN
        case .setNwTTL(let ttl): return .setNwTTL(ttl)
        case .decNwTTL: return .decNwTTL
        case .setField(let field): return .setField(try FieldWrite(field))
        case .copyTTLOut, .copyTTLIn, .setMPLSTTL, .decMPLSTTL, .pushMPLS, .popMPLS, .pushPBB, .popPBB:
            throw .badActionType("\(action) is not supported (no MPLS or PBB)")
        case .experimenter:
            throw .badExperimenter("experimenter actions are not supported")
        case .unknown(let type, _):
            throw .badActionType("action type \(type)")
        }
    }

    static func checkOutputPort(_ port: UInt32, allowTable: Bool) throws(DatapathError) {
        switch port {
        case 1...OF13.PortNumber.max, OF13.PortNumber.inPort, OF13.PortNumber.normal, OF13.PortNumber.flood,
            OF13.PortNumber.all, OF13.PortNumber.controller, OF13.PortNumber.local:
            return
        case OF13.PortNumber.table where allowTable:
            return
        default:
            throw .badOutPort("output to \(OF13.PortNumber.name(port))")
        }
    }
}

/// A set-field action: the field and its new value (two halves for IPv6 addresses).
struct FieldWrite: Hashable, Sendable {
    var field: UInt8
    var high: UInt64
    var low: UInt64

    /// Fields that set-field may rewrite: those of the key that lie in packet bytes this
    /// datapath knows how to rewrite, plus metadata-like `tunnel_id`.
    init(_ field: OXMField) throws(DatapathError) {
        guard let basic = field.basic, basic.mask == nil else {
            throw .badSetType("set_field \(field.name) (masked or not a basic field)")
        }
        switch basic.field {
        case 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 38:
            break
        default:
            throw .badSetType("set_field \(field.name) is not supported")
        }
        self.field = basic.field
        (high, low) = basic.value.halves
    }
}

/// The instructions of one flow entry, compiled. Spec 1.3.5 §5.9 runs them in a fixed
/// order whatever their order in the message (meter, apply-actions, clear-actions,
/// write-actions, write-metadata, goto-table), and allows each at most once.
struct FlowProgram: Hashable, Sendable {
    var meter: UInt32?
    var applyActions: [PacketAction]?
    var clearActions = false
    var writeActions: [PacketAction]?
    var metadata: UInt64 = 0
    var metadataMask: UInt64 = 0
    var gotoTable: UInt8?

    init() {}

    /// A program behind one reference: the forwarding path copies a pointer, not the arrays.
    final class Box: Sendable {
        let program: FlowProgram
        init(_ program: FlowProgram) { self.program = program }
    }

    /// Compiles the instructions of a flow in table `tableID` of a pipeline of `tableCount`.
    init(_ instructions: WireList<OF13.Instruction>, tableID: UInt8, tableCount: Int) throws(DatapathError) {
        var seen: UInt16 = 0
        for instruction in instructions {
            let bit: UInt16 = instruction.type < 16 ? 1 << instruction.type : 0
            guard seen & bit == 0 else { throw .unsupportedInstruction("\(instruction) appears twice") }
            seen |= bit
            switch instruction {
            case .gotoTable(let next):
                guard next > tableID, Int(next) < tableCount else {
                    throw .badGotoTable("goto_table:\(next) from table \(tableID) of \(tableCount)")
                }
                gotoTable = next
            case .writeMetadata(let value, let mask):
                metadata = value & mask
                metadataMask = mask
            case .writeActions(let actions):
                let compiled = try PacketAction.compile(actions, allowTable: false)
                try ActionSet.checkWritable(compiled)
                writeActions = compiled
            case .applyActions(let actions):
                applyActions = try PacketAction.compile(actions, allowTable: false)
            case .clearActions:
                clearActions = true
            case .meter(let id):
                meter = id
            case .experimenter:
                throw .unsupportedInstruction("experimenter instructions are not supported")
            case .unknown(let type, _):
                throw .unknownInstruction("instruction type \(type)")
            }
        }
    }

    /// Whether an output action in the flow sends to `port` (the `out_port` filter of
    /// spec 1.3.5 §7.3.4.1; group buckets are not followed).
    func outputs(to port: UInt32) -> Bool {
        func check(_ actions: [PacketAction]?) -> Bool {
            actions?.contains { if case .output(port, _) = $0 { true } else { false } } ?? false
        }
        return check(applyActions) || check(writeActions)
    }

    /// Whether a group action in the flow sends to `group`.
    func usesGroup(_ group: UInt32) -> Bool {
        func check(_ actions: [PacketAction]?) -> Bool {
            actions?.contains { if case .group(group) = $0 { true } else { false } } ?? false
        }
        return check(applyActions) || check(writeActions)
    }

    /// Every group the flow's actions name.
    var groups: [UInt32] {
        ((applyActions ?? []) + (writeActions ?? [])).compactMap { if case .group(let g) = $0 { g } else { nil } }
    }
}
