import Foundation

/// Runs `body` and gives up after `timeout` with `error`, without waiting for `body` to end:
/// a switch that never answers must not hold the HTTP request (an OpenFlow request's future
/// cannot be cancelled, so a task group, which awaits its children, would wait as long).
func withTimeout<T: Sendable>(
    _ timeout: Duration, error: @autoclosure @escaping @Sendable () -> any Error,
    _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let once = ResumeOnce<T>()
    return try await withCheckedThrowingContinuation { continuation in
        once.set(continuation)
        let work = Task {
            do { once.resume(.success(try await body())) } catch { once.resume(.failure(error)) }
        }
        Task {
            try? await Task.sleep(for: timeout)
            if once.resume(.failure(error())) { work.cancel() }
        }
    }
}

/// A continuation resumed by whichever of two tasks comes first.
private final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        lock.withLock { self.continuation = continuation }
    }

    /// Resumes the continuation if nobody has; returns true if this call did.
    @discardableResult
    func resume(_ result: Result<T, any Error>) -> Bool {
        let continuation = lock.withLock {
            let c = self.continuation
            self.continuation = nil
            return c
        }
        continuation?.resume(with: result)
        return continuation != nil
    }
}
