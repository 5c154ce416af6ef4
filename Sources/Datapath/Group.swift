import NIOCore
import OpenFlow

/// One entry of the group table (spec 1.3.5 §5.6): type, buckets (as sent, and compiled),
/// and counters.
struct Group: Sendable {
    struct Bucket: Sendable {
        var weight: UInt16
        var watchPort: UInt32
        var watchGroup: UInt32
        var actions: [PacketAction]
        var packetCount: UInt64 = 0
        var byteCount: UInt64 = 0
    }

    var id: UInt32
    var type: OF13.GroupType
    var ofBuckets: WireList<OF13.Bucket>
    var buckets: [Bucket]
    var packetCount: UInt64 = 0
    var byteCount: UInt64 = 0
    var created: NIODeadline

    /// Compiles and checks a GROUP_MOD's buckets for its type.
    init(_ mod: OF13.GroupMod, now: NIODeadline) throws(DatapathError) {
        guard mod.type.rawValue <= 3 else { throw .badGroupType("group type \(mod.type.rawValue)") }
        id = mod.groupID
        type = mod.type
        ofBuckets = mod.buckets
        created = now
        var compiled: [Bucket] = []
        for bucket in mod.buckets {
            let actions = try PacketAction.compile(bucket.actions, allowTable: false)
            if mod.type == .fastFailover, bucket.watchPort == OF13.PortNumber.any,
                bucket.watchGroup == OF13.GroupNumber.any
            {
                throw DatapathError(.groupModFailed, 13, "a fast-failover bucket needs a watch port or group")  // OFPGMFC_BAD_WATCH
            }
            compiled.append(
                Bucket(weight: bucket.weight, watchPort: bucket.watchPort, watchGroup: bucket.watchGroup, actions: actions))
        }
        if mod.type == .indirect, compiled.count != 1 {
            throw .badBucket("an indirect group has exactly one bucket, not \(compiled.count)")
        }
        buckets = compiled
    }

    /// The groups the buckets' actions chain to.
    var chainedGroups: [UInt32] {
        buckets.flatMap { $0.actions.compactMap { if case .group(let g) = $0 { g } else { nil } } }
    }
}

/// The fields a select group hashes to pick a bucket: the flow's addresses, protocol and
/// ports, so one transport flow always takes one bucket.
let selectHashMask: SIMD16<UInt64> = {
    var key = FlowKey(words: .zero)
    key.ethType = 0xFFFF
    key.ethSrc = .init(rawValue: 0xFFFF_FFFF_FFFF)
    key.ethDst = .init(rawValue: 0xFFFF_FFFF_FFFF)
    key.ipProto = 0xFF
    key.words[4] = ~0
    key.l4Src = 0xFFFF
    key.l4Dst = 0xFFFF
    for w in 8...11 { key.words[w] = ~0 }
    return key.words
}()
