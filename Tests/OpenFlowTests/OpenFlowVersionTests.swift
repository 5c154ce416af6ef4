import NIOCore
import Testing

@testable import OpenFlow

/// Version negotiation, spec 1.3.5 §6.3.1.
@Suite struct OpenFlowVersionTests {
    let ours: Set<UInt8> = [OpenFlowVersion.v10, OpenFlowVersion.v13]

    @Test func bothBitmapsPickTheHighestCommonVersion() {
        let theirs = Hello(versions: [OpenFlowVersion.v10, OpenFlowVersion.v13, OpenFlowVersion.v15])
        #expect(OpenFlowVersion.negotiate(ours: ours, ourHeaderVersion: 4, theirs: theirs, theirHeaderVersion: 6) == 4)
    }

    @Test func onlyOneZeroPointZeroInCommon() {
        let theirs = Hello(versions: [OpenFlowVersion.v10, OpenFlowVersion.v12])
        #expect(OpenFlowVersion.negotiate(ours: ours, ourHeaderVersion: 4, theirs: theirs, theirHeaderVersion: 3) == 1)
    }

    @Test func nothingInCommonFails() {
        let theirs = Hello(versions: [OpenFlowVersion.v11, OpenFlowVersion.v14])
        #expect(OpenFlowVersion.negotiate(ours: ours, ourHeaderVersion: 4, theirs: theirs, theirHeaderVersion: 5) == nil)
    }

    @Test func withoutBitmapTheSmallerHeaderVersionIfSupported() {
        #expect(OpenFlowVersion.negotiate(ours: ours, ourHeaderVersion: 4, theirs: Hello(), theirHeaderVersion: 1) == 1)
        #expect(OpenFlowVersion.negotiate(ours: ours, ourHeaderVersion: 4, theirs: Hello(), theirHeaderVersion: 6) == 4)
        #expect(OpenFlowVersion.negotiate(ours: ours, ourHeaderVersion: 4, theirs: Hello(), theirHeaderVersion: 2) == nil)
    }

    @Test func bitmapBeyondTheFirstWordIsRead() throws {
        let hello = Hello(elements: [.versionBitmap([0x12, 0x1])])
        #expect(hello.versionBitmap == [1, 4, 32])
        let bytes = OpenFlowMessage.hello(hello, version: 4, xid: 9).encoded
        #expect(try OpenFlowMessage(decoding: bytes) == .hello(hello, version: 4, xid: 9))
        #expect(bytes.readableBytes == 8 + 16)  // element of 12 bytes padded to 16
    }

    @Test func unknownHelloElementsAreKeptAndIgnored() throws {
        let hello = Hello(elements: [.unknown(type: 9, body: ByteBuffer(bytes: [1, 2, 3])), .versionBitmap([0x10])])
        let decoded = try OpenFlowMessage(decoding: OpenFlowMessage.hello(hello, version: 4, xid: 1).encoded)
        guard case .hello(let h, _, _) = decoded else { Issue.record("not a hello"); return }
        #expect(h == hello)
        #expect(h.versionBitmap == [4])
    }
}
