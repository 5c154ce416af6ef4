import Testing

@testable import Virtualization

@Suite struct GuestMemoryTests {
    @Test func storesAndLoadsLittleEndianIntegers() {
        var memory = GuestMemory(pageCount: 4)
        memory.store(UInt32(0xDEAD_BEEF), at: 4094)  // straddles pages 0 and 1
        #expect(memory.load(UInt32.self, at: 4094) == 0xDEAD_BEEF)
        #expect(memory.read(at: 4094, count: 4) == [0xEF, 0xBE, 0xAD, 0xDE])
        #expect(memory.byteCount == 4 * 4096)
    }

    @Test func writesAreLoggedOnlyInLogDirtyMode() {
        var memory = GuestMemory(pageCount: 8)
        memory.store(UInt64(1), at: 0)
        #expect(memory.dirtyPageCount == 0)
        memory.enableDirtyLog()
        memory.store(UInt64(1), at: 3 * 4096 + 8)
        memory.store(UInt64(2), at: 3 * 4096 + 16)
        memory.write([UInt8](repeating: 7, count: 5000), at: 5 * 4096 + 100)  // pages 5 and 6
        #expect(memory.peekDirtyLog().pages == [3, 5, 6])
        #expect(memory.writeCount(ofPage: 3) == 2)
        #expect(memory.writeCount(ofPage: 6) == 1)
        let snapshot = memory.cleanDirtyLog()
        #expect(snapshot.dirty.pages == [3, 5, 6])
        #expect(snapshot.writeCounts[3] == 2)
        #expect(snapshot.totalWrites == 4)
        #expect(snapshot.hotPages(threshold: 2).pages == [3])
        #expect(memory.dirtyPageCount == 0 && memory.writeCount(ofPage: 3) == 0)
        memory.disableDirtyLog()
        memory.store(UInt8(1), at: 0)
        #expect(memory.dirtyPageCount == 0)
    }

    @Test func restoringAPageIsNotAGuestWrite() {
        var source = GuestMemory(pageCount: 2)
        source.write([UInt8](repeating: 0x5A, count: 4096), at: 4096)
        var target = GuestMemory(pageCount: 2)
        target.enableDirtyLog()
        #expect(!target.hasSameContent(as: source))
        #expect(target.contentHash != source.contentHash)
        source.withPage(1) { target.restore(page: 1, from: $0) }
        #expect(target.dirtyPageCount == 0)
        #expect(target.hasSameContent(as: source))
        #expect(target.contentHash == source.contentHash)
        #expect(target.page(1) == [UInt8](repeating: 0x5A, count: 4096))
    }

    @Test func oneChangedByteChangesTheHash() {
        var memory = GuestMemory(pageCount: 16)
        let before = memory.contentHash
        memory.store(UInt8(1), at: 9 * 4096 + 4095)
        #expect(memory.contentHash != before)
        memory.store(UInt8(0), at: 9 * 4096 + 4095)
        #expect(memory.contentHash == before)
    }
}
