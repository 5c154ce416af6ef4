import Testing

@testable import Datapath

@Suite struct MaskedKeyTableTests {
    @Test func behavesLikeADictionaryThroughGrowthAndRemoval() {
        var mask = SIMD16<UInt64>.zero
        mask[0] = 0xFFFF
        mask[4] = ~0
        var table = MaskedKeyTable(keyMask: mask)
        var reference: [SIMD16<UInt64>: Int32] = [:]
        var random = SplitMix64(seed: 9)
        for step in 0..<5000 {
            var words = SIMD16<UInt64>.zero
            words[0] = random.next() % 64
            words[4] = random.next() % 64
            let key = MaskedKey(words)
            if random.next() % 3 == 0 {
                table.set(key, nil)
                reference[words] = nil
            } else {
                table.set(key, Int32(step), tag: UInt16(step % 100))
                reference[words] = Int32(step)
            }
            #expect(table[key] == reference[words])
            #expect(table.count == reference.count)
        }
        for (words, value) in reference {
            #expect(table.find(MaskedKey(words))?.value == value)
            #expect(table.find(MaskedKey(words))?.tag == UInt16(value % 100))
        }
        table.removeAll()
        #expect(table.isEmpty)
    }

    @Test func keysThatShareAHashAreStillTold() {
        var table = MaskedKeyTable(keyMask: SIMD16<UInt64>(repeating: ~0))
        let a = MaskedKey(words: SIMD16<UInt64>(repeating: 1), hash: 42)
        let b = MaskedKey(words: SIMD16<UInt64>(repeating: 2), hash: 42)
        table.set(a, 1)
        table.set(b, 2)
        #expect(table[a] == 1 && table[b] == 2)
        table.set(a, nil)
        #expect(table[a] == nil && table[b] == 2)
    }
}
