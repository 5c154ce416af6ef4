import Testing

@testable import Virtualization

@Suite struct DirtyBitmapTests {
    @Test func insertContainsCountAndPagesInOrder() {
        var bitmap = DirtyBitmap(pageCount: 200)
        for page in [199, 0, 64, 63, 130] { bitmap.insert(page) }
        #expect(bitmap.count == 5)
        #expect(bitmap.pages == [0, 63, 64, 130, 199])
        #expect(bitmap.contains(63) && !bitmap.contains(62) && !bitmap.contains(200) && !bitmap.contains(-1))
        bitmap.remove(63)
        #expect(bitmap.pages == [0, 64, 130, 199])
        #expect(bitmap.words.count == 4)
    }

    @Test func allSetsExactlyThePagesThereAre() {
        let all = DirtyBitmap.all(pageCount: 70)
        #expect(all.count == 70)
        #expect(all.words[1] == (1 << 6) - 1)
        #expect(DirtyBitmap.all(pageCount: 128).count == 128)
    }

    @Test func unionAndDifference() {
        var a = DirtyBitmap(pageCount: 100)
        var b = DirtyBitmap(pageCount: 100)
        a.insert(1); a.insert(2); b.insert(2); b.insert(99)
        #expect(a.union(b).pages == [1, 2, 99])
        a.subtract(b)
        #expect(a.pages == [1])
        a.removeAll()
        #expect(a.isEmpty)
    }
}
