import NIOCore
import NetworkAddresses
import OpenFlow
import Testing

@testable import Datapath

/// The reference the tuple-space search must agree with: every flow, in insertion order,
/// the highest priority wins and the oldest of equals.
struct LinearTable {
    var flows: [(id: UInt64, match: FlowMatch, priority: UInt16)] = []

    func lookup(_ key: FlowKey) -> UInt64? {
        var best: (id: UInt64, priority: UInt16)?
        for flow in flows where flow.match.matches(key) {
            if best == nil || flow.priority > best!.priority { best = (flow.id, flow.priority) }
        }
        return best?.id
    }
}

@Suite struct FlowTableTests {
    func entry(_ id: UInt64, _ match: FlowMatch, _ priority: UInt16) -> FlowEntry {
        FlowEntry(
            id: id, match: match, ofMatch: .all, priority: priority, cookie: id, idleTimeout: 0, hardTimeout: 0,
            flags: [], instructions: [], program: FlowProgram(), installed: t0, lastUsed: t0)
    }

    /// A few mask shapes over a handful of fields with small value ranges, so random flows
    /// and packets collide often.
    struct Generator {
        var random: SplitMix64

        mutating func int(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }

        mutating func key() -> FlowKey {
            var key = FlowKey()
            key.inPort = UInt32(int(4) + 1)
            key.ethType = [0x0800, 0x0806, 0x86DD][int(3)]
            key.ethDst = mac(UInt64(int(4)))
            key.ipv4Dst = IPv4Address(10, 0, UInt8(int(4)), UInt8(int(4)))
            key.ipProto = [6, 17][int(2)]
            key.l4Dst = UInt16(int(3) + 80)
            key.metadata = UInt64(int(3))
            return key
        }

        mutating func match() -> FlowMatch {
            let template = key()
            var mask = FlowKey()
            if int(2) == 0 { mask.inPort = ~0 }
            if int(2) == 0 { mask.ethType = ~0 }
            if int(3) == 0 { mask.ethDst = .init(rawValue: 0xFFFF_FFFF_FFFF) }
            switch int(4) {
            case 0: mask.ipv4Dst = .init(rawValue: 0xFFFF_FFFF)
            case 1: mask.ipv4Dst = .init(rawValue: 0xFFFF_FF00)
            default: break
            }
            if int(3) == 0 { mask.ipProto = 0xFF }
            if int(3) == 0 { mask.l4Dst = 0xFFFF }
            if int(4) == 0 { mask.metadata = 0b11 }
            return FlowMatch(value: template.words, mask: mask.words)
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func tupleSpaceSearchAgreesWithLinearScan(seed: UInt64) {
        var generator = Generator(random: SplitMix64(seed: seed))
        for cacheCapacity in [0, 64] {
            var table = FlowTable(id: 0, cacheCapacity: cacheCapacity)
            var reference = LinearTable()
            var slots: [UInt64: Int32] = [:]
            var nextID: UInt64 = 1
            for round in 0..<40 {
                // Grow, and now and then remove flows, then ask about random packets.
                for _ in 0..<10 {
                    let match = generator.match()
                    let priority = UInt16(generator.int(6) * 10)
                    guard table.find(match, priority: priority) == nil else { continue }
                    slots[nextID] = table.insert(entry(nextID, match, priority))
                    reference.flows.append((nextID, match, priority))
                    nextID += 1
                }
                if round % 3 == 2 {
                    for _ in 0..<4 where !reference.flows.isEmpty {
                        let victim = reference.flows.remove(at: generator.int(reference.flows.count))
                        table.remove(slots.removeValue(forKey: victim.id)!)
                    }
                }
                for _ in 0..<50 {
                    let key = generator.key()
                    let found = table.lookup(key).map { table[$0].id }
                    #expect(found == reference.lookup(key), "seed \(seed) round \(round) key \(key)")
                }
            }
            #expect(table.count == reference.flows.count)
        }
    }

    @Test func equalPriorityOverlapGoesToTheOlderFlow() {
        var table = FlowTable(id: 0)
        let wide = FlowMatch(value: FlowKey().words, mask: .zero)
        var portMask = FlowKey()
        portMask.inPort = ~0
        var port1 = FlowKey()
        port1.inPort = 1
        let narrow = FlowMatch(value: port1.words, mask: portMask.words)
        table.insert(entry(1, wide, 5))
        table.insert(entry(2, narrow, 5))
        #expect(table.lookup(port1).map { table[$0].id } == 1)
    }

    @Test func removingTheTopFlowLowersTheTuplePriority() {
        var table = FlowTable(id: 0, cacheCapacity: 0)
        var portMask = FlowKey()
        portMask.inPort = ~0
        var port1 = FlowKey()
        port1.inPort = 1
        var port2 = FlowKey()
        port2.inPort = 2
        let high = table.insert(entry(1, FlowMatch(value: port1.words, mask: portMask.words), 50))
        table.insert(entry(2, FlowMatch(value: port2.words, mask: portMask.words), 10))
        table.insert(entry(3, .all, 20))
        #expect(table.lookup(port2).map { table[$0].id } == 3)
        table.remove(high)
        #expect(table.tuples.first { $0.mask == portMask.words }?.maxPriority == 10)
        #expect(table.lookup(port2).map { table[$0].id } == 3)
        #expect(table.lookup(port1).map { table[$0].id } == 3)
    }

    @Test func findNeedsTheSameMatchAndPriority() {
        var table = FlowTable(id: 0)
        var key = FlowKey()
        key.inPort = 1
        var mask = FlowKey()
        mask.inPort = ~0
        let match = FlowMatch(value: key.words, mask: mask.words)
        let slot = table.insert(entry(1, match, 7))
        #expect(table.find(match, priority: 7) == slot)
        #expect(table.find(match, priority: 8) == nil)
        #expect(table.find(.all, priority: 7) == nil)
    }
}
