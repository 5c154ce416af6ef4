import NIOCore

/// The flows' timeout deadlines, earliest first (a binary min-heap).
///
/// Timers are lazy: an idle timeout is filed at the time the flow would expire if no packet
/// came, and when that time arrives ``Datapath/expire(now:)`` checks the flow's last use and
/// files it again if it was used meanwhile. A timer whose flow is gone (or whose slot a newer
/// flow took: the flow id differs) is dropped when it surfaces.
struct TimerHeap: Sendable {
    struct Timer: Sendable {
        var deadline: NIODeadline
        var table: UInt8
        var slot: Int32
        var flowID: UInt64
    }

    private var heap: [Timer] = []

    var first: Timer? { heap.first }
    var count: Int { heap.count }

    mutating func push(_ timer: Timer) {
        heap.append(timer)
        var i = heap.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard heap[i].deadline < heap[parent].deadline else { break }
            heap.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> Timer? {
        guard !heap.isEmpty else { return nil }
        heap.swapAt(0, heap.count - 1)
        let top = heap.removeLast()
        var i = 0
        while true {
            let left = 2 * i + 1
            let right = left + 1
            var smallest = i
            if left < heap.count, heap[left].deadline < heap[smallest].deadline { smallest = left }
            if right < heap.count, heap[right].deadline < heap[smallest].deadline { smallest = right }
            guard smallest != i else { break }
            heap.swapAt(i, smallest)
            i = smallest
        }
        return top
    }
}
